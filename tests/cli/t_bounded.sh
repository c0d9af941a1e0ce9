# t_bounded.sh — dumps shaped to make naive analyses quadratic (tests/corpus/make-hostile.py): each query must end
# well inside a time bound, within a memory bound, with the answer the generator's facts give. The bounds are far
# above the expected times (tenths of a second), so that only a return to quadratic work fails them.

GEN=tests/corpus/make-hostile.py
SECONDS_BOUND=10

# Address memory limit: 2 GB, unless the binary cannot start under it (ASan reserves terabytes of shadow).
memory_limit 2000

# hostile SHAPE NAME [PARAM=VALUE...]: writes $TMP/NAME.dump and $TMP/NAME.facts.
hostile() {
    shape=$1 name=$2
    shift 2
    python3 "$GEN" "$shape" "$TMP/$name.dump" "$TMP/$name.facts" "$@"
}

# bounded NAME ARGS...: heapspurs under the time and memory bounds; stdout in $TMP/out, stderr in $TMP/err,
# status in $RC (124 when the time bound was hit); fails NAME when a bound was hit.
bounded() {
    what=$1
    shift
    sh -c "$LIMIT exec timeout $SECONDS_BOUND \"\$@\"" sh "$HS" "$@" >"$TMP/out" 2>"$TMP/err"
    RC=$?
    if [ "$RC" = 124 ]; then
        fail "$what: ends within $SECONDS_BOUND s" "timed out: $*"
    elif [ "$RC" != 0 ]; then
        fail "$what: exits 0 within $SECONDS_BOUND s${LIMIT:+ and 2 GB}" "exit $RC: $(head -c 300 "$TMP/err")"
    else
        pass "$what: exits 0 within $SECONDS_BOUND s${LIMIT:+ and 2 GB}"
    fi
}

count_lines() { grep -Ec -- "$1" "$TMP/out"; }

if ! command -v python3 >/dev/null 2>&1; then
    skip "bounded" "python3 is not installed"
elif [ "${VALGRIND:-}" = 1 ]; then
    skip "bounded" "time bounds mean nothing under valgrind (the small versions in tests/corpus/regress run there)"
else

# --owners on a global slice of records that all point at one config object: every record's owner is the
# slice's backing array, whose slot for each record is found without scanning the array (quadratic before).
hostile shared shared N=80000
facts=$TMP/shared.facts
n=$(fact "$facts" n)
bounded "shared owners: --owners 2 on $n records of one config" --address "$(fact "$facts" config.addr)" --owners 2 \
    "$TMP/shared.dump"
expect_eq "$(wc -l <"$TMP/out" | tr -d ' ')" $((2 * n + 1)) "shared owners: the config, its $n records and their array"
expect_eq "$(count_lines "^  Object @ 0x[0-9a-f]+ with 1 pointers in 16 bytes \[pointer at \+0x0\]$")" "$n" \
    "shared owners: the $n records, each pointing at the config from +0x0"
expect_eq "$(count_lines "^    Object @ $(fact "$facts" array.addr) with $n pointers in $((8 * n)) bytes \[pointer at \+0x[0-9a-f]+\]")" "$n" \
    "shared owners: the array under each record, with the slot of its pointer"
expect_eq "$(count_lines ' \(shown above\)$')" $((n - 1)) "shared owners: the array is described in full once"
expect_out "^    Object @ $(fact "$facts" array.addr) with $n pointers in $((8 * n)) bytes \[pointer at \+0x$(printf '%x' $((8 * (n - 1))))\] \(shown above\)$" \
    "shared owners: the last record's pointer is the array's last slot"

hostile shared many N=300000
facts=$TMP/many.facts
n=$(fact "$facts" n)
bounded "300,000 owners: --owners 2" --address "$(fact "$facts" config.addr)" --owners 2 "$TMP/many.dump"
expect_eq "$(wc -l <"$TMP/out" | tr -d ' ')" $((2 * n + 1)) "300,000 owners: $((2 * n + 1)) lines"
bounded "300,000 owners: --owners 1 --format json" --address "$(fact "$facts" config.addr)" --owners 1 --format json \
    "$TMP/many.dump"
expect_eq "$(python3 -c 'import sys; sys.path.insert(0, "tests/cli"); import hsjson; d = hsjson.load(sys.argv[1]); print(len(d["owners"]), sum(o["slot"] == o["object"]["address"] for o in d["owners"]))' "$TMP/out" 2>&1)" \
    "$n $n" "300,000 owners: JSON lists the $n records with the slot of each pointer"

# --owners -1 on a chain whose links are all pointed at by one hub object: the hub is listed under every link.
hostile hub hub LENGTH=100000
facts=$TMP/hub.facts
length=$(fact "$facts" length)
bounded "hub chain: --owners -1 on a $length-link chain hanging off one hub" --address "$(fact "$facts" tail.addr)" \
    --owners -1 "$TMP/hub.dump"
expect_eq "$(wc -l <"$TMP/out" | tr -d ' ')" $((2 * length + 2)) \
    "hub chain: the tail, $((length - 1)) links, the hub under each of the $length, and the segment twice"
expect_eq "$(count_lines "Object @ $(fact "$facts" hub.addr) with $length pointers .*\(shown above\)$")" $((length - 1)) \
    "hub chain: the hub is expanded once and shown above $((length - 1)) times"
expect_out "^ +\(level $((length + 1))\) BssSegment @ " "hub chain: the hub's root is $((length + 1)) levels up"

# --anchors: one anchor per root, not per slot. A BSS field list that names one slot 200,000 times counts it once
# (with a warning); the slots of a goroutine's frames are one anchor, its stack printed once.
hostile repeated repeated
facts=$TMP/repeated.facts
bounded "repeated offsets: --anchors" --address "$(fact "$facts" target.addr)" --anchors "$TMP/repeated.dump"
expect_err "^heapspurs: warning: $TMP/repeated\.dump: $(fact "$facts" repeated) pointer offsets repeat in the field lists of segments and stack frames \(first in the record at offset $(fact "$facts" bss.offset)\); each slot counts once$" \
    "repeated offsets: one warning with the count of repeats"
expect_out "^Anchored by 1 root through 3 root slots:$" "repeated offsets: one anchor of the 3 distinct slots"
expect_out "^    and 2 more slots in bss $(fact "$facts" bss.addr)-0x5a0018 \(consecutive words outside any symbol\) reach it$" \
    "repeated offsets: the other 2 slots are counted in the stretch"
expect_out "^    path \($(fact "$facts" path.objects) objects\):$" "repeated offsets: one path of $(fact "$facts" path.objects) objects"
expect_eq "$(count_lines '^\[')" 1 "repeated offsets: one anchor printed"
hostile repeated cycle REPEAT=100000 CYCLE=1
facts=$TMP/cycle.facts
bounded "repeated offsets out of order: --anchors --format json" --address "$(fact "$facts" target.addr)" --anchors \
    --format json "$TMP/cycle.dump"
expect_eq "$(python3 -c '
import sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1]); a = d["anchors"][0]
print(d["roots"], d["slots"], len(d["anchors"]), a["slots"], a["group"], a["stretch"]["start"], a["stretch"]["end"], len(a["objects"]))' \
    "$TMP/out" 2>&1)" "1 3 1 3 stretch $(fact "$facts" bss.addr) 0x5a0018 $(fact "$facts" path.objects)" \
    "repeated offsets out of order: the 3 slots counted once each, one path"
expect_err "warning: .*: $(fact "$facts" repeated) pointer offsets repeat .* at offset $(fact "$facts" bss.offset)\)" \
    "repeated offsets out of order: every repeat counted"
bounded "repeated offsets: --print -q" -q --print "$TMP/cycle.dump"
expect_eq "$(wc -c <"$TMP/err" | tr -d ' ')" 0 "repeated offsets: --quiet silences the warning"

hostile frames frames
facts=$TMP/frames.facts
frames=$(fact "$facts" frames) goroutines=$(fact "$facts" goroutines)
bounded "frames: --anchors with $frames frames pointing at the object" --address "$(fact "$facts" target.addr)" \
    --anchors "$TMP/frames.dump"
expect_out "^Anchored by $goroutines roots through $(fact "$facts" slots) root slots:$" \
    "frames: one anchor per goroutine, every frame's slot counted"
expect_eq "$(count_lines '^    stack: ')" "$goroutines" "frames: a stack per goroutine"
expect_eq "$(count_lines "\[$((frames - 1))\] main\.f$((frames - 1))(, |$)")" 1 "frames: the $frames-frame stack is printed once"
expect_out "^    and $((frames - 1)) more slots in the frames of goroutine 1 reach it$" "frames: the other frames' slots are counted"
bytes=$(wc -c <"$TMP/out" | tr -d ' ')
[ "$bytes" -lt $((frames * 40)) ] && pass "frames: output grows with the frames, once ($bytes bytes)" || fail "frames: output is $bytes bytes"
bounded "frames: --anchors --format json" --address "$(fact "$facts" target.addr)" --anchors --format json "$TMP/frames.dump"
expect_eq "$(python3 -c '
import sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
print(len(d["anchors"]), sorted(a["slots"] for a in d["anchors"]), len(d["stacks"]), len(d["anchors"][0]["root"]["stack"]))' \
    "$TMP/out" 2>&1)" "$goroutines [1, 1, 1, $frames] 2 $frames" \
    "frames: JSON has an anchor per goroutine and the long stack once in the table"
bounded "frames: --anchors --limit 2" --address "$(fact "$facts" target.addr)" --anchors --limit 2 "$TMP/frames.dump"
expect_eq "$(count_lines '^\[')" 2 "frames: --limit 2 prints 2 anchors"
expect_out "^\($((goroutines - 2)) more roots through $((goroutines - 2)) slots; --limit 0 shows all\)$" "frames: --limit 2 counts the others"
bounded "frames: --anchors --limit 1 --format json" --address "$(fact "$facts" target.addr)" --anchors --limit 1 \
    --format json "$TMP/frames.dump"
expect_eq "$(python3 -c 'import sys; sys.path.insert(0, "tests/cli"); import hsjson; d = hsjson.load(sys.argv[1]); print(len(d["anchors"]), d["roots"], d["omitted"]["roots"], d["omitted"]["slots"])' "$TMP/out" 2>&1)" \
    "1 $goroutines $((goroutines - 1)) $((goroutines - 1))" "frames: JSON --limit 1 counts what it cut"

# --top and --leaks on an object at the end of two long chains, under a BSS segment all of whose slots reach it:
# one search from every root gives each printed object its path (a search and a walk per slot before).
hostile deep deep SLOTS=300000 LENGTH=50000
facts=$TMP/deep.facts
target=$(fact "$facts" target.addr) length=$(fact "$facts" length) big=$(fact "$facts" big)
bounded "deep paths: --top 2 under $(fact "$facts" slots) root slots" --top 2 "$TMP/deep.dump"
expect_out "^  2\. object $target \($big bytes\): retains $big bytes in 1 object " "deep paths: the big object ranks second"
expect_out "^     path: bss slot $(fact "$facts" bss.addr) -> $(fact "$facts" a.head) -> .* -> … $((length + 2 - 11)) more … -> .* -> $target$" \
    "deep paths: its path runs from the segment's first slot through chain A's $length links"
bounded "deep paths: --leaks --format json" --leaks --format json "$TMP/deep.dump"
expect_eq "$(python3 -c '
import sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
s = [s for s in d["suspects"] if s["kind"] == "object" and s["object"]["address"] == sys.argv[2]][0]; p = s["path"]
print(len(p["objects"]), p["root"]["slot"], p["objects"][0]["address"], p["objects"][-1]["address"], d["live"]["bytes"])' \
    "$TMP/out" "$target" 2>&1)" \
    "$(fact "$facts" path.objects) $(fact "$facts" bss.addr) $(fact "$facts" a.head) $target $(fact "$facts" live.bytes)" \
    "deep paths: the big object is a suspect, its path the $(fact "$facts" path.objects) objects of chain A"

bounded "deep paths: --anchors under $(fact "$facts" slots) root slots" --address "$target" --anchors "$TMP/deep.dump"
expect_out "^Anchored by 1 root through $(fact "$facts" slots) root slots:$" "deep paths: one anchor, every slot counted"
expect_out "^    and $(($(fact "$facts" slots) - 1)) more slots in bss $(fact "$facts" bss.addr)-0x[0-9a-f]+ \(consecutive words outside any symbol\) reach it$" \
    "deep paths: the segment's other slots are one stretch"
expect_out "^    path \($(fact "$facts" path.objects) objects\):$" "deep paths: one path of $(fact "$facts" path.objects) objects"

fi

# 100,000 goroutines in 3 kinds: --goroutines makes 3 groups with their exact counts, and --top gathers each
# kind into one root group.
hostile crowd crowd
facts=$TMP/crowd.facts
bounded "crowd: --goroutines with $(fact "$facts" goroutines) goroutines" --goroutines --format json "$TMP/crowd.dump"
expect_eq "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(len(d["goroutines"]), " ".join(str(g["count"]) for g in sorted(d["groups"], key=lambda g: g["label"])))' "$TMP/out" 2>&1)" \
    "$(fact "$facts" goroutines) $(fact "$facts" stack.0.count) $(fact "$facts" stack.1.count) $(fact "$facts" stack.2.count)" \
    "crowd: every goroutine listed, one group per kind with its count"
bounded "crowd: --top 3" --top 3 "$TMP/crowd.dump"
expect_out "^  1\. $(fact "$facts" stack.0.count) goroutines like goroutine 1 \(main\.worker0, chan receive\): retains $(($(fact "$facts" stack.0.count) * $(fact "$facts" size))) bytes" \
    "crowd: --top gathers a kind's goroutines and the objects only they hold"
