package sodtest

import (
	"fmt"
	"slices"
	"sync"
)

// TB is the part of testing.TB the Assert functions use. *testing.T,
// *testing.B and *testing.F satisfy it, as do testify suites (through their
// T method) and Recorder.
type TB interface {
	// Helper marks the caller as a test helper, so a failure is reported
	// at the line that called the Assert function.
	Helper()
	// Errorf reports a failure and lets the test go on.
	Errorf(format string, args ...any)
}

// Recorder is a TB that records failures instead of reporting them, for
// tests that a check catches a problem: pass a *Recorder where a test
// would pass t, then ask it what failed. It is to the Assert functions what
// httptest.ResponseRecorder is to a handler.
//
// The zero Recorder is ready to use and has recorded nothing. A Recorder is
// safe for concurrent use.
type Recorder struct {
	mu       sync.Mutex
	messages []string
}

// Helper does nothing; it makes Recorder a TB.
func (r *Recorder) Helper() {}

// Errorf records one failure, formatted with fmt.Sprintf.
func (r *Recorder) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	r.mu.Lock()
	r.messages = append(r.messages, msg)
	r.mu.Unlock()
}

// Failed reports whether any failure was recorded.
func (r *Recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.messages) > 0
}

// Messages returns the recorded failures in the order they were recorded,
// as a new slice; nil when none was.
func (r *Recorder) Messages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.messages)
}
