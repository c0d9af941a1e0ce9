/* diff_build.h — private to the comparison: what its engine (diff.c) gives its reports (diff_report.c). */
#ifndef HS_DIFF_BUILD_H
#define HS_DIFF_BUILD_H

#include <stdint.h>

#include "hs_diff.h"
#include "hs_heap.h"

/* Visits the live objects of the new dump that are new (hs_diff_object_is_new),
 * each with its group, in the order the build counted them: address order,
 * or for ROOT the preorder of the new dump's dominator tree (which the diff
 * keeps only when built with count_added). Stops at, and returns, the first
 * negative value visit returns; HS_ERR_NOMEM when a key cannot be built. */
typedef int (*diff_added_visitor)(const hs_diff *diff, uint32_t group, hs_node object, void *context);
int diff_for_each_added(const hs_diff *diff, diff_added_visitor visit, void *context);

static inline void diff_count_add(hs_diff_count *count, uint64_t objects, uint64_t bytes)
{
    count->objects += objects;
    count->bytes += bytes;
}

#endif
