package nas_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

// counting wraps a Transport and counts what goes through it.
type counting struct {
	remote.Transport
	mu                   sync.Mutex
	runs                 []string
	reads, writes, close int
}

func (c *counting) Run(ctx context.Context, cmd string, stdin []byte) (remote.Result, error) {
	c.mu.Lock()
	c.runs = append(c.runs, cmd)
	c.mu.Unlock()
	return c.Transport.Run(ctx, cmd, stdin)
}

func (c *counting) ReadFile(ctx context.Context, p string) ([]byte, fs.FileMode, error) {
	c.mu.Lock()
	c.reads++
	c.mu.Unlock()
	return c.Transport.ReadFile(ctx, p)
}

func (c *counting) WriteFile(ctx context.Context, p string, data []byte, mode fs.FileMode) error {
	c.mu.Lock()
	c.writes++
	c.mu.Unlock()
	return c.Transport.WriteFile(ctx, p, data, mode)
}

func (c *counting) Close() error {
	c.mu.Lock()
	c.close++
	c.mu.Unlock()
	return c.Transport.Close()
}

// box is a NAS stood in for by a directory, reached through remote.Local.
type box struct {
	root  string
	p     *nas.Provider
	dials atomic.Int32
	mu    sync.Mutex
	conns []*counting
}

const target = "office"

// newBox writes a healthy fake NAS (metrics.WriteFakeRoot) with /etc and
// /etc/cron.d, and a provider whose one target "office" dials it.
func newBox(t *testing.T, th metrics.Thresholds, opts metrics.FakeOptions) *box {
	t.Helper()
	b := &box{root: t.TempDir()}
	if err := metrics.WriteFakeRoot(b.root, opts); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(b.root, "etc", "cron.d"), 0o755); err != nil {
		t.Fatal(err)
	}
	b.p = nas.New(map[string]nas.Config{target: {
		Dial: func(context.Context) (remote.Transport, error) {
			b.dials.Add(1)
			c := &counting{Transport: remote.Local{Root: b.root}}
			b.mu.Lock()
			b.conns = append(b.conns, c)
			b.mu.Unlock()
			return c, nil
		},
		Thresholds: th,
	}})
	return b
}

// last is the most recent connection.
func (b *box) last(t *testing.T) *counting {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.conns) == 0 {
		t.Fatal("no connection was made")
	}
	return b.conns[len(b.conns)-1]
}

func (b *box) write(t *testing.T, p, content string, mode fs.FileMode) {
	t.Helper()
	full := filepath.Join(b.root, p)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(full, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

// read returns a file's content and mode; ok false when absent.
func (b *box) read(t *testing.T, p string) (string, fs.FileMode, bool) {
	t.Helper()
	full := filepath.Join(b.root, p)
	data, err := os.ReadFile(full)
	if os.IsNotExist(err) {
		return "", 0, false
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(full)
	if err != nil {
		t.Fatal(err)
	}
	return string(data), st.Mode().Perm(), true
}

func (b *box) observe(t *testing.T, want ...providers.Resource) providers.ResourceObservation {
	t.Helper()
	obs, err := b.p.ObserveResources(ctx(t), target, want)
	if err != nil {
		t.Fatalf("observe: %v", err)
	}
	if len(obs.States) != len(want) {
		t.Fatalf("observe: %d states for %d resources", len(obs.States), len(want))
	}
	return obs
}

func (b *box) apply(t *testing.T, changes ...providers.Change) []error {
	t.Helper()
	errs := b.p.ApplyResources(ctx(t), target, changes)
	if len(errs) != len(changes) {
		t.Fatalf("apply: %d errors for %d changes", len(errs), len(changes))
	}
	return errs
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return c
}

func file(name, content string, attrs ...string) providers.Resource {
	return providers.Resource{Kind: providers.KindFile, Name: name, Content: content, Attrs: attrMap(attrs)}
}

func block(name, content string, attrs ...string) providers.Resource {
	return providers.Resource{Kind: providers.KindBlock, Name: name, Content: content, Attrs: attrMap(attrs)}
}

func attrMap(kv []string) map[string]string {
	if len(kv) == 0 {
		return nil
	}
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// put is a create or update of r, as the engine plans it.
func put(r providers.Resource) providers.Change {
	return providers.Change{Address: "nas:office/" + r.Kind + r.Name, Action: providers.Update, Provider: "nas", Zone: target,
		Resource: &providers.ResourceChange{Target: target, After: &r}}
}

// del is a delete of r.
func del(r providers.Resource) providers.Change {
	return providers.Change{Address: "nas:office/" + r.Kind + r.Name, Action: providers.Delete, Provider: "nas", Zone: target,
		Resource: &providers.ResourceChange{Target: target, Before: &r}}
}

// converged checks that observing want again plans nothing: each
// resource is there with its desired content and attributes.
func (b *box) converged(t *testing.T, want ...providers.Resource) {
	t.Helper()
	for i, st := range b.observe(t, want...).States {
		if st.Missing || st.Held != "" || !want[i].Same(st.Live) {
			t.Errorf("%s not converged: missing=%v held=%q live %q %v, want %q %v",
				want[i].Name, st.Missing, st.Held, st.Live.Content, st.Live.Attrs, want[i].Content, want[i].Attrs)
		}
	}
}

func noErrors(t *testing.T, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Errorf("change %d: %v", i, err)
		}
	}
}

func hasFinding(fs []finding.Finding, sev finding.Severity, summaryPart string) bool {
	for _, f := range fs {
		if f.Severity == sev && strings.Contains(f.Summary, summaryPart) && f.Source == "nas:"+target {
			return true
		}
	}
	return false
}
