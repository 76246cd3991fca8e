package diagram

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

// bigState has 50 monitors of four kinds, and many names in every map, so
// that map order would show if it leaked into the output.
func bigState() *schema.State {
	st := &schema.State{Monitors: map[string]schema.Monitor{}, DDNS: map[string]schema.DDNSHost{},
		NAS: map[string]schema.NAS{}, Backups: map[string]schema.Backup{}, Domains: map[string]schema.Domain{},
		Alerts: schema.Alerts{Routes: map[string]schema.Route{}}}
	kinds := []string{"http", "tls", "dns", "tcp"}
	sevs := []string{"critical", "high", "medium", "low"}
	for i := range 50 {
		st.Monitors[fmt.Sprintf("m%02d", i)] = schema.Monitor{Kind: kinds[i%4], Target: fmt.Sprintf("https://s%d.example.org", i%7),
			Severity: sevs[i%3]}
	}
	for i := range 6 {
		host := fmt.Sprintf("h%d.ddns.net", i)
		st.DDNS[host] = schema.DDNSHost{Provider: "noip"}
		st.NAS[fmt.Sprintf("nas%d", i)] = schema.NAS{Host: host}
		st.Domains[fmt.Sprintf("d%d.es", i)] = schema.Domain{Registrar: "godaddy"}
		st.Zones = append(st.Zones, schema.Zone{Name: fmt.Sprintf("d%d.es", 5-i), Provider: "cloudflare"})
		st.Backups[fmt.Sprintf("job%d", i)] = schema.Backup{RunsOn: fmt.Sprintf("nas%d", i%3), Destinations: map[string]schema.Destination{
			"a": {Media: "usb"}, "b": {Media: "cloud", Offsite: true}, "c": {Media: "tape", Offsite: i%2 == 0}}}
		st.Alerts.Routes[fmt.Sprintf("r%d", i)] = schema.Route{Severities: sevs[i%4 : i%4+1]}
	}
	return st
}

func TestDeterministic(t *testing.T) {
	for _, lang := range []string{"es", "en"} {
		first := draw(t, bigState(), lang)
		for range 10 {
			if again := draw(t, bigState(), lang); !bytes.Equal(first, again) {
				t.Fatalf("%s: two draws of the same state differ", lang)
			}
		}
	}
}

// TestManyMonitors checks that 50 monitors stay readable: one box per
// kind, each with a bounded number of lines ending in "+N more".
func TestManyMonitors(t *testing.T) {
	bs := boxes(parse(t, draw(t, bigState(), "en")))
	groups := 0
	for _, b := range bs {
		if !strings.Contains(b.texts[0], " monitors") {
			continue
		}
		groups++
		if len(b.texts) > 1+maxLines {
			t.Errorf("group %q has %d lines, want at most %d", b.texts[0], len(b.texts)-1, maxLines)
		}
		if last := b.texts[len(b.texts)-1]; !strings.HasSuffix(last, " more") {
			t.Errorf("group %q ends %q, want +N more", b.texts[0], last)
		}
	}
	if groups != 4 {
		t.Errorf("%d monitor groups, want 4 (one per kind)", groups)
	}
}

// oddNames are names a careless renderer breaks on.
var oddNames = []string{"", " ", "<", "&amp;", "]]>", "\x00\x01\x1f", "\xff\xfe", "\u202e\u200b", "名前がとても長いドメイン.jp",
	strings.Repeat("x", 5000), "a\nb\tc\r", `"'`, "💾💾💾", "http://x/?a=1&b=2", "rest:", "://", "local"}

// stateNamed declares one of everything, every name and value s.
func stateNamed(s string, r *rand.Rand) *schema.State {
	pick := func() string { return oddNames[r.IntN(len(oddNames))] + s }
	return &schema.State{
		Domains: map[string]schema.Domain{pick(): {Registrar: pick()}, s: {Registrar: "manual"}},
		Zones: []schema.Zone{{Name: s, Provider: pick(), Records: []schema.Record{{Name: "@", Type: "CNAME", Value: pick()},
			{Name: "www", Type: "A", Value: pick(), Proxied: true}}}, {Name: pick()}},
		DDNS:    map[string]schema.DDNSHost{s: {Provider: pick(), Address: pick()}},
		NAS:     map[string]schema.NAS{pick(): {Host: s, User: pick(), Port: r.IntN(70000)}},
		Backups: map[string]schema.Backup{pick(): {RunsOn: pick(), Sources: []string{pick()}, Destinations: map[string]schema.Destination{pick(): {Repository: pick(), Media: pick(), Offsite: r.IntN(2) == 0}}}},
		Monitors: map[string]schema.Monitor{pick(): {Kind: pick(), Target: pick(), Severity: pick()},
			s: {Kind: "http", Target: "https://" + pick()}},
		Alerts: schema.Alerts{Routes: map[string]schema.Route{pick(): {Severities: []string{pick()},
			Email: &schema.EmailRoute{To: []string{pick()}}, Webhook: &struct {
				URL schema.CredentialRef `json:"url"`
			}{URL: schema.CredentialRef{Env: pick()}}}}},
	}
}

// TestOddStates draws states of odd names from a fixed seed: no panic,
// always well-formed.
func TestOddStates(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3 * len(oddNames) {
		s := oddNames[i%len(oddNames)]
		for _, lang := range []string{"es", "en"} {
			parse(t, draw(t, stateNamed(s, r), lang))
		}
	}
}

func FuzzDraw(f *testing.F) {
	for _, s := range oddNames {
		f.Add(s, uint64(1))
	}
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		parse(t, draw(t, stateNamed(s, rand.New(rand.NewPCG(seed, 0))), "es"))
	})
}

// BenchmarkDraw draws the 50-monitor state; it reports the document's size
// and its boxes.
func BenchmarkDraw(b *testing.B) {
	st := bigState()
	var svg []byte
	for b.Loop() {
		svg = draw(b, st, "es")
	}
	b.ReportMetric(float64(len(svg)), "svg-bytes")
	b.ReportMetric(float64(bytes.Count(svg, []byte(`<g class="box">`))), "boxes")
}
