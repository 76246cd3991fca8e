package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Action is what an entry records.
type Action string

// The actions itlag records.
const (
	// ActionApply is an apply that changed, or tried to change, the world
	// (a refused one too); target is the plan's checksum.
	ActionApply Action = "apply"
	// ActionApprovalUsed is a committed approval that allowed a saved
	// plan's refused rules; target is the approval's file.
	ActionApprovalUsed Action = "approval-used"
	// ActionDriftCommit is a drift commit; target is the repository
	// directory, detail names the files.
	ActionDriftCommit Action = "drift-commit"
	// ActionDDNSUpdate is an apply whose every change is a dynamic-DNS
	// host (watch's rounds, or an apply that only moved hosts).
	ActionDDNSUpdate Action = "ddns-update"
	// ActionSecretChange is a change to an encrypted secrets file; target
	// is the file, detail names the keys (never their values).
	ActionSecretChange Action = "secret-change"
	// ActionHostKeyPin is a host key written into the state by itlag nas
	// pin; target is the NAS, detail the file (its fingerprint in
	// Addresses).
	ActionHostKeyPin Action = "host-key-pin"
	// ActionMailConfirm is a confirmation a provider asked for by mail,
	// closed by a person (itlag mail confirm) or by following its link
	// (a mail rule's auto_confirm); target is the confirmation's key,
	// detail its outcome and the link's host.
	ActionMailConfirm Action = "mail-confirm"
)

// Genesis is the prev of the first entry.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Entry is one line of the trail.
type Entry struct {
	Seq    int64     `json:"seq"`
	TS     time.Time `json:"ts"`
	Actor  string    `json:"actor"`
	Action Action    `json:"action"`
	Target string    `json:"target"`
	Detail Detail    `json:"detail"`
	Prev   string    `json:"prev"`
}

// Detail says what happened. Every field is optional; none may hold a
// secret value.
type Detail struct {
	// Checksum is the plan's checksum (apply, approval, drift).
	Checksum string `json:"checksum,omitempty"`
	// Outcome: "ok", "partial", "failed", "refused".
	Outcome string `json:"outcome,omitempty"`
	// Addresses are the changes done (apply) or the approval's addresses.
	Addresses []string `json:"addresses,omitempty"`
	// Failed are the addresses whose change failed.
	Failed []string `json:"failed,omitempty"`
	// Rules are safety rules: allowed by an approval, or refusing a plan.
	Rules []string `json:"rules,omitempty"`
	// Files are repository files (a drift commit's).
	Files []string `json:"files,omitempty"`
	// Keys are secret names (never values).
	Keys []string `json:"keys,omitempty"`
	// Note is a short free text ("approved by ana@…", "set").
	Note string `json:"note,omitempty"`
	// Sandbox marks what ran against the sandbox's fakes.
	Sandbox bool `json:"sandbox,omitempty"`
}

// Outcomes of an apply.
const (
	OutcomeOK      = "ok"
	OutcomePartial = "partial"
	OutcomeFailed  = "failed"
	OutcomeRefused = "refused"
)

// encode is e as one line, without its newline: fields in struct order,
// no HTML escaping (so "ana <ana@x>" stays readable).
func encode(e Entry) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		return nil, fmt.Errorf("encode entry %d: %w", e.Seq, err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Hash is the SHA-256 (hex) of a line's exact bytes, without its newline.
func Hash(line []byte) string {
	h := sha256.Sum256(line)
	return hex.EncodeToString(h[:])
}

// monthFile is the file an entry made at ts belongs in.
func monthFile(ts time.Time) string { return ts.UTC().Format("2006-01") + ".jsonl" }

// String is the entry on one line, for people.
func (e Entry) String() string {
	var parts []string
	d := e.Detail
	if d.Outcome != "" {
		parts = append(parts, d.Outcome)
	}
	if d.Note != "" {
		parts = append(parts, d.Note)
	}
	if n := len(d.Addresses); n > 0 {
		parts = append(parts, fmt.Sprintf("%d address(es): %s", n, strings.Join(d.Addresses, ", ")))
	}
	if len(d.Failed) > 0 {
		parts = append(parts, "failed: "+strings.Join(d.Failed, ", "))
	}
	if len(d.Rules) > 0 {
		parts = append(parts, "rules: "+strings.Join(d.Rules, ", "))
	}
	if len(d.Files) > 0 {
		parts = append(parts, "files: "+strings.Join(d.Files, ", "))
	}
	if len(d.Keys) > 0 {
		parts = append(parts, "keys: "+strings.Join(d.Keys, ", "))
	}
	if d.Sandbox {
		parts = append(parts, "sandbox")
	}
	s := fmt.Sprintf("%d  %s  %-13s  %s  %s", e.Seq, e.TS.UTC().Format(time.RFC3339), e.Action, e.Actor, e.Target)
	if len(parts) > 0 {
		s += "  (" + strings.Join(parts, "; ") + ")"
	}
	return s
}
