package app

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/mail"
	"github.com/lagrieta/itlag/ops/mail/inbox"
	"github.com/lagrieta/itlag/ops/mail/ledger"
	"github.com/lagrieta/itlag/ops/mail/samples"
	"github.com/lagrieta/itlag/schema"
)

// MailAccountResult is what one pass did on one account.
type MailAccountResult struct {
	Name  string      `json:"name"`
	Host  string      `json:"host"`
	Stats inbox.Stats `json:"stats"`
	// Error says why the pass stopped (the cursor stays where it was:
	// the next pass resumes there).
	Error string `json:"error,omitempty"`
}

// MailResult is one pass over every declared mailbox.
type MailResult struct {
	At       time.Time           `json:"at"`
	Accounts []MailAccountResult `json:"accounts"`
	// Messages are the messages read in this pass and what each meant.
	Messages []ledger.Outcome `json:"messages"`
	// Confirmations are the confirmations still open after the pass.
	Confirmations []ledger.Confirmation `json:"confirmations"`
	// AutoConfirmed are the confirmations whose link was followed in this
	// pass, as a mail rule allowed.
	AutoConfirmed []AutoConfirmation `json:"auto_confirmed,omitempty"`
}

// AutoConfirmation is one link followed for a confirmation.
type AutoConfirmation struct {
	ID     int64  `json:"id"`
	Key    string `json:"key"`
	Host   string `json:"host"`
	Status int    `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
}

// Failed reports whether an account could not be read.
func (r *MailResult) Failed() bool {
	return slices.ContainsFunc(r.Accounts, func(a MailAccountResult) bool { return a.Error != "" })
}

// MailCheck reads every declared mailbox once (MailOptions.Accounts
// narrows it): each new message is parsed, classified (the state's mail
// rules, then the built-in classifiers) and recorded in the ledger once,
// and confirmations a rule allows are followed. An account that cannot be
// read is reported in its result (and as a finding by the next
// observation); the others are read all the same. The error is non-nil
// only when nothing could be done (no mailbox declared, the store).
func (rt *Runtime) MailCheck(ctx context.Context) (*MailResult, error) {
	if len(rt.State.Mail) == 0 {
		return nil, errors.New("mail: the state declares no mailbox (mail:)")
	}
	c, err := rt.classifier()
	if err != nil {
		return nil, err
	}
	db, err := rt.DB()
	if err != nil {
		return nil, err
	}
	if rt.mailErrs == nil {
		rt.mailErrs = map[string]string{}
	}
	l := ledger.New(db, time.Now)
	res := &MailResult{At: time.Now().UTC(), Messages: []ledger.Outcome{}}
	for _, name := range slices.Sorted(maps.Keys(rt.State.Mail)) {
		ar := MailAccountResult{Name: name, Host: rt.State.Mail[name].Host}
		acct, err := rt.mailAccount(ctx, name)
		if err == nil {
			ar.Stats, err = inbox.Pass(ctx, db, acct, func(ctx context.Context, f inbox.Fetched) error {
				out, err := recordMessage(ctx, l, c, name, f)
				if err != nil {
					return err
				}
				if !out.Again {
					res.Messages = append(res.Messages, out)
					res.AutoConfirmed = append(res.AutoConfirmed, rt.autoConfirm(ctx, l, out.Opened)...)
				}
				return nil
			})
		}
		if err != nil {
			ar.Error = rt.scrubErr(err).Error()
		}
		rt.mailErrs[name] = ar.Error
		res.Accounts = append(res.Accounts, ar)
	}
	if res.Confirmations, err = l.Confirmations(ctx, false); err != nil {
		return res, fmt.Errorf("mail: %w", err)
	}
	return res, nil
}

// recordMessage parses, classifies and records one fetched message.
func recordMessage(ctx context.Context, l *ledger.Ledger, c *mail.Classifier, account string, f inbox.Fetched) (ledger.Outcome, error) {
	if f.TooBig {
		var m *mail.Message
		if len(f.Header) > 0 {
			m, _ = mail.Parse(f.Header, mail.Limits{}) // its subject, for the finding
		}
		return l.Record(ctx, account, f, m, nil)
	}
	m, err := mail.Parse(f.Raw, mail.Limits{})
	if err != nil {
		return l.Record(ctx, account, f, nil, nil)
	}
	return l.Record(ctx, account, f, m, c.Classify(m))
}

// mailAccount is the named account ready to dial: secrets resolved, the
// runtime's network (the sandbox's mailbox fake under --sandbox).
func (rt *Runtime) mailAccount(ctx context.Context, name string) (inbox.Account, error) {
	a := rt.State.Mail[name]
	user, err := rt.Secret(a.Username)
	if err != nil {
		return inbox.Account{}, fmt.Errorf("mail: %s: username: %w", name, err)
	}
	pass, err := rt.Secret(a.Password)
	if err != nil {
		return inbox.Account{}, fmt.Errorf("mail: %s: password: %w", name, err)
	}
	nw, err := rt.Network(ctx)
	if err != nil {
		return inbox.Account{}, fmt.Errorf("mail: %s: %w", name, err)
	}
	acct := inbox.Account{
		Name: name, Host: a.Host, Port: a.Port, TLS: a.TLSMode(), Username: user, Password: pass,
		Folders: a.Folders, MoveTo: a.MoveTo, MaxMessageBytes: a.MaxMessageBytes(),
		Dial: nw.Dial, RootCAs: nw.RootCAs,
	}
	if a.CAFile != "" && !rt.Sandboxed() { // the sandbox's CA signs its fake
		if acct.RootCAs, err = readCAFile(rt.Opts.StateDir, a.CAFile); err != nil {
			return inbox.Account{}, fmt.Errorf("mail: %s: ca_file: %w", name, err)
		}
	}
	return acct, nil
}

// readCAFile reads a PEM file of CA certificates, relative to the state
// directory unless absolute.
func readCAFile(stateDir, file string) (*x509.CertPool, error) {
	if !filepath.IsAbs(file) {
		file = filepath.Join(stateDir, file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}

// classifier is the built-in classifiers with the state's mail rules (in
// name order) and what the state declares.
func (rt *Runtime) classifier() (*mail.Classifier, error) {
	st := rt.State
	var rules []mail.Rule
	for _, name := range slices.Sorted(maps.Keys(st.MailRules)) {
		rules = append(rules, mailRule(name, st.MailRules[name]))
	}
	trusted := ""
	for _, name := range slices.Sorted(maps.Keys(st.Mail)) {
		if t := st.Mail[name].TrustedAuthServID; t != "" && trusted == "" {
			trusted = t
		}
	}
	if trusted == "" && rt.Sandboxed() {
		// The sandbox's mail was received by the sandbox's own MX.
		trusted = samples.MXAuthServID
	}
	c, err := mail.NewClassifier(mail.Options{Known: known(st), Rules: rules, TrustedAuthServID: trusted})
	if err != nil {
		return nil, &InvalidError{Err: err}
	}
	return c, nil
}

// mailRule is a state's rule as the classifier takes it.
func mailRule(name string, r schema.MailRule) mail.Rule {
	out := mail.Rule{Name: name, From: r.From, Subject: r.Subject, Body: r.Body, Kind: r.Kind,
		Severity: finding.Severity(r.Severity), Confirm: r.Confirm, DeadlineDays: r.DeadlineDays,
		Closes: r.Closes, AutoConfirm: r.AutoConfirm, LinkHosts: r.LinkHosts}
	if r.Severity == "info" {
		out.Severity = ""
	}
	for area, target := range r.Concerns {
		out.Area, out.Target = area, target
	}
	return out
}

// known are the names the state declares, for the classifiers.
func known(st *schema.State) mail.Known {
	k := mail.Known{
		DDNS: slices.Sorted(maps.Keys(st.DDNS)), Domains: slices.Sorted(maps.Keys(st.Domains)),
		Backups: slices.Sorted(maps.Keys(st.Backups)), Subscriptions: slices.Sorted(maps.Keys(st.Subscriptions)),
	}
	k.NAS, k.NASHosts = slices.Sorted(maps.Keys(st.NAS)), map[string]string{}
	for name, n := range st.NAS {
		k.NASHosts[name] = n.Host
	}
	for _, z := range st.Zones {
		if !slices.Contains(k.Domains, z.Name) {
			k.Domains = append(k.Domains, z.Name)
		}
	}
	return k
}

// Confirmations lists the confirmations providers asked for: the open
// ones, or every one with all.
func (rt *Runtime) Confirmations(ctx context.Context, all bool) ([]ledger.Confirmation, error) {
	db, err := rt.DB()
	if err != nil {
		return nil, err
	}
	return ledger.New(db, time.Now).Confirmations(ctx, all)
}

// Confirm closes a confirmation by hand ("itlag mail confirm ID"): a
// person says it is done. It is recorded in the audit trail.
func (rt *Runtime) Confirm(ctx context.Context, id int64, note string) (ledger.Confirmation, error) {
	db, err := rt.DB()
	if err != nil {
		return ledger.Confirmation{}, err
	}
	if err := rt.auditReady(ctx); err != nil {
		return ledger.Confirmation{}, err
	}
	c, err := ledger.New(db, time.Now).Confirm(ctx, id, note)
	if err != nil {
		return c, err
	}
	return c, rt.auditConfirm(ctx, c, "person", "ok", note)
}

// readMail is MailCheck for the commands that look at the world (check,
// drift, watch): nothing to do without a declared mailbox, and an account
// that cannot be read is a finding of the observation that follows, not
// an error.
func (rt *Runtime) readMail(ctx context.Context) (*MailResult, error) {
	if len(rt.State.Mail) == 0 {
		return nil, nil
	}
	return rt.MailCheck(ctx)
}
