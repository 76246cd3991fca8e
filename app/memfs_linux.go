package app

import "syscall"

// inMemory reports whether dir is on tmpfs or ramfs.
func inMemory(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return false
	}
	// Statfs_t.Type is int32 on 32-bit ARM, int64 elsewhere: compare as
	// unsigned 32-bit magic numbers
	const tmpfs, ramfs = 0x01021994, 0x858458f6
	t := uint32(st.Type)
	return t == tmpfs || t == ramfs
}
