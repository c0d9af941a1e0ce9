//go:build !goexperiment.goroutineleakprofile

package main

// leakProfile: without GOEXPERIMENT=goroutineleakprofile (and before Go
// 1.26) there is no goroutine leak profile.
func leakProfile(path string) (string, bool) { return "", false }
