package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/ops/backup"
	"github.com/lagrieta/itlag/reconcile"
)

// Size is b in binary units ("1.5 MiB").
func Size(b int64) string {
	const unit = 1024
	if b < unit {
		return fmt.Sprintf("%d B", b)
	}
	d, exp := int64(unit), 0
	for n := b / unit; n >= unit; n /= unit {
		d *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(b)/float64(d), "KMGTPE"[exp])
}

// BackupRun prints each destination's snapshot and retention.
func BackupRun(w io.Writer, rep backup.RunReport) {
	kind := "daily"
	if rep.Full {
		kind = "full"
	}
	for _, d := range rep.Destinations {
		switch {
		case d.Err != nil:
			fmt.Fprintf(w, "%s/%s: FAILED (%s): %v\n", rep.Job, d.Destination, kind, d.Err)
		default:
			s := d.Summary
			fmt.Fprintf(w, "%s/%s: snapshot %s (%s): %d new, %d changed, %d unchanged files, %s added, %s\n", rep.Job, d.Destination,
				s.SnapshotID, kind, s.FilesNew, s.FilesChanged, s.FilesUnmodified, Size(s.DataAdded), s.Duration.Round(time.Millisecond))
			if d.Forget != nil {
				fmt.Fprintf(w, "%s/%s: retention kept %d, removed %d snapshot(s)\n", rep.Job, d.Destination, len(d.Forget.Kept), len(d.Forget.Removed))
			}
			if d.ForgetErr != nil {
				fmt.Fprintf(w, "%s/%s: retention FAILED: %v\n", rep.Job, d.Destination, d.ForgetErr)
			}
		}
	}
}

// BackupVerify prints each destination's check and restore drill.
func BackupVerify(w io.Writer, rep backup.VerifyReport) {
	for _, d := range rep.Destinations {
		if c := d.Check; c != nil {
			fmt.Fprintf(w, "%s/%s: check %s\n", rep.Job, d.Destination, okText(c.OK, c.Errors))
		}
		if dr := d.Drill; dr != nil {
			fmt.Fprintf(w, "%s/%s: restore drill %s (%d file(s) compared, %d skipped: changed at the source since the snapshot)\n",
				rep.Job, d.Destination, okText(dr.OK, dr.Errors), dr.FilesChecked, dr.FilesSkipped)
		}
	}
}

func okText(ok bool, errs []string) string {
	if ok {
		return "ok"
	}
	if len(errs) == 0 {
		return "FAILED"
	}
	return "FAILED: " + strings.Join(errs, "; ")
}

// BackupStatus prints a table of every job's destinations, then the
// findings.
func BackupStatus(w io.Writer, sts []backup.DestinationStatus, findings []finding.Finding) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tDESTINATION\tSTATE\tLATEST\tAGE\tSNAPSHOTS\tSIZE\tLAST CHECK\tLAST DRILL")
	for _, s := range sts {
		latest, age := "-", "-"
		if s.Latest != nil {
			latest, age = s.Latest.ShortID, s.Age.Round(time.Minute).String()
		}
		sz := "-"
		if s.SizeBytes >= 0 {
			sz = Size(s.SizeBytes)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", s.Job, s.Destination, s.State, latest, age, s.Snapshots, sz,
			lastCheck(s.LastCheck), lastDrill(s.LastDrill))
	}
	tw.Flush()
	if len(sts) == 0 {
		fmt.Fprintln(w, "No backup jobs are declared in the state.")
	}
	for _, f := range findings {
		fmt.Fprintf(w, "%s %s: %s\n", f.Severity, f.Source, f.Summary)
	}
}

func lastCheck(c *backup.CheckRecord) string {
	if c == nil {
		return "never"
	}
	return c.At.UTC().Format("2006-01-02 15:04") + " " + okWord(c.OK)
}

func lastDrill(d *backup.DrillRecord) string {
	if d == nil {
		return "never"
	}
	return d.At.UTC().Format("2006-01-02 15:04") + " " + okWord(d.OK)
}

func okWord(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAILED"
}

// BackupStatusJSON writes the destinations and findings as one JSON
// document ({format_version, destinations, findings}).
func BackupStatusJSON(w io.Writer, sts []backup.DestinationStatus, findings []finding.Finding) error {
	type dest struct {
		Job          string     `json:"job"`
		Destination  string     `json:"destination"`
		Repository   string     `json:"repository"`
		Media        string     `json:"media"`
		Offsite      bool       `json:"offsite"`
		State        string     `json:"state"`
		Error        string     `json:"error,omitempty"`
		Latest       string     `json:"latest_snapshot,omitempty"`
		LatestTime   *time.Time `json:"latest_time,omitempty"`
		AgeSeconds   int64      `json:"age_seconds,omitempty"`
		Snapshots    int        `json:"snapshots"`
		RetentionMax int        `json:"retention_max,omitempty"`
		SizeBytes    *int64     `json:"size_bytes,omitempty"`
		LastCheck    *time.Time `json:"last_check,omitempty"`
		LastCheckOK  *bool      `json:"last_check_ok,omitempty"`
		LastDrill    *time.Time `json:"last_drill,omitempty"`
		LastDrillOK  *bool      `json:"last_drill_ok,omitempty"`
	}
	out := struct {
		FormatVersion string            `json:"format_version"`
		Destinations  []dest            `json:"destinations"`
		Findings      []finding.Finding `json:"findings"`
	}{FormatVersion: reconcile.FormatVersion, Destinations: []dest{}, Findings: findings}
	if out.Findings == nil {
		out.Findings = []finding.Finding{}
	}
	for _, s := range sts {
		d := dest{Job: s.Job, Destination: s.Destination, Repository: s.Repository, Media: s.Media, Offsite: s.Offsite,
			State: string(s.State), Error: s.Error, Snapshots: s.Snapshots, RetentionMax: s.RetentionMax}
		if s.SizeBytes >= 0 {
			n := s.SizeBytes
			d.SizeBytes = &n
		}
		if s.Latest != nil {
			t := s.Latest.Time
			d.Latest, d.LatestTime, d.AgeSeconds = s.Latest.ID, &t, int64(s.Age.Seconds())
		}
		if c := s.LastCheck; c != nil {
			t, ok := c.At, c.OK
			d.LastCheck, d.LastCheckOK = &t, &ok
		}
		if dr := s.LastDrill; dr != nil {
			t, ok := dr.At, dr.OK
			d.LastDrill, d.LastDrillOK = &t, &ok
		}
		out.Destinations = append(out.Destinations, d)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
