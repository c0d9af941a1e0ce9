# t_pprof.sh — --pprof and --pprof-sites read back by the Go toolchain's own `go tool pprof`: retention stacks of the leak, totals equal to the live heap, allocation rows equal to --sites, long chains folded, goroutine crowds merged.

# The Go toolchain is not optional here: CI runs on a machine with /usr/local/go (HEAPSPURS_GO names another).
# GOTOOLCHAIN=local and GOPROXY=off keep it off the network; `go tool pprof` builds pprof once into the build
# cache (the user's, else one under $TMP).
GO_TOOL=${HEAPSPURS_GO:-/usr/local/go/bin/go}
GEN=tests/corpus/make-hostile.py

# pp ARGS...: `go tool pprof ARGS`; output in $TMP/pp, errors in $TMP/pp.err, status in $PRC.
pp() {
    GOTOOLCHAIN=local GOPROXY=off GOFLAGS= "$GO_TOOL" tool pprof "$@" >"$TMP/pp" 2>"$TMP/pp.err"
    PRC=$?
}

# rows: the report rows of `pprof -top` in $TMP/pp as "flat<TAB>cum<TAB>name" (with -unit=B: bytes, or a count).
rows() {
    awk '/^ *flat +flat%/ { on = 1; next }
         on && NF >= 6 { name = $0; for (i = 0; i < 5; i++) sub(/^ *[^ ]+/, "", name); sub(/^ +/, "", name)
                         f = $1; c = $4; sub(/B$/, "", f); sub(/B$/, "", c); print f "\t" c "\t" name }' "$TMP/pp"
}

# pp_total: the total of the report header, "... of N total" (with -unit=B: bytes).
pp_total() { sed -n 's/^Showing nodes accounting for .* of \([0-9.]*\)B\{0,1\} total$/\1/p' "$TMP/pp"; }

# live_bytes DUMP [PROGRAM ARGS]: live bytes as --top reports them in JSON.
live_bytes() {
    hs -q --top 1 --format json "$@"
    python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["live"]["bytes"])' "$TMP/out"
}

# checks NAME: reads PASS/FAIL lines of a checker from $TMP/check.
checks() {
    while read -r verdict rest; do
        case $verdict in
        PASS) pass "$1: $rest" ;;
        FAIL) fail "$1: $rest" ;;
        *) fail "$1: checker: $verdict $rest" ;;
        esac
    done <"$TMP/check"
}

gzip_magic() { [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' \n')" = 1f8b ]; }

if [ ! -x "$GO_TOOL" ]; then
    fail "go tool pprof" "$GO_TOOL is not installed: the pprof tests need the Go toolchain (set HEAPSPURS_GO)"
else
if [ -z "${GOCACHE:-}" ] && [ -z "$(GOTOOLCHAIN=local "$GO_TOOL" env GOCACHE 2>/dev/null)" ]; then
    export GOCACHE="$TMP/gocache"
fi

# ---- the retention profile of the classic leak, on every release ----
for v in $(versions leak); do
    facts=$DUMPS/leak-$v.facts
    dump=$(dump_for leak "$v")
    program=""
    [ -f "$BINS/leak-$v" ] && program="--program $BINS/leak-$v"
    profile=$TMP/leak-$v.pb.gz
    # shellcheck disable=SC2086 # program is empty or two words
    hs --pprof "$profile" $program "$dump"
    expect_rc 0 "leak $v: --pprof exits 0"
    expect_eq "$(wc -c <"$TMP/out" | tr -d ' ')" 0 "leak $v: --pprof writes nothing on standard output"
    if gzip_magic "$profile"; then pass "leak $v: the profile is gzip"; else fail "leak $v: the profile is gzip"; fi
    note_samples=$(sed -n 's/.* in \([0-9]*\) stacks of .*/\1/p' "$TMP/err")
    # shellcheck disable=SC2086
    live=$(live_bytes $program "$dump")
    pp -top -cum -unit=B -sample_index=inuse_space "$profile"
    expect_eq "$PRC" 0 "leak $v: go tool pprof -top reads it"
    expect_eq "$(pp_total)" "$live" "leak $v: the profile's total is the live bytes --top reports ($live)"
    if [ -n "$program" ]; then
        cap=$(fact "$facts" slice.cap)
        rows | head -n 4 >"$TMP/rows"
        python3 - "$TMP/rows" "$cap" "$(fact "$facts" count)" >"$TMP/check" 2>&1 <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
cap, count = sys.argv[2], int(sys.argv[3])
names = [r[2] for r in rows]
want = {"global main.leaked", "[%s]*main.Record" % cap, "main.Record []", "[1000]uint8 .Payload"}
print(("PASS" if set(names) == want else "FAIL") + " the 4 largest cumulative rows are the leak's chain: %s" % names)
cum = {r[2]: int(r[1]) for r in rows}
ok = len(cum) == 4 and cum["global main.leaked"] == cum["[%s]*main.Record" % cap] >= cum["main.Record []"] > \
    cum["[1000]uint8 .Payload"] >= count * 1000
print(("PASS" if ok else "FAIL") + " the chain's cumulative bytes shrink from the global to the %d payloads: %s" % (count, cum))
PY
        checks "leak $v"
    else
        # Without the program the global is a BSS slot and objects are sizes and sites.
        rows >"$TMP/rows"
        if grep -q "	bss slot $(fact "$facts" global.addr)\$" "$TMP/rows"; then
            pass "leak $v: without --program the root is the global's BSS slot"
        else
            fail "leak $v: without --program the root is the global's BSS slot" "$(head -n 5 "$TMP/rows")"
        fi
        if grep -Eq "	Object [0-9]+ B \(main\.load:$(fact "$facts" load.line)\)\$" "$TMP/rows"; then
            pass "leak $v: without types an object frame is its size and allocation site"
        else
            fail "leak $v: without types an object frame is its size and allocation site" "$(head -n 5 "$TMP/rows")"
        fi
    fi
    pp -traces "$profile"
    expect_eq "$PRC" 0 "leak $v: go tool pprof -traces reads it"
    pp -raw "$profile"
    expect_eq "$PRC" 0 "leak $v: go tool pprof -raw reads it"
    raw_samples=$(awk '/^Samples:/ { on = 1; getline; next } on && /^ *[0-9]+ +[0-9]+:/ { n++ } /^Locations/ { on = 0 } END { print n + 0 }' "$TMP/pp")
    expect_eq "$raw_samples" "$note_samples" "leak $v: -raw lists as many samples as heapspurs says it wrote ($note_samples)"
done

# The leak's traces: one Record's stack, leaf first, with types.
v=$(newest leak)
pp -traces "$TMP/leak-$v.pb.gz"
python3 - "$TMP/pp" "$(fact "$DUMPS/leak-$v.facts" slice.cap)" >"$TMP/check" 2>&1 <<'PY'
import sys
traces = open(sys.argv[1]).read().split("-----------+-------------------------------------------------------")
stacks = [[l[11:].strip() for l in t.strip("\n").split("\n") if l.strip()] for t in traces[1:]]
want = ["[1000]uint8 .Payload", "main.Record []", "[%s]*main.Record" % sys.argv[2], "global main.leaked"]
print(("PASS" if want in stacks else "FAIL") + " a payload's stack is %s" % " <- ".join(want))
PY
checks "leak $v -traces"

# Goroutines: each group of the goroutines program is one root, holding at least its goroutines' buffers.
v=$(newest goroutines)
facts=$DUMPS/goroutines-$v.facts
hs -q --pprof "$TMP/g.pb.gz" --program "$BINS/goroutines-$v" "$(dump_for goroutines "$v")"
expect_rc 0 "goroutines $v: --pprof exits 0"
pp -top -cum -unit=B "$TMP/g.pb.gz"
rows >"$TMP/rows"
python3 - "$TMP/rows" "$facts" >"$TMP/check" 2>&1 <<'PY'
import sys
cum = {r[2]: int(r[1]) for r in (l.rstrip("\n").split("\t") for l in open(sys.argv[1]))}
facts = dict(l.rstrip("\n").split(" ", 1) for l in open(sys.argv[2]))
size = int(facts["buffer.size"])
for c in sorted({k.split(".")[1] for k in facts if k.startswith("goroutine.") and k.endswith(".waitreason")}):
    name = "goroutine %s (%s)" % (facts["goroutine.%s.function" % c], facts["goroutine.%s.waitreason" % c])
    n = int(facts["goroutine.%s.count" % c])
    ok = cum.get(name, 0) >= n * size
    print(("PASS" if ok else "FAIL") + " %s holds its %d buffers: %s" % (name, n, cum.get(name)))
PY
checks "goroutines $v"

# ---- the allocation profile against --sites ----
for v in $(versions leak); do
    facts=$DUMPS/leak-$v.facts
    dump=$(dump_for leak "$v")
    profile=$TMP/sites-$v.pb.gz
    hs -q --pprof-sites "$profile" "$dump"
    expect_rc 0 "leak $v: --pprof-sites exits 0"
    hs -q --sites --limit 0 --format json "$dump"
    cp "$TMP/out" "$TMP/sites.json"
    pp -top -unit=B "$profile"
    expect_eq "$PRC" 0 "leak $v: go tool pprof -top reads the allocation profile"
    rows >"$TMP/rows"
    python3 - "$TMP/rows" "$TMP/sites.json" "$(pp_total)" >"$TMP/check" 2>&1 <<'PY'
import json, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
doc = json.load(open(sys.argv[2]))
by_function = {}
for s in doc["sites"]:
    by_function[s["function"]] = by_function.get(s["function"], 0) + s["bytes"]
top = max(by_function, key=lambda f: by_function[f])
sampled = doc["total"]["bytes"] - doc["unsampled"]["bytes"]
print(("PASS" if int(sys.argv[3]) == sampled else "FAIL") +
      " the total is the sampled live bytes of --sites (%s, want %d)" % (sys.argv[3], sampled))
print(("PASS" if rows and rows[0][2] == top else "FAIL") + " the top flat row is --sites' top function %s: %s" %
      (top, rows[0][2] if rows else None))
print(("PASS" if rows and int(rows[0][0]) == by_function[top] else "FAIL") +
      " with the bytes of its sites (%d): %s" % (by_function[top], rows[0][0] if rows else None))
PY
    checks "leak $v sites"
    # -list reads the lines: each allocating line of main.load with its bytes, from the program's source.
    pp -list '^main\.load$' -unit=B -source_path=testdata/src -trim_path=heapspurs-testdata "$profile"
    expect_eq "$PRC" 0 "leak $v: go tool pprof -list main.load reads the allocation profile"
    python3 - "$TMP/pp" "$TMP/sites.json" "$(fact "$facts" load.line)" "$(fact "$facts" payload.line)" \
        >"$TMP/check" 2>&1 <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
doc = json.load(open(sys.argv[2]))
for line in (int(sys.argv[3]), int(sys.argv[4])):
    want = [s["bytes"] for s in doc["sites"] if s["function"] == "main.load" and s["line"] == line]
    m = re.search(r"^ *(\d+)B +(\d+)B +%d:" % line, text, re.M)
    got = int(m.group(1)) if m else None
    print(("PASS" if want and got == want[0] else "FAIL") + " -list shows line %d with its --sites bytes (%s): %s" %
          (line, want, got))
PY
    checks "leak $v -list"
done

# A dump without alloc samples: an empty allocation profile, said on standard error and in the comment.
hs --pprof-sites "$TMP/none.pb.gz" "$(dump_for chain "$(newest chain)")"
expect_rc 0 "--pprof-sites on a dump without samples exits 0"
pp -comments "$TMP/none.pb.gz"
if grep -q "0 of [0-9]* live objects" "$TMP/pp"; then pass "--pprof-sites without samples: the comment says none has one"; else fail "--pprof-sites without samples: the comment says none has one" "$(cat "$TMP/pp")"; fi

# ---- shapes: a 100,000-link chain folds, a crowd of goroutines merges ----
python3 "$GEN" deep "$TMP/deep.dump" "$TMP/deep.facts" SLOTS=1 LENGTH=100000 BIG=4096
hs --pprof "$TMP/deep.pb.gz" "$TMP/deep.dump"
expect_rc 0 "deep: --pprof on two chains of 100000 links exits 0"
size=$(wc -c <"$TMP/deep.pb.gz" | tr -d ' ')
if [ "$size" -lt 8192 ]; then pass "deep: the profile is small ($size bytes)"; else fail "deep: the profile is small" "$size bytes"; fi
pp -raw "$TMP/deep.pb.gz"
samples=$(awk '/^Samples:/ { on = 1; getline; next } on && /^ *[0-9]+ +[0-9]+:/ { n++ } /^Locations/ { on = 0 } END { print n + 0 }' "$TMP/pp")
if [ "$samples" -le 140 ]; then pass "deep: at most 64 + 64 + a few samples ($samples)"; else fail "deep: at most 140 samples" "$samples"; fi
pp -top -unit=B "$TMP/deep.pb.gz"
expect_eq "$(pp_total)" "$(fact "$TMP/deep.facts" live.bytes)" "deep: the total is every live byte"
pp -traces "$TMP/deep.pb.gz"
longest=$(awk '/^-+\+-+$/ { if (n > m) m = n; n = 0; next } /^ / { n++ } END { if (n > m) m = n; print m }' "$TMP/pp")
expect_eq "$longest" 64 "deep: the longest stack has 64 frames"
expect_eq "$(grep -c '^ *…$' "$TMP/pp")" 3 "deep: three folded stacks (each chain's links, the object they end at), one … each"
hs -q --pprof "$TMP/deep16.pb.gz" --depth 16 "$TMP/deep.dump"
pp -traces "$TMP/deep16.pb.gz"
longest=$(awk '/^-+\+-+$/ { if (n > m) m = n; n = 0; next } /^ / { n++ } END { if (n > m) m = n; print m }' "$TMP/pp")
expect_eq "$longest" 16 "deep: --depth 16 caps stacks at 16 frames"

python3 "$GEN" crowd "$TMP/crowd.dump" "$TMP/crowd.facts" GOROUTINES=30000
hs -q --pprof "$TMP/crowd.pb.gz" "$TMP/crowd.dump"
expect_rc 0 "crowd: --pprof on 30000 goroutines exits 0"
pp -top -sample_index=inuse_objects "$TMP/crowd.pb.gz"
rows >"$TMP/rows"
for k in 0 1 2; do
    got=$(awk -F '\t' -v n="goroutine main.worker$k (chan receive)" '$3 == n { print $2 }' "$TMP/rows")
    expect_eq "$got" "$(fact "$TMP/crowd.facts" "stack.$k.count")" "crowd: goroutines of main.worker$k are one root"
done
pp -raw "$TMP/crowd.pb.gz"
samples=$(awk '/^Samples:/ { on = 1; getline; next } on && /^ *[0-9]+ +[0-9]+:/ { n++ } /^Locations/ { on = 0 } END { print n + 0 }' "$TMP/pp")
expect_eq "$samples" 3 "crowd: three samples, one per stack"
fi

# ---- the command line: no toolchain needed ----
dump=$(dump_for leak "$(newest leak)")
hs --pprof "$TMP/x.pb.gz" --format json "$dump"
expect_rc 2 "--pprof with --format is a usage error"
hs --pprof "$TMP/x.pb.gz" -o "$TMP/y" "$dump"
expect_rc 2 "--pprof with -o is a usage error (FILE is the output)"
hs --pprof "$TMP/x.pb.gz" --depth 4 "$dump"
expect_rc 2 "--pprof --depth below 8 is a usage error"
hs --pprof-sites "$TMP/x.pb.gz" --depth 4 "$dump"
expect_rc 2 "--pprof-sites takes no --depth"
hs --pprof "$TMP/x.pb.gz" --sites "$dump"
expect_rc 2 "--pprof and another action is a usage error"
cp "$dump" "$TMP/copy.dump"
hs --pprof "$TMP/copy.dump" "$TMP/copy.dump"
expect_rc 2 "--pprof refuses to write over its input"
if cmp -s "$dump" "$TMP/copy.dump"; then pass "--pprof onto the input leaves it as it was"; else fail "--pprof onto the input leaves it as it was"; fi
head -c 5000 "$dump" >"$TMP/cut.dump"
hs --pprof "$TMP/cut.pb.gz" "$TMP/cut.dump"
expect_rc 1 "--pprof on a dump cut short exits 1"
if [ -e "$TMP/cut.pb.gz" ]; then fail "--pprof on a dump cut short leaves no profile"; else pass "--pprof on a dump cut short leaves no profile"; fi
"$HS" -q --pprof - "$dump" >"$TMP/stdout.pb.gz" 2>"$TMP/err"
if gzip_magic "$TMP/stdout.pb.gz"; then pass "--pprof - writes the profile to standard output"; else fail "--pprof - writes the profile to standard output"; fi
