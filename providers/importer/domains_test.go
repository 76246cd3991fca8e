package importer

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

// fileDomain is the domains contract as plain YAML.
type fileDomain struct {
	Registrar   string   `yaml:"registrar"`
	RenewAuto   *bool    `yaml:"renew_auto"`
	Locked      *bool    `yaml:"locked"`
	NameServers []string `yaml:"nameservers"`
	Expires     *string  `yaml:"expires"`
	Reminders   []int    `yaml:"reminders"`
}

func ptr[T any](v T) *T { return &v }

func registrations() []providers.Domain {
	madrid := time.FixedZone("CET", 3600)
	return []providers.Domain{
		{
			Name: "lagrieta.es", Status: "ACTIVE", RenewAuto: true, Locked: true, Privacy: true,
			// 00:30 in Madrid is still the 13th in UTC
			Expires:     time.Date(2027, 3, 14, 0, 30, 0, 0, madrid),
			NameServers: []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"},
		},
		{
			Name: "yes.es", Status: "PENDING_TRANSFER", RenewAuto: false, Locked: false,
			NameServers: []string{"ns1.example.net"}, // one: not declarable
		},
		{
			Name: "123.com", RenewAuto: true, Locked: false,
			Expires:     time.Date(2026, 12, 1, 23, 0, 0, 0, time.UTC),
			NameServers: []string{"ns09.domaincontrol.com", "ns10.domaincontrol.com"},
		},
	}
}

func TestDomains(t *testing.T) {
	out, err := Domains("godaddy", registrations(), "Imported from godaddy by itlag import")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Domains map[string]fileDomain `yaml:"domains"`
	}
	if err := yaml.Unmarshal(out, &got); err != nil {
		t.Fatalf("output is not YAML: %v\n%s", err, out)
	}
	want := map[string]fileDomain{
		"lagrieta.es": {Registrar: "godaddy", RenewAuto: ptr(true), Locked: ptr(true),
			NameServers: []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}, Expires: ptr("2027-03-13")},
		"yes.es": {Registrar: "godaddy", RenewAuto: ptr(false), Locked: ptr(false)},
		"123.com": {Registrar: "godaddy", RenewAuto: ptr(true), Locked: ptr(false),
			NameServers: []string{"ns09.domaincontrol.com", "ns10.domaincontrol.com"}, Expires: ptr("2026-12-01")},
	}
	if !reflect.DeepEqual(got.Domains, want) {
		t.Errorf("parsed\n%+v\nwant\n%+v\n%s", got.Domains, want, out)
	}
	s := string(out)
	for _, w := range []string{
		"# Imported from godaddy by itlag import\ndomains:\n",
		"  # 123.com: status unknown at import; the expiry the registrar reports wins over expires whenever it answers\n  \"123.com\":\n",
		"  # lagrieta.es: status ACTIVE at import; the expiry the registrar reports wins over expires whenever it answers\n  lagrieta.es:\n",
		"  # yes.es: status PENDING_TRANSFER at import;",
		"  # nameservers not declared, so plans leave them alone: the registrar reports 1, the state needs at least 2\n  yes.es:\n",
		"    nameservers: [ada.ns.cloudflare.com, bob.ns.cloudflare.com]\n",
		"    expires: \"2027-03-13\"\n",
	} {
		if !strings.Contains(s, w) {
			t.Errorf("output lacks %q:\n%s", w, s)
		}
	}
	if strings.Contains(s, "reminders") || strings.Contains(s, "privacy") {
		t.Errorf("output declares more than the contract:\n%s", s)
	}
	if i, j := strings.Index(s, "123.com"), strings.Index(s, "lagrieta.es"); i > j {
		t.Errorf("domains not sorted:\n%s", s)
	}
}

// TestDomainsRoundTrip: the file validates against the schema and plans no
// registrar change against the registrations it came from.
func TestDomainsRoundTrip(t *testing.T) {
	ds := registrations()
	ds = append(ds, providers.Domain{Name: "unsorted.es", RenewAuto: true,
		NameServers: []string{"b.example.net", "a.example.net"}})
	out, err := Domains("godaddy", ds, "header")
	if err != nil {
		t.Fatal(err)
	}
	st, d := load(t, DomainPath("godaddy"), out)
	if got := slices.Sorted(maps.Keys(st.Domains)); !slices.Equal(got, []string{"123.com", "lagrieta.es", "unsorted.es", "yes.es"}) {
		t.Fatalf("loaded domains %v", got)
	}
	if dom := st.Domains["lagrieta.es"]; dom.Expires != "2027-03-13" || dom.Reminders != nil ||
		dom.RenewAuto == nil || !*dom.RenewAuto || dom.Locked == nil || !*dom.Locked || len(dom.NameServers) != 2 {
		t.Errorf("loaded lagrieta.es as %+v", dom)
	}
	o := reconcile.Observed{Domains: map[string]providers.Domain{}}
	for _, dom := range ds {
		o.Domains[reconcile.ZoneKey("godaddy", dom.Name)] = dom
	}
	p := reconcile.Plan(d, o, reconcile.Policy{})
	for _, c := range p.Changes {
		t.Errorf("change %s: %s", c.Address, c.Reason)
	}
	// and a registrar that moved on is a change: the settings are managed
	o.Domains["godaddy:lagrieta.es"] = providers.Domain{Name: "lagrieta.es", NameServers: ds[0].NameServers}
	if p := reconcile.Plan(d, o, reconcile.Policy{}); len(p.Changes) != 1 {
		t.Errorf("plan against changed settings: %d changes, want 1", len(p.Changes))
	}
}

func TestDomainsErrors(t *testing.T) {
	tests := []struct {
		name, registrar string
		ds              []providers.Domain
		want            string
	}{
		{"no registrar", "", nil, "registrar"},
		{"registrar not a name", "go daddy: x", nil, "registrar"},
		{"empty name", "godaddy", []providers.Domain{{Name: ""}}, "empty zone name"},
		{"twice", "godaddy", []providers.Domain{{Name: "a.es"}, {Name: "A.es."}}, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Domains(tt.registrar, tt.ds, ""); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Domains() error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestNameServersProblem(t *testing.T) {
	tests := []struct {
		ns   []string
		want string // "" declarable
	}{
		{[]string{"a.example.net", "b.example.net"}, ""},
		{nil, "reports 0"},
		{[]string{"a.example.net"}, "reports 1"},
		{[]string{"b.example.net", "a.example.net"}, "not sorted"},
		{[]string{"a.example.net", "a.example.net"}, "not sorted"},
		{[]string{"A.example.net", "b.example.net"}, "not a canonical host name"},
		{[]string{"a.example.net.", "b.example.net"}, "not a canonical host name"},
		{[]string{"_a.example.net", "b.example.net"}, "not a canonical host name"},
		{[]string{"localhost", "b.example.net"}, "not a canonical host name"},
	}
	for _, tt := range tests {
		got := nameServersProblem(tt.ns)
		if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
			t.Errorf("nameServersProblem(%q) = %q, want %q", tt.ns, got, tt.want)
		}
	}
}
