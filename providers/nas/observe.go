package nas

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

// readers bounds the files read at once over the one connection.
const readers = 4

// ObserveResources connects to the NAS named target once and, over that
// connection: runs metrics.Script in one command and turns its output into
// findings (metrics.Evaluate with the target's thresholds, source
// "nas:<target>") and metrics; reads each distinct file of want once (a
// few at a time); and, only when a resource manages an owner or group,
// asks for all of them in one more command; and reads the pending-reload
// file (PendingSuffix) of each file whose resource has a Reload.
//
// A file's Live content is the file's; a block's is the text between its
// markers. A file absent, or a block whose markers are absent (or whose
// file is), is Missing; one whose Reload is listed in the file's pending-
// reload file is ReloadPending. Live carries the desired Reload, and the attributes
// the desired resource manages as they are on the host; it is Sensitive
// when the desired resource is, or when the file is not readable by others
// (its mode lacks o+r). A file that cannot be read (permission denied), one
// whose path is unsafe (a symbolic link, a parent others may write: see
// remote.ErrUnsafePath; nothing is read through it), or a block whose
// markers are broken is Held, with a high finding saying what to fix.
//
// Errors: a bad resource (a relative path, an unknown kind or attribute);
// the NAS unreachable or its host key not the pinned one (wrapping
// providers.ErrUnreachable or providers.ErrHostKeyMismatch, which the
// engine turns into findings).
func (p *Provider) ObserveResources(ctx context.Context, target string, want []providers.Resource) (providers.ResourceObservation, error) {
	specs := make([]spec, len(want))
	for i, w := range want {
		s, err := parseSpec(w)
		if err != nil {
			return providers.ResourceObservation{}, fmt.Errorf("nas %s: %w", target, err)
		}
		specs[i] = s
	}
	t, err := p.connect(ctx, target)
	if err != nil {
		return providers.ResourceObservation{}, err
	}
	defer t.Close()

	obs := providers.ResourceObservation{States: make([]providers.ResourceState, len(want))}
	if err := p.observeMetrics(ctx, t, target, &obs); err != nil {
		return providers.ResourceObservation{}, err
	}
	files, err := readFiles(ctx, t, specs)
	if err != nil {
		return providers.ResourceObservation{}, fmt.Errorf("nas %s: %w", target, err)
	}
	owners, err := readOwners(ctx, t, specs)
	if err != nil {
		return providers.ResourceObservation{}, fmt.Errorf("nas %s: %w", target, err)
	}
	pending, err := readPending(ctx, t, specs)
	if err != nil {
		return providers.ResourceObservation{}, fmt.Errorf("nas %s: %w", target, err)
	}
	src := source(target)
	for i, s := range specs {
		st, f := observeOne(src, s, files[s.path], owners[s.path])
		st.ReloadPending = f == nil && !st.Missing && slices.Contains(pending[s.path], s.res.Reload)
		obs.States[i] = st
		if f != nil {
			obs.Findings = append(obs.Findings, *f)
		}
	}
	return obs, nil
}

// observeMetrics runs the metrics script and adds its findings and
// metrics. A script that fails or prints what Parse refuses is a finding,
// not an error: the files can still be observed.
func (p *Provider) observeMetrics(ctx context.Context, t remote.Transport, target string, obs *providers.ResourceObservation) error {
	src := source(target)
	res, err := t.Run(ctx, metrics.Script(), nil)
	if err != nil {
		return fmt.Errorf("nas %s: metrics: %w", target, classify(err))
	}
	sample, perr := metrics.Parse(res.Stdout)
	if perr != nil {
		why := perr.Error()
		if res.ExitCode != 0 {
			why = fmt.Sprintf("exit %d: %s; %s", res.ExitCode, firstLine(res.Stderr), why)
		}
		f := finding.New(finding.High, src, "metrics-unreadable", "the metrics of "+target+" could not be read")
		f.Detail = why
		obs.Findings = append(obs.Findings, f)
		return nil
	}
	obs.Findings = append(obs.Findings, metrics.Evaluate(src, sample, p.targets[target].Thresholds)...)
	obs.Metrics = metrics.Metrics(sample)
	return nil
}

// firstLine is b's first non-empty line, trimmed, or "(no output)".
func firstLine(b []byte) string {
	for line := range strings.SplitSeq(string(bytes.TrimSpace(b)), "\n") {
		if l := strings.TrimSpace(line); l != "" {
			return l
		}
	}
	return "(no output)"
}

// file is a file as read.
type file struct {
	data   string
	mode   fs.FileMode
	exists bool
	err    error // unreadable for another reason than absence
}

// readFiles reads each distinct path of specs once, readers at a time.
// Only a lost connection or a cancelled ctx is an error; other read errors
// are kept in the file.
func readFiles(ctx context.Context, t remote.Transport, specs []spec) (map[string]*file, error) {
	files := map[string]*file{}
	var paths []string
	for _, s := range specs {
		if files[s.path] == nil {
			files[s.path] = &file{}
			paths = append(paths, s.path)
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, readers)
	for _, p := range paths {
		f := files[p]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			*f = readFile(ctx, t, p)
		}()
	}
	wg.Wait()
	for _, p := range paths {
		if err := files[p].err; err != nil && (errors.Is(err, remote.ErrUnreachable) || ctx.Err() != nil) {
			return nil, fmt.Errorf("read %s: %w", p, classify(err))
		}
	}
	return files, nil
}

func readFile(ctx context.Context, t remote.Transport, p string) file {
	data, mode, err := t.ReadFile(ctx, p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return file{}
	case err != nil:
		return file{err: err}
	}
	return file{data: string(data), mode: mode, exists: true}
}

// observeOne is one resource's state, and a finding when it is held.
func observeOne(src string, s spec, f *file, own owner) (providers.ResourceState, *finding.Finding) {
	live := providers.Resource{Kind: s.res.Kind, Name: s.res.Name, Sensitive: s.res.Sensitive, Reload: s.res.Reload}
	held := func(key, summary string, err error) (providers.ResourceState, *finding.Finding) {
		fd := finding.New(finding.High, src, key, summary)
		fd.Detail = err.Error()
		live.Content = ""
		return providers.ResourceState{Live: live, Held: summary}, &fd
	}
	switch {
	case errors.Is(f.err, remote.ErrUnsafePath):
		return held("unsafe-path:"+s.path, fmt.Sprintf("%s is refused: a symbolic link or a directory others may write is on its path; nothing is read or written there until it is fixed", s.path), f.err)
	case f.err != nil:
		return held("unreadable:"+s.path, fmt.Sprintf("%s cannot be read: no change is planned for %s until it can", s.path, s.res.Name), f.err)
	case !f.exists:
		return providers.ResourceState{Live: live, Missing: true}, nil
	}
	// A file others may not read is sensitive whatever the state says of
	// it now: its live content is never shown.
	live.Sensitive = live.Sensitive || f.mode&0o004 == 0
	live.Content = f.data
	if s.block != "" {
		content, found, err := readBlock(f.data, s.comment, s.block)
		switch {
		case err != nil:
			return held("markers:"+s.res.Name, fmt.Sprintf("%s: the markers of block %s are broken: fix them by hand (one BEGIN line, then one END line)", s.path, s.block), err)
		case !found:
			live.Content = ""
			return providers.ResourceState{Live: live, Missing: true}, nil
		}
		live.Content = content
	}
	live.Attrs = s.liveAttrs(f.mode, own.user, own.group)
	return providers.ResourceState{Live: live}, nil
}
