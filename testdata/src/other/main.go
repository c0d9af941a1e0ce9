// other: an unrelated small program (a map of strings in the global
// main.table), used as "a dump of a different program".
//
// Usage: other DUMP FACTS
package main

import (
	"runtime"
	"strconv"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

const count = 100

var table map[string]string

//go:noinline
func fill() {
	table = make(map[string]string)
	for i := 0; i < count; i++ {
		table["key-"+strconv.Itoa(i)] = "value number " + strconv.Itoa(i*i)
	}
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	fill()

	f := facts.New()
	f.Str("global", "main.table")
	f.Addr("global.addr", unsafe.Pointer(&table))
	f.Int("count", count)

	facts.Dump(args[0])
	f.Write(args[1])
	runtime.KeepAlive(table)
}
