package diagram

import (
	"maps"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/schema"
)

// style is how a box is filled and stroked.
type style int

const (
	styleWeb style = iota
	styleOffice
	styleOnsite
	styleOffsite
	styleMonitor
	styleRoute
)

// box is one node: a bold name, an optional tag (on-site, offsite) and
// lines of detail.
type box struct {
	id    string
	name  string
	tag   string
	lines []string
	style style
}

// column is a titled stack of boxes.
type column struct {
	head  string
	boxes []*box
}

// band is a titled row of columns.
type band struct {
	title string
	cols  []column
}

// edge joins two boxes by id, from left to right.
type edge struct{ from, to string }

// model is what is drawn, before layout.
type model struct {
	title, desc string
	bands       []band
	edges       []edge
}

// maxLines bounds a box's detail lines; more are summarised as "+N more".
const maxLines = 5

// build turns st into a model in c's words.
func build(st *schema.State, c captions) model {
	m := model{title: c.title}
	var web, office, watch []column
	web, m.edges = webBand(st, c, m.edges)
	office, m.edges = officeBand(st, c, m.edges)
	watch, m.edges = watchBand(st, c, m.edges)
	for _, b := range []band{{c.bandWeb, web}, {c.bandOffice, office}, {c.bandWatch, watch}} {
		if len(b.cols) > 0 {
			m.bands = append(m.bands, b)
		}
	}
	m.desc = describe(st, c)
	return m
}

// addCol appends a column when it has boxes.
func addCol(cols []column, head string, boxes []*box) []column {
	if len(boxes) == 0 {
		return cols
	}
	return append(cols, column{head: head, boxes: boxes})
}

// capLines keeps at most maxLines lines, the last saying how many are left.
func capLines(lines []string, more string) []string {
	if len(lines) <= maxLines {
		return lines
	}
	rest := len(lines) - (maxLines - 1)
	return append(lines[:maxLines-1:maxLines-1], "+"+itoa(rest)+" "+more)
}

// sameName compares DNS names without case or a trailing dot.
func sameName(a, b string) bool {
	return strings.EqualFold(strings.TrimSuffix(a, "."), strings.TrimSuffix(b, "."))
}

// inZone reports whether host is zone or a name under it.
func inZone(host, zone string) bool {
	h, z := strings.ToLower(strings.TrimSuffix(host, ".")), strings.ToLower(strings.TrimSuffix(zone, "."))
	return z != "" && (h == z || strings.HasSuffix(h, "."+z))
}

// webBand is domains → zones → website.
func webBand(st *schema.State, c captions, edges []edge) ([]column, []edge) {
	var domains, zones, sites []*box
	for _, name := range slices.Sorted(maps.Keys(st.Domains)) {
		reg := provider(st.Domains[name].Registrar)
		if strings.EqualFold(reg, "manual") {
			reg = c.manual
		}
		domains = append(domains, &box{id: "domain:" + name, name: name, lines: []string{c.registrar + reg}, style: styleWeb})
	}
	order := make([]int, len(st.Zones))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(st.Zones[a].Name, st.Zones[b].Name) })
	siteOf := map[string]*box{} // zone id → its website box
	for _, i := range order {
		z := st.Zones[i]
		id := "zone:" + itoa(i)
		zones = append(zones, &box{id: id, name: z.Name, style: styleWeb,
			lines: []string{c.dnsAt + provider(z.Provider), count(len(z.Records), c.records)}})
		for _, name := range slices.Sorted(maps.Keys(st.Domains)) {
			if sameName(name, z.Name) {
				edges = append(edges, edge{"domain:" + name, id})
			}
		}
		var lines []string
		for _, r := range z.Records {
			if (r.Name == "@" || strings.EqualFold(r.Name, "www")) && (r.Type == "A" || r.Type == "AAAA" || r.Type == "CNAME") {
				l := r.Name + " " + r.Type + " " + r.Value
				if r.Proxied {
					l += " · " + c.proxied
				}
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			b := &box{id: "site:" + id, name: z.Name, lines: lines, style: styleWeb}
			siteOf[id] = b
		}
	}
	// http monitors: under their zone's website, else a website of their own.
	var extra []*box
	extraOf := map[string]*box{}
	for _, name := range slices.Sorted(maps.Keys(st.Monitors)) {
		mon := st.Monitors[name]
		if mon.Kind != "http" {
			continue
		}
		host := urlHost(mon.Target)
		line := c.monitored + displayTarget(mon.Target)
		placed := false
		for _, i := range order {
			if !inZone(host, st.Zones[i].Name) {
				continue
			}
			id := "zone:" + itoa(i)
			b := siteOf[id]
			if b == nil {
				b = &box{id: "site:" + id, name: st.Zones[i].Name, style: styleWeb}
				siteOf[id] = b
			}
			b.lines = append(b.lines, line)
			placed = true
			break
		}
		if placed {
			continue
		}
		key := strings.ToLower(host)
		b := extraOf[key]
		if b == nil {
			b = &box{id: "site:host:" + key, name: host, style: styleWeb}
			extraOf[key] = b
			extra = append(extra, b)
		}
		b.lines = append(b.lines, line)
	}
	for _, i := range order {
		id := "zone:" + itoa(i)
		if b := siteOf[id]; b != nil {
			sites = append(sites, b)
			edges = append(edges, edge{id, b.id})
		}
	}
	sites = append(sites, extra...)
	for _, b := range sites {
		b.lines = capLines(b.lines, c.more)
	}
	var cols []column
	cols = addCol(cols, c.colDomains, domains)
	cols = addCol(cols, c.colZones, zones)
	cols = addCol(cols, c.colWebsite, sites)
	return cols, edges
}
