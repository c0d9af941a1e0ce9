// growth: a leak seen twice. The global main.cache holds 50 entries at the
// first dump and 250 at the second; each entry's 256-byte val is allocated
// in addEntry. A fixed set of unrelated allocations (main.stable) is the
// same in both dumps.
//
// Usage: growth DUMP1 FACTS1 DUMP2 FACTS2
package main

import (
	"runtime"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

type entry struct {
	key uint64
	val []byte
}

var cache []*entry

// stable does not grow between the dumps.
var stable [][]byte

const (
	stableCount = 20
	stableSize  = 2048
)

var addEntryLine int

var garbage []byte

//go:noinline
func addEntry(k uint64) {
	v, line := make([]byte, 256), facts.CallerLine()
	addEntryLine = line
	v[0] = byte(k)
	cache = append(cache, &entry{key: k, val: v})
}

//go:noinline
func makeStable() {
	for i := 0; i < stableCount; i++ {
		b := make([]byte, stableSize)
		b[0] = byte(i)
		stable = append(stable, b)
	}
}

//go:noinline
func churn(i int) {
	garbage = make([]byte, 64+i%300)
}

func snapshot(dump, factsPath string) {
	f := facts.New()
	f.Int("count", int64(len(cache)))
	f.Str("global", "main.cache")
	f.Str("addentry.function", "main.addEntry")
	f.Int("addentry.line", int64(addEntryLine))
	f.Int("val.len", 256)
	f.Int("entry.size", int64(unsafe.Sizeof(entry{})))
	f.Addr("entry.first", unsafe.Pointer(cache[0]))
	f.Addr("entry.last", unsafe.Pointer(cache[len(cache)-1]))
	f.Str("global.stable", "main.stable")
	f.Int("stable.count", stableCount)
	f.Int("stable.size", stableSize)
	facts.Dump(dump)
	f.Write(factsPath)
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(4)

	makeStable()
	k := uint64(0)
	for ; k < 50; k++ {
		addEntry(k)
		churn(int(k))
	}
	garbage = nil
	snapshot(args[0], args[1])

	for ; k < 250; k++ {
		addEntry(k)
		churn(int(k))
	}
	garbage = nil
	snapshot(args[2], args[3])
	runtime.KeepAlive(cache)
	runtime.KeepAlive(stable)
}
