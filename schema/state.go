package schema

// State is the whole desired state: every YAML file of a state directory,
// validated against the embedded CUE schema, with defaults filled in.
type State struct {
	Providers Providers `json:"providers"`
	Zones     []Zone    `json:"zones"`
	Policy    Policy    `json:"policy"`
	// Domains are registrations, keyed by domain name as written.
	Domains map[string]Domain `json:"domains,omitempty"`
	// Subscriptions are other things that lapse unless renewed, by name.
	Subscriptions map[string]Subscription `json:"subscriptions,omitempty"`
	// Files lists the YAML files the state was read from, relative to the
	// state directory, sorted.
	Files []string `json:"-"`
}

// Providers holds the settings of each provider the state uses.
type Providers struct {
	Cloudflare *Cloudflare `json:"cloudflare,omitempty"`
	GoDaddy    *GoDaddy    `json:"godaddy,omitempty"`
}

// GoDaddy is the GoDaddy provider's settings (domains and DNS).
type GoDaddy struct {
	// APIKey and APISecret are where the key's two halves are read from.
	APIKey    CredentialRef `json:"api_key"`
	APISecret CredentialRef `json:"api_secret"`
	// APIURL points the provider at another endpoint; default
	// https://api.godaddy.com.
	APIURL string `json:"api_url,omitempty"`
	// RequestsPerMinute is the client-side limit; default 60.
	RequestsPerMinute int `json:"requests_per_minute"`
}

// Domain is one domain registration.
type Domain struct {
	// Registrar is "godaddy" (observed and managed) or "manual" (declared).
	Registrar string `json:"registrar"`
	// RenewAuto, Locked and NameServers are managed when set.
	RenewAuto   *bool    `json:"renew_auto,omitempty"`
	Locked      *bool    `json:"locked,omitempty"`
	NameServers []string `json:"nameservers,omitempty"`
	// Expires is the declared expiry date (YYYY-MM-DD), used when the
	// registrar does not answer.
	Expires string `json:"expires,omitempty"`
	// Reminders are lead times in days; nil means the default.
	Reminders []int `json:"reminders,omitempty"`
}

// Subscription is something that lapses unless renewed or confirmed.
type Subscription struct {
	Kind      string `json:"kind"`
	Provider  string `json:"provider"`
	What      string `json:"what,omitempty"`
	Renews    string `json:"renews"` // YYYY-MM-DD
	AutoRenew bool   `json:"auto_renew"`
	Reminders []int  `json:"reminders,omitempty"`
	// PeriodDays is how often it recurs (informational).
	PeriodDays int    `json:"period_days,omitempty"`
	Owner      string `json:"owner,omitempty"`
}

// Cloudflare is the Cloudflare provider's settings.
type Cloudflare struct {
	// APIToken is where the API token is read from; never the token itself.
	APIToken CredentialRef `json:"api_token"`
	// APIURL points the provider at another endpoint; default
	// https://api.cloudflare.com/client/v4.
	APIURL string `json:"api_url,omitempty"`
}

// CredentialRef says where a secret is read from: exactly one of Env (an
// environment variable's name) or File (a path). The value never appears in
// the state.
type CredentialRef struct {
	Env  string `json:"env,omitempty"`
	File string `json:"file,omitempty"`
}

// String names the reference (never the secret): "env:CLOUDFLARE_API_TOKEN".
func (c CredentialRef) String() string {
	if c.Env != "" {
		return "env:" + c.Env
	}
	return "file:" + c.File
}

// Zone is one DNS zone and the records itlag keeps in it.
type Zone struct {
	// Name is the zone apex as written (Unicode allowed).
	Name string `json:"name"`
	// Provider hosts the zone: "cloudflare".
	Provider string `json:"provider"`
	// Purge: delete live records that the state does not declare (and no
	// unmanaged rule covers). Default true.
	Purge bool `json:"purge"`
	// Unmanaged rules name records itlag never touches.
	Unmanaged []Unmanaged `json:"unmanaged,omitempty"`
	Records   []Record    `json:"records"`
	Pos       Pos         `json:"-"`
}

// Unmanaged matches records by name glob and type glob (path.Match syntax;
// names relative to the zone, "@" for the apex).
type Unmanaged struct {
	Name string `json:"name"`           // default "*"
	Type string `json:"type,omitempty"` // default "*"
}

// Record is one desired DNS record, as written.
type Record struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Value string `json:"value"`
	// TTL in seconds; 0 means "auto" (written `ttl: auto`, the default).
	TTL       int    `json:"ttl"`
	Proxied   bool   `json:"proxied"`
	Priority  *int   `json:"priority,omitempty"`
	Comment   string `json:"comment,omitempty"`
	Protected bool   `json:"protected"`
	Pos       Pos    `json:"-"`
}

// Policy holds the plan's safety rules.
type Policy struct {
	// MaxChangePercent: a plan that updates or deletes more than this share
	// of a zone's records needs --allow mass-change. Default 30.
	MaxChangePercent int `json:"max_change_percent"`
	// MinZoneRecords: zones smaller than this are exempt from
	// MaxChangePercent. Default 10.
	MinZoneRecords int `json:"min_zone_records"`
	// Protected lists address globs ("lagrieta.es/@/MX", "*/@/NS") whose
	// records any change to needs --allow protected.
	Protected []string `json:"protected,omitempty"`
}

// Pos is a place in a YAML file.
type Pos struct {
	File string
	Line int
	Col  int
}
