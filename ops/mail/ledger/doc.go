// Package ledger records in the store what the IT mailbox said: each
// message handled once (by account, folder, UIDVALIDITY and UID, and again
// by Message-ID and digest when a folder's UIDVALIDITY changes), the
// notices drawn from it, the confirmations providers asked for and how they
// were closed, and the DMARC aggregate reports. It turns what is open into
// findings with stable fingerprints, so reading a message again never
// alerts twice.
package ledger
