package handbook

import (
	"strings"
)

// Where is where the inventory says the thing of kind (in the page's
// words, as the template func t gives them: t "zone") named name is
// written ("infra-state/dns/lagrieta.es.yaml:7"), or "" when it is not in
// the inventory.
func (b *Book) Where(kind, name string) string {
	for _, it := range b.Inventory {
		if it.Kind == kind && it.Name == name {
			return it.Where
		}
	}
	return ""
}

// FileOf is Where without the line: the file to edit
// ("infra-state/dns/lagrieta.es.yaml"), or "".
func (b *Book) FileOf(kind, name string) string {
	w := b.Where(kind, name)
	if i := strings.LastIndexByte(w, ':'); i > 0 {
		return w[:i]
	}
	return w
}

// Rotation is one credential reference and the fields that use it: what
// one rotation replaces.
type Rotation struct {
	// Ref names where the secret is kept ("env:NOIP_PASSWORD").
	Ref string
	// Kind is "env", "file" or "age"; Name the variable, the file or the
	// age file; Key the age file's key.
	Kind, Name, Key string
	// Fields are the state's fields holding the reference, in state order.
	Fields []string
	// Use says what the secret opens when more than the provider's
	// account must change with it: "restic" (a backup repository's
	// password), "ssh" (a NAS login key) or "".
	Use string
}

// Rotations are the state's credential references, each once, in the
// order of their first field.
func (b *Book) Rotations() []Rotation {
	var out []Rotation
	at := map[string]int{}
	for _, c := range b.Credentials {
		ref := c.Ref.String()
		i, ok := at[ref]
		if !ok {
			r := Rotation{Ref: ref}
			switch {
			case c.Ref.Env != "":
				r.Kind, r.Name = "env", c.Ref.Env
			case c.Ref.Age != "":
				r.Kind, r.Name, r.Key = "age", c.Ref.Age, c.Ref.Key
			default:
				r.Kind, r.Name = "file", c.Ref.File
			}
			i = len(out)
			at[ref] = i
			out = append(out, r)
		}
		out[i].Fields = append(out[i].Fields, c.Path)
		switch {
		case strings.HasPrefix(c.Path, "backups.") && strings.HasSuffix(c.Path, ".password"):
			out[i].Use = "restic"
		case strings.HasPrefix(c.Path, "nas.") && strings.HasSuffix(c.Path, ".key"):
			out[i].Use = "ssh"
		}
	}
	return out
}

// RotationsOf are the Rotations of kind ("env", "file", "age").
func (b *Book) RotationsOf(kind string) []Rotation {
	return filter(b.Rotations(), func(r Rotation) bool { return r.Kind == kind })
}

// RotationsFor are the Rotations whose secret opens use ("restic",
// "ssh").
func (b *Book) RotationsFor(use string) []Rotation {
	return filter(b.Rotations(), func(r Rotation) bool { return r.Use == use })
}

// DDNSAt are the dynamic-DNS hosts kept at provider ("noip").
func (b *Book) DDNSAt(provider string) []DDNS {
	return filter(b.DDNS, func(d DDNS) bool { return d.Provider == provider })
}

// RegistrarManaged are the domains whose registration itlag changes
// (auto-renew, transfer lock or nameservers declared): a plan changing
// them always needs the registrar rule allowed.
func (b *Book) RegistrarManaged() []Domain {
	return filter(b.Domains, func(d Domain) bool { return d.RenewAuto != "" || d.Locked != "" || len(d.NameServers) > 0 })
}

// SafetyRules are the plan safety rules this state can break, in the
// order plans list them: "mass-change" and "apex-ns" with a zone,
// "protected" with a zone and protected globs, "registrar" with a domain
// whose registration itlag changes.
func (b *Book) SafetyRules() []string {
	var out []string
	if len(b.Zones) > 0 {
		out = append(out, "mass-change", "apex-ns")
		if len(b.Protected) > 0 {
			out = append(out, "protected")
		}
	}
	if len(b.RegistrarManaged()) > 0 {
		out = append(out, "registrar")
	}
	return out
}

// PendingOf are the pending facts of what ("date", "host-key",
// "repository", "contact").
func (b *Book) PendingOf(what string) []Pending {
	return filter(b.Pending, func(p Pending) bool { return p.What == what })
}

// PendingHostKeys are the NASes whose host key is not pinned yet.
func (b *Book) PendingHostKeys() []NAS {
	return filter(b.NAS, func(n NAS) bool { return n.HostKeyPending })
}

// EmailRoutes are the alert routes that send e-mail (a report can be
// mailed through them).
func (b *Book) EmailRoutes() []Route {
	return filter(b.Routes, func(r Route) bool { return len(r.Email) > 0 })
}

// RefOf is the credential reference of the field path
// ("providers.noip.username" → "env:NOIP_USERNAME"), or "".
func (b *Book) RefOf(path string) string {
	for _, c := range b.Credentials {
		if c.Path == path {
			return c.Ref.String()
		}
	}
	return ""
}
