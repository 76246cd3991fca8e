package handbook

import (
	"maps"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/schema"
)

// readContacts reads the people, the support lines and, per severity, who
// is called in order, which routes deliver it and which monitors raise it.
func readContacts(b *Book, st *schema.State, c catalogue) {
	cs := st.Contacts
	for _, k := range slices.Sorted(maps.Keys(cs.People)) {
		p := cs.People[k]
		b.People = append(b.People, Person{Key: k, Role: p.Role, Name: p.Name, Email: p.Email, Phone: p.Phone, Hours: p.Hours, Notes: p.Notes})
	}
	for _, k := range slices.Sorted(maps.Keys(cs.Support)) {
		s := cs.Support[k]
		b.Support = append(b.Support, Support{Key: k, Name: s.Name, For: s.For, Page: s.Page, Status: s.Status,
			Phone: s.Phone, Email: s.Email, Account: s.Account, Hours: s.Hours, Notes: s.Notes})
	}
	for _, p := range cs.PendingDetails() {
		b.Pending = append(b.Pending, Pending{Path: p.Path, What: "contact"})
	}
	for _, sev := range schema.Severities {
		e := Escalation{Severity: sev}
		for _, k := range cs.Escalation[sev] {
			e.Contacts = append(e.Contacts, contactOf(cs, k, c))
		}
		for _, r := range b.RoutesFor(sev) {
			e.Routes = append(e.Routes, r.Name)
		}
		for _, m := range b.MonitorsOf(sev) {
			e.Monitors = append(e.Monitors, m.Name)
		}
		b.Escalation = append(b.Escalation, e)
	}
}

// contactOf is the escalation entry of contact k: who it is and how to
// reach them, the details not given said to be pending.
func contactOf(cs schema.Contacts, k string, c catalogue) Contact {
	var who string
	var reach []string
	pending := false
	add := func(label, v string) {
		switch v {
		case "":
		case schema.Pending:
			pending = true
			reach = append(reach, label+": "+c.word("pending"))
		default:
			reach = append(reach, label+": "+v)
		}
	}
	if p, ok := cs.People[k]; ok {
		who = p.Role
		if p.Name != schema.Pending {
			who += " (" + p.Name + ")"
		} else {
			pending = true
		}
		add(c.word("phone"), p.Phone)
		add(c.word("email"), p.Email)
		if p.Hours != "" {
			reach = append(reach, p.Hours)
		}
	} else if s, ok := cs.Support[k]; ok {
		who = s.Name
		add(c.word("phone"), s.Phone)
		add(c.word("email"), s.Email)
		if s.Page != "" {
			reach = append(reach, s.Page)
		}
		add(c.word("account"), s.Account)
	}
	return Contact{Key: k, Who: who, Reach: strings.Join(reach, " · "), Pending: pending}
}
