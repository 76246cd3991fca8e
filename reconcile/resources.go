package reconcile

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/providers"
	"github.com/lagrieta/itlag/reconcile/cron"
	"github.com/lagrieta/itlag/schema"
)

// ResourceSet is what one provider keeps on one target: the hosts of a
// NoIP account (provider "noip", target "noip"), the files and blocks of a
// NAS (provider "nas", target "office").
type ResourceSet struct {
	Provider string `json:"provider"`
	Target   string `json:"target"`
	// Resources are sorted by kind, then name.
	Resources []providers.Resource `json:"resources"`
}

// Key is the set's key in Observed: "nas:office".
func (s ResourceSet) Key() string { return s.Provider + ":" + s.Target }

// NoIPTarget is the target of the NoIP account's hosts.
const NoIPTarget = "noip"

// LocalHost is the runs_on of a backup job that runs on the machine
// running itlag.
const LocalHost = "local"

// TasksBlock is the name of the cron block holding a NAS's tasks.
const TasksBlock = "itlag-tasks"

// ResourceAddress names a resource change: "noip:ddns/lagrieta.ddns.net",
// "nas:office/file/etc/ssh/sshd_config.d/itlag.conf",
// "nas:office/block/etc/cron.d/itlag#itlag-tasks".
func ResourceAddress(s ResourceSet, r providers.Resource) string {
	switch r.Kind {
	case providers.KindDDNSHost:
		return s.Provider + ":ddns/" + r.Name
	case providers.KindFile, providers.KindBlock:
		return s.Key() + "/" + r.Kind + r.Name
	}
	return s.Key() + "/" + r.Kind + "/" + r.Name
}

func desiredResources(st *schema.State) ([]ResourceSet, []error) {
	var errs []error
	var sets []ResourceSet
	if len(st.DDNS) > 0 {
		set := ResourceSet{Provider: "noip", Target: NoIPTarget}
		for _, name := range slices.Sorted(maps.Keys(st.DDNS)) {
			h := st.DDNS[name]
			host, err := providers.NormalizeHost(name)
			if err != nil {
				errs = append(errs, fmt.Errorf("ddns[%q]: %w", name, err))
				continue
			}
			set.Provider = h.Provider
			set.Resources = append(set.Resources, providers.Resource{Kind: providers.KindDDNSHost, Name: host, Content: h.Address})
		}
		sets = append(sets, set)
	}
	for _, name := range slices.Sorted(maps.Keys(st.NAS)) {
		n := st.NAS[name]
		set := ResourceSet{Provider: "nas", Target: name}
		seen := map[string]bool{}
		add := func(r providers.Resource, where string) {
			if seen[r.Kind+r.Name] {
				errs = append(errs, fmt.Errorf("nas.%s.%s: %s %s is declared twice", name, where, r.Kind, r.Name))
				return
			}
			seen[r.Kind+r.Name] = true
			r.Sensitive = r.Sensitive || HasPlaceholders(r.Content)
			set.Resources = append(set.Resources, r)
		}
		for i, f := range n.Files {
			r := providers.Resource{Kind: providers.KindFile, Name: f.Path, Content: f.Content, Reload: f.Reload, Sensitive: f.Sensitive}
			if f.Mode != "" {
				r.Attrs = map[string]string{"mode": normalMode(f.Mode)}
			}
			add(r, fmt.Sprintf("files[%d]", i))
		}
		for i, b := range n.Blocks {
			add(providers.Resource{Kind: providers.KindBlock, Name: b.Path + "#" + b.Name, Content: blockText(b.Content),
				Attrs: map[string]string{"comment": b.Comment}, Reload: b.Reload, Sensitive: b.Sensitive}, fmt.Sprintf("blocks[%d]", i))
		}
		btasks, berrs := BackupTasks(name, n.Itlag, st.Backups)
		errs = append(errs, berrs...)
		if len(n.Tasks) > 0 || len(btasks) > 0 {
			tasks, terrs := cronTasks(n.Tasks)
			for _, e := range terrs {
				errs = append(errs, fmt.Errorf("nas.%s.%w", name, e))
			}
			tasks = append(tasks, btasks...)
			add(providers.Resource{Kind: providers.KindBlock, Name: n.CronFile + "#" + TasksBlock, Content: cron.Block(tasks),
				Attrs: map[string]string{"comment": "#"}}, "tasks")
		}
		slices.SortFunc(set.Resources, func(a, b providers.Resource) int {
			return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
		})
		sets = append(sets, set)
	}
	for _, name := range slices.Sorted(maps.Keys(st.Backups)) {
		if on := st.Backups[name].RunsOn; on != LocalHost {
			if _, ok := st.NAS[on]; !ok {
				errs = append(errs, fmt.Errorf("backups.%s.runs_on: no NAS named %q in the state, want one of nas or %q", name, on, LocalHost))
			}
		}
	}
	slices.SortFunc(sets, func(a, b ResourceSet) int { return cmp.Compare(a.Key(), b.Key()) })
	return sets, errs
}

// normalMode writes a mode with its leading zero: "644" → "0644".
func normalMode(m string) string {
	if len(m) == 3 {
		return "0" + m
	}
	return m
}

// blockText ends a block's content with exactly one newline per line.
func blockText(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

// cronTasks turns declared tasks into cron.Tasks, checked.
func cronTasks(tasks map[string]schema.Task) ([]cron.Task, []error) {
	var out []cron.Task
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(tasks)) {
		t := tasks[name]
		ct := cron.Task{Name: name, Schedule: t.Schedule, Command: t.Command, User: t.User, Enabled: t.Enabled}
		if err := ct.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("tasks: %w", err))
			continue
		}
		out = append(out, ct)
	}
	return out, errs
}

var placeholder = regexp.MustCompile(`\$\{(env|file|age):([^}]+)\}`)

// HasPlaceholders reports whether s holds ${env:NAME}, ${file:PATH} or
// ${age:FILE#KEY}.
func HasPlaceholders(s string) bool { return placeholder.MatchString(s) }

// ResolvePlaceholders replaces ${env:NAME}, ${file:PATH} and
// ${age:FILE#KEY} (a key of an age-encrypted secrets file) in the content
// of every resource with resolve's answer (the caller reads the secret; the
// resources holding one are already Sensitive). Errors name the reference.
func ResolvePlaceholders(d *Desired, resolve func(ref schema.CredentialRef) (string, error)) error {
	var errs []string
	for i := range d.Resources {
		for j := range d.Resources[i].Resources {
			r := &d.Resources[i].Resources[j]
			r.Content = placeholder.ReplaceAllStringFunc(r.Content, func(m string) string {
				sub := placeholder.FindStringSubmatch(m)
				ref := schema.CredentialRef{Env: sub[2]}
				switch sub[1] {
				case "file":
					ref = schema.CredentialRef{File: sub[2]}
				case "age":
					file, key, _ := strings.Cut(sub[2], "#")
					ref = schema.CredentialRef{Age: file, Key: key}
				}
				v, err := resolve(ref)
				if err != nil {
					errs = append(errs, fmt.Sprintf("%s: %v", ResourceAddress(d.Resources[i], *r), err))
					return m
				}
				return v
			})
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("placeholders: %s", strings.Join(errs, "; "))
	}
	return nil
}
