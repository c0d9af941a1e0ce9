# t_retained.sh — --top, --retained and --leaks (dominator tree, retained sizes) checked against the Go programs' facts.

program_for() { [ -f "$BINS/$1-$2" ] && echo "--program $BINS/$1-$2"; }

# The classic leak: the top suspect is the global slice's backing array (or the global main.leaked itself).
for v in $(versions leak); do
    facts=$DUMPS/leak-$v.facts
    dump=$(dump_for leak "$v")
    program=$(program_for leak "$v")
    hs --leaks $program "$dump"
    expect_rc 0 "leak $v: --leaks exits 0"
    expect_out '^Live: [0-9]+ objects, [0-9]+ bytes; garbage \(unreachable, not counted\): [0-9]+ objects, [0-9]+ bytes$' \
        "leak $v: --leaks summary line"
    if [ -n "$program" ]; then
        expect_out "^    path: global main\\.leaked -> \\[$(fact "$facts" slice.cap)\\]\\*main\\.Record @ $(fact "$facts" slice.array)" \
            "leak $v: the suspect's path starts at main.leaked, the backing array typed [cap]*main.Record"
    fi
    hs --leaks --format json $program "$dump"
    python3 - "$TMP/out" "$(fact "$facts" slice.array)" "$(fact "$facts" count)" "$(fact "$facts" global)" "$program" \
        >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
array, count, name, program = int(sys.argv[2], 16), int(sys.argv[3]), sys.argv[4], sys.argv[5]
top = doc["suspects"][0]
assert doc["live"]["bytes"] > 0 and doc["threshold"] == 10, doc
if top["kind"] == "group":
    assert top["group"]["symbol"] == name, top["group"]
else:
    o = top["object"]
    start = int(o["address"], 16)
    # slice.array is &leaked[0]: 8 bytes into the object with allocation headers (Go 1.22+).
    assert start <= array < start + o["size"], (hex(start), hex(array))
    if program:
        assert top["path"]["root"]["description"] == "global " + name, top["path"]["root"]
        assert top["path"]["root"]["symbol"] == name, top["path"]["root"]
    assert top["accumulation"]["children"] == count, top["accumulation"]
assert top["retained"]["objects"] >= 2 * count + 1, top["retained"]
assert top["percent"] >= 10
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "leak $v: top suspect is the slice backing array of $(fact "$facts" global), 300 records under it" \
        || fail "leak $v: --leaks JSON top suspect" "$(cat "$TMP/check")"
done

# retain: each tree root retains exactly its nodes; the holders and the shared array; the ring.
for v in $(versions retain); do
    facts=$DUMPS/retain-$v.facts
    dump=$(dump_for retain "$v")
    hs --top 100000 "$dump"
    expect_rc 0 "retain $v: --top exits 0"
    expect_out '^Live: [0-9]+ objects, [0-9]+ bytes; garbage' "retain $v: --top summary line"
    for t in a b c; do
        n=$(fact "$facts" "tree.$t.nodes")
        expect_out "^ *[0-9]+\. object $(fact "$facts" "tree.$t.root") \(64 bytes.*\): retains $((n * 64)) bytes in $n objects? " \
            "retain $v: tree $t's root retains its $n nodes in --top"
    done
    hs --top 100000 --format json "$dump"
    python3 - "$TMP/out" "$facts" >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
facts = dict(line.rstrip("\n").split(" ", 1) for line in open(sys.argv[2]))
by_address = {int(e["object"]["address"], 16): e for e in doc["top"] if e["kind"] == "object"}
for t in "abc":
    e = by_address[int(facts["tree.%s.root" % t], 16)]
    n = int(facts["tree.%s.nodes" % t])
    assert e["retained"] == {"bytes": n * e["shallow"], "objects": n}, (t, e["retained"])
    assert e["path"]["root"]["kind"] in ("bss", "data"), e["path"]["root"]
    assert int(e["path"]["objects"][-1]["address"], 16) == int(facts["tree.%s.root" % t], 16), e["path"]
for h in "xy":
    holder, own = by_address[int(facts["holder." + h], 16)], by_address[int(facts["own." + h], 16)]
    assert holder["retained"]["objects"] == 2, holder
    assert holder["retained"]["bytes"] == holder["shallow"] + own["shallow"], holder
shared = by_address[int(facts["shared.addr"], 16)]
assert shared["retained"] == {"bytes": shared["shallow"], "objects": 1}, shared
ranks = [e["retained"]["bytes"] for e in doc["top"]]
assert ranks == sorted(ranks, reverse=True)
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "retain $v: --top JSON: trees, holders, shared array" || fail "retain $v: --top JSON" "$(cat "$TMP/check")"

    # The ring: ring.2 retains itself and ring.3; its dominators are ring.1, ring.0, then the root group.
    program=$(program_for retain "$v")
    hs --address "$(fact "$facts" ring.2)" --retained $program "$dump"
    expect_rc 0 "retain $v: --retained exits 0"
    expect_out "^object $(fact "$facts" ring.2) \(32 bytes.*\): retains 64 bytes in 2 objects " "retain $v: ring.2 retains 2 ring nodes"
    sed -n 3,4p "$TMP/out" >"$TMP/chain"
    if grep -q "^  $(fact "$facts" ring.1) .*retains 96 bytes in 3 objects" "$TMP/chain" &&
        sed -n 2p "$TMP/chain" | grep -q "^  $(fact "$facts" ring.0) .*retains 128 bytes in 4 objects"; then
        pass "retain $v: ring.2's dominators are ring.1 then ring.0"
    else
        fail "retain $v: ring dominator chain" "$(cat "$TMP/out")"
    fi
    if [ -n "$program" ]; then
        expect_out '^  global main\.ring: retains 128 bytes in 4 objects' "retain $v: ring.0 is dominated by main.ring"
        hs --address "$(fact "$facts" shared.addr)" --retained --format json $program "$dump"
        python3 -c 'import json,sys; sys.path.insert(0, "tests/cli"); import hsjson; d=hsjson.load(sys.argv[1]); assert [x["kind"] for x in d["dominators"]] == ["root"], d' \
            "$TMP/out" 2>"$TMP/check" && pass "retain $v: the shared array is dominated by the virtual root only" \
            || fail "retain $v: shared array's dominators" "$(cat "$TMP/check")"
    fi
done

# "held through": a holder that retains nearly as much is said to; one that holds more is said to keep how much
# more. With a threshold of 128 bytes, tree a's two subtrees of 3 nodes are suspects held through its root, which
# keeps its own node and the other subtree besides (4 nodes more); own.x (512 bytes) is a suspect held through its
# 16-byte holder (and the global main.ownerX with --program), which retain 16 bytes more.
for v in $(versions retain); do
    facts=$DUMPS/retain-$v.facts
    dump=$(dump_for retain "$v")
    program=$(program_for retain "$v")
    hs --top 1 --format json "$dump"
    live=$(python3 -c 'import json,sys; sys.path.insert(0, "tests/cli"); import hsjson; print(hsjson.load(sys.argv[1])["live"]["bytes"])' "$TMP/out")
    threshold=$(awk -v live="$live" 'BEGIN { printf "%.6f", 100 * 128 / live }')
    root=$(fact "$facts" tree.a.root)
    nodes=$(fact "$facts" tree.a.nodes)
    hs --leaks --threshold "$threshold" $program "$dump"
    expect_out "^    held through 1 dominator above it, which also keeps $(((nodes - 3) * 64)) bytes more: $root \(64 bytes[^)]*\) retains $((nodes * 64)) bytes in $nodes objects " \
        "retain $v: a subtree's suspect is held through tree a's root, which keeps $(((nodes - 3) * 64)) bytes more"
    sed -n "/^Suspect [0-9]*: object $(fact "$facts" own.x) /,/^Suspect/p" "$TMP/out" >"$TMP/suspect"
    holder="($(fact "$facts" holder.x) \(16 bytes[^)]*\)|global main\.ownerX)"
    if grep -Eq "^    held through [12] dominators? above it that retains? nearly as much(, the highest)?: $holder retains 528 bytes in 2 objects " "$TMP/suspect"; then
        pass "retain $v: own.x is held through a holder that retains nearly as much"
    else
        fail "retain $v: own.x held through its holder" "$(cat "$TMP/suspect")"
    fi
    hs --leaks --threshold "$threshold" --format json $program "$dump"
    python3 - "$TMP/out" "$facts" >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
facts = dict(line.rstrip("\n").split(" ", 1) for line in open(sys.argv[2]))
by_address = {int(s["object"]["address"], 16): s for s in doc["suspects"] if s["kind"] == "object"}
root, nodes = int(facts["tree.a.root"], 16), int(facts["tree.a.nodes"])
for key in ("tree.a.node.1", "tree.a.node.2"):
    h = by_address[int(facts[key], 16)]["held_through"]
    assert h["dominators"] == 1 and int(h["first"]["object"]["address"], 16) == root, (key, h)
    assert h["first"]["retained"]["bytes"] == nodes * 64, h
    assert h["extra_bytes"] == (nodes - 3) * 64 and h["nearly_as_much"] is False, h
own = by_address[int(facts["own.x"], 16)]
h = own["held_through"]
assert h["nearly_as_much"] is True and h["extra_bytes"] == 16, h
assert h["first"]["retained"]["bytes"] == own["retained"]["bytes"] + h["extra_bytes"], h
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "retain $v: --leaks JSON held_through says how much more the holder keeps" \
        || fail "retain $v: --leaks JSON held_through" "$(cat "$TMP/check")"
done

# The 100,000-link chain: the head retains the whole list; the tail's dominator chain is the whole list.
v=$(newest chain)
facts=$DUMPS/chain-$v.facts
length=$(fact "$facts" length)
hs --top 5 "$(dump_for chain "$v")"
expect_out "^ *[0-9]+\. object $(fact "$facts" head.addr) \(8 bytes.*\): retains $((length * 8)) bytes in $length objects" \
    "chain $v: in --top 5, the head retains the $length links"
hs --address "$(fact "$facts" tail.addr)" --retained --format json "$(dump_for chain "$v")"
python3 -c 'import json,sys; sys.path.insert(0, "tests/cli"); import hsjson; d=hsjson.load(sys.argv[1]); assert len(d["dominators"]) == int(sys.argv[2]) + 1, len(d["dominators"])' \
    "$TMP/out" "$length" 2>"$TMP/check" && pass "chain $v: the tail has $length dominators (links and group) plus the root" \
    || fail "chain $v: tail dominator chain" "$(cat "$TMP/check")"

# Usage errors.
dump=$(dump_for retain "$(newest retain)")
hs --retained "$dump"
expect_rc 2 "--retained without --address is a usage error"
hs --leaks --threshold 0 "$dump"
expect_rc 2 "--threshold 0 is a usage error"
hs --top 0 "$dump"
expect_rc 2 "--top 0 is a usage error"
