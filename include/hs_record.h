/* hs_record.h — the records of the Go heap dump format ("go1.7 heap dump") and a streaming parser for them. */
#ifndef HS_RECORD_H
#define HS_RECORD_H

#include <stdint.h>

#include "hs_dump.h"
#include "hs_error.h"
#include "hs_reader.h"

/* Record tags, as written by runtime/heapdump.go (Go 1.7 to today). */
enum hs_tag {
    HS_TAG_EOF = 0,
    HS_TAG_OBJECT = 1,
    HS_TAG_OTHER_ROOT = 2,
    HS_TAG_TYPE = 3,
    HS_TAG_GOROUTINE = 4,
    HS_TAG_STACK_FRAME = 5,
    HS_TAG_PARAMS = 6,
    HS_TAG_FINALIZER = 7,
    HS_TAG_ITAB = 8,
    HS_TAG_OS_THREAD = 9,
    HS_TAG_MEMSTATS = 10,
    HS_TAG_QUEUED_FINALIZER = 11,
    HS_TAG_DATA = 12,
    HS_TAG_BSS = 13,
    HS_TAG_DEFER = 14,
    HS_TAG_PANIC = 15,
    HS_TAG_MEMPROF = 16,
    HS_TAG_ALLOC_SAMPLE = 17,
    HS_TAG_COUNT = 18
};

/* Field kinds of a field list. Only HS_FIELD_POINTER is written by current
 * runtimes; the interface kinds are accepted and treated as a pointer slot. */
enum hs_field_kind { HS_FIELD_EOL = 0, HS_FIELD_POINTER = 1, HS_FIELD_IFACE = 2, HS_FIELD_EFACE = 3 };

/* Number of varints in a memstats record: 24 fields, 256 pauses, NumGC. */
#define HS_MEMSTATS_COUNT 281
/* Index of HeapObjects among the memstats values. */
#define HS_MEMSTATS_HEAP_OBJECTS 11

/* A byte range inside the dump (never copied). */
typedef struct hs_bytes {
    const uint8_t *data;
    uint64_t length;
} hs_bytes;

/* A field list as encoded in the dump, already validated by the parser:
 * `count` (kind, offset) pairs of which `outside` have an offset whose word
 * does not fit in the contents. Iterate with hs_fields_next. */
typedef struct hs_fields {
    const uint8_t *encoded; /* first byte of the first pair */
    uint64_t encoded_length;
    uint64_t count;
    uint64_t outside;
} hs_fields;

/* One decoded record. Strings and contents point into the dump. */
typedef struct hs_record {
    enum hs_tag tag;
    uint64_t offset; /* byte offset of the tag in the file */
    uint64_t end;    /* byte offset just past the record */
    union {
        /* HS_TAG_OBJECT, HS_TAG_DATA, HS_TAG_BSS */
        struct {
            uint64_t address;
            hs_bytes contents;
            hs_fields fields;
        } object;
        struct {
            hs_bytes description;
            uint64_t pointer;
        } other_root;
        struct {
            uint64_t address, size;
            hs_bytes name;
            int indirect;
        } type;
        struct {
            uint64_t address, sp, goid, go_pc, status;
            int is_system, is_background;
            uint64_t wait_since;
            hs_bytes wait_reason;
            uint64_t context, thread, top_defer, top_panic;
        } goroutine;
        struct {
            uint64_t sp, depth, child_sp;
            hs_bytes contents;
            uint64_t entry_pc, pc, continuation_pc;
            hs_bytes name;
            hs_fields fields;
        } frame;
        struct {
            int big_endian;
            uint64_t pointer_size, heap_start, heap_end;
            hs_bytes arch, version;
            uint64_t cpus;
        } params;
        /* HS_TAG_FINALIZER and HS_TAG_QUEUED_FINALIZER */
        struct {
            uint64_t object, funcval, function_pc, argument_type, object_type;
        } finalizer;
        struct {
            uint64_t address, type;
        } itab;
        struct {
            uint64_t address, id, os_id;
        } thread;
        struct {
            uint64_t values[HS_MEMSTATS_COUNT];
        } memstats;
        struct {
            uint64_t address, goroutine, sp, pc, funcval, function_pc, link;
        } defer_record;
        struct {
            uint64_t address, goroutine, argument_type, argument_data, defer_record, link;
        } panic_record;
        struct {
            uint64_t bucket, size, depth;
            const uint8_t *frames; /* depth x (function, file, line), validated */
            uint64_t frames_length;
            uint64_t allocs, frees;
        } profile;
        struct {
            uint64_t address, bucket;
        } sample;
    };
} hs_record;

/* What the params record says; pointer_size is 0 until it has been read. */
typedef struct hs_params {
    int big_endian;
    unsigned pointer_size;
    uint64_t heap_start, heap_end;
    hs_bytes arch, version;
    uint64_t cpus;
    int go_major, go_minor; /* parsed from version ("go1.22.12" -> 1, 22); 0 if unknown */
} hs_params;

/* Counts of damage the parser passed over (policy: report and continue). */
typedef struct hs_parse_warnings {
    uint64_t fields_outside;        /* pointer offsets beyond their object/frame/segment */
    uint64_t fields_outside_first;  /* file offset of the first such record */
    uint64_t trailing_bytes;        /* bytes after the EOF record */
} hs_parse_warnings;

/* Streaming parser over an hs_dump. */
typedef struct hs_parser {
    hs_cursor cursor;
    const hs_dump *dump;
    hs_params params;
    hs_parse_warnings warnings;
    uint64_t records; /* records read so far */
    int seen_params;
    int finished; /* the EOF record has been read */
} hs_parser;

/* The bytes every dump starts with. */
#define HS_HEADER_LENGTH 16

/* Checks the first `size` bytes of a dump named `name` against the header:
 * HS_ERR_FORMAT ("offset 0: not a Go heap dump") when they differ from its
 * start. With `complete`, `size` is the whole dump and one shorter than the
 * header fails too (empty: HS_ERR_FORMAT; cut: HS_ERR_TRUNCATED); without,
 * they are the bytes read so far, which a stream checks as soon as it has
 * them. */
int hs_check_header(const char *name, const uint8_t *data, uint64_t size, int complete, hs_error *err);

/* Checks the 16-byte header and prepares to read records.
 * Errors: HS_ERR_FORMAT (not a heap dump), HS_ERR_TRUNCATED (shorter than the header). */
int hs_parser_init(hs_parser *parser, const hs_dump *dump, hs_error *err);

/* Reads the next record into *record. Returns 1 when a record was read (the
 * EOF record included), 0 once the EOF record has been read, or a negative
 * status with a message naming the file, the offset and the record. A dump
 * that ends without an EOF record fails with HS_ERR_TRUNCATED. */
int hs_parser_next(hs_parser *parser, hs_record *record, hs_error *err);

/* Reads the object record at the cursor, whose one-byte tag the caller has
 * seen: as hs_parser_next with the record's address and contents only, the
 * same checks, warnings and messages, faster (no record struct, varints
 * decoded without a bounds check per byte when the dump does not end near). */
int hs_parser_next_object(hs_parser *parser, uint64_t *address, hs_bytes *contents, hs_error *err);

/* A guess at where an object record starts, for reading a dump from its
 * middle: the first offset in [from, from + window) from which `chain`
 * consecutive object records parse cleanly, each with its address inside the
 * params' heap range and every pointer field inside its contents. Needs a
 * parser that has read the params record; returns UINT64_MAX when none is
 * found. Only a guess: bytes inside an object's contents can look like
 * records, so a caller trusts it only once a parse from the start lands on
 * exactly that offset. */
uint64_t hs_parser_guess_object_boundary(const hs_parser *parser, uint64_t from, uint64_t window, unsigned chain);

/* Iterates over the pointer slots of a validated field list: each call
 * stores the next offset whose word lies inside a `length`-byte region and
 * returns 1, or returns 0 at the end. Offsets outside are skipped. */
typedef struct hs_field_iter {
    hs_cursor cursor;
    uint64_t length;
    unsigned pointer_size;
    uint64_t shift; /* subtracted from every offset; offsets below it are skipped */
} hs_field_iter;

void hs_fields_begin(hs_field_iter *iter, const hs_fields *fields, uint64_t length, unsigned pointer_size);

/* Number of (kind, offset) pairs in a validated field list, offsets outside
 * the region included: what the parser stored in `count`, for a list (such
 * as hs_object_fields') that was not counted. */
uint64_t hs_fields_count(const hs_fields *fields);
static inline int hs_fields_next(hs_field_iter *iter, uint64_t *offset)
{
    for (;;) {
        uint64_t kind, value;
        if (hs_read_uvarint(&iter->cursor, &kind) < 0 || kind == HS_FIELD_EOL)
            return 0;
        if (hs_read_uvarint(&iter->cursor, &value) < 0)
            return 0;
        if (value < iter->shift)
            continue;
        value -= iter->shift;
        if (value <= iter->length && iter->length - value >= iter->pointer_size) {
            *offset = value;
            return 1;
        }
    }
}

/* Iterates over the frames of a validated profile record. */
typedef struct hs_profile_frame {
    hs_bytes function, file;
    uint64_t line;
} hs_profile_frame;

typedef struct hs_profile_iter {
    hs_cursor cursor;
    uint64_t left;
} hs_profile_iter;

void hs_profile_frames_begin(hs_profile_iter *iter, const hs_record *profile_record);
int hs_profile_frames_next(hs_profile_iter *iter, hs_profile_frame *frame);

/* Human name of a record tag ("object", "stack frame", ...), for messages. */
const char *hs_tag_name(unsigned tag);

/* Name of the i-th memstats value ("Alloc", ..., "PauseNs", "NumGC"). */
const char *hs_memstats_name(unsigned index);

#endif
