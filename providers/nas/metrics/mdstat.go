package metrics

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	// "md2 : active raid1 sda3[0] sdb3[1](F)"
	mdHead = regexp.MustCompile(`^(md\S*)\s*:\s*(\S+)\s*(.*)$`)
	// "[2/1] [U_]"
	mdSlots = regexp.MustCompile(`\[(\d+)/(\d+)\]\s*\[([U_]+)\]`)
	// "[=>....]  recovery =  8.5% (…)" and "resync=DELAYED"
	mdSync = regexp.MustCompile(`\b(resync|recovery|reshape|check|repair)\s*=\s*(\S+)`)
)

// parseMdstat reads /proc/mdstat: a head line per array, then indented
// lines with the slot map and any sync in progress.
func parseMdstat(lines []string) []Array {
	var arrays []Array
	var members []string
	flush := func() {
		if len(arrays) == 0 {
			return
		}
		a := &arrays[len(arrays)-1]
		failed, spare := 0, 0
		for _, m := range members {
			switch {
			case strings.Contains(m, "(F)"):
				failed++
			case strings.Contains(m, "(S)"):
				spare++
			}
		}
		listed := len(members) - spare // slots holding a disk, failed or not
		if a.Devices == 0 {            // no slot map (linear, raid0, inactive)
			a.Devices = listed
			a.Active = listed - failed
		}
		sparseMirror := a.Level == "raid1" && a.Devices > 4 && failed == 0
		a.Degraded = failed > 0 || (a.Active < a.Devices && !sparseMirror)
		if a.Status == "inactive" {
			a.Degraded = true
		}
		members = nil
	}
	for _, l := range lines {
		if m := mdHead.FindStringSubmatch(l); m != nil && !strings.HasPrefix(l, " ") {
			flush()
			a := Array{Name: m[1], Status: m[2]}
			rest := strings.Fields(m[3])
			if m[2] == "active" && len(rest) > 0 && !strings.Contains(rest[0], "[") {
				if rest[0] == "(read-only)" || rest[0] == "(auto-read-only)" {
					rest = rest[1:]
				}
				if len(rest) > 0 && !strings.Contains(rest[0], "[") {
					a.Level, rest = rest[0], rest[1:]
				}
			}
			members = rest
			arrays = append(arrays, a)
			continue
		}
		if len(arrays) == 0 {
			continue // "Personalities : …"
		}
		a := &arrays[len(arrays)-1]
		if m := mdSlots.FindStringSubmatch(l); m != nil {
			a.Devices, _ = strconv.Atoi(m[1])
			a.Active, _ = strconv.Atoi(m[2])
		}
		if m := mdSync.FindStringSubmatch(l); m != nil {
			progress := strings.ToLower(m[2])
			if strings.Contains(progress, "delayed") || strings.Contains(progress, "pending") {
				a.Status += ", " + m[1] + " " + strings.TrimRight(progress, ".")
			} else {
				a.Status += ", " + m[1] + " " + progress
			}
		}
	}
	flush()
	return arrays
}
