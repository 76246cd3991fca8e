package cli

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// commandTimeouts are the default --timeout of each command: the longest a
// whole run may take. watch's bounds each round instead (see perRound).
var commandTimeouts = map[string]time.Duration{
	"validate":      2 * time.Minute,
	"version":       time.Minute,
	"health":        healthTimeout,
	"plan":          15 * time.Minute,
	"apply":         time.Hour,
	"drift":         30 * time.Minute,
	"check":         10 * time.Minute,
	"status-page":   10 * time.Minute,
	"watch":         10 * time.Minute,
	"maintain":      time.Hour,
	"subscriptions": 10 * time.Minute,
	"import":        30 * time.Minute,
	"ddns":          5 * time.Minute,
	"nas":           10 * time.Minute,
	"mail":          10 * time.Minute,
	"report":        15 * time.Minute,
	"handbook":      2 * time.Minute,
	"backup":        24 * time.Hour,
}

// perRound lists the commands whose --timeout bounds each round of a
// long-running loop, not the whole run.
var perRound = map[string]bool{"watch": true}

// timeoutError is why a command's context ended when --timeout ran out.
type timeoutError struct {
	cmd string
	d   time.Duration
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("%s: --timeout %s reached; nothing more was started (raise it with --timeout, 0 = none)", e.cmd, e.d)
}

// Is makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// armTimeout ends the command's context after d (0 = never).
func (e *env) armTimeout(cmd string, d time.Duration) {
	if d <= 0 || e.cancel == nil {
		return
	}
	if e.timer != nil {
		e.timer.Stop()
	}
	e.timer = time.AfterFunc(d, func() { e.cancel(&timeoutError{cmd: cmd, d: d}) })
}

// stopped says why the command's context ended (a signal, --timeout), or
// "" while it runs.
func (e *env) stopped() string {
	if e.ctx == nil || e.ctx.Err() == nil {
		return ""
	}
	cause := context.Cause(e.ctx)
	var te *timeoutError
	if errors.As(cause, &te) {
		return te.Error()
	}
	return "stopped: " + cause.Error()
}
