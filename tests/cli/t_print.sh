# t_print.sh — --print reads every committed dump of every Go version; its object count equals the dump's HeapObjects.

for dump in $DUMPS/*.dump $DUMPS/*.dump.gz; do
    name=$(basename "$dump")
    hs --print "$dump"
    if [ "$RC" != 0 ]; then
        fail "--print $name" "exit $RC: $(head -c 300 "$TMP/err")"
        continue
    fi
    objects=$(grep -c '^Object @' "$TMP/out")
    heap_objects=$(sed -n 's/^MemStats: {.* HeapObjects:\([0-9]*\) .*/\1/p' "$TMP/out")
    expect_eq "$objects" "$heap_objects" "--print $name: object records ($objects) = MemStats.HeapObjects"
    tail -n 1 "$TMP/out" | grep -qx 'End Of File' && pass "--print $name ends with End Of File" ||
        fail "--print $name ends with End Of File"
done

# The params line carries the Go version the program itself reported.
for facts in $DUMPS/leak-*.facts; do
    version=$(fact "$facts" goversion)
    hs --print "$(dump_for leak "$version")"
    expect_out "^DumpParams: BigEndian=false, PointerSize=8, Heap=0x[0-9a-f]+-0x[0-9a-f]+, Architecture=amd64, GoVersion=$version, Cpus=[0-9]+$" \
        "--print leak-$version: DumpParams line names $version"
done

# JSON Lines: every line parses, and the object records count the same.
v=$(newest leak)
hs --print --format json "$(dump_for leak "$v")"
n=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
objects = 0
for line in open(sys.argv[1]):
    record = json.loads(line)
    objects += record["record"] == "object"
print(objects)' "$TMP/out" 2>&1)
heap_objects=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["record"] == "memstats": print(r["HeapObjects"])' "$TMP/out")
expect_eq "$n" "$heap_objects" "--print --format json: valid JSON Lines, object records = HeapObjects"

# Options after the dump file work too (getopt permutes).
hs "$(dump_for leak "$v")" --print
expect_rc 0 "options after the dump file"

# A pointer slot in the BSS is named by --program: the global that holds the leaked slice.
for v in $(ls $BINS | sed -n 's/^leak-//p'); do
    facts=$DUMPS/leak-$v.facts
    hs --print --program "$BINS/leak-$v" "$(dump_for leak "$v")"
    expect_out "^  Pointer\[[0-9]+\]@$(fact "$facts" global.addr) \(main\.leaked\) = " "--print --program names main.leaked's slot ($v)"
done

# Broken input: one clear line, exit 1.
good=$(dump_for leak "$(newest leak)")
: >"$TMP/empty"
hs --print "$TMP/empty"; expect_rc 1 "empty file exits 1"; expect_err 'empty' "empty file: one line"
printf 'hello, world\n' >"$TMP/text"
hs --print "$TMP/text"; expect_rc 1 "not a dump exits 1"; expect_err 'not a Go heap dump' "not a dump: one line"
head -c 100000 "$good" >"$TMP/cut"
hs --print "$TMP/cut"; expect_rc 1 "truncated dump exits 1"; expect_err 'offset [0-9]+: .*(truncated|exceeds|ends inside)' "truncated dump: one line with the offset"
hs --print "$TMP/no-such-file"; expect_rc 1 "missing file exits 1"; expect_err 'cannot open' "missing file: one line"
hs --print; expect_rc 2 "no dump file is a usage error"
hs --bogus "$good"; expect_rc 2 "unknown option is a usage error"
hs --version; expect_rc 0 "--version"; expect_out '^heapspurs [0-9]' "--version prints the version"
hs --help; expect_rc 0 "--help"; expect_out '--anchors' "--help lists --anchors"

# A gzip dump and standard input read the same records as the plain file.
gzip -c "$good" >"$TMP/leak.dump.gz"
"$HS" --print "$good" >"$TMP/plain.txt" 2>/dev/null
hs --print "$TMP/leak.dump.gz"
cmp -s "$TMP/out" "$TMP/plain.txt" && pass "gzip dump prints like the plain dump" || fail "gzip dump prints like the plain dump"
"$HS" --print - <"$good" >"$TMP/stdin.txt" 2>/dev/null
cmp -s "$TMP/stdin.txt" "$TMP/plain.txt" && pass "stdin dump prints like the plain dump" || fail "stdin dump prints like the plain dump"
