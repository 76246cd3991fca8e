package sandbox

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/lagrieta/itlag/ops/backup"
)

// backupsDir holds the sandbox's restic repositories: DIR/backups/JOB/DEST.
const backupsDir = "backups"

// BackupJobs points jobs at the sandbox: every repository becomes a
// directory under DIR/backups (a cloud or SFTP destination cannot be
// reached from here), and every source a directory of the job's fake NAS
// (DIR/nas/NAME/PATH; DIR/local/PATH for local jobs), filled with a few
// sample files the first time.
func BackupJobs(dir string, jobs []backup.Job) ([]backup.Job, error) {
	// Absolute: restic records the paths as given, and the drill compares
	// the restored files with the sources by those paths.
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	out := make([]backup.Job, len(jobs))
	for i, j := range jobs {
		root := filepath.Join(dir, nasDir, j.RunsOn)
		if j.RunsOn == "local" {
			root = filepath.Join(dir, "local")
		}
		srcs := make([]string, len(j.Sources))
		for k, s := range j.Sources {
			p := filepath.Join(root, filepath.FromSlash(s))
			if err := sampleFiles(p); err != nil {
				return nil, fmt.Errorf("sandbox: backup %s: %w", j.Name, err)
			}
			srcs[k] = p
		}
		j.Sources = srcs
		dests := make([]backup.Destination, len(j.Destinations))
		for k, d := range j.Destinations {
			repo := filepath.Join(dir, backupsDir, j.Name, d.Name)
			if err := os.MkdirAll(filepath.Dir(repo), 0o700); err != nil {
				return nil, err
			}
			d.Repository, d.Repo.URL, d.Repo.SFTPCommand, d.Repo.Env = repo, repo, "", nil
			dests[k] = d
		}
		j.Destinations = dests
		out[i] = j
	}
	return out, nil
}

// sampleFiles gives a missing source directory a few files to back up.
func sampleFiles(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(dir, "2026"), 0o755); err != nil {
		return err
	}
	files := map[string]string{
		"README.txt":          "Sample data the sandbox backs up.\n",
		"2026/invoice-01.txt": "Invoice 2026-01: 120.00 EUR\n",
		"2026/invoice-02.txt": "Invoice 2026-02: 95.50 EUR\n",
		"2026/notes.md":       "# Notes\n\nThe backup drill restores these files and compares their hashes.\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(name)), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}
