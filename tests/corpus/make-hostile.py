#!/usr/bin/env python3
"""make-hostile.py — writes small, well-formed heap dumps shaped to make naive analyses quadratic.

Usage:
  make-hostile.py SHAPE DUMP FACTS [NAME=VALUE ...]   one dump, and the facts a test checks it against
  make-hostile.py --seeds OUTDIR                      a small dump of every shape (fuzzing seeds)

Every dump is written from scratch in the format of docs/format.md (params, objects, goroutines and their
frames, a BSS segment, EOF), for Go 1.19 on amd64 (no allocation headers). FACTS lines are "KEY VALUE",
addresses in hex, as testdata/dumps/*.facts. Shapes and their parameters (defaults in brackets):

  repeated  a BSS segment whose field list names slot 0 REPEAT times [200000], then slots 8 and 16 (with
            CYCLE=1: slots 0, 8 and 16 in turn, REPEAT times); all three slots hold the head of a chain of
            LENGTH objects [500] ending at the target
  frames    one goroutine of FRAMES frames [100000] and GOROUTINES more goroutines of one frame [3], every
            frame's one slot pointing at the target
  shared    N records [20000] that all point at one config object, held by a slice's backing array in a
            BSS slot: the --owners of the config are N records, each owned by the array
  hub       a chain of LENGTH links [100000], each link also pointed at by one large hub object; a BSS
            segment holds the hub and the chain's head
  deep      SLOTS consecutive BSS slots [100000] hold the head of chain A and one more the head of chain B,
            both LENGTH links long [20000], both ending at one BIG-byte object [524288]: its shortest path
            is LENGTH+1 objects long, every slot of the segment reaches it
  crowd     GOROUTINES goroutines [100000] of 2 frames each, in STACKS kinds [3] (goroutine i runs main.worker%d
            for i mod STACKS), each frame's one slot pointing at an object of SIZE bytes [64] of its own
Python 3 standard library only.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
import dumpwrite  # noqa: E402

HEADER = b"go1.7 heap dump\n"
HEAP_START = 0xC000000000
BSS_ADDRESS = 0x5A0000
TEXT_PC = 0x401000

TAG_EOF, TAG_OBJECT, TAG_GOROUTINE, TAG_FRAME, TAG_PARAMS, TAG_BSS = 0, 1, 4, 5, 6, 13
FIELD_POINTER = 1


uvarint = dumpwrite.uv  # the one varint encoder of the test tools (tests/cli/dumpwrite.py)


def string(data):
    return uvarint(len(data)) + data


def fields(offsets):
    return b"".join(uvarint(FIELD_POINTER) + uvarint(o) for o in offsets) + uvarint(0)


def words(values):
    return b"".join(v.to_bytes(8, "little") for v in values)


class Dump:
    """Records appended in file order; objects get addresses upward from HEAP_START."""

    def __init__(self):
        self.parts = []
        self.next_address = HEAP_START

    def allocate(self, size):
        address = self.next_address
        self.next_address += (size + 15) // 16 * 16
        return address

    def params(self, heap_end):
        self.parts.append(uvarint(TAG_PARAMS) + uvarint(0) + uvarint(8) + uvarint(HEAP_START) + uvarint(heap_end) +
                          string(b"amd64") + string(b"go1.19.8") + uvarint(2))

    def object(self, address, contents, offsets):
        self.parts.append(uvarint(TAG_OBJECT) + uvarint(address) + string(contents) + fields(offsets))

    def bss(self, contents, offsets):
        self.parts.append(uvarint(TAG_BSS) + uvarint(BSS_ADDRESS) + string(contents) + fields(offsets))

    def goroutine(self, address, sp, goid):
        self.parts.append(uvarint(TAG_GOROUTINE) + uvarint(address) + uvarint(sp) + uvarint(goid) +
                          uvarint(TEXT_PC) + uvarint(4) + uvarint(0) + uvarint(0) + uvarint(0) +
                          string(b"chan receive") + uvarint(0) + uvarint(0) + uvarint(0) + uvarint(0))

    def frame(self, sp, depth, child_sp, contents, offsets, function):
        self.parts.append(uvarint(TAG_FRAME) + uvarint(sp) + uvarint(depth) + uvarint(child_sp) +
                          string(contents) + uvarint(TEXT_PC) + uvarint(TEXT_PC + 16) + uvarint(TEXT_PC + 32) +
                          string(function) + fields(offsets))

    def offset(self):
        """The file offset of the next record."""
        return len(HEADER) + sum(len(p) for p in self.parts)

    def bytes(self):
        return HEADER + b"".join(self.parts) + uvarint(TAG_EOF)


def chain(dump, length, link_size, last):
    """length links of link_size bytes, each pointing at the next (the last at `last`, 0 for none)."""
    addresses = [dump.allocate(link_size) for _ in range(length)]
    pad = bytes(link_size - 8)
    for i, address in enumerate(addresses):
        following = addresses[i + 1] if i + 1 < length else last
        dump.object(address, words([following]) + pad, [0] if following else [])
    return addresses


def shape_repeated(p):
    repeat, length, cycle = int(p.get("REPEAT", 200000)), int(p.get("LENGTH", 500)), p.get("CYCLE", "0") == "1"
    d = Dump()
    d.params(HEAP_START + 16 * (length + 2))
    target = HEAP_START + 16 * length
    links = chain(d, length, 16, target)
    d.object(d.allocate(16), bytes(16), [])
    offsets = [0, 8, 16] * repeat if cycle else [0] * repeat + [8, 16]
    bss_offset = d.offset()
    d.bss(words([links[0]] * 3), offsets)
    return d, {"target.addr": hex(target), "bss.addr": hex(BSS_ADDRESS), "bss.offset": bss_offset, "slots": 3,
               "repeated": len(offsets) - 3, "path.objects": length + 1}


def shape_frames(p):
    frames, goroutines = int(p.get("FRAMES", 100000)), int(p.get("GOROUTINES", 3))
    d = Dump()
    d.params(HEAP_START + 64)
    target = d.allocate(64)
    d.object(target, bytes(64), [])
    stack_top = 0xC000800000
    for g in range(1 + goroutines):
        count = frames if g == 0 else 1
        base = stack_top + g * 0x10000000
        d.goroutine(0xC000600000 + 0x1000 * g, base, g + 1)
        child = 0
        for depth in range(count):
            sp = base + 16 * depth
            d.frame(sp, depth, child, words([target, 0]), [0], b"main.f%d" % depth)
            child = sp
    return d, {"target.addr": hex(target), "frames": frames, "goroutines": 1 + goroutines,
               "slots": frames + goroutines}


def shape_crowd(p):
    goroutines, stacks, size = int(p.get("GOROUTINES", 100000)), int(p.get("STACKS", 3)), int(p.get("SIZE", 64))
    d = Dump()
    d.params(HEAP_START + size * goroutines)
    held = [d.allocate(size) for _ in range(goroutines)]
    for address in held:
        d.object(address, bytes(size), [])
    stack_top = 0xD000000000
    for g in range(goroutines):
        base = stack_top + g * 0x1000
        d.goroutine(0xC100000000 + 0x200 * g, base, g + 1)
        d.frame(base, 0, 0, words([held[g], 0]), [0], b"runtime.gopark")
        d.frame(base + 16, 1, base, words([0, 0]), [], b"main.worker%d" % (g % stacks))
    facts = {"goroutines": goroutines, "stacks": stacks, "size": size}
    for k in range(stacks):
        facts["stack.%d.count" % k] = len(range(k, goroutines, stacks))
    return d, facts


def shape_shared(p):
    n = int(p.get("N", 20000))
    d = Dump()
    config = d.allocate(16)
    records = [d.allocate(16) for _ in range(n)]
    array = d.allocate(8 * n)
    d.params(d.next_address)
    d.object(config, bytes(16), [])
    for r in records:
        d.object(r, words([config, 0]), [0])
    d.object(array, words(records), [8 * i for i in range(n)])
    d.bss(words([array, n, n]), [0])
    return d, {"config.addr": hex(config), "array.addr": hex(array), "record.0": hex(records[0]), "n": n}


def shape_hub(p):
    length = int(p.get("LENGTH", 100000))
    d = Dump()
    links = [d.allocate(16) for _ in range(length)]
    hub = d.allocate(8 * length)
    d.params(d.next_address)
    for i, address in enumerate(links):
        following = links[i + 1] if i + 1 < length else 0
        d.object(address, words([following, 0]), [0] if following else [])
    d.object(hub, words(links), [8 * i for i in range(length)])
    d.bss(words([hub, links[0]]), [0, 8])
    return d, {"head.addr": hex(links[0]), "tail.addr": hex(links[-1]), "hub.addr": hex(hub), "length": length}


def shape_deep(p):
    slots, length, big = int(p.get("SLOTS", 100000)), int(p.get("LENGTH", 20000)), int(p.get("BIG", 524288))
    d = Dump()
    a = [d.allocate(8) for _ in range(length)]
    b = [d.allocate(8) for _ in range(length)]
    target = d.allocate(big)
    d.params(d.next_address)
    for links in (a, b):
        for i, address in enumerate(links):
            following = links[i + 1] if i + 1 < length else target
            d.object(address, words([following]), [0])
    d.object(target, bytes(big), [])
    d.bss(words([a[0]] * slots + [b[0]]), [8 * i for i in range(slots + 1)])
    return d, {"target.addr": hex(target), "a.head": hex(a[0]), "b.head": hex(b[0]), "bss.addr": hex(BSS_ADDRESS),
               "slots": slots + 1,
               "length": length, "big": big, "path.objects": length + 1, "live.bytes": 16 * length + big}


SHAPES = {"repeated": shape_repeated, "frames": shape_frames, "shared": shape_shared, "hub": shape_hub,
          "deep": shape_deep, "crowd": shape_crowd}

# Small versions for the fuzzer's seeds: well under its 1 MB input limit.
SEEDS = {"repeated": {"REPEAT": "2000", "LENGTH": "50"}, "frames": {"FRAMES": "300", "GOROUTINES": "3"},
         "shared": {"N": "500"}, "hub": {"LENGTH": "500"},
         "deep": {"SLOTS": "500", "LENGTH": "200", "BIG": "4096"}, "crowd": {"GOROUTINES": "300"}}


def write(shape, dump_path, facts_path, params):
    dump, facts = SHAPES[shape](params)
    with open(dump_path, "wb") as f:
        f.write(dump.bytes())
    if facts_path:
        with open(facts_path, "w") as f:
            for key, value in facts.items():
                f.write("%s %s\n" % (key, value))


def main(argv):
    if len(argv) == 3 and argv[1] == "--seeds":
        os.makedirs(argv[2], exist_ok=True)
        for shape, params in SEEDS.items():
            write(shape, os.path.join(argv[2], "hostile-%s.dump" % shape), None, params)
        return 0
    if len(argv) >= 4 and argv[1] in SHAPES:
        params = dict(arg.split("=", 1) for arg in argv[4:])
        write(argv[1], argv[2], argv[3], params)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
