/* test_heap.c — the heap model on real dumps: every object found at its start, middle and last byte; gaps found by none; edges agree both ways. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <string.h>

#include "hs_heap.h"

static void check_dump(const char *path)
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
            assert_true(heap->objects[i - 1].address + heap->objects[i - 1].size <= o->address);
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
    print_message("%s: %u objects, %llu edges checked\n", path, heap->object_count,
                  (unsigned long long)heap->edge_count);
    hs_heap_free(heap);
    hs_dump_free(dump);
}

static void test_every_committed_dump(void **state)
{
    (void)state;
    glob_t found;
    assert_int_equal(glob("testdata/dumps/*.dump", 0, NULL, &found), 0);
    assert_true(found.gl_pathc >= 30);
    for (size_t i = 0; i < found.gl_pathc; i++)
        check_dump(found.gl_pathv[i]);
    globfree(&found);
}

static void test_gzip_chain(void **state)
{
    (void)state;
    glob_t found;
    assert_int_equal(glob("testdata/dumps/chain-*.dump.gz", 0, NULL, &found), 0);
    check_dump(found.gl_pathv[found.gl_pathc - 1]);
    globfree(&found);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_committed_dump),
        cmocka_unit_test(test_gzip_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
