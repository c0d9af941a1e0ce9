# t_graph.sh — the owner graph (--address alone): SVG well-formed, nodes, shapes, colours and edge labels checked against the facts; DOT output, atomic writes, escaping, pruning, the node cap, headless Chromium.

program_for() { [ -f "$BINS/$1-$2" ] && echo "--program $BINS/$1-$2"; }

# svg_check NAME FILE CHECK...: queues the checks (kinds listed in tests/cli/svg_check.py) on a copy of FILE;
# svg_run (at the end) runs them all in one run of svg_check.py and reports one pass or fail each.
: >"$TMP/svgjobs"
svg_count=0
svg_check() {
    svg_count=$((svg_count + 1))
    copy=$TMP/checked.$svg_count.svg
    cp "$2" "$copy" 2>/dev/null || : >"$copy"
    name=$1
    shift 2
    for spec in "$@"; do printf '%s\t%s\t%s\n' "$name" "$copy" "$spec" >>"$TMP/svgjobs"; done
}
svg_run() {
    python3 tests/cli/svg_check.py "$TMP/svgjobs" >"$TMP/check" 2>&1 || echo "checker crashed" >>"$TMP/check"
    check_lines "$TMP/check"
}

# svg_check_list NAME FILE LIST: the checks are the lines of LIST (no globbing, spaces kept).
NL='
'
svg_check_list() {
    set -f
    old_ifs=$IFS
    IFS=$NL
    svg_check "$1" "$2" $3
    IFS=$old_ifs
    set +f
}

# A leaked slice element: BSS --main.leaked--> backing array --> Record; the
# array's first element is 8 bytes into its object with allocation headers.
for v in $(versions leak); do
    facts=$DUMPS/leak-$v.facts
    dump=$(dump_for leak "$v")
    elem=$(fact "$facts" elem.0)
    array=$(fact "$facts" slice.array)
    hs --address "$elem" --oid testdata/oid.txt $(program_for leak "$v") -o "$TMP/leak-$v.svg" "$dump"
    expect_rc 0 "leak $v: graph exits 0"
    if grep -qx 'Rendering graph (3 nodes)\.\.\.' "$TMP/err"; then pass "leak $v: progress on stderr"; else fail "leak $v: progress on stderr" "$(cat "$TMP/err")"; fi
    checks="nodes~3
fill~$elem~yellow
shape~$elem~ellipse
text~$elem~^main\.Record \(48 B\)$
text~$elem~^$elem$
text~$elem~^main\.load:$(fact "$facts" load.line)$
shape~bss#[0-9]+~polygons:2
text~bss#[0-9]+~^BssSegment$
edge~0x[0-9a-f]+~$elem
edge~bss#[0-9]+~0x[0-9a-f]+"
    if [ -f "$BINS/leak-$v" ]; then checks="$checks${NL}edgetext~bss#[0-9]+~0x[0-9a-f]+~^main\.leaked$"; fi
    # The backing array is drawn at the address the program holds, with an
    # exact edge, also where an allocation header (Go 1.22+) precedes it.
    checks="$checks${NL}node~$array${NL}edgecolor~bss#[0-9]+~$array~black"
    svg_check_list "leak $v element" "$TMP/leak-$v.svg" "$checks"
    payload=$(fact "$facts" elem.5.payload)
    hs -q --address "$payload" -o "$TMP/payload-$v.svg" "$dump"
    expect_eq "$(wc -c <"$TMP/err" | tr -d ' ')" 0 "leak $v: --quiet prints no progress"
    svg_check "leak $v payload" "$TMP/payload-$v.svg" "nodes~4" "fill~$payload~yellow" \
        "text~$payload~^Object \(1024 B\)$" "text~$payload~^main\.load:$(fact "$facts" payload.line)$" \
        "edge~0x[0-9a-f]+~$payload" "anytext~^Object \(48 B\)$"
done

# A 64 KiB buffer held only by a blocked goroutine's frame: a box with the whole stack and the goroutine id.
for v in $(versions blocked); do
    facts=$DUMPS/blocked-$v.facts
    buffer=$(fact "$facts" buffer.addr)
    hs -q --address "$buffer" -o "$TMP/blocked-$v.svg" "$(dump_for blocked "$v")"
    expect_rc 0 "blocked $v: graph exits 0"
    svg_check "blocked $v" "$TMP/blocked-$v.svg" "nodes~2" "fill~$buffer~yellow" "text~$buffer~^Object \(64 kiB\)$" \
        "points~frame#[0-9]+~4" "text~frame#[0-9]+~^goroutine $(fact "$facts" goroutine.id)( |$)" \
        "text~frame#[0-9]+~^=> \[[0-9]+\] main\.holdBuffer$" "text~frame#[0-9]+~^\s*\[0\] runtime\." \
        "text~frame#[0-9]+~runtime\.goexit$" "edge~frame#[0-9]+~$buffer"
done

# A slice held by a static that main.cache points at: the segment's edge is labelled with the global and the
# slot's offset in the static.
for v in $(versions statics); do
    [ -f "$BINS/statics-$v" ] || continue
    facts=$DUMPS/statics-$v.facts
    held=$(fact "$facts" held.addr)
    hs -q --address "$held" --program "$BINS/statics-$v" -o "$TMP/statics-$v.svg" "$(dump_for statics "$v")"
    expect_rc 0 "statics $v: graph exits 0"
    svg_check "statics $v held slice" "$TMP/statics-$v.svg" "fill~$held~yellow" "edge~(data|bss)#[0-9]+~$held" \
        "edgetext~(data|bss)#[0-9]+~$held~^$(fact "$facts" global.cache) → static\+$(printf '0x%x' "$(fact "$facts" static.field.offset)")$"
done

# Finalizers: a cycle kept only by the registered finalizer of one of its
# objects, a global's object with a finalizer, an unreachable object whose
# finalizer is queued. Objects with finalizers have a thick red border.
for v in $(versions finalizer); do
    facts=$DUMPS/finalizer-$v.facts
    dump=$(dump_for finalizer "$v")
    a=$(fact "$facts" cycle.a) b=$(fact "$facts" cycle.b)
    hs -q --address "$a" -o "$TMP/cycle-$v.svg" "$dump"
    expect_rc 0 "finalizer $v: cycle graph exits 0"
    svg_check "finalizer $v cycle" "$TMP/cycle-$v.svg" "nodes~3" "fill~$a~yellow" "border~$a~red~5" \
        "text~$a~^RegisteredFinalizer$" "node~$b" "border~$b~black~1" "points~finalizer#[0-9]+~5" \
        "text~finalizer#[0-9]+~^RegisteredFinalizer$" "text~finalizer#[0-9]+~^$a$" \
        "edge~finalizer#[0-9]+~$b" "edge~$b~$a" "edge~$a~$b"
    kept=$(fact "$facts" kept.addr)
    hs -q --address "$kept" $(program_for finalizer "$v") -o "$TMP/kept-$v.svg" "$dump"
    checks="fill~$kept~yellow${NL}border~$kept~red~5${NL}edge~bss#[0-9]+~$kept"
    [ -f "$BINS/finalizer-$v" ] && checks="$checks${NL}edgetext~bss#[0-9]+~$kept~^main\.kept$"
    svg_check_list "finalizer $v kept" "$TMP/kept-$v.svg" "$checks"
    lone=$(fact "$facts" lone.addr)
    hs -q --address "$lone" -o "$TMP/lone-$v.svg" "$dump"
    svg_check "finalizer $v lone" "$TMP/lone-$v.svg" "nodes~2" "border~$lone~red~5" "text~$lone~^QueuedFinalizer$" \
        "text~finalizer#[0-9]+~^QueuedFinalizer$" "text~finalizer#[0-9]+~^$lone$" "edge~finalizer#[0-9]+~$lone"
done

# Interior pointers: the edge is red and its head label says where it lands.
for v in $(versions interior); do
    facts=$DUMPS/interior-$v.facts
    dump=$(dump_for interior "$v")
    struct=$(fact "$facts" struct.addr)
    hs -q --address "$(fact "$facts" field.ptr)" $(program_for interior "$v") -o "$TMP/field-$v.svg" "$dump"
    checks="nodes~2
fill~$struct~yellow
text~$struct~^Object \(128 B\)$
edgecolor~bss#[0-9]+~$struct~red
edgetext~bss#[0-9]+~$struct~^$(fact "$facts" field.ptr)$
edgetext~bss#[0-9]+~$struct~^\(offset = $(fact "$facts" field.offset)\)$
text~$struct~^queried $(fact "$facts" field.ptr) \(offset = $(fact "$facts" field.offset)\)$"
    [ -f "$BINS/interior-$v" ] && checks="$checks${NL}edgetext~bss#[0-9]+~$struct~^main\.fieldPtr$"
    svg_check_list "interior $v field" "$TMP/field-$v.svg" "$checks"
    big=$(fact "$facts" bigstring.addr)
    hs -q --address "$big" $(program_for interior "$v") -o "$TMP/sub-$v.svg" "$dump"
    checks="fill~$big~yellow${NL}edgecolor~bss#[0-9]+~$big~red"
    checks="$checks${NL}edgetext~bss#[0-9]+~$big~^\(offset = $(fact "$facts" substring.offset)\)$"
    [ -f "$BINS/interior-$v" ] && checks="$checks${NL}edgetext~bss#[0-9]+~$big~^main\.sub$"
    svg_check_list "interior $v substring" "$TMP/sub-$v.svg" "$checks"
done

# The node cap on a 100,000-link list: the nearest links, the root end of the
# path (BSS and the head), the rest in one summary node between them.
for v in $(newest chain) go1.19.8; do
    facts=$DUMPS/chain-$v.facts
    [ -f "$facts" ] || continue
    dump=$(dump_for chain "$v")
    tail=$(fact "$facts" tail.addr) head=$(fact "$facts" head.addr)
    owners=$(fact "$facts" length) # length-1 links and the BSS segment
    started=$(date +%s)
    hs --address "$tail" $(program_for chain "$v") -o "$TMP/chain-$v.svg" "$dump"
    expect_rc 0 "chain $v: default cap exits 0"
    expect_err '^Rendering graph \(201 nodes\)\.\.\.$' "chain $v: 200 nodes and the summary by default"
    elapsed=$(($(date +%s) - started))
    if [ "${VALGRIND:-}" = 1 ]; then skip "chain $v: render time" "not measured under valgrind"
    elif [ "$elapsed" -le 10 ]; then pass "chain $v: rendered in ${elapsed}s"
    else fail "chain $v: rendered in ${elapsed}s, over 10s"; fi
    checks="nodes~201
fill~$tail~yellow
node~$head
edge~bss#[0-9]+~$head
node~omitted
text~omitted~^$((owners - 199)) more owners not shown$
edge~0x[0-9a-f]+~omitted
edge~omitted~0x[0-9a-f]+"
    [ -f "$BINS/chain-$v" ] && checks="$checks${NL}edgetext~bss#[0-9]+~$head~^main\.head$"
    svg_check_list "chain $v cap 200" "$TMP/chain-$v.svg" "$checks"
    hs -q --address "$tail" --max-nodes 10 -o "$TMP/chain10-$v.svg" "$dump"
    svg_check "chain $v cap 10" "$TMP/chain10-$v.svg" "nodes~11" "node~$head" "edge~bss#[0-9]+~$head" \
        "text~omitted~^$((owners - 9)) more owners not shown$"
done

newest_leak=$(newest leak)
leak_dump=$(dump_for leak "$newest_leak")
leak_facts=$DUMPS/leak-$newest_leak.facts
elem=$(fact "$leak_facts" elem.0)

# DOT output: by file name, by --format, on standard output.
hs -q --address "$elem" -o "$TMP/graph.dot" "$leak_dump"
if head -n 1 "$TMP/graph.dot" | grep -q '^digraph owners {$' && grep -q "\"$elem\"" "$TMP/graph.dot"; then
    pass "-o FILE.dot writes DOT"
else fail "-o FILE.dot writes DOT" "$(head -c 300 "$TMP/graph.dot")"; fi
hs -q --address "$elem" --format dot -o - "$leak_dump"
expect_out '^digraph owners \{$' "--format dot -o - writes DOT to stdout"
expect_out "fillcolor=yellow" "DOT keeps the attributes"
hs -q --address "$elem" -o - "$leak_dump"
expect_out '^<svg ' "-o - writes SVG to stdout"
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$TMP/graph.dot" -o "$TMP/fromdot.svg" 2>"$TMP/doterr"
    svg_check "DOT rendered by dot" "$TMP/fromdot.svg" "fill~$elem~yellow" "nodes~3"
fi

# The default file name, in the working directory.
mkdir -p "$TMP/cwd"
abs_hs=$(cd "$(dirname "$HS")" && pwd)/$(basename "$HS")
abs_dump=$(pwd)/$leak_dump
(cd "$TMP/cwd" && "$abs_hs" -q --address "$elem" "$abs_dump") && [ -s "$TMP/cwd/heapdump.svg" ] &&
    pass "heapdump.svg by default" || fail "heapdump.svg by default" "$(ls "$TMP/cwd")"
(cd "$TMP/cwd" && "$abs_hs" -q --address "$elem" --format dot "$abs_dump") && head -n 1 "$TMP/cwd/heapdump.dot" | grep -q digraph &&
    pass "heapdump.dot with --format dot" || fail "heapdump.dot with --format dot" "$(ls "$TMP/cwd")"

# Atomic writes: nothing is written when the query fails, and a failed rename leaves no temporary file.
mkdir -p "$TMP/atomic"
echo old >"$TMP/atomic/keep.svg"
hs -q --address 0x10 -o "$TMP/atomic/keep.svg" "$leak_dump"
expect_rc 1 "address in no object: exit 1"
expect_eq "$(cat "$TMP/atomic/keep.svg")" old "a failed query leaves the old file"
mkdir "$TMP/atomic/dir.svg"
hs -q --address "$elem" -o "$TMP/atomic/dir.svg" "$leak_dump"
expect_rc 1 "output is a directory: exit 1"
expect_err 'dir\.svg' "output is a directory: the message names it"
expect_eq "$(ls -A "$TMP/atomic" | tr '\n' ' ')" "dir.svg keep.svg " "no temporary file left behind"
hs -q --address "$elem" -o "$TMP/no/such/dir/x.svg" "$leak_dump"
expect_rc 1 "output in a missing directory: exit 1"
expect_err 'cannot create a temporary file' "output in a missing directory: says why"

# Usage errors.
hs --address "$elem" --format json "$leak_dump"
expect_rc 2 "--format json with the graph: usage error"
hs --address "$elem" --anchors --format svg "$leak_dump"
expect_rc 2 "--format svg with --anchors: usage error"
hs --address "$elem" --max-nodes 0 "$leak_dump"
expect_rc 2 "--max-nodes 0: usage error"

# Go names carry *, [], {}, quotes, backslashes, & and <>: labels stay exact and the SVG well-formed.
printf '%s\n' '0xcaffe14e00000001 map[string]*struct{ "q" \\ a\b &amp; &x; <tag> \N \l }' >"$TMP/weird.oid"
printf '0xcaffe14e00000002 ctl\001\377end\n' >>"$TMP/weird.oid"
hs -q --address "$elem" --oid "$TMP/weird.oid" -o "$TMP/weird.svg" "$leak_dump"
expect_rc 0 "odd names: exit 0"
svg_check "odd names" "$TMP/weird.svg" \
    'text~'"$elem"'~^map\[string\]\*struct\{ "q" \\\\ a\\b &amp; &x; <tag> \\N \\l \} \(48 B\)$'
hs -q --address "$elem" --oid "$TMP/weird.oid" -o "$TMP/weird.dot" "$leak_dump"
if command -v dot >/dev/null 2>&1; then
    dot -Tsvg "$TMP/weird.dot" -o "$TMP/weird2.svg" 2>/dev/null
    svg_check "odd names through DOT" "$TMP/weird2.svg" \
        'text~'"$elem"'~^map\[string\]\*struct\{ "q" \\\\ a\\b &amp; &x; <tag> \\N \\l \} \(48 B\)$'
fi

# Pruning, on a synthetic dump: Root (in BSS) -> Target; CycleA <-> CycleB, CycleA -> Target
# and Garbage -> Target are unreachable; Garbage2 -> Unreachable, which no root reaches.
python3 - "$TMP/syn.dump" "$TMP/syn.oid" <<'PY'
import struct, sys; sys.path.insert(0, "tests/cli")
from dumpwrite import uv, string, fields
names = ["Target", "Root", "CycleA", "CycleB", "Garbage", "Unreachable", "Garbage2"]
addr = {n: 0x10000 + 0x20 * i for i, n in enumerate(names)}
oid = {n: 0xcaffe14e00000100 + i for i, n in enumerate(names)}
links = {"Root": ["Target"], "CycleA": ["Target", "CycleB"], "CycleB": ["CycleA"], "Garbage": ["Target"],
         "Garbage2": ["Unreachable"]}
out = b"go1.7 heap dump\n"
out += uv(6) + uv(0) + uv(8) + uv(0x10000) + uv(0x20000) + string(b"amd64") + string(b"go1.22.0") + uv(1)
for n in names:
    words = ([oid[n]] + [addr[t] for t in links.get(n, [])] + [0, 0, 0])[:4]
    out += uv(1) + uv(addr[n]) + string(b"".join(struct.pack("<Q", w) for w in words))
    out += fields([8 * i for i in range(1, len(links.get(n, [])) + 1)])
out += uv(13) + uv(0x5000) + string(struct.pack("<Q", addr["Root"])) + fields([0]) + uv(0)
open(sys.argv[1], "wb").write(out)
open(sys.argv[2], "w").write("".join("0x%x main.%s\n" % (oid[n], n) for n in names))
PY
hs -q --address 0x10000 --oid "$TMP/syn.oid" -o "$TMP/syn.svg" "$TMP/syn.dump"
expect_rc 0 "synthetic dump: exit 0"
svg_check "pruned" "$TMP/syn.svg" "nodes~3" "edge~bss#0~0x10020" "edge~0x10020~0x10000" "nonode~CycleA|Garbage" \
    "graphtext~^3 owners that no root reaches left out"
hs -q --address 0x10000 --keep-cycles --oid "$TMP/syn.oid" -o "$TMP/syn-keep.svg" "$TMP/syn.dump"
expect_rc 0 "synthetic dump --keep-cycles: exit 0"
svg_check "--keep-cycles" "$TMP/syn-keep.svg" "nodes~6" "edge~0x10040~0x10000" "edge~0x10040~0x10060" \
    "edge~0x10060~0x10040" "fill~0x10080~gray" "text~0x10080~^main\.Garbage" "nofill~0x10040" "nofill~0x10060" \
    "nofill~0x10020"
hs -q --address 0x100a0 --oid "$TMP/syn.oid" -o "$TMP/syn-unreachable.svg" "$TMP/syn.dump"
svg_check "unreachable target" "$TMP/syn-unreachable.svg" "nodes~2" "fill~0x100a0~yellow" "fill~0x100c0~gray" \
    "edge~0x100c0~0x100a0" "graphtext~^no root reaches this object"

# The SVG opens in a browser: headless Chromium takes a screenshot of it.
chromium_bin=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium_bin" ]; then
    skip "SVG screenshot in headless Chromium" "chromium is not installed (apt-get install chromium)"
else
    profile=$(mktemp -d)
    hs -q --address "$(fact "$DUMPS/finalizer-$(newest finalizer).facts" cycle.a)" -o "$TMP/browser.svg" \
        "$(dump_for finalizer "$(newest finalizer)")"
    timeout 60 "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$profile" \
        --screenshot="$TMP/browser.png" --window-size=1200,900 "file://$TMP/browser.svg" >"$TMP/chromium.log" 2>&1
    rm -rf "$profile"
    if [ -s "$TMP/browser.png" ] && [ "$(head -c 8 "$TMP/browser.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
        pass "SVG screenshot in headless Chromium"
    else
        fail "SVG screenshot in headless Chromium" "$(tail -n 3 "$TMP/chromium.log")"
    fi
fi

svg_run

# Pictures without a second tool: -o FILE.png and FILE.pdf (and --format png, pdf) render through graphviz.
v=$(newest leak)
elem=$(fact "$DUMPS/leak-$v.facts" elem.0)
for ext in png pdf; do
    hs -q --address "$elem" -o "$TMP/owners.$ext" "$(dump_for leak "$v")"
    expect_rc 0 "leak $v: -o owners.$ext exits 0"
    magic=$(head -c 4 "$TMP/owners.$ext" | od -An -c | tr -d ' ')
    case $ext in png) want='211PNG' ;; pdf) want='%PDF' ;; esac
    expect_eq "$magic" "$want" "leak $v: owners.$ext is a $ext file"
done
dump_path=$(pwd)/$(dump_for leak "$v") hs_path=$(cd "$(dirname "$HS")" && pwd)/$(basename "$HS")
(cd "$TMP" && "$hs_path" -q --address "$elem" --format png "$dump_path") 2>/dev/null
expect_eq "$(head -c 4 "$TMP/heapdump.png" 2>/dev/null | od -An -c | tr -d ' ')" '211PNG' "leak $v: --format png writes heapdump.png"
