//go:build unix

package remote

import (
	"io/fs"
	"syscall"
)

// localOwner is the numeric owner of a local file.
func localOwner(fi fs.FileInfo) (uint32, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return st.Uid, true
}
