// defaultrate: the same leak as the leak program (300 Records with
// 1000-byte payloads in the global main.leaked), but runtime.MemProfileRate
// keeps its default (one sample per 512 KiB), so few objects have alloc
// samples.
//
// Usage: defaultrate DUMP FACTS
package main

import (
	"runtime"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

// OID marks every Record: a recognisable "object id" in word 0.
const OID = 0xcaffe14e00000001

type Record struct {
	ID      uint64
	Payload []byte
	Next    *Record
}

const count = 300

var leaked []*Record

// Lines of the allocations in load, filled in by load itself.
var recordLine, payloadLine int

// garbage is overwritten on every call to churn, so earlier values are dropped.
var garbage []byte

//go:noinline
func load(i int) *Record {
	r, line := &Record{ID: OID}, facts.CallerLine()
	recordLine = line
	p, line := make([]byte, 1000), facts.CallerLine()
	payloadLine = line
	for j := range p {
		p[j] = byte(i + j)
	}
	r.Payload = p
	return r
}

//go:noinline
func churn(i int) {
	garbage = make([]byte, 100+i%200)
	garbage[0] = byte(i)
}

func main() {
	args := facts.Args(2)

	for i := 0; i < count; i++ {
		leaked = append(leaked, load(i))
		churn(i)
	}
	garbage = nil

	f := facts.New()
	f.Str("global", "main.leaked")
	f.Addr("global.addr", unsafe.Pointer(&leaked))
	f.Addr("slice.array", unsafe.Pointer(&leaked[0]))
	f.Int("slice.len", int64(len(leaked)))
	f.Int("slice.cap", int64(cap(leaked)))
	f.Addr("elem.0", unsafe.Pointer(leaked[0]))
	f.Addr("elem.1", unsafe.Pointer(leaked[1]))
	f.Addr("elem.299", unsafe.Pointer(leaked[299]))
	f.Addr("elem.5.payload", unsafe.Pointer(&leaked[5].Payload[0]))
	f.Int("record.size", int64(unsafe.Sizeof(Record{})))
	f.Int("payload.len", 1000)
	f.Str("load.function", "main.load")
	f.Int("load.line", int64(recordLine))
	f.Int("payload.line", int64(payloadLine))
	f.Int("count", count)
	f.Hex("oid", OID)
	f.Str("oid.name", "main.Record")

	facts.Dump(args[0])
	f.Write(args[1])
	runtime.KeepAlive(leaked)
}
