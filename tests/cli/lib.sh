# lib.sh — helpers for the CLI tests: run heapspurs, read facts the Go test programs wrote, count results.
# Each tests/cli/t_*.sh file is run in its own shell by run.sh with this file sourced first.

HS=${HEAPSPURS:-build/heapspurs}
DUMPS=testdata/dumps
BINS=testdata/bin
TMP=${TMPDIR:-/tmp}/heapspurs-test.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0
SKIPPED=0

pass() { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "not ok - $1"; shift; for line in "$@"; do echo "#   $line"; done; }

# check_lines FILE: a pass or fail for each "ok ..." / "not ok ..." line a checker script wrote to FILE,
# and a fail for any other line.
check_lines() {
    while IFS= read -r line; do
        case $line in
        "ok "*) pass "${line#ok }" ;;
        "not ok "*) fail "${line#not ok }" ;;
        *) fail "checker said: $line" ;;
        esac
    done <"$1"
}

# memory_limit MB: LIMIT becomes an "ulimit -v" of MB megabytes to prefix `sh -c` runs of $HS with; where $HS
# cannot start under it (ASan reserves terabytes of address space), LIMIT is empty and ASAN_OPTIONS bounds
# resident memory and single allocations to MB instead.
memory_limit() {
    LIMIT="ulimit -v $(($1 * 1000));"
    if ! sh -c "$LIMIT \"\$0\" --version" "$HS" >/dev/null 2>&1; then
        LIMIT=""
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=$1:max_allocation_size_mb=$1"
        export ASAN_OPTIONS
    fi
}
skip() { SKIPPED=$((SKIPPED + 1)); echo "skip - $1: $2"; }

# hs ARGS...: runs heapspurs; output in $TMP/out, errors in $TMP/err, exit status in $RC. Under VALGRIND=1,
# what graphviz and its font stack keep until exit is not reported (tests/valgrind.supp).
hs() {
    if [ "${VALGRIND:-}" = 1 ]; then
        valgrind -q --error-exitcode=99 --leak-check=full --suppressions="$(pwd)/tests/valgrind.supp" "$HS" "$@" \
            >"$TMP/out" 2>"$TMP/err"
    else
        "$HS" "$@" >"$TMP/out" 2>"$TMP/err"
    fi
    RC=$?
}

# fact FILE KEY: the value of KEY in a facts file written by a test program.
fact() { awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$1"; }

# dump_for NAME VERSION: path of the committed dump (plain or gzipped).
dump_for() {
    if [ -f "$DUMPS/$1-$2.dump" ]; then echo "$DUMPS/$1-$2.dump"; else echo "$DUMPS/$1-$2.dump.gz"; fi
}

# versions NAME: the Go versions for which a dump of NAME is committed.
versions() {
    ls "$DUMPS" | sed -n "s/^$1-\(go[0-9.]*\)\.facts$/\1/p" | sort -V
}

# newest NAME: the newest Go version with a dump of NAME.
newest() { versions "$1" | tail -n 1; }

expect_rc() { # expect_rc WANT NAME
    if [ "$RC" = "$1" ]; then pass "$2"; else fail "$2" "exit status $RC, want $1" "stderr: $(head -c 400 "$TMP/err")"; fi
}

expect_out() { # expect_out REGEX NAME: some line of stdout matches (grep -E)
    if grep -Eq -- "$1" "$TMP/out"; then pass "$2"; else fail "$2" "no stdout line matches: $1" "stdout starts: $(head -c 300 "$TMP/out")"; fi
}

expect_no_out() { # expect_no_out REGEX NAME
    if grep -Eq -- "$1" "$TMP/out"; then fail "$2" "a stdout line matches: $1" "$(grep -E -m1 -- "$1" "$TMP/out")"; else pass "$2"; fi
}

expect_err() { # expect_err REGEX NAME: stderr is one line matching REGEX
    lines=$(wc -l <"$TMP/err")
    if [ "$lines" -eq 1 ] && grep -Eq -- "$1" "$TMP/err"; then pass "$2"; else fail "$2" "want one stderr line matching $1" "got $lines lines: $(head -c 400 "$TMP/err")"; fi
}

expect_eq() { # expect_eq GOT WANT NAME
    if [ "$1" = "$2" ]; then pass "$3"; else fail "$3" "got '$1', want '$2'"; fi
}

finish() { echo "$PASSED $FAILED $SKIPPED" >"$RESULT_FILE"; }
