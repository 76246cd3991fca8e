package reconcile

import (
	"testing"

	"github.com/lagrieta/itlag/providers"
)

// TestPlanGroupMatching checks how the records of one name and type pair
// up: by content, each desired record with the first unused live record
// of its content (in any order given), an update only where the content
// matched and something else differs, and the rest deleted or created.
func TestPlanGroupMatching(t *testing.T) {
	mx := func(content string, opts ...opt) providers.Record {
		return rec("@", "MX", content, append([]opt{prio(10)}, opts...)...)
	}
	tests := []struct {
		name                              string
		desired, live                     []providers.Record
		create, update, delete, unchanged int
	}{
		{"all equal, shuffled", []providers.Record{mx("c.net"), mx("a.net"), mx("b.net")},
			[]providers.Record{mx("b.net"), mx("c.net"), mx("a.net")}, 0, 0, 0, 3},
		{"one changed in place", []providers.Record{mx("a.net"), mx("b.net", ttl(3600))},
			[]providers.Record{mx("b.net"), mx("a.net")}, 0, 1, 0, 1},
		{"disjoint contents", []providers.Record{mx("a.net"), mx("c.net")},
			[]providers.Record{mx("b.net"), mx("d.net")}, 2, 0, 2, 0},
		{"a live duplicate is deleted", []providers.Record{mx("a.net"), mx("b.net")},
			[]providers.Record{mx("b.net"), mx("b.net"), mx("a.net")}, 0, 0, 1, 2},
		{"missing at both ends", []providers.Record{mx("a.net"), mx("m.net"), mx("z.net")},
			[]providers.Record{mx("m.net")}, 2, 0, 0, 1},
		{"one left on each side is an update", []providers.Record{mx("a.net"), mx("b.net")},
			[]providers.Record{mx("a.net"), mx("c.net")}, 0, 1, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Plan(Desired{Zones: []Zone{zone(true, tt.desired...)}}, observed("cf:"+tz, tt.live...), Policy{})
			s := p.Summary
			if s.Create != tt.create || s.Update != tt.update || s.Delete != tt.delete || s.Unchanged != tt.unchanged {
				t.Errorf("summary %+v, want create %d update %d delete %d unchanged %d\n%v",
					s, tt.create, tt.update, tt.delete, tt.unchanged, lines(p.Changes))
			}
		})
	}
}
