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

	"github.com/lagrieta/itlag/providers/transport"
)

// MaxBody is how much of an HTTP body "body contains" sees.
const MaxBody = 1 << 20

// MaxRedirects is how many redirects an http probe follows.
const MaxRedirects = 5

// Probe runs m once over n (the zero Network is the real one: a
// net.Dialer, the system's resolver and roots) and evaluates its
// conditions. The result is OK when the probe raised no error and every
// condition passed.
func Probe(ctx context.Context, n transport.Network, m Monitor) Result {
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
		err = probeHTTP(ctx, n, m, &r)
	case TLS:
		err = probeTLS(ctx, n, m, &r)
	case DNS:
		err = probeDNS(ctx, n, m, &r)
	case TCP:
		err = probeTCP(ctx, n, m, &r)
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

func probeHTTP(ctx context.Context, n transport.Network, m Monitor, r *Result) error {
	var connected atomic.Bool
	tr := &http.Transport{
		Proxy:               nil,
		TLSClientConfig:     &tls.Config{RootCAs: n.RootCAs},
		DisableKeepAlives:   true,
		TLSHandshakeTimeout: m.Timeout,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := n.DialContext(ctx, network, addr)
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
func probeTLS(ctx context.Context, n transport.Network, m Monitor, r *Result) error {
	host, _, _ := net.SplitHostPort(m.Target)
	start := time.Now()
	raw, err := n.DialContext(ctx, "tcp", m.Target)
	if err != nil {
		r.Duration = time.Since(start)
		return err
	}
	defer raw.Close()
	c := tls.Client(raw, &tls.Config{ServerName: host, InsecureSkipVerify: true})
	err = c.HandshakeContext(ctx)
	r.Duration = time.Since(start)
	if err != nil {
		return err
	}
	r.Connected = true
	state := c.ConnectionState()
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
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: n.RootCAs, Intermediates: inter}); err != nil {
		return fmt.Errorf("certificate: %w", err)
	}
	return nil
}

func probeDNS(ctx context.Context, n transport.Network, m Monitor, r *Result) error {
	r.expected = m.Expect
	name := m.Target
	if !strings.HasSuffix(name, ".") {
		name += "." // absolute: no search domains
	}
	start := time.Now()
	addrs, err := n.LookupIP(ctx, m.Resolver, name)
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

func probeTCP(ctx context.Context, n transport.Network, m Monitor, r *Result) error {
	start := time.Now()
	c, err := n.DialContext(ctx, "tcp", m.Target)
	r.Duration = time.Since(start)
	if err != nil {
		return err
	}
	c.Close()
	r.Connected = true
	r.Value = "connected"
	return nil
}

// Check probes every monitor over n, at most concurrency at a time
// (default 16), and returns the results in the monitors' order.
func Check(ctx context.Context, n transport.Network, monitors []Monitor, concurrency int) []Result {
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
			out[i] = Probe(ctx, n, m)
		})
	}
	wg.Wait()
	return out
}
