package handbook

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

// Each recovery plan is written only when the state has what it concerns,
// in both languages; the repository's plan always is.
func TestRecoveryPlansFollowTheState(t *testing.T) {
	headings := map[string][]string{
		"en": {"## NAS `office` dead", "## Cloudflare account locked", "## GoDaddy account lost", "## Office internet down", "## Repository lost"},
		"es": {"## Pérdida del NAS `office`", "## Bloqueo de la cuenta de Cloudflare", "## Pérdida de la cuenta de GoDaddy", "## Caída de internet en la oficina", "## Pérdida del repositorio"},
	}
	tests := []struct {
		name  string
		state func(t *testing.T, lang string) *schema.State
		want  []bool // per heading above: written or not
	}{
		{"office", func(t *testing.T, lang string) *schema.State { return loadExample(t, "office", lang) }, []bool{true, false, false, true, true}},
		{"godaddy", func(t *testing.T, lang string) *schema.State { return loadExample(t, "godaddy", lang) }, []bool{false, false, true, false, true}},
		{"infra-state", loadInfra, []bool{true, true, true, true, true}},
	}
	for _, tt := range tests {
		for _, lang := range []string{"en", "es"} {
			t.Run(tt.name+"-"+lang, func(t *testing.T) {
				files, err := Build(tt.state(t, lang), Options{StateDir: "x"})
				if err != nil {
					t.Fatal(err)
				}
				page := string(files[catalogues[lang].files["recovery"]])
				for i, h := range headings[lang] {
					if got := slices.Contains(strings.Split(page, "\n"), h); got != tt.want[i] {
						t.Errorf("heading %q written %v, want %v", h, got, tt.want[i])
					}
				}
			})
		}
	}
}

// loadInfra loads LaGrieta's state (infra-state) with its handbook in lang.
func loadInfra(t *testing.T, lang string) *schema.State {
	t.Helper()
	return loadIn(t, filepath.Join("..", "..", "infra-state"), lang)
}

// The emergency page lists, per severity, the contacts in escalation
// order with their details (pending ones named by their field), or the
// field to fill in when nobody is called.
func TestEmergencyEscalation(t *testing.T) {
	tests := []struct {
		name, example, lang string
		want                []string // in this order in the page
	}{
		{"office en", "office", "en", []string{"## Severity critical", "1. IT (Alex Example), phone +1 555 0100",
			"2. Managing director, name **pending** (`contacts.people.boss.name`)", "3. Example Fibre, phone +1 555 0199",
			"## Severity high", "## Severity medium", "## Severity low"}},
		{"godaddy es", "godaddy", "es", []string{"## Gravedad crítica", "1. Owner, nombre **pendiente** (`contacts.people.owner.name`)",
			"2. GoDaddy, página de soporte", "## Gravedad media", "complete `contacts.escalation.medium`",
			"## Gravedad baja", "complete `contacts.escalation.low`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Build(loadExample(t, tt.example, tt.lang), Options{StateDir: "x"})
			if err != nil {
				t.Fatal(err)
			}
			page := string(files[catalogues[tt.lang].files["emergency"]])
			at := 0
			for _, w := range tt.want {
				i := strings.Index(page[at:], w)
				if i < 0 {
					t.Fatalf("%q not found after offset %d in:\n%s", w, at, page)
				}
				at += i + len(w)
			}
		})
	}
}

// LaGrieta's Spanish handbook holds none of the English pages' phrases
// either (it declares what the examples do not: Cloudflare, pending
// copies, pending contacts).
func TestInfraSpanish(t *testing.T) {
	files, err := Build(loadInfra(t, "es"), Options{StateDir: "infra-state"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"recuperacion.md", "emergencias.md"} {
		for _, l := range strings.Split(string(files[f]), "\n") {
			if strings.Contains(l, "`") {
				continue
			}
			for _, e := range []string{" the ", " and ", " with ", "What itlag does", "What a person does", "Steps", "pending", "offsite", "on-site"} {
				if strings.Contains(l, e) {
					t.Errorf("%s: English %q in %q", f, e, l)
				}
			}
		}
	}
}

func TestTargetHost(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.example.org/path?q": "www.example.org", "office.ddns.net:22": "office.ddns.net",
		"lagrieta.es": "lagrieta.es", "http://[2001:db8::1]:8080/": "2001:db8::1",
	} {
		if got := targetHost(in); got != want {
			t.Errorf("targetHost(%q) = %q, want %q", in, got, want)
		}
	}
}

// The helpers read the Book: monitors by host and zone, local copies,
// contacts by key, a zone's file.
func TestRecoveryHelpers(t *testing.T) {
	st := loadInfra(t, "en")
	c := catalogues["en"]
	b, err := newBook(st, Options{StateDir: "infra-state"}, c)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []Monitor) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	if got, want := names(b.MonitorsIn("lagrieta.es")), []string{"certificate", "dns-apex", "dns-www", "website", "website-www"}; !slices.Equal(got, want) {
		t.Errorf("MonitorsIn(lagrieta.es) = %v, want %v", got, want)
	}
	if got := names(b.MonitorsIn("grieta.es")); len(got) != 0 {
		t.Errorf("MonitorsIn(grieta.es) = %v, want none (a suffix is not a zone)", got)
	}
	if got := b.ZoneFile("lagrieta.es"); got != "infra-state/dns/lagrieta.es.yaml" {
		t.Errorf("ZoneFile = %q", got)
	}
	for _, j := range b.JobsOn("office") {
		if j.OffsiteReady() {
			t.Errorf("job %s: offsite ready, but its offsite repository is pending", j.Name)
		}
		for _, d := range j.Destinations {
			if d.Local() != (d.Name == "usb") {
				t.Errorf("job %s copy %s: Local() = %v", j.Name, d.Name, d.Local())
			}
		}
	}
	if got := b.PasswordsOn("office"); len(got) != 3 {
		t.Errorf("PasswordsOn(office) = %v, want the 3 jobs' references", got)
	}
	if c := b.Card("it"); c.Person == nil || c.Person.Email != "it@lagrieta.es" {
		t.Errorf("Card(it) = %+v, want the person", c)
	}
	if c := b.Card("godaddy"); c.Support == nil || c.Support.Name != "GoDaddy" {
		t.Errorf("Card(godaddy) = %+v, want the support line", c)
	}
	if c := b.Card("nobody"); c.Person != nil || c.Support != nil {
		t.Errorf("Card(nobody) = %+v, want neither", c)
	}
	if d := b.DomainOf("lagrieta.es"); d == nil || d.Registrar != "godaddy" {
		t.Errorf("DomainOf(lagrieta.es) = %+v", d)
	}
}
