//go:build darwin || dragonfly || freebsd || illumos || linux || netbsd || openbsd

package trail

import (
	"os"
	"syscall"
)

// lockFile takes an advisory lock on the whole of f with flock(2): an
// exclusive one for a writer, a shared one for a reader. It blocks until
// the lock is granted. The lock belongs to f's open file description, so
// two Logs on one file conflict even within one process, and it is
// released when f is closed or its process dies.
func lockFile(f *os.File, exclusive bool) error {
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	return flock(f, how)
}

// unlockFile releases the lock lockFile took.
func unlockFile(f *os.File) error { return flock(f, syscall.LOCK_UN) }

func flock(f *os.File, how int) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var lockErr error
	err = rc.Control(func(fd uintptr) {
		for {
			lockErr = syscall.Flock(int(fd), how)
			if lockErr != syscall.EINTR {
				return
			}
		}
	})
	if err != nil {
		return err
	}
	if lockErr != nil {
		return &os.PathError{Op: "flock", Path: f.Name(), Err: lockErr}
	}
	return nil
}
