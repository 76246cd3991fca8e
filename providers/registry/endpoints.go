package registry

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/schema"
)

// officialHosts are the API hosts of each provider's real service.
var officialHosts = map[string][]string{
	"cloudflare": {"api.cloudflare.com"},
	"godaddy":    {"api.godaddy.com", "api.ote-godaddy.com"},
	"noip":       {"dynupdate.no-ip.com"},
}

// EndpointWarnings lists, for the providers named in use (all when nil),
// each api_url in st whose host is not the provider's official API host:
// the credentials go to that host, which a reviewer should see. Sorted by
// provider; a URL is shown by scheme and host only.
func EndpointWarnings(st *schema.State, use []string) []string {
	if st == nil {
		return nil
	}
	urls := map[string]string{}
	if c := st.Providers.Cloudflare; c != nil {
		urls["cloudflare"] = c.APIURL
	}
	if c := st.Providers.GoDaddy; c != nil {
		urls["godaddy"] = c.APIURL
	}
	if c := st.Providers.NoIP; c != nil {
		urls["noip"] = c.APIURL
	}
	var out []string
	for _, name := range []string{"cloudflare", "godaddy", "noip"} {
		raw := urls[name]
		if raw == "" || (use != nil && !slices.Contains(use, name)) {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue // New refuses it
		}
		host := strings.ToLower(u.Hostname())
		if slices.Contains(officialHosts[name], host) {
			continue
		}
		out = append(out, fmt.Sprintf("%s: api_url %s://%s is not the official API host (%s); the credentials are sent there",
			name, u.Scheme, u.Host, strings.Join(officialHosts[name], " or ")))
	}
	return out
}
