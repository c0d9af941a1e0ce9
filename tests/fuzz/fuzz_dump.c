/* fuzz_dump.c — libFuzzer target: arbitrary bytes through the parser, the heap model (with and without its threads and buckets, which must agree), --print, lookups, dominators and the anchor/owner walks. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hs_context.h"
#include "hs_dominator.h"
#include "hs_dump.h"
#include "hs_heap.h"
#include "hs_print.h"
#include "hs_query.h"

#include "../unit/heap_equal.h"

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The load with every split forced (second reading thread from the middle
 * object record's neighbourhood, a bucket per 64 bytes of dump, two threads
 * for sorting, pages and edges) must give the plain load's status, message
 * and model. */
static void check_split_load(const hs_dump *dump, int status, const hs_error *err, const hs_heap *a)
{
    hs_heap_options split = {.split_parse_min_bytes = 1,
                             .split_parse_from = dump->size / 2,
                             .split_min_objects = 1,
                             .bucket_bytes = 64};
    hs_error split_err = {0};
    hs_heap *b = NULL;
    int split_status = hs_heap_build_with_options(dump, &split, &b, &split_err);
    if (split_status != status || (status < 0 && strcmp(err->message, split_err.message) != 0))
        __builtin_trap();
    if (status < 0)
        return;
    if (heap_difference(a, b))
        __builtin_trap();
    hs_heap_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!sink && !(sink = fopen("/dev/null", "w")))
        return 0;
    hs_error err = {0};
    hs_dump *dump = NULL;
    if (hs_dump_from_memory("fuzz.dump", data, size, &dump, &err) < 0)
        return 0;
    hs_heap *heap = NULL;
    int status = hs_heap_build(dump, &heap, &err);
    check_split_load(dump, status, &err, heap);
    if (status == 0) {
        hs_context context = {.dump = dump, .params = &heap->params, .heap = heap};
        hs_report_records(sink, &context, HS_FORMAT_TEXT, NULL, &err);
        hs_report_records(sink, &context, HS_FORMAT_JSON, NULL, &err);
        /* Lookups at object starts and ends, the heap bounds and the extremes. */
        uint64_t probes[8] = {0, UINT64_MAX, heap->params.heap_start, heap->params.heap_end, 0, 0, 0, 0};
        if (heap->object_count) {
            const hs_object *first = &heap->objects[0], *last = &heap->objects[heap->object_count - 1];
            probes[4] = first->address;
            probes[5] = first->address + first->size;
            probes[6] = last->address + last->size - 1;
            probes[7] = heap->objects[heap->object_count / 2].address + 8;
        }
        for (unsigned i = 0; i < 8; i++) {
            uint64_t offset;
            hs_node below, above;
            hs_node node = hs_heap_find(heap, probes[i], &offset);
            if (node != HS_NO_NODE && (node >= heap->object_count || offset >= heap->objects[node].size))
                __builtin_trap();
            hs_heap_neighbours(heap, probes[i], &below, &above);
        }
        for (uint32_t n = 0; n < hs_heap_node_count(heap) && n < 4096; n++)
            (void)hs_node_address(heap, n);
        /* The analyses behind --address: dominators, anchors, owners, hexdump. */
        hs_dominators *dominators = NULL;
        if (hs_dominators_build(heap, NULL, &dominators, &err) == 0)
            context.dominators = dominators;
        for (unsigned i = 4; i < 8 && heap->object_count; i++) {
            uint64_t offset;
            hs_node node = hs_heap_find(heap, probes[i], &offset);
            if (node == HS_NO_NODE)
                continue;
            hs_report_anchors(sink, &context, node, offset, i == 2 ? 1 : 0, i & 1 ? HS_FORMAT_JSON : HS_FORMAT_TEXT,
                              &err);
            hs_report_owners(sink, &context, node, offset, i == 4 ? -1 : 2, i & 1 ? HS_FORMAT_TEXT : HS_FORMAT_JSON,
                             &err);
            hs_report_hexdump(sink, &context, node, &err);
        }
        hs_dominators_free(dominators);
        hs_heap_free(heap);
    }
    hs_dump_free(dump);
    return 0;
}
