# t_types.sh — Go types from DWARF: every object the types program names gets the type its reflect printed, --types counts each user type exactly, on six Go releases.
for v in $(versions types); do
    facts=$DUMPS/types-$v.facts
    dump=$(dump_for types "$v")
    bin=$BINS/types-$v
    # One --fields run per named object: its JSON object.type against the facts.
    python3 - "$HS" "$dump" "$bin" "$facts" "$v" >"$TMP/check" 2>&1 <<'PY'
import json, subprocess, sys
hs, dump, binary, facts_path, version = sys.argv[1:6]
facts = dict(l.rstrip("\n").split(" ", 1) for l in open(facts_path))
minor = int(version.split(".")[1])
names = sorted({k.split(".")[1] for k in facts if k.startswith("obj.") and k.endswith(".addr")})
for n in names:
    want = facts.get("obj.%s.func" % n) or facts["obj.%s.type" % n]
    why = "the type reflect prints"
    if n == "hidden":
        want, why = None, "unknown: only an unsafe.Pointer holds it"
    elif "obj.%s.tiny" % n in facts:
        want, why = None, "unknown: a tiny-allocator block may hold other values"
    elif facts.get("obj.%s.parent" % n) == "closure" and minor < 24:
        want, why = None, "unknown: DWARF places captured variables only from Go 1.24"
    r = subprocess.run([hs, "-q", "--address", facts["obj.%s.addr" % n], "--fields", "--format", "json",
                        "--program", binary, dump], capture_output=True, text=True)
    if r.returncode:
        print("FAIL %s: exit %d: %s" % (n, r.returncode, r.stderr.strip()))
        continue
    o = json.loads(r.stdout)["object"]
    tiny = "obj.%s.tiny" % n in facts  # its 16-byte block may start before it
    if not tiny and int(o["address"], 16) != int(facts["obj.%s.addr" % n], 16):
        print("FAIL %s: object at %s, want %s" % (n, o["address"], facts["obj.%s.addr" % n]))
    elif o.get("type") != want:
        print("FAIL %s: type %r, want %r (%s)" % (n, o.get("type"), want, why))
    else:
        print("PASS %s is %r (%s)" % (n, want, why))
r = subprocess.run([hs, "-q", "--types", "--limit", "0", "--format", "json", "--program", binary, dump],
                   capture_output=True, text=True)
doc = json.loads(r.stdout)
rows = {t["type"]: t["count"] for t in doc["types"]}
for key, value in facts.items():
    if not key.startswith("count."):
        continue
    t, want = key[len("count."):], int(value)
    if t == "main.Hidden":
        want = 0  # only the unsafe.Pointer reaches it
    if t == "main.Leaf":
        want -= 1  # the hidden object's leaf is reached only through it
    if t == "main.Counter" and minor < 24:
        want = 0  # held only by a closure, whose captured variables DWARF places from Go 1.24
    got = rows.get(t, 0)
    print(("PASS" if got == want else "FAIL") + " --types: %d %s, want %d" % (got, t, want))
share = doc["live"]["typed_bytes"] / doc["live"]["bytes"]
print(("PASS" if share >= 0.95 else "FAIL") + " --types: %.1f%% of live bytes typed, want at least 95%%" % (100 * share))
print(("PASS" if sum(t["count"] for t in doc["types"]) == doc["live"]["objects"] else "FAIL") +
      " --types: the rows add up to the live objects")
PY
    while read -r verdict rest; do
        case $verdict in
        PASS) pass "types $v: $rest" ;;
        FAIL) fail "types $v: $rest" ;;
        *) fail "types $v: checker: $verdict $rest" ;;
        esac
    done <"$TMP/check"

    # Text: the object line names the type, --fields names the fields and their targets' types.
    req=$(fact "$facts" obj.request0.addr)
    hs -q --address "$req" --fields --program "$bin" "$dump"
    expect_rc 0 "types $v: --fields exits 0"
    expect_out "^main\.Request @ $req with " "types $v: --fields: the object line names main.Request"
    expect_out "^  \+0x[0-9a-f]+ +Session \*main\.Session = $(fact "$facts" obj.session0.addr) -> main\.Session @ " \
        "types $v: --fields: the Session field points at session0, a main.Session"
    hs -q --find '^main\.Request$' --program "$bin" "$dump"
    expect_out "^$(fact "$facts" count.main.Request) objects, " "types $v: --find '^main\.Request\$' matches the $(fact "$facts" count.main.Request) requests by type"
    expect_out "^main\.Request @ $req with 3 pointers in " "types $v: --find prints each match under its type"
    hs -q --address "$req" --anchors --program "$bin" "$dump"
    expect_out "main\.Request @ $req" "types $v: --anchors names the target's type"

    # Retained sizes per type: the rows still add up, retained at least the shallow bytes.
    hs -q --types --retained --limit 0 --format json --program "$bin" "$dump"
    if python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
ok = all(t["retained"]["bytes"] >= t["bytes"] for t in doc["types"] if t["type"] is not None)
sys.exit(0 if ok else 1)' "$TMP/out"; then pass "types $v: --types --retained: each type retains at least its bytes"
    else fail "types $v: --types --retained: a type retains less than its bytes" "$(head -c 300 "$TMP/out")"; fi
done

# Without --program there are no types: a usage error, before the dump is read.
hs --types "$TMP/no-such.dump"
expect_rc 2 "--types without --program: exit 2"
expect_first_err() { # expect_first_err REGEX NAME: the first stderr line matches
    if head -n 1 "$TMP/err" | grep -Eq -- "$1"; then pass "$2"; else fail "$2" "$(head -c 300 "$TMP/err")"; fi
}
expect_first_err '^heapspurs: --types needs --program BINARY: Go types come from the program.s DWARF$' \
    "--types without --program: says what it needs"

# A program without DWARF: one warning line; objects with a header are still typed (Go 1.22+).
v=$(newest types)
if command -v objcopy >/dev/null; then
    objcopy --strip-debug "$BINS/types-$v" "$TMP/types-nodwarf"
    hs --types --program "$TMP/types-nodwarf" "$(dump_for types "$v")"
    expect_rc 0 "no DWARF: --types still runs"
    expect_err 'no DWARF \(built with -ldflags=-w, or stripped\): only objects with an allocation header are typed' \
        "no DWARF: said in one line"
    expect_out '^ +[0-9]+ +20  main\.Medium$' "no DWARF: the 20 header-carrying main.Medium objects are typed from their headers"
else
    skip "no DWARF" "objcopy is not installed"
fi
finish

# Containers are one thing: --leaks names the map held by main.requests as the suspect, not its tables or
# groups; --top lists no map internals; a path through the map reads "value" and names the fields it leaves by.
for v in $(versions types); do
    facts=$DUMPS/types-$v.facts
    dump=$(dump_for types "$v")
    bin=$BINS/types-$v
    map=$(fact "$facts" obj.bigmap.addr)
    hs -q --leaks --threshold 5 --program "$bin" "$dump"
    expect_out "^Suspect [0-9]+: object $map \([0-9]+ bytes, map\[int64\]\*main\.Request, " \
        "types $v: --leaks: the map main.requests holds is a suspect, named by its Go type"
    expect_out "^    path: global main\.requests -> map\[int64\]\*main\.Request @ $map$" \
        "types $v: --leaks: the map's path is main.requests and the map"
    expect_no_out '^Suspect [0-9]+: object [^ ]+ \([0-9]+ bytes, (\[[0-9]+\])?(\*?table<|noalg\.map\.group|bucket<)' \
        "types $v: --leaks: no map internal is a suspect"
    hs -q --top 20 --format json --program "$bin" "$dump"
    if python3 -c '
import json, re, sys
doc = json.load(open(sys.argv[1]))
bad = [e["object"]["type"] for e in doc["top"] if e.get("object") and e["object"].get("type") and
       re.match(r"(\[\d+\])?(\*?table<|noalg\.map\.group|bucket<)", e["object"]["type"])]
sys.exit(1 if bad else 0)' "$TMP/out"; then pass "types $v: --top 20 lists no map internals"
    else fail "types $v: --top 20 lists map internals" "$(head -c 300 "$TMP/out")"; fi
    user=$(fact "$facts" obj.user0.addr)
    hs -q --address "$user" --anchors --format json --program "$bin" "$dump"
    python3 - "$TMP/out" "$facts" >"$TMP/check" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
facts = dict(l.rstrip("\n").split(" ", 1) for l in open(sys.argv[2]))
path = doc["anchors"][0]
objs = path["objects"]
want = [("map[int64]*main.Request", facts["obj.bigmap.addr"]), ("main.Request", facts["obj.request0.addr"]),
        ("main.Session", facts["obj.session0.addr"]), ("main.User", facts["obj.user0.addr"])]
values = [o for o in objs if not o["container_part"]]
got = [(o["type"], o["address"]) for o in values]
assert path["root"]["symbol"] == "main.requests", path["root"]
assert [(t, int(a, 16)) for t, a in got] == [(t, int(a, 16)) for t, a in want], got
assert [o["field"] for o in values[1:]] == [".Session", ".User", None], [o["field"] for o in values]
assert all(o["container_part"] for o in objs[1:-3]), objs
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "types $v: --anchors JSON: main.requests -> map -> (its internals) -> request0 .Session -> session0 .User -> user0" \
        || fail "types $v: --anchors JSON path through the map" "$(cat "$TMP/check")"
done

# A slice's backing array and a string's bytes are named for the global or field whose slice or string holds
# them (the program's holder and parent facts); a map's header, held by a global but no array, is not.
for v in $(versions types); do
    facts=$DUMPS/types-$v.facts
    dump=$(dump_for types "$v")
    for case in "recent:backing array of main\\.recent:slice:main.recent" \
                "strbytes:bytes of string main\\.greeting:string:main.greeting" \
                "headers:backing array of main\\.Request\\.Headers:slice:main.Request.Headers"; do
        name=${case%%:*}; rest=${case#*:}; text=${rest%%:*}; rest=${rest#*:}; kind=${rest%%:*}; holder=${rest#*:}
        addr=$(fact "$facts" "obj.$name.addr")
        hs -q --address "$addr" --anchors --program "$BINS/types-$v" "$dump"
        expect_out "^$(fact "$facts" "obj.$name.type" | sed -e 's/[.*[]/\\&/g' -e 's/]/\\]/g') @ $addr with [0-9]+ pointers in [0-9]+ bytes, $text(,|$)" \
            "types $v: $name's object line says '$(printf '%s' "$text" | tr -d '\\')'"
        hs -q --address "$addr" --anchors --format json --program "$BINS/types-$v" "$dump"
        got=$(python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["object"].get("holder"); print(h and "%s %s" % (h["kind"], h["name"]))' "$TMP/out")
        expect_eq "$got" "$kind $holder" "types $v: $name's JSON descriptor has holder {$kind, $holder}"
    done
    hs -q --address "$(fact "$facts" obj.bigmap.addr)" --anchors --program "$BINS/types-$v" "$dump"
    if grep -q 'backing array of\|bytes of string' "$TMP/out"; then fail "types $v: the map's header is no slice's array" "$(head -1 "$TMP/out")"
    else pass "types $v: the map's header is no slice's array"; fi
done

# The one-line path of --top: fields and "value" for the map's internals, every object named by its type.
for v in $(versions types); do
    facts=$DUMPS/types-$v.facts
    hs -q --top 5000 --program "$BINS/types-$v" "$(dump_for types "$v")"
    expect_out "^     path: global main\.requests -> map\[int64\]\*main\.Request @ $(fact "$facts" obj.bigmap.addr) -> value -> main\.Request @ $(fact "$facts" obj.request0.addr) \.Session -> main\.Session @ $(fact "$facts" obj.session0.addr) \.User -> main\.User @ $(fact "$facts" obj.user0.addr)$" \
        "types $v: --top: user0's path reads main.requests -> map -> value -> main.Request .Session -> main.Session .User -> main.User"
done

# The owner graph: nodes titled with their Go type, edges labelled with the field the pointer is in.
v=$(newest types)
facts=$DUMPS/types-$v.facts
hs -q --address "$(fact "$facts" obj.user0.addr)" -o "$TMP/user.svg" --program "$BINS/types-$v" "$(dump_for types "$v")"
expect_rc 0 "types $v: the owner graph of user0 is written"
texts=$(sed -n 's/.*<text[^>]*>\([^<]*\)<\/text>.*/\1/p' "$TMP/user.svg")
for want in 'main.User (48 B)' 'main.Session (24 B)' 'main.Request (64 B)' '.Session' '.User' 'map[int64]*main.Request (48 B)'; do
    if printf '%s\n' "$texts" | grep -qxF -- "$want"; then pass "types $v: the graph shows '$want'"
    else fail "types $v: the graph shows '$want'" "texts: $(printf '%s\n' "$texts" | head -20 | tr '\n' '|')"; fi
done
