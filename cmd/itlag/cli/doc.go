// Package cli is itlag's command line: flags, wiring and exit codes. It holds
// no logic of its own beyond that: loading is package schema, planning and
// applying package reconcile, rendering package render.
package cli
