/* main.c — the heapspurs command line: parses options, calls libheapspurs, maps errors to exit codes. */

#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_context.h"
#include "hs_dump.h"
#include "hs_find.h"
#include "hs_heap.h"
#include "hs_print.h"
#include "hs_query.h"

enum exit_code { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

enum option_id {
    OPT_PRINT = 256, OPT_ADDRESS, OPT_ANCHORS, OPT_OWNERS, OPT_HEXDUMP, OPT_PROGRAM, OPT_OID, OPT_FIND,
    OPT_FORMAT, OPT_OUTPUT, OPT_QUIET, OPT_HELP, OPT_VERSION
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
    {NULL, 0, NULL, 0},
};

typedef struct cli {
    const char *dump_path, *program, *oid_path, *find, *output, *format_name;
    int print, anchors, hexdump, quiet, have_address, have_owners;
    uint64_t address;
    long owners_depth;
} cli;

static void usage(FILE *out)
{
    fputs("Usage: heapspurs [OPTIONS] DUMP\n"
          "Analyze a Go heap dump written by runtime/debug.WriteHeapDump.\n"
          "\n"
          "Records:\n"
          "  --print               print every record in file order\n"
          "  --find REGEX          print the objects whose name matches REGEX (POSIX ERE)\n"
          "\n"
          "What keeps an object alive (ADDR is hex 0x... or decimal; an address inside an object selects it):\n"
          "  --address ADDR --anchors    every root slot that reaches the object, each with a shortest path\n"
          "  --address ADDR --owners N   the owners of the object to depth N (-1: up to the roots)\n"
          "  --address ADDR --hexdump    the object's bytes and pointer offsets\n"
          "\n"
          "Output:\n"
          "  --format FORMAT       text (default) or json\n"
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
        default: fputs("Try 'heapspurs --help' for more information.\n", stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return usage_error("no dump file given");
    if (optind + 1 < argc)
        return usage_error("one dump file at a time ('%s' and '%s' given)", argv[optind], argv[optind + 1]);
    c->dump_path = argv[optind];
    if ((c->anchors || c->have_owners || c->hexdump) && !c->have_address)
        return usage_error("--anchors, --owners and --hexdump need --address ADDR");
    if (c->format_name && strcmp(c->format_name, "text") && strcmp(c->format_name, "json"))
        return usage_error("--format: '%s' is not one of text, json", c->format_name);
    return 0;
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
    if (heap->warnings.dangling_frames)
        fprintf(stderr,
                "heapspurs: warning: %s: %" PRIu64 " stack frames do not link to their goroutine's stack; "
                "their goroutine is unknown\n",
                name, heap->warnings.dangling_frames);
}

int main(int argc, char **argv)
{
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
    FILE *out = stdout;
    int code = EXIT_OK;
    enum hs_format format = c.format_name && !strcmp(c.format_name, "json") ? HS_FORMAT_JSON : HS_FORMAT_TEXT;

    if ((c.find && hs_matcher_compile(c.find, &matcher, &err) < 0) ||
        (c.program && hs_symbols_load(c.program, &symbols, &err) < 0) ||
        (c.oid_path && hs_oid_load(c.oid_path, &oids, &err) < 0) || hs_dump_open(c.dump_path, &dump, &err) < 0 ||
        hs_heap_build(dump, &heap, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    warn_heap(&c, heap);
    if (c.output && strcmp(c.output, "-") && !(out = fopen(c.output, "w"))) {
        fprintf(stderr, "heapspurs: %s: cannot write: %s\n", c.output, strerror(errno));
        code = EXIT_INPUT;
        out = stdout;
        goto done;
    }
    hs_context context = {.dump = dump, .params = &heap->params, .heap = heap, .symbols = symbols, .oids = oids};
    if (c.print || c.find) {
        if (hs_print_records(out, &context, format, matcher, &err) < 0)
            code = fail(&err);
    } else if (c.have_address && (c.anchors || c.have_owners || c.hexdump)) {
        hs_node target;
        uint64_t offset;
        status = hs_resolve_address(heap, c.address, &target, &offset, &err);
        if (status == HS_OK && c.anchors)
            status = hs_render_anchors(out, &context, target, offset, format, &err);
        if (status == HS_OK && c.have_owners)
            status = hs_render_owners(out, &context, target, offset, c.owners_depth, format, &err);
        if (status == HS_OK && c.hexdump)
            status = hs_render_hexdump(out, &context, target, &err);
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
    hs_heap_free(heap);
    hs_symbols_free(symbols);
    hs_oid_free(oids);
    hs_dump_free(dump);
    return code;
}
