/* heap.c — builds the heap model in one pass over the records: object table, roots, page index, edges, reachability. */
#include "hs_heap.h"

#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "hs_array.h"
#include "hs_buckets.h"

#define PAGE_SHIFT 13
#define PAGE_SIZE ((uint64_t)1 << PAGE_SHIFT)
/* Objects up to this size live in spans whose heap bits sit at the span tail (Go 1.22+). */
#define SPAN_TAIL_MAX_OBJECT 512

/* Growable arrays used while reading. */
typedef struct builder {
    hs_heap *heap;
    uint64_t root_capacity, goroutine_capacity, sample_capacity, profile_capacity;
    uint32_t split_min_objects;
    uint64_t bucket_bytes; /* dump bytes per object bucket */
    /* Objects as read, by address range; `adopted` holds those a second
     * thread read (see read_records). Gathered into heap->objects after the
     * reading, bucket k at bucket_starts[k]. */
    hs_buckets buckets, adopted;
    uint32_t bucket_count;
    uint64_t *bucket_starts;
    hs_error *err;
} builder;

static int out_of_memory(builder *b, const char *what)
{
    return hs_error_set(b->err, HS_ERR_NOMEM, "%s: out of memory while %s", b->heap->dump->name, what);
}

static int add_root(builder *b, const hs_root *root)
{
    hs_heap *heap = b->heap;
    if (heap->root_count >= UINT32_MAX - 1 ||
        hs_array_reserve((void **)&heap->roots, &b->root_capacity, (uint64_t)heap->root_count + 1, sizeof *root) < 0)
        return out_of_memory(b, "collecting roots");
    heap->roots[heap->root_count++] = *root;
    return HS_OK;
}

static int add_frame(builder *b, const hs_record *record)
{
    hs_heap *heap = b->heap;
    hs_root root = {.kind = HS_ROOT_FRAME, .record_offset = record->offset, .address = record->frame.sp,
                    .contents = record->frame.contents, .fields = record->frame.fields,
                    .name = record->frame.name, .depth = record->frame.depth,
                    .child_sp = record->frame.child_sp, .goroutine = UINT32_MAX};
    /* Frames follow their goroutine record, innermost (depth 0) first. */
    if (heap->goroutine_count > 0) {
        hs_goroutine *g = &heap->goroutines[heap->goroutine_count - 1];
        uint32_t expected_depth = g->frame_count;
        int linked = record->frame.depth == expected_depth;
        if (linked && expected_depth > 0)
            linked = heap->roots[heap->root_count - 1].kind == HS_ROOT_FRAME &&
                     heap->roots[heap->root_count - 1].address == record->frame.child_sp;
        if (linked) {
            root.goroutine = heap->goroutine_count - 1;
            if (g->frame_count == 0)
                g->first_frame = heap->root_count;
            g->frame_count++;
        }
    }
    if (root.goroutine == UINT32_MAX)
        heap->warnings.dangling_frames++;
    return add_root(b, &root);
}

/* Whether object i starts a new run: a step down in address, or a new page
 * (spans follow one another in no address order, so a run is cut at every
 * page for runs of different spans never to interleave). */
static int starts_run(const hs_object *objects, uint32_t i)
{
    return objects[i].address < objects[i - 1].address ||
           (objects[i].address >> PAGE_SHIFT) != (objects[i - 1].address >> PAGE_SHIFT);
}

static int collect(builder *b, const hs_record *record)
{
    hs_heap *heap = b->heap;
    heap->record_counts[record->tag]++;
    switch (record->tag) {
    case HS_TAG_OBJECT: {
        if (b->buckets.total + b->adopted.total >= UINT32_MAX - 1)
            return hs_error_set(b->err, HS_ERR_FORMAT, "%s: offset %llu: more than 4294967294 objects",
                                heap->dump->name, (unsigned long long)record->offset);
        hs_object object = {.address = record->object.address,
                            .size = record->object.contents.length,
                            .contents_offset = (uint64_t)(record->object.contents.data - heap->dump->data)};
        if (hs_buckets_add(&b->buckets, &object) < 0)
            return out_of_memory(b, "collecting objects");
        return HS_OK;
    }
    case HS_TAG_PARAMS:
        /* The parser takes one params record, before any object. */
        if (hs_buckets_init(&b->buckets, record->params.heap_start, record->params.heap_end, heap->dump->size,
                            b->bucket_bytes) < 0)
            return out_of_memory(b, "collecting objects");
        return HS_OK;
    case HS_TAG_DATA:
    case HS_TAG_BSS: {
        hs_root root = {.kind = record->tag == HS_TAG_DATA ? HS_ROOT_DATA : HS_ROOT_BSS,
                        .record_offset = record->offset, .address = record->object.address,
                        .contents = record->object.contents, .fields = record->object.fields,
                        .goroutine = UINT32_MAX};
        return add_root(b, &root);
    }
    case HS_TAG_STACK_FRAME:
        return add_frame(b, record);
    case HS_TAG_GOROUTINE: {
        if (heap->goroutine_count >= UINT32_MAX - 1 ||
            hs_array_reserve((void **)&heap->goroutines, &b->goroutine_capacity,
                             (uint64_t)heap->goroutine_count + 1, sizeof *heap->goroutines) < 0)
            return out_of_memory(b, "collecting goroutines");
        hs_goroutine *g = &heap->goroutines[heap->goroutine_count++];
        *g = (hs_goroutine){.record_offset = record->offset, .address = record->goroutine.address,
                            .goid = record->goroutine.goid, .status = record->goroutine.status,
                            .wait_reason = record->goroutine.wait_reason, .first_frame = UINT32_MAX};
        return HS_OK;
    }
    case HS_TAG_FINALIZER:
    case HS_TAG_QUEUED_FINALIZER: {
        hs_root root = {.kind = record->tag == HS_TAG_FINALIZER ? HS_ROOT_FINALIZER : HS_ROOT_QUEUED_FINALIZER,
                        .record_offset = record->offset, .address = record->finalizer.object,
                        .funcval = record->finalizer.funcval, .goroutine = UINT32_MAX};
        return add_root(b, &root);
    }
    case HS_TAG_OTHER_ROOT: {
        hs_root root = {.kind = HS_ROOT_OTHER, .record_offset = record->offset,
                        .address = record->other_root.pointer, .name = record->other_root.description,
                        .goroutine = UINT32_MAX};
        return add_root(b, &root);
    }
    case HS_TAG_ALLOC_SAMPLE:
        if (hs_array_reserve((void **)&heap->samples, &b->sample_capacity, heap->sample_count + 1,
                             sizeof *heap->samples) < 0)
            return out_of_memory(b, "collecting alloc samples");
        heap->samples[heap->sample_count++] = (hs_sample){record->sample.address, record->sample.bucket};
        return HS_OK;
    case HS_TAG_MEMPROF:
        if (hs_array_reserve((void **)&heap->profile_offsets, &b->profile_capacity, heap->profile_count + 1,
                             sizeof *heap->profile_offsets) < 0)
            return out_of_memory(b, "collecting profile records");
        heap->profile_offsets[heap->profile_count++] = record->offset;
        return HS_OK;
    case HS_TAG_MEMSTATS:
        memcpy(heap->memstats, record->memstats.values, sizeof heap->memstats);
        heap->has_memstats = 1;
        return HS_OK;
    default:
        return HS_OK;
    }
}

static int compare_objects(const void *a, const void *b)
{
    uint64_t x = ((const hs_object *)a)->address, y = ((const hs_object *)b)->address;
    return (x > y) - (x < y);
}

hs_fields hs_object_fields(const hs_heap *heap, hs_node object)
{
    const hs_object *o = &heap->objects[object];
    uint64_t start = o->contents_offset + o->size;
    hs_fields fields = {.encoded = heap->dump->data + start, .encoded_length = heap->dump->size - start};
    return fields;
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

/* A run of objects that the dump lists in ascending address order (one span). */
typedef struct object_run {
    uint64_t first_address;
    const hs_object *objects;
    uint64_t length;
} object_run;

static int compare_runs_by_address(const void *a, const void *b)
{
    uint64_t x = ((const object_run *)a)->first_address, y = ((const object_run *)b)->first_address;
    return (x > y) - (x < y);
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
            if (hs_array_reserve((void **)runs, capacity, count + 1, sizeof **runs) < 0)
                return -1;
            (*runs)[count++] = (object_run){objects[start].address, objects + start, i - start};
            start = i;
        }
        total += parts[p]->count;
    }
    qsort(*runs, count, sizeof **runs, compare_runs_by_address);
    int interleaved = 0;
    for (uint64_t r = 1; r < count && !interleaved; r++)
        interleaved = (*runs)[r - 1].objects[(*runs)[r - 1].length - 1].address > (*runs)[r].first_address;
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
    }
    free(runs);
    return NULL;
}

/* Gathers the buckets into the object table and sorts it by address,
 * bucket by bucket, marking span tails as it goes, the buckets split
 * between two threads by object count; then refuses overlapping objects. */
static int sort_objects(builder *b)
{
    hs_heap *heap = b->heap;
    if (!b->buckets.buckets && hs_buckets_init(&b->buckets, 0, 0, 0, 0) < 0)
        return out_of_memory(b, "collecting objects"); /* no params record: no objects */
    uint32_t bucket_count = b->bucket_count = b->buckets.count;
    b->bucket_starts = malloc(((size_t)bucket_count + 1) * sizeof *b->bucket_starts);
    if (!b->bucket_starts)
        return out_of_memory(b, "gathering objects");
    hs_buckets_layout(&b->buckets, b->adopted.buckets ? &b->adopted : NULL, b->bucket_starts);
    heap->object_count = (uint32_t)b->bucket_starts[bucket_count];
    heap->objects = malloc(((size_t)heap->object_count + 1) * sizeof *heap->objects);
    heap->flags = calloc((size_t)heap->object_count + 1, 1);
    if (!heap->objects || !heap->flags)
        return out_of_memory(b, "gathering objects");
    hs_array_advise_huge(heap->objects, ((size_t)heap->object_count + 1) * sizeof *heap->objects);
    hs_array_advise_huge(heap->flags, (size_t)heap->object_count + 1);
    uint32_t mid = bucket_count;
    if (heap->object_count > b->split_min_objects)
        for (mid = 0; mid < bucket_count && b->bucket_starts[mid] < heap->object_count / 2; mid++)
            ;
    slice_sorter sorters[2] = {{.b = b, .first = 0, .last = mid}, {.b = b, .first = mid, .last = bucket_count}};
    pthread_t helper;
    int threaded = mid < bucket_count && mid > 0 && pthread_create(&helper, NULL, sort_slices, &sorters[1]) == 0;
    sort_slices(&sorters[0]);
    if (threaded)
        pthread_join(helper, NULL);
    else
        sort_slices(&sorters[1]);
    if (sorters[0].failed || sorters[1].failed)
        return out_of_memory(b, "sorting objects");
    heap->warnings.span_tail_objects = sorters[0].span_tails + sorters[1].span_tails;
    for (uint32_t i = 1; i < heap->object_count; i++) {
        const hs_object *prev = &heap->objects[i - 1], *cur = &heap->objects[i];
        if (prev->address + prev->size > cur->address || prev->address + prev->size < prev->address ||
            prev->address == cur->address) {
            /* Report the later record of the two. */
            const hs_object *later = prev->contents_offset > cur->contents_offset ? prev : cur;
            const hs_object *earlier = later == prev ? cur : prev;
            return hs_error_set(b->err, HS_ERR_FORMAT,
                                "%s: offset %llu: while reading object record (its contents start there): object 0x%llx "
                                "(%llu bytes) overlaps object 0x%llx (%llu bytes)",
                                heap->dump->name, (unsigned long long)later->contents_offset,
                                (unsigned long long)later->address, (unsigned long long)later->size,
                                (unsigned long long)earlier->address, (unsigned long long)earlier->size);
        }
    }
    return HS_OK;
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
    uint32_t low = 0, high = heap->object_count;
    while (low < high) {
        uint32_t mid = low + (high - low) / 2;
        if (heap->objects[mid].address + heap->objects[mid].size <= first_start)
            low = mid + 1;
        else
            high = mid;
    }
    uint32_t object = low;
    for (uint64_t p = range->first; p <= range->last; p++) {
        uint64_t page_start = heap->page_base + (p << PAGE_SHIFT), page_end = page_start + PAGE_SIZE;
        while (object < heap->object_count &&
               heap->objects[object].address + heap->objects[object].size <= page_start)
            object++;
        heap->page_first[p] = object;
        if (!heap->page_runs || p == heap->page_count || object >= heap->object_count ||
            (heap->flags[object] & HS_OBJECT_SPAN_TAIL))
            continue;
        const hs_object *o = &heap->objects[object];
        if (o->size == 0 || o->size >= (1u << 31) || o->address >= page_end ||
            (o->address < page_start && page_start - o->address >= (1u << 31)))
            continue;
        uint64_t size = o->size, next = o->address;
        uint32_t j = object;
        while (j < heap->object_count && heap->objects[j].address == next && heap->objects[j].size == size &&
               next < page_end && !(heap->flags[j] & HS_OBJECT_SPAN_TAIL)) {
            next += size;
            j++;
        }
        uint64_t run_bytes = next - o->address;
        if (run_bytes > UINT32_MAX)
            continue;
        hs_page_run *run = &heap->page_runs[p];
        run->start_offset = (int32_t)((int64_t)o->address - (int64_t)page_start);
        run->run_bytes = (uint32_t)run_bytes;
        run->size = (uint32_t)size;
        /* x * ceil(2^32/size) >> 32 == x / size whenever x * size < 2^32. */
        if (size < (1u << 16) && run_bytes <= (1u << 16))
            run->reciprocal = (uint32_t)((((uint64_t)1 << 32) + size - 1) / size);
    }
    return NULL;
}

/* Built only when the page count stays within a few times the object
 * count, the runs only when 16 bytes a page stay cheap; the pages are split
 * between two threads on a big heap. */
static int build_page_index(builder *b)
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
    heap->page_first = malloc((size_t)(pages + 1) * sizeof *heap->page_first);
    if (!heap->page_first)
        return out_of_memory(b, "building the page index");
    heap->page_base = low;
    heap->page_count = pages;
    if (pages * sizeof(hs_page_run) <= (uint64_t)heap->object_count * 2 &&
        !(heap->page_runs = calloc((size_t)pages, sizeof *heap->page_runs)))
        return out_of_memory(b, "building the page index");
    page_range halves[2] = {{heap, 0, pages / 2}, {heap, pages / 2 + 1, pages}};
    pthread_t helper;
    int threaded = heap->object_count > b->split_min_objects && pthread_create(&helper, NULL, index_pages, &halves[1]) == 0;
    index_pages(&halves[0]);
    if (threaded)
        pthread_join(helper, NULL);
    else
        index_pages(&halves[1]);
    return HS_OK;
}

hs_node hs_heap_find(const hs_heap *heap, uint64_t address, uint64_t *offset)
{
    if (heap->page_runs && address >= heap->page_base) {
        uint64_t page = (address - heap->page_base) >> PAGE_SHIFT;
        if (page < heap->page_count) {
            const hs_page_run *run = &heap->page_runs[page];
            uint64_t start = heap->page_base + (page << PAGE_SHIFT) + (int64_t)run->start_offset;
            uint64_t x = address - start;
            if (address >= start && x < run->run_bytes) {
                uint64_t q = run->reciprocal ? (x * run->reciprocal) >> 32 : x / run->size;
                if (offset)
                    *offset = x - q * run->size;
                return heap->page_first[page] + (hs_node)q;
            }
        }
    }
    uint32_t low = 0, high = heap->object_count;
    if (heap->page_first) {
        if (address < heap->page_base)
            return HS_NO_NODE;
        uint64_t page = (address - heap->page_base) >> PAGE_SHIFT;
        if (page >= heap->page_count)
            return HS_NO_NODE;
        low = heap->page_first[page];
        /* Objects that start before the next page; an object may span pages. */
        high = heap->page_first[page + 1] + 1;
        if (high > heap->object_count)
            high = heap->object_count;
        /* A page's objects share one size (one span): with no free slot
         * between them the covering object is found by arithmetic. A miss
         * (free slots, mixed sizes in a damaged dump) falls back to the
         * binary search over the page. */
        if (low < high && address >= heap->objects[low].address && heap->objects[low].size) {
            uint64_t guess = low + (address - heap->objects[low].address) / heap->objects[low].size;
            if (guess < high) {
                const hs_object *o = &heap->objects[guess];
                if (address >= o->address && address - o->address < o->size) {
                    if (heap->flags[guess] & HS_OBJECT_SPAN_TAIL)
                        return HS_NO_NODE;
                    if (offset)
                        *offset = address - o->address;
                    return (hs_node)guess;
                }
            }
        }
    }
    /* Last object with address <= target, in [low, high). */
    while (low < high) {
        uint32_t mid = low + (high - low) / 2;
        if (heap->objects[mid].address <= address)
            low = mid + 1;
        else
            high = mid;
    }
    if (low == 0)
        return HS_NO_NODE;
    uint32_t i = low - 1;
    const hs_object *o = &heap->objects[i];
    if (address < o->address || address - o->address >= o->size || (heap->flags[i] & HS_OBJECT_SPAN_TAIL))
        return HS_NO_NODE;
    if (offset)
        *offset = address - o->address;
    return i;
}

void hs_heap_neighbours(const hs_heap *heap, uint64_t address, hs_node *below, hs_node *above)
{
    uint32_t low = 0, high = heap->object_count;
    while (low < high) {
        uint32_t mid = low + (high - low) / 2;
        if (heap->objects[mid].address <= address)
            low = mid + 1;
        else
            high = mid;
    }
    *below = HS_NO_NODE;
    *above = HS_NO_NODE;
    for (uint32_t i = low; i > 0; i--)
        if (!(heap->flags[i - 1] & HS_OBJECT_SPAN_TAIL)) {
            *below = i - 1;
            break;
        }
    for (uint32_t i = low; i < heap->object_count; i++)
        if (!(heap->flags[i] & HS_OBJECT_SPAN_TAIL)) {
            *above = i;
            break;
        }
}

uint64_t hs_node_address(const hs_heap *heap, hs_node node)
{
    if (node < heap->object_count)
        return heap->objects[node].address;
    return heap->roots[node - heap->object_count].address;
}

const char *hs_root_kind_name(enum hs_root_kind kind)
{
    switch (kind) {
    case HS_ROOT_DATA: return "data";
    case HS_ROOT_BSS: return "bss";
    case HS_ROOT_FRAME: return "frame";
    case HS_ROOT_FINALIZER:
    case HS_ROOT_QUEUED_FINALIZER: return "finalizer";
    case HS_ROOT_OTHER: return "otherroot";
    }
    return "unknown";
}

uint32_t hs_heap_goroutine_by_id(const hs_heap *heap, uint64_t goid)
{
    for (uint32_t i = 0; i < heap->goroutine_count; i++)
        if (heap->goroutines[i].goid == goid)
            return i;
    return UINT32_MAX;
}

/* Inlined where the visitor is known (edge collection), so that the
 * compiler can inline the visitor too. */
__attribute__((always_inline)) static inline int visit_region(const hs_heap *heap, const uint8_t *bytes,
                                                              uint64_t length, const hs_fields *fields,
                                                              int include_dangling, hs_slot_visitor visit,
                                                              void *context)
{
    hs_field_iter iter;
    uint64_t slot;
    hs_fields_begin(&iter, fields, length, heap->params.pointer_size);
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
    return visit_region(heap, hs_object_contents(heap, node), heap->objects[node].size, &fields, include_dangling,
                        visit, context);
}

int hs_heap_visit_slots(const hs_heap *heap, hs_node node, int include_dangling, hs_slot_visitor visit,
                        void *context)
{
    if (node < heap->object_count)
        return visit_object(heap, node, include_dangling, visit, context);
    const hs_root *root = &heap->roots[node - heap->object_count];
    uint64_t offset = 0;
    hs_node target;
    switch (root->kind) {
    case HS_ROOT_DATA:
    case HS_ROOT_BSS:
    case HS_ROOT_FRAME:
        return visit_region(heap, root->contents.data, root->contents.length, &root->fields, include_dangling,
                            visit, context);
    case HS_ROOT_FINALIZER: {
        /* The collector marks what the object points to and the closure, not
         * the object itself: an object with a finalizer is kept only when
         * something (possibly a cycle through its own referents) reaches it. */
        target = hs_heap_find(heap, root->address, &offset);
        if (target != HS_NO_NODE && offset == 0) {
            int stop = hs_heap_visit_slots(heap, target, include_dangling, visit, context);
            if (stop)
                return stop;
        }
        if (root->funcval) {
            target = hs_heap_find(heap, root->funcval, &offset);
            if (target != HS_NO_NODE || include_dangling)
                return visit(UINT64_MAX, root->funcval, target, offset, context);
        }
        return 0;
    }
    case HS_ROOT_QUEUED_FINALIZER:
    case HS_ROOT_OTHER:
        if (root->address == 0)
            return 0;
        target = hs_heap_find(heap, root->address, &offset);
        if (target != HS_NO_NODE || include_dangling)
            return visit(0, root->address, target, offset, context);
        return 0;
    }
    return 0;
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
    if (sink->count == sink->capacity) {
        if (sink->count >= UINT32_MAX - 1 ||
            hs_array_reserve((void **)&sink->targets, &sink->capacity, sink->count + 1, sizeof *sink->targets) < 0) {
            sink->failed = 1;
            return 1;
        }
        hs_array_advise_huge(sink->targets, (size_t)sink->capacity * sizeof *sink->targets);
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
        return out_of_memory(b, "building edges");
    }
    hs_array_advise_huge(heap->out_start, ((size_t)nodes + 1) * sizeof *heap->out_start);
    hs_array_advise_huge(heap->in_start, ((size_t)heap->object_count + 2) * sizeof *heap->in_start);
    atomic_init(&work.next_chunk, 0);
    pthread_t helper;
    int threaded = heap->object_count > b->split_min_objects && work.chunk_count > 1 &&
                   pthread_create(&helper, NULL, collect_edges, &work) == 0;
    heap->split_work = threaded;
    collect_edges(&work);
    if (threaded)
        pthread_join(helper, NULL);
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
    if (heap->out_target)
        hs_array_advise_huge(heap->out_target, (size_t)total * sizeof *heap->out_target);
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
        return out_of_memory(b, "building edges");
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
        return out_of_memory(b, "building reverse edges");
    hs_array_advise_huge(heap->in_source, (size_t)heap->edge_count * sizeof *heap->in_source);
    for (uint32_t n = 0; n < nodes; n++)
        for (uint64_t e = heap->out_start[n]; e < heap->out_start[n + 1]; e++)
            heap->in_source[heap->in_start[heap->out_target[e] + 1]++] = n;
    /* in_start[i] .. in_start[i+1] is now the run of object i. */
    return HS_OK;
}

/* Marks every object reachable from a root (iterative, explicit stack).
 * Returns -1 when out of memory, without a message (it may run on a second
 * thread). */
static int mark_reachable(hs_heap *heap)
{
    /* Depth first; the stack grows as needed (a tree or a list keeps it
     * short), up to one entry per object. */
    uint32_t *stack = NULL;
    uint64_t top = 0, capacity = 0;
    int status = 0;
    for (hs_node r = heap->object_count; r < hs_heap_node_count(heap) && status == 0; r++) {
        for (uint64_t e = heap->out_start[r]; e < heap->out_start[r + 1] && status == 0; e++) {
            hs_node t = heap->out_target[e];
            if (heap->flags[t] & HS_OBJECT_REACHABLE)
                continue;
            heap->flags[t] |= HS_OBJECT_REACHABLE;
            status = hs_array_reserve((void **)&stack, &capacity, top + 1, sizeof *stack);
            if (status == 0)
                stack[top++] = t;
            while (top > 0 && status == 0) {
                hs_node n = stack[--top];
                heap->reachable_count++;
                heap->reachable_bytes += heap->objects[n].size;
                for (uint64_t f = heap->out_start[n]; f < heap->out_start[n + 1]; f++) {
                    hs_node u = heap->out_target[f];
                    if (heap->flags[u] & HS_OBJECT_REACHABLE)
                        continue;
                    heap->flags[u] |= HS_OBJECT_REACHABLE;
                    status = hs_array_reserve((void **)&stack, &capacity, top + 1, sizeof *stack);
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

static void mark_finalizers(hs_heap *heap)
{
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

/* Finalizer flags and reachability read the forward edges and write flags;
 * the reverse edges read the forward edges and write their own arrays: on a
 * big heap the two run side by side. */
typedef struct marking {
    hs_heap *heap;
    int failed;
} marking;

static void *mark_objects(void *argument)
{
    marking *m = argument;
    mark_finalizers(m->heap);
    m->failed = mark_reachable(m->heap) < 0;
    return NULL;
}

static int build_reverse_edges_and_mark(builder *b)
{
    marking m = {.heap = b->heap};
    pthread_t helper;
    int threaded = b->heap->object_count > b->split_min_objects &&
                   pthread_create(&helper, NULL, mark_objects, &m) == 0;
    int status = build_reverse_edges(b);
    if (threaded)
        pthread_join(helper, NULL);
    else
        mark_objects(&m);
    if (m.failed && status >= 0)
        status = out_of_memory(b, "marking reachable objects");
    return status;
}

/* Reading in two halves: a helper thread reads the object records from a
 * guessed boundary near the middle of the dump (object records fill most of
 * a dump) until the first record that is not an object, into its own table.
 * The main thread reads from the start; if it lands exactly on the guessed
 * boundary, the guess was a real record start, so the helper's records are
 * exactly the ones the main thread would have read next: it appends them
 * and carries on after them. Otherwise (a wrong guess, or any error in the
 * helper's half) the helper's work is dropped and the main thread reads on
 * alone, so results and error messages are those of a one-thread read. */
/* Reads consecutive object records into buckets: from the parser's
 * position until a record that is not an object (in its one-byte tag),
 * the end of the dump, or the first record that starts at or past
 * stop_at. Both threads read objects here; other records go through
 * hs_parser_next and collect. `others` is the count of objects held
 * elsewhere, for the 32-bit limit. Sets *read; returns HS_OK, the parser's
 * error, HS_ERR_FORMAT past the limit (with a message when err is not
 * NULL) or HS_ERR_NOMEM (without one). */
static int read_object_records(hs_parser *parser, hs_buckets *buckets, uint64_t stop_at, uint64_t others,
                               uint64_t *read, hs_error *err)
{
    const uint8_t *data = parser->dump->data;
    uint64_t end = stop_at < parser->cursor.size ? stop_at : parser->cursor.size, count = 0;
    int status = HS_OK;
    while (parser->cursor.pos < end && data[parser->cursor.pos] == HS_TAG_OBJECT) {
        if (buckets->total + others >= UINT32_MAX - 1) {
            status = hs_error_set(err, HS_ERR_FORMAT, "%s: offset %llu: more than 4294967294 objects",
                                  parser->dump->name, (unsigned long long)parser->cursor.pos);
            break;
        }
        uint64_t address;
        hs_bytes contents;
        status = hs_parser_next_object(parser, &address, &contents, err);
        if (status < 0)
            break;
        hs_object object = {
            .address = address, .size = contents.length, .contents_offset = (uint64_t)(contents.data - data)};
        status = hs_buckets_add(buckets, &object);
        if (status < 0)
            break;
        count++;
    }
    *read = count;
    return status < 0 ? status : HS_OK;
}

/* The helper checks between chunks whether it should stop. */
#define HELPER_CHUNK_BYTES ((uint64_t)1 << 20)
/* Progress is reported between chunks of this many bytes. */
#define PROGRESS_BYTES ((uint64_t)16 << 20)
#define SPLIT_GUESS_WINDOW ((uint64_t)4 << 20)
#define SPLIT_GUESS_CHAIN 32

typedef struct object_half {
    hs_parser parser;       /* a copy of the main parser, moved to the boundary */
    uint64_t boundary, end; /* where the helper started and where it stopped */
    hs_buckets buckets;     /* laid out as the main thread's */
    atomic_int stop;  /* set by the main thread when the helper's work is no longer wanted */
    int failed;       /* a parse error or out of memory: the half is dropped */
} object_half;

static void *read_object_half(void *argument)
{
    object_half *half = argument;
    /* Work on locals, written back at the end: the main thread's stack is
     * near, and sharing cache lines with it would slow both threads. */
    hs_parser parser = half->parser;
    hs_buckets buckets = half->buckets;
    int failed = 1;
    while (!atomic_load_explicit(&half->stop, memory_order_relaxed)) {
        uint64_t chunk_end = parser.cursor.pos + HELPER_CHUNK_BYTES, read;
        if (read_object_records(&parser, &buckets, chunk_end, 0, &read, NULL) < 0)
            break;
        if (parser.cursor.pos < chunk_end) { /* a record that is not an object, or the end */
            failed = 0;
            break;
        }
    }
    half->parser = parser;
    half->end = parser.cursor.pos;
    half->buckets = buckets;
    half->failed = failed;
    return NULL;
}

/* Starts the helper on the second half when the dump is big enough and a
 * boundary can be guessed; returns whether it runs. */
static int start_object_half(const hs_parser *parser, const hs_heap_options *options, uint64_t bucket_bytes,
                             object_half *half, pthread_t *thread)
{
    uint64_t size = parser->dump->size;
    uint64_t min_bytes = options->split_parse_min_bytes ? options->split_parse_min_bytes : HS_SPLIT_PARSE_MIN_BYTES;
    if (size < min_bytes)
        return 0;
    uint64_t tries[3] = {size / 2, size / 8 * 3, size / 4};
    if (options->split_parse_from)
        tries[0] = tries[1] = tries[2] = options->split_parse_from;
    uint64_t boundary = UINT64_MAX;
    for (int i = 0; i < 3 && boundary == UINT64_MAX; i++)
        if (tries[i] > parser->cursor.pos && (i == 0 || tries[i] != tries[i - 1]))
            boundary = hs_parser_guess_object_boundary(parser, tries[i], SPLIT_GUESS_WINDOW, SPLIT_GUESS_CHAIN);
    if (boundary == UINT64_MAX)
        return 0;
    *half = (object_half){.parser = *parser, .boundary = boundary};
    const hs_params *params = &parser->params;
    if (hs_buckets_init(&half->buckets, params->heap_start, params->heap_end, size, bucket_bytes) < 0)
        return 0;
    atomic_init(&half->stop, 0);
    half->parser.cursor.pos = boundary;
    half->parser.records = 0;
    half->parser.warnings = (hs_parse_warnings){0};
    if (pthread_create(thread, NULL, read_object_half, half) != 0) {
        hs_buckets_free(&half->buckets);
        return 0;
    }
    return 1;
}

/* Joins the helper; when the main parser stands on the boundary and the
 * helper succeeded, adopts its objects (they stay in the helper's buckets
 * until the gathering) and moves the parser past them. */
static void finish_object_half(builder *b, hs_parser *parser, object_half *half, pthread_t thread)
{
    hs_heap *heap = b->heap;
    if (parser->cursor.pos != half->boundary)
        atomic_store(&half->stop, 1);
    pthread_join(thread, NULL);
    if (parser->cursor.pos == half->boundary && !half->failed &&
        b->buckets.total + half->buckets.total < UINT32_MAX - 1) {
        b->adopted = half->buckets;
        half->buckets = (hs_buckets){0};
        heap->record_counts[HS_TAG_OBJECT] += b->adopted.total;
        parser->records += half->parser.records;
        if (half->parser.warnings.fields_outside) {
            if (parser->warnings.fields_outside == 0)
                parser->warnings.fields_outside_first = half->parser.warnings.fields_outside_first;
            parser->warnings.fields_outside += half->parser.warnings.fields_outside;
        }
        parser->cursor.pos = half->end;
        heap->split_parse_offset = half->boundary;
        heap->split_parse_objects = b->adopted.total;
    }
    hs_buckets_free(&half->buckets);
}

/* Reads every record, collecting what the model keeps. */
static int read_records(builder *b, const hs_heap_options *options)
{
    hs_heap *heap = b->heap;
    const hs_dump *dump = heap->dump;
    hs_parser parser;
    hs_record record;
    object_half half;
    pthread_t helper;
    int helper_running = 0, helper_tried = 0;
    uint64_t boundary = UINT64_MAX, next_report = 0;
    int status = hs_parser_init(&parser, dump, b->err);
    while (status >= 0 && !parser.finished) {
        if (parser.seen_params && parser.cursor.pos < dump->size && dump->data[parser.cursor.pos] == HS_TAG_OBJECT) {
            /* Object records, up to the next progress report or the
             * helper's boundary, whichever comes first. */
            uint64_t read, stop_at = next_report < boundary ? next_report : boundary;
            status = read_object_records(&parser, &b->buckets, stop_at, b->adopted.total, &read, b->err);
            heap->record_counts[HS_TAG_OBJECT] += read;
            if (status == HS_ERR_NOMEM)
                status = out_of_memory(b, "collecting objects");
        } else {
            status = hs_parser_next(&parser, &record, b->err);
            if (status <= 0)
                break;
            status = collect(b, &record);
        }
        if (!helper_tried && parser.seen_params && status >= 0) {
            helper_tried = 1;
            helper_running = start_object_half(&parser, options, b->bucket_bytes, &half, &helper);
            boundary = helper_running ? half.boundary : UINT64_MAX;
        }
        if (helper_running && parser.cursor.pos >= boundary && status >= 0) {
            helper_running = 0;
            boundary = UINT64_MAX;
            finish_object_half(b, &parser, &half, helper);
        }
        if (parser.cursor.pos >= next_report) {
            if (options->progress)
                options->progress(parser.cursor.pos, dump->size, options->progress_context);
            next_report = parser.cursor.pos + PROGRESS_BYTES;
        }
    }
    if (helper_running) {
        atomic_store(&half.stop, 1);
        pthread_join(helper, NULL);
        hs_buckets_free(&half.buckets);
    }
    if (options->progress)
        options->progress(dump->size, dump->size, options->progress_context);
    heap->params = parser.params;
    heap->parse_warnings = parser.warnings;
    return status;
}

int hs_heap_build(const hs_dump *dump, hs_heap **out, hs_error *err)
{
    return hs_heap_build_with_options(dump, NULL, out, err);
}

int hs_heap_build_with_options(const hs_dump *dump, const hs_heap_options *options, hs_heap **out, hs_error *err)
{
    static const hs_heap_options defaults = {0};
    if (!options)
        options = &defaults;
    *out = NULL;
    hs_heap *heap = calloc(1, sizeof *heap);
    if (!heap)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory", dump->name);
    heap->dump = dump;
    builder b = {.heap = heap,
                 .err = err,
                 .split_min_objects = options->split_min_objects ? options->split_min_objects : HS_SPLIT_MIN_OBJECTS,
                 .bucket_bytes = options->bucket_bytes ? options->bucket_bytes : HS_BUCKET_BYTES};
    int status = read_records(&b, options);
    if (status >= 0)
        status = sort_objects(&b);
    hs_buckets_free(&b.buckets);
    hs_buckets_free(&b.adopted);
    if (status >= 0)
        status = build_page_index(&b);
    if (status >= 0)
        status = build_forward_edges(&b);
    if (status >= 0)
        status = build_reverse_edges_and_mark(&b);
    free(b.bucket_starts);
    if (status < 0) {
        hs_heap_free(heap);
        return status;
    }
    *out = heap;
    return HS_OK;
}

void hs_heap_free(hs_heap *heap)
{
    if (!heap)
        return;
    free(heap->objects);
    free(heap->flags);
    free(heap->roots);
    free(heap->goroutines);
    free(heap->out_start);
    free(heap->out_target);
    free(heap->in_start);
    free(heap->in_source);
    free(heap->page_first);
    free(heap->page_runs);
    free(heap->samples);
    free(heap->profile_offsets);
    free(heap);
}
