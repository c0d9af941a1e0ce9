#!/usr/bin/env python3
"""html_check.py — checks of an --html page for tests/cli/t_html.sh. Each prints "ok NAME" or "not ok NAME: why"
lines, one per check.

  html_check.py static NAME PAGE
      the page as written: it names no URL, loads nothing (no src, no external href, no element that fetches), its
      one script and style carry the nonce of its Content-Security-Policy (default-src 'none'), every other
      script element is JSON
  html_check.py docs NAME PAGE ID=REPORT.json...
      each embedded <script type="application/json" id=ID> holds the same JSON as the report heapspurs printed
  html_check.py dom NAME DOM ID=REPORT.json...
      the tables of the DOM Chromium rendered (--dump-dom) show the reports' rows: hs-leaks in suspects-table,
      hs-top in retainers-table, hs-types in types-table, hs-goroutines in goroutines-table, hs-sites in
      sites-table; one figure with one inline SVG per suspect; no id twice
Python 3 standard library only.
"""
import html.parser
import json
import re
import sys

FETCHING = {"img", "link", "iframe", "frame", "object", "embed", "base", "audio", "video", "source", "track",
            "image", "use", "picture", "portal", "form"}


class Page(html.parser.HTMLParser):
    """Elements with their attributes, and the text of each element with an id and of every table cell."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []      # (tag, attrs dict)
        self.scripts = []       # (attrs, text)
        self.tables = {}        # id -> rows: [ {key: text} ]
        self.stack = []
        self.table = None
        self.row = None
        self.cell = None        # (key, [text])
        self.script = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "script":
            self.script = (a, [])
        if tag == "table":
            self.table = a.get("id")
            self.tables.setdefault(self.table, [])
        elif tag == "tr" and self.table is not None:
            self.row = {}
        elif tag == "td" and self.row is not None:
            self.cell = (a.get("data-key"), [])

    def handle_endtag(self, tag):
        if tag == "script" and self.script is not None:
            self.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None
        elif tag == "td" and self.cell is not None:
            self.row[self.cell[0]] = "".join(self.cell[1])
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.tables[self.table].append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        if self.script is not None:
            self.script[1].append(data)
        if self.cell is not None:
            self.cell[1].append(data)


def parse(path):
    page = Page()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    page.feed(text)
    page.close()
    return page, text


class Checks:
    def __init__(self, name):
        self.name = name

    def check(self, ok, what, why=""):
        print(("ok %s: %s" % (self.name, what)) if ok else ("not ok %s: %s: %s" % (self.name, what, why)))


def static(c, path):
    page, text = parse(path)
    url = re.search(r"(?i).{0,40}\b((https?|ftp|wss?|file):/|javascript:).{0,40}", text)
    c.check(not url, "the page names no URL (http:, https:, file:, javascript: ...)", url and url.group(0))
    fetching = sorted({tag for tag, _ in page.elements if tag in FETCHING})
    c.check(not fetching, "no element that loads something", fetching)
    sources = [(tag, a) for tag, a in page.elements if "src" in a or "srcset" in a or "data" in a and tag == "object"]
    c.check(not sources, "no src attribute", sources[:3])
    hrefs = [a.get("href") for tag, a in page.elements if "href" in a or "xlink:href" in a]
    c.check(all(h is not None and h.startswith("#") for h in hrefs), "every link is to a place in the page", hrefs)
    handlers = [(tag, k) for tag, a in page.elements for k in a if k.lower().startswith("on")]
    c.check(not handlers, "no event-handler attribute", handlers[:3])
    styles = [tag for tag, a in page.elements if "style" in a]
    c.check(not styles, "no style attribute", styles[:3])
    c.check("@import" not in text and "url(" not in text.replace("url(#", ""), "no @import or url() to load")
    csp = [a.get("content", "") for tag, a in page.elements
           if tag == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"]
    nonce = re.search(r"script-src 'nonce-([0-9a-f]{32})'", csp[0]) if len(csp) == 1 else None
    c.check(nonce and "default-src 'none'" in csp[0] and "style-src 'nonce-%s'" % nonce.group(1) in csp[0],
            "a Content-Security-Policy: default-src 'none', script and style by a 128-bit nonce", csp)
    nonce = nonce.group(1) if nonce else "?"
    code = [a for a, _ in page.scripts if a.get("type") != "application/json"]
    c.check(len(code) == 1 and code[0].get("nonce") == nonce and "src" not in code[0],
            "one script, inline, with the policy's nonce; the others are JSON", [a for a, _ in page.scripts])
    style = [a for tag, a in page.elements if tag == "style"]
    c.check(len(style) == 1 and style[0].get("nonce") == nonce, "one style element, with the nonce", style)
    closes = len(re.findall(r"(?i)</script", text))
    c.check(closes == len(page.scripts), "'</script' only where a script element ends (%d)" % closes,
            "%d script elements" % len(page.scripts))
    raw = re.findall(r"(?i)<(img|iframe|object|embed|link|base)\b", text)
    c.check(not raw, "no <img, <iframe, <object, <embed, <link or <base anywhere in the bytes", raw[:3])


def docs(c, path, specs):
    page, _ = parse(path)
    embedded = {a.get("id"): body for a, body in page.scripts if a.get("type") == "application/json"}
    for spec in specs:
        ident, report = spec.split("=", 1)
        with open(report, encoding="utf-8") as f:
            want = json.load(f)
        if ident not in embedded:
            c.check(False, "%s is embedded" % ident, sorted(embedded))
            continue
        got = json.loads(embedded[ident])
        c.check(got == want, "%s holds what %s holds" % (ident, report.rsplit("/", 1)[-1]),
                "they differ" if isinstance(got, dict) else type(got))
        raw = embedded[ident]
        c.check(not re.search("[<>&\u2028\u2029]", raw), "%s: no <, >, & or U+2028/9 raw in the JSON text" % ident)


def label(o):
    name, typ = o.get("name"), o.get("type")
    what = name if name is not None else (typ if typ is not None else "object")
    if name is not None and typ is not None:
        what += " (" + typ + ")"
    return what


def node_text(n):
    return label(n["object"]) + " @ " + n["object"]["address"] if n["kind"] == "object" else n["group"]["description"]


def same_number(text, value):
    if value is None:
        return text == ""
    try:
        return float(text) == float(value)
    except ValueError:
        return False


def compare_rows(c, what, rows, items, columns):
    """columns: (key, function of the item giving the expected cell: a number, or a string to match exactly)."""
    c.check(len(rows) == len(items), "%s: %d rows, as the report" % (what, len(items)), "%d rows" % len(rows))
    bad = []
    for i, (row, item) in enumerate(zip(rows, items)):
        for key, get in columns:
            want, got = get(item, i), row.get(key)
            ok = same_number(got or "", want) if isinstance(want, (int, float)) or want is None else got == want
            if not ok:
                bad.append("row %d %s: %r, want %r" % (i + 1, key, got, want))
    c.check(not bad, "%s: every cell as the report (%s)" % (what, ", ".join(k for k, _ in columns)), bad[:4])


def dom(c, path, specs):
    page, _ = parse(path)
    reports = {}
    for spec in specs:
        ident, report = spec.split("=", 1)
        with open(report, encoding="utf-8") as f:
            if ident == "records":  # --print --format json: JSON Lines
                reports[ident] = [json.loads(line) for line in f]
            else:
                reports[ident] = json.load(f)
    c.check(any(tag == "html" and a.get("data-ready") == "yes" for tag, a in page.elements),
            "the script ran to its end")
    t = page.tables
    leaks = reports.get("hs-leaks")
    if leaks is not None:
        compare_rows(c, "suspects-table", t.get("suspects-table", []), leaks["suspects"], [
            ("rank", lambda s, i: i + 1),
            ("suspect", lambda s, i: node_text(s)),
            ("retained_bytes", lambda s, i: s["retained"]["bytes"]),
            ("retained_objects", lambda s, i: s["retained"]["objects"]),
            ("percent", lambda s, i: s["percent"]),
            ("own_bytes", lambda s, i: s["own_bytes"]),
        ])
        figures = [a for tag, a in page.elements if tag == "figure"]
        svgs = sum(1 for tag, _ in page.elements if tag == "svg")
        c.check(len(figures) == len(leaks["suspects"]) and svgs == len(figures) and
                [a.get("data-suspect") for a in figures] == [str(i + 1) for i in range(len(figures))],
                "one figure with one inline SVG per suspect (%d)" % len(leaks["suspects"]),
                "%d figures, %d svg elements" % (len(figures), svgs))
        compare_rows(c, "leaked-table", t.get("leaked-table", []), leaks.get("leaked_goroutines") or [], [
            ("count", lambda g, i: g["count"]),
            ("waitreason", lambda g, i: g["waitreason"]),
            ("retained_bytes", lambda g, i: g["retained"]["bytes"]),
        ])
    top = reports.get("hs-top")
    if top is not None:
        compare_rows(c, "retainers-table", t.get("retainers-table", []), top["top"], [
            ("retainer", lambda e, i: node_text(e)),
            ("retained_bytes", lambda e, i: e["retained"]["bytes"]),
            ("retained_objects", lambda e, i: e["retained"]["objects"]),
            ("shallow", lambda e, i: e["shallow"]),
        ])
    types = reports.get("hs-types")
    if types is not None:
        compare_rows(c, "types-table", t.get("types-table", []), types["types"], [
            ("type", lambda r, i: "(untyped)" if r["type"] is None else r["type"]),
            ("count", lambda r, i: r["count"]),
            ("bytes", lambda r, i: r["bytes"]),
            ("retained_bytes", lambda r, i: r["retained"]["bytes"]),
        ])
    goroutines = reports.get("hs-goroutines")
    if goroutines is not None:
        compare_rows(c, "goroutines-table", t.get("goroutines-table", []), goroutines["groups"], [
            ("count", lambda g, i: g["count"]),
            ("waitreason", lambda g, i: g["waitreason"]),
            ("label", lambda g, i: g["label"]),
            ("leaked", lambda g, i: {True: "LEAKED", False: "no", None: "unknown"}[g["leaked"]]),
            ("retained_bytes", lambda g, i: g["retained"]["bytes"]),
        ])
    sites = reports.get("hs-sites")
    if sites is not None:
        compare_rows(c, "sites-table", t.get("sites-table", []), sites["sites"], [
            ("function", lambda s, i: s["function"]),
            ("file", lambda s, i: "%s:%d" % (s["file"], s["line"])),
            ("objects", lambda s, i: s["objects"]),
            ("bytes", lambda s, i: s["bytes"]),
            ("retained_bytes", lambda s, i: s["retained"]["bytes"]),
        ])
    records = reports.get("records")
    if records is not None:
        memstats = [r for r in records if r["record"] == "memstats"]
        params = [r for r in records if r["record"] == "params"][0]
        names = list(memstats[0])[2:26] + ["NumGC"] if memstats else []
        compare_rows(c, "memstats-table", t.get("memstats-table", []), names, [
            ("field", lambda n, i: n),
            ("value", lambda n, i: str(memstats[0][n])),  # as text: LastGC passes 2^53
        ])
        summary = {row.get("what"): row.get("value") for row in t.get("summary-table", [])}
        c.check(summary.get("Go version") == params["goversion"], "the summary's Go version is the params record's",
                summary.get("Go version"))
        if leaks is not None:
            want = "%d objects, %d bytes" % (leaks["live"]["objects"], leaks["live"]["bytes"])
            garbage = "%d objects, %d bytes" % (leaks["garbage"]["objects"], leaks["garbage"]["bytes"])
            c.check(summary.get("Live") == want and summary.get("Garbage (unreachable, not counted)") == garbage,
                    "the summary's live and garbage totals are --leaks's", (summary.get("Live"), want))
    ids = [a["id"] for _, a in page.elements if "id" in a]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    c.check(not twice, "no id twice in the page (%d ids)" % len(ids), twice[:5])


def main(argv):
    kind, name, path = argv[1], argv[2], argv[3]
    c = Checks(name)
    try:
        if kind == "static":
            static(c, path)
        elif kind == "docs":
            docs(c, path, argv[4:])
        elif kind == "dom":
            dom(c, path, argv[4:])
        else:
            sys.exit("html_check.py: unknown check " + kind)
    except Exception as e:  # a crash is one failed check, with its reason
        c.check(False, "%s check ran" % kind, "%s: %s" % (type(e).__name__, e))


if __name__ == "__main__":
    main(sys.argv)
