/* retained.c — the --top, --retained and --leaks reports over the dominator tree, as text or JSON. */
#include "hs_retained.h"

#include "hs_typing.h"
#include "hs_goroutines.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "hs_print.h"
#include "hs_describe.h"
#include "hs_query.h"
#include "hs_sites.h"

/* Text output elides the middle of dominator chains and paths longer than this. */
#define CHAIN_HEAD 20
#define CHAIN_TAIL 10
#define PATH_HEAD 6
#define PATH_TAIL 5

static int need_dominators(const hs_context *context, hs_error *err)
{
    if (!context->dominators || !context->heap)
        return hs_error_set(err, HS_ERR_USAGE, "retained sizes were not computed");
    return HS_OK;
}

static void write_summary_text(FILE *out, const hs_dominators *d)
{
    fprintf(out,
            "Live: %" PRIu64 " objects, %" PRIu64 " bytes; garbage (unreachable, not counted): %" PRIu64
            " objects, %" PRIu64 " bytes\n",
            d->live_objects, d->live_bytes, d->garbage_objects, d->garbage_bytes);
}

static void write_summary_json(FILE *out, const hs_dominators *d)
{
    fprintf(out,
            "\"live\":{\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 "},\"garbage\":{\"objects\":%" PRIu64
            ",\"bytes\":%" PRIu64 "}",
            d->live_objects, d->live_bytes, d->garbage_objects, d->garbage_bytes);
}

/* ---- describing nodes ---- */

static void write_node_text(FILE *out, const hs_context *context, hs_dom_node node)
{
    const hs_dominators *d = context->dominators;
    if (node < d->object_count)
        hs_describe_object_brief(out, context, node);
    else if (hs_dom_is_group(d, node))
        hs_dominators_write_group(out, d, node - d->object_count);
    else
        fputs("<all roots>", out);
}

static void write_retained_text(FILE *out, const hs_dominators *d, hs_dom_node node)
{
    uint64_t bytes = hs_dominators_retained_bytes(d, node);
    uint32_t objects = hs_dominators_retained_objects(d, node);
    fprintf(out, "retains %" PRIu64 " bytes in %" PRIu32 " object%s (%.1f%% of live)", bytes, objects,
            objects == 1 ? "" : "s", hs_percent(bytes, d->live_bytes));
}

/* hs_dominators_write_group as a callback of hs_write_json_of. */
struct group_text {
    const hs_dominators *d;
    uint32_t group;
};

static void write_group_text(FILE *out, const void *argument)
{
    const struct group_text *what = argument;
    hs_dominators_write_group(out, what->d, what->group);
}

static void write_group_json(FILE *out, const hs_context *context, uint32_t group)
{
    const hs_dominators *d = context->dominators;
    const hs_root_group *g = &d->groups[group];
    fprintf(out, "{\"kind\":\"%s\",\"description\":", hs_group_kind_name(g->kind));
    const struct group_text what = {d, group};
    hs_write_json_of(out, write_group_text, &what);
    fputs(",\"symbol\":", out);
    hs_write_json_cstring(out, g->kind == HS_GROUP_GLOBAL ? g->symbol->name : NULL);
    if (g->kind == HS_GROUP_GOROUTINE)
        fprintf(out, ",\"goroutine\":%" PRIu64, context->heap->goroutines[g->goroutine].goid);
    else
        fputs(",\"goroutine\":null", out);
    fprintf(out, ",\"address\":\"0x%" PRIx64 "\",\"roots\":%" PRIu32 "}", g->address, g->root_count);
}

/* {"kind":"object","object":{…},"shallow":N,"retained":{…}} or the group equivalent; no closing brace. */
static void open_node_json(FILE *out, const hs_context *context, hs_dom_node node)
{
    const hs_dominators *d = context->dominators;
    if (node < d->object_count) {
        fputs("{\"kind\":\"object\",\"object\":", out);
        hs_describe_object_json(out, context, node, 0, 0);
        if (context->sites) {
            fputc(',', out);
            hs_describe_site_json(out, context, node);
        }
    } else if (hs_dom_is_group(d, node)) {
        fputs("{\"kind\":\"group\",\"group\":", out);
        write_group_json(out, context, node - d->object_count);
    } else {
        fputs("{\"kind\":\"root\"", out);
    }
    fprintf(out, ",\"shallow\":%" PRIu64 ",\"retained\":{\"bytes\":%" PRIu64 ",\"objects\":%" PRIu32 "}",
            hs_dominators_shallow_bytes(d, node), hs_dominators_retained_bytes(d, node),
            hs_dominators_retained_objects(d, node));
}

/* ---- paths from a root ---- */

/* The shortest paths of a report, found by one search from the roots the
 * first time a path is asked for: each path then costs its length. */
typedef struct report_paths {
    hs_root_paths *paths;
} report_paths;

/* One shortest path from a root to an object (hs_root_paths_get). */
static int get_path(const hs_context *context, report_paths *r, hs_node object, hs_path_step **steps,
                    uint32_t *length, hs_error *err)
{
    if (!r->paths)
        HS_TRY(hs_root_paths_build(context->heap, &r->paths, err));
    return hs_root_paths_get(r->paths, object, steps, length, err);
}

/* "path: ROOT -> 0x… -> 0x…" for an object; groups are their own root. */
static int write_path_text(FILE *out, const hs_context *context, report_paths *r, hs_dom_node node,
                           const char *indent, hs_error *err)
{
    const hs_dominators *d = context->dominators;
    if (node >= d->object_count)
        return HS_OK;
    hs_path_step *steps;
    uint32_t length;
    HS_TRY(get_path(context, r, node, &steps, &length, err));
    fprintf(out, "%spath: ", indent);
    hs_describe_path(out, context, steps, length, PATH_HEAD, PATH_TAIL);
    fputc('\n', out);
    free(steps);
    return HS_OK;
}

/* ,"path":PATH (docs/json.md; null when no root reaches it) for an object; groups get none. */
static int write_path_json(FILE *out, const hs_context *context, report_paths *r, hs_dom_node node, hs_error *err)
{
    const hs_dominators *d = context->dominators;
    if (node >= d->object_count)
        return HS_OK;
    hs_path_step *steps;
    uint32_t length;
    HS_TRY(get_path(context, r, node, &steps, &length, err));
    fputs(",\"path\":", out);
    hs_describe_path_json(out, context, steps, length);
    free(steps);
    return HS_OK;
}

/* Opens a report's document with its stack table (json_context) and the live and garbage totals. */
static int begin_json_report(FILE *out, const hs_context *context, hs_context *json_context, hs_error *err)
{
    HS_TRY(hs_describe_json_begin(context, json_context, err));
    fputc('{', out);
    write_summary_json(out, context->dominators);
    return HS_OK;
}

/* Closes a report's list and document: "]", the stack table, "}\n"; the
 * report's status, else the table's. */
/* Closes a report whose list is already closed: the stack table, then the document. */
static int end_json_report_open(FILE *out, hs_context *json, int status, hs_error *err)
{
    int ended = hs_describe_json_end(out, json, err);
    fputs("}\n", out);
    return status < 0 ? status : ended;
}

static int end_json_report(FILE *out, hs_context *json, int status, hs_error *err)
{
    fputc(']', out);
    return end_json_report_open(out, json, status, err);
}

/* ---- leaked goroutines in --leaks ---- */

/* Per group of goroutines, its root group (UINT32_MAX: none); NULL when out of memory. */
static uint32_t *goroutine_root_groups(const hs_dominators *d, const hs_goroutines *gs)
{
    uint32_t *of = malloc((gs->group_count ? gs->group_count : 1) * sizeof *of);
    if (!of)
        return NULL;
    memset(of, 0xff, (gs->group_count ? gs->group_count : 1) * sizeof *of);
    for (uint32_t g = 0; g < d->group_count; g++)
        if (d->groups[g].kind == HS_GROUP_GOROUTINE && d->groups[g].goroutine_key < gs->group_count)
            of[d->groups[g].goroutine_key] = g;
    return of;
}

/* Leaked goroutines are suspects whatever they retain: they can never run, so all they pin is lost. */
static void write_leaked_goroutines_text(FILE *out, const hs_context *context)
{
    const hs_goroutines *gs = context->goroutines;
    const hs_dominators *d = context->dominators;
    if (!gs)
        return;
    if (gs->unknown_reason) {
        fprintf(out, "Leaked goroutines: cannot be told (%s).\n", gs->unknown_reason);
        return;
    }
    if (!gs->leaked_count) {
        fputs("Leaked goroutines: none (every blocked goroutine waits on something live).\n", out);
        return;
    }
    fprintf(out, "Leaked goroutines: %" PRIu32 ", blocked on what nothing live can reach, so they can never run:\n",
            gs->leaked_count);
    uint32_t *root_of = goroutine_root_groups(d, gs);
    for (uint32_t k = 0; k < gs->group_count; k++) {
        if (gs->groups[k].leaked != HS_LEAK_YES)
            continue;
        uint32_t g = root_of ? root_of[k] : UINT32_MAX;
        fprintf(out, "  %" PRIu32 " goroutine%s like goroutine %" PRIu64 ", ", gs->groups[k].count,
                gs->groups[k].count == 1 ? "" : "s", d->heap->goroutines[gs->groups[k].first].goid);
        hs_goroutines_write_label(out, gs, k);
        if (g != UINT32_MAX)
            fprintf(out, ": pin %" PRIu64 " bytes in %" PRIu32 " objects (%.1f%% of live)", d->groups[g].retained_bytes,
                    d->groups[g].retained_objects, hs_percent(d->groups[g].retained_bytes, d->live_bytes));
        fputc('\n', out);
    }
    free(root_of);
}

static void write_leaked_goroutines_json(FILE *out, const hs_context *context)
{
    const hs_goroutines *gs = context->goroutines;
    const hs_dominators *d = context->dominators;
    fputs(",\"leaked_goroutines\":", out);
    if (!gs || gs->unknown_reason) {
        fputs("null", out);
        return;
    }
    fputc('[', out);
    int first = 1;
    uint32_t *root_of = goroutine_root_groups(d, gs);
    for (uint32_t k = 0; k < gs->group_count; k++) {
        if (gs->groups[k].leaked != HS_LEAK_YES)
            continue;
        const hs_goroutine *go = &d->heap->goroutines[gs->groups[k].first];
        uint32_t g = root_of ? root_of[k] : UINT32_MAX;
        fprintf(out, "%s{\"count\":%" PRIu32 ",\"waitreason\":", first ? "" : ",", gs->groups[k].count);
        first = 0;
        hs_write_json_string(out, go->wait_reason.data, go->wait_reason.length);
        fputs(",\"label\":", out);
        if (gs->groups[k].label_frame != UINT32_MAX)
            hs_write_json_string(out, d->heap->roots[gs->groups[k].label_frame].name.data,
                                 d->heap->roots[gs->groups[k].label_frame].name.length);
        else
            fputs("null", out);
        fputs(",\"goids\":[", out);
        for (uint32_t m = gs->group_start[k]; m < gs->group_start[k + 1]; m++)
            fprintf(out, "%s%" PRIu64, m > gs->group_start[k] ? "," : "", d->heap->goroutines[gs->members[m]].goid);
        fputs("],\"retained\":", out);
        if (g != UINT32_MAX)
            fprintf(out, "{\"bytes\":%" PRIu64 ",\"objects\":%" PRIu32 "}", d->groups[g].retained_bytes,
                    d->groups[g].retained_objects);
        else
            fputs("null", out);
        fputc('}', out);
    }
    free(root_of);
    fputc(']', out);
}

/* ---- --top ---- */

/* 1 when a ranks above b: more retained bytes, then objects, then the lower dom node. */
/* Whether a dom node is a container's part (only objects can be). */
static int is_part(const hs_dominators *d, const hs_typing *typing, hs_dom_node node)
{
    return typing && node < d->object_count && hs_typing_is_container_part(typing, node);
}

static int ranks_above(const hs_dominators *d, hs_dom_node a, hs_dom_node b)
{
    uint64_t ba = hs_dominators_retained_bytes(d, a), bb = hs_dominators_retained_bytes(d, b);
    if (ba != bb)
        return ba > bb;
    uint32_t oa = hs_dominators_retained_objects(d, a), ob = hs_dominators_retained_objects(d, b);
    if (oa != ob)
        return oa > ob;
    return a < b;
}

/* Min-heap on rank: heap[0] is the lowest-ranked kept node. */
static void sift_down(const hs_dominators *d, hs_dom_node *heap, uint32_t count, uint32_t i)
{
    for (;;) {
        uint32_t low = i, l = 2 * i + 1, r = l + 1;
        if (l < count && ranks_above(d, heap[low], heap[l]))
            low = l;
        if (r < count && ranks_above(d, heap[low], heap[r]))
            low = r;
        if (low == i)
            return;
        hs_dom_node t = heap[i];
        heap[i] = heap[low];
        heap[low] = t;
        i = low;
    }
}

static void sift_up(const hs_dominators *d, hs_dom_node *heap, uint32_t i)
{
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (!ranks_above(d, heap[parent], heap[i]))
            return;
        hs_dom_node t = heap[i];
        heap[i] = heap[parent];
        heap[parent] = t;
        i = parent;
    }
}

/* The `want` highest-ranked tree nodes, best first, into a malloc'd array; a container's parts are left out. */
static int select_top(const hs_dominators *d, const hs_typing *typing, uint64_t want, hs_dom_node **out,
                      uint32_t *count, hs_error *err)
{
    uint32_t capacity = want < d->preorder_count ? (uint32_t)want : d->preorder_count;
    hs_dom_node *heap = malloc(((size_t)capacity + 1) * sizeof *heap);
    if (!heap)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory ranking retained sizes", d->heap->dump->name);
    uint32_t n = 0;
    for (uint32_t i = 0; i < d->preorder_count && capacity > 0; i++) {
        hs_dom_node node = d->preorder[i];
        if (is_part(d, typing, node))
            continue; /* its container is ranked with what it retains */
        if (n < capacity) {
            heap[n] = node;
            sift_up(d, heap, n++);
        } else if (ranks_above(d, node, heap[0])) {
            heap[0] = node;
            sift_down(d, heap, n, 0);
        }
    }
    /* Heap sort: repeatedly move the lowest to the end. */
    for (uint32_t end = n; end > 1; end--) {
        hs_dom_node t = heap[0];
        heap[0] = heap[end - 1];
        heap[end - 1] = t;
        sift_down(d, heap, end - 1, 0);
    }
    *out = heap;
    *count = n;
    return HS_OK;
}

int hs_report_top(FILE *out, const hs_context *context, uint64_t count, enum hs_format format, hs_error *err)
{
    HS_TRY(need_dominators(context, err));
    const hs_dominators *d = context->dominators;
    hs_dom_node *top = NULL;
    uint32_t n = 0;
    HS_TRY(select_top(d, context->typing, count, &top, &n, err));
    report_paths paths = {0};
    int status = HS_OK;
    if (format == HS_FORMAT_TEXT) {
        write_summary_text(out, d);
        fprintf(out, "Top %" PRIu32 " by retained size (objects and root groups):\n", n);
        for (uint32_t i = 0; i < n && status == HS_OK; i++) {
            hs_dom_node node = top[i];
            fprintf(out, "%3" PRIu32 ". ", i + 1);
            if (node < d->object_count)
                fputs("object ", out);
            write_node_text(out, context, node);
            fputs(": ", out);
            write_retained_text(out, d, node);
            if (node < d->object_count)
                fprintf(out, "; shallow %" PRIu64 " bytes", hs_dominators_shallow_bytes(d, node));
            fputc('\n', out);
            status = write_path_text(out, context, &paths, node, "     ", err);
        }
    } else {
        hs_context json;
        if ((status = begin_json_report(out, context, &json, err)) < 0) {
            free(top);
            return status;
        }
        context = &json;
        fputs(",\"top\":[", out);
        for (uint32_t i = 0; i < n && status == HS_OK; i++) {
            if (i)
                fputc(',', out);
            open_node_json(out, context, top[i]);
            fprintf(out, ",\"percent\":%.2f", hs_percent(hs_dominators_retained_bytes(d, top[i]), d->live_bytes));
            status = write_path_json(out, context, &paths, top[i], err);
            fputc('}', out);
        }
        status = end_json_report(out, &json, status, err);
    }
    hs_root_paths_free(paths.paths);
    free(top);
    return status;
}

/* ---- --retained ---- */

int hs_report_retained(FILE *out, const hs_context *context, hs_node object, uint64_t offset, enum hs_format format,
                       hs_error *err)
{
    HS_TRY(need_dominators(context, err));
    const hs_dominators *d = context->dominators;
    int garbage = d->idom[object] == HS_NO_NODE;
    uint32_t chain = 0;
    for (hs_dom_node x = d->idom[object]; x != HS_NO_NODE; x = hs_dominators_idom(d, x)) {
        chain++;
        if (x == HS_DOM_ROOT)
            break;
    }
    if (format == HS_FORMAT_TEXT) {
        fputs("object ", out);
        hs_describe_object_brief(out, context, object);
        if (offset)
            fprintf(out, " (address is +0x%" PRIx64 " into it)", offset);
        if (garbage) {
            fputs(": garbage, no root reaches it; it retains nothing\n", out);
            return HS_OK;
        }
        fputs(": ", out);
        write_retained_text(out, d, object);
        fprintf(out, "; shallow %" PRIu64 " bytes\n", hs_object_slot_size(d->heap, object));
        fprintf(out, "Immediate dominators, up to the root (%" PRIu32 "):\n", chain);
        uint32_t i = 0;
        for (hs_dom_node x = d->idom[object]; x != HS_NO_NODE; x = hs_dominators_idom(d, x), i++) {
            if (chain > CHAIN_HEAD + CHAIN_TAIL + 1 && i >= CHAIN_HEAD && i < chain - CHAIN_TAIL) {
                if (i == CHAIN_HEAD)
                    fprintf(out, "  … %" PRIu32 " more …\n", chain - CHAIN_HEAD - CHAIN_TAIL);
            } else {
                fputs("  ", out);
                write_node_text(out, context, x);
                if (x != HS_DOM_ROOT) {
                    fputs(": ", out);
                    write_retained_text(out, d, x);
                } else {
                    fputs(": the virtual root above every root group", out);
                }
                fputc('\n', out);
            }
            if (x == HS_DOM_ROOT)
                break;
        }
        return HS_OK;
    }
    hs_context json;
    HS_TRY(hs_describe_json_begin(context, &json, err));
    context = &json;
    fputs("{\"object\":", out);
    hs_describe_object_json(out, context, object, offset != 0, offset);
    fputc(',', out);
    hs_dominators_write_json(out, d, object);
    fprintf(out, ",\"shallow\":%" PRIu64 ",\"percent\":%.2f,\"dominators\":[", hs_object_slot_size(d->heap, object),
            hs_percent(d->retained_bytes[object], d->live_bytes));
    uint32_t i = 0;
    for (hs_dom_node x = d->idom[object]; x != HS_NO_NODE; x = hs_dominators_idom(d, x), i++) {
        if (i)
            fputc(',', out);
        open_node_json(out, context, x);
        fputc('}', out);
        if (x == HS_DOM_ROOT)
            break;
    }
    return end_json_report(out, &json, HS_OK, err);
}

/* ---- --leaks ---- */

static int at_least(uint64_t bytes, uint64_t total, double percent)
{
    return total > 0 && (double)bytes * 100.0 >= percent * (double)total;
}

/* Position of a dom node among candidates (sorted by preorder position), or UINT32_MAX. */
/* (Hand-written: the key is reached through d->position, which the key
 * accessor of src/search.h, given only the element, cannot see.) */
static uint32_t candidate_index(const hs_dominators *d, const hs_dom_node *candidates, uint32_t count,
                                hs_dom_node node)
{
    uint32_t p = d->position[node], low = 0, high = count;
    while (low < high) {
        uint32_t mid = low + (high - low) / 2;
        uint32_t q = d->position[candidates[mid]];
        if (q == p)
            return mid;
        if (q < p)
            low = mid + 1;
        else
            high = mid;
    }
    return UINT32_MAX;
}

/* The object of the suspect's dominator subtree with the most immediate
 * dominator children, leaving out the subtrees of other suspects below it
 * (candidates[k] is the suspect; candidates are in preorder). */
static void find_accumulation(const hs_dominators *d, hs_leak_suspect *s, const hs_dom_node *candidates,
                              const uint8_t *reported, uint32_t n, uint32_t k)
{
    uint32_t start = d->position[s->node], end = start + hs_dominators_subtree_size(d, s->node);
    uint32_t next = k + 1; /* next candidate at or after position i */
    s->accumulation = HS_NO_NODE;
    for (uint32_t i = start; i < end; i++) {
        hs_dom_node x = d->preorder[i];
        while (next < n && (!reported[next] || d->position[candidates[next]] < i))
            next++;
        if (next < n && d->position[candidates[next]] == i) {
            i += hs_dominators_subtree_size(d, x) - 1; /* another suspect's subtree */
            continue;
        }
        if (x >= d->object_count)
            continue;
        uint32_t children = 0, stop = i + d->retained_objects[x];
        uint64_t bytes = 0, low = UINT64_MAX, high = 0;
        for (uint32_t j = i + 1; j < stop; j += d->retained_objects[d->preorder[j]]) {
            uint64_t b = d->retained_bytes[d->preorder[j]];
            children++;
            bytes += b;
            low = b < low ? b : low;
            high = b > high ? b : high;
        }
        if (children == 0)
            continue;
        if (s->accumulation == HS_NO_NODE || children > s->accumulation_children ||
            (children == s->accumulation_children && bytes > s->children_bytes)) {
            s->accumulation = x;
            s->accumulation_children = children;
            s->children_bytes = bytes;
            s->child_min_bytes = low;
            s->child_max_bytes = high;
        }
    }
}

static int compare_suspects(const void *a, const void *b)
{
    const hs_leak_suspect *x = a, *y = b;
    if (x->own_bytes != y->own_bytes)
        return x->own_bytes < y->own_bytes ? 1 : -1;
    if (x->retained_bytes != y->retained_bytes)
        return x->retained_bytes < y->retained_bytes ? 1 : -1;
    return (x->node > y->node) - (x->node < y->node);
}

int hs_find_leak_suspects(const hs_dominators *d, const hs_typing *typing, double percent,
                          hs_leak_suspect **suspects, uint32_t *count, hs_error *err)
{
    *suspects = NULL;
    *count = 0;
    if (!(percent > 0 && percent <= 100))
        return hs_error_set(err, HS_ERR_USAGE, "leak threshold %g%% is not in (0, 100]", percent);
    /* Candidates: every tree node at or above the threshold, in preorder. A
     * candidate's dominator, unless the virtual root, retains at least as
     * much, so it is a candidate too. */
    uint32_t n = 0;
    for (uint32_t i = 0; i < d->preorder_count; i++)
        n += at_least(hs_dominators_retained_bytes(d, d->preorder[i]), d->live_bytes, percent);
    if (n == 0)
        return HS_OK;
    hs_dom_node *candidates = malloc((size_t)n * sizeof *candidates);
    uint64_t *below = calloc(n, sizeof *below); /* bytes in reported suspects beneath */
    uint8_t *reported = calloc(n, 1);
    uint8_t *nearly = calloc(n, 1); /* has a candidate child retaining nearly as much */
    if (!candidates || !below || !reported || !nearly) {
        free(candidates);
        free(below);
        free(reported);
        free(nearly);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory finding leak suspects", d->heap->dump->name);
    }
    n = 0;
    for (uint32_t i = 0; i < d->preorder_count; i++)
        if (at_least(hs_dominators_retained_bytes(d, d->preorder[i]), d->live_bytes, percent))
            candidates[n++] = d->preorder[i];
    uint32_t kept = 0;
    for (uint32_t k = n; k-- > 0;) {
        hs_dom_node node = candidates[k];
        uint64_t retained = hs_dominators_retained_bytes(d, node);
        int part = is_part(d, typing, node);
        reported[k] = !part && !nearly[k] && at_least(retained - below[k], d->live_bytes, percent);
        kept += reported[k];
        hs_dom_node parent = hs_dominators_idom(d, node);
        if (parent == HS_DOM_ROOT || parent == HS_NO_NODE)
            continue;
        uint32_t p = candidate_index(d, candidates, n, parent);
        if (p == UINT32_MAX)
            continue;
        below[p] += reported[k] ? retained : below[k];
        /* A part cannot stand for its container: its container is not left out for it. */
        if (!(part && !reported[k]) &&
            !at_least(hs_dominators_retained_bytes(d, parent) - retained, d->live_bytes, percent))
            nearly[p] = 1;
    }
    hs_leak_suspect *list = calloc(kept ? kept : 1, sizeof *list);
    if (!list) {
        free(candidates);
        free(below);
        free(reported);
        free(nearly);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory finding leak suspects", d->heap->dump->name);
    }
    uint32_t m = 0;
    for (uint32_t k = 0; k < n; k++) {
        if (!reported[k])
            continue;
        hs_leak_suspect *s = &list[m++];
        s->node = candidates[k];
        s->retained_bytes = hs_dominators_retained_bytes(d, s->node);
        s->retained_objects = hs_dominators_retained_objects(d, s->node);
        s->own_bytes = s->retained_bytes - below[k];
        find_accumulation(d, s, candidates, reported, n, k);
        /* The dominators above it that were left out for it. */
        s->chain_top = HS_NO_NODE;
        for (uint32_t j = k;;) {
            hs_dom_node parent = hs_dominators_idom(d, candidates[j]);
            uint32_t p = parent == HS_DOM_ROOT ? UINT32_MAX : candidate_index(d, candidates, n, parent);
            if (p == UINT32_MAX || reported[p] || is_part(d, typing, parent))
                break; /* a container's part is not a holder of its own */
            s->chain_top = parent;
            s->chain_length++;
            j = p;
        }
    }
    free(candidates);
    free(below);
    free(reported);
    free(nearly);
    qsort(list, m, sizeof *list, compare_suspects);
    *suspects = list;
    *count = m;
    return HS_OK;
}

/* A holder retains "nearly as much" as its suspect when it keeps at most
 * this share of the suspect's retained bytes besides it. */
#define NEARLY_PERCENT 10

/* Bytes the highest left-out dominator above a suspect retains besides the suspect. */
static uint64_t held_through_extra(const hs_dominators *d, const hs_leak_suspect *s)
{
    return hs_dominators_retained_bytes(d, s->chain_top) - s->retained_bytes;
}

static int held_through_nearly(const hs_dominators *d, const hs_leak_suspect *s)
{
    return (double)held_through_extra(d, s) * 100.0 <= (double)NEARLY_PERCENT * (double)s->retained_bytes;
}

static void write_accumulation_text(FILE *out, const hs_context *context, const hs_leak_suspect *s)
{
    const hs_dominators *d = context->dominators;
    if (s->chain_top != HS_NO_NODE) {
        int many = s->chain_length != 1;
        fprintf(out, "    held through %" PRIu32 " dominator%s above it", s->chain_length, many ? "s" : "");
        if (held_through_nearly(d, s))
            fprintf(out, " that retain%s nearly as much%s: ", many ? "" : "s", many ? ", the highest" : "");
        else
            fprintf(out, ", %swhich also keeps %" PRIu64 " bytes more: ", many ? "the highest of " : "",
                    held_through_extra(d, s));
        write_node_text(out, context, s->chain_top);
        fputc(' ', out);
        write_retained_text(out, d, s->chain_top);
        fputc('\n', out);
    }
    if (s->accumulation == HS_NO_NODE) {
        fputs("    accumulation point: none (it dominates no other object)\n", out);
        return;
    }
    fputs("    accumulation point: ", out);
    if (s->accumulation == s->node)
        fputs("the suspect itself, ", out);
    hs_describe_object_brief(out, context, s->accumulation);
    fprintf(out,
            " dominates %" PRIu32 " object%s retaining %" PRIu64 " bytes together (each %" PRIu64 "-%" PRIu64
            " bytes, %" PRIu64 " on average)\n",
            s->accumulation_children, s->accumulation_children == 1 ? "" : "s", s->children_bytes,
            s->child_min_bytes, s->child_max_bytes, s->children_bytes / s->accumulation_children);
}

int hs_report_leaks(FILE *out, const hs_context *context, double percent, enum hs_format format, hs_error *err)
{
    HS_TRY(need_dominators(context, err));
    const hs_dominators *d = context->dominators;
    hs_leak_suspect *suspects;
    uint32_t count;
    HS_TRY(hs_find_leak_suspects(d, context->typing, percent, &suspects, &count, err));
    report_paths paths = {0};
    int status = HS_OK;
    if (format == HS_FORMAT_TEXT) {
        write_summary_text(out, d);
        if (count == 0)
            fprintf(out, "No leak suspect: nothing retains %g%% or more of the live heap.\n", percent);
        else
            fprintf(out, "%" PRIu32 " leak suspect%s (each retains at least %g%% of the live heap):\n", count,
                    count == 1 ? "" : "s", percent);
        for (uint32_t i = 0; i < count && status == HS_OK; i++) {
            const hs_leak_suspect *s = &suspects[i];
            fprintf(out, "Suspect %" PRIu32 ": ", i + 1);
            if (s->node < d->object_count)
                fputs("object ", out);
            write_node_text(out, context, s->node);
            fputc('\n', out);
            fputs("    ", out);
            write_retained_text(out, d, s->node);
            if (s->own_bytes != s->retained_bytes)
                fprintf(out, "; %" PRIu64 " bytes besides the suspects below it", s->own_bytes);
            fputc('\n', out);
            if (s->node < d->object_count)
                status = write_path_text(out, context, &paths, s->node, "    ", err);
            write_accumulation_text(out, context, s);
        }
        write_leaked_goroutines_text(out, context);
    } else {
        hs_context json;
        if ((status = begin_json_report(out, context, &json, err)) < 0) {
            free(suspects);
            return status;
        }
        context = &json;
        fprintf(out, ",\"threshold\":%g,\"suspects\":[", percent);
        for (uint32_t i = 0; i < count && status == HS_OK; i++) {
            const hs_leak_suspect *s = &suspects[i];
            if (i)
                fputc(',', out);
            open_node_json(out, context, s->node);
            fprintf(out, ",\"percent\":%.2f,\"own_bytes\":%" PRIu64, hs_percent(s->retained_bytes, d->live_bytes),
                    s->own_bytes);
            status = write_path_json(out, context, &paths, s->node, err);
            fputs(",\"held_through\":", out);
            if (s->chain_top == HS_NO_NODE) {
                fputs("null", out);
            } else {
                fprintf(out, "{\"dominators\":%" PRIu32 ",\"extra_bytes\":%" PRIu64 ",\"nearly_as_much\":%s,\"first\":",
                        s->chain_length, held_through_extra(d, s), held_through_nearly(d, s) ? "true" : "false");
                open_node_json(out, context, s->chain_top);
                fputs("}}", out);
            }
            fputs(",\"accumulation\":", out);
            if (s->accumulation == HS_NO_NODE) {
                fputs("null", out);
            } else {
                fputs("{\"object\":", out);
                hs_describe_object_json(out, context, s->accumulation, 0, 0);
                fprintf(out,
                        ",\"retained\":{\"bytes\":%" PRIu64 ",\"objects\":%" PRIu32 "},\"children\":%" PRIu32
                        ",\"children_bytes\":%" PRIu64 ",\"child_min_bytes\":%" PRIu64
                        ",\"child_max_bytes\":%" PRIu64 "}",
                        d->retained_bytes[s->accumulation], d->retained_objects[s->accumulation],
                        s->accumulation_children, s->children_bytes, s->child_min_bytes, s->child_max_bytes);
            }
            fputc('}', out);
        }
        fputc(']', out);
        write_leaked_goroutines_json(out, context);
        status = end_json_report_open(out, &json, status, err);
    }
    hs_root_paths_free(paths.paths);
    free(suspects);
    return status;
}
