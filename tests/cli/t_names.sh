# t_names.sh — names from the dump, the program and the OID file, whatever their bytes: terminal text shows
# control characters escaped, JSON parses in a strict parser, the SVG stays well-formed.

v=$(newest leak)
leak_dump=$(dump_for leak "$v")
leak_facts=$DUMPS/leak-$v.facts
elem=$(fact "$leak_facts" elem.0)
global=$(fact "$leak_facts" global)

# Hostile bytes: an overlong NUL (c0 80), a surrogate (ed a0 80), a code point past U+10FFFF (f4 90 80 80),
# ESC [2J (clear the screen), BEL, CSI as C1 (c2 9b), DEL, a stray ff.
python3 - "$TMP/names.dump" "$TMP/names.oid" <<'PY'
import struct, sys; sys.path.insert(0, "tests/cli")
from dumpwrite import uv, string
bad = b"a\xc0\x80b\xed\xa0\x80c\xf4\x90\x80\x80d\x1b[2J\x07\xc2\x9b\x7fe\xff"
out = b"go1.7 heap dump\n"
out += uv(6) + uv(0) + uv(8) + uv(0xc000000000) + uv(0xc000100000) + string(b"amd64") + string(b"go1.19.8") + uv(1)
out += uv(1) + uv(0xc000000000) + string(struct.pack("<QQ", 0xcaffe14e00000001, 0)) + uv(0)
out += uv(1) + uv(0xc000000010) + string(struct.pack("<QQ", 0xc000000000, 0)) + uv(1) + uv(0) + uv(0)
out += uv(2) + string(bad) + uv(0xc000000010)
out += uv(3) + uv(0x4000) + uv(16) + string(bad) + uv(0)
out += uv(0)
open(sys.argv[1], "wb").write(out)
open(sys.argv[2], "wb").write(b"0xcaffe14e00000001 " + bad + b"\n")
PY
escaped='a\\xc0\\x80b\\xed\\xa0\\x80c\\xf4\\x90\\x80\\x80d\\x1b\[2J\\x07\\xc2\\x9b\\x7fe\\xff'

# terminal_safe NAME: stdout is well-formed UTF-8 with no control character but newline (C0, DEL, C1).
terminal_safe() {
    if python3 -c '
import re, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")
bad = re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", text)
sys.exit(1 if bad else 0)' "$TMP/out" 2>"$TMP/check.err"; then pass "$1"; else
        fail "$1" "stdout holds invalid UTF-8 or a control character" "$(head -c 200 "$TMP/check.err")"; fi
}

# strict_json NAME [lines]: stdout is JSON (JSON Lines with "lines") that a strict parser takes from strict UTF-8.
strict_json() {
    if python3 -c '
import json, sys
text = open(sys.argv[1], "rb").read().decode("utf-8")
for doc in (text.splitlines() if sys.argv[2] == "lines" else [text]):
    json.loads(doc)' "$TMP/out" "${2:-one}" 2>"$TMP/check.err"; then pass "$1"; else
        fail "$1" "$(tail -n 1 "$TMP/check.err")"; fi
}

hs --print --oid "$TMP/names.oid" "$TMP/names.dump"
expect_rc 0 "hostile names: --print exits 0"
expect_out "^$escaped @ 0xc000000000 with 0 pointers in 16 bytes$" "hostile names: an OID name is escaped in --print"
expect_out "^OtherRoot @ 0xc000000010: $escaped$" "hostile names: a dump string is escaped in --print"
terminal_safe "hostile names: --print writes no control character and only UTF-8"
hs --address 0xc000000000 --owners 1 --oid "$TMP/names.oid" "$TMP/names.dump"
expect_out "^$escaped @ 0xc000000000 with 0 pointers in 16 bytes" "hostile names: an OID name is escaped in --owners"
terminal_safe "hostile names: --owners writes no control character and only UTF-8"
hs --print --format json --oid "$TMP/names.oid" "$TMP/names.dump"
strict_json "hostile names: --print --format json is strict JSON" lines
hs --address 0xc000000000 --owners 1 --format json --oid "$TMP/names.oid" "$TMP/names.dump"
strict_json "hostile names: --owners --format json is strict JSON"
name=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["object"]["name"].encode("unicode_escape").decode())' \
    "$TMP/out" 2>&1)
expect_eq "$name" 'a\xc0\x80b\xed\xa0\x80c\xf4\x90\x80\x80d\x1b[2J\x07\x9b\x7fe\xff' \
    "hostile names: JSON gives each byte of invalid UTF-8 as \\u00XX, well-formed UTF-8 as is"
hs -q --address 0xc000000000 --oid "$TMP/names.oid" -o "$TMP/names.svg" "$TMP/names.dump"
expect_rc 0 "hostile names: the graph exits 0"
if python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$TMP/names.svg" 2>"$TMP/check.err"; then
    pass "hostile names: the SVG is well-formed XML"
else
    fail "hostile names: the SVG is well-formed XML" "$(tail -n 1 "$TMP/check.err")"
fi

# Symbols: the global's name in a copy of the program replaced by hostile bytes of the same length.
python3 - "testdata/bin/leak-$v" "$global" "$TMP/ctl-bin" "$TMP/bad-bin" <<'PY'
import sys
data, name = open(sys.argv[1], "rb").read(), sys.argv[2].encode() + b"\0"
assert len(name) == 12 and data.count(name) == 1, "the global's name must be 11 bytes, once in the file"
open(sys.argv[3], "wb").write(data.replace(name, b"m\x1b[31m\x07\xc2\x9bab\0"))
open(sys.argv[4], "wb").write(data.replace(name, b"m\xc0\x80\xed\xa0\x80\xf4\x90\x80\x80a\0"))
PY
hs --address "$elem" --anchors --program "$TMP/ctl-bin" "$leak_dump"
expect_rc 0 "hostile symbol: --anchors exits 0"
expect_out '^\[1\] bss slot 0x[0-9a-f]+ \(m\\x1b\[31m\\x07\\xc2\\x9bab\)$' "hostile symbol: escaped in --anchors"
terminal_safe "hostile symbol: --anchors writes no control character"
hs --address "$elem" --owners 2 --program "$TMP/ctl-bin" "$leak_dump"
expect_out '\(m\\x1b\[31m\\x07\\xc2\\x9bab\)' "hostile symbol: escaped in --owners"
terminal_safe "hostile symbol: --owners writes no control character"
hs --print --program "$TMP/ctl-bin" "$leak_dump"
terminal_safe "hostile symbol: --print writes no control character"
hs --address "$elem" --anchors --format json --program "$TMP/bad-bin" "$leak_dump"
strict_json "hostile symbol: --anchors --format json is strict JSON"
hs --top 5 --format json --program "$TMP/bad-bin" "$leak_dump"
strict_json "hostile symbol: --top --format json is strict JSON"
