package registry

import (
	"strings"
	"testing"

	"github.com/lagrieta/itlag/schema"
)

func TestEndpointWarnings(t *testing.T) {
	st := &schema.State{}
	st.Providers.Cloudflare = &schema.Cloudflare{APIURL: "https://cf-proxy.example.org/client/v4?token=s3cret"}
	st.Providers.GoDaddy = &schema.GoDaddy{APIURL: "https://api.ote-godaddy.com"}
	st.Providers.NoIP = &schema.NoIP{}
	got := EndpointWarnings(st, nil)
	if len(got) != 1 || !strings.HasPrefix(got[0], "cloudflare: api_url https://cf-proxy.example.org is not the official API host") {
		t.Fatalf("warnings %q", got)
	}
	if strings.Contains(got[0], "s3cret") {
		t.Errorf("warning shows the query: %q", got[0])
	}
	if got := EndpointWarnings(st, []string{"godaddy"}); len(got) != 0 {
		t.Errorf("godaddy only: %q, want none", got)
	}
	st.Providers.Cloudflare.APIURL = "https://API.cloudflare.com/client/v4"
	if got := EndpointWarnings(st, nil); len(got) != 0 {
		t.Errorf("official hosts: %q, want none", got)
	}
}
