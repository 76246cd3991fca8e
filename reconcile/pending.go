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
// DestinationPending), and the contact details still pending (one low
// finding: the emergency procedures cannot say how to reach them).
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

// contactFindings is one low finding listing the contact details still
// pending (none when every detail is given): one incident, not one per
// person, for what is one task of the operator's.
func contactFindings(c schema.Contacts) []finding.Finding {
	pending := c.PendingDetails()
	if len(pending) == 0 {
		return nil
	}
	paths := make([]string, len(pending))
	for i, p := range pending {
		paths[i] = p.Path
	}
	return []finding.Finding{finding.New(finding.Low, "contacts", "contact-pending",
		fmt.Sprintf("%d contact detail(s) pending: fill in %s (the operator gives them; itlag never guesses)", len(paths), strings.Join(paths, ", ")))}
}

// DestinationPending reports whether a backup destination is still to be
// filled in (repository or host key "pending"): it is never used, in the
// sandbox either, and its credentials are not read.
func DestinationPending(d schema.Destination) bool {
	return d.Repository == schema.Pending || d.HostKey == schema.Pending
}
