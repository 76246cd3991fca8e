package app

import (
	"slices"
	"testing"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

func TestExpectFromDesired(t *testing.T) {
	rec := func(name, typ, content string, proxied bool) providers.Record {
		return providers.Record{Zone: "lagrieta.es", Name: name, Type: typ, Content: content, Proxied: proxied}
	}
	d := reconcile.Desired{Zones: []reconcile.Zone{{Provider: "cloudflare", Name: "lagrieta.es", Records: []providers.Record{
		rec("@", "A", "203.0.113.10", true),
		rec("mail", "A", "203.0.113.25", false),
		rec("mail", "AAAA", "2001:db8::25", false),
		rec("nas", "CNAME", "lagrieta.ddns.net", false),
		rec("mail", "MX", "mx.example.net", false),
	}}}}
	tests := map[string][]string{
		"mail.lagrieta.es":  {"203.0.113.25", "2001:db8::25"},
		"MAIL.lagrieta.es.": {"203.0.113.25", "2001:db8::25"},
		"lagrieta.es":       nil, // proxied: the proxy's addresses answer
		"nas.lagrieta.es":   nil, // a CNAME: the resolver follows it
		"www.lagrieta.es":   nil, // not declared
		"example.org":       nil, // no such zone
	}
	for target, want := range tests {
		if got := expectFromDesired(d, target); !slices.Equal(got, want) {
			t.Errorf("expectFromDesired(%q) = %v, want %v", target, got, want)
		}
	}
}
