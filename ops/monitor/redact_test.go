package monitor

import (
	"strings"
	"testing"
)

func TestDisplayTarget(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://status.example.org/health", "https://status.example.org/health"},
		{"https://itlag:pw-s3cret@status.example.org/h", "https://***@status.example.org/h"},
		{"https://status.example.org/h?token=tok-s3cret&x=1&flag", "https://status.example.org/h?token=***&x=***&flag"},
		{"https://status.example.org/h#frag-s3cret", "https://status.example.org/h#***"},
		{"https://u@h.example.org:8443/a%20b?k=v#f", "https://***@h.example.org:8443/a%20b?k=***#***"},
		{"lagrieta.es:443", "lagrieta.es:443"},
		{"lagrieta.es", "lagrieta.es"},
		{"https://bad host/%zz?token=tok-s3cret", "https://***"},
	}
	for _, c := range cases {
		if got := DisplayTarget(c.in); got != c.want {
			t.Errorf("DisplayTarget(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestScrubTarget(t *testing.T) {
	target := "http://itlag:pw-s3cret@127.0.0.1:1/x?token=tok-s3cret#frag-s3cret"
	msg := `Get "http://127.0.0.1:1/x?token=tok-s3cret": refused; ` + target
	got := scrubTarget(msg, target)
	for _, s := range []string{"pw-s3cret", "tok-s3cret", "frag-s3cret"} {
		if strings.Contains(got, s) {
			t.Errorf("scrubTarget left %q: %s", s, got)
		}
	}
	if !strings.Contains(got, "http://***@127.0.0.1:1/x?token=***#***") {
		t.Errorf("scrubTarget = %s, want the display form", got)
	}
}
