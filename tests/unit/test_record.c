/* test_record.c — unit tests of the streaming record parser (hs_record.h) and the heap model's refusals, on small dumps assembled in memory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_dump.h"
#include "hs_heap.h"
#include "hs_record.h"

/* A tiny writer of the dump encoding, for unit tests of the decoders only:
 * tests of correct behaviour on whole dumps use real dumps from testdata/. */
typedef struct writer {
    uint8_t data[16384];
    size_t length;
} writer;

static void put_byte(writer *w, uint8_t byte)
{
    assert_true(w->length < sizeof w->data);
    w->data[w->length++] = byte;
}

static void put_uvarint(writer *w, uint64_t value)
{
    while (value >= 0x80) {
        put_byte(w, (uint8_t)(value | 0x80));
        value >>= 7;
    }
    put_byte(w, (uint8_t)value);
}

static void put_raw(writer *w, const void *bytes, size_t length)
{
    assert_true(w->length + length <= sizeof w->data);
    memcpy(w->data + w->length, bytes, length);
    w->length += length;
}

static void put_bytes(writer *w, const void *bytes, size_t length)
{
    put_uvarint(w, length);
    put_raw(w, bytes, length);
}

static void put_string(writer *w, const char *text)
{
    put_bytes(w, text, strlen(text));
}

static void put_header(writer *w)
{
    w->length = 0;
    put_raw(w, "go1.7 heap dump\n", 16);
}

#define HEAP_START 0xc000000000ULL
#define HEAP_END 0xc000400000ULL

static void put_params(writer *w)
{
    put_uvarint(w, HS_TAG_PARAMS);
    put_uvarint(w, 0); /* little-endian */
    put_uvarint(w, 8);
    put_uvarint(w, HEAP_START);
    put_uvarint(w, HEAP_END);
    put_string(w, "amd64");
    put_string(w, "go1.19.8");
    put_uvarint(w, 4);
}

/* A dump's start: the header and a params record. */
static void begin_dump(writer *w)
{
    put_header(w);
    put_params(w);
}

static void put_word(uint8_t *bytes, uint64_t value)
{
    for (int i = 0; i < 8; i++)
        bytes[i] = (uint8_t)(value >> (8 * i));
}

/* An object record of `size` bytes whose word at each offset in `pointers` holds value+i. */
static void put_object(writer *w, uint64_t address, uint64_t size, const uint64_t *pointers, unsigned count,
                       uint64_t value)
{
    uint8_t contents[256] = {0};
    assert_true(size <= sizeof contents);
    for (unsigned i = 0; i < count; i++)
        if (pointers[i] + 8 <= size)
            put_word(contents + pointers[i], value + i);
    put_uvarint(w, HS_TAG_OBJECT);
    put_uvarint(w, address);
    put_bytes(w, contents, size);
    for (unsigned i = 0; i < count; i++) {
        put_uvarint(w, HS_FIELD_POINTER);
        put_uvarint(w, pointers[i]);
    }
    put_uvarint(w, HS_FIELD_EOL);
}

/* Parser state kept alive for one test. */
typedef struct fixture {
    hs_dump *dump;
    hs_parser parser;
    hs_error err;
} fixture;

static void open_fixture(fixture *f, const writer *w)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(hs_dump_from_memory("test.dump", w->data, w->length, &f->dump, &f->err), HS_OK);
}

static void close_fixture(fixture *f)
{
    hs_dump_free(f->dump);
    f->dump = NULL;
}

/* Opens, reads the header and the params record. */
static void start(fixture *f, const writer *w)
{
    open_fixture(f, w);
    assert_int_equal(hs_parser_init(&f->parser, f->dump, &f->err), HS_OK);
    hs_record record;
    assert_int_equal(hs_parser_next(&f->parser, &record, &f->err), 1);
    assert_int_equal(record.tag, HS_TAG_PARAMS);
}

/* Reads the next record into r; it must be one of kind tag. */
static void expect_record(fixture *f, hs_record *r, unsigned tag)
{
    assert_int_equal(hs_parser_next(&f->parser, r, &f->err), 1);
    assert_int_equal(r->tag, tag);
}

static void expect_eof(fixture *f)
{
    hs_record record;
    assert_int_equal(hs_parser_next(&f->parser, &record, &f->err), 1);
    assert_int_equal(record.tag, HS_TAG_EOF);
    assert_int_equal(record.end, f->dump->size);
    assert_int_equal(hs_parser_next(&f->parser, &record, &f->err), 0);
    assert_int_equal(f->parser.warnings.trailing_bytes, 0);
    close_fixture(f);
}

static int bytes_are(hs_bytes bytes, const char *text)
{
    return bytes.length == strlen(text) && memcmp(bytes.data, text, bytes.length) == 0;
}

/* Reads every record and returns the first error (or 0 at the end). */
static int parse_all(fixture *f)
{
    hs_record record;
    int status = hs_parser_init(&f->parser, f->dump, &f->err);
    while (status >= 0 && (status = hs_parser_next(&f->parser, &record, &f->err)) > 0)
        ;
    return status;
}

static void assert_message_contains(const hs_error *err, const char *text)
{
    if (!strstr(err->message, text))
        fail_msg("message '%s' lacks '%s'", err->message, text);
}

/* Checks that err holds code and a message containing each text of the NULL-ended list. */
static void assert_error(const hs_error *err, int status, int code, va_list texts)
{
    assert_int_equal(status, code);
    for (const char *text; (text = va_arg(texts, const char *)) != NULL;)
        assert_message_contains(err, text);
}

/* Parses the dump w holds to the end: it must fail with code, the message
 * holding each of the texts that follow (a NULL-ended list). */
static void expect_parse_error(const writer *w, int code, ...)
{
    fixture f;
    open_fixture(&f, w);
    va_list texts;
    va_start(texts, code);
    assert_error(&f.err, parse_all(&f), code, texts);
    va_end(texts);
    close_fixture(&f);
}

/* ---- every record kind ---- */

static void test_params(void **state)
{
    (void)state;
    writer w;
    put_header(&w);
    size_t params_offset = w.length;
    put_params(&w);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    open_fixture(&f, &w);
    assert_int_equal(hs_parser_init(&f.parser, f.dump, &f.err), HS_OK);
    hs_record r;
    expect_record(&f, &r, HS_TAG_PARAMS);
    assert_int_equal(r.offset, params_offset);
    assert_int_equal(r.params.big_endian, 0);
    assert_int_equal(r.params.pointer_size, 8);
    assert_true(r.params.heap_start == HEAP_START);
    assert_true(r.params.heap_end == HEAP_END);
    assert_true(bytes_are(r.params.arch, "amd64"));
    assert_true(bytes_are(r.params.version, "go1.19.8"));
    assert_int_equal(r.params.cpus, 4);
    assert_int_equal(f.parser.params.pointer_size, 8);
    assert_int_equal(f.parser.params.go_major, 1);
    assert_int_equal(f.parser.params.go_minor, 19);
    assert_true(f.parser.seen_params);
    expect_eof(&f);
}

static void test_object(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    size_t offset = w.length;
    const uint64_t pointers[] = {0, 16};
    put_object(&w, HEAP_START + 0x100, 32, pointers, 2, HEAP_START + 0x200);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_OBJECT);
    assert_int_equal(r.offset, offset);
    assert_true(r.object.address == HEAP_START + 0x100);
    assert_int_equal(r.object.contents.length, 32);
    assert_true(r.object.contents.data > w.data && r.object.contents.data < w.data + w.length);
    assert_true(hs_load_word(r.object.contents.data + 16, 8, 0) == HEAP_START + 0x201);
    assert_int_equal(r.object.fields.count, 2);
    assert_int_equal(r.object.fields.outside, 0);
    hs_field_iter iter;
    uint64_t slot;
    hs_fields_begin(&iter, &r.object.fields, r.object.contents.length, 8);
    assert_int_equal(hs_fields_next(&iter, &slot), 1);
    assert_int_equal(slot, 0);
    assert_int_equal(hs_fields_next(&iter, &slot), 1);
    assert_int_equal(slot, 16);
    assert_int_equal(hs_fields_next(&iter, &slot), 0);
    assert_int_equal(r.end, w.length - 1);
    expect_eof(&f);
}

static void test_segments(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    uint8_t contents[24] = {0};
    put_word(contents + 8, HEAP_START);
    put_uvarint(&w, HS_TAG_DATA);
    put_uvarint(&w, 0x5a0000);
    put_bytes(&w, contents, 24);
    put_uvarint(&w, HS_FIELD_POINTER);
    put_uvarint(&w, 8);
    put_uvarint(&w, HS_FIELD_EOL);
    put_uvarint(&w, HS_TAG_BSS);
    put_uvarint(&w, 0x5b0000);
    put_bytes(&w, contents, 16);
    put_uvarint(&w, HS_FIELD_EOL);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_DATA);
    assert_int_equal(r.object.address, 0x5a0000);
    assert_int_equal(r.object.contents.length, 24);
    assert_int_equal(r.object.fields.count, 1);
    assert_true(hs_load_word(r.object.contents.data + 8, 8, 0) == HEAP_START);
    expect_record(&f, &r, HS_TAG_BSS);
    assert_int_equal(r.object.address, 0x5b0000);
    assert_int_equal(r.object.contents.length, 16);
    assert_int_equal(r.object.fields.count, 0);
    expect_eof(&f);
}

static void test_other_root(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    put_uvarint(&w, HS_TAG_OTHER_ROOT);
    put_string(&w, "finq");
    put_uvarint(&w, HEAP_START + 8);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_OTHER_ROOT);
    assert_true(bytes_are(r.other_root.description, "finq"));
    assert_true(r.other_root.pointer == HEAP_START + 8);
    expect_eof(&f);
}

static void test_type_and_itab(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    put_uvarint(&w, HS_TAG_TYPE);
    put_uvarint(&w, 0x4a1200);
    put_uvarint(&w, 40);
    put_string(&w, "*main.Record");
    put_uvarint(&w, 1);
    put_uvarint(&w, HS_TAG_ITAB);
    put_uvarint(&w, 0x4b0000);
    put_uvarint(&w, 0x4a1200);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_TYPE);
    assert_int_equal(r.type.address, 0x4a1200);
    assert_int_equal(r.type.size, 40);
    assert_true(bytes_are(r.type.name, "*main.Record"));
    assert_int_equal(r.type.indirect, 1);
    expect_record(&f, &r, HS_TAG_ITAB);
    assert_int_equal(r.itab.address, 0x4b0000);
    assert_int_equal(r.itab.type, 0x4a1200);
    expect_eof(&f);
}

static void test_goroutine_and_frames(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    put_uvarint(&w, HS_TAG_GOROUTINE);
    const uint64_t g[] = {0xc000006000ULL, 0xc000050f00ULL, 17, 0x45a0e1, 4};
    for (int i = 0; i < 5; i++)
        put_uvarint(&w, g[i]);
    put_uvarint(&w, 0);          /* is-system */
    put_uvarint(&w, 1);          /* is-background */
    put_uvarint(&w, 123456789);  /* wait since */
    put_string(&w, "chan receive");
    put_uvarint(&w, 0xc000070000ULL); /* context */
    put_uvarint(&w, 0x5c0000);        /* M */
    put_uvarint(&w, 0xc000080000ULL); /* top defer */
    put_uvarint(&w, 0);               /* top panic */
    uint8_t contents[32] = {0};
    put_word(contents + 24, HEAP_START + 64);
    /* depth 0 then depth 1 */
    put_uvarint(&w, HS_TAG_STACK_FRAME);
    put_uvarint(&w, 0xc000050f00ULL);
    put_uvarint(&w, 0);
    put_uvarint(&w, 0);
    put_bytes(&w, contents, 32);
    put_uvarint(&w, 0x401000);
    put_uvarint(&w, 0x401020);
    put_uvarint(&w, 0x401021);
    put_string(&w, "main.holdBuffer");
    put_uvarint(&w, HS_FIELD_POINTER);
    put_uvarint(&w, 24);
    put_uvarint(&w, HS_FIELD_EOL);
    put_uvarint(&w, HS_TAG_STACK_FRAME);
    put_uvarint(&w, 0xc000050f20ULL);
    put_uvarint(&w, 1);
    put_uvarint(&w, 0xc000050f00ULL);
    put_bytes(&w, contents, 8);
    put_uvarint(&w, 0x402000);
    put_uvarint(&w, 0x402010);
    put_uvarint(&w, 0x402011);
    put_string(&w, "runtime.goexit");
    put_uvarint(&w, HS_FIELD_EOL);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_GOROUTINE);
    assert_true(r.goroutine.address == 0xc000006000ULL);
    assert_true(r.goroutine.sp == 0xc000050f00ULL);
    assert_int_equal(r.goroutine.goid, 17);
    assert_int_equal(r.goroutine.go_pc, 0x45a0e1);
    assert_int_equal(r.goroutine.status, 4);
    assert_int_equal(r.goroutine.is_system, 0);
    assert_int_equal(r.goroutine.is_background, 1);
    assert_int_equal(r.goroutine.wait_since, 123456789);
    assert_true(bytes_are(r.goroutine.wait_reason, "chan receive"));
    assert_true(r.goroutine.context == 0xc000070000ULL);
    assert_int_equal(r.goroutine.thread, 0x5c0000);
    assert_true(r.goroutine.top_defer == 0xc000080000ULL);
    assert_int_equal(r.goroutine.top_panic, 0);
    expect_record(&f, &r, HS_TAG_STACK_FRAME);
    assert_true(r.frame.sp == 0xc000050f00ULL);
    assert_int_equal(r.frame.depth, 0);
    assert_int_equal(r.frame.child_sp, 0);
    assert_int_equal(r.frame.contents.length, 32);
    assert_int_equal(r.frame.entry_pc, 0x401000);
    assert_int_equal(r.frame.pc, 0x401020);
    assert_int_equal(r.frame.continuation_pc, 0x401021);
    assert_true(bytes_are(r.frame.name, "main.holdBuffer"));
    assert_int_equal(r.frame.fields.count, 1);
    hs_field_iter iter;
    uint64_t slot = 0;
    hs_fields_begin(&iter, &r.frame.fields, r.frame.contents.length, 8);
    assert_int_equal(hs_fields_next(&iter, &slot), 1);
    assert_int_equal(slot, 24);
    assert_true(hs_load_word(r.frame.contents.data + slot, 8, 0) == HEAP_START + 64);
    assert_int_equal(hs_fields_next(&iter, &slot), 0);
    expect_record(&f, &r, HS_TAG_STACK_FRAME);
    assert_int_equal(r.frame.depth, 1);
    assert_true(r.frame.child_sp == 0xc000050f00ULL);
    assert_int_equal(r.frame.contents.length, 8);
    assert_true(bytes_are(r.frame.name, "runtime.goexit"));
    assert_int_equal(r.frame.fields.count, 0);
    expect_eof(&f);
}

static void put_finalizer(writer *w, unsigned tag, uint64_t base)
{
    put_uvarint(w, tag);
    for (uint64_t i = 0; i < 5; i++)
        put_uvarint(w, base + i);
}

static void test_finalizers(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    put_finalizer(&w, HS_TAG_FINALIZER, 1000);
    put_finalizer(&w, HS_TAG_QUEUED_FINALIZER, 2000);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    for (unsigned k = 0; k < 2; k++) {
        uint64_t base = k == 0 ? 1000 : 2000;
        expect_record(&f, &r, k == 0 ? HS_TAG_FINALIZER : HS_TAG_QUEUED_FINALIZER);
        assert_int_equal(r.finalizer.object, base);
        assert_int_equal(r.finalizer.funcval, base + 1);
        assert_int_equal(r.finalizer.function_pc, base + 2);
        assert_int_equal(r.finalizer.argument_type, base + 3);
        assert_int_equal(r.finalizer.object_type, base + 4);
    }
    expect_eof(&f);
}

static void test_thread_defer_panic(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    put_uvarint(&w, HS_TAG_OS_THREAD);
    put_uvarint(&w, 0x5c0000);
    put_uvarint(&w, 3);
    put_uvarint(&w, 4242);
    put_uvarint(&w, HS_TAG_DEFER);
    for (uint64_t i = 0; i < 7; i++)
        put_uvarint(&w, 300 + i);
    put_uvarint(&w, HS_TAG_PANIC);
    for (uint64_t i = 0; i < 6; i++)
        put_uvarint(&w, 400 + i);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_OS_THREAD);
    assert_int_equal(r.thread.address, 0x5c0000);
    assert_int_equal(r.thread.id, 3);
    assert_int_equal(r.thread.os_id, 4242);
    expect_record(&f, &r, HS_TAG_DEFER);
    assert_int_equal(r.defer_record.address, 300);
    assert_int_equal(r.defer_record.goroutine, 301);
    assert_int_equal(r.defer_record.sp, 302);
    assert_int_equal(r.defer_record.pc, 303);
    assert_int_equal(r.defer_record.funcval, 304);
    assert_int_equal(r.defer_record.function_pc, 305);
    assert_int_equal(r.defer_record.link, 306);
    expect_record(&f, &r, HS_TAG_PANIC);
    assert_int_equal(r.panic_record.address, 400);
    assert_int_equal(r.panic_record.goroutine, 401);
    assert_int_equal(r.panic_record.argument_type, 402);
    assert_int_equal(r.panic_record.argument_data, 403);
    assert_int_equal(r.panic_record.defer_record, 404);
    assert_int_equal(r.panic_record.link, 405);
    expect_eof(&f);
}

static void test_memstats(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    put_uvarint(&w, HS_TAG_MEMSTATS);
    for (uint64_t i = 0; i < HS_MEMSTATS_COUNT; i++)
        put_uvarint(&w, i * 1000 + 7);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_MEMSTATS);
    for (uint64_t i = 0; i < HS_MEMSTATS_COUNT; i++)
        assert_int_equal(r.memstats.values[i], i * 1000 + 7);
    assert_int_equal(r.memstats.values[HS_MEMSTATS_HEAP_OBJECTS], 11007);
    assert_string_equal(hs_memstats_name(HS_MEMSTATS_HEAP_OBJECTS), "HeapObjects");
    assert_string_equal(hs_memstats_name(HS_MEMSTATS_COUNT - 1), "NumGC");
    expect_eof(&f);
}

static void test_profile_and_sample(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    put_uvarint(&w, HS_TAG_MEMPROF);
    put_uvarint(&w, 0x7f0000);
    put_uvarint(&w, 48);
    put_uvarint(&w, 2);
    put_string(&w, "main.load");
    put_string(&w, "heapspurs-testdata/leak/main.go");
    put_uvarint(&w, 31);
    put_string(&w, "main.main");
    put_string(&w, "heapspurs-testdata/leak/main.go");
    put_uvarint(&w, 52);
    put_uvarint(&w, 300);
    put_uvarint(&w, 5);
    put_uvarint(&w, HS_TAG_ALLOC_SAMPLE);
    put_uvarint(&w, HEAP_START + 0x40);
    put_uvarint(&w, 0x7f0000);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_MEMPROF);
    assert_int_equal(r.profile.bucket, 0x7f0000);
    assert_int_equal(r.profile.size, 48);
    assert_int_equal(r.profile.depth, 2);
    assert_int_equal(r.profile.allocs, 300);
    assert_int_equal(r.profile.frees, 5);
    hs_profile_iter iter;
    hs_profile_frame frame;
    hs_profile_frames_begin(&iter, &r);
    assert_int_equal(hs_profile_frames_next(&iter, &frame), 1);
    assert_true(bytes_are(frame.function, "main.load"));
    assert_true(bytes_are(frame.file, "heapspurs-testdata/leak/main.go"));
    assert_int_equal(frame.line, 31);
    assert_int_equal(hs_profile_frames_next(&iter, &frame), 1);
    assert_true(bytes_are(frame.function, "main.main"));
    assert_int_equal(frame.line, 52);
    assert_int_equal(hs_profile_frames_next(&iter, &frame), 0);
    expect_record(&f, &r, HS_TAG_ALLOC_SAMPLE);
    assert_true(r.sample.address == HEAP_START + 0x40);
    assert_int_equal(r.sample.bucket, 0x7f0000);
    expect_eof(&f);
}

static void test_tag_names(void **state)
{
    (void)state;
    assert_string_equal(hs_tag_name(HS_TAG_OBJECT), "object");
    assert_string_equal(hs_tag_name(HS_TAG_STACK_FRAME), "stack frame");
    assert_string_equal(hs_tag_name(HS_TAG_ALLOC_SAMPLE), "alloc sample");
    assert_string_equal(hs_tag_name(18), "unknown");
    assert_string_equal(hs_tag_name(~0u), "unknown");
}

/* ---- error paths ---- */

static void test_empty_file(void **state)
{
    (void)state;
    writer w;
    w.length = 0;
    fixture f;
    open_fixture(&f, &w);
    assert_int_equal(hs_parser_init(&f.parser, f.dump, &f.err), HS_ERR_FORMAT);
    assert_int_equal(f.err.code, HS_ERR_FORMAT);
    assert_message_contains(&f.err, "test.dump: offset 0:");
    assert_message_contains(&f.err, "empty");
    close_fixture(&f);
}

static void test_wrong_header(void **state)
{
    (void)state;
    writer w;
    w.length = 0;
    put_raw(&w, "go1.6 heap dump\n", 16);
    put_params(&w);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    open_fixture(&f, &w);
    assert_int_equal(hs_parser_init(&f.parser, f.dump, &f.err), HS_ERR_FORMAT);
    assert_message_contains(&f.err, "not a Go heap dump");
    close_fixture(&f);
    /* A text file shorter than the header is not a dump either (not "truncated"). */
    w.length = 0;
    put_raw(&w, "hello\n", 6);
    open_fixture(&f, &w);
    assert_int_equal(hs_parser_init(&f.parser, f.dump, &f.err), HS_ERR_FORMAT);
    assert_message_contains(&f.err, "not a Go heap dump");
    close_fixture(&f);
}

static void test_header_cut_short(void **state)
{
    (void)state;
    writer w;
    w.length = 0;
    put_raw(&w, "go1.7 heap", 10);
    fixture f;
    open_fixture(&f, &w);
    assert_int_equal(hs_parser_init(&f.parser, f.dump, &f.err), HS_ERR_TRUNCATED);
    assert_message_contains(&f.err, "offset 10");
    assert_message_contains(&f.err, "truncated");
    close_fixture(&f);
}

static void test_no_params(void **state)
{
    (void)state;
    writer w;
    put_header(&w);
    const uint64_t pointers[] = {0};
    put_object(&w, HEAP_START, 16, pointers, 1, 0);
    put_uvarint(&w, HS_TAG_EOF);
    expect_parse_error(&w, HS_ERR_FORMAT, "test.dump: offset 16: while reading object record:", "no params record",
                       NULL);
    /* Header and EOF alone. */
    put_header(&w);
    put_uvarint(&w, HS_TAG_EOF);
    expect_parse_error(&w, HS_ERR_FORMAT, "offset 16", "no params record", NULL);
}

static void test_unknown_tag(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    size_t offset = w.length;
    put_uvarint(&w, 18);
    put_uvarint(&w, 0);
    put_uvarint(&w, HS_TAG_EOF);
    char expected[64];
    snprintf(expected, sizeof expected, "offset %zu:", offset);
    expect_parse_error(&w, HS_ERR_FORMAT, expected, "unknown record tag 18", NULL);
}

static void test_tag_varint_overflow(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    for (int i = 0; i < 11; i++)
        put_byte(&w, 0x80);
    put_byte(&w, 0);
    expect_parse_error(&w, HS_ERR_FORMAT, "unknown record tag", NULL);
}

static void test_unknown_field_kind(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    uint8_t contents[16] = {0};
    size_t offset = w.length;
    put_uvarint(&w, HS_TAG_OBJECT);
    put_uvarint(&w, HEAP_START);
    put_bytes(&w, contents, 16);
    put_uvarint(&w, HS_FIELD_POINTER);
    put_uvarint(&w, 0);
    size_t kind_offset = w.length;
    put_uvarint(&w, 4);
    put_uvarint(&w, 8);
    put_uvarint(&w, HS_FIELD_EOL);
    put_uvarint(&w, HS_TAG_EOF);
    char expected[96];
    snprintf(expected, sizeof expected, "offset %zu: while reading object record: unknown field kind 4",
             kind_offset);
    expect_parse_error(&w, HS_ERR_FORMAT, expected, NULL);
    assert_true(kind_offset > offset);
}

static void test_huge_contents_length(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    size_t offset = w.length;
    put_uvarint(&w, HS_TAG_OBJECT);
    put_uvarint(&w, HEAP_START);
    size_t length_offset = w.length;
    put_uvarint(&w, (uint64_t)1 << 40);
    put_raw(&w, "0123456789", 10);
    put_uvarint(&w, HS_TAG_EOF);
    char expected[160], left[64];
    snprintf(expected, sizeof expected,
             "offset %zu: while reading object record: contents length 1099511627776 exceeds the", length_offset);
    snprintf(left, sizeof left, "exceeds the %zu bytes left", w.length - length_offset - 6);
    expect_parse_error(&w, HS_ERR_TRUNCATED, expected, left, "test.dump: ", NULL);
    assert_true(length_offset > offset);
}

static void test_missing_eof(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    const uint64_t pointers[] = {8};
    put_object(&w, HEAP_START, 16, pointers, 1, 0);
    char expected[64];
    snprintf(expected, sizeof expected, "offset %zu:", w.length);
    expect_parse_error(&w, HS_ERR_TRUNCATED, expected, "truncated", NULL);
}

static void test_truncated_inside_record(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    size_t offset = w.length;
    const uint64_t pointers[] = {8};
    put_object(&w, HEAP_START, 16, pointers, 1, 0);
    size_t full = w.length;
    /* Every cut inside the object record is a truncation naming a byte offset. */
    for (size_t cut = offset + 1; cut < full; cut++) {
        w.length = cut;
        expect_parse_error(&w, HS_ERR_TRUNCATED, "offset ", cut > offset + 1 ? "while reading object record" : NULL,
                           NULL);
        w.length = full;
    }
}

static void test_field_outside_object(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    size_t offset = w.length;
    /* Offsets 8 (inside), 12 (word crosses the end), 4096 (far outside). */
    const uint64_t pointers[] = {8, 12, 4096};
    put_object(&w, HEAP_START, 16, pointers, 3, HEAP_START);
    put_uvarint(&w, HS_TAG_EOF);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_OBJECT);
    assert_int_equal(r.object.fields.count, 3);
    assert_int_equal(r.object.fields.outside, 2);
    assert_int_equal(f.parser.warnings.fields_outside, 2);
    assert_int_equal(f.parser.warnings.fields_outside_first, offset);
    hs_field_iter iter;
    uint64_t slot;
    hs_fields_begin(&iter, &r.object.fields, r.object.contents.length, 8);
    assert_int_equal(hs_fields_next(&iter, &slot), 1);
    assert_int_equal(slot, 8);
    assert_int_equal(hs_fields_next(&iter, &slot), 0);
    expect_eof(&f);
}

static void test_trailing_bytes(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    put_uvarint(&w, HS_TAG_EOF);
    size_t eof_end = w.length;
    put_raw(&w, "garbage", 7);
    fixture f;
    start(&f, &w);
    hs_record r;
    expect_record(&f, &r, HS_TAG_EOF);
    assert_int_equal(r.end, eof_end);
    assert_int_equal(hs_parser_next(&f.parser, &r, &f.err), 0);
    assert_int_equal(f.parser.warnings.trailing_bytes, 7);
    close_fixture(&f);
}

static void test_bad_pointer_size(void **state)
{
    (void)state;
    writer w;
    put_header(&w);
    put_uvarint(&w, HS_TAG_PARAMS);
    put_uvarint(&w, 0);
    put_uvarint(&w, 3);
    put_uvarint(&w, HEAP_START);
    put_uvarint(&w, HEAP_END);
    put_string(&w, "amd64");
    put_string(&w, "go1.19.8");
    put_uvarint(&w, 4);
    put_uvarint(&w, HS_TAG_EOF);
    expect_parse_error(&w, HS_ERR_FORMAT, "offset 18: while reading params record: pointer size 3", NULL);
}

static void test_second_params(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    size_t offset = w.length;
    put_params(&w);
    put_uvarint(&w, HS_TAG_EOF);
    char expected[64];
    snprintf(expected, sizeof expected, "offset %zu: while reading params record", offset);
    expect_parse_error(&w, HS_ERR_FORMAT, expected, NULL);
}

/* ---- the heap model refuses overlapping objects ---- */

static int build_heap(const writer *w, hs_error *err, hs_heap **heap, hs_dump **dump)
{
    assert_int_equal(hs_dump_from_memory("test.dump", w->data, w->length, dump, err), HS_OK);
    return hs_heap_build(*dump, heap, err);
}

/* Builds the heap model of the dump w holds: it must be refused with code,
 * no heap, and a message holding each of the texts that follow (NULL-ended). */
static void expect_heap_error(const writer *w, int code, ...)
{
    hs_error err = {0};
    hs_heap *heap = (hs_heap *)&err; /* must come back NULL */
    hs_dump *dump = NULL;
    int status = build_heap(w, &err, &heap, &dump);
    va_list texts;
    va_start(texts, code);
    assert_error(&err, status, code, texts);
    va_end(texts);
    assert_null(heap);
    hs_dump_free(dump);
}

static void test_heap_accepts_adjacent(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    const uint64_t pointers[] = {0};
    put_object(&w, HEAP_START + 32, 32, pointers, 1, HEAP_START);
    put_object(&w, HEAP_START, 32, pointers, 1, HEAP_START + 40);
    put_uvarint(&w, HS_TAG_EOF);
    hs_error err = {0};
    hs_heap *heap = NULL;
    hs_dump *dump = NULL;
    assert_int_equal(build_heap(&w, &err, &heap, &dump), HS_OK);
    assert_int_equal(heap->object_count, 2);
    assert_true(heap->objects[0].address == HEAP_START);
    uint64_t offset = 99;
    assert_int_equal(hs_heap_find(heap, HEAP_START + 40, &offset), 1);
    assert_int_equal(offset, 8);
    assert_int_equal(hs_heap_find(heap, HEAP_START + 64, NULL), HS_NO_NODE);
    assert_int_equal(hs_heap_find(heap, HEAP_START - 1, NULL), HS_NO_NODE);
    hs_heap_free(heap);
    hs_dump_free(dump);
}

static void test_heap_rejects_overlap(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    const uint64_t pointers[] = {0};
    put_object(&w, HEAP_START, 32, pointers, 1, 0);
    put_object(&w, HEAP_START + 16, 32, pointers, 1, 0);
    put_uvarint(&w, HS_TAG_EOF);
    expect_heap_error(&w, HS_ERR_FORMAT, "test.dump: offset ", "overlaps", "0xc000000010", NULL);
}

/* An overlap where one bucket meets the next (at 1 MiB into the heap, a
 * bucket boundary for every bucket width up to 1 MiB): found, with the
 * same message, whether the objects are sorted in one bucket or in many. */
static void test_heap_rejects_overlap_across_buckets(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    const uint64_t pointers[] = {0};
    put_object(&w, HEAP_START, 32, pointers, 1, 0);
    put_object(&w, HEAP_START + (1 << 20), 32, pointers, 1, 0);
    put_object(&w, HEAP_START + (1 << 20) - 64, 128, pointers, 1, 0);
    put_object(&w, HEAP_START + (3 << 20), 32, pointers, 1, 0);
    put_uvarint(&w, HS_TAG_EOF);
    hs_dump *dump = NULL;
    hs_error err = {0}, one = {0}, many = {0};
    assert_int_equal(hs_dump_from_memory("test.dump", w.data, w.length, &dump, &err), HS_OK);
    hs_heap_options one_bucket = {.bucket_bytes = UINT64_MAX};
    hs_heap_options many_buckets = {.bucket_bytes = 1, .split_min_objects = 1};
    hs_heap *heap = NULL;
    assert_int_equal(hs_heap_build_with_options(dump, &one_bucket, &heap, &one), HS_ERR_FORMAT);
    assert_null(heap);
    assert_int_equal(hs_heap_build_with_options(dump, &many_buckets, &heap, &many), HS_ERR_FORMAT);
    assert_null(heap);
    assert_string_equal(one.message, many.message);
    assert_message_contains(&many, "object 0xc0000fffc0 (128 bytes) overlaps object 0xc000100000 (32 bytes)");
    hs_dump_free(dump);
}

static void test_heap_rejects_same_address(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    const uint64_t pointers[] = {8};
    put_object(&w, HEAP_START + 64, 16, pointers, 1, 0);
    put_object(&w, HEAP_START, 16, pointers, 1, 0);
    put_object(&w, HEAP_START + 64, 16, pointers, 1, 0);
    put_uvarint(&w, HS_TAG_EOF);
    expect_heap_error(&w, HS_ERR_FORMAT, "overlaps", "0xc000000040", NULL);
}

static void test_heap_parse_error(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    const uint64_t pointers[] = {8};
    put_object(&w, HEAP_START, 16, pointers, 1, 0);
    expect_heap_error(&w, HS_ERR_TRUNCATED, "truncated", NULL);
}

/* Walks a whole dump, with hs_parser_next_object for object records when
 * `fast`, else hs_parser_next throughout; fills a summary to compare. */
typedef struct walk_result {
    int status;
    char message[HS_ERROR_MESSAGE_MAX];
    uint64_t pos, records, objects, address_sum, contents_sum;
    hs_parse_warnings warnings;
} walk_result;

static walk_result walk(const hs_dump *dump, int fast)
{
    walk_result r = {0};
    hs_parser parser;
    hs_record record;
    hs_error err = {0};
    r.status = hs_parser_init(&parser, dump, &err);
    while (r.status >= 0 && !parser.finished) {
        uint64_t address = 0;
        hs_bytes contents = {0};
        int object = 0;
        if (fast && parser.seen_params && parser.cursor.pos < dump->size &&
            dump->data[parser.cursor.pos] == HS_TAG_OBJECT) {
            r.status = hs_parser_next_object(&parser, &address, &contents, &err);
            object = r.status > 0;
        } else {
            r.status = hs_parser_next(&parser, &record, &err);
            if (r.status > 0 && record.tag == HS_TAG_OBJECT) {
                object = 1;
                address = record.object.address;
                contents = record.object.contents;
            }
        }
        if (object) {
            r.objects++;
            r.address_sum += address;
            r.contents_sum += (uint64_t)(contents.data - dump->data) * 31 + contents.length;
        }
    }
    if (r.status < 0)
        snprintf(r.message, sizeof r.message, "%s", err.message);
    r.pos = parser.cursor.pos;
    r.records = parser.records;
    r.warnings = parser.warnings;
    return r;
}

static void assert_same_walk(const hs_dump *dump, const char *what)
{
    walk_result slow = walk(dump, 0), fast = walk(dump, 1);
    if (slow.status != fast.status || strcmp(slow.message, fast.message) != 0 || slow.pos != fast.pos ||
        slow.records != fast.records || slow.objects != fast.objects || slow.address_sum != fast.address_sum ||
        slow.contents_sum != fast.contents_sum || memcmp(&slow.warnings, &fast.warnings, sizeof slow.warnings))
        fail_msg("%s: the object fast path disagrees: status %d/%d, \"%s\" / \"%s\", pos %llu/%llu", what,
                 slow.status, fast.status, slow.message, fast.message, (unsigned long long)slow.pos,
                 (unsigned long long)fast.pos);
}

/* hs_parser_next_object against hs_parser_next: on a real dump, on copies
 * with bytes of object records overwritten, and cut short inside them. */
static void test_object_fast_path_agrees(void **state)
{
    (void)state;
    hs_error err = {0};
    hs_dump *dump = NULL;
    assert_int_equal(hs_dump_open("testdata/dumps/leak-go1.26.8.dump", &dump, &err), HS_OK);
    assert_same_walk(dump, "leak-go1.26.8.dump");
    /* Every 37th object record: where it starts and where its field list does. */
    uint64_t offsets[64], field_offsets[64], count = 0, seen = 0;
    hs_parser parser;
    hs_record record;
    assert_int_equal(hs_parser_init(&parser, dump, &err), HS_OK);
    while (hs_parser_next(&parser, &record, &err) > 0 && count < 64)
        if (record.tag == HS_TAG_OBJECT && seen++ % 37 == 0) {
            offsets[count] = record.offset;
            field_offsets[count++] = (uint64_t)(record.object.fields.encoded - dump->data);
        }
    assert_true(count > 10);
    uint8_t *copy = malloc(dump->size);
    assert_non_null(copy);
    static const uint8_t values[] = {0x00, 0x01, 0x04, 0x7f, 0x80, 0xff};
    char what[128];
    for (uint64_t i = 0; i < 2 * count; i++)
        for (uint64_t at = i < count ? offsets[i] + 1 : field_offsets[i - count];
             at < (i < count ? offsets[i] + 24 : field_offsets[i - count] + 12) && at < dump->size; at++)
            for (size_t v = 0; v < sizeof values; v++) {
                memcpy(copy, dump->data, dump->size);
                copy[at] = values[v];
                hs_dump *damaged = NULL;
                assert_int_equal(hs_dump_from_memory("damaged", copy, dump->size, &damaged, &err), HS_OK);
                snprintf(what, sizeof what, "byte %llu set to 0x%02x", (unsigned long long)at, values[v]);
                assert_same_walk(damaged, what);
                hs_dump_free(damaged);
            }
    /* Cut short inside an object record, near where the fast path hands over. */
    for (uint64_t i = 0; i < count; i++)
        for (uint64_t cut = offsets[i]; cut < offsets[i] + 40 && cut < dump->size; cut++) {
            hs_dump *cut_dump = NULL;
            assert_int_equal(hs_dump_from_memory("cut", dump->data, cut, &cut_dump, &err), HS_OK);
            snprintf(what, sizeof what, "cut at %llu", (unsigned long long)cut);
            assert_same_walk(cut_dump, what);
            hs_dump_free(cut_dump);
        }
    free(copy);
    hs_dump_free(dump);
}

/* A boundary guess in the middle of a 4 MiB segment of 0x01 bytes, where
 * every byte starts something that parses as an object record with an
 * endless field list: the guess must give up (it once read to the end of
 * the segment from every byte, which never finished). */
static void test_guess_is_bounded(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    put_uvarint(&w, HS_TAG_BSS);
    put_uvarint(&w, 0x500000);
    const uint64_t segment = 4u << 20;
    put_uvarint(&w, segment);
    uint64_t size = w.length + segment + 2;
    uint8_t *data = malloc(size);
    assert_non_null(data);
    memcpy(data, w.data, w.length);
    memset(data + w.length, 0x01, segment);
    data[size - 2] = HS_FIELD_EOL;
    data[size - 1] = HS_TAG_EOF;
    hs_dump *dump = NULL;
    hs_error err = {0};
    assert_int_equal(hs_dump_from_memory("ones.dump", data, size, &dump, &err), HS_OK);
    hs_parser parser;
    hs_record record;
    assert_int_equal(hs_parser_init(&parser, dump, &err), HS_OK);
    assert_int_equal(hs_parser_next(&parser, &record, &err), 1);
    assert_int_equal(record.tag, HS_TAG_PARAMS);
    assert_int_equal(hs_parser_guess_object_boundary(&parser, w.length + segment / 2, 4u << 20, 32), UINT64_MAX);
    /* The whole load with the second thread asked to start there agrees with the plain one. */
    hs_heap *one = NULL, *two = NULL;
    hs_heap_options alone = {.split_parse_min_bytes = UINT64_MAX};
    hs_heap_options split = {.split_parse_min_bytes = 1, .split_parse_from = w.length + segment / 2};
    assert_int_equal(hs_heap_build_with_options(dump, &alone, &one, &err), HS_OK);
    assert_int_equal(hs_heap_build_with_options(dump, &split, &two, &err), HS_OK);
    assert_int_equal(two->split_parse_offset, 0);
    assert_int_equal(one->root_count, two->root_count);
    hs_heap_free(one);
    hs_heap_free(two);
    hs_dump_free(dump);
    free(data);
}

/* Object records after the end-of-file record are trailing bytes: a second
 * reading thread that guessed a boundary exactly there must not have its
 * objects adopted (it once was, when the EOF record ended on the guess). */
static void test_split_stops_at_eof(void **state)
{
    (void)state;
    writer w;
    begin_dump(&w);
    const uint64_t pointers[] = {0};
    for (int i = 0; i < 40; i++)
        put_object(&w, HEAP_START + 16 * (uint64_t)i, 16, pointers, 1, 0);
    put_uvarint(&w, HS_TAG_EOF);
    uint64_t after_eof = w.length;
    for (int i = 0; i < 40; i++)
        put_object(&w, HEAP_START + 0x10000 + 16 * (uint64_t)i, 16, pointers, 1, 0);
    hs_dump *dump = NULL;
    hs_error err = {0};
    assert_int_equal(hs_dump_from_memory("test.dump", w.data, w.length, &dump, &err), HS_OK);
    hs_heap *one = NULL, *two = NULL;
    hs_heap_options alone = {.split_parse_min_bytes = UINT64_MAX};
    hs_heap_options split = {.split_parse_min_bytes = 1, .split_parse_from = after_eof};
    assert_int_equal(hs_heap_build_with_options(dump, &alone, &one, &err), HS_OK);
    assert_int_equal(hs_heap_build_with_options(dump, &split, &two, &err), HS_OK);
    assert_int_equal(one->object_count, 40);
    assert_int_equal(two->object_count, 40);
    assert_int_equal(two->split_parse_offset, 0);
    assert_int_equal(one->parse_warnings.trailing_bytes, w.length - after_eof);
    assert_int_equal(two->parse_warnings.trailing_bytes, w.length - after_eof);
    hs_heap_free(one);
    hs_heap_free(two);
    hs_dump_free(dump);
}

/* ---- objects at the top of the address space ---- */

/* An object or segment whose end would pass 2^64 (an end of exactly 2^64
 * wraps to 0) is refused at its record, on both reading paths. */
static void test_record_end_past_address_space(void **state)
{
    (void)state;
    static const struct {
        unsigned tag;
        uint64_t address, size;
    } cases[] = {
        {HS_TAG_OBJECT, UINT64_MAX - 7, 8},
        {HS_TAG_OBJECT, UINT64_MAX - 7, 16},
        {HS_TAG_OBJECT, UINT64_MAX, 1},
        {HS_TAG_BSS, UINT64_MAX - 7, 16},
        {HS_TAG_DATA, UINT64_MAX - 3, 8},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        writer w;
        put_header(&w);
        put_params(&w);
        size_t record_offset = w.length;
        uint8_t contents[16] = {0};
        put_uvarint(&w, cases[i].tag);
        put_uvarint(&w, cases[i].address);
        put_bytes(&w, contents, cases[i].size);
        put_uvarint(&w, HS_FIELD_EOL);
        put_uvarint(&w, HS_TAG_EOF);
        fixture f;
        open_fixture(&f, &w);
        assert_int_equal(parse_all(&f), HS_ERR_FORMAT);
        char expected[160];
        snprintf(expected, sizeof expected, "test.dump: offset %zu: while reading %s record: %llu bytes at 0x%llx end past "
                 "the top of the address space", record_offset, hs_tag_name(cases[i].tag),
                 (unsigned long long)cases[i].size, (unsigned long long)cases[i].address);
        assert_string_equal(f.err.message, expected);
        assert_same_walk(f.dump, expected);
        hs_heap *heap = NULL;
        hs_error err = {0};
        assert_int_equal(hs_heap_build(f.dump, &heap, &err), HS_ERR_FORMAT);
        assert_null(heap);
        assert_string_equal(err.message, expected);
        close_fixture(&f);
    }
}

/* A chain of objects filling the last page of the address space, the last
 * one ending at 2^64 - 1: every object is found and every one is reached
 * (the page after the top page would start at 0, which once broke the
 * page index: nothing past the page's first object was found). */
static void test_heap_top_page(void **state)
{
    (void)state;
    writer w;
    put_header(&w);
    put_params(&w);
    const uint64_t base = UINT64_MAX - 8191, count = 200;
    const uint64_t pointers[] = {0};
    for (uint64_t i = 0; i < count; i++)
        put_object(&w, base + 16 * i, 16, pointers, i + 1 < count, base + 16 * (i + 1));
    put_object(&w, UINT64_MAX - 8, 8, NULL, 0, 0);
    uint8_t slot[8];
    put_word(slot, base);
    put_uvarint(&w, HS_TAG_BSS);
    put_uvarint(&w, 0x5000);
    put_bytes(&w, slot, sizeof slot);
    put_uvarint(&w, HS_FIELD_POINTER);
    put_uvarint(&w, 0);
    put_uvarint(&w, HS_FIELD_EOL);
    put_uvarint(&w, HS_TAG_EOF);
    hs_error err = {0};
    hs_heap *heap = NULL;
    hs_dump *dump = NULL;
    assert_int_equal(build_heap(&w, &err, &heap, &dump), HS_OK);
    assert_int_equal(heap->object_count, count + 1);
    assert_int_equal(heap->reachable_count, count);
    for (uint64_t i = 0; i < count; i++) {
        uint64_t offset = 99;
        assert_int_equal(hs_heap_find(heap, base + 16 * i + 5, &offset), i);
        assert_int_equal(offset, 5);
    }
    assert_int_equal(hs_heap_find(heap, UINT64_MAX - 1, NULL), count);
    assert_int_equal(hs_heap_find(heap, UINT64_MAX, NULL), HS_NO_NODE);
    assert_int_equal(hs_heap_find(heap, base - 1, NULL), HS_NO_NODE);
    hs_heap_free(heap);
    hs_dump_free(dump);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_object_fast_path_agrees),
        cmocka_unit_test(test_guess_is_bounded),
        cmocka_unit_test(test_split_stops_at_eof),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_object),
        cmocka_unit_test(test_segments),
        cmocka_unit_test(test_other_root),
        cmocka_unit_test(test_type_and_itab),
        cmocka_unit_test(test_goroutine_and_frames),
        cmocka_unit_test(test_finalizers),
        cmocka_unit_test(test_thread_defer_panic),
        cmocka_unit_test(test_memstats),
        cmocka_unit_test(test_profile_and_sample),
        cmocka_unit_test(test_tag_names),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_wrong_header),
        cmocka_unit_test(test_header_cut_short),
        cmocka_unit_test(test_no_params),
        cmocka_unit_test(test_unknown_tag),
        cmocka_unit_test(test_tag_varint_overflow),
        cmocka_unit_test(test_unknown_field_kind),
        cmocka_unit_test(test_huge_contents_length),
        cmocka_unit_test(test_missing_eof),
        cmocka_unit_test(test_truncated_inside_record),
        cmocka_unit_test(test_field_outside_object),
        cmocka_unit_test(test_trailing_bytes),
        cmocka_unit_test(test_bad_pointer_size),
        cmocka_unit_test(test_second_params),
        cmocka_unit_test(test_heap_accepts_adjacent),
        cmocka_unit_test(test_heap_rejects_overlap),
        cmocka_unit_test(test_heap_rejects_overlap_across_buckets),
        cmocka_unit_test(test_heap_rejects_same_address),
        cmocka_unit_test(test_heap_parse_error),
        cmocka_unit_test(test_record_end_past_address_space),
        cmocka_unit_test(test_heap_top_page),
    };
    return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
