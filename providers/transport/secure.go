package transport

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// ErrPlainText is the error of a credential that would travel without TLS.
var ErrPlainText = errors.New("credentials travel only over TLS (https), or plain http to loopback")

// IsLoopback reports whether host (a name or an address, without port) is
// this machine: "localhost" or a loopback address.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// RequireTLS checks that a URL that credentials are sent to is https, or
// http to loopback. The error names the URL by scheme and host only: its
// path and query may hold a token.
func RequireTLS(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("not an absolute URL")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
	}
	return fmt.Errorf("%s://%s: %w", u.Scheme, u.Host, ErrPlainText)
}
