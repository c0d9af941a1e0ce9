/* error.c — status codes and context-carrying error messages, with long names shortened to keep the reason. */
#include "hs_error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A message is assembled from pieces: literal text of the format, each
 * conversion's text, and a suffix. Only the text of %s arguments (paths,
 * names) is ever shortened, longest first, keeping its start and its end
 * around "..."; the format's own words and numbers never are. */
#define MAX_PIECES 64
#define SHORTENED_MIN 24 /* a shortened argument keeps at least this many bytes, "..." included */

typedef struct piece {
    const char *text;
    size_t length;       /* bytes of text written (the head, once shortened) */
    const char *tail;    /* once shortened: the end kept after "..." */
    size_t tail_length;
    int argument;        /* from a %s argument: may be shortened */
} piece;

typedef struct message_builder {
    piece pieces[MAX_PIECES];
    unsigned count;
    char scratch[HS_ERROR_MESSAGE_MAX]; /* the text of conversions other than a plain %s */
    size_t scratch_used;
} message_builder;

static int add_piece(message_builder *b, const char *text, size_t length, int argument)
{
    if (b->count == MAX_PIECES)
        return -1;
    b->pieces[b->count++] = (piece){.text = text, .length = length, .argument = argument};
    return 0;
}

/* Formats one conversion (spec is "%...c", without '*') into the scratch space. */
#define ADD_FORMATTED(b, spec, value)                                                                                  \
    do {                                                                                                               \
        size_t room_ = sizeof (b)->scratch - (b)->scratch_used;                                                        \
        int n_ = snprintf((b)->scratch + (b)->scratch_used, room_, spec, value);                                       \
        if (n_ < 0 || (size_t)n_ >= room_ || add_piece(b, (b)->scratch + (b)->scratch_used, (size_t)n_, 0) < 0)       \
            return -1;                                                                                                 \
        (b)->scratch_used += (size_t)n_;                                                                               \
    } while (0)

/* Splits format and its arguments into pieces. Returns -1 for what it does
 * not take apart (too many pieces, a conversion it does not know, too much
 * formatted text); the caller then formats the message plainly. */
static int split_message(message_builder *b, const char *format, va_list args)
{
    const char *p = format;
    while (*p) {
        const char *literal = p;
        while (*p && *p != '%')
            p++;
        if (p > literal && add_piece(b, literal, (size_t)(p - literal), 0) < 0)
            return -1;
        if (!*p)
            break;
        if (p[1] == '%') {
            if (add_piece(b, "%", 1, 0) < 0)
                return -1;
            p += 2;
            continue;
        }
        /* %[flags][width][.precision][length]conversion, '*' replaced by its value. */
        char spec[64];
        size_t at = 0;
        spec[at++] = *p++;
        while (*p && strchr("-+ #0", *p) && at < 8)
            spec[at++] = *p++;
        int width = -1, precision = -1;
        if (*p == '*') {
            width = va_arg(args, int);
            p++;
        } else if (*p >= '0' && *p <= '9') {
            width = 0;
            while (*p >= '0' && *p <= '9' && width < 100000)
                width = width * 10 + (*p++ - '0');
        }
        if (*p == '.') {
            p++;
            precision = 0;
            if (*p == '*') {
                precision = va_arg(args, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9' && precision < 100000)
                    precision = precision * 10 + (*p++ - '0');
            }
        }
        if (width >= 0)
            at += (size_t)snprintf(spec + at, sizeof spec - at, "%d", width);
        if (precision >= 0)
            at += (size_t)snprintf(spec + at, sizeof spec - at, ".%d", precision);
        const char *length = p;
        while (*p && strchr("hlzjtL", *p) && p - length < 2)
            p++;
        size_t length_size = (size_t)(p - length);
        char conversion = *p;
        if (!conversion || at + length_size + 2 > sizeof spec)
            return -1;
        p++;
        memcpy(spec + at, length, length_size);
        at += length_size;
        spec[at++] = conversion;
        spec[at] = '\0';
        int hh = length_size == 2 && length[0] == 'h', h = length_size == 1 && length[0] == 'h';
        int l = length_size == 1 && length[0] == 'l', ll = length_size == 2 && length[0] == 'l';
        int z = length_size == 1 && length[0] == 'z', j = length_size == 1 && length[0] == 'j';
        int t = length_size == 1 && length[0] == 't', big = length_size == 1 && length[0] == 'L';
        switch (conversion) {
        case 'd':
        case 'i':
            if (l)
                ADD_FORMATTED(b, spec, va_arg(args, long));
            else if (ll)
                ADD_FORMATTED(b, spec, va_arg(args, long long));
            else if (z || t)
                ADD_FORMATTED(b, spec, va_arg(args, ptrdiff_t));
            else if (j)
                ADD_FORMATTED(b, spec, va_arg(args, intmax_t));
            else if (length_size == 0 || hh || h)
                ADD_FORMATTED(b, spec, va_arg(args, int));
            else
                return -1;
            break;
        case 'u':
        case 'o':
        case 'x':
        case 'X':
            if (l)
                ADD_FORMATTED(b, spec, va_arg(args, unsigned long));
            else if (ll)
                ADD_FORMATTED(b, spec, va_arg(args, unsigned long long));
            else if (z || t)
                ADD_FORMATTED(b, spec, va_arg(args, size_t));
            else if (j)
                ADD_FORMATTED(b, spec, va_arg(args, uintmax_t));
            else if (length_size == 0 || hh || h)
                ADD_FORMATTED(b, spec, va_arg(args, unsigned));
            else
                return -1;
            break;
        case 'c':
            if (length_size)
                return -1;
            ADD_FORMATTED(b, spec, va_arg(args, int));
            break;
        case 'p':
            ADD_FORMATTED(b, spec, va_arg(args, void *));
            break;
        case 'f':
        case 'F':
        case 'e':
        case 'E':
        case 'g':
        case 'G':
        case 'a':
        case 'A':
            if (big)
                ADD_FORMATTED(b, spec, va_arg(args, long double));
            else if (length_size == 0 || l)
                ADD_FORMATTED(b, spec, va_arg(args, double));
            else
                return -1;
            break;
        case 's': {
            if (length_size)
                return -1;
            const char *text = va_arg(args, const char *);
            if (!text)
                text = "(null)";
            if (width >= 0) { /* padded: formatted, never shortened */
                ADD_FORMATTED(b, spec, text);
                break;
            }
            size_t n = precision >= 0 ? strnlen(text, (size_t)precision) : strlen(text);
            if (add_piece(b, text, n, 1) < 0)
                return -1;
            break;
        }
        default:
            return -1;
        }
    }
    return 0;
}

static size_t piece_length(const piece *part)
{
    return part->length + (part->tail ? 3 + part->tail_length : 0);
}

/* Shortens the longest %s pieces until the pieces fit in `limit` bytes, as far as they can. */
static void shorten_arguments(message_builder *b, size_t limit)
{
    for (;;) {
        size_t total = 0;
        piece *longest = NULL;
        for (unsigned i = 0; i < b->count; i++) {
            total += piece_length(&b->pieces[i]);
            if (b->pieces[i].argument && !b->pieces[i].tail &&
                (!longest || b->pieces[i].length > longest->length))
                longest = &b->pieces[i];
        }
        if (total <= limit || !longest || longest->length <= SHORTENED_MIN)
            return;
        size_t excess = total - limit, keep = longest->length > excess + SHORTENED_MIN ? longest->length - excess
                                                                                       : SHORTENED_MIN;
        keep -= 3; /* the "..." */
        /* A third of the start (a path's top folders), two thirds of the end (its file name), whole UTF-8 characters. */
        size_t head = keep / 3, tail_start = longest->length - (keep - head);
        while (head > 0 && ((unsigned char)longest->text[head] & 0xc0) == 0x80)
            head--;
        while (tail_start < longest->length && ((unsigned char)longest->text[tail_start] & 0xc0) == 0x80)
            tail_start++;
        longest->tail = longest->text + tail_start;
        longest->tail_length = longest->length - tail_start;
        longest->length = head;
    }
}

/* Writes the pieces into out (size bytes, NUL-terminated, cut at the end if they still do not fit). */
static void join_pieces(const message_builder *b, char *out, size_t size)
{
    size_t at = 0;
    for (unsigned i = 0; i < b->count && at + 1 < size; i++) {
        const piece *part = &b->pieces[i];
        const char *texts[3] = {part->text, part->tail ? "..." : NULL, part->tail};
        size_t lengths[3] = {part->length, 3, part->tail_length};
        for (int k = 0; k < 3; k++) {
            if (!texts[k])
                continue;
            size_t n = lengths[k] < size - 1 - at ? lengths[k] : size - 1 - at;
            memcpy(out + at, texts[k], n);
            at += n;
        }
    }
    out[at] = '\0';
}

/* Formats format and args, then suffix, into out (HS_ERROR_MESSAGE_MAX bytes). */
static void compose(char *out, const char *suffix, const char *format, va_list args)
{
    message_builder b;
    va_list copy;
    va_copy(copy, args);
    b.count = 0;
    b.scratch_used = 0;
    if (split_message(&b, format, copy) == 0 && (!suffix || add_piece(&b, suffix, strlen(suffix), 0) == 0)) {
        shorten_arguments(&b, HS_ERROR_MESSAGE_MAX - 1);
        join_pieces(&b, out, HS_ERROR_MESSAGE_MAX);
    } else {
        int n = vsnprintf(out, HS_ERROR_MESSAGE_MAX, format, args);
        if (suffix && n >= 0 && (size_t)n < HS_ERROR_MESSAGE_MAX - 1)
            snprintf(out + n, HS_ERROR_MESSAGE_MAX - (size_t)n, "%s", suffix);
    }
    va_end(copy);
}

int hs_error_set(hs_error *err, int code, const char *format, ...)
{
    if (err) {
        va_list args;
        va_start(args, format);
        compose(err->message, NULL, format, args);
        va_end(args);
        err->code = code;
    }
    return code;
}

void hs_error_prefix(hs_error *err, const char *format, ...)
{
    if (!err || err->code == 0)
        return;
    char message[HS_ERROR_MESSAGE_MAX];
    memcpy(message, err->message, sizeof message);
    va_list args;
    va_start(args, format);
    compose(err->message, message, format, args);
    va_end(args);
}

const char *hs_strerror(int code)
{
    switch (code) {
    case HS_OK: return "success";
    case HS_ERR_IO: return "input/output error";
    case HS_ERR_FORMAT: return "not a valid heap dump";
    case HS_ERR_TRUNCATED: return "truncated heap dump";
    case HS_ERR_OVERFLOW: return "varint overflows 64 bits";
    case HS_ERR_NOMEM: return "out of memory";
    case HS_ERR_NOTFOUND: return "not found";
    case HS_ERR_USAGE: return "invalid argument";
    case HS_ERR_PROGRAM: return "unreadable program file";
    default: return "unknown error";
    }
}
