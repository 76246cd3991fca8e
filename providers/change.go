package providers

// Action is what a change does. Actions are words in files; symbols only on a
// terminal.
type Action string

// The actions.
const (
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
)

// Change is one planned change to one record.
type Change struct {
	// Address is stable and readable: "cloudflare:lagrieta.es/www/A", with
	// "/<content>" appended when a name and type hold several records.
	Address  string `json:"address"`
	Action   Action `json:"action"`
	Provider string `json:"provider"`
	Zone     string `json:"zone"`
	// Before is the observed record (nil for a create); After the desired
	// one (nil for a delete).
	Before *Record `json:"before,omitempty"`
	After  *Record `json:"after,omitempty"`
	// Domain is set on a change of registrar settings (then Before and
	// After are nil, the address is "godaddy:domain/lagrieta.es" and Zone
	// is the domain).
	Domain *DomainChange `json:"domain,omitempty"`
	// Resource is set on a change to a resource (a dynamic-DNS host, a
	// file or block on a NAS): then Before and After are nil, Zone is the
	// target and the address is "noip:ddns/lagrieta.ddns.net" or
	// "nas:office/file/etc/ssh/sshd_config.d/itlag.conf".
	Resource *ResourceChange `json:"resource,omitempty"`
	// Reason says why, in a few words ("ttl 300 → auto").
	Reason string `json:"reason,omitempty"`
}
