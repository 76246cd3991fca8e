// Package metrics observes a Linux NAS (Synology DSM, QNAP QTS, TrueNAS
// SCALE, plain Debian) in one command: Script is a POSIX shell script that
// prints every metric in marked sections, Parse reads its output into a
// Sample, Evaluate turns a Sample into findings against Thresholds, and
// Metrics flattens it for monitoring history.
//
// The script only reads (/proc, df, ps, smartctl -H) and prefixes every path
// with "${ITLAG_ROOT}", so that remote.Local can run it against a fake root
// written by WriteFakeRoot.
package metrics
