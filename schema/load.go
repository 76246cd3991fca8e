package schema

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"cuelang.org/go/cue"
	"gopkg.in/yaml.v3"

	"github.com/lagrieta/itlag/store/safefile"
)

// Load reads every *.yaml and *.yml file in dir and its subdirectories
// (in sorted order; directories whose name starts with "." are skipped),
// validates them against the embedded CUE schema, fills defaults and
// returns the State. On problems it returns a nil State and an error of
// type Errors listing all of them; files are named filepath.Join(dir, rel).
//
// A dir that does not exist or is not a directory is a plain error (it
// wraps fs.ErrNotExist when missing), not Errors: nothing was validated.
// A dir without any state file, or whose files declare nothing, is Errors
// ("no state files in DIR"): an empty state is a mistake (a wrong --state),
// never a valid state that manages nothing.
//
// Load is LoadContext with context.Background and the default options.
func Load(dir string) (*State, error) {
	return LoadContext(context.Background(), dir, LoadOptions{})
}

// LoadDeclared is Load without checking the secrets files that age
// references point at (for the commands that create and rewrite them).
func LoadDeclared(dir string) (*State, error) {
	return loadDir(context.Background(), dir, loadMode{})
}

// LoadAllowEmpty is Load for an import, which may start from nothing: a
// directory without state files is an empty State.
func LoadAllowEmpty(dir string) (*State, error) {
	return LoadContext(context.Background(), dir, LoadOptions{AllowEmpty: true})
}

// loadMode says what a load checks beyond the state files themselves.
type loadMode struct {
	// ageFiles: the age-encrypted files references point at are checked.
	ageFiles bool
	// allowEmpty: no state files at all is an empty State, not a problem.
	allowEmpty bool
	// maxFileSize: the largest file read (0: DefaultMaxFileSize).
	maxFileSize int64
	// whole: every file is parsed whole, its records lists not cut out
	// (see splitRecordLists).
	whole bool
}

func loadDir(ctx context.Context, dir string, mode loadMode) (*State, error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &fs.PathError{Op: "state directory", Path: dir, Err: fs.ErrNotExist}
	case err != nil:
		return nil, fmt.Errorf("state directory: %w", err)
	case !fi.IsDir():
		return nil, fmt.Errorf("state directory %s is not a directory", dir)
	}
	if err := safefile.CheckDir(dir); err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	// Read through an os.Root: a symlink that leads out of the state
	// directory cannot be read (see load), one that stays inside can.
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("state directory: %w", err)
	}
	defer root.Close()
	st, err := load(ctx, root.FS(), mode, func(rel string) string {
		return filepath.Join(dir, filepath.FromSlash(rel))
	})
	if st != nil {
		st.Dir = dir
	}
	return st, err
}

// LoadFS is Load over an fs.FS, from its root "."; files are named by
// their path in fsys.
func LoadFS(fsys fs.FS) (*State, error) {
	return load(context.Background(), fsys, loadMode{ageFiles: true}, func(rel string) string { return rel })
}

// listFiles returns the YAML files under fsys's root, sorted, and those of
// them that are symlinks.
func listFiles(fsys fs.FS) ([]string, map[string]bool, error) {
	var files []string
	links := map[string]bool{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if ext := path.Ext(p); ext == ".yaml" || ext == ".yml" {
			files = append(files, p)
			if d.Type()&fs.ModeSymlink != 0 {
				links[p] = true
			}
		}
		return nil
	})
	slices.Sort(files)
	return files, links, err
}

// fileZone is one zone as one file declares it, before its records are
// checked.
type fileZone struct {
	zone Zone
	name *yaml.Node // the zone's name value, for duplicate zones
	path string     // zones[0]
	// batches are the zone's records, in order.
	batches []*recordBatch
}

func load(ctx context.Context, fsys fs.FS, mode loadMode, display func(rel string) string) (*State, error) {
	st, err := loadOnce(ctx, fsys, mode, display)
	if errors.Is(err, errCut) { // a records list was cut wrong: read every file whole
		mode.whole = true
		st, err = loadOnce(ctx, fsys, mode, display)
	}
	return st, err
}

func loadOnce(ctx context.Context, fsys fs.FS, mode loadMode, display func(rel string) string) (*State, error) {
	what := "loading " + display(".")
	if mode.maxFileSize <= 0 {
		mode.maxFileSize = DefaultMaxFileSize
	}
	files, links, err := listFiles(fsys)
	if err != nil {
		return nil, Errors{{File: display("."), Msg: fmt.Sprintf("cannot read the state directory: %v", err)}}
	}
	if len(files) == 0 && !mode.allowEmpty {
		return nil, Errors{{File: display("."), Msg: fmt.Sprintf("no state files in %s, want at least one *.yaml or *.yml file (is --state right?)", display("."))}}
	}
	// The validator goes back to the pool while the records are checked,
	// so that one of the checking goroutines takes it instead of
	// compiling the schema again.
	v, err := getValidator()
	if err != nil {
		return nil, err
	}
	held := true
	defer func() {
		if held {
			putValidator(v)
		}
	}()

	var probs []Problem
	var zones []*fileZone
	var batches []*recordBatch
	var ageRefs []AgeRef
	m := newMerger()
	skeletons := skeletonMemo{}
	declared := false
	for _, rel := range files {
		if err := interrupted(ctx, what); err != nil {
			return nil, err
		}
		name := display(rel)
		data, err := readLimited(fsys, rel, mode.maxFileSize)
		if tooLarge := (*errTooLarge)(nil); errors.As(err, &tooLarge) {
			probs = append(probs, Problem{File: name, Msg: tooLarge.Error()})
			continue
		}
		if err != nil && links[rel] {
			// never say what it points at: a path in an error can be
			// a secret's name, and its content is never shown
			probs = append(probs, Problem{File: name, Msg: "is a symlink leading outside the state directory (or to nothing), refusing to read it; want the file itself in the state"})
			continue
		}
		if err != nil {
			probs = append(probs, Problem{File: name, Msg: fmt.Sprintf("cannot read: %v", err)})
			continue
		}
		parts, ps := parseFile(name, data, mode.whole)
		probs = append(probs, ps...)
		declared = declared || len(parts) > 0
		for _, p := range parts {
			if err := interrupted(ctx, what); err != nil {
				return nil, err
			}
			collectAgeRefs(p.file, p.root, "", &ageRefs)
			fz, ps := v.checkPart(p, m, skeletons)
			probs = append(probs, ps...)
			zones = append(zones, fz...)
			for _, z := range fz {
				batches = append(batches, z.batches...)
			}
		}
		if unusedCutWrong(parts) {
			return nil, errCut
		}
	}
	if !declared && len(probs) == 0 && !mode.allowEmpty {
		return nil, Errors{{File: display("."), Msg: "the state files declare nothing, want at least one zone, domain, provider or other part of the state"}}
	}
	probs = append(probs, m.probs...)
	putValidator(v)
	held = false
	if err := checkRecords(ctx, batches, what); err != nil {
		return nil, err
	}
	ps, err := checkZoneNames(ctx, zones, what)
	if err != nil {
		return nil, err
	}
	probs = append(probs, ps...)
	if mode.ageFiles {
		probs = append(probs, checkAgeRefs(fsys, ageRefs, probs)...)
	}
	st := &State{Files: files, AgeRefs: ageRefs}
	seen := map[string]*fileZone{} // by zone name
	for _, z := range zones {
		for _, b := range z.batches {
			probs = append(probs, b.probs...)
			z.zone.Records = append(z.zone.Records, b.recs...)
		}
		if first, dup := seen[z.zone.Name]; dup && z.name != nil {
			probs = append(probs, Problem{
				File: z.zone.Pos.File, Line: z.name.Line, Col: z.name.Column, Path: z.path + ".name",
				Msg: fmt.Sprintf("zone %q is already declared at %s:%d:%d, want each zone once",
					z.zone.Name, first.zone.Pos.File, first.name.Line, first.name.Column),
			})
		} else if z.name != nil {
			seen[z.zone.Name] = z
		}
		st.Zones = append(st.Zones, z.zone)
	}
	if len(probs) > 0 {
		return nil, sortProblems(probs)
	}
	if v, err = getValidator(); err != nil {
		return nil, err
	}
	held = true
	d, ps := m.decode(v)
	if len(ps) == 0 {
		ps = append(m.checkMail(d), m.checkContacts(d)...)
	}
	if len(ps) > 0 {
		return nil, sortProblems(ps)
	}
	st.Providers, st.Policy = d.Providers, d.Policy
	st.Domains, st.Subscriptions = d.Domains, d.Subscriptions
	st.DDNS, st.NAS, st.Backups = d.DDNS, d.NAS, d.Backups
	st.Monitors, st.Monitoring, st.Alerts = d.Monitors, d.Monitoring, d.Alerts
	st.Secrets = d.Secrets
	st.Exposure = d.Exposure
	st.Mail, st.MailRules = d.Mail, d.MailRules
	st.Contacts, st.Handbook = d.Contacts, d.Handbook
	st.Origins = m.declaredAt()
	return st, nil
}

var zonesPath = cue.MakePath(cue.Str("zones"))

var recordsPath = regexp.MustCompile(`^zones\[(\d+)\]\.records$`)

// zoneData is a zone's skeleton (records left out) as CUE decodes it.
type zoneData struct {
	Name      string      `json:"name"`
	Provider  string      `json:"provider"`
	Purge     bool        `json:"purge"`
	Unmanaged []Unmanaged `json:"unmanaged"`
}

// checkPart validates one document's skeleton (everything but the record
// lists, which are replaced by empty lists) against #State, merges its
// providers and policy into m, and returns its zones with one job per
// record.
func (v *validator) checkPart(p part, m *merger, memo skeletonMemo) ([]*fileZone, []Problem) {
	recs := map[int]*yaml.Node{}
	skip := func(kp string, n *yaml.Node) (any, bool) {
		if n.Kind != yaml.SequenceNode {
			return nil, false
		}
		sub := recordsPath.FindStringSubmatch(kp)
		if sub == nil {
			return nil, false
		}
		i, _ := strconv.Atoi(sub[1])
		recs[i] = n
		return []any{}, true
	}
	c := converter{file: p.file}
	data := c.value(p.root, "", skip)
	probs := c.probs
	zd, errs, decodeErr := v.checkSkeleton(data, memo)
	if len(errs) > 0 {
		t := target{file: p.file, node: p.root, path: "", def: v.cue().state.def}
		probs = mergeProblems(probs, t.explain(errs))
	}
	var zones []*fileZone
	zonesNode, _, _, _ := lookup(p.root, "", []string{"zones"})
	if len(probs) == 0 {
		for i := 0; i+1 < len(p.root.Content); i += 2 {
			if k := p.root.Content[i]; k.Value != "zones" {
				m.add(p.file, k, p.root.Content[i+1])
			}
		}
		if decodeErr != nil {
			probs = append(probs, Problem{File: p.file, Msg: fmt.Sprintf("cannot decode zones: %v", decodeErr)})
		}
		for i, z := range zd {
			n := zonesNode.Content[i]
			name, _, _, _ := lookup(n, "", []string{"name"})
			zones = append(zones, &fileZone{
				zone: Zone{
					Name: z.Name, Provider: z.Provider, Purge: z.Purge, Unmanaged: z.Unmanaged,
					Pos: Pos{File: p.file, Line: n.Line, Col: n.Column},
				},
				name: name,
				path: joinIndex("zones", i),
			})
		}
	}
	// Records are checked even when the skeleton is not valid, so that
	// every problem is reported at once.
	idx := slices.Sorted(maps.Keys(recs))
	for _, i := range idx {
		rn := recs[i]
		var fz *fileZone
		if i < len(zones) {
			fz = zones[i]
		} else { // the skeleton is invalid: check the records for the report
			fz = &fileZone{}
			zones = append(zones, fz)
		}
		list := joinIndex("zones", i) + ".records"
		if l := p.lists[rn]; l != nil {
			l.used = true
			fz.batches = textBatches(p.file, list, p.data, l)
		} else {
			fz.batches = nodeBatches(p.file, list, rn.Content)
		}
	}
	return zones, probs
}
