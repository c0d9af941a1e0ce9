/* hs_dominator.h — the dominator tree of the heap graph under a virtual root of root groups, and retained sizes. */
#ifndef HS_DOMINATOR_H
#define HS_DOMINATOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hs_error.h"
#include "hs_heap.h"
#include "hs_symbols.h"

/* The tree hangs under a virtual root whose children are root groups; each
 * group's edges are the pointer slots of its roots:
 *   HS_GROUP_GLOBAL     the slots of data/BSS inside one global symbol (with --program)
 *   HS_GROUP_SEGMENT    a whole data or BSS segment (without symbols), or the
 *                       slots of one segment that no symbol covers
 *   HS_GROUP_GOROUTINE  every frame of one goroutine
 *   HS_GROUP_FRAME      one frame whose goroutine is unknown
 *   HS_GROUP_FINALIZER  one registered finalizer record (its object's slots and closure)
 *   HS_GROUP_QUEUED_FINALIZER  one queued finalizer record (its object)
 *   HS_GROUP_OTHER      one "other root" record */
enum hs_group_kind {
    HS_GROUP_GLOBAL,
    HS_GROUP_SEGMENT,
    HS_GROUP_GOROUTINE,
    HS_GROUP_FRAME,
    HS_GROUP_FINALIZER,
    HS_GROUP_QUEUED_FINALIZER,
    HS_GROUP_OTHER
};

typedef struct hs_root_group {
    enum hs_group_kind kind;
    hs_node root;             /* heap node of its first root (>= heap->object_count) */
    uint32_t root_count;      /* roots contributing slots (a segment may feed several globals) */
    const hs_symbol *symbol;  /* HS_GROUP_GLOBAL: the global, owned by the hs_symbols table */
    uint32_t goroutine;       /* HS_GROUP_GOROUTINE: index into heap->goroutines (the first); UINT32_MAX otherwise */
    uint32_t goroutine_count; /* HS_GROUP_GOROUTINE: goroutines whose frames it holds (1, or a group's count) */
    uint32_t goroutine_key;   /* HS_GROUP_GOROUTINE built grouped: the caller's group; UINT32_MAX otherwise */
    uint32_t last_goroutine;  /* while building */
    uint64_t address;         /* global or segment start, frame sp, finalizer's object, other root's pointer */
    uint64_t retained_bytes;  /* bytes of the objects it dominates */
    uint32_t retained_objects;
} hs_root_group;

/* Dominator nodes ("dom nodes") name both kinds of tree node in one uint32:
 * 0 .. object_count-1 are objects (heap node numbers), object_count + g is
 * root group g. HS_DOM_ROOT is the virtual root; HS_NO_NODE means none
 * (the idom of a garbage or span-tail object). */
typedef uint32_t hs_dom_node;
#define HS_DOM_ROOT (UINT32_MAX - 1)

typedef struct hs_dominators {
    const hs_heap *heap;
    const hs_symbols *symbols;   /* borrowed; may be NULL */
    uint32_t object_count;       /* = heap->object_count */
    uint32_t group_count;
    hs_root_group *groups;

    /* Per object (heap->object_count entries). Garbage and span-tail
     * objects have idom HS_NO_NODE and retain nothing. */
    hs_dom_node *idom;           /* an object, a group (object_count + g), or HS_DOM_ROOT when
                                  * roots of two groups reach it */
    uint64_t *retained_bytes;    /* its shallow size plus all it dominates */
    uint32_t *retained_objects;  /* itself included */

    /* The dominator tree in preorder, virtual root left out: group g,
     * then the objects it dominates, each object followed by its subtree.
     * The subtree of dom node x is preorder[position[x] .. position[x] +
     * hs_dominators_subtree_size(x)). position has object_count +
     * group_count entries (UINT32_MAX for objects not in the tree). */
    hs_dom_node *preorder;
    uint32_t preorder_count;     /* live objects + groups */
    uint32_t *position;

    /* Totals. Live: objects some root reaches; garbage: every other object
     * record that is not span-tail metadata. */
    uint64_t live_bytes, live_objects;
    uint64_t garbage_bytes, garbage_objects;
} hs_dominators;

/* Builds the dominator tree of heap (iterative semi-NCA over flat arrays)
 * and every retained size. symbols may be NULL (then data and BSS are one
 * group per segment); heap and symbols must outlive the result. Errors:
 * HS_ERR_NOMEM, HS_ERR_FORMAT (more nodes than 32 bits can number). Free
 * with hs_dominators_free. */
int hs_dominators_build(const hs_heap *heap, const hs_symbols *symbols, hs_dominators **out, hs_error *err);

/* As hs_dominators_build, with goroutines gathered: goroutine_key[i] (for
 * each of heap->goroutine_count goroutines, below key_count) names the
 * group goroutine i is in, and the frames of one group's goroutines form
 * one root group (what they keep alive together, counted once). */
int hs_dominators_build_grouped(const hs_heap *heap, const hs_symbols *symbols, const uint32_t *goroutine_key,
                                uint32_t key_count, hs_dominators **out, hs_error *err);

/* Frees everything built. Accepts NULL. */
void hs_dominators_free(hs_dominators *dominators);

static inline int hs_dom_is_group(const hs_dominators *d, hs_dom_node node)
{
    return node >= d->object_count && node - d->object_count < d->group_count;
}

static inline const hs_root_group *hs_dom_group(const hs_dominators *d, hs_dom_node node)
{
    return &d->groups[node - d->object_count];
}

/* Immediate dominator of a dom node: an object, a group, HS_DOM_ROOT (for a
 * group, or an object that roots of several groups reach), or HS_NO_NODE
 * (garbage). */
hs_dom_node hs_dominators_idom(const hs_dominators *d, hs_dom_node node);

/* Retained bytes and objects of a dom node (0 for garbage). */
uint64_t hs_dominators_retained_bytes(const hs_dominators *d, hs_dom_node node);
uint32_t hs_dominators_retained_objects(const hs_dominators *d, hs_dom_node node);

/* Sums, per row, the retained bytes and objects of a set of objects
 * counted once: row_of[object] is the object's row (UINT32_MAX for none);
 * an object inside the dominator subtree of another object of its row adds
 * nothing. bytes and objects have row_count zeroed entries. Returns 0, or
 * HS_ERR_NOMEM. */
int hs_dominators_sum_retained(const hs_dominators *d, const uint32_t *row_of, uint32_t row_count, uint64_t *bytes,
                               uint64_t *objects);

/* Shallow size: the object's dumped size; 0 for a group. */
uint64_t hs_dominators_shallow_bytes(const hs_dominators *d, hs_dom_node node);

/* Number of preorder entries of node's dominator subtree, node included
 * (0 for garbage). */
uint32_t hs_dominators_subtree_size(const hs_dominators *d, hs_dom_node node);

/* The group whose dominator subtree holds an object; UINT32_MAX for garbage
 * and for an object that roots of several groups reach (its idom is HS_DOM_ROOT). */
uint32_t hs_dominators_group_of(const hs_dominators *d, hs_node object);

/* Short name of a group kind: global, segment, goroutine, frame, finalizer,
 * queuedfinalizer, otherroot. */
const char *hs_group_kind_name(enum hs_group_kind kind);

/* Writes a group's one-line description without a newline, e.g.
 * "global main.trees", "bss segment 0x5a4b20", "goroutine 6 (main.holdBuffer, chan receive, 6 frames)",
 * "5 goroutines like goroutine 18 (main.leakSend.func1, chan send)",
 * "finalizer for 0xc000010000", "queued finalizer for 0x…", "frame main.f (unknown goroutine)",
 * "other root: description". */
void hs_dominators_write_group(FILE *out, const hs_dominators *d, uint32_t group);

/* For other renderers (--anchors, --owners, JSON descriptors), with
 * d = context->dominators when it is not NULL:
 * writes `"retained":{"bytes":N,"objects":M}` for an object (no leading or
 * trailing comma); a garbage object gets zeros and `"garbage":true`. */
void hs_dominators_write_json(FILE *out, const hs_dominators *d, hs_node object);

/* Writes "retains N bytes in M objects" for an object, or "garbage (no root
 * reaches it)", without a newline. */
void hs_dominators_write_text(FILE *out, const hs_dominators *d, hs_node object);

/* Formats a short label for graph nodes into buffer, e.g. "retains 448 B / 7 obj"
 * or "garbage". Returns buffer. */
const char *hs_dominators_label(const hs_dominators *d, hs_node object, char *buffer, size_t size);

#endif
