# t_diff.sh — --base OLD NEW (what grew, --by, --new) on growth's two dumps of one run, checked against its facts
# and against an independent count from --print --format json; pairs from different programs and Go versions refused.

# growth writes growth-goV-1 and growth-goV-2 per run; `versions` only knows NAME-goV.facts.
growth_versions() { ls "$DUMPS" | sed -n 's/^growth-\(go[0-9.]*\)-1\.facts$/\1/p' | sort -V; }

# Independent count in python: reachability by a breadth-first walk over the pointers --print lists, sites from the
# object records, alloc-sample bucket ids from the sample records. Prints the numbers the tool must agree with.
cat >"$TMP/independent.py" <<'PY'
import bisect, json, sys; sys.path.insert(0, "tests/cli"); import hsjson

def load(path):
    objects, samples, roots = {}, {}, []
    for line in open(path):
        r = json.loads(line)
        kind = r["record"]
        if kind == "object":
            objects[int(r["address"], 16)] = r
        elif kind == "sample":
            samples[int(r["address"], 16)] = int(r["bucket"], 16)
        elif kind in ("data", "bss", "stackframe"):
            roots += [int(p["value"], 16) for p in r["pointers"]]
        elif kind in ("finalizer", "queuedfinalizer"):
            roots += [int(r["object"], 16), int(r["funcval"], 16)]
    starts = sorted(objects)
    def find(value):
        i = bisect.bisect_right(starts, value) - 1
        if i >= 0 and value < starts[i] + objects[starts[i]]["size"]:
            return starts[i]
        return None
    live, queue = set(), [a for a in map(find, roots) if a is not None]
    live.update(queue)
    while queue:
        a = queue.pop()
        for p in objects[a].get("pointers", []):
            b = find(int(p["value"], 16))
            if b is not None and b not in live:
                live.add(b)
                queue.append(b)
    return objects, samples, live

def at_line(objects, live, function, line):
    return {a for a in live if (objects[a]["site"] or {}).get("function") == function
            and objects[a]["site"]["line"] == line}

old_path, new_path, function, line, entry_first = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
o_objects, o_samples, o_live = load(old_path)
n_objects, n_samples, n_live = load(new_path)
old_keys = {(a, r["size"], o_samples.get(a)) for a, r in o_objects.items()}
new = {a for a in n_live if (a, n_objects[a]["size"], n_samples.get(a)) not in old_keys}
vals_old, vals_new = at_line(o_objects, o_live, function, line), at_line(n_objects, n_live, function, line)
entries = {a for a in n_live if n_objects[a]["size"] == 32 and (n_objects[a]["site"] or {}).get("function") == function
           and n_objects[a]["site"]["line"] != line}
print("vals.old", len(vals_old))
print("vals.new", len(vals_new))
print("vals.added", len(vals_new & new))
print("entries.added", len(entries & new))
print("entry.first.new", int(int(entry_first, 16) in new))
print("added", len(new))
print("added.vals", " ".join(hex(a) for a in sorted(vals_new & new)))
PY

for v in $(growth_versions); do
    old=$DUMPS/growth-$v-1.dump new=$DUMPS/growth-$v-2.dump
    f1=$DUMPS/growth-$v-1.facts f2=$DUMPS/growth-$v-2.facts
    count1=$(fact "$f1" count) count2=$(fact "$f2" count) line=$(fact "$f1" addentry.line)
    fn=$(fact "$f1" addentry.function) vallen=$(fact "$f1" val.len) global=$(fact "$f1" global)
    grow=$((count2 - count1))
    fnre=$(echo "$fn" | sed 's/\./\\./g')

    # The growth table: the leaking site on top with exactly the facts' counts.
    hs --base "$old" "$new"
    expect_rc 0 "growth $v: --base exits 0"
    row=$(sed -n 3p "$TMP/out")
    expect_eq "$(echo "$row" | awk '{print $1, $2, $3, $4, $5, $6, $7}')" \
        "$count1 $((count1 * vallen)) $count2 $((count2 * vallen)) +$grow +$((grow * vallen)) $fn" \
        "growth $v: top growth group is $fn with $count1 -> $count2 vals (+$grow)"
    expect_out "^ +$count1 +[0-9]+ +$count2 +[0-9]+ +\+$grow +\+[0-9]+  $fnre \(heapspurs-testdata/growth/main\.go:$line\)$" \
        "growth $v: the top group is the val allocation at line $line"

    # The same in JSON, against an independent count from --print --format json.
    "$HS" --print --format json "$old" >"$TMP/old.jsonl" 2>/dev/null
    "$HS" --print --format json "$new" >"$TMP/new.jsonl" 2>/dev/null
    python3 "$TMP/independent.py" "$TMP/old.jsonl" "$TMP/new.jsonl" "$fn" "$line" "$(fact "$f1" entry.first)" \
        >"$TMP/indep" 2>&1
    ind() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "$TMP/indep"; }
    expect_eq "$(ind vals.old) $(ind vals.new)" "$count1 $count2" \
        "growth $v: independent count of live vals equals the facts ($count1, $count2)"
    hs --base "$old" --format json "$new"
    python3 - "$TMP/out" "$fn" "$line" "$(ind vals.old)" "$(ind vals.new)" >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
fn, line, old, new = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
top = doc["groups"][0]
assert doc["by"] == "site", doc["by"]
assert top["site"]["function"] == fn and top["site"]["line"] == line, top
assert top["old"]["objects"] == old and top["new"]["objects"] == new, top
assert top["delta"]["objects"] == new - old and top["delta"]["bytes"] == top["new"]["bytes"] - top["old"]["bytes"], top
assert sum(g["new"]["objects"] for g in doc["groups"]) + doc["omitted"]["new"]["objects"] == doc["total"]["new"]["objects"]
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "growth $v: JSON top group agrees with the independent count" ||
        fail "growth $v: JSON top group" "$(cat "$TMP/check")"

    # --new: 200 new vals (exactly those the independent walk finds), 200 new entries, entry.first not new.
    hs --base "$old" --new --format json --limit 0 "$new"
    python3 - "$TMP/out" "$fn" "$line" "$(fact "$f1" entry.first)" "$(ind added.vals)" "$(ind entries.added)" \
        >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
fn, line, first, vals, entries = sys.argv[2], int(sys.argv[3]), int(sys.argv[4], 16), sys.argv[5].split(), int(sys.argv[6])
top = doc["groups"][0]
assert top["site"]["function"] == fn and top["site"]["line"] == line, top["key"]
assert top["added"]["objects"] == len(top["objects"]) == len(vals), (top["added"], len(vals))
assert sorted(int(a, 16) for a in top["objects"]) == sorted(int(a, 16) for a in vals)
listed = {int(a, 16) for g in doc["groups"] for a in g["objects"]}
assert first not in listed, "entry.first listed as new"
assert len(listed) == doc["total"]["added"]["objects"]
assert "path" in top and top["path"]["root"]["kind"] in ("bss", "data"), top.get("path")
assert int(top["path"]["objects"][-1]["address"], 16) == int(top["objects"][0], 16)
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "growth $v: --new lists exactly the independent walk's new vals, not entry.first" ||
        fail "growth $v: --new JSON" "$(cat "$TMP/check")"
    expect_eq "$(ind vals.added) $(ind entries.added) $(ind entry.first.new)" "$grow $grow 0" \
        "growth $v: independently, $grow new vals and $grow new entries; entry.first is not new"
    hs --base "$old" --new "$new"
    expect_out "^ +$grow +$((grow * vallen))  $fnre \(heapspurs-testdata/growth/main\.go:$line\)$" \
        "growth $v: --new text: $grow new vals at line $line"
    hs --base "$old" --new --by shape --format json --limit 0 "$new"
    python3 - "$TMP/out" "$grow" >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
grow = int(sys.argv[2])
entry = [g for g in doc["groups"] if g["size"] == 32 and g["key"] == "32 bytes, 1 pointer at +0x8"]
assert entry and entry[0]["added"]["objects"] == grow, [(g["key"], g["added"]) for g in doc["groups"]]
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "growth $v: --new --by shape: $grow new entries of shape 32 bytes, pointer at +0x8" ||
        fail "growth $v: --new --by shape" "$(cat "$TMP/check")"

    # --by root names the leaking global (with the program's symbols).
    if [ -f "$BINS/growth-$v" ]; then
        hs --base "$old" --by root --program "$BINS/growth-$v" "$new"
        expect_rc 0 "growth $v: --by root exits 0"
        expect_eq "$(sed -n 3p "$TMP/out" | sed 's/.*  //')" "global $global" "growth $v: --by root: top growth is $global"
        hs --base "$old" --by root --program "$BINS/growth-$v" --format json "$new"
        python3 - "$TMP/out" "$global" "$count1" "$count2" >"$TMP/check" 2>&1 <<'PY'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
doc = hsjson.load(sys.argv[1])
top, c1, c2 = doc["groups"][0], int(sys.argv[3]), int(sys.argv[4])
assert top["key"] == "global " + sys.argv[2] and top["root"]["kind"] == "global", top
# The global retains its backing array, every entry and every val.
assert top["old"]["objects"] == 2 * c1 + 1 and top["new"]["objects"] == 2 * c2 + 1, top
print("ok")
PY
        grep -qx ok "$TMP/check" && pass "growth $v: $global retains 2*count+1 objects in each dump" ||
            fail "growth $v: --by root JSON" "$(cat "$TMP/check")"
    fi

    # A dump of another program is refused with one line.
    if [ -f "$DUMPS/other-$v.dump" ]; then
        hs --base "$new" "$DUMPS/other-$v.dump"
        expect_rc 1 "growth $v vs other $v: refused (exit 1)"
        expect_err "^heapspurs: cannot compare .*growth-$v-2\.dump with .*other-$v\.dump: they are dumps of different programs" \
            "growth $v vs other $v: one line saying they are different programs"
    fi
done

# Dumps from different Go versions are refused, naming both versions.
oldest=$(growth_versions | head -n 1) newest_v=$(growth_versions | tail -n 1)
if [ -n "$oldest" ] && [ "$oldest" != "$newest_v" ]; then
    hs --base "$DUMPS/growth-$oldest-1.dump" "$DUMPS/growth-$newest_v-2.dump"
    expect_rc 1 "growth $oldest vs $newest_v: refused (exit 1)"
    expect_err "different Go versions \($oldest and $newest_v\)" "growth $oldest vs $newest_v: one line naming both Go versions"
fi

# Usage errors.
v=$(growth_versions | tail -n 1)
hs --new "$DUMPS/growth-$v-2.dump"
expect_rc 2 "--new without --base is a usage error"
hs --base "$DUMPS/growth-$v-1.dump" --by colour "$DUMPS/growth-$v-2.dump"
expect_rc 2 "--by with an unknown key is a usage error"

# --by type: groups by Go type with the program that wrote both dumps; the main.entry row counts the entries
# each run of the program had in its cache. Without --program it is a usage error that points at --by shape.
for v in $(growth_versions); do
    [ -f "$BINS/growth-$v" ] || continue
    old=$DUMPS/growth-$v-1.dump new=$DUMPS/growth-$v-2.dump
    hs --base "$old" --by type --limit 0 --format json --program "$BINS/growth-$v" "$new"
    expect_rc 0 "growth $v: --by type --program exits 0"
    python3 - "$TMP/out" "$(fact "$DUMPS/growth-$v-1.facts" count)" "$(fact "$DUMPS/growth-$v-2.facts" count)" \
        >"$TMP/check" 2>&1 <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
old, new = int(sys.argv[2]), int(sys.argv[3])
rows = [g for g in doc["groups"] if g.get("type") == "main.entry"]
assert len(rows) == 1, [g["key"] for g in doc["groups"]]
assert rows[0]["old"]["objects"] == old and rows[0]["new"]["objects"] == new, rows[0]
assert doc["by"] == "type", doc.get("by")
print("ok")
PY
    grep -qx ok "$TMP/check" && pass "growth $v: --by type: main.entry grows from the first run's count to the second's" \
        || fail "growth $v: --by type main.entry" "$(cat "$TMP/check")"
done
v=$(growth_versions | tail -n 1)
hs --base "$DUMPS/growth-$v-1.dump" --by type "$DUMPS/growth-$v-2.dump"
expect_rc 2 "--by type without --program: exit 2"
if head -n 1 "$TMP/err" | grep -q -- '--by type needs --program BINARY.*--by shape'; then pass "--by type without --program: says so and names --by shape"
else fail "--by type without --program: message" "$(head -c 300 "$TMP/err")"; fi
