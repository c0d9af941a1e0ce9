// headers: heap objects with and without the allocation header of Go 1.22
// and later. Each object is held by a global of its own and its pointer
// fields point at distinct 16-byte leaves, so a reader can check where an
// object's record starts, where its pointer fields are and what they hold.
//
// The rule (Go 1.22+, runtime/malloc.go): an object whose type has pointers,
// whose requested size is over 512 bytes and at most 32760 bytes
// (maxSmallSize - mallocHeaderSize) is put in a small-object span with an
// 8-byte header, its type descriptor's address, in word 0 of its slot; the
// Go object, the address the program holds, starts 8 bytes in. Objects of
// 512 bytes or less keep their pointer bits at the end of their span, large
// objects (own span) keep their type in the span, and pointer-free objects
// need no type at all: none of these has a header. Before Go 1.22 no object
// has one.
//
// Usage: headers DUMP FACTS
package main

import (
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

// leaf is what every pointer field points at: 16 bytes without pointers,
// so each leaf is an object of its own (the tiny allocator takes only
// pointer-free objects under 16 bytes).
type leaf struct{ id, tag uint64 }

// The structs: pointer fields first, in the middle and last.
type h400 struct {
	p   *leaf
	pad [384]byte
	q   *leaf
}

type h512 struct {
	p   *leaf
	pad [496]byte
	q   *leaf
}

type h600 struct {
	p *leaf
	a [288]byte
	m *leaf
	b [288]byte
	q *leaf
}

type h4096 struct {
	p   *leaf
	a   [1016]byte
	mid uint64 // main.gmid points here
	b   [1016]byte
	m   *leaf
	c   [2032]byte
	q   *leaf
}

type h30720 struct {
	p *leaf
	a [15352]byte
	m *leaf
	b [15344]byte
	q *leaf
}

type h40000 struct {
	p *leaf
	a [19992]byte
	m *leaf
	b [19984]byte
	q *leaf
}

// The globals, one pointer variable per object.
var (
	g400    *h400
	g512    *h512
	g600    *h600
	g4096   *h4096
	g30720  *h30720
	g40000  *h40000
	gbytes  []byte
	gslice  []*leaf
	gmid    *uint64
	nleaves uint64
)

const (
	bytesLen = 4096
	sliceLen = 100
)

//go:noinline
func newLeaf() *leaf {
	nleaves++
	return &leaf{id: 0x1eaf0000 + nleaves, tag: nleaves}
}

// goMinor returns 22 for go1.22.12 (and for go1.22 or go1.22rc1); 0 if
// runtime.Version() is not a release name.
func goMinor() int {
	v := strings.TrimPrefix(runtime.Version(), "go1.")
	end := 0
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(v[:end])
	if err != nil {
		return 0
	}
	return n
}

// hasHeader applies the rule above to an object of size bytes.
func hasHeader(size uintptr, pointers bool) int64 {
	if goMinor() >= 22 && pointers && size > 512 && size <= 32768-8 {
		return 1
	}
	return 0
}

type fieldPtr struct {
	offset uintptr
	target *leaf
}

// object records the facts of one object held by a global.
func object(f *facts.File, name, global string, gaddr, addr unsafe.Pointer, size uintptr, pointers bool, ptrs []fieldPtr) {
	f.Addr(name+".addr", addr)
	f.Int(name+".size", int64(size))
	f.Str(name+".global", global)
	f.Addr("global."+name+".addr", gaddr)
	f.Int(name+".header", hasHeader(size, pointers))
	f.Int(name+".ptrs", int64(len(ptrs)))
	for k, p := range ptrs {
		key := name + ".ptr." + strconv.Itoa(k)
		f.Int(key+".offset", int64(p.offset))
		f.Addr(key+".target", unsafe.Pointer(p.target))
	}
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	g400 = &h400{p: newLeaf(), q: newLeaf()}
	g512 = &h512{p: newLeaf(), q: newLeaf()}
	g600 = &h600{p: newLeaf(), m: newLeaf(), q: newLeaf()}
	g4096 = &h4096{p: newLeaf(), m: newLeaf(), q: newLeaf(), mid: 0x4096}
	g30720 = &h30720{p: newLeaf(), m: newLeaf(), q: newLeaf()}
	g40000 = &h40000{p: newLeaf(), m: newLeaf(), q: newLeaf()}
	gbytes = make([]byte, bytesLen)
	for i := range gbytes {
		gbytes[i] = byte(i)
	}
	gslice = make([]*leaf, sliceLen)
	for i := range gslice {
		gslice[i] = newLeaf()
	}
	gmid = &g4096.mid

	f := facts.New()
	f.Int("leaf.size", int64(unsafe.Sizeof(leaf{})))
	f.Int("leaves", int64(nleaves))

	object(f, "h400", "main.g400", unsafe.Pointer(&g400), unsafe.Pointer(g400),
		unsafe.Sizeof(*g400), true, []fieldPtr{
			{unsafe.Offsetof(g400.p), g400.p},
			{unsafe.Offsetof(g400.q), g400.q},
		})
	object(f, "h512", "main.g512", unsafe.Pointer(&g512), unsafe.Pointer(g512),
		unsafe.Sizeof(*g512), true, []fieldPtr{
			{unsafe.Offsetof(g512.p), g512.p},
			{unsafe.Offsetof(g512.q), g512.q},
		})
	object(f, "h600", "main.g600", unsafe.Pointer(&g600), unsafe.Pointer(g600),
		unsafe.Sizeof(*g600), true, []fieldPtr{
			{unsafe.Offsetof(g600.p), g600.p},
			{unsafe.Offsetof(g600.m), g600.m},
			{unsafe.Offsetof(g600.q), g600.q},
		})
	object(f, "h4096", "main.g4096", unsafe.Pointer(&g4096), unsafe.Pointer(g4096),
		unsafe.Sizeof(*g4096), true, []fieldPtr{
			{unsafe.Offsetof(g4096.p), g4096.p},
			{unsafe.Offsetof(g4096.m), g4096.m},
			{unsafe.Offsetof(g4096.q), g4096.q},
		})
	object(f, "h30720", "main.g30720", unsafe.Pointer(&g30720), unsafe.Pointer(g30720),
		unsafe.Sizeof(*g30720), true, []fieldPtr{
			{unsafe.Offsetof(g30720.p), g30720.p},
			{unsafe.Offsetof(g30720.m), g30720.m},
			{unsafe.Offsetof(g30720.q), g30720.q},
		})
	object(f, "h40000", "main.g40000", unsafe.Pointer(&g40000), unsafe.Pointer(g40000),
		unsafe.Sizeof(*g40000), true, []fieldPtr{
			{unsafe.Offsetof(g40000.p), g40000.p},
			{unsafe.Offsetof(g40000.m), g40000.m},
			{unsafe.Offsetof(g40000.q), g40000.q},
		})
	object(f, "bytes", "main.gbytes", unsafe.Pointer(&gbytes), unsafe.Pointer(&gbytes[0]),
		uintptr(len(gbytes)), false, nil)

	// The slice: K is the element index, at offset 8K.
	f.Addr("slice.addr", unsafe.Pointer(&gslice[0]))
	f.Int("slice.size", int64(uintptr(len(gslice))*unsafe.Sizeof(gslice[0])))
	f.Int("slice.len", int64(len(gslice)))
	f.Int("slice.cap", int64(cap(gslice)))
	f.Str("slice.global", "main.gslice")
	f.Addr("global.slice.addr", unsafe.Pointer(&gslice))
	f.Int("slice.header", hasHeader(uintptr(cap(gslice))*unsafe.Sizeof(gslice[0]), true))
	for _, i := range []int{0, 1, 2, sliceLen - 1} {
		key := "slice.ptr." + strconv.Itoa(i)
		f.Int(key+".offset", int64(uintptr(i)*unsafe.Sizeof(gslice[0])))
		f.Addr(key+".target", unsafe.Pointer(gslice[i]))
	}

	f.Addr("interior.ptr", unsafe.Pointer(gmid))
	f.Int("interior.offset", int64(unsafe.Offsetof(g4096.mid)))
	f.Addr("interior.base", unsafe.Pointer(g4096))
	f.Str("interior.global", "main.gmid")
	f.Addr("global.interior.addr", unsafe.Pointer(&gmid))

	facts.Dump(args[0])
	f.Write(args[1])
	runtime.KeepAlive(g400)
	runtime.KeepAlive(g512)
	runtime.KeepAlive(g600)
	runtime.KeepAlive(g4096)
	runtime.KeepAlive(g30720)
	runtime.KeepAlive(g40000)
	runtime.KeepAlive(gbytes)
	runtime.KeepAlive(gslice)
	runtime.KeepAlive(gmid)
}
