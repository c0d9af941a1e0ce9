#!/bin/sh
# bench/run.sh — generates (once, cached) heap dumps of a known shape and prints a table of heapspurs' timings and memory, side by side with the original Go heapspurs when it is installed; then times reading a small and a big program's DWARF.
#
# Run through `make bench`; the environment says what to run:
#   HEAPSPURS     the tool under test (default build/heapspurs)
#   BENCH_GEN     the dump generator built from bench/gen (default build/bench-gen)
#   BENCH_N       tree nodes, one or more values separated by spaces (default 1000000)
#   BENCH_CHAIN   linked-list length (default 1000000)
#   BENCH_OWNERS  owners of the many-owner object (default 2000)
#   BENCH_RUNS    runs per measurement, the best time and the highest peak RSS are kept (default 3)
#   BENCH_CACHE   where dumps are cached (default bench/cache)
#   BENCH_TOP     N of the --top N row (default 10)
#   BENCH_GOROUTINES  goroutines of the --goroutines row (default 100000)
#   BENCH_GO      the go command that builds bench/bigbin (default go on PATH, else /usr/local/go/bin/go);
#                 "none" skips the big binary's DWARF row
#   BIGBIN_MESSAGES  generated message types linked into bench/bigbin (default 2200: about 30 MB)
#   HEAPSPURS_ORIG  the original Go heapspurs; found as heapspurs-go on PATH or
#                 $(go env GOPATH)/bin/heapspurs when unset; "none" skips it
#   ORIG_TIMEOUT  seconds per run of the original (default 120); its address
#                 space is limited to ORIG_VMEM_KB (default 16 GiB)
set -u

HEAPSPURS=${HEAPSPURS:-build/heapspurs}
BENCH_GEN=${BENCH_GEN:-build/bench-gen}
BENCH_N=${BENCH_N:-1000000}
BENCH_CHAIN=${BENCH_CHAIN:-1000000}
BENCH_OWNERS=${BENCH_OWNERS:-2000}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_CACHE=${BENCH_CACHE:-bench/cache}
ORIG_TIMEOUT=${ORIG_TIMEOUT:-120}
ORIG_VMEM_KB=${ORIG_VMEM_KB:-16777216}
BENCH_TOP=${BENCH_TOP:-10}
BENCH_GOROUTINES=${BENCH_GOROUTINES:-100000}
BENCH_GO=${BENCH_GO:-$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)}
BIGBIN_MESSAGES=${BIGBIN_MESSAGES:-2200}
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 1; }

[ -x "$HEAPSPURS" ] || die "$HEAPSPURS not built (run make)"
[ -x "$BENCH_GEN" ] || die "$BENCH_GEN not built"
[ -x "$TIME" ] || die "$TIME missing: apt-get install time"

# The original Go heapspurs, if any (its usage line reads "Usage of ... [dumpfile]").
ORIG=${HEAPSPURS_ORIG:-}
if [ -z "$ORIG" ]; then
    ORIG=$(command -v heapspurs-go 2>/dev/null || true)
    if [ -z "$ORIG" ]; then
        gopath=$( (command -v go >/dev/null && go env GOPATH) || (/usr/local/go/bin/go env GOPATH) 2>/dev/null || echo "$HOME/go")
        for c in "$gopath/bin/heapspurs" "$HOME/go/bin/heapspurs"; do
            [ -x "$c" ] && { ORIG=$c; break; }
        done
    fi
fi
[ "$ORIG" = none ] && ORIG=
if [ -n "$ORIG" ] && ! "$ORIG" --help 2>&1 | grep -q 'Usage of'; then
    echo "bench: $ORIG does not look like the original heapspurs; skipping it" >&2
    ORIG=
fi

HAS_SVG=0
"$HEAPSPURS" --help 2>&1 | grep -qi 'svg' && HAS_SVG=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$WORK"' EXIT INT TERM

now_ns() { date +%s%N; }

# measure LABEL TOOL ARGS... — runs BENCH_RUNS times (the original under a
# timeout and an address-space limit); sets M_TIME (best seconds), M_RSS (max
# peak RSS in KB), M_CPU (user+system seconds of the fastest run) and M_STATUS
# (ok, timeout, or "rc N"). Standard output goes to $WORK/out.
measure() {
    tool=$1; shift
    M_TIME=; M_RSS=0; M_CPU=; M_STATUS=ok
    i=0
    while [ $i -lt "$BENCH_RUNS" ]; do
        i=$((i + 1))
        t0=$(now_ns)
        if [ "$tool" = orig ]; then
            ( ulimit -v "$ORIG_VMEM_KB"; exec timeout "$ORIG_TIMEOUT" "$TIME" -f '%U %S %M' -o "$WORK/time" "$@" ) \
                >"$WORK/out" 2>"$WORK/err"
        else
            "$TIME" -f '%U %S %M' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err"
        fi
        rc=$?
        t1=$(now_ns)
        if [ $rc -eq 124 ] && [ "$tool" = orig ]; then M_STATUS=timeout; return; fi
        # GNU time writes "Command exited with non-zero status N" before the numbers.
        u=0; k=0; rss=0
        tail -n 1 "$WORK/time" >"$WORK/time1" 2>/dev/null && read -r u k rss <"$WORK/time1"
        case $rss in '' | *[!0-9]*) rss=0 ;; esac
        if [ $rc -ne 0 ]; then
            M_STATUS="rc $rc"; M_RSS=$rss
            # The original's Go runtime says so when the address-space limit stops it.
            if grep -q 'out of memory' "$WORK/err" 2>/dev/null; then
                M_STATUS=$(awk -v a="$t0" -v b="$t1" -v k="$ORIG_VMEM_KB" 'BEGIN { printf "OOM@%.0fGB %.0fs", k / 1048576, (b - a) / 1e9 }')
            fi
            return
        fi
        s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
        if [ -z "$M_TIME" ] || awk -v s="$s" -v m="$M_TIME" 'BEGIN { exit !(s < m) }'; then
            M_TIME=$s; M_CPU=$(awk -v u="$u" -v k="$k" 'BEGIN { printf "%.2f", u + k }')
        fi
        [ "$rss" -gt "$M_RSS" ] && M_RSS=$rss
    done
}

# Table cells: value or status.
cell_time() { if [ "$2" = ok ]; then printf '%.3f s' "$1"; [ -n "${3:-}" ] && printf ' (%.2f cpu)' "$3"; elif [ "$2" = timeout ]; then printf '>%s s' "$ORIG_TIMEOUT"; else printf '%s' "$2"; fi; }
cell_mb() { if [ "$2" = ok ]; then awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; else printf -- '-'; fi; }
ratio() { # ratio ORIG OURS STATUS_ORIG STATUS_OURS
    if [ "$3" = ok ] && [ "$4" = ok ]; then awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }'
    elif [ "$3" = timeout ] && [ "$4" = ok ]; then awk -v a="$ORIG_TIMEOUT" -v b="$2" 'BEGIN { if (b > 0) printf ">%.0fx", a / b; else printf "-" }'
    else printf -- '-'; fi
}
ratio_mem() { # ratio_mem ORIG_KB OURS_KB STATUS_ORIG STATUS_OURS
    if [ "$3" = ok ] && [ "$4" = ok ]; then awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }'
    else printf -- '-'; fi
}
row() { printf '%-32s %22s %22s %10s\n' "$1" "$2" "$3" "$4"; }

machine() {
    model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    echo "machine: $(nproc) CPUs, $model, $mem RAM; $(uname -sr)"
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "load average at start: $load$(awk -v l="$load" -v n="$(nproc)" 'BEGIN { if (l > n / 2) printf " (busy machine: wall times will be high, CPU times are steadier)" }')"
}

# ensure_dump N — sets DUMP and FACTS, generating them when not cached.
ensure_dump() {
    n=$1
    base="$BENCH_CACHE/bench-n$n-c$BENCH_CHAIN-o$BENCH_OWNERS"
    DUMP=$base.dump; FACTS=$base.facts
    # --program BENCH_GEN needs the dump of this very build of the generator
    # (heapspurs checks the program against the dump): base.gen keeps the
    # checksum of the generator that wrote it.
    gen_sum=$(cksum <"$BENCH_GEN")
    if [ -s "$DUMP" ] && [ -s "$FACTS" ]; then
        [ "$(cat "$base.gen" 2>/dev/null)" = "$gen_sum" ] && return 0
        echo "$DUMP was written by another build of $BENCH_GEN: regenerating it" >&2
        rm -f "$DUMP" "$FACTS" "$base.gen"
    fi
    mkdir -p "$BENCH_CACHE" || die "cannot create $BENCH_CACHE"
    # About 120 bytes per tree node, 40 per chain node, plus slack.
    need_kb=$(awk -v n="$n" -v c="$BENCH_CHAIN" 'BEGIN { printf "%.0f", (n * 130 + c * 45) * 1.2 / 1024 + 65536 }')
    free_kb=$(df -Pk "$BENCH_CACHE" | awk 'NR == 2 { print $4 }')
    [ "$free_kb" -gt "$need_kb" ] || die "not enough disk for a dump of $n nodes: need ~$((need_kb / 1024)) MB, have $((free_kb / 1024)) MB in $BENCH_CACHE"
    echo "generating $DUMP ..." >&2
    t0=$(now_ns)
    "$BENCH_GEN" -n "$n" -chain "$BENCH_CHAIN" -owners "$BENCH_OWNERS" "$DUMP.tmp" "$FACTS.tmp" ||
        { rm -f "$DUMP.tmp" "$FACTS.tmp"; die "generator failed"; }
    t1=$(now_ns)
    mv "$DUMP.tmp" "$DUMP" && mv "$FACTS.tmp" "$FACTS" && echo "$gen_sum" >"$base.gen" ||
        die "cannot move the dump into $BENCH_CACHE"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "generated in %.1f s\n", (b - a) / 1e9 }' >&2
}

fact() { awk -v k="$1" '$1 == k { print $2; exit }' "$FACTS"; }

bench_one() {
    ensure_dump "$1"
    bytes=$(wc -c <"$DUMP" | tr -d ' ')
    objects=$(fact heapobjects)
    edges=$(fact shape.edges)
    leaf=$(fact tree.leaf.addr)
    tail=$(fact chain.tail.addr)
    owned=$(fact owned.addr)
    mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')

    echo
    echo "== $DUMP"
    echo "   $mb MB; $objects objects (runtime.MemStats.HeapObjects), at least $edges pointer edges; written by $(fact goversion)"
    echo "   shape: tree of $(fact tree.nodes) x $(fact tree.node.size)-byte nodes (leaf $leaf at depth $(fact tree.leaf.depth)), chain of $(fact chain.length) (tail $tail), $(fact owned.owners) owners of $owned"
    echo "   best of $BENCH_RUNS runs, highest peak RSS; dump in the page cache"
    cat "$DUMP" >/dev/null
    echo
    row "" "heapspurs" "$( [ -n "$ORIG" ] && echo original)" "$( [ -n "$ORIG" ] && echo 'orig/ours')"

    # 1. Load and index: a query that needs the whole model but prints little.
    measure ours "$HEAPSPURS" --quiet --address "$leaf" --hexdump "$DUMP"
    lt=$M_TIME; lr=$M_RSS; ls=$M_STATUS; lc=$M_CPU
    ot=; or=0; os=skip
    if [ -n "$ORIG" ]; then measure orig "$ORIG" --address "$leaf" --hexdump "$DUMP"; ot=$M_TIME; or=$M_RSS; os=$M_STATUS; oc=$M_CPU; fi
    row "load+index (--hexdump leaf)" "$(cell_time "$lt" "$ls" "$lc")" "$( [ -n "$ORIG" ] && cell_time "$ot" "$os" "$oc")" "$( [ -n "$ORIG" ] && ratio "$ot" "$lt" "$os" "$ls")"
    if [ "$ls" = ok ]; then
        row "  throughput" "$(awk -v b="$bytes" -v t="$lt" 'BEGIN { printf "%.0f MB/s", b / 1e6 / t }')" \
            "$( [ "$os" = ok ] && awk -v b="$bytes" -v t="$ot" 'BEGIN { printf "%.0f MB/s", b / 1e6 / t }')" ""
        row "  objects per second" "$(awk -v o="$objects" -v t="$lt" 'BEGIN { printf "%.2f M/s", o / 1e6 / t }')" \
            "$( [ "$os" = ok ] && awk -v o="$objects" -v t="$ot" 'BEGIN { printf "%.2f M/s", o / 1e6 / t }')" ""
    fi
    row "  peak RSS" "$(cell_mb "$lr" "$ls")" "$( [ -n "$ORIG" ] && cell_mb "$or" "$os")" "$( [ -n "$ORIG" ] && ratio_mem "$or" "$lr" "$os" "$ls")"

    # 2. --anchors on a tree leaf, start to exit.
    measure ours "$HEAPSPURS" --quiet --address "$leaf" --anchors "$DUMP"
    at=$M_TIME; ar=$M_RSS; as=$M_STATUS; ac=$M_CPU
    grep -q 'BssSegment\|bss' "$WORK/out" 2>/dev/null || [ "$as" != ok ] || as="no bss anchor"
    ot=; or=0; os=skip
    if [ -n "$ORIG" ]; then
        measure orig "$ORIG" --address "$leaf" --anchors "$DUMP"; ot=$M_TIME; or=$M_RSS; os=$M_STATUS; oc=$M_CPU
        grep -q 'BssSegment' "$WORK/out" 2>/dev/null || [ "$os" != ok ] || os="no bss anchor"
    fi
    row "--anchors (tree leaf)" "$(cell_time "$at" "$as" "$ac")" "$( [ -n "$ORIG" ] && cell_time "$ot" "$os" "$oc")" "$( [ -n "$ORIG" ] && ratio "$ot" "$at" "$os" "$as")"
    row "  peak RSS" "$(cell_mb "$ar" "$as")" "$( [ -n "$ORIG" ] && cell_mb "$or" "$os")" "$( [ -n "$ORIG" ] && ratio_mem "$or" "$ar" "$os" "$as")"

    # 3. --owners -1 on the chain's tail, output to a file.
    measure ours "$HEAPSPURS" --quiet --address "$tail" --owners -1 -o "$WORK/owners.txt" "$DUMP"
    wt=$M_TIME; wr=$M_RSS; ws=$M_STATUS; wc=$M_CPU
    lines=$(wc -l <"$WORK/owners.txt" 2>/dev/null | tr -d ' '); lines=${lines:-0}
    [ "$ws" != ok ] || [ "$lines" -gt "$(fact chain.length)" ] || ws="$lines lines"
    ot=; or=0; os=skip
    if [ -n "$ORIG" ]; then measure orig "$ORIG" --address "$tail" --owners -1 "$DUMP"; ot=$M_TIME; or=$M_RSS; os=$M_STATUS; oc=$M_CPU; fi
    rm -f "$WORK/owners.txt" "$WORK/out"
    row "--owners -1 (chain tail) > file" "$(cell_time "$wt" "$ws" "$wc")" "$( [ -n "$ORIG" ] && cell_time "$ot" "$os" "$oc")" "$( [ -n "$ORIG" ] && ratio "$ot" "$wt" "$os" "$ws")"
    row "  peak RSS" "$(cell_mb "$wr" "$ws")" "$( [ -n "$ORIG" ] && cell_mb "$or" "$os")" "$( [ -n "$ORIG" ] && ratio_mem "$or" "$wr" "$os" "$ws")"

    # 4. SVG of the object with many owners, when the tool draws graphs.
    if [ $HAS_SVG = 1 ]; then
        measure ours "$HEAPSPURS" --quiet --address "$owned" -o "$WORK/owned.svg" "$DUMP"
        gt=$M_TIME; gr=$M_RSS; gs=$M_STATUS; gc=$M_CPU
        [ "$gs" != ok ] || grep -q '<svg' "$WORK/owned.svg" 2>/dev/null || gs="no svg"
        ot=; or=0; os=skip
        if [ -n "$ORIG" ]; then measure orig "$ORIG" --address "$owned" --output "$WORK/owned-orig.svg" "$DUMP"; ot=$M_TIME; or=$M_RSS; os=$M_STATUS; oc=$M_CPU; fi
        rm -f "$WORK/owned.svg" "$WORK/owned-orig.svg"
        row "SVG ($(fact owned.owners) owners)" "$(cell_time "$gt" "$gs" "$gc")" "$( [ -n "$ORIG" ] && cell_time "$ot" "$os" "$oc")" "$( [ -n "$ORIG" ] && ratio "$ot" "$gt" "$os" "$gs")"
        row "  peak RSS" "$(cell_mb "$gr" "$gs")" "$( [ -n "$ORIG" ] && cell_mb "$or" "$os")" "$( [ -n "$ORIG" ] && ratio_mem "$or" "$gr" "$os" "$gs")"
    else
        row "SVG ($(fact owned.owners) owners)" "no graph feature" "" ""
    fi

    # 5. --top N: the dominator tree, the reference of --types --retained.
    measure ours "$HEAPSPURS" --quiet --top "$BENCH_TOP" "$DUMP"
    tt=$M_TIME; tr=$M_RSS; ts=$M_STATUS; tc=$M_CPU
    [ "$ts" != ok ] || grep -q "^Top $BENCH_TOP by retained size" "$WORK/out" 2>/dev/null || ts="no top"
    row "--top $BENCH_TOP" "$(cell_time "$tt" "$ts" "$tc")" "" ""
    row "  peak RSS" "$(cell_mb "$tr" "$ts")" "" ""

    # 6. --types with the program's DWARF (the generator wrote the dump), against --anchors.
    nodes=$(fact tree.nodes)
    measure ours "$HEAPSPURS" --quiet --types --program "$BENCH_GEN" "$DUMP"
    yt=$M_TIME; yr=$M_RSS; ys=$M_STATUS; yc=$M_CPU
    [ "$ys" != ok ] || types_ok ok "$nodes" || ys="no $nodes main.treeNode"
    row "--types --program bench-gen" "$(cell_time "$yt" "$ys" "$yc")" "" ""
    row "  / --anchors (target <= 1.5x)" "$(target_ratio "$yt" "$at" "$ys" "$as" 1.5)" "" ""
    row "  peak RSS" "$(cell_mb "$yr" "$ys")" "" ""

    # 7. --types --retained, against --top.
    measure ours "$HEAPSPURS" --quiet --types --retained --program "$BENCH_GEN" "$DUMP"
    qt=$M_TIME; qr=$M_RSS; qs=$M_STATUS; qc=$M_CPU
    if [ "$qs" = ok ]; then
        if ! types_ok ok "$nodes"; then qs="no $nodes main.treeNode"
        elif ! grep -q 'RETAINED' "$WORK/out"; then qs="no retained column"; fi
    fi
    row "--types --retained --program" "$(cell_time "$qt" "$qs" "$qc")" "" ""
    row "  / --top (target <= 1.2x)" "$(target_ratio "$qt" "$tt" "$qs" "$ts" 1.2)" "" ""
    row "  peak RSS" "$(cell_mb "$qr" "$qs")" "" ""
    rm -f "$WORK/out"

    # Memory per object: peak RSS of the load, and what it adds to the file;
    # what --types adds to --anchors and --types --retained to --top.
    if [ "$ls" = ok ]; then
        echo
        awk -v r="$lr" -v b="$bytes" -v o="$objects" -v e="$edges" -v ar="$ar" 'BEGIN {
            r *= 1024; ar *= 1024
            printf "memory (load):    %.1f B/object peak RSS; beyond the file %.1f B/object (%.0f MB)\n", r / o, (r - b) / o, (r - b) / 1e6
            printf "memory (anchors): %.1f B/object peak RSS; beyond the file %.1f B/object (%.0f MB)\n", ar / o, (ar - b) / o, (ar - b) / 1e6
            budget = 40 * o + 8 * e
            printf "budget beyond the file (40 B/object + 8 B/edge): %.0f MB = %.1f B/object; load uses %.0f%% of it\n", budget / 1e6, budget / o, 100 * (r - b) / budget
        }'
    fi
    if [ "$ys" = ok ] && [ "$as" = ok ]; then
        awk -v y="$yr" -v a="$ar" -v o="$objects" 'BEGIN {
            d = (y - a) * 1024
            printf "memory (types):   %.1f B/object beyond --anchors (%.1f MB; target <= 4 B/object: %s)\n", d / o, d / 1e6, d / o <= 4 ? "met" : "missed"
        }'
    fi
    if [ "$qs" = ok ] && [ "$ts" = ok ]; then
        awk -v y="$qr" -v a="$tr" -v o="$objects" 'BEGIN {
            d = (y - a) * 1024
            printf "memory (types --retained): %.1f B/object beyond --top (%.1f MB)\n", d / o, d / 1e6
        }'
    fi
}

# types_ok STATUS NODES — the --types table in $WORK/out counts NODES main.treeNode objects.
types_ok() {
    [ "$1" = ok ] && awk -v n="$2" '$NF == "main.treeNode" && $2 == n { found = 1 } END { exit !found }' "$WORK/out" 2>/dev/null
}

# target_ratio TIME REF_TIME STATUS REF_STATUS TARGET — "1.234x (met)" or "1.876x (missed)".
target_ratio() {
    if [ "$3" = ok ] && [ "$4" = ok ]; then
        awk -v a="$1" -v b="$2" -v t="$5" 'BEGIN { if (b > 0) printf "%.3fx (%s)", a / b, a / b <= t ? "met" : "missed"; else printf "-" }'
    else printf -- '-'; fi
}

# ensure_bigbin — builds bench/bigbin with BIGBIN_MESSAGES generated message
# types into $BENCH_CACHE/bigbin and has it write $BENCH_CACHE/bigbin.dump,
# unless they are there for the same sources, count and Go; sets BIGBIN and
# BIGBIN_DUMP, or returns 1 when Go is missing or the build fails.
ensure_bigbin() {
    BIGBIN=$BENCH_CACHE/bigbin; BIGBIN_DUMP=$BENCH_CACHE/bigbin.dump
    [ "$BENCH_GO" != none ] && command -v "$BENCH_GO" >/dev/null 2>&1 ||
        { echo "   (no Go at $BENCH_GO: BENCH_GO=/path/to/go)"; return 1; }
    stamp=$(cat bench/bigbin/go.mod bench/bigbin/main.go bench/bigbin/messages.awk | cksum)
    stamp="$stamp $BIGBIN_MESSAGES $("$BENCH_GO" version 2>/dev/null)"
    if [ -x "$BIGBIN" ] && [ -s "$BIGBIN_DUMP" ] && [ "$(cat "$BIGBIN.stamp" 2>/dev/null)" = "$stamp" ]; then
        return 0
    fi
    src=$BENCH_CACHE/bigbin-src
    rm -rf "$src" "$BIGBIN" "$BIGBIN_DUMP" "$BIGBIN.stamp"
    mkdir -p "$src" && cp bench/bigbin/go.mod bench/bigbin/main.go "$src/" &&
        awk -v n="$BIGBIN_MESSAGES" -f bench/bigbin/messages.awk >"$src/messages.go" || die "cannot write $src"
    echo "building $BIGBIN ($BIGBIN_MESSAGES message types) ..." >&2
    case $BIGBIN in /*) out=$BIGBIN ;; *) out=$(pwd)/$BIGBIN ;; esac
    (cd "$src" && GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 "$BENCH_GO" build -o "$out" .) >&2 ||
        { echo "   (building bench/bigbin failed)"; return 1; }
    "$BIGBIN" "$BIGBIN_DUMP" || { echo "   ($BIGBIN failed)"; return 1; }
    echo "$stamp" >"$BIGBIN.stamp"
}

# dwarf_row LABEL PROGRAM DUMP — times --types --program PROGRAM DUMP and
# --histogram DUMP (the same dump untyped) and prints the difference: reading
# the program's symbols and DWARF and typing the few objects of the dump.
dwarf_row() {
    label=$1; program=$2; dump=$3
    runs=$BENCH_RUNS; [ "$runs" -ge 5 ] || runs=5
    saved_runs=$BENCH_RUNS; BENCH_RUNS=$runs
    measure ours "$HEAPSPURS" --quiet --types --program "$program" "$dump"
    pt=$M_TIME; pr=$M_RSS; ps=$M_STATUS; pc=$M_CPU
    [ "$ps" != ok ] || grep -q '^Live objects by Go type' "$WORK/out" 2>/dev/null || ps="no types"
    measure ours "$HEAPSPURS" --quiet --histogram "$dump"
    ht=$M_TIME; hr=$M_RSS; hs=$M_STATUS; hc=$M_CPU
    BENCH_RUNS=$saved_runs
    mb=$(awk -v b="$(wc -c <"$program")" 'BEGIN { printf "%.1f MB", b / 1e6 }')
    row "$label ($mb)" "$(cell_time "$pt" "$ps" "$pc")" "$(cell_time "$ht" "$hs" "$hc")" ""
    if [ "$ps" = ok ] && [ "$hs" = ok ]; then
        row "  difference (target <= 0.3 s)" \
            "$(awk -v a="$pt" -v b="$ht" 'BEGIN { printf "%.3f s (%s)", a - b, a - b <= 0.3 ? "met" : "missed" }')" "" ""
        row "  peak RSS" "$(cell_mb "$pr" "$ps")" "$(cell_mb "$hr" "$hs")" ""
    fi
}

dwarf_section() {
    echo
    echo "== reading DWARF: --types --program PROGRAM DUMP against --histogram DUMP, on dumps of few objects"
    echo "   best of at least 5 runs; the difference is reading the symbols and the DWARF (and typing a few thousand objects)"
    echo
    row "" "--types --program" "--histogram" ""
    small_bin=testdata/bin/types-go1.26.8; small_dump=testdata/dumps/types-go1.26.8.dump
    if [ -s "$small_bin" ] && [ -s "$small_dump" ]; then
        dwarf_row "$(basename "$small_bin")" "$small_bin" "$small_dump"
    fi
    if ensure_bigbin; then
        dwarf_row "bench/bigbin" "$BIGBIN" "$BIGBIN_DUMP"
    fi
}

# goroutines_section — 100,000 goroutines in 3 kinds (tests/corpus/make-hostile.py's crowd shape, cached):
# --goroutines against --histogram on the same dump, the difference being grouping them and retained sizes
# by group and by goroutine.
goroutines_section() {
    echo
    echo "== goroutines: --goroutines against --histogram on a dump of ${BENCH_GOROUTINES} goroutines (make-hostile.py crowd)"
    echo
    crowd=$BENCH_CACHE/crowd-g$BENCH_GOROUTINES.dump
    if [ ! -s "$crowd" ]; then
        python3 tests/corpus/make-hostile.py crowd "$crowd" "$crowd.facts" GOROUTINES="$BENCH_GOROUTINES" ||
            { echo "   (make-hostile.py failed)"; return; }
    fi
    row "" "--goroutines" "--histogram" ""
    measure ours "$HEAPSPURS" --quiet --goroutines "$crowd"
    gt=$M_TIME; gr=$M_RSS; gs=$M_STATUS; gc=$M_CPU
    measure ours "$HEAPSPURS" --quiet --histogram "$crowd"
    ht=$M_TIME; hr=$M_RSS; hs=$M_STATUS; hc=$M_CPU
    row "crowd ($BENCH_GOROUTINES goroutines)" "$(cell_time "$gt" "$gs" "$gc")" "$(cell_time "$ht" "$hs" "$hc")" ""
    if [ "$gs" = ok ] && [ "$hs" = ok ]; then
        row "  added by --goroutines (target <= 1 s)" \
            "$(awk -v a="$gt" -v b="$ht" 'BEGIN { printf "%.3f s (%s)", a - b, a - b <= 1 ? "met" : "missed" }')" "" ""
        row "  peak RSS" "$(cell_mb "$gr" "$gs")" "$(cell_mb "$hr" "$hs")" ""
    fi
}

machine
echo "heapspurs: $HEAPSPURS ($("$HEAPSPURS" --version 2>&1 | head -n 1))"
if [ -n "$ORIG" ]; then
    echo "original:  $ORIG (timeout ${ORIG_TIMEOUT} s, address space ${ORIG_VMEM_KB} KB per run)"
else
    echo "original:  not installed (go install github.com/adamroach/heapspurs/cmd/heapspurs@latest, or HEAPSPURS_ORIG=PATH)"
fi
for n in $BENCH_N; do
    bench_one "$n"
done
dwarf_section
goroutines_section
