// types: a heap of many Go types, every interesting object held in a known
// way, so that a tool naming each heap object's Go type (from the
// executable's DWARF and the dump's pointers) can be checked against what
// the program's own reflect says.
//
// The heap has structs in pointer chains (Request -> Session -> User) held
// by a large map and by a slice, a backing array of struct values, the
// bytes of a string built at run time, a small map, interface values with
// pointer-shaped and boxed dynamic values, a buffered channel, a closure,
// an object only a goroutine's frame points at, a large object, objects
// with allocation headers (Go 1.22+), an object only an unsafe.Pointer
// points at, a generic type's instantiation and an array object.
//
// Usage: types DUMP FACTS
package main

import (
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

// Header is a value type: slices of it have backing arrays of structs.
type Header struct {
	Name  string
	Value string
}

type User struct {
	ID    int64
	Name  string
	Email string
	Admin bool
}

type Session struct {
	ID      int64
	User    *User
	Started int64
}

type Request struct {
	ID       int64
	Path     string
	Session  *Session
	Headers  []Header
	Deadline int64
}

type Msg struct {
	Seq  int64
	Body string
}

// Leaf is what the pointer fields of Pair, Big, Medium, Hidden, StackOnly
// and array16 point at: 16 bytes with a pointer, so never a tiny
// allocation (those are pointer-free and under 16 bytes).
type Leaf struct {
	ID   int64
	Next *Leaf
}

type Shape interface {
	Area() float64
	Kind() string
}

// Circle implements Shape with pointer receivers: a *Circle in an
// interface is the data word itself.
type Circle struct {
	Radius float64
	Label  string
}

func (c *Circle) Area() float64 { return 3 * c.Radius * c.Radius }
func (c *Circle) Kind() string  { return c.Label }

// Square implements Shape with value receivers; two words, so a Square in
// an interface is boxed: the data word points at a heap copy.
type Square struct {
	Side  int64
	Label *string
}

func (s Square) Area() float64 { return float64(s.Side * s.Side) }
func (s Square) Kind() string  { return *s.Label }

type Thing struct {
	ID   int64
	Name string
}

// Pair is two words: boxed when stored in an interface.
type Pair struct {
	A *Leaf
	B int64
}

type Counter struct {
	N    int64
	Name string
}

// StackOnly is referenced only by a local variable of holdStackOnly.
type StackOnly struct {
	ID   int64
	Note string
	Leaf *Leaf
	Pad  [32]byte
}

// Big is a large object (over 32 KiB, a span of its own) with pointers.
type Big struct {
	Items [bigItems]*Leaf
	Count int64
}

// Medium has pointers and is over 512 bytes: an allocation header in Go
// 1.22 and later.
type Medium struct {
	P   *Leaf
	Pad [600]byte
	Q   *Leaf
}

// Hidden is referenced only by the unsafe.Pointer main.hidden.
type Hidden struct {
	Secret uint64
	Note   string
	Leaf   *Leaf
}

// LRU is generic; main.lru is an LRU[string, *Session].
type LRU[K comparable, V any] struct {
	items map[K]V
	order []K
}

func (l *LRU[K, V]) Put(k K, v V) {
	if _, ok := l.items[k]; !ok {
		l.order = append(l.order, k)
	}
	l.items[k] = v
}

const (
	mapRequests    = 300
	recentRequests = 40
	manyHeaders    = 25 // request 0's headers
	fewHeaders     = 2  // every other request's
	greetingLen    = 100
	chanCap        = 8
	chanMsgs       = 5
	bigItems       = 5000
	bigLeafEvery   = 100 // Big.Items[i] is a leaf when i%bigLeafEvery == 0
	mediumCount    = 20
	lruCap         = 4
	lruSessionBase = 5000
)

// The globals. Each named object below is held by one of them, directly
// or through the objects named as its parent.
var (
	requests map[int64]*Request
	recent   []*Request
	greeting string
	counts   map[string]int
	shape    Shape
	shape2   Shape
	anything any
	anyValue any
	msgs     chan *Msg
	handler  func() int
	big      *Big
	mediums  []*Medium
	hidden   unsafe.Pointer
	lru      *LRU[string, *Session]
	array16  *[16]*Leaf
)

// Static strings: string fields point into the binary, not the heap.
var (
	paths       = [...]string{"/", "/login", "/api/items", "/api/users", "/static/app.js"}
	names       = [...]string{"ada", "bob", "cy", "dee", "eve", "fay", "gus"}
	headerNames = [...]string{"Accept", "Host", "User-Agent", "Cookie", "X-Trace"}
	countKeys   = [...]string{"alpha", "beta", "gamma", "delta", "epsilon"}
	lruKeys     = [lruCap]string{"s-one", "s-two", "s-three", "s-four"}
)

// How many objects of each type the program allocated; none is dropped.
var nUsers, nSessions, nRequests, nLeaves, nMsgs, nMediums int64

// hitsAddr is where makeHandler's captured hits lives (a uintptr, not a
// reference).
var hitsAddr uintptr

//go:noinline
func newLeaf() *Leaf {
	nLeaves++
	return &Leaf{ID: 0x1eaf0000 + nLeaves}
}

//go:noinline
func newSession(id int64) *Session {
	nUsers++
	nSessions++
	u := &User{ID: id, Name: names[id%int64(len(names))], Email: "user@example.com", Admin: id%7 == 0}
	return &Session{ID: 100000 + id, User: u, Started: 1700000000 + id}
}

//go:noinline
func newRequest(id int64, nheaders int) *Request {
	nRequests++
	r := &Request{
		ID:       id,
		Path:     paths[id%int64(len(paths))],
		Session:  newSession(id),
		Headers:  make([]Header, nheaders),
		Deadline: 1700000000 + 30*id,
	}
	for i := range r.Headers {
		r.Headers[i] = Header{Name: headerNames[i%len(headerNames)], Value: "v"}
	}
	return r
}

// makeHandler returns a closure that captures c (a pointer, by value) and
// hits (assigned in the closure, so captured by reference: a heap int).
//
//go:noinline
func makeHandler(c *Counter) func() int {
	hits := 0
	hitsAddr = uintptr(unsafe.Pointer(&hits))
	return func() int {
		hits++
		c.N++
		return hits
	}
}

//go:noinline
func newStackOnly() *StackOnly {
	return &StackOnly{ID: 77, Note: "stack only", Leaf: newLeaf()}
}

type stackReport struct {
	addr uintptr
	leaf uintptr
	goid int64
}

// holdStackOnly keeps a StackOnly in a local variable, reports it and
// blocks; it uses it afterwards, so the frame's pointer map keeps it live.
//
//go:noinline
func holdStackOnly(ready chan<- stackReport, block <-chan struct{}) {
	s := newStackOnly()
	ready <- stackReport{uintptr(unsafe.Pointer(s)), uintptr(unsafe.Pointer(s.Leaf)), facts.Goid()}
	<-block
	runtime.KeepAlive(s)
}

// typeName is what reflect calls T.
func typeName[T any]() string {
	return reflect.TypeOf((*T)(nil)).Elem().String()
}

func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Ptr, reflect.Map, reflect.Chan, reflect.Func, reflect.Interface,
		reflect.Slice, reflect.String, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// goMinor returns 22 for go1.22.12; 0 if runtime.Version() is not a
// release name.
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

// hasHeader is the allocation-header rule of Go 1.22+ (see headers).
func hasHeader(size uintptr, pointers bool) int64 {
	if goMinor() >= 22 && pointers && size > 512 && size <= 32768-8 {
		return 1
	}
	return 0
}

// record writes the facts of the named object p points at, of Go type T.
func record[T any](f *facts.File, name string, p *T) {
	t := reflect.TypeOf(p).Elem()
	size := unsafe.Sizeof(*p)
	key := "obj." + name
	f.Addr(key+".addr", unsafe.Pointer(p))
	f.Text(key+".type", t.String())
	f.Int(key+".size", int64(size))
	f.Int(key+".header", hasHeader(size, hasPointers(t)))
}

// runtimeObject writes the facts of a map header or a channel's hchan:
// its size is the runtime's business, its type is the map or chan type.
func runtimeObject(f *facts.File, name string, p unsafe.Pointer, typ string) {
	f.Addr("obj."+name+".addr", p)
	f.Text("obj."+name+".type", typ)
}

// holder records that the global g (named global) holds the named object
// directly, in its word at offset (8 for an interface's data word, else 0),
// and the global's address and Go type.
func holder[T any](f *facts.File, name, global string, g *T, offset int64) {
	f.Str("obj."+name+".holder", global)
	f.Int("obj."+name+".holder.offset", offset)
	f.Addr("global."+global+".addr", unsafe.Pointer(g))
	f.Text("global."+global+".type", typeName[T]())
}

func parent(f *facts.File, name, parentName string) {
	f.Str("obj."+name+".parent", parentName)
}

// word returns the pointer-sized word at p+off.
func word(p unsafe.Pointer, off uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(uintptr(p) + off))
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	// The goroutine first, so its leaf is allocated before main's.
	ready := make(chan stackReport)
	block := make(chan struct{})
	go holdStackOnly(ready, block)
	stack := <-ready

	requests = make(map[int64]*Request)
	for i := int64(0); i < mapRequests; i++ {
		n := fewHeaders
		if i == 0 {
			n = manyHeaders
		}
		requests[i] = newRequest(i, n)
	}
	recent = make([]*Request, recentRequests)
	for i := range recent {
		recent[i] = newRequest(int64(10000+i), fewHeaders)
	}

	b := make([]byte, greetingLen)
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	greeting = string(b)

	counts = make(map[string]int)
	for i, k := range countKeys {
		counts[k] = i + 1
	}

	shape = &Circle{Radius: 2.5, Label: "circle"}
	label := new(string)
	*label = "square"
	shape2 = Square{Side: 3, Label: label}
	anything = &Thing{ID: 42, Name: "thing"}
	anyValue = Pair{A: newLeaf(), B: 7}

	msgs = make(chan *Msg, chanCap)
	for i := 0; i < chanMsgs; i++ {
		nMsgs++
		msgs <- &Msg{Seq: int64(i), Body: "hello"}
	}

	counter := &Counter{Name: "hits"}
	handler = makeHandler(counter)
	handler()

	big = new(Big)
	for i := 0; i < bigItems; i += bigLeafEvery {
		big.Items[i] = newLeaf()
		big.Count++
	}

	mediums = make([]*Medium, mediumCount)
	for i := range mediums {
		nMediums++
		mediums[i] = &Medium{P: newLeaf(), Q: newLeaf()}
	}

	hidden = unsafe.Pointer(&Hidden{Secret: 0x5ec7e7, Note: "hidden", Leaf: newLeaf()})

	lru = &LRU[string, *Session]{items: make(map[string]*Session), order: make([]string, 0, lruCap)}
	for i, k := range lruKeys {
		lru.Put(k, newSession(int64(lruSessionBase+i)))
	}

	array16 = new([16]*Leaf)
	for i := range array16 {
		array16[i] = newLeaf()
	}

	// Sanity checks on what the facts below assume.
	if cap(requests[0].Headers) != manyHeaders || cap(recent) != recentRequests ||
		len(greeting) != greetingLen || cap(lru.order) != lruCap || len(msgs) != chanMsgs {
		facts.Fail("a backing array has an unexpected capacity")
	}

	f := facts.New()
	mapImpl := "hmap"
	if goMinor() >= 24 {
		mapImpl = "swiss"
	}
	f.Str("map.impl", mapImpl)
	f.Int("goroutine.main.goid", facts.Goid())
	f.Int("goroutine.stackonly.goid", stack.goid)
	f.Str("goroutine.stackonly.function", "main.holdStackOnly")

	// The Request -> Session -> User chain of map entry 0.
	r0 := requests[0]
	record(f, "request0", r0)
	f.Str("obj.request0.map", "bigmap")
	f.Int("obj.request0.key", 0)
	record(f, "session0", r0.Session)
	parent(f, "session0", "request0")
	record(f, "user0", r0.Session.User)
	parent(f, "user0", "session0")
	record(f, "headers", (*[manyHeaders]Header)(unsafe.Pointer(&r0.Headers[0])))
	parent(f, "headers", "request0")
	f.Int("obj.headers.len", int64(len(r0.Headers)))
	f.Str("obj.headers.elemtype", typeName[Header]())

	bigmap := *(*unsafe.Pointer)(unsafe.Pointer(&requests))
	runtimeObject(f, "bigmap", bigmap, reflect.TypeOf(requests).String())
	holder(f, "bigmap", "main.requests", &requests, 0)
	f.Int("obj.bigmap.len", int64(len(requests)))
	// Word 2 (offset 16) of both map headers: hmap.buckets before Go 1.24,
	// maps.Map.dirPtr (the directory, or the only group of a small map) after.
	f.Addr("obj.bigmap.data", word(bigmap, 16))

	record(f, "recent", (*[recentRequests]*Request)(unsafe.Pointer(&recent[0])))
	holder(f, "recent", "main.recent", &recent, 0)
	record(f, "recent0", recent[0])
	parent(f, "recent0", "recent")
	record(f, "recentsession0", recent[0].Session)
	parent(f, "recentsession0", "recent0")

	record(f, "strbytes", (*[greetingLen]byte)(facts.StringData(greeting)))
	holder(f, "strbytes", "main.greeting", &greeting, 0)
	f.Int("obj.strbytes.len", int64(len(greeting)))

	smallmap := *(*unsafe.Pointer)(unsafe.Pointer(&counts))
	runtimeObject(f, "smallmap", smallmap, reflect.TypeOf(counts).String())
	holder(f, "smallmap", "main.counts", &counts, 0)
	f.Int("obj.smallmap.len", int64(len(counts)))
	f.Addr("obj.smallmap.data", word(smallmap, 16))

	// Interfaces: the data word, and what reflect says is in it.
	ifaceData := func(p unsafe.Pointer) unsafe.Pointer { return word(p, 8) }
	record(f, "shape", shape.(*Circle))
	holder(f, "shape", "main.shape", &shape, 8)
	f.Text("obj.shape.iface", typeName[Shape]())
	f.Text("obj.shape.dyntype", reflect.TypeOf(shape).String())
	if ifaceData(unsafe.Pointer(&shape)) != unsafe.Pointer(shape.(*Circle)) {
		facts.Fail("main.shape's data word is not the *Circle")
	}
	record(f, "shape2box", (*Square)(ifaceData(unsafe.Pointer(&shape2))))
	holder(f, "shape2box", "main.shape2", &shape2, 8)
	f.Text("obj.shape2box.iface", typeName[Shape]())
	f.Text("obj.shape2box.dyntype", reflect.TypeOf(shape2).String())
	record(f, "squarelabel", label)
	parent(f, "squarelabel", "shape2box")
	record(f, "anything", anything.(*Thing))
	holder(f, "anything", "main.anything", &anything, 8)
	f.Text("obj.anything.iface", typeName[any]())
	f.Text("obj.anything.dyntype", reflect.TypeOf(anything).String())
	pairBox := (*Pair)(ifaceData(unsafe.Pointer(&anyValue)))
	record(f, "anyvaluebox", pairBox)
	holder(f, "anyvaluebox", "main.anyValue", &anyValue, 8)
	f.Text("obj.anyvaluebox.iface", typeName[any]())
	f.Text("obj.anyvaluebox.dyntype", reflect.TypeOf(anyValue).String())
	record(f, "pairleaf", pairBox.A)
	parent(f, "pairleaf", "anyvaluebox")

	// The channel: hchan.buf is word 2 in every release here.
	hchan := *(*unsafe.Pointer)(unsafe.Pointer(&msgs))
	runtimeObject(f, "chan", hchan, reflect.TypeOf(msgs).String())
	holder(f, "chan", "main.msgs", &msgs, 0)
	f.Int("obj.chan.len", int64(len(msgs)))
	f.Int("obj.chan.cap", int64(cap(msgs)))
	buf := (*[chanCap]*Msg)(word(hchan, 16))
	record(f, "chanbuf", buf)
	parent(f, "chanbuf", "chan")
	record(f, "msg0", buf[0])
	parent(f, "msg0", "chanbuf")

	// The closure: a funcval, the code pointer and then the captures.
	closure := *(*unsafe.Pointer)(unsafe.Pointer(&handler))
	pc := reflect.ValueOf(handler).Pointer()
	f.Addr("obj.closure.addr", closure)
	f.Str("obj.closure.func", runtime.FuncForPC(pc).Name())
	f.Hex("obj.closure.pc", uint64(pc))
	f.Int("obj.closure.size", int64(3*unsafe.Sizeof(uintptr(0))))
	f.Int("obj.closure.header", 0)
	holder(f, "closure", "main.handler", &handler, 0)
	if uintptr(word(closure, 0)) != pc {
		facts.Fail("closure word 0 is not its code pointer")
	}
	var hits *int
	for _, off := range []uintptr{8, 16} {
		w := word(closure, off)
		switch {
		case w == unsafe.Pointer(counter):
			f.Int("obj.closure.counter.offset", int64(off))
		case uintptr(w) == hitsAddr:
			f.Int("obj.closure.hits.offset", int64(off))
			hits = (*int)(w)
		default:
			facts.Fail("closure word " + strconv.Itoa(int(off)) + " is neither capture")
		}
	}
	record(f, "counter", counter)
	parent(f, "counter", "closure")
	record(f, "hits", hits)
	parent(f, "hits", "closure")
	f.Int("obj.hits.tiny", 1)

	f.Hex("obj.stackonly.addr", uint64(stack.addr))
	f.Text("obj.stackonly.type", typeName[StackOnly]())
	f.Int("obj.stackonly.size", int64(unsafe.Sizeof(StackOnly{})))
	f.Int("obj.stackonly.header", 0)
	f.Str("obj.stackonly.frame", "main.holdStackOnly")
	f.Hex("obj.stackleaf.addr", uint64(stack.leaf))
	f.Text("obj.stackleaf.type", typeName[Leaf]())
	f.Int("obj.stackleaf.size", int64(unsafe.Sizeof(Leaf{})))
	f.Int("obj.stackleaf.header", 0)
	parent(f, "stackleaf", "stackonly")

	record(f, "big", big)
	holder(f, "big", "main.big", &big, 0)
	f.Int("obj.big.leaves", big.Count)

	record(f, "mediums", (*[mediumCount]*Medium)(unsafe.Pointer(&mediums[0])))
	holder(f, "mediums", "main.mediums", &mediums, 0)
	record(f, "medium0", mediums[0])
	parent(f, "medium0", "mediums")

	record(f, "hidden", (*Hidden)(hidden))
	holder(f, "hidden", "main.hidden", &hidden, 0)

	record(f, "lru", lru)
	holder(f, "lru", "main.lru", &lru, 0)
	lruitems := *(*unsafe.Pointer)(unsafe.Pointer(&lru.items))
	runtimeObject(f, "lruitems", lruitems, reflect.TypeOf(lru.items).String())
	parent(f, "lruitems", "lru")
	f.Int("obj.lruitems.len", int64(len(lru.items)))
	record(f, "lruorder", (*[lruCap]string)(unsafe.Pointer(&lru.order[0])))
	parent(f, "lruorder", "lru")

	record(f, "array16", array16)
	holder(f, "array16", "main.array16", &array16, 0)

	// Every object of these types in the heap, wherever it is held.
	count := func(typ string, n int64) { f.Int("count."+typ, n) }
	count(typeName[Request](), nRequests)
	count(typeName[Session](), nSessions)
	count(typeName[User](), nUsers)
	count(typeName[Msg](), nMsgs)
	count(typeName[Medium](), nMediums)
	count(typeName[Leaf](), nLeaves)
	count(typeName[Big](), 1)
	count(typeName[Circle](), 1)
	count(typeName[Square](), 1)
	count(typeName[Thing](), 1)
	count(typeName[Pair](), 1)
	count(typeName[Counter](), 1)
	count(typeName[StackOnly](), 1)
	count(typeName[Hidden](), 1)
	count(typeName[LRU[string, *Session]](), 1)
	count(typeName[[manyHeaders]Header](), 1)
	count(typeName[[fewHeaders]Header](), nRequests-1)

	facts.Dump(args[0])
	f.Write(args[1])
	close(block)
	runtime.KeepAlive(requests)
	runtime.KeepAlive(recent)
	runtime.KeepAlive(counts)
	runtime.KeepAlive(msgs)
	runtime.KeepAlive(handler)
	runtime.KeepAlive(big)
	runtime.KeepAlive(mediums)
	runtime.KeepAlive(hidden)
	runtime.KeepAlive(lru)
	runtime.KeepAlive(array16)
}
