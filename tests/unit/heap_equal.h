/* heap_equal.h — for tests and the fuzz target: whether two heap models built from one dump are the same, array by array. */
#ifndef HEAP_EQUAL_H
#define HEAP_EQUAL_H

#include <string.h>

#include "hs_heap.h"

/* Arrays of count elements; two NULL arrays (a heap built without edges) are the same. */
#define HEAP_SAME_ARRAY(field, count)                                                                         \
    if ((count) && a->field != b->field &&                                                                    \
        (!a->field || !b->field || memcmp(a->field, b->field, (size_t)(count) * sizeof *a->field) != 0))      \
        return #field;

/* Field by field: the structs have padding, whose bytes memcmp would see. */
static inline int heap_bytes_equal(hs_bytes x, hs_bytes y)
{
    return x.data == y.data && x.length == y.length;
}

static inline int heap_roots_equal(const hs_root *x, const hs_root *y)
{
    return x->kind == y->kind && x->record_offset == y->record_offset && x->address == y->address &&
           heap_bytes_equal(x->contents, y->contents) && x->fields.encoded == y->fields.encoded &&
           x->fields.encoded_length == y->fields.encoded_length && x->fields.count == y->fields.count &&
           x->fields.outside == y->fields.outside && heap_bytes_equal(x->name, y->name) && x->depth == y->depth &&
           x->child_sp == y->child_sp && x->goroutine == y->goroutine && x->funcval == y->funcval &&
           x->pc == y->pc && x->object_type == y->object_type;
}

static inline int heap_goroutines_equal(const hs_goroutine *x, const hs_goroutine *y)
{
    return x->record_offset == y->record_offset && x->address == y->address && x->goid == y->goid &&
           x->status == y->status && x->go_pc == y->go_pc && x->is_system == y->is_system &&
           heap_bytes_equal(x->wait_reason, y->wait_reason) &&
           x->first_frame == y->first_frame && x->frame_count == y->frame_count;
}

/* NULL when a and b hold the same model (counts, warnings, every array, the
 * page index); else the name of the first field that differs. How the load
 * went (split_parse_offset, split_work) is not compared. */
static inline const char *heap_difference(const hs_heap *a, const hs_heap *b)
{
    if (a->object_count != b->object_count || a->root_count != b->root_count ||
        a->goroutine_count != b->goroutine_count || a->edge_count != b->edge_count ||
        a->sample_count != b->sample_count || a->profile_count != b->profile_count || a->itab_count != b->itab_count)
        return "counts";
    if (a->reachable_count != b->reachable_count || a->reachable_bytes != b->reachable_bytes)
        return "reachable";
    if (memcmp(&a->parse_warnings, &b->parse_warnings, sizeof a->parse_warnings) != 0)
        return "parse_warnings";
    if (memcmp(&a->warnings, &b->warnings, sizeof a->warnings) != 0)
        return "warnings";
    if (memcmp(a->record_counts, b->record_counts, sizeof a->record_counts) != 0)
        return "record_counts";
    HEAP_SAME_ARRAY(objects, a->object_count)
    HEAP_SAME_ARRAY(flags, a->object_count)
    HEAP_SAME_ARRAY(reachable, a->object_count / 8 + 1)
    for (uint32_t i = 0; i < a->root_count; i++)
        if (!heap_roots_equal(&a->roots[i], &b->roots[i]))
            return "roots";
    for (uint32_t i = 0; i < a->goroutine_count; i++)
        if (!heap_goroutines_equal(&a->goroutines[i], &b->goroutines[i]))
            return "goroutines";
    HEAP_SAME_ARRAY(out_start, hs_heap_node_count(a) + 1)
    HEAP_SAME_ARRAY(out_target, a->edge_count)
    HEAP_SAME_ARRAY(in_start, a->object_count + 1)
    HEAP_SAME_ARRAY(in_source, a->edge_count)
    HEAP_SAME_ARRAY(samples, a->sample_count)
    HEAP_SAME_ARRAY(profile_offsets, a->profile_count)
    HEAP_SAME_ARRAY(itabs, a->itab_count)
    if (a->page_count != b->page_count || (a->page_first != NULL) != (b->page_first != NULL) ||
        (a->page_runs != NULL) != (b->page_runs != NULL))
        return "page index";
    if (a->page_first)
        HEAP_SAME_ARRAY(page_first, a->page_count + 1)
    if (a->page_runs)
        HEAP_SAME_ARRAY(page_runs, a->page_count)
    return NULL;
}

#undef HEAP_SAME_ARRAY

#endif
