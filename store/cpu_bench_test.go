package store_test

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the CPU time this process has used (user + system). On a
// shared, loaded machine wall time per op swings 3–5×; CPU time per op is
// what the query costs, so the benchmarks report both.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds a cpu-ms/op metric measured since start.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
