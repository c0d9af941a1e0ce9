/* sites.c — allocation sites: profile buckets decoded from the dump, object → bucket from alloc samples, site labels. */
#include "hs_sites.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "output.h"
#include "search.h"

static inline uint64_t bucket_id(const hs_bucket *bucket)
{
    return bucket->id;
}

static inline hs_node sampled_object(const struct hs_sampled_object *sampled)
{
    return sampled->object;
}

HS_DEFINE_SEARCH(buckets, hs_bucket, uint64_t, bucket_id)
HS_DEFINE_SEARCH(sampled, struct hs_sampled_object, hs_node, sampled_object)

static int has_prefix(const hs_bytes *text, const char *prefix)
{
    size_t n = strlen(prefix);
    return text->length >= n && memcmp(text->data, prefix, n) == 0;
}

static int is_runtime_function(const hs_bytes *function)
{
    return has_prefix(function, "runtime.") || has_prefix(function, "internal/");
}

/* Standard-library functions that allocate on their caller's behalf: they
 * grow a buffer the caller owns or hands it what they allocated. A site
 * skips their frames as it skips the runtime's, so the bytes go to the line
 * of the program that asked for them instead of, say, bytes.growSlice. Each
 * entry is a prefix of function names as bucket stacks spell them (methods
 * as "pkg.(*T).m"); keep it to growth helpers, documented in docs/sites.md. */
static const struct growth_helper {
    const char *prefix;
    const char *why;
} GROWTH_HELPERS[] = {
    {"bytes.growSlice", "bytes.Buffer's growth (Go 1.20+)"},
    {"bytes.makeSlice", "bytes.Buffer's growth (Go 1.19)"},
    {"bytes.(*Buffer).", "Write, WriteString, WriteByte, WriteRune, ReadFrom, Grow grow the buffer; String copies it"},
    {"strings.(*Builder).", "Write*, Grow and grow grow the builder's buffer"},
    {"fmt.(*buffer).", "the printer's buffer"},
    {"fmt.(*pp).", "the printer, writing into its buffer"},
    {"fmt.(*fmt).", "the formatter, writing into the printer's buffer"},
    {"fmt.Fprint", "Fprint, Fprintf, Fprintln: the caller's writer grows"},
    {"fmt.Sprint", "Sprint, Sprintf, Sprintln: the result string is the caller's"},
    {"fmt.Append", "Append, Appendf, Appendln: the caller's slice grows"},
    {"encoding/json.", "the encoder grows its buffer from dozens of per-type functions, Marshal copies it out, the "
                       "decoder allocates the caller's values"},
    {"io.ReadAll", "the slice it grows is the caller's result"},
};

static int is_growth_helper(const hs_bytes *function)
{
    for (size_t i = 0; i < sizeof GROWTH_HELPERS / sizeof GROWTH_HELPERS[0]; i++)
        if (has_prefix(function, GROWTH_HELPERS[i].prefix))
            return 1;
    return 0;
}

int hs_sites_skips_function(const hs_bytes *function)
{
    return is_runtime_function(function) || is_growth_helper(function);
}

/* The runtime functions a program's allocation goes through before the
 * allocating function (Go 1.26 stacks include them). */
static int is_allocator_entry(const hs_bytes *function)
{
    static const char *const prefixes[] = {
        "runtime.mallocgc", "runtime.newobject", "runtime.newarray", "runtime.makeslice", "runtime.growslice",
        "runtime.makemap", "runtime.makechan", "runtime.rawstring", "runtime.rawbyteslice", "runtime.rawruneslice",
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (has_prefix(function, prefixes[i]))
            return 1;
    return 0;
}

/* Picks the site frame of a stack of n frames and returns its HS_SITE_* flags. */
static uint32_t choose_site_frame(const hs_site_frame *stack, uint32_t n, uint32_t *site_frame)
{
    *site_frame = 0;
    if (n == 0)
        return HS_SITE_NO_FRAMES;
    for (uint32_t i = 0; i < n; i++) {
        if (!hs_sites_skips_function(&stack[i].function)) {
            *site_frame = i;
            return 0;
        }
    }
    /* Every frame is skipped. A stack that leaves the runtime only for growth
     * helpers (cut short by the profiler's depth limit) is named by its first
     * frame outside the runtime, as before they were skipped. */
    for (uint32_t i = 0; i < n; i++) {
        if (!is_runtime_function(&stack[i].function)) {
            *site_frame = i;
            return 0;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!is_allocator_entry(&stack[i].function)) {
            *site_frame = i;
            break;
        }
    }
    return HS_SITE_IN_RUNTIME;
}

static int compare_bytes(const hs_bytes *a, const hs_bytes *b)
{
    uint64_t n = a->length < b->length ? a->length : b->length;
    int c = n ? memcmp(a->data, b->data, n) : 0;
    if (c)
        return c;
    return a->length < b->length ? -1 : a->length > b->length;
}

int hs_sites_compare_frames(const hs_site_frame *a, const hs_site_frame *b)
{
    int c = compare_bytes(&a->function, &b->function);
    if (!c)
        c = compare_bytes(&a->file, &b->file);
    if (!c)
        c = a->line < b->line ? -1 : a->line > b->line;
    return c;
}

static int compare_bucket_ids(const void *a, const void *b)
{
    const hs_bucket *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->record_offset < y->record_offset ? -1 : x->record_offset > y->record_offset;
}

/* For grouping buckets into sites: (site frame, bucket index). */
typedef struct site_key {
    hs_site_frame frame;
    uint32_t bucket;
} site_key;

static int compare_site_keys(const void *a, const void *b)
{
    const site_key *x = a, *y = b;
    int c = hs_sites_compare_frames(&x->frame, &y->frame);
    if (c)
        return c;
    return x->bucket < y->bucket ? -1 : x->bucket > y->bucket;
}

/* Decodes the profile record at offset with the streaming parser. */
static int read_profile(const hs_heap *heap, uint64_t offset, hs_record *record, hs_error *err)
{
    hs_parser parser;
    HS_TRY(hs_parser_init(&parser, heap->dump, err));
    parser.params = heap->params;
    parser.seen_params = 1;
    parser.cursor.pos = offset;
    int status = hs_parser_next(&parser, record, err);
    if (status < 0)
        return status;
    if (status == 0 || record->tag != HS_TAG_MEMPROF)
        return hs_error_set(err, HS_ERR_FORMAT, "%s: offset %" PRIu64 ": expected an alloc/free profile record",
                            heap->dump->name, offset);
    return HS_OK;
}

static int out_of_memory(hs_error *err, const hs_heap *heap, const char *what)
{
    return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory %s", heap->dump->name, what);
}

static int read_buckets(hs_sites *sites, hs_error *err)
{
    const hs_heap *heap = sites->heap;
    if (heap->profile_count > UINT32_MAX - 1)
        return hs_error_set(err, HS_ERR_FORMAT, "%s: %" PRIu64 " profile records, more than this tool handles",
                            heap->dump->name, heap->profile_count);
    if (heap->profile_count == 0)
        return HS_OK;
    sites->buckets = calloc(heap->profile_count, sizeof *sites->buckets);
    if (!sites->buckets)
        return out_of_memory(err, heap, "reading profile buckets");
    uint64_t frame_capacity = 0;
    for (uint64_t i = 0; i < heap->profile_count; i++) {
        hs_record record;
        HS_TRY(read_profile(heap, heap->profile_offsets[i], &record, err));
        hs_bucket *bucket = &sites->buckets[i];
        bucket->id = record.profile.bucket;
        bucket->size = record.profile.size;
        bucket->allocs = record.profile.allocs;
        bucket->frees = record.profile.frees;
        bucket->record_offset = record.offset;
        bucket->first_frame = sites->frame_count;
        hs_profile_iter iter;
        hs_profile_frame frame;
        hs_profile_frames_begin(&iter, &record);
        while (hs_profile_frames_next(&iter, &frame)) {
            if (bucket->frame_count == UINT32_MAX)
                break;
            if (HS_ARRAY_RESERVE(sites->frames, &frame_capacity, sites->frame_count + 1) < 0)
                return out_of_memory(err, heap, "reading profile stacks");
            sites->frames[sites->frame_count++] = (hs_site_frame){frame.function, frame.file, frame.line};
            bucket->frame_count++;
        }
    }
    sites->bucket_count = (uint32_t)heap->profile_count;
    qsort(sites->buckets, sites->bucket_count, sizeof *sites->buckets, compare_bucket_ids);
    /* Keep the first record of a repeated id. */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < sites->bucket_count; i++) {
        if (kept && sites->buckets[kept - 1].id == sites->buckets[i].id) {
            sites->warnings.duplicate_buckets++;
            continue;
        }
        sites->buckets[kept++] = sites->buckets[i];
    }
    sites->bucket_count = kept;
    for (uint32_t i = 0; i < sites->bucket_count; i++) {
        hs_bucket *b = &sites->buckets[i];
        b->flags = choose_site_frame(sites->frames + b->first_frame, b->frame_count, &b->site_frame);
    }
    return HS_OK;
}

static int group_sites(hs_sites *sites, hs_error *err)
{
    if (sites->bucket_count == 0)
        return HS_OK;
    site_key *keys = malloc((size_t)sites->bucket_count * sizeof *keys);
    sites->sites = malloc((size_t)sites->bucket_count * sizeof *sites->sites);
    if (!keys || !sites->sites) {
        free(keys);
        return out_of_memory(err, sites->heap, "grouping allocation sites");
    }
    for (uint32_t i = 0; i < sites->bucket_count; i++) {
        const hs_bucket *b = &sites->buckets[i];
        keys[i].bucket = i;
        if (b->flags & HS_SITE_NO_FRAMES)
            keys[i].frame = (hs_site_frame){{NULL, 0}, {NULL, 0}, 0};
        else
            keys[i].frame = sites->frames[b->first_frame + b->site_frame];
    }
    qsort(keys, sites->bucket_count, sizeof *keys, compare_site_keys);
    for (uint32_t i = 0; i < sites->bucket_count; i++) {
        if (i == 0 || hs_sites_compare_frames(&keys[i - 1].frame, &keys[i].frame) != 0) {
            hs_site *site = &sites->sites[sites->site_count++];
            site->frame = keys[i].frame;
            site->first_bucket = keys[i].bucket;
            site->bucket_count = 0;
            site->flags = sites->buckets[keys[i].bucket].flags;
        }
        sites->sites[sites->site_count - 1].bucket_count++;
        sites->buckets[keys[i].bucket].site = sites->site_count - 1;
    }
    free(keys);
    return HS_OK;
}

static int compare_sampled(const void *a, const void *b)
{
    uint32_t x = ((const struct hs_sampled_object *)a)->object, y = ((const struct hs_sampled_object *)b)->object;
    return (x > y) - (x < y);
}

static void attach_samples(hs_sites *sites)
{
    const hs_heap *heap = sites->heap;
    for (uint64_t i = 0; i < heap->sample_count; i++) {
        const hs_sample *sample = &heap->samples[i];
        uint32_t bucket = hs_sites_find_bucket(sites, sample->bucket);
        if (bucket == UINT32_MAX) {
            sites->warnings.samples_no_bucket++;
            continue;
        }
        uint64_t offset;
        hs_node object = hs_heap_find(heap, sample->address, &offset);
        if (object == HS_NO_NODE) {
            sites->warnings.samples_no_object++;
        } else if (offset != 0) {
            sites->warnings.samples_inside_object++;
        } else if (sites->object_bucket) {
            if (sites->object_bucket[object] != UINT32_MAX) {
                sites->warnings.samples_duplicate++;
            } else {
                sites->object_bucket[object] = bucket;
                sites->sampled_objects++;
            }
        } else {
            sites->sampled[sites->sampled_count++] = (struct hs_sampled_object){object, bucket};
        }
    }
    if (!sites->sampled || sites->sampled_count == 0)
        return;
    /* Sparse map: sort, keep the first sample of an object, count the rest. */
    qsort(sites->sampled, sites->sampled_count, sizeof *sites->sampled, compare_sampled);
    uint64_t kept = 0;
    for (uint64_t i = 0; i < sites->sampled_count; i++) {
        if (kept > 0 && sites->sampled[kept - 1].object == sites->sampled[i].object) {
            sites->warnings.samples_duplicate++;
            continue;
        }
        sites->sampled[kept++] = sites->sampled[i];
    }
    sites->sampled_count = kept;
    sites->sampled_objects = kept;
}

int hs_sites_build(const hs_heap *heap, hs_sites **out, hs_error *err)
{
    *out = NULL;
    hs_sites *sites = calloc(1, sizeof *sites);
    if (!sites)
        return out_of_memory(err, heap, "building the site table");
    sites->heap = heap;
    if (heap->sample_count > heap->object_count / 8) {
        sites->object_bucket = malloc(((size_t)heap->object_count + 1) * sizeof *sites->object_bucket);
        if (!sites->object_bucket) {
            hs_sites_free(sites);
            return out_of_memory(err, heap, "building the site table");
        }
        memset(sites->object_bucket, 0xff, ((size_t)heap->object_count + 1) * sizeof *sites->object_bucket);
    } else if (heap->sample_count) {
        sites->sampled = malloc((size_t)heap->sample_count * sizeof *sites->sampled);
        if (!sites->sampled) {
            hs_sites_free(sites);
            return out_of_memory(err, heap, "building the site table");
        }
    }
    int status = read_buckets(sites, err);
    if (status == HS_OK)
        status = group_sites(sites, err);
    if (status < 0) {
        hs_sites_free(sites);
        return status;
    }
    attach_samples(sites);
    *out = sites;
    return HS_OK;
}

void hs_sites_free(hs_sites *sites)
{
    if (!sites)
        return;
    free(sites->buckets);
    free(sites->frames);
    free(sites->sites);
    free(sites->object_bucket);
    free(sites->sampled);
    free(sites);
}

uint32_t hs_sites_find_bucket(const hs_sites *sites, uint64_t id)
{
    uint32_t low = (uint32_t)buckets_first_at_least(sites->buckets, 0, sites->bucket_count, id);
    return low < sites->bucket_count && sites->buckets[low].id == id ? low : UINT32_MAX;
}

uint32_t hs_sites_object_bucket(const hs_sites *sites, hs_node object)
{
    if (!sites || object >= sites->heap->object_count)
        return UINT32_MAX;
    if (sites->object_bucket)
        return sites->object_bucket[object];
    uint64_t low = sampled_first_at_least(sites->sampled, 0, sites->sampled_count, object);
    return low < sites->sampled_count && sites->sampled[low].object == object ? sites->sampled[low].bucket : UINT32_MAX;
}

const hs_site_frame *hs_sites_object_site(const hs_sites *sites, hs_node object)
{
    uint32_t bucket = hs_sites_object_bucket(sites, object);
    if (bucket == UINT32_MAX)
        return NULL;
    return &sites->sites[sites->buckets[bucket].site].frame;
}

int hs_sites_label(const hs_sites *sites, hs_node object, char *buf, size_t size)
{
    if (size)
        buf[0] = 0;
    const hs_site_frame *frame = hs_sites_object_site(sites, object);
    if (!frame || !size)
        return 0;
    int function_length = frame->function.length > 4096 ? 4096 : (int)frame->function.length;
    snprintf(buf, size, "%.*s:%" PRIu64, function_length, (const char *)frame->function.data, frame->line);
    /* Function names come from the dump: keep control bytes out of labels. */
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    return 1;
}

void hs_sites_write_frame_text(FILE *out, const hs_site_frame *frame)
{
    if (!frame->function.length && !frame->file.length) {
        fputs("(empty stack)", out);
        return;
    }
    hs_write_text(out, frame->function.data, frame->function.length);
    fputs(" (", out);
    hs_write_text(out, frame->file.data, frame->file.length);
    fprintf(out, ":%" PRIu64 ")", frame->line);
}

void hs_sites_write_warnings(FILE *out, const hs_sites *sites)
{
    const hs_sites_warnings *w = &sites->warnings;
    const char *name = sites->heap->dump->name;
    if (w->samples_no_object)
        fprintf(out, "heapspurs: warning: %s: %" PRIu64 " alloc samples name an address in no object; ignored\n", name,
                w->samples_no_object);
    if (w->samples_inside_object)
        fprintf(out,
                "heapspurs: warning: %s: %" PRIu64 " alloc samples name an address inside an object, not its start; "
                "ignored\n",
                name, w->samples_inside_object);
    if (w->samples_no_bucket)
        fprintf(out, "heapspurs: warning: %s: %" PRIu64 " alloc samples name a bucket with no profile record; ignored\n",
                name, w->samples_no_bucket);
    if (w->samples_duplicate)
        fprintf(out, "heapspurs: warning: %s: %" PRIu64 " objects have more than one alloc sample; the first is used\n",
                name, w->samples_duplicate);
    if (w->duplicate_buckets)
        fprintf(out, "heapspurs: warning: %s: %" PRIu64 " profile records repeat a bucket id; the first is used\n", name,
                w->duplicate_buckets);
}
