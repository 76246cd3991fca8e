package reconcile

import (
	"slices"
	"testing"
)

func TestWaive(t *testing.T) {
	refusals := func() []Refusal {
		return []Refusal{
			{Rule: RuleProtected, Message: "1 change to protected records of z; rerun with --allow protected"},
			{Rule: RuleRegistrar, Message: "registrar change to d; rerun with --allow registrar"},
		}
	}
	tests := []struct {
		name        string
		ok          func(Rule) bool
		wantRefused []Rule
		wantAllowed []Rule
	}{
		{"none", func(Rule) bool { return false }, []Rule{RuleProtected, RuleRegistrar}, nil},
		{"all", func(Rule) bool { return true }, nil, []Rule{RuleProtected, RuleRegistrar}},
		{"one", func(r Rule) bool { return r == RuleRegistrar }, []Rule{RuleProtected}, []Rule{RuleRegistrar}},
	}
	rules := func(rs []Refusal) []Rule {
		var out []Rule
		for _, r := range rs {
			out = append(out, r.Rule)
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Planned{Refusals: refusals()}
			p.Waive(tt.ok, "approved in approvals/x.yaml")
			if got := rules(p.Refusals); !slices.Equal(got, tt.wantRefused) {
				t.Errorf("refused %v, want %v", got, tt.wantRefused)
			}
			if got := rules(p.Allowed); !slices.Equal(got, tt.wantAllowed) {
				t.Errorf("allowed %v, want %v", got, tt.wantAllowed)
			}
			for _, a := range p.Allowed {
				if want := "; approved in approvals/x.yaml"; a.Message[len(a.Message)-len(want):] != want {
					t.Errorf("allowed message %q does not end with %q", a.Message, want)
				}
			}
		})
	}
}
