/* record.c — the streaming parser: decodes each record of a heap dump in place, checking every length. */
#include "hs_record.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char HEADER[] = "go1.7 heap dump\n";
#define HEADER_LENGTH 16

static const char *const TAG_NAMES[HS_TAG_COUNT] = {
    "end-of-file", "object", "other root", "type", "goroutine", "stack frame",
    "params", "finalizer", "itab", "OS thread", "memstats", "queued finalizer",
    "data segment", "BSS segment", "defer", "panic", "alloc/free profile", "alloc sample",
};

const char *hs_tag_name(unsigned tag)
{
    return tag < HS_TAG_COUNT ? TAG_NAMES[tag] : "unknown";
}

static const char *const MEMSTATS_NAMES[24] = {
    "Alloc", "TotalAlloc", "Sys", "Lookups", "Mallocs", "Frees", "HeapAlloc", "HeapSys",
    "HeapIdle", "HeapInuse", "HeapReleased", "HeapObjects", "StackInuse", "StackSys", "MSpanInuse", "MSpanSys",
    "MCacheInuse", "MCacheSys", "BuckHashSys", "GCSys", "OtherSys", "NextGC", "LastGC", "PauseTotalNs",
};

const char *hs_memstats_name(unsigned index)
{
    if (index < 24)
        return MEMSTATS_NAMES[index];
    if (index < 24 + 256)
        return "PauseNs";
    return index == HS_MEMSTATS_COUNT - 1 ? "NumGC" : "unknown";
}

/* Formats "FILE: offset N: while reading X record: MESSAGE". */
__attribute__((format(printf, 6, 7))) static int fail(const hs_parser *parser, hs_error *err, int code,
                                                      uint64_t offset, unsigned tag, const char *format, ...)
{
    if (!err)
        return code;
    char what[HS_ERROR_MESSAGE_MAX];
    va_list args;
    va_start(args, format);
    vsnprintf(what, sizeof what, format, args);
    va_end(args);
    return hs_error_set(err, code, "%s: offset %llu: while reading %s record: %s", parser->dump->name,
                        (unsigned long long)offset, hs_tag_name(tag), what);
}

/* The message for a varint that could not be read at `start`. */
__attribute__((cold, noinline)) static int number_failed(hs_parser *parser, unsigned tag, const char *field,
                                                        uint64_t start, int status, hs_error *err)
{
    if (status == HS_ERR_TRUNCATED)
        return fail(parser, err, status, start, tag, "dump ends inside the %s varint (%llu bytes left)", field,
                    (unsigned long long)hs_cursor_left(&parser->cursor));
    return fail(parser, err, status, start, tag, "%s varint is longer than 10 bytes or exceeds 64 bits", field);
}

/* Reads one varint field; names the field on failure. */
static inline int read_number(hs_parser *parser, unsigned tag, const char *field, uint64_t *value, hs_error *err)
{
    uint64_t start = parser->cursor.pos;
    int status = hs_read_uvarint(&parser->cursor, value);
    if (status < 0)
        return number_failed(parser, tag, field, start, status, err);
    return HS_OK;
}

static int read_flag(hs_parser *parser, unsigned tag, const char *field, int *flag, hs_error *err)
{
    uint64_t value;
    HS_TRY(read_number(parser, tag, field, &value, err));
    *flag = value != 0;
    return HS_OK;
}

/* Reads a length-prefixed byte string; the length is checked against the bytes left. */
static int read_string(hs_parser *parser, unsigned tag, const char *field, hs_bytes *bytes, hs_error *err)
{
    uint64_t start = parser->cursor.pos;
    hs_cursor probe = parser->cursor;
    uint64_t length;
    HS_TRY(read_number(parser, tag, field, &length, err));
    if (length > hs_cursor_left(&parser->cursor)) {
        uint64_t left = hs_cursor_left(&parser->cursor);
        parser->cursor = probe;
        return fail(parser, err, HS_ERR_TRUNCATED, start, tag, "%s length %llu exceeds the %llu bytes left", field,
                    (unsigned long long)length, (unsigned long long)left);
    }
    bytes->data = parser->cursor.base + parser->cursor.pos;
    bytes->length = length;
    parser->cursor.pos += length;
    return HS_OK;
}

/* Reads and validates a field list for a region of `length` bytes. */
static int read_fields(hs_parser *parser, unsigned tag, uint64_t record_offset, uint64_t length,
                       hs_fields *fields, hs_error *err)
{
    fields->encoded = parser->cursor.base + parser->cursor.pos;
    fields->count = 0;
    fields->outside = 0;
    uint64_t start = parser->cursor.pos;
    unsigned word = parser->params.pointer_size;
    for (;;) {
        uint64_t kind_offset = parser->cursor.pos, kind, offset;
        HS_TRY(read_number(parser, tag, "field kind", &kind, err));
        if (kind == HS_FIELD_EOL)
            break;
        if (kind > HS_FIELD_EFACE)
            return fail(parser, err, HS_ERR_FORMAT, kind_offset, tag, "unknown field kind %llu",
                        (unsigned long long)kind);
        HS_TRY(read_number(parser, tag, "field offset", &offset, err));
        fields->count++;
        if (offset > length || length - offset < word)
            fields->outside++;
    }
    fields->encoded_length = parser->cursor.pos - start;
    if (fields->outside) {
        if (parser->warnings.fields_outside == 0)
            parser->warnings.fields_outside_first = record_offset;
        parser->warnings.fields_outside += fields->outside;
    }
    return HS_OK;
}

/* Reads a run of varint fields into consecutive uint64_t slots. */
static int read_numbers(hs_parser *parser, unsigned tag, const char *const *names, uint64_t *values, unsigned count,
                        hs_error *err)
{
    for (unsigned i = 0; i < count; i++)
        HS_TRY(read_number(parser, tag, names[i], &values[i], err));
    return HS_OK;
}

static void parse_go_version(hs_params *params)
{
    params->go_major = params->go_minor = 0;
    const hs_bytes *v = &params->version;
    if (v->length < 5 || memcmp(v->data, "go", 2) != 0)
        return;
    uint64_t i = 2;
    int major = 0, minor = 0;
    while (i < v->length && v->data[i] >= '0' && v->data[i] <= '9' && major < 1000)
        major = major * 10 + (v->data[i++] - '0');
    if (i >= v->length || v->data[i] != '.')
        return;
    i++;
    while (i < v->length && v->data[i] >= '0' && v->data[i] <= '9' && minor < 1000)
        minor = minor * 10 + (v->data[i++] - '0');
    params->go_major = major;
    params->go_minor = minor;
}

int hs_check_header(const char *name, const uint8_t *data, uint64_t size, int complete, hs_error *err)
{
    if (size == 0)
        return complete ? hs_error_set(err, HS_ERR_FORMAT, "%s: offset 0: the file is empty, not a heap dump", name)
                        : HS_OK;
    uint64_t n = size < HEADER_LENGTH ? size : HEADER_LENGTH;
    if (memcmp(data, HEADER, n) != 0)
        return hs_error_set(err, HS_ERR_FORMAT, "%s: offset 0: not a Go heap dump (no \"go1.7 heap dump\" header)",
                            name);
    if (complete && size < HEADER_LENGTH)
        return hs_error_set(err, HS_ERR_TRUNCATED, "%s: offset %llu: truncated inside the header", name,
                            (unsigned long long)size);
    return HS_OK;
}

int hs_parser_init(hs_parser *parser, const hs_dump *dump, hs_error *err)
{
    memset(parser, 0, sizeof *parser);
    parser->dump = dump;
    parser->cursor.base = dump->data;
    parser->cursor.size = dump->size;
    HS_TRY(hs_check_header(dump->name, dump->data, dump->size, 1, err));
    parser->cursor.pos = HEADER_LENGTH;
    return HS_OK;
}

static int parse_params(hs_parser *parser, hs_record *record, hs_error *err)
{
    unsigned tag = HS_TAG_PARAMS;
    uint64_t pointer_size_offset;
    HS_TRY(read_flag(parser, tag, "big-endian", &record->params.big_endian, err));
    pointer_size_offset = parser->cursor.pos;
    HS_TRY(read_number(parser, tag, "pointer size", &record->params.pointer_size, err));
    if (record->params.pointer_size != 4 && record->params.pointer_size != 8)
        return fail(parser, err, HS_ERR_FORMAT, pointer_size_offset, tag, "pointer size %llu is neither 4 nor 8",
                    (unsigned long long)record->params.pointer_size);
    HS_TRY(read_number(parser, tag, "heap start", &record->params.heap_start, err));
    HS_TRY(read_number(parser, tag, "heap end", &record->params.heap_end, err));
    HS_TRY(read_string(parser, tag, "architecture", &record->params.arch, err));
    HS_TRY(read_string(parser, tag, "Go version", &record->params.version, err));
    HS_TRY(read_number(parser, tag, "CPU count", &record->params.cpus, err));
    if (parser->seen_params)
        return fail(parser, err, HS_ERR_FORMAT, record->offset, tag, "a second params record");
    hs_params *params = &parser->params;
    params->big_endian = record->params.big_endian;
    params->pointer_size = (unsigned)record->params.pointer_size;
    params->heap_start = record->params.heap_start;
    params->heap_end = record->params.heap_end;
    params->arch = record->params.arch;
    params->version = record->params.version;
    params->cpus = record->params.cpus;
    parse_go_version(params);
    parser->seen_params = 1;
    return HS_OK;
}

static int parse_profile(hs_parser *parser, hs_record *record, hs_error *err)
{
    unsigned tag = HS_TAG_MEMPROF;
    HS_TRY(read_number(parser, tag, "bucket", &record->profile.bucket, err));
    HS_TRY(read_number(parser, tag, "size", &record->profile.size, err));
    HS_TRY(read_number(parser, tag, "stack depth", &record->profile.depth, err));
    uint64_t start = parser->cursor.pos;
    record->profile.frames = parser->cursor.base + start;
    /* Each frame takes at least 3 bytes; the loop stops at the first short one. */
    for (uint64_t i = 0; i < record->profile.depth; i++) {
        hs_bytes function, file;
        uint64_t line;
        HS_TRY(read_string(parser, tag, "frame function", &function, err));
        HS_TRY(read_string(parser, tag, "frame file", &file, err));
        HS_TRY(read_number(parser, tag, "frame line", &line, err));
    }
    record->profile.frames_length = parser->cursor.pos - start;
    HS_TRY(read_number(parser, tag, "allocs", &record->profile.allocs, err));
    HS_TRY(read_number(parser, tag, "frees", &record->profile.frees, err));
    return HS_OK;
}

static int parse_body(hs_parser *parser, hs_record *record, hs_error *err)
{
    unsigned tag = record->tag;
    switch (record->tag) {
    case HS_TAG_EOF:
        return HS_OK;
    case HS_TAG_OBJECT:
    case HS_TAG_DATA:
    case HS_TAG_BSS:
        HS_TRY(read_number(parser, tag, "address", &record->object.address, err));
        HS_TRY(read_string(parser, tag, "contents", &record->object.contents, err));
        /* Its last byte must have an address: an end of 2^64 wraps to 0. */
        if (record->object.contents.length > UINT64_MAX - record->object.address)
            return fail(parser, err, HS_ERR_FORMAT, record->offset, tag,
                        "%llu bytes at 0x%llx end past the top of the address space",
                        (unsigned long long)record->object.contents.length,
                        (unsigned long long)record->object.address);
        return read_fields(parser, tag, record->offset, record->object.contents.length, &record->object.fields, err);
    case HS_TAG_OTHER_ROOT:
        HS_TRY(read_string(parser, tag, "description", &record->other_root.description, err));
        return read_number(parser, tag, "pointer", &record->other_root.pointer, err);
    case HS_TAG_TYPE:
        HS_TRY(read_number(parser, tag, "address", &record->type.address, err));
        HS_TRY(read_number(parser, tag, "size", &record->type.size, err));
        HS_TRY(read_string(parser, tag, "name", &record->type.name, err));
        return read_flag(parser, tag, "indirect", &record->type.indirect, err);
    case HS_TAG_GOROUTINE: {
        static const char *const first[] = {"address", "stack pointer", "goroutine id", "go statement pc", "status"};
        static const char *const last[] = {"context", "thread", "top defer", "top panic"};
        HS_TRY(read_numbers(parser, tag, first, &record->goroutine.address, 5, err));
        HS_TRY(read_flag(parser, tag, "is-system", &record->goroutine.is_system, err));
        HS_TRY(read_flag(parser, tag, "is-background", &record->goroutine.is_background, err));
        HS_TRY(read_number(parser, tag, "wait since", &record->goroutine.wait_since, err));
        HS_TRY(read_string(parser, tag, "wait reason", &record->goroutine.wait_reason, err));
        return read_numbers(parser, tag, last, &record->goroutine.context, 4, err);
    }
    case HS_TAG_STACK_FRAME: {
        static const char *const first[] = {"stack pointer", "depth", "child stack pointer"};
        static const char *const pcs[] = {"entry pc", "pc", "continuation pc"};
        HS_TRY(read_numbers(parser, tag, first, &record->frame.sp, 3, err));
        HS_TRY(read_string(parser, tag, "contents", &record->frame.contents, err));
        HS_TRY(read_numbers(parser, tag, pcs, &record->frame.entry_pc, 3, err));
        HS_TRY(read_string(parser, tag, "function name", &record->frame.name, err));
        return read_fields(parser, tag, record->offset, record->frame.contents.length, &record->frame.fields, err);
    }
    case HS_TAG_PARAMS:
        return parse_params(parser, record, err);
    case HS_TAG_FINALIZER:
    case HS_TAG_QUEUED_FINALIZER: {
        static const char *const names[] = {"object", "funcval", "function pc", "argument type", "object type"};
        return read_numbers(parser, tag, names, &record->finalizer.object, 5, err);
    }
    case HS_TAG_ITAB: {
        static const char *const names[] = {"address", "type"};
        return read_numbers(parser, tag, names, &record->itab.address, 2, err);
    }
    case HS_TAG_OS_THREAD: {
        static const char *const names[] = {"address", "id", "OS id"};
        return read_numbers(parser, tag, names, &record->thread.address, 3, err);
    }
    case HS_TAG_MEMSTATS:
        for (unsigned i = 0; i < HS_MEMSTATS_COUNT; i++)
            HS_TRY(read_number(parser, tag, hs_memstats_name(i), &record->memstats.values[i], err));
        return HS_OK;
    case HS_TAG_DEFER: {
        static const char *const names[] = {"address", "goroutine", "sp", "pc", "funcval", "function pc", "link"};
        return read_numbers(parser, tag, names, &record->defer_record.address, 7, err);
    }
    case HS_TAG_PANIC: {
        static const char *const names[] = {"address", "goroutine", "argument type", "argument data", "defer",
                                            "link"};
        return read_numbers(parser, tag, names, &record->panic_record.address, 6, err);
    }
    case HS_TAG_MEMPROF:
        return parse_profile(parser, record, err);
    case HS_TAG_ALLOC_SAMPLE: {
        static const char *const names[] = {"object address", "bucket"};
        return read_numbers(parser, tag, names, &record->sample.address, 2, err);
    }
    case HS_TAG_COUNT:
        break;
    }
    return fail(parser, err, HS_ERR_FORMAT, record->offset, tag, "unknown record tag");
}

int hs_parser_next(hs_parser *parser, hs_record *record, hs_error *err)
{
    if (parser->finished)
        return 0;
    hs_cursor *cursor = &parser->cursor;
    if (hs_cursor_left(cursor) == 0)
        return hs_error_set(err, HS_ERR_TRUNCATED,
                            "%s: offset %llu: dump is truncated: it ends after %llu records without an "
                            "end-of-file record",
                            parser->dump->name, (unsigned long long)cursor->pos, (unsigned long long)parser->records);
    record->offset = cursor->pos;
    uint64_t tag;
    int status = hs_read_uvarint(cursor, &tag);
    if (status == HS_ERR_TRUNCATED)
        return hs_error_set(err, status, "%s: offset %llu: dump is truncated inside a record tag", parser->dump->name,
                            (unsigned long long)record->offset);
    if (status < 0 || tag >= HS_TAG_COUNT)
        return hs_error_set(err, HS_ERR_FORMAT, "%s: offset %llu: unknown record tag %llu after %llu records",
                            parser->dump->name, (unsigned long long)record->offset,
                            (unsigned long long)(status < 0 ? UINT64_MAX : tag), (unsigned long long)parser->records);
    record->tag = (enum hs_tag)tag;
    if (!parser->seen_params && tag != HS_TAG_PARAMS && tag != HS_TAG_EOF)
        return fail(parser, err, HS_ERR_FORMAT, record->offset, (unsigned)tag,
                    "no params record before it (pointer size and byte order unknown)");
    HS_TRY(parse_body(parser, record, err));
    record->end = cursor->pos;
    parser->records++;
    if (tag == HS_TAG_EOF) {
        if (!parser->seen_params)
            return hs_error_set(err, HS_ERR_FORMAT, "%s: offset %llu: dump has no params record",
                                parser->dump->name, (unsigned long long)record->offset);
        parser->finished = 1;
        parser->warnings.trailing_bytes = hs_cursor_left(cursor);
    }
    return 1;
}

/* Decodes a varint at p[*pos] with at least HS_UVARINT_MAX_BYTES bytes
 * readable; returns 0, or -1 for one too long or too large (the general
 * path then reports it). */
static inline int unchecked_uvarint(const uint8_t *p, uint64_t *pos, uint64_t *value)
{
    uint64_t result = 0;
    for (unsigned i = 0; i < HS_UVARINT_MAX_BYTES; i++) {
        uint8_t byte = p[*pos + i];
        result |= (uint64_t)(byte & 0x7f) << (7 * i);
        if (byte < 0x80) {
            if (i == HS_UVARINT_MAX_BYTES - 1 && byte > 1)
                return -1;
            *pos += i + 1;
            *value = result;
            return 0;
        }
    }
    return -1;
}

int hs_parser_next_object(hs_parser *parser, uint64_t *address, hs_bytes *contents, hs_error *err)
{
    const uint8_t *base = parser->cursor.base;
    uint64_t size = parser->cursor.size, pos = parser->cursor.pos + 1, length, kind, offset;
    uint64_t outside = 0;
    unsigned word = parser->params.pointer_size;
    /* Two varints at a time need 2 * 10 bytes. */
    const uint64_t room = 2 * HS_UVARINT_MAX_BYTES;
    if (!parser->seen_params || parser->finished || size - parser->cursor.pos < room + 1 ||
        unchecked_uvarint(base, &pos, address) < 0 || unchecked_uvarint(base, &pos, &length) < 0 ||
        length > size - pos || length > UINT64_MAX - *address)
        goto general;
    contents->data = base + pos;
    contents->length = length;
    pos += length;
    for (;;) {
        if (size - pos < room || unchecked_uvarint(base, &pos, &kind) < 0)
            goto general;
        if (kind == HS_FIELD_EOL)
            break;
        if (kind > HS_FIELD_EFACE || unchecked_uvarint(base, &pos, &offset) < 0)
            goto general;
        if (offset > length || length - offset < word)
            outside++;
    }
    if (outside) {
        if (parser->warnings.fields_outside == 0)
            parser->warnings.fields_outside_first = parser->cursor.pos;
        parser->warnings.fields_outside += outside;
    }
    parser->cursor.pos = pos;
    parser->records++;
    return 1;
general:;
    hs_record record;
    int status = hs_parser_next(parser, &record, err);
    if (status > 0) {
        *address = record.object.address;
        *contents = record.object.contents;
    }
    return status;
}

/* Whether the parser's next record, if any, is an object record in its canonical one-byte tag. */
static int next_is_object(const hs_parser *parser)
{
    return parser->cursor.pos < parser->cursor.size && parser->cursor.base[parser->cursor.pos] == HS_TAG_OBJECT;
}

/* Bounds on a boundary guess: each candidate's chain must lie within
 * GUESS_CHAIN_BYTES of it, and all candidates together may read
 * GUESS_BUDGET_BYTES. Without them, bytes that look like endless field
 * lists (a segment full of 0x01, say) make each candidate read to the end
 * of the window: time quadratic in the window. */
#define GUESS_CHAIN_BYTES ((uint64_t)256 << 10)
#define GUESS_BUDGET_BYTES ((uint64_t)4 << 20)

uint64_t hs_parser_guess_object_boundary(const hs_parser *parser, uint64_t from, uint64_t window, unsigned chain)
{
    if (!parser->seen_params || from >= parser->cursor.size)
        return UINT64_MAX;
    uint64_t end = parser->cursor.size - from < window ? parser->cursor.size : from + window;
    const hs_params *params = &parser->params;
    int heap_known = params->heap_start < params->heap_end;
    uint64_t budget = GUESS_BUDGET_BYTES;
    hs_record record;
    for (uint64_t at = from; at < end && budget > 0; at++) {
        if (parser->cursor.base[at] != HS_TAG_OBJECT)
            continue;
        hs_parser probe = *parser;
        probe.cursor.pos = at;
        if (probe.cursor.size - at > GUESS_CHAIN_BYTES)
            probe.cursor.size = at + GUESS_CHAIN_BYTES;
        unsigned parsed = 0;
        while (parsed < chain && next_is_object(&probe) && hs_parser_next(&probe, &record, NULL) > 0) {
            if (record.object.fields.outside ||
                (heap_known && (record.object.address < params->heap_start ||
                                record.object.address >= params->heap_end)))
                break;
            parsed++;
        }
        if (parsed == chain)
            return at;
        /* What the attempt read: at least its tag, at most the chain's bytes. */
        uint64_t read = probe.cursor.pos > at ? probe.cursor.pos - at : 1;
        budget = read < budget ? budget - read : 0;
    }
    return UINT64_MAX;
}

void hs_fields_begin(hs_field_iter *iter, const hs_fields *fields, uint64_t length, unsigned pointer_size)
{
    iter->cursor.base = fields->encoded;
    iter->cursor.size = fields->encoded_length;
    iter->cursor.pos = 0;
    iter->length = length;
    iter->pointer_size = pointer_size;
    iter->shift = 0;
}

uint64_t hs_fields_count(const hs_fields *fields)
{
    hs_field_iter iter;
    uint64_t slot, count = 0;
    hs_fields_begin(&iter, fields, UINT64_MAX, 0);
    while (hs_fields_next(&iter, &slot))
        count++;
    return count;
}

void hs_profile_frames_begin(hs_profile_iter *iter, const hs_record *profile_record)
{
    iter->cursor.base = profile_record->profile.frames;
    iter->cursor.size = profile_record->profile.frames_length;
    iter->cursor.pos = 0;
    iter->left = profile_record->profile.depth;
}

int hs_profile_frames_next(hs_profile_iter *iter, hs_profile_frame *frame)
{
    if (iter->left == 0)
        return 0;
    if (hs_read_bytes(&iter->cursor, &frame->function.data, &frame->function.length) < 0 ||
        hs_read_bytes(&iter->cursor, &frame->file.data, &frame->file.length) < 0 ||
        hs_read_uvarint(&iter->cursor, &frame->line) < 0)
        return 0;
    iter->left--;
    return 1;
}
