// Package dmarc reads DMARC aggregate reports (RFC 7489 appendix C, and
// DMARCbis's namespace): gzip, zip or plain XML, capped, into per-source
// counts of what passed and what failed.
package dmarc
