package diagram

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestDeclaredThingsAppear checks, for each example state and language,
// that every declared domain (with its registrar), zone (with its
// provider), dynamic DNS name, NAS, backup destination (with its on-site
// or offsite label) and alert route has its box, and that the bands drawn
// are exactly those the state has something for.
func TestDeclaredThingsAppear(t *testing.T) {
	tests := []struct {
		dir   string
		bands int
	}{
		{"infra-state", 3},
		{"examples/office", 3}, // no zone, but an http monitor's website
		{"examples/godaddy", 1},
		{"examples/quickstart", 1},
	}
	for _, tc := range tests {
		st := load(t, tc.dir)
		for _, lang := range []string{"es", "en"} {
			t.Run(tc.dir+"/"+lang, func(t *testing.T) {
				c, err := captionsFor(lang)
				if err != nil {
					t.Fatal(err)
				}
				root := parse(t, draw(t, st, lang))
				bs := boxes(root)
				has := func(kind, name, line string) {
					t.Helper()
					named := 0
					for _, b := range bs {
						if b.texts[0] != name {
							continue
						}
						named++
						if line == "" || slices.Contains(b.texts, line) {
							return
						}
					}
					t.Errorf("%s %q: none of its %d boxes shows %q", kind, name, named, line)
				}
				for name, d := range st.Domains {
					has("domain", name, c.registrar+provider(d.Registrar))
				}
				for _, z := range st.Zones {
					has("zone", z.Name, c.dnsAt+provider(z.Provider))
				}
				for name := range st.DDNS {
					has("ddns host", name, "")
				}
				for name, n := range st.NAS {
					has("NAS", name, c.ssh+n.User+"@"+n.Host)
				}
				want, got := map[string]int{}, map[string]int{}
				for _, j := range st.Backups {
					for name, d := range j.Destinations {
						tag := c.onsite
						if d.Offsite {
							tag = c.offsite
						}
						want[name+" / "+tag]++
					}
				}
				for _, b := range bs {
					if b.tag != "" {
						got[b.texts[0]+" / "+b.tag]++
					}
				}
				if !maps.Equal(got, want) {
					t.Errorf("destinations drawn %v, want %v", got, want)
				}
				for name, r := range st.Alerts.Routes {
					has("alert route", name, c.severities+c.severityList(r.Severities))
				}
				var titles []string
				walk(root, func(n node) {
					if n.XMLName.Local == "g" && n.attr("class") == "band" {
						titles = append(titles, n.Nodes[1].Text)
					}
				})
				if len(titles) != tc.bands {
					t.Errorf("bands %q, want %d", titles, tc.bands)
				}
			})
		}
	}
}

// TestEdges checks the model's edges on the organisation's state: domain
// to zone, zone to website, NoIP name to the NAS behind it, NAS to each job,
// each job to its destinations, monitor groups to the routes of their
// severities.
func TestEdges(t *testing.T) {
	st := load(t, "infra-state")
	c, _ := captionsFor("en")
	m := build(st, c)
	var got []string
	for _, e := range m.edges {
		got = append(got, e.from+" -> "+e.to)
	}
	want := []string{
		"domain:lagrieta.es -> zone:0",
		"zone:0 -> site:zone:0",
		"ddns:lagrieta.ddns.net -> nas:office",
	}
	for _, job := range slices.Sorted(maps.Keys(st.Backups)) {
		want = append(want, "nas:office -> job:"+job)
		for _, d := range slices.Sorted(maps.Keys(st.Backups[job].Destinations)) {
			want = append(want, fmt.Sprintf("job:%s -> dest:%s/%s", job, job, d))
		}
	}
	want = append(want, "mon:http -> route:ceo") // website is critical
	for _, e := range want {
		if !slices.Contains(got, e) {
			t.Errorf("edge %s missing; edges:\n%s", e, strings.Join(got, "\n"))
		}
	}
}
