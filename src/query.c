/* query.c — what keeps an object alive: address resolution, anchors with shortest paths, owner trees, hexdump. */
#include "hs_query.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "hs_dominator.h"
#include "output.h"
#include "hs_print.h"
#include "hs_sites.h"

#define TEXT HS_FORMAT_TEXT
/* Owner trees indent two spaces a level up to this depth, then say the level. */
#define MAX_INDENT_LEVEL 32

int hs_resolve_address(const hs_heap *heap, uint64_t address, hs_node *object, uint64_t *offset, hs_error *err)
{
    *object = hs_heap_find(heap, address, offset);
    if (*object != HS_NO_NODE)
        return HS_OK;
    hs_node below, above;
    hs_heap_neighbours(heap, address, &below, &above);
    char below_text[96] = "none", above_text[96] = "none";
    if (below != HS_NO_NODE)
        snprintf(below_text, sizeof below_text, "0x%" PRIx64 " (%" PRIu64 " bytes, ends at 0x%" PRIx64 ")",
                 heap->objects[below].address, heap->objects[below].size,
                 heap->objects[below].address + heap->objects[below].size);
    if (above != HS_NO_NODE)
        snprintf(above_text, sizeof above_text, "0x%" PRIx64 " (%" PRIu64 " bytes)", heap->objects[above].address,
                 heap->objects[above].size);
    return hs_error_set(err, HS_ERR_NOTFOUND,
                        "%s: no object covers address 0x%" PRIx64 "; nearest below: %s; nearest above: %s",
                        heap->dump->name, address, below_text, above_text);
}

/* ---- the slot of an edge ---- */

/* A node with at most this many pointer edges is scanned for the slot of an
 * edge; a larger one is scanned the first time one is asked for and has its
 * slots indexed by target the second time, so that asking for each of its
 * N edges costs N log N, not N², and asking for one costs N. */
#define SLOT_SCAN_MAX 32

typedef struct slot_entry {
    hs_node target;
    uint32_t order; /* position among the node's slots: of several into one target, the first is the slot */
    uint64_t slot, offset;
} slot_entry;

/* What is kept of an indexed node: where its sorted entries are in
 * slot_index.entries, and its description once written (owner listings). */
typedef struct slot_bucket {
    hs_node node; /* HS_NO_NODE: empty */
    uint32_t count;
    uint64_t first;
    uint64_t text_start;
    uint64_t text_length; /* UINT64_MAX until written */
} slot_bucket;

/* The slots of the large nodes asked about so far, by target: 24 bytes per
 * pointer edge of those nodes. When memory runs out, lookups scan instead. */
typedef struct slot_index {
    const hs_heap *heap;
    slot_bucket *buckets;
    uint32_t bucket_mask; /* size - 1, a power of two; 0 before the first node */
    uint32_t used;
    slot_entry *entries;
    uint64_t entry_count, entry_capacity;
    char *text; /* the descriptions kept */
    uint64_t text_length, text_capacity;
    int failed;
} slot_index;

static void slot_index_init(slot_index *x, const hs_heap *heap)
{
    memset(x, 0, sizeof *x);
    x->heap = heap;
}

static void slot_index_free(slot_index *x)
{
    free(x->buckets);
    free(x->entries);
    free(x->text);
}

/* Finds the first slot of `from` that points into `to`. */
typedef struct slot_match {
    hs_node to;
    uint64_t slot, offset;
    int found;
} slot_match;

static int match_slot(uint64_t slot, uint64_t value, hs_node target, uint64_t target_offset, void *context)
{
    (void)value;
    slot_match *m = context;
    if (target != m->to)
        return 0;
    m->slot = slot;
    m->offset = target_offset;
    m->found = 1;
    return 1;
}

static void scan_slot(const hs_heap *heap, hs_node from, hs_node to, uint64_t *slot, uint64_t *offset)
{
    if (from < heap->object_count && to < heap->object_count) {
        /* An object's words: only a value inside to's slot can land in it,
         * so most are passed over without a lookup. */
        *slot = *offset = 0;
        if (heap->flags[from] & HS_OBJECT_SPAN_TAIL)
            return;
        uint64_t low = hs_object_slot_address(heap, to), high = low + hs_object_slot_size(heap, to), at;
        const uint8_t *bytes = hs_object_contents(heap, from);
        hs_field_iter iter;
        hs_object_fields_begin(heap, from, &iter);
        while (hs_fields_next(&iter, &at)) {
            uint64_t value = hs_heap_word(heap, bytes, at), target_offset;
            if (value < low || value - low >= high - low)
                continue;
            if (hs_heap_find(heap, value, &target_offset) == to) {
                *slot = at;
                *offset = target_offset;
                return;
            }
        }
        return;
    }
    slot_match m = {.to = to};
    hs_heap_visit_slots(heap, from, 0, match_slot, &m);
    *slot = m.slot;
    *offset = m.offset;
}

typedef struct entry_collector {
    slot_index *x;
    uint32_t order;
} entry_collector;

static int collect_entry(uint64_t slot, uint64_t value, hs_node target, uint64_t target_offset, void *context)
{
    (void)value;
    entry_collector *c = context;
    slot_index *x = c->x;
    if (HS_ARRAY_RESERVE(x->entries, &x->entry_capacity, x->entry_count + 1) < 0)
        return 1;
    x->entries[x->entry_count++] = (slot_entry){target, c->order++, slot, target_offset};
    return 0;
}

static int compare_entries(const void *a, const void *b)
{
    const slot_entry *x = a, *y = b;
    if (x->target != y->target)
        return x->target < y->target ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

static inline uint32_t node_hash(hs_node node)
{
    return (uint32_t)(((uint64_t)node * 0x9e3779b97f4a7c15u) >> 32);
}

/* Doubles the bucket table (or makes the first one). */
static int grow_buckets(slot_index *x)
{
    uint32_t size = x->bucket_mask ? 2 * (x->bucket_mask + 1) : 64;
    if (size == 0)
        return -1;
    slot_bucket *buckets = malloc((size_t)size * sizeof *buckets);
    if (!buckets)
        return -1;
    for (uint32_t i = 0; i < size; i++)
        buckets[i].node = HS_NO_NODE;
    for (uint32_t i = 0; x->bucket_mask && i <= x->bucket_mask; i++) {
        if (x->buckets[i].node == HS_NO_NODE)
            continue;
        uint32_t at = node_hash(x->buckets[i].node) & (size - 1);
        while (buckets[at].node != HS_NO_NODE)
            at = (at + 1) & (size - 1);
        buckets[at] = x->buckets[i];
    }
    free(x->buckets);
    x->buckets = buckets;
    x->bucket_mask = size - 1;
    return 0;
}

/* The bucket of a node, or NULL when it has none. */
static slot_bucket *find_bucket(const slot_index *x, hs_node node)
{
    if (!x->bucket_mask)
        return NULL;
    for (uint32_t at = node_hash(node) & x->bucket_mask; x->buckets[at].node != HS_NO_NODE;
         at = (at + 1) & x->bucket_mask)
        if (x->buckets[at].node == node)
            return &x->buckets[at];
    return NULL;
}

/* A new bucket for node, not indexed yet (first UINT64_MAX); NULL when out
 * of memory. Valid until the next call. */
static slot_bucket *add_bucket(slot_index *x, hs_node node)
{
    /* Keep the table at most half full. */
    if ((!x->bucket_mask || 2 * ((uint64_t)x->used + 1) > (uint64_t)x->bucket_mask + 1) && grow_buckets(x) < 0)
        return NULL;
    uint32_t at = node_hash(node) & x->bucket_mask;
    while (x->buckets[at].node != HS_NO_NODE)
        at = (at + 1) & x->bucket_mask;
    x->buckets[at] = (slot_bucket){node, 0, UINT64_MAX, 0, UINT64_MAX};
    x->used++;
    return &x->buckets[at];
}

/* The bucket of an indexed node, indexing it first; NULL when out of memory.
 * Valid until the next call. */
static slot_bucket *indexed_node(slot_index *x, hs_node node)
{
    slot_bucket *bucket = find_bucket(x, node);
    if (!bucket && !(bucket = add_bucket(x, node)))
        return NULL;
    if (bucket->first != UINT64_MAX)
        return bucket;
    uint64_t first = x->entry_count;
    entry_collector c = {.x = x};
    if (hs_heap_visit_slots(x->heap, node, 0, collect_entry, &c) != 0 || x->entry_count - first > UINT32_MAX) {
        x->entry_count = first;
        return NULL;
    }
    qsort(x->entries + first, x->entry_count - first, sizeof *x->entries, compare_entries);
    bucket->count = (uint32_t)(x->entry_count - first);
    bucket->first = first;
    return bucket;
}

static int is_large(const slot_index *x, hs_node node)
{
    const hs_heap *heap = x->heap;
    return !x->failed && heap->out_start[node + 1] - heap->out_start[node] > SLOT_SCAN_MAX;
}

/* The bucket of a node with more than SLOT_SCAN_MAX pointer edges, or NULL. */
static slot_bucket *large_node(slot_index *x, hs_node node)
{
    if (!is_large(x, node))
        return NULL;
    slot_bucket *bucket = indexed_node(x, node);
    x->failed = bucket == NULL;
    return bucket;
}

/* The first slot of `from` that points into `to`, and how far into `to` it
 * lands (both 0 when none does). A large node asked about for the first
 * time is scanned (a path through it asks once); the second time, its
 * slots are indexed. */
static void find_slot(slot_index *x, hs_node from, hs_node to, uint64_t *slot, uint64_t *offset)
{
    const hs_heap *heap = x->heap;
    const slot_bucket *bucket = NULL;
    if (is_large(x, from)) {
        if (find_bucket(x, from))
            bucket = large_node(x, from);
        else
            x->failed = add_bucket(x, from) == NULL;
    }
    if (!bucket) {
        scan_slot(heap, from, to, slot, offset);
        return;
    }
    const slot_entry *entries = x->entries + bucket->first;
    uint32_t low = 0, high = bucket->count;
    while (low < high) {
        uint32_t mid = low + (high - low) / 2;
        if (entries[mid].target < to)
            low = mid + 1;
        else
            high = mid;
    }
    if (low < bucket->count && entries[low].target == to) {
        *slot = entries[low].slot;
        *offset = entries[low].offset;
    } else {
        *slot = *offset = 0;
    }
}

/* ---- breadth-first search from the target over reverse edges ---- */

typedef struct search {
    const hs_heap *heap;
    /* Per object: 1 + the object it points to toward the target; 0 if
     * unvisited, so that calloc's untouched zero pages cost no memory and a
     * search that visits few objects touches few pages. */
    uint32_t *next_hop_plus_1;
    uint32_t *distance;   /* per visited object: its hops to the target (untouched pages cost nothing either) */
    uint32_t *queue;      /* visited objects in BFS order; grows with the owners found */
    uint64_t queue_capacity;
    uint32_t *roots;      /* root nodes reached, in BFS order */
    uint8_t *root_seen;
    uint64_t queue_length, root_count;
    slot_index slots;     /* for the slots of the paths built */
} search;

/* The object `object` points to toward the target, or HS_NO_NODE when unvisited. */
static inline hs_node next_hop(const search *s, hs_node object)
{
    return s->next_hop_plus_1[object] - 1;
}

static inline void set_next_hop(search *s, hs_node object, hs_node hop)
{
    s->next_hop_plus_1[object] = hop + 1;
}

static void search_free(search *s)
{
    free(s->next_hop_plus_1);
    free(s->distance);
    free(s->queue);
    free(s->roots);
    free(s->root_seen);
    slot_index_free(&s->slots);
}

/* Visits every object that can reach target; stops after the first root
 * when first_root_only. */
static int search_run(search *s, const hs_heap *heap, hs_node target, int first_root_only, hs_error *err)
{
    memset(s, 0, sizeof *s);
    s->heap = heap;
    slot_index_init(&s->slots, heap);
    s->next_hop_plus_1 = calloc((size_t)heap->object_count + 1, sizeof *s->next_hop_plus_1);
    s->distance = calloc((size_t)heap->object_count + 1, sizeof *s->distance);
    s->roots = malloc(((size_t)heap->root_count + 1) * sizeof *s->roots);
    s->root_seen = calloc((size_t)heap->root_count + 1, 1);
    if (!s->next_hop_plus_1 || !s->distance || !s->roots || !s->root_seen ||
        HS_ARRAY_RESERVE(s->queue, &s->queue_capacity, 1024) < 0) {
        search_free(s);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory searching owners", heap->dump->name);
    }
    set_next_hop(s, target, target);
    s->queue[s->queue_length++] = target;
    for (uint64_t head = 0; head < s->queue_length; head++) {
        hs_node x = s->queue[head];
        for (uint64_t e = heap->in_start[x]; e < heap->in_start[x + 1]; e++) {
            hs_node source = heap->in_source[e];
            if (source >= heap->object_count) {
                uint32_t r = source - heap->object_count;
                if (!s->root_seen[r]) {
                    s->root_seen[r] = 1;
                    s->roots[s->root_count++] = source;
                    if (first_root_only)
                        return HS_OK;
                }
            } else if (next_hop(s, source) == HS_NO_NODE) {
                if (HS_ARRAY_RESERVE(s->queue, &s->queue_capacity, s->queue_length + 1) < 0) {
                    search_free(s);
                    return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory searching owners", heap->dump->name);
                }
                set_next_hop(s, source, x);
                s->distance[source] = s->distance[x] + 1;
                s->queue[s->queue_length++] = source;
            }
        }
    }
    return HS_OK;
}

/* Appends the steps from `first` (an object reached from a root slot) to
 * the target. */
static int append_path(search *s, hs_node first, hs_node target, hs_path_step **steps, uint64_t *count,
                       uint64_t *capacity)
{
    hs_node node = first;
    for (;;) {
        if (HS_ARRAY_RESERVE(*steps, capacity, *count + 1) < 0)
            return HS_ERR_NOMEM;
        hs_path_step *step = &(*steps)[(*count)++];
        step->node = node;
        step->slot_offset = step->target_offset = 0;
        if (node == target)
            return HS_OK;
        find_slot(&s->slots, node, next_hop(s, node), &step->slot_offset, &step->target_offset);
        node = next_hop(s, node);
    }
}

/* ---- anchors: finding and grouping ---- */

/* A root slot from which the target is reachable, while anchors are made. */
typedef struct anchor_slot {
    hs_node root;
    hs_node first; /* the object the slot points into */
    uint32_t hops; /* from first to the target */
    enum hs_anchor_kind kind;
    uint64_t key;  /* with kind (and root, for a stretch): its anchor's symbol, stretch start, goroutine or root */
    uint64_t slot_offset, target_offset, slot_address;
} anchor_slot;

typedef struct slot_collector {
    const search *s;
    hs_node root;
    anchor_slot *slots;
    uint64_t count, capacity;
    int failed;
} slot_collector;

static int collect_anchor_slot(uint64_t slot, uint64_t value, hs_node target, uint64_t target_offset, void *context)
{
    (void)value;
    slot_collector *c = context;
    if (target == HS_NO_NODE || next_hop(c->s, target) == HS_NO_NODE)
        return 0;
    /* An offset repeated right after itself is dropped here; other repeats once the slots are sorted. */
    if (c->count && c->slots[c->count - 1].root == c->root && c->slots[c->count - 1].slot_offset == slot)
        return 0;
    if (HS_ARRAY_RESERVE(c->slots, &c->capacity, c->count + 1) < 0) {
        c->failed = 1;
        return 1;
    }
    hs_path_step step = {.node = c->root, .slot_offset = slot};
    c->slots[c->count++] = (anchor_slot){.root = c->root, .first = target, .hops = c->s->distance[target],
                                         .slot_offset = slot, .target_offset = target_offset,
                                         .slot_address = hs_describe_root_slot_address(c->s->heap, &step)};
    return 0;
}

static int compare_by_slot(const void *x, const void *y)
{
    const anchor_slot *a = x, *b = y;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    return (a->slot_offset > b->slot_offset) - (a->slot_offset < b->slot_offset);
}

/* Sets a slot's anchor; `previous` is the slot before it in root and slot order, or NULL. */
static void assign_anchor(const hs_context *context, anchor_slot *a, const anchor_slot *previous)
{
    const hs_heap *heap = context->heap;
    const hs_root *r = &heap->roots[a->root - heap->object_count];
    if (r->kind == HS_ROOT_DATA || r->kind == HS_ROOT_BSS) {
        uint64_t offset;
        const hs_symbol *symbol = hs_symbols_find(context->symbols, a->slot_address, &offset);
        if (!symbol) {
            const hs_static *in_static = hs_symbols_find_static(context->symbols, a->slot_address, NULL);
            symbol = in_static ? in_static->global : NULL;
        }
        if (symbol) {
            a->kind = HS_ANCHOR_GLOBAL;
            a->key = (uint64_t)(symbol - context->symbols->symbols);
        } else {
            a->kind = HS_ANCHOR_STRETCH;
            int continues = previous && previous->root == a->root && previous->kind == HS_ANCHOR_STRETCH &&
                            previous->slot_address + heap->params.pointer_size == a->slot_address;
            a->key = continues ? previous->key : a->slot_address;
        }
    } else if (r->kind == HS_ROOT_FRAME && r->goroutine != UINT32_MAX) {
        a->kind = HS_ANCHOR_GOROUTINE;
        a->key = r->goroutine;
    } else {
        a->kind = HS_ANCHOR_RECORD;
        a->key = a->root;
    }
}

/* Order of the slots of one anchor together, nearest the target first. */
static int compare_by_anchor(const void *x, const void *y)
{
    const anchor_slot *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    if (a->kind == HS_ANCHOR_STRETCH && a->root != b->root)
        return a->root < b->root ? -1 : 1;
    if (a->hops != b->hops)
        return a->hops < b->hops ? -1 : 1;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    return (a->slot_address > b->slot_address) - (a->slot_address < b->slot_address);
}

static int same_anchor(const anchor_slot *a, const anchor_slot *b)
{
    return a->kind == b->kind && a->key == b->key && (a->kind != HS_ANCHOR_STRETCH || a->root == b->root);
}

/* One anchor while they are ordered: its slot nearest the target, and its run in the sorted slots. */
typedef struct anchor_run {
    const anchor_slot *nearest;
    uint64_t slots;
    uint64_t end; /* a stretch's end */
} anchor_run;

static int compare_runs(const void *x, const void *y)
{
    const anchor_slot *a = ((const anchor_run *)x)->nearest, *b = ((const anchor_run *)y)->nearest;
    if (a->hops != b->hops)
        return a->hops < b->hops ? -1 : 1;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    return (a->slot_address > b->slot_address) - (a->slot_address < b->slot_address);
}

/* Groups the collected slots into anchors and builds the paths of the first `limit`. */
static int make_anchors(const hs_context *context, search *s, anchor_slot *slots, uint64_t count, uint64_t limit,
                        hs_anchors *result)
{
    const hs_heap *heap = context->heap;
    if (count == 0)
        return HS_OK;
    qsort(slots, count, sizeof *slots, compare_by_slot);
    uint64_t kept = 0;
    for (uint64_t i = 0; i < count; i++) {
        if (kept && slots[kept - 1].root == slots[i].root && slots[kept - 1].slot_offset == slots[i].slot_offset)
            continue;
        slots[kept] = slots[i];
        assign_anchor(context, &slots[kept], kept ? &slots[kept - 1] : NULL);
        kept++;
    }
    result->slot_count = kept;
    qsort(slots, kept, sizeof *slots, compare_by_anchor);
    uint64_t run_count = 0;
    for (uint64_t i = 0; i < kept; i++)
        run_count += i == 0 || !same_anchor(&slots[i - 1], &slots[i]);
    anchor_run *runs = malloc((size_t)run_count * sizeof *runs);
    if (!runs)
        return HS_ERR_NOMEM;
    run_count = 0;
    for (uint64_t i = 0; i < kept; i++) {
        if (i == 0 || !same_anchor(&slots[i - 1], &slots[i]))
            runs[run_count++] = (anchor_run){.nearest = &slots[i]};
        anchor_run *run = &runs[run_count - 1];
        run->slots++;
        uint64_t end = slots[i].slot_address + heap->params.pointer_size;
        run->end = end > run->end ? end : run->end;
    }
    qsort(runs, run_count, sizeof *runs, compare_runs);
    uint64_t shown = limit && limit < run_count ? limit : run_count;
    result->total = run_count;
    result->anchors = calloc(shown ? shown : 1, sizeof *result->anchors);
    if (!result->anchors) {
        free(runs);
        return HS_ERR_NOMEM;
    }
    uint64_t step_capacity = 0;
    for (uint64_t i = 0; i < run_count; i++) {
        const anchor_slot *a = runs[i].nearest;
        if (i >= shown) {
            result->omitted_slots += runs[i].slots;
            continue;
        }
        hs_anchor *anchor = &result->anchors[result->count++];
        *anchor = (hs_anchor){.kind = a->kind, .root = a->root, .slot_address = a->slot_address,
                              .slots = runs[i].slots, .goroutine = UINT32_MAX, .path_start = result->step_count};
        if (a->kind == HS_ANCHOR_GLOBAL)
            anchor->symbol = &context->symbols->symbols[a->key];
        else if (a->kind == HS_ANCHOR_GOROUTINE)
            anchor->goroutine = (uint32_t)a->key;
        else if (a->kind == HS_ANCHOR_STRETCH) {
            anchor->start = a->key;
            anchor->end = runs[i].end;
        }
        int status = HS_ARRAY_RESERVE(result->steps, &step_capacity, result->step_count + 1);
        if (status == HS_OK) {
            result->steps[result->step_count++] =
                (hs_path_step){.node = a->root, .slot_offset = a->slot_offset, .target_offset = a->target_offset};
            status = append_path(s, a->first, result->target, &result->steps, &result->step_count, &step_capacity);
        }
        if (status < 0) {
            free(runs);
            return HS_ERR_NOMEM;
        }
        anchor->path_length = (uint32_t)(result->step_count - anchor->path_start);
    }
    free(runs);
    return HS_OK;
}

int hs_find_anchors(const hs_context *context, hs_node target, uint64_t limit, hs_anchors **out, hs_error *err)
{
    const hs_heap *heap = context->heap;
    *out = NULL;
    search s;
    HS_TRY(search_run(&s, heap, target, 0, err));
    hs_anchors *result = calloc(1, sizeof *result);
    slot_collector c = {.s = &s};
    int status = result ? HS_OK : HS_ERR_NOMEM;
    for (uint64_t i = 0; i < s.root_count && status == HS_OK; i++) {
        c.root = s.roots[i];
        hs_heap_visit_slots(heap, c.root, 0, collect_anchor_slot, &c);
        if (c.failed)
            status = HS_ERR_NOMEM;
    }
    if (status == HS_OK) {
        result->target = target;
        status = make_anchors(context, &s, c.slots, c.count, limit, result);
    }
    free(c.slots);
    search_free(&s);
    if (status < 0) {
        hs_anchors_free(result);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory collecting anchors", heap->dump->name);
    }
    *out = result;
    return HS_OK;
}

void hs_anchors_free(hs_anchors *anchors)
{
    if (!anchors)
        return;
    free(anchors->anchors);
    free(anchors->steps);
    free(anchors);
}

/* Picks the root slot of `root` whose target is closest to the target. */
typedef struct best_slot {
    const search *s;
    hs_node target;
    uint64_t slot, offset;
    hs_node first;
    uint32_t hops;
} best_slot;

static int consider_slot(uint64_t slot, uint64_t value, hs_node target, uint64_t target_offset, void *context)
{
    (void)value;
    best_slot *b = context;
    if (target == HS_NO_NODE || next_hop(b->s, target) == HS_NO_NODE)
        return 0;
    uint32_t hops = b->s->distance[target];
    if (b->first == HS_NO_NODE || hops < b->hops) {
        b->first = target;
        b->hops = hops;
        b->slot = slot;
        b->offset = target_offset;
    }
    return 0;
}

int hs_shortest_root_path(const hs_heap *heap, hs_node target, hs_path_step **steps, uint32_t *length,
                          hs_error *err)
{
    *steps = NULL;
    *length = 0;
    search s;
    HS_TRY(search_run(&s, heap, target, 1, err));
    int status = HS_OK;
    if (s.root_count > 0) {
        best_slot b = {.s = &s, .target = target, .first = HS_NO_NODE};
        hs_heap_visit_slots(heap, s.roots[0], 0, consider_slot, &b);
        uint64_t count = 0, capacity = 0;
        hs_path_step *path = NULL;
        if (b.first != HS_NO_NODE &&
            HS_ARRAY_RESERVE(path, &capacity, (uint64_t)b.hops + 2) == HS_OK) {
            path[count++] = (hs_path_step){.node = s.roots[0], .slot_offset = b.slot, .target_offset = b.offset};
            if (append_path(&s, b.first, target, &path, &count, &capacity) == HS_OK) {
                *steps = path;
                *length = (uint32_t)count;
            } else {
                free(path);
                status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory building a root path", heap->dump->name);
            }
        } else if (b.first != HS_NO_NODE) {
            status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory building a root path", heap->dump->name);
        }
    }
    search_free(&s);
    return status;
}

/* ---- shortest paths from all roots ---- */

struct hs_root_paths {
    const hs_heap *heap;
    /* Per object: 1 + the node (object or root) it was first reached from; 0 when no root reaches it. */
    uint32_t *parent_plus_1;
    slot_index slots;
};

/* Marks the unreached targets of node's edges as reached from it and queues them. */
static uint64_t reach_from(hs_root_paths *p, uint32_t *queue, uint64_t length, hs_node node)
{
    const hs_heap *heap = p->heap;
    for (uint64_t e = heap->out_start[node]; e < heap->out_start[node + 1]; e++) {
        hs_node target = heap->out_target[e];
        if (!p->parent_plus_1[target]) {
            p->parent_plus_1[target] = node + 1;
            queue[length++] = target;
        }
    }
    return length;
}

int hs_root_paths_build(const hs_heap *heap, hs_root_paths **out, hs_error *err)
{
    *out = NULL;
    hs_root_paths *p = calloc(1, sizeof *p);
    uint32_t *queue = malloc(((size_t)heap->object_count + 1) * sizeof *queue);
    if (p)
        p->parent_plus_1 = calloc((size_t)heap->object_count + 1, sizeof *p->parent_plus_1);
    if (!p || !queue || !p->parent_plus_1) {
        free(queue);
        if (p)
            free(p->parent_plus_1);
        free(p);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory finding paths from the roots", heap->dump->name);
    }
    p->heap = heap;
    slot_index_init(&p->slots, heap);
    /* Breadth-first from every root at once: the roots' targets first, in root order. */
    uint64_t length = 0;
    for (hs_node root = heap->object_count; root < hs_heap_node_count(heap); root++)
        length = reach_from(p, queue, length, root);
    for (uint64_t head = 0; head < length; head++)
        length = reach_from(p, queue, length, queue[head]);
    free(queue);
    *out = p;
    return HS_OK;
}

int hs_root_paths_get(hs_root_paths *paths, hs_node target, hs_path_step **steps, uint32_t *length, hs_error *err)
{
    const hs_heap *heap = paths->heap;
    *steps = NULL;
    *length = 0;
    if (target >= heap->object_count || !paths->parent_plus_1[target])
        return HS_OK;
    uint32_t count = 1; /* the root */
    for (hs_node x = target; x < heap->object_count; x = paths->parent_plus_1[x] - 1)
        count++;
    hs_path_step *path = malloc((size_t)count * sizeof *path);
    if (!path)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory building a root path", heap->dump->name);
    hs_node x = target;
    for (uint32_t i = count - 1;; i--) {
        path[i] = (hs_path_step){.node = x};
        if (i == 0)
            break;
        x = paths->parent_plus_1[x] - 1;
    }
    for (uint32_t i = 0; i + 1 < count; i++)
        find_slot(&paths->slots, path[i].node, path[i + 1].node, &path[i].slot_offset, &path[i].target_offset);
    *steps = path;
    *length = count;
    return HS_OK;
}

hs_node hs_root_paths_parent(hs_root_paths *paths, hs_node object, hs_path_step *holder)
{
    hs_node parent = object < paths->heap->object_count && paths->parent_plus_1[object]
                         ? paths->parent_plus_1[object] - 1
                         : HS_NO_NODE;
    if (holder) {
        *holder = (hs_path_step){.node = parent};
        if (parent != HS_NO_NODE)
            find_slot(&paths->slots, parent, object, &holder->slot_offset, &holder->target_offset);
    }
    return parent;
}

void hs_root_paths_free(hs_root_paths *paths)
{
    if (!paths)
        return;
    free(paths->parent_plus_1);
    slot_index_free(&paths->slots);
    free(paths);
}

/* ---- helpers of the text listings ---- */

/* Symbol of a data/BSS slot, or NULL. */
static const char *slot_symbol(const hs_context *context, hs_node root, uint64_t slot_address, char *buffer,
                               size_t size)
{
    const hs_root *r = &context->heap->roots[root - context->heap->object_count];
    if (r->kind != HS_ROOT_DATA && r->kind != HS_ROOT_BSS)
        return NULL;
    return hs_symbols_describe(context->symbols, slot_address, buffer, size) ? buffer : NULL;
}

static uint64_t goroutine_id(const hs_heap *heap, const hs_root *r, int *known)
{
    *known = r->kind == HS_ROOT_FRAME && r->goroutine != UINT32_MAX;
    return *known ? heap->goroutines[r->goroutine].goid : 0;
}

/* ---- anchors ---- */

static void write_target_text(FILE *out, const hs_context *context, hs_node target, uint64_t target_offset)
{
    hs_describe_object(out, context, target);
    if (target_offset)
        fprintf(out, " (the address given is at offset +0x%" PRIx64 ")", target_offset);
    fputc('\n', out);
}

/* "    and N more slots of main.cache reach it" for an anchor of several slots. */
static void write_more_slots_text(FILE *out, const hs_context *context, const hs_anchor *a, const hs_root *r)
{
    if (a->slots < 2)
        return;
    uint64_t more = a->slots - 1;
    fprintf(out, "    and %" PRIu64 " more slot%s ", more, more == 1 ? "" : "s");
    switch (a->kind) {
    case HS_ANCHOR_GLOBAL:
        fputs("of ", out);
        hs_write_text(out, (const uint8_t *)a->symbol->name, strlen(a->symbol->name));
        break;
    case HS_ANCHOR_STRETCH:
        fprintf(out, "in %s 0x%" PRIx64 "-0x%" PRIx64 " (consecutive words outside any symbol)",
                hs_root_kind_name(r->kind), a->start, a->end);
        break;
    case HS_ANCHOR_GOROUTINE:
        fprintf(out, "in the frames of goroutine %" PRIu64, context->heap->goroutines[a->goroutine].goid);
        break;
    case HS_ANCHOR_RECORD:
        fprintf(out, "of this %s", r->kind == HS_ROOT_FRAME ? "frame" : "finalizer");
        break;
    }
    fputs(" reach it\n", out);
}

static void write_anchor_text(FILE *out, const hs_context *context, const hs_anchors *anchors, uint64_t index)
{
    const hs_heap *heap = context->heap;
    const hs_anchor *a = &anchors->anchors[index];
    const hs_root *r = &heap->roots[a->root - heap->object_count];
    char symbol[512];
    fprintf(out, "[%" PRIu64 "] %s slot 0x%" PRIx64, index + 1, hs_root_kind_name(r->kind), a->slot_address);
    if (slot_symbol(context, a->root, a->slot_address, symbol, sizeof symbol)) {
        fputs(" (", out);
        hs_write_text_cstring(out, symbol);
        fputc(')', out);
    }
    if (r->kind == HS_ROOT_FRAME) {
        int known;
        uint64_t goid = goroutine_id(heap, r, &known);
        fputs(" in ", out);
        hs_write_text(out, r->name.data, r->name.length);
        if (known)
            fprintf(out, ", goroutine %" PRIu64, goid);
        else
            fputs(", goroutine unknown", out);
    } else if (r->kind == HS_ROOT_QUEUED_FINALIZER) {
        fputs(" (queued finalizer)", out);
    } else if (r->kind == HS_ROOT_FINALIZER) {
        fprintf(out, " (finalizer of object 0x%" PRIx64 "%s)", r->address,
                a->slot_address == r->funcval ? ": its closure" : ": what it points to");
    }
    fputs("\n    ", out);
    hs_describe_root(out, context, a->root);
    fputc('\n', out);
    if (r->kind == HS_ROOT_FRAME) {
        fputs("    stack: ", out);
        hs_describe_frame_stack(out, context, a->root, ", ");
        fputc('\n', out);
    }
    write_more_slots_text(out, context, a, r);
    fprintf(out, "    path (%u objects):\n", a->path_length - 1);
    hs_describe_path_lines(out, context, anchors->steps + a->path_start, a->path_length, "      ");
}

static const char *anchor_kind_name(enum hs_anchor_kind kind)
{
    switch (kind) {
    case HS_ANCHOR_GLOBAL: return "global";
    case HS_ANCHOR_STRETCH: return "stretch";
    case HS_ANCHOR_GOROUTINE: return "goroutine";
    case HS_ANCHOR_RECORD: return "record";
    }
    return "unknown";
}

/* The path shape with "slots", "group" and "stretch" (docs/json.md). */
static void write_anchor_json(FILE *out, const hs_context *json, const hs_anchors *anchors, const hs_anchor *a)
{
    fputc('{', out);
    hs_describe_path_json_members(out, json, anchors->steps + a->path_start, a->path_length);
    fprintf(out, ",\"slots\":%" PRIu64 ",\"group\":\"%s\",\"stretch\":", a->slots, anchor_kind_name(a->kind));
    if (a->kind == HS_ANCHOR_STRETCH)
        fprintf(out, "{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\"}", a->start, a->end);
    else
        fputs("null", out);
    fputc('}', out);
}

int hs_report_anchors(FILE *out, const hs_context *context, hs_node target, uint64_t target_offset, uint64_t limit,
                      enum hs_format format, hs_error *err)
{
    hs_anchors *anchors;
    HS_TRY(hs_find_anchors(context, target, limit, &anchors, err));
    if (format == TEXT) {
        write_target_text(out, context, target, target_offset);
        if (anchors->total == 0) {
            fputs("No anchor: no root reaches this object. It is garbage the collector had not swept when the "
                  "dump was written",
                  out);
            if (context->heap->flags[target] & (HS_OBJECT_FINALIZER | HS_OBJECT_QUEUED))
                fputs(" (it has a finalizer, which will run before it is freed)", out);
            fputs(".\n", out);
        } else if (anchors->total == anchors->slot_count) {
            fprintf(out, "Anchored by %" PRIu64 " root slot%s:\n", anchors->total, anchors->total == 1 ? "" : "s");
        } else {
            fprintf(out, "Anchored by %" PRIu64 " root%s through %" PRIu64 " root slots:\n", anchors->total,
                    anchors->total == 1 ? "" : "s", anchors->slot_count);
        }
        for (uint64_t i = 0; i < anchors->count; i++)
            write_anchor_text(out, context, anchors, i);
        if (anchors->count < anchors->total)
            fprintf(out, "(%" PRIu64 " more root%s through %" PRIu64 " slot%s; --limit 0 shows all)\n",
                    anchors->total - anchors->count, anchors->total - anchors->count == 1 ? "" : "s",
                    anchors->omitted_slots, anchors->omitted_slots == 1 ? "" : "s");
    } else {
        hs_context json;
        int status = hs_describe_json_begin(context, &json, err);
        if (status < 0) {
            hs_anchors_free(anchors);
            return status;
        }
        fputs("{\"object\":", out);
        hs_describe_object_json(out, &json, target, target_offset != 0, target_offset);
        fputs(",\"anchors\":[", out);
        for (uint64_t i = 0; i < anchors->count; i++) {
            if (i)
                fputc(',', out);
            write_anchor_json(out, &json, anchors, &anchors->anchors[i]);
        }
        fprintf(out, "],\"roots\":%" PRIu64 ",\"slots\":%" PRIu64 ",\"omitted\":{\"roots\":%" PRIu64
                     ",\"slots\":%" PRIu64 "}",
                anchors->total, anchors->slot_count, anchors->total - anchors->count, anchors->omitted_slots);
        status = hs_describe_json_end(out, &json, err);
        fputs("}\n", out);
        if (status < 0) {
            hs_anchors_free(anchors);
            return status;
        }
    }
    hs_anchors_free(anchors);
    return HS_OK;
}

/* ---- owners ---- */

typedef struct owner_frame {
    hs_node node;
    uint32_t level;
    uint64_t next_edge; /* next in-edge to consider */
    uint64_t printed;   /* owners listed under this node so far */
} owner_frame;

static void indent(FILE *out, uint32_t level)
{
    static const char spaces[2 * MAX_INDENT_LEVEL + 1] =
        "                                                                ";
    uint32_t shown = level < MAX_INDENT_LEVEL ? level : MAX_INDENT_LEVEL;
    fwrite(spaces, 1, 2 * shown, out);
    if (level > MAX_INDENT_LEVEL)
        fprintf(out, "(level %u) ", level);
}

/* hs_describe_node for an owner. A node with many pointer edges is listed
 * once under each object it points to, and describing an object counts its
 * pointer slots: a large node's description is written once and kept. */
static void write_owner_text(FILE *out, const hs_context *context, slot_index *slots, hs_node owner)
{
    slot_bucket *bucket = owner < context->heap->object_count ? large_node(slots, owner) : NULL;
    if (bucket && bucket->text_length == UINT64_MAX) {
        char *text = NULL;
        size_t length = 0;
        FILE *memory = open_memstream(&text, &length);
        if (memory) {
            hs_describe_node(memory, context, owner);
            if (fclose(memory) == 0 && HS_ARRAY_RESERVE(slots->text, &slots->text_capacity,
                                                        slots->text_length + length) == HS_OK) {
                memcpy(slots->text + slots->text_length, text, length);
                bucket->text_start = slots->text_length;
                bucket->text_length = length;
                slots->text_length += length;
            }
        }
        free(text);
    }
    if (bucket && bucket->text_length != UINT64_MAX)
        fwrite(slots->text + bucket->text_start, 1, bucket->text_length, out);
    else
        hs_describe_node(out, context, owner);
}

/* Describes the edge from owner to owned: where the pointer sits and lands. */
static void write_owner_edge_text(FILE *out, const hs_context *context, slot_index *slots, hs_node owner,
                                  hs_node owned)
{
    uint64_t slot, offset;
    find_slot(slots, owner, owned, &slot, &offset);
    if (owner < context->heap->object_count) {
        fprintf(out, " [pointer at +0x%" PRIx64, slot);
    } else {
        uint64_t address = hs_describe_root_slot_address(context->heap, &(hs_path_step){.node = owner, .slot_offset = slot});
        char symbol[512];
        fprintf(out, " [slot 0x%" PRIx64, address);
        if (slot_symbol(context, owner, address, symbol, sizeof symbol)) {
            fputs(" (", out);
            hs_write_text_cstring(out, symbol);
            fputc(')', out);
        }
        const hs_root *r = &context->heap->roots[owner - context->heap->object_count];
        int known;
        uint64_t goid = goroutine_id(context->heap, r, &known);
        if (known)
            fprintf(out, " goroutine %" PRIu64, goid);
    }
    if (offset)
        fprintf(out, " -> +0x%" PRIx64, offset);
    fputc(']', out);
}

/* The owner of an edge and where its pointer sits: {"kind":"object","object":
 * DESCRIPTOR,"slot":"0x…" or {"kind":"root","root":ROOT SLOT, then
 * ,"offset":N (how far into the owned object it lands); no closing brace. */
static void write_owner_edge_json(FILE *out, const hs_context *json, slot_index *slots, hs_node owner,
                                  hs_node owned)
{
    const hs_heap *heap = json->heap;
    uint64_t slot, offset;
    find_slot(slots, owner, owned, &slot, &offset);
    if (owner < heap->object_count) {
        fputs("\"kind\":\"object\",\"object\":", out);
        hs_describe_object_json(out, json, owner, 0, 0);
        fprintf(out, ",\"slot\":\"0x%" PRIx64 "\"", heap->objects[owner].address + slot);
    } else {
        fputs("\"kind\":\"root\",\"root\":", out);
        hs_describe_root_slot_json(out, json, &(hs_path_step){.node = owner, .slot_offset = slot});
    }
    fprintf(out, ",\"offset\":%" PRIu64, offset);
}

/* Next distinct owner of frame->node, or HS_NO_NODE. In-edges of an object
 * are sorted by source, so repeated slots of one owner are adjacent. */
static hs_node next_owner(const hs_heap *heap, owner_frame *frame)
{
    if (frame->node >= heap->object_count)
        return HS_NO_NODE;
    uint64_t end = heap->in_start[frame->node + 1];
    while (frame->next_edge < end) {
        uint64_t e = frame->next_edge++;
        if (e == heap->in_start[frame->node] || heap->in_source[e] != heap->in_source[e - 1])
            return heap->in_source[e];
    }
    return HS_NO_NODE;
}

int hs_report_owners(FILE *out, const hs_context *context, hs_node target, uint64_t target_offset, long depth,
                     enum hs_format format, hs_error *err)
{
    const hs_heap *heap = context->heap;
    uint32_t nodes = hs_heap_node_count(heap);
    owner_frame *stack = malloc(((size_t)nodes + 1) * sizeof *stack);
    uint8_t *shown = calloc((size_t)nodes / 8 + 1, 1);
    if (!stack || !shown) {
        free(stack);
        free(shown);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory listing owners", heap->dump->name);
    }
    uint64_t top = 0;
    slot_index slots;
    slot_index_init(&slots, heap);
    hs_context json;
    if (format != TEXT && hs_describe_json_begin(context, &json, err) < 0) {
        free(stack);
        free(shown);
        return HS_ERR_NOMEM;
    }
    if (format == TEXT) {
        write_target_text(out, context, target, target_offset);
    } else {
        fputs("{\"object\":", out);
        hs_describe_object_json(out, &json, target, target_offset != 0, target_offset);
        fputs(",\"owners\":[", out);
    }
    hs_bit_set(shown, target);
    stack[top++] = (owner_frame){.node = target, .level = 0, .next_edge = heap->in_start[target]};
    uint64_t listed = 0;
    while (top > 0) {
        owner_frame *frame = &stack[top - 1];
        hs_node owner = HS_NO_NODE;
        if (depth < 0 || (long)frame->level < depth)
            owner = next_owner(heap, frame);
        if (owner == HS_NO_NODE) {
            top--;
            if (format != TEXT && top > 0)
                fputs("]}", out);
            continue;
        }
        listed++;
        uint32_t level = frame->level + 1;
        int seen = hs_bit_test(shown, owner);
        int expand = !seen && owner < heap->object_count && (depth < 0 || (long)level < depth);
        if (format == TEXT) {
            indent(out, level);
            write_owner_text(out, context, &slots, owner);
            write_owner_edge_text(out, context, &slots, owner, frame->node);
            if (seen)
                fputs(" (shown above)", out);
            fputc('\n', out);
        } else {
            fputs(frame->printed ? ",{" : "{", out);
            write_owner_edge_json(out, &json, &slots, owner, frame->node);
            if (seen)
                fputs(",\"seen\":true", out);
            fputs(",\"owners\":[", out);
            if (!expand)
                fputs("]}", out);
        }
        frame->printed++;
        hs_bit_set(shown, owner);
        if (expand)
            stack[top++] = (owner_frame){.node = owner, .level = level, .next_edge = heap->in_start[owner]};
    }
    int status = HS_OK;
    if (format == TEXT) {
        if (listed == 0)
            fputs("No owner: nothing in the dump points to this object.\n", out);
    } else {
        fputc(']', out);
        status = hs_describe_json_end(out, &json, err);
        fputs("}\n", out);
    }
    slot_index_free(&slots);
    free(stack);
    free(shown);
    return status;
}

/* ---- hexdump ---- */

int hs_report_hexdump(FILE *out, const hs_context *context, hs_node target, hs_error *err)
{
    (void)err;
    const hs_heap *heap = context->heap;
    const uint8_t *bytes = hs_object_contents(heap, target);
    uint64_t size = heap->objects[target].size;
    for (uint64_t line = 0; line < size; line += 16) {
        uint64_t n = size - line < 16 ? size - line : 16;
        fprintf(out, "%08" PRIx64 "  ", line);
        for (uint64_t i = 0; i < 16; i++) {
            if (i < n)
                fprintf(out, "%02x ", bytes[line + i]);
            else
                fputs("   ", out);
            if (i == 7)
                fputc(' ', out);
        }
        fputs(" |", out);
        for (uint64_t i = 0; i < n; i++) {
            uint8_t c = bytes[line + i];
            fputc(c >= 32 && c <= 126 ? c : '.', out);
        }
        fputs("|\n", out);
    }
    hs_field_iter iter;
    uint64_t slot;
    hs_context_object_fields_begin(context, target, &iter);
    while (hs_fields_next(&iter, &slot))
        fprintf(out, "Pointer: 0x%" PRIx64 "\n", slot);
    return HS_OK;
}
