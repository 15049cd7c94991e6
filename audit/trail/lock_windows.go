//go:build windows

package trail

import (
	"os"
	"syscall"
	"unsafe"
)

var (
	kernel32         = syscall.NewLazyDLL("kernel32.dll")
	procLockFileEx   = kernel32.NewProc("LockFileEx")
	procUnlockFileEx = kernel32.NewProc("UnlockFileEx")
)

const lockfileExclusiveLock = 0x2 // LOCKFILE_EXCLUSIVE_LOCK

// lockOffsetHigh places the one byte the lock covers at 2^62, far past any
// byte a log holds. Windows byte-range locks are mandatory: locking the
// log's own bytes would make readers that take no lock fail instead of
// read. A byte nobody reads or writes keeps the lock advisory.
const lockOffsetHigh = 1 << 30

// lockFile takes a lock with LockFileEx: an exclusive one for a writer, a
// shared one for a reader. It blocks until the lock is granted. The lock
// belongs to f's handle, so two Logs on one file conflict even within one
// process, and it is released when f is closed or its process dies.
func lockFile(f *os.File, exclusive bool) error {
	var flags uintptr
	if exclusive {
		flags = lockfileExclusiveLock
	}
	return lockCall(f, "LockFileEx", func(h syscall.Handle, ol *syscall.Overlapped) (uintptr, error) {
		r, _, err := procLockFileEx.Call(uintptr(h), flags, 0, 1, 0, uintptr(unsafe.Pointer(ol)))
		return r, err
	})
}

// unlockFile releases the lock lockFile took.
func unlockFile(f *os.File) error {
	return lockCall(f, "UnlockFileEx", func(h syscall.Handle, ol *syscall.Overlapped) (uintptr, error) {
		r, _, err := procUnlockFileEx.Call(uintptr(h), 0, 1, 0, uintptr(unsafe.Pointer(ol)))
		return r, err
	})
}

func lockCall(f *os.File, op string, call func(syscall.Handle, *syscall.Overlapped) (uintptr, error)) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var callErr error
	err = rc.Control(func(fd uintptr) {
		ol := &syscall.Overlapped{OffsetHigh: lockOffsetHigh}
		if r, err := call(syscall.Handle(fd), ol); r == 0 {
			callErr = err
			if callErr == nil {
				callErr = syscall.EINVAL
			}
		}
	})
	if err != nil {
		return err
	}
	if callErr != nil {
		return &os.PathError{Op: op, Path: f.Name(), Err: callErr}
	}
	return nil
}
