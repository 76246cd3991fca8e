package reconcile

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lagrieta/itlag/providers"
)

// A secret is redacted whichever side of the diff it is on: a live copy
// observed Sensitive (it held a secret at its last apply, or others may
// not read it) keeps its content out of the diff and the JSON even when
// the desired content is not sensitive.
func TestPlanRedactsSensitiveLiveSide(t *testing.T) {
	tests := []struct {
		name                    string
		liveSensitive, wantSens bool
		wantRedacted            bool
	}{
		{"neither", false, false, false},
		{"desired only", false, true, true},
		{"live only", true, false, true},
		{"both", true, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := providers.Resource{Kind: providers.KindFile, Name: "/etc/noip2.conf", Content: "password=see-vault\n", Sensitive: tt.wantSens}
			d := Desired{Resources: []ResourceSet{{Provider: "nas", Target: "office", Resources: []providers.Resource{want}}}}
			live := providers.Resource{Kind: providers.KindFile, Name: "/etc/noip2.conf", Content: "password=hunter2\n", Sensitive: tt.liveSensitive}
			o := Observed{Resources: map[string]providers.ResourceObservation{"nas:office": {States: []providers.ResourceState{{Live: live}}}}}
			p := Plan(d, o, Policy{})
			if len(p.Changes) != 1 {
				t.Fatalf("changes %+v, want one update", p.Changes)
			}
			b, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			leaked := strings.Contains(string(b), "hunter2")
			if leaked == tt.wantRedacted {
				t.Errorf("plan JSON holds the live secret: %v, want %v:\n%s", leaked, !tt.wantRedacted, b)
			}
			if rc := p.Changes[0].Resource; rc.Before.Sensitive != (tt.liveSensitive || tt.wantSens) {
				t.Errorf("before.Sensitive = %v", rc.Before.Sensitive)
			}
		})
	}
}
