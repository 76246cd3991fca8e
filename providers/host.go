package providers

import "context"

// HostFacts are the raw security facts a host reported, for package
// ops/security to judge (a provider never judges them). An empty field
// means the host did not report it.
type HostFacts struct {
	// SSHDEffective is what "sshd -T" printed (lower-case keywords, one
	// per line): the effective configuration, when sshd allowed it.
	SSHDEffective string
	// SSHDFiles are /etc/ssh/sshd_config, then the files each of its
	// Include patterns matched, in order.
	SSHDFiles []ConfigFile
	// Listening is what "ss -ltn" printed; ProcNetTCP the content of
	// /proc/net/tcp and /proc/net/tcp6 (by "tcp", "tcp6") when ss is
	// missing (BusyBox).
	Listening  string
	ProcNetTCP map[string]string
	// Updates are the package manager's pending updates: the lines of
	// "apt list --upgradable" ("pkg/suite version arch [upgradable from:
	// …]"), or the "Inst" lines of "apt-get -s upgrade"; UpdatesTool is "apt", or "" when the host has
	// no package manager itlag knows (Synology, QNAP): unknown, not zero.
	// UpdatesErr is set when the tool failed.
	Updates     string
	UpdatesTool string
	UpdatesErr  string
}

// ConfigFile is one configuration file as read on a host.
type ConfigFile struct {
	Path    string
	Content string
	// Include is the Include pattern that matched it ("" for the main file).
	Include string
}

// HostInspector is an optional extra of a ResourceProvider whose targets
// are hosts (a NAS): it reads their security facts. Read-only; an
// unreachable target is an error wrapping ErrUnreachable.
type HostInspector interface {
	InspectHost(ctx context.Context, target string) (HostFacts, error)
}
