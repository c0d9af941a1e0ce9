# t_html.sh — --html: one page that opens from disk in headless Chromium (required: the test fails without it), loads nothing, logs no error, shows the JSON reports' rows (the same documents), sorts, filters, and keeps hostile names as text.

chromium_bin=$(command -v chromium || command -v chromium-browser || true)
chromium_flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --no-default-browser-check
    --disable-background-networking --disable-component-update --disable-sync --disable-extensions"


# dump_dom NAME PAGE: Chromium's DOM of file://PAGE after its script ran, into $TMP/NAME.dom, with the browser's
# log (console messages included: --enable-logging=stderr) in $TMP/NAME.log.
dump_dom() {
    profile=$(mktemp -d)
    # shellcheck disable=SC2086 # chromium_flags is a list
    timeout 60 "$chromium_bin" $chromium_flags --user-data-dir="$profile" --enable-logging=stderr --v=0 \
        --host-resolver-rules="MAP * ~NOTFOUND" --dump-dom "file://$2" >"$TMP/$1.dom" 2>"$TMP/$1.log"
    rm -rf "$profile"
}

# in_browser NAME PAGE [EXPRESSION]: tests/cli/browser.py's JSON (errors, requests, dialogs, ready, value) in
# $TMP/NAME.browser.
in_browser() {
    if [ -n "${3:-}" ]; then
        python3 tests/cli/browser.py --eval "$3" "$chromium_bin" "file://$2" >"$TMP/$1.browser" 2>&1
    else
        python3 tests/cli/browser.py "$chromium_bin" "file://$2" >"$TMP/$1.browser" 2>&1
    fi
}

# quiet_browser NAME PAGE: the page loaded, its script finished, nothing was logged, nothing but the page was
# requested, no dialog opened; from the DevTools protocol and from --dump-dom's log.
quiet_browser() {
    python3 - "$TMP/$1.browser" "file://$2" "$TMP/$1.log" >"$TMP/check" 2>&1 <<'PY'
import json, sys
name = sys.argv[1].rsplit("/", 1)[-1].split(".")[0]
try:
    r = json.load(open(sys.argv[1]))
except ValueError:
    r = {"errors": ["browser.py: " + open(sys.argv[1]).read()[-300:]], "requests": None, "dialogs": None, "ready": False}
def check(ok, what, why):
    print(("ok html %s: %s" % (name, what)) if ok else ("not ok html %s: %s: %s" % (name, what, why)))
check(r["ready"], "the page's script ran to its end in Chromium", r["errors"][:3])
check(not r["errors"], "no exception, console message or log entry (DevTools protocol)", r["errors"][:3])
check(r["requests"] == [sys.argv[2]], "nothing requested but the page itself", r["requests"])
check(r["dialogs"] == [], "no dialog opened", r["dialogs"])
console = [l for l in open(sys.argv[3], errors="replace") if ":CONSOLE" in l or "Uncaught" in l]
check(not console, "no console message in Chromium's log (--enable-logging=stderr)", console[:3])
PY
    check_lines "$TMP/check"
}

if [ -z "$chromium_bin" ]; then
    fail "html: chromium is installed" "the --html tests open the page in headless Chromium: apt-get install chromium" \
        "(make deps installs it)"
else
    pass "html: chromium is installed ($("$chromium_bin" --version 2>/dev/null | head -n 1))"

    # The harness sees what it must: an exception, a console message, a fetch and a dialog, through both channels.
    cat >"$TMP/canary.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>canary</title></head><body><p>canary</p>
<script>console.error("canary console message");</script>
<script>no_such_function();</script>
<img src="http://canary.invalid/x.png" alt="">
<script>alert("canary dialog"); document.documentElement.dataset.ready = "yes";</script>
</body></html>
HTML
    in_browser canary "$TMP/canary.html"
    # --dump-dom waits on a dialog: its canary has none.
    grep -v alert "$TMP/canary.html" >"$TMP/canary-log.html"
    dump_dom canary "$TMP/canary-log.html"
    python3 - "$TMP/canary.browser" "$TMP/canary.log" >"$TMP/check" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
log = open(sys.argv[2], errors="replace").read()
def check(ok, what):
    print(("ok " if ok else "not ok ") + "html canary: the harness sees " + what + ("" if ok else ": %s" % r))
check(any("no_such_function" in e for e in r["errors"]), "an uncaught exception")
check(any("canary console message" in e for e in r["errors"]), "a console message")
check("http://canary.invalid/x.png" in r["requests"], "a request for an outside URL")
check(r["dialogs"] == ["canary dialog"], "a dialog")
check("canary console message" in log and "Uncaught ReferenceError" in log, "console messages in Chromium's log")
PY
    check_lines "$TMP/check"
fi

# --- Usage: --html FILE is an action with its own output. ---
expect_usage() { # expect_usage REGEX NAME: the first stderr line matches (the second says to try --help)
    if head -n 1 "$TMP/err" | grep -Eq -- "$1"; then pass "$2"; else fail "$2" "stderr: $(head -c 300 "$TMP/err")"; fi
}
leak_dump=$(dump_for leak "$(newest leak)")
hs --html "$TMP/x.html" -o "$TMP/y.html" "$leak_dump"
expect_rc 2 "html: --html with -o is a usage error"
expect_usage '^heapspurs: --html FILE writes HTML to FILE: -o does not apply$' "html: --html with -o says why"
hs --html "$TMP/x.html" --format json "$leak_dump"
expect_rc 2 "html: --html with --format is a usage error"
hs --html "$TMP/x.html" --leaks "$leak_dump"
expect_usage '^heapspurs: one action at a time: --html and --leaks were both given$' "html: --html is an action"
hs --html "$TMP/x.html" --depth 2 "$leak_dump"
expect_rc 2 "html: --depth does not apply to --html"
[ ! -e "$TMP/x.html" ] && pass "html: a usage error writes no page" || fail "html: a usage error writes no page"
cp "$leak_dump" "$TMP/input.dump"
hs --html "$TMP/input.dump" "$TMP/input.dump"
expect_rc 2 "html: --html over the input dump is refused"
cmp -s "$leak_dump" "$TMP/input.dump" && pass "html: the dump is left as it was" || fail "html: the dump is left as it was"
cp "$BINS/leak-$(newest leak)" "$TMP/program"
hs --html "$TMP/program" --program "$TMP/program" "$leak_dump"
expect_rc 2 "html: --html over the --program binary is refused"
cmp -s "$BINS/leak-$(newest leak)" "$TMP/program" && pass "html: the program is left as it was" ||
    fail "html: the program is left as it was"
echo "before" >"$TMP/kept.html"
printf 'go1.7 heap dump\n\001' >"$TMP/cut.dump"
hs --html "$TMP/kept.html" "$TMP/cut.dump"
expect_rc 1 "html: a damaged dump exits 1"
[ "$(cat "$TMP/kept.html")" = before ] && pass "html: a failed run leaves the old page in place" ||
    fail "html: a failed run leaves the old page in place"

# --- Pages of real dumps: the embedded documents are the JSON reports, the DOM shows their rows. ---
# page NAME ROWS DUMP [ARGS...]: writes $TMP/NAME.html and the reports it embeds ($TMP/NAME.leaks.json, ...).
page() {
    name=$1 rows=$2 dump=$3
    shift 3
    hs --html "$TMP/$name.html" --limit "$rows" "$@" "$dump"
    expect_rc 0 "html $name: --html exits 0"
    [ -s "$TMP/$name.html" ] && [ ! -s "$TMP/out" ] && pass "html $name: the page is in the file, nothing on stdout" ||
        fail "html $name: the page is in the file, nothing on stdout" "$(head -c 200 "$TMP/out")"
    "$HS" -q --leaks --format json "$@" "$dump" >"$TMP/$name.leaks.json"
    "$HS" -q --top "$rows" --format json "$@" "$dump" >"$TMP/$name.top.json"
    "$HS" -q --goroutines --format json "$@" "$dump" >"$TMP/$name.goroutines.json"
    "$HS" -q --sites --limit "$rows" --format json "$@" "$dump" >"$TMP/$name.sites.json"
    "$HS" -q --print --format json "$dump" >"$TMP/$name.records.jsonl"
    specs="hs-leaks=$TMP/$name.leaks.json hs-top=$TMP/$name.top.json hs-goroutines=$TMP/$name.goroutines.json"
    specs="$specs hs-sites=$TMP/$name.sites.json"
    case " $* " in *" --program "*)
        "$HS" -q --types --retained --limit "$rows" --format json "$@" "$dump" >"$TMP/$name.types.json"
        specs="$specs hs-types=$TMP/$name.types.json" ;;
    esac
    python3 tests/cli/html_check.py static "html $name" "$TMP/$name.html" >"$TMP/check" 2>&1
    check_lines "$TMP/check"
    # shellcheck disable=SC2086 # specs is a list
    python3 tests/cli/html_check.py docs "html $name" "$TMP/$name.html" $specs >"$TMP/check" 2>&1
    check_lines "$TMP/check"
    [ -n "$chromium_bin" ] || return 0
    dump_dom "$name" "$TMP/$name.html"
    # shellcheck disable=SC2086
    python3 tests/cli/html_check.py dom "html $name (Chromium's DOM)" "$TMP/$name.dom" $specs \
        "records=$TMP/$name.records.jsonl" >"$TMP/check" 2>&1
    check_lines "$TMP/check"
}

v=go1.26.8
page types 100 "$(dump_for types $v)" --program "$BINS/types-$v"
if [ -n "$chromium_bin" ]; then
    # Sorting by a header (numbers descending first, then ascending; words in order) and the search box.
    in_browser types "$TMP/types.html" "$(cat <<'JS'
(function () {
  function column(table, key) {
    return Array.prototype.filter.call(document.querySelectorAll('#' + table + ' tbody tr'), function (tr) {
      return !tr.hidden;
    }).map(function (tr) { return tr.querySelector('td[data-key="' + key + '"]').textContent; });
  }
  var bytes = document.querySelector('#types-table th[data-key="bytes"]');
  bytes.click();
  var descending = column('types-table', 'bytes').map(Number), first = bytes.getAttribute('aria-sort');
  bytes.click();
  var ascending = column('types-table', 'bytes').map(Number), second = bytes.getAttribute('aria-sort');
  document.querySelector('#types-table th[data-key="type"]').click();
  var names = column('types-table', 'type');
  var inOrder = names.every(function (n, i) { return i === 0 || names[i - 1].localeCompare(n) <= 0; });
  var search = document.getElementById('search');
  search.value = 'main.Request';
  search.dispatchEvent(new Event('input'));
  var rows = document.querySelectorAll('#types-table tbody tr').length;
  var result = {descending: descending, first: first, ascending: ascending, second: second, inOrder: inOrder,
                names: names.length, shown: column('types-table', 'type'), rows: rows,
                caption: document.querySelector('#types-table caption').textContent,
                summaryRows: document.querySelectorAll('#summary-table tbody tr:not([hidden])').length,
                suspects: column('suspects-table', 'suspect'),
                suspectsHidden: Array.prototype.map.call(document.querySelectorAll('#suspects-table tbody tr'),
                                                         function (tr) { return tr.hidden; }),
                figuresHidden: Array.prototype.map.call(document.querySelectorAll('figure.graph'),
                                                        function (f) { return f.hidden; })};
  search.value = '';
  search.dispatchEvent(new Event('input'));
  result.cleared = column('types-table', 'type').length;
  return result;
})()
JS
)"
    quiet_browser types "$TMP/types.html"
    python3 - "$TMP/types.browser" "$TMP/types.leaks.json" >"$TMP/check" 2>&1 <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))["value"]
leaks = json.load(open(sys.argv[2]))
def check(ok, what):
    print(("ok " if ok else "not ok ") + "html types: " + what + ("" if ok else ": %s" % json.dumps(v)[:400]))
d = v["descending"]
check(len(d) > 10 and d == sorted(d, reverse=True) and v["first"] == "descending", "a click on Bytes sorts largest first")
check(v["ascending"] == sorted(d) and v["second"] == "ascending", "a second click sorts smallest first")
check(v["inOrder"] and v["names"] == len(d), "a click on Go type sorts the names")
shown = v["shown"]
check(0 < len(shown) < v["rows"] and all("main.request" in s.lower() for s in shown),
      "the search box leaves the rows that hold 'main.Request' (%d of %d)" % (len(shown), v["rows"]))
check(v["caption"] == "%d of %d rows" % (len(shown), v["rows"]), "the caption counts the rows shown")
check(v["summaryRows"] > 5, "the summary table is not filtered")
check(v["suspects"] and all("main.request" in s.lower() for s in v["suspects"]) and
      len(v["suspects"]) < len(leaks["suspects"]), "the suspects table is filtered too")
check(v["figuresHidden"] == v["suspectsHidden"], "a suspect's owner graph is shown when its row is")
check(v["cleared"] == v["rows"], "an empty search shows every row again")
PY
    check_lines "$TMP/check"
fi

page goroutines 100 "$(dump_for goroutines $v)" --program "$BINS/goroutines-$v"
if [ -n "$chromium_bin" ]; then
    in_browser goroutines "$TMP/goroutines.html" "$(cat <<'JS'
(function () {
  var search = document.getElementById('search');
  search.value = 'leakSend';
  search.dispatchEvent(new Event('input'));
  function shown(selector) {
    return Array.prototype.filter.call(document.querySelectorAll(selector), function (e) { return !e.hidden; });
  }
  return {groups: shown('#goroutines-table tbody tr').map(function (tr) { return tr.textContent; }),
          suspects: shown('#suspects-table tbody tr').map(function (tr) { return tr.id; }),
          figures: shown('figure.graph').map(function (f) { return f.id; }),
          leakedRows: document.querySelectorAll('#goroutines-table tr.leaked').length};
})()
JS
)"
    quiet_browser goroutines "$TMP/goroutines.html"
    python3 - "$TMP/goroutines.browser" "$TMP/goroutines.goroutines.json" "$TMP/goroutines.leaks.json" >"$TMP/check" 2>&1 <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))["value"]
groups, leaks = json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
def check(ok, what):
    print(("ok " if ok else "not ok ") + "html goroutines: " + what + ("" if ok else ": %s" % json.dumps(v)[:400]))
check(v["groups"] and all("leakSend" in g for g in v["groups"]),
      "the search box leaves the goroutine groups with a frame 'leakSend' (%d)" % len(v["groups"]))
want = ["suspect-%d" % (i + 1) for i, s in enumerate(leaks["suspects"]) if "leakSend" in json.dumps(s)]
check(want and v["suspects"] == want, "and the suspects that hold it (%s)" % want)
check(v["figures"] == [w.replace("suspect", "graph") for w in want], "and only their owner graphs")
n = sum(1 for g in groups["groups"] if g["leaked"] is True)
check(n > 0 and v["leakedRows"] == n, "the %d leaked groups are marked in the table" % n)
PY
    check_lines "$TMP/check"
fi

page leak 5 "$leak_dump"
grep -q 'give --program BINARY' "$TMP/leak.html" && ! grep -q 'id="types-table"' "$TMP/leak.html" &&
    pass "html leak: without --program the types section says what it needs" ||
    fail "html leak: without --program the types section says what it needs"
[ -n "$chromium_bin" ] && in_browser leak "$TMP/leak.html" && quiet_browser leak "$TMP/leak.html"

# --- Hostile names: from the OID file (object names) and the dump (GOARCH, frame function, wait reason, the
# allocation site's function and file) end up in tables, JSON and graph labels, as text. ---
python3 - "$TMP/hostile.dump" "$TMP/hostile.oid" <<'PY'
import struct, sys; sys.path.insert(0, "tests/cli")
from dumpwrite import uv, string, fields
H = b"</script><img src=x onerror=alert(1)>"
H2 = "\u2028</SCRIPT ><!--<script>alert(2)</script>-->&amp;\"'<svg onload=alert(3)>\u2029".encode()
heap = 0xc000000000
out = b"go1.7 heap dump\n"
out += uv(6) + uv(0) + uv(8) + uv(heap) + uv(heap + 0x10000) + string(b"amd64" + H) + string(b"go1.19.8") + uv(2)
# The suspect: 4 KiB, first word an OID, pointing at a second named object that points back at it.
out += uv(1) + uv(heap) + string(struct.pack("<QQ", 0xcaffe14e00000001, heap + 0x2000) + bytes(4080)) + fields([8])
out += uv(1) + uv(heap + 0x2000) + string(struct.pack("<QQ", 0xcaffe14e00000002, heap) + bytes(496)) + fields([8])
out += uv(1) + uv(heap + 0x4000) + string(bytes(1024)) + fields([])  # held by a goroutine's frame only
out += uv(13) + uv(0x5a0000) + string(struct.pack("<Q", heap)) + fields([0])
out += (uv(4) + uv(0xc000600000) + uv(0xc000800000) + uv(7) + uv(0x401000) + uv(4) + uv(0) + uv(0) + uv(0) +
        string(b"chan receive" + H) + uv(0) + uv(0) + uv(0) + uv(0))
out += (uv(5) + uv(0xc000800000) + uv(0) + uv(0) + string(struct.pack("<QQ", heap + 0x4000, 0)) + uv(0x401000) +
        uv(0x401010) + uv(0x401020) + string(b"main.worker" + H) + fields([0]))
out += (uv(16) + uv(0x1000) + uv(4096) + uv(1) + string(b"main.alloc" + H) + string(b"/src/" + H2 + b".go") + uv(7) +
        uv(1) + uv(0))
out += uv(17) + uv(heap) + uv(0x1000)
out += uv(10) + b"".join(uv(i) for i in range(281))
out += uv(0)
open(sys.argv[1], "wb").write(out)
open(sys.argv[2], "wb").write(b"0xcaffe14e00000001 " + H + b"\n0xcaffe14e00000002 " + H2 + b"\n")
PY
page hostile 100 "$TMP/hostile.dump" --oid "$TMP/hostile.oid"
if [ -n "$chromium_bin" ]; then
    in_browser hostile "$TMP/hostile.html" "$(cat <<'JS'
(function () {
  var names = {};
  Array.prototype.forEach.call(document.querySelectorAll('*'), function (e) { names[e.localName] = true; });
  function cells(table, key) {
    return Array.prototype.map.call(document.querySelectorAll('#' + table + ' td[data-key="' + key + '"]'),
                                    function (td) { return td.textContent; });
  }
  return {elements: Object.keys(names).sort(), svgs: document.querySelectorAll('svg').length,
          figures: document.querySelectorAll('figure').length, scripts: document.scripts.length,
          handlers: Array.prototype.filter.call(document.querySelectorAll('*'), function (e) {
            return Array.prototype.some.call(e.attributes, function (a) { return /^on/i.test(a.name); });
          }).length,
          title: document.title,
          suspects: cells('suspects-table', 'suspect'), retainers: cells('retainers-table', 'retainer'),
          waits: cells('goroutines-table', 'waitreason'), functions: cells('sites-table', 'function'),
          files: cells('sites-table', 'file'), summary: cells('summary-table', 'value'),
          labels: Array.prototype.map.call(document.querySelectorAll('svg text'), function (t) { return t.textContent; })};
})()
JS
)"
    quiet_browser hostile "$TMP/hostile.html"
    python3 - "$TMP/hostile.browser" >"$TMP/check" 2>&1 <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))["value"]
H = "</script><img src=x onerror=alert(1)>"
H2 = "\u2028</SCRIPT ><!--<script>alert(2)</script>-->&amp;\"'<svg onload=alert(3)>\u2029"
def check(ok, what, why=None):
    print(("ok " if ok else "not ok ") + "html hostile: " + what + ("" if ok else ": %s" % (why or json.dumps(v)[:500])))
allowed = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "span", "nav", "a", "input",
           "main", "noscript", "section", "p", "div", "table", "caption", "thead", "tbody", "tr", "th", "td", "details",
           "summary", "figure", "figcaption", "script", "svg", "g", "title", "text", "polygon", "polyline", "ellipse",
           "path"}
check(set(v["elements"]) <= allowed, "no element but the page's own (no img, no injected script or svg)",
      sorted(set(v["elements"]) - allowed))
check(v["svgs"] == v["figures"] == 2, "one svg per suspect figure, none injected", (v["svgs"], v["figures"]))
check(v["scripts"] == 6 and v["handlers"] == 0, "the page's 6 script elements, no event-handler attribute",
      (v["scripts"], v["handlers"]))
check(v["title"].startswith("heapspurs: ") and v["title"].endswith("/hostile.dump"), "the title is the dump's name",
      v["title"])
check(H + " @ 0xc000000000" in v["suspects"], "the OID name shows as text in the suspects table", v["suspects"])
check(H2 + " @ 0xc000002000" in v["retainers"], "a name with U+2028, </SCRIPT, <!-- and quotes shows as text",
      v["retainers"])
check("chan receive" + H in v["waits"], "a wait reason from the dump shows as text", v["waits"])
check("main.alloc" + H in v["functions"] and "/src/" + H2 + ".go:7" in v["files"],
      "an allocation site's function and file show as text", (v["functions"], v["files"]))
check(any(s.startswith("amd64" + H) for s in v["summary"]), "GOARCH from the dump shows as text", v["summary"])
check(H + " (4 kiB)" in v["labels"] and H2 + " (512 B)" in v["labels"] and
      any(l.endswith("main.worker" + H) for l in v["labels"]), "graph labels show the names as text", v["labels"])
PY
    check_lines "$TMP/check"
fi
