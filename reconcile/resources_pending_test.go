package reconcile

import (
	"testing"

	"github.com/lagrieta/itlag/providers"
)

// TestPlanPendingReload: a file whose reload is pending is updated even
// when its content is as desired, with the reason naming the reload; the
// update carries the desired resource, so apply runs the reload again.
func TestPlanPendingReload(t *testing.T) {
	const reload = "systemctl reload ssh"
	tests := []struct {
		name        string
		reload      string
		pending     bool
		liveContent string
		wantReason  string // "" is no change
	}{
		{name: "nothing pending", reload: reload, liveContent: "a\n"},
		{name: "reload pending", reload: reload, pending: true, liveContent: "a\n", wantReason: "reload pending: " + reload},
		{name: "pending, and the content differs", reload: reload, pending: true, liveContent: "b\n", wantReason: "content (+1 −1 lines); reload pending: " + reload},
		{name: "pending, but the state no longer has a reload", pending: true, liveContent: "a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := providers.Resource{Kind: providers.KindFile, Name: "/etc/ssh/sshd_config.d/itlag.conf", Content: "a\n", Reload: tt.reload}
			d := Desired{Resources: []ResourceSet{{Provider: "nas", Target: "office", Resources: []providers.Resource{want}}}}
			live := want
			live.Content = tt.liveContent
			st := providers.ResourceState{Live: live, ReloadPending: tt.pending}
			o := Observed{Resources: map[string]providers.ResourceObservation{"nas:office": {States: []providers.ResourceState{st}}}}
			p := Plan(d, o, Policy{})
			if tt.wantReason == "" {
				if len(p.Changes) != 0 {
					t.Errorf("changes %+v, want none", p.Changes)
				}
				return
			}
			if len(p.Changes) != 1 {
				t.Fatalf("changes %+v, want one update", p.Changes)
			}
			c := p.Changes[0]
			if c.Action != providers.Update || c.Reason != tt.wantReason || c.Address != "nas:office/file/etc/ssh/sshd_config.d/itlag.conf" ||
				c.Resource.After.Reload != reload || p.Summary.Update != 1 {
				t.Errorf("change %+v (reason %q), want an update of the file, reason %q", c, c.Reason, tt.wantReason)
			}
		})
	}
}
