/* dominator.c — dominator tree of the heap graph (iterative semi-NCA) under a virtual root of root groups; retained sizes. */
#include "hs_dominator.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "output.h"
#include "search.h"

static inline uint32_t position_value(const uint32_t *position)
{
    return *position;
}

HS_DEFINE_SEARCH(positions, uint32_t, uint32_t, position_value)

#define NONE UINT32_MAX

/* The extended graph the algorithm runs on: node 0 is the virtual root,
 * 1 .. G the root groups, G+1 .. G+object_count the objects. Edges:
 * virtual root -> every group, group -> the objects its slots point to
 * (group_start/group_target), object -> heap->out_target. Predecessors of
 * an object are the objects among heap->in_source plus its groups: the
 * (target, group) pairs sorted by target, found by a binary search for the
 * objects that has_group_pred marks (root nodes in in_source are left out:
 * their edges come through their group). Nothing here is per object but
 * that bitmap. */
typedef struct graph {
    const hs_heap *heap;
    uint32_t groups, objects, nodes;
    uint32_t *group_start; /* groups+1 */
    uint32_t *group_target;
    struct group_edge *group_pred; /* sorted by target, then group */
    uint32_t group_pred_count;
    uint8_t *has_group_pred; /* bit per object */
} graph;

/* One (group, target) edge while collecting. */
typedef struct group_edge {
    uint32_t group, target;
} group_edge;

typedef struct collector {
    hs_dominators *d;
    const hs_heap *heap;
    const hs_symbols *symbols;
    const uint32_t *goroutine_key; /* per goroutine: the group of goroutines it shares a root group with, or NULL */
    uint32_t goroutine_key_count;
    uint64_t group_capacity, edge_capacity, edge_count;
    group_edge *edges;
    uint32_t *symbol_group;  /* symbol index -> group, NONE when not yet made */
    uint32_t leftover_group; /* group for unsymbolized slots of the current segment */
    hs_node current_root;
    int failed;
} collector;

static int nomem(hs_error *err, const hs_heap *heap, const char *what)
{
    return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory while %s", heap->dump->name, what);
}

static uint32_t add_group(collector *c, enum hs_group_kind kind, hs_node root, uint64_t address)
{
    hs_dominators *d = c->d;
    if (d->group_count >= UINT32_MAX - 2 ||
        HS_ARRAY_RESERVE(d->groups, &c->group_capacity, (uint64_t)d->group_count + 1) < 0) {
        c->failed = 1;
        return NONE;
    }
    d->groups[d->group_count] = (hs_root_group){.kind = kind, .root = root, .root_count = 1, .goroutine = NONE,
                                                .goroutine_key = NONE, .last_goroutine = NONE, .address = address};
    return d->group_count++;
}

static int add_edge(collector *c, uint32_t group, uint32_t target)
{
    if (HS_ARRAY_RESERVE(c->edges, &c->edge_capacity, c->edge_count + 1) < 0) {
        c->failed = 1;
        return -1;
    }
    c->edges[c->edge_count++] = (group_edge){group, target};
    return 0;
}

/* Adds every heap edge of a root node to group. */
static int add_root_edges(collector *c, uint32_t group, hs_node root)
{
    const hs_heap *heap = c->heap;
    for (uint64_t e = heap->out_start[root]; e < heap->out_start[root + 1]; e++)
        if (add_edge(c, group, heap->out_target[e]) < 0)
            return -1;
    return 0;
}

/* Slot visitor for a data/BSS segment with symbols: each slot goes to the
 * group of the global covering it, or of the global pointing at the static
 * covering it. */
static int add_segment_slot(uint64_t slot_offset, uint64_t value, hs_node target, uint64_t target_offset,
                            void *context)
{
    (void)value;
    (void)target_offset;
    collector *c = context;
    const hs_root *root = &c->heap->roots[c->current_root - c->heap->object_count];
    uint64_t symbol_offset;
    const hs_symbol *symbol = hs_symbols_find(c->symbols, root->address + slot_offset, &symbol_offset);
    const hs_static *in_static = symbol ? NULL : hs_symbols_find_static(c->symbols, root->address + slot_offset, NULL);
    if (in_static)
        symbol = in_static->global;
    uint32_t group;
    if (symbol) {
        uint64_t index = (uint64_t)(symbol - c->symbols->symbols);
        group = c->symbol_group[index];
        if (group == NONE) {
            group = add_group(c, HS_GROUP_GLOBAL, c->current_root, symbol->address);
            if (group == NONE)
                return 1;
            c->d->groups[group].symbol = symbol;
            c->symbol_group[index] = group;
        } else if (c->d->groups[group].root != c->current_root) {
            c->d->groups[group].root_count++; /* a symbol straddling two segment records */
        }
    } else {
        if (c->leftover_group == NONE) {
            c->leftover_group = add_group(c, HS_GROUP_SEGMENT, c->current_root, root->address);
            if (c->leftover_group == NONE)
                return 1;
        }
        group = c->leftover_group;
    }
    return add_edge(c, group, target) < 0 ? 1 : 0;
}

/* Makes the root groups and their edges, in root order. */
static int collect_groups(collector *c, hs_error *err)
{
    const hs_heap *heap = c->heap;
    /* Root groups of goroutines: one per goroutine, or one per group of
     * goroutines (same stack and creator) when the caller gives them. */
    uint32_t *goroutine_group = NULL;
    uint32_t keys = c->goroutine_key ? c->goroutine_key_count : heap->goroutine_count;
    if (keys) {
        goroutine_group = malloc((size_t)keys * sizeof *goroutine_group);
        if (!goroutine_group)
            return nomem(err, heap, "grouping roots");
        memset(goroutine_group, 0xff, (size_t)keys * sizeof *goroutine_group);
    }
    if (c->symbols && c->symbols->count) {
        c->symbol_group = malloc((size_t)c->symbols->count * sizeof *c->symbol_group);
        if (!c->symbol_group) {
            free(goroutine_group);
            return nomem(err, heap, "grouping roots");
        }
        memset(c->symbol_group, 0xff, (size_t)c->symbols->count * sizeof *c->symbol_group);
    }
    for (uint32_t r = 0; r < heap->root_count && !c->failed; r++) {
        const hs_root *root = &heap->roots[r];
        hs_node node = heap->object_count + r;
        uint32_t group = NONE;
        switch (root->kind) {
        case HS_ROOT_DATA:
        case HS_ROOT_BSS:
            if (c->symbol_group) {
                c->current_root = node;
                c->leftover_group = NONE;
                hs_heap_visit_slots(heap, node, 0, add_segment_slot, c);
                continue;
            }
            group = add_group(c, HS_GROUP_SEGMENT, node, root->address);
            break;
        case HS_ROOT_FRAME:
            if (root->goroutine != UINT32_MAX && root->goroutine < heap->goroutine_count &&
                (!c->goroutine_key || c->goroutine_key[root->goroutine] < keys)) {
                uint32_t key = c->goroutine_key ? c->goroutine_key[root->goroutine] : root->goroutine;
                group = goroutine_group[key];
                if (group == NONE) {
                    group = add_group(c, HS_GROUP_GOROUTINE, node, heap->goroutines[root->goroutine].address);
                    if (group == NONE)
                        break;
                    c->d->groups[group].goroutine = root->goroutine;
                    c->d->groups[group].goroutine_key = c->goroutine_key ? key : UINT32_MAX;
                    goroutine_group[key] = group;
                } else {
                    c->d->groups[group].root_count++;
                }
                if (c->d->groups[group].last_goroutine != root->goroutine) {
                    c->d->groups[group].goroutine_count++;
                    c->d->groups[group].last_goroutine = root->goroutine;
                }
            } else {
                group = add_group(c, HS_GROUP_FRAME, node, root->address);
            }
            break;
        case HS_ROOT_FINALIZER:
            group = add_group(c, HS_GROUP_FINALIZER, node, root->address);
            break;
        case HS_ROOT_QUEUED_FINALIZER:
            group = add_group(c, HS_GROUP_QUEUED_FINALIZER, node, root->address);
            break;
        case HS_ROOT_OTHER:
            group = add_group(c, HS_GROUP_OTHER, node, root->address);
            break;
        }
        if (group != NONE)
            add_root_edges(c, group, node);
    }
    free(goroutine_group);
    free(c->symbol_group);
    c->symbol_group = NULL;
    return c->failed ? nomem(err, heap, "grouping roots") : HS_OK;
}

static int compare_group_pred(const void *a, const void *b)
{
    const group_edge *x = a, *y = b;
    if (x->target != y->target)
        return x->target < y->target ? -1 : 1;
    return x->group < y->group ? -1 : x->group > y->group;
}

/* Turns the collected (group, target) pairs into forward CSR arrays, and
 * sorts the pairs themselves by target as the groups' reverse edges. */
static int build_group_edges(graph *g, collector *c, hs_error *err)
{
    if (c->edge_count >= UINT32_MAX)
        return hs_error_set(err, HS_ERR_FORMAT, "%s: %" PRIu64 " root pointer slots are too many to index",
                            g->heap->dump->name, c->edge_count);
    g->group_start = calloc((size_t)g->groups + 1, sizeof *g->group_start);
    g->group_target = malloc((size_t)(c->edge_count ? c->edge_count : 1) * sizeof *g->group_target);
    g->has_group_pred = calloc((size_t)g->objects / 8 + 1, 1);
    if (!g->group_start || !g->group_target || !g->has_group_pred)
        return nomem(err, g->heap, "building root group edges");
    for (uint64_t e = 0; e < c->edge_count; e++) {
        g->group_start[c->edges[e].group + 1]++;
        hs_bit_set(g->has_group_pred, c->edges[e].target);
    }
    for (uint32_t i = 0; i < g->groups; i++)
        g->group_start[i + 1] += g->group_start[i];
    /* A group's edges come in root order but not together (the goroutines
     * of one group are not neighbours): a stable fill keeps slot order. */
    uint32_t *fill = malloc(((size_t)g->groups + 1) * sizeof *fill);
    if (!fill)
        return nomem(err, g->heap, "building root group edges");
    memcpy(fill, g->group_start, ((size_t)g->groups + 1) * sizeof *fill);
    for (uint64_t e = 0; e < c->edge_count; e++)
        g->group_target[fill[c->edges[e].group]++] = c->edges[e].target;
    free(fill);
    if (c->edge_count)
        qsort(c->edges, (size_t)c->edge_count, sizeof *c->edges, compare_group_pred);
    g->group_pred = c->edges;
    g->group_pred_count = (uint32_t)c->edge_count;
    c->edges = NULL;
    return HS_OK;
}

/* The groups whose slots point to object o: group_pred[*begin .. *end). */
static void group_pred_range(const graph *g, hs_node o, uint32_t *begin, uint32_t *end)
{
    *begin = *end = 0;
    if (!hs_bit_test(g->has_group_pred, o))
        return;
    uint32_t low = 0, high = g->group_pred_count;
    while (low < high) {
        uint32_t mid = low + (high - low) / 2;
        if (g->group_pred[mid].target < o)
            low = mid + 1;
        else
            high = mid;
    }
    *begin = low;
    while (low < g->group_pred_count && g->group_pred[low].target == o)
        low++;
    *end = low;
}

/* Working arrays, indexed by DFS preorder number unless said otherwise.
 * Each lives only through the phases that need it, so that the peak is 28
 * bytes per node while the semidominators are found and 32 (the result's 24
 * included) while the result is written. */
typedef struct work {
    uint32_t *number;   /* extended node -> preorder number, NONE when unvisited (DFS, semidominators) */
    uint32_t *vertex;   /* preorder number -> extended node (to the end) */
    uint32_t *parent;   /* DFS tree parent (DFS to immediate dominators) */
    uint32_t *stack;    /* DFS stack of extended nodes; then eval's compression stack */
    uint32_t *cursor;   /* DFS edge cursors (DFS only) */
    uint32_t *semi;     /* semidominator (semidominators, immediate dominators) */
    uint32_t *label;    /* eval label (semidominators) */
    uint32_t *ancestor; /* forest link for eval; then the immediate dominator; then the next free preorder slot */
    uint32_t visited;
} work;

static void release(uint32_t **array)
{
    free(*array);
    *array = NULL;
}

static void free_work(work *w)
{
    release(&w->number);
    release(&w->vertex);
    release(&w->parent);
    release(&w->stack);
    release(&w->cursor);
    release(&w->semi);
    release(&w->label);
    release(&w->ancestor);
}

static uint32_t *node_array(const graph *g)
{
    return malloc((size_t)g->nodes * sizeof(uint32_t));
}

/* Edge range [*begin, *end) of an extended node, in its own edge array. */
static void edge_range(const graph *g, uint32_t x, uint32_t *begin, uint32_t *end)
{
    if (x == 0) {
        *begin = 0;
        *end = g->groups;
    } else if (x <= g->groups) {
        *begin = g->group_start[x - 1];
        *end = g->group_start[x];
    } else {
        hs_node o = x - 1 - g->groups;
        *begin = g->heap->out_start[o];
        *end = g->heap->out_start[o + 1];
    }
}

static uint32_t edge_target(const graph *g, uint32_t x, uint32_t e)
{
    if (x == 0)
        return e + 1;
    if (x <= g->groups)
        return g->group_target[e] + 1 + g->groups;
    return g->heap->out_target[e] + 1 + g->groups;
}

/* Iterative depth-first search from the virtual root: preorder numbers and DFS tree parents. */
static int depth_first(const graph *g, work *w)
{
    w->number = node_array(g);
    w->vertex = node_array(g);
    w->parent = node_array(g);
    w->stack = node_array(g);
    w->cursor = node_array(g);
    if (!w->number || !w->vertex || !w->parent || !w->stack || !w->cursor)
        return -1;
    memset(w->number, 0xff, (size_t)g->nodes * sizeof *w->number);
    uint32_t top = 0, visited = 1, end;
    w->number[0] = 0;
    w->vertex[0] = 0;
    w->parent[0] = 0;
    w->stack[top] = 0;
    edge_range(g, 0, &w->cursor[top], &end);
    top++;
    while (top > 0) {
        uint32_t x = w->stack[top - 1];
        edge_range(g, x, &(uint32_t){0}, &end);
        if (w->cursor[top - 1] >= end) {
            top--;
            continue;
        }
        uint32_t y = edge_target(g, x, w->cursor[top - 1]++);
        if (w->number[y] != NONE)
            continue;
        w->number[y] = visited;
        w->vertex[visited] = y;
        w->parent[visited] = w->number[x];
        visited++;
        w->stack[top] = y;
        edge_range(g, y, &w->cursor[top], &end);
        top++;
    }
    w->visited = visited;
    release(&w->cursor);
    return 0;
}

/* Lengauer–Tarjan EVAL with path compression, iteratively: the vertex of
 * minimum semidominator on the forest path above v (v itself for a tree root). */
static uint32_t eval(work *w, uint32_t v)
{
    if (w->ancestor[v] == NONE)
        return v;
    uint32_t top = 0, x = v;
    while (w->ancestor[w->ancestor[x]] != NONE) {
        w->stack[top++] = x;
        x = w->ancestor[x];
    }
    while (top > 0) {
        uint32_t y = w->stack[--top], a = w->ancestor[y];
        if (w->semi[w->label[a]] < w->semi[w->label[y]])
            w->label[y] = w->label[a];
        w->ancestor[y] = w->ancestor[a];
    }
    return w->label[v];
}

static int semidominators(const graph *g, work *w)
{
    const hs_heap *heap = g->heap;
    w->semi = node_array(g);
    w->label = node_array(g);
    w->ancestor = node_array(g);
    if (!w->semi || !w->label || !w->ancestor)
        return -1;
    for (uint32_t i = 0; i < w->visited; i++) {
        w->semi[i] = i;
        w->label[i] = i;
        w->ancestor[i] = NONE;
    }
    for (uint32_t i = w->visited - 1; i >= 1; i--) {
        uint32_t x = w->vertex[i];
        if (x <= g->groups) {
            w->semi[i] = 0; /* only the virtual root points to a group */
        } else {
            hs_node o = x - 1 - g->groups;
            for (uint64_t e = heap->in_start[o]; e < heap->in_start[o + 1]; e++) {
                uint32_t source = heap->in_source[e];
                if (source >= heap->object_count)
                    continue; /* a root: counted through its group */
                uint32_t v = w->number[source + 1 + g->groups];
                if (v == NONE)
                    continue;
                uint32_t u = eval(w, v);
                if (w->semi[u] < w->semi[i])
                    w->semi[i] = w->semi[u];
            }
            uint32_t begin, end;
            group_pred_range(g, o, &begin, &end);
            for (uint32_t e = begin; e < end; e++) {
                uint32_t u = eval(w, w->number[g->group_pred[e].group + 1]);
                if (w->semi[u] < w->semi[i])
                    w->semi[i] = w->semi[u];
            }
        }
        w->ancestor[i] = w->parent[i];
    }
    release(&w->number);
    release(&w->label);
    release(&w->stack);
    return 0;
}

/* Semi-NCA: the immediate dominator is the nearest common ancestor, in the
 * dominator tree built so far, of the DFS parent and the semidominator. */
static void immediate_dominators(work *w)
{
    uint32_t *idom = w->ancestor;
    idom[0] = 0;
    for (uint32_t i = 1; i < w->visited; i++)
        idom[i] = w->parent[i];
    for (uint32_t i = 1; i < w->visited; i++)
        while (idom[i] > w->semi[i])
            idom[i] = idom[idom[i]];
    release(&w->parent);
    release(&w->semi);
}

/* The dom node of an extended node (HS_DOM_ROOT for the virtual root). */
static hs_dom_node dom_node(const graph *g, const hs_dominators *d, uint32_t x)
{
    if (x == 0)
        return HS_DOM_ROOT;
    return x <= g->groups ? d->object_count + (x - 1) : x - 1 - g->groups;
}

static int allocate_result(hs_dominators *d)
{
    size_t n = d->object_count ? d->object_count : 1;
    size_t nodes = (size_t)d->object_count + d->group_count + 1;
    d->idom = malloc(n * sizeof *d->idom);
    d->retained_bytes = calloc(n, sizeof *d->retained_bytes);
    d->retained_objects = calloc(n, sizeof *d->retained_objects);
    d->preorder = malloc(nodes * sizeof *d->preorder);
    d->position = malloc(nodes * sizeof *d->position);
    if (!d->idom || !d->retained_bytes || !d->retained_objects || !d->preorder || !d->position)
        return -1;
    memset(d->idom, 0xff, n * sizeof *d->idom);
    memset(d->position, 0xff, nodes * sizeof *d->position);
    return 0;
}

/* Adds what dom node x retains into the dom node p above it (the totals for HS_DOM_ROOT). */
static void add_retained(hs_dominators *d, hs_dom_node p, uint64_t bytes, uint32_t objects)
{
    if (p == HS_DOM_ROOT) {
        d->live_bytes += bytes;
        d->live_objects += objects;
    } else if (p < d->object_count) {
        d->retained_bytes[p] += bytes;
        d->retained_objects[p] += objects;
    } else {
        d->groups[p - d->object_count].retained_bytes += bytes;
        d->groups[p - d->object_count].retained_objects += objects;
    }
}

/* The result, by dom node: immediate dominators and retained sizes bottom
 * up (reverse preorder of the DFS), then the dominator tree's preorder top
 * down, each node's slot taken from the next free slot under its idom. */
static void write_result(const graph *g, work *w, hs_dominators *d)
{
    uint32_t *idom = w->ancestor;
    for (uint32_t i = 1; i < w->visited; i++) {
        hs_dom_node node = dom_node(g, d, w->vertex[i]);
        if (node < d->object_count) {
            d->idom[node] = dom_node(g, d, w->vertex[idom[i]]);
            d->retained_bytes[node] = hs_object_slot_size(g->heap, node);
            d->retained_objects[node] = 1;
        }
    }
    for (uint32_t i = w->visited - 1; i >= 1; i--) {
        hs_dom_node node = dom_node(g, d, w->vertex[i]);
        if (node < d->object_count)
            add_retained(d, dom_node(g, d, w->vertex[idom[i]]), d->retained_bytes[node], d->retained_objects[node]);
        else
            add_retained(d, HS_DOM_ROOT, hs_dom_group(d, node)->retained_bytes, hs_dom_group(d, node)->retained_objects);
    }
    /* idom[i] becomes next[i], the next free slot under i: read idom[i]
     * before writing next[i]; idom[i] < i is already a next. */
    uint32_t *next = idom;
    next[0] = 0;
    for (uint32_t i = 1; i < w->visited; i++) {
        uint32_t p = idom[i];
        uint32_t slot = next[p];
        hs_dom_node node = dom_node(g, d, w->vertex[i]);
        next[p] += hs_dominators_subtree_size(d, node);
        next[i] = slot + 1;
        d->preorder[slot] = node;
        d->position[node] = slot;
    }
    d->preorder_count = w->visited - 1;
}

int hs_dominators_build(const hs_heap *heap, const hs_symbols *symbols, hs_dominators **out, hs_error *err)
{
    return hs_dominators_build_grouped(heap, symbols, NULL, 0, out, err);
}

int hs_dominators_build_grouped(const hs_heap *heap, const hs_symbols *symbols, const uint32_t *goroutine_key,
                                uint32_t key_count, hs_dominators **out, hs_error *err)
{
    *out = NULL;
    hs_dominators *d = calloc(1, sizeof *d);
    if (!d)
        return nomem(err, heap, "building the dominator tree");
    d->heap = heap;
    d->symbols = symbols;
    d->object_count = heap->object_count;
    collector c = {.d = d, .heap = heap, .symbols = symbols, .goroutine_key = goroutine_key,
                   .goroutine_key_count = key_count};
    graph g = {.heap = heap, .objects = heap->object_count};
    work w = {0};
    int status = collect_groups(&c, err);
    if (status < 0)
        goto done;
    g.groups = d->group_count;
    if ((uint64_t)heap->object_count + d->group_count + 1 >= HS_DOM_ROOT) {
        status = hs_error_set(err, HS_ERR_FORMAT, "%s: %" PRIu32 " objects and %" PRIu32
                              " root groups are too many to number in 32 bits",
                              heap->dump->name, heap->object_count, d->group_count);
        goto done;
    }
    g.nodes = 1 + g.groups + g.objects;
    status = build_group_edges(&g, &c, err);
    if (status < 0)
        goto done;
    if (depth_first(&g, &w) < 0 || semidominators(&g, &w) < 0) {
        status = nomem(err, heap, "building the dominator tree");
        goto done;
    }
    immediate_dominators(&w);
    free(g.has_group_pred);
    g.has_group_pred = NULL;
    if (allocate_result(d) < 0) {
        status = nomem(err, heap, "building the dominator tree");
        goto done;
    }
    write_result(&g, &w, d);
    for (uint32_t o = 0; o < heap->object_count; o++)
        if (d->position[o] == NONE && !(heap->flags[o] & HS_OBJECT_SPAN_TAIL)) {
            d->garbage_objects++;
            d->garbage_bytes += hs_object_slot_size(heap, o);
        }
done:
    free(c.edges);
    free(g.group_start);
    free(g.group_target);
    free(g.group_pred);
    free(g.has_group_pred);
    free_work(&w);
    if (status < 0) {
        hs_dominators_free(d);
        return status;
    }
    *out = d;
    return HS_OK;
}

void hs_dominators_free(hs_dominators *d)
{
    if (!d)
        return;
    free(d->groups);
    free(d->idom);
    free(d->retained_bytes);
    free(d->retained_objects);
    free(d->preorder);
    free(d->position);
    free(d);
}

hs_dom_node hs_dominators_idom(const hs_dominators *d, hs_dom_node node)
{
    if (node < d->object_count)
        return d->idom[node];
    if (hs_dom_is_group(d, node))
        return HS_DOM_ROOT;
    return HS_NO_NODE;
}

uint64_t hs_dominators_retained_bytes(const hs_dominators *d, hs_dom_node node)
{
    if (node < d->object_count)
        return d->retained_bytes[node];
    if (hs_dom_is_group(d, node))
        return hs_dom_group(d, node)->retained_bytes;
    if (node == HS_DOM_ROOT)
        return d->live_bytes;
    return 0;
}

uint32_t hs_dominators_retained_objects(const hs_dominators *d, hs_dom_node node)
{
    if (node < d->object_count)
        return d->retained_objects[node];
    if (hs_dom_is_group(d, node))
        return hs_dom_group(d, node)->retained_objects;
    if (node == HS_DOM_ROOT)
        return (uint32_t)d->live_objects;
    return 0;
}

uint64_t hs_dominators_shallow_bytes(const hs_dominators *d, hs_dom_node node)
{
    return node < d->object_count ? hs_object_slot_size(d->heap, node) : 0;
}

uint32_t hs_dominators_subtree_size(const hs_dominators *d, hs_dom_node node)
{
    if (node < d->object_count)
        return d->retained_objects[node];
    if (hs_dom_is_group(d, node))
        return 1 + hs_dom_group(d, node)->retained_objects;
    return 0;
}

uint32_t hs_dominators_group_of(const hs_dominators *d, hs_node object)
{
    if (object >= d->object_count || d->position[object] == NONE || d->group_count == 0)
        return NONE;
    /* Groups are numbered in DFS order, which is also their preorder order. */
    uint32_t p = d->position[object];
    uint32_t above = (uint32_t)positions_first_above(d->position + d->object_count, 0, d->group_count, p);
    uint32_t low = above ? above - 1 : 0; /* the last group starting at or before p */
    /* Objects dominated by the virtual root (reached from several groups)
     * sit after a group's subtree in preorder but belong to none. */
    hs_dom_node group = d->object_count + low;
    if (p >= d->position[group] + hs_dominators_subtree_size(d, group))
        return NONE;
    return low;
}

const char *hs_group_kind_name(enum hs_group_kind kind)
{
    switch (kind) {
    case HS_GROUP_GLOBAL: return "global";
    case HS_GROUP_SEGMENT: return "segment";
    case HS_GROUP_GOROUTINE: return "goroutine";
    case HS_GROUP_FRAME: return "frame";
    case HS_GROUP_FINALIZER: return "finalizer";
    case HS_GROUP_QUEUED_FINALIZER: return "queuedfinalizer";
    case HS_GROUP_OTHER: return "otherroot";
    }
    return "unknown";
}

/* "main.worker.func1, chan receive": the first frame outside the runtime and the wait reason. */
static void write_goroutine_label(FILE *out, const hs_heap *heap, const hs_goroutine *go)
{
    /* Its own frame, else (only runtime frames) the outermost. */
    uint32_t own = hs_goroutine_own_frame(heap, go);
    hs_bytes name = {0};
    if (own != UINT32_MAX)
        name = heap->roots[own].name;
    else if (go->first_frame != UINT32_MAX && go->frame_count)
        name = heap->roots[go->first_frame + go->frame_count - 1].name;
    hs_write_text(out, name.data, name.length);
    if (go->wait_reason.length) {
        fputs(", ", out);
        hs_write_text(out, go->wait_reason.data, go->wait_reason.length);
    }
}

void hs_dominators_write_group(FILE *out, const hs_dominators *d, uint32_t group)
{
    const hs_heap *heap = d->heap;
    if (group >= d->group_count) {
        fputs("unknown group", out);
        return;
    }
    const hs_root_group *g = &d->groups[group];
    const hs_root *root = &heap->roots[g->root - heap->object_count];
    switch (g->kind) {
    case HS_GROUP_GLOBAL:
        fputs("global ", out);
        hs_write_text(out, (const uint8_t *)g->symbol->name, strlen(g->symbol->name));
        break;
    case HS_GROUP_SEGMENT:
        fprintf(out, "%s segment 0x%" PRIx64, root->kind == HS_ROOT_DATA ? "data" : "bss", g->address);
        if (d->symbols)
            fputs(" (slots outside any symbol)", out);
        break;
    case HS_GROUP_GOROUTINE: {
        const hs_goroutine *go = &heap->goroutines[g->goroutine];
        if (g->goroutine_count > 1) {
            /* A group of goroutines with one stack: named by its first frame outside the runtime. */
            fprintf(out, "%" PRIu32 " goroutines like goroutine %" PRIu64 " (", g->goroutine_count, go->goid);
            write_goroutine_label(out, heap, go);
            fputc(')', out);
            break;
        }
        fprintf(out, "goroutine %" PRIu64 " (", go->goid);
        write_goroutine_label(out, heap, go);
        fprintf(out, ", %" PRIu32 " frame%s)", go->frame_count, go->frame_count == 1 ? "" : "s");
        break;
    }
    case HS_GROUP_FRAME:
        fputs("frame ", out);
        hs_write_text(out, root->name.data, root->name.length);
        fprintf(out, " @ 0x%" PRIx64 " (unknown goroutine)", root->address);
        break;
    case HS_GROUP_FINALIZER:
        fprintf(out, "finalizer for 0x%" PRIx64, g->address);
        break;
    case HS_GROUP_QUEUED_FINALIZER:
        fprintf(out, "queued finalizer for 0x%" PRIx64, g->address);
        break;
    case HS_GROUP_OTHER:
        fputs("other root: ", out);
        hs_write_text(out, root->name.data, root->name.length);
        break;
    }
}

void hs_dominators_write_json(FILE *out, const hs_dominators *d, hs_node object)
{
    if (object < d->object_count && d->idom[object] != HS_NO_NODE)
        fprintf(out, "\"retained\":{\"bytes\":%" PRIu64 ",\"objects\":%" PRIu32 "}", d->retained_bytes[object],
                d->retained_objects[object]);
    else
        fputs("\"retained\":{\"bytes\":0,\"objects\":0,\"garbage\":true}", out);
}

void hs_dominators_write_text(FILE *out, const hs_dominators *d, hs_node object)
{
    if (object < d->object_count && d->idom[object] != HS_NO_NODE)
        fprintf(out, "retains %" PRIu64 " bytes in %" PRIu32 " object%s", d->retained_bytes[object],
                d->retained_objects[object], d->retained_objects[object] == 1 ? "" : "s");
    else
        fputs("garbage (no root reaches it)", out);
}

const char *hs_dominators_label(const hs_dominators *d, hs_node object, char *buffer, size_t size)
{
    if (size == 0)
        return buffer;
    if (object < d->object_count && d->idom[object] != HS_NO_NODE) {
        char human[32];
        snprintf(buffer, size, "retains %s / %" PRIu32 " obj",
                 hs_human_size(d->retained_bytes[object], human, sizeof human), d->retained_objects[object]);
    } else {
        snprintf(buffer, size, "garbage");
    }
    return buffer;
}

/* Subtrees are preorder intervals: walking the preorder, an object is
 * dominated by an object of its row exactly when it falls inside the
 * interval of the last undominated one of its row before it. */
int hs_dominators_sum_retained(const hs_dominators *d, const uint32_t *row_of, uint32_t row_count, uint64_t *bytes,
                               uint64_t *objects)
{
    uint64_t *end = calloc(row_count ? row_count : 1, sizeof *end); /* per row: that interval's end */
    if (!end)
        return HS_ERR_NOMEM;
    for (uint32_t p = 0; p < d->preorder_count; p++) {
        hs_dom_node node = d->preorder[p];
        if (node >= d->object_count || row_of[node] >= row_count || p < end[row_of[node]])
            continue; /* a group, an object of no row, or one its row's object dominates */
        uint32_t row = row_of[node];
        end[row] = (uint64_t)p + hs_dominators_subtree_size(d, node);
        bytes[row] += hs_dominators_retained_bytes(d, node);
        objects[row] += hs_dominators_retained_objects(d, node);
    }
    free(end);
    return HS_OK;
}
