package cli

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHealth: "itlag health" exits 0 only on a 200 from /healthz, and says
// why otherwise (a healthy watch is asked in TestWatch).
func TestHealth(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			fmt.Fprintln(w, "ok")
		case "/stalled/healthz":
			http.Error(w, "no round completed in 30s", http.StatusServiceUnavailable)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	// a port nobody listens on: bound, then closed
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String() + "/healthz"
	l.Close()

	tests := []struct {
		name     string
		args     []string
		want     int
		stdout   string
		stderrRE string // in stderr
	}{
		{"healthy", []string{"--url", srv.URL + "/healthz"}, ExitOK, "ok\n", ""},
		{"unhealthy: the reason is shown", []string{"--url", srv.URL + "/stalled/healthz"}, ExitError, "", "503 Service Unavailable: no round completed in 30s"},
		{"nothing listening", []string{"--url", closed}, ExitError, "", "connection refused"},
		{"not http", []string{"--url", "ftp://127.0.0.1/healthz"}, ExitError, "", "want an http:// or https:// URL"},
		{"no host", []string{"--url", "http:///healthz"}, ExitError, "", "want an http:// or https:// URL"},
		{"a stray argument", []string{srv.URL + "/healthz"}, ExitError, "", "the URL goes in --url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Main(append([]string{"health"}, tt.args...), strings.NewReader(""), &stdout, &stderr)
			if code != tt.want || stdout.String() != tt.stdout || !strings.Contains(stderr.String(), tt.stderrRE) {
				t.Errorf("itlag health %v: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr containing %q",
					tt.args, code, stdout.String(), stderr.String(), tt.want, tt.stdout, tt.stderrRE)
			}
		})
	}
}
