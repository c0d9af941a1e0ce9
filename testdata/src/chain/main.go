// chain: a singly linked list of 100,000 8-byte nodes held by the global
// main.head (node 0); the last node's next is nil.
//
// Usage: chain DUMP FACTS
package main

import (
	"runtime"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

type link struct {
	next *link
}

const length = 100000

var head *link

//go:noinline
func build() *link {
	head = &link{}
	cur := head
	for i := 1; i < length; i++ {
		cur.next = &link{}
		cur = cur.next
	}
	return cur
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	tail := build()

	f := facts.New()
	f.Addr("head.addr", unsafe.Pointer(head))
	f.Addr("tail.addr", unsafe.Pointer(tail))
	f.Int("length", length)
	f.Int("link.size", int64(unsafe.Sizeof(link{})))
	f.Str("global", "main.head")
	tail = nil

	facts.Dump(args[0])
	f.Write(args[1])
	runtime.KeepAlive(head)
}
