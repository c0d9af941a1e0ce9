"""dumpwrite.py — for the CLI tests that build a small dump by hand: the encoding of
runtime/debug.WriteHeapDump (docs/format.md), one value at a time."""


def uv(n):
    """An unsigned varint."""
    out = bytearray()
    while True:
        b, n = n & 0x7f, n >> 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def string(b):
    """A length-prefixed string of bytes."""
    return uv(len(b)) + b


def fields(offsets):
    """A field list of pointer slots at these offsets, then its end."""
    return b"".join(uv(1) + uv(o) for o in offsets) + uv(0)
