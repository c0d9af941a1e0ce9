// interior: pointers into the middle of heap objects. The global
// main.fieldPtr points at field B of a Big that nothing else references;
// the global main.sub is a 10-byte substring taken at offset 5000 of a
// 100,000-byte string built at run time.
//
// Usage: interior DUMP FACTS
package main

import (
	"runtime"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

type Big struct {
	A [5]uint64
	B uint64
	C [10]uint64
}

var fieldPtr *uint64

var sub string

const (
	bigLen    = 100000
	subOffset = 5000
	subLen    = 10
)

//go:noinline
func makeBig() uintptr {
	big := &Big{}
	for i := range big.A {
		big.A[i] = uint64(i)
	}
	big.B = 0xb0b0b0b0
	fieldPtr = &big.B
	return uintptr(unsafe.Pointer(big))
}

//go:noinline
func makeString() uintptr {
	b := make([]byte, bigLen)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	s := string(b)
	sub = s[subOffset : subOffset+subLen]
	return uintptr(facts.StringData(s))
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	bigAddr := makeBig()
	strAddr := makeString()

	f := facts.New()
	f.Hex("struct.addr", uint64(bigAddr))
	f.Int("struct.size", int64(unsafe.Sizeof(Big{})))
	f.Int("field.offset", int64(unsafe.Offsetof(Big{}.B)))
	f.Addr("field.ptr", unsafe.Pointer(fieldPtr))
	f.Str("global.field", "main.fieldPtr")
	f.Hex("bigstring.addr", uint64(strAddr))
	f.Int("bigstring.len", bigLen)
	f.Addr("substring.ptr", facts.StringData(sub))
	f.Int("substring.offset", subOffset)
	f.Int("substring.len", subLen)
	f.Str("global.sub", "main.sub")

	facts.Dump(args[0])
	f.Write(args[1])
	runtime.KeepAlive(fieldPtr)
	runtime.KeepAlive(sub)
}
