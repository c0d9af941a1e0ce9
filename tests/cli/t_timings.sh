# t_timings.sh — --timings: the answer unchanged, one line per phase that ran on standard error, and phases
# that add up to no more than the total.

D=$(dump_for types go1.26.8)
P=$BINS/types-go1.26.8
LEAF=$(fact "$DUMPS/types-go1.26.8.facts" obj.user0.addr)

# timings_check NAME WANTED_PHASES UNWANTED_PHASES ARGS...: runs ARGS with and without --timings; the standard
# output must be the same, the standard error of the timed run must end in the table, naming each of the
# wanted phases (separated by |) and none of the unwanted ones, every value a number, and the phases of the
# main thread (all but those on their "own thread") must add up to at most the total.
timings_check() {
    name=$1 wanted=$2 unwanted=$3
    shift 3
    hs "$@"
    cp "$TMP/out" "$TMP/plain.out"
    cp "$TMP/err" "$TMP/plain.err"
    hs --timings "$@"
    if [ "$RC" -ne 0 ]; then
        fail "$name: exit status $RC" "$(head -3 "$TMP/err")"
        return
    fi
    if cmp -s "$TMP/out" "$TMP/plain.out"; then pass "$name: the answer is the same"; else fail "$name: the answer changed"; fi
    if grep -q '^heapspurs: timings of ' "$TMP/plain.err"; then fail "$name: timings without --timings"; else pass "$name: no timings unless asked"; fi
    table=$TMP/timings
    sed -n '/^heapspurs: timings of /,$p' "$TMP/err" >"$table"
    if head -1 "$table" | grep -Fqx "heapspurs: timings of $D (wall seconds):"; then
        pass "$name: the table names the dump"
    else
        fail "$name: no table header" "$(head -3 "$TMP/err")"
    fi
    bad=$(awk 'NR > 1 && !/^  [a-zA-Z][a-zA-Z ,()]* +[0-9]+\.[0-9][0-9][0-9]$/' "$table")
    if [ -z "$bad" ]; then pass "$name: every row a phase and its seconds"; else fail "$name: rows not of the shape" "$bad"; fi
    old_ifs=$IFS
    IFS='|'
    for phase in $wanted; do
        shown=$(printf '%s' "$phase" | tr -d '\\')
        if grep -Eq "^  $phase +[0-9]" "$table"; then pass "$name: $shown timed"; else fail "$name: no $shown row" "$(cat "$table")"; fi
    done
    for phase in $unwanted; do
        shown=$(printf '%s' "$phase" | tr -d '\\')
        if grep -Eq "^  $phase +[0-9]" "$table"; then fail "$name: a $shown row, for a phase that did not run"; else pass "$name: no $shown row"; fi
    done
    IFS=$old_ifs
    sums=$(awk 'NR > 1 { v = $NF; $NF = ""; sub(/ +$/, ""); sub(/^ +/, "");
                          if ($0 == "total") total = v; else if ($0 !~ /own thread/) sum += v }
                END { printf "%.3f %.3f", sum, total }' "$table")
    if awk -v s="${sums% *}" -v t="${sums#* }" 'BEGIN { exit !(s <= t + 0.002) }'; then
        pass "$name: the phases add up to no more than the total ($sums)"
    else
        fail "$name: the phases add up to more than the total" "$sums"
    fi
}

timings_check "--anchors" "read records|sort objects|page index|pointer edges|reverse edges, reachability|query and output" \
    "dominator tree|program symbols|typing \(own thread\)|wait for typing" \
    --address "$LEAF" --anchors "$D"
timings_check "--top" "read records|dominator tree|query and output" "program symbols|typing \(own thread\)" \
    --top 5 "$D"
# The histograms need no edges: reachability comes from the slots.
timings_check "--types --program" \
    "program symbols|read records|wait for DWARF, check program|reachability \(no edges\)|wait for typing|DWARF types \(own thread\)|typing \(own thread\)" \
    "dominator tree|pointer edges|reverse edges, reachability" --types --program "$P" "$D"
timings_check "--types --retained" "pointer edges|reverse edges, reachability|dominator tree" "reachability \(no edges\)" \
    --types --retained --program "$P" "$D"
timings_check "--quiet still times" "read records|reachability \(no edges\)|query and output" "dominator tree|pointer edges" \
    --quiet --histogram "$D"

# A run that fails writes its error, not a table.
hs --timings --address 0x1 --anchors "$D"
if [ "$RC" -eq 1 ] && ! grep -q '^heapspurs: timings of ' "$TMP/err"; then
    pass "a failed run writes no timings"
else
    fail "a failed run: status $RC, or a timings table" "$(cat "$TMP/err")"
fi
