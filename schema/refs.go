package schema

import (
	"reflect"
	"slices"
	"strings"
)

// NamedRef is a credential reference and the path of the field holding it.
type NamedRef struct {
	// Path is the field's path ("providers.cloudflare.api_token").
	Path string
	Ref  CredentialRef
}

// CredentialRefs lists every credential reference the state holds, by
// path (maps in key order): what a rotation replaces. It shows where each
// secret is kept, never a secret.
func (s *State) CredentialRefs() []NamedRef {
	var out []NamedRef
	walkRefs(reflect.ValueOf(*s), "", &out)
	return out
}

var refType = reflect.TypeOf(CredentialRef{})

func walkRefs(v reflect.Value, path string, out *[]NamedRef) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkRefs(v.Elem(), path, out)
		}
	case reflect.Struct:
		if v.Type() == refType {
			if ref := v.Interface().(CredentialRef); ref != (CredentialRef{}) {
				*out = append(*out, NamedRef{Path: path, Ref: ref})
			}
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || name == "-" || name == "" {
				continue
			}
			walkRefs(v.Field(i), joinKey(path, name), out)
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			walkRefs(v.MapIndex(k), joinKey(path, k.String()), out)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walkRefs(v.Index(i), joinIndex(path, i), out)
		}
	}
}
