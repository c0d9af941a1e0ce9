/* heap_build.h — private to the heap builder: the state shared by reading (heap_read.c), indexing (heap_index.c) and the build (heap.c). */
#ifndef HS_HEAP_BUILD_H
#define HS_HEAP_BUILD_H

#include <stdint.h>

#include "buckets.h"
#include "hs_error.h"
#include "hs_heap.h"
#include "hs_timings.h"

#define PAGE_SHIFT 13
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT)

/* The heap being built and what building it needs on the way. */
typedef struct builder {
    hs_heap *heap;
    uint64_t root_capacity, goroutine_capacity, sample_capacity, profile_capacity, itab_capacity;
    uint32_t split_min_objects;
    uint64_t bucket_bytes; /* dump bytes per object bucket */
    /* Objects as read, by address range; `adopted` holds those a second
     * thread read (see read_records). Gathered into heap->objects after the
     * reading, bucket k at bucket_starts[k]. */
    hs_buckets buckets, adopted;
    uint32_t bucket_count;
    uint64_t *bucket_starts;
    hs_error *err;
    hs_timings *timings; /* the phases' times, or NULL */
    int reachability_only; /* hs_heap_options.reachability_only */
} builder;


/* Sets the out-of-memory message ("FILE: out of memory while WHAT") and returns HS_ERR_NOMEM. */
int heap_out_of_memory(builder *b, const char *what);

/* Whether object i starts a new run: a step down in address, or a new page
 * (spans follow one another in no address order, so a run is cut at every
 * page for runs of different spans never to interleave). */
static inline int starts_run(const hs_object *objects, uint32_t i)
{
    return objects[i].address < objects[i - 1].address ||
           (objects[i].address >> PAGE_SHIFT) != (objects[i - 1].address >> PAGE_SHIFT);
}


/* Reads every record: objects into b->buckets (and b->adopted, from a
 * second thread on a big dump), the rest into b->heap. Sets the heap's
 * params and parse warnings. */
int heap_read_records(builder *b, const hs_heap_options *options);

/* Gathers the buckets into heap->objects sorted by address, allocates and
 * fills heap->flags' span-tail bits, and refuses overlapping objects. */
int heap_sort_objects(builder *b);

/* The page index (page_first, page_runs) over the sorted table. */
int heap_build_page_index(builder *b);

/* Forward and reverse edges, and reachability into heap->reachable; no
 * flag is written. With b->reachability_only, the reachability alone. */
int heap_build_edges(builder *b);

/* The finalizer flags, from the finalizer records (and the warning for a
 * finalizer on no object): once the page index is in, before any other
 * thread reads the flags. */
void heap_write_finalizer_flags(builder *b);

/* The pointer slots of a region or an object that land in objects (or
 * all, with include_dangling), for hs_heap_visit_slots and the edge
 * collection: inlined where the visitor is known, so that the compiler
 * can inline the visitor too. */
__attribute__((always_inline)) static inline int visit_region(const hs_heap *heap, const uint8_t *bytes,
                                                              uint64_t length, const hs_fields *fields,
                                                              uint64_t shift, int include_dangling,
                                                              hs_slot_visitor visit, void *context)
{
    hs_field_iter iter;
    uint64_t slot;
    hs_fields_begin(&iter, fields, length, heap->params.pointer_size);
    iter.shift = shift;
    while (hs_fields_next(&iter, &slot)) {
        uint64_t value = hs_heap_word(heap, bytes, slot), target_offset = 0;
        if (value == 0)
            continue;
        hs_node target = hs_heap_find(heap, value, &target_offset);
        if (target == HS_NO_NODE && !include_dangling)
            continue;
        int stop = visit(slot, value, target, target_offset, context);
        if (stop)
            return stop;
    }
    return 0;
}

__attribute__((always_inline)) static inline int visit_object(const hs_heap *heap, hs_node node,
                                                              int include_dangling, hs_slot_visitor visit,
                                                              void *context)
{
    if (heap->flags[node] & HS_OBJECT_SPAN_TAIL)
        return 0;
    hs_fields fields = hs_object_fields(heap, node);
    return visit_region(heap, hs_object_contents(heap, node), heap->objects[node].size, &fields,
                        hs_object_header_bytes(heap, node), include_dangling, visit, context);
}

#endif
