package security

import (
	"encoding/hex"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

// HostPolicy is what the state declares about a host's exposure.
type HostPolicy struct {
	// AllowedPorts are the TCP ports that may listen on a non-loopback
	// address; nil when the state declares no allow-list.
	AllowedPorts []int
	// SkipSSHD turns the sshd audit off.
	SkipSSHD bool
}

// AuditHost judges the facts a NAS reported: its sshd (AuditSSHD), its
// listening ports against policy, and its pending updates (counted in
// the report's Updates under src, nil when unknown). src is the
// findings' source ("security:nas/office").
func AuditHost(src string, facts providers.HostFacts, policy HostPolicy) Report {
	var r Report
	if !policy.SkipSSHD {
		r.Add(AuditSSHD(src, facts))
	}
	r.Add(auditPorts(src, facts, policy.AllowedPorts))
	r.Add(auditUpdates(src, facts))
	return r
}

// Listener is one listening TCP socket.
type Listener struct {
	Addr netip.Addr
	Port int
}

// ParseListeners reads the listening TCP sockets from ss -ltn's output,
// or, when there is none, from /proc/net/tcp and tcp6. ok is false when
// neither was reported.
func ParseListeners(facts providers.HostFacts) (ls []Listener, ok bool) {
	if strings.TrimSpace(facts.Listening) != "" {
		for line := range strings.SplitSeq(facts.Listening, "\n") {
			f := strings.Fields(line)
			if len(f) < 4 || f[0] == "State" || f[0] == "Netid" {
				continue
			}
			local := f[3]
			if f[0] == "tcp" && len(f) >= 5 { // ss -ltna with a Netid column
				local = f[4]
			}
			i := strings.LastIndexByte(local, ':')
			if i < 0 {
				continue
			}
			port, err := strconv.Atoi(local[i+1:])
			if err != nil {
				continue
			}
			host := strings.Trim(local[:i], "[]")
			if j := strings.IndexByte(host, '%'); j >= 0 {
				host = host[:j] // 127.0.0.53%lo
			}
			a, err := netip.ParseAddr(host)
			if err != nil { // "*", "0.0.0.0" parse; "*" is every address
				a = netip.IPv6Unspecified()
			}
			ls = append(ls, Listener{Addr: a, Port: port})
		}
		return ls, true
	}
	if len(facts.ProcNetTCP) == 0 {
		return nil, false
	}
	for _, fam := range slices.Sorted(maps.Keys(facts.ProcNetTCP)) {
		for line := range strings.SplitSeq(facts.ProcNetTCP[fam], "\n") {
			f := strings.Fields(line)
			if len(f) < 4 || f[3] != "0A" { // 0A is TCP_LISTEN
				continue
			}
			if l, ok := procListener(f[1]); ok {
				ls = append(ls, l)
			}
		}
	}
	return ls, true
}

// procListener reads /proc/net/tcp's "0100007F:0016" (the address in the
// kernel's byte order, 32-bit words).
func procListener(s string) (Listener, bool) {
	h, p, ok := strings.Cut(s, ":")
	port, err := strconv.ParseUint(p, 16, 16)
	if !ok || err != nil {
		return Listener{}, false
	}
	b, err := hex.DecodeString(h)
	if err != nil || (len(b) != 4 && len(b) != 16) {
		return Listener{}, false
	}
	for i := 0; i < len(b); i += 4 {
		b[i], b[i+1], b[i+2], b[i+3] = b[i+3], b[i+2], b[i+1], b[i]
	}
	a, _ := netip.AddrFromSlice(b)
	return Listener{Addr: a.Unmap(), Port: int(port)}, true
}

// exposedPorts are the distinct ports listening on a non-loopback address.
func exposedPorts(ls []Listener) []int {
	var out []int
	for _, l := range ls {
		if !l.Addr.IsLoopback() {
			out = append(out, l.Port)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func auditPorts(src string, facts providers.HostFacts, allowed []int) Report {
	ls, ok := ParseListeners(facts)
	if !ok {
		return Report{Findings: []finding.Finding{finding.New(finding.Low, src, "ports-unknown",
			"the listening ports could not be read (neither ss nor /proc/net/tcp)")}}
	}
	ports := exposedPorts(ls)
	if allowed == nil {
		if len(ports) == 0 {
			return Report{}
		}
		f := finding.New(finding.Low, src, "ports-undeclared",
			fmt.Sprintf("declare the ports allowed to listen (listening_ports): listening now on %s", joinInts(ports)))
		return Report{Findings: []finding.Finding{f}}
	}
	var r Report
	for _, p := range ports {
		if !slices.Contains(allowed, p) {
			r.Findings = append(r.Findings, finding.New(finding.Medium, src, "port:"+strconv.Itoa(p),
				fmt.Sprintf("TCP port %d listens but is not in listening_ports: close it or declare it", p)))
		}
	}
	return r
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// Updates counts pending updates by origin.
type Updates struct {
	Security, Other int
	// SecurityPackages are the security updates' package names.
	SecurityPackages []string
}

// ParseUpdates counts the lines of apt list --upgradable
// ("libssl3/stable-security 3.0.15 amd64 [upgradable from: 3.0.11]") and
// apt-get -s upgrade's "Inst" lines; an update is a security one when its
// suite ends in "-security" (or its origin is Debian-Security).
func ParseUpdates(out string) Updates {
	var u Updates
	for line := range strings.SplitSeq(out, "\n") {
		f := strings.Fields(line)
		var name, where string
		switch {
		case len(f) >= 2 && f[0] == "Inst":
			name, where = f[1], line
		case len(f) >= 2 && strings.Contains(f[0], "/") && strings.Contains(line, "upgradable from"):
			name, where, _ = strings.Cut(f[0], "/")
		default:
			continue
		}
		if l := strings.ToLower(where); strings.Contains(l, "-security") || strings.Contains(l, "debian-security") {
			u.Security++
			u.SecurityPackages = append(u.SecurityPackages, name)
		} else {
			u.Other++
		}
	}
	return u
}

func auditUpdates(src string, facts providers.HostFacts) Report {
	unknown := map[string]*Updates{src: nil}
	switch {
	case facts.UpdatesErr != "":
		f := finding.New(finding.Low, src, "updates-unknown", "pending updates are unknown: the package manager failed")
		f.Detail = facts.UpdatesErr
		return Report{Findings: []finding.Finding{f}, Updates: unknown}
	case facts.UpdatesTool == "":
		return Report{Findings: []finding.Finding{finding.New(finding.Low, src, "updates-unknown",
			"pending updates are unknown (no apt on this NAS): check the vendor's update page (DSM: Control Panel › Update & Restore)")},
			Updates: unknown}
	}
	u := ParseUpdates(facts.Updates)
	r := Report{Updates: map[string]*Updates{src: &u}}
	if u.Security > 0 {
		f := finding.New(finding.Medium, src, "security-updates", fmt.Sprintf("%d security update(s) pending: install them", u.Security))
		f.Detail = strings.Join(u.SecurityPackages, " ")
		r.Findings = append(r.Findings, f)
	}
	if u.Other > 0 {
		r.Findings = append(r.Findings, finding.New(finding.Low, src, "updates", fmt.Sprintf("%d other update(s) pending", u.Other)))
	}
	return r
}
