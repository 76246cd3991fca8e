//go:build !unix

package schema

import "time"

// cpuTime is not measured here: BenchmarkLoad then reports no cpu-s/op.
func cpuTime() time.Duration { return 0 }
