// Package agefile reads and writes the age-encrypted secrets files that a
// state directory may hold beside its YAML (secrets/office.age): a YAML map
// of KEY: value, encrypted with age (filippo.io/age) to the recipients the
// state declares.
//
// Plaintext lives in memory only: files are decrypted into a byte slice and
// written back encrypted, ASCII-armored (so Git shows a text diff and never
// takes the file for binary), through a temporary file in the same
// directory renamed over the old one. Both armored and binary files are
// read.
//
// Paths are relative to the state directory, end in ".age", and never leave
// it: a path with "..", an absolute path, a symlink anywhere on the way, or
// a file or directory on the way that others may write is refused.
//
// Errors name the file and the key, never a value, and never the identity.
package agefile
