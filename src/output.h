/* output.h — private: small writers shared by every renderer: escaped text, JSON strings, human sizes, percentages. */
#ifndef HS_PRIVATE_OUTPUT_H
#define HS_PRIVATE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The one UTF-8 validator: the length (1 to 4) of the well-formed sequence
 * at data, as RFC 3629 has it (no overlong forms, no surrogates, nothing
 * past U+10FFFF), with its code point in *code; 0 when the bytes there are
 * not one (or left is 0). */
unsigned hs_utf8_decode(const uint8_t *data, uint64_t left, uint32_t *code);

/* Writes bytes from the dump, the program or an OID file as terminal text:
 * printable ASCII and well-formed UTF-8 as is; a backslash as \\; control
 * characters (C0, DEL and the C1 range U+0080-U+009F, CSI included) and
 * bytes of invalid UTF-8 as \xNN per byte, so a hostile name cannot drive
 * the terminal. */
void hs_write_text(FILE *out, const uint8_t *data, uint64_t length);

/* Same for a NUL-terminated string. */
void hs_write_text_cstring(FILE *out, const char *text);

/* Writes a JSON string literal (with quotes) for bytes: well-formed UTF-8
 * (hs_utf8_decode) as is; quote, backslash and control bytes escaped; each
 * byte of invalid UTF-8 as \u00XX (the byte's value as a code point). */
void hs_write_json_string(FILE *out, const uint8_t *data, uint64_t length);

/* Same for a NUL-terminated string; NULL writes `null`. */
void hs_write_json_cstring(FILE *out, const char *text);

/* Writes as one JSON string what write(stream, argument) writes as text (a
 * description composed by a text writer); "" when memory runs out. */
void hs_write_json_of(FILE *out, void (*write)(FILE *stream, const void *argument), const void *argument);

/* part as a percentage of whole (0 to 100 when part <= whole); 0 when whole is 0. */
double hs_percent(uint64_t part, uint64_t whole);

/* Formats a byte count in human units ("96 B", "64 kiB", "1.50 MiB") into
 * buffer, as the original heapspurs labels graph nodes. Returns buffer. */
const char *hs_human_size(uint64_t bytes, char *buffer, size_t size);

#endif
