package app

import "testing"

func TestImportOptionsCheck(t *testing.T) {
	tests := []struct {
		o    ImportOptions
		want string
	}{
		{ImportOptions{Provider: "cloudflare", Zones: []string{"x.org"}}, ""},
		{ImportOptions{Provider: "godaddy"}, ""},
		{ImportOptions{Provider: "godaddy", Zones: []string{"x.org"}, Domains: []string{"x.org"}}, ""},
		{ImportOptions{Provider: "route53"}, `import: unknown provider "route53", want cloudflare or godaddy`},
		{ImportOptions{Provider: "noip"}, `import: unknown provider "noip", want cloudflare or godaddy`},
		{ImportOptions{Provider: "cloudflare"}, "import cloudflare: name the zone with --zone ZONE"},
		{ImportOptions{Provider: "cloudflare", Zones: []string{"x.org"}, Domains: []string{"x.org"}}, "import cloudflare: --domain is for registrars (godaddy)"},
	}
	for _, tt := range tests {
		err := tt.o.Check()
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%+v: Check() = %q, want %q", tt.o, got, tt.want)
		}
	}
}
