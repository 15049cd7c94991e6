package trail

// LockFile and UnlockFile let the tests hold a log file's lock as another
// writer would.
var (
	LockFile   = lockFile
	UnlockFile = unlockFile
)
