/* hs_html_report.h — --html: one self-contained HTML page of a run's reports (summary, leak suspects with their owner graphs, top retainers, Go types, goroutine groups, allocation sites), sortable and searchable, that fetches nothing. */
#ifndef HS_HTML_REPORT_H
#define HS_HTML_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hs_context.h"
#include "hs_error.h"

/* Rows of the retainers, types and sites tables when none are asked for. */
#define HS_HTML_DEFAULT_ROWS 100

typedef struct hs_html_options {
    const char *dump_name;  /* the dump as the page names it (its path); NULL: context->dump's name */
    double threshold;       /* leak suspects: percent of the live heap, in (0, 100] */
    uint64_t rows;          /* rows of the top-retainers, types and sites tables; 0: all */
    uint32_t max_nodes;     /* nodes of each suspect's owner graph; 0: HS_GRAPH_DEFAULT_MAX_NODES */
    int all_goroutines;     /* the runtime's own goroutines in the goroutine table too */
} hs_html_options;

/* Writes the page to out. Every table's numbers come from the JSON report
 * writers, called here with HS_FORMAT_JSON into memory and embedded as
 * they are: hs_report_leaks (options->threshold), hs_report_top and
 * hs_report_sites (options->rows rows, depth 1), hs_report_types (with
 * context->typing; options->rows rows) and hs_report_goroutines (with
 * context->goroutines), so the page shows what `--leaks`, `--top N`,
 * `--sites --limit N`, `--types --retained --limit N` and `--goroutines
 * --format json` print for the same run; a summary document adds the
 * dump's params and MemStats records. Each leak suspect's owner graph
 * (hs_graph.h; for a root group, the graph of the object it retains the
 * most) is laid out as SVG and inlined after hs_html_write_svg's checks.
 * The page loads nothing: styles and script are inline, allowed by a
 * Content-Security-Policy with a fresh random nonce (so the same run
 * twice differs in it), and data reaches the page only as JSON text that
 * the script puts into the tables as text.
 * Needs context->dominators and context->goroutines (HS_ERR_USAGE
 * without); context->goroutine_dominators gives each goroutine's own
 * retained size. Errors: those of the writers and of the graph,
 * HS_ERR_NOMEM, HS_ERR_IO (no random bytes for the nonce). On error,
 * out holds part of a page. */
int hs_report_html(FILE *out, const hs_context *context, const hs_html_options *options, hs_error *err);

/* Writes a JSON document (length bytes, as a JSON writer wrote it) as the
 * text of a <script type="application/json"> element: `<`, `>` and `&` as
 * \u003c, \u003e and \u0026, and U+2028 and U+2029 as \u2028 and \u2029.
 * In JSON these occur only inside strings, so the document's value is
 * unchanged, and no bytes of it can end the element, open a comment or
 * break a script that reads it. */
void hs_html_write_script_json(FILE *out, const char *json, size_t length);

/* Writes text (length bytes from the dump, the program or the command
 * line) as HTML character data or a quoted attribute value: `&`, `<`,
 * `>`, `"` and `'` as character references, control characters but tab
 * and newline as U+FFFD, and each byte of invalid UTF-8 as U+FFFD. */
void hs_html_write_text(FILE *out, const char *text, size_t length);

/* Inlines an SVG document as graphviz wrote it (length bytes): what comes
 * before the <svg> element (XML declaration, doctype, comments) and every
 * comment are left out, and each id="X" becomes id="PREFIX-X" so that
 * several graphs share a page. Refuses, with HS_ERR_FORMAT and nothing
 * written, an SVG that is not only the elements and attributes graphviz's
 * SVG renderer writes for the owner graph: an element other than svg, g,
 * title, text, polygon, polyline, ellipse, path or their closing tags, an
 * attribute named on... or holding a reference (href, xlink:href, src,
 * style), a `<` in character data, or an unterminated tag or comment. */
int hs_html_write_svg(FILE *out, const char *svg, size_t length, const char *id_prefix, hs_error *err);

#endif
