package samples

import (
	"fmt"
	"strings"
)

func (b builder) synologyHead(name, subject string) head {
	return head{name: name, fromDomain: b.n.NASHost, from: fmt.Sprintf("%s <nas@%s>", b.n.NAS, b.n.NASHost),
		subject: subject, contentType: "text/plain; charset=utf-8", cte: "8bit"}
}

func (b builder) synologyVolumeDegraded() Sample {
	h := b.synologyHead("syno-degraded", fmt.Sprintf("[%s] Volume 1 on %s has entered degraded mode", b.n.NAS, b.n.NAS))
	body := fmt.Sprintf(`Dear user,

Volume 1 (RAID 5) on %s has entered degraded mode because Drive 2 was removed or failed.
Please replace the drive and repair the storage pool as soon as possible.

From %s (Synology DiskStation DS920+, DSM 7.2.1)
`, b.n.NAS, b.n.NAS)
	return Sample{Name: "synology-volume-degraded", Kind: "synology.volume-degraded", Raw: b.mail(h, body)}
}

func (b builder) synologyDiskFailing() Sample {
	h := b.synologyHead("syno-disk", fmt.Sprintf("[%s] Drive 3 in %s is failing", b.n.NAS, b.n.NAS))
	body := fmt.Sprintf(`Dear user,

Drive 3 in %s has reached the bad sector count threshold (S.M.A.R.T. status: Failing).
Back up your data and replace the drive.

From %s (Synology DiskStation)
`, b.n.NAS, b.n.NAS)
	return Sample{Name: "synology-disk-failing", Kind: "synology.disk-failing", Raw: b.mail(h, body)}
}

func (b builder) synologyBackupFailed() Sample {
	h := b.synologyHead("syno-hb-failed", fmt.Sprintf("[%s] Hyper Backup task %s-offsite has failed", b.n.NAS, b.n.BackupJob))
	body := fmt.Sprintf(`Dear user,

Backup task %s-offsite on %s has failed.
Error: the destination is offline or unreachable.

From %s (Synology DiskStation, DSM 7.2)
`, b.n.BackupJob, b.n.NAS, b.n.NAS)
	return Sample{Name: "synology-backup-failed", Kind: "synology.backup-failed", Raw: b.mail(h, body)}
}

func (b builder) synologyBackupSucceeded() Sample {
	h := b.synologyHead("syno-hb-ok", fmt.Sprintf("[%s] Hyper Backup task %s-offsite completed successfully", b.n.NAS, b.n.BackupJob))
	body := fmt.Sprintf("Dear user,\n\nBackup task %s-offsite on %s has completed successfully.\n\nFrom %s (Synology DiskStation)\n",
		b.n.BackupJob, b.n.NAS, b.n.NAS)
	return Sample{Name: "synology-backup-succeeded", Kind: "synology.backup-succeeded", Raw: b.mail(h, body)}
}

// cronHead is cron's header as Debian's cron writes it (the MTA added
// Message-ID and Date).
func (b builder) cronHead(name, command string, failed bool) head {
	short := strings.SplitN(b.n.NASHost, ".", 2)[0]
	subject := fmt.Sprintf("Cron <root@%s> %s", short, command)
	if failed {
		subject += " (failed)"
	}
	return head{name: name, fromDomain: b.n.NASHost, from: "root (Cron Daemon)", to: "root",
		subject: subject, contentType: "text/plain; charset=UTF-8", cte: "8bit",
		extra: []string{"X-Cron-Env: <SHELL=/bin/sh>", "X-Cron-Env: <HOME=/root>",
			"X-Cron-Env: <PATH=/usr/bin:/bin>", "X-Cron-Env: <LOGNAME=root>"}}
}

func (b builder) cronResticFailed() Sample {
	h := b.cronHead("cron-restic", "itlag backup run "+b.n.BackupJob, true)
	body := fmt.Sprintf(`itlag: backup %s: restic backup: exit status 1
Fatal: unable to open repository at sftp:backup@offsite.%s:/srv/restic/%s: ssh: connect to host offsite.%s port 22: Connection timed out
`, b.n.BackupJob, b.n.Domain, b.n.BackupJob, b.n.Domain)
	return Sample{Name: "cron-restic-failed", Kind: "restic.backup-failed", Raw: b.mail(h, body)}
}

func (b builder) cronJobFailed() Sample {
	h := b.cronHead("cron-failed", "/usr/local/bin/rotate-logs --keep 14", true)
	body := "rotate-logs: error: /var/log/app: Permission denied\n"
	return Sample{Name: "cron-job-failed", Kind: "cron.job-failed", Raw: b.mail(h, body)}
}

func (b builder) cronOutput() Sample {
	h := b.cronHead("cron-output", "run-parts --report /etc/cron.daily", false)
	body := "/etc/cron.daily/apt-compat:\nReading package lists... Done\n"
	return Sample{Name: "cron-output", Kind: "cron.output", Raw: b.mail(h, body)}
}
