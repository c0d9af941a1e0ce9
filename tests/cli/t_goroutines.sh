# t_goroutines.sh — goroutines grouped by stack, their frames and creators, and which leaked: checked against the goroutines program's facts (and Go 1.26's own leak profile) on six Go releases.
for v in $(versions goroutines); do
    facts=$DUMPS/goroutines-$v.facts
    dump=$(dump_for goroutines "$v")
    bin=$BINS/goroutines-$v
    hs -q --goroutines --format json --program "$bin" "$dump"
    expect_rc 0 "goroutines $v: --goroutines exits 0"
    python3 - "$TMP/out" "$facts" >"$TMP/check" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
facts = dict(l.rstrip("\n").split(" ", 1) for l in open(sys.argv[2]))
by_goid = {g["goid"]: g for g in doc["goroutines"]}
cats = sorted({k.split(".")[1] for k in facts if k.startswith("goroutine.") and k.endswith(".count")})
def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what)
expected_leaked = set()
for c in cats:
    n = int(facts["goroutine.%s.count" % c])
    goids = [int(facts["goroutine.%s.%d.goid" % (c, i)]) for i in range(n)]
    leaked = facts["goroutine.%s.leaked" % c] == "1"
    if leaked:
        expected_leaked.update(goids)
    reason, function = facts["goroutine.%s.waitreason" % c], facts["goroutine.%s.function" % c]
    creator, line = facts["goroutine.%s.creator" % c], int(facts["goroutine.%s.creator.line" % c])
    gs = [by_goid.get(g) for g in goids]
    check(all(gs), "%s: all %d goroutines listed" % (c, n))
    if not all(gs):
        continue
    check(all(g["waitreason"] == reason for g in gs), "%s: wait reason %r" % (c, reason))
    check(all(any(f["function"] == function and f["file"] and f["line"] for f in g["frames"]) for g in gs),
          "%s: frames include %s with file:line" % (c, function))
    check(all(g["created_by"]["function"] == creator and g["created_by"]["line"] == line for g in gs),
          "%s: created by %s at line %d" % (c, creator, line))
    check(all(g["leaked"] is leaked for g in gs), "%s: leaked is %s for each" % (c, leaked))
    groups = [k for k in doc["groups"] if set(k["goids"]) & set(goids)]
    check(len(groups) == 1 and groups[0]["count"] == n and sorted(groups[0]["goids"]) == sorted(goids),
          "%s: one group of exactly its %d goroutines" % (c, n))
    size = int(facts["buffer.size"])
    check(all(g["retained"] and g["retained"]["bytes"] >= size for g in gs),
          "%s: each goroutine retains at least its %d-byte buffer" % (c, size))
    if groups:
        check(groups[0]["retained"]["bytes"] >= n * size, "%s: the group retains its %d buffers" % (c, n))
# A frame in inlined code reads its own function's line: semacquire1 at sema.go, not the inlined gopark's proc.go.
sema = [f for g in doc["goroutines"] for f in g["frames"] if f["function"] == "runtime.semacquire1"]
check(sema and all(f["file"] == "runtime/sema.go" for f in sema), "runtime.semacquire1 frames read runtime/sema.go")
others = [g["goid"] for g in doc["goroutines"] if g["leaked"] and g["goid"] not in expected_leaked]
check(not others, "no other goroutine is leaked (%s)" % others)
check(by_goid[int(facts["goroutine.main.goid"])]["leaked"] is False, "the main goroutine is not leaked")
check(doc["leaked"] == len(expected_leaked), "%d leaked in all" % len(expected_leaked))
if "leakprofile.count" in facts:
    check(int(facts["leakprofile.count"]) == len(expected_leaked),
          "Go's own goroutineleak profile reported the same %d" % len(expected_leaked))
    for c in cats:
        ours = sum(1 for g in doc["goroutines"] if g["leaked"] and
                   g["goid"] in [int(facts["goroutine.%s.%d.goid" % (c, i)]) for i in range(int(facts["goroutine.%s.count" % c]))])
        check(int(facts.get("leakprofile.%s" % c, 0)) == ours, "%s: as many leaked as Go's profile says (%d)" % (c, ours))
PY
    while read -r verdict rest; do
        case $verdict in
        PASS) pass "goroutines $v: $rest" ;;
        FAIL) fail "goroutines $v: $rest" ;;
        *) fail "goroutines $v: checker: $verdict $rest" ;;
        esac
    done <"$TMP/check"

    # --leaks names each leaked group with what it pins.
    hs -q --leaks --program "$bin" "$dump"
    for c in leakSend leakRecv leakWait; do
        n=$(fact "$facts" "goroutine.$c.count")
        expect_out "^  $n goroutines like goroutine [0-9]+, $(fact "$facts" "goroutine.$c.function" | sed 's/\./\\./g') \($(fact "$facts" "goroutine.$c.waitreason")\): pin [0-9]+ bytes" \
            "goroutines $v: --leaks names the $n leaked $c goroutines"
    done
    if sed -n '/^Leaked goroutines:/,$p' "$TMP/out" | grep -Eq 'waitGlobalChan|waitGlobalMutex|sleepers'; then
        fail "goroutines $v: --leaks calls a goroutine that can wake leaked" "$(sed -n '/^Leaked goroutines:/,$p' "$TMP/out")"
    else pass "goroutines $v: --leaks calls no goroutine that can wake leaked"; fi

    # --goroutine ID: the frames at file:line and the slot holding the buffer, named by DWARF.
    goid=$(fact "$facts" goroutine.leakSend.0.goid)
    hs -q --goroutine "$goid" --program "$bin" "$dump"
    expect_out "^goroutine $goid, waiting \(chan send\), LEAKED" "goroutines $v: --goroutine $goid: status, reason, leaked"
    expect_out "^  \[[0-9]+\] $(fact "$facts" goroutine.leakSend.function | sed 's/\./\\./g') \(heapspurs-testdata/goroutines/main\.go:[0-9]+\)$" \
        "goroutines $v: --goroutine $goid: its function at file:line"
    expect_out "= $(fact "$facts" goroutine.leakSend.0.buffer) -> \[12288\]uint8 @ $(fact "$facts" goroutine.leakSend.0.buffer)" \
        "goroutines $v: --goroutine $goid: a slot points at its buffer, typed [12288]uint8"
done

# Without the program the verdict is unknown, and said.
v=$(newest goroutines)
hs -q --goroutines "$(dump_for goroutines "$v")"
expect_out '^Leaked goroutines cannot be told: leaked goroutines are told from the program.s DWARF: give --program\.$' \
    "goroutines $v: without --program, leaks cannot be told"
hs -q --goroutine 999999 "$(dump_for goroutines "$v")"
expect_rc 1 "--goroutine of an id the dump lacks: exit 1"
