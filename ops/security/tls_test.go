//go:debug tls10server=1

package security

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/providers/transport"
)

// testCert is a self-signed certificate for names, valid for days from
// now, and the pool that trusts it.
func testCert(t *testing.T, rsaBits int, days int, names ...string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	var key crypto.Signer
	var err error
	if rsaBits > 0 {
		key, err = rsa.GenerateKey(rand.Reader, rsaBits)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "itlag test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Duration(days) * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// tlsServer serves https on 127.0.0.1 with cert and versions min..max,
// sending hsts when not "".
func tlsServer(t *testing.T, cert tls.Certificate, minV, maxV uint16, hsts string) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if hsts != "" {
			w.Header().Set("Strict-Transport-Security", hsts)
		}
		w.Write([]byte("ok"))
	}))
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: minV, MaxVersion: maxV}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func keys(r Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, string(f.Severity)+" "+f.Summary)
	}
	slices.Sort(out)
	return out
}

func TestAuditTLS(t *testing.T) {
	good, goodRoots := testCert(t, 0, 90, "127.0.0.1")
	old, oldRoots := testCert(t, 1024, 5, "www.example.com")
	tests := []struct {
		name          string
		cert          tls.Certificate
		roots         *x509.CertPool
		minV, maxV    uint16
		hsts          string
		expiryWatched bool
		want          []string // substrings of the findings, sorted as keys sorts them
	}{
		{name: "TLS 1.3 with HSTS and a valid chain", cert: good, roots: goodRoots, minV: tls.VersionTLS12, maxV: tls.VersionTLS13,
			hsts: "max-age=31536000; includeSubDomains"},
		{name: "TLS 1.0 only, small key, wrong name, expiring, no HSTS", cert: old, roots: oldRoots, minV: tls.VersionTLS10, maxV: tls.VersionTLS10,
			want: []string{
				"high the certificate of ADDR expires in 4 day(s)",
				"high the certificate of ADDR is not valid for 127.0.0.1",
				"low https://ADDR/ sends no Strict-Transport-Security header",
				"medium ADDR accepts TLS 1.0: allow TLS 1.2 and 1.3 only",
				"medium the certificate of ADDR has a 1024-bit RSA key",
			}},
		{name: "TLS 1.0 and 1.1 accepted beside 1.3, expiry left to the monitor", cert: good, roots: goodRoots, minV: tls.VersionTLS10, maxV: tls.VersionTLS13,
			hsts: "max-age=0", expiryWatched: true,
			want: []string{
				"low https://ADDR/ sends no Strict-Transport-Security header",
				"medium ADDR accepts TLS 1.0 and TLS 1.1",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tlsServer(t, tt.cert, tt.minV, tt.maxV, tt.hsts)
			addr := strings.TrimPrefix(s.URL, "https://")
			r := AuditTLS(context.Background(), TLSTarget{Name: "www", Addr: addr, URL: s.URL + "/", ExpiryWatched: tt.expiryWatched},
				TLSOptions{Roots: tt.roots})
			got := keys(r)
			if len(got) != len(tt.want) {
				t.Fatalf("findings:\n%s\nwant %d like:\n%s", strings.Join(got, "\n"), len(tt.want), strings.Join(tt.want, "\n"))
			}
			for i, w := range tt.want {
				if w = strings.ReplaceAll(w, "ADDR", addr); !strings.HasPrefix(got[i], w) {
					t.Errorf("finding %d = %q, want prefix %q", i, got[i], w)
				}
			}
			for _, f := range r.Findings {
				if f.Source != "security:tls/www" {
					t.Errorf("source %q", f.Source)
				}
			}
		})
	}
}

// TestAuditTLSThroughTheNetwork: the audit dials through Options.Net; the
// sandbox's loopback-only network refuses a real host before dialling.
func TestAuditTLSThroughTheNetwork(t *testing.T) {
	r := AuditTLS(context.Background(), TLSTarget{Name: "www", Addr: "lagrieta.es:443", URL: "https://lagrieta.es/"},
		TLSOptions{Options: Options{Net: transport.Network{Dial: transport.LoopbackOnly(nil)}}})
	if got := keys(r); len(got) != 1 || !strings.HasPrefix(got[0], "low TLS of lagrieta.es:443 could not be audited") ||
		!strings.Contains(r.Findings[0].Detail, "only loopback") {
		t.Fatalf("report %+v, want the refusal as the one finding", r)
	}
}

func TestAuditTLSUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := AuditTLS(context.Background(), TLSTarget{Name: "www", Addr: addr}, TLSOptions{})
	if got := keys(r); len(got) != 1 || !strings.HasPrefix(got[0], "low TLS of "+addr+" could not be audited") {
		t.Fatalf("findings %q", got)
	}
}

func TestHSTSMaxAge(t *testing.T) {
	for h, want := range map[string]int{"": 0, "max-age=31536000; includeSubDomains": 31536000, `MAX-AGE="600"`: 600,
		"includeSubDomains; max-age=10": 10, "max-age=abc": 0, "max-age=0": 0} {
		if got := hstsMaxAge(h); got != want {
			t.Errorf("hstsMaxAge(%q) = %d, want %d", h, got, want)
		}
	}
}
