/* main.c — the heapspurs command line: parses options, calls libheapspurs, maps errors to exit codes. */

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <malloc.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hs_context.h"
#include "hs_dump.h"
#include "hs_find.h"
#include "hs_graph.h"
#include "hs_heap.h"
#include "hs_print.h"
#include "hs_query.h"
#include "hs_sites.h"
#include "hs_dominator.h"
#include "hs_retained.h"
#include "hs_diff.h"

enum exit_code { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

enum option_id {
    OPT_PRINT = 256, OPT_ADDRESS, OPT_ANCHORS, OPT_OWNERS, OPT_HEXDUMP, OPT_PROGRAM, OPT_OID, OPT_FIND,
    OPT_FORMAT, OPT_OUTPUT, OPT_QUIET, OPT_HELP, OPT_VERSION, OPT_SITES, OPT_HISTOGRAM, OPT_LIMIT,
    OPT_MAX_NODES, OPT_KEEP_CYCLES,
    OPT_TOP, OPT_RETAINED, OPT_LEAKS, OPT_THRESHOLD,
    OPT_BASE, OPT_BY, OPT_NEW
};

static const struct option OPTIONS[] = {
    {"print", no_argument, NULL, OPT_PRINT},
    {"address", required_argument, NULL, OPT_ADDRESS},
    {"anchors", no_argument, NULL, OPT_ANCHORS},
    {"owners", required_argument, NULL, OPT_OWNERS},
    {"hexdump", no_argument, NULL, OPT_HEXDUMP},
    {"program", required_argument, NULL, OPT_PROGRAM},
    {"oid", required_argument, NULL, OPT_OID},
    {"find", required_argument, NULL, OPT_FIND},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"sites", no_argument, NULL, OPT_SITES},
    {"histogram", no_argument, NULL, OPT_HISTOGRAM},
    {"limit", required_argument, NULL, OPT_LIMIT},
    {"max-nodes", required_argument, NULL, OPT_MAX_NODES},
    {"keep-cycles", no_argument, NULL, OPT_KEEP_CYCLES},
    {"top", required_argument, NULL, OPT_TOP},
    {"retained", no_argument, NULL, OPT_RETAINED},
    {"leaks", no_argument, NULL, OPT_LEAKS},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"base", required_argument, NULL, OPT_BASE},
    {"by", required_argument, NULL, OPT_BY},
    {"new", no_argument, NULL, OPT_NEW},
    {NULL, 0, NULL, 0},
};

typedef struct cli {
    const char *dump_path, *program, *oid_path, *find, *output, *format_name;
    int print, anchors, hexdump, quiet, have_address, have_owners;
    uint64_t address;
    long owners_depth;
    int sites, histogram, have_limit; /* --sites, --histogram, --limit N */
    uint64_t limit;
    uint32_t max_nodes; /* --max-nodes N (0: the default) */
    int keep_cycles;    /* --keep-cycles */
    int graph;          /* the owner graph is the action */
    int have_top, retained, leaks; /* --top N, --retained, --leaks */
    uint64_t top;
    double threshold;   /* --threshold PCT of --leaks (default 10) */
    const char *base, *by_name; /* --base OLD, --by KEY */
    int added_only;             /* --new */
} cli;

static void usage(FILE *out)
{
    fputs("Usage: heapspurs [OPTIONS] DUMP\n"
          "Analyze a Go heap dump written by runtime/debug.WriteHeapDump.\n"
          "\n"
          "Records:\n"
          "  --print               print every record in file order\n"
          "  --find REGEX          print the objects whose name or allocation site (function, function:line)\n"
          "                        matches REGEX (POSIX ERE)\n"
          "\n"
          "What keeps an object alive (ADDR is hex 0x... or decimal; an address inside an object selects it):\n"
          "  --address ADDR --anchors    every root slot that reaches the object, each with a shortest path\n"
          "  --address ADDR --owners N   the owners of the object to depth N (-1: up to the roots)\n"
          "  --address ADDR --hexdump    the object's bytes and pointer offsets\n"
          "  --address ADDR              the graph of its owners up to the roots, as SVG in heapdump.svg\n"
          "                              (or -o FILE; FILE.dot or --format dot for DOT; see docs/graph.md)\n"
          "  --max-nodes N               graph nodes kept, nearest the object and its roots (default 200)\n"
          "  --keep-cycles               keep owners no root reaches (garbage cycles) in the graph\n"
          "\n"
          "Retained sizes (dominator tree; see docs/retained.md):\n"
          "  --top N               the N objects and root groups retaining the most, each with a path from a root\n"
          "  --address ADDR --retained   the object's retained size and its chain of dominators;\n"
          "                              with --anchors or --owners, also retained sizes in their listings\n"
          "  --leaks               leak suspects: what retains at least PCT% of the live heap\n"
          "  --threshold PCT       share of the live heap for --leaks (default 10)\n"
          "\n"
          "Allocation sites (from the dump's alloc samples; see docs/sites.md):\n"
          "  --sites               live objects and bytes per allocation site, by bytes\n"
          "  --histogram           live objects and bytes per size class, by bytes\n"
          "  --limit N             rows of --sites, --histogram and --base (default 20, 0: all)\n"
          "\n"
          "What grew (DUMP is the newer dump of the same process; see docs/diff.md):\n"
          "  --base OLD            live objects and bytes per group in OLD and DUMP, by growth in bytes\n"
          "  --by KEY              site, type (size and pointer offsets), size or root (default: site when\n"
          "                        both dumps have alloc samples, else size)\n"
          "  --new                 the live objects of DUMP not in OLD, grouped, with paths from a root\n"
          "\n"
          "Output:\n"
          "  --format FORMAT       text (default) or json; svg (default) or dot for the graph\n"
          "  -o, --output FILE     write to FILE instead of standard output\n"
          "\n"
          "Names:\n"
          "  --program BINARY      name globals from the Go executable's symbol table\n"
          "  --oid FILE            name objects whose first word is an id listed in FILE\n"
          "\n"
          "  -q, --quiet           no warnings or progress on standard error\n"
          "  -h, --help            show this help and exit\n"
          "  -V, --version         show the version and exit\n"
          "\n"
          "DUMP may be gzip-compressed, or - for standard input.\n"
          "Exit status: 0 success, 1 unreadable or invalid input or a query that finds nothing, 2 usage error.\n"
          "See heapspurs(1).\n",
          out);
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs("heapspurs: ", stderr);
    vfprintf(stderr, format, args);
    va_end(args);
    fputs("\nTry 'heapspurs --help' for more information.\n", stderr);
    return EXIT_USAGE;
}

static int parse_number(const char *text, int allow_negative, long long *value)
{
    char *end;
    errno = 0;
    if (!allow_negative && strchr(text, '-'))
        return -1;
    long long v = strtoll(text, &end, 0);
    if (errno || end == text || *end)
        return -1;
    *value = v;
    return 0;
}

static int parse_address(const char *text, uint64_t *value)
{
    char *end;
    errno = 0;
    if (strchr(text, '-'))
        return -1;
    unsigned long long v = strtoull(text, &end, 0);
    if (errno || end == text || *end)
        return -1;
    *value = v;
    return 0;
}

static int parse_args(int argc, char **argv, cli *c)
{
    int opt;
    long long number;
    while ((opt = getopt_long(argc, argv, "o:qhV", OPTIONS, NULL)) != -1) {
        switch (opt) {
        case OPT_PRINT: c->print = 1; break;
        case OPT_ADDRESS:
            if (parse_address(optarg, &c->address) < 0)
                return usage_error("--address: '%s' is not an address (hex 0x... or decimal)", optarg);
            c->have_address = 1;
            break;
        case OPT_ANCHORS: c->anchors = 1; break;
        case OPT_OWNERS:
            if (parse_number(optarg, 1, &number) < 0 || number < -1)
                return usage_error("--owners: '%s' is not a depth (a whole number, or -1 for all)", optarg);
            c->owners_depth = (long)number;
            c->have_owners = 1;
            break;
        case OPT_HEXDUMP: c->hexdump = 1; break;
        case OPT_PROGRAM: c->program = optarg; break;
        case OPT_OID: c->oid_path = optarg; break;
        case OPT_FIND: c->find = optarg; break;
        case OPT_FORMAT: c->format_name = optarg; break;
        case 'o':
        case OPT_OUTPUT: c->output = optarg; break;
        case 'q':
        case OPT_QUIET: c->quiet = 1; break;
        case 'h':
        case OPT_HELP: usage(stdout); exit(EXIT_OK);
        case 'V':
        case OPT_VERSION: printf("heapspurs %s\n", HS_VERSION); exit(EXIT_OK);
        case OPT_SITES: c->sites = 1; break;
        case OPT_HISTOGRAM: c->histogram = 1; break;
        case OPT_LIMIT:
            if (parse_number(optarg, 0, &number) < 0)
                return usage_error("--limit: '%s' is not a number of rows (0 for all)", optarg);
            c->limit = (uint64_t)number;
            c->have_limit = 1;
            break;
        case OPT_MAX_NODES:
            if (parse_number(optarg, 0, &number) < 0 || number < 1 || number > 1000000)
                return usage_error("--max-nodes: '%s' is not a number of nodes (1 to 1000000)", optarg);
            c->max_nodes = (uint32_t)number;
            break;
        case OPT_KEEP_CYCLES: c->keep_cycles = 1; break;
        case OPT_TOP:
            if (parse_number(optarg, 0, &number) < 0 || number < 1)
                return usage_error("--top: '%s' is not a positive number", optarg);
            c->top = (uint64_t)number;
            c->have_top = 1;
            break;
        case OPT_RETAINED: c->retained = 1; break;
        case OPT_BASE: c->base = optarg; break;
        case OPT_BY: c->by_name = optarg; break;
        case OPT_NEW: c->added_only = 1; break;
        case OPT_LEAKS: c->leaks = 1; break;
        case OPT_THRESHOLD: {
            char *end;
            errno = 0;
            c->threshold = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(c->threshold > 0 && c->threshold <= 100))
                return usage_error("--threshold: '%s' is not a percentage above 0 and at most 100", optarg);
            break;
        }
        default: fputs("Try 'heapspurs --help' for more information.\n", stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return usage_error("no dump file given");
    if (optind + 1 < argc)
        return usage_error("one dump file at a time ('%s' and '%s' given)", argv[optind], argv[optind + 1]);
    c->dump_path = argv[optind];
    if ((c->by_name || c->added_only) && !c->base)
        return usage_error("--by and --new compare two dumps: give the older one with --base OLD");
    enum hs_diff_key by_key;
    if (c->by_name && hs_diff_parse_key(c->by_name, &by_key, NULL) < 0)
        return usage_error("--by: '%s' is not one of site, type, size, root", c->by_name);
    if ((c->anchors || c->have_owners || c->hexdump || c->retained) && !c->have_address)
        return usage_error("--anchors, --owners, --hexdump and --retained need --address ADDR");
    /* The graph is the action of --address without --anchors, --owners or --hexdump. */
    c->graph = c->have_address && !c->anchors && !c->have_owners && !c->hexdump && !c->retained;
    int graph_format = c->format_name && (!strcmp(c->format_name, "svg") || !strcmp(c->format_name, "dot"));
    if (c->format_name && strcmp(c->format_name, "text") && strcmp(c->format_name, "json") && !graph_format)
        return usage_error("--format: '%s' is not one of text, json, svg, dot", c->format_name);
    if (c->format_name && graph_format != c->graph)
        return usage_error("--format %s: the owner graph (--address ADDR alone) is written as svg or dot, "
                           "everything else as text or json", c->format_name);
    return 0;
}

/* Progress bar on stderr while loading: only on a terminal, only after a second. */
typedef struct progress_state {
    struct timespec start;
    int shown;
} progress_state;

static void show_progress(uint64_t done, uint64_t total, void *context)
{
    progress_state *state = context;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double elapsed = (double)(now.tv_sec - state->start.tv_sec) + (double)(now.tv_nsec - state->start.tv_nsec) / 1e9;
    if (elapsed < 1.0 && !state->shown)
        return;
    int width = 40, filled = total ? (int)((double)done / (double)total * width) : width;
    fprintf(stderr, "\rheapspurs: loading [%.*s%*s] %3d%%", filled, "########################################",
            width - filled, "", total ? (int)(100.0 * (double)done / (double)total) : 100);
    if (done >= total)
        fputs("\r\033[K", stderr);
    state->shown = 1;
}

static int fail(const hs_error *err)
{
    fprintf(stderr, "heapspurs: %s\n", err->message);
    return err->code == HS_ERR_USAGE ? EXIT_USAGE : EXIT_INPUT;
}

static void warn_heap(const cli *c, const hs_heap *heap)
{
    if (c->quiet || !heap)
        return;
    const char *name = heap->dump->name;
    if (heap->parse_warnings.fields_outside)
        fprintf(stderr,
                "heapspurs: warning: %s: %" PRIu64 " pointer offsets lie outside their object, frame or segment "
                "(first in the record at offset %" PRIu64 "); they were ignored\n",
                name, heap->parse_warnings.fields_outside, heap->parse_warnings.fields_outside_first);
    if (heap->parse_warnings.trailing_bytes)
        fprintf(stderr, "heapspurs: warning: %s: %" PRIu64 " bytes after the end-of-file record were ignored\n", name,
                heap->parse_warnings.trailing_bytes);
    if (heap->warnings.finalizer_no_object)
        fprintf(stderr,
                "heapspurs: warning: %s: %" PRIu64 " finalizer records name an address no object covers; "
                "they keep nothing\n",
                name, heap->warnings.finalizer_no_object);
    if (heap->warnings.dangling_frames)
        fprintf(stderr,
                "heapspurs: warning: %s: %" PRIu64 " stack frames do not link to their goroutine's stack; "
                "their goroutine is unknown\n",
                name, heap->warnings.dangling_frames);
}

/* The owner graph of --address, written atomically to -o FILE (default heapdump.svg or heapdump.dot). */
static int write_graph(const cli *c, const hs_context *context, hs_error *err)
{
    hs_node target;
    uint64_t offset;
    HS_TRY(hs_resolve_address(context->heap, c->address, &target, &offset, err));
    enum hs_graph_format format = c->format_name ? (!strcmp(c->format_name, "dot") ? HS_GRAPH_DOT : HS_GRAPH_SVG)
                                  : c->output    ? hs_graph_format_for_path(c->output)
                                                 : HS_GRAPH_SVG;
    const char *path = c->output ? c->output : format == HS_GRAPH_DOT ? "heapdump.dot" : HS_GRAPH_DEFAULT_PATH;
    hs_graph_options options = {.max_nodes = c->max_nodes, .keep_cycles = c->keep_cycles};
    hs_graph *graph;
    HS_TRY(hs_graph_build(context, target, offset, &options, &graph, err));
    hs_graph_info info;
    hs_graph_get_info(graph, &info);
    if (!c->quiet)
        fprintf(stderr, "Rendering graph (%" PRIu32 " nodes)...\n", info.nodes);
    int status = hs_graph_write_file(graph, path, format, err);
    hs_graph_free(graph);
    return status;
}

/* --base OLD: loads the older dump, checks both come from one program, and reports what grew. */
static int run_diff(const cli *c, const hs_context *context, FILE *out, enum hs_format format)
{
    hs_error err = {0};
    hs_dump *old_dump = NULL;
    hs_heap *old_heap = NULL;
    hs_sites *old_sites = NULL;
    hs_diff *diff = NULL;
    int code = EXIT_OK;
    if (hs_dump_open(c->base, &old_dump, &err) < 0 || hs_heap_build(old_dump, &old_heap, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    warn_heap(c, old_heap);
    if ((old_heap->profile_count && hs_sites_build(old_heap, &old_sites, &err) < 0) ||
        hs_diff_check_same_program(old_heap, context->heap, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    hs_diff_input input = {.old_heap = old_heap, .new_heap = context->heap, .old_sites = old_sites,
                           .new_sites = context->sites, .symbols = context->symbols,
                           .by = hs_diff_default_key(old_sites, context->sites), .count_added = 1};
    if (c->by_name && hs_diff_parse_key(c->by_name, &input.by, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    hs_diff_report_options options = {.json = format == HS_FORMAT_JSON, .added_only = c->added_only,
                                      .limit = c->have_limit ? c->limit : 20, .paths = 5,
                                      .old_name = c->base, .new_name = c->dump_path};
    if (hs_diff_build(&input, &diff, &err) < 0 || hs_diff_report(out, diff, context, &options, &err) < 0)
        code = fail(&err);
done:
    hs_diff_free(diff);
    hs_sites_free(old_sites);
    hs_heap_free(old_heap);
    hs_dump_free(old_dump);
    return code;
}

int main(int argc, char **argv)
{
    /* Big arrays come and go while the index is built; a fixed mmap threshold
     * returns each one to the system when freed instead of keeping it in the
     * heap, so peak memory stays the sum of what is live. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    cli c = {0};
    int status = parse_args(argc, argv, &c);
    if (status)
        return status;
    hs_error err = {0};
    hs_dump *dump = NULL;
    hs_heap *heap = NULL;
    hs_symbols *symbols = NULL;
    hs_oid_table *oids = NULL;
    hs_matcher *matcher = NULL;
    hs_sites *sites = NULL;
    hs_dominators *dominators = NULL;
    FILE *out = stdout;
    int code = EXIT_OK;
    progress_state progress = {0};
    clock_gettime(CLOCK_MONOTONIC, &progress.start);
    int progress_wanted = !c.quiet && isatty(STDERR_FILENO);
    hs_heap_options load_options = {.progress = progress_wanted ? show_progress : NULL, .progress_context = &progress};
    enum hs_format format = c.format_name && !strcmp(c.format_name, "json") ? HS_FORMAT_JSON : HS_FORMAT_TEXT;

    if ((c.find && hs_matcher_compile(c.find, &matcher, &err) < 0) ||
        (c.program && hs_symbols_load(c.program, &symbols, &err) < 0) ||
        (c.oid_path && hs_oid_load(c.oid_path, &oids, &err) < 0) || hs_dump_open(c.dump_path, &dump, &err) < 0 ||
        hs_heap_build_with_options(dump, &load_options, &heap, &err) < 0 ||
        (symbols && hs_symbols_check_dump(symbols, heap, &err) < 0)) {
        code = fail(&err);
        goto done;
    }
    warn_heap(&c, heap);
    if (heap->profile_count && hs_sites_build(heap, &sites, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    if (sites && !c.quiet)
        hs_sites_write_warnings(stderr, sites);
    if (c.output && strcmp(c.output, "-") && !c.graph && !(out = fopen(c.output, "w"))) {
        fprintf(stderr, "heapspurs: %s: cannot write: %s\n", c.output, strerror(errno));
        code = EXIT_INPUT;
        out = stdout;
        goto done;
    }
    hs_context context = {.dump = dump, .params = &heap->params, .heap = heap, .symbols = symbols, .oids = oids, .sites = sites};
    /* The dominator tree costs a pass and ~70 bytes per object: built for the
     * reports that need it; --anchors/--owners show retained sizes when
     * --retained asks for them too. */
    if (c.have_top || c.leaks || c.retained || c.graph || c.sites) {
        if (hs_dominators_build(heap, symbols, &dominators, &err) < 0) {
            code = fail(&err);
            goto done;
        }
        context.dominators = dominators;
    }
    if (c.base) {
        code = run_diff(&c, &context, out, format);
    } else if (c.print || c.find) {
        if (hs_print_records(out, &context, format, matcher, &err) < 0)
            code = fail(&err);
    } else if (c.have_address && (c.anchors || c.have_owners || c.hexdump || c.retained)) {
        hs_node target;
        uint64_t offset;
        status = hs_resolve_address(heap, c.address, &target, &offset, &err);
        if (status == HS_OK && c.anchors)
            status = hs_render_anchors(out, &context, target, offset, format, &err);
        if (status == HS_OK && c.have_owners)
            status = hs_render_owners(out, &context, target, offset, c.owners_depth, format, &err);
        if (status == HS_OK && c.hexdump)
            status = hs_render_hexdump(out, &context, target, &err);
        if (status == HS_OK && c.retained)
            status = hs_render_retained(out, &context, target, offset, format, &err);
        if (status < 0)
            code = fail(&err);
    } else if (c.graph) {
        if (write_graph(&c, &context, &err) < 0)
            code = fail(&err);
    } else if (c.have_top || c.leaks) {
        if (c.have_top)
            status = hs_render_top(out, &context, c.top, format, &err);
        if (status == HS_OK && c.leaks)
            status = hs_render_leaks(out, &context, c.threshold > 0 ? c.threshold : 10.0, format, &err);
        if (status < 0)
            code = fail(&err);
    } else if (c.sites || c.histogram) {
        uint64_t limit = c.have_limit ? c.limit : 20;
        if (c.sites)
            status = hs_sites_report(out, &context, dominators, format == HS_FORMAT_JSON, limit, &err);
        if (status == HS_OK && c.histogram)
            status = hs_histogram_report(out, &context, format == HS_FORMAT_JSON, limit, &err);
        if (status < 0)
            code = fail(&err);
    } else {
        code = usage_error("nothing to do: give --print, --find or --address");
    }
done:
    if (out != stdout && fclose(out) != 0 && code == EXIT_OK) {
        fprintf(stderr, "heapspurs: %s: write failed: %s\n", c.output, strerror(errno));
        code = EXIT_INPUT;
    }
    hs_matcher_free(matcher);
    hs_sites_free(sites);
    hs_dominators_free(dominators);
    hs_heap_free(heap);
    hs_symbols_free(symbols);
    hs_oid_free(oids);
    hs_dump_free(dump);
    return code;
}
