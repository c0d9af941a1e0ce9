// Package facts is shared by the heapspurs test programs: it records
// "key value" facts about a heap the program built, writes the heap dump,
// and finds the current goroutine's id.
//
// It deliberately avoids fmt so that the test binaries stay small.
package facts

import (
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"unsafe"
)

// File collects facts, one per line, in the order they were added.
type File struct {
	b strings.Builder
}

// New returns a File that already holds goversion, goarch and ptrsize,
// and goexperiment and runtime.version (what the dump's params record
// says) when the binary was built with GOEXPERIMENT.
func New() *File {
	f := &File{}
	release, experiment := Release()
	f.Str("goversion", release)
	f.Str("goarch", runtime.GOARCH)
	f.Int("ptrsize", int64(unsafe.Sizeof(uintptr(0))))
	if experiment != "" {
		f.Str("goexperiment", experiment)
		f.Str("runtime.version", runtime.Version())
	}
	return f
}

// Release splits runtime.Version() into the release and the experiments
// the binary was built with: "go1.26.8-X:goroutineleakprofile" (the form
// of go1.26; older releases put a space before the X:) is "go1.26.8" and
// "goroutineleakprofile"; a plain release has no experiments.
func Release() (release, experiments string) {
	v := runtime.Version()
	for _, sep := range []string{"-X:", " X:"} {
		if i := strings.Index(v, sep); i >= 0 {
			return v[:i], v[i+len(sep):]
		}
	}
	return v, ""
}

func (f *File) line(key, val string) {
	f.b.WriteString(key)
	f.b.WriteByte(' ')
	f.b.WriteString(val)
	f.b.WriteByte('\n')
}

// Str records a plain string value (must not contain spaces or newlines).
func (f *File) Str(key, val string) { f.line(key, val) }

// Text records a value that may contain spaces, such as the Go type name
// "chan *main.Msg"; readers take the rest of the line after the key and
// its space. It must not contain newlines.
func (f *File) Text(key, val string) { f.line(key, val) }

// Int records a decimal number.
func (f *File) Int(key string, v int64) { f.line(key, strconv.FormatInt(v, 10)) }

// Hex records a value as 0x%x.
func (f *File) Hex(key string, v uint64) { f.line(key, "0x"+strconv.FormatUint(v, 16)) }

// Addr records an address as 0x%x.
func (f *File) Addr(key string, p unsafe.Pointer) { f.Hex(key, uint64(uintptr(p))) }

// Write writes the facts to path; it exits the program on error.
func (f *File) Write(path string) {
	if err := os.WriteFile(path, []byte(f.b.String()), 0o644); err != nil {
		Fail(err.Error())
	}
}

// Fail prints msg and exits with status 1.
func Fail(msg string) {
	os.Stderr.WriteString(os.Args[0] + ": " + msg + "\n")
	os.Exit(1)
}

// Dump runs a full garbage collection, then writes a heap dump to path.
func Dump(path string) {
	runtime.GC()
	DumpNoGC(path)
}

// DumpNoGC writes a heap dump to path without collecting first.
func DumpNoGC(path string) {
	f, err := os.Create(path)
	if err != nil {
		Fail(err.Error())
	}
	debug.WriteHeapDump(f.Fd())
	if err := f.Close(); err != nil {
		Fail(err.Error())
	}
}

// Goid returns the id of the calling goroutine, parsed from the first
// line of its stack trace, "goroutine N [...".
func Goid() int64 {
	var buf [64]byte
	s := string(buf[:runtime.Stack(buf[:], false)])
	s = strings.TrimPrefix(s, "goroutine ")
	if i := strings.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		Fail("cannot parse goroutine id from runtime.Stack")
	}
	return id
}

// Args checks that the program got n arguments and returns them.
func Args(n int) []string {
	if len(os.Args) != n+1 {
		Fail("usage: " + os.Args[0] + strings.Repeat(" PATH", n))
	}
	return os.Args[1:]
}

// StringData returns the address of a string's bytes (unsafe.StringData
// is not available in Go 1.19).
func StringData(s string) unsafe.Pointer {
	return (*struct {
		p unsafe.Pointer
		n int
	})(unsafe.Pointer(&s)).p
}

// CallerLine returns the line number of the statement that called it.
//
//go:noinline
func CallerLine() int {
	_, _, line, _ := runtime.Caller(1)
	return line
}
