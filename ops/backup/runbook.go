package backup

import (
	"bytes"
	"embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/lagrieta/itlag/schema"
)

// runbookTemplates holds one template per language, runbook/LANG.md.tmpl.
//
//go:embed runbook/*.md.tmpl
var runbookTemplates embed.FS

// RunbookLangs are the languages Runbook writes, in the order error
// messages list them.
func RunbookLangs() []string { return []string{"en", "es"} }

// CheckRunbookLang returns an error naming the languages Runbook writes
// when lang is none of them.
func CheckRunbookLang(lang string) error {
	if !slices.Contains(RunbookLangs(), lang) {
		return fmt.Errorf("language %q: want %s", lang, strings.Join(RunbookLangs(), " or "))
	}
	return nil
}

// Runbook is the Markdown recovery guide of job in lang ("en" or "es";
// anything else is an error naming both), built from the state alone (it
// never needs nor shows a secret, only the references saying where each
// is kept): what is backed up, the 3-2-1 situation, each destination with
// the shell lines that point restic at it, and the restic commands to list
// snapshots, find a file, restore a snapshot or one path, and verify. The
// shell commands are the same in every language; their comments are not.
func Runbook(job Job, lang string) (string, error) {
	t, err := runbookTemplate(lang)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, newRunbookView(job)); err != nil {
		return "", fmt.Errorf("runbook %s (%s): %w", job.Name, lang, err)
	}
	return b.String(), nil
}

// runbookTemplate parses the template of lang.
func runbookTemplate(lang string) (*template.Template, error) {
	if err := CheckRunbookLang(lang); err != nil {
		return nil, fmt.Errorf("runbook: %w", err)
	}
	name := lang + ".md.tmpl"
	t, err := template.New(name).Funcs(template.FuncMap{
		"commas": func(s []string) string { return strings.Join(s, ", ") },
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return one
			}
			return many
		},
	}).ParseFS(runbookTemplates, "runbook/"+name)
	if err != nil {
		return nil, fmt.Errorf("runbook: template %s: %w", name, err)
	}
	return t, nil
}

// runbookView is what a runbook template is fed: the job's facts, no
// words of any language (but the state's own: names, media, "weekly").
type runbookView struct {
	Name string
	// RunsOn is where the job runs; Local when that is the machine
	// running itlag.
	RunsOn      string
	Local       bool
	SourceMedia string
	Sources     []string
	Excludes    []string
	// Daily is the time of the daily run ("02:30"), WeeklyFull the day
	// of the full run, Grace the grace after a day as the state writes
	// it ("6h").
	Daily      string
	WeeklyFull time.Weekday
	Grace      string
	Tag        string
	Retention  retentionView
	Verify     VerifyPolicy
	Rule       ruleView
	// Destinations are sorted by name.
	Destinations []destinationView
	Commands     commandsView
}

// retentionView is the job's forget policy.
type retentionView struct {
	// Parts are the keep-N counts declared, in the order daily, weekly,
	// monthly, yearly.
	Parts []retentionPart
	// Within is keep_within ("30d"), "" when not declared.
	Within string
}

// retentionPart is one keep-N count: N snapshots of Unit ("daily",
// "weekly", "monthly" or "yearly"); Last marks the last part.
type retentionPart struct {
	N    int
	Unit string
	Last bool
}

// ruleView is the job's standing on 3-2-1; Holds when no part is broken.
type ruleView struct {
	Rule321
	Holds bool
}

// destinationView is one destination: what it is, where its secrets are
// kept, and the shell lines that point restic at it.
type destinationView struct {
	Name, Repository, Media string
	Offsite                 bool
	// SFTP is set for sftp: repositories (ssh logs in with a key).
	SFTP     bool
	Password refView
	// Env are the backend variables, sorted by name.
	Env   []envView
	Shell []shellLine
}

// envView is a backend variable and where its value is kept.
type envView struct {
	Var string
	Ref refView
}

func newRunbookView(job Job) runbookView {
	r := ThreeTwoOne(job)
	v := runbookView{
		Name:        job.Name,
		RunsOn:      job.RunsOn,
		Local:       job.RunsOn == "local",
		SourceMedia: job.SourceMedia,
		Sources:     job.Sources,
		Excludes:    job.Excludes,
		Daily:       job.Schedule.Daily,
		WeeklyFull:  job.Schedule.WeeklyFull,
		Grace:       fmtDuration(job.Schedule.Grace),
		Tag:         JobTag(job.Name),
		Retention:   newRetentionView(job.Retention),
		Verify:      job.Verify,
		Rule:        ruleView{Rule321: r, Holds: len(r.Broken()) == 0},
		Commands:    newCommandsView(job),
	}
	for _, d := range job.Destinations {
		dv := destinationView{
			Name: d.Name, Repository: d.Repository, Media: d.Media, Offsite: d.Offsite,
			SFTP:     strings.HasPrefix(d.Repository, "sftp:"),
			Password: newRefView(d.PasswordRef),
			Shell:    destinationShell(d),
		}
		for _, name := range slices.Sorted(maps.Keys(d.EnvRefs)) {
			dv.Env = append(dv.Env, envView{Var: name, Ref: newRefView(d.EnvRefs[name])})
		}
		v.Destinations = append(v.Destinations, dv)
	}
	return v
}

func newRetentionView(r schema.Retention) retentionView {
	var v retentionView
	for _, k := range []retentionPart{{r.KeepDaily, "daily", false}, {r.KeepWeekly, "weekly", false}, {r.KeepMonthly, "monthly", false}, {r.KeepYearly, "yearly", false}} {
		if k.N > 0 {
			v.Parts = append(v.Parts, k)
		}
	}
	if len(v.Parts) > 0 {
		v.Parts[len(v.Parts)-1].Last = true
	}
	v.Within = r.KeepWithin
	return v
}
