// blocked: a goroutine started in holdBuffer allocates a 64 KiB buffer held
// only by a local variable of its frame, reports its goroutine id and
// blocks. main dumps the heap while it is blocked, then releases it.
//
// Usage: blocked DUMP FACTS
package main

import (
	"runtime"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

// bufSize is a variable so that the make in holdBuffer has a non-constant
// size and cannot be placed on the goroutine's stack.
var bufSize = 65536

// bufAddr is where holdBuffer's buffer lives (a uintptr: not a reference).
var bufAddr uintptr

// sink receives the buffer's checksum after the goroutine is released.
var sink byte

//go:noinline
func holdBuffer(ready chan<- int64, block <-chan struct{}) {
	buf := make([]byte, bufSize)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	bufAddr = uintptr(unsafe.Pointer(&buf[0]))
	ready <- facts.Goid()
	<-block
	var sum byte
	for _, b := range buf {
		sum += b
	}
	sink = sum
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	ready := make(chan int64)
	block := make(chan struct{})
	done := make(chan struct{})
	go func() {
		holdBuffer(ready, block)
		close(done)
	}()
	id := <-ready

	f := facts.New()
	f.Hex("buffer.addr", uint64(bufAddr))
	f.Int("buffer.len", int64(bufSize))
	f.Int("goroutine.id", id)
	f.Str("function", "main.holdBuffer")
	f.Int("main.goroutine.id", facts.Goid())

	facts.Dump(args[0])
	close(block)
	<-done
	f.Write(args[1])
}
