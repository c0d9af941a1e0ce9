/* graph.c — the owner graph of one object: owner selection over the reverse edges, graphviz nodes and edges, SVG/DOT output. */
#include "hs_graph.h"

#include "hs_typing.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gvc.h>

#include "array.h"
#include "hs_describe.h"
#include "hs_dominator.h"
#include "output.h"
#include "hs_sites.h"

struct hs_graph {
    GVC_t *gvc; /* the process's one context (graphviz_context) */
    Agraph_t *graph;
    int laid_out;
    hs_graph_info info;
};

/* Longest run of name bytes shown in a label; longer names end in "...". */
#define LABEL_NAME_MAX 200
/* Frames of a goroutine shown in a frame's box before the list is elided. */
#define STACK_HEAD 12
#define STACK_TAIL 4
#define STACK_AROUND 3

/* Graphs with more nodes than this are laid out with cheaper dot settings. */
#define LARGE_GRAPH 400

/* Node states during selection. */
enum { IN_SET = 1, KEPT = 2, TO_SUMMARY = 4 };

/* ---- graphviz messages: captured, never printed ---- */

static char graphviz_message[512];

static int capture_graphviz_message(char *message)
{
    if (!strcmp(message, "Error") || !strcmp(message, "Warning")) {
        snprintf(graphviz_message, sizeof graphviz_message, "%s", message);
        return 0;
    }
    size_t used = strlen(graphviz_message);
    snprintf(graphviz_message + used, sizeof graphviz_message - used, "%s", message);
    return 0;
}

/* The captured message without its trailing newline, or a fallback. */
static const char *last_graphviz_message(const char *fallback)
{
    size_t n = strlen(graphviz_message);
    while (n > 0 && (graphviz_message[n - 1] == '\n' || graphviz_message[n - 1] == ' '))
        graphviz_message[--n] = '\0';
    return n ? graphviz_message : fallback;
}

static agusererrf capture_begin(void)
{
    graphviz_message[0] = '\0';
    return agseterrf(capture_graphviz_message);
}

static void capture_end(agusererrf previous)
{
    agseterrf(previous);
}

static int set_attribute(void *object, const char *name, const char *value)
{
    return agsafeset(object, (char *)name, (char *)value, (char *)"");
}

/* ---- labels ---- */

/* Length of a well-formed UTF-8 sequence at data (hs_utf8_decode) that XML
 * accepts (not U+FFFE or U+FFFF), or 0. */
static unsigned xml_utf8_length(const uint8_t *data, uint64_t left)
{
    uint32_t code;
    unsigned n = hs_utf8_decode(data, left, &code);
    return n && code != 0xfffe && code != 0xffff ? n : 0;
}

/* Writes bytes as the text of a graphviz label (an escString): backslashes
 * doubled, '&' as an entity so graphviz shows it as typed, control bytes and
 * invalid UTF-8 as a visible \xNN, at most `limit` bytes of input then "...". */
static void write_label_text(FILE *out, const uint8_t *data, uint64_t length, uint64_t limit)
{
    uint64_t i = 0;
    while (i < length) {
        if (i >= limit) {
            fputs("...", out);
            return;
        }
        uint8_t c = data[i];
        if (c == '\\') {
            fputs("\\\\", out);
            i++;
        } else if (c == '&') {
            fputs("&amp;", out);
            i++;
        } else if (c >= 0x20 && c < 0x7f) {
            fputc(c, out);
            i++;
        } else {
            unsigned n = c >= 0x80 ? xml_utf8_length(data + i, length - i) : 0;
            if (n) {
                fwrite(data + i, 1, n, out);
                i += n;
            } else {
                fprintf(out, "\\\\x%02x", c);
                i++;
            }
        }
    }
}

static void write_label_cstring(FILE *out, const char *text)
{
    write_label_text(out, (const uint8_t *)text, strlen(text), LABEL_NAME_MAX);
}

/* A label being written through a memory stream. */
typedef struct label_buffer {
    char *text;
    size_t size;
    FILE *out;
} label_buffer;

static int label_open(label_buffer *label, hs_error *err)
{
    label->text = NULL;
    label->size = 0;
    label->out = open_memstream(&label->text, &label->size);
    if (!label->out)
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory building a graph label");
    return HS_OK;
}

/* Closes the stream; the text stays in label->text (freed by the caller). */
static int label_close(label_buffer *label, hs_error *err)
{
    int failed = fclose(label->out) != 0;
    label->out = NULL;
    if (failed || !label->text) {
        free(label->text);
        label->text = NULL;
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory building a graph label");
    }
    return HS_OK;
}

/* ---- selection ---- */

typedef struct graph_edge {
    hs_node from, to;
    uint64_t key;           /* symbol (or static) start + 1 for a segment slot inside a named global (or a static), else 0 */
    uint64_t target_offset; /* where the pointer lands in `to` */
    uint64_t slot_offset;   /* where the pointer is in `from` */
} graph_edge;

typedef struct selection {
    const hs_context *context;
    const hs_heap *heap;
    hs_node target;
    uint8_t *state;   /* IN_SET / KEPT / TO_SUMMARY per node */
    uint32_t *next;   /* next hop towards the target over the owned-by relation */
    hs_node *order;   /* target then its owners, nearest first */
    uint32_t order_count;
    hs_node *kept;    /* kept nodes, target first */
    uint32_t kept_count;
    graph_edge *edges;
    uint64_t edge_count, edge_capacity;
    hs_node current;  /* node whose slots are being visited */
    int failed;
} selection;

static void selection_free(selection *s)
{
    free(s->state);
    free(s->next);
    free(s->order);
    free(s->kept);
    free(s->edges);
}

static void keep(selection *s, hs_node node)
{
    if (!(s->state[node] & KEPT)) {
        s->state[node] |= KEPT;
        s->kept[s->kept_count++] = node;
    }
}

/* Breadth-first over the reverse edges from the target: every transitive
 * owner once, nearest first, with its next hop towards the target. When
 * prune is set, objects no root reaches are counted and left out: no root
 * reaches an owner of theirs either, and no path from a reachable owner
 * passes through them. */
static void collect_owners(selection *s, int prune, uint64_t *pruned)
{
    const hs_heap *heap = s->heap;
    s->order[0] = s->target;
    s->order_count = 1;
    s->state[s->target] = IN_SET;
    for (uint32_t i = 0; i < s->order_count; i++) {
        hs_node node = s->order[i];
        if (node >= heap->object_count)
            continue; /* roots have no owners */
        for (uint64_t e = heap->in_start[node]; e < heap->in_start[node + 1]; e++) {
            hs_node source = heap->in_source[e];
            if (s->state[source])
                continue;
            s->state[source] = IN_SET;
            s->next[source] = node;
            s->order[s->order_count++] = source;
        }
    }
    *pruned = 0;
    if (!prune)
        return;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < s->order_count; i++) {
        hs_node node = s->order[i];
        if (node != s->target && node < heap->object_count && !hs_object_is_reachable(heap, node)) {
            s->state[node] = 0;
            (*pruned)++;
        } else {
            s->order[kept++] = node;
        }
    }
    s->order_count = kept;
}

/* Chooses at most budget nodes: the target; one shortest path from the
 * nearest root (its root end first when it does not fit); shortest paths
 * from the next nearest roots while they fit in half the budget; then the
 * owners nearest to the target. */
static void select_nodes(selection *s, uint32_t budget)
{
    keep(s, s->target);
    int first_root = 1;
    for (uint32_t i = 1; i < s->order_count && s->kept_count < budget; i++) {
        hs_node root = s->order[i];
        if (root < s->heap->object_count || (s->state[root] & KEPT))
            continue;
        uint32_t added = 0;
        for (hs_node n = root; !(s->state[n] & KEPT); n = s->next[n])
            added++;
        uint32_t room = budget - s->kept_count, take;
        if (first_root)
            take = added <= room ? added : room / 2;
        else if (s->kept_count + added <= budget / 2)
            take = added;
        else if (s->kept_count >= budget / 2)
            break;
        else
            continue;
        first_root = 0;
        hs_node n = root;
        for (uint32_t k = 0; k < take; k++, n = s->next[n])
            keep(s, n);
    }
    for (uint32_t i = 1; i < s->order_count && s->kept_count < budget; i++)
        keep(s, s->order[i]);
}

static int collect_edge(uint64_t slot_offset, uint64_t value, hs_node target, uint64_t target_offset, void *context)
{
    (void)value;
    selection *s = context;
    if (target == HS_NO_NODE || !(s->state[target] & IN_SET))
        return 0;
    if (!(s->state[target] & KEPT)) {
        s->state[s->current] |= TO_SUMMARY;
        return 0;
    }
    uint64_t key = 0;
    const hs_heap *heap = s->heap;
    if (s->current >= heap->object_count && s->context->symbols) {
        const hs_root *root = &heap->roots[s->current - heap->object_count];
        if (root->kind == HS_ROOT_DATA || root->kind == HS_ROOT_BSS) {
            uint64_t offset;
            const hs_symbol *symbol = hs_symbols_find(s->context->symbols, root->address + slot_offset, &offset);
            const hs_static *in_static =
                symbol ? NULL : hs_symbols_find_static(s->context->symbols, root->address + slot_offset, NULL);
            if (symbol)
                key = symbol->address + 1;
            else if (in_static)
                key = in_static->address + 1;
        }
    }
    if (HS_ARRAY_RESERVE(s->edges, &s->edge_capacity, s->edge_count + 1) < 0) {
        s->failed = 1;
        return 1;
    }
    s->edges[s->edge_count++] = (graph_edge){.from = s->current, .to = target, .key = key,
                                             .target_offset = target_offset, .slot_offset = slot_offset};
    return 0;
}

static int compare_edges(const void *a, const void *b)
{
    const graph_edge *x = a, *y = b;
#define HS_CMP(field)            \
    if (x->field != y->field)    \
        return x->field < y->field ? -1 : 1;
    HS_CMP(from)
    HS_CMP(to)
    HS_CMP(key)
    HS_CMP(target_offset)
    HS_CMP(slot_offset)
#undef HS_CMP
    return 0;
}

/* The pointers between kept nodes, one edge per owner, owned, global and
 * landing offset; marks kept nodes that point into left-out owners. */
static int collect_edges(selection *s, hs_error *err)
{
    for (uint32_t i = 0; i < s->kept_count; i++) {
        s->current = s->kept[i];
        hs_heap_visit_slots(s->heap, s->current, 0, collect_edge, s);
        if (s->failed)
            return hs_error_set(err, HS_ERR_NOMEM, "out of memory collecting the owner graph's edges");
    }
    if (s->edge_count > 1)
        qsort(s->edges, s->edge_count, sizeof *s->edges, compare_edges);
    uint64_t unique = 0;
    for (uint64_t e = 0; e < s->edge_count; e++) {
        const graph_edge *edge = &s->edges[e];
        if (unique > 0) {
            const graph_edge *last = &s->edges[unique - 1];
            if (last->from == edge->from && last->to == edge->to && last->key == edge->key &&
                last->target_offset == edge->target_offset)
                continue;
        }
        s->edges[unique++] = *edge;
    }
    s->edge_count = unique;
    return HS_OK;
}

/* Whether a kept object has an owner that was left out. */
static int has_omitted_owner(const selection *s, hs_node node)
{
    const hs_heap *heap = s->heap;
    if (node >= heap->object_count)
        return 0;
    for (uint64_t e = heap->in_start[node]; e < heap->in_start[node + 1]; e++) {
        uint8_t state = s->state[heap->in_source[e]];
        if ((state & IN_SET) && !(state & KEPT))
            return 1;
    }
    return 0;
}

/* ---- graphviz nodes ---- */

static void write_frame_label(FILE *out, const hs_context *context, hs_node node)
{
    const hs_heap *heap = context->heap;
    const hs_root *frame = &heap->roots[node - heap->object_count];
    fprintf(out, "StackFrame @ 0x%" PRIx64, frame->address);
    if (frame->goroutine == UINT32_MAX) {
        fprintf(out, "\\n[%" PRIu64 "] ", frame->depth);
        write_label_text(out, frame->name.data, frame->name.length, LABEL_NAME_MAX);
        fputs("\\l", out);
        return;
    }
    const hs_goroutine *g = &heap->goroutines[frame->goroutine];
    fprintf(out, "\\ngoroutine %" PRIu64, g->goid);
    if (g->wait_reason.length) {
        fputs(" (", out);
        write_label_text(out, g->wait_reason.data, g->wait_reason.length, LABEL_NAME_MAX);
        fputc(')', out);
    }
    fputs("\\n", out);
    uint32_t own = (uint32_t)(node - heap->object_count) - g->first_frame;
    int elided = 0;
    for (uint32_t i = 0; i < g->frame_count; i++) {
        int shown = i < STACK_HEAD || i + STACK_TAIL >= g->frame_count || (i + STACK_AROUND >= own && i <= own + STACK_AROUND);
        if (!shown) {
            if (!elided)
                fputs("   ...\\l", out);
            elided = 1;
            continue;
        }
        elided = 0;
        const hs_root *f = &heap->roots[g->first_frame + i];
        fprintf(out, "%s[%" PRIu64 "] ", i == own ? "=> " : "   ", f->depth);
        write_label_text(out, f->name.data, f->name.length, LABEL_NAME_MAX);
        fputs("\\l", out);
    }
}

/* Writes a node's label and sets its shape and colours. */
static int describe_node(const selection *s, Agnode_t *gnode, hs_node node, uint64_t target_offset, hs_error *err)
{
    const hs_context *context = s->context;
    const hs_heap *heap = s->heap;
    label_buffer label;
    HS_TRY(label_open(&label, err));
    FILE *out = label.out;
    const char *shape = "ellipse";
    if (node < heap->object_count) {
        char title[640];
        hs_describe_object_title(context, node, title, sizeof title);
        write_label_cstring(out, title);
        fprintf(out, "\\n0x%" PRIx64, heap->objects[node].address);
        char site[256];
        if (hs_sites_label(context->sites, node, site, sizeof site)) {
            fputs("\\n", out);
            write_label_cstring(out, site);
        }
        if (context->dominators) {
            char retained[128];
            fputs("\\n", out);
            write_label_cstring(out, hs_dominators_label(context->dominators, node, retained, sizeof retained));
        }
        uint8_t flags = heap->flags[node];
        if (flags & HS_OBJECT_FINALIZER)
            fputs("\\nRegisteredFinalizer", out);
        if (flags & HS_OBJECT_QUEUED)
            fputs("\\nQueuedFinalizer", out);
        if (node == s->target && target_offset)
            fprintf(out, "\\nqueried 0x%" PRIx64 " (offset = %" PRIu64 ")", heap->objects[node].address + target_offset,
                    target_offset);
        if (hs_object_name(context, node))
            set_attribute(gnode, "fontcolor", "#008000");
        if (flags & (HS_OBJECT_FINALIZER | HS_OBJECT_QUEUED)) {
            set_attribute(gnode, "color", "red");
            set_attribute(gnode, "penwidth", "5");
        }
        if (node == s->target) {
            set_attribute(gnode, "style", "filled");
            set_attribute(gnode, "fillcolor", "yellow");
        } else if (heap->in_start[node] == heap->in_start[node + 1]) {
            set_attribute(gnode, "style", "filled");
            set_attribute(gnode, "fillcolor", "gray");
        }
    } else {
        const hs_root *root = &heap->roots[node - heap->object_count];
        switch (root->kind) {
        case HS_ROOT_DATA:
            shape = "tripleoctagon";
            fprintf(out, "DataSegment\\n0x%" PRIx64, root->address);
            break;
        case HS_ROOT_BSS:
            shape = "doubleoctagon";
            fprintf(out, "BssSegment\\n0x%" PRIx64, root->address);
            break;
        case HS_ROOT_FRAME:
            shape = "box";
            write_frame_label(out, context, node);
            break;
        case HS_ROOT_FINALIZER:
        case HS_ROOT_QUEUED_FINALIZER:
            shape = "house";
            fprintf(out, "%s\\n0x%" PRIx64,
                    root->kind == HS_ROOT_FINALIZER ? "RegisteredFinalizer" : "QueuedFinalizer", root->address);
            set_attribute(gnode, "color", "red");
            break;
        case HS_ROOT_OTHER:
            shape = "parallelogram";
            fputs("OtherRoot\\n", out);
            write_label_text(out, root->name.data, root->name.length, LABEL_NAME_MAX);
            fprintf(out, "\\n0x%" PRIx64, root->address);
            break;
        }
    }
    HS_TRY(label_close(&label, err));
    set_attribute(gnode, "shape", shape);
    set_attribute(gnode, "label", label.text);
    free(label.text);
    return HS_OK;
}

/* Sets the edge's labels: the global holding the pointer or the Go field it is in, where it lands. */
static void describe_edge(const selection *s, Agedge_t *gedge, const graph_edge *edge)
{
    const hs_heap *heap = s->heap;
    char text[640];
    if (edge->key) {
        const hs_root *root = &heap->roots[edge->from - heap->object_count];
        char symbol[512];
        if (hs_symbols_describe(s->context->symbols, root->address + edge->slot_offset, symbol, sizeof symbol)) {
            label_buffer label;
            if (label_open(&label, NULL) == HS_OK) {
                write_label_cstring(label.out, symbol);
                if (label_close(&label, NULL) == HS_OK) {
                    set_attribute(gedge, "taillabel", label.text);
                    free(label.text);
                }
            }
        }
    } else if (edge->from >= heap->object_count && edge->slot_offset == UINT64_MAX) {
        set_attribute(gedge, "taillabel", "closure");
    } else if (edge->from < heap->object_count &&
               hs_typing_field(s->context->typing, edge->from, edge->slot_offset, text, sizeof text)) {
        /* The Go field the pointer is in (with --program). */
        label_buffer label;
        if (label_open(&label, NULL) == HS_OK) {
            write_label_cstring(label.out, text);
            if (label_close(&label, NULL) == HS_OK) {
                set_attribute(gedge, "taillabel", label.text);
                free(label.text);
            }
        }
    }
    if (edge->target_offset) {
        snprintf(text, sizeof text, "0x%" PRIx64 "\\n(offset = %" PRIu64 ")",
                 hs_node_address(heap, edge->to) + edge->target_offset, edge->target_offset);
        set_attribute(gedge, "headlabel", text);
        set_attribute(gedge, "color", "red");
        set_attribute(gedge, "fontcolor", "red");
    }
}

static void declare_attributes(Agraph_t *g)
{
    static const char *const graph_defaults[][2] = {
        {"fontname", "Helvetica,Arial,sans-serif"}, {"fontsize", "12"}, {"label", ""}, {"labelloc", "t"}};
    static const char *const node_defaults[][2] = {
        {"shape", "ellipse"}, {"style", ""}, {"fillcolor", "white"}, {"color", "black"}, {"penwidth", "1"},
        {"fontcolor", "black"}, {"fontname", "Helvetica,Arial,sans-serif"}, {"fontsize", "10"}, {"label", "\\N"}};
    static const char *const edge_defaults[][2] = {
        {"color", "black"},     {"style", ""},          {"headlabel", ""},
        {"taillabel", ""},      {"fontcolor", "black"}, {"fontname", "Helvetica,Arial,sans-serif"},
        {"labelfontsize", "9"}, {"arrowsize", "0.7"}};
    for (size_t i = 0; i < sizeof graph_defaults / sizeof *graph_defaults; i++)
        agattr(g, AGRAPH, (char *)graph_defaults[i][0], (char *)graph_defaults[i][1]);
    for (size_t i = 0; i < sizeof node_defaults / sizeof *node_defaults; i++)
        agattr(g, AGNODE, (char *)node_defaults[i][0], (char *)node_defaults[i][1]);
    for (size_t i = 0; i < sizeof edge_defaults / sizeof *edge_defaults; i++)
        agattr(g, AGEDGE, (char *)edge_defaults[i][0], (char *)edge_defaults[i][1]);
}

/* A node's graphviz name, which SVG shows as its <title>: the address for
 * an object, KIND#INDEX for a root ("bss#0", "frame#12", "finalizer#3"). */
static void node_name(const hs_heap *heap, hs_node node, char *buffer, size_t size)
{
    if (node < heap->object_count)
        snprintf(buffer, size, "0x%" PRIx64, heap->objects[node].address);
    else
        snprintf(buffer, size, "%s#%" PRIu32, hs_root_kind_name(heap->roots[node - heap->object_count].kind),
                 node - heap->object_count);
}

static Agnode_t *graph_node(Agraph_t *g, const hs_heap *heap, hs_node node, int create)
{
    char name[64];
    node_name(heap, node, name, sizeof name);
    return agnode(g, name, create);
}

/* Creates the graphviz graph from the selection. */
static int build_graphviz(hs_graph *graph, selection *s, uint64_t target_offset, uint64_t pruned, hs_error *err)
{
    const hs_heap *heap = s->heap;
    Agraph_t *g = graph->graph;
    declare_attributes(g);
    char text[256];
    for (uint32_t i = 0; i < s->kept_count; i++) {
        Agnode_t *gnode = graph_node(g, heap, s->kept[i], 1);
        if (!gnode)
            return hs_error_set(err, HS_ERR_NOMEM, "graphviz: cannot create a node: %s",
                                last_graphviz_message("out of memory"));
        HS_TRY(describe_node(s, gnode, s->kept[i], target_offset, err));
    }
    uint64_t omitted = s->order_count - s->kept_count;
    Agnode_t *summary = NULL;
    if (omitted) {
        summary = agnode(g, (char *)"omitted", 1);
        if (!summary)
            return hs_error_set(err, HS_ERR_NOMEM, "graphviz: cannot create a node");
        snprintf(text, sizeof text, "%" PRIu64 " more owner%s not shown", omitted, omitted == 1 ? "" : "s");
        set_attribute(summary, "label", text);
        set_attribute(summary, "shape", "note");
        set_attribute(summary, "style", "dashed");
    }
    for (uint64_t e = 0; e < s->edge_count; e++) {
        const graph_edge *edge = &s->edges[e];
        Agedge_t *gedge = agedge(g, graph_node(g, heap, edge->from, 0), graph_node(g, heap, edge->to, 0), NULL, 1);
        if (!gedge)
            return hs_error_set(err, HS_ERR_NOMEM, "graphviz: cannot create an edge");
        describe_edge(s, gedge, edge);
    }
    graph->info.edges = s->edge_count;
    if (summary) {
        for (uint32_t i = 0; i < s->kept_count; i++) {
            hs_node node = s->kept[i];
            Agnode_t *gnode = graph_node(g, heap, node, 0);
            Agedge_t *gedge = NULL;
            if (s->state[node] & TO_SUMMARY) {
                if (!(gedge = agedge(g, gnode, summary, NULL, 1)))
                    return hs_error_set(err, HS_ERR_NOMEM, "graphviz: cannot create an edge");
                set_attribute(gedge, "style", "dashed");
                graph->info.edges++;
            }
            if (has_omitted_owner(s, node)) {
                if (!(gedge = agedge(g, summary, gnode, NULL, 1)))
                    return hs_error_set(err, HS_ERR_NOMEM, "graphviz: cannot create an edge");
                set_attribute(gedge, "style", "dashed");
                graph->info.edges++;
            }
        }
    }
    label_buffer label;
    HS_TRY(label_open(&label, err));
    fprintf(label.out, "Owners of 0x%" PRIx64, heap->objects[s->target].address);
    if (graph->info.target_unreachable)
        fputs("\\nno root reaches this object: all its owners are shown, garbage cycles included", label.out);
    else if (pruned)
        fprintf(label.out, "\\n%" PRIu64 " owner%s that no root reaches left out (--keep-cycles shows them)", pruned,
                pruned == 1 ? "" : "s");
    HS_TRY(label_close(&label, err));
    set_attribute(g, "label", label.text);
    free(label.text);
    graph->info.nodes = s->kept_count + (summary ? 1 : 0);
    if (graph->info.nodes > LARGE_GRAPH) {
        /* Fewer crossing-minimization and network-simplex rounds: about half
         * the layout time on a 2,000-node fan, for a slightly rougher picture. */
        set_attribute(g, "mclimit", "0.1");
        set_attribute(g, "nslimit", "0.1");
        set_attribute(g, "nslimit1", "0.1");
    }
    graph->info.owners = s->order_count - 1;
    graph->info.omitted = omitted;
    graph->info.pruned = pruned;
    return HS_OK;
}

/* One graphviz context for the whole process, made on first use and never freed. Graphviz 2.42's pango
 * plugin keeps a static pointer to the name of the last font it measured, and that name lives in the font
 * table of the context that measured it: after that context is freed, the next context's first label would
 * compare against freed memory. With one context kept, every graph of a run (the --html report lays out one
 * per leak suspect) measures its fonts in the same, live table. */
static GVC_t *graphviz_context(void)
{
    static GVC_t *context;
    if (!context)
        context = gvContext();
    return context;
}

int hs_graph_build(const hs_context *context, hs_node target, uint64_t target_offset,
                   const hs_graph_options *options, hs_graph **out, hs_error *err)
{
    *out = NULL;
    const hs_heap *heap = context->heap;
    if (!heap || target >= heap->object_count)
        return hs_error_set(err, HS_ERR_USAGE, "the owner graph needs an object of the heap as its target");
    uint32_t budget = options && options->max_nodes ? options->max_nodes : HS_GRAPH_DEFAULT_MAX_NODES;
    uint32_t nodes = hs_heap_node_count(heap);
    selection s = {.context = context, .heap = heap, .target = target};
    hs_graph *graph = calloc(1, sizeof *graph);
    s.state = calloc(nodes, 1);
    s.next = malloc((size_t)nodes * sizeof *s.next);
    s.order = malloc((size_t)nodes * sizeof *s.order);
    s.kept = malloc(((size_t)(budget < nodes ? budget : nodes) + 1) * sizeof *s.kept);
    if (!graph || !s.state || !s.next || !s.order || !s.kept) {
        free(graph);
        selection_free(&s);
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory building the owner graph of %" PRIu32 " nodes", nodes);
    }
    graph->info.target_unreachable = !hs_object_is_reachable(heap, target);
    int prune = !(options && options->keep_cycles) && !graph->info.target_unreachable;
    uint64_t pruned;
    collect_owners(&s, prune, &pruned);
    select_nodes(&s, budget);
    int status = collect_edges(&s, err);

    agusererrf previous = capture_begin();
    if (status == HS_OK) {
        graph->gvc = graphviz_context();
        graph->graph = graph->gvc ? agopen((char *)"owners", Agdirected, NULL) : NULL;
        if (!graph->graph)
            status = hs_error_set(err, HS_ERR_NOMEM, "graphviz: cannot create a graph: %s",
                                  last_graphviz_message("out of memory"));
    }
    if (status == HS_OK)
        status = build_graphviz(graph, &s, target_offset, pruned, err);
    capture_end(previous);
    selection_free(&s);
    if (status < 0) {
        hs_graph_free(graph);
        return status;
    }
    *out = graph;
    return HS_OK;
}

void hs_graph_get_info(const hs_graph *graph, hs_graph_info *info)
{
    *info = graph->info;
}

int hs_report_graph(hs_graph *graph, FILE *out, enum hs_graph_format format, hs_error *err)
{
    int status = HS_OK;
    agusererrf previous = capture_begin();
    if (format == HS_GRAPH_DOT) {
        if (agwrite(graph->graph, out) == EOF)
            status = hs_error_set(err, HS_ERR_IO, "writing the graph as DOT failed");
    } else {
        if (!graph->laid_out) {
            if (gvLayout(graph->gvc, graph->graph, "dot") != 0)
                status = hs_error_set(err, HS_ERR_IO,
                                      "graphviz could not lay out the graph with dot (%s); is the graphviz "
                                      "package installed and its plugin list current (run `dot -c` as root)?",
                                      last_graphviz_message("no message"));
            else
                graph->laid_out = 1;
        }
        const char *renderer = format == HS_GRAPH_PNG ? "png" : format == HS_GRAPH_PDF ? "pdf" : "svg";
        if (status == HS_OK && gvRender(graph->gvc, graph->graph, renderer, out) != 0)
            status = hs_error_set(err, HS_ERR_IO,
                                  "graphviz could not render %s (%s); is the graphviz package installed and its "
                                  "plugin list current (run `dot -c` as root)?",
                                  format == HS_GRAPH_PNG ? "PNG" : format == HS_GRAPH_PDF ? "PDF" : "SVG",
                                  last_graphviz_message("no message"));
    }
    capture_end(previous);
    if (status == HS_OK && (fflush(out) != 0 || ferror(out)))
        status = hs_error_set(err, HS_ERR_IO, "writing the graph failed: %s", strerror(errno));
    return status;
}

enum hs_graph_format hs_graph_format_for_path(const char *file_path)
{
    size_t n = strlen(file_path);
    if ((n >= 4 && !strcmp(file_path + n - 4, ".dot")) || (n >= 3 && !strcmp(file_path + n - 3, ".gv")))
        return HS_GRAPH_DOT;
    if (n >= 4 && !strcasecmp(file_path + n - 4, ".png"))
        return HS_GRAPH_PNG;
    if (n >= 4 && !strcasecmp(file_path + n - 4, ".pdf"))
        return HS_GRAPH_PDF;
    return HS_GRAPH_SVG;
}

void hs_graph_free(hs_graph *graph)
{
    if (!graph)
        return;
    agusererrf previous = capture_begin();
    if (graph->laid_out)
        gvFreeLayout(graph->gvc, graph->graph);
    if (graph->graph)
        agclose(graph->graph);
    capture_end(previous);
    free(graph);
}
