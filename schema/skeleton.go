package schema

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"unicode/utf8"
)

// skeletonMemo is what #State says of file skeletons (records left out)
// with their zone names set aside, by canonical form: the files of a
// large state, a zone or a few each, share a few forms.
type skeletonMemo map[string]*skeletonResult

// skeletonResult is a clean skeleton's zones, their names set aside; nil
// zones with clean false for a skeleton with a problem.
type skeletonResult struct {
	clean     bool
	zones     []zoneData
	decodeErr error
}

// zoneNamePlaceholder stands in for zone names in a memoised skeleton; it
// is a valid #ZoneName.
const zoneNamePlaceholder = "zone.example"

// checkSkeleton validates one part's skeleton against #State and decodes
// its zones (defaults filled) when it is valid. Required fields outside
// zones are left to the merged check (providers and policy merge across
// files: a field one file lacks, another may set).
//
// When every zone name passes #ZoneName (its Go predicate), the skeleton
// is checked with the names set aside, once per canonical form; #State
// constrains a zone's name by #ZoneName alone, so that check says what the
// whole one would. A form with a problem is checked again as it is, so
// that its problems read as they always do.
func (v *validator) checkSkeleton(data any, memo skeletonMemo) ([]zoneData, []cueErr, error) {
	if zones, ok := zoneMaps(data); ok && v.textPred("#ZoneName") != nil {
		names := make([]string, len(zones))
		clean := true
		for i, z := range zones {
			names[i] = z["name"].(string)
			// CUE reads invalid UTF-8 as U+FFFD: such a name decodes
			// to another string, left to the whole check
			clean = clean && utf8.ValidString(names[i]) && v.textPred("#ZoneName")(names[i])
			z["name"] = zoneNamePlaceholder
		}
		key := ""
		if clean {
			key = string(canonicalAny(nil, data))
		}
		r := memo[key]
		if clean && r == nil {
			r = &skeletonResult{}
			zd, errs, decodeErr := v.checkSkeletonWhole(data)
			if r.clean = len(errs) == 0; r.clean {
				r.zones, r.decodeErr = zd, decodeErr
			}
			memo[key] = r
		}
		for i, z := range zones {
			z["name"] = names[i]
		}
		if clean && r.clean {
			zd := make([]zoneData, len(r.zones))
			for i, z := range r.zones {
				z.Unmanaged = slices.Clone(z.Unmanaged)
				if i < len(names) {
					z.Name = names[i]
				}
				zd[i] = z
			}
			return zd, nil, r.decodeErr
		}
	}
	return v.checkSkeletonWhole(data)
}

// checkSkeletonWhole is checkSkeleton without the memo.
func (v *validator) checkSkeletonWhole(data any) ([]zoneData, []cueErr, error) {
	out, errs := v.check(v.cue().state, data)
	errs = slices.DeleteFunc(errs, func(e cueErr) bool {
		return e.kind == kindRequired && len(e.sels) > 0 && e.sels[0] != "zones"
	})
	if len(errs) > 0 {
		return nil, errs, nil
	}
	var zd []zoneData
	if z := out.LookupPath(zonesPath); z.Exists() {
		if err := z.Decode(&zd); err != nil {
			return zd, nil, err
		}
	}
	return zd, nil, nil
}

// zoneMaps are the zones of a skeleton when each is a map with a string
// name.
func zoneMaps(data any) ([]map[string]any, bool) {
	top, _ := data.(map[string]any)
	list, ok := top["zones"].([]any)
	if !ok {
		return nil, false
	}
	zones := make([]map[string]any, len(list))
	for i, e := range list {
		z, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		if _, ok := z["name"].(string); !ok {
			return nil, false
		}
		zones[i] = z
	}
	return zones, true
}

// canonicalAny renders data (as the converter makes it) as a memo key:
// maps with sorted keys, typed scalars.
func canonicalAny(b []byte, data any) []byte {
	switch x := data.(type) {
	case map[string]any:
		b = append(b, '{')
		for _, k := range slices.Sorted(maps.Keys(x)) {
			b = strconv.AppendQuote(b, k)
			b = canonicalAny(append(b, ':'), x[k])
			b = append(b, ';')
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for _, e := range x {
			b = append(canonicalAny(b, e), ';')
		}
		return append(b, ']')
	}
	return appendScalar(b, data)
}

// appendScalar renders a scalar with its type.
func appendScalar(b []byte, x any) []byte {
	switch x := x.(type) {
	case string:
		return strconv.AppendQuote(append(b, 's'), x)
	case int64:
		return strconv.AppendInt(append(b, 'i'), x, 10)
	case bool:
		return strconv.AppendBool(append(b, 'b'), x)
	case nil:
		return append(b, 'n')
	}
	return fmt.Appendf(b, "%T:%#v", x, x)
}
