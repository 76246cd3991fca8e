package nas_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/lagrieta/itlag/reconcile/cron"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/providers/nas/metrics"
	"github.com/lagrieta/itlag/providers/nas/remote/sshtest"
	"github.com/lagrieta/itlag/providers/providertest"
)

// conformanceWant is the desired state the suite converges: a file to
// update (content and mode), a file to create, an unchanged file, a block
// to add to a file, a block in a file that does not exist yet.
func conformanceWant(t *testing.T, dir string) []providers.Resource {
	t.Helper()
	for p, c := range map[string]string{"existing": "old\n", "same": "same\n", "crontab": "SHELL=/bin/sh\n"} {
		if err := os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return []providers.Resource{
		file(dir+"/existing", "new\n", "mode", "0600"),
		file(dir+"/missing", "hello\n"),
		file(dir+"/same", "same\n"),
		block(dir+"/crontab#itlag-tasks", cron.Block([]cron.Task{{Name: "t", Schedule: "@daily", User: "root", Command: "true", Enabled: true}})),
		block(dir+"/cron.d-itlag#itlag-tasks", "@hourly root true\n", "comment", "#"),
	}
}

func TestConformanceLocal(t *testing.T) {
	providertest.RunResources(t, providertest.ResourceHarness{
		New: func(t *testing.T) (providers.ResourceProvider, string, []providers.Resource) {
			b := newBox(t, metrics.Thresholds{}, metrics.FakeOptions{})
			dir := filepath.Join(b.root, "etc")
			want := conformanceWant(t, dir)
			for i := range want { // NAS paths, under the box's root
				want[i].Name = want[i].Name[len(b.root):]
			}
			return b.p, target, want
		},
	})
}

func TestConformanceSSH(t *testing.T) {
	srv := sshtest.Start(t)
	p := sshNAS(srv.Config())
	providertest.RunResources(t, providertest.ResourceHarness{
		New: func(t *testing.T) (providers.ResourceProvider, string, []providers.Resource) {
			return p, target, conformanceWant(t, t.TempDir())
		},
	})
}
