package schema

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Contacts are who is called when something breaks: the organisation's
// people, the providers' support lines and the ISP, and the order in which
// they are called for each severity.
type Contacts struct {
	People  map[string]Person  `json:"people,omitempty"`
	Support map[string]Support `json:"support,omitempty"`
	// Escalation lists, by severity (critical, high, medium, low), the
	// names of people or support lines called, in order.
	Escalation map[string][]string `json:"escalation,omitempty"`
}

// Person is someone of the organisation. A detail not given yet is
// Pending.
type Person struct {
	Role  string `json:"role"`
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
	Hours string `json:"hours,omitempty"`
	Notes string `json:"notes,omitempty"`
}

// Support is a provider's or the ISP's support line.
type Support struct {
	Name    string   `json:"name"`
	For     []string `json:"for"`
	Page    string   `json:"page,omitempty"`
	Status  string   `json:"status,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	Email   string   `json:"email,omitempty"`
	Account string   `json:"account,omitempty"`
	Hours   string   `json:"hours,omitempty"`
	Notes   string   `json:"notes,omitempty"`
}

// Handbook says how the operations handbook is written.
type Handbook struct {
	Organisation string `json:"organisation"`
	// Language is "es" or "en".
	Language string `json:"language"`
	// Out is the directory written, relative to the repository's root.
	Out string `json:"out"`
	// Include are the sections written.
	Include []string `json:"include"`
	FAQ     []QA     `json:"faq,omitempty"`
}

// QA is one question of the FAQ and its answer.
type QA struct {
	Q string `json:"q"`
	A string `json:"a"`
}

// Includes reports whether the handbook writes section.
func (h Handbook) Includes(section string) bool { return slices.Contains(h.Include, section) }

// Severities are the escalation keys, most severe first.
var Severities = []string{"critical", "high", "medium", "low"}

// PendingDetail is one contact detail the operator has not given yet.
type PendingDetail struct {
	// Path is the field's path in the state ("contacts.people.it.phone").
	Path string
	// Contact is the person's or support line's name.
	Contact string
}

// PendingDetails lists the contact details still marked pending, by path.
func (c Contacts) PendingDetails() []PendingDetail {
	var out []PendingDetail
	for _, name := range slices.Sorted(maps.Keys(c.People)) {
		p := c.People[name]
		for _, f := range []struct{ field, v string }{{"name", p.Name}, {"email", p.Email}, {"phone", p.Phone}} {
			if f.v == Pending {
				out = append(out, PendingDetail{Path: joinKey(joinKey("contacts.people", name), f.field), Contact: name})
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Support)) {
		s := c.Support[name]
		for _, f := range []struct{ field, v string }{{"name", s.Name}, {"phone", s.Phone}, {"email", s.Email}, {"account", s.Account}} {
			if f.v == Pending {
				out = append(out, PendingDetail{Path: joinKey(joinKey("contacts.support", name), f.field), Contact: name})
			}
		}
	}
	return out
}

// checkContacts checks what CUE cannot say about the contacts and the
// handbook: each person can be reached somehow, the escalation names
// declared contacts (each once per severity), and the handbook's sections
// are distinct.
func (m *merger) checkContacts(d stateData) []Problem {
	var probs []Problem
	at := func(path, msg string) { probs = append(probs, m.problemAt(path, msg)) }
	c := d.Contacts
	for _, name := range slices.Sorted(maps.Keys(c.People)) {
		if p := c.People[name]; p.Email == "" && p.Phone == "" {
			at(joinKey("contacts.people", name), `a person nobody can reach, want email or phone (or "pending" until the operator gives it)`)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(c.Support)) {
		if _, ok := c.People[name]; ok {
			at(joinKey("contacts.support", name), fmt.Sprintf("%q is also a person's name, want each contact's name once (the escalation names them)", name))
		}
	}
	known := append(slices.Sorted(maps.Keys(c.People)), slices.Sorted(maps.Keys(c.Support))...)
	for _, sev := range Severities {
		seen := map[string]bool{}
		for _, who := range c.Escalation[sev] {
			path := joinKey("contacts.escalation", sev)
			switch {
			case !slices.Contains(known, who):
				want := "the contacts declare nobody"
				if len(known) > 0 {
					want = "want one of " + strings.Join(known, ", ")
				}
				at(path, fmt.Sprintf("%q is neither a person nor a support line of the contacts, %s", who, want))
			case seen[who]:
				at(path, fmt.Sprintf("%q is called twice, want each contact once per severity", who))
			}
			seen[who] = true
		}
	}
	if h := d.Handbook; h != nil {
		seen := map[string]bool{}
		for _, s := range h.Include {
			if seen[s] {
				at("handbook.include", fmt.Sprintf("%q is listed twice, want each section once", s))
			}
			seen[s] = true
		}
		if slices.Contains(strings.Split(h.Out, "/"), "..") || slices.Contains(strings.Split(h.Out, "/"), ".") {
			at("handbook.out", fmt.Sprintf("%q leaves the repository or names it oddly, want a plain relative path like docs/ops", h.Out))
		}
	}
	sortProblems(probs)
	return probs
}
