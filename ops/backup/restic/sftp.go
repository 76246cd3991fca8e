package restic

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
)

// SFTPCommand builds the ssh command restic runs for an sftp: repository
// (Repo.SFTPCommand), with the host key pinned:
//
//	ssh -i KEY -p PORT -o UserKnownHostsFile=FILE -o StrictHostKeyChecking=yes -o BatchMode=yes USER@HOST -s sftp
//
// knownHostsFile must hold the host's key as a known_hosts line
// ("[HOST]:PORT ssh-ed25519 AAAA…" for a port other than 22). It returns
// "" when an argument cannot be passed safely; NewSFTPCommand says why.
func SFTPCommand(user, host string, port int, keyFile, knownHostsFile string) string {
	cmd, err := NewSFTPCommand(user, host, port, keyFile, knownHostsFile)
	if err != nil {
		return ""
	}
	return cmd
}

// NewSFTPCommand is SFTPCommand with the reason for a refusal. Paths are
// made absolute and their '%' escaped (ssh expands %-tokens in both);
// arguments holding spaces or quotes are quoted so that restic 0.14's
// splitter and the newer shell-like one read the same arguments. A
// backslash, a control character, or both quote characters in one argument
// cannot be, and are refused; so are a user or host starting with '-'.
func NewSFTPCommand(user, host string, port int, keyFile, knownHostsFile string) (string, error) {
	switch {
	case user == "" || strings.HasPrefix(user, "-"):
		return "", fmt.Errorf("sftp command: user %q: empty or starts with '-'", user)
	case host == "" || strings.HasPrefix(host, "-") || strings.ContainsFunc(host, unicode.IsSpace):
		return "", fmt.Errorf("sftp command: host %q: empty, starts with '-' or holds a space", host)
	case port < 1 || port > 65535:
		return "", fmt.Errorf("sftp command: port %d out of range", port)
	case keyFile == "" || knownHostsFile == "":
		return "", errors.New("sftp command: key file and known_hosts file are required")
	}
	key, err := filepath.Abs(keyFile)
	if err != nil {
		return "", fmt.Errorf("sftp command: key file: %w", err)
	}
	kh, err := filepath.Abs(knownHostsFile)
	if err != nil {
		return "", fmt.Errorf("sftp command: known_hosts file: %w", err)
	}
	kh = sshPercent(kh)
	if strings.ContainsFunc(kh, unicode.IsSpace) {
		// ssh splits UserKnownHostsFile at spaces unless double-quoted.
		if strings.Contains(kh, `"`) {
			return "", fmt.Errorf("sftp command: known_hosts path %q holds both a space and '\"'", knownHostsFile)
		}
		kh = `"` + kh + `"`
	}
	return quoteCommand([]string{
		"ssh", "-i", sshPercent(key), "-p", strconv.Itoa(port),
		"-o", "UserKnownHostsFile=" + kh,
		"-o", "StrictHostKeyChecking=yes",
		"-o", "BatchMode=yes",
		user + "@" + host, "-s", "sftp",
	})
}

// sshPercent escapes ssh's %-tokens.
func sshPercent(s string) string { return strings.ReplaceAll(s, "%", "%%") }

// quoteCommand joins args so that restic splits them back identically:
// plain words bare, others in single quotes, or double quotes when they
// hold a single quote.
func quoteCommand(args []string) (string, error) {
	out := make([]string, 0, len(args))
	for _, a := range args {
		q, err := quoteArg(a)
		if err != nil {
			return "", fmt.Errorf("sftp command: %w", err)
		}
		out = append(out, q)
	}
	return strings.Join(out, " "), nil
}

func quoteArg(a string) (string, error) {
	switch {
	case a == "":
		return "", errors.New("empty argument")
	case strings.ContainsRune(a, '\\'):
		return "", fmt.Errorf("argument %q holds a backslash", a)
	case strings.ContainsFunc(a, func(r rune) bool { return unicode.IsControl(r) }):
		return "", fmt.Errorf("argument %q holds a control character", a)
	case !strings.ContainsFunc(a, func(r rune) bool { return r == '\'' || r == '"' || unicode.IsSpace(r) }):
		return a, nil
	case !strings.ContainsRune(a, '\''):
		return "'" + a + "'", nil
	case !strings.ContainsRune(a, '"'):
		return `"` + a + `"`, nil
	}
	return "", fmt.Errorf("argument %q holds both quote characters", a)
}
