// Package sandbox runs every provider against its in-process fake server, with
// the fake world kept in a directory across runs. On first use the world is
// seeded from the desired state so that it differs from it: some records
// missing, one changed, one extra unmanaged, one extra managed to delete. A
// new user sees plan → apply → empty plan with no credentials and no network.
package sandbox
