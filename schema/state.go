package schema

import (
	"path/filepath"
	"strconv"
	"strings"
)

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
	// DDNS are dynamic-DNS hostnames, by hostname.
	DDNS map[string]DDNSHost `json:"ddns,omitempty"`
	// NAS are the NASes reached over SSH, by name.
	NAS map[string]NAS `json:"nas,omitempty"`
	// Backups are the backup jobs, by name.
	Backups map[string]Backup `json:"backups,omitempty"`
	// Monitors are the probes, by name; Monitoring their history and
	// maintenance windows; Alerts where findings are sent.
	Monitors   map[string]Monitor `json:"monitors,omitempty"`
	Monitoring Monitoring         `json:"monitoring"`
	Alerts     Alerts             `json:"alerts"`
	// Secrets says who can read the age-encrypted secrets files.
	Secrets Secrets `json:"secrets"`
	// AgeRefs are the credential references to age-encrypted secrets
	// files, where the state declares them (checked by Load: each file
	// exists inside the state directory and is a well-formed age file).
	AgeRefs []AgeRef `json:"-"`
	// Exposure is the opt-in check of the office's public address; nil
	// when not declared.
	Exposure *Exposure `json:"exposure,omitempty"`
	// Mail are the IMAP mailboxes read (the IT mailbox), by name, and
	// MailRules what the organisation's own senders' mail means, by name.
	Mail      map[string]MailAccount `json:"mail,omitempty"`
	MailRules map[string]MailRule    `json:"mail_rules,omitempty"`
	// Contacts are who is called when something breaks; Handbook how the
	// operations handbook is written (nil: not declared).
	Contacts Contacts  `json:"contacts"`
	Handbook *Handbook `json:"handbook,omitempty"`
	// Origins say where each declared thing of the maps is written: by
	// its path to depth two ("backups.documents", "providers.cloudflare"),
	// the file and line of its key.
	Origins map[string]Pos `json:"-"`
	// Files lists the YAML files the state was read from, relative to the
	// state directory, sorted.
	Files []string `json:"-"`
	// Dir is the directory Load read, as given ("" for LoadFS): the
	// prefix of the Pos.File of each declared thing.
	Dir string `json:"-"`
}

// Providers holds the settings of each provider the state uses.
type Providers struct {
	Cloudflare *Cloudflare `json:"cloudflare,omitempty"`
	GoDaddy    *GoDaddy    `json:"godaddy,omitempty"`
	NoIP       *NoIP       `json:"noip,omitempty"`
}

// NoIP is the NoIP update client's settings.
type NoIP struct {
	Username    CredentialRef `json:"username"`
	Password    CredentialRef `json:"password"`
	Contact     string        `json:"contact"`
	IPSources   []string      `json:"ip_sources"`
	IPv6Sources []string      `json:"ipv6_sources,omitempty"`
	IPFromNAS   *IPFromNAS    `json:"ip_from_nas,omitempty"`
	Resolver    string        `json:"resolver,omitempty"`
	APIURL      string        `json:"api_url,omitempty"`
}

// IPFromNAS reads the public address on a NAS: an interface's address, or
// a command's output.
type IPFromNAS struct {
	NAS       string `json:"nas"`
	Interface string `json:"interface,omitempty"`
	Command   string `json:"command,omitempty"`
}

// DDNSHost is one dynamic-DNS hostname.
type DDNSHost struct {
	Provider string `json:"provider"`
	// Address is a fixed address; "" means the public one.
	Address string `json:"address,omitempty"`
	// ConfirmBy is when a free host lapses unless confirmed (YYYY-MM-DD).
	ConfirmBy string `json:"confirm_by,omitempty"`
}

// NAS is one NAS reached over SSH.
type NAS struct {
	Host       string          `json:"host"`
	Port       int             `json:"port"`
	User       string          `json:"user"`
	Key        *CredentialRef  `json:"key,omitempty"`
	Agent      bool            `json:"agent"`
	HostKey    string          `json:"host_key"`
	Thresholds *Thresholds     `json:"thresholds,omitempty"`
	Processes  []string        `json:"processes,omitempty"`
	Files      []ManagedFile   `json:"files,omitempty"`
	Blocks     []ManagedBlock  `json:"blocks,omitempty"`
	CronFile   string          `json:"cron_file"`
	Tasks      map[string]Task `json:"tasks,omitempty"`
	// Itlag is how cron runs itlag on the NAS (backup jobs); default "itlag".
	Itlag string `json:"itlag"`
	// ListeningPorts are the TCP ports allowed to listen; nil when the
	// state declares no allow-list.
	ListeningPorts []int `json:"listening_ports,omitempty"`
	// SSHDAudit audits the NAS's sshd configuration (default true).
	SSHDAudit bool `json:"sshd_audit"`
}

// Exposure lists the ports that must be closed on the office's public
// address (opt-in).
type Exposure struct {
	ClosedPorts []int  `json:"closed_ports"`
	Timeout     string `json:"timeout"`
}

// Thresholds turn NAS metrics into findings.
type Thresholds struct {
	DiskPercent            float64  `json:"disk_percent"`
	MemoryAvailablePercent float64  `json:"memory_available_percent"`
	LoadPerCPU             float64  `json:"load_per_cpu"`
	IgnoreMounts           []string `json:"ignore_mounts,omitempty"`
}

// ManagedFile is a file itlag owns entirely.
type ManagedFile struct {
	Path      string `json:"path"`
	Content   string `json:"content"`
	Mode      string `json:"mode,omitempty"`
	Reload    string `json:"reload,omitempty"`
	Sensitive bool   `json:"sensitive"`
}

// ManagedBlock is a marker-delimited block itlag owns inside a file.
type ManagedBlock struct {
	Path      string `json:"path"`
	Name      string `json:"name"`
	Content   string `json:"content"`
	Comment   string `json:"comment"`
	Reload    string `json:"reload,omitempty"`
	Sensitive bool   `json:"sensitive"`
}

// Task is a scheduled task run by cron on a NAS.
type Task struct {
	Schedule string `json:"schedule"`
	Command  string `json:"command"`
	User     string `json:"user"`
	Enabled  bool   `json:"enabled"`
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
	// Cost is what it costs; nil when not declared.
	Cost *Cost `json:"cost,omitempty"`
}

// Cost is an amount in a currency (ISO 4217) per month or year.
type Cost struct {
	Amount   float64 `json:"amount"`
	Currency string  `json:"currency"`
	Period   string  `json:"period"`
}

// Yearly is the cost over a year.
func (c Cost) Yearly() float64 {
	if c.Period == "month" {
		return c.Amount * 12
	}
	return c.Amount
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
// environment variable's name), File (a path), or Age with Key (the value
// of Key in the age-encrypted secrets file Age, a path relative to the
// state directory). The value never appears in the state.
type CredentialRef struct {
	Env  string `json:"env,omitempty"`
	File string `json:"file,omitempty"`
	Age  string `json:"age,omitempty"`
	Key  string `json:"key,omitempty"`
}

// String names the reference (never the secret): "env:CLOUDFLARE_API_TOKEN",
// "file:/run/secrets/cf", "age:secrets/office.age#NOIP_PASSWORD".
func (c CredentialRef) String() string {
	switch {
	case c.Env != "":
		return "env:" + c.Env
	case c.Age != "":
		return "age:" + c.Age + "#" + c.Key
	}
	return "file:" + c.File
}

// Secrets says who can read the age-encrypted secrets files.
type Secrets struct {
	// Recipients are age public keys (age1…) every file is encrypted to.
	Recipients []string `json:"recipients,omitempty"`
	// Files gives a file (by its path relative to the state directory)
	// its own recipients instead.
	Files map[string]SecretsFile `json:"files,omitempty"`
}

// SecretsFile is one secrets file's own settings.
type SecretsFile struct {
	Recipients []string `json:"recipients"`
}

// RecipientsFor returns the recipients file is encrypted to.
func (s Secrets) RecipientsFor(file string) []string {
	if f, ok := s.Files[file]; ok {
		return f.Recipients
	}
	return s.Recipients
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

// Backup is one backup job.
type Backup struct {
	RunsOn       string                 `json:"runs_on"`
	Sources      []string               `json:"sources"`
	Exclude      []string               `json:"exclude,omitempty"`
	SourceMedia  string                 `json:"source_media"`
	Destinations map[string]Destination `json:"destinations"`
	Schedule     BackupSchedule         `json:"schedule"`
	Retention    Retention              `json:"retention"`
	Verify       Verify                 `json:"verify"`
	Waive321     string                 `json:"waive_3_2_1,omitempty"`
}

// Destination is one restic repository holding a copy.
type Destination struct {
	Repository string                   `json:"repository"`
	Media      string                   `json:"media"`
	Offsite    bool                     `json:"offsite"`
	Password   CredentialRef            `json:"password"`
	Env        map[string]CredentialRef `json:"env,omitempty"`
	// SSHKey and HostKey reach an sftp: repository, its host key pinned.
	SSHKey  *CredentialRef `json:"ssh_key,omitempty"`
	HostKey string         `json:"host_key,omitempty"`
}

// BackupSchedule says when a job runs.
type BackupSchedule struct {
	Daily      string `json:"daily"`       // "02:30"
	WeeklyFull string `json:"weekly_full"` // "sunday"
	Grace      string `json:"grace"`       // "6h"
}

// Retention is what forget keeps.
type Retention struct {
	KeepDaily   int    `json:"keep_daily,omitempty"`
	KeepWeekly  int    `json:"keep_weekly,omitempty"`
	KeepMonthly int    `json:"keep_monthly,omitempty"`
	KeepYearly  int    `json:"keep_yearly,omitempty"`
	KeepWithin  string `json:"keep_within,omitempty"`
}

// Verify says how a job's backups are proven.
type Verify struct {
	CheckEvery     string `json:"check_every"`
	ReadDataSubset string `json:"read_data_subset"`
	DrillEvery     string `json:"drill_every"`
	DrillFiles     int    `json:"drill_files"`
}

// Monitor is one probe.
type Monitor struct {
	Kind             string   `json:"kind"`
	Target           string   `json:"target"`
	Interval         string   `json:"interval"`
	Conditions       []string `json:"conditions,omitempty"`
	Expect           []string `json:"expect,omitempty"`
	Resolver         string   `json:"resolver,omitempty"`
	FailureThreshold int      `json:"failure_threshold"`
	SuccessThreshold int      `json:"success_threshold"`
	Severity         string   `json:"severity"`
	// Maintenance are the monitor's own weekly windows.
	Maintenance []string `json:"maintenance,omitempty"`
	// TLSAudit audits an https or tls monitor's TLS (default true).
	TLSAudit bool `json:"tls_audit"`
	// SLO is the availability target in percent; 0 when not declared.
	SLO float64 `json:"slo,omitempty"`
}

// Monitoring holds history retention and maintenance windows.
type Monitoring struct {
	KeepRaw     string   `json:"keep_raw"`
	KeepRollups string   `json:"keep_rollups"`
	Maintenance []string `json:"maintenance,omitempty"`
}

// Alerts routes findings by severity.
type Alerts struct {
	Routes map[string]Route `json:"routes,omitempty"`
}

// Route sends findings of some severities to email and/or a webhook.
type Route struct {
	Severities []string    `json:"severities"`
	Email      *EmailRoute `json:"email,omitempty"`
	Webhook    *struct {
		URL CredentialRef `json:"url"`
	} `json:"webhook,omitempty"`
	Repeat string `json:"repeat,omitempty"`
}

// EmailRoute is an SMTP server and recipients.
type EmailRoute struct {
	Host     string         `json:"host"`
	Port     int            `json:"port"`
	From     string         `json:"from"`
	To       []string       `json:"to"`
	Username *CredentialRef `json:"username,omitempty"`
	Password *CredentialRef `json:"password,omitempty"`
	StartTLS bool           `json:"starttls"`
}

// The explicit markers for facts only the operator knows, not filled in
// yet. The state stays valid with them; every run raises a finding saying
// what to fill in.
const (
	// Pending is a NAS's (or an sftp destination's) host_key until it is
	// pinned, and a backup destination's repository until it is chosen:
	// the host is never connected to, the copy never made.
	Pending = "pending"
	// DateUnknown is a declared date (subscriptions' renews, domains'
	// expires, ddns hosts' confirm_by) until someone reads it.
	DateUnknown = "unknown"
)

// HostKeyIsPending reports whether the NAS's host key is still to be pinned.
func (n NAS) HostKeyIsPending() bool { return n.HostKey == Pending }

// MailAccount is an IMAP mailbox itlag reads.
type MailAccount struct {
	Host string `json:"host"`
	Port int    `json:"port"`
	// TLS is "implicit" or "starttls"; "" means implicit, or starttls
	// on port 143 (see TLSMode).
	TLS               string        `json:"tls,omitempty"`
	CAFile            string        `json:"ca_file,omitempty"`
	Username          CredentialRef `json:"username"`
	Password          CredentialRef `json:"password"`
	Folders           []string      `json:"folders"`
	MoveTo            string        `json:"move_to,omitempty"`
	MaxMessageSize    string        `json:"max_message_size"`
	Interval          string        `json:"interval"`
	TrustedAuthServID string        `json:"trusted_authserv_id,omitempty"`
}

// TLSMode is the account's TLS mode with the default filled in.
func (a MailAccount) TLSMode() string {
	switch {
	case a.TLS != "":
		return a.TLS
	case a.Port == 143:
		return "starttls"
	}
	return "implicit"
}

// MaxMessageBytes is MaxMessageSize in bytes (KB and MB are 1024-based);
// 25 MiB when unset.
func (a MailAccount) MaxMessageBytes() int64 {
	s := a.MaxMessageSize
	unit := int64(1 << 20)
	switch {
	case strings.HasSuffix(s, "KB"):
		unit, s = 1<<10, strings.TrimSuffix(s, "KB")
	case strings.HasSuffix(s, "MB"):
		s = strings.TrimSuffix(s, "MB")
	default:
		return 25 << 20
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 25 << 20
	}
	return n * unit
}

// MailRule is one of the organisation's mail rules.
type MailRule struct {
	From         string            `json:"from,omitempty"`
	Subject      string            `json:"subject,omitempty"`
	Body         string            `json:"body,omitempty"`
	Kind         string            `json:"kind"`
	Severity     string            `json:"severity,omitempty"`
	Concerns     map[string]string `json:"concerns,omitempty"`
	Confirm      bool              `json:"confirm"`
	DeadlineDays int               `json:"deadline_days,omitempty"`
	Closes       []string          `json:"closes,omitempty"`
	AutoConfirm  bool              `json:"auto_confirm"`
	LinkHosts    []string          `json:"link_hosts,omitempty"`
}

// Where is where the entry name of the map section was declared
// (Where("nas", "office")), or the section itself when name is "": its
// file relative to the state directory, line and column.
func (s *State) Where(section, name string) (Pos, bool) {
	path := section
	if name != "" {
		path = joinKey(section, name)
	}
	p, ok := s.Origins[path]
	p.File = s.RelFile(p.File)
	return p, ok
}

// RelFile is file (a Pos.File) relative to the state directory, with
// slashes.
func (s *State) RelFile(file string) string {
	if s.Dir != "" {
		if rel, err := filepath.Rel(s.Dir, file); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.ToSlash(file)
}
