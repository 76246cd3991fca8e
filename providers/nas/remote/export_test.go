package remote

// SetAfterTempWrite makes c call f with each temporary file's path once
// the data is written, before its chmod and rename.
func SetAfterTempWrite(c *SSH, f func(tmp string)) { c.afterTempWrite = f }
