package cloudflare

// SetMaxAnswer lowers the largest answer read, for a test; the returned
// function puts it back.
func SetMaxAnswer(n int64) (restore func()) {
	old := maxPrealloc
	maxPrealloc = n
	return func() { maxPrealloc = old }
}
