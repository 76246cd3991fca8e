package transport

import (
	"errors"
	"strings"
	"testing"
)

func TestRequireTLS(t *testing.T) {
	cases := []struct {
		url string
		ok  bool
	}{
		{"https://api.cloudflare.com/client/v4", true},
		{"http://127.0.0.1:8080/x", true},
		{"http://[::1]:8080/x", true},
		{"http://localhost/x", true},
		{"http://api.example.com/x?token=s3cret", false},
		{"http://10.0.0.1/x", false},
		{"http://127.0.0.1.example.com/x", false},
		{"ftp://127.0.0.1/x", false},
		{"ssh://git@example.com/repo.git", false},
		{"not a url", false},
	}
	for _, c := range cases {
		err := RequireTLS(c.url)
		if (err == nil) != c.ok {
			t.Errorf("RequireTLS(%q) = %v, want ok=%v", c.url, err, c.ok)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error shows the query: %v", err)
		}
		if err != nil && strings.HasPrefix(c.url, "http://api") && !errors.Is(err, ErrPlainText) {
			t.Errorf("error %v is not ErrPlainText", err)
		}
	}
}
