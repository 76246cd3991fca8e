// Package dovecottest starts a real Dovecot 2.3 IMAP server for tests, on
// 127.0.0.1 only: its own configuration, run and state directories, log and
// maildirs under t.TempDir (made 0755: the mail processes run as nobody
// when the tests run as root), a throwaway CA and a server certificate
// with the IP SAN 127.0.0.1, an implicit-TLS listener (Server.Addr) and a
// plain one that offers STARTTLS (Server.StartTLSAddr), and a static
// password that lets any user name in (each name has its own mailbox).
//
// Start skips the test when Dovecot is not installed, and fails it when
// $CI is set (CI installs dovecot-imapd). The server stops when the test
// ends, and the harness waits for it to exit, since a new one refuses to start while
// the old master.pid's process lives. Seed mail with Append (IMAP APPEND,
// returns the UID) or, for thousands of messages, SeedMaildir (files
// written straight into the maildir); ResetUIDValidity restarts the server
// with fresh UIDVALIDITYs.
package dovecottest
