/* pprof_proto.c — profile.proto written by hand: varints, length-delimited fields, interning tables, and zlib's gzip deflate. */
#include "pprof_proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "array.h"
#include "output.h"
#include "pair_map.h"

/* Protobuf wire types. */
enum { WIRE_VARINT = 0, WIRE_BYTES = 2 };

/* Fields of the messages inside Profile. */
enum {
    PROFILE_SAMPLE = 2, PROFILE_MAPPING = 3, PROFILE_LOCATION = 4, PROFILE_FUNCTION = 5, PROFILE_STRING = 6,
    VALUE_TYPE_TYPE = 1, VALUE_TYPE_UNIT = 2,
    SAMPLE_LOCATION = 1, SAMPLE_VALUE = 2, SAMPLE_LABEL = 3,
    LABEL_KEY = 1, LABEL_NUM = 3,
    MAPPING_ID = 1, MAPPING_FILENAME = 5, MAPPING_HAS_FUNCTIONS = 7, MAPPING_HAS_FILENAMES = 8,
    MAPPING_HAS_LINE_NUMBERS = 9,
    LOCATION_ID = 1, LOCATION_MAPPING = 2, LOCATION_LINE = 4,
    LINE_FUNCTION = 1, LINE_LINE = 2,
    FUNCTION_ID = 1, FUNCTION_NAME = 2, FUNCTION_SYSTEM_NAME = 3, FUNCTION_FILENAME = 4
};

#define CHUNK (64u << 10)
#define NO_STRING UINT32_MAX

/* Bytes being put together: a message before its length is known. */
typedef struct proto_buffer {
    uint8_t *data;
    uint64_t length, capacity;
} proto_buffer;

typedef struct string_entry {
    uint64_t offset; /* in the arena */
    uint64_t length;
    uint32_t next;   /* the next entry with the same hash and length, or NO_STRING */
} string_entry;

struct pprof_writer {
    FILE *out;
    const char *name;
    z_stream zlib;
    int zlib_ready;
    uint8_t *pending; /* protobuf bytes not yet deflated */
    size_t pending_length;
    uint8_t *deflated;
    proto_buffer message, inner;
    /* The string table: raw bytes in an arena, found by (hash, length). */
    char *arena;
    uint64_t arena_length, arena_capacity;
    string_entry *strings;
    uint64_t string_count, string_capacity;
    pair_map string_index;
    FILE *escape; /* where a new string is escaped before it is written */
    char *escape_buffer;
    size_t escape_size;
    pair_map functions; /* (name, filename) -> function id */
    uint32_t function_count;
    pair_map locations; /* (function id, line) -> location id */
    uint32_t location_count;
    int status;
    hs_error error;
};

static void fail_nomem(pprof_writer *w)
{
    if (!w->status)
        w->status = hs_error_set(&w->error, HS_ERR_NOMEM, "%s: out of memory writing the profile", w->name);
}

/* ---- encoding into a buffer ---- */

static void put_raw(pprof_writer *w, proto_buffer *b, const void *data, uint64_t length)
{
    if (w->status)
        return;
    if (HS_ARRAY_RESERVE(b->data, &b->capacity, b->length + length) < 0) {
        fail_nomem(w);
        return;
    }
    if (length)
        memcpy(b->data + b->length, data, length);
    b->length += length;
}

/* The varint of v into bytes (10 at most); returns its length. */
static unsigned encode_varint(uint64_t v, uint8_t *bytes)
{
    unsigned n = 0;
    while (v >= 0x80) {
        bytes[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    bytes[n++] = (uint8_t)v;
    return n;
}

static void put_varint(pprof_writer *w, proto_buffer *b, uint64_t v)
{
    uint8_t bytes[10];
    put_raw(w, b, bytes, encode_varint(v, bytes));
}

static void put_key(pprof_writer *w, proto_buffer *b, unsigned field, unsigned wire)
{
    put_varint(w, b, (uint64_t)field << 3 | wire);
}

/* An integer field; int64 values go as their two's complement, as protobuf has it. */
static void put_uint(pprof_writer *w, proto_buffer *b, unsigned field, uint64_t v)
{
    put_key(w, b, field, WIRE_VARINT);
    put_varint(w, b, v);
}

static void put_bytes(pprof_writer *w, proto_buffer *b, unsigned field, const void *data, uint64_t length)
{
    put_key(w, b, field, WIRE_BYTES);
    put_varint(w, b, length);
    put_raw(w, b, data, length);
}

/* ---- the gzip stream ---- */

/* Deflates what is pending with `flush` and writes what comes out. */
static void deflate_pending(pprof_writer *w, int flush)
{
    if (w->status)
        return;
    w->zlib.next_in = w->pending;
    w->zlib.avail_in = (uInt)w->pending_length;
    int code;
    do {
        w->zlib.next_out = w->deflated;
        w->zlib.avail_out = CHUNK;
        code = deflate(&w->zlib, flush);
        if (code == Z_STREAM_ERROR) {
            w->status = hs_error_set(&w->error, HS_ERR_IO, "%s: compression failed", w->name);
            return;
        }
        size_t produced = CHUNK - w->zlib.avail_out;
        errno = 0;
        if (produced && fwrite(w->deflated, 1, produced, w->out) != produced) {
            w->status = hs_error_set(&w->error, HS_ERR_IO, "%s: cannot write: %s", w->name,
                                     errno ? strerror(errno) : "write error");
            return;
        }
    } while (w->zlib.avail_out == 0 || (flush == Z_FINISH && code != Z_STREAM_END));
    w->pending_length = 0;
}

static void emit(pprof_writer *w, const void *data, uint64_t length)
{
    const uint8_t *bytes = data;
    while (!w->status && length) {
        size_t room = CHUNK - w->pending_length;
        size_t n = length < room ? (size_t)length : room;
        memcpy(w->pending + w->pending_length, bytes, n);
        w->pending_length += n;
        bytes += n;
        length -= n;
        if (w->pending_length == CHUNK)
            deflate_pending(w, Z_NO_FLUSH);
    }
}

/* Writes field `field` of Profile holding the bytes of b, and empties b. */
static void emit_field(pprof_writer *w, unsigned field, proto_buffer *b)
{
    uint8_t head[20];
    unsigned n = encode_varint((uint64_t)field << 3 | WIRE_BYTES, head);
    n += encode_varint(b->length, head + n);
    emit(w, head, n);
    emit(w, b->data, b->length);
    b->length = 0;
}

/* ---- the writer ---- */

void pprof_writer_free(pprof_writer *w)
{
    if (!w)
        return;
    if (w->zlib_ready)
        deflateEnd(&w->zlib);
    if (w->escape)
        fclose(w->escape);
    free(w->escape_buffer);
    free(w->pending);
    free(w->deflated);
    free(w->message.data);
    free(w->inner.data);
    free(w->arena);
    free(w->strings);
    pair_map_free(&w->string_index);
    pair_map_free(&w->functions);
    pair_map_free(&w->locations);
    free(w);
}

int pprof_writer_new(FILE *out, const char *name, pprof_writer **writer, hs_error *err)
{
    *writer = NULL;
    pprof_writer *w = calloc(1, sizeof *w);
    if (!w)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory starting a profile", name);
    w->out = out;
    w->name = name;
    w->pending = malloc(CHUNK);
    w->deflated = malloc(CHUNK);
    w->escape = open_memstream(&w->escape_buffer, &w->escape_size);
    /* 15 + 16: a gzip header and trailer around the deflate stream. */
    if (w->pending && w->deflated && w->escape &&
        deflateInit2(&w->zlib, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK)
        w->zlib_ready = 1;
    if (!w->zlib_ready) {
        pprof_writer_free(w);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory starting a profile", name);
    }
    pprof_string(w, "", 0);
    if (w->status) {
        if (err)
            *err = w->error;
        int status = w->status;
        pprof_writer_free(w);
        return status;
    }
    *writer = w;
    return HS_OK;
}

static uint64_t hash_bytes(const void *data, size_t length)
{
    const uint8_t *bytes = data;
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < length; i++)
        h = (h ^ bytes[i]) * 0x100000001b3u;
    return h;
}

/* Writes bytes as one string_table field. */
static void emit_string(pprof_writer *w, const void *bytes, size_t length)
{
    uint8_t head[20];
    unsigned n = encode_varint((uint64_t)PROFILE_STRING << 3 | WIRE_BYTES, head);
    n += encode_varint(length, head + n);
    emit(w, head, n);
    emit(w, bytes, length);
}

uint32_t pprof_text(pprof_writer *w, const void *bytes, size_t length)
{
    if (w->status)
        return 0;
    uint64_t hash = hash_bytes(bytes, length);
    uint32_t first = pair_map_get(&w->string_index, hash, length);
    for (uint32_t e = first; e != NO_STRING; e = w->strings[e].next)
        if (length == 0 || memcmp(w->arena + w->strings[e].offset, bytes, length) == 0)
            return e;
    if (w->string_count >= NO_STRING - 1 ||
        HS_ARRAY_RESERVE(w->strings, &w->string_capacity, w->string_count + 1) < 0 ||
        HS_ARRAY_RESERVE(w->arena, &w->arena_capacity, w->arena_length + length + 1) < 0) {
        fail_nomem(w);
        return 0;
    }
    uint32_t index = (uint32_t)w->string_count;
    uint32_t stored;
    if (first == NO_STRING && pair_map_intern(&w->string_index, hash, length, index, &stored) < 0) {
        fail_nomem(w);
        return 0;
    }
    if (length)
        memcpy(w->arena + w->arena_length, bytes, length);
    w->strings[index] = (string_entry){w->arena_length, length, NO_STRING};
    /* Another string of the same hash and length: the new one joins its chain. */
    if (first != NO_STRING) {
        w->strings[index].next = w->strings[first].next;
        w->strings[first].next = index;
    }
    w->arena_length += length;
    w->string_count++;
    emit_string(w, bytes, length);
    return w->status ? 0 : index;
}

/* Whether hs_write_text would change bytes: anything but printable ASCII, or a backslash. */
static int needs_escape(const uint8_t *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (bytes[i] < 0x20 || bytes[i] > 0x7e || bytes[i] == '\\')
            return 1;
    return 0;
}

uint32_t pprof_string(pprof_writer *w, const void *bytes, size_t length)
{
    if (w->status)
        return 0;
    if (!needs_escape(bytes, length))
        return pprof_text(w, bytes, length);
    rewind(w->escape);
    hs_write_text(w->escape, bytes, length);
    off_t escaped = fflush(w->escape) == 0 ? ftello(w->escape) : -1;
    if (escaped < 0) {
        fail_nomem(w);
        return 0;
    }
    return pprof_text(w, w->escape_buffer, (size_t)escaped);
}

uint32_t pprof_cstring(pprof_writer *w, const char *text)
{
    return pprof_string(w, text, strlen(text));
}

void pprof_value_type(pprof_writer *w, enum pprof_profile_field field, const char *type, const char *unit)
{
    uint32_t type_index = pprof_cstring(w, type), unit_index = pprof_cstring(w, unit);
    proto_buffer *b = &w->message;
    b->length = 0;
    put_uint(w, b, VALUE_TYPE_TYPE, type_index);
    put_uint(w, b, VALUE_TYPE_UNIT, unit_index);
    emit_field(w, field, b);
}

void pprof_int(pprof_writer *w, enum pprof_profile_field field, int64_t value)
{
    proto_buffer *b = &w->message;
    b->length = 0;
    put_uint(w, b, field, (uint64_t)value);
    emit(w, b->data, b->length);
    b->length = 0;
}

void pprof_mapping(pprof_writer *w, uint32_t filename)
{
    proto_buffer *b = &w->message;
    b->length = 0;
    put_uint(w, b, MAPPING_ID, 1);
    put_uint(w, b, MAPPING_FILENAME, filename);
    put_uint(w, b, MAPPING_HAS_FUNCTIONS, 1);
    put_uint(w, b, MAPPING_HAS_FILENAMES, 1);
    put_uint(w, b, MAPPING_HAS_LINE_NUMBERS, 1);
    emit_field(w, PROFILE_MAPPING, b);
}

uint32_t pprof_location(pprof_writer *w, uint32_t name, uint32_t filename, int64_t line)
{
    if (w->status)
        return 0;
    uint32_t function;
    int added = pair_map_intern(&w->functions, name, filename, w->function_count + 1, &function);
    if (added < 0 || (added && w->function_count == UINT32_MAX - 2)) {
        fail_nomem(w);
        return 0;
    }
    proto_buffer *b = &w->message;
    if (added) {
        w->function_count++;
        b->length = 0;
        put_uint(w, b, FUNCTION_ID, function);
        put_uint(w, b, FUNCTION_NAME, name);
        put_uint(w, b, FUNCTION_SYSTEM_NAME, name);
        if (filename)
            put_uint(w, b, FUNCTION_FILENAME, filename);
        emit_field(w, PROFILE_FUNCTION, b);
    }
    uint32_t location;
    added = pair_map_intern(&w->locations, function, (uint64_t)line, w->location_count + 1, &location);
    if (added < 0 || (added && w->location_count == UINT32_MAX - 2)) {
        fail_nomem(w);
        return 0;
    }
    if (added) {
        w->location_count++;
        proto_buffer *line_message = &w->inner;
        line_message->length = 0;
        put_uint(w, line_message, LINE_FUNCTION, function);
        if (line)
            put_uint(w, line_message, LINE_LINE, (uint64_t)line);
        b->length = 0;
        put_uint(w, b, LOCATION_ID, location);
        put_uint(w, b, LOCATION_MAPPING, 1);
        put_bytes(w, b, LOCATION_LINE, line_message->data, line_message->length);
        emit_field(w, PROFILE_LOCATION, b);
    }
    return w->status ? 0 : location;
}

uint32_t pprof_location_count(const pprof_writer *w)
{
    return w->location_count;
}

void pprof_sample(pprof_writer *w, const uint32_t *locations, uint32_t location_count, const int64_t *values,
                  uint32_t value_count, uint32_t label_key, int64_t label_value)
{
    if (w->status)
        return;
    proto_buffer *packed = &w->inner, *b = &w->message;
    b->length = 0;
    /* Repeated integers, packed: one length-delimited field of varints. */
    packed->length = 0;
    for (uint32_t i = 0; i < location_count; i++)
        put_varint(w, packed, locations[i]);
    put_bytes(w, b, SAMPLE_LOCATION, packed->data, packed->length);
    packed->length = 0;
    for (uint32_t i = 0; i < value_count; i++)
        put_varint(w, packed, (uint64_t)values[i]);
    put_bytes(w, b, SAMPLE_VALUE, packed->data, packed->length);
    if (label_key) {
        packed->length = 0;
        put_uint(w, packed, LABEL_KEY, label_key);
        put_uint(w, packed, LABEL_NUM, (uint64_t)label_value);
        put_bytes(w, b, SAMPLE_LABEL, packed->data, packed->length);
    }
    emit_field(w, PROFILE_SAMPLE, b);
}

int pprof_writer_status(const pprof_writer *w, hs_error *err)
{
    if (w->status && err)
        *err = w->error;
    return w->status;
}

int pprof_writer_finish(pprof_writer *w, hs_error *err)
{
    if (!w)
        return HS_OK;
    deflate_pending(w, Z_FINISH);
    int status = w->status;
    if (status && err)
        *err = w->error;
    pprof_writer_free(w);
    return status;
}
