package security

import (
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers/transport"
)

// TLSTarget is one https or tls monitor's endpoint.
type TLSTarget struct {
	// Name is the monitor's name; findings' source is "security:tls/NAME".
	Name string
	// Addr is host:port to connect to.
	Addr string
	// URL is the https URL, for the HSTS header; "" for a bare TLS
	// endpoint (no HTTP request is made).
	URL string
	// ExpiryWatched: a monitor condition already watches the
	// certificate's expiry, so this check does not report it again.
	ExpiryWatched bool
}

// TLSOptions tune AuditTLS.
type TLSOptions struct {
	Options
	// Roots verify the chain; nil is the system's roots.
	Roots *x509.CertPool
	// Now is the time certificates are checked at; zero is time.Now.
	Now time.Time
}

// The TLS expiry thresholds: the tls monitor's default condition is
// "cert_expiry > 14d".
const (
	ExpiryMediumDays = 14
	ExpiryHighDays   = 7
	// MinRSABits is the smallest RSA key accepted.
	MinRSABits = 2048
)

// legacyVersions are the protocol versions that must be refused.
var legacyVersions = []struct {
	v    uint16
	name string
}{{tls.VersionTLS10, "TLS 1.0"}, {tls.VersionTLS11, "TLS 1.1"}}

// AuditTLS connects to t a few times (each bounded by the timeout): one
// normal handshake whose chain and host name are verified, then one per
// legacy version offering only that version (with every cipher suite Go
// knows, insecure ones included, so that a refusal is the version's), and
// for an https URL one GET (redirects not followed) for the HSTS header.
func AuditTLS(ctx context.Context, t TLSTarget, o TLSOptions) Report {
	src := "security:tls/" + t.Name
	host := hostOf(t.Addr)
	var r Report
	// Any version and suite, so that an old server is still audited; the
	// chain is verified by hand below.
	leaf, chain, err := handshake(ctx, o.Net, t.Addr, &tls.Config{ServerName: host, InsecureSkipVerify: true,
		MinVersion: tls.VersionTLS10, CipherSuites: allSuites()}, o.timeout())
	if err != nil {
		f := finding.New(finding.Low, src, "unreachable", fmt.Sprintf("TLS of %s could not be audited", t.Addr))
		f.Detail = err.Error()
		r.Findings = append(r.Findings, f)
		return r
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	roots := o.Roots
	if roots == nil {
		roots = o.Net.RootCAs
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: now}); err != nil {
		f := finding.New(finding.High, src, "certificate-invalid", fmt.Sprintf("the certificate of %s is not valid for %s", t.Addr, host))
		f.Detail = err.Error()
		r.Findings = append(r.Findings, f)
	}
	if !t.ExpiryWatched {
		if f := expiryFinding(src, t.Addr, leaf.NotAfter, now); f != nil {
			r.Findings = append(r.Findings, *f)
		}
	}
	if f := keyFinding(src, t.Addr, leaf); f != nil {
		r.Findings = append(r.Findings, *f)
	}
	var legacy []string
	for _, lv := range legacyVersions {
		cfg := &tls.Config{ServerName: host, InsecureSkipVerify: true, MinVersion: lv.v, MaxVersion: lv.v,
			CipherSuites: allSuites()}
		if _, _, err := handshake(ctx, o.Net, t.Addr, cfg, o.timeout()); err == nil {
			legacy = append(legacy, lv.name)
		}
	}
	if len(legacy) > 0 {
		f := finding.New(finding.Medium, src, "legacy-versions",
			fmt.Sprintf("%s accepts %s: allow TLS 1.2 and 1.3 only", t.Addr, strings.Join(legacy, " and ")))
		r.Findings = append(r.Findings, f)
	}
	if t.URL != "" {
		if f := hstsFinding(ctx, o.Net, src, t.URL, o.timeout()); f != nil {
			r.Findings = append(r.Findings, *f)
		}
	}
	return r
}

// handshake dials addr over n with cfg and returns the leaf and the chain
// sent.
func handshake(ctx context.Context, n transport.Network, addr string, cfg *tls.Config, timeout time.Duration) (*x509.Certificate, []*x509.Certificate, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	raw, err := n.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	defer raw.Close()
	c := tls.Client(raw, cfg)
	if err := c.HandshakeContext(ctx); err != nil {
		return nil, nil, err
	}
	st := c.ConnectionState()
	if len(st.PeerCertificates) == 0 {
		return nil, nil, errors.New("no certificate")
	}
	return st.PeerCertificates[0], st.PeerCertificates, nil
}

// allSuites is every cipher suite Go implements, insecure ones included.
func allSuites() []uint16 {
	var ids []uint16
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		ids = append(ids, s.ID)
	}
	return ids
}

func expiryFinding(src, addr string, notAfter, now time.Time) *finding.Finding {
	days := int(notAfter.Sub(now).Hours() / 24)
	var sev finding.Severity
	switch {
	case days < ExpiryHighDays:
		sev = finding.High
	case days < ExpiryMediumDays:
		sev = finding.Medium
	default:
		return nil
	}
	f := finding.New(sev, src, "certificate-expiry", fmt.Sprintf("the certificate of %s expires in %d day(s), on %s", addr, days, notAfter.UTC().Format(time.DateOnly)))
	return &f
}

func keyFinding(src, addr string, leaf *x509.Certificate) *finding.Finding {
	switch k := leaf.PublicKey.(type) {
	case *rsa.PublicKey:
		if bits := k.N.BitLen(); bits < MinRSABits {
			f := finding.New(finding.Medium, src, "weak-key", fmt.Sprintf("the certificate of %s has a %d-bit RSA key: use %d bits or more (or ECDSA)", addr, bits, MinRSABits))
			return &f
		}
	case *ecdsa.PublicKey:
		if bits := k.Curve.Params().BitSize; bits < 256 {
			f := finding.New(finding.Medium, src, "weak-key", fmt.Sprintf("the certificate of %s has a %d-bit ECDSA key", addr, bits))
			return &f
		}
	}
	return nil
}

// hstsFinding GETs url once (no redirect followed) and reports a missing
// or zero-max-age Strict-Transport-Security header.
func hstsFinding(ctx context.Context, n transport.Network, src, url string, timeout time.Duration) *finding.Finding {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true,
			MinVersion: tls.VersionTLS10, CipherSuites: allSuites()}, Proxy: nil, DialContext: n.DialContext},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	defer client.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil
	}
	req.Header.Set("User-Agent", "itlag-security")
	resp, err := client.Do(req)
	if err != nil {
		return nil // the handshakes answered: the monitor reports an HTTP failure
	}
	resp.Body.Close()
	if hstsMaxAge(resp.Header.Get("Strict-Transport-Security")) > 0 {
		return nil
	}
	f := finding.New(finding.Low, src, "hsts-missing", fmt.Sprintf("%s sends no Strict-Transport-Security header: add \"max-age=31536000; includeSubDomains\"", url))
	return &f
}

// hstsMaxAge is the header's max-age in seconds (0 when absent).
func hstsMaxAge(h string) int {
	for part := range strings.SplitSeq(h, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "max-age") {
			continue
		}
		n := 0
		for _, c := range strings.Trim(strings.TrimSpace(v), `"`) {
			if c < '0' || c > '9' {
				return 0
			}
			n = n*10 + int(c-'0')
			if n > 1<<30 {
				return n
			}
		}
		return n
	}
	return 0
}
