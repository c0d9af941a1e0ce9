# t_output.sh — outputs never destroy what the user has: the input dump, devices, links, FIFOs, an existing report; write errors are errors.
v=$(newest leak)
src=$(dump_for leak "$v")
facts=$DUMPS/leak-$v.facts
elem=$(fact "$facts" elem.0)
work=$TMP/output
mkdir -p "$work"
cp "$src" "$work/app.dump"
sum() { cksum <"$1"; }
before=$(sum "$work/app.dump")

# The input named as the output, directly or through a link, for several actions.
ln -s app.dump "$work/link.dump"
for args in "--print" "--top 3" "--sites" "--address $elem --anchors"; do
    # shellcheck disable=SC2086 # args is a list
    hs $args -o "$work/app.dump" "$work/app.dump"
    expect_rc 2 "$args -o the input: refused"
    expect_err '^heapspurs: .*app\.dump: the output is an input dump: refusing to write over it$' "$args -o the input: one line"
    # shellcheck disable=SC2086
    hs $args -o "$work/link.dump" "$work/app.dump"
    expect_rc 2 "$args -o a link to the input: refused"
done
expect_eq "$(sum "$work/app.dump")" "$before" "the input dump is untouched"
[ -L "$work/link.dump" ] && pass "the link to the input is still a link" || fail "the link to the input is still a link"
gzip -c "$work/app.dump" >"$work/app.dump.gz"
gz_before=$(sum "$work/app.dump.gz")
hs --print -o "$work/app.dump.gz" "$work/app.dump.gz"
expect_rc 2 "a gzip input named as the output: refused"
expect_eq "$(sum "$work/app.dump.gz")" "$gz_before" "the gzip input is untouched"
hs --base "$work/app.dump" --new -o "$work/app.dump" "$src"
expect_rc 2 "the --base dump named as the output: refused"
"$HS" --print "$work/app.dump" >>"$work/app.dump" 2>"$TMP/err"; RC=$?
expect_rc 2 "standard output appended to the input: refused"
expect_eq "$(sum "$work/app.dump")" "$before" "the input dump is still untouched"

# Devices are written in place, never replaced by a file.
hs --print -o /dev/null "$src"
expect_rc 0 "-o /dev/null works"
[ -c /dev/null ] && pass "/dev/null is still a character device" || fail "/dev/null is still a character device"
hs --address "$elem" -o /dev/null "$src"
expect_rc 0 "the graph to /dev/null works"
[ -c /dev/null ] && pass "/dev/null is still a character device after the graph" || fail "/dev/null replaced by the graph"
if [ -w /dev/full ]; then
    hs -q --address "$elem" -o /dev/full "$src"
    expect_rc 1 "the graph to /dev/full fails"
    expect_err '^heapspurs: /dev/full: .*No space left on device$' "the graph to /dev/full: one line"
    [ -c /dev/full ] && pass "/dev/full is still a character device" || fail "/dev/full replaced"
    "$HS" --print "$src" >/dev/full 2>"$TMP/err"; RC=$?
    expect_rc 1 "--print to a full standard output fails"
    expect_err '^heapspurs: standard output: write failed: No space left on device$' "--print >/dev/full: one line"
fi

# A link is followed: the target gets the report, the link stays.
echo old >"$work/target.svg"
ln -s target.svg "$work/link.svg"
hs -q --address "$elem" -o "$work/link.svg" "$src"
expect_rc 0 "the graph through a link"
[ -L "$work/link.svg" ] && pass "the link is still a link" || fail "the link was replaced"
grep -q '<svg' "$work/target.svg" && pass "the link's target holds the graph" || fail "the link's target holds the graph"
ln -s missing.txt "$work/dangling.txt"
hs --top 2 -o "$work/dangling.txt" "$src"
[ -L "$work/dangling.txt" ] && grep -q 'Live' "$work/missing.txt" && pass "a dangling link: its target is created, the link stays" ||
    fail "a dangling link: its target is created, the link stays"

# A FIFO is written in place.
mkfifo "$work/fifo"
cat "$work/fifo" >"$work/from-fifo" &
reader=$!
hs --top 2 -o "$work/fifo" "$src"
wait "$reader"
expect_rc 0 "--top to a FIFO"
[ -p "$work/fifo" ] && pass "the FIFO is still a FIFO" || fail "the FIFO was replaced"
grep -q 'Live' "$work/from-fifo" && pass "the FIFO's reader got the report" || fail "the FIFO's reader got the report"

# An existing report survives a failing run, and keeps its permissions on a good one.
echo "the old report" >"$work/report.txt"
chmod 640 "$work/report.txt"
hs --address 0x10 --anchors -o "$work/report.txt" "$src"
expect_rc 1 "a query that finds nothing fails"
expect_eq "$(cat "$work/report.txt")" "the old report" "the existing report is untouched by the failed run"
hs --address "$elem" --anchors -o "$work/report.txt" "$src"
expect_rc 0 "anchors to an existing report"
grep -q '^Anchored by' "$work/report.txt" && pass "the report was replaced by the new one" || fail "the report was replaced by the new one"
expect_eq "$(stat -c %a "$work/report.txt")" 640 "the replaced report keeps its permissions"
hs --top 2 -o "$work/no-such-dir/report.txt" "$src"
expect_rc 1 "a report in a missing directory fails"
expect_err '^heapspurs: .*no-such-dir/report\.txt: cannot create a temporary file beside it: No such file or directory$' \
    "a report in a missing directory: one line, before the dump is read"
expect_eq "$(ls -A "$work" | grep -c '^\.heapspurs-')" 0 "no temporary file is left behind"

# A killed run leaves no temporary file and no partial report.
chain=$(dump_for chain "$(newest chain)")
for sig in TERM INT HUP; do
    rm -f "$work/killed.txt"
    "$HS" --print -o "$work/killed.txt" "$chain" 2>/dev/null &
    pid=$!
    sleep 0.2
    kill -"$sig" "$pid" 2>/dev/null
    wait "$pid"
    expect_eq "$(ls -A "$work" | grep -c '^\.heapspurs-')" 0 "SIG$sig: no temporary file is left behind"
    if [ -e "$work/killed.txt" ]; then
        tail -n 1 "$work/killed.txt" | grep -q 'End Of File' && pass "SIG$sig: the report is whole or absent" ||
            fail "SIG$sig: the report is whole or absent"
    else
        pass "SIG$sig: the report is whole or absent"
    fi
done

# Standard output: a closed one and a broken pipe with SIGPIPE ignored are errors; a reader that stops is not.
"$HS" --print "$src" >&- 2>"$TMP/err"; RC=$?
expect_rc 1 "a closed standard output fails"
expect_err '^heapspurs: standard output: write failed: Bad file descriptor$' "a closed standard output: one line"
sh -c 'trap "" PIPE; "$1" --print "$2" 2>"$3" | head -n 1 >/dev/null; exit 0' sh "$HS" "$src" "$TMP/err"
grep -Eq '^heapspurs: standard output: write failed: Broken pipe$' "$TMP/err" && pass "a broken pipe with SIGPIPE ignored: one line" ||
    fail "a broken pipe with SIGPIPE ignored: one line" "$(head -c 300 "$TMP/err")"
"$HS" --print "$src" 2>"$TMP/err" | head -n 1 >/dev/null
expect_eq "$(wc -c <"$TMP/err" | tr -d ' ')" 0 "a reader that closes the pipe ends the run quietly"
