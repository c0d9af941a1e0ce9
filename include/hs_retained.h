/* hs_retained.h — reports over the dominator tree: --top retainers, --retained dominator chains, --leaks suspects. */
#ifndef HS_RETAINED_H
#define HS_RETAINED_H

#include <stdint.h>
#include <stdio.h>

#include "hs_context.h"
#include "hs_dominator.h"

/* Every renderer needs context->dominators (HS_ERR_USAGE otherwise) and
 * takes `format` HS_FORMAT_TEXT or HS_FORMAT_JSON (hs_print.h). Text output
 * of --top and --leaks starts with the summary line
 * "Live: N objects, B bytes; garbage (unreachable, not counted): N objects, B bytes". */

/* The `count` objects and root groups with the largest retained bytes
 * (then objects), each with shallow size, retained bytes and objects, name
 * (OID name, allocation site) and one shortest path from a root. */
int hs_report_top(FILE *out, const hs_context *context, uint64_t count, enum hs_format format, hs_error *err);

/* The object's retained bytes and objects and its chain of immediate
 * dominators up to the virtual root. A garbage object is reported as such. */
int hs_report_retained(FILE *out, const hs_context *context, hs_node object, uint64_t offset, enum hs_format format,
                       hs_error *err);

/* One leak suspect (see hs_find_leak_suspects). */
typedef struct hs_leak_suspect {
    hs_dom_node node;            /* an object or a group */
    uint64_t retained_bytes;
    uint32_t retained_objects;
    uint64_t own_bytes;          /* retained bytes not inside a suspect below it */
    hs_node accumulation;        /* the object of its subtree with the most dominator children, or HS_NO_NODE */
    uint32_t accumulation_children;
    uint64_t children_bytes;     /* retained bytes of those children together */
    uint64_t child_min_bytes, child_max_bytes;
    hs_dom_node chain_top;       /* highest of the dominators above it left out for it (HS_NO_NODE: none) */
    uint32_t chain_length;       /* how many were left out */
} hs_leak_suspect;

/* Leak suspects. Candidates are the dom nodes retaining at least `percent`
 * % of the live heap (T bytes). A candidate is left out when one of its
 * dominator children is a candidate retaining less than T bytes less than
 * it (nearly the same: of a dominator chain only the deepest candidate is
 * kept), or when what it retains besides the suspects kept below it is
 * under T bytes (a node holding several suspects and little else). Sorted
 * by own_bytes, then retained bytes, largest first. With typing (may be
 * NULL), a container's parts (a map's tables and groups, a channel's
 * buffer: hs_typing_is_container_part) are never suspects: what they
 * retain counts for the container. *suspects is malloc'd (NULL when *count
 * is 0); the caller frees it. percent must be in (0, 100]. */
struct hs_typing;
int hs_find_leak_suspects(const hs_dominators *d, const struct hs_typing *typing, double percent,
                          hs_leak_suspect **suspects, uint32_t *count, hs_error *err);

/* The leak-suspects report: each suspect with its share, its path from a
 * root, the highest dominator left out above it (said to retain "nearly as
 * much" only when it keeps at most 10 % of the suspect's bytes besides it,
 * else with the bytes it keeps besides) and its accumulation point. */
int hs_report_leaks(FILE *out, const hs_context *context, double percent, enum hs_format format, hs_error *err);

#endif
