// Package security holds itlag's vulnerability and exposure checks. Each
// check judges facts gathered elsewhere (a TLS handshake it makes itself;
// a NAS's sshd configuration, listening ports and pending updates that the
// NAS provider reads through providers.HostInspector; TCP connects to the
// office's own public address) and returns findings whose source starts
// with "security:", so that they land in status.json's security area.
//
// Severities are fixed here, not configurable:
//
//	high    certificate chain or host name invalid; a port that must be
//	        closed from outside is open; root may log in over SSH with a
//	        password (PermitRootLogin yes)
//	medium  TLS 1.0 or 1.1 accepted; an RSA key under 2048 bits; a
//	        certificate expiring within 14 days (high within 7) when no
//	        monitor condition already watches it; SSH password login
//	        allowed; weak SSH ciphers, key exchanges or MACs; a port
//	        listening on the NAS that the allow-list does not name;
//	        pending security updates
//	low     HSTS missing on an https site; root may log in over SSH with
//	        a key (prohibit-password); other pending updates; the NAS's
//	        listening ports when no allow-list is declared; facts that
//	        could not be read (sshd configuration, listening ports,
//	        updates on a NAS without apt: unknown, never zero)
//
// Every network call has a deadline and goes through Options.Net (the
// runtime's network: under --sandbox it reaches loopback only, the
// sandbox's fakes standing in for the targets).
package security
