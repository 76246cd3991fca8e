package handbook

import (
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

// A reference shared by several fields is rotated once; backup passwords
// and NAS keys are told apart.
func TestRotations(t *testing.T) {
	b := &Book{Credentials: []schema.NamedRef{
		{Path: "providers.noip.password", Ref: schema.CredentialRef{Env: "NOIP_PASSWORD"}},
		{Path: "nas.office.key", Ref: schema.CredentialRef{File: "/etc/itlag/nas"}},
		{Path: "backups.docs.destinations.usb.password", Ref: schema.CredentialRef{Env: "RESTIC_DOCS"}},
		{Path: "backups.docs.destinations.cloud.password", Ref: schema.CredentialRef{Env: "RESTIC_DOCS"}},
		{Path: "backups.docs.destinations.cloud.env.B2_ACCOUNT_KEY", Ref: schema.CredentialRef{Age: "secrets/b2.age", Key: "B2"}},
	}}
	want := []Rotation{
		{Ref: "env:NOIP_PASSWORD", Kind: "env", Name: "NOIP_PASSWORD", Fields: []string{"providers.noip.password"}},
		{Ref: "file:/etc/itlag/nas", Kind: "file", Name: "/etc/itlag/nas", Fields: []string{"nas.office.key"}, Use: "ssh"},
		{Ref: "env:RESTIC_DOCS", Kind: "env", Name: "RESTIC_DOCS", Use: "restic",
			Fields: []string{"backups.docs.destinations.usb.password", "backups.docs.destinations.cloud.password"}},
		{Ref: "age:secrets/b2.age#B2", Kind: "age", Name: "secrets/b2.age", Key: "B2", Fields: []string{"backups.docs.destinations.cloud.env.B2_ACCOUNT_KEY"}},
	}
	if got := b.Rotations(); !reflect.DeepEqual(got, want) {
		t.Errorf("Rotations:\n got %+v\nwant %+v", got, want)
	}
	if got := b.RotationsOf("age"); len(got) != 1 || got[0].Key != "B2" {
		t.Errorf("RotationsOf(age) = %+v", got)
	}
	if got := b.RefOf("nas.office.key"); got != "file:/etc/itlag/nas" {
		t.Errorf("RefOf = %q", got)
	}
}

func TestMonitorsOn(t *testing.T) {
	b := &Book{Monitors: []Monitor{
		{Name: "ssh", Target: "office.ddns.net:22"}, {Name: "web", Target: "https://Office.ddns.net/status"},
		{Name: "other", Target: "office.ddns.net.example:22"}, {Name: "dns", Target: "office.ddns.net"},
	}}
	var got []string
	for _, m := range b.MonitorsOn("office.ddns.net") {
		got = append(got, m.Name)
	}
	if want := []string{"ssh", "web", "dns"}; !slices.Equal(got, want) {
		t.Errorf("MonitorsOn = %v, want %v", got, want)
	}
}

// The rules a plan of this state can break: only those are explained.
func TestSafetyRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    Book
		want []string
	}{
		{"nothing", Book{}, nil},
		{"zone", Book{Zones: []Zone{{Name: "a"}}}, []string{"mass-change", "apex-ns"}},
		{"protected", Book{Zones: []Zone{{Name: "a"}}, Protected: []string{"a/@/MX"}}, []string{"mass-change", "apex-ns", "protected"}},
		{"registrar", Book{Domains: []Domain{{Name: "a", RenewAuto: "yes"}}}, []string{"registrar"}},
		{"domain not managed", Book{Domains: []Domain{{Name: "a", Expires: "2027-01-01"}}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.b.SafetyRules(); !slices.Equal(got, tc.want) {
				t.Errorf("SafetyRules = %v, want %v", got, tc.want)
			}
		})
	}
}

// The richest state (infra-state: a mailbox, a pending host key, the
// operator's own questions) builds in both languages, and its pages use
// what it declares.
func TestInfraStatePages(t *testing.T) {
	for _, tc := range []struct {
		lang, procedures, faq string
		want                  []string
	}{
		{"en", "procedures.md", "faq.md", []string{"itlag mail confirm --state infra-state ID", "itlag nas pin office --state infra-state", "--allow protected plan.json"}},
		{"es", "procedimientos.md", "preguntas-frecuentes.md", []string{"itlag mail confirm --state infra-state ID", "itlag nas pin office --state infra-state", "--allow protected plan.json"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			st, err := schema.Load(filepath.Join("..", "..", "infra-state"))
			if err != nil {
				t.Fatal(err)
			}
			h := *st.Handbook
			h.Language = tc.lang
			st.Handbook = &h
			files, err := Build(st, Options{StateDir: "infra-state"})
			if err != nil {
				t.Fatal(err)
			}
			proc := string(files[tc.procedures])
			for _, w := range tc.want {
				if !strings.Contains(proc, w) {
					t.Errorf("%s lacks %q", tc.procedures, w)
				}
			}
			for _, qa := range st.Handbook.FAQ {
				if !strings.Contains(string(files[tc.faq]), "### "+qa.Q+"\n\n"+qa.A) {
					t.Errorf("%s lacks the operator's question %q as written", tc.faq, qa.Q)
				}
			}
		})
	}
}

// Without the recovery pages, the procedures point to the runbook command
// instead of linking to pages that are not written.
func TestProceduresWithoutRecovery(t *testing.T) {
	st := loadExample(t, "office", "en")
	st.Handbook.Include = []string{"procedures", "faq"}
	files, err := Build(st, Options{StateDir: "examples/office"})
	if err != nil {
		t.Fatal(err) // a link to a page not written is refused by Build
	}
	p := string(files["procedures.md"])
	if strings.Contains(p, "recovery/") || !strings.Contains(p, "itlag backup runbook --state examples/office") {
		t.Errorf("procedures.md without recovery pages:\n%s", p)
	}
}
