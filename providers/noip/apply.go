package noip

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lagrieta/itlag/providers"
)

// batch is the hosts sent in one update request: those going to one
// address.
type batch struct {
	addr  address
	hosts []string
	idx   []int // the changes' indexes, as hosts
}

// ApplyResources sends the changes' hosts to NoIP, returning one error per
// change, in order. Hosts going to the same address go in one request
// (GET /nic/update?hostname=h1,h2&myip=v4[&myipv6=v6]); NoIP answers a
// line per host, in order, or one line for all. Each answer is recorded in
// ddns_updates:
//
//   - good, nochg: done (nil);
//   - nohost, !donator: that host is held until a human clears it;
//   - badauth (or HTTP 401), badagent, abuse: the whole account is held
//     until a human clears it;
//   - 911: the whole account is held for 30 minutes.
//
// A host held (by an earlier answer, or by an answer earlier in this call)
// is not sent: its error starts "held:". A change without an address is
// never sent, and a request that fails is not retried. Errors name the
// credential references, never the credentials.
func (p *Provider) ApplyResources(ctx context.Context, target string, changes []providers.Change) []error {
	errs := make([]error, len(changes))
	now := p.now()
	if err := dropExpired(ctx, p.db, target, now); err != nil {
		return fill(errs, err)
	}
	holds, err := activeHolds(ctx, p.db, target, now)
	if err != nil {
		return fill(errs, err)
	}
	var batches []*batch
	byAddr := map[string]*batch{}
	seen := map[string]bool{}
	for i, c := range changes {
		name, addr, err := prepare(target, c)
		switch {
		case err != nil:
			errs[i] = fmt.Errorf("noip: %s: %w", label(c), err)
			continue
		case seen[name]:
			errs[i] = fmt.Errorf("noip: %s: in two changes of one apply", name)
			continue
		}
		seen[name] = true
		if msg := p.heldMsg(holds, name); msg != "" {
			errs[i] = fmt.Errorf("noip: %s: held: %s", name, msg)
			continue
		}
		b := byAddr[addr.String()]
		if b == nil {
			b = &batch{addr: addr}
			byAddr[addr.String()] = b
			batches = append(batches, b)
		}
		b.hosts = append(b.hosts, name)
		b.idx = append(b.idx, i)
	}
	for _, b := range batches {
		if msg := p.heldMsg(holds, ""); msg != "" { // an earlier batch's answer held the account
			for k, i := range b.idx {
				errs[i] = fmt.Errorf("noip: %s: held: %s", b.hosts[k], msg)
			}
			continue
		}
		p.send(ctx, target, b, errs, holds, now)
	}
	return errs
}

// heldMsg says why name (or, for "", the account) may not be updated; ""
// when it may.
func (p *Provider) heldMsg(holds map[string]Hold, name string) string {
	for _, k := range []string{"", name} {
		if h, ok := holds[k]; ok {
			_, msg := p.explain(h)
			return msg
		}
	}
	return ""
}

// prepare checks one change and returns its hostname and address.
func prepare(target string, c providers.Change) (string, address, error) {
	r := c.Resource
	switch {
	case r == nil:
		return "", address{}, errors.New("not a change of a dynamic-DNS host")
	case c.Zone != "" && c.Zone != target:
		return "", address{}, fmt.Errorf("change is for target %q, not %q", c.Zone, target)
	case r.Target != "" && r.Target != target:
		return "", address{}, fmt.Errorf("change is for target %q, not %q", r.Target, target)
	case c.Action == providers.Delete:
		return "", address{}, errors.New("NoIP hostnames are not deleted through the update protocol: remove it at noip.com")
	case c.Action != providers.Create && c.Action != providers.Update:
		return "", address{}, fmt.Errorf("unknown action %q", c.Action)
	case r.After == nil:
		return "", address{}, fmt.Errorf("%s without the desired host", c.Action)
	case r.After.Kind != providers.KindDDNSHost:
		return "", address{}, fmt.Errorf("kind %q: NoIP manages only %q resources", r.After.Kind, providers.KindDDNSHost)
	}
	name, err := normalizeHost(r.After.Name)
	if err != nil {
		return "", address{}, err
	}
	if r.After.Content == "" {
		return "", address{}, fmt.Errorf("%s: no address to send (an empty address is never sent)", name)
	}
	addr, err := parseAddress(r.After.Content)
	if err != nil {
		return "", address{}, fmt.Errorf("%s: %w", name, err)
	}
	return name, addr, nil
}

// send makes one update request for b and records its answers. Answers
// that hold are added to holds.
func (p *Provider) send(ctx context.Context, target string, b *batch, errs []error, holds map[string]Hold, now time.Time) {
	fail := func(err error) {
		for k, i := range b.idx {
			errs[i] = fmt.Errorf("noip: %s: %w", b.hosts[k], err)
		}
	}
	u := p.base + "/nic/update?hostname=" + strings.Join(b.hosts, ",")
	if b.addr.v4.IsValid() {
		u += "&myip=" + b.addr.v4.String()
	}
	if b.addr.v6.IsValid() {
		u += "&myipv6=" + b.addr.v6.String()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		fail(err)
		return
	}
	req.SetBasicAuth(p.user, p.pass)
	req.Header.Set("User-Agent", p.agent)
	resp, err := p.hc.Do(req)
	if err != nil {
		fail(fmt.Errorf("send update (not retried): %w", err))
		return
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if err != nil {
		fail(fmt.Errorf("read answer: %w", err))
		return
	}
	var lines []string
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		lines = []string{"badauth"}
	case resp.StatusCode/100 != 2:
		fail(fmt.Errorf("NoIP answered HTTP %d: %q", resp.StatusCode, shorten(string(body), 200)))
		return
	default:
		for l := range strings.SplitSeq(string(body), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
	}
	if len(lines) == 1 && len(b.hosts) > 1 {
		for range b.hosts[1:] {
			lines = append(lines, lines[0]) // one line for the whole request
		}
	}
	if len(lines) != len(b.hosts) {
		fail(fmt.Errorf("NoIP answered %d lines for %d hosts: %q", len(lines), len(b.hosts), shorten(string(body), 200)))
		return
	}
	p.record(ctx, target, b, lines, errs, holds, now)
}

// record writes the answers to the history and the holds they cause, in
// one transaction that outlives a cancelled ctx (the update was sent), and
// sets each host's error.
func (p *Provider) record(ctx context.Context, target string, b *batch, lines []string, errs []error, holds map[string]Hold, now time.Time) {
	ctx = context.WithoutCancel(ctx)
	tx, err := p.db.SQL().BeginTx(ctx, nil)
	if err == nil {
		defer tx.Rollback()
	}
	for k, name := range b.hosts {
		i, line := b.idx[k], lines[k]
		code, _, _ := strings.Cut(line, " ")
		if err == nil {
			err = recordAnswer(ctx, tx, target, name, b.addr.String(), line, now)
		}
		switch code {
		case "good", "nochg":
			continue
		case "911", "badauth", "badagent", "abuse", "nohost", "!donator":
		default:
			errs[i] = fmt.Errorf("noip: %s: unexpected answer %q", name, shorten(line, 80))
			continue
		}
		h := Hold{Target: target, Host: name, Code: code, Since: now,
			Reason: fmt.Sprintf("NoIP answered %q to the update of %s to %s", line, name, b.addr)}
		if accountWide(code) {
			h.Host = ""
		}
		if code == "911" {
			h.Until = now.Add(Backoff911)
		}
		if err == nil {
			err = putHold(ctx, tx, h)
		}
		holds[h.Host] = h
		_, msg := p.explain(h)
		errs[i] = fmt.Errorf("noip: %s: %s", name, msg)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		for k, i := range b.idx {
			errs[i] = errors.Join(errs[i], fmt.Errorf("noip: %s: NoIP answered %q but the answer was not recorded: %w", b.hosts[k], lines[k], err))
		}
	}
}

func fill(errs []error, err error) []error {
	for i := range errs {
		errs[i] = err
	}
	return errs
}

func label(c providers.Change) string {
	if c.Address != "" {
		return c.Address
	}
	if c.Resource != nil && c.Resource.After != nil {
		return c.Resource.After.Name
	}
	if c.Resource != nil && c.Resource.Before != nil {
		return c.Resource.Before.Name
	}
	return string(c.Action)
}
