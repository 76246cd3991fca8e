// Package providertest is the conformance suite every DNS provider runs:
// apply records of every type, plan again and expect no changes; update and
// delete likewise; and leave unmanaged records alone. It drives the provider
// through the engine (reconcile.Observe, Plan and Apply), as itlag does.
//
// A provider's test calls Run with a Harness:
//
//	func TestConformance(t *testing.T) {
//		providertest.Run(t, providertest.Harness{New: …, Seed: …})
//	}
package providertest
