#!/bin/sh
# bench/run.sh — generates (once, cached) heap dumps of known shapes and prints tables of heapspurs' times and memory, side by side with the original Go heapspurs; then times reading a small and a big program's DWARF.
#
# Run through `make bench`; the environment says what to run:
#   HEAPSPURS     the tool under test (default build/heapspurs)
#   BENCH_GEN     the dump generator built from bench/gen (default build/bench-gen)
#   BENCH_MEMWATCH  runs each command and samples its memory, built from bench/memwatch.c
#                 (default build/bench-memwatch)
#   BENCH_FRESHMEM  measures how fast the machine hands out fresh memory, built from bench/freshmem.c
#                 (default build/bench-freshmem; "none" skips it)
#   BENCH_N       tree nodes of the per-size tables, one or more values separated by spaces (default 1000000)
#   BENCH_CHAIN   linked-list length of the tree dumps (default 1000000)
#   BENCH_OWNERS  owners of the many-owner object (default 2000)
#   BENCH_SHAPES  shapes of the side-by-side section (default "tree map4 chain slices"; "none" skips it)
#   BENCH_SHAPE_N objects of each shape's dump there (default 1000000; tree nodes for tree)
#   BENCH_COLD    1: also --anchors on the largest BENCH_N dump right after dropping the page cache
#                 (the whole machine's: root only; default 0)
#   BENCH_RUNS    runs per measurement, the best time and the highest peaks are kept (default 3)
#   BENCH_CACHE   where dumps are cached (default bench/cache)
#   BENCH_TOP     N of the --top N row (default 10)
#   BENCH_GOROUTINES  goroutines of the --goroutines row (default 100000)
#   BENCH_GO      the go command that builds bench/bigbin (default go on PATH, else /usr/local/go/bin/go);
#                 "none" skips the big binary's DWARF row
#   BIGBIN_MESSAGES  generated message types linked into bench/bigbin (default 2200: about 30 MB)
#   HEAPSPURS_ORIG  the original Go heapspurs; found as heapspurs-go on PATH or
#                 $(go env GOPATH)/bin/heapspurs when unset; "none" skips it
#   HEAPSPURS_ORIG_SRC  the checkout HEAPSPURS_ORIG was built from (make bench builds it), for the
#                 commit the table names
#   ORIG_TIMEOUT  seconds per run of the original (default 120); its address
#                 space is limited to ORIG_VMEM_KB (default 16 GiB)
#   ORIG_MAX_N    the original runs only on dumps of at most this many tree nodes (default 10000000)
#   BENCH_BASE_MAX_N  --base runs on sizes of at most this many tree nodes (default 10000000: two 100M
#                 dumps do not fit in this machine's page cache beside the index)
set -u

HEAPSPURS=${HEAPSPURS:-build/heapspurs}
BENCH_GEN=${BENCH_GEN:-build/bench-gen}
BENCH_MEMWATCH=${BENCH_MEMWATCH:-build/bench-memwatch}
BENCH_FRESHMEM=${BENCH_FRESHMEM:-build/bench-freshmem}
BENCH_N=${BENCH_N:-1000000}
BENCH_CHAIN=${BENCH_CHAIN:-1000000}
BENCH_OWNERS=${BENCH_OWNERS:-2000}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_CACHE=${BENCH_CACHE:-bench/cache}
ORIG_TIMEOUT=${ORIG_TIMEOUT:-120}
ORIG_VMEM_KB=${ORIG_VMEM_KB:-16777216}
ORIG_MAX_N=${ORIG_MAX_N:-10000000}
BENCH_BASE_MAX_N=${BENCH_BASE_MAX_N:-10000000}
BENCH_SHAPES=${BENCH_SHAPES:-tree map4 chain slices}
BENCH_SHAPE_N=${BENCH_SHAPE_N:-1000000}
BENCH_COLD=${BENCH_COLD:-0}
HEAPSPURS_ORIG_SRC=${HEAPSPURS_ORIG_SRC:-}
BENCH_TOP=${BENCH_TOP:-10}
BENCH_GOROUTINES=${BENCH_GOROUTINES:-100000}
BENCH_GO=${BENCH_GO:-$(command -v go 2>/dev/null || echo /usr/local/go/bin/go)}
BIGBIN_MESSAGES=${BIGBIN_MESSAGES:-2200}

die() { echo "bench: $*" >&2; exit 1; }

[ -x "$HEAPSPURS" ] || die "$HEAPSPURS not built (run make)"
[ -x "$BENCH_GEN" ] || die "$BENCH_GEN not built"
[ -x "$BENCH_MEMWATCH" ] || die "$BENCH_MEMWATCH not built (make $BENCH_MEMWATCH)"

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
SHOW_ORIG=0; [ -n "$ORIG" ] && SHOW_ORIG=1

HAS_SVG=0
"$HEAPSPURS" --help 2>&1 | grep -qi 'svg' && HAS_SVG=1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hs-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$WORK"' EXIT INT TERM
: >"$WORK/results"
: >"$WORK/summary"
TAB=$(printf '\t')

# mw_read FILE — parses bench-memwatch's report line into W_STATUS (exit:N,
# signal:N or timeout), W_WALL, W_USER, W_SYS (seconds), W_ANON and W_RSS
# (peak RssAnon and VmRSS, KB); returns 1 when there is none.
mw_read() {
    [ -s "$1" ] || return 1
    mw_line=$(awk '$1 == "memwatch" {
        for (i = 2; i <= NF; i++) { eq = index($i, "="); v[substr($i, 1, eq - 1)] = substr($i, eq + 1) }
        print v["status"], v["wall"], v["user"], v["sys"], v["peak_anon_kb"], v["peak_rss_kb"]; exit }' "$1")
    [ -n "$mw_line" ] || return 1
    read -r W_STATUS W_WALL W_USER W_SYS W_ANON W_RSS <<EOM
$mw_line
EOM
}

# measure TOOL ARGS... — runs ARGS under bench-memwatch BENCH_RUNS times (TOOL
# orig: with a timeout of ORIG_TIMEOUT seconds and an address-space limit of
# ORIG_VMEM_KB); sets M_TIME (best wall seconds), M_USER, M_SYS and M_CPU (the
# CPU seconds of that run), M_RSS and M_ANON (highest peak VmRSS and RssAnon
# in KB over the runs) and M_STATUS (ok, timeout, OOM@..., "rc N", "signal
# N"). Standard output goes to $WORK/out, standard error to $WORK/err.
measure() {
    tool=$1; shift
    M_TIME=; M_USER=; M_SYS=; M_CPU=; M_RSS=0; M_ANON=0; M_STATUS=ok
    i=0
    while [ $i -lt "$BENCH_RUNS" ]; do
        i=$((i + 1))
        rm -f "$WORK/mw"
        if [ "$tool" = orig ]; then
            "$BENCH_MEMWATCH" -o "$WORK/mw" -t "$ORIG_TIMEOUT" -v "$ORIG_VMEM_KB" -- "$@" >"$WORK/out" 2>"$WORK/err"
        else
            "$BENCH_MEMWATCH" -o "$WORK/mw" -- "$@" >"$WORK/out" 2>"$WORK/err"
        fi
        mw_read "$WORK/mw" || { M_STATUS="memwatch failed"; return; }
        [ "$W_ANON" -gt "$M_ANON" ] && M_ANON=$W_ANON
        [ "$W_RSS" -gt "$M_RSS" ] && M_RSS=$W_RSS
        case $W_STATUS in
        exit:0) ;;
        timeout) M_STATUS=timeout; return ;;
        exit:*)
            M_STATUS="rc ${W_STATUS#exit:}"
            # The original's Go runtime says so when the address-space limit stops it.
            if grep -q 'out of memory' "$WORK/err" 2>/dev/null; then
                M_STATUS=$(awk -v t="$W_WALL" -v k="$ORIG_VMEM_KB" 'BEGIN { printf "OOM@%.0fGB %.0fs", k / 1048576, t }')
            fi
            return ;;
        *) M_STATUS="signal ${W_STATUS#signal:}"; return ;;
        esac
        if [ -z "$M_TIME" ] || awk -v s="$W_WALL" -v m="$M_TIME" 'BEGIN { exit !(s < m) }'; then
            M_TIME=$W_WALL; M_USER=$W_USER; M_SYS=$W_SYS
            M_CPU=$(awk -v u="$W_USER" -v k="$W_SYS" 'BEGIN { printf "%.2f", u + k }')
        fi
    done
}

# ours ARGS... — measure heapspurs: H_TIME, H_CPU, H_RSS, H_ANON, H_STATUS.
ours() {
    measure ours "$HEAPSPURS" "$@"
    H_TIME=$M_TIME; H_CPU=$M_CPU; H_RSS=$M_RSS; H_ANON=$M_ANON; H_STATUS=$M_STATUS
}

# theirs ARGS... — measure the original: O_TIME, O_CPU, O_RSS, O_ANON, O_STATUS;
# O_STATUS is "skip" when it does not run on this dump (USE_ORIG is not 1).
theirs() {
    O_TIME=; O_CPU=; O_RSS=0; O_ANON=0; O_STATUS=skip
    [ "$USE_ORIG" = 1 ] || return 0
    measure orig "$ORIG" "$@"
    O_TIME=$M_TIME; O_CPU=$M_CPU; O_RSS=$M_RSS; O_ANON=$M_ANON; O_STATUS=$M_STATUS
}

# check_ours PATTERN WHAT / check_theirs PATTERN WHAT — a run whose standard
# output lacks the extended regular expression PATTERN gets the status WHAT.
check_ours() { [ "$H_STATUS" != ok ] || grep -Eq "$1" "$WORK/out" 2>/dev/null || H_STATUS=$2; }
check_theirs() { [ "$O_STATUS" != ok ] || grep -Eq "$1" "$WORK/out" 2>/dev/null || O_STATUS=$2; }

# record KEY N — keeps heapspurs' last measurement as command KEY on the N dump (for the growth table).
record() { echo "$1 $2 ${H_TIME:-0} $( [ "$H_STATUS" = ok ] && echo ok || echo failed) $H_ANON $H_RSS" >>"$WORK/results"; }

# summary LINE — one line of the targets summary printed at the end.
summary() { echo "$*" >>"$WORK/summary"; }

# Table cells: value or status.
cell_time() {
    case $2 in
    ok) printf '%.3f s' "$1"; [ -n "${3:-}" ] && printf ' (%.2f cpu)' "$3" ;;
    timeout) printf '>%s s' "$ORIG_TIMEOUT" ;;
    skip) printf 'not run' ;;
    *) printf '%s' "$2" ;;
    esac
}
# cell_mem RSS_KB ANON_KB STATUS — "217 MB, 83 anon": peak RSS and peak RssAnon.
cell_mem() { if [ "$3" = ok ]; then awk -v r="$1" -v a="$2" 'BEGIN { printf "%.0f MB, %.0f anon", r / 1024, a / 1024 }'; else printf -- '-'; fi; }
cell_mb() { if [ "$2" = ok ]; then awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; else printf -- '-'; fi; }
# speedup ORIG OURS STATUS_ORIG STATUS_OURS [TARGET] — "21.0x", and "(target >= 30x: met)" with a TARGET.
speedup() {
    if [ "$3" = ok ] && [ "$4" = ok ]; then
        awk -v a="$1" -v b="$2" -v t="${5:-}" 'BEGIN { if (b <= 0) { printf "-"; exit }
            r = a / b; printf "%.1fx", r; if (t != "") printf " (target >= %sx: %s)", t, (r >= t ? "met" : "missed") }'
    elif [ "$3" = timeout ] && [ "$4" = ok ]; then
        awk -v a="$ORIG_TIMEOUT" -v b="$2" -v t="${5:-}" 'BEGIN { if (b <= 0) { printf "-"; exit }
            r = a / b; printf ">%.0fx", r; if (t != "" && r >= t) printf " (target >= %sx: met)", t }'
    else printf -- '-'; fi
}
ratio_mem() { # ratio_mem ORIG_KB OURS_KB STATUS_ORIG STATUS_OURS
    if [ "$3" = ok ] && [ "$4" = ok ]; then awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else printf "-" }'
    else printf -- '-'; fi
}
row() { printf '%-34s %24s %24s  %s\n' "$1" "$2" "$3" "$4"; }

# pair_row LABEL [TARGET] — heapspurs' and the original's last measurements, and the speed-up.
pair_row() {
    if [ "$SHOW_ORIG" = 1 ]; then
        row "$1" "$(cell_time "$H_TIME" "$H_STATUS" "$H_CPU")" "$(cell_time "$O_TIME" "$O_STATUS" "$O_CPU")" \
            "$(speedup "$O_TIME" "$H_TIME" "$O_STATUS" "$H_STATUS" "${2:-}")"
        row "  peak RSS, RssAnon" "$(cell_mem "$H_RSS" "$H_ANON" "$H_STATUS")" "$(cell_mem "$O_RSS" "$O_ANON" "$O_STATUS")" \
            "$(ratio_mem "$O_RSS" "$H_RSS" "$O_STATUS" "$H_STATUS")"
    else
        ours_row "$1"
    fi
}
# ours_row LABEL — heapspurs' last measurement alone.
ours_row() {
    row "$1" "$(cell_time "$H_TIME" "$H_STATUS" "$H_CPU")" "" ""
    row "  peak RSS, RssAnon" "$(cell_mem "$H_RSS" "$H_ANON" "$H_STATUS")" "" ""
}

# phases_row ARGS... — heapspurs --timings ARGS once more (untimed, after the measured runs): where that run's
# wall time went, phase by phase, on one or two indented lines ("read records 0.311, sort objects 0.132, ...").
# Phases under 1 ms are left out; those that ran on their own thread say "own thread".
phases_row() {
    "$HEAPSPURS" --quiet --timings "$@" >/dev/null 2>"$WORK/timings" || { echo "  phases: the run failed"; return; }
    awk '/^heapspurs: timings of / { on = 1; next }
         on && /^  / { v = $NF; $NF = ""; sub(/^ +/, ""); sub(/ +$/, "")
                       if ($0 == "total") total = v; else if (v >= 0.001) line = line (line ? ", " : "") $0 " " v }
         END { printf "  phases (one more run, total %s s): %s\n", total, line }' "$WORK/timings" | fold -s -w 118 |
        sed '2,$s/^/    /'
}

# per_object KB OBJECTS — "41.3 B/object".
per_object() { awk -v k="$1" -v o="$2" 'BEGIN { printf "%.1f B/object", k * 1024 / o }'; }
# within VALUE TARGET — "met" when VALUE <= TARGET, else "missed".
within() { awk -v v="$1" -v t="$2" 'BEGIN { print v <= t ? "met" : "missed" }'; }

machine() {
    model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    echo "machine: $(nproc) CPUs, $model, $mem RAM; $(uname -sr)"
    load=$(cut -d' ' -f1 /proc/loadavg)
    echo "load average at start: $load$(awk -v l="$load" -v n="$(nproc)" 'BEGIN { if (l > n / 2) printf " (busy machine: wall times will be high, CPU times are steadier)" }')"
    # The first round's pages are the ones a load's arrays get; the later ones, memory just given back.
    if [ "$BENCH_FRESHMEM" != none ]; then
        "$BENCH_FRESHMEM" 1024 4 huge || echo "fresh memory: $BENCH_FRESHMEM failed"
        "$BENCH_FRESHMEM" 1024 4 small || echo "fresh memory: $BENCH_FRESHMEM failed"
    fi
}

# orig_description — the original's path, the commit it was built from and its Go.
orig_description() {
    d=$ORIG
    commit=
    if [ -n "$HEAPSPURS_ORIG_SRC" ]; then
        commit=$(git -C "$HEAPSPURS_ORIG_SRC" rev-parse --short HEAD 2>/dev/null)
        if [ -n "$commit" ]; then
            [ -z "$(git -C "$HEAPSPURS_ORIG_SRC" status --porcelain --untracked-files=no 2>/dev/null)" ] ||
                commit="$commit with local changes"
            d="$d, built from $HEAPSPURS_ORIG_SRC at commit $commit"
        else
            d="$d, built from $HEAPSPURS_ORIG_SRC (not a git checkout)"
        fi
    fi
    if [ "$BENCH_GO" != none ] && command -v "$BENCH_GO" >/dev/null 2>&1; then
        info=$("$BENCH_GO" version -m "$ORIG" 2>/dev/null)
        gov=$(echo "$info" | awk 'NR == 1 { print $2 }')
        rev=$(echo "$info" | awk '$2 ~ /^vcs.revision=/ { print substr($2, 14, 7) }')
        [ -z "$commit" ] && [ -n "$rev" ] && d="$d, commit $rev (recorded in the binary)"
        [ -n "$gov" ] && d="$d, $gov"
    fi
    echo "$d"
}

now_ns() { date +%s%N; }

# ensure_dump SHAPE N REV — sets DUMP and FACTS for bench-gen's SHAPE of N
# (tree nodes for tree, objects for the others), generating them when not
# cached; REV 2 and up name other dumps of the same shape and size.
ensure_dump() {
    e_shape=$1; e_n=$2; e_rev=$3
    case $e_shape in
    tree)
        e_base="$BENCH_CACHE/bench-tree-n$e_n-c$BENCH_CHAIN-o$BENCH_OWNERS"
        e_bytes=$(awk -v n="$e_n" -v c="$BENCH_CHAIN" 'BEGIN { printf "%.0f", n * 120 + c * 25 }') ;;
    map4) e_base="$BENCH_CACHE/bench-map4-n$e_n"; e_bytes=$(awk -v n="$e_n" 'BEGIN { printf "%.0f", n * 125 }') ;;
    chain) e_base="$BENCH_CACHE/bench-chain-n$e_n"; e_bytes=$(awk -v n="$e_n" 'BEGIN { printf "%.0f", n * 25 }') ;;
    slices) e_base="$BENCH_CACHE/bench-slices-n$e_n"; e_bytes=$(awk -v n="$e_n" 'BEGIN { printf "%.0f", n * 45 }') ;;
    *) die "unknown shape $e_shape (tree, map4, chain or slices)" ;;
    esac
    [ "$e_rev" = 1 ] || e_base="$e_base-r$e_rev"
    DUMP=$e_base.dump; FACTS=$e_base.facts
    # --program BENCH_GEN needs the dump of this very build of the generator
    # (heapspurs checks the program against the dump): base.gen keeps the
    # checksum of the generator that wrote it.
    gen_sum=$(cksum <"$BENCH_GEN")
    if [ -s "$DUMP" ] && [ -s "$FACTS" ]; then
        [ "$(cat "$e_base.gen" 2>/dev/null)" = "$gen_sum" ] && return 0
        echo "$DUMP was written by another build of $BENCH_GEN: regenerating it" >&2
        rm -f "$DUMP" "$FACTS" "$e_base.gen"
    fi
    mkdir -p "$BENCH_CACHE" || die "cannot create $BENCH_CACHE"
    # The dump's bytes (about 115 per tree node, 118 per map4 node, 20 per chain
    # node, 40 per slices object) with a tenth more, and 64 MB of slack.
    need_kb=$(awk -v b="$e_bytes" 'BEGIN { printf "%.0f", b * 1.1 / 1024 + 65536 }')
    free_kb=$(df -Pk "$BENCH_CACHE" | awk 'NR == 2 { print $4 }')
    [ "$free_kb" -gt "$need_kb" ] ||
        die "not enough disk for the $e_shape dump of $e_n: need ~$((need_kb / 1024)) MB, have $((free_kb / 1024)) MB in $BENCH_CACHE"
    echo "generating $DUMP ..." >&2
    if [ "$e_shape" = tree ]; then
        set -- -n "$e_n" -chain "$BENCH_CHAIN" -owners "$BENCH_OWNERS"
    else
        set -- -n "$e_n"
    fi
    "$BENCH_GEN" -shape "$e_shape" -rev "$e_rev" "$@" "$DUMP.tmp" "$FACTS.tmp" ||
        { rm -f "$DUMP.tmp" "$FACTS.tmp"; die "generator failed"; }
    mv "$DUMP.tmp" "$DUMP" && mv "$FACTS.tmp" "$FACTS" && echo "$gen_sum" >"$e_base.gen" ||
        die "cannot move the dump into $BENCH_CACHE"
    echo "generated in $(fact gen.seconds) s" >&2
}

fact() { awk -v k="$1" '$1 == k { print $2; exit }' "$FACTS"; }

# warm_up ADDR — reads DUMP into the page cache and runs heapspurs on it
# once, untimed: the first run after a pause pays extra system time (0.1
# to 0.2 s on a 1M dump) that the first row would otherwise carry alone when
# BENCH_RUNS is 1. The cold-start rows measure a first run.
warm_up() {
    cat "$DUMP" >/dev/null
    "$HEAPSPURS" --quiet --address "$1" --hexdump "$DUMP" >/dev/null 2>&1
}

# dump_line — the dump's size, objects, edges and how long generating it took (from the facts).
dump_line() {
    echo "   $(awk -v b="$(fact dump.bytes)" 'BEGIN { printf "%.1f MB", b / 1e6 }'); $(fact heapobjects) objects (runtime.MemStats.HeapObjects), at least $(fact shape.edges) pointer edges; written by $(fact goversion), generated in $(fact gen.seconds) s (building $(fact build.seconds) s, writing $(fact dump.seconds) s)"
}

bench_one() {
    n=$1
    ensure_dump tree "$n" 1
    bytes=$(wc -c <"$DUMP" | tr -d ' ')
    objects=$(fact heapobjects)
    edges=$(fact shape.edges)
    leaf=$(fact tree.leaf.addr)
    root=$(fact tree.root.addr)
    tail=$(fact chain.tail.addr)
    owned=$(fact owned.addr)
    nodes=$(fact tree.nodes)
    USE_ORIG=$SHOW_ORIG
    [ "$n" -le "$ORIG_MAX_N" ] || USE_ORIG=0

    echo
    echo "== $DUMP"
    dump_line
    echo "   shape: tree of $nodes x $(fact tree.node.size)-byte nodes (leaf $leaf at depth $(fact tree.leaf.depth)), chain of $(fact chain.length) (tail $tail), $(fact owned.owners) owners of $owned"
    echo "   best of $BENCH_RUNS runs after an untimed one, highest peaks; dump in the page cache;"
    echo "   RssAnon: what the process holds beyond the mapped dump"
    echo "objects $n $objects ok 0 0" >>"$WORK/results"
    [ "$SHOW_ORIG" = 1 ] && [ "$USE_ORIG" = 0 ] && echo "   the original does not run on this dump: $n tree nodes > ORIG_MAX_N ($ORIG_MAX_N)"
    warm_up "$leaf"
    # 1. Load and index: a query that needs the whole model but prints little.
    load_rows "$leaf" "load+index (--hexdump leaf)"
    lt=$H_TIME; ls=$H_STATUS; la=$H_ANON
    if [ "$ls" = ok ]; then
        row "  throughput" "$(awk -v b="$bytes" -v t="$lt" 'BEGIN { printf "%.0f MB/s", b / 1e6 / t }')" \
            "$( [ "$O_STATUS" = ok ] && awk -v b="$bytes" -v t="$O_TIME" 'BEGIN { printf "%.0f MB/s", b / 1e6 / t }')" ""
        row "  objects per second" "$(awk -v o="$objects" -v t="$lt" 'BEGIN { printf "%.2f M/s", o / 1e6 / t }')" \
            "$( [ "$O_STATUS" = ok ] && awk -v o="$objects" -v t="$O_TIME" 'BEGIN { printf "%.2f M/s", o / 1e6 / t }')" ""
    fi
    record load "$n"

    # 2. --anchors on a tree leaf, start to exit.
    ours --quiet --address "$leaf" --anchors "$DUMP"
    check_ours 'bss slot|BssSegment|global ' "no bss anchor"
    theirs --address "$leaf" --anchors "$DUMP"
    check_theirs 'BssSegment' "no bss anchor"
    pair_row "--anchors (tree leaf)"
    at=$H_TIME; as=$H_STATUS; aa=$H_ANON
    phases_row --address "$leaf" --anchors "$DUMP"
    record anchors "$n"

    # 3. --owners -1 on the chain's tail, output to a file.
    ours --quiet --address "$tail" --owners -1 -o "$WORK/owners.txt" "$DUMP"
    lines=$(wc -l <"$WORK/owners.txt" 2>/dev/null | tr -d ' '); lines=${lines:-0}
    [ "$H_STATUS" != ok ] || [ "$lines" -gt "$(fact chain.length)" ] || H_STATUS="$lines lines"
    rm -f "$WORK/owners.txt"
    theirs --address "$tail" --owners -1 "$DUMP"
    pair_row "--owners -1 (chain tail) > file"
    record owners "$n"

    # 4. SVG of the object with many owners, when the tool draws graphs.
    if [ $HAS_SVG = 1 ]; then
        ours --quiet --address "$owned" -o "$WORK/owned.svg" "$DUMP"
        [ "$H_STATUS" != ok ] || grep -q '<svg' "$WORK/owned.svg" 2>/dev/null || H_STATUS="no svg"
        theirs --address "$owned" --output "$WORK/owned-orig.svg" "$DUMP"
        [ "$O_STATUS" != ok ] || grep -q '<svg' "$WORK/owned-orig.svg" 2>/dev/null || O_STATUS="no svg"
        rm -f "$WORK/owned.svg" "$WORK/owned-orig.svg"
        pair_row "SVG ($(fact owned.owners) owners)"
        record svg "$n"
    else
        row "SVG ($(fact owned.owners) owners)" "no graph feature" "" ""
    fi

    # 5. --top N: the dominator tree, the reference of --types --retained.
    ours --quiet --top "$BENCH_TOP" "$DUMP"
    check_ours "^Top $BENCH_TOP by retained size" "no top"
    ours_row "--top $BENCH_TOP"
    tt=$H_TIME; ts=$H_STATUS; ta=$H_ANON
    phases_row --top "$BENCH_TOP" "$DUMP"
    record top "$n"

    # 6. --leaks: the dominator tree and the suspects; on this dump the
    # subtrees under the tree's root, reached through it from the bss.
    ours --quiet --leaks "$DUMP"
    check_ours "path: bss slot 0x[0-9a-f]+ -> $root( |\$)" "no tree suspect"
    ours_row "--leaks"
    ka=$H_ANON; ks=$H_STATUS
    record leaks "$n"

    # 7. --types with the program's DWARF (the generator wrote the dump), against --anchors.
    ours --quiet --types --program "$BENCH_GEN" "$DUMP"
    [ "$H_STATUS" != ok ] || types_ok ok "$nodes" || H_STATUS="no $nodes main.treeNode"
    ours_row "--types --program bench-gen"
    row "  / --anchors (target <= 1.5x)" "$(target_ratio "$H_TIME" "$at" "$H_STATUS" "$as" 1.5)" "" ""
    ys=$H_STATUS; ya=$H_ANON
    phases_row --types --program "$BENCH_GEN" "$DUMP"
    record types "$n"

    # 8. --types --retained, against --top.
    ours --quiet --types --retained --program "$BENCH_GEN" "$DUMP"
    if [ "$H_STATUS" = ok ]; then
        if ! types_ok ok "$nodes"; then H_STATUS="no $nodes main.treeNode"
        elif ! grep -q 'RETAINED' "$WORK/out"; then H_STATUS="no retained column"; fi
    fi
    ours_row "--types --retained --program"
    row "  / --top (target <= 1.2x)" "$(target_ratio "$H_TIME" "$tt" "$H_STATUS" "$ts" 1.2)" "" ""
    qs=$H_STATUS; qa=$H_ANON
    record types-retained "$n"
    rm -f "$WORK/out"

    # 9. --base: two dumps of this size generated separately, against one load.
    if { [ "$n" -eq 1000000 ] || [ "$n" -ge 10000000 ]; } && [ "$n" -le "$BENCH_BASE_MAX_N" ]; then
        base_row "$n"
    fi

    # Memory per object: peak RssAnon, what the process holds beyond the
    # mapped dump (valid too when it gives file pages back before a later
    # phase, where peak RSS minus the file would not be).
    echo
    echo "memory beyond the mapped dump: peak RssAnon per object ($objects objects)"
    mem_line "load+index" "$la" "$ls" ""
    mem_line "--anchors" "$aa" "$as" 48
    mem_line "--types" "$ya" "$ys" 48
    mem_line "--top $BENCH_TOP" "$ta" "$ts" 80
    mem_line "--leaks" "$ka" "$ks" 80
    if [ "$ls" = ok ]; then
        awk -v a="$la" -v o="$objects" -v e="$edges" 'BEGIN {
            a *= 1024; budget = 40 * o + 8 * e
            printf "  budget 40 B/object + 8 B/edge: %.1f B/object (%.0f MB); load+index uses %.0f%% of it\n", budget / o, budget / 1e6, 100 * a / budget
        }'
    fi
    if [ "$ys" = ok ] && [ "$as" = ok ]; then
        awk -v y="$ya" -v a="$aa" -v o="$objects" 'BEGIN {
            d = (y - a) * 1024
            printf "  --types beyond --anchors: %.1f B/object (%.1f MB; target <= 4 B/object: %s)\n", d / o, d / 1e6, d / o <= 4 ? "met" : "missed"
        }'
    fi
    if [ "$qs" = ok ] && [ "$ts" = ok ]; then
        awk -v y="$qa" -v a="$ta" -v o="$objects" 'BEGIN {
            d = (y - a) * 1024
            printf "  --types --retained beyond --top: %.1f B/object (%.1f MB)\n", d / o, d / 1e6
        }'
    fi
}

# load_rows ADDR LABEL — the table's header, then both tools' --address ADDR
# --hexdump on $DUMP (a query that needs the whole model but prints little) as one row.
load_rows() {
    echo
    row "" "heapspurs" "$( [ "$SHOW_ORIG" = 1 ] && echo original)" "$( [ "$SHOW_ORIG" = 1 ] && echo 'orig/ours')"
    ours --quiet --address "$1" --hexdump "$DUMP"
    check_ours '^00000000 ' "no hexdump"
    theirs --address "$1" --hexdump "$DUMP"
    check_theirs '^00000000 ' "no hexdump"
    pair_row "$2"
}

# base_row N — heapspurs --base DUMP DUMP2 on the N dump and a second one
# (rev 2), against the load+index row: time over one load's (target <=
# 2.5x), peak RssAnon over two loads' (target <= 1x). Uses bench_one's
# DUMP, bytes, nodes, lt, ls and la.
base_row() {
    b_old=$DUMP; b_facts=$FACTS
    ensure_dump tree "$1" 2
    b_new=$DUMP
    DUMP=$b_old; FACTS=$b_facts
    avail_kb=$(awk '/^MemAvailable/ { print $2 }' /proc/meminfo)
    awk -v b="$bytes" -v a="$avail_kb" 'BEGIN { exit !(2 * b / 1024 > 0.8 * a) }' &&
        echo "   (the two dumps, $((2 * bytes / 1048576)) MB, hardly fit in the page cache: $((avail_kb / 1024)) MB available; reading from disk may count)"
    cat "$b_old" "$b_new" >/dev/null
    ours --quiet --base "$b_old" "$b_new"
    # The last row totals the live objects of both: at least the tree's in each.
    [ "$H_STATUS" != ok ] || awk -v n="$nodes" '$(NF-1) == "total" && $NF == "live" && $1 >= n && $3 >= n { ok = 1 } END { exit !ok }' \
        "$WORK/out" || H_STATUS="no total live row"
    ours_row "--base (two $1-node dumps)"
    if [ "$H_STATUS" = ok ] && [ "$ls" = ok ]; then
        b_t=$(awk -v a="$H_TIME" -v b="$lt" 'BEGIN { printf "%.3f", a / b }')
        b_m=$(awk -v a="$H_ANON" -v l="$la" 'BEGIN { printf "%.3f", a / (2 * l) }')
        row "  / load+index (target <= 2.5x)" "${b_t}x ($(within "$b_t" 2.5))" "" ""
        row "  RssAnon / 2 x load's (target <= 1x)" "${b_m}x ($(within "$b_m" 1))" "" ""
        summary "N=$1: --base ${b_t}x the time of one load+index (target <= 2.5x: $(within "$b_t" 2.5)); peak RssAnon ${b_m}x two loads' (target <= 1x: $(within "$b_m" 1))"
    fi
    record base "$1"
}

# mem_line LABEL ANON_KB STATUS TARGET — one command's peak RssAnon per object, against TARGET B/object.
mem_line() {
    if [ "$3" != ok ]; then printf '  %-22s %s\n' "$1" "$3"; return; fi
    v=$(awk -v k="$2" -v o="$objects" 'BEGIN { printf "%.1f", k * 1024 / o }')
    mb=$(awk -v k="$2" 'BEGIN { printf "%.0f MB", k / 1024 }')
    if [ -n "$4" ]; then
        printf '  %-22s %s B/object (%s; target <= %s B/object: %s)\n' "$1" "$v" "$mb" "$4" "$(within "$v" "$4")"
        summary "N=$n: $1 peak RssAnon $v B/object (target <= $4: $(within "$v" "$4"))"
    else
        printf '  %-22s %s B/object (%s)\n' "$1" "$v" "$mb"
    fi
}

# growth_section — with several BENCH_N, each command's time at each size
# over its time at 10M nodes (or at the smallest size when 10M is not among
# them): linear growth is N / 10M; the target allows a tenth more (<= 11x
# from 10M to 100M).
growth_section() {
    [ "$(echo "$BENCH_N" | wc -w)" -gt 1 ] || return 0
    ref=
    for n in $BENCH_N; do [ "$n" -eq 10000000 ] && ref=$n; done
    if [ -z "$ref" ]; then
        for n in $BENCH_N; do [ -z "$ref" ] || [ "$n" -lt "$ref" ] && ref=$n; done
    fi
    echo
    echo "== growth with the dump's size: each command's time over its time at N = $ref tree nodes"
    echo "   (linear: N / $ref; target <= 1.1 x N / $ref above it, e.g. <= 11x from 10M to 100M;"
    echo "   the dumps' objects, the chain's included, grow as the (objects) row says)"
    echo
    awk -v ref="$ref" -v sizes="$BENCH_N" -v sumfile="$WORK/summary" '
        function size(n) { return n % 1000000 == 0 ? n / 1000000 "M" : n }
        { t[$1, $2] = $3; st[$1, $2] = $4; if (!($1 in seen)) { seen[$1] = 1; keys[++nk] = $1 } }
        END {
            ns = split(sizes, n, " ")
            label["load"] = "load+index"; label["anchors"] = "--anchors"; label["owners"] = "--owners -1"
            label["svg"] = "SVG"; label["top"] = "--top"; label["leaks"] = "--leaks"; label["types"] = "--types"
            label["types-retained"] = "--types --retained"; label["base"] = "--base"; label["objects"] = "(objects)"
            printf "%-20s", "command"
            for (i = 1; i <= ns; i++) printf " %26s", "N = " size(n[i])
            printf "\n"
            for (k = 1; k <= nk; k++) {
                key = keys[k]
                printf "%-20s", (key in label ? label[key] : key)
                for (i = 1; i <= ns; i++) {
                    c = "-"
                    # Tested with "in" first: reading st[key, n] would make the entry.
                    if (!((key, n[i]) in st)) c = "not run"
                    else if (st[key, n[i]] != "ok") c = "failed"
                    else if (((key, ref) in st) && st[key, ref] == "ok" && t[key, ref] > 0) {
                        r = t[key, n[i]] / t[key, ref]
                        c = sprintf("%.2fx", r)
                        if (n[i] > ref && key != "objects") {
                            lim = 1.1 * n[i] / ref
                            c = c sprintf(" (<= %.3gx: %s)", lim, (r <= lim ? "met" : "missed"))
                            summary[++ns2] = sprintf("growth %s, N = %s over N = %s: %s", (key in label ? label[key] : key), size(n[i]), size(ref), c)
                        }
                    }
                    printf " %26s", c
                }
                printf "\n"
            }
            for (i = 1; i <= ns2; i++) print summary[i] >>sumfile
        }' "$WORK/results"
}

# cold_section — with BENCH_COLD=1 (root: it drops the page cache of the
# whole machine), --anchors on the largest BENCH_N dump right after the
# dump was read into an emptied page cache by cat (read(), no process has
# mapped it yet), then again (warm): wall, user and system time of both.
cold_section() {
    [ "$BENCH_COLD" = 1 ] || return 0
    big=
    for n in $BENCH_N; do [ -z "$big" ] || [ "$n" -gt "$big" ] && big=$n; done
    ensure_dump tree "$big" 1
    leaf=$(fact tree.leaf.addr)
    echo
    echo "== cold start: --anchors on $DUMP, its first mapping after the page cache was dropped"
    echo "   sync; echo 3 >/proc/sys/vm/drop_caches; heapspurs --version (the program and its libraries back"
    echo "   in the cache); cat DUMP >/dev/null (the dump read into the cache, not mapped); then one run, then another"
    if [ "$(id -u)" != 0 ]; then
        echo "   (needs root to drop the page cache: skipped)"
        return 0
    fi
    echo
    sync
    if ! echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then
        echo "   (cannot write /proc/sys/vm/drop_caches: skipped)"
        return 0
    fi
    "$HEAPSPURS" --version >/dev/null 2>&1
    c_runs=$BENCH_RUNS; BENCH_RUNS=1
    measure ours cat "$DUMP"
    c_ct=$M_TIME; c_cs=$M_STATUS
    measure ours "$HEAPSPURS" --quiet --address "$leaf" --anchors "$DUMP"
    check_cold
    c_t=$M_TIME; c_u=$M_USER; c_y=$M_SYS; c_s=$M_STATUS; c_r=$M_RSS; c_a=$M_ANON
    measure ours "$HEAPSPURS" --quiet --address "$leaf" --anchors "$DUMP"
    check_cold
    BENCH_RUNS=$c_runs
    row "" "wall" "user + system" ""
    if [ "$c_cs" = ok ]; then
        row "cat DUMP (from disk)" "$(printf '%.3f s' "$c_ct")" "" \
            "$(awk -v b="$(wc -c <"$DUMP")" -v t="$c_ct" 'BEGIN { printf "%.0f MB/s", b / 1e6 / t }')"
    else
        row "cat DUMP (from disk)" "$c_cs" "" ""
    fi
    if [ "$c_s" = ok ]; then
        row "--anchors, cold" "$(printf '%.3f s' "$c_t")" "$(printf '%.2f + %.2f s' "$c_u" "$c_y")" "$(cell_mem "$c_r" "$c_a" ok)"
    else
        row "--anchors, cold" "$c_s" "" ""
    fi
    if [ "$M_STATUS" = ok ]; then
        row "--anchors, warm" "$(printf '%.3f s' "$M_TIME")" "$(printf '%.2f + %.2f s' "$M_USER" "$M_SYS")" "$(cell_mem "$M_RSS" "$M_ANON" ok)"
    else
        row "--anchors, warm" "$M_STATUS" "" ""
    fi
    if [ "$c_s" = ok ] && [ "$M_STATUS" = ok ]; then
        c_line=$(awk -v c="$c_t" -v w="$M_TIME" -v cs="$c_y" -v ws="$M_SYS" 'BEGIN {
            printf "%.2fx the wall time, %+.3f s of system time", c / w, cs - ws }')
        echo "  cold / warm: $c_line"
        summary "N=$big: cold --anchors $(printf '%.3f s (%.2f user, %.2f sys)' "$c_t" "$c_u" "$c_y"), warm $(printf '%.3f s (%.2f user, %.2f sys)' "$M_TIME" "$M_USER" "$M_SYS")"
    fi
}

# check_cold — the last --anchors run named a bss anchor, or M_STATUS says it did not.
check_cold() { [ "$M_STATUS" != ok ] || grep -Eq 'bss slot|BssSegment|global ' "$WORK/out" 2>/dev/null || M_STATUS="no bss anchor"; }

# shape_one SHAPE — load+index and --anchors on query.addr of the SHAPE dump
# of BENCH_SHAPE_N, heapspurs then the original; one line to $WORK/shapes.
shape_one() {
    ensure_dump "$1" "$BENCH_SHAPE_N" 1
    q=$(fact query.addr)
    objects=$(fact heapobjects)
    USE_ORIG=$SHOW_ORIG
    [ "$BENCH_SHAPE_N" -le "$ORIG_MAX_N" ] || USE_ORIG=0
    echo
    echo "== shape $1: $DUMP"
    dump_line
    echo "   query.addr $q: $(fact query.what), depth $(fact query.depth) from its global"
    warm_up "$q"
    load_rows "$q" "load+index (--hexdump)"
    s_lh=$H_TIME; s_ls=$H_STATUS; s_lo=$O_TIME; s_los=$O_STATUS
    ours --quiet --address "$q" --anchors "$DUMP"
    check_ours 'bss slot|BssSegment|global ' "no bss anchor"
    s_lines=$(wc -l <"$WORK/out" | tr -d ' ')
    theirs --address "$q" --anchors "$DUMP"
    check_theirs 'BssSegment' "no bss anchor"
    pair_row "--anchors" 30
    [ "$H_STATUS" = ok ] && row "  its output" "$s_lines lines" "" ""
    [ "$H_STATUS" = ok ] && [ "$s_ls" = ok ] &&
        row "  --anchors - load+index" "$(awk -v a="$H_TIME" -v b="$s_lh" 'BEGIN { printf "%+.3f s", a - b }')" "" ""
    if [ "$H_STATUS" = ok ]; then
        v=$(awk -v k="$H_ANON" -v o="$objects" 'BEGIN { printf "%.1f", k * 1024 / o }')
        row "  RssAnon per object" "$v B/object" "" "target <= 48: $(within "$v" 48)"
    else v=-; fi
    phases_row --address "$q" --anchors "$DUMP"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$(fact dump.bytes)" "$objects" \
        "${s_lh:--}" "$s_ls" "${s_lo:--}" "$s_los" "${H_TIME:--}" "$H_STATUS" "${O_TIME:--}" "$O_STATUS" "$v" >>"$WORK/shapes"
}

# shapes_section — every shape of BENCH_SHAPES, then their summary table.
shapes_section() {
    [ "$BENCH_SHAPES" = none ] && return 0
    echo
    echo "== shapes: heapspurs (and the original) on the same dumps of $BENCH_SHAPE_N objects each (tree: $BENCH_SHAPE_N nodes"
    echo "   with the chain and the owners), one after the other, best of $BENCH_RUNS runs after an untimed one of heapspurs;"
    echo "   --anchors on each dump's query.addr"
    # The original runs on these dumps when it is there and BENCH_SHAPE_N <= ORIG_MAX_N.
    s_orig=$SHOW_ORIG
    [ "$BENCH_SHAPE_N" -le "$ORIG_MAX_N" ] || s_orig=0
    : >"$WORK/shapes"
    for s in $BENCH_SHAPES; do
        shape_one "$s"
    done
    echo
    if [ "$s_orig" = 1 ]; then
        echo "== shapes, summary: original time / heapspurs time (target on --anchors: >= 30x on every shape)"
    else
        echo "== shapes, summary: heapspurs' times (no original to compare with)"
    fi
    echo
    printf '%-8s %9s %10s %14s %40s %22s\n' shape "dump MB" objects "load+index" "--anchors" "RssAnon (--anchors)"
    while IFS="$TAB" read -r s_name s_bytes s_obj s_lh s_ls s_lo s_los s_ah s_as s_ao s_aos s_v; do
        l=$(speedup "$s_lo" "$s_lh" "$s_los" "$s_ls")
        a=$(speedup "$s_ao" "$s_ah" "$s_aos" "$s_as" 30)
        [ "$s_los" = ok ] || [ "$s_los" = skip ] || l="original: $s_los"
        [ "$s_aos" = ok ] || [ "$s_aos" = skip ] || a="original: $s_aos"
        [ "$s_ls" = ok ] || l=$s_ls
        [ "$s_as" = ok ] || a=$s_as
        # Without the original, heapspurs' times.
        if [ "$s_orig" = 0 ]; then
            [ "$s_ls" = ok ] && l=$(printf '%.3f s' "$s_lh")
            [ "$s_as" = ok ] && a=$(printf '%.3f s' "$s_ah")
        fi
        m="$s_v B/object"; [ "$s_v" = - ] && m=-
        printf '%-8s %9.1f %10s %14s %40s %22s\n' "$s_name" "$(awk -v b="$s_bytes" 'BEGIN { print b / 1e6 }')" "$s_obj" "$l" "$a" "$m"
        [ "$s_orig" = 1 ] && summary "shape $s_name: original / heapspurs, --anchors $a; load+index $l"
        [ "$s_v" = - ] || summary "shape $s_name: --anchors peak RssAnon $s_v B/object (target <= 48: $(within "$s_v" 48))"
    done <"$WORK/shapes"
}

# types_ok STATUS NODES — the --types table in $WORK/out counts NODES main.treeNode objects.
types_ok() {
    [ "$1" = ok ] && awk -v n="$2" '$NF == "main.treeNode" && $2 == n { found = 1 } END { exit !found }' "$WORK/out" 2>/dev/null
}

# target_ratio TIME REF_TIME STATUS REF_STATUS TARGET — "1.234x (met)" or "1.876x (missed)".
target_ratio() {
    if [ "$3" = ok ] && [ "$4" = ok ]; then
        awk -v a="$1" -v b="$2" -v t="$5" 'BEGIN { if (b > 0) printf "%.3fx (%s)", a / b, (a / b <= t ? "met" : "missed"); else printf "-" }'
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
    echo "original:  $(orig_description) (timeout ${ORIG_TIMEOUT} s, address space ${ORIG_VMEM_KB} KB per run; up to ORIG_MAX_N=$ORIG_MAX_N tree nodes)"
else
    echo "original:  not installed (make bench HEAPSPURS_ORIG_SRC=CHECKOUT, or HEAPSPURS_ORIG=PATH)"
fi
for n in $BENCH_N; do
    bench_one "$n"
done
growth_section
cold_section
shapes_section
dwarf_section
goroutines_section
if [ -s "$WORK/summary" ]; then
    echo
    echo "== targets, as measured in this run"
    cat "$WORK/summary"
fi
