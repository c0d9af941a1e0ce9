// finalizer: objects with finalizers in every state a dump can show.
//
//   - Two Nodes a and b point at each other and nothing else points at them;
//     a has a finalizer. Because the GC marks everything an object with a
//     finalizer points to, b is marked, so a is marked through b: a cycle
//     through an object with a finalizer is never collected. After
//     runtime.GC() a's finalizer is still registered (tag 7), and only that
//     record anchors the cycle.
//   - kept, a Node referenced from the global main.kept, has a registered
//     finalizer (tag 7) too.
//   - lone, a Node that nothing references, has a finalizer. The
//     runtime.GC() just before the dump finds it unreachable and moves its
//     finalizer to the finalizer queue (tag 11), where it stays because the
//     finalizer goroutine is busy (next item).
//   - plug: to make that deterministic the program first "plugs" the
//     runtime's finalizer goroutine: an unreachable plug object gets a
//     finalizer that blocks forever, and a first runtime.GC() starts it. Its
//     queue block is still counted while it runs, so the dump shows the plug
//     as a queued finalizer (tag 11) as well.
//
// Usage: finalizer DUMP FACTS
package main

import (
	"runtime"
	"time"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

type Node struct {
	Other *Node
	Data  [48]byte
}

type plug struct {
	p   *int
	pad [24]byte
}

var kept *Node

var (
	plugAddr    uintptr
	plugStarted = make(chan struct{})
	plugRelease = make(chan struct{}) // never closed
)

//go:noinline
func makePlug() {
	p := &plug{}
	plugAddr = uintptr(unsafe.Pointer(p))
	runtime.SetFinalizer(p, func(*plug) {
		close(plugStarted)
		<-plugRelease
	})
}

//go:noinline
func makeCycle() (a, b uintptr) {
	x := &Node{}
	y := &Node{}
	x.Other = y
	y.Other = x
	x.Data[0] = 'a'
	y.Data[0] = 'b'
	runtime.SetFinalizer(x, func(*Node) {})
	return uintptr(unsafe.Pointer(x)), uintptr(unsafe.Pointer(y))
}

//go:noinline
func makeLone() uintptr {
	x := &Node{}
	x.Data[0] = 'l'
	runtime.SetFinalizer(x, func(*Node) {})
	return uintptr(unsafe.Pointer(x))
}

//go:noinline
func makeKept() {
	kept = &Node{}
	kept.Data[0] = 'k'
	runtime.SetFinalizer(kept, func(*Node) {})
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	makePlug()
	runtime.GC()
	for started := false; !started; {
		select {
		case <-plugStarted:
			started = true
		case <-time.After(time.Second):
			runtime.GC()
		}
	}

	makeKept()
	a, b := makeCycle()
	lone := makeLone()

	f := facts.New()
	f.Hex("cycle.a", uint64(a))
	f.Hex("cycle.b", uint64(b))
	f.Addr("kept.addr", unsafe.Pointer(kept))
	f.Str("global.kept", "main.kept")
	f.Int("node.size", int64(unsafe.Sizeof(Node{})))
	f.Str("cycle.finalizer", "registered")
	f.Str("kept.finalizer", "registered")
	f.Hex("lone.addr", uint64(lone))
	f.Str("lone.finalizer", "queued")
	f.Hex("plug.addr", uint64(plugAddr))
	f.Int("plug.size", int64(unsafe.Sizeof(plug{})))
	f.Str("plug.finalizer", "running")

	facts.Dump(args[0])
	f.Write(args[1])
	runtime.KeepAlive(kept)
}
