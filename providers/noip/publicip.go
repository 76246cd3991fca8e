package noip

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"

	"github.com/lagrieta/itlag/finding"
)

// public is the outcome of asking the IP sources.
type public struct {
	addr address // what they agree on (valid families only when agreed)
	fam  family  // the families asked
	// held, when set, says why hosts that follow the public address may
	// not be updated: the sources disagree.
	held     string
	findings []finding.Finding
	agree    bool
}

// answer is one IP source's answer.
type answer struct {
	url string
	ip  netip.Addr
	err error
}

// lookupPublic asks every IPv4 source (and IPv6 source, when configured)
// at once. Sources that fail are low findings; sources that disagree are a
// high finding and hold every host that follows the public address. When
// every source of a family fails, it is an error.
func (p *Provider) lookupPublic(ctx context.Context, target string) (public, error) {
	v4 := append(slices.Clone(p.v4src), slices.Sorted(maps.Keys(p.cmdsrc))...)
	if len(v4) == 0 {
		return public{}, errors.New("a host follows the public address but no IP sources are configured")
	}
	pub := public{fam: family{v4: true, v6: len(p.v6src) > 0}, agree: true}
	fams := []struct {
		name    string
		sources []string
		set     func(netip.Addr)
	}{
		{"IPv4", v4, func(a netip.Addr) { pub.addr.v4 = a }},
		{"IPv6", p.v6src, func(a netip.Addr) { pub.addr.v6 = a }},
	}
	for _, f := range fams {
		if len(f.sources) == 0 {
			continue
		}
		answers := p.ask(ctx, f.sources, f.name == "IPv6")
		var ok []answer
		var failed []string
		for _, a := range answers {
			if a.err != nil {
				failed = append(failed, fmt.Sprintf("%s: %v", a.url, a.err))
				pub.findings = append(pub.findings, finding.New(finding.Low, source(target), "ip-source/"+a.url,
					fmt.Sprintf("%s source %s failed: %v", f.name, a.url, a.err)))
				continue
			}
			ok = append(ok, a)
		}
		if len(ok) == 0 {
			return public{}, fmt.Errorf("every %s source failed: %s", f.name, strings.Join(failed, "; "))
		}
		if !agreed(ok) {
			var says []string
			for _, a := range ok {
				says = append(says, fmt.Sprintf("%s says %s", a.url, a.ip))
			}
			msg := fmt.Sprintf("%s sources disagree: %s", f.name, strings.Join(says, ", "))
			pub.findings = append(pub.findings, finding.New(finding.High, source(target), "ip-sources-disagree/"+f.name, msg))
			pub.held = msg + "; no update until they agree"
			pub.agree = false
			continue
		}
		f.set(ok[0].ip)
	}
	if !pub.agree {
		pub.addr = address{}
	}
	return pub, nil
}

func agreed(as []answer) bool {
	for _, a := range as[1:] {
		if a.ip != as[0].ip {
			return false
		}
	}
	return true
}

// ask GETs every source at once and parses each answer as an address of
// the family asked.
func (p *Provider) ask(ctx context.Context, urls []string, v6 bool) []answer {
	out := make([]answer, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() {
			var ip netip.Addr
			var err error
			if cmd, ok := p.cmdsrc[u]; ok && !v6 {
				ip, err = commandOnce(ctx, cmd)
			} else {
				ip, err = p.echoOnce(ctx, u, v6)
			}
			out[i] = answer{url: u, ip: ip, err: err}
		})
	}
	wg.Wait()
	return out
}

// echoOnce asks one source. The answer must be a public unicast address
// of the family asked: a private or loopback one means the source sees
// the wrong side of a proxy.
func (p *Provider) echoOnce(ctx context.Context, u string, v6 bool) (netip.Addr, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return netip.Addr{}, err
	}
	req.Header.Set("User-Agent", p.agent)
	req.Header.Set("Accept", "text/plain")
	resp, err := p.echo.Do(req)
	if err != nil {
		return netip.Addr{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 256))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		return netip.Addr{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	text := strings.TrimSpace(string(body))
	ip, err := netip.ParseAddr(text)
	if err != nil || ip.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("answer %q is not an IP address", shorten(text, 40))
	}
	return checkPublic(ip, v6)
}

// commandOnce runs one command source and takes the first address in its
// output: a bare address ("203.0.113.7"), or the first "inet ADDR[/len]"
// of ip/ifconfig output (the "addr:" of old ifconfig too).
func commandOnce(ctx context.Context, cmd func(ctx context.Context) (string, error)) (netip.Addr, error) {
	out, err := cmd(ctx)
	if err != nil {
		return netip.Addr{}, err
	}
	ip, ok := firstAddress(out)
	if !ok {
		return netip.Addr{}, fmt.Errorf("output %q holds no IPv4 address", shorten(out, 60))
	}
	return checkPublic(ip, false)
}

// firstAddress finds the address in a command's output: the whole
// output when it is one address, else the word after the first "inet"
// (ip: "inet 203.0.113.7/32", ifconfig: "inet 203.0.113.7" or
// "inet addr:203.0.113.7").
func firstAddress(out string) (netip.Addr, bool) {
	fields := strings.Fields(out)
	cand := ""
	switch {
	case len(fields) == 1:
		cand = fields[0]
	default:
		if i := slices.Index(fields, "inet"); i >= 0 && i+1 < len(fields) {
			cand = strings.TrimPrefix(fields[i+1], "addr:")
		}
	}
	if pfx, err := netip.ParsePrefix(cand); err == nil {
		return pfx.Addr(), true
	}
	ip, err := netip.ParseAddr(cand)
	return ip, err == nil
}

// checkPublic accepts only a public unicast address of the family asked.
func checkPublic(ip netip.Addr, v6 bool) (netip.Addr, error) {
	ip = ip.Unmap()
	switch {
	case v6 && !ip.Is6():
		return netip.Addr{}, fmt.Errorf("answer %s is not an IPv6 address", ip)
	case !v6 && !ip.Is4():
		return netip.Addr{}, fmt.Errorf("answer %s is not an IPv4 address", ip)
	case !ip.IsGlobalUnicast() || ip.IsPrivate():
		return netip.Addr{}, fmt.Errorf("answer %s is not a public address", ip)
	}
	return ip, nil
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
