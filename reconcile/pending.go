package reconcile

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lagrieta/itlag/finding"
	"github.com/lagrieta/itlag/schema"
)

// HostKeyPendingFinding is the finding of a NAS whose host key the state
// marks pending (host_key: pending): high, because nothing on it is
// watched or configured (metrics, files, tasks, security checks) until the
// key is pinned, though nothing is known to be broken. Its source is the
// NAS's resource set ("nas:office"), so the engine's skip and the state's
// own reading give the same fingerprint.
func HostKeyPendingFinding(nas string) finding.Finding {
	f := finding.New(finding.High, ResourceSet{Provider: "nas", Target: nas}.Key(), "host-key-pending",
		fmt.Sprintf("host key pending: run `itlag nas pin %s` on the office network and compare the fingerprint with the NAS's console", nas))
	f.Detail = "nas." + nas + ".host_key is \"pending\": the NAS is never connected to until its host key is pinned (no trust on first use)"
	return f
}

// PendingFindings are the findings of the facts the state marks as still
// to be filled in by the operator, read from the state alone (so the
// sandbox, whose fakes need no pin, shows them too): each NAS whose host
// key is pending (HostKeyPendingFinding) and each backup destination whose
// repository or host key is (high: that copy is skipped, see
// DestinationPending), and each contact with a detail still pending (low:
// the handbook's emergency procedures cannot say how to reach them).
// Unknown dates are Expiries' findings.
func PendingFindings(st *schema.State) []finding.Finding {
	var out []finding.Finding
	for _, name := range slices.Sorted(maps.Keys(st.NAS)) {
		if st.NAS[name].HostKeyIsPending() {
			out = append(out, HostKeyPendingFinding(name))
		}
	}
	for _, job := range slices.Sorted(maps.Keys(st.Backups)) {
		dests := st.Backups[job].Destinations
		for _, dest := range slices.Sorted(maps.Keys(dests)) {
			d, where := dests[dest], "backups."+job+".destinations."+dest
			switch {
			case d.Repository == schema.Pending:
				out = append(out, finding.New(finding.High, "backup:"+job+"/"+dest, "repository-pending",
					fmt.Sprintf("repository pending: this copy is not made until %s.repository names the restic repository (and its credentials)", where)))
			case d.HostKey == schema.Pending:
				out = append(out, finding.New(finding.High, "backup:"+job+"/"+dest, "host-key-pending",
					fmt.Sprintf("host key pending: this copy is skipped until %s.host_key is pinned (ssh-keyscan the server on a trusted network and compare with its console)", where)))
			}
		}
	}
	return append(out, contactFindings(st.Contacts)...)
}

// contactFindings are one low finding per contact (person or support
// line) with details pending, naming the fields to fill in.
func contactFindings(c schema.Contacts) []finding.Finding {
	var out []finding.Finding
	byContact := map[string][]string{}
	for _, p := range c.PendingDetails() {
		byContact[p.Contact] = append(byContact[p.Contact], p.Path)
	}
	for _, name := range slices.Sorted(maps.Keys(byContact)) {
		paths := byContact[name]
		out = append(out, finding.New(finding.Low, "contacts:"+name, "contact-pending",
			fmt.Sprintf("contact details pending: fill in %s (the operator gives them; itlag never guesses)", strings.Join(paths, ", "))))
	}
	return out
}

// DestinationPending reports whether a backup destination is still to be
// filled in (repository or host key "pending"): it is never used, in the
// sandbox either, and its credentials are not read.
func DestinationPending(d schema.Destination) bool {
	return d.Repository == schema.Pending || d.HostKey == schema.Pending
}
