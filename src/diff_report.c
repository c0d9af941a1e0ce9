/* diff_report.c — `--base`: the growth table and the new objects of a comparison (diff.c), text and JSON. */
#include "hs_diff.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diff_build.h"
#include "hs_describe.h"
#include "output.h"
#include "hs_print.h"
#include "hs_query.h"

#define NONE UINT32_MAX

typedef struct row {
    int64_t bytes, objects; /* sort keys: growth or new counts */
    uint32_t group;
} row;

/* Rows by bytes, then objects (both descending), then label; for qsort_r. */
static int compare_rows(const void *a, const void *b, void *context)
{
    const hs_diff *sorting_diff = context;
    const row *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    if (x->objects != y->objects)
        return x->objects > y->objects ? -1 : 1;
    const hs_diff_group *gx = &sorting_diff->groups[x->group], *gy = &sorting_diff->groups[y->group];
    uint32_t n = gx->label_length < gy->label_length ? gx->label_length : gy->label_length;
    int c = memcmp(sorting_diff->text + gx->label_offset, sorting_diff->text + gy->label_offset, n);
    if (c)
        return c;
    return gx->label_length < gy->label_length ? -1 : gx->label_length > gy->label_length;
}

static int64_t delta(uint64_t now, uint64_t before)
{
    return (int64_t)(now - before);
}

static const char *column_name(enum hs_diff_key by)
{
    switch (by) {
    case HS_DIFF_BY_SITE: return "SITE";
    case HS_DIFF_BY_SHAPE: return "SHAPE";
    case HS_DIFF_BY_TYPE: return "TYPE";
    case HS_DIFF_BY_SIZE: return "SIZE";
    case HS_DIFF_BY_ROOT: return "ROOT";
    }
    return "KEY";
}

static const char *grouping_phrase(enum hs_diff_key by)
{
    switch (by) {
    case HS_DIFF_BY_SITE: return "allocation site";
    case HS_DIFF_BY_SHAPE: return "shape (size class and pointer offsets)";
    case HS_DIFF_BY_TYPE: return "Go type";
    case HS_DIFF_BY_SIZE: return "size class";
    case HS_DIFF_BY_ROOT: return "root group (bytes each retains)";
    }
    return "key";
}

static void write_label_text(FILE *out, const hs_diff *d, const hs_diff_group *g)
{
    hs_write_text(out, (const uint8_t *)d->text + g->label_offset, g->label_length);
}

static void write_count_json(FILE *out, const char *name, hs_diff_count c)
{
    fprintf(out, "\"%s\":{\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 "}", name, c.objects, c.bytes);
}

static void write_delta_json(FILE *out, hs_diff_count now, hs_diff_count before)
{
    fprintf(out, "\"delta\":{\"objects\":%" PRId64 ",\"bytes\":%" PRId64 "}", delta(now.objects, before.objects),
            delta(now.bytes, before.bytes));
}

/* `"old":{…},"new":{…},"delta":{…}` and, when the comparison counts them, `,"added":{…}`. */
static void write_counts_json(FILE *out, const hs_diff *d, hs_diff_count old, hs_diff_count new, hs_diff_count added)
{
    write_count_json(out, "old", old);
    fputc(',', out);
    write_count_json(out, "new", new);
    fputc(',', out);
    write_delta_json(out, new, old);
    if (d->input.count_added) {
        fputc(',', out);
        write_count_json(out, "added", added);
    }
}

static void write_group_json_head(FILE *out, const hs_diff *d, const hs_diff_group *g)
{
    fputs("{\"key\":", out);
    hs_write_json_string(out, (const uint8_t *)d->text + g->label_offset, g->label_length);
    switch (d->input.by) {
    case HS_DIFF_BY_SITE:
        if (g->site) {
            fputs(",\"site\":{\"function\":", out);
            hs_write_json_string(out, g->site->function.data, g->site->function.length);
            fputs(",\"file\":", out);
            hs_write_json_string(out, g->site->file.data, g->site->file.length);
            fprintf(out, ",\"line\":%" PRIu64 "}", g->site->line);
        } else {
            fputs(",\"site\":null", out);
        }
        break;
    case HS_DIFF_BY_SHAPE:
        fprintf(out, ",\"size\":%" PRIu64 ",\"pointers\":%" PRIu64, g->size, g->pointers);
        break;
    case HS_DIFF_BY_TYPE:
        fputs(",\"type\":", out);
        if (g->typed)
            hs_write_json_string(out, (const uint8_t *)d->text + g->label_offset, g->label_length);
        else
            fputs("null", out);
        break;
    case HS_DIFF_BY_SIZE:
        fprintf(out, ",\"size\":%" PRIu64, g->size);
        break;
    case HS_DIFF_BY_ROOT:
        fputs(",\"root\":", out);
        if (g->root_kind >= 0)
            fprintf(out, "{\"kind\":\"%s\"}", hs_group_kind_name((enum hs_group_kind)g->root_kind));
        else
            fputs("null", out);
        break;
    }
    fputc(',', out);
    write_counts_json(out, d, g->old_count, g->new_count, g->added);
}

/* A path from a root: the one path shape in JSON; in text the root slot,
 * then one line an object. */
static void write_path(FILE *out, const hs_context *context, const hs_path_step *steps, uint32_t length, int json)
{
    if (json) {
        hs_describe_path_json(out, context, steps, length);
        return;
    }
    fputs("    ", out);
    hs_describe_root_slot(out, context, &steps[0]);
    fputc('\n', out);
    hs_describe_path_lines(out, context, steps, length, "      ");
}

/* JSON --new: the addresses of each listed group's new objects, gathered in
 * one pass over the new dump into one memory stream per listed group. */
typedef struct listing {
    const uint32_t *rank;  /* per group: its row, or NONE when not listed */
    FILE **streams;
    uint64_t *written;
} listing;

static int list_object(const hs_diff *d, uint32_t group, hs_node object, void *context)
{
    listing *l = context;
    uint32_t r = l->rank[group];
    if (r == NONE)
        return HS_OK;
    fprintf(l->streams[r], "%s\"0x%" PRIx64 "\"", l->written[r]++ ? "," : "",
            d->input.new_heap->objects[object].address);
    return HS_OK;
}

typedef struct report_state {
    FILE *out;
    const hs_diff *d;
    const hs_context *context;
    const hs_report_diff_options *options;
    row *rows;
    uint32_t row_count, shown;
    char **buffers; /* JSON --new: object lists per shown row */
    size_t *buffer_sizes;
} report_state;

static int gather_listings(report_state *st, hs_error *err)
{
    const hs_diff *d = st->d;
    uint32_t *rank = malloc(((size_t)d->group_count + 1) * sizeof *rank);
    FILE **streams = calloc((size_t)st->shown + 1, sizeof *streams);
    uint64_t *written = calloc((size_t)st->shown + 1, sizeof *written);
    st->buffers = calloc((size_t)st->shown + 1, sizeof *st->buffers);
    st->buffer_sizes = calloc((size_t)st->shown + 1, sizeof *st->buffer_sizes);
    int status = HS_OK;
    if (!rank || !streams || !written || !st->buffers || !st->buffer_sizes) {
        status = HS_ERR_NOMEM;
        goto done;
    }
    memset(rank, 0xff, ((size_t)d->group_count + 1) * sizeof *rank);
    for (uint32_t r = 0; r < st->shown; r++) {
        rank[st->rows[r].group] = r;
        if (!(streams[r] = open_memstream(&st->buffers[r], &st->buffer_sizes[r]))) {
            status = HS_ERR_NOMEM;
            goto done;
        }
    }
    listing l = {rank, streams, written};
    status = diff_for_each_added(d, list_object, &l);
done:
    for (uint32_t r = 0; streams && r < st->shown; r++)
        if (streams[r] && fclose(streams[r]) != 0 && status == HS_OK)
            status = HS_ERR_NOMEM;
    free(rank);
    free(streams);
    free(written);
    if (status < 0)
        return hs_error_set(err, status, "out of memory listing new objects");
    return HS_OK;
}

static void write_growth_text(report_state *st)
{
    FILE *out = st->out;
    const hs_diff *d = st->d;
    fprintf(out, "Live objects by %s: %s -> %s (%" PRIu32 " groups, by growth in bytes):\n",
            grouping_phrase(d->input.by), st->options->old_name, st->options->new_name, st->row_count);
    fprintf(out, "%12s %12s %12s %12s %12s %12s  %s\n", "OLD OBJECTS", "OLD BYTES", "NEW OBJECTS", "NEW BYTES",
            "DIFF OBJECTS", "DIFF BYTES", column_name(d->input.by));
    hs_diff_count old_rest = {0}, new_rest = {0};
    for (uint32_t r = 0; r < st->row_count; r++) {
        const hs_diff_group *g = &d->groups[st->rows[r].group];
        if (r >= st->shown) {
            diff_count_add(&old_rest, g->old_count.objects, g->old_count.bytes);
            diff_count_add(&new_rest, g->new_count.objects, g->new_count.bytes);
            continue;
        }
        fprintf(out, "%12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %+12" PRId64 " %+12" PRId64 "  ",
                g->old_count.objects, g->old_count.bytes, g->new_count.objects, g->new_count.bytes,
                delta(g->new_count.objects, g->old_count.objects), delta(g->new_count.bytes, g->old_count.bytes));
        write_label_text(out, d, g);
        fputc('\n', out);
    }
    if (st->row_count > st->shown)
        fprintf(out,
                "%12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %+12" PRId64 " %+12" PRId64
                "  (%" PRIu32 " more groups; --limit 0 shows all)\n",
                old_rest.objects, old_rest.bytes, new_rest.objects, new_rest.bytes,
                delta(new_rest.objects, old_rest.objects), delta(new_rest.bytes, old_rest.bytes),
                st->row_count - st->shown);
    fprintf(out, "%12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %12" PRIu64 " %+12" PRId64 " %+12" PRId64 "  total live\n",
            d->old_total.objects, d->old_total.bytes, d->new_total.objects, d->new_total.bytes,
            delta(d->new_total.objects, d->old_total.objects), delta(d->new_total.bytes, d->old_total.bytes));
    if (d->input.count_added)
        fprintf(out, "New since %s: %" PRIu64 " live objects, %" PRIu64 " bytes (--new lists them).\n",
                st->options->old_name, d->added_total.objects, d->added_total.bytes);
}

static int write_paths_text(report_state *st, hs_error *err)
{
    FILE *out = st->out;
    const hs_diff *d = st->d;
    uint32_t n = st->options->paths < st->shown ? st->options->paths : st->shown;
    if (n == 0)
        return HS_OK;
    fprintf(out, "\nA shortest path from a root to one new object of each of the %" PRIu32 " largest groups:\n", n);
    for (uint32_t r = 0; r < n; r++) {
        const hs_diff_group *g = &d->groups[st->rows[r].group];
        fputs("  ", out);
        write_label_text(out, d, g);
        fputs(":\n", out);
        hs_path_step *steps = NULL;
        uint32_t length = 0;
        if (g->example != HS_NO_NODE)
            HS_TRY(hs_shortest_root_path(d->input.new_heap, g->example, &steps, &length, err));
        if (length == 0)
            fputs("    (no root reaches it)\n", out);
        else
            write_path(out, st->context, steps, length, 0);
        free(steps);
    }
    return HS_OK;
}

static void write_added_text(report_state *st)
{
    FILE *out = st->out;
    const hs_diff *d = st->d;
    const hs_diff_input *in = &d->input;
    int buckets = in->old_sites && in->new_sites && in->old_sites->bucket_count && in->new_sites->bucket_count;
    fprintf(out,
            "New live objects in %s (no object in %s at the same address with the same size%s), by %s (%" PRIu32
            " groups):\n",
            st->options->new_name, st->options->old_name, buckets ? " and allocation bucket" : "",
            grouping_phrase(in->by), st->row_count);
    fprintf(out, "%12s %12s  %s\n", "OBJECTS", "BYTES", column_name(in->by));
    hs_diff_count rest = {0};
    for (uint32_t r = 0; r < st->row_count; r++) {
        const hs_diff_group *g = &d->groups[st->rows[r].group];
        if (r >= st->shown) {
            diff_count_add(&rest, g->added.objects, g->added.bytes);
            continue;
        }
        fprintf(out, "%12" PRIu64 " %12" PRIu64 "  ", g->added.objects, g->added.bytes);
        write_label_text(out, d, g);
        fputc('\n', out);
    }
    if (st->row_count > st->shown)
        fprintf(out, "%12" PRIu64 " %12" PRIu64 "  (%" PRIu32 " more groups; --limit 0 shows all)\n", rest.objects,
                rest.bytes, st->row_count - st->shown);
    fprintf(out, "%12" PRIu64 " %12" PRIu64 "  total new (of %" PRIu64 " live objects, %" PRIu64 " bytes)\n",
            d->added_total.objects, d->added_total.bytes, d->new_total.objects, d->new_total.bytes);
}

static int write_json(report_state *st, hs_error *err)
{
    FILE *out = st->out;
    const hs_diff *d = st->d;
    int added_only = st->options->added_only;
    hs_context json;
    HS_TRY(hs_describe_json_begin(st->context, &json, err));
    st->context = &json;
    fputs("{\"base\":", out);
    hs_write_json_cstring(out, st->options->old_name);
    fputs(",\"dump\":", out);
    hs_write_json_cstring(out, st->options->new_name);
    fprintf(out, ",\"by\":\"%s\",\"new_only\":%s,\"groups\":[", hs_diff_key_name(d->input.by),
            added_only ? "true" : "false");
    hs_diff_count old_rest = {0}, new_rest = {0}, added_rest = {0};
    for (uint32_t r = 0; r < st->row_count; r++) {
        const hs_diff_group *g = &d->groups[st->rows[r].group];
        if (r >= st->shown) {
            diff_count_add(&old_rest, g->old_count.objects, g->old_count.bytes);
            diff_count_add(&new_rest, g->new_count.objects, g->new_count.bytes);
            diff_count_add(&added_rest, g->added.objects, g->added.bytes);
            continue;
        }
        if (r)
            fputc(',', out);
        write_group_json_head(out, d, g);
        if (added_only) {
            fputs(",\"objects\":[", out);
            if (st->buffers[r])
                fwrite(st->buffers[r], 1, st->buffer_sizes[r], out);
            fputc(']', out);
            if (r < st->options->paths && g->example != HS_NO_NODE) {
                hs_path_step *steps = NULL;
                uint32_t length = 0;
                if (hs_shortest_root_path(d->input.new_heap, g->example, &steps, &length, err) < 0) {
                    hs_describe_json_abandon(&json);
                    return HS_ERR_NOMEM;
                }
                if (length) {
                    fputs(",\"path\":", out);
                    write_path(out, st->context, steps, length, 1);
                }
                free(steps);
            }
        }
        fputc('}', out);
    }
    fprintf(out, "],\"omitted\":{\"groups\":%" PRIu32 ",", st->row_count - st->shown);
    write_counts_json(out, d, old_rest, new_rest, added_rest);
    fputs("},\"total\":{", out);
    write_counts_json(out, d, d->old_total, d->new_total, d->added_total);
    fputc('}', out);
    int status = hs_describe_json_end(out, &json, err);
    fputs("}\n", out);
    return status;
}

int hs_report_diff(FILE *out, const hs_diff *diff, const hs_context *new_context,
                   const hs_report_diff_options *options, hs_error *err)
{
    if (options->added_only && !diff->input.count_added)
        return hs_error_set(err, HS_ERR_USAGE, "listing new objects needs a comparison built with count_added");
    report_state st = {.out = out, .d = diff, .context = new_context, .options = options};
    st.rows = malloc(((size_t)diff->group_count + 1) * sizeof *st.rows);
    if (!st.rows)
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory sorting groups");
    for (uint32_t g = 0; g < diff->group_count; g++) {
        const hs_diff_group *group = &diff->groups[g];
        if (options->added_only) {
            if (group->added.objects)
                st.rows[st.row_count++] = (row){(int64_t)group->added.bytes, (int64_t)group->added.objects, g};
        } else if (group->old_count.objects || group->new_count.objects) {
            st.rows[st.row_count++] = (row){delta(group->new_count.bytes, group->old_count.bytes),
                                            delta(group->new_count.objects, group->old_count.objects), g};
        }
    }
    qsort_r(st.rows, st.row_count, sizeof *st.rows, compare_rows, (void *)diff);
    st.shown = options->limit && options->limit < st.row_count ? (uint32_t)options->limit : st.row_count;
    int status = HS_OK;
    if (options->format == HS_FORMAT_JSON) {
        if (options->added_only)
            status = gather_listings(&st, err);
        if (status == HS_OK)
            status = write_json(&st, err);
    } else if (options->added_only) {
        write_added_text(&st);
        status = write_paths_text(&st, err);
    } else {
        write_growth_text(&st);
    }
    for (uint32_t r = 0; st.buffers && r < st.shown; r++)
        free(st.buffers[r]);
    free(st.buffers);
    free(st.buffer_sizes);
    free(st.rows);
    return status;
}
