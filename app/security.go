package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/monitor"
	"github.com/lagrieta/itlag/ops/security"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// securityDeadline bounds all the security checks of one observation.
const securityDeadline = 90 * time.Second

// sandboxStandIn is contacted instead of the office's public address
// under --sandbox, where nothing leaves loopback.
const sandboxStandIn = "127.0.0.1"

// securityChecks runs the vulnerability and exposure checks (package
// ops/security) at once: the TLS of every https and tls monitor, each
// NAS's sshd, listening ports and pending updates (through the NAS
// provider's HostInspector extra), and, when the state declares exposure,
// the office's public address (obs's NoIP hosts). Under --sandbox only
// loopback addresses are contacted (rt.Network): the TLS audits reach the
// sandbox's website fake, the exposure check targets 127.0.0.1 in the
// office's stead.
func (rt *Runtime) securityChecks(ctx context.Context, obs reconcile.Observed, monitors []monitor.Monitor) security.Report {
	ctx, cancel := context.WithTimeout(ctx, securityDeadline)
	defer cancel()
	var opts security.Options
	nw, err := rt.Network(ctx)
	if err != nil {
		return security.Report{Notes: []string{fmt.Sprintf("security: network checks not run: %v", err)}}
	}
	opts.Net = nw
	var mu sync.Mutex
	var out security.Report
	add := func(r security.Report) {
		mu.Lock()
		out.Add(r)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for _, t := range tlsTargets(rt, monitors) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			add(security.AuditTLS(ctx, t, security.TLSOptions{Options: opts}))
		}()
	}
	wg.Add(2)
	go func() { defer wg.Done(); add(rt.hostChecks(ctx)) }()
	go func() { defer wg.Done(); add(rt.exposureCheck(ctx, obs, opts)) }()
	wg.Wait()
	slices.Sort(out.Notes)
	return out
}

// tlsTargets are the https and tls monitors whose tls_audit is on.
func tlsTargets(rt *Runtime, monitors []monitor.Monitor) []security.TLSTarget {
	var out []security.TLSTarget
	for _, m := range monitors {
		if sm, ok := rt.State.Monitors[m.Name]; !ok || !sm.TLSAudit {
			continue
		}
		t := security.TLSTarget{Name: m.Name}
		switch m.Kind {
		case monitor.TLS:
			t.Addr = m.Target
		case monitor.HTTP:
			u, err := url.Parse(m.Target)
			if err != nil || u.Scheme != "https" || u.Hostname() == "" {
				continue
			}
			port := u.Port()
			if port == "" {
				port = "443"
			}
			t.Addr, t.URL = net.JoinHostPort(u.Hostname(), port), m.Target
		default:
			continue
		}
		conds := m.Conditions
		if len(conds) == 0 {
			conds = monitor.DefaultConditions(m.Kind, len(m.Expect) > 0)
		}
		t.ExpiryWatched = slices.ContainsFunc(conds, func(c monitor.Condition) bool { return c.Field == "cert_expiry" })
		out = append(out, t)
	}
	return out
}

// nasSecuritySource is the source of the security findings of the NAS
// named name ("security:nas/office").
func nasSecuritySource(name string) string { return "security:nas/" + name }

// hostChecks reads each NAS's security facts and judges them, counting
// the pending updates (Report.Updates, by source). A NAS that cannot be
// reached is left to the plan's own finding (a note here, no count);
// facts that cannot be read otherwise are a low finding (updates unknown).
func (rt *Runtime) hostChecks(ctx context.Context) security.Report {
	var out security.Report
	if len(rt.State.NAS) == 0 {
		return out
	}
	provs, err := rt.Providers(ctx)
	if err != nil {
		out.Notes = append(out.Notes, fmt.Sprintf("nas: security facts not read: %v", err))
		return out
	}
	hi, ok := provs["nas"].(providers.HostInspector)
	if !ok {
		return out
	}
	for _, name := range slices.Sorted(maps.Keys(rt.State.NAS)) {
		n := rt.State.NAS[name]
		src := nasSecuritySource(name)
		facts, err := hi.InspectHost(ctx, name)
		switch {
		case errors.Is(err, providers.ErrUnreachable) || errors.Is(err, providers.ErrHostKeyMismatch) ||
			errors.Is(err, providers.ErrHostKeyPending):
			out.Notes = append(out.Notes, fmt.Sprintf("nas %s: security facts not read: %v", name, err))
			continue
		case err != nil:
			f := finding.New(finding.Low, src, "facts-unreadable", "the security facts of NAS "+name+" could not be read")
			f.Detail = err.Error()
			out.Add(security.Report{Findings: []finding.Finding{f}, Updates: map[string]*security.Updates{src: nil}})
			continue
		}
		out.Add(security.AuditHost(src, facts, security.HostPolicy{AllowedPorts: n.ListeningPorts, SkipSSHD: !n.SSHDAudit}))
	}
	return out
}

// exposureCheck tries the declared closed ports on the office's public
// address: the one the NoIP hosts following it agree on.
func (rt *Runtime) exposureCheck(ctx context.Context, obs reconcile.Observed, opts security.Options) security.Report {
	ex := rt.State.Exposure
	if ex == nil {
		return security.Report{}
	}
	addr := publicAddress(obs)
	if addr == "" {
		f := finding.New(finding.Low, security.ExposureSource, "address-unknown",
			"exposure check pending: the office's public address is unknown (declare a ddns host that follows it, and make its IP sources agree)")
		return security.Report{Findings: []finding.Finding{f}}
	}
	if d, err := parseInterval(ex.Timeout); err == nil {
		opts.Timeout = d
	}
	c := security.ExposureCheck{Address: addr, Ports: ex.ClosedPorts}
	if rt.Sandboxed() {
		c.StandIn = sandboxStandIn
	}
	return security.CheckExposure(ctx, c, opts)
}

// publicAddress is the IPv4 (else IPv6) address the NoIP hosts that
// follow the public address want, "" when none does.
func publicAddress(obs reconcile.Observed) string {
	ro, ok := obs.Resources[reconcile.ResourceSet{Provider: "noip", Target: reconcile.NoIPTarget}.Key()]
	if !ok {
		return ""
	}
	for _, st := range ro.States {
		if st.Want != nil && *st.Want != "" {
			first, _, _ := strings.Cut(*st.Want, ",")
			return first
		}
	}
	return ""
}
