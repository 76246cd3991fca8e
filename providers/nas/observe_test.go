package nas_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote"
)

func TestObserveMetrics(t *testing.T) {
	b := newBox(t, metrics.Thresholds{Processes: []string{"smbd", "nginx"}},
		metrics.FakeOptions{DiskPercent: 95, DegradedRAID: true, MissingProcesses: []string{"nginx"}})
	obs := b.observe(t)
	if got := b.dials.Load(); got != 1 {
		t.Errorf("%d dials, want 1", got)
	}
	c := b.last(t)
	if len(c.runs) != 1 || c.runs[0] != metrics.Script() {
		t.Errorf("ran %d commands, want only the metrics script once", len(c.runs))
	}
	if c.close != 1 {
		t.Errorf("connection closed %d times, want 1", c.close)
	}
	for _, want := range []struct {
		sev  finding.Severity
		part string
	}{
		{finding.High, "/volume1 is 95"},
		{finding.Critical, "RAID md2"},
		{finding.High, "process nginx is not running"},
	} {
		if !hasFinding(obs.Findings, want.sev, want.part) {
			t.Errorf("no %s finding %q from nas:office in %v", want.sev, want.part, obs.Findings)
		}
	}
	if hasFinding(obs.Findings, finding.High, "smbd") {
		t.Error("a finding for smbd, which runs")
	}
	if v := obs.Metrics["disk_used_percent:/volume1"]; v < 94 || v > 96 {
		t.Errorf("disk_used_percent:/volume1 = %v, want about 95 (metrics %v)", v, obs.Metrics)
	}
	if obs.Metrics["cpus"] != 4 || obs.Metrics["raid_degraded:md2"] != 1 {
		t.Errorf("metrics %v, want cpus 4 and md2 degraded", obs.Metrics)
	}
}

func TestObserveHealthyNASHasNoFindings(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	if obs := b.observe(t); len(obs.Findings) != 0 || len(obs.Metrics) == 0 {
		t.Fatalf("healthy NAS: findings %v, %d metrics", obs.Findings, len(obs.Metrics))
	}
}

// garbled answers the metrics script with something else.
type garbled struct{ remote.Transport }

func (g garbled) Run(ctx context.Context, cmd string, stdin []byte) (remote.Result, error) {
	if cmd == metrics.Script() {
		return remote.Result{Stdout: []byte("sh: syntax error\n"), Stderr: []byte("sh: 1: oops\nmore\n"), ExitCode: 2}, nil
	}
	return g.Transport.Run(ctx, cmd, stdin)
}

func TestObserveUnreadableMetricsIsAFinding(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	b.write(t, "/etc/a", "x\n", 0o644)
	p := nas.New(map[string]nas.Config{target: {Dial: func(context.Context) (remote.Transport, error) {
		return garbled{remote.Local{Root: b.root}}, nil
	}}})
	obs, err := p.ObserveResources(ctx(t), target, []providers.Resource{file("/etc/a", "x\n")})
	if err != nil {
		t.Fatal(err)
	}
	if !hasFinding(obs.Findings, finding.High, "metrics") || len(obs.Metrics) != 0 {
		t.Fatalf("findings %v metrics %v, want one about the metrics and none", obs.Findings, obs.Metrics)
	}
	if !strings.Contains(obs.Findings[0].Detail, "exit 2: sh: 1: oops") || strings.Contains(obs.Findings[0].Detail, "more") {
		t.Errorf("detail %q, want the exit status and stderr's first line", obs.Findings[0].Detail)
	}
	if obs.States[0].Live.Content != "x\n" {
		t.Errorf("the files were not observed: %+v", obs.States[0])
	}
}

func TestObserveResources(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	b.write(t, "/etc/plain", "hello\n", 0o640)
	b.write(t, "/etc/crontab", "SHELL=/bin/sh\n# BEGIN itlag: tasks\n0 1 * * * root true\n# END itlag: tasks\n"+
		"// BEGIN itlag: js\nvar x;\n// END itlag: js\n", 0o644)
	b.write(t, "/etc/broken", "# BEGIN itlag: b\nno end\n", 0o644)
	want := []providers.Resource{
		file("/etc/plain", "other\n", "mode", "0640"),
		file("/etc/plain", "hello\n", "mode", "640"),
		file("/etc/plain", "hello\n", "mode", "0600"),
		file("/etc/absent", "x\n", "mode", "0600"),
		block("/etc/crontab#tasks", "0 1 * * * root true\n"),
		block("/etc/crontab#js", "", "comment", "//"),
		block("/etc/crontab#other", "x\n"),
		block("/etc/absent#tasks", "x\n"),
		block("/etc/broken#b", "x\n"),
		{Kind: providers.KindFile, Name: "/etc/plain", Content: "s", Sensitive: true, Reload: "true"},
	}
	obs := b.observe(t, want...)
	if c := b.last(t); c.reads != 5 {
		t.Errorf("%d file reads, want 5 (one per distinct file, and the pending-reload mark of the one with a reload)", c.reads)
	}
	type exp struct {
		content string
		attrs   map[string]string
		missing bool
		held    bool
	}
	exps := []exp{
		{content: "hello\n", attrs: map[string]string{"mode": "0640"}},
		{content: "hello\n", attrs: map[string]string{"mode": "640"}},
		{content: "hello\n", attrs: map[string]string{"mode": "0640"}},
		{missing: true},
		{content: "0 1 * * * root true\n"},
		{content: "var x;\n", attrs: map[string]string{"comment": "//"}},
		{missing: true},
		{missing: true},
		{held: true},
		{content: "hello\n"},
	}
	for i, e := range exps {
		st := obs.States[i]
		got := exp{st.Live.Content, st.Live.Attrs, st.Missing, st.Held != ""}
		if fmt.Sprint(got) != fmt.Sprint(e) {
			t.Errorf("%d %s: got %+v, want %+v", i, want[i].Name, got, e)
		}
		if st.Live.Kind != want[i].Kind || st.Live.Name != want[i].Name {
			t.Errorf("%d: live is %s %s", i, st.Live.Kind, st.Live.Name)
		}
	}
	if !want[1].Same(obs.States[1].Live) {
		t.Error(`mode "640" on a 0640 file is a difference`)
	}
	if last := obs.States[9].Live; !last.Sensitive || last.Reload != "true" {
		t.Errorf("live lost Sensitive or Reload: %+v", last)
	}
	if !hasFinding(obs.Findings, finding.High, "markers of block b are broken") {
		t.Errorf("no finding for the broken markers: %v", obs.Findings)
	}
}

func TestObserveOwner(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	b.write(t, "/etc/a", "x\n", 0o644)
	user, group := currentOwner(t, b)
	obs := b.observe(t, file("/etc/a", "x\n", "owner", user, "group", group), file("/etc/none", "", "owner", user))
	if a := obs.States[0].Live.Attrs; a["owner"] != user || a["group"] != group {
		t.Errorf("attrs %v, want owner %s group %s", a, user, group)
	}
	if !obs.States[1].Missing {
		t.Error("absent file not missing")
	}
	if c := b.last(t); len(c.runs) != 2 {
		t.Errorf("%d commands, want 2 (metrics, then owners of all files at once)", len(c.runs))
	}
}

// currentOwner is the user and group names owning new files in b.
func currentOwner(t *testing.T, b *box) (string, string) {
	t.Helper()
	res, err := remote.Local{Root: b.root}.Run(ctx(t), `stat -c '%U %G' "${ITLAG_ROOT}/etc"`, nil)
	f := strings.Fields(string(res.Stdout))
	if err != nil || len(f) != 2 {
		t.Skipf("stat -c %%U unavailable: %v %q", err, res.Stderr)
	}
	return f[0], f[1]
}

func TestObserveBadResources(t *testing.T) {
	b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
	for _, r := range []providers.Resource{
		file("etc/relative", ""),
		file("/etc/../x", ""),
		block("/etc/crontab", "no block name"),
		{Kind: providers.KindDDNSHost, Name: "host.example"},
		file("/etc/a", "", "colour", "blue"),
		file("/etc/a", "", "comment", "#"),
		file("/etc/a", "", "mode", "u+rw"),
		file("/etc/a", "", "owner", "a b"),
	} {
		_, err := b.p.ObserveResources(ctx(t), target, []providers.Resource{r})
		if err == nil || !strings.HasPrefix(err.Error(), "nas office: ") {
			t.Errorf("%s %s %v: err = %v, want one starting %q", r.Kind, r.Name, r.Attrs, err, "nas office: ")
		}
	}
	if n := b.dials.Load(); n != 0 {
		t.Errorf("%d dials for bad resources, want none", n)
	}
}

func TestConnectErrors(t *testing.T) {
	unreachable := fmt.Errorf("ssh u@192.0.2.1:22: %w: dial tcp: i/o timeout", remote.ErrUnreachable)
	mismatch := fmt.Errorf("ssh u@h:22: %w: h presented SHA256:a, pinned SHA256:b", remote.ErrHostKeyMismatch)
	p := nas.New(map[string]nas.Config{
		"down":   {Dial: func(context.Context) (remote.Transport, error) { return nil, unreachable }},
		"spoof":  {Dial: func(context.Context) (remote.Transport, error) { return nil, mismatch }},
		"nodial": {},
	})
	tests := []struct {
		target string
		is     []error
		not    []error
	}{
		{"down", []error{providers.ErrUnreachable, remote.ErrUnreachable}, []error{providers.ErrHostKeyMismatch}},
		{"spoof", []error{providers.ErrHostKeyMismatch, remote.ErrHostKeyMismatch}, []error{providers.ErrUnreachable}},
		{"nodial", nil, []error{providers.ErrUnreachable, providers.ErrHostKeyMismatch}},
		{"nowhere", nil, []error{providers.ErrUnreachable, providers.ErrHostKeyMismatch}},
	}
	for _, tt := range tests {
		_, err := p.ObserveResources(ctx(t), tt.target, nil)
		c := put(file("/etc/a", "x"))
		c.Resource.Target = tt.target
		errs := p.ApplyResources(ctx(t), tt.target, []providers.Change{c})
		for _, e := range []error{err, errs[0]} {
			if e == nil || !strings.HasPrefix(e.Error(), "nas "+tt.target+": ") {
				t.Errorf("%s: err = %v, want one naming the NAS", tt.target, e)
				continue
			}
			for _, want := range tt.is {
				if !errors.Is(e, want) {
					t.Errorf("%s: %v does not wrap %v", tt.target, e, want)
				}
			}
			for _, bad := range tt.not {
				if errors.Is(e, bad) {
					t.Errorf("%s: %v wraps %v", tt.target, e, bad)
				}
			}
		}
	}
}

func TestNoDNSZones(t *testing.T) {
	var p providers.Provider = nas.New(nil)
	if p.Name() != "nas" {
		t.Errorf("Name() = %q", p.Name())
	}
	if _, err := providers.DNSOf(p); !errors.Is(err, providers.ErrNoDNS) || err.Error() != "provider nas does not host DNS zones" {
		t.Errorf("DNSOf: %v, want provider nas does not host DNS zones", err)
	}
}
