/* pprof.c — the retention profile (shortest-path stacks from the roots) and the allocation profile (bucket stacks) as pprof profiles. */
#include "hs_pprof.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "hs_describe.h"
#include "hs_goroutines.h"
#include "hs_query.h"
#include "hs_sites.h"
#include "hs_typing.h"
#include "output.h"
#include "pair_map.h"
#include "pprof_proto.h"

#define UNSET UINT32_MAX
#define LABEL_MAX 1024

/* ---- what both profiles share ---- */

static const char *output_name(const hs_pprof_options *options)
{
    return options && options->output_name ? options->output_name : "the profile";
}

/* The sample types, the mapping and the default type: the head of both profiles. */
static void write_head(pprof_writer *w, const hs_context *context, const hs_pprof_options *options)
{
    pprof_value_type(w, PPROF_SAMPLE_TYPE, "inuse_objects", "count");
    pprof_value_type(w, PPROF_SAMPLE_TYPE, "inuse_space", "bytes");
    pprof_int(w, PPROF_DEFAULT_SAMPLE_TYPE, pprof_cstring(w, "inuse_space"));
    const char *source = options && options->source ? options->source : context->dump->name;
    pprof_mapping(w, pprof_cstring(w, source));
}

static void live_totals(const hs_heap *heap, uint64_t *objects, uint64_t *bytes)
{
    *objects = *bytes = 0;
    for (hs_node i = 0; i < heap->object_count; i++) {
        if (hs_object_is_live(heap, i)) {
            ++*objects;
            *bytes += hs_object_slot_size(heap, i);
        }
    }
}

/* Writes a printf-formatted comment (one string of the table, referred to by field 13). */
__attribute__((format(printf, 2, 3))) static void write_comment(pprof_writer *w, const char *format, ...)
{
    char text[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    pprof_int(w, PPROF_COMMENT, pprof_string(w, text, strlen(text)));
}

/* ---- the retention profile ---- */

/* One node of the tree of stacks, root side first: a stack is the path from
 * node 0 (the empty stack) to its node, one location a node. Identical
 * stacks are one node, and a node with objects is a sample. */
typedef struct stack_node {
    uint32_t parent;
    uint32_t location;
    uint64_t objects, bytes;
} stack_node;

/* A sample whose stack folded: the node of its root-side frames, then "…",
 * then its window, the leaf_side locations nearest the object (kept in
 * retention.windows from `window`, leaf first). Windows are not put in the
 * tree: a deep tree's windows seldom share a prefix, and a node each would
 * cost leaf_side nodes an object. */
typedef struct folded_sample {
    uint32_t anchor;
    uint32_t next; /* the next sample of the same anchor and window hash, or UNSET */
    uint64_t window;
    uint64_t objects, bytes;
} folded_sample;

typedef struct retention {
    const hs_context *context;
    const hs_heap *heap;
    pprof_writer *w;
    hs_root_paths *paths;
    uint32_t max_frames;
    uint32_t root_side; /* frames kept nearest the root when a stack folds */
    uint32_t leaf_side; /* frames kept nearest the object: max_frames - root_side - 1 */
    /* Per object: the node of its stack when it has at most max_frames
     * frames; when it has more, the node of its first root_side frames (what
     * its folded stack starts from). UNSET until computed. */
    uint32_t *node_of;
    uint32_t *location_of; /* per object: the location of its own frame */
    uint32_t *frames_of;   /* per object: frames of its whole stack (root frames and objects) */
    stack_node *nodes;
    uint64_t node_count, node_capacity;
    pair_map children;    /* (parent node, location) -> node */
    pair_map root_stacks; /* (root node, slot offset) -> node */
    folded_sample *folded_samples;
    uint64_t folded_count, folded_capacity;
    uint32_t *windows;
    uint64_t windows_length, windows_capacity;
    pair_map folded_index; /* (anchor, window hash) -> the first folded sample with them */
    uint32_t ellipsis;    /* the location of the "…" frame */
    FILE *text;           /* descriptions are written here, then interned */
    char *text_buffer;
    size_t text_size;
    hs_node *walk;        /* objects waiting for their holder's stack */
    uint64_t walk_capacity;
    uint64_t folded;
} retention;

/* The error of a failed step: the writer's when it failed (a write, its tables), else out of memory. */
static int retention_failed(retention *r, hs_error *err)
{
    int status = r->w ? pprof_writer_status(r->w, err) : 0;
    return status ? status
                  : hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory building the retention profile",
                                 r->heap->dump->name);
}

/* The node of (parent, location), made when new; UNSET when out of memory. */
static uint32_t child_node(retention *r, uint32_t parent, uint32_t location)
{
    if (r->node_count >= UNSET - 1)
        return UNSET;
    uint32_t node;
    int added = pair_map_intern(&r->children, parent, location, (uint32_t)r->node_count, &node);
    if (added < 0)
        return UNSET;
    if (added) {
        if (HS_ARRAY_RESERVE(r->nodes, &r->node_capacity, r->node_count + 1) < 0)
            return UNSET;
        r->nodes[r->node_count++] = (stack_node){parent, location, 0, 0};
    }
    return node;
}

/* The location of what was written to r->text since rewind (text already made safe). */
static uint32_t text_location(retention *r)
{
    off_t length = fflush(r->text) == 0 ? ftello(r->text) : -1;
    if (length < 0)
        return 0;
    return pprof_location(r->w, pprof_text(r->w, r->text_buffer, (size_t)length), 0, 0);
}

/* The stack node of a root slot (1 or 2 frames, count in *frames); UNSET when out of memory. */
static uint32_t root_stack(retention *r, const hs_path_step *step, uint32_t *frames)
{
    const hs_heap *heap = r->heap;
    const hs_context *context = r->context;
    uint32_t node = pair_map_get(&r->root_stacks, step->node, step->slot_offset);
    if (node != UNSET) {
        *frames = r->nodes[node].parent == 0 ? 1 : 2;
        return node;
    }
    const hs_root *root = &heap->roots[step->node - heap->object_count];
    node = 0;
    *frames = 0;
    if (root->kind == HS_ROOT_FRAME && root->goroutine != UINT32_MAX) {
        rewind(r->text);
        fputs("goroutine ", r->text);
        if (context->goroutines)
            hs_goroutines_write_label(r->text, context->goroutines, context->goroutines->group_of[root->goroutine]);
        else
            fprintf(r->text, "%" PRIu64, heap->goroutines[root->goroutine].goid);
        uint32_t location = text_location(r);
        if (!location || (node = child_node(r, node, location)) == UNSET)
            return UNSET;
        ++*frames;
    }
    rewind(r->text);
    if (root->kind == HS_ROOT_FRAME) {
        fputs("frame ", r->text);
        hs_write_text(r->text, root->name.data, root->name.length);
        char variable[LABEL_MAX];
        if (hs_typing_frame_slot(context->typing, root, step->slot_offset, variable, sizeof variable)) {
            fputc(' ', r->text);
            hs_write_text_cstring(r->text, variable);
        }
    } else {
        hs_describe_root_slot(r->text, context, step);
    }
    uint32_t location = text_location(r);
    uint32_t stored;
    if (!location || (node = child_node(r, node, location)) == UNSET ||
        pair_map_intern(&r->root_stacks, step->node, step->slot_offset, node, &stored) < 0)
        return UNSET;
    ++*frames;
    return node;
}

/* Drops the digits of every "[N]" of a field path: "[3].Next" -> "[].Next". */
static void drop_indices(char *field)
{
    char *to = field;
    for (const char *from = field; *from;) {
        *to++ = *from;
        if (*from++ == '[')
            while (*from >= '0' && *from <= '9')
                from++;
    }
    *to = '\0';
}

/* The location of an object's own frame: its name or type, or its size and
 * site, then the field of its holder (holder->node may be HS_NO_NODE). */
static uint32_t object_location(retention *r, hs_node object, const hs_path_step *holder)
{
    const hs_context *context = r->context;
    const hs_heap *heap = r->heap;
    char label[LABEL_MAX], field[LABEL_MAX];
    uint32_t file = 0;
    int64_t line = 0;
    size_t length;
    if (hs_object_label(context, object, label, sizeof label)) {
        length = strlen(label);
    } else {
        length = (size_t)snprintf(label, sizeof label, "Object %" PRIu64 " B", heap->objects[object].size);
        const hs_site_frame *site = hs_sites_object_site(context->sites, object);
        char where[LABEL_MAX];
        if (site && hs_sites_label(context->sites, object, where, sizeof where)) {
            length += (size_t)snprintf(label + length, sizeof label - length, " (%s)", where);
            file = pprof_string(r->w, site->file.data, site->file.length);
            line = site->line > INT64_MAX ? 0 : (int64_t)site->line;
        }
    }
    field[0] = '\0';
    if (context->typing && holder->node != HS_NO_NODE) {
        if (holder->node < heap->object_count) {
            hs_typing_field(context->typing, holder->node, holder->slot_offset, field, sizeof field);
        } else {
            const hs_root *root = &heap->roots[holder->node - heap->object_count];
            if (root->kind == HS_ROOT_DATA || root->kind == HS_ROOT_BSS)
                hs_typing_global_field(context->typing, hs_describe_root_slot_address(heap, holder), field,
                                       sizeof field);
        }
    }
    if (field[0] && length < sizeof label) {
        drop_indices(field);
        length += (size_t)snprintf(label + length, sizeof label - length, " %s", field);
    }
    if (length >= sizeof label)
        length = sizeof label - 1;
    return pprof_location(r->w, pprof_string(r->w, label, length), file, line);
}

/* Counts an object whose stack folds in the sample of its anchor and window; -1 when out of memory. */
static int count_folded(retention *r, hs_node object, uint32_t anchor)
{
    uint32_t window[HS_PPROF_MAX_FRAMES];
    uint64_t hash = 0xcbf29ce484222325u;
    hs_node x = object;
    for (uint32_t i = 0; i < r->leaf_side; i++) {
        window[i] = r->location_of[x];
        hash = (hash ^ window[i]) * 0x100000001b3u;
        x = hs_root_paths_parent(r->paths, x, NULL);
    }
    uint32_t first = pair_map_get(&r->folded_index, anchor, hash), sample = UNSET;
    for (uint32_t f = first; f != UNSET && sample == UNSET; f = r->folded_samples[f].next)
        if (r->folded_samples[f].anchor == anchor &&
            memcmp(r->windows + r->folded_samples[f].window, window, r->leaf_side * sizeof *window) == 0)
            sample = f;
    if (sample == UNSET) {
        uint32_t stored;
        if (r->folded_count >= UNSET - 1 ||
            HS_ARRAY_RESERVE(r->folded_samples, &r->folded_capacity, r->folded_count + 1) < 0 ||
            HS_ARRAY_RESERVE(r->windows, &r->windows_capacity, r->windows_length + r->leaf_side) < 0 ||
            (first == UNSET && pair_map_intern(&r->folded_index, anchor, hash, (uint32_t)r->folded_count, &stored) < 0))
            return -1;
        sample = (uint32_t)r->folded_count++;
        r->folded_samples[sample] = (folded_sample){anchor, UNSET, r->windows_length, 0, 0};
        memcpy(r->windows + r->windows_length, window, r->leaf_side * sizeof *window);
        r->windows_length += r->leaf_side;
        if (first != UNSET) {
            r->folded_samples[sample].next = r->folded_samples[first].next;
            r->folded_samples[first].next = sample;
        }
    }
    r->folded_samples[sample].objects++;
    r->folded_samples[sample].bytes += hs_object_slot_size(r->heap, object);
    return 0;
}

/* Computes an object's frame and stack, its holder's being known (or the holder a root), and counts it. */
static int place_object(retention *r, hs_node object, hs_error *err)
{
    const hs_heap *heap = r->heap;
    hs_path_step holder;
    hs_node parent = hs_root_paths_parent(r->paths, object, NULL);
    /* The slot is needed for a root's description, or a typed holder's field. */
    if (parent != HS_NO_NODE && (parent >= heap->object_count || r->context->typing))
        hs_root_paths_parent(r->paths, object, &holder);
    else
        holder = (hs_path_step){.node = parent};
    uint32_t location = object_location(r, object, &holder);
    if (!location)
        return retention_failed(r, err);
    r->location_of[object] = location;
    uint32_t base, frames;
    if (parent == HS_NO_NODE) {
        /* Live but not reached by the search: cannot happen on a consistent model; kept visible. */
        rewind(r->text);
        fputs("(no path from a root)", r->text);
        uint32_t root_location = text_location(r);
        base = root_location ? child_node(r, 0, root_location) : UNSET;
        frames = 1;
    } else if (parent >= heap->object_count) {
        base = root_stack(r, &holder, &frames);
    } else {
        base = r->node_of[parent];
        frames = r->frames_of[parent];
    }
    if (base == UNSET)
        return retention_failed(r, err);
    frames++;
    r->frames_of[object] = frames;
    if (frames <= r->max_frames) {
        uint32_t node = child_node(r, base, location);
        if (node == UNSET)
            return retention_failed(r, err);
        r->node_of[object] = node;
        r->nodes[node].objects++;
        r->nodes[node].bytes += hs_object_slot_size(heap, object);
    } else {
        /* base is the parent's anchor when its stack folds too; else walk to the frame where the anchor is. */
        uint32_t anchor = base;
        if (r->frames_of[parent] <= r->max_frames) {
            hs_node a = parent;
            while (r->frames_of[a] > r->root_side)
                a = hs_root_paths_parent(r->paths, a, NULL);
            anchor = r->node_of[a];
        }
        r->node_of[object] = anchor;
        if (count_folded(r, object, anchor) < 0)
            return retention_failed(r, err);
        r->folded++;
    }
    return HS_OK;
}

/* Places an object after every holder on its path not yet placed (an explicit stack: paths can be long). */
static int place_path(retention *r, hs_node object, hs_error *err)
{
    const hs_heap *heap = r->heap;
    uint64_t count = 0;
    for (hs_node x = object; x != HS_NO_NODE && x < heap->object_count && r->node_of[x] == UNSET;
         x = hs_root_paths_parent(r->paths, x, NULL)) {
        if (HS_ARRAY_RESERVE(r->walk, &r->walk_capacity, count + 1) < 0)
            return retention_failed(r, err);
        r->walk[count++] = x;
    }
    while (count > 0)
        HS_TRY(place_object(r, r->walk[--count], err));
    return HS_OK;
}

static void retention_free(retention *r)
{
    hs_root_paths_free(r->paths);
    free(r->node_of);
    free(r->location_of);
    free(r->frames_of);
    free(r->nodes);
    free(r->walk);
    pair_map_free(&r->children);
    pair_map_free(&r->root_stacks);
    pair_map_free(&r->folded_index);
    free(r->folded_samples);
    free(r->windows);
    if (r->text)
        fclose(r->text);
    free(r->text_buffer);
}

/* Puts the locations of a node's stack, leaf first, after the `count` in locations; returns the new count. */
static uint32_t node_locations(const retention *r, uint32_t node, uint32_t *locations, uint32_t count)
{
    for (uint32_t x = node; x != 0 && count < HS_PPROF_MAX_FRAMES + 2; x = r->nodes[x].parent)
        locations[count++] = r->nodes[x].location;
    return count;
}

static void add_sample(retention *r, const uint32_t *locations, uint32_t count, uint64_t objects, uint64_t bytes,
                       hs_pprof_summary *summary)
{
    int64_t values[2] = {(int64_t)objects, (int64_t)bytes};
    pprof_sample(r->w, locations, count, values, 2, 0, 0);
    summary->samples++;
    summary->objects += objects;
    summary->bytes += bytes;
}

/* Writes a sample per node with objects, then the folded samples. */
static void write_retention_samples(retention *r, hs_pprof_summary *summary)
{
    uint32_t locations[HS_PPROF_MAX_FRAMES + 2];
    for (uint64_t n = 1; n < r->node_count; n++)
        if (r->nodes[n].objects)
            add_sample(r, locations, node_locations(r, (uint32_t)n, locations, 0), r->nodes[n].objects,
                       r->nodes[n].bytes, summary);
    for (uint64_t f = 0; f < r->folded_count; f++) {
        const folded_sample *s = &r->folded_samples[f];
        memcpy(locations, r->windows + s->window, r->leaf_side * sizeof *locations);
        locations[r->leaf_side] = r->ellipsis;
        add_sample(r, locations, node_locations(r, s->anchor, locations, r->leaf_side + 1), s->objects, s->bytes,
                   summary);
    }
}

int hs_report_pprof(FILE *out, const hs_context *context, const hs_pprof_options *options,
                    hs_pprof_summary *summary, hs_error *err)
{
    hs_pprof_summary local;
    if (!summary)
        summary = &local;
    memset(summary, 0, sizeof *summary);
    const hs_heap *heap = context->heap;
    uint32_t max_frames = options && options->max_frames ? options->max_frames : HS_PPROF_DEFAULT_FRAMES;
    if (max_frames < HS_PPROF_MIN_FRAMES || max_frames > HS_PPROF_MAX_FRAMES)
        return hs_error_set(err, HS_ERR_USAGE, "a retention stack has %u to %u frames, not %" PRIu32,
                            HS_PPROF_MIN_FRAMES, HS_PPROF_MAX_FRAMES, max_frames);
    retention r = {.context = context, .heap = heap, .max_frames = max_frames};
    r.root_side = (max_frames - 1) / 2;
    r.leaf_side = max_frames - 1 - r.root_side;
    pair_map_init(&r.children);
    pair_map_init(&r.root_stacks);
    pair_map_init(&r.folded_index);
    size_t n = (size_t)heap->object_count + 1;
    r.node_of = malloc(n * sizeof *r.node_of);
    r.location_of = malloc(n * sizeof *r.location_of);
    r.frames_of = malloc(n * sizeof *r.frames_of);
    r.text = open_memstream(&r.text_buffer, &r.text_size);
    int status = HS_OK;
    if (!r.node_of || !r.location_of || !r.frames_of || !r.text ||
        HS_ARRAY_RESERVE(r.nodes, &r.node_capacity, 1) < 0) {
        status = retention_failed(&r, err);
        goto done;
    }
    r.nodes[r.node_count++] = (stack_node){0, 0, 0, 0};
    memset(r.node_of, 0xff, n * sizeof *r.node_of);
    if ((status = hs_root_paths_build(heap, &r.paths, err)) < 0 ||
        (status = pprof_writer_new(out, output_name(options), &r.w, err)) < 0)
        goto done;
    write_head(r.w, context, options);
    live_totals(heap, &summary->live_objects, &summary->live_bytes);
    write_comment(r.w, "heapspurs retention profile of %s: each live object counted on its shortest path from the "
                       "roots (the object, then each holder, then the root); %" PRIu64 " objects, %" PRIu64 " bytes",
                  heap->dump->name, summary->live_objects, summary->live_bytes);
    r.ellipsis = pprof_location(r.w, pprof_text(r.w, "…", strlen("…")), 0, 0);
    for (hs_node i = 0; i < heap->object_count && status == HS_OK; i++)
        if (hs_object_is_live(heap, i) && r.node_of[i] == UNSET)
            status = place_path(&r, i, err);
    if (status < 0)
        goto done;
    if (r.folded)
        write_comment(r.w, "%" PRIu64 " objects are deeper than %" PRIu32 " frames: their stacks keep the %" PRIu32
                           " frames nearest the root and the %" PRIu32 " nearest the object, with \"…\" between",
                      r.folded, max_frames, r.root_side, r.leaf_side);
    write_retention_samples(&r, summary);
    summary->locations = pprof_location_count(r.w);
    summary->folded_objects = r.folded;
    status = pprof_writer_finish(r.w, err);
    r.w = NULL;
done:
    pprof_writer_free(r.w);
    retention_free(&r);
    return status;
}

/* ---- the allocation profile ---- */

int hs_report_pprof_sites(FILE *out, const hs_context *context, const hs_pprof_options *options,
                          hs_pprof_summary *summary, hs_error *err)
{
    hs_pprof_summary local;
    if (!summary)
        summary = &local;
    memset(summary, 0, sizeof *summary);
    const hs_heap *heap = context->heap;
    const hs_sites *sites = context->sites;
    uint32_t bucket_count = sites ? sites->bucket_count : 0;
    uint64_t *objects = calloc((size_t)bucket_count + 1, sizeof *objects);
    uint64_t *bytes = calloc((size_t)bucket_count + 1, sizeof *bytes);
    uint32_t *locations = NULL;
    uint64_t location_capacity = 0;
    pprof_writer *w = NULL;
    int status = HS_OK;
    if (!objects || !bytes) {
        status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory building the allocation profile", heap->dump->name);
        goto done;
    }
    for (hs_node i = 0; i < heap->object_count; i++) {
        if (!hs_object_is_live(heap, i))
            continue;
        uint64_t size = hs_object_slot_size(heap, i);
        summary->live_objects++;
        summary->live_bytes += size;
        uint32_t bucket = hs_sites_object_bucket(sites, i);
        if (bucket == UINT32_MAX)
            continue;
        objects[bucket]++;
        bytes[bucket] += size;
        summary->objects++;
        summary->bytes += size;
    }
    if ((status = pprof_writer_new(out, output_name(options), &w, err)) < 0)
        goto done;
    write_head(w, context, options);
    /* The period would be runtime.MemProfileRate, which the dump does not hold (see hs_pprof.h). */
    pprof_value_type(w, PPROF_PERIOD_TYPE, "space", "bytes");
    write_comment(w, "heapspurs allocation profile of %s: live objects by allocation stack, from the dump's alloc "
                     "samples; values are the sampled objects themselves, not scaled",
                  heap->dump->name);
    write_comment(w, "%" PRIu64 " of %" PRIu64 " live objects (%.1f%%) and %" PRIu64 " of %" PRIu64
                     " live bytes (%.1f%%) have an allocation sample",
                  summary->objects, summary->live_objects, hs_percent(summary->objects, summary->live_objects),
                  summary->bytes, summary->live_bytes, hs_percent(summary->bytes, summary->live_bytes));
    write_comment(w, "the dump does not record runtime.MemProfileRate (period 0): nearly every live object has a "
                     "sample when it was 1, about one in 512 KiB allocated at the default rate");
    uint32_t label_key = pprof_cstring(w, "bytes");
    for (uint32_t b = 0; b < bucket_count && !pprof_writer_status(w, NULL); b++) {
        if (!objects[b])
            continue;
        const hs_bucket *bucket = &sites->buckets[b];
        uint32_t first = bucket->frame_count ? bucket->site_frame : 0;
        uint32_t count = bucket->frame_count - first;
        if (HS_ARRAY_RESERVE(locations, &location_capacity, (uint64_t)count + 1) < 0) {
            status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory building the allocation profile",
                                  heap->dump->name);
            goto done;
        }
        for (uint32_t f = 0; f < count; f++) {
            const hs_site_frame *frame = &sites->frames[bucket->first_frame + first + f];
            uint32_t name = pprof_string(w, frame->function.data, frame->function.length);
            uint32_t file = pprof_string(w, frame->file.data, frame->file.length);
            locations[f] = pprof_location(w, name, file, frame->line > INT64_MAX ? 0 : (int64_t)frame->line);
        }
        if (count == 0) {
            locations[0] = pprof_location(w, pprof_cstring(w, "(no allocation stack)"), 0, 0);
            count = 1;
        }
        int64_t values[2] = {(int64_t)objects[b], (int64_t)bytes[b]};
        pprof_sample(w, locations, count, values, 2, label_key,
                     bucket->size > INT64_MAX ? INT64_MAX : (int64_t)bucket->size);
        summary->samples++;
    }
    summary->locations = pprof_location_count(w);
    status = pprof_writer_finish(w, err);
    w = NULL;
done:
    pprof_writer_free(w);
    free(locations);
    free(objects);
    free(bytes);
    return status;
}
