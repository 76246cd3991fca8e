package cli

import (
	"flag"
	"fmt"
	"strings"
	"sync"
)

// globalNames are the global flags, accepted before the command as well as
// after it: those newFlags gives every command, read from it so that the
// two never differ. Each takes a value (none is a bool).
var globalNames = sync.OnceValue(func() map[string]bool {
	fs, _ := newFlags(&env{}, "", "")
	names := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { names[f.Name] = true })
	return names
})

// leadingGlobals splits the global flags written before the command
// ("itlag --state DIR plan", "itlag --format=json check") from the rest,
// and returns the command line rewritten as the command followed by those
// flags and then the command's own arguments. Because a flag set keeps the
// last value it parses, a global flag given after the command wins over the
// same flag given before it. args is returned unchanged when it does not
// start with a global flag; an unknown flag before the command is left in
// place, so it is reported as an unknown command. Before "help" (or
// --help) the global flags are dropped: help reads none.
func leadingGlobals(args []string) ([]string, error) {
	var lead []string
	i := 0
	for i < len(args) {
		a := args[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" || !globalNames()[name] {
			break
		}
		if hasValue {
			lead = append(lead, a)
			i++
			continue
		}
		if i+1 >= len(args) {
			return nil, fmt.Errorf("flag needs an argument: %s", a)
		}
		lead = append(lead, a, args[i+1])
		i += 2
	}
	if len(lead) == 0 {
		return args, nil
	}
	if i >= len(args) {
		return nil, fmt.Errorf("%s: a command must follow the global flags", strings.Join(lead, " "))
	}
	switch args[i] {
	case "help", "-h", "--help", "-help": // the root help takes no flags
		return args[i:], nil
	}
	out := make([]string, 0, len(args))
	out = append(out, args[i])
	out = append(out, lead...)
	return append(out, args[i+1:]...), nil
}
