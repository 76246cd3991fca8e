// Package cli is itlag's command line: flags, help texts, rendering calls
// and exit codes, nothing else. Each command parses its flags, opens an
// app.Runtime (the state loaded once), calls one use case of package app,
// renders what it returns with package render (or prints a line or two)
// and turns the result into an exit code: 0 success, 1 error, 2 changes or
// open findings, 3 an invalid desired state.
package cli
