package reports

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func sample(at time.Time, cpu float64) Input {
	rec := providers.Record{Zone: "lagrieta.es", Name: "www", Type: "A", Content: "203.0.113.10", TTL: 1}
	plan := &reconcile.Planned{FormatVersion: "1",
		Changes: []providers.Change{{Address: "cloudflare:lagrieta.es/www/A", Action: providers.Create, Provider: "cloudflare",
			Zone: "lagrieta.es", After: &rec, Reason: "missing"}},
		Refusals: []reconcile.Refusal{}, Summary: reconcile.Summary{Create: 1, Unchanged: 11}}
	disk := finding.New(finding.High, "nas:office", "volume:/volume1", "volume /volume1 is 93.0% full")
	late := finding.New(finding.Critical, "backup:documents/usb", "drill", "the last restore drill failed")
	sub := finding.New(finding.Low, "subscription:lagrieta.ddns.net", "expiry", "lagrieta.ddns.net lapses in 6 days")
	tlsOld := finding.New(finding.Medium, "security:tls/www", "legacy-versions", "lagrieta.es:443 accepts TLS 1.0: allow TLS 1.2 and 1.3 only")
	smb := finding.New(finding.High, "security:exposure", "port:445", "TCP port 445 of the office's public address 203.0.113.50 is open from outside: close it on the router")
	plan.Findings = []finding.Finding{disk}
	return Input{At: at, GitCommit: "0123456789abcdef0123", Plan: plan,
		Findings:      []finding.Finding{late, disk, smb, tlsOld, sub},
		Incidents:     []IncidentRef{{ID: "2026-11-20-backup-documents-usb-1a2b3c", Severity: finding.Critical, Source: "backup:documents/usb", Summary: "the last restore drill failed", Since: time.Date(2026, 11, 24, 22, 0, 0, 0, time.UTC)}},
		Approvals:     []Approval{{Checksum: "c9c20c2b478812345678", Rules: []string{"registrar"}, Addresses: []string{"godaddy:domain/lagrieta.es"}, Message: "registrar change"}},
		Confirmations: []Confirmation{{ID: 3, What: "confirm lagrieta.ddns.net at No-IP before 2026-12-01", Provider: "noip", Target: "lagrieta.ddns.net", Deadline: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), LinkHost: "www.noip.com"}},
		Metrics:       map[string]float64{"nas:office/cpu_percent": cpu}}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./reports -update writes it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs (go test ./reports -update to accept):\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	in := sample(time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC), 12.5)
	st := BuildStatus(in)
	if st.Overall != StatusCritical || st.Areas["backups"].Status != StatusCritical || st.Areas["nas"].Status != StatusDegraded ||
		st.Areas["dns"].Status != StatusWarning || st.Areas["subscriptions"].Status != StatusWarning || st.Areas["ddns"].Status != StatusOK ||
		st.Areas["security"].Status != StatusDegraded || st.Security.Counts[finding.High] != 1 || st.Security.Counts[finding.Medium] != 1 ||
		len(st.Security.Findings) != 2 {
		t.Errorf("statuses: overall %s, areas %+v", st.Overall, st.Areas)
	}
	golden(t, "status.json", st.JSON())
	golden(t, "drift.md", DriftMarkdown(in, st))
	golden(t, "approvals.md", ApprovalsMarkdown(st))
}

func TestAreaOf(t *testing.T) {
	for in, want := range map[string]string{
		"cloudflare:lagrieta.es/www/A": "dns", "godaddy:example.net/@/A": "dns", "godaddy:domain/lagrieta.es": "domains",
		"godaddy:lagrieta.es": "domains", "noip:ddns/h": "ddns", "noip:noip": "ddns", "nas:office/file/etc/x": "nas",
		"backup:docs/usb": "backups", "subscription:x": "subscriptions", "security:nas/office": "security",
		"security:exposure": "security", "weird": "other",
	} {
		if got := AreaOf(in); got != want {
			t.Errorf("AreaOf(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestWriteOnlyOnChange: a later run that found the same things (another
// time, other metrics) changes no file; a new finding changes both.
func TestWriteOnlyOnChange(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC)
	changed, err := Write(dir, sample(at, 12.5))
	if err != nil || !slices.Equal(changed, []string{"reports/approvals.json", "reports/approvals.md", "reports/drift.md", "reports/status.json"}) {
		t.Fatalf("first write: %v, %v", changed, err)
	}
	if changed, err := Write(dir, sample(at.Add(time.Hour), 80)); err != nil || len(changed) != 0 {
		t.Errorf("same situation an hour later: changed %v, %v; want nothing", changed, err)
	}
	in := sample(at.Add(2*time.Hour), 12.5)
	in.Findings = append(in.Findings, finding.New(finding.Medium, "noip:noip", "911", "NoIP answered 911"))
	if changed, err := Write(dir, in); err != nil || !slices.Equal(changed, []string{"reports/drift.md", "reports/status.json"}) {
		t.Errorf("a new finding: changed %v, %v", changed, err)
	}
}

// TestGoldenNotDeclared: the areas a state declares nothing in say "not
// declared" (not_declared in status.json), not "ok"; an undeclared area
// where something was found still shows it.
func TestGoldenNotDeclared(t *testing.T) {
	in := sample(time.Date(2026, 11, 26, 22, 0, 0, 0, time.UTC), 12.5)
	in.Findings = []finding.Finding{finding.New(finding.High, "security:exposure", "port:445", "TCP port 445 is open from outside")}
	in.Plan.Findings = nil
	in.Incidents, in.Approvals = nil, nil
	in.Declared = map[string]bool{"dns": true, "other": true}
	st := BuildStatus(in)
	for area, want := range map[string]string{"dns": StatusWarning, "domains": StatusNotDeclared, "nas": StatusNotDeclared,
		"backups": StatusNotDeclared, "security": StatusDegraded, "other": StatusOK} {
		if got := st.Areas[area].Status; got != want {
			t.Errorf("area %s: status %q, want %q", area, got, want)
		}
	}
	if st.Overall != StatusDegraded {
		t.Errorf("overall %s, want degraded", st.Overall)
	}
	golden(t, "not_declared.json", st.JSON())
	golden(t, "not_declared.md", DriftMarkdown(in, st))
}
