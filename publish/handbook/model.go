package handbook

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/schema"
)

// Book is what every page is rendered from: the desired state, read into
// the facts the pages need, in a fixed order. It holds no secret, only
// credential references.
type Book struct {
	Lang, Org string
	// StateDir is the state directory as the commands name it
	// ("infra-state"); Out the handbook's directory in the repository.
	StateDir, Out string
	// Sections are the pages written besides the index, in order.
	Sections []Section

	Domains       []Domain
	Zones         []Zone
	DDNS          []DDNS
	NAS           []NAS
	Jobs          []Job
	Monitors      []Monitor
	Routes        []Route
	Subscriptions []Subscription
	Mailboxes     []string
	Credentials   []schema.NamedRef
	Protected     []string
	// MaxChangePercent is the share of a zone a plan may change unapproved.
	MaxChangePercent int

	People     []Person
	Support    []Support
	Escalation []Escalation
	// Pending are the facts only the operator can give, still missing.
	Pending []Pending
	// Inventory is every declared thing and where it is written.
	Inventory []Item
	FAQ       []schema.QA
}

// Section is one page of the handbook.
type Section struct {
	Key, Title, File string
}

// Domain is a registration.
type Domain struct {
	Name, Registrar, Expires string
	RenewAuto, Locked        string // "yes", "no" or "" (not managed)
	NameServers              []string
}

// Zone is a DNS zone and its web records.
type Zone struct {
	Name, Provider string
	Records        int
	// Purge: records the state does not declare are deleted.
	Purge bool
	// Web are the zone's @ and www A/AAAA/CNAME records ("www CNAME
	// lagrieta.es (proxied)").
	Web []string
	// Unmanaged rules ("_acme-challenge* TXT").
	Unmanaged []string
}

// DDNS is a dynamic-DNS host.
type DDNS struct {
	Host, Provider, ConfirmBy string
	// NAS names the NASes reached through the host.
	NAS []string
}

// NAS is a NAS reached over SSH.
type NAS struct {
	Name, Host, User string
	Port             int
	HostKeyPending   bool
	// BehindDDNS is the dynamic-DNS host the NAS's host is ("" if none).
	BehindDDNS string
	// Jobs are the backup jobs run on it.
	Jobs  []string
	Tasks []string
}

// Job is a backup job.
type Job struct {
	Name, RunsOn string
	Sources      []string
	Destinations []Destination
	Daily        string
	WeeklyFull   string
	// Rule321 says whether the job holds the 3-2-1 rule; Broken what it
	// breaks; Waiver why, when known.
	Rule321 bool
	Broken  []string
	Waiver  string
	// Runbook is the job's recovery page, relative to the handbook.
	Runbook string
}

// Destination is one copy of a job.
type Destination struct {
	Name, Repository, Media string
	Offsite, Pending        bool
	Password                string // the reference
}

// Monitor is a probe.
type Monitor struct {
	Name, Kind, Target, Severity string
}

// Route is an alert route.
type Route struct {
	Name       string
	Severities []string
	// Email lists the recipients; Webhook names the URL's reference.
	Email   []string
	Webhook string
	Repeat  string
}

// Subscription is something that lapses unless renewed.
type Subscription struct {
	Name, Kind, Provider, What, Renews, Owner string
	AutoRenew                                 bool
}

// Person is someone of the organisation; a detail not given is
// schema.Pending.
type Person struct {
	Key, Role, Name, Email, Phone, Hours, Notes string
}

// Support is a provider's support line.
type Support struct {
	Key, Name, Page, Status, Phone, Email, Account, Hours, Notes string
	For                                                          []string
}

// Escalation is who is called for a severity, in order.
type Escalation struct {
	Severity string
	// Contacts are "Role (Name)" or the support line's name, with how to
	// reach them.
	Contacts []Contact
	// Routes are the alert routes that deliver this severity.
	Routes []string
	// Monitors are the monitors raising findings of this severity.
	Monitors []string
}

// Contact is one entry of an escalation.
type Contact struct {
	Key, Who, Reach string
	Pending         bool
}

// Pending is a fact the operator has not given yet: the field to fill in.
type Pending struct {
	Path, What string
}

// Item is one declared thing of the inventory.
type Item struct {
	Kind, Name, Detail, Where string
}

// newBook reads st into a Book; sections and file names come from the
// language's catalogue.
func newBook(st *schema.State, o Options, c catalogue) (*Book, error) {
	b := &Book{Lang: c.lang, Org: st.Handbook.Organisation, StateDir: o.StateDir, Out: st.Handbook.Out,
		Protected: st.Policy.Protected, MaxChangePercent: st.Policy.MaxChangePercent,
		Credentials: st.CredentialRefs(), FAQ: st.Handbook.FAQ}
	for _, key := range allSections {
		if st.Handbook.Includes(key) {
			b.Sections = append(b.Sections, Section{Key: key, Title: c.titles[key], File: c.files[key]})
		}
	}
	readDomains(b, st)
	readOffice(b, st)
	if err := readJobs(b, st, c); err != nil {
		return nil, err
	}
	readWatching(b, st)
	readContacts(b, st, c)
	b.Inventory = inventory(st, c, o.StateDir)
	return b, nil
}

func readDomains(b *Book, st *schema.State) {
	yesNo := func(p *bool) string {
		switch {
		case p == nil:
			return ""
		case *p:
			return "yes"
		}
		return "no"
	}
	for _, name := range slices.Sorted(maps.Keys(st.Domains)) {
		d := st.Domains[name]
		b.Domains = append(b.Domains, Domain{Name: name, Registrar: d.Registrar, Expires: d.Expires,
			RenewAuto: yesNo(d.RenewAuto), Locked: yesNo(d.Locked), NameServers: d.NameServers})
		if d.Expires == schema.DateUnknown {
			b.Pending = append(b.Pending, Pending{Path: "domains." + name + ".expires", What: "date"})
		}
	}
	for _, z := range st.Zones {
		zone := Zone{Name: z.Name, Provider: z.Provider, Records: len(z.Records), Purge: z.Purge}
		for _, r := range z.Records {
			if (r.Name == "@" || r.Name == "www") && slices.Contains([]string{"A", "AAAA", "CNAME"}, r.Type) {
				w := r.Name + " " + r.Type + " " + r.Value
				if r.Proxied {
					w += " (proxied)"
				}
				zone.Web = append(zone.Web, w)
			}
		}
		for _, u := range z.Unmanaged {
			zone.Unmanaged = append(zone.Unmanaged, strings.TrimSpace(u.Name+" "+u.Type))
		}
		b.Zones = append(b.Zones, zone)
	}
	for _, name := range slices.Sorted(maps.Keys(st.Subscriptions)) {
		s := st.Subscriptions[name]
		b.Subscriptions = append(b.Subscriptions, Subscription{Name: name, Kind: s.Kind, Provider: s.Provider,
			What: s.What, Renews: s.Renews, Owner: s.Owner, AutoRenew: s.AutoRenew})
		if s.Renews == schema.DateUnknown {
			b.Pending = append(b.Pending, Pending{Path: "subscriptions." + name + ".renews", What: "date"})
		}
	}
}

func readOffice(b *Book, st *schema.State) {
	for _, host := range slices.Sorted(maps.Keys(st.DDNS)) {
		h := st.DDNS[host]
		d := DDNS{Host: host, Provider: h.Provider, ConfirmBy: h.ConfirmBy}
		for _, n := range slices.Sorted(maps.Keys(st.NAS)) {
			if strings.EqualFold(st.NAS[n].Host, host) {
				d.NAS = append(d.NAS, n)
			}
		}
		b.DDNS = append(b.DDNS, d)
		if h.ConfirmBy == schema.DateUnknown {
			b.Pending = append(b.Pending, Pending{Path: "ddns." + host + ".confirm_by", What: "date"})
		}
	}
	for _, name := range slices.Sorted(maps.Keys(st.NAS)) {
		n := st.NAS[name]
		nas := NAS{Name: name, Host: n.Host, User: n.User, Port: n.Port, HostKeyPending: n.HostKeyIsPending(),
			Tasks: slices.Sorted(maps.Keys(n.Tasks))}
		if _, ok := st.DDNS[strings.ToLower(n.Host)]; ok {
			nas.BehindDDNS = strings.ToLower(n.Host)
		}
		for _, j := range slices.Sorted(maps.Keys(st.Backups)) {
			if st.Backups[j].RunsOn == name {
				nas.Jobs = append(nas.Jobs, j)
			}
		}
		b.NAS = append(b.NAS, nas)
		if nas.HostKeyPending {
			b.Pending = append(b.Pending, Pending{Path: "nas." + name + ".host_key", What: "host-key"})
		}
	}
}

func readJobs(b *Book, st *schema.State, c catalogue) error {
	jobs, err := backup.JobsFromStateUnresolved(st)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		r := backup.ThreeTwoOne(j)
		job := Job{Name: j.Name, RunsOn: j.RunsOn, Sources: j.Sources, Daily: j.Schedule.Daily,
			WeeklyFull: c.weekday(j.Schedule.WeeklyFull), Rule321: len(r.Broken()) == 0, Broken: c.broken(r),
			Waiver: j.Waiver, Runbook: c.runbookFile(j.Name)}
		for _, d := range j.Destinations {
			pending := d.Repository == schema.Pending
			job.Destinations = append(job.Destinations, Destination{Name: d.Name, Repository: d.Repository,
				Media: d.Media, Offsite: d.Offsite, Pending: pending, Password: d.PasswordRef.String()})
			if pending {
				b.Pending = append(b.Pending, Pending{Path: fmt.Sprintf("backups.%s.destinations.%s.repository", j.Name, d.Name), What: "repository"})
			}
		}
		b.Jobs = append(b.Jobs, job)
	}
	return nil
}

func readWatching(b *Book, st *schema.State) {
	for _, name := range slices.Sorted(maps.Keys(st.Monitors)) {
		m := st.Monitors[name]
		b.Monitors = append(b.Monitors, Monitor{Name: name, Kind: m.Kind, Target: m.Target, Severity: m.Severity})
	}
	for _, name := range slices.Sorted(maps.Keys(st.Alerts.Routes)) {
		r := st.Alerts.Routes[name]
		route := Route{Name: name, Severities: r.Severities, Repeat: r.Repeat}
		if r.Email != nil {
			route.Email = r.Email.To
		}
		if r.Webhook != nil {
			route.Webhook = r.Webhook.URL.String()
		}
		b.Routes = append(b.Routes, route)
	}
	b.Mailboxes = slices.Sorted(maps.Keys(st.Mail))
}

// Has reports whether the handbook includes the section key (a page may
// link to it).
func (b *Book) Has(key string) bool {
	return slices.ContainsFunc(b.Sections, func(s Section) bool { return s.Key == key })
}

// SupportFor are the support lines declared for area ("isp", "dns",
// "registrar"…).
func (b *Book) SupportFor(area string) []Support {
	return filter(b.Support, func(s Support) bool { return slices.Contains(s.For, area) })
}

// ZonesAt are the zones hosted by provider ("cloudflare").
func (b *Book) ZonesAt(provider string) []Zone {
	return filter(b.Zones, func(z Zone) bool { return z.Provider == provider })
}

// DomainsAt are the domains registered with registrar ("godaddy").
func (b *Book) DomainsAt(registrar string) []Domain {
	return filter(b.Domains, func(d Domain) bool { return d.Registrar == registrar })
}

// filter is the elements of s that keep accepts, in order.
func filter[T any](s []T, keep func(T) bool) []T {
	var out []T
	for _, x := range s {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// EscalationFor is the escalation of severity.
func (b *Book) EscalationFor(severity string) Escalation {
	for _, e := range b.Escalation {
		if e.Severity == severity {
			return e
		}
	}
	return Escalation{Severity: severity}
}
