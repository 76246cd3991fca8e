package monitor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MaxBody is how much of an HTTP body "body contains" sees.
const MaxBody = 1 << 20

// MaxRedirects is how many redirects an http probe follows.
const MaxRedirects = 5

// roots verifies certificates; nil means the system's. Tests set it.
var roots *x509.CertPool

// Probe runs m once and evaluates its conditions. The result is OK when
// the probe raised no error and every condition passed.
func Probe(ctx context.Context, m Monitor) Result {
	m = m.withDefaults()
	r := Result{Monitor: m.Name, At: time.Now().UTC()}
	if err := m.Validate(); err != nil {
		r.Error = err.Error()
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, m.Timeout)
	defer cancel()
	var err error
	switch m.Kind {
	case HTTP:
		err = probeHTTP(ctx, m, &r)
	case TLS:
		err = probeTLS(ctx, m, &r)
	case DNS:
		err = probeDNS(ctx, m, &r)
	case TCP:
		err = probeTCP(ctx, m, &r)
	}
	if err != nil {
		// an error may quote the URL (a redirect's, a parser's): shown
		// and recorded without its credentials
		r.Error = scrubTarget(err.Error(), m.Target)
	}
	for _, c := range m.Conditions {
		if ok, seen := c.Eval(r); !ok {
			r.Failed = append(r.Failed, scrubTarget(fmt.Sprintf("%s (got %s)", c, seen), m.Target))
		}
	}
	r.OK = err == nil && len(r.Failed) == 0
	r.body = nil
	return r
}

func probeHTTP(ctx context.Context, m Monitor, r *Result) error {
	var connected atomic.Bool
	tr := &http.Transport{
		Proxy:               nil,
		TLSClientConfig:     &tls.Config{RootCAs: roots},
		DisableKeepAlives:   true,
		TLSHandshakeTimeout: m.Timeout,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err == nil {
				connected.Store(true)
			}
			return c, err
		},
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{
		Transport: tr,
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) > MaxRedirects {
				return fmt.Errorf("stopped after %d redirects", MaxRedirects)
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.Target, nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", DisplayTarget(m.Target), err)
	}
	req.Header.Set("User-Agent", "itlag-monitor")
	start := time.Now()
	resp, err := client.Do(req)
	r.Connected = connected.Load()
	if err != nil {
		r.Duration = time.Since(start)
		return unwrapURL(err)
	}
	defer resp.Body.Close()
	r.Status = resp.StatusCode
	r.Value = strconv.Itoa(resp.StatusCode)
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		r.CertExpiry = time.Until(resp.TLS.PeerCertificates[0].NotAfter)
	}
	r.body, err = io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	r.Duration = time.Since(start)
	if err != nil {
		return fmt.Errorf("read body: %w", err)
	}
	return nil
}

// unwrapURL drops url.Error's `Get "URL":` prefix: the monitor names it.
func unwrapURL(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) && strings.HasPrefix(err.Error(), "Get ") {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// probeTLS handshakes without letting verification abort it, so that an
// expired or untrusted certificate still shows its expiry; verification
// then runs by hand and its failure is the probe's error.
func probeTLS(ctx context.Context, m Monitor, r *Result) error {
	host, _, _ := net.SplitHostPort(m.Target)
	start := time.Now()
	d := &tls.Dialer{Config: &tls.Config{ServerName: host, InsecureSkipVerify: true}}
	c, err := d.DialContext(ctx, "tcp", m.Target)
	r.Duration = time.Since(start)
	if err != nil {
		return err
	}
	defer c.Close()
	r.Connected = true
	state := c.(*tls.Conn).ConnectionState()
	if len(state.PeerCertificates) == 0 {
		return errors.New("no certificate")
	}
	leaf := state.PeerCertificates[0]
	r.CertExpiry = time.Until(leaf.NotAfter)
	r.Value = days(r.CertExpiry)
	inter := x509.NewCertPool()
	for _, cert := range state.PeerCertificates[1:] {
		inter.AddCert(cert)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter}); err != nil {
		return fmt.Errorf("certificate: %w", err)
	}
	return nil
}

func probeDNS(ctx context.Context, m Monitor, r *Result) error {
	r.expected = m.Expect
	res := net.DefaultResolver
	if m.Resolver != "" {
		res = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, m.Resolver)
		}}
	}
	name := m.Target
	if !strings.HasSuffix(name, ".") {
		name += "." // absolute: no search domains
	}
	start := time.Now()
	addrs, err := res.LookupNetIP(ctx, "ip", name)
	r.Duration = time.Since(start)
	for _, a := range addrs {
		r.Answers = append(r.Answers, a.Unmap().String())
	}
	slices.Sort(r.Answers)
	r.Answers = slices.Compact(r.Answers)
	r.Value = strings.Join(r.Answers, ",")
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) && de.IsNotFound {
			return fmt.Errorf("%s: no such name", m.Target)
		}
		return err
	}
	return nil
}

func probeTCP(ctx context.Context, m Monitor, r *Result) error {
	start := time.Now()
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", m.Target)
	r.Duration = time.Since(start)
	if err != nil {
		return err
	}
	c.Close()
	r.Connected = true
	r.Value = "connected"
	return nil
}

// Check probes every monitor, at most concurrency at a time (default 16),
// and returns the results in the monitors' order.
func Check(ctx context.Context, monitors []Monitor, concurrency int) []Result {
	if concurrency <= 0 {
		concurrency = 16
	}
	out := make([]Result, len(monitors))
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for i, m := range monitors {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			out[i] = Probe(ctx, m)
		})
	}
	wg.Wait()
	return out
}
