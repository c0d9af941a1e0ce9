//go:build goexperiment.goroutineleakprofile

package main

import (
	"bytes"
	"os"
	"runtime/pprof"

	"heapspurs-testdata/internal/facts"
)

// leakProfile runs Go 1.26's goroutine leak detection (a GC cycle that
// does not treat goroutines blocked on channels or sync primitives as
// roots, and calls those whose primitive is never marked leaked), writes
// the debug=1 "goroutineleak" profile to path and returns its text.
func leakProfile(path string) (string, bool) {
	p := pprof.Lookup("goroutineleak")
	if p == nil {
		facts.Fail("no goroutineleak profile in this GOEXPERIMENT=goroutineleakprofile build")
	}
	var b bytes.Buffer
	if err := p.WriteTo(&b, 1); err != nil {
		facts.Fail("goroutineleak profile: " + err.Error())
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		facts.Fail(err.Error())
	}
	return b.String(), true
}
