# t_query.sh — anchors, owners, hexdump, --oid and --find, checked against what the Go test programs recorded.

program_for() { [ -f "$BINS/$1-$2" ] && echo "--program $BINS/$1-$2"; }

# A global slice element is anchored by its BSS slot (named with --program), through the backing array.
for v in $(versions leak); do
    facts=$DUMPS/leak-$v.facts
    dump=$(dump_for leak "$v")
    elem=$(fact "$facts" elem.0)
    hs --address "$elem" --anchors $(program_for leak "$v") "$dump"
    expect_rc 0 "leak $v: --anchors exits 0"
    if [ -f "$BINS/leak-$v" ]; then
        expect_out "^\[1\] bss slot $(fact "$facts" global.addr) \(main\.leaked\)$" "leak $v: anchored by main.leaked's BSS slot"
    else
        expect_out "^\[1\] bss slot $(fact "$facts" global.addr)$" "leak $v: anchored by the global's BSS slot"
    fi
    expect_out '^    path \(2 objects\):$' "leak $v: path global -> backing array -> element"
    hs --address "$elem" --anchors --format json "$dump"
    python3 - "$TMP/out" "$(fact "$facts" slice.array)" "$elem" "$(fact "$facts" global.addr)" >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
array, elem, slot = (int(x, 16) for x in sys.argv[2:5])
assert int(doc["object"]["address"], 16) == elem, doc["object"]
a = doc["anchors"][0]
assert a["root"]["kind"] == "bss" and int(a["root"]["slot"], 16) == slot, a
first, last = a["objects"][0], a["objects"][-1]
start = int(first["address"], 16)
# The fact is &leaked[0]; with allocation headers (Go 1.22+) it is 8 bytes into the object.
assert start <= array < start + first["size"], (hex(start), hex(array))
assert int(last["address"], 16) == elem and len(a["objects"]) == 2
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "leak $v: JSON anchors path starts at the slice's backing array" || fail "leak $v: JSON anchors" "$(cat "$TMP/check")"
done

# A global that points at a static (main.cache = &cacheT{…}): the static has no symbol, so the slot holding the
# heap slice is named by the global whose pointer leads to it, with the slot's offset in the static.
for v in $(versions statics); do
    facts=$DUMPS/statics-$v.facts
    dump=$(dump_for statics "$v")
    [ -f "$BINS/statics-$v" ] || continue
    program="--program $BINS/statics-$v"
    static=$(fact "$facts" static.addr)
    offset=$(printf '0x%x' "$(fact "$facts" static.field.offset)")
    slot=$(printf '0x%x' $((static + $(fact "$facts" static.field.offset))))
    hs --address "$(fact "$facts" held.addr)" --anchors $program "$dump"
    expect_out "^\[1\] (data|bss) slot $slot \($(fact "$facts" global.cache) → static\+$offset\)$" \
        "statics $v: the slot in the static is named $(fact "$facts" global.cache) → static+$offset"
    hs --address "$(fact "$facts" held.addr)" --anchors --format json $program "$dump"
    python3 - "$TMP/out" "$facts" >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
facts = dict(line.rstrip("\n").split(" ", 1) for line in open(sys.argv[2]))
a = doc["anchors"][0]
slot = int(facts["static.addr"], 16) + int(facts["static.field.offset"])
root = a["root"]
assert root["kind"] in ("data", "bss") and int(root["slot"], 16) == slot, a
assert root["symbol"] == "%s → static+0x%x" % (facts["global.cache"], int(facts["static.field.offset"])), root["symbol"]
assert root["description"] == "global " + root["symbol"], root["description"]
assert int(a["objects"][0]["address"], 16) == int(facts["held.addr"], 16), a["objects"]
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "statics $v: JSON anchor symbol names the static by main.cache" \
        || fail "statics $v: JSON anchor symbol" "$(cat "$TMP/check")"
    hs --print $program "$dump"
    expect_out "^  Pointer\[[0-9]+\]@$(fact "$facts" global.cache.addr) \($(fact "$facts" global.cache)\) = $static \($(fact "$facts" global.cache) → static\)$" \
        "statics $v: --print shows main.cache pointing at the static"
    hs --address "$(fact "$facts" held.addr)" --retained $program "$dump"
    expect_out "^  global $(fact "$facts" global.cache): retains " "statics $v: the held slice is dominated by main.cache's root group"
    hs --address "$(fact "$facts" held.addr)" --anchors "$dump"
    expect_out "^\[1\] (data|bss) slot $slot$" "statics $v: without --program the slot is unnamed"
done

# A buffer held only by a blocked goroutine's frame: the function and the goroutine id.
for v in $(versions blocked); do
    facts=$DUMPS/blocked-$v.facts
    hs --address "$(fact "$facts" buffer.addr)" --anchors "$(dump_for blocked "$v")"
    expect_out "^\[1\] frame slot 0x[0-9a-f]+ in main\.holdBuffer, goroutine $(fact "$facts" goroutine.id)$" \
        "blocked $v: buffer anchored by main.holdBuffer's frame in goroutine $(fact "$facts" goroutine.id)"
    expect_out '^    stack: \[0\] .*main\.holdBuffer' "blocked $v: the whole stack is shown"
    expect_no_out '^\[2\]' "blocked $v: no other anchor"
done

# A substring's large backing array, reached through an interior pointer; a pointer into a struct's middle.
for v in $(versions interior); do
    facts=$DUMPS/interior-$v.facts
    dump=$(dump_for interior "$v")
    offset=$(printf '0x%x' "$(fact "$facts" substring.offset)")
    hs --address "$(fact "$facts" substring.ptr)" --anchors --retained $(program_for interior "$v") "$dump"
    expect_out "^Object @ $(fact "$facts" bigstring.addr) with 0 pointers in [0-9]+ bytes(, allocated at [^ ]+)?, retains [0-9]+ bytes in 1 object \(the address given is at offset \+$offset\)$" \
        "interior $v: substring pointer resolves to the big string at +$offset"
    expect_out "reached at \+$offset$" "interior $v: the path says where the pointer lands"
    [ -f "$BINS/interior-$v" ] && expect_out '^\[1\] bss slot 0x[0-9a-f]+ \(main\.sub\)$' "interior $v: anchored by main.sub"
    hs --address "$(fact "$facts" substring.ptr)" --anchors "$dump"
    expect_no_out 'retains' "interior $v: --anchors alone computes no retained sizes"
    foffset=$(printf '0x%x' "$(fact "$facts" field.offset)")
    hs --address "$(fact "$facts" field.ptr)" --owners 1 $(program_for interior "$v") "$dump"
    expect_out "^Object @ $(fact "$facts" struct.addr) .*at offset \+$foffset\)$" "interior $v: field pointer selects the struct at +$foffset"
    expect_out "-> \+$foffset\]$" "interior $v: the owner's pointer lands at +$foffset"
    [ -f "$BINS/interior-$v" ] && expect_out '\(main\.fieldPtr\) -> ' "interior $v: owner slot named main.fieldPtr"
done

# A finalizer cycle is kept alive by its finalizer record; a lone object with a queued finalizer by the queue.
for v in $(versions finalizer); do
    facts=$DUMPS/finalizer-$v.facts
    dump=$(dump_for finalizer "$v")
    a=$(fact "$facts" cycle.a); b=$(fact "$facts" cycle.b)
    hs --address "$a" --anchors "$dump"
    expect_out "^\[1\] finalizer slot $a \(finalizer of object $a: what it points to\)$" "finalizer $v: cycle kept by a's finalizer record"
    expect_out "^      -> Object @ $b " "finalizer $v: the path goes through b"
    hs --address "$a" --anchors --format json "$dump"
    expect_out '"kind":"finalizer"' "finalizer $v: JSON kind finalizer"
    if [ "$(fact "$facts" lone.finalizer)" = queued ]; then
        hs --address "$(fact "$facts" lone.addr)" --anchors "$dump"
        expect_out '\(queued finalizer\)$' "finalizer $v: lone object kept by the finalizer queue"
    fi
done

# A 100,000-node chain: --owners -1 prints one line per node plus the root, linearly; the shortest path has every node.
for v in $(versions chain); do
    facts=$DUMPS/chain-$v.facts
    length=$(fact "$facts" length)
    dump=$(dump_for chain "$v")
    hs --address "$(fact "$facts" tail.addr)" --owners -1 "$dump"
    expect_eq "$(wc -l <"$TMP/out")" "$((length + 1))" "chain $v: --owners -1 prints $length objects and the root"
    expect_out "^ +\(level $length\) BssSegment" "chain $v: the root is $length levels up"
    bytes=$(wc -c <"$TMP/out")
    [ "$bytes" -lt $((length * 400)) ] && pass "chain $v: output grows linearly ($bytes bytes)" || fail "chain $v: output is $bytes bytes"
    hs --address "$(fact "$facts" tail.addr)" --anchors --format json "$dump"
    n=$(python3 -c 'import json,sys; sys.path.insert(0, "tests/cli"); import hsjson; d=hsjson.load(sys.argv[1]); print(len(d["anchors"]), len(d["anchors"][0]["objects"]))' "$TMP/out")
    expect_eq "$n" "1 $length" "chain $v: one anchor, shortest path of $length objects"
    hs --address "$(fact "$facts" tail.addr)" --anchors "$dump"
    expect_out "^    path \($length objects\):" "chain $v: the text path counts its $length objects"
    expect_out "^         \.\.\. $((length - 64)) more objects \(--format json lists every step\) \.\.\.$" \
        "chain $v: the text path shows 64 of them and counts the rest"
    expect_eq "$(grep -c '^      -> ' "$TMP/out")" 64 "chain $v: 32 first and 32 last objects of the path"
done

# --hexdump: Go's hex.Dump layout, the OID in the first word, pointer offsets of a Record (Payload at 8, Next at 32).
v=$(newest leak); facts=$DUMPS/leak-$v.facts
hs --address "$(fact "$facts" elem.0)" --hexdump "$(dump_for leak "$v")"
expect_out '^00000000  01 00 00 00 4e e1 ff ca  [0-9a-f]{2}( [0-9a-f]{2}){7}  \|.{16}\|$' "hexdump: first line in hex.Dump layout with the OID"
expect_out '^Pointer: 0x8$' "hexdump: Payload pointer at 0x8"
expect_out '^Pointer: 0x20$' "hexdump: Next pointer at 0x20"
# Standard output is the original's shape and nothing else: hex.Dump lines
# covering the 48-byte object, then the pointer offsets.
hexline='^[0-9a-f]{8}  ([0-9a-f]{2} |   ){8} ([0-9a-f]{2} |   ){8} \|.{1,16}\|$'
hex=$(grep -Ec "$hexline" "$TMP/out"); ptr=$(grep -Ec '^Pointer: 0x[0-9a-f]+$' "$TMP/out")
last_hex=$(grep -En "$hexline" "$TMP/out" | tail -n 1 | cut -d: -f1); first_ptr=$(grep -n '^Pointer' "$TMP/out" | head -n 1 | cut -d: -f1)
[ "$last_hex" -lt "$first_ptr" ] || hex="$hex (pointer lines before hex lines)"
echo "$hex $ptr $(($(wc -l <"$TMP/out") - hex - ptr))" >"$TMP/shape"
expect_eq "$(cat "$TMP/shape")" "3 2 0" "hexdump: stdout is 3 hex.Dump lines and 2 Pointer lines, nothing else"
expect_err "^heapspurs: Object @ $(fact "$facts" elem.0) " "hexdump: the object's description goes to stderr"
hs -q --address "$(fact "$facts" elem.0)" --hexdump "$(dump_for leak "$v")"
expect_eq "$(wc -c <"$TMP/err" | tr -d ' ')" 0 "hexdump -q: nothing on stderr"
# The same bytes as Go's encoding/hex.Dump, computed here from the dump's record.
for v in $(versions leak); do
    facts=$DUMPS/leak-$v.facts
    array=$(fact "$facts" slice.array)
    hs -q --address "$array" --hexdump "$(dump_for leak "$v")"
    # The backing array's first word is &leaked[0]: elem.0 (little-endian), also
    # where an allocation header (Go 1.22+) precedes the array in its slot.
    first=$(python3 -c 'import sys; a=int(sys.argv[1],16).to_bytes(8,"little"); print(" ".join("%02x"%b for b in a[:8]))' "$(fact "$facts" elem.0)")
    expect_out "^00000000  $first  " "hexdump $v: the backing array starts with elem.0, not a header"
    expect_no_out '^Pointer: 0x[0-9a-f]*[^08]$' "hexdump $v: the array's pointer offsets are whole words from its start"
    expect_out '^Pointer: 0x0$' "hexdump $v: the array's first element is a pointer at offset 0"
done
v=$(newest leak); facts=$DUMPS/leak-$v.facts

# --oid names objects; --find selects them by name.
hs --oid testdata/oid.txt --find '^main\.Record$' "$(dump_for leak "$v")"
expect_eq "$(grep -c '^main\.Record @' "$TMP/out")" "$(fact "$facts" count)" "--find main.Record finds the $(fact "$facts" count) records"
expect_eq "$(tail -n 1 "$TMP/out")" "$(fact "$facts" count) objects, $(($(fact "$facts" count) * 48 / 1024)) kiB ($(($(fact "$facts" count) * 48)) bytes)" \
    "--find ends with the count and the bytes of the $(fact "$facts" count) 48-byte records"
hs --oid testdata/oid.txt --address "$(fact "$facts" elem.1)" --owners 1 "$(dump_for leak "$v")"
expect_out '^main\.Record @ ' "--oid names the object in --owners"

# Error paths: one clear line each.
dump=$(dump_for leak "$v")
hs --address 0x10 --anchors "$dump"; expect_rc 1 "no object at the address: exit 1"
expect_err 'no object covers address 0x10; nearest below: none; nearest above: 0x' "no object: one line naming the nearest objects"
hs --find '([' "$dump"; expect_rc 0 "not a regex: exit 0"
expect_err "^heapspurs: note: '\(\[' is not a valid regular expression; matching it as a literal string$" "not a regex: one note line"
expect_eq "$(tail -n 1 "$TMP/out")" "0 objects, 0 B" "not a regex: matched literally, nothing contains it"
hs -q --find '([' "$dump"; expect_eq "$(wc -c <"$TMP/err")" 0 "--quiet: no note"
hs --program "$TMP/none" --print "$dump"; expect_rc 1 "unreadable program: exit 1"; expect_err 'cannot open program' "unreadable program: one line"
hs --program testdata/oid.txt --print "$dump"; expect_rc 1 "program not ELF: exit 1"; expect_err 'not an ELF executable' "program not ELF: one line"

# --program must be the program that wrote the dump: its own binary is accepted for every dump of it; a build
# by another Go release, another program of the same release, and a binary that is not Go at all are refused.
for bin in "$BINS"/*; do
    name=$(basename "$bin")
    for d in "$DUMPS/$name".dump* "$DUMPS/$name"-[0-9].dump*; do
        [ -f "$d" ] || continue
        hs --top 1 --program "$bin" "$d"
        if [ "$RC" = 0 ] && [ ! -s "$TMP/err" ]; then pass "--program $name accepted for $(basename "$d")"; else
            fail "--program $name accepted for $(basename "$d")" "exit $RC: $(cat "$TMP/err")"; fi
    done
done
dump=$DUMPS/leak-go1.26.8.dump
# refused_program BINARY BINARY_RE WHY_RE NAME DETAIL: --program BINARY on $dump exits 1 with one line
# "heapspurs: DUMP: BINARY is not the program that wrote the dump: WHY".
refused_program() {
    hs --program "$1" --top 1 "$dump"; expect_rc 1 "$4: exit 1"
    expect_err "^heapspurs: $dump: $2 is not the program that wrote the dump: $3\$" "$4: $5"
}
refused_program "$BINS/leak-go1.19.8" "$BINS/leak-go1\.19\.8" \
    "it was built by go1\.19\.8, the dump was written by go1\.26\.8" \
    "go1.19.8 build on a go1.26.8 dump" "one line naming both files and both Go versions"
refused_program "$BINS/other-go1.26.8" "$BINS/other-go1\.26\.8" \
    "the dump's data segment 0x[0-9a-f]+-0x[0-9a-f]+ is not inside its \.data section 0x[0-9a-f]+-0x[0-9a-f]+" \
    "another program of the same Go release" "one line naming the data segment and .data"
refused_program "$BINS/growth-go1.26.8" "$BINS/growth-go1\.26\.8" \
    "the dump's frames of main\.main start at 0x[0-9a-f]+, its symbol table puts that function at 0x[0-9a-f]+" \
    "a program with the same segments but other code" "one line naming main.main's two addresses"
refused_program "$HS" ".*heapspurs" \
    "the dump's (data|BSS) segment 0x[0-9a-f]+-0x[0-9a-f]+ is not inside its \.(data|bss) section 0x[0-9a-f]+-0x[0-9a-f]+( \(position-independent: moved by 0x[0-9a-f]+ to the dump's data segment\))?" \
    "heapspurs's own binary as --program" "one line saying its .data or .bss cannot hold the dump's segment"
dump=$(dump_for leak "$v")
hs --address zzz --anchors "$dump"; expect_rc 2 "bad address: exit 2"
hs --anchors "$dump"; expect_rc 2 "--anchors without --address: exit 2"

# --find --format json is one JSON document with every matching object record.
hs --oid testdata/oid.txt --find '^main\.Record$' --format json "$(dump_for leak "$v")"
n=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
print(len(d["objects"]), all(o["name"] == "main.Record" for o in d["objects"]), d["count"], d["bytes"] == sum(o["size"] for o in d["objects"]), d["literal"])' "$TMP/out" 2>&1)
expect_eq "$n" "$(fact "$facts" count) True $(fact "$facts" count) True False" \
    "--find --format json: one document with the $(fact "$facts" count) records, their count and bytes"
