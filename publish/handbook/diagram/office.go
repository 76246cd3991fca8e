package diagram

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lagrieta/itlag/schema"
)

// officeBand is dynamic DNS names → NAS (or local) → backup jobs →
// destinations.
func officeBand(st *schema.State, c captions, edges []edge) ([]column, []edge) {
	var ddns, nases, jobs, dests []*box
	hosts := slices.Sorted(maps.Keys(st.DDNS))
	for _, h := range hosts {
		d := st.DDNS[h]
		addr := c.follows
		if d.Address != "" {
			addr = c.fixed + d.Address
		}
		ddns = append(ddns, &box{id: "ddns:" + h, name: h, style: styleOffice,
			lines: []string{c.ddnsName + provider(d.Provider), addr}})
	}
	for _, name := range slices.Sorted(maps.Keys(st.NAS)) {
		n := st.NAS[name]
		at := n.Host
		if n.User != "" {
			at = n.User + "@" + at
		}
		if n.Port != 0 && n.Port != 22 {
			at += ":" + itoa(n.Port)
		}
		nases = append(nases, &box{id: "nas:" + name, name: name, style: styleOffice, lines: []string{c.ssh + at}})
		for _, h := range hosts {
			if sameName(h, n.Host) {
				edges = append(edges, edge{"ddns:" + h, "nas:" + name})
			}
		}
	}
	head := c.colNAS
	for _, name := range slices.Sorted(maps.Keys(st.Backups)) {
		j := st.Backups[name]
		runner := "nas:" + j.RunsOn
		if _, ok := st.NAS[j.RunsOn]; !ok {
			runner = "runner:" + j.RunsOn
			if !slices.ContainsFunc(nases, func(b *box) bool { return b.id == runner }) {
				b := &box{id: runner, name: j.RunsOn, style: styleOffice}
				if j.RunsOn == "local" {
					b.name, b.lines, head = c.local, []string{c.localLine}, c.colNASLocal
				}
				nases = append(nases, b)
			}
		}
		id := "job:" + name
		var lines []string
		if len(j.Sources) > 0 {
			l := c.sources + j.Sources[0]
			if len(j.Sources) > 1 {
				l += fmt.Sprintf(" (+%d)", len(j.Sources)-1)
			}
			lines = append(lines, l)
		}
		if j.Schedule.Daily != "" {
			lines = append(lines, c.daily+j.Schedule.Daily)
		}
		jobs = append(jobs, &box{id: id, name: name, lines: lines, style: styleOffice})
		edges = append(edges, edge{runner, id})
		for _, dn := range slices.Sorted(maps.Keys(j.Destinations)) {
			d := j.Destinations[dn]
			b := &box{id: "dest:" + name + "/" + dn, name: dn, tag: c.onsite, style: styleOnsite}
			if d.Offsite {
				b.tag, b.style = c.offsite, styleOffsite
			}
			repo := displayTarget(d.Repository)
			if d.Repository == schema.Pending {
				repo = c.pending
			}
			b.lines = []string{c.media + c.mediaName(d.Media), repo}
			dests = append(dests, b)
			edges = append(edges, edge{id, b.id})
		}
	}
	var cols []column
	cols = addCol(cols, c.colDDNS, ddns)
	cols = addCol(cols, head, nases)
	cols = addCol(cols, c.colJobs, jobs)
	cols = addCol(cols, c.colDests, dests)
	return cols, edges
}

// watchBand is monitors, grouped by kind → alert routes. A group feeds a
// route when one of its monitors' severities (high when unset, the
// schema's default) is one the route takes.
func watchBand(st *schema.State, c captions, edges []edge) ([]column, []edge) {
	byKind := map[string][]string{}
	sevs := map[string]map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(st.Monitors)) {
		m := st.Monitors[name]
		byKind[m.Kind] = append(byKind[m.Kind], name)
		if sevs[m.Kind] == nil {
			sevs[m.Kind] = map[string]bool{}
		}
		sev := m.Severity
		if sev == "" {
			sev = "high"
		}
		sevs[m.Kind][sev] = true
	}
	var groups, routes []*box
	for _, kind := range slices.Sorted(maps.Keys(byKind)) {
		names := byKind[kind]
		groups = append(groups, &box{id: "mon:" + kind, name: strings.ToUpper(kind) + " · " + count(len(names), c.monitors),
			lines: capLines(slices.Clone(names), c.more), style: styleMonitor})
	}
	for _, name := range slices.Sorted(maps.Keys(st.Alerts.Routes)) {
		r := st.Alerts.Routes[name]
		lines := []string{c.severities + c.severityList(r.Severities)}
		if r.Email != nil && len(r.Email.To) > 0 {
			l := c.email + r.Email.To[0]
			if len(r.Email.To) > 1 {
				l += fmt.Sprintf(" (+%d)", len(r.Email.To)-1)
			}
			lines = append(lines, l)
		}
		if r.Webhook != nil {
			lines = append(lines, c.webhook+r.Webhook.URL.String())
		}
		id := "route:" + name
		routes = append(routes, &box{id: id, name: name, lines: lines, style: styleRoute})
		for _, kind := range slices.Sorted(maps.Keys(byKind)) {
			if slices.ContainsFunc(r.Severities, func(s string) bool { return sevs[kind][s] }) {
				edges = append(edges, edge{"mon:" + kind, id})
			}
		}
	}
	var cols []column
	cols = addCol(cols, c.colMonitors, groups)
	cols = addCol(cols, c.colRoutes, routes)
	return cols, edges
}

// describe is the diagram's <desc>: how many of each thing it shows.
func describe(st *schema.State, c captions) string {
	dests := 0
	for _, b := range st.Backups {
		dests += len(b.Destinations)
	}
	n := []int{len(st.Domains), len(st.Zones), len(st.DDNS), len(st.NAS), len(st.Backups), dests,
		len(st.Monitors), len(st.Alerts.Routes)}
	var parts []string
	for i, k := range n {
		if k > 0 && i < len(c.descCounts) {
			parts = append(parts, c.descCounts[i]+": "+itoa(k))
		}
	}
	if len(parts) == 0 {
		return c.empty
	}
	list := strings.Join(parts, "; ")
	r, size := utf8.DecodeRuneInString(list)
	return c.title + ". " + string(unicode.ToUpper(r)) + list[size:] + "."
}
