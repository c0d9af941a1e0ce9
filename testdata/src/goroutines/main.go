// goroutines: goroutines blocked in six ways, three of them leaked (nothing
// live can ever wake them) and three not, each holding a 12 KiB buffer of
// its own, so that a tool can be checked on which goroutines a dump calls
// leaked, where they were created and what their frames keep alive.
//
// Every category is started by a creator function of its own (so the
// goroutines' gopc differ per category) and blocks in the closure that
// creator starts:
//
//	leakSend        5  send on an unbuffered channel only its own stack holds
//	leakRecv        4  receive on a channel only its own stack holds
//	leakWait        3  Wait on a heap sync.WaitGroup only its own stack holds
//	waitGlobalChan  6  receive on the global channel main.work
//	waitGlobalMutex 2  Lock of the global main.mu, which main holds
//	sleepers        2  time.Sleep(time.Hour)
//
// Built with GOEXPERIMENT=goroutineleakprofile (Go 1.26), the program also
// writes Go's own goroutine leak profile after the dump (WriteHeapDump
// aborts once that profile has run: leaked goroutines get a status it does
// not know) to DUMP with .dump replaced by .leakprofile, and records what it
// reports; see leakprofile_on.go.
//
// Usage: goroutines DUMP FACTS
package main

import (
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"heapspurs-testdata/internal/facts"
)

// bufferSize is every goroutine's buffer (a size class: a 12288-byte
// object). bufSize is a variable so that the makes have a non-constant
// size and cannot be put on the goroutines' stacks.
const bufferSize = 12288

var bufSize = bufferSize

// The categories, in the order they are started and recorded.
const (
	catLeakSend = iota
	catLeakRecv
	catLeakWait
	catWaitGlobalChan
	catWaitGlobalMutex
	catSleepers
	numCats
)

type category struct {
	name   string
	count  int
	leaked bool
	start  func(n int, ready chan<- report) (goLine int)
}

var categories = [numCats]category{
	{"leakSend", 5, true, leakSend},
	{"leakRecv", 4, true, leakRecv},
	{"leakWait", 3, true, leakWait},
	{"waitGlobalChan", 6, false, waitGlobalChan},
	{"waitGlobalMutex", 2, false, waitGlobalMutex},
	{"sleepers", 2, false, sleepers},
}

// The globals the waitGlobal* goroutines block on: main makes work and
// holds mu locked while they wait.
var (
	work chan int
	mu   sync.Mutex
)

// report is what a goroutine tells main just before it blocks. Addresses
// are uintptrs: not references.
type report struct {
	cat      int
	goid     int64
	buf      uintptr
	wg       uintptr // the WaitGroup of a leakWait goroutine
	function string  // runtime.FuncForPC of a pc in the goroutine's function
	creator  string  // "created by" of its own traceback
	line     int     // and the line under it: the go statement
}

// fill fills a goroutine's buffer; each goroutine allocates its own in its
// own function, so the buffer's alloc stack starts there.
func fill(buf []byte, cat int) {
	for i := range buf {
		buf[i] = byte(cat*31 + i)
	}
}

// newWaitGroup returns a WaitGroup on the heap (a pointer a noinline
// function returns escapes), referenced by nothing but its caller.
//
//go:noinline
func newWaitGroup() *sync.WaitGroup {
	return new(sync.WaitGroup)
}

// here builds the report of the calling goroutine; pc is from
// runtime.Caller(0) in the goroutine's function.
//
//go:noinline
func here(cat int, buf []byte, pc uintptr) report {
	r := report{cat: cat, buf: uintptr(unsafe.Pointer(&buf[0])), function: runtime.FuncForPC(pc).Name()}
	r.goid, r.creator, r.line = whoami()
	return r
}

// whoami parses the calling goroutine's traceback: its id from the first
// line, "goroutine N [running]:", and its creator from the last two,
// "created by main.leakSend in goroutine 1" ("created by main.leakSend"
// before go1.21) and "\tFILE:LINE +0x...".
func whoami() (goid int64, creator string, line int) {
	var buf [4096]byte
	s := string(buf[:runtime.Stack(buf[:], false)])
	goid = facts.Goid()
	i := strings.Index(s, "\ncreated by ")
	if i < 0 {
		facts.Fail("no \"created by\" in the goroutine's traceback")
	}
	rest := s[i+len("\ncreated by "):]
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		facts.Fail("traceback ends after \"created by\"")
	}
	creator = rest[:nl]
	if sp := strings.IndexByte(creator, ' '); sp >= 0 {
		creator = creator[:sp]
	}
	loc := rest[nl+1:]
	if sp := strings.IndexByte(loc, ' '); sp >= 0 {
		loc = loc[:sp]
	}
	colon := strings.LastIndexByte(loc, ':')
	n, err := strconv.Atoi(strings.TrimSpace(loc[colon+1:]))
	if colon < 0 || err != nil {
		facts.Fail("cannot parse the creator's line from " + strconv.Quote(loc))
	}
	return goid, creator, n
}

// The creators. Each starts n goroutines and returns the line of its go
// statement (the line after the facts.CallerLine() call).

//go:noinline
func leakSend(n int, ready chan<- report) (goLine int) {
	for i := 0; i < n; i++ {
		goLine = facts.CallerLine() + 1
		go func() {
			buf := make([]byte, bufSize)
			fill(buf, catLeakSend)
			ch := make(chan int)
			pc, _, _, _ := runtime.Caller(0)
			ready <- here(catLeakSend, buf, pc)
			ch <- 1
			runtime.KeepAlive(buf)
		}()
	}
	return goLine
}

//go:noinline
func leakRecv(n int, ready chan<- report) (goLine int) {
	for i := 0; i < n; i++ {
		goLine = facts.CallerLine() + 1
		go func() {
			buf := make([]byte, bufSize)
			fill(buf, catLeakRecv)
			ch := make(chan int)
			pc, _, _, _ := runtime.Caller(0)
			ready <- here(catLeakRecv, buf, pc)
			<-ch
			runtime.KeepAlive(buf)
		}()
	}
	return goLine
}

//go:noinline
func leakWait(n int, ready chan<- report) (goLine int) {
	for i := 0; i < n; i++ {
		goLine = facts.CallerLine() + 1
		go func() {
			buf := make([]byte, bufSize)
			fill(buf, catLeakWait)
			wg := newWaitGroup()
			wg.Add(1)
			pc, _, _, _ := runtime.Caller(0)
			r := here(catLeakWait, buf, pc)
			r.wg = uintptr(unsafe.Pointer(wg))
			ready <- r
			wg.Wait()
			runtime.KeepAlive(buf)
		}()
	}
	return goLine
}

//go:noinline
func waitGlobalChan(n int, ready chan<- report) (goLine int) {
	for i := 0; i < n; i++ {
		goLine = facts.CallerLine() + 1
		go func() {
			buf := make([]byte, bufSize)
			fill(buf, catWaitGlobalChan)
			pc, _, _, _ := runtime.Caller(0)
			ready <- here(catWaitGlobalChan, buf, pc)
			<-work
			runtime.KeepAlive(buf)
		}()
	}
	return goLine
}

//go:noinline
func waitGlobalMutex(n int, ready chan<- report) (goLine int) {
	for i := 0; i < n; i++ {
		goLine = facts.CallerLine() + 1
		go func() {
			buf := make([]byte, bufSize)
			fill(buf, catWaitGlobalMutex)
			pc, _, _, _ := runtime.Caller(0)
			ready <- here(catWaitGlobalMutex, buf, pc)
			mu.Lock()
			mu.Unlock()
			runtime.KeepAlive(buf)
		}()
	}
	return goLine
}

//go:noinline
func sleepers(n int, ready chan<- report) (goLine int) {
	for i := 0; i < n; i++ {
		goLine = facts.CallerLine() + 1
		go func() {
			buf := make([]byte, bufSize)
			fill(buf, catSleepers)
			pc, _, _, _ := runtime.Caller(0)
			ready <- here(catSleepers, buf, pc)
			time.Sleep(time.Hour)
			runtime.KeepAlive(buf)
		}()
	}
	return goLine
}

// goMinor returns 22 for go1.22.12; 0 if the version is not a release name.
func goMinor() int {
	v, _ := facts.Release()
	v = strings.TrimPrefix(v, "go1.")
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

// waitReason is what the runtime prints for a blocked goroutine of the
// category (the runtime's and sync's sources of each release): WaitGroup.Wait
// has its own reason from go1.24 (sync_runtime_SemacquireWaitGroup),
// Mutex.Lock from go1.20; before, both are "semacquire".
func waitReason(cat int) string {
	minor := goMinor()
	switch cat {
	case catLeakSend:
		return "chan send"
	case catLeakRecv, catWaitGlobalChan:
		return "chan receive"
	case catLeakWait:
		if minor >= 24 {
			return "sync.WaitGroup.Wait"
		}
		return "semacquire"
	case catWaitGlobalMutex:
		if minor >= 20 {
			return "sync.Mutex.Lock"
		}
		return "semacquire"
	case catSleepers:
		return "sleep"
	}
	return ""
}

// goroutineStates returns every goroutine's traceback header from
// runtime.Stack(all), "goroutine N [STATE]:", as STATE by id, and the
// tracebacks by id.
func goroutineStates() (states map[int64]string, stacks map[int64]string) {
	buf := make([]byte, 1<<20)
	s := string(buf[:runtime.Stack(buf, true)])
	states = make(map[int64]string)
	stacks = make(map[int64]string)
	for _, tb := range strings.Split(s, "\n\n") {
		if !strings.HasPrefix(tb, "goroutine ") {
			continue
		}
		head := tb
		if nl := strings.IndexByte(head, '\n'); nl >= 0 {
			head = head[:nl]
		}
		rest := strings.TrimPrefix(head, "goroutine ")
		sp := strings.IndexByte(rest, ' ')
		open, end := strings.IndexByte(rest, '['), strings.LastIndexByte(rest, ']')
		if sp < 0 || open < 0 || end < open {
			continue
		}
		id, err := strconv.ParseInt(rest[:sp], 10, 64)
		if err != nil {
			continue
		}
		states[id] = rest[open+1 : end]
		stacks[id] = tb
	}
	return states, stacks
}

// blockedAsExpected checks that every goroutine in rs is blocked in its
// function with its category's wait reason; it returns a complaint or "".
func blockedAsExpected(rs []report) string {
	states, stacks := goroutineStates()
	for _, r := range rs {
		state, ok := states[r.goid]
		if !ok {
			return "goroutine " + strconv.FormatInt(r.goid, 10) + " is not in runtime.Stack"
		}
		if state != waitReason(r.cat) {
			return "goroutine " + strconv.FormatInt(r.goid, 10) + " (" + categories[r.cat].name +
				") is [" + state + "], want [" + waitReason(r.cat) + "]"
		}
		if !strings.Contains(stacks[r.goid], "\n"+r.function+"(") {
			return "goroutine " + strconv.FormatInt(r.goid, 10) + " has no frame of " + r.function
		}
	}
	return ""
}

func main() {
	runtime.MemProfileRate = 1
	args := facts.Args(2)

	work = make(chan int)
	mu.Lock()

	total := 0
	for _, c := range categories {
		total += c.count
	}
	ready := make(chan report)
	goLines := make([]int, numCats)
	for i, c := range categories {
		goLines[i] = c.start(c.count, ready)
	}
	byCat := make([][]report, numCats)
	all := make([]report, 0, total)
	for i := 0; i < total; i++ {
		r := <-ready
		byCat[r.cat] = append(byCat[r.cat], r)
		all = append(all, r)
	}

	// Every goroutine has reported and is about to block: give them time
	// to get there, then check that each one has.
	time.Sleep(50 * time.Millisecond)
	for tries := 0; ; tries++ {
		complaint := blockedAsExpected(all)
		if complaint == "" {
			break
		}
		if tries == 200 {
			facts.Fail(complaint)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n != total+1 {
		facts.Fail("runtime.NumGoroutine() is " + strconv.Itoa(n) + ", want " + strconv.Itoa(total+1))
	}

	f := facts.New()
	f.Int("goroutine.main.goid", facts.Goid())
	f.Int("goroutine.total", int64(total+1))
	f.Int("buffer.size", bufferSize)
	for i, c := range categories {
		rs := byCat[i]
		if len(rs) != c.count {
			facts.Fail(c.name + ": " + strconv.Itoa(len(rs)) + " goroutines reported")
		}
		sort.Slice(rs, func(a, b int) bool { return rs[a].goid < rs[b].goid })
		key := "goroutine." + c.name
		creator := "main." + c.name
		f.Int(key+".count", int64(c.count))
		leaked := int64(0)
		if c.leaked {
			leaked = 1
		}
		f.Int(key+".leaked", leaked)
		f.Str(key+".function", rs[0].function)
		f.Str(key+".creator", creator)
		f.Int(key+".creator.line", int64(goLines[i]))
		f.Text(key+".waitreason", waitReason(i))
		for j, r := range rs {
			if r.function != creator+".func1" || r.creator != creator || r.line != goLines[i] {
				facts.Fail(c.name + ": goroutine " + strconv.FormatInt(r.goid, 10) + " runs " + r.function +
					", created by " + r.creator + " at line " + strconv.Itoa(r.line) +
					"; want " + creator + ".func1, " + creator + ", " + strconv.Itoa(goLines[i]))
			}
			k := key + "." + strconv.Itoa(j)
			f.Int(k+".goid", r.goid)
			f.Hex(k+".buffer", uint64(r.buf))
			if i == catLeakWait {
				f.Hex(k+".waitgroup", uint64(r.wg))
			}
		}
	}

	facts.Dump(args[0])

	// Go's own verdict (GOEXPERIMENT=goroutineleakprofile only), after the
	// dump: once the profile has run, WriteHeapDump aborts.
	if text, ok := leakProfile(strings.TrimSuffix(args[0], ".dump") + ".leakprofile"); ok {
		count, perCat := parseLeakProfile(text)
		f.Int("leakprofile.count", int64(count))
		for i, c := range categories {
			f.Int("leakprofile."+c.name, int64(perCat[i]))
		}
	}
	f.Write(args[1])
	runtime.KeepAlive(work)
}

// parseLeakProfile reads a debug=1 goroutineleak profile:
//
//	goroutineleak profile: total 12
//	5 @ 0x4815ee 0x40a6c5 ...
//	#	0x4b1c33	main.leakSend.func1+0xd3	heapspurs-testdata/goroutines/main.go:157
//
// and returns the total and, per category, the goroutines whose stacks
// have a frame of the category's function.
func parseLeakProfile(text string) (total int, perCat [numCats]int) {
	lines := strings.Split(text, "\n")
	const head = "goroutineleak profile: total "
	if len(lines) == 0 || !strings.HasPrefix(lines[0], head) {
		facts.Fail("leak profile does not start with " + strconv.Quote(head))
	}
	total, err := strconv.Atoi(strings.TrimPrefix(lines[0], head))
	if err != nil {
		facts.Fail("cannot parse " + strconv.Quote(lines[0]))
	}
	n := 0
	sum := 0
	seen := [numCats]bool{}
	for _, l := range lines[1:] {
		if at := strings.Index(l, " @ "); at > 0 {
			if n, err = strconv.Atoi(l[:at]); err != nil {
				facts.Fail("cannot parse " + strconv.Quote(l))
			}
			sum += n
			seen = [numCats]bool{}
			continue
		}
		if !strings.HasPrefix(l, "#\t") {
			continue
		}
		for i, c := range categories {
			if !seen[i] && strings.Contains(l, "\tmain."+c.name+".func1+") {
				seen[i] = true
				perCat[i] += n
			}
		}
	}
	if sum != total {
		facts.Fail("leak profile: stacks add up to " + strconv.Itoa(sum) + ", total says " + strconv.Itoa(total))
	}
	return total, perCat
}
