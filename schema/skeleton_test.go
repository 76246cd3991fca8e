package schema

import (
	"fmt"
	"reflect"
	"testing"
)

// TestSkeletonMemo: checking skeletons through the memo (names set aside)
// says exactly what checking each whole says: zones, errors and decode
// errors, for valid and invalid names and skeletons, the memo warm.
func TestSkeletonMemo(t *testing.T) {
	v, err := newValidator()
	if err != nil {
		t.Fatal(err)
	}
	zone := func(name any, extra ...any) map[string]any {
		z := map[string]any{"name": name, "provider": "cloudflare"}
		for i := 0; i+1 < len(extra); i += 2 {
			z[extra[i].(string)] = extra[i+1]
		}
		return z
	}
	skel := func(zones ...any) map[string]any { return map[string]any{"zones": zones} }
	cases := []any{
		skel(zone("a.example")),
		skel(zone("b.example")),
		skel(zone("münchen.example")),
		skel(zone("a.example"), zone("c.example", "purge", false)),
		skel(zone("d.example", "unmanaged", []any{map[string]any{"name": "_acme*"}})),
		skel(zone("e.example", "unmanaged", []any{map[string]any{"name": "_acme*"}})),
		skel(zone("bad name")),
		skel(zone("trailing.")),
		skel(zone("")),
		skel(zone("bad\xffutf8")),
		skel(zone(int64(3))),
		skel(zone("f.example", "provider", "nope")),
		skel(zone("g.example", "purge", "yes")),
		skel(zone("h.example", "color", "blue")),
		skel(map[string]any{"provider": "cloudflare"}),
		skel("not a zone"),
		map[string]any{"zones": "not a list"},
		map[string]any{"zones": []any{}, "providers": map[string]any{"cloudflare": map[string]any{}}},
		map[string]any{"zones": []any{zone("i.example")}, "policy": map[string]any{"max_deletes": "x"}},
		map[string]any{"providers": map[string]any{"cloudflare": map[string]any{"api_token": map[string]any{"env": "T"}}}},
	}
	memo := skeletonMemo{}
	for round := range 2 {
		for i, c := range cases {
			t.Run(fmt.Sprintf("%d/%d", round, i), func(t *testing.T) {
				wantZones, wantErrs, wantDecode := v.checkSkeletonWhole(c)
				gotZones, gotErrs, gotDecode := v.checkSkeleton(c, memo)
				if !reflect.DeepEqual(gotZones, wantZones) || !reflect.DeepEqual(gotErrs, wantErrs) || fmt.Sprint(gotDecode) != fmt.Sprint(wantDecode) {
					t.Errorf("%v:\nmemo  %v %v %v\nwhole %v %v %v", c, gotZones, gotErrs, gotDecode, wantZones, wantErrs, wantDecode)
				}
			})
		}
	}
	if len(memo) == 0 || len(memo) >= len(cases) {
		t.Errorf("memo holds %d forms for %d skeletons: the names are not set aside", len(memo), len(cases))
	}
}
