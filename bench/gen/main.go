// Command gen writes a Go heap dump of a known shape, and its facts, for the heapspurs benchmark.
//
// Shapes (-shape):
//
//   - tree (the default): a complete binary tree of -n 96-byte nodes held
//     by main.tree, a singly linked list of -chain 8-byte nodes held by
//     main.chain, and one object with -owners owners (small objects that
//     each point to it, held by the slice main.owners);
//   - map4: the map main.forest (map[int]*node4) of 8 complete 4-ary trees
//     of 96-byte nodes with four pointer slots, -n nodes in all;
//   - chain: a singly linked list of -n 8-byte nodes held by main.chain;
//   - slices: the global array main.slices of []*item slices of up to
//     1,000,000 elements each (8 MB backing arrays, large objects), each
//     element pointing to a 16-byte item of its own: -n objects in all,
//     arrays and items.
//
// The facts file records query.addr, the start of an object deep in the
// shape (the one the benchmark asks --anchors about), and what the shape
// is made of. -rev changes nothing in the dump: it is written to the facts,
// so that two dumps of one shape and size generated separately can be told
// apart.
//
// Usage: gen [-shape tree|map4|chain|slices] [-n N] [-chain N] [-owners N] [-rev R] DUMP FACTS
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

// node4 is exactly 96 bytes: four pointer slots, an id, padding.
type node4 struct {
	kids [4]*node4
	id   uint64
	pad  [56]byte
}

// item is what each element of a slices slice points to: 16 bytes, no pointers.
type item struct {
	id, val uint64
}

const (
	forestTrees   = 8       // trees of the map4 shape
	sliceElements = 1000000 // elements of each full slice of the slices shape
	maxSlices     = 1 << 10 // room in main.slices: a billion items
)

var (
	tree   *treeNode
	chain  *chainNode
	owners []*owner
	forest map[int]*node4
	slices [maxSlices][]*item
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

// build4ary links n nodes as a complete 4-ary tree in breadth-first order
// (node i has children 4i+1 to 4i+4) and returns its root, its last node (a
// leaf on the deepest level) and that leaf's depth.
func build4ary(n int, firstID uint64) (root, leaf *node4, depth int) {
	nodes := make([]*node4, n)
	for i := range nodes {
		nodes[i] = &node4{id: firstID + uint64(i)}
	}
	for i := range nodes {
		for k := 0; k < 4; k++ {
			if c := 4*i + 1 + k; c < n {
				nodes[i].kids[k] = nodes[c]
			}
		}
	}
	for i := n - 1; i > 0; i = (i - 1) / 4 {
		depth++
	}
	return nodes[0], nodes[n-1], depth
}

// buildForest fills main.forest with forestTrees 4-ary trees of n nodes in
// all (the first n % forestTrees trees have one node more) and returns the
// last node of the first tree, on its deepest level, and its depth in the
// tree.
func buildForest(n int) (*node4, int) {
	forest = make(map[int]*node4, forestTrees)
	var leaf *node4
	depth := 0
	id := uint64(0)
	for t := 0; t < forestTrees; t++ {
		size := n / forestTrees
		if t < n%forestTrees {
			size++
		}
		root, last, d := build4ary(size, id)
		id += uint64(size)
		forest[t] = root
		if t == 0 {
			leaf, depth = last, d
		}
	}
	return leaf, depth
}

// buildSlices makes n objects in all: k slices in main.slices (k backing
// arrays) of sliceElements elements each but the last, each element
// pointing to an item of its own. It returns the last item of the last
// slice, the slice count and the item count.
func buildSlices(n int) (*item, int, int) {
	k := (n + sliceElements) / (sliceElements + 1) // ceil(n / (sliceElements + 1))
	items := n - k
	var last *item
	left := items
	for s := 0; s < k; s++ {
		size := left
		if size > sliceElements {
			size = sliceElements
		}
		left -= size
		elems := make([]*item, size)
		for i := range elems {
			elems[i] = &item{id: uint64(s*sliceElements + i)}
		}
		slices[s] = elems
		last = elems[size-1]
	}
	return last, k, items
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "gen: "+format+"\n", args...)
	os.Exit(1)
}

func addr(p unsafe.Pointer) string { return fmt.Sprintf("0x%x", uintptr(p)) }

type fact struct{ k, v string }

func main() {
	started := time.Now()
	shape := flag.String("shape", "tree", "tree, map4, chain or slices")
	n := flag.Int("n", 1000000, "nodes of the binary tree (tree), objects of the other shapes")
	chainLen := flag.Int("chain", 1000000, "nodes of the linked list (tree)")
	ownerCount := flag.Int("owners", 2000, "owners of the many-owner object (tree)")
	rev := flag.Int("rev", 1, "written to the facts only: tells apart dumps generated separately")
	flag.Parse()
	least := 1
	switch *shape {
	case "tree", "chain":
	case "map4":
		least = forestTrees
	case "slices":
		least = 2
	default:
		fail("unknown shape %q (tree, map4, chain or slices)", *shape)
	}
	if flag.NArg() != 2 || *n < least || *chainLen < 1 || *ownerCount < 1 ||
		(*shape == "slices" && *n > maxSlices*(sliceElements+1)) {
		fmt.Fprintln(os.Stderr, "usage: gen [-shape tree|map4|chain|slices] [-n N] [-chain N] [-owners N] [-rev R] DUMP FACTS")
		os.Exit(2)
	}
	dumpPath, factsPath := flag.Arg(0), flag.Arg(1)

	// No collections while building: every object stays live anyway.
	debug.SetGCPercent(-1)
	start := time.Now()
	// Only the globals may hold the shape: the queried addresses are kept as
	// plain integers so that no stack frame points into it (heap objects do
	// not move).
	var facts []fact
	var query string
	var edges uint64
	switch *shape {
	case "tree":
		leaf, depth := buildTree(*n)
		tail := buildChain(*chainLen)
		target := buildOwners(*ownerCount)
		query = addr(unsafe.Pointer(leaf))
		facts = []fact{
			{"tree.nodes", fmt.Sprint(*n)},
			{"tree.node.size", fmt.Sprint(unsafe.Sizeof(treeNode{}))},
			{"tree.root.addr", addr(unsafe.Pointer(tree))},
			{"tree.leaf.addr", query},
			{"tree.leaf.depth", fmt.Sprint(depth)},
			{"chain.length", fmt.Sprint(*chainLen)},
			{"chain.head.addr", addr(unsafe.Pointer(chain))},
			{"chain.tail.addr", addr(unsafe.Pointer(tail))},
			{"owned.addr", addr(unsafe.Pointer(target))},
			{"owned.owners", fmt.Sprint(*ownerCount)},
			{"query.what", "tree.leaf"},
			{"query.depth", fmt.Sprint(depth)},
		}
		// Tree links, chain links, owners to the target, the owners slice's elements.
		edges = uint64(*n-1) + uint64(*chainLen-1) + 2*uint64(*ownerCount)
	case "map4":
		leaf, depth := buildForest(*n)
		query = addr(unsafe.Pointer(leaf))
		facts = []fact{
			{"map4.trees", fmt.Sprint(forestTrees)},
			{"map4.nodes", fmt.Sprint(*n)},
			{"map4.node.size", fmt.Sprint(unsafe.Sizeof(node4{}))},
			{"map4.leaf.addr", query},
			{"map4.leaf.depth", fmt.Sprint(depth)},
			{"query.what", "map4.leaf (last node of tree 0)"},
			{"query.depth", fmt.Sprint(depth)},
		}
		// Tree links and the map's values (its own objects not counted).
		edges = uint64(*n-forestTrees) + forestTrees
	case "chain":
		tail := buildChain(*n)
		query = addr(unsafe.Pointer(tail))
		facts = []fact{
			{"chain.length", fmt.Sprint(*n)},
			{"chain.head.addr", addr(unsafe.Pointer(chain))},
			{"chain.tail.addr", query},
			{"query.what", "chain.tail"},
			{"query.depth", fmt.Sprint(*n - 1)},
		}
		edges = uint64(*n - 1)
	case "slices":
		last, k, items := buildSlices(*n)
		query = addr(unsafe.Pointer(last))
		facts = []fact{
			{"slices.count", fmt.Sprint(k)},
			{"slices.elements", fmt.Sprint(sliceElements)},
			{"slices.items", fmt.Sprint(items)},
			{"slices.item.size", fmt.Sprint(unsafe.Sizeof(item{}))},
			{"slices.last.addr", query},
			{"query.what", "slices.last (the last item of the last slice)"},
			{"query.depth", "1"},
		}
		// Each element to its item.
		edges = uint64(items)
	}
	built := time.Since(start)

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

	facts = append([]fact{
		{"goversion", runtime.Version()},
		{"shape", *shape},
		{"rev", fmt.Sprint(*rev)},
		{"query.addr", query},
	}, facts...)
	facts = append(facts,
		fact{"heapobjects", fmt.Sprint(ms.HeapObjects)},
		fact{"shape.edges", fmt.Sprint(edges)},
		fact{"dump.bytes", fmt.Sprint(st.Size())},
		fact{"build.seconds", fmt.Sprintf("%.2f", built.Seconds())},
		fact{"dump.seconds", fmt.Sprintf("%.2f", written.Seconds())},
		fact{"gen.seconds", fmt.Sprintf("%.2f", time.Since(started).Seconds())},
	)
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
	runtime.KeepAlive(forest)
	runtime.KeepAlive(&slices)
}
