/* heap_index.c — orders the objects read (bucket by bucket, two threads) and builds the page index, the edges both ways and reachability. */
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "heap_build.h"
#include "search.h"

static inline uint64_t object_end(const hs_object *object)
{
    return object->address + object->size;
}

HS_DEFINE_SEARCH(objects_by_end, hs_object, uint64_t, object_end)

/* Runs task(here) on this thread and task(there) beside it on a second
 * thread when `wanted` (and one can be made), else after it; returns
 * whether two threads ran. */
static int run_side_by_side(int wanted, void *(*task)(void *), void *here, void *there)
{
    pthread_t helper;
    int threaded = wanted && pthread_create(&helper, NULL, task, there) == 0;
    task(here);
    if (threaded)
        pthread_join(helper, NULL);
    else
        task(there);
    return threaded;
}

/* Objects up to this size live in spans whose heap bits sit at the span tail (Go 1.22+). */
#define SPAN_TAIL_MAX_OBJECT 512

/* By address; objects at one address (a damaged dump, refused later) by
 * file offset, so that the order, and the message naming the overlap, do
 * not depend on how the work was split. */
static int compare_objects(const void *a, const void *b)
{
    const hs_object *x = a, *y = b;
    if (x->address != y->address)
        return (x->address > y->address) - (x->address < y->address);
    return (x->contents_offset > y->contents_offset) - (x->contents_offset < y->contents_offset);
}

static int object_has_pointers(const hs_heap *heap, hs_node object)
{
    hs_fields fields = hs_object_fields(heap, object);
    return fields.encoded_length > 0 && fields.encoded[0] != HS_FIELD_EOL;
}

/* Go 1.22 and later keep the heap bits of small pointer-holding objects at
 * the tail of their span (8 KiB / 8 / pointer size bytes), and Go 1.26's
 * Green Tea collector (or GOEXPERIMENT=greenteagc) keeps 128 bytes of inline
 * mark bits at the tail of every span of objects from 16 to 512 bytes. The
 * span's nelems stops before that tail, but the dump loop walks every slot
 * to the end of the span and never consults the free bits past nelems, so
 * the tail comes out as "objects" that were never allocated. Spans of these
 * sizes are one page; a page holds pointer-holding objects (a scan span)
 * when any object below the scan-span bound has pointer fields. */
static int uses_inline_mark_bits(const hs_params *params)
{
    const hs_bytes *v = &params->version;
    for (uint64_t i = 0; i + 3 <= v->length; i++) {
        if (v->length - i >= 14 && memcmp(v->data + i, "nogreenteagc", 12) == 0)
            return 0;
        if (v->length - i >= 12 && memcmp(v->data + i, "greenteagc", 10) == 0)
            return 1;
    }
    return params->go_major == 1 && params->go_minor >= 26;
}

static uint64_t span_tail_bound(uint64_t size, int scan, uint64_t heap_bits, int inline_marks)
{
    uint64_t reserve = 0;
    if (scan)
        reserve += heap_bits;
    if (inline_marks && size >= 16)
        reserve += 128;
    return (PAGE_SIZE - reserve) / size; /* nelems */
}

/* Marks the span tails among objects [first, last) of the sorted table,
 * which hold whole pages; returns how many. */
static uint64_t mark_span_tails(hs_heap *heap, uint32_t first, uint32_t last)
{
    const hs_params *params = &heap->params;
    if (params->go_major != 1 || params->go_minor < 22 || params->pointer_size == 0)
        return 0;
    uint64_t heap_bits = PAGE_SIZE / 8 / params->pointer_size;
    int inline_marks = uses_inline_mark_bits(params);
    uint64_t marked = 0;
    uint32_t i = first;
    while (i < last) {
        uint64_t page = heap->objects[i].address & ~(PAGE_SIZE - 1);
        uint64_t size = heap->objects[i].size;
        uint32_t end = i;
        while (end < last && (heap->objects[end].address & ~(PAGE_SIZE - 1)) == page)
            end++;
        if (size == 0 || size > SPAN_TAIL_MAX_OBJECT) {
            i = end;
            continue;
        }
        /* A scan span: some object below the scan-span bound has pointer fields. */
        uint64_t scan_limit = page + span_tail_bound(size, 1, heap_bits, inline_marks) * size;
        int scan = 0;
        for (uint32_t j = i; j < end && !scan && heap->objects[j].address < scan_limit; j++)
            if (heap->objects[j].size == size)
                scan = object_has_pointers(heap, j);
        /* Slots from nelems on are the tail; few objects lie there, so the
         * division stays out of the loop over the page's objects. */
        uint64_t tail_start = page + span_tail_bound(size, scan, heap_bits, inline_marks) * size;
        for (uint32_t j = i; j < end; j++) {
            const hs_object *o = &heap->objects[j];
            if (o->address < tail_start || o->size != size || (o->address - page) % size != 0)
                continue;
            heap->flags[j] |= HS_OBJECT_SPAN_TAIL;
            marked++;
        }
        i = end;
    }
    return marked;
}

/* Whether sorted objects i-1 and i overlap (or share an address), by slot. */
static int overlaps(const hs_heap *heap, uint32_t i)
{
    uint64_t prev = hs_object_slot_address(heap, i - 1), prev_end = prev + hs_object_slot_size(heap, i - 1);
    uint64_t cur = hs_object_slot_address(heap, i);
    return prev_end > cur || prev_end < prev || prev == cur;
}

/* Go 1.22 and later: whether the version of the dump can have allocation
 * headers (an unknown version is judged by the objects alone). */
static int may_have_headers(const hs_params *params)
{
    return params->go_major == 0 || params->go_major > 1 || params->go_minor >= 22;
}

/* Whether object i (a slot, as read) carries an allocation header. The
 * runtime gives one to every object of a pointer-holding span of slots
 * above pointer size² × 8 bytes up to 32 KiB, and the dump writes such an
 * object's pointer offsets from the slot, after the header. A large object
 * (a span of its own) has none; the one slot size both can have (32 KiB)
 * is told apart by the header word, which names a type descriptor in the
 * binary: never 0, never in the heap, and never listed as a pointer. */
static int has_allocation_header(const hs_heap *heap, uint32_t i)
{
    const hs_object *o = &heap->objects[i];
    uint64_t word = heap->params.pointer_size, min_slot = (uint64_t)word * word * 8;
    if (o->size <= min_slot || o->size > HS_ALLOCATION_HEADER_MAX_SLOT || (heap->flags[i] & HS_OBJECT_SPAN_TAIL))
        return 0;
    hs_fields fields = hs_object_fields(heap, i);
    hs_field_iter iter;
    uint64_t first;
    hs_fields_begin(&iter, &fields, o->size, heap->params.pointer_size);
    if (!hs_fields_next(&iter, &first) || first < HS_ALLOCATION_HEADER_BYTES)
        return 0;
    uint64_t type = hs_heap_word(heap, hs_object_contents(heap, i), 0);
    return type != 0 && type % word == 0 && !(type >= heap->params.heap_start && type < heap->params.heap_end);
}

/* Moves objects [first, last) that carry an allocation header to their Go
 * address and size (see hs_object); returns how many. */
static uint64_t mark_headers(hs_heap *heap, uint32_t first, uint32_t last)
{
    if (!may_have_headers(&heap->params) || heap->params.pointer_size == 0)
        return 0;
    uint64_t marked = 0;
    for (uint32_t i = first; i < last; i++) {
        if (!has_allocation_header(heap, i))
            continue;
        hs_object *o = &heap->objects[i];
        o->address += HS_ALLOCATION_HEADER_BYTES;
        o->size -= HS_ALLOCATION_HEADER_BYTES;
        o->contents_offset += HS_ALLOCATION_HEADER_BYTES;
        heap->flags[i] |= HS_OBJECT_HEADER;
        marked++;
    }
    return marked;
}

/* A run of objects that the dump lists in ascending address order (one span). */
typedef struct object_run {
    const hs_object *objects;
    uint64_t length;
} object_run;

static int compare_runs_by_address(const void *a, const void *b)
{
    return compare_objects(((const object_run *)a)->objects, ((const object_run *)b)->objects);
}

/* Copies bucket k of the main thread's and the helper's buckets (`parts`,
 * either may be NULL or empty) to `to`, sorted by address. The dump lists
 * objects span by span, each span's objects in address order: when those
 * runs do not interleave, copying the runs in order of their first address
 * sorts the bucket, the buckets themselves being the only other copy. Runs
 * that interleave (a damaged dump) are copied as they are and sorted with
 * qsort. `runs` is the caller's growable buffer. Returns 0, or -1 when out
 * of memory. */
static int copy_bucket_sorted(hs_bucket *const parts[2], hs_object *to, object_run **runs, uint64_t *capacity)
{
    uint64_t count = 0, total = 0;
    for (int p = 0; p < 2; p++) {
        if (!parts[p] || parts[p]->count == 0)
            continue;
        const hs_object *objects = parts[p]->objects;
        uint64_t start = 0;
        for (uint64_t i = 1; i <= parts[p]->count; i++) {
            if (i < parts[p]->count && !starts_run(objects, (uint32_t)i))
                continue;
            if (HS_ARRAY_RESERVE(*runs, capacity, count + 1) < 0)
                return -1;
            (*runs)[count++] = (object_run){objects + start, i - start};
            start = i;
        }
        total += parts[p]->count;
    }
    if (count == 0)
        return 0; /* an empty bucket */
    qsort(*runs, count, sizeof **runs, compare_runs_by_address);
    int interleaved = 0;
    for (uint64_t r = 1; r < count && !interleaved; r++)
        interleaved = (*runs)[r - 1].objects[(*runs)[r - 1].length - 1].address > (*runs)[r].objects[0].address;
    if (interleaved) {
        uint64_t at = 0;
        for (int p = 0; p < 2; p++)
            if (parts[p] && parts[p]->count) {
                memcpy(to + at, parts[p]->objects, (size_t)parts[p]->count * sizeof *to);
                at += parts[p]->count;
            }
        qsort(to, total, sizeof *to, compare_objects);
        return 0;
    }
    for (uint64_t r = 0; r < count; r++) {
        memcpy(to, (*runs)[r].objects, (size_t)(*runs)[r].length * sizeof *to);
        to += (*runs)[r].length;
    }
    return 0;
}

/* Moves the buckets [first, last) into the table, sorted, and marks their
 * span tails while they are still in cache (one thread's share). */
typedef struct slice_sorter {
    builder *b;
    uint32_t first, last;
    uint64_t span_tails; /* found in these buckets (see mark_span_tails) */
    uint64_t headers;    /* objects with an allocation header (see mark_headers) */
    uint32_t overlap;    /* the first i within these buckets where i-1 and i overlap, or UINT32_MAX */
    int failed;
} slice_sorter;

static void *sort_slices(void *argument)
{
    slice_sorter *sorter = argument;
    builder *b = sorter->b;
    const uint64_t *starts = b->bucket_starts;
    object_run *runs = NULL;
    uint64_t capacity = 0;
    for (uint32_t k = sorter->first; k < sorter->last; k++) {
        hs_bucket *parts[2] = {&b->buckets.buckets[k], b->adopted.buckets ? &b->adopted.buckets[k] : NULL};
        if (!sorter->failed)
            sorter->failed = copy_bucket_sorted(parts, b->heap->objects + starts[k], &runs, &capacity) < 0;
        hs_buckets_release(&b->buckets, k);
        if (b->adopted.buckets)
            hs_buckets_release(&b->adopted, k);
        /* A bucket holds whole pages, so its span tails are its own. */
        if (!sorter->failed)
            sorter->span_tails += mark_span_tails(b->heap, (uint32_t)starts[k], (uint32_t)starts[k + 1]);
        if (!sorter->failed)
            sorter->headers += mark_headers(b->heap, (uint32_t)starts[k], (uint32_t)starts[k + 1]);
        for (uint64_t i = starts[k] + 1; i < starts[k + 1] && sorter->overlap == UINT32_MAX; i++)
            if (overlaps(b->heap, (uint32_t)i))
                sorter->overlap = (uint32_t)i;
    }
    free(runs);
    return NULL;
}

/* Gathers the buckets into the object table and sorts it by address,
 * bucket by bucket, marking span tails as it goes, the buckets split
 * between two threads by object count; then refuses overlapping objects. */
int heap_sort_objects(builder *b)
{
    hs_heap *heap = b->heap;
    if (!b->buckets.buckets && hs_buckets_init(&b->buckets, 0, 0, 0, 0) < 0)
        return heap_out_of_memory(b, "collecting objects"); /* no params record: no objects */
    uint32_t bucket_count = b->bucket_count = b->buckets.count;
    b->bucket_starts = malloc(((size_t)bucket_count + 1) * sizeof *b->bucket_starts);
    if (!b->bucket_starts)
        return heap_out_of_memory(b, "gathering objects");
    hs_buckets_layout(&b->buckets, b->adopted.buckets ? &b->adopted : NULL, b->bucket_starts);
    heap->object_count = (uint32_t)b->bucket_starts[bucket_count];
    heap->objects = malloc(((size_t)heap->object_count + 1) * sizeof *heap->objects);
    heap->flags = calloc((size_t)heap->object_count + 1, 1);
    if (!heap->objects || !heap->flags)
        return heap_out_of_memory(b, "gathering objects");
    uint32_t mid = bucket_count;
    if (heap->object_count > b->split_min_objects)
        for (mid = 0; mid < bucket_count && b->bucket_starts[mid] < heap->object_count / 2; mid++)
            ;
    slice_sorter sorters[2] = {{.b = b, .first = 0, .last = mid, .overlap = UINT32_MAX},
                               {.b = b, .first = mid, .last = bucket_count, .overlap = UINT32_MAX}};
    run_side_by_side(mid > 0 && mid < bucket_count, sort_slices, &sorters[0], &sorters[1]);
    if (sorters[0].failed || sorters[1].failed)
        return heap_out_of_memory(b, "sorting objects");
    heap->warnings.span_tail_objects = sorters[0].span_tails + sorters[1].span_tails;
    heap->header_objects = sorters[0].headers + sorters[1].headers;
    /* The first overlap in address order: within the buckets (found by the
     * sorters) or where one bucket meets the next. */
    uint32_t first_overlap = sorters[0].overlap < sorters[1].overlap ? sorters[0].overlap : sorters[1].overlap;
    for (uint32_t k = 1; k < bucket_count; k++) {
        uint64_t i = b->bucket_starts[k];
        if (i > 0 && i < heap->object_count && i < first_overlap && overlaps(heap, (uint32_t)i))
            first_overlap = (uint32_t)i;
    }
    if (first_overlap == UINT32_MAX)
        return HS_OK;
    /* Report the later record of the two, as the records give them. */
    uint32_t prev = first_overlap - 1, cur = first_overlap;
    uint32_t later = heap->objects[prev].contents_offset > heap->objects[cur].contents_offset ? prev : cur;
    uint32_t earlier = later == prev ? cur : prev;
    return hs_error_set(b->err, HS_ERR_FORMAT,
                        "%s: offset %llu: while reading object record (its contents start there): object 0x%llx "
                        "(%llu bytes) overlaps object 0x%llx (%llu bytes)",
                        heap->dump->name,
                        (unsigned long long)(heap->objects[later].contents_offset - hs_object_header_bytes(heap, later)),
                        (unsigned long long)hs_object_slot_address(heap, later),
                        (unsigned long long)hs_object_slot_size(heap, later),
                        (unsigned long long)hs_object_slot_address(heap, earlier),
                        (unsigned long long)hs_object_slot_size(heap, earlier));
}

/* Page index: for each 8 KiB page between the lowest and highest object,
 * the first object whose end lies above the page start, and the page's run
 * (see hs_page_run): from that object, the objects of its size that follow
 * each other with no gap, none of them span-tail metadata, each starting
 * before the page ends. */
typedef struct page_range {
    hs_heap *heap;
    uint64_t first, last; /* pages [first, last] */
} page_range;

static void *index_pages(void *argument)
{
    const page_range *range = argument;
    hs_heap *heap = range->heap;
    /* The first object whose end lies above the first page's start. */
    uint64_t first_start = heap->page_base + (range->first << PAGE_SHIFT);
    uint32_t object = (uint32_t)objects_by_end_first_above(heap->objects, 0, heap->object_count, first_start);
    for (uint64_t p = range->first; p <= range->last; p++) {
        uint64_t page_start = heap->page_base + (p << PAGE_SHIFT), page_end = page_start + PAGE_SIZE;
        while (object < heap->object_count &&
               heap->objects[object].address + heap->objects[object].size <= page_start)
            object++;
        heap->page_first[p] = object;
        if (!heap->page_runs || p == heap->page_count || object >= heap->object_count ||
            (heap->flags[object] & HS_OBJECT_SPAN_TAIL))
            continue;
        /* In slots: a run's objects all have a header or none. */
        uint64_t start = hs_object_slot_address(heap, object), size = hs_object_slot_size(heap, object);
        uint8_t header = heap->flags[object] & HS_OBJECT_HEADER;
        if (size == 0 || size >= (1u << 31) || start >= page_end ||
            (start < page_start && page_start - start >= (1u << 31)))
            continue;
        uint64_t next = start;
        uint32_t j = object;
        while (j < heap->object_count && hs_object_slot_address(heap, j) == next &&
               hs_object_slot_size(heap, j) == size && next < page_end &&
               (heap->flags[j] & (HS_OBJECT_SPAN_TAIL | HS_OBJECT_HEADER)) == header) {
            next += size;
            j++;
        }
        uint64_t run_bytes = next - start;
        if (run_bytes > UINT32_MAX)
            continue;
        hs_page_run *run = &heap->page_runs[p];
        run->start_offset = (int32_t)((int64_t)start - (int64_t)page_start);
        run->run_bytes = (uint32_t)run_bytes;
        run->size = (uint32_t)size;
        run->header = header ? HS_ALLOCATION_HEADER_BYTES : 0;
        /* x * ceil(2^32/size) >> 32 == x / size whenever x * size < 2^32. */
        if (size < (1u << 16) && run_bytes <= (1u << 16))
            run->reciprocal = (uint32_t)((((uint64_t)1 << 32) + size - 1) / size);
    }
    return NULL;
}

/* Built only when the page count stays within a few times the object
 * count, the runs only when 16 bytes a page stay cheap; the pages are split
 * between two threads on a big heap. */
int heap_build_page_index(builder *b)
{
    hs_heap *heap = b->heap;
    if (heap->object_count == 0)
        return HS_OK;
    uint64_t low = heap->objects[0].address & ~(PAGE_SIZE - 1);
    const hs_object *last = &heap->objects[heap->object_count - 1];
    uint64_t high = last->address + last->size;
    uint64_t pages = ((high - low) >> PAGE_SHIFT) + 1;
    if (pages > 4 * (uint64_t)heap->object_count + (1u << 20))
        return HS_OK; /* too sparse: binary search alone */
    if (pages > (UINT64_MAX - low) >> PAGE_SHIFT)
        return HS_OK; /* the heap reaches the top page: the start of the page after it would wrap to 0 */
    heap->page_first = malloc((size_t)(pages + 1) * sizeof *heap->page_first);
    if (!heap->page_first)
        return heap_out_of_memory(b, "building the page index");
    heap->page_base = low;
    heap->page_count = pages;
    if (pages * sizeof(hs_page_run) <= (uint64_t)heap->object_count * 2 &&
        !(heap->page_runs = calloc((size_t)pages, sizeof *heap->page_runs)))
        return heap_out_of_memory(b, "building the page index");
    page_range halves[2] = {{heap, 0, pages / 2}, {heap, pages / 2 + 1, pages}};
    run_side_by_side(heap->object_count > b->split_min_objects, index_pages, &halves[0], &halves[1]);
    return HS_OK;
}

/* Edge building: forward edges node by node, in chunks of nodes that two
 * threads take in turn (so that neither waits when pointers crowd into one
 * part of the heap), each chunk into its own array; the chunks are then
 * joined in node order, so the result is the same as one thread's. Reverse
 * edges follow by counting. */
#define EDGE_CHUNK_NODES_MAX 16384u
#define EDGE_CHUNK_NODES_MIN 64u

typedef struct edge_sink {
    uint32_t *targets;
    uint64_t count, capacity;
    int failed; /* out of memory, or more edges than 32-bit offsets hold */
} edge_sink;

typedef struct edge_work {
    const hs_heap *heap;
    uint32_t *out_start; /* each chunk writes its own nodes, relative to its own edges */
    edge_sink *chunks;
    uint32_t chunk_count, chunk_nodes; /* about 64 chunks or more, of 64 to 16384 nodes */
    atomic_uint next_chunk;
} edge_work;

static int append_edge(uint64_t slot, uint64_t value, hs_node target, uint64_t target_offset, void *context)
{
    (void)slot;
    (void)value;
    (void)target_offset;
    edge_sink *sink = context;
    if (sink->count == sink->capacity &&
        (sink->count >= UINT32_MAX - 1 || HS_ARRAY_RESERVE(sink->targets, &sink->capacity, sink->count + 1) < 0)) {
        sink->failed = 1;
        return 1;
    }
    sink->targets[sink->count++] = target;
    return 0;
}

static void *collect_edges(void *argument)
{
    edge_work *work = argument;
    const hs_heap *heap = work->heap;
    uint32_t nodes = hs_heap_node_count(heap), c;
    while ((c = atomic_fetch_add(&work->next_chunk, 1)) < work->chunk_count) {
        /* A local sink: neighbouring chunks' sinks share cache lines. */
        edge_sink sink = {0};
        uint32_t first = c * work->chunk_nodes, last = nodes - first > work->chunk_nodes ? first + work->chunk_nodes : nodes;
        for (uint32_t n = first; n < last && !sink.failed; n++) {
            work->out_start[n] = (uint32_t)sink.count;
            if (n < heap->object_count)
                visit_object(heap, n, 0, append_edge, &sink);
            else
                hs_heap_visit_slots(heap, n, 0, append_edge, &sink);
        }
        work->chunks[c] = sink;
    }
    return NULL;
}

static int build_forward_edges(builder *b)
{
    hs_heap *heap = b->heap;
    uint32_t nodes = hs_heap_node_count(heap);
    heap->out_start = malloc(((size_t)nodes + 1) * sizeof *heap->out_start);
    heap->in_start = calloc((size_t)heap->object_count + 2, sizeof *heap->in_start);
    edge_work work = {.heap = heap, .out_start = heap->out_start, .chunk_nodes = nodes / 64};
    if (work.chunk_nodes < EDGE_CHUNK_NODES_MIN)
        work.chunk_nodes = EDGE_CHUNK_NODES_MIN;
    if (work.chunk_nodes > EDGE_CHUNK_NODES_MAX)
        work.chunk_nodes = EDGE_CHUNK_NODES_MAX;
    work.chunk_count = (uint32_t)(((uint64_t)nodes + work.chunk_nodes - 1) / work.chunk_nodes);
    work.chunks = calloc((size_t)work.chunk_count + 1, sizeof *work.chunks);
    if (!heap->out_start || !heap->in_start || !work.chunks) {
        free(work.chunks);
        return heap_out_of_memory(b, "building edges");
    }
    atomic_init(&work.next_chunk, 0);
    /* Both threads take chunks from the same work; alone, the second call finds none left. */
    heap->split_work =
        run_side_by_side(heap->object_count > b->split_min_objects && work.chunk_count > 1, collect_edges, &work, &work);
    uint64_t total = 0;
    int failed = 0, too_many = 0;
    for (uint32_t c = 0; c < work.chunk_count; c++) {
        failed |= work.chunks[c].failed;
        too_many |= work.chunks[c].count >= UINT32_MAX - 1;
        total += work.chunks[c].count;
    }
    too_many |= total >= UINT32_MAX - 1;
    if (!failed && !too_many)
        heap->out_target = malloc((size_t)(total ? total : 1) * sizeof *heap->out_target);
    /* Join in node order, freeing each chunk once copied. */
    uint64_t at = 0;
    for (uint32_t c = 0; c < work.chunk_count; c++) {
        edge_sink *sink = &work.chunks[c];
        if (heap->out_target) {
            if (sink->count)
                memcpy(heap->out_target + at, sink->targets, (size_t)sink->count * sizeof *heap->out_target);
            uint32_t first = c * work.chunk_nodes, last = nodes - first > work.chunk_nodes ? first + work.chunk_nodes : nodes;
            for (uint32_t n = first; n < last; n++)
                heap->out_start[n] += (uint32_t)at;
            at += sink->count;
        }
        free(sink->targets);
    }
    free(work.chunks);
#ifdef __GLIBC__
    /* The chunks were small enough to come from malloc's heaps, which keep
     * freed memory: hand it back before the reverse edges are allocated. */
    malloc_trim(0);
#endif
    if (too_many)
        return hs_error_set(b->err, HS_ERR_FORMAT, "%s: more than 4294967294 pointer edges; too large to index",
                            heap->dump->name);
    if (!heap->out_target)
        return heap_out_of_memory(b, "building edges");
    heap->edge_count = total;
    heap->out_start[nodes] = (uint32_t)total;
    return HS_OK;
}

/* Reverse edges by counting, from the forward ones. */
static int build_reverse_edges(builder *b)
{
    hs_heap *heap = b->heap;
    uint32_t nodes = hs_heap_node_count(heap);
    for (uint64_t e = 0; e < heap->edge_count; e++)
        heap->in_start[heap->out_target[e] + 2]++;
    for (uint32_t i = 0; i < heap->object_count; i++)
        heap->in_start[i + 2] += heap->in_start[i + 1];
    heap->in_source = malloc((size_t)(heap->edge_count ? heap->edge_count : 1) * sizeof *heap->in_source);
    if (!heap->in_source)
        return heap_out_of_memory(b, "building reverse edges");
    for (uint32_t n = 0; n < nodes; n++)
        for (uint64_t e = heap->out_start[n]; e < heap->out_start[n + 1]; e++)
            heap->in_source[heap->in_start[heap->out_target[e] + 1]++] = n;
    /* in_start[i] .. in_start[i+1] is now the run of object i. */
    return HS_OK;
}

static inline int test_and_set(uint8_t *bits, hs_node n)
{
    if (hs_bit_test(bits, n))
        return 1;
    hs_bit_set(bits, n);
    return 0;
}

/* Marks every object reachable from a root in bits (iterative, explicit
 * stack), counting them. Returns -1 when out of memory, without a message
 * (it may run on a second thread). */
static int mark_reachable(hs_heap *heap, uint8_t *bits)
{
    /* Depth first; the stack grows as needed (a tree or a list keeps it
     * short), up to one entry per object. */
    uint32_t *stack = NULL;
    uint64_t top = 0, capacity = 0;
    int status = 0;
    for (hs_node r = heap->object_count; r < hs_heap_node_count(heap) && status == 0; r++) {
        for (uint64_t e = heap->out_start[r]; e < heap->out_start[r + 1] && status == 0; e++) {
            hs_node t = heap->out_target[e];
            if (test_and_set(bits, t))
                continue;
            status = HS_ARRAY_RESERVE(stack, &capacity, top + 1);
            if (status == 0)
                stack[top++] = t;
            while (top > 0 && status == 0) {
                hs_node n = stack[--top];
                heap->reachable_count++;
                heap->reachable_bytes += hs_object_slot_size(heap, n);
                for (uint64_t f = heap->out_start[n]; f < heap->out_start[n + 1]; f++) {
                    hs_node u = heap->out_target[f];
                    if (test_and_set(bits, u))
                        continue;
                    status = HS_ARRAY_RESERVE(stack, &capacity, top + 1);
                    if (status < 0)
                        break;
                    stack[top++] = u;
                }
            }
        }
    }
    free(stack);
    return status < 0 ? -1 : 0;
}

void heap_write_finalizer_flags(builder *b)
{
    hs_heap *heap = b->heap;
    for (uint32_t r = 0; r < heap->root_count; r++) {
        const hs_root *root = &heap->roots[r];
        if (root->kind != HS_ROOT_FINALIZER && root->kind != HS_ROOT_QUEUED_FINALIZER)
            continue;
        uint64_t offset;
        hs_node object = hs_heap_find(heap, root->address, &offset);
        if (object == HS_NO_NODE)
            heap->warnings.finalizer_no_object++;
        else
            heap->flags[object] |= root->kind == HS_ROOT_FINALIZER ? HS_OBJECT_FINALIZER : HS_OBJECT_QUEUED;
    }
}

/* Reachability reads the forward edges and writes its bits; the reverse
 * edges read the forward edges and write their own arrays: on a big heap
 * the two run side by side. */
typedef struct marking {
    hs_heap *heap;
    uint8_t *bits;
    int failed;
} marking;

static void *mark_objects(void *argument)
{
    marking *m = argument;
    m->failed = mark_reachable(m->heap, m->bits) < 0;
    return NULL;
}

/* mark_reachable without edges: each node's targets come from visiting its
 * pointer slots, as the edge collection would list them, so the same
 * objects are marked. Breadth first: objects queued one after another are
 * mostly neighbours in memory, and each is fetched while those ahead of it
 * are walked. The queue holds every marked object (4 bytes each, less
 * than the edges it spares). */
typedef struct slot_marking {
    const hs_heap *heap;
    uint8_t *bits;
    uint32_t *queue;
    uint64_t count, capacity;
    int failed;
} slot_marking;

static int push_unmarked(uint64_t slot, uint64_t value, hs_node target, uint64_t target_offset, void *context)
{
    (void)slot;
    (void)value;
    (void)target_offset;
    slot_marking *m = context;
    if (test_and_set(m->bits, target))
        return 0;
    if (HS_ARRAY_RESERVE(m->queue, &m->capacity, m->count + 1) < 0) {
        m->failed = 1;
        return 1;
    }
    m->queue[m->count++] = target;
    return 0;
}

static int mark_reachable_from_slots(hs_heap *heap, uint8_t *bits)
{
    slot_marking m = {.heap = heap, .bits = bits};
    uint64_t head = 0;
    for (hs_node r = heap->object_count; r < hs_heap_node_count(heap) && !m.failed; r++) {
        hs_heap_visit_slots(heap, r, 0, push_unmarked, &m);
        while (head < m.count && !m.failed) {
            if (head + 16 < m.count)
                __builtin_prefetch(&heap->objects[m.queue[head + 16]]);
            if (head + 8 < m.count)
                __builtin_prefetch(hs_object_contents(heap, m.queue[head + 8]));
            hs_node n = m.queue[head++];
            heap->reachable_count++;
            heap->reachable_bytes += hs_object_slot_size(heap, n);
            visit_object(heap, n, 0, push_unmarked, &m);
        }
    }
    free(m.queue);
    return m.failed ? -1 : 0;
}

int heap_build_edges(builder *b)
{
    b->heap->reachable = calloc((size_t)b->heap->object_count / 8 + 1, 1);
    if (!b->heap->reachable)
        return heap_out_of_memory(b, "marking reachable objects");
    if (b->reachability_only) {
        int failed = mark_reachable_from_slots(b->heap, b->heap->reachable) < 0;
        hs_timings_end(b->timings, HS_PHASE_REACHABILITY);
        return failed ? heap_out_of_memory(b, "marking reachable objects") : HS_OK;
    }
    int status = build_forward_edges(b);
    hs_timings_end(b->timings, HS_PHASE_EDGES);
    if (status < 0)
        return status;
    marking m = {.heap = b->heap, .bits = b->heap->reachable};
    pthread_t helper;
    int threaded = b->heap->object_count > b->split_min_objects &&
                   pthread_create(&helper, NULL, mark_objects, &m) == 0;
    status = build_reverse_edges(b);
    if (threaded)
        pthread_join(helper, NULL);
    else
        mark_objects(&m);
    if (m.failed && status >= 0)
        status = heap_out_of_memory(b, "marking reachable objects");
    hs_timings_end(b->timings, HS_PHASE_REVERSE);
    return status;
}

