# t_corpus.sh — corrupt dumps derived from a real dump (tests/corpus/make-corpus.py) and fuzzing regressions:
# exit status as the MANIFEST says, one clear stderr line, no sanitizer report, no output file left, bounded time and memory.

CORPUS=$TMP/corpus
if ! command -v python3 >/dev/null 2>&1; then
    skip "corpus" "python3 is not installed"
elif ! python3 tests/corpus/make-corpus.py "$CORPUS" >"$TMP/make.err" 2>&1; then
    fail "corpus: make-corpus.py" "$(head -c 400 "$TMP/make.err")"
else
    pass "corpus: make-corpus.py wrote $(grep -vc '^#' "$CORPUS/MANIFEST") cases"
fi

# Address memory limit: 4 GB, unless the binary cannot start under it (ASan reserves terabytes of shadow).
memory_limit 4000
if [ -z "$LIMIT" ]; then
    echo "# corpus: $HS does not start under ulimit -v (sanitizer build); ASAN_OPTIONS=$ASAN_OPTIONS instead"
fi

# run_case OUTPUT ARGS...: heapspurs under the limits; stdout to OUTPUT, stderr to $TMP/case.err, status in $RC.
run_case() {
    output=$1
    shift
    if [ "${VALGRIND:-}" = 1 ]; then
        sh -c "$LIMIT exec timeout 120 valgrind -q --error-exitcode=99 --leak-check=full \"\$@\"" sh "$HS" "$@" \
            >"$output" 2>"$TMP/case.err"
    else
        sh -c "$LIMIT exec timeout 20 \"\$@\"" sh "$HS" "$@" >"$output" 2>"$TMP/case.err"
    fi
    RC=$?
}

SANITIZER_TEXT='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error|==[0-9]+=='
ERROR_TEXT='^heapspurs: .*(offset [0-9]+.*record|gzip data .*offset [0-9]+|truncated|not a (Go )?heap dump)'
rm -f "$TMP/bad_status" "$TMP/bad_stderr" "$TMP/bad_sanitizer" "$TMP/bad_output" "$TMP/bad_warning" "$TMP/bad_query"
cases=0; queries=0; no_query=""

# note LIST CASE WHAT: records one problem in the file $TMP/LIST (the first 12 are kept).
note() {
    if [ ! -f "$TMP/$1" ] || [ "$(wc -l <"$TMP/$1")" -lt 12 ]; then
        printf '%s: %s\n' "$2" "$3" | tr -d '\r' | head -n 1 >>"$TMP/$1"
    fi
}

if [ -f "$CORPUS/MANIFEST" ]; then
    address=$(cat "$CORPUS/ADDRESS")
    n=0
    grep -v '^#' "$CORPUS/MANIFEST" >"$TMP/manifest"
    while read -r name want stderr_kind description; do
        n=$((n + 1))
        # Under valgrind, every truncation would take minutes: keep one in 25.
        if [ "${VALGRIND:-}" = 1 ]; then
            case $name in cut-*) [ $((n % 25)) -eq 0 ] || continue ;; esac
        fi
        cases=$((cases + 1))
        file=$CORPUS/$name
        run_case "$TMP/case.stdout" --print -o "$TMP/case.out" "$file"
        if [ "$RC" != "$want" ]; then note bad_status "$name" "exit $RC, want $want ($description): $(head -c 200 "$TMP/case.err")"; fi
        if grep -Eq "$SANITIZER_TEXT" "$TMP/case.err"; then note bad_sanitizer "$name" "$(grep -E -m1 "$SANITIZER_TEXT" "$TMP/case.err")"; fi
        if [ "$want" = 1 ]; then
            lines=$(wc -l <"$TMP/case.err")
            if [ "$lines" -ne 1 ] || ! grep -Eq "$ERROR_TEXT" "$TMP/case.err"; then
                note bad_stderr "$name" "$lines lines: $(head -c 200 "$TMP/case.err")"
            fi
            if [ -e "$TMP/case.out" ]; then note bad_output "$name" "--output file left behind"; fi
        fi
        if [ "$stderr_kind" = warning ] && ! grep -q 'warning' "$TMP/case.err"; then
            note bad_warning "$name" "no warning on stderr ($description)"
        fi
        rm -f "$TMP/case.out"
        # The query path (index, owners, anchors) on the same input, when this build has it; truncations
        # fail in the same parser as --print, so one in ten of them is enough.
        case $name in cut-*) [ $((n % 10)) -eq 0 ] || continue ;; esac
        if [ -z "$no_query" ]; then
            run_case "$TMP/case.stdout" --address "$address" --anchors "$file"
            if [ "$RC" = 2 ]; then
                no_query="--address --anchors: exit 2 ($(head -c 120 "$TMP/case.err"))"
                continue
            fi
            queries=$((queries + 1))
            if grep -Eq "$SANITIZER_TEXT" "$TMP/case.err"; then note bad_sanitizer "$name (--address)" "$(grep -E -m1 "$SANITIZER_TEXT" "$TMP/case.err")"; fi
            if [ "$want" = 1 ]; then
                lines=$(wc -l <"$TMP/case.err")
                if [ "$RC" != 1 ] || [ "$lines" -ne 1 ] || ! grep -Eq "$ERROR_TEXT" "$TMP/case.err"; then
                    note bad_query "$name" "exit $RC, $lines stderr lines: $(head -c 200 "$TMP/case.err")"
                fi
            elif [ "$RC" != 0 ] && [ "$RC" != 1 ]; then
                note bad_query "$name" "exit $RC ($description): $(head -c 200 "$TMP/case.err")"
            fi
        fi
    done <"$TMP/manifest"
fi

# Inputs the fuzzer found: any status but 0 or 1, or a sanitizer report, is a failure.
for file in tests/corpus/regress/*; do
    [ -f "$file" ] || continue
    case $file in *.md|*.txt) continue ;; esac
    cases=$((cases + 1))
    run_case "$TMP/case.stdout" --print "$file"
    if [ "$RC" != 0 ] && [ "$RC" != 1 ]; then note bad_status "$file" "exit $RC: $(head -c 200 "$TMP/case.err")"; fi
    if grep -Eq "$SANITIZER_TEXT" "$TMP/case.err"; then note bad_sanitizer "$file" "$(grep -E -m1 "$SANITIZER_TEXT" "$TMP/case.err")"; fi
    if [ "$RC" = 1 ] && [ "$(wc -l <"$TMP/case.err")" -ne 1 ]; then note bad_stderr "$file" "$(head -c 200 "$TMP/case.err")"; fi
done

# Edges: scripted checks of what some generated cases must print, each under run_case's time and memory bounds.
# edge_check CASE REGEX NAME ARGS...: heapspurs ARGS on the corpus file CASE; its stdout must match REGEX.
edge_check() {
    edge_file=$CORPUS/$1 edge_regex=$2 edge_name=$3
    shift 3
    if [ ! -f "$edge_file" ]; then fail "edge: $edge_name" "no corpus file $edge_file"; return; fi
    run_case "$TMP/edge.out" "$@" "$edge_file"
    if [ "$RC" = 0 ] && grep -Eq -- "$edge_regex" "$TMP/edge.out"; then pass "edge: $edge_name"; else
        fail "edge: $edge_name" "exit $RC, want 0 and a line matching $edge_regex" "stdout: $(head -c 300 "$TMP/edge.out")" \
            "stderr: $(head -c 300 "$TMP/case.err")"; fi
}
if [ -f "$CORPUS/MANIFEST" ]; then
    edge_check top-page '^Live: 200 objects, 3200 bytes' "a heap in the top page of the address space: all 200 objects live" \
        --top 1
    edge_check top-page 'level 199\) Object @ 0xffffffffffffe000 with 1 pointers in 16 bytes \[pointer at \+0x0\]$' \
        "a heap in the top page: the last object's owner is found" --address 0xffffffffffffec70 --owners 199
    # Reads bounded by what a dump can be: a device or a stream that is no dump stops at its header; one that
    # claims to be is read up to --max-inflate; a gzip bomb (11 GiB in 11 MB) is inflated up to --max-inflate.
    # edge_fails NAME REGEX: the run just made exited 1 with one stderr line matching REGEX.
    edge_fails() {
        if [ "$RC" = 1 ] && [ "$(wc -l <"$TMP/case.err")" -eq 1 ] && grep -Eq -- "$2" "$TMP/case.err"; then
            pass "edge: $1"
        else
            fail "edge: $1" "exit $RC, want 1 and one line matching $2" "stderr: $(head -c 300 "$TMP/case.err")"
        fi
    }
    run_case "$TMP/edge.out" --print /dev/zero
    edge_fails "/dev/zero as the dump: refused at its header" '^heapspurs: /dev/zero: offset 0: not a Go heap dump'
    sh -c "$LIMIT exec timeout 20 \"\$@\" --print - </dev/zero" sh "$HS" >"$TMP/edge.out" 2>"$TMP/case.err"; RC=$?
    edge_fails "/dev/zero as standard input: refused at its header" '^heapspurs: -: offset 0: not a Go heap dump'
    (printf 'go1.7 heap dump\n'; cat /dev/zero) |
        sh -c "$LIMIT exec timeout 20 \"\$@\" --max-inflate 16M --print -" sh "$HS" >"$TMP/edge.out" 2>"$TMP/case.err"
    RC=$?
    edge_fails "an endless stream with a dump header: refused at --max-inflate" \
        '^heapspurs: -: is more than 16 MiB to read into memory from a pipe or device \(--max-inflate 16M\); give a larger --max-inflate to read it$'
    run_case "$TMP/edge.out" --max-inflate 256M --print "$CORPUS/edge-gzip-bomb"
    edge_fails "a gzip bomb: refused at --max-inflate" \
        "^heapspurs: $CORPUS/edge-gzip-bomb: inflates to more than 256 MiB \\(--max-inflate 256M\\); give a larger --max-inflate to read it$"
    sh -c "$LIMIT exec timeout 20 \"\$@\" --max-inflate 256M --top 1 - <\"$CORPUS/edge-gzip-bomb\"" sh "$HS" \
        >"$TMP/edge.out" 2>"$TMP/case.err"; RC=$?
    edge_fails "a gzip bomb as standard input: refused at --max-inflate" '^heapspurs: -: inflates to more than 256 MiB'
    cat "$CORPUS/edge-gzip-bomb" | sh -c "$LIMIT exec timeout 20 \"\$@\" --max-inflate 256M --top 1 -" sh "$HS" \
        >"$TMP/edge.out" 2>"$TMP/case.err"; RC=$?
    edge_fails "a gzip bomb through a pipe: refused at --max-inflate" '^heapspurs: -: inflates to more than 256 MiB'

    run_case "$TMP/edge.out" --oid /dev/zero --top 1 "$CORPUS/top-page"
    edge_fails "--oid /dev/zero: refused at 64 MiB" '^heapspurs: /dev/zero: OID file is larger than 64 MiB; '
    head -c 67108865 /dev/zero | sh -c "$LIMIT exec timeout 20 \"\$@\" --oid /dev/stdin --top 1 \"$CORPUS/top-page\"" sh "$HS" \
        >"$TMP/edge.out" 2>"$TMP/case.err"; RC=$?
    edge_fails "--oid from a pipe of 64 MiB and a byte: refused" '^heapspurs: /dev/stdin: OID file is larger than 64 MiB; '

    # A program file cut short: exit 0 with a warning (none with --quiet).
    head -c "$(($(wc -c <testdata/bin/leak-go1.19.8) - 1000))" testdata/bin/leak-go1.19.8 >"$TMP/cut-program"
    run_case "$TMP/edge.out" --print --program "$TMP/cut-program" "$CORPUS/edge-objects-only"
    if [ "$RC" = 0 ] && [ "$(wc -l <"$TMP/case.err")" -eq 1 ] &&
        grep -Eq '^heapspurs: warning: .*cut-program: the file is cut short: it has [0-9]+ bytes, its headers need [0-9]+ \(1 section cut\); the symbol table' "$TMP/case.err"; then
        pass "edge: a program file cut short: a warning"
    else
        fail "edge: a program file cut short: a warning" "exit $RC" "stderr: $(head -c 300 "$TMP/case.err")"
    fi
    run_case "$TMP/edge.out" --quiet --print --program "$TMP/cut-program" "$CORPUS/edge-objects-only"
    if [ "$RC" = 0 ] && [ ! -s "$TMP/case.err" ]; then pass "edge: a program file cut short: no warning with --quiet"
    else fail "edge: a program file cut short: no warning with --quiet" "exit $RC: $(head -c 300 "$TMP/case.err")"; fi
    # Bytes after the gzip data: a warning.
    gzip -c "$CORPUS/edge-objects-only" >"$TMP/trailing.gz"
    printf 'garbage\n' >>"$TMP/trailing.gz"
    run_case "$TMP/edge.out" --print "$TMP/trailing.gz"
    if [ "$RC" = 0 ] && grep -Eq "^heapspurs: warning: .*trailing.gz: 8 bytes after the gzip data were ignored$" "$TMP/case.err"; then
        pass "edge: bytes after the gzip data: a warning"
    else
        fail "edge: bytes after the gzip data: a warning" "exit $RC" "stderr: $(head -c 300 "$TMP/case.err")"
    fi

    # Hostile names: text output holds no control character and only UTF-8; JSON parses from strict UTF-8.
    for args in "--print" "--print --format json" "--address 0xc000000000 --anchors" \
        "--address 0xc000000000 --anchors --format json" "--address 0xc000000000 --owners 1 --format json"; do
        # shellcheck disable=SC2086 # args is a list
        run_case "$TMP/edge.out" $args "$CORPUS/hostile-names"
        if [ "$RC" = 0 ] && python3 -c '
import json, re, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")
if "json" in sys.argv[2]:
    for line in text.splitlines():
        json.loads(line)
elif re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", text):
    sys.exit("a control character in the text")' "$TMP/edge.out" "$args" 2>"$TMP/check.err"; then
            pass "edge: hostile names, $args: safe output"
        else
            fail "edge: hostile names, $args: safe output" "exit $RC: $(tail -n 1 "$TMP/check.err")"
        fi
    done

    # A path of 4000 bytes: the message shortens it, never the offset and the reason after it.
    deep=$TMP/deep
    for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
        deep=$deep/$(printf "%0250d" "$i")
    done
    mkdir -p "$deep"
    cp "$CORPUS/cut-inside-000" "$deep/cut.dump"
    run_case "$TMP/edge.out" --print "$CORPUS/cut-inside-000"
    reason=$(sed "s|^heapspurs: $CORPUS/cut-inside-000||" "$TMP/case.err")
    run_case "$TMP/edge.out" --print "$deep/cut.dump"
    got=$(cat "$TMP/case.err")
    case $got in
    "heapspurs: $TMP/deep/0"*"...0"*"16/cut.dump$reason")
        if [ "$(wc -l <"$TMP/case.err")" -eq 1 ] && [ ${#got} -le 1035 ] && [ -n "$reason" ]; then
            pass "edge: a ${#deep}-byte path is shortened in the message; the offset and the reason are whole"
        else
            fail "edge: a ${#deep}-byte path is shortened in the message" "${#got} bytes: $(head -c 300 "$TMP/case.err")"
        fi ;;
    *) fail "edge: a ${#deep}-byte path is shortened in the message" "want ...$reason" "got $(tail -c 300 "$TMP/case.err")" ;;
    esac
fi

# report LIST NAME: one test line per check, with the problems noted in $TMP/LIST.
report() {
    if [ ! -s "$TMP/$1" ]; then pass "$2"; return; fi
    old_ifs=$IFS
    IFS='
'
    set -f
    # shellcheck disable=SC2046
    fail "$2" $(cat "$TMP/$1")
    set +f
    IFS=$old_ifs
}
if [ "$cases" -gt 0 ]; then
    report bad_status "corpus: $cases inputs exit with the status the MANIFEST gives (timeout 20 s${LIMIT:+, ulimit -v 4 GB})"
    report bad_stderr "corpus: damaged inputs print exactly one stderr line naming the offset and record"
    report bad_warning "corpus: warn-and-continue inputs print a warning"
    report bad_output "corpus: no --output file is left behind for damaged inputs"
    report bad_sanitizer "corpus: no sanitizer or valgrind report"
    if [ -n "$no_query" ]; then skip "corpus: --address --anchors" "$no_query"; else
        report bad_query "corpus: --address --anchors on $queries inputs: damaged ones exit 1 with one line"; fi
fi
