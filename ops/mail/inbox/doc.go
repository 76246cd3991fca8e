// Package inbox reads an IMAP mailbox once per pass (github.com/emersion/go-imap
// v1): over TLS (993) or STARTTLS (143, required), read-only, bodies fetched
// with BODY.PEEK so nothing is marked seen, never deleting anything. It
// remembers in the store how far each folder was read (UIDVALIDITY and the
// last UID handled), so a pass that is cut off resumes where it stopped and a
// message is handed over once; a new UIDVALIDITY reads the folder again and
// leaves it to the handler to recognise what it already saw.
package inbox
