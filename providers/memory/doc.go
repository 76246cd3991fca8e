// Package memory is an in-memory DNS provider for tests: zones live in maps,
// Apply changes them, and a hook makes chosen changes fail. It implements
// providers.DNS (and Registrar, ResourceProvider) and passes the conformance suite in
// providers/providertest.
package memory
