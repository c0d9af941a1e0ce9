/* test_pprof.c — the pprof writers: the pair map, the profile.proto bytes the writer deflates, and the retention and allocation profiles of the leak dump. */
#include "fixtures.h"

#include <zlib.h>

#include "hs_context.h"
#include "hs_pprof.h"
#include "pair_map.h"
#include "pprof_proto.h"

/* Inflates a gzip buffer into a malloc'd one (length in *length); fails the test on bad data. */
static uint8_t *gunzip(const uint8_t *data, size_t size, size_t *length)
{
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    size_t capacity = 1 << 16;
    uint8_t *out = malloc(capacity);
    assert_non_null(out);
    z.next_in = (uint8_t *)data;
    z.avail_in = (uInt)size;
    int code;
    do {
        if (z.total_out == capacity) {
            capacity *= 2;
            out = realloc(out, capacity);
            assert_non_null(out);
        }
        z.next_out = out + z.total_out;
        z.avail_out = (uInt)(capacity - z.total_out);
        code = inflate(&z, Z_NO_FLUSH);
        assert_true(code == Z_OK || code == Z_STREAM_END);
    } while (code != Z_STREAM_END);
    *length = z.total_out;
    inflateEnd(&z);
    return out;
}

static void test_pair_map(void **state)
{
    (void)state;
    pair_map map;
    pair_map_init(&map);
    assert_int_equal(pair_map_get(&map, 1, 2), UINT32_MAX);
    uint32_t value;
    for (uint32_t i = 0; i < 10000; i++) {
        assert_int_equal(pair_map_intern(&map, i, (uint64_t)i * 7, i, &value), 1);
        assert_int_equal(value, i);
    }
    /* Already there: the stored value, not the new one. */
    assert_int_equal(pair_map_intern(&map, 5, 35, 99, &value), 0);
    assert_int_equal(value, 5);
    for (uint32_t i = 0; i < 10000; i++)
        assert_int_equal(pair_map_get(&map, i, (uint64_t)i * 7), i);
    /* The pair is ordered: (35, 5) is another key. */
    assert_int_equal(pair_map_get(&map, 35, 5), UINT32_MAX);
    assert_true(map.used == 10000 && 2 * map.used <= map.mask + 1);
    pair_map_free(&map);
    assert_int_equal(pair_map_get(&map, 1, 7), UINT32_MAX);
}

/* The exact protobuf of a small profile: strings interned and escaped,
 * functions and locations interned, a packed sample, an int field. */
static void test_writer_bytes(void **state)
{
    (void)state;
    char *buffer = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buffer, &size);
    assert_non_null(out);
    pprof_writer *w;
    hs_error err = {0};
    assert_int_equal(pprof_writer_new(out, "test", &w, &err), 0);
    assert_int_equal(pprof_cstring(w, "a"), 1);
    assert_int_equal(pprof_cstring(w, "a"), 1);
    assert_int_equal(pprof_string(w, "x\x1b", 2), 2);   /* written as x\x1b */
    assert_int_equal(pprof_text(w, "x\\x1b", 5), 2);    /* the same text, already escaped */
    assert_int_equal(pprof_location(w, 1, 0, 7), 1);
    assert_int_equal(pprof_location(w, 1, 0, 7), 1);
    assert_int_equal(pprof_location(w, 1, 0, 8), 2);    /* a second line of the same function */
    assert_int_equal(pprof_location_count(w), 2);
    const uint32_t locations[] = {2, 1};
    const int64_t values[] = {3, 300};
    pprof_sample(w, locations, 2, values, 2, 0, 0);
    pprof_int(w, PPROF_PERIOD, 5);
    assert_int_equal(pprof_writer_status(w, NULL), 0);
    assert_int_equal(pprof_writer_finish(w, &err), 0);
    fclose(out);
    assert_true(size > 2 && (uint8_t)buffer[0] == 0x1f && (uint8_t)buffer[1] == 0x8b);
    size_t length;
    uint8_t *proto = gunzip((const uint8_t *)buffer, size, &length);
    static const uint8_t want[] = {
        0x32, 0x00,                                     /* string_table[0] "" */
        0x32, 0x01, 'a',                                /* [1] "a" */
        0x32, 0x05, 'x', '\\', 'x', '1', 'b',           /* [2] the escaped string */
        0x2a, 0x06, 0x08, 0x01, 0x10, 0x01, 0x18, 0x01, /* function {id 1, name 1, system_name 1} */
        0x22, 0x0a, 0x08, 0x01, 0x10, 0x01, 0x22, 0x04, 0x08, 0x01, 0x10, 0x07, /* location 1, line 7 */
        0x22, 0x0a, 0x08, 0x02, 0x10, 0x01, 0x22, 0x04, 0x08, 0x01, 0x10, 0x08, /* location 2, line 8 */
        0x12, 0x09, 0x0a, 0x02, 0x02, 0x01, 0x12, 0x03, 0x03, 0xac, 0x02,       /* sample [2 1] [3 300] */
        0x60, 0x05,                                     /* period 5 */
    };
    assert_int_equal(length, sizeof want);
    assert_memory_equal(proto, want, sizeof want);
    free(proto);
    free(buffer);
}

/* A write that fails is sticky and named. */
static void test_writer_write_error(void **state)
{
    (void)state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    setvbuf(full, NULL, _IONBF, 0);
    pprof_writer *w;
    hs_error err = {0};
    assert_int_equal(pprof_writer_new(full, "out.pb.gz", &w, &err), 0);
    assert_int_equal(pprof_writer_finish(w, &err), HS_ERR_IO);
    assert_non_null(strstr(err.message, "out.pb.gz: cannot write"));
    fclose(full);
}

/* Writes a profile of the leak dump into memory and returns its protobuf. */
static uint8_t *leak_profile(const fixture *f, int sites, uint32_t max_frames, hs_pprof_summary *summary,
                             size_t *length, int *status)
{
    hs_context context = {.dump = f->dump, .params = &f->heap->params, .heap = f->heap, .symbols = f->symbols,
                          .sites = f->sites};
    char *buffer = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&buffer, &size);
    assert_non_null(out);
    hs_error err = {0};
    hs_pprof_options options = {.max_frames = max_frames};
    *status = sites ? hs_report_pprof_sites(out, &context, &options, summary, &err)
                    : hs_report_pprof(out, &context, &options, summary, &err);
    fclose(out);
    uint8_t *proto = *status == 0 ? gunzip((const uint8_t *)buffer, size, length) : NULL;
    free(buffer);
    return proto;
}

static int contains(const uint8_t *data, size_t length, const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= length; i++)
        if (memcmp(data + i, text, n) == 0)
            return 1;
    return 0;
}

static void test_retention_counts_every_live_object(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, FIXTURE_DUMPS "leak-go1.26.8.dump", "testdata/bin/leak-go1.26.8", FIXTURE_SITES);
    hs_error err = {0};
    assert_int_equal(hs_symbols_check_dump(f.symbols, f.heap, &err), 0);
    hs_pprof_summary s;
    size_t length;
    int status;
    uint8_t *proto = leak_profile(&f, 0, 0, &s, &length, &status);
    assert_int_equal(status, 0);
    uint64_t live = 0, bytes = 0;
    for (hs_node i = 0; i < f.heap->object_count; i++)
        if (hs_object_is_live(f.heap, i)) {
            live++;
            bytes += hs_object_slot_size(f.heap, i);
        }
    assert_int_equal(s.objects, live);
    assert_int_equal(s.bytes, bytes);
    assert_int_equal(s.live_objects, live);
    assert_true(s.samples > 0 && s.samples < live);
    assert_int_equal(s.folded_objects, 0);
    /* Names from the symbols; without types, sizes (the Record's 48-byte slot) and sites. */
    assert_true(contains(proto, length, "global main.leaked"));
    assert_true(contains(proto, length, "Object 48 B (main.load:36)"));
    assert_true(contains(proto, length, "inuse_space"));
    free(proto);
    assert_null(leak_profile(&f, 0, HS_PPROF_MIN_FRAMES - 1, &s, &length, &status));
    assert_int_equal(status, HS_ERR_USAGE);
    fixture_free(&f);
}

static void test_sites_profile_counts_sampled_objects(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, FIXTURE_DUMPS "leak-go1.26.8.dump", NULL, FIXTURE_SITES);
    hs_pprof_summary s;
    size_t length;
    int status;
    uint8_t *proto = leak_profile(&f, 1, 0, &s, &length, &status);
    assert_int_equal(status, 0);
    uint64_t sampled = 0;
    for (hs_node i = 0; i < f.heap->object_count; i++)
        sampled += hs_object_is_live(f.heap, i) && hs_sites_object_bucket(f.sites, i) != UINT32_MAX;
    assert_int_equal(s.objects, sampled);
    assert_true(s.objects < s.live_objects);
    assert_true(contains(proto, length, "main.load"));
    assert_true(contains(proto, length, "heapspurs-testdata/leak/main.go"));
    /* The allocator's frames above the site are dropped. */
    assert_false(contains(proto, length, "runtime.mallocgc"));
    free(proto);
    fixture_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_map),
        cmocka_unit_test(test_writer_bytes),
        cmocka_unit_test(test_writer_write_error),
        cmocka_unit_test(test_retention_counts_every_live_object),
        cmocka_unit_test(test_sites_profile_counts_sampled_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
