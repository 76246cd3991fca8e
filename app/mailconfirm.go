package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/lagrieta/itlag/ops/mail/ledger"
	"github.com/lagrieta/itlag/publish/audit"
)

// autoConfirmTimeout bounds following one confirmation link.
const autoConfirmTimeout = 30 * time.Second

// autoConfirm follows the links of the confirmations just opened whose
// mail rule allows it (auto_confirm with the link's host in link_hosts,
// from a verified sender): one GET over https, redirects only to https
// and to an allowed host. A 2xx answer closes the confirmation ("auto");
// anything else leaves it open for a person. Each attempt is in the audit
// trail, with the link's host only (the link carries the provider's
// token).
func (rt *Runtime) autoConfirm(ctx context.Context, l *ledger.Ledger, opened []ledger.Confirmation) []AutoConfirmation {
	var out []AutoConfirmation
	for _, c := range opened {
		if !c.AutoConfirm {
			continue
		}
		ac := AutoConfirmation{ID: c.ID, Key: c.Key}
		status, host, err := rt.follow(ctx, c.Link, c.LinkHosts)
		ac.Host, ac.Status = host, status
		outcome, note := audit.OutcomeOK, fmt.Sprintf("followed the link at %s: %d", host, status)
		if err != nil {
			ac.Error = rt.scrubErr(err).Error()
			outcome, note = audit.OutcomeFailed, "the link could not be followed: "+ac.Error
		} else if _, err := l.CloseAuto(ctx, c.ID, note); err != nil {
			ac.Error = err.Error()
		}
		if err := rt.auditConfirm(ctx, c, "auto", outcome, note); err != nil && ac.Error == "" {
			ac.Error = err.Error()
		}
		out = append(out, ac)
	}
	return out
}

// follow GETs link, which must be https on one of hosts (and stay so
// through redirects), and returns the final status.
func (rt *Runtime) follow(ctx context.Context, link string, hosts []string) (int, string, error) {
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || !slices.Contains(hosts, u.Hostname()) {
		host := ""
		if u != nil {
			host = u.Hostname()
		}
		return 0, host, fmt.Errorf("the link is not https to one of the rule's link_hosts %v", hosts)
	}
	hc := *rt.HTTPClient()
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != "https" || !slices.Contains(hosts, req.URL.Hostname()) {
			return fmt.Errorf("redirected to %s://%s, which the rule does not allow", req.URL.Scheme, req.URL.Hostname())
		}
		if len(via) >= 5 {
			return errors.New("more than 5 redirects")
		}
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, autoConfirmTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, link, nil)
	if err != nil {
		return 0, u.Hostname(), err
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL holds the provider's token
		}
		return 0, u.Hostname(), err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		return resp.StatusCode, u.Hostname(), fmt.Errorf("%s answered %s", u.Hostname(), resp.Status)
	}
	return resp.StatusCode, u.Hostname(), nil
}

// auditConfirm records a confirmation closed (or tried) in the audit
// trail.
func (rt *Runtime) auditConfirm(ctx context.Context, c ledger.Confirmation, by, outcome, note string) error {
	if note != "" {
		note = by + ": " + note
	} else {
		note = by
	}
	_, err := rt.Audit(ctx, audit.Entry{Action: audit.ActionMailConfirm, Target: c.Key,
		Detail: audit.Detail{Outcome: outcome, Note: note}})
	if err != nil {
		return fmt.Errorf("mail confirm %d: the audit trail: %w", c.ID, err)
	}
	return nil
}
