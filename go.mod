module github.com/sodkit/sodkit

go 1.26.0
