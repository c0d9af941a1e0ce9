/* reader.c — bounded varint and length-prefixed byte decoding. */
#include "hs_reader.h"

#include "hs_error.h"

/* The multi-byte case of hs_read_uvarint (the one-byte case is inline in the header). */
int hs_read_uvarint_slow(hs_cursor *cursor, uint64_t *value)
{
    if (cursor->size - cursor->pos >= HS_UVARINT_MAX_BYTES) {
        /* Room for the longest encoding: no bounds check per byte. */
        const uint8_t *p = cursor->base + cursor->pos;
        uint64_t result = 0;
        for (unsigned i = 0; i < HS_UVARINT_MAX_BYTES; i++) {
            uint8_t byte = p[i];
            result |= (uint64_t)(byte & 0x7f) << (7 * i);
            if (byte < 0x80) {
                if (i == HS_UVARINT_MAX_BYTES - 1 && byte > 1)
                    return HS_ERR_OVERFLOW;
                cursor->pos += i + 1;
                *value = result;
                return HS_OK;
            }
        }
        return HS_ERR_OVERFLOW;
    }
    uint64_t result = 0;
    unsigned shift = 0;
    uint64_t pos = cursor->pos;
    for (unsigned i = 0; i < HS_UVARINT_MAX_BYTES; i++) {
        if (pos >= cursor->size)
            return HS_ERR_TRUNCATED;
        uint8_t byte = cursor->base[pos++];
        if (byte < 0x80) {
            /* The tenth byte may only carry the top bit of the value. */
            if (i == HS_UVARINT_MAX_BYTES - 1 && byte > 1)
                return HS_ERR_OVERFLOW;
            result |= (uint64_t)byte << shift;
            cursor->pos = pos;
            *value = result;
            return HS_OK;
        }
        result |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
    }
    return HS_ERR_OVERFLOW;
}

int hs_read_bytes(hs_cursor *cursor, const uint8_t **data, uint64_t *length)
{
    uint64_t start = cursor->pos;
    int status = hs_read_uvarint(cursor, length);
    if (status < 0)
        return status;
    if (*length > hs_cursor_left(cursor)) {
        cursor->pos = start;
        return HS_ERR_TRUNCATED;
    }
    *data = cursor->base + cursor->pos;
    cursor->pos += *length;
    return HS_OK;
}
