/* heap_read.c — reads a dump's records into the heap being built; on a big dump a second thread reads the second half's object records. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "heap_build.h"

static int add_root(builder *b, const hs_root *root)
{
    hs_heap *heap = b->heap;
    if (heap->root_count >= UINT32_MAX - 1 ||
        HS_ARRAY_RESERVE(heap->roots, &b->root_capacity, (uint64_t)heap->root_count + 1) < 0)
        return heap_out_of_memory(b, "collecting roots");
    heap->roots[heap->root_count++] = *root;
    return HS_OK;
}

static int add_frame(builder *b, const hs_record *record)
{
    hs_heap *heap = b->heap;
    hs_root root = {.kind = HS_ROOT_FRAME, .record_offset = record->offset, .address = record->frame.sp,
                    .contents = record->frame.contents, .fields = record->frame.fields,
                    .name = record->frame.name, .depth = record->frame.depth,
                    .child_sp = record->frame.child_sp, .goroutine = UINT32_MAX, .pc = record->frame.pc};
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

/* Puts the object record at `offset` into its bucket, within the 32-bit
 * limit on objects (`others` counts those held elsewhere). Returns HS_OK,
 * HS_ERR_FORMAT past the limit (with a message when err is not NULL) or
 * HS_ERR_NOMEM (without one). Both reading paths come here. */
static int add_object(hs_buckets *buckets, uint64_t others, const hs_dump *dump, uint64_t offset, uint64_t address,
                      hs_bytes contents, hs_error *err)
{
    if (buckets->total + others >= UINT32_MAX - 1)
        return hs_error_set(err, HS_ERR_FORMAT, "%s: offset %llu: more than 4294967294 objects", dump->name,
                            (unsigned long long)offset);
    hs_object object = {
        .address = address, .size = contents.length, .contents_offset = (uint64_t)(contents.data - dump->data)};
    return hs_buckets_add(buckets, &object);
}

static int collect(builder *b, const hs_record *record)
{
    hs_heap *heap = b->heap;
    heap->record_counts[record->tag]++;
    switch (record->tag) {
    case HS_TAG_OBJECT: {
        int status = add_object(&b->buckets, b->adopted.total, heap->dump, record->offset, record->object.address,
                                record->object.contents, b->err);
        return status == HS_ERR_NOMEM ? heap_out_of_memory(b, "collecting objects") : status;
    }
    case HS_TAG_PARAMS:
        /* The parser takes one params record, before any object. */
        if (hs_buckets_init(&b->buckets, record->params.heap_start, record->params.heap_end, heap->dump->size,
                            b->bucket_bytes) < 0)
            return heap_out_of_memory(b, "collecting objects");
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
            HS_ARRAY_RESERVE(heap->goroutines, &b->goroutine_capacity,
                             (uint64_t)heap->goroutine_count + 1) < 0)
            return heap_out_of_memory(b, "collecting goroutines");
        hs_goroutine *g = &heap->goroutines[heap->goroutine_count++];
        *g = (hs_goroutine){.record_offset = record->offset, .address = record->goroutine.address,
                            .goid = record->goroutine.goid, .status = record->goroutine.status,
                            .go_pc = record->goroutine.go_pc, .is_system = record->goroutine.is_system,
                            .wait_reason = record->goroutine.wait_reason, .first_frame = UINT32_MAX};
        return HS_OK;
    }
    case HS_TAG_FINALIZER:
    case HS_TAG_QUEUED_FINALIZER: {
        hs_root root = {.kind = record->tag == HS_TAG_FINALIZER ? HS_ROOT_FINALIZER : HS_ROOT_QUEUED_FINALIZER,
                        .record_offset = record->offset, .address = record->finalizer.object,
                        .funcval = record->finalizer.funcval, .object_type = record->finalizer.object_type,
                        .goroutine = UINT32_MAX};
        return add_root(b, &root);
    }
    case HS_TAG_OTHER_ROOT: {
        hs_root root = {.kind = HS_ROOT_OTHER, .record_offset = record->offset,
                        .address = record->other_root.pointer, .name = record->other_root.description,
                        .goroutine = UINT32_MAX};
        return add_root(b, &root);
    }
    case HS_TAG_ALLOC_SAMPLE:
        if (HS_ARRAY_RESERVE(heap->samples, &b->sample_capacity, heap->sample_count + 1) < 0)
            return heap_out_of_memory(b, "collecting alloc samples");
        heap->samples[heap->sample_count++] = (hs_sample){record->sample.address, record->sample.bucket};
        return HS_OK;
    case HS_TAG_MEMPROF:
        if (HS_ARRAY_RESERVE(heap->profile_offsets, &b->profile_capacity, heap->profile_count + 1) < 0)
            return heap_out_of_memory(b, "collecting profile records");
        heap->profile_offsets[heap->profile_count++] = record->offset;
        return HS_OK;
    case HS_TAG_ITAB:
        if (HS_ARRAY_RESERVE(heap->itabs, &b->itab_capacity, heap->itab_count + 1) < 0)
            return heap_out_of_memory(b, "collecting itab records");
        heap->itabs[heap->itab_count++] = (hs_itab){record->itab.address, record->itab.type};
        return HS_OK;
    case HS_TAG_MEMSTATS:
        memcpy(heap->memstats, record->memstats.values, sizeof heap->memstats);
        heap->has_memstats = 1;
        return HS_OK;
    default:
        return HS_OK;
    }
}

/* Reading in two halves: a helper thread reads the object records from a
 * guessed boundary near the middle of the dump (object records fill most of
 * a dump) until the first record that is not an object, into its own
 * buckets. The main thread reads from the start; if it lands exactly on the
 * guessed boundary (and not just past an end-of-file record), the guess was
 * a real record start, so the helper's records are exactly the ones the
 * main thread would have read next: it adopts them and carries on after
 * them. Otherwise (a wrong guess, or any error in the helper's half) the
 * helper's work is dropped and the main thread reads on alone, so results
 * and error messages are those of a one-thread read. */

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
        uint64_t offset = parser->cursor.pos, address;
        hs_bytes contents;
        status = hs_parser_next_object(parser, &address, &contents, err);
        if (status >= 0)
            status = add_object(buckets, others, parser->dump, offset, address, contents, err);
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

/* Joins the helper; when the main parser stands on the boundary, still
 * reading (not just past an end-of-file record, after which the rest is
 * trailing bytes), and the helper succeeded, adopts its objects (they stay
 * in the helper's buckets until the gathering) and moves the parser past
 * them. */
static void finish_object_half(builder *b, hs_parser *parser, object_half *half, pthread_t thread)
{
    hs_heap *heap = b->heap;
    int landed = parser->cursor.pos == half->boundary && !parser->finished;
    if (!landed)
        atomic_store(&half->stop, 1);
    pthread_join(thread, NULL);
    if (landed && !half->failed &&
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
int heap_read_records(builder *b, const hs_heap_options *options)
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
                status = heap_out_of_memory(b, "collecting objects");
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

