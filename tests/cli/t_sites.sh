# t_sites.sh — allocation sites: --print site lines and JSON, --find on sites, --sites and --histogram totals, checked against the facts and an independent count of the dump's records.

# site_facts RECORDS.jsonl FUNCTION LINE: "objects bytes owned" of the alloc samples whose bucket stack has
# FUNCTION at LINE, counted from --print --format json (profile, sample and object records), not from the
# tool's site rule: how many, their bytes, and their bytes plus those of the objects their pointers land on
# the start of (what a leak Record owns alone: its payload; "missing" when a sample names no object record).
site_facts() {
    python3 - "$1" "$2" "$3" <<'EOF'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
path, function, line = sys.argv[1], sys.argv[2], int(sys.argv[3])
buckets, samples, objects = set(), [], {}
for text in open(path):
    r = json.loads(text)
    kind = r["record"]
    if kind == "profile":
        if any(f["function"] == function and f["line"] == line for f in r["stack"]):
            buckets.add(r["bucket"])
    elif kind == "sample":
        samples.append((int(r["address"], 16), r["bucket"]))
    elif kind == "object":
        objects[int(r["address"], 16)] = r
count = bytes_ = owned = 0
for address, bucket in samples:
    if bucket not in buckets:
        continue
    o = objects.get(address)
    count += 1
    bytes_ += o["size"] if o else 0
    if o is None or owned == "missing":
        owned = "missing"
        continue
    owned += o["size"]
    for p in o["pointers"]:
        target = objects.get(int(p["value"], 16))
        if target:
            owned += target["size"]
print(count, bytes_, owned)
EOF
}
count_site() { site_facts "$@" | cut -d' ' -f1,2; }  # "objects bytes"
owned_bytes() { site_facts "$@" | cut -d' ' -f3; }   # bytes owned

# object_site RECORDS.jsonl ADDRESS: "function line" of the object's site in --print JSON.
object_site() {
    python3 - "$1" "$2" <<'EOF'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
address = int(sys.argv[2], 16)
for text in open(sys.argv[1]):
    r = json.loads(text)
    if r["record"] == "object" and int(r["address"], 16) == address:
        s = r.get("site")
        print("null" if s is None else "%s %d" % (s["function"], s["line"]))
        break
EOF
}

# sites_row SITES.json FUNCTION LINE: "objects bytes" of that row of --sites JSON, or "none".
sites_row() {
    python3 - "$1" "$2" "$3" <<'EOF'
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
rows = [s for s in d["sites"] if s["function"] == sys.argv[2] and s["line"] == int(sys.argv[3])]
print("%d %d" % (rows[0]["objects"], rows[0]["bytes"]) if len(rows) == 1 else "none")
EOF
}

# frames_match RECORDS.jsonl regex|literal PATTERN: "N objects, B bytes" of the
# objects whose bucket stack has a frame whose function or function:line
# matches PATTERN (Python re.search, or a substring), counted from --print
# --format json: a sample names its object's start or, for a Go 1.22+ object
# with an allocation header (513 bytes to 32 KiB), the word after it.
frames_match() {
    python3 - "$1" "$2" "$3" <<'EOF'
import json, re, sys
path, mode, pattern = sys.argv[1:4]
match = (lambda t: re.search(pattern, t) is not None) if mode == "regex" else (lambda t: pattern in t)
buckets, samples, objects = set(), [], {}
for text in open(path):
    r = json.loads(text)
    kind = r["record"]
    if kind == "profile":
        if any(match(f["function"]) or match("%s:%d" % (f["function"], f["line"])) for f in r["stack"]):
            buckets.add(r["bucket"])
    elif kind == "sample":
        samples.append((int(r["address"], 16), r["bucket"]))
    elif kind == "object":
        objects[int(r["address"], 16)] = r["size"]
found = {}
for address, bucket in samples:
    if bucket not in buckets:
        continue
    if address in objects:
        found.setdefault(address, objects[address])
    elif 512 < objects.get(address - 8, 0) <= 32768:
        found.setdefault(address - 8, objects[address - 8])
print("%d objects, %d bytes" % (len(found), sum(found.values())))
EOF
}

# find_total: "N objects, B bytes" from the last line of --find's text output.
find_total() {
    tail -n 1 "$TMP/out" | sed -E 's/^([0-9]+) objects?, .*\(([0-9]+) bytes\)$/\1 objects, \2 bytes/; s/^([0-9]+) objects?, ([0-9]+) B$/\1 objects, \2 bytes/'
}

for v in $(versions leak); do
    dump=$(dump_for leak "$v")
    facts=$DUMPS/leak-$v.facts
    elem0=$(fact "$facts" elem.0)
    payload=$(fact "$facts" elem.5.payload)
    load_line=$(fact "$facts" load.line)
    payload_line=$(fact "$facts" payload.line)
    count=$(fact "$facts" count)

    hs --print --format json "$dump"
    cp "$TMP/out" "$TMP/records.jsonl"
    expect_rc 0 "$v: --print --format json"
    expect_eq "$(object_site "$TMP/records.jsonl" "$elem0")" "main.load $load_line" "$v: JSON site of elem.0 is main.load:load.line"
    expect_eq "$(object_site "$TMP/records.jsonl" "$payload")" "main.load $payload_line" \
        "$v: JSON site of elem.5.payload is main.load:payload.line"

    hs --print "$dump"
    got=$(grep -A1 "^Object @ $elem0 " "$TMP/out" | sed -n 2p)
    expect_eq "$got" "  Site: main.load (heapspurs-testdata/leak/main.go:$load_line)" "$v: --print Site line after elem.0"

    # Independent count from the records: count Records at load.line, count payloads.
    independent=$(count_site "$TMP/records.jsonl" main.load "$load_line")
    expect_eq "${independent% *}" "$count" "$v: the records hold one sample per Record at load.line"
    independent_payload=$(count_site "$TMP/records.jsonl" main.load "$payload_line")
    expect_eq "${independent_payload% *}" "$count" "$v: the records hold one sample per payload at payload.line"

    hs --sites --limit 0 --format json "$dump"
    expect_rc 0 "$v: --sites --format json"
    cp "$TMP/out" "$TMP/sites.json"
    expect_eq "$(sites_row "$TMP/sites.json" main.load "$load_line")" "$independent" "$v: --sites Record row = independent count"
    expect_eq "$(sites_row "$TMP/sites.json" main.load "$payload_line")" "$independent_payload" \
        "$v: --sites payload row = independent count"
    retained=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
rows = [s for s in d["sites"] if s["function"] == "main.load" and s["line"] == int(sys.argv[2])]
print(rows[0]["retained"]["bytes"] if rows and "retained" in rows[0] else "none")' "$TMP/sites.json" "$load_line")
    expect_eq "$retained" "$(owned_bytes "$TMP/records.jsonl" main.load "$load_line")" \
        "$v: --sites retained bytes of the Record site = Records + their payloads"
    sums=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
o = sum(s["objects"] for s in d["sites"]) + d["unsampled"]["objects"] + d["omitted"]["objects"]
b = sum(s["bytes"] for s in d["sites"]) + d["unsampled"]["bytes"] + d["omitted"]["bytes"]
order = all(d["sites"][i]["bytes"] >= d["sites"][i + 1]["bytes"] for i in range(len(d["sites"]) - 1))
print(o == d["total"]["objects"] and b == d["total"]["bytes"] and order and d["omitted"]["sites"] == 0)
' "$TMP/sites.json")
    expect_eq "$sums" True "$v: --sites rows + unsampled = total, sorted by bytes"

    hs --sites "$dump"
    expect_out "^ +[0-9]+ +$count +([0-9]+ +)?main\.load \(heapspurs-testdata/leak/main\.go:$load_line\)$" "$v: --sites text row for load.line"

    hs --find "^main\.load:$load_line\$" "$dump"
    expect_eq "$(grep -c '^Object @ ' "$TMP/out")" "$count" "$v: --find matches site labels"
    expect_eq "$(find_total)" "$(frames_match "$TMP/records.jsonl" regex "^main\.load:$load_line\$")" \
        "$v: --find ends with the count and bytes of what it printed"

    # Any frame of the stack, not only the site: main.main called load, so its frame is under every Record and payload.
    hs --find '^main\.main$' "$dump"
    independent=$(frames_match "$TMP/records.jsonl" regex '^main\.main$')
    expect_eq "$(find_total)" "$independent" "$v: --find '^main\.main\$' matches every stack main.main is in"
    [ "${independent%% *}" -ge $((2 * count)) ] && pass "$v: ... at least the Records and their payloads" ||
        fail "$v: --find '^main\.main\$' found ${independent%% *}, fewer than 2 * $count"
    expect_eq "$(grep -c '^Object @ ' "$TMP/out")" "${independent%% *}" "$v: --find prints as many objects as it counts"

    # Not a regular expression ('*' right after '('): matched as a literal string, with one note.
    hs --find '(*File).line' "$dump"
    expect_rc 0 "$v: --find '(*File).line' exits 0"
    expect_err "^heapspurs: note: '\(\*File\)\.line' is not a valid regular expression; matching it as a literal string\$" \
        "$v: --find '(*File).line' notes that it matches literally"
    independent=$(frames_match "$TMP/records.jsonl" literal '(*File).line')
    expect_eq "$(find_total)" "$independent" "$v: --find '(*File).line' = objects with a facts.(*File).line frame"
    hs --find '(*File).line' --format json "$dump"
    got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
print("%s %d objects, %d bytes" % (d["literal"], d["count"], d["bytes"]), len(d["objects"]) == d["count"])' "$TMP/out")
    expect_eq "$got" "True $independent True" "$v: --find --format json says literal and counts the same"

    # --depth 2: each row is a site and its caller; load is called from main.main only, so the rows keep their counts.
    hs --sites --depth 2 --limit 0 --format json "$dump"
    got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1]); line = int(sys.argv[2])
rows = [s for s in d["sites"] if s["function"] == "main.load" and s["line"] == line]
print(len(rows), rows[0]["objects"], [f["function"] for f in rows[0]["frames"]], rows[0]["frames"][0]["line"] == line)
' "$TMP/out" "$load_line")
    expect_eq "$got" "1 $count ['main.load', 'main.main'] True" "$v: --sites --depth 2: the load.line row has main.main as its caller"
    hs --sites --depth 2 "$dump"
    expect_eq "$(grep -A1 -E "^ +[0-9]+ +$count +[0-9]+ +main\.load \(heapspurs-testdata/leak/main\.go:$load_line\)$" "$TMP/out" |
        sed -n 2p | sed -E 's/^ +from (main\.main) \(.*\)$/\1/')" main.main "$v: --sites --depth 2 text: 'from main.main' under the load.line row"

    hs --histogram --limit 0 --format json "$dump"
    expect_rc 0 "$v: --histogram --format json"
    hist=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
h = hsjson.load(sys.argv[1]); s = hsjson.load(sys.argv[2])
rows = [r for r in h["sizes"] if r["size"] == 1024]
ok = sum(r["objects"] for r in h["sizes"]) == h["total"]["objects"] == s["total"]["objects"]
ok = ok and sum(r["bytes"] for r in h["sizes"]) == h["total"]["bytes"] == s["total"]["bytes"]
ok = ok and len(rows) == 1 and rows[0]["objects"] >= int(sys.argv[3]) and rows[0]["site"]["line"] == int(sys.argv[4])
print(ok)
' "$TMP/out" "$TMP/sites.json" "$count" "$payload_line")
    expect_eq "$hist" True "$v: --histogram totals match --sites; 1024-byte class led by the payload site"
done

# Default MemProfileRate: (nearly) every live object is without a sample.
for v in $(versions defaultrate); do
    dump=$(dump_for defaultrate "$v")
    hs --print --format json "$dump"
    samples=$(grep -c '"record":"sample"' "$TMP/out")
    hs --sites --format json "$dump"
    expect_rc 0 "$v defaultrate: --sites --format json"
    got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1]); samples = int(sys.argv[2])
u, t = d["unsampled"], d["total"]
print(t["objects"] > 0 and t["objects"] - samples <= u["objects"] <= t["objects"] and u["bytes"] <= t["bytes"])
' "$TMP/out" "$samples")
    expect_eq "$got" True "$v defaultrate: unsampled = live objects less at most the $samples samples"
    hs --sites "$dump"
    expect_out "^No allocation sample: [0-9]+ of [0-9]+ live objects \((99\.[0-9]|100\.0)%\)" "$v defaultrate: no-sample share said plainly"
    expect_out "runtime\.MemProfileRate = 1 as the first statement of main" "$v defaultrate: says what to do"
done

# Options.
v=$(newest leak)
dump=$(dump_for leak "$v")
hs --sites --limit 1 --format json "$dump"
got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
print(len(d["sites"]), d["sites"][0]["function"], d["omitted"]["sites"] > 0)' "$TMP/out")
expect_eq "$got" "1 main.load True" "--limit 1 keeps the biggest site and counts the rest as omitted"
hs --sites --limit many "$dump"
expect_rc 2 "--limit rejects a non-number"
hs --histogram --depth 2 "$dump"
expect_rc 2 "--depth without --sites is a usage error"
expect_eq "$(head -n 1 "$TMP/err")" "heapspurs: --depth applies to --sites and --pprof, not to --histogram" \
    "--depth without --sites: says it modifies --sites and --pprof"
hs --sites --depth 0 "$dump"
expect_rc 2 "--depth 0 is a usage error"
hs --sites --depth 1 --format json "$dump"
got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
print(all(len(s["frames"]) == 1 and s["frames"][0] == {k: s[k] for k in ("function", "file", "line")} for s in d["sites"]))' "$TMP/out")
expect_eq "$got" True "--sites JSON: frames holds the site frame (--depth 1)"

# statics: allocation through a frame that is not the top one, and a buffer grown inside bytes.Buffer.
for v in $(versions statics); do
    dump=$(dump_for statics "$v")
    facts=$DUMPS/statics-$v.facts
    render=$(fact "$facts" render.function)
    helper=$(fact "$facts" render.helper)
    count=$(fact "$facts" render.count)
    grow=$(fact "$facts" grow.function)
    grow_helper=$(fact "$facts" grow.helper)
    grow_addr=$(fact "$facts" grow.addr)
    hs --print --format json "$dump"
    cp "$TMP/out" "$TMP/records.jsonl"

    # --find renderPage: the pages (site renderPage) and their buffers (site newBuffer, renderPage the frame under it).
    hs --find renderPage --format json "$dump"
    expect_rc 0 "statics $v: --find renderPage --format json"
    got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1]); render, helper = sys.argv[2], sys.argv[3]
sites = [o["site"]["function"] if o["site"] else None for o in d["objects"]]
through = all(any(f["function"] == render for f in o["site"]["stack"]) for o in d["objects"] if o["site"])
print(sites.count(helper), sites.count(render), len(sites), d["count"], d["bytes"] == sum(o["size"] for o in d["objects"]), through)
' "$TMP/out" "$render" "$helper")
    expect_eq "$got" "$count $count $((2 * count)) $((2 * count)) True True" \
        "statics $v: --find renderPage finds render.count objects of site $helper and as many of $render"
    hs --find renderPage "$dump"
    expect_eq "$(find_total)" "$(frames_match "$TMP/records.jsonl" regex renderPage)" \
        "statics $v: --find renderPage text ends with the independent count and bytes"

    # A pattern that is not a regular expression: matched literally, with the note.
    hs --find 'main.(*hub).subscribe' "$dump"
    expect_rc 0 "statics $v: --find 'main.(*hub).subscribe' exits 0"
    expect_err "^heapspurs: note: 'main\.\(\*hub\)\.subscribe' is not a valid regular expression; matching it as a literal string$" \
        "statics $v: --find 'main.(*hub).subscribe' says it matches literally"
    expect_eq "$(tail -n 1 "$TMP/out")" "0 objects, 0 B" "statics $v: no frame is named main.(*hub).subscribe"
    hs --find 'bytes.(*Buffer).Write' --format json "$dump"
    got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
print(d["literal"], any(int(o["address"], 16) == int(sys.argv[2], 16) for o in d["objects"]), "%d objects, %d bytes" % (d["count"], d["bytes"]))' "$TMP/out" "$grow_addr")
    expect_eq "$got" "True True $(frames_match "$TMP/records.jsonl" literal 'bytes.(*Buffer).Write')" \
        "statics $v: --find 'bytes.(*Buffer).Write' (literal) finds the grown buffer at grow.addr"

    # The grown buffer's site is main.fill, although its stack starts in bytes.growSlice.
    got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
address = int(sys.argv[2], 16)
for r in hsjson.records(sys.argv[1]):
    if r["record"] == "object" and int(r["address"], 16) == address:
        print(r["site"]["function"], any(f["function"] == sys.argv[3] for f in r["site"]["stack"]))' "$TMP/records.jsonl" "$grow_addr" "$grow_helper")
    expect_eq "$got" "$grow True" "statics $v: the buffer at grow.addr has site $grow and $grow_helper in its stack"
    hs --sites --limit 0 --format json "$dump"
    got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1]); grow, helper, cap = sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = [s for s in d["sites"] if s["function"] == grow]
library = [s["function"] for s in d["sites"] if s["function"].startswith(("bytes.", "runtime.growslice", "runtime.mallocgc"))]
print(len(rows) == 1 and rows[0]["bytes"] >= cap and any(f["function"] == helper for f in rows[0]["stack"]), library)
' "$TMP/out" "$grow" "$grow_helper" "$(fact "$facts" grow.cap)")
    expect_eq "$got" "True []" "statics $v: --sites JSON: one $grow row holding the grown buffer, no bytes.* row"
    hs --sites "$dump"
    expect_out "^ +[0-9]+ +[0-9]+ +[0-9]+  $grow \(heapspurs-testdata/statics/main\.go:[0-9]+\)$" "statics $v: --sites text names $grow"
    expect_no_out "^ +[0-9]+ +[0-9]+ +[0-9]+  bytes\." "statics $v: --sites text names no bytes.* frame"
    expect_out "^ +[0-9]+ +$count +[0-9]+  $helper \(" "statics $v: --sites names $helper for the $count buffers"
    expect_out "^ +[0-9]+ +$count +[0-9]+  $render \(" "statics $v: --sites names $render for the $count pages"

    # --depth 2: the buffers' row shows renderPage under newBuffer.
    hs --sites --depth 2 "$dump"
    expect_eq "$(grep -A1 -E "^ +[0-9]+ +$count +[0-9]+  $helper \(" "$TMP/out" | sed -n 2p | sed -E 's/^ +from ([^ ]+) \(.*\)$/\1/')" \
        "$render" "statics $v: --sites --depth 2: 'from $render' under the $helper row"
    hs --sites --depth 2 --limit 0 --format json "$dump"
    got=$(python3 -c '
import json, sys; sys.path.insert(0, "tests/cli"); import hsjson
d = hsjson.load(sys.argv[1])
rows = [s for s in d["sites"] if s["function"] == sys.argv[2]]
print(len(rows), rows[0]["objects"], rows[0]["frames"][1]["function"])' "$TMP/out" "$helper")
    expect_eq "$got" "1 $count $render" "statics $v: --sites --depth 2 JSON: one $helper row of $count, caller $render"
done
