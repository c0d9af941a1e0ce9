/* hs_reader.h — bounded reads of varints, strings and byte ranges from a dump held in memory. */
#ifndef HS_READER_H
#define HS_READER_H

#include <stdint.h>
#include <string.h>

/* A cursor over an immutable byte buffer. Reads never go past `size`; a read
 * that would fails with HS_ERR_TRUNCATED and leaves `pos` where the field
 * started, so the offset of the failing field is known for messages. */
typedef struct hs_cursor {
    const uint8_t *base; /* first byte of the buffer (the whole dump) */
    uint64_t size;       /* bytes in the buffer */
    uint64_t pos;        /* offset of the next byte to read */
} hs_cursor;

/* Longest encoding of a 64-bit unsigned varint. */
#define HS_UVARINT_MAX_BYTES 10

/* Decodes one unsigned varint (Go's encoding/binary format) at the cursor.
 * Returns 0 and advances; HS_ERR_TRUNCATED when the buffer ends inside it;
 * HS_ERR_OVERFLOW when it is longer than 10 bytes or its value exceeds 64 bits. */
int hs_read_uvarint_slow(hs_cursor *cursor, uint64_t *value);
static inline int hs_read_uvarint(hs_cursor *cursor, uint64_t *value)
{
    /* Most numbers in a dump (tags, field kinds, small offsets, lengths) are one byte. */
    if (cursor->pos < cursor->size && cursor->base[cursor->pos] < 0x80) {
        *value = cursor->base[cursor->pos++];
        return 0;
    }
    return hs_read_uvarint_slow(cursor, value);
}

/* Reads a varint length, checks it against the bytes left, and returns the
 * bytes in place (*data points into the buffer; nothing is copied).
 * On HS_ERR_TRUNCATED, *length still holds the claimed length for messages. */
int hs_read_bytes(hs_cursor *cursor, const uint8_t **data, uint64_t *length);

/* Bytes left after the cursor. */
static inline uint64_t hs_cursor_left(const hs_cursor *cursor)
{
    return cursor->size - cursor->pos;
}

/* Reads a pointer-sized word of `pointer_size` bytes (4 or 8) from `bytes` in
 * the given byte order. The caller has checked that the bytes exist. */
static inline uint64_t hs_load_word(const uint8_t *bytes, unsigned pointer_size, int big_endian)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (pointer_size == 8 && !big_endian) {
        uint64_t word;
        memcpy(&word, bytes, sizeof word);
        return word;
    }
#endif
    uint64_t value = 0;
    if (big_endian) {
        for (unsigned i = 0; i < pointer_size; i++)
            value = (value << 8) | bytes[i];
    } else {
        for (unsigned i = pointer_size; i > 0; i--)
            value = (value << 8) | bytes[i - 1];
    }
    return value;
}

#endif
