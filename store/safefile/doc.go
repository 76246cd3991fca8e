// Package safefile writes itlag's local files without following a symlink
// it did not expect and without trusting a directory that others may
// write to.
//
// Every function takes a base directory, which the caller chose (the
// state directory, the repository root, --out, the data directory) and
// which may itself be reached through a symlink, and a slash-separated
// path rel below it. Below base nothing is followed: a symlink as any
// component of rel, the file itself included, is refused with an error
// wrapping ErrSymlink, and so is a directory on the way (base included)
// that others may write to and that has no sticky bit (ErrWritable).
// Files are reached through an os.Root on base, so even a symlink swapped
// in after the check cannot lead outside base.
//
// WriteFile replaces a file atomically (a temporary file in the same
// directory, then rename) with an exact mode; OpenFile opens one in place,
// never truncating it, and refuses anything but a regular file with a
// single link (a hard link could point at any file the runner can write);
// Append adds to a file such as an audit log or a JSONL history. CheckDir
// checks a base directory alone (the state and data directories).
package safefile
