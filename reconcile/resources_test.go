package reconcile

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/memory"
	"github.com/lagrieta/itlag/schema"
)

func nasState() *schema.State {
	return &schema.State{
		DDNS: map[string]schema.DDNSHost{"Lagrieta.DDNS.net": {Provider: "noip"}},
		NAS: map[string]schema.NAS{"office": {
			CronFile: "/etc/cron.d/itlag",
			Files: []schema.ManagedFile{
				{Path: "/etc/ssh/sshd_config.d/itlag.conf", Content: "PasswordAuthentication no\n", Mode: "644", Reload: "systemctl reload ssh"},
				{Path: "/etc/noip2.conf", Content: "password=${env:ITLAG_TEST_NOIP}\n"},
			},
			Blocks: []schema.ManagedBlock{{Path: "/etc/hosts", Name: "nas", Content: "192.0.2.5 nas", Comment: "#"}},
			Tasks: map[string]schema.Task{
				"backup-daily": {Schedule: "30 2 * * *", Command: "itlag backup run daily", User: "root", Enabled: true},
				"old":          {Schedule: "@weekly", Command: "true", User: "root"},
			},
		}},
	}
}

func TestDesiredResources(t *testing.T) {
	d, err := DesiredFromState(nasState(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, s := range d.Resources {
		for _, r := range s.Resources {
			addrs = append(addrs, ResourceAddress(s, r))
		}
	}
	want := []string{
		"nas:office/block/etc/cron.d/itlag#itlag-tasks",
		"nas:office/block/etc/hosts#nas",
		"nas:office/file/etc/noip2.conf",
		"nas:office/file/etc/ssh/sshd_config.d/itlag.conf",
		"noip:ddns/lagrieta.ddns.net",
	}
	if strings.Join(addrs, "\n") != strings.Join(want, "\n") {
		t.Errorf("addresses:\n%s\nwant:\n%s", strings.Join(addrs, "\n"), strings.Join(want, "\n"))
	}
	nas := d.Resources[0].Resources
	if got := nas[0].Content; got != "# task backup-daily\n30 2 * * * root itlag backup run daily\n# task old\n# disabled: @weekly root true\n" {
		t.Errorf("cron block:\n%s", got)
	}
	if nas[1].Content != "192.0.2.5 nas\n" {
		t.Errorf("block content %q: want a final newline", nas[1].Content)
	}
	if !nas[2].Sensitive || nas[3].Sensitive || nas[3].Attrs["mode"] != "0644" {
		t.Errorf("placeholders make a file sensitive; mode normalised: %+v %+v", nas[2], nas[3])
	}
}

// TestResourceLoop: observe, plan (create, update, DDNS to the public
// address), apply, plan again: empty. Secrets never reach the plan's JSON.
func TestResourceLoop(t *testing.T) {
	t.Setenv("ITLAG_TEST_NOIP", "s3cret-pass")
	ctx := context.Background()
	d, err := DesiredFromState(nasState(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ResolvePlaceholders(&d, func(ref schema.CredentialRef) (string, error) { return "s3cret-pass", nil }); err != nil {
		t.Fatal(err)
	}
	nas, noip := memory.New("nas"), memory.New("noip")
	nas.PutResource("office", providers.Resource{Kind: providers.KindFile, Name: "/etc/ssh/sshd_config.d/itlag.conf",
		Content: "PasswordAuthentication yes\n", Attrs: map[string]string{"mode": "0600"}})
	nas.PutResource("office", providers.Resource{Kind: providers.KindFile, Name: "/etc/noip2.conf", Content: "password=old-pass\n"})
	noip.PutResource(NoIPTarget, providers.Resource{Kind: providers.KindDDNSHost, Name: "lagrieta.ddns.net", Content: "198.51.100.7"})
	noip.SetWant(NoIPTarget, providers.KindDDNSHost, "203.0.113.50")
	provs := map[string]providers.Provider{"nas": nas, "noip": noip}

	o, err := Observe(ctx, d, provs)
	if err != nil {
		t.Fatal(err)
	}
	p := Plan(d, o, Policy{})
	got := lines(p.Changes)
	want := []string{
		"create nas:office/block/etc/cron.d/itlag#itlag-tasks: missing",
		"create nas:office/block/etc/hosts#nas: missing",
		"update nas:office/file/etc/noip2.conf: content (+1 −1 lines)",
		"update nas:office/file/etc/ssh/sshd_config.d/itlag.conf: content (+1 −1 lines); mode 0600 → 0644",
		"update noip:ddns/lagrieta.ddns.net: address 198.51.100.7 → 203.0.113.50 (public address)",
	}
	if join(got) != join(want) {
		t.Fatalf("plan:\n%s\nwant:\n%s", join(got), join(want))
	}
	if d := p.Changes[3].Resource.Diff; !strings.Contains(d, "-PasswordAuthentication yes") || !strings.Contains(d, "+PasswordAuthentication no") {
		t.Errorf("diff:\n%s", d)
	}
	b, _ := json.Marshal(p)
	if strings.Contains(string(b), "s3cret-pass") || strings.Contains(string(b), "old-pass") {
		t.Errorf("a secret reached the plan's JSON: %s", b)
	}
	if !strings.Contains(p.Changes[2].Resource.Diff, "<redacted>") {
		t.Errorf("sensitive diff not redacted:\n%s", p.Changes[2].Resource.Diff)
	}
	if _, err := Apply(ctx, p, provs); err != nil {
		t.Fatal(err)
	}
	if r, _ := nas.Resource("office", providers.KindFile, "/etc/noip2.conf"); r.Content != "password=s3cret-pass\n" {
		t.Errorf("applied content %q", r.Content)
	}
	o, _ = Observe(ctx, d, provs)
	if again := Plan(d, o, Policy{}); !again.Empty() {
		t.Errorf("plan after apply:\n%s", join(lines(again.Changes)))
	}

	// The saved plan goes stale when the public address moves.
	s := NewSaved(Plan(d, o, Policy{}), d, o, "", time.Now())
	noip.SetWant(NoIPTarget, providers.KindDDNSHost, "203.0.113.51")
	o, _ = Observe(ctx, d, provs)
	if st := Stale(s, d, o); len(st) != 1 || !strings.Contains(st[0], "lagrieta.ddns.net") {
		t.Errorf("stale: %v", st)
	}
}

// TestResourceTargetDown: an unreachable NAS and a host key mismatch are
// findings (high, critical), not errors; a held host gets no change.
func TestResourceTargetDown(t *testing.T) {
	ctx := context.Background()
	d, err := DesiredFromState(nasState(), nil)
	if err != nil {
		t.Fatal(err)
	}
	nas, noip := memory.New("nas"), memory.New("noip")
	noip.SetWant(NoIPTarget, providers.KindDDNSHost, "203.0.113.50")
	noip.Hold(NoIPTarget, providers.KindDDNSHost, "lagrieta.ddns.net", "911 back-off")
	provs := map[string]providers.Provider{"nas": nas, "noip": noip}
	for _, tt := range []struct {
		err error
		sev finding.Severity
	}{
		{errors.Join(errors.New("dial tcp 127.0.0.1:1: connection refused"), providers.ErrUnreachable), finding.High},
		{providers.ErrHostKeyMismatch, finding.Critical},
	} {
		nas.FailTarget("office", tt.err)
		o, err := Observe(ctx, d, provs)
		if err != nil {
			t.Fatalf("observe: %v", err)
		}
		p := Plan(d, o, Policy{})
		if !p.Empty() || len(p.Findings) != 1 || p.Findings[0].Severity != tt.sev || p.Findings[0].Source != "nas:office" {
			t.Errorf("%v: changes %v, findings %v; want none and one %s finding", tt.err, lines(p.Changes), p.Findings, tt.sev)
		}
		if len(p.Skipped) != 1 || p.Skipped[0] != "nas:office" {
			t.Errorf("skipped %v", p.Skipped)
		}
	}
	nas.FailTarget("office", errors.New("bad config"))
	if _, err := Observe(ctx, d, provs); err == nil || !strings.Contains(err.Error(), "bad config") {
		t.Errorf("other errors are errors: %v", err)
	}
}

func TestDiffCounts(t *testing.T) {
	d := "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n keep\n--- not a header\n+++ not a header either\n keep\n@@ -10 +10,2 @@\n-old\n+new\n+more\n"
	if plus, minus := diffCounts(d); plus != 3 || minus != 2 {
		t.Errorf("diffCounts = +%d −%d, want +3 −2", plus, minus)
	}
}

// TestConfirmBy: a free NoIP host's confirmation date becomes a
// subscription with 7/3/1-day reminders.
func TestConfirmBy(t *testing.T) {
	st := &schema.State{DDNS: map[string]schema.DDNSHost{"office.ddns.net": {Provider: "noip", ConfirmBy: "2026-12-20"}}}
	d, err := DesiredFromState(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Subscriptions) != 1 || d.Subscriptions[0].Name != "office.ddns.net" || d.Subscriptions[0].Kind != "dns-hostname" {
		t.Fatalf("subscriptions %+v", d.Subscriptions)
	}
	es := Expiries(d, Observed{At: date("2026-12-17")})
	if es[0].Severity != finding.Medium || !strings.Contains(es[0].Note, "lapses in 3 days (2026-12-20) unless confirmed: confirm it at noip") {
		t.Errorf("3 days before: %+v", es[0])
	}
	// Not a reminder yet 8 days before.
	if es := Expiries(d, Observed{At: date("2026-12-12")}); es[0].Severity != "" {
		t.Errorf("8 days before: %+v", es[0])
	}
	st.Subscriptions = map[string]schema.Subscription{"office.ddns.net": {Kind: "plan", Provider: "noip", Renews: "2027-01-01"}}
	if _, err := DesiredFromState(st, nil); err == nil {
		t.Error("a subscription named like the host: want an error")
	}
}

func TestResourceDiff(t *testing.T) {
	file := func(content string, sensitive bool) *providers.Resource {
		return &providers.Resource{Kind: providers.KindFile, Name: "/etc/app.env", Content: content, Sensitive: sensitive}
	}
	tests := []struct {
		name          string
		before, after *providers.Resource
		want          string
	}{
		{name: "equal", before: file("a\n", false), after: file("a\n", false), want: ""},
		{name: "update", before: file("a\nb\n", false), after: file("a\nc\n", false),
			want: "--- a/etc/app.env\n+++ b/etc/app.env\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"},
		{name: "create", after: file("a\n", false), want: "--- /dev/null\n+++ b/etc/app.env\n@@ -0,0 +1 @@\n+a\n"},
		{name: "sensitive after", before: file("PASS=old\n", false), after: file("PASS=new\n", true),
			want: "--- a/etc/app.env\n+++ b/etc/app.env\n@@ -1 +1 @@\n-<redacted>\n+<redacted>\n"},
		{name: "sensitive before", before: file("PASS=old\n", true), after: file("PASS=new\n", false),
			want: "--- a/etc/app.env\n+++ b/etc/app.env\n@@ -1 +1 @@\n-<redacted>\n+<redacted>\n"},
		{name: "block", before: &providers.Resource{Kind: providers.KindBlock, Name: "/etc/crontab#itlag-tasks", Content: "x\n"},
			after: &providers.Resource{Kind: providers.KindBlock, Name: "/etc/crontab#itlag-tasks", Content: "y\n"},
			want:  "--- a/etc/crontab#itlag-tasks\n+++ b/etc/crontab#itlag-tasks\n@@ -1 +1 @@\n-x\n+y\n"},
		{name: "ddns host: no diff", before: &providers.Resource{Kind: providers.KindDDNSHost, Name: "h", Content: "192.0.2.1"},
			after: &providers.Resource{Kind: providers.KindDDNSHost, Name: "h", Content: "192.0.2.2"}, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := resourceDiff(tt.before, tt.after)
			if got != tt.want {
				t.Fatalf("resourceDiff:\n%s\nwant:\n%s", got, tt.want)
			}
			if strings.Contains(got, "PASS") {
				t.Fatal("sensitive content in the diff")
			}
		})
	}
}

// TestResolvePlaceholdersAge: ${age:FILE#KEY} asks for that key of that
// secrets file, and makes the content sensitive like the other kinds.
func TestResolvePlaceholdersAge(t *testing.T) {
	if !HasPlaceholders("password=${age:secrets/nas.age#NOIP_PASSWORD}") {
		t.Fatal("an age placeholder is not recognised")
	}
	d := Desired{Resources: []ResourceSet{{Resources: []providers.Resource{{Kind: providers.KindFile, Name: "/etc/noip2.conf",
		Content: "user=${env:NOIP_USER}\npassword=${age:secrets/nas.age#NOIP_PASSWORD}\n"}}}}}
	var asked []string
	err := ResolvePlaceholders(&d, func(ref schema.CredentialRef) (string, error) {
		asked = append(asked, ref.String())
		return "v", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(asked, ",") != "env:NOIP_USER,age:secrets/nas.age#NOIP_PASSWORD" || d.Resources[0].Resources[0].Content != "user=v\npassword=v\n" {
		t.Fatalf("asked %v, content %q", asked, d.Resources[0].Resources[0].Content)
	}
}
