package mail

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Options configure a Classifier.
type Options struct {
	Known Known
	// Rules are the organisation's mail rules, tried before the
	// built-in classifiers, in order; the first that matches wins.
	Rules []Rule
	// TrustedAuthServID is the authserv-id of the account's own MX
	// ("mx.lagrieta.es"): only its Authentication-Results are believed.
	// "" believes none: no notice is Verified and none is suspicious for
	// failing authentication.
	TrustedAuthServID string
}

// Classifier turns Messages into Notices. It is safe for concurrent use.
type Classifier struct {
	known   Known
	rules   []rule
	trusted string
	// nasWords are the words a mail may name a NAS by: its names, then
	// its hosts (nasOf maps each to the NAS's name).
	nasWords []string
	nasOf    map[string]string
}

type rule struct {
	Rule
	fromAddr, fromDomain string
	subject, body        *regexp.Regexp
}

// NewClassifier compiles the rules' patterns (case-insensitive). An
// error names the rule: `mail rule "x": subject: …`.
func NewClassifier(o Options) (*Classifier, error) {
	c := &Classifier{known: o.Known, trusted: strings.ToLower(strings.TrimSpace(o.TrustedAuthServID)), nasOf: map[string]string{}}
	for _, n := range o.Known.NAS {
		c.nasWords, c.nasOf[strings.ToLower(n)] = append(c.nasWords, n), n
	}
	for _, n := range slices.Sorted(maps.Keys(o.Known.NASHosts)) {
		if h := o.Known.NASHosts[n]; h != "" {
			c.nasWords, c.nasOf[strings.ToLower(h)] = append(c.nasWords, h), n
		}
	}
	for i, r := range o.Rules {
		name := r.Name
		if name == "" {
			return nil, fmt.Errorf("mail rule #%d: no name", i+1)
		}
		cr := rule{Rule: r}
		if r.Kind == "" {
			return nil, fmt.Errorf("mail rule %q: no kind", name)
		}
		if r.From == "" && r.Subject == "" && r.Body == "" {
			return nil, fmt.Errorf("mail rule %q: none of from, subject, body is set", name)
		}
		if r.Severity != "" && r.Severity.Rank() > 3 {
			return nil, fmt.Errorf("mail rule %q: severity %q is none of critical, high, medium, low", name, r.Severity)
		}
		if r.DeadlineDays < 0 {
			return nil, fmt.Errorf("mail rule %q: deadline days %d is negative", name, r.DeadlineDays)
		}
		from := strings.ToLower(strings.TrimSpace(r.From))
		switch {
		case from == "":
		case strings.HasPrefix(from, "@") && len(from) > 1 && !strings.Contains(from[1:], "@"):
			cr.fromDomain = from[1:]
		case strings.Count(from, "@") == 1 && !strings.HasPrefix(from, "@") && !strings.HasSuffix(from, "@"):
			cr.fromAddr = from
		default:
			return nil, fmt.Errorf("mail rule %q: from: %q is neither an address nor \"@domain\"", name, r.From)
		}
		var err error
		if cr.subject, err = compile(r.Subject); err != nil {
			return nil, fmt.Errorf("mail rule %q: subject: %w", name, err)
		}
		if cr.body, err = compile(r.Body); err != nil {
			return nil, fmt.Errorf("mail rule %q: body: %w", name, err)
		}
		cr.LinkHosts = make([]string, len(r.LinkHosts))
		for j, h := range r.LinkHosts {
			cr.LinkHosts[j] = strings.ToLower(strings.TrimSpace(h))
		}
		cr.Closes = slices.Clone(r.Closes)
		c.rules = append(c.rules, cr)
	}
	return c, nil
}

func compile(expr string) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	return regexp.Compile("(?i)" + expr)
}

func (r *rule) matches(m *Message) bool {
	switch {
	case r.fromAddr != "" && m.From.Address != r.fromAddr:
		return false
	case r.fromDomain != "" && !underDomain(m.From.Domain(), r.fromDomain):
		return false
	case r.subject != nil && !r.subject.MatchString(m.Subject):
		return false
	case r.body != nil && !r.body.MatchString(m.Text):
		return false
	}
	return true
}

// Classify says what m means: the first matching rule's notice, else
// the built-in classifiers' notices; nil when nothing matched. The same
// message always gives the same notices.
func (c *Classifier) Classify(m *Message) []Notice {
	if m == nil {
		return nil
	}
	for i := range c.rules {
		if r := &c.rules[i]; r.matches(m) {
			return c.applyRule(r, m)
		}
	}
	return c.builtin(m)
}

func (c *Classifier) applyRule(r *rule, m *Message) []Notice {
	if slices.Contains(BuiltinKinds(), r.Kind) {
		ns := c.builtin(m)
		for i := range ns {
			if ns[i].Kind == r.Kind {
				n := &ns[i]
				n.Rule = r.Name
				if r.Severity != "" {
					n.Severity = r.Severity
				}
				c.allowAutoConfirm(n, r)
				return ns
			}
		}
		for _, n := range ns {
			if n.Kind == KindSuspicious {
				return ns
			}
		}
	}
	n := Notice{
		Kind: r.Kind, Provider: r.Name, Severity: r.Severity, Area: r.Area, Target: r.Target,
		Summary:  cut(r.Name+": "+orWord(m.Subject, "(no subject)"), 200),
		Link:     firstHTTPS(m.Links, nil),
		Closes:   slices.Clone(r.Closes),
		Verified: c.verifiedFor(m, []string{m.From.Domain()}),
		Rule:     r.Name,
	}
	if r.Confirm {
		n.Confirm = &Request{Key: "rule:" + r.Name + ":" + r.Target, What: cut(r.Name+": "+orWord(m.Subject, "confirm"), 200), Link: n.Link}
		if r.DeadlineDays > 0 && !m.Date.IsZero() {
			n.Confirm.Deadline = m.Date.AddDate(0, 0, r.DeadlineDays)
			n.Date = n.Confirm.Deadline
		}
	}
	c.allowAutoConfirm(&n, r)
	return []Notice{n}
}

// allowAutoConfirm applies the rule's LinkHosts and sets AutoConfirm
// when the rule allows it, the notice is Verified and its confirmation
// link is https on one of LinkHosts (exact host).
func (c *Classifier) allowAutoConfirm(n *Notice, r *rule) {
	if len(r.LinkHosts) > 0 {
		n.LinkHosts = slices.Clone(r.LinkHosts)
	}
	n.AutoConfirm = false
	if !r.AutoConfirm || !n.Verified || n.Confirm == nil || n.Confirm.Link == "" {
		return
	}
	u, err := url.Parse(n.Confirm.Link)
	if err != nil || u.Scheme != "https" || u.User != nil {
		return
	}
	n.AutoConfirm = slices.Contains(r.LinkHosts, strings.ToLower(u.Hostname()))
}

// firstHTTPS is the first https link whose host is under one of domains
// (any host when domains is nil); "" when none.
func firstHTTPS(links []string, domains []string) string {
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" {
			continue
		}
		if domains == nil || underAny(u.Hostname(), domains) {
			return l
		}
	}
	return ""
}

// trustedResults are m's Authentication-Results from the trusted MX.
func (c *Classifier) trustedResults(m *Message) []AuthResult {
	if c.trusted == "" {
		return nil
	}
	var out []AuthResult
	for _, r := range m.AuthResults {
		if r.AuthServID == c.trusted {
			out = append(out, r)
		}
	}
	return out
}

// verifiedFor reports whether the trusted MX saw dkim=pass for a domain
// under domains, or dmarc=pass for it.
func (c *Classifier) verifiedFor(m *Message, domains []string) bool {
	for _, r := range c.trustedResults(m) {
		if (r.Method == "dkim" || r.Method == "dmarc") && r.Result == "pass" && underAny(r.Domain, domains) {
			return true
		}
	}
	return false
}

// failedFor reports whether the trusted MX left results on m and none
// authenticates domains.
func (c *Classifier) failedFor(m *Message, domains []string) bool {
	return len(c.trustedResults(m)) > 0 && !c.verifiedFor(m, domains)
}

// dateOr is t, or the mail's date plus days when t is zero; assumed
// says which.
func dateOr(t time.Time, m *Message, days int) (d time.Time, assumed bool) {
	if !t.IsZero() || m.Date.IsZero() {
		return t, false
	}
	return m.Date.AddDate(0, 0, days), true
}
