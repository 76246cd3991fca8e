package cloudflare_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers/cloudflare"
)

// TestNewRequiresTLS: the token goes only to https, or http on loopback
// (the fakes).
func TestNewRequiresTLS(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"", true},
		{"https://api.cloudflare.com/client/v4", true},
		{"http://127.0.0.1:8080/client/v4", true},
		{"http://api.cloudflare.com/client/v4", false},
		{"http://proxy.example.org/client/v4", false},
	}
	for _, tt := range tests {
		_, err := cloudflare.New(cloudflare.Config{APIURL: tt.url, Token: "tok-s3cret", HTTPClient: http.DefaultClient})
		if (err == nil) != tt.ok {
			t.Errorf("New(%q): %v, want ok=%v", tt.url, err, tt.ok)
		}
		if err != nil && (!strings.Contains(err.Error(), "only over TLS") || strings.Contains(err.Error(), "tok-s3cret")) {
			t.Errorf("New(%q): %v", tt.url, err)
		}
	}
}
