package schema

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// checkMail checks what CUE cannot say about the mail rules and accounts:
// each rule has a pattern, its patterns compile, and what it concerns is
// declared; an account's folders are distinct. Problems are placed at the
// field that declared the value.
func (m *merger) checkMail(d stateData) []Problem {
	var probs []Problem
	at := func(path, msg string) { probs = append(probs, m.problemAt(path, msg)) }
	for _, name := range slices.Sorted(maps.Keys(d.MailRules)) {
		r := d.MailRules[name]
		path := joinKey("mail_rules", name)
		if r.From == "" && r.Subject == "" && r.Body == "" {
			at(path, "a mail rule matches nothing, want at least one of from, subject or body")
		}
		for field, expr := range map[string]string{"subject": r.Subject, "body": r.Body} {
			if expr == "" {
				continue
			}
			if _, err := regexp.Compile("(?i)" + expr); err != nil {
				at(joinKey(path, field), fmt.Sprintf("%q is not a regular expression (%v), want Go regexp syntax", expr, err))
			}
		}
		for area, target := range r.Concerns {
			if !declared(d, area, target) {
				want := "the state declares none"
				if names := declaredNames(d, area); len(names) > 0 {
					want = "want one of " + strings.Join(names, ", ")
				}
				at(joinKey(joinKey(path, "concerns"), area), fmt.Sprintf("%s %q is not declared in the state, %s", area, target, want))
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(d.Mail)) {
		a := d.Mail[name]
		if a.MoveTo != "" && slices.Contains(a.Folders, a.MoveTo) {
			at(joinKey(joinKey("mail", name), "move_to"), fmt.Sprintf("%q is also read, want a folder that is not in folders", a.MoveTo))
		}
	}
	sortProblems(probs)
	return probs
}

// declared reports whether the state declares target in area.
func declared(d stateData, area, target string) bool {
	return slices.Contains(declaredNames(d, area), target)
}

// declaredNames are the names declared in area, sorted.
func declaredNames(d stateData, area string) []string {
	switch area {
	case "ddns":
		return slices.Sorted(maps.Keys(d.DDNS))
	case "domain":
		return slices.Sorted(maps.Keys(d.Domains))
	case "nas":
		return slices.Sorted(maps.Keys(d.NAS))
	case "backup":
		return slices.Sorted(maps.Keys(d.Backups))
	case "subscription":
		return slices.Sorted(maps.Keys(d.Subscriptions))
	}
	return nil
}

// problemAt is a Problem placed at the field that declared path (its key,
// else its value).
func (m *merger) problemAt(path, msg string) Problem {
	p := Problem{Path: path, Msg: msg}
	if o, ok := m.origins[path]; ok {
		p.File, p.Line, p.Col = o.file, o.val.Line, o.val.Column
		if o.key != nil {
			p.Line, p.Col = o.key.Line, o.key.Column
		}
	}
	return p
}
