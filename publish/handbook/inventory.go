package handbook

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/lagrieta/itlag/schema"
)

// inventory lists every declared thing, kind by kind, with where it is
// written, as the repository names it ("infra-state/dns/lagrieta.es.yaml:3"
// with stateDir "infra-state").
func inventory(st *schema.State, c catalogue, stateDir string) []Item {
	var out []Item
	at := func(file string, line int) string { return path.Join(stateDir, file) + ":" + strconv.Itoa(line) }
	where := func(section, name string) string {
		if p, ok := st.Where(section, name); ok {
			return at(p.File, p.Line)
		}
		return ""
	}
	for _, p := range []struct {
		key      string
		declared bool
	}{{"cloudflare", st.Providers.Cloudflare != nil}, {"godaddy", st.Providers.GoDaddy != nil}, {"noip", st.Providers.NoIP != nil}} {
		if p.declared {
			out = append(out, Item{Kind: c.word("provider"), Name: p.key, Where: where("providers", p.key)})
		}
	}
	for _, z := range st.Zones {
		out = append(out, Item{Kind: c.word("zone"), Name: z.Name,
			Detail: fmt.Sprintf("%s, %d %s", z.Provider, len(z.Records), c.word("records")),
			Where:  at(st.RelFile(z.Pos.File), z.Pos.Line)})
	}
	add := func(kind, section string, names []string, detail func(string) string) {
		for _, n := range names {
			out = append(out, Item{Kind: c.word(kind), Name: n, Detail: detail(n), Where: where(section, n)})
		}
	}
	add("domain", "domains", slices.Sorted(maps.Keys(st.Domains)), func(n string) string { return st.Domains[n].Registrar })
	add("ddns", "ddns", slices.Sorted(maps.Keys(st.DDNS)), func(n string) string { return st.DDNS[n].Provider })
	add("nas", "nas", slices.Sorted(maps.Keys(st.NAS)), func(n string) string {
		return fmt.Sprintf("%s@%s:%d", st.NAS[n].User, st.NAS[n].Host, st.NAS[n].Port)
	})
	add("backup", "backups", slices.Sorted(maps.Keys(st.Backups)), func(n string) string {
		dests := slices.Sorted(maps.Keys(st.Backups[n].Destinations))
		return st.Backups[n].RunsOn + " → " + strings.Join(dests, ", ")
	})
	add("monitor", "monitors", slices.Sorted(maps.Keys(st.Monitors)), func(n string) string {
		return st.Monitors[n].Kind + " " + st.Monitors[n].Target
	})
	add("subscription", "subscriptions", slices.Sorted(maps.Keys(st.Subscriptions)), func(n string) string {
		return st.Subscriptions[n].Provider
	})
	for _, n := range slices.Sorted(maps.Keys(st.Alerts.Routes)) {
		out = append(out, Item{Kind: c.word("route"), Name: n, Detail: strings.Join(st.Alerts.Routes[n].Severities, ", "), Where: where("alerts", "routes")})
	}
	add("mailbox", "mail", slices.Sorted(maps.Keys(st.Mail)), func(n string) string { return st.Mail[n].Host })
	add("mailrule", "mail_rules", slices.Sorted(maps.Keys(st.MailRules)), func(n string) string { return st.MailRules[n].Kind })
	for _, section := range []string{"policy", "monitoring", "secrets", "exposure", "contacts", "handbook"} {
		if w := where(section, ""); w != "" {
			out = append(out, Item{Kind: c.word("settings"), Name: section, Where: w})
		}
	}
	return out
}
