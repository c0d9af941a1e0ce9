// retain: objects with exactly known sizes and ownership, for retained-size
// (dominator) tests.
//
//   - main.trees maps "a", "b", "c" to binary trees of tnode with 7, 3 and 1
//     nodes, each node owned by exactly one parent.
//   - main.ownerX and main.ownerY are holders that share one [1024]byte and
//     each own a [512]byte of their own.
//   - main.ring points into a cycle of 4 rnodes.
//
// Usage: retain DUMP FACTS
package main

import (
	"runtime"
	"strconv"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

type tnode struct {
	left, right *tnode
	payload     [40]byte
}

type holder struct {
	shared *[1024]byte
	own    *[512]byte
}

type rnode struct {
	next *rnode
	pad  [24]byte
}

var trees map[string]*tnode

var ownerX, ownerY *holder

var ring *rnode

// tree builds a full binary tree of the given depth (depth 1 = one node)
// and appends its nodes to *all in breadth-first order.
//
//go:noinline
func tree(depth int, all *[]*tnode) *tnode {
	if depth == 0 {
		return nil
	}
	root := &tnode{}
	level := []*tnode{root}
	for d := 1; d <= depth; d++ {
		var next []*tnode
		for _, n := range level {
			n.payload[0] = byte(d)
			*all = append(*all, n)
			if d < depth {
				n.left = &tnode{}
				n.right = &tnode{}
				next = append(next, n.left, n.right)
			}
		}
		level = next
	}
	return root
}

//go:noinline
func build() (a []*tnode) {
	var b, c []*tnode
	trees = make(map[string]*tnode)
	trees["a"] = tree(3, &a)
	trees["b"] = tree(2, &b)
	trees["c"] = tree(1, &c)

	shared := new([1024]byte)
	ownerX = &holder{shared: shared, own: new([512]byte)}
	ownerY = &holder{shared: shared, own: new([512]byte)}
	shared[0], ownerX.own[0], ownerY.own[0] = 's', 'x', 'y'

	ring = &rnode{}
	cur := ring
	for i := 1; i < 4; i++ {
		cur.next = &rnode{}
		cur = cur.next
		cur.pad[0] = byte(i)
	}
	cur.next = ring
	return a
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	a := build()

	f := facts.New()
	f.Str("global.trees", "main.trees")
	f.Addr("tree.a.root", unsafe.Pointer(trees["a"]))
	f.Int("tree.a.nodes", int64(len(a)))
	f.Addr("tree.b.root", unsafe.Pointer(trees["b"]))
	f.Int("tree.b.nodes", 3)
	f.Addr("tree.c.root", unsafe.Pointer(trees["c"]))
	f.Int("tree.c.nodes", 1)
	f.Int("tnode.size", int64(unsafe.Sizeof(tnode{})))
	for i, n := range a {
		f.Addr("tree.a.node."+strconv.Itoa(i), unsafe.Pointer(n))
	}
	f.Str("global.holder.x", "main.ownerX")
	f.Str("global.holder.y", "main.ownerY")
	f.Addr("holder.x", unsafe.Pointer(ownerX))
	f.Addr("holder.y", unsafe.Pointer(ownerY))
	f.Int("holder.size", int64(unsafe.Sizeof(holder{})))
	f.Addr("shared.addr", unsafe.Pointer(ownerX.shared))
	f.Int("shared.size", 1024)
	f.Addr("own.x", unsafe.Pointer(ownerX.own))
	f.Addr("own.y", unsafe.Pointer(ownerY.own))
	f.Int("own.size", 512)
	f.Str("global.ring", "main.ring")
	r := ring
	for i := 0; i < 4; i++ {
		f.Addr("ring."+strconv.Itoa(i), unsafe.Pointer(r))
		r = r.next
	}
	f.Int("rnode.size", int64(unsafe.Sizeof(rnode{})))
	a, r = nil, nil

	facts.Dump(args[0])
	f.Write(args[1])
	runtime.KeepAlive(trees)
	runtime.KeepAlive(ownerX)
	runtime.KeepAlive(ownerY)
	runtime.KeepAlive(ring)
}
