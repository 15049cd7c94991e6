//go:build !(darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd || windows)

package trail

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// lockFile fails: this platform offers neither flock(2) nor LockFileEx, and
// appending without a lock could fork the chain.
func lockFile(f *os.File, exclusive bool) error {
	return &os.PathError{Op: "lock", Path: f.Name(),
		Err: fmt.Errorf("file locking is not available on %s/%s: %w", runtime.GOOS, runtime.GOARCH, errors.ErrUnsupported)}
}

func unlockFile(f *os.File) error { return lockFile(f, false) }
