// Package samples builds realistic provider notification mails (No-IP,
// GoDaddy, Cloudflare, Synology DSM, cron, DMARC aggregate reports), a
// newsletter, a phishing look-alike and a malformed MIME tree, each with
// the kind the classifiers of package mail must give it. Tests of the
// parser, the classifiers, the inbox and the ledger share them.
//
// The mails are written from the providers' public formats; they are not
// copies of real mails. Build is deterministic: the same time and names
// give the same bytes.
package samples
