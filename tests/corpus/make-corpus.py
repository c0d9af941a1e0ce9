#!/usr/bin/env python3
"""make-corpus.py — derives corrupt heap dumps from a real committed dump, with a MANIFEST of expected outcomes.

Usage:
  make-corpus.py OUTDIR [--dump DUMP]   corrupt-dump corpus + OUTDIR/MANIFEST + OUTDIR/ADDRESS
  make-corpus.py --seeds OUTDIR         small valid dumps cut from the real dumps (fuzzing seeds)

The dump defaults to the smallest plain testdata/dumps/*.dump. MANIFEST lines are
"NAME EXIT STDERR DESCRIPTION": EXIT is the exit status heapspurs --print must give,
STDERR is "error" (one line naming the offset and the record, or truncation, or
"not a Go heap dump"), "warning" (a warning line, the run goes on) or "any".
Files named edge-* are not in the MANIFEST: tests/cli/t_corpus.sh runs scripted checks on them.
Python 3 standard library only.
"""
import gzip
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import dumpwrite  # noqa: E402

HEADER = b"go1.7 heap dump\n"
SEED = 20240611

# Field layouts per tag: u = uvarint, s = string, f = field list, p = profile frames, m = memstats.
LAYOUT = {
    0: "",
    1: "usf",
    2: "su",
    3: "uusu",
    4: "uuuuuuuusuuuu",
    5: "uuusuuusf",
    6: "uuuussu",
    7: "uuuuu",
    8: "uu",
    9: "uuu",
    10: "m",
    11: "uuuuu",
    12: "usf",
    13: "usf",
    14: "uuuuuuu",
    15: "uuuuuu",
    16: "uuup" + "uu",
    17: "uu",
}
TAG_NAMES = ["end-of-file", "object", "other root", "type", "goroutine", "stack frame", "params", "finalizer",
             "itab", "OS thread", "memstats", "queued finalizer", "data segment", "BSS segment", "defer", "panic",
             "alloc/free profile", "alloc sample"]


class Damaged(Exception):
    """The stream cannot be read on: what heapspurs must refuse with exit 1."""


def read_uvarint(data, pos):
    """Returns (value, next position); raises Damaged like hs_read_uvarint."""
    value = 0
    for i in range(10):
        if pos + i >= len(data):
            raise Damaged("truncated varint at %d" % pos)
        byte = data[pos + i]
        if byte < 0x80:
            if i == 9 and byte > 1:
                raise Damaged("varint overflow at %d" % pos)
            return value | (byte << (7 * i)), pos + i + 1
        value |= (byte & 0x7F) << (7 * i)
    raise Damaged("varint overflow at %d" % pos)


encode_uvarint = dumpwrite.uv  # the one varint encoder of the test tools (tests/cli/dumpwrite.py)


class Item:
    """One primitive of a record: kind u/s/k (field kind)/o (field offset), its byte span and value."""

    def __init__(self, kind, start, end, value, data_start=None):
        self.kind, self.start, self.end, self.value, self.data_start = kind, start, end, value, data_start


class Record:
    def __init__(self, tag, start):
        self.tag, self.start, self.end, self.items = tag, start, None, []


def walk(data):
    """Parses every record the way the C parser does. Returns (records, pointer size);
    raises Damaged where heapspurs must stop."""
    if len(data) == 0 or not HEADER.startswith(data[:16]) or len(data) < 16:
        raise Damaged("header")
    pos = 16
    records = []
    pointer_size = 0
    while True:
        if pos >= len(data):
            raise Damaged("no end-of-file record")
        start = pos
        tag, pos = read_uvarint(data, pos)
        if tag not in LAYOUT:
            raise Damaged("unknown tag %d" % tag)
        if pointer_size == 0 and tag not in (0, 6):
            raise Damaged("no params before %s" % TAG_NAMES[tag])
        record = Record(tag, start)
        content_length = 0
        for index, kind in enumerate(LAYOUT[tag]):
            if kind == "u":
                value, end = read_uvarint(data, pos)
                record.items.append(Item("u", pos, end, value))
                if tag == 6 and index == 1 and value not in (4, 8):
                    raise Damaged("pointer size %d" % value)
                pos = end
            elif kind == "s":
                length, end = read_uvarint(data, pos)
                if length > len(data) - end:
                    raise Damaged("length %d beyond the file" % length)
                record.items.append(Item("s", pos, end + length, length, end))
                content_length = length
                pos = end + length
                if tag in (1, 12, 13) and record.items[0].value + length >= 1 << 64:
                    raise Damaged("%s ends past 2^64" % TAG_NAMES[tag])
            elif kind == "f":
                while True:
                    kind_value, end = read_uvarint(data, pos)
                    record.items.append(Item("k", pos, end, kind_value))
                    pos = end
                    if kind_value == 0:
                        break
                    if kind_value > 3:
                        raise Damaged("unknown field kind %d" % kind_value)
                    offset, end = read_uvarint(data, pos)
                    record.items.append(Item("o", pos, end, offset))
                    pos = end
            elif kind == "p":
                depth = record.items[-1].value
                i = 0
                while i < depth:
                    for sub in "ssu":
                        value, end = read_uvarint(data, pos)
                        if sub == "s":
                            if value > len(data) - end:
                                raise Damaged("frame string beyond the file")
                            record.items.append(Item("s", pos, end + value, value, end))
                            pos = end + value
                        else:
                            record.items.append(Item("u", pos, end, value))
                            pos = end
                    i += 1
            elif kind == "m":
                for _ in range(281):
                    value, end = read_uvarint(data, pos)
                    record.items.append(Item("u", pos, end, value))
                    pos = end
        if tag == 6:
            if pointer_size:
                raise Damaged("second params record")
            pointer_size = record.items[1].value
        record.end = pos
        record.content_length = content_length
        records.append(record)
        if tag == 0:
            if pointer_size == 0:
                raise Damaged("no params record")
            return records, pointer_size


def objects_of(records):
    """(address, size) of every object record."""
    return [(r.items[0].value, r.items[1].value) for r in records if r.tag == 1]


def check_heap(records):
    """Raises Damaged when objects overlap (the heap model refuses them)."""
    objects = sorted(objects_of(records))
    for (a, size), (b, _) in zip(objects, objects[1:]):
        if a + size > b or a + size >= 1 << 64:
            raise Damaged("overlapping objects at 0x%x and 0x%x" % (a, b))


def expected_exit(data):
    try:
        records, _ = walk(data)
        check_heap(records)
    except Damaged:
        return 1
    return 0


def replace(data, start, end, new):
    return data[:start] + new + data[end:]


def pick_dump(root):
    dumps_dir = os.path.join(root, "testdata", "dumps")
    plain = [os.path.join(dumps_dir, n) for n in os.listdir(dumps_dir) if n.endswith(".dump")]
    if not plain:
        sys.exit("make-corpus.py: no plain .dump in %s" % dumps_dir)
    return min(plain, key=lambda p: (os.path.getsize(p), p))


def word(data, offset, pointer_size):
    return int.from_bytes(data[offset:offset + pointer_size], "little")


def synthetic_dump(objects, bss_words, version=b"go1.19.8"):
    """A small little-endian 64-bit dump: objects as (address, contents, pointer offsets), then (unless
    bss_words is None) a BSS segment at 0x5000 holding bss_words (each a pointer slot)."""
    def string(b):
        return encode_uvarint(len(b)) + b

    def fields(offsets):
        return b"".join(encode_uvarint(1) + encode_uvarint(o) for o in offsets) + b"\x00"

    out = HEADER + encode_uvarint(6) + encode_uvarint(0) + encode_uvarint(8) + encode_uvarint(0xc000000000) + \
        encode_uvarint(0xc000400000) + string(b"amd64") + string(version) + encode_uvarint(1)
    for address, contents, offsets in objects:
        out += encode_uvarint(1) + encode_uvarint(address) + string(contents) + fields(offsets)
    if bss_words is not None:
        bss = b"".join(w.to_bytes(8, "little") for w in bss_words)
        out += encode_uvarint(13) + encode_uvarint(0x5000) + string(bss) + fields(range(0, len(bss), 8))
    return out + b"\x00"


HOSTILE_NAME = b"a\xc0\x80b\xed\xa0\x80c\xf4\x90\x80\x80d\x1b[2J\x07\xc2\x9b\x7fe\xff"


def hostile_names_dump():
    """Strings that are no UTF-8 (an overlong NUL, a surrogate, a code point past U+10FFFF, a stray ff) and
    control characters (ESC, BEL, CSI as C1, DEL) in an other-root description, a type name and a frame."""
    def string(b):
        return encode_uvarint(len(b)) + b
    dump = synthetic_dump([(0xc000000000, bytes(16), [])], None)[:-1]
    dump += encode_uvarint(2) + string(HOSTILE_NAME) + encode_uvarint(0xc000000000)
    dump += encode_uvarint(3) + encode_uvarint(0x4000) + encode_uvarint(16) + string(HOSTILE_NAME) + b"\x00"
    dump += encode_uvarint(4) + b"".join(encode_uvarint(v) for v in (0xc000100000, 0x7000, 1, 0, 2, 0, 0, 0)) + \
        string(HOSTILE_NAME) + b"".join(encode_uvarint(v) for v in (0, 0, 0, 0))
    dump += encode_uvarint(5) + b"".join(encode_uvarint(v) for v in (0x7000, 0, 0)) + \
        string((0xc000000000).to_bytes(8, "little")) + b"".join(encode_uvarint(v) for v in (0x401000, 0x401010, 0)) + \
        string(HOSTILE_NAME) + encode_uvarint(1) + encode_uvarint(0) + b"\x00"
    return dump + b"\x00"


def top_page_dump(count=200):
    """A chain of 16-byte objects filling the last page of the address space, rooted in BSS."""
    base = (1 << 64) - 8192
    objects = [(base + 16 * i, ((base + 16 * (i + 1)) if i + 1 < count else 0).to_bytes(8, "little") + bytes(8),
                [0]) for i in range(count)]
    return synthetic_dump(objects, [base])


def make_corpus(out_dir, dump_path):
    data = open(dump_path, "rb").read()
    records, pointer_size = walk(data)
    check_heap(records)
    rng = random.Random(SEED)
    os.makedirs(out_dir, exist_ok=True)
    manifest = []

    def case(name, content, exit_code, stderr, description):
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(content)
        manifest.append("%s %d %s %s" % (name, exit_code, stderr, description))

    def modelled(name, content, description):
        code = expected_exit(content)
        case(name, content, code, "error" if code else "any", description)

    objects = [r for r in records if r.tag == 1]
    boundaries = sorted({r.start for r in records} | {r.end for r in records} - {len(data)})

    # Truncation at every record boundary, and at random offsets inside records.
    for offset in boundaries:
        case("cut-at-record-%07d" % offset, data[:offset], 1, "error",
             "truncated at the record boundary at offset %d" % offset)
    inside = [r for r in records if r.end - r.start > 1]
    for i in range(120):
        r = rng.choice(inside)
        offset = rng.randrange(r.start + 1, r.end)
        case("cut-inside-%03d" % i, data[:offset], 1, "error",
             "truncated at offset %d inside the %s record at %d" % (offset, TAG_NAMES[r.tag], r.start))
    for offset in (1, 8, 15):
        case("cut-header-%02d" % offset, data[:offset], 1, "error", "header cut to %d bytes" % offset)

    # Bit flips in tags, lengths and uvarints; the expected outcome comes from the model above.
    for i in range(50):
        r = rng.choice(records)
        bit = rng.randrange(8)
        flipped = replace(data, r.start, r.start + 1, bytes([data[r.start] ^ (1 << bit)]))
        modelled("flip-tag-%03d" % i, flipped, "bit %d of the %s tag at %d" % (bit, TAG_NAMES[r.tag], r.start))
    def flip_items(prefix, places, span, what):
        """50 single-bit flips, each in one byte of span(item) of an item chosen among places."""
        for i in range(50):
            r, item = rng.choice(places)
            at = rng.randrange(*span(item))
            bit = rng.randrange(8)
            flipped = replace(data, at, at + 1, bytes([data[at] ^ (1 << bit)]))
            modelled("%s-%03d" % (prefix, i), flipped,
                     "bit %d of a %s record's %s at %d" % (bit, TAG_NAMES[r.tag], what, at))

    flip_items("flip-length", [(r, item) for r in records for item in r.items if item.kind == "s"],
               lambda item: (item.start, item.data_start), "string length")
    flip_items("flip-varint", [(r, item) for r in records for item in r.items if item.kind in "uko"],
               lambda item: (item.start, item.end), "varint")

    # Hostile lengths.
    obj = objects[len(objects) // 2]
    length_item = obj.items[1]
    case("length-2pow40", replace(data, length_item.start, length_item.data_start, encode_uvarint(1 << 40)), 1,
         "error", "object at %d claims contents of 2^40 bytes" % obj.start)
    case("length-2pow63", replace(data, length_item.start, length_item.data_start, encode_uvarint(1 << 63)), 1,
         "error", "object at %d claims contents of 2^63 bytes" % obj.start)
    case("varint-11-bytes", replace(data, obj.items[0].start, obj.items[0].end, b"\x80" * 11 + b"\x00"), 1,
         "error", "object address at %d is an 11-byte varint" % obj.start)
    case("varint-tenth-byte", replace(data, obj.items[0].start, obj.items[0].end, b"\xff" * 9 + b"\x02"), 1,
         "error", "object address at %d overflows 64 bits in its tenth byte" % obj.start)
    frames = [r for r in records if r.tag == 5]
    if frames:
        name = frames[0].items[7]
        case("frame-name-2pow62", replace(data, name.start, name.data_start, encode_uvarint(1 << 62)), 1, "error",
             "stack frame at %d claims a function name of 2^62 bytes" % frames[0].start)
    profiles = [r for r in records if r.tag == 16]
    if profiles:
        depth = profiles[0].items[2]
        case("profile-depth-2pow40", replace(data, depth.start, depth.end, encode_uvarint(1 << 40)), 1, "error",
             "alloc/free profile at %d claims 2^40 stack frames" % profiles[0].start)
    memstats = [r for r in records if r.tag == 10]
    if memstats:
        case("memstats-cut", replace(data, memstats[0].items[100].start, memstats[0].end, b""), 1, "error",
             "memstats record at %d has 100 of its 281 values" % memstats[0].start)

    # Field lists: an offset beyond the object (warn and go on), an unknown kind (stop).
    with_fields = [r for r in objects if any(it.kind == "o" for it in r.items)]
    target = with_fields[len(with_fields) // 2]
    offset_item = next(it for it in target.items if it.kind == "o")
    case("field-offset-beyond", replace(data, offset_item.start, offset_item.end,
                                        encode_uvarint(target.content_length + 64)), 0, "warning",
         "object at %d has a pointer offset 64 bytes past its end" % target.start)
    kind_item = next(it for it in target.items if it.kind == "k")
    case("field-kind-unknown", replace(data, kind_item.start, kind_item.end, encode_uvarint(7)), 1, "error",
         "object at %d has a field of kind 7" % target.start)

    # Unknown tags, a missing EOF, a missing params record, two params records, a bad pointer size.
    first_object = objects[0]
    case("tag-18", replace(data, first_object.start, first_object.start, b"\x12\x00"), 1, "error",
         "tag 18 before the object at %d" % first_object.start)
    case("tag-200", replace(data, first_object.start, first_object.start, encode_uvarint(200)), 1, "error",
         "tag 200 before the object at %d" % first_object.start)
    case("no-eof", data[:records[-1].start], 1, "error", "the end-of-file record is missing")
    params = records[0]
    assert params.tag == 6
    case("no-params", replace(data, params.start, params.end, b""), 1, "error", "the params record is missing")
    case("two-params", replace(data, params.end, params.end, data[params.start:params.end]), 1, "error",
         "the params record twice")
    ps = params.items[1]
    case("pointer-size-3", replace(data, ps.start, ps.end, encode_uvarint(3)), 1, "error",
         "params say pointers are 3 bytes")
    case("header-only", HEADER, 1, "error", "the header and nothing else")
    case("header-eof", HEADER + b"\x00", 1, "error", "the header and an end-of-file record, no params")
    case("trailing-bytes", data + b"trailing garbage\n", 0, "warning", "17 bytes after the end-of-file record")

    # Objects at the same address, overlapping objects.
    dup = objects[len(objects) // 3]
    chunk = data[dup.start:dup.end]
    case("same-address", replace(data, dup.end, dup.end, chunk), 1, "error",
         "the object at %d appears twice" % dup.start)
    wide = next(r for r in objects if r.content_length >= 16)
    address_item = wide.items[0]
    shifted = data[wide.start:address_item.start] + encode_uvarint(address_item.value + 8) + \
        data[address_item.end:wide.end]
    case("overlap", replace(data, wide.end, wide.end, shifted), 1, "error",
         "a copy of the object at %d moved up 8 bytes overlaps it" % wide.start)

    # Records whose end passes the top of the address space (an end of exactly 2^64 wraps to 0).
    def object_record(address, contents):
        return encode_uvarint(1) + encode_uvarint(address) + encode_uvarint(len(contents)) + contents + b"\x00"
    case("object-ends-at-2pow64", replace(data, first_object.start, first_object.start,
                                           object_record((1 << 64) - 8, bytes(8))), 1, "error",
         "an 8-byte object at 2^64 - 8 before the object at %d" % first_object.start)
    case("object-wraps-2pow64", replace(data, first_object.start, first_object.start,
                                         object_record((1 << 64) - 8, bytes(16))), 1, "error",
         "a 16-byte object at 2^64 - 8 before the object at %d" % first_object.start)
    bss = next(r for r in records if r.tag == 13)
    case("bss-wraps-2pow64", replace(data, bss.items[0].start, bss.items[0].end,
                                      encode_uvarint((1 << 64) - bss.content_length // 2)), 1, "error",
         "the BSS segment at %d moved to end past 2^64" % bss.start)

    case("hostile-names", hostile_names_dump(), 0, "any",
         "names that are no UTF-8 and hold control characters (t_corpus.sh checks the output)")
    case("top-page", top_page_dump(), 0, "any",
         "a chain of 200 objects in the last page of the address space (t_corpus.sh checks --top)")

    # A pointer into a freed slot: a gap between two objects of one size inside a span.
    spans = sorted(objects_of(records))
    gap = None
    for (a, size), (b, _) in zip(spans, spans[1:]):
        if size and a + 2 * size <= b and (a + size) // 8192 == a // 8192:
            gap = a + size
            break
    if gap is None:
        gap = spans[0][0] - 8 if spans[0][0] >= 8 else spans[-1][0] + spans[-1][1]
    pointer_object = next(r for r in with_fields
                          for it in r.items if it.kind == "o" and it.value + pointer_size <= r.content_length)
    slot = next(it.value for it in pointer_object.items
                if it.kind == "o" and it.value + pointer_size <= pointer_object.content_length)
    at = pointer_object.items[1].data_start + slot
    case("pointer-freed-slot", replace(data, at, at + pointer_size, gap.to_bytes(pointer_size, "little")), 0, "any",
         "the pointer at offset %d of the object at %d points into the free slot 0x%x" %
         (slot, pointer_object.start, gap))

    # A stack frame whose child pointer loops back to itself.
    loop_frame = next((r for r in frames if r.items[1].value >= 1), None)
    if loop_frame:
        child = loop_frame.items[2]
        case("frame-loop", replace(data, child.start, child.end, encode_uvarint(loop_frame.items[0].value)), 0,
             "warning", "the stack frame at %d names itself as its child" % loop_frame.start)
        depth0 = next(r for r in frames if r.items[1].value == 0)
        case("frame-loop-depth0", replace(data, depth0.items[2].start, depth0.items[2].end,
                                          encode_uvarint(depth0.items[0].value)), 0, "any",
             "the innermost stack frame at %d names itself as its child" % depth0.start)

    # Not a dump at all, an empty file, gzip damage.
    case("empty", b"", 1, "error", "an empty file")
    case("not-a-dump-text", b"This is not a heap dump.\n" * 40, 1, "error", "a text file")
    case("not-a-dump-random", bytes(rng.randrange(256) for _ in range(4096)), 1, "error", "4096 random bytes")
    case("not-a-dump-elf", b"\x7fELF\x02\x01\x01" + bytes(57), 1, "error", "an ELF header")
    packed = gzip.compress(data, mtime=0)
    case("gzip-cut", packed[:len(packed) // 2], 1, "error", "a gzip of the dump cut in half")
    case("gzip-not-a-dump", gzip.compress(b"hello\n" * 100, mtime=0), 1, "error", "a gzip of a text file")
    case("gzip-garbage", b"\x1f\x8b" + bytes(rng.randrange(256) for _ in range(512)), 1, "error",
         "gzip magic followed by garbage")
    case("gzip-trailing-garbage", packed + b"not gzip\n", 0, "warning", "a gzip of the dump, then 9 bytes of text")

    # Not in the MANIFEST (t_corpus.sh runs scripted checks on them): objects and no roots, which any
    # go1.19.8 program passes the check against (for a program file cut short); a gzip bomb of 11 GiB in 11 MB,
    # a dump header and zeros in 176 members of 64 MiB each.
    member = gzip.compress(bytes(64 << 20), compresslevel=9, mtime=0)
    first = gzip.compress(HEADER + bytes((64 << 20) - len(HEADER)), compresslevel=9, mtime=0)
    with open(os.path.join(out_dir, "edge-objects-only"), "wb") as f:
        f.write(synthetic_dump([(0xc000000000 + 16 * i, bytes(16), []) for i in range(4)], None))
    with open(os.path.join(out_dir, "edge-gzip-bomb"), "wb") as f:
        f.write(first)
        for _ in range(175):
            f.write(member)

    with open(os.path.join(out_dir, "MANIFEST"), "w") as f:
        f.write("# corrupt dumps derived from %s (%d bytes, %d records); NAME EXIT STDERR DESCRIPTION\n" %
                (os.path.basename(dump_path), len(data), len(records)))
        f.write("\n".join(manifest) + "\n")
    # An address the queries can ask about: a large object (never span metadata).
    big = max(objects, key=lambda r: (r.content_length, -r.start))
    with open(os.path.join(out_dir, "ADDRESS"), "w") as f:
        f.write("0x%x\n" % big.items[0].value)


def make_seeds(out_dir, root):
    """Small valid dumps cut from real ones: params + a slice of records + EOF."""
    os.makedirs(out_dir, exist_ok=True)
    dumps_dir = os.path.join(root, "testdata", "dumps")
    names = sorted(n for n in os.listdir(dumps_dir) if n.endswith(".dump") and
                   any(v in n for v in ("go1.19.8", "go1.22.12", "go1.26.8")))
    for name in names:
        data = open(os.path.join(dumps_dir, name), "rb").read()
        try:
            records, _ = walk(data)
        except Damaged:
            continue
        params, eof = records[0], records[-1]
        body = records[1:-1]

        def emit(suffix, chosen):
            content = HEADER + data[params.start:params.end] + b"".join(data[r.start:r.end] for r in chosen) + \
                data[eof.start:eof.end]
            with open(os.path.join(out_dir, "mini-%s-%s" % (name[:-5], suffix)), "wb") as f:
                f.write(content)

        emit("head", body[:40])
        emit("roots", [r for r in body if r.tag in (2, 4, 5, 7, 9, 11, 14, 15)])
        emit("tail", [r for r in body if r.tag in (10, 16, 17)][-60:])
        emit("sparse", [r for r in body if r.tag == 1][::25])
    # Edge cases of the heap model: a heap in the top page of the address space, and an object past it.
    with open(os.path.join(out_dir, "edge-top-page"), "wb") as f:
        f.write(top_page_dump(40))
    with open(os.path.join(out_dir, "edge-object-wraps"), "wb") as f:
        f.write(synthetic_dump([(0xc000000000, bytes(16), [0]), ((1 << 64) - 8, bytes(16), [])], [0xc000000000]))
    with open(os.path.join(out_dir, "edge-hostile-names"), "wb") as f:
        f.write(hostile_names_dump())


def main(argv):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if len(argv) == 3 and argv[1] == "--seeds":
        make_seeds(argv[2], root)
        return 0
    if len(argv) == 2:
        make_corpus(argv[1], pick_dump(root))
        return 0
    if len(argv) == 4 and argv[2] == "--dump":
        make_corpus(argv[1], argv[3])
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
