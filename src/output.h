/* output.h — private: small writers shared by every renderer: escaped text, JSON strings, human sizes, percentages. */
#ifndef HS_PRIVATE_OUTPUT_H
#define HS_PRIVATE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Length of the well-formed UTF-8 sequence at data, of at most left bytes
 * (left > 0): 2 to 4, or 0 for a byte that starts none (ASCII, a
 * continuation byte, an overlong form, a surrogate, past U+10FFFF). */
unsigned hs_utf8_length(const uint8_t *data, uint64_t left);

/* Writes bytes from the dump as text: printable ASCII and UTF-8 as is,
 * control bytes as \xNN, so a hostile string cannot drive the terminal. */
void hs_write_text(FILE *out, const uint8_t *data, uint64_t length);

/* Writes a JSON string literal (with quotes) for bytes; invalid UTF-8 and
 * control bytes are escaped. */
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
