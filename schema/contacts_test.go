package schema

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

const contactsYAML = `contacts:
  people:
    it:
      role: IT
      name: Ana
      email: it@example.org
      phone: pending
    ceo:
      role: CEO
      name: pending
      email: pending
  support:
    isp:
      name: Example Fibra
      for: [isp]
      page: https://example.net/help
      phone: "+34 900 000 000"
      account: pending
  escalation:
    critical: [it, ceo, isp]
    low: [it]
handbook:
  organisation: Example
  language: es
`

func TestLoadContacts(t *testing.T) {
	st, err := LoadFS(fstest.MapFS{"c.yaml": {Data: []byte(contactsYAML)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Contacts.Escalation["critical"]; !reflect.DeepEqual(got, []string{"it", "ceo", "isp"}) {
		t.Errorf("critical escalation = %v", got)
	}
	h := st.Handbook
	if h == nil || h.Out != "docs/ops" || len(h.Include) != 6 || !h.Includes("faq") {
		t.Errorf("handbook defaults not filled: %+v", h)
	}
	var paths []string
	for _, p := range st.Contacts.PendingDetails() {
		paths = append(paths, p.Path)
	}
	want := []string{"contacts.people.ceo.name", "contacts.people.ceo.email", "contacts.people.it.phone", "contacts.support.isp.account"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("PendingDetails() = %v, want %v", paths, want)
	}
}

func TestWhere(t *testing.T) {
	st, err := LoadFS(fstest.MapFS{
		"c.yaml": {Data: []byte(contactsYAML)},
		"d.yaml": {Data: []byte("domains:\n  example.org: {registrar: manual, expires: unknown}\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		section, name string
		want          Pos
	}{
		{"contacts", "", Pos{File: "c.yaml", Line: 1, Col: 1}},
		{"handbook", "", Pos{File: "c.yaml", Line: 22, Col: 1}},
		{"domains", "example.org", Pos{File: "d.yaml", Line: 2, Col: 3}},
		{"contacts", "escalation", Pos{File: "c.yaml", Line: 19, Col: 3}},
	} {
		if got, ok := st.Where(tt.section, tt.name); !ok || got != tt.want {
			t.Errorf("Where(%q, %q) = %v, %v, want %v", tt.section, tt.name, got, ok, tt.want)
		}
	}
	if _, ok := st.Where("nas", "office"); ok {
		t.Error("Where found an undeclared NAS")
	}
}

func TestContactsProblems(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{
			name: "unknown escalation name and a repeat",
			yaml: "contacts:\n  people:\n    it: {role: IT, name: Ana, email: a@example.org}\n  escalation:\n    high: [it, bob, it]\n",
			want: []string{
				`c.yaml:5:5: contacts.escalation.high: "bob" is neither a person nor a support line of the contacts, want one of it`,
				`c.yaml:5:5: contacts.escalation.high: "it" is called twice, want each contact once per severity`,
			},
		},
		{
			name: "a person nobody can reach",
			yaml: "contacts:\n  people:\n    it: {role: IT, name: Ana}\n",
			want: []string{`c.yaml:3:5: contacts.people.it: a person nobody can reach, want email or phone (or "pending" until the operator gives it)`},
		},
		{
			name: "a made-up looking phone is checked",
			yaml: "contacts:\n  people:\n    it: {role: IT, name: Ana, phone: call me}\n",
			want: []string{`c.yaml:3:38: contacts.people.it.phone: a string (7 characters) is not allowed, want a telephone number like +34 910 000 000, or "pending"`},
		},
		{
			name: "handbook: a section twice, an unknown language, out leaving the repository",
			yaml: "handbook: {organisation: X, language: es, include: [faq, faq], out: docs/../..}\n",
			want: []string{
				`c.yaml:1:43: handbook.include: "faq" is listed twice, want each section once`,
				`c.yaml:1:64: handbook.out: "docs/../.." leaves the repository or names it oddly, want a plain relative path like docs/ops`,
			},
		},
		{
			name: "handbook language",
			yaml: "handbook: {organisation: X, language: fr}\n",
			want: []string{`c.yaml:1:39: handbook.language: a string (2 characters) is not allowed, want one of es, en`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadFS(fstest.MapFS{"c.yaml": {Data: []byte(tt.yaml)}})
			if err == nil {
				t.Fatal("LoadFS() succeeded, want problems")
			}
			if got, want := err.Error(), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("LoadFS() problems:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestCredentialRefs(t *testing.T) {
	st, err := LoadFS(fstest.MapFS{"p.yaml": {Data: []byte(`providers:
  cloudflare: {api_token: {env: CF_TOKEN}}
  noip: {username: {env: NOIP_USER}, password: {file: /run/noip}, contact: it@example.org}
alerts:
  routes:
    it: {severities: [critical], webhook: {url: {env: HOOK}}}
`)}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range st.CredentialRefs() {
		got = append(got, r.Path+"="+r.Ref.String())
	}
	want := []string{
		"providers.cloudflare.api_token=env:CF_TOKEN",
		"providers.noip.username=env:NOIP_USER",
		"providers.noip.password=file:/run/noip",
		"alerts.routes.it.webhook.url=env:HOOK",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CredentialRefs() =\n%v\nwant\n%v", got, want)
	}
}
