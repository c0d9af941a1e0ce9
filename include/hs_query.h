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

/* What one anchor is: a root whose slots reach the target, counted together. */
enum hs_anchor_kind {
    HS_ANCHOR_GLOBAL,    /* the slots inside one global (with symbols), or in a static it points at */
    HS_ANCHOR_STRETCH,   /* slots of a data or BSS segment outside every symbol, at consecutive words */
    HS_ANCHOR_GOROUTINE, /* the slots of every frame of one goroutine */
    HS_ANCHOR_RECORD     /* the slots of one root record: a frame of an unknown goroutine, a finalizer
                          * (its object's slots and its closure), a queued finalizer, an other root */
};

/* One root from which the target is reachable, with one shortest path from
 * its slot nearest the target. path[0] is the root itself,
 * path[path_length-1] the target (its slot fields unused). */
typedef struct hs_anchor {
    enum hs_anchor_kind kind;
    hs_node root;            /* the root node holding the slot shown (>= heap->object_count) */
    uint64_t slot_address;   /* address of that slot (finalizer: slot in its object; closure: funcval) */
    uint64_t slots;          /* distinct slots of this anchor that reach the target, the one shown included */
    const hs_symbol *symbol; /* HS_ANCHOR_GLOBAL: the global, owned by the symbol table */
    uint32_t goroutine;      /* HS_ANCHOR_GOROUTINE: index into heap->goroutines; else UINT32_MAX */
    uint64_t start, end;     /* HS_ANCHOR_STRETCH: its first slot's address, and past its last slot */
    uint64_t path_start;     /* index of path[0] in hs_anchors.steps */
    uint32_t path_length;    /* steps, root and target included */
} hs_anchor;

typedef struct hs_anchors {
    hs_node target;
    hs_anchor *anchors;      /* the first `count` anchors, ordered by path length, then root, then slot */
    uint64_t count;
    uint64_t total;          /* anchors found; those past `count` were cut by the limit */
    uint64_t slot_count;     /* distinct root slots that reach the target, in all the anchors */
    uint64_t omitted_slots;  /* of those, the slots of the anchors cut */
    hs_path_step *steps;
    uint64_t step_count;
} hs_anchors;

/* Every root from which target is reachable (one breadth-first search over
 * the reverse edges), grouped as hs_anchor_kind says, with the context's
 * symbols naming globals; a slot the root's field list names more than
 * once counts once. Paths are built for the first `limit` anchors only (0:
 * all), so that the work is that of the search, one pass over the slots of
 * the roots found and the paths kept. */
int hs_find_anchors(const hs_context *context, hs_node target, uint64_t limit, hs_anchors **out, hs_error *err);
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

/* The node (object or root) from which the search first reached object: its
 * parent in the tree of shortest paths; HS_NO_NODE when no root reaches it.
 * With holder not NULL, *holder is that hop (hs_path_step: the parent, its
 * first slot pointing into object, where the pointer lands), found by a scan
 * of the parent's slots (indexed once for a node of many slots). */
hs_node hs_root_paths_parent(hs_root_paths *paths, hs_node object, hs_path_step *holder);

/* Accepts NULL. */
void hs_root_paths_free(hs_root_paths *paths);

/* Renderers. `format` is HS_FORMAT_TEXT or HS_FORMAT_JSON (hs_print.h). */
/* limit: how many anchors to show (0: all), the others counted. */
int hs_report_anchors(FILE *out, const hs_context *context, hs_node target, uint64_t target_offset, uint64_t limit,
                      enum hs_format format, hs_error *err);
/* depth: how many levels of owners (-1: all the way to the roots). */
int hs_report_owners(FILE *out, const hs_context *context, hs_node target, uint64_t target_offset, long depth,
                     enum hs_format format, hs_error *err);
/* Go encoding/hex.Dump layout of the object's bytes, then "Pointer: 0xOFF" lines. */
int hs_report_hexdump(FILE *out, const hs_context *context, hs_node target, hs_error *err);

#endif
