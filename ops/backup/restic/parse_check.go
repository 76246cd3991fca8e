package restic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// parseCheck reads `check --json`'s output and exit code. restic 0.14
// ignores --json: text on stdout ("no errors were found"), problems on
// stderr, then "Fatal: repository contains errors" and exit 1. Newer
// restics print a JSON summary on stdout ({"message_type":"summary",
// "num_errors":…, "broken_packs":…}) and JSON errors on stderr.
//
// damaged reports whether the output shows a damaged repository (a
// verdict); when code != 0 and damaged is false, check itself failed (no
// repository, wrong password, lock) and the caller reports an error.
func parseCheck(stdout, stderr []byte, code int) (res CheckResult, damaged bool) {
	var sum *struct {
		NumErrors          int64    `json:"num_errors"`
		BrokenPacks        []string `json:"broken_packs"`
		SuggestRepairIndex bool     `json:"suggest_repair_index"`
		SuggestPrune       bool     `json:"suggest_prune"`
	}
	for _, line := range bytes.Split(stdout, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if !bytes.HasPrefix(line, []byte("{")) {
			continue
		}
		var m struct {
			Type string `json:"message_type"`
		}
		if json.Unmarshal(line, &m) != nil || m.Type != "summary" {
			continue
		}
		if json.Unmarshal(line, &sum) != nil {
			sum = nil
		}
	}

	errs := checkErrors(stderr)
	fatalDamage := false
	for _, l := range strings.Split(string(stderr), "\n") {
		low := strings.ToLower(l)
		if strings.Contains(low, "repository contains errors") ||
			strings.Contains(low, "loadindex returned errors") {
			fatalDamage = true
		}
	}

	if sum != nil {
		res.BrokenPacks = sum.BrokenPacks
		res.SuggestRepairIndex = sum.SuggestRepairIndex
		res.SuggestPrune = sum.SuggestPrune
		damaged = sum.NumErrors > 0 || len(sum.BrokenPacks) > 0 || fatalDamage
		if !damaged {
			res.OK = code == 0
			return res, false
		}
		res.Errors = errs
		for _, p := range sum.BrokenPacks {
			res.Errors = append(res.Errors, "broken pack "+p)
		}
		if len(res.Errors) == 0 {
			res.Errors = append(res.Errors, fmt.Sprintf("%d errors", sum.NumErrors))
		}
		return res, true
	}
	if !fatalDamage {
		res.OK = code == 0
		return res, false
	}
	res.Errors = errs
	if len(res.Errors) == 0 {
		res.Errors = []string{"repository contains errors"}
	}
	return res, true
}

// checkErrors lists the problems check printed on stderr, one per entry:
// JSON error messages, or text lines; a text line indented under
// "error for tree X:" is joined to it. The closing "Fatal: repository
// contains errors" and JSON exit_error are not problems of their own.
func checkErrors(stderr []byte) []string {
	var errs []string
	for _, raw := range strings.Split(string(stderr), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "{") {
			var m struct {
				Type    string `json:"message_type"`
				Message string `json:"message"`
			}
			if json.Unmarshal([]byte(line), &m) == nil && m.Type != "" {
				if m.Type == "error" && m.Message != "" {
					errs = append(errs, m.Message)
				}
				continue
			}
		}
		if strings.HasPrefix(line, "Fatal: ") {
			continue
		}
		indented := raw != "" && (raw[0] == ' ' || raw[0] == '\t')
		if indented && len(errs) > 0 {
			last := errs[len(errs)-1]
			if strings.HasSuffix(last, ":") {
				errs[len(errs)-1] = last + " " + line
			} else {
				errs[len(errs)-1] = last + "; " + line
			}
			continue
		}
		errs = append(errs, line)
	}
	return errs
}
