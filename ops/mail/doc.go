// Package mail reads what the IT mailbox says: it parses a message
// (MIME, quoted-printable, base64, Spanish charsets, HTML-only mail) into
// a Message and classifies it into Notices — a NoIP hostname asking to be
// confirmed, a GoDaddy renewal notice, a Synology volume degraded, a cron
// job failing, a DMARC aggregate report — with the built-in classifiers
// and the organisation's own mail rules.
//
// It does no I/O: package inbox reads the mailbox over IMAP, package
// ledger records what was read and what it meant, and the application
// layer turns the ledger into findings.
package mail
