/* output.c — escaped text and JSON string writers, human-readable sizes, percentages. */
#include "output.h"

#include <stdlib.h>

unsigned hs_utf8_length(const uint8_t *data, uint64_t left)
{
    uint8_t c = data[0];
    unsigned n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n == 0 || n > left)
        return 0;
    uint32_t code = c & (0x7f >> n);
    for (unsigned i = 1; i < n; i++) {
        if ((data[i] & 0xc0) != 0x80)
            return 0;
        code = code << 6 | (data[i] & 0x3f);
    }
    if ((n == 3 && code < 0x800) || (n == 4 && (code < 0x10000 || code > 0x10ffff)) ||
        (code >= 0xd800 && code <= 0xdfff))
        return 0;
    return n;
}

void hs_write_text(FILE *out, const uint8_t *data, uint64_t length)
{
    for (uint64_t i = 0; i < length;) {
        uint8_t c = data[i];
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            fputc(c, out);
            i++;
            continue;
        }
        unsigned n = c >= 0x80 ? hs_utf8_length(data + i, length - i) : 0;
        if (n) {
            fwrite(data + i, 1, n, out);
            i += n;
        } else {
            if (c == '\\')
                fputs("\\\\", out);
            else
                fprintf(out, "\\x%02x", c);
            i++;
        }
    }
}

void hs_write_json_string(FILE *out, const uint8_t *data, uint64_t length)
{
    fputc('"', out);
    for (uint64_t i = 0; i < length;) {
        uint8_t c = data[i];
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc(c, out);
            i++;
        } else if (c >= 0x20 && c < 0x7f) {
            fputc(c, out);
            i++;
        } else if (c == '\n') {
            fputs("\\n", out);
            i++;
        } else if (c == '\t') {
            fputs("\\t", out);
            i++;
        } else {
            unsigned n = c >= 0x80 ? hs_utf8_length(data + i, length - i) : 0;
            if (n) {
                fwrite(data + i, 1, n, out);
                i += n;
            } else {
                /* Control bytes and bytes of invalid UTF-8 become U+00XX. */
                fprintf(out, "\\u%04x", c);
                i++;
            }
        }
    }
    fputc('"', out);
}

void hs_write_json_cstring(FILE *out, const char *text)
{
    if (!text) {
        fputs("null", out);
        return;
    }
    uint64_t length = 0;
    while (text[length])
        length++;
    hs_write_json_string(out, (const uint8_t *)text, length);
}

double hs_percent(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

const char *hs_human_size(uint64_t bytes, char *buffer, size_t size)
{
    double x = (double)bytes;
    if (bytes < 2 * 1024)
        snprintf(buffer, size, "%llu B", (unsigned long long)bytes);
    else if (bytes < 2ull * 1024 * 1024)
        snprintf(buffer, size, "%.0f kiB", x / 1024);
    else if (bytes < 2ull * 1024 * 1024 * 1024)
        snprintf(buffer, size, "%.2f MiB", x / (1024.0 * 1024));
    else if (bytes < 2ull * 1024 * 1024 * 1024 * 1024)
        snprintf(buffer, size, "%.2f GiB", x / (1024.0 * 1024 * 1024));
    else
        snprintf(buffer, size, "%.2f TiB", x / (1024.0 * 1024 * 1024 * 1024));
    return buffer;
}

void hs_write_json_of(FILE *out, void (*write)(FILE *stream, const void *argument), const void *argument)
{
    char *text = NULL;
    size_t length = 0;
    FILE *memory = open_memstream(&text, &length);
    if (memory) {
        write(memory, argument);
        fclose(memory);
    }
    hs_write_json_string(out, (const uint8_t *)(text ? text : ""), text ? length : 0);
    free(text);
}
