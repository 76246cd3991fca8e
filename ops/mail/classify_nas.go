package mail

import (
	"fmt"
	"strings"

	"github.com/lagrieta/itlag/finding"
)

var (
	synologyRE    = re(`synology|diskstation|rackstation|\bdsm\b|hyper backup`)
	synologyKinds = []kindRE{
		{KindSynologyVolumeDegraded, re(`(volume|storage pool)\b.*\b(degraded|crashed)`), re(`(volume|storage pool)\b.*\b(degraded|crashed)`)},
		{KindSynologyDiskFailing, re(`(drive|disk|hdd|ssd)\b.*\b(fail\w*|crashed|bad sector|abnormal|critical)|s\.m\.a\.r\.t`),
			re(`(drive|disk|hdd|ssd)\b.*\b(is failing|has failed|crashed|bad sector|abnormal)|s\.m\.a\.r\.t\.? (status|test).*fail`)},
		{KindSynologyBackupFailed, re(`backup\b.*\b(fail\w*|error|partially|not completed|unsuccessful|could not)`), re(`backup\b.*\b(has failed|failed|partially completed|was not completed|could not)`)},
		{KindSynologyBackupSucceeded, re(`backup\b.*\b(succe\w*|completed|finished)`), re(`backup\b.*\b(has completed|completed successfully|succeeded)`)},
	}
	crashedRE = re(`crashed`)
	// [office] at the start of a DSM subject (its eventsubjectprefix)
	subjectTagRE = exact(`^\s*\[[^\]]*\]\s*`)
)

// isSynology: the mail mentions Synology, DiskStation or DSM, or comes
// from a declared NAS (its host, or its name as the sender's name).
func (c *Classifier) isSynology(v *view) bool {
	if synologyRE.MatchString(v.all) {
		return true
	}
	return c.nasOfSender(v.m) != ""
}

func (c *Classifier) nasOfSender(m *Message) string {
	for _, n := range c.nasWords {
		if n != "" && (underDomain(m.From.Domain(), n) || strings.EqualFold(m.From.Name, n)) {
			return c.nasName(n)
		}
	}
	return ""
}

// nasName is the declared name of the NAS that w (a name or a host)
// names; "" for "".
func (c *Classifier) nasName(w string) string {
	if n, ok := c.nasOf[strings.ToLower(w)]; ok {
		return n
	}
	return w
}

// nasTarget: the declared NAS named in the mail, else the sender's,
// else the only one declared.
func (c *Classifier) nasTarget(v *view) string {
	if t := findName(v.all, c.nasWords); t != "" {
		return c.nasName(t)
	}
	if t := c.nasOfSender(v.m); t != "" {
		return t
	}
	if len(c.known.NAS) == 1 {
		return c.known.NAS[0]
	}
	return ""
}

func (c *Classifier) synology(v *view) []Notice {
	kind := pickKind(synologyKinds, v)
	if kind == "" {
		return nil
	}
	nas := c.nasTarget(v)
	n := Notice{Kind: kind, Provider: "synology", Area: AreaNAS, Target: nas}
	title := cut(orWord(subjectTagRE.ReplaceAllString(v.subject, ""), firstLine(v.text, nil)), 140)
	what := map[string]string{
		KindSynologyVolumeDegraded:  "volume degraded",
		KindSynologyDiskFailing:     "drive failing",
		KindSynologyBackupFailed:    "backup failed",
		KindSynologyBackupSucceeded: "backup succeeded",
	}[kind]
	n.Summary = fmt.Sprintf("NAS %s: %s: %s", orWord(nas, "(undeclared)"), what, title)
	switch kind {
	case KindSynologyVolumeDegraded:
		n.Severity = finding.Critical
	case KindSynologyDiskFailing:
		n.Severity = finding.High
		if crashedRE.MatchString(v.all) {
			n.Severity = finding.Critical
		}
	case KindSynologyBackupFailed:
		n.Severity = finding.High
	case KindSynologyBackupSucceeded:
		n.Closes = []string{KindSynologyBackupFailed}
	}
	return []Notice{n}
}

var (
	cronSubjectRE   = exact(`^Cron <([^>]*)>\s*(.*)$`)
	cronFailedRE    = exact(`\s*\(failed\)\s*$`)
	cronErrorRE     = re(`\b(error|fatal)\b`)
	resticFailureRE = re(`fatal:|unable to open|repository is already locked|\berror:`)
	resticRE        = re(`\brestic\b`)
)

// isCron: cron's sender name or subject.
func isCron(v *view) bool {
	return strings.Contains(strings.ToLower(v.m.From.Name), "cron daemon") || cronSubjectRE.MatchString(v.subject)
}

func (c *Classifier) cron(v *view) []Notice {
	var userHost, command string
	if sm := cronSubjectRE.FindStringSubmatch(v.subject); sm != nil {
		userHost, command = sm[1], sm[2]
	}
	failed := cronFailedRE.MatchString(command)
	command = cronFailedRE.ReplaceAllString(command, "")
	host := userHost
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	n := Notice{Provider: "cron"}
	if nas := c.cronNAS(host); nas != "" {
		n.Area, n.Target = AreaNAS, nas
	}
	where := orWord(n.Target, orWord(host, "a host"))
	cmd := cut(orWord(command, "(unknown command)"), 120)
	job := findName(command, c.known.Backups)
	if job == "" {
		job = findName(v.text, c.known.Backups)
	}
	if (job != "" || resticRE.MatchString(command+"\n"+v.text)) && resticFailureRE.MatchString(v.text) {
		return []Notice{{Kind: KindResticBackupFailed, Provider: "restic", Severity: finding.High, Area: AreaBackup, Target: job,
			Summary: fmt.Sprintf("restic backup %s failed on %s: %s", orWord(job, "(undeclared job)"), where, firstLine(v.text, resticFailureRE))}}
	}
	switch {
	case failed || cronErrorRE.MatchString(v.text):
		n.Kind, n.Severity = KindCronJobFailed, finding.High
		n.Summary = fmt.Sprintf("cron job on %s failed: %s", where, cmd)
		if l := firstLine(v.text, cronErrorRE); l != "" {
			n.Summary += ": " + l
		}
	default:
		n.Kind = KindCronOutput
		n.Summary = fmt.Sprintf("cron job on %s printed output: %s", where, cmd)
	}
	return []Notice{n}
}

// cronNAS is the name of the declared NAS whose name or host (or its
// first label) is host.
func (c *Classifier) cronNAS(host string) string {
	if host == "" {
		return ""
	}
	for _, n := range c.nasWords {
		first, _, _ := strings.Cut(n, ".")
		if strings.EqualFold(n, host) || strings.EqualFold(first, host) {
			return c.nasName(n)
		}
	}
	return ""
}
