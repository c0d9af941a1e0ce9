// Command gen writes a Go heap dump of a known shape for the heapspurs
// benchmark, and a facts file with the addresses the benchmark queries.
//
// Shape: a complete binary tree of -n 96-byte nodes held by main.tree, a
// singly linked list of -chain 8-byte nodes held by main.chain, and one
// object with -owners owners (small objects that each point to it, held by
// the slice main.owners).
//
// Usage: gen [-n N] [-chain N] [-owners N] DUMP FACTS
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"time"
	"unsafe"
)

// treeNode is exactly 96 bytes (a size class), two pointers then padding.
type treeNode struct {
	left, right *treeNode
	id          uint64
	pad         [72]byte
}

type chainNode struct {
	next *chainNode
}

// owned is the object with many owners.
type owned struct {
	payload [4]uint64
}

type owner struct {
	target *owned
	id     uint64
}

var (
	tree   *treeNode
	chain  *chainNode
	owners []*owner
)

// buildTree links n nodes as a complete binary tree in breadth-first order
// (node i has children 2i+1 and 2i+2) and returns the last node, a leaf on
// the deepest level, and the depth of that leaf (root = 0).
func buildTree(n int) (*treeNode, int) {
	if n <= 0 {
		return nil, 0
	}
	nodes := make([]*treeNode, n)
	for i := range nodes {
		nodes[i] = &treeNode{id: uint64(i)}
	}
	for i := range nodes {
		if l := 2*i + 1; l < n {
			nodes[i].left = nodes[l]
		}
		if r := 2*i + 2; r < n {
			nodes[i].right = nodes[r]
		}
	}
	tree = nodes[0]
	leaf := nodes[n-1]
	depth := 0
	for i := n - 1; i > 0; i = (i - 1) / 2 {
		depth++
	}
	return leaf, depth
}

// buildChain links n nodes head to tail and returns the tail.
func buildChain(n int) *chainNode {
	if n <= 0 {
		return nil
	}
	chain = &chainNode{}
	cur := chain
	for i := 1; i < n; i++ {
		cur.next = &chainNode{}
		cur = cur.next
	}
	return cur
}

// buildOwners makes n owners of one fresh object and returns it.
func buildOwners(n int) *owned {
	target := &owned{}
	owners = make([]*owner, n)
	for i := range owners {
		owners[i] = &owner{target: target, id: uint64(i)}
	}
	return target
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "gen: "+format+"\n", args...)
	os.Exit(1)
}

func addr(p unsafe.Pointer) string { return fmt.Sprintf("0x%x", uintptr(p)) }

func main() {
	n := flag.Int("n", 1000000, "nodes of the binary tree")
	chainLen := flag.Int("chain", 1000000, "nodes of the linked list")
	ownerCount := flag.Int("owners", 2000, "owners of the many-owner object")
	flag.Parse()
	if flag.NArg() != 2 || *n < 1 || *chainLen < 1 || *ownerCount < 1 {
		fmt.Fprintln(os.Stderr, "usage: gen [-n N] [-chain N] [-owners N] DUMP FACTS")
		os.Exit(2)
	}
	dumpPath, factsPath := flag.Arg(0), flag.Arg(1)

	// No collections while building: every object stays live anyway.
	debug.SetGCPercent(-1)
	start := time.Now()
	leaf, depth := buildTree(*n)
	tail := buildChain(*chainLen)
	target := buildOwners(*ownerCount)
	built := time.Since(start)
	// Only the globals may hold the shape: keep the queried addresses as
	// plain integers so that no stack frame points into it (heap objects do
	// not move).
	leafAddr := addr(unsafe.Pointer(leaf))
	tailAddr := addr(unsafe.Pointer(tail))
	targetAddr := addr(unsafe.Pointer(target))
	leaf, tail, target = nil, nil, nil

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	f, err := os.Create(dumpPath)
	if err != nil {
		fail("%v", err)
	}
	start = time.Now()
	debug.WriteHeapDump(f.Fd())
	if err := f.Close(); err != nil {
		fail("%v", err)
	}
	written := time.Since(start)
	st, err := os.Stat(dumpPath)
	if err != nil {
		fail("%v", err)
	}

	// Pointer edges between heap objects that the shape accounts for: tree
	// links, chain links, owners to the target, the owners slice's elements.
	edges := uint64(*n-1) + uint64(*chainLen-1) + 2*uint64(*ownerCount)
	facts := []struct{ k, v string }{
		{"goversion", runtime.Version()},
		{"tree.nodes", fmt.Sprint(*n)},
		{"tree.node.size", fmt.Sprint(unsafe.Sizeof(treeNode{}))},
		{"tree.root.addr", addr(unsafe.Pointer(tree))},
		{"tree.leaf.addr", leafAddr},
		{"tree.leaf.depth", fmt.Sprint(depth)},
		{"chain.length", fmt.Sprint(*chainLen)},
		{"chain.head.addr", addr(unsafe.Pointer(chain))},
		{"chain.tail.addr", tailAddr},
		{"owned.addr", targetAddr},
		{"owned.owners", fmt.Sprint(*ownerCount)},
		{"heapobjects", fmt.Sprint(ms.HeapObjects)},
		{"shape.edges", fmt.Sprint(edges)},
		{"dump.bytes", fmt.Sprint(st.Size())},
		{"build.seconds", fmt.Sprintf("%.2f", built.Seconds())},
		{"dump.seconds", fmt.Sprintf("%.2f", written.Seconds())},
	}
	out, err := os.Create(factsPath)
	if err != nil {
		fail("%v", err)
	}
	for _, kv := range facts {
		fmt.Fprintf(out, "%s %s\n", kv.k, kv.v)
	}
	if err := out.Close(); err != nil {
		fail("%v", err)
	}
	runtime.KeepAlive(tree)
	runtime.KeepAlive(chain)
	runtime.KeepAlive(owners)
}
