package restic

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"
)

// ExitError is a restic process that exited with a non-zero status.
type ExitError struct {
	// Code is restic's exit status (-1 when it was killed by a signal).
	Code int
	// Message is restic's first meaningful stderr line, "Fatal: "
	// stripped, secrets redacted.
	Message string
	// Kind is the sentinel this exit maps to (ErrWrongPassword, …), or nil
	// for a plain failure.
	Kind error
}

func (e *ExitError) Error() string {
	msg := e.Message
	if msg == "" {
		msg = "no message"
	}
	return fmt.Sprintf("exit status %d: %s", e.Code, msg)
}

// Unwrap returns Kind, so that errors.Is(err, ErrWrongPassword) works.
func (e *ExitError) Unwrap() error { return e.Kind }

// classify maps an exit code and restic's stderr to a sentinel (nil for a
// plain failure). Codes 10, 11, 12 exist since 0.17; before, restic exits 1
// and only its message tells. Only restic's text lines count, not the
// JSON per-file errors, whose paths could hold any words.
func classify(code int, stderr string) error {
	switch code {
	case 0:
		return nil
	case 3:
		return ErrPartial
	case 10:
		return ErrNoRepository
	case 11:
		return ErrLocked
	case 12:
		return ErrWrongPassword
	case 130:
		return context.Canceled
	}
	low := strings.ToLower(textLines(stderr))
	switch {
	case strings.Contains(low, "wrong password"):
		return ErrWrongPassword
	case strings.Contains(low, "is there a repository at the following location?"),
		strings.Contains(low, "unable to open config file"),
		strings.Contains(low, "repository does not exist"):
		return ErrNoRepository
	case strings.Contains(low, "repository is already locked"):
		return ErrLocked
	case strings.Contains(low, "no matching id found"):
		return ErrNoSnapshot
	}
	return nil
}

// textLines is stderr without its JSON lines, but with the message of a
// JSON exit_error.
func textLines(stderr string) string {
	var b strings.Builder
	for _, line := range strings.Split(stderr, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "{") {
			var m struct {
				Type    string `json:"message_type"`
				Message string `json:"message"`
			}
			if json.Unmarshal([]byte(t), &m) == nil {
				if m.Type == "exit_error" {
					b.WriteString(m.Message + "\n")
				}
				continue
			}
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// maxMessage bounds an error's message.
const maxMessage = 1000

// truncate cuts s to maxMessage bytes at a rune boundary. Redact first: a
// cut secret would no longer match.
func truncate(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	n := maxMessage
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// firstMessage picks restic's most telling stderr line: the message of a
// JSON exit_error, else the first "Fatal:" line, else the first line that
// is neither blank nor a JSON status line. "Fatal: " is stripped. The last
// text line printed before the Fatal one (ssh's "Host key verification
// failed.") follows it in parentheses.
func firstMessage(stderr []byte) string {
	var fatal, first, before, jsonErr string
	for _, raw := range bytes.Split(stderr, []byte("\n")) {
		line := strings.TrimSpace(string(raw))
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "{") {
			var m struct {
				Type    string          `json:"message_type"`
				Message string          `json:"message"`
				Error   json.RawMessage `json:"error"`
				Item    string          `json:"item"`
			}
			if json.Unmarshal([]byte(line), &m) == nil && m.Type != "" {
				switch m.Type {
				case "exit_error":
					return strings.TrimPrefix(m.Message, "Fatal: ")
				case "error":
					if jsonErr == "" {
						jsonErr = m.Message
						if jsonErr == "" {
							jsonErr = warningText(m.Item, "", m.Error)
						}
					}
				}
				continue
			}
		}
		if fatal == "" && strings.HasPrefix(line, "Fatal: ") {
			fatal = strings.TrimPrefix(line, "Fatal: ")
		} else if fatal == "" {
			before = line
		}
		if first == "" {
			first = line
		}
	}
	switch {
	case fatal != "" && before != "":
		return fatal + " (" + before + ")"
	case fatal != "":
		return fatal
	case first != "":
		return first
	}
	return jsonErr
}

// redactor replaces secrets by the name of the variable that holds them.
type redactor struct {
	pairs []string // old, new, old, new… longest secret first
}

func newRedactor(repo Repo) *redactor {
	type secret struct{ value, name string }
	var ss []secret
	if repo.Password != "" {
		ss = append(ss, secret{repo.Password, "RESTIC_PASSWORD"})
	}
	for k, v := range repo.Env {
		if v != "" {
			ss = append(ss, secret{v, k})
		}
	}
	if u := urlPassword(repo.URL); u != "" {
		ss = append(ss, secret{u, "password in the repository URL"})
	}
	sort.Slice(ss, func(i, j int) bool {
		if len(ss[i].value) != len(ss[j].value) {
			return len(ss[i].value) > len(ss[j].value)
		}
		return ss[i].name < ss[j].name
	})
	r := &redactor{}
	for _, s := range ss {
		r.pairs = append(r.pairs, s.value, "<"+s.name+">")
	}
	return r
}

// String returns s with every secret replaced.
func (r *redactor) String(s string) string {
	if len(r.pairs) == 0 {
		return s
	}
	return strings.NewReplacer(r.pairs...).Replace(s)
}

// urlPassword is the password of a rest:http(s)://user:pass@host/ URL.
func urlPassword(repoURL string) string {
	rest, ok := strings.CutPrefix(repoURL, "rest:")
	if !ok {
		return ""
	}
	u, err := url.Parse(rest)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}
