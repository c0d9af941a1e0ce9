/* test_heap.c — the heap model on real dumps: every object found at its start, middle and last byte; gaps found by none; edges agree both ways; two-thread loads equal one-thread loads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_heap.h"
#include "heap_equal.h"

static void check_dump(const char *path, double *runs_share)
{
    hs_error err = {0};
    hs_dump *dump = NULL;
    hs_heap *heap = NULL;
    assert_int_equal(hs_dump_open(path, &dump, &err), HS_OK);
    if (hs_heap_build(dump, &heap, &err) != HS_OK)
        fail_msg("%s: %s", path, err.message);
    uint64_t offset;
    for (uint32_t i = 0; i < heap->object_count; i++) {
        const hs_object *o = &heap->objects[i];
        if (i > 0)
            assert_true(heap->objects[i - 1].address + heap->objects[i - 1].size <= hs_object_slot_address(heap, i));
        /* An allocation header is the runtime's: no object is found in it. */
        if (heap->flags[i] & HS_OBJECT_HEADER) {
            assert_int_equal(hs_heap_find(heap, o->address - 8, &offset), HS_NO_NODE);
            assert_int_equal(hs_heap_find(heap, o->address - 1, &offset), HS_NO_NODE);
            assert_int_equal(hs_heap_object_at_slot(heap, o->address - 8), i);
            assert_int_not_equal(hs_object_header_word(heap, i), 0);
        }
        if (heap->flags[i] & HS_OBJECT_SPAN_TAIL) {
            assert_int_equal(hs_heap_find(heap, o->address, &offset), HS_NO_NODE);
            continue;
        }
        uint64_t probes[3] = {0, o->size / 2, o->size - 1};
        for (int p = 0; p < 3; p++) {
            hs_node found = hs_heap_find(heap, o->address + probes[p], &offset);
            if (found != i)
                fail_msg("%s: 0x%llx+%llu found %u, want %u", path, (unsigned long long)o->address,
                         (unsigned long long)probes[p], found, i);
            assert_int_equal(offset, probes[p]);
        }
        /* The byte after an object belongs to the next object or to none. */
        hs_node after = hs_heap_find(heap, o->address + o->size, &offset);
        assert_true(after == HS_NO_NODE || (after == i + 1 && offset == 0));
    }
    /* Every forward edge appears once as a reverse edge, and vice versa. */
    uint64_t forward = 0, reverse = heap->in_start[heap->object_count];
    for (uint32_t n = 0; n < hs_heap_node_count(heap); n++)
        forward += heap->out_start[n + 1] - heap->out_start[n];
    assert_int_equal(forward, heap->edge_count);
    assert_int_equal(reverse, heap->edge_count);
    for (uint32_t t = 0; t < heap->object_count; t++)
        for (uint64_t e = heap->in_start[t]; e < heap->in_start[t + 1]; e++) {
            hs_node s = heap->in_source[e];
            int seen = 0;
            for (uint64_t f = heap->out_start[s]; f < heap->out_start[s + 1] && !seen; f++)
                seen = heap->out_target[f] == t;
            assert_true(seen);
        }
    /* How many objects the page runs find without a search. */
    uint64_t in_runs = 0;
    for (uint64_t p = 0; heap->page_runs && p < heap->page_count; p++) {
        const hs_page_run *run = &heap->page_runs[p];
        assert_true(run->run_bytes == 0 || run->run_bytes % run->size == 0);
        if (run->run_bytes) {
            uint32_t first = heap->page_first[p];
            uint64_t start = heap->page_base + (p << 13) + (int64_t)run->start_offset;
            assert_int_equal(hs_object_slot_address(heap, first), start);
            uint64_t count = run->run_bytes / run->size;
            for (uint64_t k = 0; k < count; k++) {
                assert_int_equal(hs_object_slot_address(heap, first + k), start + k * run->size);
                assert_int_equal(hs_object_slot_size(heap, first + k), run->size);
                assert_int_equal(hs_object_header_bytes(heap, first + k), run->header);
            }
            in_runs += count;
        }
    }
    print_message("%s: %u objects (%llu in page runs), %llu edges checked\n", path, heap->object_count,
                  (unsigned long long)in_runs, (unsigned long long)heap->edge_count);
    *runs_share = heap->object_count ? (double)in_runs / heap->object_count : 0;
    hs_heap_free(heap);
    hs_dump_free(dump);
}

static void test_every_committed_dump(void **state)
{
    (void)state;
    glob_t found;
    assert_int_equal(glob("testdata/dumps/*.dump", 0, NULL, &found), 0);
    assert_true(found.gl_pathc >= 30);
    for (size_t i = 0; i < found.gl_pathc; i++) {
        double share;
        check_dump(found.gl_pathv[i], &share);
    }
    globfree(&found);
}

static void test_gzip_chain(void **state)
{
    (void)state;
    glob_t found;
    assert_int_equal(glob("testdata/dumps/chain-*.dump.gz", 0, NULL, &found), 0);
    /* 100,000 list nodes allocated in a row: their pages are full runs. */
    double share;
    check_dump(found.gl_pathv[found.gl_pathc - 1], &share);
    assert_true(share > 0.9);
    globfree(&found);
}

/* The file offset of the object record numbered n (from 0) in file order. */
static uint64_t nth_object_record(const hs_dump *dump, uint64_t n)
{
    hs_parser parser;
    hs_record record;
    hs_error err = {0};
    uint64_t seen = 0;
    assert_int_equal(hs_parser_init(&parser, dump, &err), HS_OK);
    while (hs_parser_next(&parser, &record, &err) > 0)
        if (record.tag == HS_TAG_OBJECT && seen++ == n)
            return record.offset;
    fail_msg("fewer than %llu object records", (unsigned long long)n + 1);
    return 0;
}

/* Builds the model once with every split forced and once with none; the two
 * must agree in every array. Returns whether the parse was split. */
static int check_split_identical(const char *path)
{
    hs_error err = {0};
    hs_dump *dump = NULL;
    hs_heap *one = NULL, *two = NULL;
    assert_int_equal(hs_dump_open(path, &dump, &err), HS_OK);
    /* One thread, one bucket: the plain sort of the whole table. */
    hs_heap_options alone = {
        .split_parse_min_bytes = UINT64_MAX, .split_min_objects = UINT32_MAX, .bucket_bytes = UINT64_MAX};
    if (hs_heap_build_with_options(dump, &alone, &one, &err) != HS_OK)
        fail_msg("%s: %s", path, err.message);
    /* Small test programs' dumps are mostly data and BSS segments: guess
     * from the middle of the object records. */
    /* Two threads everywhere, a bucket per 4 KiB of dump. */
    hs_heap_options split = {.split_parse_min_bytes = 1,
                             .split_min_objects = 1,
                             .bucket_bytes = 4096,
                             .split_parse_from = nth_object_record(dump, one->record_counts[HS_TAG_OBJECT] / 2)};
    if (
        hs_heap_build_with_options(dump, &split, &two, &err) != HS_OK)
        fail_msg("%s: %s", path, err.message);
    assert_int_equal(one->split_parse_offset, 0);
    assert_int_equal(one->split_work, 0);
    assert_int_equal(two->split_work, 1);
    const char *differs = heap_difference(one, two);
    if (differs)
        fail_msg("%s: %s differs between the one-thread and two-thread loads", path, differs);
    int was_split = two->split_parse_offset != 0;
    if (was_split) {
        /* The second thread's objects are a real share of the dump's. */
        assert_true(two->split_parse_objects > 0);
        assert_true(two->split_parse_objects < two->record_counts[HS_TAG_OBJECT]);
    }
    hs_heap_free(one);
    hs_heap_free(two);
    hs_dump_free(dump);
    return was_split;
}

/* Results identical to a one-thread run (issue 5): the split parse, the
 * sort by buckets on two threads and the split edge collection, forced on
 * every committed dump. */
static void test_split_load_identical(void **state)
{
    (void)state;
    glob_t found;
    assert_int_equal(glob("testdata/dumps/*.dump*", 0, NULL, &found), 0);
    size_t split = 0;
    for (size_t i = 0; i < found.gl_pathc; i++)
        split += check_split_identical(found.gl_pathv[i]);
    print_message("%zu of %zu dumps read in two halves, every model identical\n", split, found.gl_pathc);
    /* A guess from the middle object record lands on a record boundary
     * unless fewer than 32 object records follow. */
    assert_int_equal(split, found.gl_pathc);
    globfree(&found);
}

/* Damages a copy of the dump at the object record three quarters through
 * (where the second thread reads), loads it with and without splitting, and wants
 * the same status and message: the one-thread message. */
static void check_damage_same_error(const hs_dump *dump, const uint8_t *bytes, size_t count, const char *expect)
{
    uint8_t *copy = malloc(dump->size);
    assert_non_null(copy);
    memcpy(copy, dump->data, dump->size);
    hs_error err = {0}, want = {0}, got = {0};
    hs_heap *heap = NULL;
    hs_heap_options alone = {.split_parse_min_bytes = UINT64_MAX};
    assert_int_equal(hs_heap_build_with_options(dump, &alone, &heap, &err), HS_OK);
    uint64_t objects = heap->record_counts[HS_TAG_OBJECT];
    hs_heap_free(heap);
    /* The second thread starts at the middle object record; the damage is
     * at the record three quarters through. */
    uint64_t from = nth_object_record(dump, objects / 2);
    uint64_t at = nth_object_record(dump, objects / 4 * 3);
    assert_true(at > from);
    memcpy(copy + at, bytes, count);
    hs_dump *damaged = NULL;
    assert_int_equal(hs_dump_from_memory("damaged", copy, dump->size, &damaged, &err), HS_OK);
    hs_heap_options split = {.split_parse_min_bytes = 1, .split_parse_from = from};
    int one = hs_heap_build_with_options(damaged, &alone, &heap, &want);
    assert_null(heap);
    int two = hs_heap_build_with_options(damaged, &split, &heap, &got);
    assert_null(heap);
    assert_true(one < 0);
    assert_int_equal(one, two);
    assert_string_equal(want.message, got.message);
    assert_non_null(strstr(got.message, expect));
    hs_dump_free(damaged);
    free(copy);
}

/* Damage in the second half: where the second thread stops at it (a bad
 * tag) or fails on it (a bad varint), the error is the one-thread error,
 * record count and offset included. */
/* A load without edges (hs_heap_options.reachability_only) marks the same
 * objects reachable as one with them, and differs from it in the edges
 * alone, on every committed dump, with one thread and with two. */
static void test_reachability_without_edges(void **state)
{
    (void)state;
    glob_t found;
    assert_int_equal(glob("testdata/dumps/*.dump*", 0, NULL, &found), 0);
    assert_true(found.gl_pathc >= 10);
    for (size_t i = 0; i < found.gl_pathc; i++) {
        const char *path = found.gl_pathv[i];
        hs_error err = {0};
        hs_dump *dump = NULL;
        hs_heap *full = NULL, *bare = NULL, *bare_split = NULL;
        assert_int_equal(hs_dump_open(path, &dump, &err), HS_OK);
        hs_heap_options without = {.reachability_only = 1};
        hs_heap_options without_split = {.reachability_only = 1, .split_min_objects = 1, .bucket_bytes = 4096};
        if (hs_heap_build(dump, &full, &err) != HS_OK ||
            hs_heap_build_with_options(dump, &without, &bare, &err) != HS_OK ||
            hs_heap_build_with_options(dump, &without_split, &bare_split, &err) != HS_OK)
            fail_msg("%s: %s", path, err.message);
        assert_null(bare->out_start);
        assert_null(bare->out_target);
        assert_null(bare->in_start);
        assert_null(bare->in_source);
        assert_int_equal(bare->edge_count, 0);
        assert_true(full->reachable_count > 0);
        hs_heap masked = *full;
        masked.out_start = masked.out_target = masked.in_start = masked.in_source = NULL;
        masked.edge_count = 0;
        const char *differs = heap_difference(&masked, bare);
        if (!differs)
            differs = heap_difference(&masked, bare_split);
        if (differs)
            fail_msg("%s: %s differs between the loads with and without edges", path, differs);
        hs_heap_free(bare_split);
        hs_heap_free(bare);
        hs_heap_free(full);
        hs_dump_free(dump);
    }
    globfree(&found);
}

static void test_split_damage_same_error(void **state)
{
    (void)state;
    hs_error err = {0};
    hs_dump *dump = NULL;
    assert_int_equal(hs_dump_open("testdata/dumps/leak-go1.26.8.dump", &dump, &err), HS_OK);
    static const uint8_t bad_tag[] = {0x7f};
    check_damage_same_error(dump, bad_tag, sizeof bad_tag, "unknown record tag 127 after");
    static const uint8_t bad_address[] = {HS_TAG_OBJECT, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    check_damage_same_error(dump, bad_address, sizeof bad_address, "address varint is longer than 10 bytes");
    hs_dump_free(dump);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_committed_dump),
        cmocka_unit_test(test_gzip_chain),
        cmocka_unit_test(test_split_load_identical),
        cmocka_unit_test(test_reachability_without_edges),
        cmocka_unit_test(test_split_damage_same_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
