package sodtest_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/sodkit/sodkit/sod/sodtest"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func TestRecorder(t *testing.T) {
	var r sodtest.Recorder
	if r.Failed() || r.Messages() != nil {
		t.Fatalf("a zero Recorder has recorded something: %v", r.Messages())
	}
	r.Helper()
	if r.Failed() {
		t.Fatal("Helper recorded a failure")
	}
	r.Errorf("%d%%: %s", 50, "half")
	r.Errorf("plain %%v is not expanded without args")
	want := []string{"50%: half", "plain %v is not expanded without args"}
	got := r.Messages()
	if !r.Failed() || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Messages() = %q, want %q", got, want)
	}
	got[0] = "changed"
	if r.Messages()[0] != want[0] {
		t.Error("Messages returned the Recorder's own slice")
	}
}

func TestRecorderConcurrent(t *testing.T) {
	var r sodtest.Recorder
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			r.Helper()
			r.Errorf("failure %d", i)
			_ = r.Failed()
		})
	}
	wg.Wait()
	if n := len(r.Messages()); n != 50 {
		t.Errorf("recorded %d failures, want 50", n)
	}
}
