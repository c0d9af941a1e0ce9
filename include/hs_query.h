/* hs_query.h — what keeps an object alive: address resolution, anchors with shortest paths, owners, hexdump. */
#ifndef HS_QUERY_H
#define HS_QUERY_H

#include <stdint.h>
#include <stdio.h>

#include "hs_context.h"
#include "hs_describe.h"

/* Finds the object covering address. HS_ERR_NOTFOUND when none does, with a
 * message naming the nearest objects below and above it. */
int hs_resolve_address(const hs_heap *heap, uint64_t address, hs_node *object, uint64_t *offset, hs_error *err);

/* One root slot from which the target is reachable, with one shortest path.
 * path[0] is the root itself, path[path_length-1] the target (its slot
 * fields unused). */
typedef struct hs_anchor {
    hs_node root;          /* a root node (>= heap->object_count) */
    uint64_t slot_address; /* address of the root's pointer slot (finalizer: slot in its object; closure: funcval) */
    uint64_t path_start;   /* index of path[0] in hs_anchors.steps */
    uint32_t path_length;  /* steps, root and target included */
} hs_anchor;

typedef struct hs_anchors {
    hs_node target;
    hs_anchor *anchors; /* ordered by path length, then root, then slot */
    uint64_t count;
    hs_path_step *steps;
    uint64_t step_count;
} hs_anchors;

/* Every root slot from which target is reachable, each with one shortest
 * path (breadth-first over the reverse edges; iterative). */
int hs_find_anchors(const hs_heap *heap, hs_node target, hs_anchors **out, hs_error *err);
void hs_anchors_free(hs_anchors *anchors);

/* Shortest path from any root to target, as steps (root first, target
 * last) in a malloc'd array the caller frees; *length 0 when no root
 * reaches target. For reports that show one path per object. */
int hs_shortest_root_path(const hs_heap *heap, hs_node target, hs_path_step **steps, uint32_t *length,
                          hs_error *err);

/* Shortest paths from the roots to every object they reach, found once by
 * one breadth-first search from all roots (4 bytes an object): then each
 * path costs its own length. For reports that show many paths. */
typedef struct hs_root_paths hs_root_paths;
int hs_root_paths_build(const hs_heap *heap, hs_root_paths **out, hs_error *err);

/* One shortest path from a root to target, as hs_shortest_root_path gives
 * it (a malloc'd array the caller frees; *length 0 when no root reaches
 * target). Of several, the one through the earlier roots, in node order. */
int hs_root_paths_get(hs_root_paths *paths, hs_node target, hs_path_step **steps, uint32_t *length, hs_error *err);

/* Accepts NULL. */
void hs_root_paths_free(hs_root_paths *paths);

/* Renderers. `format` is HS_FORMAT_TEXT or HS_FORMAT_JSON (hs_print.h). */
int hs_render_anchors(FILE *out, const hs_context *context, hs_node target, uint64_t target_offset, int format,
                      hs_error *err);
/* depth: how many levels of owners (-1: all the way to the roots). */
int hs_render_owners(FILE *out, const hs_context *context, hs_node target, uint64_t target_offset, long depth,
                     int format, hs_error *err);
/* Go encoding/hex.Dump layout of the object's bytes, then "Pointer: 0xOFF" lines. */
int hs_render_hexdump(FILE *out, const hs_context *context, hs_node target, hs_error *err);

#endif
