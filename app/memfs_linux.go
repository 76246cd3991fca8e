package app

import "syscall"

// inMemory reports whether dir is on tmpfs or ramfs.
func inMemory(dir string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return false
	}
	const tmpfs, ramfs = 0x01021994, 0x858458f6
	return st.Type == tmpfs || st.Type == ramfs
}
