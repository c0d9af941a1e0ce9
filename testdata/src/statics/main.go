// statics: three things a user asks about that the heap alone does not
// show directly.
//
//   - A global that points at a static: main.cache is initialized to the
//     address of a composite literal that the compiler lays out in the data
//     segment, not on the heap. At run time its items field is set to a heap
//     slice of 50 *item, whose only root is that slot inside the static.
//   - Allocation through a frame that is not the top one: renderPage (4,000
//     calls) gets each page's buffer from newBuffer, so those buffers' alloc
//     stacks start at main.newBuffer with main.renderPage under it.
//   - Growth inside the standard library: fill writes to the global
//     bytes.Buffer main.grown until it holds 500,000 bytes; the final
//     buffer is allocated by bytes.growSlice (called by
//     bytes.(*Buffer).grow), so the top frame of its alloc stack is not in
//     the program.
//
// Usage: statics DUMP FACTS
package main

import (
	"bytes"
	"runtime"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

type item struct {
	key  uint64
	next *item
}

type cacheT struct {
	name  string
	hits  uint64
	items []*item
}

// cache points at a static: an initializer with no function calls in it is
// laid out by the compiler, the pointer and the struct both in the binary.
var cache = &cacheT{name: "static-cache", hits: 7}

const heldCount = 50

type page struct {
	id  int
	buf []byte
}

const (
	renderCount = 4000
	bufferSize  = 40
)

var pages []*page

//go:noinline
func newBuffer() []byte {
	return make([]byte, bufferSize)
}

//go:noinline
func renderPage(i int) *page {
	p := &page{id: i}
	p.buf = newBuffer()
	p.buf[0] = byte(i)
	return p
}

var grown bytes.Buffer

const (
	growChunk = 1000
	growTotal = 500000
)

//go:noinline
func fill() {
	chunk := make([]byte, growChunk)
	for i := range chunk {
		chunk[i] = 'a' + byte(i%26)
	}
	for grown.Len() < growTotal {
		grown.Write(chunk)
	}
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	cache.items = make([]*item, heldCount)
	for i := range cache.items {
		cache.items[i] = &item{key: uint64(i)}
	}

	pages = make([]*page, 0, renderCount)
	for i := 0; i < renderCount; i++ {
		pages = append(pages, renderPage(i))
	}

	fill()

	f := facts.New()
	f.Str("global.cache", "main.cache")
	f.Addr("global.cache.addr", unsafe.Pointer(&cache))
	f.Addr("static.addr", unsafe.Pointer(cache))
	f.Int("static.size", int64(unsafe.Sizeof(*cache)))
	f.Int("static.field.offset", int64(unsafe.Offsetof(cache.items)))
	f.Addr("held.addr", unsafe.Pointer(&cache.items[0]))
	f.Int("held.size", int64(uintptr(len(cache.items))*unsafe.Sizeof(cache.items[0])))
	f.Int("held.count", heldCount)
	f.Addr("held.item.0", unsafe.Pointer(cache.items[0]))
	f.Int("item.size", int64(unsafe.Sizeof(item{})))

	f.Str("render.function", "main.renderPage")
	f.Str("render.helper", "main.newBuffer")
	f.Int("render.count", renderCount)
	f.Int("buffer.size", bufferSize)
	f.Int("render.bytes", renderCount*bufferSize)
	f.Int("page.size", int64(unsafe.Sizeof(page{})))
	f.Str("render.global", "main.pages")
	f.Addr("render.page.0", unsafe.Pointer(pages[0]))
	f.Addr("render.buffer.0", unsafe.Pointer(&pages[0].buf[0]))

	b := grown.Bytes()
	f.Str("grow.function", "main.fill")
	f.Str("grow.helper", "bytes.growSlice")
	f.Str("grow.global", "main.grown")
	f.Addr("grow.addr", unsafe.Pointer(&b[0]))
	f.Int("grow.len", int64(len(b)))
	f.Int("grow.cap", int64(cap(b)))

	facts.Dump(args[0])
	f.Write(args[1])
	runtime.KeepAlive(cache)
	runtime.KeepAlive(pages)
	runtime.KeepAlive(&grown)
}
