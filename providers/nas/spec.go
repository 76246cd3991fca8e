package nas

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/lagrieta/itlag/providers"
)

// Attributes a file or block resource may manage ("comment" only on
// blocks). For a block, mode, owner and group are the file's.
const (
	AttrMode    = "mode"    // permission bits in octal: "0644"
	AttrOwner   = "owner"   // user name
	AttrGroup   = "group"   // group name
	AttrComment = "comment" // what starts a block's marker lines; default "#"
)

// spec is a file or block resource, checked and taken apart.
type spec struct {
	res          providers.Resource
	path         string
	block        string // "" for a whole file
	comment      string
	mode         fs.FileMode
	hasMode      bool
	owner, group string
}

// parseSpec checks r: a file or block, a clean absolute path, attributes
// this provider knows with valid values.
func parseSpec(r providers.Resource) (spec, error) {
	s := spec{res: r}
	switch r.Kind {
	case providers.KindFile:
		if err := checkPath(r.Name); err != nil {
			return spec{}, fmt.Errorf("file: %w", err)
		}
		s.path = r.Name
	case providers.KindBlock:
		var err error
		if s.path, s.block, err = SplitBlockName(r.Name); err != nil {
			return spec{}, err
		}
		s.comment = r.Attrs[AttrComment]
		if s.comment == "" {
			s.comment = DefaultComment
		}
		if strings.TrimSpace(s.comment) != s.comment || strings.ContainsAny(s.comment, "\r\n") {
			return spec{}, fmt.Errorf("block %s: comment %q must be one line without surrounding space", r.Name, s.comment)
		}
	default:
		return spec{}, fmt.Errorf("%s %s: the NAS provider manages files and blocks, not %q", r.Kind, r.Name, r.Kind)
	}
	for _, k := range slices.Sorted(maps.Keys(r.Attrs)) {
		v := r.Attrs[k]
		switch {
		case k == AttrMode:
			m, err := ParseMode(v)
			if err != nil {
				return spec{}, fmt.Errorf("%s %s: %w", r.Kind, r.Name, err)
			}
			s.mode, s.hasMode = m, true
		case k == AttrOwner || k == AttrGroup:
			if v == "" || strings.ContainsAny(v, ": \t\r\n'\"\\") {
				return spec{}, fmt.Errorf("%s %s: %s %q is not a user or group name", r.Kind, r.Name, k, v)
			}
			if k == AttrOwner {
				s.owner = v
			} else {
				s.group = v
			}
		case k == AttrComment && r.Kind == providers.KindBlock:
		default:
			return spec{}, fmt.Errorf("%s %s: attribute %q is not one the NAS provider manages (%s)", r.Kind, r.Name, k, knownAttrs(r.Kind))
		}
	}
	return s, nil
}

func knownAttrs(kind string) string {
	if kind == providers.KindBlock {
		return "mode, owner, group, comment"
	}
	return "mode, owner, group"
}

// ParseMode reads permission bits written in octal ("644", "0644",
// "0o644"). Set-id and sticky bits are refused: they do not survive the
// round trip through the transports, so they would show as a change on
// every plan.
func ParseMode(s string) (fs.FileMode, error) {
	v := strings.TrimPrefix(strings.TrimPrefix(s, "0o"), "0O")
	n, err := strconv.ParseUint(v, 8, 32)
	if err != nil || v == "" {
		return 0, fmt.Errorf("mode %q is not an octal number like \"0644\"", s)
	}
	if n > 0o777 {
		return 0, fmt.Errorf("mode %q: only the permission bits (0000 to 0777) are managed", s)
	}
	return fs.FileMode(n), nil
}

// FormatMode writes permission bits as four octal digits: "0644".
func FormatMode(m fs.FileMode) string { return fmt.Sprintf("%04o", uint32(m.Perm())) }

// liveAttrs returns the attributes s manages as they are on the file:
// the desired spelling of the mode when the bits agree, so "644" and
// "0644" are the same.
func (s spec) liveAttrs(mode fs.FileMode, owner, group string) map[string]string {
	if len(s.res.Attrs) == 0 {
		return nil
	}
	out := make(map[string]string, len(s.res.Attrs))
	for k, v := range s.res.Attrs {
		switch k {
		case AttrMode:
			out[k] = FormatMode(mode)
			if mode.Perm() == s.mode {
				out[k] = v
			}
		case AttrOwner:
			out[k] = owner
		case AttrGroup:
			out[k] = group
		case AttrComment:
			out[k] = v // what the markers were found with
		}
	}
	return out
}
