/* html_report.c — --html: the run's JSON reports embedded in one self-contained page, with each leak suspect's owner graph inlined as SVG. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "hs_dominator.h"
#include "hs_goroutines.h"
#include "hs_graph.h"
#include "hs_html_report.h"
#include "hs_record.h"
#include "hs_retained.h"
#include "hs_sites.h"
#include "hs_typing.h"
#include "html_page.h"
#include "output.h"

#define NONCE_BYTES 16
#define MEMSTATS_NAMED 24 /* the runtime.MemStats fields before PauseNs */

/* ---- Escaping ---------------------------------------------------------------------------------------------- */

void hs_html_write_script_json(FILE *out, const char *json, size_t length)
{
    const unsigned char *p = (const unsigned char *)json;
    size_t run = 0; /* bytes before p[i] not yet written */
    for (size_t i = 0; i < length; i++) {
        const char *escape = NULL;
        size_t skip = 1;
        if (p[i] == '<')
            escape = "\\u003c";
        else if (p[i] == '>')
            escape = "\\u003e";
        else if (p[i] == '&')
            escape = "\\u0026";
        else if (p[i] == 0xe2 && i + 2 < length && p[i + 1] == 0x80 && (p[i + 2] == 0xa8 || p[i + 2] == 0xa9)) {
            escape = p[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
            skip = 3;
        }
        if (!escape)
            continue;
        fwrite(p + run, 1, i - run, out);
        fputs(escape, out);
        i += skip - 1;
        run = i + 1;
    }
    fwrite(p + run, 1, length - run, out);
}

void hs_html_write_text(FILE *out, const char *text, size_t length)
{
    const uint8_t *p = (const uint8_t *)text;
    for (size_t i = 0; i < length;) {
        uint32_t code;
        unsigned n = hs_utf8_decode(p + i, length - i, &code);
        if (n == 0) {
            fputs("\xef\xbf\xbd", out); /* U+FFFD for a byte of invalid UTF-8 */
            i++;
            continue;
        }
        switch (code) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default:
            if ((code < 0x20 && code != '\t' && code != '\n') || (code >= 0x7f && code <= 0x9f))
                fputs("\xef\xbf\xbd", out);
            else
                fwrite(p + i, 1, n, out);
        }
        i += n;
    }
}

static void write_text_cstring(FILE *out, const char *text)
{
    hs_html_write_text(out, text, strlen(text));
}

/* ---- Inlining graphviz's SVG ------------------------------------------------------------------------------- */

static int is_name_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == ':' || c == '.';
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The elements graphviz's SVG renderer writes for the owner graph. */
static int element_allowed(const char *name, size_t length)
{
    static const char *const allowed[] = {"svg", "g", "title", "text", "polygon", "polyline", "ellipse", "path"};
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (strlen(allowed[i]) == length && !strncmp(allowed[i], name, length))
            return 1;
    return 0;
}

/* Attributes that run script or load or reference something. */
static int attribute_refused(const char *name, size_t length)
{
    if (length >= 2 && !strncasecmp(name, "on", 2))
        return 1;
    static const char *const refused[] = {"href", "xlink:href", "src", "style"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        if (strlen(refused[i]) == length && !strncasecmp(refused[i], name, length))
            return 1;
    return 0;
}

/* A url( in an attribute value that is not a reference inside the document (url(#...)). */
static int value_refers_outside(const char *value, size_t length)
{
    for (size_t i = 0; i + 4 <= length; i++)
        if (!strncasecmp(value + i, "url(", 4)) {
            size_t j = i + 4;
            while (j < length && is_space((unsigned char)value[j]))
                j++;
            if (j >= length || value[j] != '#')
                return 1;
        }
    return 0;
}

#define SVG_MAX_DEPTH 64

/* A tag as copy_tag read it. */
typedef struct svg_tag {
    const char *name;
    size_t name_length;
    int closing, self_closing;
} svg_tag;

/* Checks one tag starting at svg[*at] == '<' (not a comment) and writes it,
 * ids prefixed; *at moves past its '>'. */
static int copy_tag(FILE *out, const char *svg, size_t length, size_t *at, const char *id_prefix, svg_tag *tag,
                    hs_error *err)
{
    size_t i = *at + 1;
    int closing = i < length && svg[i] == '/';
    i += closing;
    size_t name_start = i;
    while (i < length && is_name_byte((unsigned char)svg[i]))
        i++;
    *tag = (svg_tag){.name = svg + name_start, .name_length = i - name_start, .closing = closing};
    if (!element_allowed(svg + name_start, i - name_start))
        return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG holds an element <%.*s> the report does not inline",
                            (int)(i - name_start > 40 ? 40 : i - name_start), svg + name_start);
    fprintf(out, "<%s%.*s", closing ? "/" : "", (int)(i - name_start), svg + name_start);
    for (;;) {
        size_t space = i;
        while (i < length && is_space((unsigned char)svg[i]))
            i++;
        if (i >= length)
            return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG ends inside a tag");
        if (svg[i] == '>' || (svg[i] == '/' && i + 1 < length && svg[i + 1] == '>')) {
            tag->self_closing = svg[i] == '/';
            if (closing && tag->self_closing)
                return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has a malformed tag at byte %zu", i);
            fputs(tag->self_closing ? "/>" : ">", out);
            *at = i + (tag->self_closing ? 2 : 1);
            return HS_OK;
        }
        size_t attribute = i;
        while (i < length && is_name_byte((unsigned char)svg[i]))
            i++;
        size_t attribute_length = i - attribute;
        if (attribute_length == 0 || closing || i == space)
            return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has a malformed tag at byte %zu", attribute);
        if (attribute_refused(svg + attribute, attribute_length))
            return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has an attribute %.*s the report does not inline",
                                (int)(attribute_length > 40 ? 40 : attribute_length), svg + attribute);
        if (i + 1 >= length || svg[i] != '=' || (svg[i + 1] != '"' && svg[i + 1] != '\''))
            return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has an attribute without a quoted value at byte %zu",
                                attribute);
        char quote = svg[i + 1];
        size_t value = i + 2, end = value;
        while (end < length && svg[end] != quote && svg[end] != '<')
            end++;
        if (end >= length || svg[end] != quote)
            return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has an unterminated attribute at byte %zu",
                                attribute);
        if (value_refers_outside(svg + value, end - value))
            return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG refers outside itself in %.*s",
                                (int)(attribute_length > 40 ? 40 : attribute_length), svg + attribute);
        i = end + 1;
        /* Namespace declarations are implied inside HTML; left out, the page names no URL. */
        if ((attribute_length == 5 && !strncmp(svg + attribute, "xmlns", 5)) ||
            (attribute_length > 6 && !strncmp(svg + attribute, "xmlns:", 6)))
            continue;
        int id = attribute_length == 2 && !strncmp(svg + attribute, "id", 2);
        fprintf(out, " %.*s=%c%s%s%.*s%c", (int)attribute_length, svg + attribute, quote, id ? id_prefix : "",
                id ? "-" : "", (int)(end - value), svg + value, quote);
    }
}

/* At a comment (svg + *i starts "<!--"): moves *i past its end and returns
 * 1; returns 0 elsewhere, HS_ERR_FORMAT for a comment with no end. */
static int skip_comment(const char *svg, size_t length, size_t *i, hs_error *err)
{
    if (*i + 4 > length || strncmp(svg + *i, "<!--", 4))
        return 0;
    const char *end = memmem(svg + *i + 4, length - *i - 4, "-->", 3);
    if (!end)
        return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has an unterminated comment");
    *i = (size_t)(end - svg) + 3;
    return 1;
}

static int write_svg_body(FILE *out, const char *svg, size_t length, const char *id_prefix, hs_error *err)
{
    size_t i = 0;
    /* The prolog: the XML declaration, the doctype and comments before <svg. */
    for (;;) {
        while (i < length && svg[i] != '<')
            i++;
        if (i + 4 <= length && !strncmp(svg + i, "<svg", 4) && (i + 4 == length || !is_name_byte((unsigned char)svg[i + 4])))
            break;
        if (i >= length)
            return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has no <svg> element");
        int comment = skip_comment(svg, length, &i, err);
        if (comment < 0)
            return comment;
        if (comment)
            continue;
        const char *close = memchr(svg + i, '>', length - i);
        if (!close)
            return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has an unterminated declaration");
        i = (size_t)(close - svg) + 1;
    }
    svg_tag open[SVG_MAX_DEPTH];
    int depth = 0, seen_svg = 0;
    while (i < length) {
        if (svg[i] != '<') {
            size_t start = i;
            while (i < length && svg[i] != '<')
                i++;
            if (depth == 0) {
                for (size_t k = start; k < i; k++)
                    if (!is_space((unsigned char)svg[k]))
                        return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has text outside its <svg> element");
                continue;
            }
            fwrite(svg + start, 1, i - start, out);
            continue;
        }
        int comment = skip_comment(svg, length, &i, err);
        if (comment < 0)
            return comment;
        if (comment)
            continue;
        if (depth == 0 && seen_svg)
            return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG has markup after its <svg> element");
        size_t at = i;
        svg_tag tag;
        HS_TRY(copy_tag(out, svg, length, &i, id_prefix, &tag, err));
        seen_svg = 1;
        if (tag.closing) {
            if (depth == 0 || open[depth - 1].name_length != tag.name_length ||
                memcmp(open[depth - 1].name, tag.name, tag.name_length))
                return hs_error_set(err, HS_ERR_FORMAT,
                                    "the graph's SVG closes an element it did not open at byte %zu", at);
            depth--;
        } else if (!tag.self_closing) {
            if (depth == SVG_MAX_DEPTH)
                return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG nests elements deeper than %d",
                                    SVG_MAX_DEPTH);
            open[depth++] = tag;
        }
    }
    if (!seen_svg || depth != 0)
        return hs_error_set(err, HS_ERR_FORMAT, "the graph's SVG ends inside an element");
    fputc('\n', out);
    return HS_OK;
}

int hs_html_write_svg(FILE *out, const char *svg, size_t length, const char *id_prefix, hs_error *err)
{
    /* Checked in full into memory first: a refused SVG writes nothing. */
    char *text = NULL;
    size_t text_length = 0;
    FILE *memory = open_memstream(&text, &text_length);
    if (!memory)
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory inlining a graph");
    int status = write_svg_body(memory, svg, length, id_prefix, err);
    if (fclose(memory) != 0 && status == HS_OK)
        status = hs_error_set(err, HS_ERR_NOMEM, "out of memory inlining a graph");
    if (status == HS_OK)
        fwrite(text, 1, text_length, out);
    free(text);
    return status;
}

/* ---- The embedded documents -------------------------------------------------------------------------------- */

typedef int (*document_writer)(FILE *out, const hs_context *context, const hs_html_options *options,
                               hs_error *err);

/* Runs write into memory and embeds what it wrote as <script type="application/json" id="ID">. */
static int embed_document(FILE *out, const char *id, document_writer write, const hs_context *context,
                          const hs_html_options *options, hs_error *err)
{
    char *text = NULL;
    size_t length = 0;
    FILE *memory = open_memstream(&text, &length);
    if (!memory)
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory writing the %s document", id);
    int status = write(memory, context, options, err);
    int failed = ferror(memory);
    if ((fclose(memory) != 0 || failed) && status == HS_OK)
        status = hs_error_set(err, HS_ERR_NOMEM, "out of memory writing the %s document", id);
    if (status == HS_OK) {
        fprintf(out, "<script type=\"application/json\" id=\"%s\">", id);
        hs_html_write_script_json(out, text, length);
        fputs("</script>\n", out);
    }
    free(text);
    return status;
}

static const char *dump_name(const hs_context *context, const hs_html_options *options)
{
    return options->dump_name ? options->dump_name : context->dump ? context->dump->name : "heap dump";
}

/* {"dump","version","params":{...}|null,"program":{"path","goversion"}|null,"memstats":{NAME:"N",...}|null}:
 * what no report writer says, from the params and MemStats records and the program. MemStats values are
 * decimal strings: LastGC (nanoseconds since 1970) and the cumulative counts pass 2^53, where a script's
 * numbers stop being exact. */
static int write_summary(FILE *out, const hs_context *context, const hs_html_options *options, hs_error *err)
{
    (void)err;
    const hs_heap *heap = context->heap;
    fputs("{\"dump\":", out);
    hs_write_json_cstring(out, dump_name(context, options));
    fputs(",\"version\":", out);
    hs_write_json_cstring(out, HS_VERSION);
    fputs(",\"params\":", out);
    const hs_params *p = context->params;
    if (p) {
        fprintf(out, "{\"bigendian\":%s,\"pointersize\":%u,\"heapstart\":\"0x%" PRIx64 "\",\"heapend\":\"0x%" PRIx64
                     "\",\"arch\":",
                p->big_endian ? "true" : "false", p->pointer_size, p->heap_start, p->heap_end);
        hs_write_json_string(out, p->arch.data, p->arch.length);
        fputs(",\"goversion\":", out);
        hs_write_json_string(out, p->version.data, p->version.length);
        fprintf(out, ",\"cpus\":%" PRIu64 "}", p->cpus);
    } else {
        fputs("null", out);
    }
    fputs(",\"program\":", out);
    if (context->symbols) {
        fputs("{\"path\":", out);
        hs_write_json_cstring(out, context->symbols->path);
        fputs(",\"goversion\":", out);
        hs_write_json_cstring(out, context->symbols->go_version);
        fputc('}', out);
    } else {
        fputs("null", out);
    }
    fputs(",\"memstats\":", out);
    if (heap && heap->has_memstats) {
        for (unsigned i = 0; i < MEMSTATS_NAMED; i++) {
            fputs(i ? "," : "{", out);
            hs_write_json_cstring(out, hs_memstats_name(i));
            fprintf(out, ":\"%" PRIu64 "\"", heap->memstats[i]);
        }
        fprintf(out, ",\"NumGC\":\"%" PRIu64 "\"}", heap->memstats[HS_MEMSTATS_COUNT - 1]);
    } else {
        fputs("null", out);
    }
    fputc('}', out);
    return HS_OK;
}

static int write_leaks(FILE *out, const hs_context *context, const hs_html_options *options, hs_error *err)
{
    return hs_report_leaks(out, context, options->threshold, HS_FORMAT_JSON, err);
}

static int write_top(FILE *out, const hs_context *context, const hs_html_options *options, hs_error *err)
{
    return hs_report_top(out, context, options->rows ? options->rows : UINT64_MAX, HS_FORMAT_JSON, err);
}

static int write_types(FILE *out, const hs_context *context, const hs_html_options *options, hs_error *err)
{
    return hs_report_types(out, context, HS_FORMAT_JSON, options->rows, err);
}

static int write_goroutines(FILE *out, const hs_context *context, const hs_html_options *options, hs_error *err)
{
    return hs_report_goroutines(out, context, context->goroutines, options->all_goroutines, HS_FORMAT_JSON, err);
}

static int write_sites(FILE *out, const hs_context *context, const hs_html_options *options, hs_error *err)
{
    return hs_report_sites(out, context, HS_FORMAT_JSON, options->rows, 1, err);
}

/* ---- The suspects' owner graphs ---------------------------------------------------------------------------- */

/* The object a root group retains the most of (its dominator child with the most retained bytes; the lowest
 * node of equals), or HS_NO_NODE. */
static hs_node largest_child(const hs_dominators *d, hs_dom_node group)
{
    uint32_t position = d->position[group];
    if (position == UINT32_MAX)
        return HS_NO_NODE;
    uint64_t end = (uint64_t)position + hs_dominators_subtree_size(d, group);
    hs_node best = HS_NO_NODE;
    for (uint64_t p = position + 1; p < end;) {
        hs_dom_node child = d->preorder[p];
        uint32_t size = hs_dominators_subtree_size(d, child);
        if (child < d->object_count &&
            (best == HS_NO_NODE || d->retained_bytes[child] > d->retained_bytes[best] ||
             (d->retained_bytes[child] == d->retained_bytes[best] && child < best)))
            best = child;
        p += size ? size : 1;
    }
    return best;
}

static int render_graph(const hs_context *context, hs_node target, const hs_html_options *options, char **svg,
                        size_t *length, hs_error *err)
{
    *svg = NULL;
    *length = 0;
    hs_graph_options graph_options = {.max_nodes = options->max_nodes};
    hs_graph *graph;
    HS_TRY(hs_graph_build(context, target, 0, &graph_options, &graph, err));
    FILE *memory = open_memstream(svg, length);
    if (!memory) {
        hs_graph_free(graph);
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory rendering a graph");
    }
    int status = hs_report_graph(graph, memory, HS_GRAPH_SVG, err);
    int failed = ferror(memory);
    if ((fclose(memory) != 0 || failed) && status == HS_OK)
        status = hs_error_set(err, HS_ERR_NOMEM, "out of memory rendering a graph");
    hs_graph_free(graph);
    if (status < 0) {
        free(*svg);
        *svg = NULL;
    }
    return status;
}

/* One <figure> per suspect, in the order of hs_report_leaks (the same hs_find_leak_suspects). */
static int write_graphs(FILE *out, const hs_context *context, const hs_html_options *options, hs_error *err)
{
    const hs_dominators *d = context->dominators;
    hs_leak_suspect *suspects;
    uint32_t count;
    HS_TRY(hs_find_leak_suspects(d, context->typing, options->threshold, &suspects, &count, err));
    int status = HS_OK;
    fputs("<div class=\"graphs\">\n", out);
    for (uint32_t i = 0; i < count && status == HS_OK; i++) {
        hs_dom_node node = suspects[i].node;
        int group = node >= d->object_count;
        hs_node target = group ? largest_child(d, node) : node;
        if (target == HS_NO_NODE)
            continue;
        fprintf(out, "<figure class=\"graph\" id=\"graph-%" PRIu32 "\" data-suspect=\"%" PRIu32 "\"><figcaption>"
                     "Suspect %" PRIu32 "<span class=\"sub\">%s 0x%" PRIx64 "</span></figcaption>\n",
                i + 1, i + 1, i + 1, group ? "a root group: the owners of the object it retains the most," : "owners of",
                context->heap->objects[target].address);
        char *svg;
        size_t length;
        char prefix[32];
        snprintf(prefix, sizeof prefix, "g%" PRIu32, i + 1);
        if ((status = render_graph(context, target, options, &svg, &length, err)) == HS_OK) {
            status = hs_html_write_svg(out, svg, length, prefix, err);
            free(svg);
        }
        fputs("</figure>\n", out);
    }
    fputs("</div>\n", out);
    free(suspects);
    return status;
}

/* ---- The page ---------------------------------------------------------------------------------------------- */

static int make_nonce(char *text, size_t size, hs_error *err)
{
    unsigned char bytes[NONCE_BYTES];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n <= 0)
            return hs_error_set(err, HS_ERR_IO, "no random bytes for the page's script nonce (getrandom failed)");
        got += (size_t)n;
    }
    for (size_t i = 0; i < sizeof bytes && 2 * i + 2 < size; i++)
        snprintf(text + 2 * i, 3, "%02x", bytes[i]);
    return HS_OK;
}

/* A <section> opening: its id, heading and note paragraph. */
static void open_section(FILE *out, const char *id, const char *title)
{
    fprintf(out, "<section id=\"%s\">\n<h2>%s</h2>\n<p class=\"note\" id=\"%s-note\"></p>\n", id, title, id);
}

static void write_table(FILE *out, const char *id, int searched)
{
    fprintf(out, "<div class=\"scroll\"><table id=\"%s\"%s></table></div>\n", id, searched ? "" : " data-search=\"off\"");
}

int hs_report_html(FILE *out, const hs_context *context, const hs_html_options *options, hs_error *err)
{
    if (!context->dominators || !context->goroutines || !context->heap)
        return hs_error_set(err, HS_ERR_USAGE, "the HTML report needs retained sizes and goroutine groups");
    char nonce[2 * NONCE_BYTES + 1] = {0};
    HS_TRY(make_nonce(nonce, sizeof nonce, err));
    const char *name = dump_name(context, options);

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", out);
    /* Nothing may load; only this page's own style and script run. */
    fprintf(out,
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'nonce-%s'; "
            "style-src 'nonce-%s'; img-src data:; base-uri 'none'; form-action 'none'\">\n",
            nonce, nonce);
    fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n", out);
    fputs("<meta name=\"generator\" content=\"heapspurs " HS_VERSION "\">\n<title>heapspurs: ", out);
    write_text_cstring(out, name);
    fprintf(out, "</title>\n<style nonce=\"%s\">\n%s</style>\n</head>\n<body>\n", nonce, hs_html_style);
    fputs("<header><h1>heapspurs</h1><span id=\"dump\">", out);
    write_text_cstring(out, name);
    fputs("</span>\n<nav><a href=\"#summary\">Summary</a><a href=\"#suspects\">Leak suspects</a>"
          "<a href=\"#retainers\">Top retainers</a><a href=\"#types\">Go types</a><a href=\"#goroutines\">Goroutines</a>"
          "<a href=\"#sites\">Allocation sites</a></nav>\n"
          "<input type=\"search\" id=\"search\" placeholder=\"Filter rows: type, site, symbol...\" "
          "aria-label=\"Filter the rows of every table\" autocomplete=\"off\">\n</header>\n<main>\n<noscript>"
          "<p class=\"note\">The tables are drawn by the page's script: allow JavaScript for this file, or read the "
          "reports as text (heapspurs --leaks, --top, --types, --goroutines, --sites).</p></noscript>\n",
          out);

    open_section(out, "summary", "Summary");
    fputs("<div class=\"pair\"><div>", out);
    write_table(out, "summary-table", 0);
    fputs("</div><div><details><summary>MemStats (the dump's runtime.MemStats record)</summary>"
          "<p class=\"note\" id=\"memstats-note\"></p>", out);
    write_table(out, "memstats-table", 0);
    fputs("</details></div></div>\n</section>\n", out);

    open_section(out, "suspects", "Leak suspects");
    write_table(out, "suspects-table", 1);
    int status = write_graphs(out, context, options, err);
    if (status < 0)
        return status;
    fputs("<h3>Leaked goroutines</h3><p class=\"note\" id=\"leaked-note\"></p>\n", out);
    write_table(out, "leaked-table", 1);
    fputs("</section>\n", out);

    open_section(out, "retainers", "Top retainers");
    write_table(out, "retainers-table", 1);
    fputs("</section>\n", out);

    open_section(out, "types", "Go types");
    if (context->typing)
        write_table(out, "types-table", 1);
    else
        fputs("<p class=\"note\">Go types come from the program's DWARF: give --program BINARY.</p>\n", out);
    fputs("</section>\n", out);

    open_section(out, "goroutines", "Goroutine groups");
    write_table(out, "goroutines-table", 1);
    fputs("</section>\n", out);

    open_section(out, "sites", "Allocation sites");
    write_table(out, "sites-table", 1);
    fputs("</section>\n</main>\n", out);

    HS_TRY(embed_document(out, "hs-summary", write_summary, context, options, err));
    HS_TRY(embed_document(out, "hs-leaks", write_leaks, context, options, err));
    HS_TRY(embed_document(out, "hs-top", write_top, context, options, err));
    if (context->typing)
        HS_TRY(embed_document(out, "hs-types", write_types, context, options, err));
    HS_TRY(embed_document(out, "hs-goroutines", write_goroutines, context, options, err));
    HS_TRY(embed_document(out, "hs-sites", write_sites, context, options, err));
    fprintf(out, "<script nonce=\"%s\">\n%s</script>\n</body>\n</html>\n", nonce, hs_html_script);
    return HS_OK;
}
