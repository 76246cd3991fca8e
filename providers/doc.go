// Package providers holds the value types every provider and the engine share
// (records, changes, findings) and the small Provider interface that each
// provider package implements.
//
// It is a leaf package: it imports nothing else from itlag. The engine
// (package reconcile) diffs; providers only observe and apply.
package providers
