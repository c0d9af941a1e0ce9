/* hs_graph.h — the owner graph: everything that keeps one object alive, laid out by graphviz as SVG or written as DOT. */
#ifndef HS_GRAPH_H
#define HS_GRAPH_H

#include <stdint.h>
#include <stdio.h>

#include "hs_context.h"

#define HS_GRAPH_DEFAULT_MAX_NODES 200
#define HS_GRAPH_DEFAULT_PATH "heapdump.svg"

enum hs_graph_format {
    HS_GRAPH_SVG, /* laid out with graphviz's dot, rendered as SVG */
    HS_GRAPH_DOT, /* the graph as DOT text (no layout), for other tools */
    HS_GRAPH_PNG, /* laid out and rendered as a PNG picture (graphviz's cairo plugin) */
    HS_GRAPH_PDF  /* laid out and rendered as PDF */
};

typedef struct hs_graph_options {
    uint32_t max_nodes; /* nodes kept besides the summary node; 0 means HS_GRAPH_DEFAULT_MAX_NODES */
    int keep_cycles;    /* keep owners no root reaches (they hold the target only through garbage cycles) */
} hs_graph_options;

/* What the graph holds, for progress messages and tests. */
typedef struct hs_graph_info {
    uint32_t nodes;           /* graph nodes, the summary node included */
    uint64_t edges;           /* graph edges */
    uint64_t owners;          /* transitive owners of the target (roots included) after pruning */
    uint64_t omitted;         /* owners left out by the node cap (shown as one summary node) */
    uint64_t pruned;          /* owners left out because no root reaches them */
    int target_unreachable;   /* no root reaches the target: pruning was turned off */
} hs_graph_info;

typedef struct hs_graph hs_graph;

/* Builds the owner graph of target (an object of context->heap; the queried
 * address was target_offset bytes into it): the target, its transitive owners
 * over the reverse edges up to the roots, at most max_nodes of them (the
 * nearest to the target, after one shortest path from each of the nearest
 * roots), the rest contracted into one "N more owners not shown" node, so
 * every kept node keeps a path to a root when it has one. Needs
 * context->heap; uses context->symbols and context->oids when set. The
 * context must outlive the graph. Errors: HS_ERR_USAGE (target is not an
 * object), HS_ERR_NOMEM, HS_ERR_IO (graphviz refused the graph). Graphviz's
 * own messages are captured into err, never printed. Free with hs_graph_free. */
int hs_graph_build(const hs_context *context, hs_node target, uint64_t target_offset,
                   const hs_graph_options *options, hs_graph **out, hs_error *err);

void hs_graph_get_info(const hs_graph *graph, hs_graph_info *info);

/* Writes the graph to out: SVG, PNG or PDF (laid out with dot; HS_ERR_IO
 * naming `dot -c` when graphviz's layout or render plugin cannot be
 * loaded) or DOT. */
int hs_report_graph(hs_graph *graph, FILE *out, enum hs_graph_format format, hs_error *err);

/* The format a path asks for by its extension: DOT for .dot or .gv, PNG for
 * .png, PDF for .pdf, else SVG. */
enum hs_graph_format hs_graph_format_for_path(const char *path);

/* Frees the graph. Accepts NULL. Graphviz's context is one per process,
 * made by the first hs_graph_build and kept until exit (graphviz 2.42
 * reads a freed context's font table otherwise: see graph.c); graphs are
 * built and rendered from one thread at a time. */
void hs_graph_free(hs_graph *graph);

#endif
