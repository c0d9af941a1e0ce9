/* sites_report.c — `--sites` (live objects and bytes per allocation site) and `--histogram` (per size class), text and JSON. */
#include "hs_describe.h"
#include "hs_sites.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "hs_dominator.h"
#include "output.h"
#include "pair_map.h"

static void write_counts_json(FILE *out, const char *key, uint64_t objects, uint64_t bytes)
{
    fprintf(out, "\"%s\":{\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", key, objects, bytes);
}

/* The sentence about objects without a sample, for text reports. */
static void write_unsampled_text(FILE *out, uint64_t objects, uint64_t bytes, uint64_t total_objects,
                                 uint64_t total_bytes)
{
    if (total_objects == 0) {
        fputs("No live objects.\n", out);
        return;
    }
    if (objects == 0) {
        fputs("Every live object has an allocation sample.\n", out);
        return;
    }
    fprintf(out,
            "No allocation sample: %" PRIu64 " of %" PRIu64 " live objects (%.1f%%), %" PRIu64 " of %" PRIu64
            " bytes (%.1f%%); their site is unknown.\n",
            objects, total_objects, hs_percent(objects, total_objects), bytes, total_bytes, hs_percent(bytes, total_bytes));
    fputs("An object has a sample only if it was allocated while runtime.MemProfileRate was 1: at the default "
          "rate about one allocation per 512 KiB has one, and what the runtime and package initializers allocate "
          "before main never has. To know every site, set runtime.MemProfileRate = 1 as the first statement of "
          "main, before the allocations of interest.\n",
          out);
}

/* The frames a --sites row is keyed and labelled by: `depth` frames of a
 * bucket's stack from its site frame on (fewer where the stack ends). */
typedef struct row_key {
    const hs_site_frame *frames; /* EMPTY_STACK when count is 0 */
    uint32_t count;
    uint32_t bucket;
} row_key;

/* The label of a row of buckets with no frames: "(empty stack)". */
static const hs_site_frame EMPTY_STACK = {{NULL, 0}, {NULL, 0}, 0};

static row_key bucket_row_key(const hs_sites *sites, uint32_t bucket, uint32_t depth)
{
    const hs_bucket *b = &sites->buckets[bucket];
    row_key key = {&EMPTY_STACK, 0, bucket};
    if (!(b->flags & HS_SITE_NO_FRAMES) && b->frame_count > b->site_frame) {
        key.frames = sites->frames + b->first_frame + b->site_frame;
        key.count = b->frame_count - b->site_frame < depth ? b->frame_count - b->site_frame : depth;
    }
    return key;
}

static int compare_row_frames(const row_key *x, const row_key *y)
{
    for (uint32_t i = 0; i < x->count && i < y->count; i++) {
        int c = hs_sites_compare_frames(&x->frames[i], &y->frames[i]);
        if (c)
            return c;
    }
    return x->count < y->count ? -1 : x->count > y->count;
}

static int compare_row_keys(const void *a, const void *b)
{
    const row_key *x = a, *y = b;
    int c = compare_row_frames(x, y);
    if (c)
        return c;
    return x->bucket < y->bucket ? -1 : x->bucket > y->bucket;
}

/* Groups the buckets into --sites rows: buckets whose `depth` frames from the
 * site frame on are equal share a row (depth 1: the site). Fills
 * bucket_row[bucket] with row numbers, in the order of their frames, and
 * returns the number of rows (UINT32_MAX when out of memory). */
static uint32_t group_rows(const hs_sites *sites, uint32_t depth, uint32_t *bucket_row)
{
    if (sites->bucket_count == 0)
        return 0;
    row_key *keys = malloc((size_t)sites->bucket_count * sizeof *keys);
    if (!keys)
        return UINT32_MAX;
    for (uint32_t b = 0; b < sites->bucket_count; b++)
        keys[b] = bucket_row_key(sites, b, depth);
    qsort(keys, sites->bucket_count, sizeof *keys, compare_row_keys);
    uint32_t rows = 0;
    for (uint32_t i = 0; i < sites->bucket_count; i++) {
        if (i > 0 && compare_row_frames(&keys[i - 1], &keys[i]) != 0)
            rows++;
        bucket_row[keys[i].bucket] = rows;
    }
    free(keys);
    return rows + 1;
}

typedef struct site_row {
    uint32_t row;    /* its number in frame order, for ties */
    uint32_t bucket; /* the row's bucket with the most live bytes: its stack is shown */
    uint64_t objects, bytes;
    uint64_t retained_bytes, retained_objects;
} site_row;

/* Adds to rows[row] the retained sizes of the row's objects that no other
 * object of the same row dominates. */
static int sum_retained(const hs_heap *heap, const hs_sites *sites, const uint32_t *bucket_row,
                        const hs_dominators *dominators, site_row *rows, uint32_t row_count, hs_error *err)
{
    uint32_t *row_of = malloc((heap->object_count ? heap->object_count : 1) * sizeof *row_of);
    uint64_t *bytes = calloc(row_count ? row_count : 1, sizeof *bytes);
    uint64_t *objects = calloc(row_count ? row_count : 1, sizeof *objects);
    int status = row_of && bytes && objects ? HS_OK : HS_ERR_NOMEM;
    for (hs_node i = 0; status == HS_OK && i < heap->object_count; i++) {
        uint32_t bucket = hs_sites_object_bucket(sites, i);
        row_of[i] = hs_object_is_live(heap, i) && bucket != UINT32_MAX ? bucket_row[bucket] : UINT32_MAX;
    }
    if (status == HS_OK)
        status = hs_dominators_sum_retained(dominators, row_of, row_count, bytes, objects);
    for (uint32_t r = 0; status == HS_OK && r < row_count; r++) {
        rows[r].retained_bytes += bytes[r];
        rows[r].retained_objects += objects[r];
    }
    free(row_of);
    free(bytes);
    free(objects);
    if (status < 0)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory summing retained sizes per site", heap->dump->name);
    return HS_OK;
}

static int compare_site_rows(const void *a, const void *b)
{
    const site_row *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    if (x->objects != y->objects)
        return x->objects > y->objects ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* The row's frames after the first, on lines of their own under the SITE column. */
static void write_callers_text(FILE *out, const row_key *key, int indent)
{
    for (uint32_t i = 1; i < key->count; i++) {
        fprintf(out, "%*s  from ", indent, "");
        hs_sites_write_frame_text(out, &key->frames[i]);
        fputc('\n', out);
    }
}

static void write_row_frames_json(FILE *out, const row_key *key)
{
    fputs("\"frames\":[", out);
    for (uint32_t i = 0; i < key->count; i++) {
        fputs(i ? ",{" : "{", out);
        hs_describe_frame_json(out, &key->frames[i]);
        fputc('}', out);
    }
    fputc(']', out);
}

int hs_report_sites(FILE *out, const hs_context *context, enum hs_format format, uint64_t limit, uint32_t depth,
                    hs_error *err)
{
    const hs_dominators *dominators = context->dominators;
    int json = format == HS_FORMAT_JSON;
    const hs_heap *heap = context->heap;
    const hs_sites *sites = context->sites;
    if (!heap)
        return hs_error_set(err, HS_ERR_USAGE, "--sites needs the heap model");
    if (depth == 0)
        depth = 1;
    uint32_t bucket_count = sites ? sites->bucket_count : 0;
    uint32_t *bucket_row = malloc((bucket_count ? bucket_count : 1) * sizeof *bucket_row);
    uint64_t *bucket_bytes = calloc(bucket_count ? bucket_count : 1, sizeof *bucket_bytes);
    uint32_t row_count = bucket_row && bucket_count ? group_rows(sites, depth, bucket_row) : 0;
    site_row *rows = row_count != UINT32_MAX ? calloc(row_count ? row_count : 1, sizeof *rows) : NULL;
    if (!rows || !bucket_bytes || !bucket_row) {
        free(rows);
        free(bucket_bytes);
        free(bucket_row);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory counting allocation sites", heap->dump->name);
    }
    for (uint32_t r = 0; r < row_count; r++)
        rows[r] = (site_row){r, UINT32_MAX, 0, 0, 0, 0};
    uint64_t total_objects = 0, total_bytes = 0, unsampled_objects = 0, unsampled_bytes = 0;
    for (hs_node i = 0; i < heap->object_count; i++) {
        if (!hs_object_is_live(heap, i))
            continue;
        uint64_t size = hs_object_slot_size(heap, i);
        total_objects++;
        total_bytes += size;
        uint32_t bucket = hs_sites_object_bucket(sites, i);
        if (bucket == UINT32_MAX) {
            unsampled_objects++;
            unsampled_bytes += size;
            continue;
        }
        bucket_bytes[bucket] += size;
        site_row *row = &rows[bucket_row[bucket]];
        row->objects++;
        row->bytes += size;
    }
    for (uint32_t b = 0; b < bucket_count; b++) {
        site_row *row = &rows[bucket_row[b]];
        if (row->bucket == UINT32_MAX || bucket_bytes[b] > bucket_bytes[row->bucket])
            row->bucket = b;
    }
    free(bucket_bytes);
    if (dominators && row_count) {
        int status = sum_retained(heap, sites, bucket_row, dominators, rows, row_count, err);
        if (status < 0) {
            free(rows);
            free(bucket_row);
            return status;
        }
    }
    free(bucket_row);
    qsort(rows, row_count, sizeof *rows, compare_site_rows);
    uint32_t live_rows = 0;
    while (live_rows < row_count && rows[live_rows].objects)
        live_rows++;
    uint32_t shown = limit && limit < live_rows ? (uint32_t)limit : live_rows;
    uint64_t omitted_objects = 0, omitted_bytes = 0;
    for (uint32_t r = shown; r < live_rows; r++) {
        omitted_objects += rows[r].objects;
        omitted_bytes += rows[r].bytes;
    }

    hs_context json_context;
    int status = HS_OK;
    if (json && hs_describe_json_begin(context, &json_context, err) < 0) {
        free(rows);
        return HS_ERR_NOMEM;
    }
    if (json) {
        fputs("{\"sites\":[", out);
        for (uint32_t r = 0; r < shown; r++) {
            const site_row *row = &rows[r];
            row_key key = bucket_row_key(sites, row->bucket, depth);
            fputs(r ? ",{" : "{", out);
            hs_describe_frame_json(out, &key.frames[0]);
            fprintf(out, ",\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 ",", row->objects, row->bytes);
            if (dominators)
                fprintf(out, "\"retained\":{\"bytes\":%" PRIu64 ",\"objects\":%" PRIu64 "},", row->retained_bytes,
                        row->retained_objects);
            write_row_frames_json(out, &key);
            fputc(',', out);
            hs_describe_stack_json(out, hs_describe_bucket_stack(&json_context, row->bucket));
            fputc('}', out);
        }
        fprintf(out, "],\"omitted\":{\"sites\":%" PRIu32 ",\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 "},",
                live_rows - shown, omitted_objects, omitted_bytes);
        write_counts_json(out, "unsampled", unsampled_objects, unsampled_bytes);
        fputc(',', out);
        write_counts_json(out, "total", total_objects, total_bytes);
        status = hs_describe_json_end(out, &json_context, err);
        fputs("}\n", out);
    } else {
        if (depth == 1)
            fprintf(out, "Live objects by allocation site (%" PRIu32 " site%s):\n", live_rows, live_rows == 1 ? "" : "s");
        else
            fprintf(out, "Live objects by allocation site and up to %" PRIu32 " caller%s (%" PRIu32 " stack%s):\n",
                    depth - 1, depth == 2 ? "" : "s", live_rows, live_rows == 1 ? "" : "s");
        const char *blank = dominators ? "             " : ""; /* the RETAINED column, empty */
        int site_column = dominators ? 36 : 23;
        fprintf(out, "%12s %9s %s %s\n", "BYTES", "OBJECTS", dominators ? "    RETAINED " : "", "SITE");
        for (uint32_t r = 0; r < shown; r++) {
            row_key key = bucket_row_key(sites, rows[r].bucket, depth);
            fprintf(out, "%12" PRIu64 " %9" PRIu64 " ", rows[r].bytes, rows[r].objects);
            if (dominators)
                fprintf(out, "%12" PRIu64 " ", rows[r].retained_bytes);
            fputc(' ', out);
            hs_sites_write_frame_text(out, &key.frames[0]);
            fputc('\n', out);
            write_callers_text(out, &key, site_column);
        }
        if (shown < live_rows)
            fprintf(out, "%12" PRIu64 " %9" PRIu64 " %s (%" PRIu32 " more %s; --limit 0 shows all)\n", omitted_bytes,
                    omitted_objects, blank, live_rows - shown, depth == 1 ? "sites" : "stacks");
        if (unsampled_objects)
            fprintf(out, "%12" PRIu64 " %9" PRIu64 " %s (no allocation sample)\n", unsampled_bytes, unsampled_objects,
                    blank);
        fprintf(out, "%12" PRIu64 " %9" PRIu64 " %s total live\n", total_bytes, total_objects, blank);
        if (dominators)
            fputs("RETAINED: bytes the site's objects keep alive (they and all they alone reach), counting objects "
                  "the site's other objects dominate once.\n",
                  out);
        write_unsampled_text(out, unsampled_objects, unsampled_bytes, total_objects, total_bytes);
    }
    free(rows);
    return status;
}

/* The live objects of one size and one site, for the histogram. */
typedef struct size_site {
    uint64_t size;
    uint32_t site; /* UINT32_MAX: no sample */
    uint64_t objects;
} size_site;

static int compare_size_sites(const void *a, const void *b)
{
    const size_site *x = a, *y = b;
    if (x->size != y->size)
        return x->size < y->size ? -1 : 1;
    return x->site < y->site ? -1 : x->site > y->site;
}

typedef struct size_row {
    uint64_t size, objects, bytes;
    uint32_t top_site; /* site with the most bytes of this size, or UINT32_MAX */
    uint64_t top_bytes;
} size_row;

static int compare_size_rows(const void *a, const void *b)
{
    const size_row *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    return x->size < y->size ? -1 : x->size > y->size;
}

int hs_report_histogram(FILE *out, const hs_context *context, enum hs_format format, uint64_t limit, hs_error *err)
{
    int json = format == HS_FORMAT_JSON;
    const hs_heap *heap = context->heap;
    const hs_sites *sites = context->sites;
    if (!heap)
        return hs_error_set(err, HS_ERR_USAGE, "--histogram needs the heap model");
    /* The live objects counted by (size, site): few groups, found by a map
     * (neighbours in the table mostly share theirs). */
    pair_map index = {0};
    size_site *groups = NULL;
    uint64_t group_count = 0, group_capacity = 0;
    uint32_t last = UINT32_MAX;
    int failed = 0;
    for (hs_node i = 0; i < heap->object_count && !failed; i++) {
        if (!hs_object_is_live(heap, i))
            continue;
        uint32_t bucket = hs_sites_object_bucket(sites, i);
        uint64_t size = hs_object_slot_size(heap, i);
        uint32_t site = bucket == UINT32_MAX ? UINT32_MAX : sites->buckets[bucket].site;
        if (last == UINT32_MAX || groups[last].size != size || groups[last].site != site) {
            int stored = group_count < UINT32_MAX - 1 ? pair_map_intern(&index, size, site, (uint32_t)group_count, &last)
                                                      : HS_ERR_NOMEM;
            if (stored == 1 && HS_ARRAY_RESERVE(groups, &group_capacity, group_count + 1) == HS_OK)
                groups[group_count++] = (size_site){size, site, 0};
            else if (stored != 0)
                failed = 1;
        }
        if (!failed)
            groups[last].objects++;
    }
    pair_map_free(&index);
    size_row *rows = failed ? NULL : malloc((group_count ? group_count : 1) * sizeof *rows);
    if (!rows) {
        free(groups);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory counting size classes", heap->dump->name);
    }
    if (group_count > 1)
        qsort(groups, group_count, sizeof *groups, compare_size_sites);
    /* Runs of one size, each group one site of it. */
    uint64_t row_count = 0, total_objects = 0, total_bytes = 0;
    for (uint64_t i = 0; i < group_count;) {
        size_row *row = &rows[row_count++];
        *row = (size_row){groups[i].size, 0, 0, UINT32_MAX, 0};
        for (; i < group_count && groups[i].size == row->size; i++) {
            uint64_t group_bytes = groups[i].objects * row->size;
            if (groups[i].site != UINT32_MAX && group_bytes > row->top_bytes) {
                row->top_site = groups[i].site;
                row->top_bytes = group_bytes;
            }
            row->objects += groups[i].objects;
            row->bytes += group_bytes;
        }
        total_objects += row->objects;
        total_bytes += row->bytes;
    }
    free(groups);
    qsort(rows, row_count, sizeof *rows, compare_size_rows);
    uint64_t shown = limit && limit < row_count ? limit : row_count;
    uint64_t omitted_objects = 0, omitted_bytes = 0;
    for (uint64_t r = shown; r < row_count; r++) {
        omitted_objects += rows[r].objects;
        omitted_bytes += rows[r].bytes;
    }
    if (json) {
        fputs("{\"sizes\":[", out);
        for (uint64_t r = 0; r < shown; r++) {
            const size_row *row = &rows[r];
            fprintf(out, "%s{\"size\":%" PRIu64 ",\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"site\":", r ? "," : "",
                    row->size, row->objects, row->bytes);
            if (row->top_site == UINT32_MAX) {
                fputs("null", out);
            } else {
                fputc('{', out);
                hs_describe_frame_json(out, &sites->sites[row->top_site].frame);
                fprintf(out, ",\"bytes\":%" PRIu64 "}", row->top_bytes);
            }
            fputc('}', out);
        }
        fprintf(out, "],\"omitted\":{\"sizes\":%" PRIu64 ",\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 "},", row_count - shown,
                omitted_objects, omitted_bytes);
        write_counts_json(out, "total", total_objects, total_bytes);
        fputs("}\n", out);
    } else {
        fprintf(out, "Live objects by size class (%" PRIu64 " size%s):\n", row_count, row_count == 1 ? "" : "s");
        fprintf(out, "%10s %9s %12s  %s\n", "SIZE", "OBJECTS", "BYTES", "TOP SITE (SHARE OF BYTES)");
        for (uint64_t r = 0; r < shown; r++) {
            const size_row *row = &rows[r];
            fprintf(out, "%10" PRIu64 " %9" PRIu64 " %12" PRIu64 "  ", row->size, row->objects, row->bytes);
            if (row->top_site == UINT32_MAX) {
                fputs("(no allocation sample)", out);
            } else {
                hs_sites_write_frame_text(out, &sites->sites[row->top_site].frame);
                fprintf(out, " %.0f%%", hs_percent(row->top_bytes, row->bytes));
            }
            fputc('\n', out);
        }
        if (shown < row_count)
            fprintf(out, "%10s %9" PRIu64 " %12" PRIu64 "  (%" PRIu64 " more sizes; --limit 0 shows all)\n", "", omitted_objects,
                    omitted_bytes, row_count - shown);
        fprintf(out, "%10s %9" PRIu64 " %12" PRIu64 "  total live\n", "", total_objects, total_bytes);
    }
    free(rows);
    return HS_OK;
}
