package reports

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/publish/periodic"
	"github.com/lagrieta/itlag/reconcile"
)

// FormatVersion is the version of the status.json contract.
const FormatVersion = "1"

// The overall states, from best to worst.
const (
	StatusOK       = "ok"       // in sync, nothing open
	StatusWarning  = "warning"  // drift, or low/medium findings
	StatusDegraded = "degraded" // a high finding: a function impaired
	StatusCritical = "critical" // a critical finding: main operation down
	// StatusNotDeclared is an area the desired state declares nothing in
	// (and nothing changed or was found there): not checked, so not "ok".
	StatusNotDeclared = "not_declared"
)

// Areas are what status.json reports on, in order.
var Areas = []string{"dns", "domains", "ddns", "nas", "backups", "subscriptions", "monitors", "security", "mail", "other"}

// Input is what a drift run gathered.
type Input struct {
	// At is when the run observed; GitCommit the desired state's commit.
	At        time.Time
	GitCommit string
	Plan      *reconcile.Planned
	// Findings are every provider's findings (the plan's and the backups').
	Findings []finding.Finding
	// Incidents are the open incidents after this run.
	Incidents []IncidentRef
	// Approvals are the changes waiting for an approval.
	Approvals []Approval
	// Metrics are numbers worth charting ("nas:office/cpu_percent").
	Metrics map[string]float64
	// Confirmations are the confirmations providers asked for by mail
	// that are still open.
	Confirmations []Confirmation
	// Headline are the figures of the last 7 days (uptime, backup
	// success rate, mean time to resolve, days to the next renewal and
	// until a volume fills); nil when not computed.
	Headline *periodic.Headline
	// Declared are the areas the desired state declares something in; an
	// area missing from it, with no change and no finding, is
	// StatusNotDeclared. nil counts every area as declared.
	Declared map[string]bool
}

// IncidentRef is an open incident as status.json lists it.
type IncidentRef struct {
	ID       string           `json:"id"`
	Severity finding.Severity `json:"severity"`
	Source   string           `json:"source"`
	Summary  string           `json:"summary"`
	Since    time.Time        `json:"since"`
}

// Approval is a plan's refused rules waiting for a human approval,
// committed as approvals/<checksum>.yaml.
type Approval struct {
	Checksum  string   `json:"checksum"`
	Rules     []string `json:"rules"`
	Addresses []string `json:"addresses"`
	Message   string   `json:"message"`
}

// Confirmation is an open confirmation a provider asked for by mail, as
// status.json lists it: the link itself stays in the local database and
// the finding (it carries the provider's token); LinkHost says where it
// goes.
type Confirmation struct {
	ID       int64     `json:"id"`
	What     string    `json:"what"`
	Provider string    `json:"provider,omitempty"`
	Target   string    `json:"target,omitempty"`
	Deadline time.Time `json:"deadline,omitzero"`
	LinkHost string    `json:"link_host,omitempty"`
}

// Status is status.json: the contract other agents read. Fields are only
// ever added within a format version.
type Status struct {
	FormatVersion string                `json:"format_version"`
	GeneratedAt   time.Time             `json:"generated_at"`
	GitCommit     string                `json:"git_commit,omitempty"`
	Overall       string                `json:"overall"`
	Areas         map[string]AreaStatus `json:"areas"`
	Drift         Drift                 `json:"drift"`
	Incidents     []IncidentRef         `json:"incidents"`
	Approvals     []Approval            `json:"approvals"`
	Metrics       map[string]float64    `json:"metrics"`
	Findings      []finding.Finding     `json:"findings"`
	// Security is the vulnerability and exposure checks' part of
	// Findings (the "security" area), counted by severity.
	Security Security `json:"security"`
	// Confirmations are the confirmations providers asked for by mail
	// that are still open, by deadline.
	Confirmations []Confirmation `json:"confirmations"`
	// Headline are CEO_LAG's figures over the last 7 days (the weekly
	// report's headline on a rolling window); absent when not computed.
	Headline *periodic.Headline `json:"headline,omitempty"`
}

// Security is status.json's security area: the findings whose source is
// "security:…" (TLS, a NAS's sshd, ports and updates, the office's
// exposure) and how many there are of each severity (every severity
// present, zero or not).
type Security struct {
	Counts   map[finding.Severity]int `json:"counts"`
	Findings []finding.Finding        `json:"findings"`
}

// AreaStatus is one area's state.
type AreaStatus struct {
	Status   string `json:"status"`
	Changes  int    `json:"changes"`
	Findings int    `json:"findings"`
	// Worst is the worst open severity ("" when none).
	Worst finding.Severity `json:"worst,omitempty"`
}

// Drift counts the plan's changes.
type Drift struct {
	Create  int      `json:"create"`
	Update  int      `json:"update"`
	Delete  int      `json:"delete"`
	Refused []string `json:"refused_rules"`
	Skipped []string `json:"not_observed"`
}

// AreaOf puts an address or a finding source in an area: cloudflare:… and
// godaddy:ZONE/… are dns, godaddy:domain/… domains (expiry findings of a
// domain too), manual:DOMAIN domains, noip:… ddns, nas:… nas, backup:…
// backups, subscription:… subscriptions, monitor:… monitors, security:…
// security, mail:… mail (the IT mailbox: notices, confirmations).
func AreaOf(s string) string {
	switch {
	case strings.HasPrefix(s, "security:"):
		return "security"
	case strings.HasPrefix(s, "mail:"):
		return "mail"
	case strings.HasPrefix(s, "monitor:"):
		return "monitors"
	case strings.HasPrefix(s, "manual:"):
		return "domains"
	case strings.HasPrefix(s, "backup:"):
		return "backups"
	case strings.HasPrefix(s, "subscription:"):
		return "subscriptions"
	case strings.HasPrefix(s, "noip:"):
		return "ddns"
	case strings.HasPrefix(s, "nas:"):
		return "nas"
	case strings.Contains(s, ":domain/"):
		return "domains"
	case strings.HasPrefix(s, "godaddy:") && !strings.Contains(s, "/"):
		return "domains" // a registration's findings: "godaddy:lagrieta.es"
	case strings.HasPrefix(s, "cloudflare:"), strings.HasPrefix(s, "godaddy:"):
		return "dns"
	}
	return "other"
}

// BuildStatus computes status.json from a run.
func BuildStatus(in Input) Status {
	st := Status{FormatVersion: FormatVersion, GeneratedAt: in.At.UTC(), GitCommit: in.GitCommit,
		Areas: map[string]AreaStatus{}, Incidents: slices.Clone(in.Incidents), Approvals: slices.Clone(in.Approvals),
		Metrics: in.Metrics, Findings: slices.Clone(in.Findings), Confirmations: slices.Clone(in.Confirmations), Headline: in.Headline}
	for _, a := range Areas {
		st.Areas[a] = AreaStatus{Status: StatusOK}
	}
	if in.Plan != nil {
		st.Drift = Drift{Create: in.Plan.Summary.Create, Update: in.Plan.Summary.Update, Delete: in.Plan.Summary.Delete,
			Skipped: slices.Clone(in.Plan.Skipped)}
		for _, r := range in.Plan.Refusals {
			if !slices.Contains(st.Drift.Refused, string(r.Rule)) {
				st.Drift.Refused = append(st.Drift.Refused, string(r.Rule))
			}
		}
		for _, c := range in.Plan.Changes {
			a := st.Areas[AreaOf(c.Address)]
			a.Changes++
			st.Areas[AreaOf(c.Address)] = a
		}
	}
	st.Security = Security{Counts: map[finding.Severity]int{finding.Critical: 0, finding.High: 0, finding.Medium: 0, finding.Low: 0},
		Findings: []finding.Finding{}}
	for _, f := range in.Findings {
		if AreaOf(f.Source) == "security" {
			st.Security.Counts[f.Severity]++
			st.Security.Findings = append(st.Security.Findings, f)
		}
		a := st.Areas[AreaOf(f.Source)]
		a.Findings++
		if a.Worst == "" || f.Severity.Rank() < a.Worst.Rank() {
			a.Worst = f.Severity
		}
		st.Areas[AreaOf(f.Source)] = a
	}
	worst := finding.Severity("")
	drift := false
	for name, a := range st.Areas {
		a.Status = areaStatus(a)
		if in.Declared != nil && !in.Declared[name] && a.Changes == 0 && a.Findings == 0 {
			a.Status = StatusNotDeclared
		}
		st.Areas[name] = a
		drift = drift || a.Changes > 0
		if a.Worst != "" && (worst == "" || a.Worst.Rank() < worst.Rank()) {
			worst = a.Worst
		}
	}
	st.Overall = areaStatus(AreaStatus{Worst: worst, Changes: map[bool]int{true: 1}[drift]})
	if st.Incidents == nil {
		st.Incidents = []IncidentRef{}
	}
	slices.SortFunc(st.Incidents, func(a, b IncidentRef) int {
		return cmp.Or(cmp.Compare(a.Severity.Rank(), b.Severity.Rank()), cmp.Compare(a.ID, b.ID))
	})
	if st.Approvals == nil {
		st.Approvals = []Approval{}
	}
	if st.Confirmations == nil {
		st.Confirmations = []Confirmation{}
	}
	if st.Metrics == nil {
		st.Metrics = map[string]float64{}
	}
	if st.Findings == nil {
		st.Findings = []finding.Finding{}
	}
	if st.Drift.Refused == nil {
		st.Drift.Refused = []string{}
	}
	if st.Drift.Skipped == nil {
		st.Drift.Skipped = []string{}
	}
	return st
}

func areaStatus(a AreaStatus) string {
	switch a.Worst {
	case finding.Critical:
		return StatusCritical
	case finding.High:
		return StatusDegraded
	case finding.Medium, finding.Low:
		return StatusWarning
	}
	if a.Changes > 0 {
		return StatusWarning
	}
	return StatusOK
}

// JSON renders status.json (indented, map keys sorted, a final newline).
func (s Status) JSON() []byte {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil { // plain data: cannot happen
		panic(err)
	}
	return append(b, '\n')
}

// ApprovalsJSON renders reports/approvals.json: the plans waiting for an
// approval, for agents (CEO_LAG reads its approval requests here).
func ApprovalsJSON(st Status) []byte {
	b, err := json.MarshalIndent(struct {
		FormatVersion string     `json:"format_version"`
		Approvals     []Approval `json:"approvals"`
	}{FormatVersion, st.Approvals}, "", "  ")
	if err != nil { // plain data: cannot happen
		panic(err)
	}
	return append(b, '\n')
}
