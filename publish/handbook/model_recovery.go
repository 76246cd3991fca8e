package handbook

import (
	"net"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/schema"
)

// The Book's helpers for the recovery and emergency pages: they only read
// what newBook put in the Book.

// Card is one contact of the state, as an escalation names it by key:
// a person or a support line (neither when the key names nothing).
type Card struct {
	Key     string
	Person  *Person
	Support *Support
}

// Card is the person or support line key names.
func (b *Book) Card(key string) Card {
	c := Card{Key: key}
	for i := range b.People {
		if b.People[i].Key == key {
			c.Person = &b.People[i]
			return c
		}
	}
	for i := range b.Support {
		if b.Support[i].Key == key {
			c.Support = &b.Support[i]
			return c
		}
	}
	return c
}

// JobsOn are the backup jobs that run on the NAS named nas.
func (b *Book) JobsOn(nas string) []Job {
	return filter(b.Jobs, func(j Job) bool { return j.RunsOn == nas })
}

// JobsOnNAS are the backup jobs that run on a NAS the state declares.
func (b *Book) JobsOnNAS() []Job {
	return filter(b.Jobs, func(j Job) bool { return slices.ContainsFunc(b.NAS, func(n NAS) bool { return n.Name == j.RunsOn }) })
}

// Local reports whether the copy is a path on the machine that runs the
// job (a disk attached to it), not a remote repository.
func (d Destination) Local() bool {
	return !d.Pending && strings.HasPrefix(d.Repository, "/")
}

// OffsiteReady reports whether the job has an offsite copy that is made
// (its repository is not pending).
func (j Job) OffsiteReady() bool {
	return slices.ContainsFunc(j.Destinations, func(d Destination) bool { return d.Offsite && !d.Pending })
}

// MonitorsOn are the monitors whose target is host (a NAS's or a
// dynamic-DNS host's name), whatever the scheme or port, case aside.
func (b *Book) MonitorsOn(host string) []Monitor {
	return filter(b.Monitors, func(m Monitor) bool { return strings.EqualFold(targetHost(m.Target), host) })
}

// MonitorsIn are the monitors whose target's host is in zone (the zone's
// apex or a name under it).
func (b *Book) MonitorsIn(zone string) []Monitor {
	z := strings.ToLower(zone)
	return filter(b.Monitors, func(m Monitor) bool {
		h := strings.ToLower(targetHost(m.Target))
		return h == z || strings.HasSuffix(h, "."+z)
	})
}

// MonitorsOf are the monitors of severity.
func (b *Book) MonitorsOf(severity string) []Monitor {
	return filter(b.Monitors, func(m Monitor) bool { return m.Severity == severity })
}

// RoutesFor are the alert routes that deliver severity.
func (b *Book) RoutesFor(severity string) []Route {
	return filter(b.Routes, func(r Route) bool { return slices.Contains(r.Severities, severity) })
}

// targetHost is the host a monitor's target names: "https://h/p",
// "h:443" and "h" all give "h".
func targetHost(target string) string {
	t := target
	if _, rest, ok := strings.Cut(t, "://"); ok {
		t = rest
	}
	if i := strings.IndexAny(t, "/?#"); i >= 0 {
		t = t[:i]
	}
	if h, _, err := net.SplitHostPort(t); err == nil {
		return h
	}
	return t
}

// ZoneFile is the file of the state, as the repository names it, where
// zone is written ("" when the inventory does not say).
func (b *Book) ZoneFile(zone string) string {
	kind := catalogues[b.Lang].word("zone")
	for _, it := range b.Inventory {
		if it.Kind == kind && it.Name == zone && it.Where != "" {
			file, _, _ := strings.Cut(it.Where, ":")
			return file
		}
	}
	return ""
}

// DomainOf is the registration of zone's name, nil when the state
// declares none.
func (b *Book) DomainOf(zone string) *Domain {
	for i := range b.Domains {
		if strings.EqualFold(b.Domains[i].Name, zone) {
			return &b.Domains[i]
		}
	}
	return nil
}

// CredentialsUnder are the credential references whose field's path
// starts with prefix ("providers.godaddy.").
func (b *Book) CredentialsUnder(prefix string) []schema.NamedRef {
	return filter(b.Credentials, func(c schema.NamedRef) bool { return strings.HasPrefix(c.Path, prefix) })
}

// PasswordsOn are the references of the restic passwords of the jobs that
// run on the NAS named nas, each once, in the jobs' order.
func (b *Book) PasswordsOn(nas string) []string {
	var out []string
	for _, j := range b.JobsOn(nas) {
		for _, d := range j.Destinations {
			if d.Password != "" && !slices.Contains(out, d.Password) {
				out = append(out, d.Password)
			}
		}
	}
	return out
}
