#!/usr/bin/env python3
"""make-binaries.py — mutated copies of a committed Go program whose DWARF is damaged or absurd.

Usage:
  make-binaries.py OUTDIR [PROGRAM ...]   mutated programs + OUTDIR/MANIFEST
  make-binaries.py --list [PROGRAM ...]   the MANIFEST lines only, nothing written

PROGRAM defaults to testdata/bin/types-go1.26.8 and testdata/bin/types-go1.19.8 (DWARF 5 and DWARF 4); the
first gets every case, the others those in SHORT.
Go compresses its .debug_* sections (SHF_COMPRESSED, zlib): they are inflated here, the mutated ones
(or, for the baseline case, all of them) appended to a copy of the file uncompressed, and their section
headers pointed at the new bytes. Each case is a few edits of one program, the same on every run (fixed
seeds, no clock): byte flips, cut and empty sections, lies in a compressed section's header, broken unit
headers, and type graphs no compiler writes (a typedef naming itself, typedef cycles, a struct holding
itself, counts and sizes of 2^62, member offsets past their struct, references to nothing). Values are
re-encoded at any length: .debug_info is rewritten with its references and unit lengths moved to match.
Go writes no .debug_str: names are strings inside .debug_info (DW_FORM_string), mutated there.

MANIFEST lines are "NAME PROGRAM CHECK DESCRIPTION"; PROGRAM is the source program's file name (its dump
and facts are testdata/dumps/PROGRAM.dump and .facts), CHECK says what tests/cli/t_dwarf_corpus.sh checks
beyond a clean exit:
  exact   every named object gets the type the committed program gives it (the baseline: the DWARF
          inflated, unchanged)
  strict  no named object gets a type other than the facts' (unknown is fine): the DWARF is damaged or
          absurd, never a consistent lie
  lies    the DWARF is changed consistently (a name, a reference to another real type, a kind, a
          location), or by random flips, which may do the same: it may name objects wrongly, as such a
          program's DWARF says; only a clean exit is checked
Python 3 standard library only.
"""
import os
import random
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_PROGRAMS = [os.path.join(ROOT, "testdata", "bin", "types-go1.26.8"),
                    os.path.join(ROOT, "testdata", "bin", "types-go1.19.8")]
SEED = 20250117
SHF_COMPRESSED = 0x800

# DWARF constants this generator needs.
TAG_ARRAY, TAG_MEMBER, TAG_POINTER, TAG_STRUCT, TAG_SUBRANGE, TAG_TYPEDEF = 0x01, 0x0D, 0x0F, 0x13, 0x21, 0x16
AT_NAME, AT_BYTE_SIZE, AT_COUNT, AT_MEMBER_LOCATION, AT_TYPE = 0x03, 0x0B, 0x37, 0x38, 0x49
AT_LOCATION = 0x02
AT_GO_KIND, AT_GO_KEY, AT_GO_ELEM, AT_GO_RUNTIME_TYPE, AT_GO_CLOSURE_OFFSET = 0x2900, 0x2901, 0x2902, 0x2904, 0x2907
TAG_FORMAL_PARAMETER, TAG_SUBPROGRAM, TAG_VARIABLE = 0x05, 0x2E, 0x34
OP_FBREG = 0x91
FORM_ADDR, FORM_BLOCK2, FORM_BLOCK4, FORM_DATA2, FORM_DATA4, FORM_DATA8 = 0x01, 0x03, 0x04, 0x05, 0x06, 0x07
FORM_STRING, FORM_BLOCK, FORM_BLOCK1, FORM_DATA1, FORM_FLAG, FORM_SDATA = 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D
FORM_STRP, FORM_UDATA = 0x0E, 0x0F
FORM_REF_ADDR, FORM_REF1, FORM_REF2, FORM_REF4, FORM_REF8, FORM_REF_UDATA = 0x10, 0x11, 0x12, 0x13, 0x14, 0x15
FORM_INDIRECT, FORM_SEC_OFFSET, FORM_EXPRLOC, FORM_FLAG_PRESENT = 0x16, 0x17, 0x18, 0x19
FORM_STRX, FORM_ADDRX = 0x1A, 0x1B
FORM_IMPLICIT_CONST, FORM_STRX1, FORM_STRX2, FORM_STRX4 = 0x21, 0x25, 0x26, 0x28
FORM_ADDRX1, FORM_ADDRX2, FORM_ADDRX4 = 0x29, 0x2A, 0x2C
FIXED_SIZE = {FORM_DATA1: 1, FORM_DATA2: 2, FORM_DATA4: 4, FORM_DATA8: 8, FORM_FLAG: 1, FORM_REF1: 1, FORM_REF2: 2,
              FORM_REF4: 4, FORM_REF8: 8, FORM_FLAG_PRESENT: 0, FORM_IMPLICIT_CONST: 0, FORM_STRX1: 1, FORM_STRX2: 2,
              FORM_STRX4: 4, FORM_ADDRX1: 1, FORM_ADDRX2: 2, FORM_ADDRX4: 4, FORM_REF_ADDR: 4, FORM_SEC_OFFSET: 4,
              FORM_STRP: 4}


def uleb(value, length=0):
    """value as ULEB128, padded with continuation bytes to at least `length` bytes."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | 0x80)
        if value == 0 and len(out) >= length:
            break
    out[-1] &= 0x7F
    return bytes(out)


def sleb(value):
    """value as SLEB128."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def read_uleb(data, pos):
    value, shift = 0, 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, pos


# ---- ELF ----

class Section:
    def __init__(self, index, header_at, fields, name):
        self.index, self.header_at, self.name = index, header_at, name
        (self.name_offset, self.type, self.flags, self.addr, self.offset, self.size, self.link, self.info,
         self.align, self.entsize) = fields


class Program:
    """A 64-bit little-endian ELF file (what Go writes for linux/amd64) and its inflated debug sections."""

    SHDR = struct.Struct("<IIQQQQIIQQ")

    def __init__(self, path):
        self.path, self.name = path, os.path.basename(path)
        self.data = open(path, "rb").read()
        if self.data[:6] != b"\x7fELF\x02\x01":
            raise SystemExit("%s: not a 64-bit little-endian ELF file" % path)
        shoff, = struct.unpack_from("<Q", self.data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", self.data, 0x3A)
        raw = [(shoff + i * shentsize, self.SHDR.unpack_from(self.data, shoff + i * shentsize)) for i in range(shnum)]
        strtab = raw[shstrndx][1]
        names = self.data[strtab[4]:strtab[4] + strtab[5]]
        self.sections = {}
        for i, (at, fields) in enumerate(raw):
            name = names[fields[0]:names.index(b"\0", fields[0])].decode()
            self.sections[name] = Section(i, at, fields, name)
        self.debug = {}
        for name, s in self.sections.items():
            if not name.startswith(".debug_"):
                continue
            stored = self.data[s.offset:s.offset + s.size]
            if s.flags & SHF_COMPRESSED:
                ch_type, _, ch_size, _ = struct.unpack_from("<IIQQ", stored, 0)
                if ch_type != 1:
                    raise SystemExit("%s: %s: compression type %d is not zlib" % (path, name, ch_type))
                stored = zlib.decompress(stored[24:])
                assert len(stored) == ch_size
            self.debug[name] = stored

    def write(self, path, replace=None, patch=None):
        """Writes a copy with the sections in `replace` (name -> bytes) appended uncompressed and their headers
        pointed at them; `patch` (file offset -> bytes) is applied to the copy first (to the original bytes)."""
        out = bytearray(self.data)
        for at, value in (patch or {}).items():
            out[at:at + len(value)] = value
        for name, content in (replace or {}).items():
            s = self.sections[name]
            out += bytes(-len(out) % 16)
            offset = len(out)
            out += content
            flags, = struct.unpack_from("<Q", out, s.header_at + 8)
            struct.pack_into("<Q", out, s.header_at + 8, flags & ~SHF_COMPRESSED)
            struct.pack_into("<QQ", out, s.header_at + 24, offset, len(content))
            struct.pack_into("<Q", out, s.header_at + 48, 1)
        with open(path, "wb") as f:
            f.write(out)
        os.chmod(path, 0o755)

    def header_field(self, name, field):
        """The file offset of a section header's field: flags, offset or size."""
        return self.sections[name].header_at + {"flags": 8, "offset": 24, "size": 32}[field]


# ---- DWARF ----

class Attr:
    __slots__ = ("name", "form", "pos", "end", "value")

    def __init__(self, name, form, pos, end, value):
        self.name, self.form, self.pos, self.end, self.value = name, form, pos, end, value


class Die:
    __slots__ = ("offset", "end", "tag", "attrs", "parent", "children", "unit")

    def __init__(self, offset, tag, parent, unit):
        self.offset, self.tag, self.parent, self.unit = offset, tag, parent, unit
        self.attrs, self.children, self.end = [], [], offset

    def attr(self, name):
        for a in self.attrs:
            if a.name == name:
                return a
        return None

    def name(self):
        a = self.attr(AT_NAME)
        return a.value.decode("utf-8", "replace") if a and isinstance(a.value, bytes) else ""


class Unit:
    def __init__(self, start, end, version, header_end):
        self.start, self.end, self.version, self.header_end = start, end, version, header_end


def parse_abbrevs(data, offset):
    table = {}
    pos = offset
    while True:
        code, pos = read_uleb(data, pos)
        if code == 0:
            return table
        tag, pos = read_uleb(data, pos)
        children = data[pos]
        pos += 1
        specs = []
        while True:
            name, pos = read_uleb(data, pos)
            form, pos = read_uleb(data, pos)
            implicit = None
            if form == FORM_IMPLICIT_CONST:
                implicit, pos = read_uleb(data, pos)
            if name == 0 and form == 0:
                break
            specs.append((name, form, implicit))
        table[code] = (tag, children, specs)


class Dwarf:
    """.debug_info parsed into units and DIEs, each attribute with its byte span."""

    def __init__(self, info, abbrev):
        self.info, self.units, self.dies = info, [], []
        self.by_offset = {}
        pos = 0
        while pos < len(info):
            length, version = struct.unpack_from("<IH", info, pos)
            end = pos + 4 + length
            if version >= 5:
                _, address_size, abbrev_offset = struct.unpack_from("<BBI", info, pos + 6)
                header_end = pos + 12
            else:
                abbrev_offset, address_size = struct.unpack_from("<IB", info, pos + 6)
                header_end = pos + 11
            unit = Unit(pos, end, version, header_end)
            self.units.append(unit)
            table = parse_abbrevs(abbrev, abbrev_offset)
            stack = [None]
            at = header_end
            while at < end:
                die_at = at
                code, at = read_uleb(info, at)
                if code == 0:
                    stack.pop()
                    if not stack:
                        break
                    continue
                tag, children, specs = table[code]
                die = Die(die_at, tag, stack[-1], unit)
                for name, form, implicit in specs:
                    start = at
                    value, at = self.read_form(info, at, form, address_size, implicit)
                    die.attrs.append(Attr(name, form, start, at, value))
                die.end = at
                if stack[-1] is not None:
                    stack[-1].children.append(die)
                self.dies.append(die)
                self.by_offset[die_at] = die
                if children:
                    stack.append(die)
            pos = end

    @staticmethod
    def read_form(data, at, form, address_size, implicit):
        if form == FORM_INDIRECT:
            form, at = read_uleb(data, at)
        if form == FORM_ADDR:
            return int.from_bytes(data[at:at + address_size], "little"), at + address_size
        if form in FIXED_SIZE:
            n = FIXED_SIZE[form]
            return (implicit if form == FORM_IMPLICIT_CONST else int.from_bytes(data[at:at + n], "little")), at + n
        if form in (FORM_UDATA, FORM_REF_UDATA, FORM_STRX, FORM_ADDRX):
            return read_uleb(data, at)
        if form == FORM_SDATA:
            _, end = read_uleb(data, at)
            return None, end
        if form == FORM_STRING:
            end = data.index(b"\0", at)
            return bytes(data[at:end]), end + 1
        if form in (FORM_BLOCK1, FORM_BLOCK2, FORM_BLOCK4, FORM_BLOCK, FORM_EXPRLOC):
            if form == FORM_BLOCK1:
                n, at = data[at], at + 1
            elif form == FORM_BLOCK2:
                n, at = int.from_bytes(data[at:at + 2], "little"), at + 2
            elif form == FORM_BLOCK4:
                n, at = int.from_bytes(data[at:at + 4], "little"), at + 4
            else:
                n, at = read_uleb(data, at)
            return bytes(data[at:at + n]), at + n
        raise SystemExit("DW_FORM 0x%x is not known to this generator" % form)

    # -- finding entries --

    def named(self, tag, name):
        for die in self.dies:
            if die.tag == tag and die.name() == name:
                return die
        raise SystemExit("no DWARF entry %s (tag 0x%x)" % (name, tag))

    def all(self, tag, prefix=""):
        return [d for d in self.dies if d.tag == tag and d.name().startswith(prefix)]

    def member(self, struct_die, name):
        for child in struct_die.children:
            if child.tag == TAG_MEMBER and child.name() == name:
                return child
        raise SystemExit("no member %s in %s" % (name, struct_die.name()))


class Edit:
    """Edits of .debug_info: byte spans replaced (any length) and references redirected. `build` moves every
    DW_FORM_ref_addr and every unit length to match what changed length."""

    def __init__(self, dwarf):
        self.dwarf = dwarf
        self.spans = {}  # start -> (end, bytes)
        self.refs = {}   # position of a ref_addr value -> target (an offset in the original section)

    def replace(self, start, end, value):
        self.spans[start] = (end, bytes(value))

    def set_udata(self, attr, value):
        if attr.form == FORM_UDATA:
            self.replace(attr.pos, attr.end, uleb(value, attr.end - attr.pos))
        elif attr.form in FIXED_SIZE or attr.form == FORM_ADDR:
            n = attr.end - attr.pos
            self.replace(attr.pos, attr.end, (value & ((1 << (8 * n)) - 1)).to_bytes(n, "little"))
        else:
            raise SystemExit("cannot set a value of form 0x%x" % attr.form)

    def set_ref(self, attr, target):
        assert attr.form == FORM_REF_ADDR
        self.refs[attr.pos] = target

    def build(self):
        info, spans = self.dwarf.info, sorted(self.spans.items())
        starts = [s for s, _ in spans]
        shifts, total = [], 0
        for start, (end, value) in spans:
            total += len(value) - (end - start)
            shifts.append(total)

        def moved(offset):
            # Spans wholly before offset move it; an offset inside one (a reference to the middle of a DIE) moves
            # with the spans before it.
            lo, hi = 0, len(starts)
            while lo < hi:
                mid = (lo + hi) // 2
                if spans[mid][1][0] <= offset:
                    lo = mid + 1
                else:
                    hi = mid
            return offset + (shifts[lo - 1] if lo else 0)

        out, at = bytearray(), 0
        for start, (end, value) in spans:
            out += info[at:start]
            out += value
            at = end
        out += info[at:]
        span_at = {s: e for s, (e, _) in spans}
        for die in self.dwarf.dies:
            for a in die.attrs:
                if a.form != FORM_REF_ADDR or (a.pos in span_at and a.pos not in self.refs):
                    continue
                target = self.refs.get(a.pos, a.value)
                struct.pack_into("<I", out, moved(a.pos), moved(target) & 0xFFFFFFFF)
        for unit in self.dwarf.units:
            length = moved(unit.end) - moved(unit.start) - 4
            if struct.unpack_from("<I", info, unit.start)[0] == unit.end - unit.start - 4 and unit.start not in span_at:
                struct.pack_into("<I", out, moved(unit.start), length)
        return bytes(out)


# ---- the cases ----

def flips(data, rng, count, lo=0, hi=None):
    out = bytearray(data)
    hi = len(out) if hi is None else hi
    for _ in range(count):
        at = rng.randrange(lo, hi)
        out[at] ^= 1 << rng.randrange(8)
    return bytes(out)


# The cases run on every program after the first (which gets them all): those whose paths differ between
# DWARF 4 and 5 (.debug_loc and .debug_loclists, hmap and Swiss maps), and one of each kind of damage.
SHORT = {"plain", "no-dwarf", "empty-info", "empty-loc", "cut-info-in-request", "z-size-huge", "unit-version-99",
         "typedef-ring", "struct-mutual-empty", "array-of-empty-slices", "array-size-wraps", "struct-size-2^32+8",
         "member-offset-2^63", "ref-mid-entry", "kind-all-255", "frame-offset-max", "frame-offset-min",
         "hmap-B-at-end", "lie-kind-zero", "flip-info-16-0", "flip-info-16-1", "flip-abbrev-1", "flip-loc-64"}


def cases_for(p, full=True):
    """(name, check, description, function writing the case to a path) for program p: all of them, or SHORT."""
    info_name = ".debug_info"
    loc_name = ".debug_loclists" if ".debug_loclists" in p.debug else ".debug_loc"
    info, abbrev = p.debug[info_name], p.debug[".debug_abbrev"]
    d = Dwarf(info, abbrev)
    rng = random.Random("%s:%s" % (SEED, p.name))
    request = d.named(TAG_STRUCT, "main.Request")
    session = d.named(TAG_STRUCT, "main.Session")
    request_typedef = d.named(TAG_TYPEDEF, "main.Request")
    session_typedef = d.named(TAG_TYPEDEF, "main.Session")
    big = d.named(TAG_STRUCT, "main.Big")
    stack_only = d.named(TAG_STRUCT, "main.StackOnly")
    cases = []

    def info_case(name, check, description, edit_fn):
        def write(path):
            e = Edit(d)
            edit_fn(e)
            p.write(path, {info_name: e.build()})
        cases.append((name, check, description, write))

    def section_case(name, check, description, section, content_fn):
        def write(path):
            p.write(path, {section: content_fn(p.debug[section])})
        cases.append((name, check, description, write))

    # Baseline and whole sections.
    cases.append(("plain", "exact", "every debug section inflated, unchanged",
                  lambda path: p.write(path, dict(p.debug))))

    def no_dwarf(path):
        patch = {}
        names_at = p.sections[".shstrtab"].offset
        for name in p.debug:
            patch[names_at + p.sections[name].name_offset + 1] = b"x"  # .debug_info -> .xebug_info
        p.write(path, patch=patch)
    cases.append(("no-dwarf", "strict", "every .debug_* section renamed: a program without DWARF", no_dwarf))
    addr_name = ".debug_addr" if ".debug_addr" in p.debug else ".debug_ranges"
    for section in (info_name, ".debug_abbrev", loc_name, addr_name):
        if section in p.debug:
            short = section[len(".debug_"):]
            section_case("empty-" + short, "strict", "%s of zero bytes" % section, section, lambda data: b"")
    for section, fractions in ((info_name, (0.5,)), (".debug_abbrev", (0.5,)), (loc_name, (0.5,))):
        short = section[len(".debug_"):]
        for fraction in fractions:
            section_case("cut-%s-%g" % (short, fraction), "strict", "%s cut to %g of its bytes" % (section, fraction),
                         section, lambda data, f=fraction: data[:int(len(data) * f)])
    cut = request.children[1].offset + 3
    section_case("cut-info-in-request", "strict", ".debug_info cut inside main.Request's members", info_name,
                 lambda data, at=cut: data[:at])

    # A compressed section whose header lies, or whose zlib stream is damaged.
    s = p.sections[info_name]
    if s.flags & SHF_COMPRESSED:
        cases.append(("z-size-huge", "strict", "compressed .debug_info claiming 2^40 bytes inflated",
                      lambda path: p.write(path, patch={s.offset + 8: struct.pack("<Q", 1 << 40)})))
        cases.append(("z-size-short", "strict", "compressed .debug_info claiming half its inflated size",
                      lambda path: p.write(path, patch={s.offset + 8: struct.pack("<Q", len(info) // 2)})))
        cases.append(("z-cut", "strict", "compressed .debug_info whose zlib stream is cut in half",
                      lambda path: p.write(path, patch={p.header_field(info_name, "size"):
                                                        struct.pack("<Q", s.size // 2)})))
        cases.append(("z-garbage", "strict", "compressed .debug_info with 64 flipped bytes in its zlib stream",
                      lambda path: p.write(path, patch={s.offset + 24: flips(p.data[s.offset + 24:s.offset + s.size],
                                                                           random.Random(SEED + 1), 64)})))
    cases.append(("section-past-eof", "strict", ".debug_info's header placing it past the end of the file",
                  lambda path: p.write(path, patch={p.header_field(info_name, "offset"):
                                                    struct.pack("<Q", len(p.data) + 4096)})))
    cases.append(("section-size-huge", "strict", ".debug_abbrev's header claiming 2^62 bytes",
                  lambda path: p.write(path, patch={p.header_field(".debug_abbrev", "size"):
                                                    struct.pack("<Q", 1 << 62)})))

    # Unit headers of the unit that holds main's types.
    unit = request.unit

    def unit_patch(offset, value):
        def fn(data):
            out = bytearray(data)
            out[unit.start + offset:unit.start + offset + len(value)] = value
            return bytes(out)
        return fn
    section_case("unit-version-99", "strict", "main's unit of version 99", info_name,
                 unit_patch(4, struct.pack("<H", 99)))
    section_case("unit-length-reserved", "strict", "main's unit of length 0xfffffff0 (a reserved value)", info_name,
                 unit_patch(0, struct.pack("<I", 0xFFFFFFF0)))
    section_case("unit-length-past", "strict", "main's unit longer than the section", info_name,
                 unit_patch(0, struct.pack("<I", len(info))))
    abbrev_at = 8 if unit.version >= 5 else 6
    section_case("unit-abbrev-past", "strict", "main's unit naming abbreviations past their section", info_name,
                 unit_patch(abbrev_at, struct.pack("<I", 0x7FFFFFFF)))
    section_case("unit-address-size-3", "strict", "main's unit of 3-byte addresses", info_name,
                 unit_patch(7 if unit.version >= 5 else 10, b"\x03"))

    # Absurd type graphs.
    info_case("typedef-self", "strict", "typedef main.Request naming itself",
              lambda e: e.set_ref(request_typedef.attr(AT_TYPE), request_typedef.offset))
    info_case("typedef-cycle", "strict", "typedefs main.Request and main.Session naming each other",
              lambda e: (e.set_ref(request_typedef.attr(AT_TYPE), session_typedef.offset),
                         e.set_ref(session_typedef.attr(AT_TYPE), request_typedef.offset)))
    chain = [t for t in d.all(TAG_TYPEDEF, "main.") if t.attr(AT_TYPE)][:20]

    def typedef_ring(e):
        for i, t in enumerate(chain):
            e.set_ref(t.attr(AT_TYPE), chain[(i + 1) % len(chain)].offset)
    info_case("typedef-ring", "strict", "%d typedefs of main, each naming the next, the last the first" % len(chain),
              typedef_ring)

    def every_typedef_self(e):
        for t in d.all(TAG_TYPEDEF):
            if t.attr(AT_TYPE):
                e.set_ref(t.attr(AT_TYPE), t.offset)
    info_case("typedef-all-self", "strict", "every typedef naming itself", every_typedef_self)
    info_case("struct-self-member", "strict", "main.Request's Session member of type main.Request (the struct)",
              lambda e: e.set_ref(d.member(request, "Session").attr(AT_TYPE), request.offset))
    info_case("struct-self-first", "strict", "main.Request's first member (at offset 0) of type main.Request",
              lambda e: e.set_ref(d.member(request, "ID").attr(AT_TYPE), request.offset))
    info_case("struct-self-typedef", "strict", "main.Request's first member of type main.Request (the typedef)",
              lambda e: e.set_ref(d.member(request, "ID").attr(AT_TYPE), request_typedef.offset))
    info_case("struct-mutual", "strict", "main.Request's first member a main.Session, main.Session's a main.Request",
              lambda e: (e.set_ref(d.member(request, "ID").attr(AT_TYPE), session.offset),
                         e.set_ref(d.member(session, "ID").attr(AT_TYPE), request.offset)))

    def self_zero(e):
        e.set_udata(request.attr(AT_BYTE_SIZE), 0)
        e.set_udata(session.attr(AT_BYTE_SIZE), 0)
        e.set_ref(d.member(request, "ID").attr(AT_TYPE), session.offset)
        e.set_ref(d.member(session, "ID").attr(AT_TYPE), request.offset)
        for m in request.children + session.children:
            if m.tag == TAG_MEMBER:
                e.set_udata(m.attr(AT_MEMBER_LOCATION), 0)
    info_case("struct-mutual-empty", "strict",
              "main.Request and main.Session of 0 bytes, every member at offset 0, each holding the other", self_zero)

    def every_member_own_struct(e):
        for s_die in d.all(TAG_STRUCT):
            for m in s_die.children:
                if m.tag == TAG_MEMBER and m.attr(AT_TYPE):
                    e.set_ref(m.attr(AT_TYPE), s_die.offset)
    info_case("struct-all-self", "strict", "every member of every struct of its own struct's type",
              every_member_own_struct)
    pointer_to_request = next(t for t in d.all(TAG_POINTER) if t.attr(AT_TYPE) and t.attr(AT_TYPE).value in
                              (request.offset, request_typedef.offset))
    info_case("pointer-self", "strict", "*main.Request pointing at itself",
              lambda e: e.set_ref(pointer_to_request.attr(AT_TYPE), pointer_to_request.offset))
    slices = [t for t in d.all(TAG_STRUCT, "[]") if t.attr(AT_GO_ELEM)]

    def slice_elem_self(e):
        for t in slices:
            e.set_ref(t.attr(AT_GO_ELEM), t.offset)
    info_case("slice-elem-self", "strict", "every slice type a slice of itself", slice_elem_self)
    maps = [t for t in d.all(TAG_TYPEDEF, "map[") if t.attr(AT_GO_KEY)]

    def map_self(e):
        for t in maps:
            e.set_ref(t.attr(AT_GO_KEY), t.offset)
            e.set_ref(t.attr(AT_GO_ELEM), t.offset)
    info_case("map-self", "strict", "every map type keyed by and holding itself", map_self)

    # Counts and sizes.
    arrays = [a for a in d.all(TAG_ARRAY)]
    subranges = [c for a in arrays for c in a.children if c.tag == TAG_SUBRANGE and c.attr(AT_COUNT)]

    def counts(value):
        def fn(e):
            for c in subranges:
                e.set_udata(c.attr(AT_COUNT), value)
        return fn
    info_case("array-count-2^62", "strict", "every array of 2^62 elements", counts(1 << 62))
    info_case("array-count-max", "strict", "every array of 2^64-1 elements", counts((1 << 64) - 1))

    def consistent_huge(e):
        for a in arrays:
            if a.attr(AT_BYTE_SIZE):
                e.set_udata(a.attr(AT_BYTE_SIZE), 1 << 61)
        for c in subranges:
            e.set_udata(c.attr(AT_COUNT), 1 << 58)
    info_case("array-huge", "strict", "every array of 2^58 elements in 2^61 bytes", consistent_huge)

    def size_wrap(e):
        for a in arrays:
            if a.attr(AT_BYTE_SIZE):
                e.set_udata(a.attr(AT_BYTE_SIZE), 0)
        for c in subranges:
            e.set_udata(c.attr(AT_COUNT), 1 << 61)
    info_case("array-size-wraps", "strict", "every array of 0 bytes and 2^61 elements (their size wraps to 0)",
              size_wrap)
    pad = d.member(stack_only, "Pad")
    pad_array = d.by_offset[pad.attr(AT_TYPE).value]
    header_slice = d.named(TAG_STRUCT, "[]main.Header")

    def empty_slices(e):
        # [32]uint8 (main.StackOnly.Pad) made an array of 2^60 zero-byte []main.Header.
        e.set_ref(pad_array.attr(AT_TYPE), header_slice.offset)
        for c in pad_array.children:
            if c.tag == TAG_SUBRANGE:
                e.set_udata(c.attr(AT_COUNT), 1 << 60)
        e.set_udata(header_slice.attr(AT_BYTE_SIZE), 0)
    info_case("array-of-empty-slices", "strict", "main.StackOnly.Pad an array of 2^60 []main.Header of 0 bytes",
              empty_slices)

    def small_leaves(e):
        # Every slice and string type 8 bytes long: its length and capacity words are outside it.
        for t in d.all(TAG_STRUCT):
            kind = t.attr(AT_GO_KIND)
            if kind and kind.value in (23, 24) and t.attr(AT_BYTE_SIZE):
                e.set_udata(t.attr(AT_BYTE_SIZE), 8)
    info_case("slices-one-word", "strict", "every slice and string type one word long", small_leaves)
    medium = d.named(TAG_STRUCT, "main.Medium")
    info_case("struct-size-2^32+8", "strict", "main.Medium of 2^32+8 bytes (8 to a reader that keeps 32 bits)",
              lambda e: e.set_udata(medium.attr(AT_BYTE_SIZE), (1 << 32) + 8))
    info_case("struct-size-2^62", "strict", "main.Request of 2^62 bytes",
              lambda e: e.set_udata(request.attr(AT_BYTE_SIZE), 1 << 62))

    def struct_sizes(value):
        def fn(e):
            for t in d.all(TAG_STRUCT):
                if t.attr(AT_BYTE_SIZE):
                    e.set_udata(t.attr(AT_BYTE_SIZE), value)
        return fn
    info_case("struct-size-all-0", "strict", "every struct of 0 bytes", struct_sizes(0))
    info_case("member-offset-past", "strict", "main.Request's members at offset 1000 (it is 64 bytes)",
              lambda e: [e.set_udata(m.attr(AT_MEMBER_LOCATION), 1000)
                         for m in request.children if m.tag == TAG_MEMBER])

    def member_offsets(delta):
        def fn(e):
            for m in d.all(TAG_MEMBER):
                a = m.attr(AT_MEMBER_LOCATION)
                if a:
                    e.set_udata(a, (a.value + delta) & ((1 << 64) - 1))
        return fn
    info_case("member-offset-2^63", "strict", "every member 2^63 bytes further", member_offsets(1 << 63))
    info_case("member-offset-wraps", "strict", "main.Request.Session at offset 2^64-8 (its end wraps to 0)",
              lambda e: e.set_udata(d.member(request, "Session").attr(AT_MEMBER_LOCATION), (1 << 64) - 8))
    info_case("member-reversed", "strict", "main.Request's members in decreasing offsets",
              lambda e: [e.set_udata(m.attr(AT_MEMBER_LOCATION), 56 - 8 * i)
                         for i, m in enumerate(c for c in request.children if c.tag == TAG_MEMBER)])

    # References to nothing, or into the middle of an entry.
    main_members = [m for s_die in d.all(TAG_STRUCT, "main.") for m in s_die.children
                    if m.tag == TAG_MEMBER and m.attr(AT_TYPE)]
    info_case("ref-nothing", "strict", "every member of main's structs of a type at offset 0xfffffff0",
              lambda e: [e.set_ref(m.attr(AT_TYPE), 0xFFFFFFF0) for m in main_members])
    info_case("ref-mid-entry", "strict", "every member of main's structs of a type inside an entry (one byte in)",
              lambda e: [e.set_ref(m.attr(AT_TYPE), m.attr(AT_TYPE).value + 1) for m in main_members])
    typed = [a for die in d.dies for a in die.attrs if a.name == AT_TYPE and a.form == FORM_REF_ADDR]
    info_case("ref-all-nothing", "strict", "every DW_AT_type of every entry at offset 0xfffffff0",
              lambda e: [e.set_ref(a, 0xFFFFFFF0) for a in typed])

    def runtime_types(value):
        def fn(e):
            for die in d.dies:
                a = die.attr(AT_GO_RUNTIME_TYPE)
                if a:
                    e.set_udata(a, value)
        return fn
    info_case("runtime-type-huge", "strict", "every go_runtime_type 2^64-256", runtime_types((1 << 64) - 256))

    def kinds(value):
        def fn(e):
            for die in d.dies:
                a = die.attr(AT_GO_KIND)
                if a:
                    e.set_udata(a, value)
        return fn
    info_case("kind-all-255", "strict", "every go_kind 255", kinds(255))

    # Frame variables at absurd offsets from the frame base, closures' variables past the end of memory.
    def local(die):
        while die.parent is not None:
            die = die.parent
            if die.tag == TAG_SUBPROGRAM:
                return True
        return False
    on_stack = [a for die in d.dies if die.tag in (TAG_VARIABLE, TAG_FORMAL_PARAMETER) and local(die)
                for a in [die.attr(AT_LOCATION)] if a and a.form == FORM_BLOCK1]

    def frame_offsets(value):
        def fn(e):
            for a in on_stack:
                block = bytes([OP_FBREG]) + sleb(value)
                e.replace(a.pos, a.end, bytes([len(block)]) + block)
        return fn
    info_case("frame-offset-max", "strict",
              "%d frame variables (one location: a block) at DW_OP_fbreg 2^63-1" % len(on_stack),
              frame_offsets((1 << 63) - 1))
    info_case("frame-offset-min", "strict",
              "%d frame variables (one location: a block) at DW_OP_fbreg -2^63" % len(on_stack),
              frame_offsets(-(1 << 63)))
    captured = [die for die in d.dies if die.attr(AT_GO_CLOSURE_OFFSET)]
    if captured:
        items = d.by_offset[d.member(big, "Items").attr(AT_TYPE).value]

        def closure_wraps(e):
            e.set_udata(items.attr(AT_BYTE_SIZE), 1 << 61)
            for c in items.children:
                if c.tag == TAG_SUBRANGE:
                    e.set_udata(c.attr(AT_COUNT), 1 << 58)
            for die in captured:
                e.set_udata(die.attr(AT_GO_CLOSURE_OFFSET), (1 << 64) - 8)
                e.set_ref(die.attr(AT_TYPE), items.offset)
        info_case("closure-offset-wraps", "strict",
                  "every captured variable at closure offset 2^64-8, of an array of 2^58 pointers", closure_wraps)
    hmaps = d.all(TAG_STRUCT, "hash<")
    if hmaps:
        def b_at_end(e):
            for h in hmaps:
                b = d.member(h, "B")
                e.set_udata(b.attr(AT_MEMBER_LOCATION), h.attr(AT_BYTE_SIZE).value)
                e.set_ref(b.attr(AT_TYPE), 0xFFFFFFF0)
        info_case("hmap-B-at-end", "strict", "every map header's B member at its struct's end, of no type", b_at_end)

    # Consistent lies: types may come out wrong, as the program's DWARF says.
    info_case("lie-name", "lies", "struct main.Request renamed main.Rxquest",
              lambda e: e.replace(request.attr(AT_NAME).pos, request.attr(AT_NAME).end, b"main.Rxquest\0"))
    info_case("lie-swap-members", "lies", "main.Request.Session of type *main.User",
              lambda e: e.set_ref(d.member(request, "Session").attr(AT_TYPE),
                                  d.member(session, "User").attr(AT_TYPE).value))
    info_case("lie-kind-zero", "lies", "every go_kind 0 (maps, channels, interfaces lose their kind)", kinds(0))
    info_case("lie-name-long", "lies", "struct main.Request named by 5000 bytes",
              lambda e: e.replace(request.attr(AT_NAME).pos, request.attr(AT_NAME).end,
                                  b"main.R" + b"e" * 4994 + b"\0"))

    # Random damage, each from its own seed.
    for n in (1, 16, 256):
        for k in range(2 if n == 16 else 1):
            seed = rng.randrange(1 << 30)
            section_case("flip-info-%d-%d" % (n, k), "lies", "%d random bit flips in .debug_info (seed %d)" % (n, seed),
                         info_name, lambda data, n=n, seed=seed: flips(data, random.Random(seed), n))
    lo, hi = request.offset, request.end + 200
    seed = rng.randrange(1 << 30)
    section_case("flip-info-request", "lies", "32 random bit flips in and after main.Request's entry (seed %d)" % seed,
                 info_name, lambda data, seed=seed: flips(data, random.Random(seed), 32, lo, hi))
    for n in (1, 4):
        seed = rng.randrange(1 << 30)
        section_case("flip-abbrev-%d" % n, "lies", "%d random bit flips in .debug_abbrev (seed %d)" % (n, seed),
                     ".debug_abbrev", lambda data, n=n, seed=seed: flips(data, random.Random(seed), n))
    seed = rng.randrange(1 << 30)
    section_case("flip-loc-64", "lies", "64 random bit flips in %s (seed %d)" % (loc_name, seed), loc_name,
                 lambda data, seed=seed: flips(data, random.Random(seed), 64))
    if ".debug_addr" in p.debug:
        seed = rng.randrange(1 << 30)
        section_case("flip-addr-16", "lies", "16 random bit flips in .debug_addr (seed %d)" % seed, ".debug_addr",
                     lambda data, seed=seed: flips(data, random.Random(seed), 16))
    seed = rng.randrange(1 << 30)
    section_case("random-info", "strict", ".debug_info of random bytes (seed %d)" % seed, info_name,
                 lambda data, seed=seed: random.Random(seed).randbytes(len(data)))
    return [c for c in cases if full or c[0] in SHORT]


def main(argv):
    args = argv[1:]
    listing = bool(args) and args[0] == "--list"
    if listing:
        args = args[1:]
    if not listing and not args:
        sys.stderr.write(__doc__)
        return 2
    outdir = None if listing else args.pop(0)
    programs = args or DEFAULT_PROGRAMS
    lines = []
    if outdir:
        os.makedirs(outdir, exist_ok=True)
    for i, path in enumerate(programs):
        p = Program(path)
        for name, check, description, write in cases_for(p, i == 0):
            case_name = "%s.%s" % (p.name, name)
            if outdir:
                write(os.path.join(outdir, case_name))
            lines.append("%s %s %s %s" % (case_name, p.name, check, description))
    text = "# NAME PROGRAM CHECK DESCRIPTION (tests/corpus/make-binaries.py)\n" + "\n".join(lines) + "\n"
    if outdir:
        with open(os.path.join(outdir, "MANIFEST"), "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
