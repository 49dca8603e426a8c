//go:build unix

package owner

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// NoFollow makes an open fail on a symbolic link as the last path element.
const NoFollow = syscall.O_NOFOLLOW

// Mine reports whether fi is owned by the effective uid.
func Mine(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return !ok || int64(st.Uid) == int64(os.Geteuid())
}

func foreign(fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return foreignStat(uint32(st.Uid), uint32(fi.Mode().Perm()))
}

// CheckStat is Check for the raw stat of an open file (the hit path reads
// through system calls, without an fs.FileInfo).
func CheckStat(path string, st *syscall.Stat_t) error {
	if problem := foreignStat(uint32(st.Uid), uint32(st.Mode)&0o777); problem != "" {
		return &Error{Path: path, Problem: problem}
	}
	return nil
}

func foreignStat(uid, perm uint32) string {
	if me := os.Geteuid(); int64(uid) != int64(me) {
		return fmt.Sprintf("is owned by uid %d, not by you (uid %d)", uid, me)
	}
	if perm&0o022 != 0 {
		return fmt.Sprintf("is writable by group or others (mode %04o)", perm)
	}
	return ""
}
