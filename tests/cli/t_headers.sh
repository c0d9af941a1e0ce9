# t_headers.sh — Go 1.22+ allocation headers: every object is shown at the address the program holds, checked against the headers program's facts on six Go releases.
names="h400 h512 h600 h4096 h30720 h40000 bytes slice"
for v in $(versions headers); do
    facts=$DUMPS/headers-$v.facts
    dump=$(dump_for headers "$v")
    for n in $names; do
        addr=$(fact "$facts" "$n.addr")
        # --anchors: the object at its Go address, its global's BSS slot as the anchor, no offset anywhere.
        hs --address "$addr" --anchors --format json "$dump"
        python3 - "$TMP/out" "$facts" "$n" >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
facts = dict(line.rstrip("\n").split(" ", 1) for line in open(sys.argv[2]))
n = sys.argv[3]
o = doc["object"]
header = int(facts[n + ".header"])
problems = []
if int(o["address"], 16) != int(facts[n + ".addr"], 16):
    problems.append("address %s, want %s" % (o["address"], facts[n + ".addr"]))
if "offset" in o and o["offset"] != 0:
    problems.append("offset %s" % o["offset"])
if o["slot"] - o["size"] != 8 * header:
    problems.append("slot %d - size %d != header %d" % (o["slot"], o["size"], 8 * header))
if not o["size"] >= int(facts[n + ".size"]):
    problems.append("size %d below the Go size %s" % (o["size"], facts[n + ".size"]))
slots = [int(a["root"]["slot"], 16) for a in doc["anchors"]]
if int(facts["global.%s.addr" % n], 16) not in slots:
    problems.append("no anchor at the global's slot %s: %s" % (facts["global.%s.addr" % n], slots))
for a in doc["anchors"]:
    if int(a["root"]["slot"], 16) != int(facts["global.%s.addr" % n], 16):
        continue  # main.gmid points into h4096's middle, on purpose
    if [int(o["address"], 16) for o in a["objects"]] != [int(facts[n + ".addr"], 16)]:
        problems.append("path from the global: %s" % [o["address"] for o in a["objects"]])
    for step in a["objects"]:
        if step.get("offset", 0) != 0:
            problems.append("path step with offset %s" % step["offset"])
print("ok" if not problems else "; ".join(problems))
PY
        expect_eq "$(cat "$TMP/check")" ok "headers $v $n: at the Go address, slot = size + header, anchored by its global"
        # Its pointer fields: at the Go offsets the program wrote, each landing exactly on its target.
        k=0
        hs -q --address "$addr" --hexdump "$dump"
        cp "$TMP/out" "$TMP/hex"
        while off=$(fact "$facts" "$n.ptr.$k.offset") && [ -n "$off" ]; do
            grep -qx "Pointer: $(printf '0x%x' "$off")" "$TMP/hex" && pass "headers $v $n: pointer $k at +$off" ||
                fail "headers $v $n: pointer $k at +$off" "$(grep Pointer "$TMP/hex" | tr '\n' ' ')"
            hs --address "$(fact "$facts" "$n.ptr.$k.target")" --owners 1 --format json "$dump"
            got=$(python3 -c 'import json,sys; sys.path.insert(0, "tests/cli"); import hsjson; d=hsjson.load(sys.argv[1]); print(" ".join("%s+%d@%d" % (o["object"]["address"], int(o["slot"],16)-int(o["object"]["address"],16), o["offset"]) for o in d["owners"]))' "$TMP/out")
            expect_eq "$got" "$addr+$off@0" "headers $v $n: pointer $k's target is owned at +$off, exactly"
            k=$((k + 1))
        done
    done
    # Header objects: the Go address minus 8 is the runtime's header word, in no object.
    for n in $names; do
        [ "$(fact "$facts" "$n.header")" = 1 ] || continue
        hs --address "$(printf '0x%x' $(($(fact "$facts" "$n.addr") - 8)))" --anchors "$dump"
        expect_rc 1 "headers $v $n: the header word is in no object"
    done
    # A pointer into the middle of h4096 lands at the program's offset (1024), not 8 more.
    hs --address "$(fact "$facts" interior.ptr)" --anchors "$dump"
    expect_out "^Object @ $(fact "$facts" interior.base) .*\\(the address given is at offset \\+$(printf '0x%x' "$(fact "$facts" interior.offset)")\\)" \
        "headers $v: the interior pointer is at +$(fact "$facts" interior.offset) of h4096"
    # --print stays a record listing: header objects' records start 8 bytes before the Go address.
    hs --print "$dump"
    for n in $names; do
        slot=$(printf '0x%x' $(($(fact "$facts" "$n.addr") - 8 * $(fact "$facts" "$n.header"))))
        expect_out "^Object @ $slot " "headers $v $n: --print lists the record at its slot $slot"
    done
done

# With the program, a header's type descriptor gives the type's size: an
# object that holds one value of it lists exactly the program's pointer
# fields, not the runtime's repetition of them up to the slot's end.
for v in $(versions headers); do
    [ -f "$BINS/headers-$v" ] || continue
    facts=$DUMPS/headers-$v.facts
    dump=$(dump_for headers "$v")
    for n in h400 h512 h600 h4096 h30720; do
        addr=$(fact "$facts" "$n.addr")
        hs -q --address "$addr" --hexdump --program "$BINS/headers-$v" "$dump"
        expect_eq "$(grep -c '^Pointer: ' "$TMP/out")" "$(fact "$facts" "$n.ptrs")" \
            "headers $v $n --program: exactly its $(fact "$facts" "$n.ptrs") pointer fields"
        hs --address "$addr" --anchors --program "$BINS/headers-$v" "$dump"
        expect_out "^main\.$n @ $addr with $(fact "$facts" "$n.ptrs") pointers in " "headers $v $n --program: the description names its type and counts them"
    done
    # A []*T's elements repeat its element type: its end is not known, so every listed slot stays.
    hs -q --address "$(fact "$facts" slice.addr)" --hexdump --program "$BINS/headers-$v" "$dump"
    [ "$(grep -c '^Pointer: ' "$TMP/out")" -ge "$(fact "$facts" slice.len)" ] && pass "headers $v slice --program: all $(fact "$facts" slice.len) elements listed" ||
        fail "headers $v slice --program: all elements listed"
done
