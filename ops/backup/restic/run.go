package restic

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"
)

const (
	defaultGrace = 15 * time.Second
	// stderrLimit bounds what is kept of restic's stderr (warnings of a
	// backup of many unreadable files).
	stderrLimit = 4 << 20
)

// ownedVars are set from Repo and Runner fields; Repo.Env may not set them.
var ownedVars = map[string]bool{
	"RESTIC_REPOSITORY": true, "RESTIC_REPOSITORY_FILE": true,
	"RESTIC_PASSWORD": true, "RESTIC_PASSWORD_FILE": true, "RESTIC_PASSWORD_COMMAND": true,
	"RESTIC_CACHE_DIR": true,
}

// result is how one restic process ended.
type result struct {
	stdout []byte // empty when streamed
	stderr []byte
	code   int
	// stderrCut: stderr was longer than stderrLimit and was cut.
	stderrCut bool
}

// invocation is one restic command line.
type invocation struct {
	args []string // after the global options
	repo *Repo    // nil: no repository (version)
	// onLine, when set, receives stdout line by line instead of result.stdout.
	onLine func([]byte)
}

// run runs restic once. It returns a result for any exit status; the error
// is for a restic that could not be started or was cancelled.
func (r *Runner) run(ctx context.Context, inv invocation) (result, error) {
	env, err := r.environ(inv.repo)
	if err != nil {
		return result{}, err
	}
	args := inv.args
	if inv.repo != nil && inv.repo.SFTPCommand != "" {
		args = append([]string{"-o", csvField("sftp.command=" + inv.repo.SFTPCommand)}, args...)
	}
	bin := r.Bin
	if bin == "" {
		bin = "restic"
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdin = nil // /dev/null: restic never waits for a password
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = r.Grace
	if cmd.WaitDelay <= 0 {
		cmd.WaitDelay = defaultGrace
	}
	var stdout bytes.Buffer
	var lines *lineWriter
	if inv.onLine != nil {
		lines = &lineWriter{fn: inv.onLine}
		cmd.Stdout = lines
	} else {
		cmd.Stdout = &stdout
	}
	stderr := &cappedBuffer{limit: stderrLimit}
	cmd.Stderr = stderr

	r.Calls.Add(1)
	err = cmd.Run()
	if lines != nil {
		lines.flush()
	}
	res := result{stdout: stdout.Bytes(), stderr: stderr.buf.Bytes(), stderrCut: stderr.truncated}
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.Is(err, exec.ErrWaitDelay):
		// restic exited, but a child (ssh) kept its stderr open.
		res.code = cmd.ProcessState.ExitCode()
	case errors.As(err, &exitErr):
		res.code = exitErr.ExitCode()
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGINT {
			res.code = 130
		}
	default:
		return res, fmt.Errorf("run %s: %w", bin, err)
	}
	return res, nil
}

// csvField quotes an -o value: restic reads -o as a pflag string slice,
// whose values are CSV records, so a comma would split the option and a
// bare '"' is a parse error.
func csvField(v string) string {
	if !strings.ContainsAny(v, ",\"\r\n") && !strings.HasPrefix(v, " ") {
		return v
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

// environ is restic's whole environment: nothing of ours leaks but PATH,
// HOME, TMPDIR and TZ.
func (r *Runner) environ(repo *Repo) ([]string, error) {
	vars := map[string]string{}
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "TZ"} {
		if v, ok := os.LookupEnv(k); ok {
			vars[k] = v
		}
	}
	if _, ok := vars["PATH"]; !ok {
		vars["PATH"] = "/usr/local/bin:/usr/bin:/bin"
	}
	if r.CacheDir != "" {
		vars["RESTIC_CACHE_DIR"] = r.CacheDir
	}
	if repo != nil {
		if err := repo.validate(); err != nil {
			return nil, err
		}
		for k, v := range repo.Env {
			vars[k] = v
		}
		vars["RESTIC_REPOSITORY"] = repo.URL
		vars["RESTIC_PASSWORD"] = repo.Password
	}
	env := make([]string, 0, len(vars))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env, nil
}

// validate checks what restic cannot be given safely.
func (repo Repo) validate() error {
	switch {
	case repo.URL == "":
		return errors.New("no repository URL")
	case strings.ContainsAny(repo.URL, "\x00\n\r"):
		return errors.New("repository URL holds a control character")
	case repo.Password == "":
		return errors.New("no password (RESTIC_PASSWORD would be empty)")
	case strings.ContainsRune(repo.Password, 0):
		return errors.New("password holds a NUL byte")
	case strings.ContainsRune(repo.SFTPCommand, 0):
		return errors.New("sftp command holds a NUL byte")
	}
	for k, v := range repo.Env {
		switch {
		case k == "" || strings.ContainsAny(k, "=\x00"):
			return fmt.Errorf("invalid environment variable name %q", k)
		case ownedVars[k]:
			return fmt.Errorf("environment variable %s is set by the runner, not Env", k)
		case strings.ContainsRune(v, 0):
			return fmt.Errorf("environment variable %s holds a NUL byte", k)
		}
	}
	return nil
}

// lineWriter calls fn with every complete line written to it (without the
// newline); flush passes the last, unterminated one.
type lineWriter struct {
	fn  func([]byte)
	buf []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.fn(w.buf[:i])
		w.buf = w.buf[i+1:]
	}
	return len(p), nil
}

func (w *lineWriter) flush() {
	if len(w.buf) > 0 {
		w.fn(w.buf)
		w.buf = nil
	}
}

// cappedBuffer keeps the first limit bytes written to it.
type cappedBuffer struct {
	buf       bytes.Buffer
	limit     int
	truncated bool
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	room := b.limit - b.buf.Len()
	if room < len(p) {
		b.truncated = true
		if room > 0 {
			b.buf.Write(p[:room])
		}
		return len(p), nil
	}
	b.buf.Write(p)
	return len(p), nil
}
