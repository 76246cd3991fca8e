package noip

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
)

// maxLookups bounds the DNS look-ups in flight at once.
const maxLookups = 8

// host is one desired host while observing.
type host struct {
	name   string
	fixed  address // the desired address; invalid when following the public one
	public bool
}

// ObserveResources reports each desired host (Kind providers.KindDDNSHost,
// Name the hostname, Content "" to follow the public address or a fixed
// "v4", "v6" or "v4,v6"):
//
//   - Live is the address itlag last sent, if NoIP accepted it within
//     Propagation, else what DNS answers in the families wanted (Missing
//     when it answers none);
//   - Want is the public address, for a host that follows it, when the IP
//     sources agree;
//   - Held is set by an active hold (account-wide or of the host), by IP
//     sources that disagree (hosts following the public address), or by a
//     DNS failure other than "no such host".
//
// It asks the IP sources only when a host follows the public address and
// never sends an update. Every IP source failing is an error.
func (p *Provider) ObserveResources(ctx context.Context, target string, want []providers.Resource) (providers.ResourceObservation, error) {
	hosts := make([]host, len(want))
	needPublic := false
	for i, w := range want {
		h, err := desired(w)
		if err != nil {
			return providers.ResourceObservation{}, fmt.Errorf("noip: %s: %w", target, err)
		}
		hosts[i] = h
		needPublic = needPublic || h.public
	}
	now := p.now()
	holds, err := activeHolds(ctx, p.db, target, now)
	if err != nil {
		return providers.ResourceObservation{}, err
	}
	obs := providers.ResourceObservation{States: make([]providers.ResourceState, len(want)), Metrics: map[string]float64{}}
	var pub public
	if needPublic {
		if pub, err = p.lookupPublic(ctx, target); err != nil {
			return providers.ResourceObservation{}, fmt.Errorf("noip: %s: public address: %w", target, err)
		}
		obs.Findings = append(obs.Findings, pub.findings...)
		obs.Metrics["ddns_public_ip_sources_agree"] = 0
		if pub.agree {
			obs.Metrics["ddns_public_ip_sources_agree"] = 1
		}
	}
	lives, err := p.lives(ctx, target, hosts, pub.fam, now)
	if err != nil {
		return providers.ResourceObservation{}, err
	}

	reported := map[string]bool{}
	report := func(h Hold) {
		if !reported[h.Host] {
			reported[h.Host] = true
			obs.Findings = append(obs.Findings, p.holdFinding(target, h))
		}
	}
	held := 0
	for i, h := range hosts {
		lv := lives[i]
		st := providers.ResourceState{
			Live:    providers.Resource{Kind: providers.KindDDNSHost, Name: want[i].Name, Content: lv.addr},
			Missing: lv.addr == "" && lv.err == nil,
		}
		if h.public && pub.agree {
			w := pub.addr.String()
			st.Want = &w
		}
		switch ah, hh := holds[""], holds[h.name]; {
		case ah.Code != "":
			report(ah)
			_, st.Held = p.explain(ah)
		case hh.Code != "":
			report(hh)
			_, st.Held = p.explain(hh)
		case h.public && !pub.agree:
			st.Held = pub.held
		case lv.err != nil:
			st.Held = fmt.Sprintf("DNS look-up of %s failed: %v; no update until it answers", h.name, lv.err)
			obs.Findings = append(obs.Findings, finding.New(finding.Medium, source(target), "dns/"+h.name, st.Held))
		}
		if st.Held != "" {
			held++
		}
		obs.States[i] = st
	}
	obs.Metrics["ddns_hosts_held"] = float64(held)
	return obs, nil
}

// desired checks one desired resource.
func desired(w providers.Resource) (host, error) {
	if w.Kind != providers.KindDDNSHost {
		return host{}, fmt.Errorf("%s: kind %q: NoIP manages only %q resources", w.Name, w.Kind, providers.KindDDNSHost)
	}
	name, err := normalizeHost(w.Name)
	if err != nil {
		return host{}, err
	}
	h := host{name: name, public: w.Content == ""}
	if !h.public {
		if h.fixed, err = parseAddress(w.Content); err != nil {
			return host{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	return h, nil
}

// live is what one host points at now: its content, or why DNS could not
// tell.
type live struct {
	addr string
	err  error
}

// lives finds what each host points at: the address last sent, within
// Propagation, else DNS (several look-ups at once).
func (p *Provider) lives(ctx context.Context, target string, hosts []host, pubFam family, now time.Time) ([]live, error) {
	out := make([]live, len(hosts))
	var lookup []int
	for i, h := range hosts {
		addr, at, ok, err := lastSent(ctx, p.db, target, h.name)
		if err != nil {
			return nil, err
		}
		if ok && now.Sub(at) < p.propagation {
			out[i] = live{addr: addr}
			continue
		}
		lookup = append(lookup, i)
	}
	sem := make(chan struct{}, maxLookups)
	var wg sync.WaitGroup
	for _, i := range lookup {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			fam := pubFam
			if !hosts[i].public {
				fam = hosts[i].fixed.family()
			}
			out[i] = p.lookup(ctx, hosts[i].name, fam)
		})
	}
	wg.Wait()
	return out, nil
}

// lookup asks DNS what name points at, in the families of fam.
func (p *Provider) lookup(ctx context.Context, name string, fam family) live {
	addrs, err := p.resolve(ctx, name)
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) && de.IsNotFound {
			return live{}
		}
		return live{err: err}
	}
	return live{addr: pick(addrs, fam).String()}
}
