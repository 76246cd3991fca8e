package nas

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

// DefaultMode is the mode of a file itlag creates when the resource sets
// none.
const DefaultMode fs.FileMode = 0o644

// SensitiveMode is the mode of a file itlag creates for a sensitive
// resource that sets none: its owner's only.
const SensitiveMode fs.FileMode = 0o600

// newMode is the mode a new file gets for s when s sets none.
func newMode(s spec) fs.FileMode {
	if s.res.Sensitive {
		return SensitiveMode
	}
	return DefaultMode
}

// op is one change, checked.
type op struct {
	i    int // index in the changes
	s    spec
	del  bool
	name string // the resource's name, for errors
}

// ApplyResources carries out changes on the NAS named target over one
// connection and returns one error per change, in order.
//
// Changes to the same file are applied together, in order, to the file as
// read just before: a file change writes the desired content; a block
// change replaces the text between the block's markers, or appends the
// block with its markers at the end (creating the file when absent),
// keeping every byte outside the markers; a block delete removes the block
// and its markers; a file delete moves the file to path+remote.PrevSuffix.
// The file is then written once (atomically; the transport keeps the
// previous version as path+remote.PrevSuffix), and only when its content
// or mode differs. A new file gets the resource's mode, else SensitiveMode
// for a sensitive resource and DefaultMode for others; an existing one
// keeps its mode unless the resource sets one. Owner and
// group, when managed, are set with chown after the write.
//
// After all writes, each distinct Reload command of the changes that
// succeeded runs once (also when the file was already as desired: the
// change may be a pending reload); a failing reload (exit status not 0)
// is the error of every change that asked for it, with the first line of
// its stderr (not when a sensitive resource asked for it: that line could
// quote the secret), and it stays pending (PendingSuffix) until a later
// apply runs it successfully.
func (p *Provider) ApplyResources(ctx context.Context, target string, changes []providers.Change) []error {
	errs := make([]error, len(changes))
	var ops []op
	for i, c := range changes {
		o, err := checkChange(c, target)
		if err != nil {
			errs[i] = fmt.Errorf("nas %s: %w", target, err)
			continue
		}
		o.i = i
		ops = append(ops, o)
	}
	if len(ops) == 0 {
		return errs
	}
	t, err := p.connect(ctx, target)
	if err != nil {
		for _, o := range ops {
			errs[o.i] = err
		}
		return errs
	}
	defer t.Close()

	var order []string
	byPath := map[string][]op{}
	for _, o := range ops {
		if byPath[o.s.path] == nil {
			order = append(order, o.s.path)
		}
		byPath[o.s.path] = append(byPath[o.s.path], o)
	}
	for _, p := range order {
		applyFile(ctx, t, target, byPath[p], errs)
	}
	run := func(ctx context.Context, cmd string) (remote.Result, error) { return t.Run(ctx, cmd, nil) }
	if r := p.targets[target].Reload; r != nil {
		run = r
	}
	runReloads(ctx, t, run, target, ops, errs)
	return errs
}

// checkChange takes a change apart: the resource it writes (After) or
// deletes (Before).
func checkChange(c providers.Change, target string) (op, error) {
	rc := c.Resource
	if rc == nil {
		return op{}, fmt.Errorf("change %s: not a resource change", c.Address)
	}
	if rc.Target != "" && rc.Target != target {
		return op{}, fmt.Errorf("change %s: for target %s, applied to %s", c.Address, rc.Target, target)
	}
	action := c.Action
	if action == "" && rc.After == nil {
		action = providers.Delete
	}
	var r *providers.Resource
	del := false
	switch action {
	case providers.Delete:
		r, del = rc.Before, true
		if r == nil {
			r = rc.After
		}
	case providers.Create, providers.Update, "":
		r = rc.After
	default:
		return op{}, fmt.Errorf("change %s: unknown action %q", c.Address, action)
	}
	if r == nil {
		return op{}, fmt.Errorf("change %s: %s without the resource", c.Address, action)
	}
	s, err := parseSpec(*r)
	if err != nil {
		return op{}, fmt.Errorf("change %s: %w", c.Address, err)
	}
	return op{s: s, del: del, name: r.Name}, nil
}

// applyFile applies the ops of one file, setting errs for each.
func applyFile(ctx context.Context, t remote.Transport, target string, ops []op, errs []error) {
	p := ops[0].s.path
	fail := func(o op, err error) { errs[o.i] = fmt.Errorf("nas %s: %s: %w", target, o.name, err) }
	cur := readFile(ctx, t, p)
	if cur.err != nil {
		for _, o := range ops {
			fail(o, fmt.Errorf("read: %w", classify(cur.err)))
		}
		return
	}
	text, exists, mode := cur.data, cur.exists, cur.mode
	var done []op
	for _, o := range ops {
		s := o.s
		switch {
		case s.block == "" && o.del:
			text, exists = "", false
		case s.block == "":
			if !exists {
				mode = newMode(s)
			}
			text, exists = s.res.Content, true
		case o.del:
			if exists {
				nt, err := removeBlock(text, s.comment, s.block)
				if err != nil {
					fail(o, err)
					continue
				}
				text = nt
			}
		default:
			if !exists {
				text, mode = "", newMode(s)
			}
			nt, err := setBlock(text, s.comment, s.block, s.res.Content)
			if err != nil {
				fail(o, err)
				continue
			}
			text, exists = nt, true
		}
		if s.hasMode && exists && !o.del {
			mode = s.mode
		}
		done = append(done, o)
	}
	if len(done) == 0 {
		return
	}
	var err error
	switch {
	case exists && (!cur.exists || text != cur.data || mode != cur.mode):
		err = t.WriteFile(ctx, p, []byte(text), mode)
		if errors.Is(err, fs.ErrNotExist) && !cur.exists {
			err = fmt.Errorf("write: directory %s does not exist (itlag does not create directories): %w", path.Dir(p), err)
		} else if err != nil {
			err = fmt.Errorf("write: %w", classify(err))
		}
	case !exists && cur.exists:
		err = keepAside(ctx, t, p)
	}
	if err == nil && exists {
		err = setOwner(ctx, t, p, done)
	}
	if err != nil {
		for _, o := range done {
			fail(o, err)
		}
	}
}

// keepAside deletes a file by moving it to path+remote.PrevSuffix.
func keepAside(ctx context.Context, t remote.Transport, p string) error {
	// mv would move the file into a directory, or a link to one, found at
	// the destination: refuse those instead of following them.
	dst := rootPath(p + remote.PrevSuffix)
	cmd := "if [ -L " + dst + " ] || [ -d " + dst + " ]; then echo 'refused: a symbolic link or a directory is in the way' >&2; exit 3; fi; " +
		"mv -f -- " + rootPath(p) + " " + dst
	res, err := t.Run(ctx, cmd, nil)
	if err != nil {
		return fmt.Errorf("delete: %w", classify(err))
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("delete: mv to %s: exit %d: %s", p+remote.PrevSuffix, res.ExitCode, firstLine(res.Stderr))
	}
	return nil
}

// setOwner runs chown once for the owner and group the ops manage (the
// last op to name one wins), when any does; with -h, so that a link
// swapped in after the write is changed itself, not what it points at.
func setOwner(ctx context.Context, t remote.Transport, p string, ops []op) error {
	var user, group string
	for _, o := range ops {
		if o.del {
			continue
		}
		if o.s.owner != "" {
			user = o.s.owner
		}
		if o.s.group != "" {
			group = o.s.group
		}
	}
	var cmd string
	switch {
	case user != "" && group != "":
		cmd = "chown -h -- " + remote.ShellQuote(user+":"+group) + " " + rootPath(p)
	case user != "":
		cmd = "chown -h -- " + remote.ShellQuote(user) + " " + rootPath(p)
	case group != "":
		cmd = "chgrp -h -- " + remote.ShellQuote(group) + " " + rootPath(p)
	default:
		return nil
	}
	res, err := t.Run(ctx, cmd, nil)
	if err != nil {
		return fmt.Errorf("set owner: %w", classify(err))
	}
	if res.ExitCode != 0 {
		return fmt.Errorf("written, but setting the owner failed: exit %d: %s", res.ExitCode, firstLine(res.Stderr))
	}
	return nil
}

// runReloads runs each distinct Reload of the ops that succeeded once, in
// the order first asked, and gives a failure to every op that asked. A
// failed reload is remembered beside each file that asked for it (see
// PendingSuffix; not for a deleted file), a successful one forgotten.
// run runs a command on the NAS (t.Run, or the sandbox's recorder).
func runReloads(ctx context.Context, t remote.Transport, run func(context.Context, string) (remote.Result, error), target string, ops []op, errs []error) {
	var cmds []string
	asked := map[string][]op{}
	sensitive := map[string]bool{}
	for _, o := range ops {
		cmd := o.s.res.Reload
		if cmd == "" || errs[o.i] != nil {
			continue
		}
		if asked[cmd] == nil {
			cmds = append(cmds, cmd)
		}
		asked[cmd] = append(asked[cmd], o)
		sensitive[cmd] = sensitive[cmd] || o.s.res.Sensitive
	}
	for _, cmd := range cmds {
		var err error
		res, rerr := run(ctx, cmd)
		switch {
		case rerr != nil:
			err = fmt.Errorf("written, but reload %q did not run: %w", cmd, classify(rerr))
		case res.ExitCode != 0 && sensitive[cmd]:
			// a service quoting the line it chokes on would print the secret
			err = fmt.Errorf("written, but reload %q failed: exit %d (its output is not shown: the file is sensitive)", cmd, res.ExitCode)
		case res.ExitCode != 0:
			err = fmt.Errorf("written, but reload %q failed: exit %d: %s", cmd, res.ExitCode, firstLine(res.Stderr))
		}
		marked := map[string]error{}
		for _, o := range asked[cmd] {
			if _, done := marked[o.s.path]; !done && !(o.del && err != nil) {
				marked[o.s.path] = markPending(ctx, t, o.s.path, cmd, err == nil)
			}
			switch merr := marked[o.s.path]; {
			case err != nil && merr != nil:
				errs[o.i] = fmt.Errorf("nas %s: %s: %w (and it could not be remembered for the next apply: %w)", target, o.name, err, merr)
			case err != nil:
				errs[o.i] = fmt.Errorf("nas %s: %s: %w (pending: the next plan runs it again)", target, o.name, err)
			case merr != nil:
				errs[o.i] = fmt.Errorf("nas %s: %s: reloaded, but its pending mark could not be cleared: %w", target, o.name, merr)
			}
		}
	}
}
