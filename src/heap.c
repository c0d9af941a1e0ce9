/* heap.c — the heap model: building it (reading, then indexing), finding the object at an address, visiting pointer slots. */
#include "hs_heap.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "heap_build.h"
#include "search.h"

static inline uint64_t object_address(const hs_object *object)
{
    return object->address;
}

HS_DEFINE_SEARCH(objects, hs_object, uint64_t, object_address)

int heap_out_of_memory(builder *b, const char *what)
{
    return hs_error_set(b->err, HS_ERR_NOMEM, "%s: out of memory while %s", b->heap->dump->name, what);
}

hs_fields hs_object_fields(const hs_heap *heap, hs_node object)
{
    const hs_object *o = &heap->objects[object];
    uint64_t start = o->contents_offset + o->size;
    hs_fields fields = {.encoded = heap->dump->data + start, .encoded_length = heap->dump->size - start};
    return fields;
}

void hs_object_fields_begin(const hs_heap *heap, hs_node object, hs_field_iter *iter)
{
    hs_fields fields = hs_object_fields(heap, object);
    hs_fields_begin(iter, &fields, heap->objects[object].size, heap->params.pointer_size);
    iter->shift = hs_object_header_bytes(heap, object);
}

uint64_t hs_object_header_word(const hs_heap *heap, hs_node object)
{
    if (!(heap->flags[object] & HS_OBJECT_HEADER))
        return 0;
    const uint8_t *slot = heap->dump->data + heap->objects[object].contents_offset - HS_ALLOCATION_HEADER_BYTES;
    return hs_heap_word(heap, slot, 0);
}

hs_node hs_heap_object_at_slot(const hs_heap *heap, uint64_t slot_address)
{
    /* The first object whose Go address is at or past the slot address: a
     * slot's object starts at most a header into it. */
    hs_node first = (hs_node)objects_first_at_least(heap->objects, 0, heap->object_count, slot_address);
    if (first < heap->object_count && hs_object_slot_address(heap, first) == slot_address)
        return first;
    return HS_NO_NODE;
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
                uint64_t in_slot = x - q * run->size;
                if (in_slot < run->header)
                    return HS_NO_NODE;
                if (offset)
                    *offset = in_slot - run->header;
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
        uint64_t stride = low < high ? hs_object_slot_size(heap, low) : 0;
        if (low < high && address >= heap->objects[low].address && stride) {
            uint64_t guess = low + (address - heap->objects[low].address) / stride;
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
    uint32_t above = (uint32_t)objects_first_above(heap->objects, low, high, address);
    if (above == 0)
        return HS_NO_NODE;
    uint32_t i = above - 1;
    const hs_object *o = &heap->objects[i];
    if (address < o->address || address - o->address >= o->size || (heap->flags[i] & HS_OBJECT_SPAN_TAIL))
        return HS_NO_NODE;
    if (offset)
        *offset = address - o->address;
    return i;
}

void hs_heap_neighbours(const hs_heap *heap, uint64_t address, hs_node *below, hs_node *above)
{
    uint32_t low = (uint32_t)objects_first_above(heap->objects, 0, heap->object_count, address);
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
        return visit_region(heap, root->contents.data, root->contents.length, &root->fields, 0, include_dangling,
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

void hs_heap_write_warnings(FILE *out, const hs_heap *heap)
{
    const char *name = heap->dump->name;
    if (heap->parse_warnings.fields_outside)
        fprintf(out,
                "heapspurs: warning: %s: %" PRIu64 " pointer offsets lie outside their object, frame or segment "
                "(first in the record at offset %" PRIu64 "); they were ignored\n",
                name, heap->parse_warnings.fields_outside, heap->parse_warnings.fields_outside_first);
    if (heap->dump->gzip_trailing_bytes)
        fprintf(out, "heapspurs: warning: %s: %s%" PRIu64 " bytes after the gzip data were ignored\n", name,
                heap->dump->gzip_trailing_more ? "more than " : "", heap->dump->gzip_trailing_bytes);
    if (heap->parse_warnings.trailing_bytes)
        fprintf(out, "heapspurs: warning: %s: %" PRIu64 " bytes after the end-of-file record were ignored\n", name,
                heap->parse_warnings.trailing_bytes);
    if (heap->warnings.finalizer_no_object)
        fprintf(out,
                "heapspurs: warning: %s: %" PRIu64 " finalizer records name an address no object covers; "
                "they keep nothing\n",
                name, heap->warnings.finalizer_no_object);
    if (heap->warnings.repeated_root_slots)
        fprintf(out,
                "heapspurs: warning: %s: %" PRIu64 " pointer offsets repeat in the field lists of segments and stack "
                "frames (first in the record at offset %" PRIu64 "); each slot counts once\n",
                name, heap->warnings.repeated_root_slots, heap->warnings.repeated_root_slots_first);
    if (heap->warnings.dangling_frames)
        fprintf(out,
                "heapspurs: warning: %s: %" PRIu64 " stack frames do not link to their goroutine's stack; "
                "their goroutine is unknown\n",
                name, heap->warnings.dangling_frames);
}

static int compare_offsets(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Counts in heap->warnings the offsets that the field lists of segments and
 * frames name more than once. A list in increasing order (as the runtime
 * writes them) costs one pass; any other is sorted. */
static int count_repeated_root_slots(hs_heap *heap, hs_error *err)
{
    uint64_t *offsets = NULL, capacity = 0;
    for (uint32_t i = 0; i < heap->root_count; i++) {
        const hs_root *r = &heap->roots[i];
        if (r->kind != HS_ROOT_DATA && r->kind != HS_ROOT_BSS && r->kind != HS_ROOT_FRAME)
            continue;
        hs_field_iter iter;
        uint64_t slot, previous = 0, count = 0;
        int increasing = 1;
        hs_fields_begin(&iter, &r->fields, r->contents.length, heap->params.pointer_size);
        while (hs_fields_next(&iter, &slot)) {
            increasing &= count == 0 || slot > previous;
            previous = slot;
            count++;
        }
        if (increasing)
            continue;
        if (HS_ARRAY_RESERVE(offsets, &capacity, count) < 0) {
            free(offsets);
            return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory while checking field lists", heap->dump->name);
        }
        count = 0;
        hs_fields_begin(&iter, &r->fields, r->contents.length, heap->params.pointer_size);
        while (hs_fields_next(&iter, &slot))
            offsets[count++] = slot;
        qsort(offsets, count, sizeof *offsets, compare_offsets);
        uint64_t repeated = 0;
        for (uint64_t k = 1; k < count; k++)
            repeated += offsets[k] == offsets[k - 1];
        if (repeated && heap->warnings.repeated_root_slots == 0)
            heap->warnings.repeated_root_slots_first = r->record_offset;
        heap->warnings.repeated_root_slots += repeated;
    }
    free(offsets);
    return HS_OK;
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
                 .bucket_bytes = options->bucket_bytes ? options->bucket_bytes : HS_BUCKET_BYTES,
                 .timings = options->timings,
                 .reachability_only = options->reachability_only};
    int status = heap_read_records(&b, options);
    if (status >= 0)
        status = count_repeated_root_slots(heap, err);
    hs_timings_end(b.timings, HS_PHASE_READ);
    if (status >= 0)
        status = heap_sort_objects(&b);
    hs_buckets_free(&b.buckets);
    hs_buckets_free(&b.adopted);
    hs_timings_end(b.timings, HS_PHASE_SORT);
    if (status >= 0)
        status = heap_build_page_index(&b);
    hs_timings_end(b.timings, HS_PHASE_PAGE_INDEX);
    /* The last write to the flags: work beside the edges may read them. */
    if (status >= 0)
        heap_write_finalizer_flags(&b);
    hs_timings_end(b.timings, HS_PHASE_FLAGS);
    int side_work = status >= 0 && options->indexed;
    if (side_work)
        options->indexed(heap, options->indexed_context);
    if (status >= 0)
        status = heap_build_edges(&b);
    if (side_work && options->joined && (status < 0 || !options->return_before_joined))
        options->joined(options->indexed_context);
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
    free(heap->reachable);
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
    free(heap->itabs);
    free(heap);
}

static int name_starts_with(hs_bytes name, const char *prefix)
{
    size_t length = strlen(prefix);
    return name.length >= length && !memcmp(name.data, prefix, length);
}

uint32_t hs_goroutine_own_frame(const hs_heap *heap, const hs_goroutine *goroutine)
{
    static const char *const not_own[] = {"runtime.", "internal/", "sync.", "time.Sleep"};
    for (uint32_t f = 0; goroutine->first_frame != UINT32_MAX && f < goroutine->frame_count; f++) {
        hs_bytes name = heap->roots[goroutine->first_frame + f].name;
        int own = 1;
        for (size_t p = 0; p < sizeof not_own / sizeof *not_own && own; p++)
            own = !name_starts_with(name, not_own[p]);
        if (own)
            return goroutine->first_frame + f;
    }
    return UINT32_MAX;
}
