//go:build !unix

package safefile

import "io/fs"

// links is the file's hard link count; unknown here, so 1.
func links(fs.FileInfo) uint64 { return 1 }
