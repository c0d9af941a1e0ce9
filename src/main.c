/* main.c — the heapspurs command line: parses options, calls libheapspurs, maps errors to exit codes. */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <signal.h>
#include <malloc.h>
#include <inttypes.h>
#include <limits.h>
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
#include "hs_output_file.h"
#include "hs_types.h"
#include "hs_typing.h"
#include "hs_goroutines.h"
#include "hs_pprof.h"
#include "hs_html_report.h"
#include "hs_load.h"
#include "hs_timings.h"

enum exit_code { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

enum option_id {
    OPT_PRINT = 256, OPT_ADDRESS, OPT_ANCHORS, OPT_OWNERS, OPT_HEXDUMP, OPT_PROGRAM, OPT_OID, OPT_FIND,
    OPT_FORMAT, OPT_OUTPUT, OPT_QUIET, OPT_HELP, OPT_VERSION, OPT_SITES, OPT_HISTOGRAM, OPT_LIMIT,
    OPT_MAX_NODES, OPT_KEEP_CYCLES,
    OPT_HTML,
    OPT_TOP, OPT_RETAINED, OPT_LEAKS, OPT_THRESHOLD,
    OPT_BASE, OPT_BY, OPT_NEW, OPT_DEPTH, OPT_MAX_INFLATE, OPT_TYPES, OPT_FIELDS, OPT_GOROUTINES, OPT_ALL_GOROUTINES, OPT_GOROUTINE,
    OPT_PPROF, OPT_PPROF_SITES, OPT_TIMINGS
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
    {"timings", no_argument, NULL, OPT_TIMINGS},
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
    {"html", required_argument, NULL, OPT_HTML},
    {"threshold", required_argument, NULL, OPT_THRESHOLD},
    {"base", required_argument, NULL, OPT_BASE},
    {"by", required_argument, NULL, OPT_BY},
    {"new", no_argument, NULL, OPT_NEW},
    {"depth", required_argument, NULL, OPT_DEPTH},
    {"max-inflate", required_argument, NULL, OPT_MAX_INFLATE},
    {"types", no_argument, NULL, OPT_TYPES},
    {"fields", no_argument, NULL, OPT_FIELDS},
    {"goroutines", no_argument, NULL, OPT_GOROUTINES},
    {"all-goroutines", no_argument, NULL, OPT_ALL_GOROUTINES},
    {"goroutine", required_argument, NULL, OPT_GOROUTINE},
    {"pprof", required_argument, NULL, OPT_PPROF},
    {"pprof-sites", required_argument, NULL, OPT_PPROF_SITES},
    {NULL, 0, NULL, 0},
};

/* What a run does: exactly one action, chosen by its option (the graph is
 * --address with no other action; --retained is the action alone and a
 * modifier of --anchors and --owners). The rest of the options modify it. */
enum action {
    ACTION_NONE, ACTION_PRINT, ACTION_FIND, ACTION_ANCHORS, ACTION_OWNERS, ACTION_HEXDUMP, ACTION_RETAINED,
    ACTION_HTML,
    ACTION_GRAPH, ACTION_TOP, ACTION_LEAKS, ACTION_SITES, ACTION_HISTOGRAM, ACTION_DIFF, ACTION_TYPES, ACTION_FIELDS, ACTION_GOROUTINES,
    ACTION_GOROUTINE, ACTION_PPROF, ACTION_PPROF_SITES
};

/* Defaults of the modifiers, named once. */
#define DEFAULT_LIMIT 20      /* rows of --sites, --histogram and --base (--anchors: all unless given) */
#define DEFAULT_THRESHOLD 10.0 /* percent of the live heap for --leaks */
#define DEFAULT_DIFF_PATHS 5  /* paths shown per group by --base --new */

typedef struct cli {
    const char *dump_path, *program, *oid_path, *find, *output, *format_name;
    enum action action;
    const char *action_option; /* the option that chose it, for messages */
    int quiet, have_address, retained;
    int timings; /* --timings */
    uint64_t address;
    long owners_depth;
    int have_limit;
    uint64_t limit;
    uint32_t max_nodes; /* --max-nodes N (0: the default) */
    int keep_cycles;    /* --keep-cycles */
    uint64_t top;
    double threshold;   /* --threshold PCT of --leaks */
    int have_threshold;
    const char *base, *by_name; /* --base OLD, --by KEY */
    int added_only;             /* --new */
    uint32_t depth;             /* --depth N of --sites (0: not given) */
    uint64_t max_inflate;       /* --max-inflate SIZE (0: not given, the library's default) */
    int all_goroutines;         /* --all-goroutines */
    uint64_t goid;              /* --goroutine ID */
    const char *pprof_path;     /* FILE of --pprof or --pprof-sites: the output */
    const char *html;           /* --html FILE */
} cli;

static void usage(FILE *out)
{
    fputs("Usage: heapspurs [OPTIONS] DUMP\n"
          "Analyze a Go heap dump written by runtime/debug.WriteHeapDump.\n"
          "\n"
          "Records:\n"
          "  --print               print every record in file order\n"
          "  --find PATTERN        print the objects whose name, Go type (with --program) or a frame of whose\n"
          "                        allocation stack (function, function:line) matches PATTERN (POSIX ERE;\n"
          "                        a pattern that is not one is matched as a literal string), then their\n"
          "                        count and bytes\n"
          "\n"
          "What keeps an object alive (ADDR is hex 0x... or decimal; an address inside an object selects it):\n"
          "  --address ADDR --anchors    every root slot that reaches the object, each with a shortest path\n"
          "  --address ADDR --owners N   the owners of the object to depth N (-1: up to the roots)\n"
          "  --address ADDR --hexdump    the object's bytes and pointer offsets\n"
          "  --address ADDR --fields     the object as Go fields: offset, name, type, value (needs --program)\n"
          "  --address ADDR              the graph of its owners up to the roots, as SVG in heapdump.svg\n"
          "                              (or -o FILE: FILE.dot for DOT, FILE.png or FILE.pdf for pictures;\n"
          "                              or --format dot, png, pdf; see docs/graph.md)\n"
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
          "Go types (from the program's DWARF: needs --program; see docs/types.md):\n"
          "  --types               live objects and bytes per Go type, by bytes (with --retained, also\n"
          "                        what each type's objects retain)\n"
          "\n"
          "Report (see docs/report.md):\n"
          "  --html FILE           one HTML page to open from disk: summary, leak suspects with their owner\n"
          "                        graphs, top retainers, Go types (with --program), goroutine groups and\n"
          "                        allocation sites, in sortable tables with a search box; --limit N rows\n"
          "                        (default 100, 0: all), --threshold, --max-nodes, --all-goroutines apply\n"
          "\n"
          "Goroutines (see docs/goroutines.md):\n"
          "  --goroutines          goroutines grouped by frames, creator and wait reason, by what they retain;\n"
          "                        with --program, file:line and which ones leaked (can never wake)\n"
          "  --all-goroutines      --goroutines: the runtime's own goroutines too\n"
          "  --goroutine ID        one goroutine: its frames and each live slot's variable and target\n"
          "\n"
          "Allocation sites (from the dump's alloc samples; see docs/sites.md):\n"
          "  --sites               live objects and bytes per allocation site, by bytes\n"
          "  --histogram           live objects and bytes per size class, by bytes\n"
          "  --limit N             rows of --sites, --histogram and --base (default 20, 0: all); roots of\n"
          "                        --anchors (default all)\n"
          "  --depth N             --sites: a row per site and its N-1 callers, all shown (default 1)\n"
          "\n"
          "pprof profiles (gzipped profile.proto for go tool pprof; see docs/pprof.md):\n"
          "  --pprof FILE          the retention profile: live objects and bytes by their shortest path from\n"
          "                        the roots (the object, its holders, the root), names from --program\n"
          "  --pprof-sites FILE    the allocation profile: live objects and bytes by allocation stack\n"
          "  --depth N             --pprof: the most frames of a stack; a longer path keeps both ends around\n"
          "                        one \"…\" frame (default 64, 8 to 1024)\n"
          "\n"
          "What grew (DUMP is the newer dump of the same process; see docs/diff.md):\n"
          "  --base OLD            live objects and bytes per group in OLD and DUMP, by growth in bytes\n"
          "  --by KEY              site, type (Go type; needs --program), shape (size class and pointer\n"
          "                        offsets), size or root (default: site when both dumps have alloc\n"
          "                        samples, else size)\n"
          "  --new                 the live objects of DUMP not in OLD, grouped, with paths from a root\n"
          "\n"
          "Output:\n"
          "  --format FORMAT       text (default) or json; svg (default) or dot for the graph\n"
          "  -o, --output FILE     write to FILE instead of standard output (atomically; never over an input)\n"
          "\n"
          "Names:\n"
          "  --program BINARY      name globals from the Go executable's symbol table and objects by their Go\n"
          "                        type from its DWARF (refused when it is not the program that wrote the dump)\n"
          "  --oid FILE            name objects whose first word is an id listed in FILE\n"
          "\n"
          "Limits:\n"
          "  --max-inflate SIZE    the most a dump may take in memory when it is gzip (inflated) or read from a\n"
          "                        pipe or device; SIZE in bytes or with K, M, G, T (default half the memory)\n"
          "\n"
          "  -q, --quiet           no warnings or progress on standard error\n"
          "  --timings             after the answer, the wall time of each phase of the run on standard error\n"
          "  -h, --help            show this help and exit\n"
          "  -V, --version         show the version and exit\n"
          "\n"
          "DUMP may be gzip-compressed, or - for standard input.\n"
          "One action a run (--print, --find, --anchors, --owners, --hexdump, --fields, --retained, the graph,\n"
          "--top, --leaks, --goroutines, --goroutine, --sites, --histogram, --types, --base, --pprof,\n"
          "--pprof-sites, --html); the other options modify it.\n"
          "Exit status: 0 success, 1 unreadable or invalid input, an address no object covers, or a failed\n"
          "write, 2 usage error.\n"
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

/* Reads "0x" hex or decimal into *value, after a '-' when allow_negative
 * (*negative says whether one was there). Nothing else is taken: no other
 * sign, no spaces, no value past 64 bits, and no leading zero but in "0"
 * itself (strtoull would read 010 as octal 8). Returns 0 or -1. */
static int parse_unsigned(const char *text, int allow_negative, int *negative, uint64_t *value)
{
    *negative = allow_negative && text[0] == '-';
    const char *digits = text + *negative;
    int hex = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');
    if (hex)
        digits += 2;
    if (!*digits || (!hex && digits[0] == '0' && digits[1]))
        return -1;
    for (const char *p = digits; *p; p++)
        if (!(hex ? isxdigit((unsigned char)*p) : isdigit((unsigned char)*p)))
            return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(digits, &end, hex ? 16 : 10);
    if (errno || *end)
        return -1;
    *value = v;
    return 0;
}

/* A count or a depth; -1 when it is not one. */
static int parse_number(const char *text, int allow_negative, long long *value)
{
    int negative;
    uint64_t magnitude;
    if (parse_unsigned(text, allow_negative, &negative, &magnitude) < 0 || magnitude > (uint64_t)LLONG_MAX)
        return -1;
    *value = negative ? -(long long)magnitude : (long long)magnitude;
    return 0;
}

static int parse_address(const char *text, uint64_t *value)
{
    int negative;
    return parse_unsigned(text, 0, &negative, value);
}

/* The usage error for a number option's value: a leading zero (what looks
 * octal) gets a hint of what to write instead, anything else "'TEXT' WHAT". */
static int number_error(const char *option, const char *text, const char *what)
{
    const char *digits = text + (text[0] == '-');
    if (digits[0] == '0' && isdigit((unsigned char)digits[1])) {
        while (digits[0] == '0' && digits[1])
            digits++;
        return usage_error("%s: '%s' has a leading zero; write hex as %s0x%s or decimal without leading zeros",
                           option, text, text[0] == '-' ? "-" : "", digits);
    }
    return usage_error("%s: '%s' %s", option, text, what);
}

/* A size: decimal, with an optional K, M, G or T (powers of 1024); above 0. Returns 0 or -1. */
static int parse_size(const char *text, uint64_t *value)
{
    size_t digits = strspn(text, "0123456789");
    if (digits == 0 || (text[0] == '0' && digits > 1))
        return -1;
    static const char units[] = "KMGT";
    const char *unit = text[digits] ? strchr(units, toupper((unsigned char)text[digits])) : NULL;
    if (text[digits] && (!unit || !*unit || text[digits + 1]))
        return -1;
    char number[32];
    if (digits >= sizeof number)
        return -1;
    memcpy(number, text, digits);
    number[digits] = '\0';
    int negative;
    uint64_t v;
    if (parse_unsigned(number, 0, &negative, &v) < 0 || v == 0)
        return -1;
    unsigned shift = unit ? 10 * (unsigned)(unit - units + 1) : 0;
    if (shift && v > UINT64_MAX >> shift)
        return -1;
    *value = v << shift;
    return 0;
}

/* Records the action an option chooses; a second, different one is a usage error. */
static int choose_action(cli *c, enum action action, const char *option)
{
    if (c->action != ACTION_NONE && c->action != action)
        return usage_error("one action at a time: %s and %s were both given", c->action_option, option);
    c->action = action;
    c->action_option = option;
    return 0;
}

#define CHOOSE(action, option)                                                                                         \
    do {                                                                                                               \
        int chosen_ = choose_action(c, action, option);                                                                \
        if (chosen_)                                                                                                   \
            return chosen_;                                                                                            \
    } while (0)

/* A modifier given without the action it modifies is a usage error. */
static int check_modifier(const cli *c, int given, const char *option, int applies, const char *actions)
{
    if (given && !applies)
        return usage_error("%s applies to %s%s%s", option, actions, c->action_option ? ", not to " : "",
                           c->action_option ? c->action_option : "");
    return 0;
}

static int parse_args(int argc, char **argv, cli *c)
{
    int opt;
    long long number;
    int have_max_nodes = 0, have_by = 0;
    while ((opt = getopt_long(argc, argv, "o:qhV", OPTIONS, NULL)) != -1) {
        switch (opt) {
        case OPT_PRINT: CHOOSE(ACTION_PRINT, "--print"); break;
        case OPT_ADDRESS:
            if (parse_address(optarg, &c->address) < 0)
                return number_error("--address", optarg, "is not an address (hex 0x... or decimal)");
            c->have_address = 1;
            break;
        case OPT_ANCHORS: CHOOSE(ACTION_ANCHORS, "--anchors"); break;
        case OPT_OWNERS:
            if (parse_number(optarg, 1, &number) < 0 || number < -1)
                return number_error("--owners", optarg, "is not a depth (a whole number, or -1 for all)");
            c->owners_depth = (long)number;
            CHOOSE(ACTION_OWNERS, "--owners");
            break;
        case OPT_HEXDUMP: CHOOSE(ACTION_HEXDUMP, "--hexdump"); break;
        case OPT_PROGRAM: c->program = optarg; break;
        case OPT_OID: c->oid_path = optarg; break;
        case OPT_FIND:
            c->find = optarg;
            CHOOSE(ACTION_FIND, "--find");
            break;
        case OPT_FORMAT: c->format_name = optarg; break;
        case 'o':
        case OPT_OUTPUT: c->output = optarg; break;
        case 'q':
        case OPT_QUIET: c->quiet = 1; break;
        case OPT_TIMINGS: c->timings = 1; break;
        case 'h':
        case OPT_HELP: usage(stdout); exit(EXIT_OK);
        case 'V':
        case OPT_VERSION: printf("heapspurs %s\n", HS_VERSION); exit(EXIT_OK);
        case OPT_SITES: CHOOSE(ACTION_SITES, "--sites"); break;
        case OPT_HISTOGRAM: CHOOSE(ACTION_HISTOGRAM, "--histogram"); break;
        case OPT_LIMIT:
            if (parse_number(optarg, 0, &number) < 0)
                return number_error("--limit", optarg, "is not a number of rows (0 for all)");
            c->limit = (uint64_t)number;
            c->have_limit = 1;
            break;
        case OPT_MAX_NODES:
            if (parse_number(optarg, 0, &number) < 0 || number < 1 || number > 1000000)
                return number_error("--max-nodes", optarg, "is not a number of nodes (1 to 1000000)");
            c->max_nodes = (uint32_t)number;
            have_max_nodes = 1;
            break;
        case OPT_KEEP_CYCLES: c->keep_cycles = 1; break;
        case OPT_TOP:
            if (parse_number(optarg, 0, &number) < 0 || number < 1)
                return number_error("--top", optarg, "is not a positive number");
            c->top = (uint64_t)number;
            CHOOSE(ACTION_TOP, "--top");
            break;
        case OPT_RETAINED: c->retained = 1; break;
        case OPT_BASE:
            c->base = optarg;
            CHOOSE(ACTION_DIFF, "--base");
            break;
        case OPT_BY:
            c->by_name = optarg;
            have_by = 1;
            break;
        case OPT_NEW: c->added_only = 1; break;
        case OPT_DEPTH:
            if (parse_number(optarg, 0, &number) < 0 || number < 1 || number > HS_PPROF_MAX_FRAMES)
                return number_error("--depth", optarg, "is not a number of frames (1 to 1024)");
            c->depth = (uint32_t)number;
            break;
        case OPT_LEAKS: CHOOSE(ACTION_LEAKS, "--leaks"); break;
        case OPT_HTML:
            c->html = optarg;
            CHOOSE(ACTION_HTML, "--html");
            break;
        case OPT_TYPES: CHOOSE(ACTION_TYPES, "--types"); break;
        case OPT_GOROUTINES: CHOOSE(ACTION_GOROUTINES, "--goroutines"); break;
        case OPT_ALL_GOROUTINES: c->all_goroutines = 1; break;
        case OPT_GOROUTINE: {
            int negative;
            if (parse_unsigned(optarg, 0, &negative, &c->goid) < 0)
                return number_error("--goroutine", optarg, "is not a goroutine id");
            CHOOSE(ACTION_GOROUTINE, "--goroutine");
            break;
        }
        case OPT_FIELDS: CHOOSE(ACTION_FIELDS, "--fields"); break;
        case OPT_PPROF:
            CHOOSE(ACTION_PPROF, "--pprof");
            c->pprof_path = optarg;
            break;
        case OPT_PPROF_SITES:
            CHOOSE(ACTION_PPROF_SITES, "--pprof-sites");
            c->pprof_path = optarg;
            break;
        case OPT_MAX_INFLATE:
            if (parse_size(optarg, &c->max_inflate) < 0)
                return usage_error("--max-inflate: '%s' is not a size (bytes, or a number with K, M, G or T)", optarg);
            break;
        case OPT_THRESHOLD: {
            char *end;
            errno = 0;
            c->threshold = strtod(optarg, &end);
            if (errno || end == optarg || *end || !(c->threshold > 0 && c->threshold <= 100))
                return usage_error("--threshold: '%s' is not a percentage above 0 and at most 100", optarg);
            c->have_threshold = 1;
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
    /* --retained alone is an action; with --anchors, --owners or --types, a modifier. */
    if (c->retained && c->action == ACTION_NONE) {
        c->action = ACTION_RETAINED;
        c->action_option = "--retained";
    }
    /* --address alone draws the owner graph. */
    if (c->have_address && c->action == ACTION_NONE) {
        c->action = ACTION_GRAPH;
        c->action_option = "the owner graph (--address alone)";
    }
    enum action a = c->action;
    if (a == ACTION_NONE)
        return usage_error("nothing to do: give an action such as --leaks, --top N, --sites, --print, --find PATTERN "
                           "or --address ADDR");
    int on_object = a == ACTION_ANCHORS || a == ACTION_OWNERS || a == ACTION_HEXDUMP || a == ACTION_RETAINED ||
                    a == ACTION_GRAPH || a == ACTION_FIELDS;
    if ((a == ACTION_TYPES || a == ACTION_FIELDS) && !c->program)
        return usage_error("%s needs --program BINARY: Go types come from the program's DWARF", c->action_option);
    if (on_object && !c->have_address)
        return usage_error("%s needs --address ADDR", c->action_option);
    int status;
    if ((status = check_modifier(c, c->have_address, "--address", on_object,
                                 "--anchors, --owners, --hexdump, --fields, --retained and the owner graph")) ||
        (status = check_modifier(c, c->retained, "--retained", a == ACTION_RETAINED || a == ACTION_ANCHORS ||
                                 a == ACTION_OWNERS || a == ACTION_TYPES,
                                 "--address ADDR alone, --anchors, --owners and --types")) ||
        (status = check_modifier(c, have_by, "--by", a == ACTION_DIFF, "--base OLD")) ||
        (status = check_modifier(c, c->added_only, "--new", a == ACTION_DIFF, "--base OLD")) ||
        (status = check_modifier(c, c->have_limit, "--limit", a == ACTION_SITES || a == ACTION_HISTOGRAM ||
                                 a == ACTION_DIFF || a == ACTION_ANCHORS || a == ACTION_TYPES || a == ACTION_HTML,
                                 "--sites, --histogram, --types, --base, --anchors and --html")) ||
        (status = check_modifier(c, c->depth != 0, "--depth", a == ACTION_SITES || a == ACTION_PPROF,
                                 "--sites and --pprof")) ||
        (status = check_modifier(c, c->have_threshold, "--threshold", a == ACTION_LEAKS || a == ACTION_HTML,
                                 "--leaks and --html")) ||
        (status = check_modifier(c, c->all_goroutines, "--all-goroutines", a == ACTION_GOROUTINES || a == ACTION_HTML,
                                 "--goroutines and --html")) ||
        (status = check_modifier(c, have_max_nodes, "--max-nodes", a == ACTION_GRAPH || a == ACTION_HTML,
                                 "the owner graph and --html")) ||
        (status = check_modifier(c, c->keep_cycles, "--keep-cycles", a == ACTION_GRAPH, "the owner graph")))
        return status;
    enum hs_diff_key by_key;
    if (c->by_name && hs_diff_parse_key(c->by_name, &by_key, NULL) < 0)
        return usage_error("--by: '%s' is not one of site, type, shape, size, root", c->by_name);
    if (c->by_name && by_key == HS_DIFF_BY_TYPE && !c->program)
        return usage_error("--by type needs --program BINARY (Go types come from its DWARF); --by shape groups "
                           "by size class and pointer offsets without it");
    if (a == ACTION_PPROF || a == ACTION_PPROF_SITES) {
        if (c->format_name)
            return usage_error("%s writes a gzipped profile.proto: --format does not apply", c->action_option);
        if (c->output)
            return usage_error("%s FILE is the output: -o does not apply", c->action_option);
        if (a == ACTION_PPROF && c->depth && c->depth < HS_PPROF_MIN_FRAMES)
            return usage_error("--depth %" PRIu32 ": a --pprof stack keeps %u to %u frames", c->depth,
                               HS_PPROF_MIN_FRAMES, HS_PPROF_MAX_FRAMES);
        if (!strcmp(c->pprof_path, "-") && isatty(STDOUT_FILENO))
            return usage_error("%s -: the profile is gzip data; give a file or redirect standard output",
                               c->action_option);
        c->output = c->pprof_path;
    }
    int graph_format = c->format_name && (!strcmp(c->format_name, "svg") || !strcmp(c->format_name, "dot") ||
                                          !strcmp(c->format_name, "png") || !strcmp(c->format_name, "pdf"));
    if (c->format_name && strcmp(c->format_name, "text") && strcmp(c->format_name, "json") && !graph_format)
        return usage_error("--format: '%s' is not one of text, json, svg, dot, png, pdf", c->format_name);
    if (c->format_name && graph_format != (a == ACTION_GRAPH))
        return usage_error("--format %s: the owner graph (--address ADDR alone) is written as svg, dot, png or "
                           "pdf, everything else as text or json", c->format_name);
    if (c->format_name && a == ACTION_HEXDUMP && strcmp(c->format_name, "text"))
        return usage_error("--hexdump is written as text only");
    if (a == ACTION_HTML && (c->format_name || c->output))
        return usage_error("--html FILE writes HTML to FILE: %s does not apply", c->format_name ? "--format" : "-o");
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
    if (!c->quiet && heap)
        hs_heap_write_warnings(stderr, heap);
}

static void warn_symbols(const cli *c, const hs_symbols *symbols)
{
    const hs_symbols_warnings *w = &symbols->warnings;
    if (c->quiet || (!w->sections_cut && !w->headers_cut))
        return;
    fprintf(stderr,
            "heapspurs: warning: %s: the file is cut short: it has %" PRIu64 " bytes, its headers need %" PRIu64
            " (%" PRIu64 " section%s cut%s); %s\n",
            symbols->path, w->file_size, w->needed_size, w->sections_cut, w->sections_cut == 1 ? "" : "s",
            w->headers_cut ? ", and the section headers" : "",
            w->symbol_table_cut || w->section_names_cut
                ? "the symbol table or the section names are among them: globals are not named and the check that it "
                  "wrote the dump may fail"
                : "what those sections hold is missing");
}

/* The owner graph of --address, written atomically to -o FILE (default heapdump.svg or heapdump.dot). */
static enum hs_graph_format graph_format(const cli *c)
{
    return c->format_name ? (!strcmp(c->format_name, "dot")   ? HS_GRAPH_DOT
                             : !strcmp(c->format_name, "png") ? HS_GRAPH_PNG
                             : !strcmp(c->format_name, "pdf") ? HS_GRAPH_PDF
                                                              : HS_GRAPH_SVG)
           : c->output    ? hs_graph_format_for_path(c->output)
                          : HS_GRAPH_SVG;
}

/* Where the output goes: -o FILE, else standard output, else for the graph heapdump.svg (.dot, .png, .pdf). */
static const char *output_path(const cli *c)
{
    if (c->action == ACTION_HTML)
        return c->html;
    if (c->output || c->action != ACTION_GRAPH)
        return c->output;
    switch (graph_format(c)) {
    case HS_GRAPH_DOT: return "heapdump.dot";
    case HS_GRAPH_PNG: return "heapdump.png";
    case HS_GRAPH_PDF: return "heapdump.pdf";
    case HS_GRAPH_SVG: break;
    }
    return HS_GRAPH_DEFAULT_PATH;
}

static int write_graph(const cli *c, const hs_context *context, FILE *out, hs_error *err)
{
    hs_node target;
    uint64_t offset;
    HS_TRY(hs_resolve_address(context->heap, c->address, &target, &offset, err));
    hs_graph_options options = {.max_nodes = c->max_nodes, .keep_cycles = c->keep_cycles};
    hs_graph *graph;
    HS_TRY(hs_graph_build(context, target, offset, &options, &graph, err));
    hs_graph_info info;
    hs_graph_get_info(graph, &info);
    if (!c->quiet)
        fprintf(stderr, "Rendering graph (%" PRIu32 " nodes)...\n", info.nodes);
    int status = hs_report_graph(graph, out, graph_format(c), err);
    if (status < 0 && status != HS_ERR_NOMEM)
        hs_error_prefix(err, "%s: ", output_path(c) ? output_path(c) : "standard output");
    hs_graph_free(graph);
    return status;
}

/* --html FILE: the page of every report, with the run's modifiers. */
static int write_html(const cli *c, const hs_context *context, FILE *out, hs_error *err)
{
    hs_html_options options = {.dump_name = c->dump_path,
                               .threshold = c->have_threshold ? c->threshold : DEFAULT_THRESHOLD,
                               .rows = c->have_limit ? c->limit : HS_HTML_DEFAULT_ROWS,
                               .max_nodes = c->max_nodes, .all_goroutines = c->all_goroutines};
    if (!c->quiet)
        fputs("Writing the HTML report...\n", stderr);
    return hs_report_html(out, context, &options, err);
}

/* --base OLD: loads the older dump, checks both come from one program, and reports what grew. */
static int run_diff(const cli *c, const hs_context *context, FILE *out, enum hs_format format)
{
    hs_error err = {0};
    hs_dump *old_dump = NULL;
    hs_heap *old_heap = NULL;
    hs_sites *old_sites = NULL;
    hs_diff *diff = NULL;
    hs_typing *old_typing = NULL;
    int code = EXIT_OK;
    hs_dump_options dump_options = {.max_memory = c->max_inflate};
    if (hs_dump_open_with_options(c->base, &dump_options, &old_dump, &err) < 0 ||
        hs_heap_build(old_dump, &old_heap, &err) < 0) {
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
    if (input.by == HS_DIFF_BY_TYPE) {
        /* The same program wrote both dumps: its types type the old one too. */
        if (hs_typing_build(old_heap, context->typing->types, context->symbols, &old_typing, &err) < 0) {
            code = fail(&err);
            goto done;
        }
        input.old_typing = old_typing;
        input.new_typing = context->typing;
    }
    hs_report_diff_options options = {.format = format, .added_only = c->added_only,
                                      .limit = c->have_limit ? c->limit : DEFAULT_LIMIT, .paths = DEFAULT_DIFF_PATHS,
                                      .old_name = c->base, .new_name = c->dump_path};
    if (hs_diff_build(&input, &diff, &err) < 0 || hs_report_diff(out, diff, context, &options, &err) < 0)
        code = fail(&err);
done:
    hs_diff_free(diff);
    hs_typing_free(old_typing);
    hs_sites_free(old_sites);
    hs_heap_free(old_heap);
    hs_dump_free(old_dump);
    return code;
}

/* --pprof and --pprof-sites: the profile, named after the program (or the dump) it describes. */
static int write_pprof(const cli *c, const hs_context *context, FILE *out, hs_pprof_summary *summary, hs_error *err)
{
    hs_pprof_options options = {.max_frames = c->depth, .source = c->program ? c->program : c->dump_path,
                                .output_name = strcmp(c->pprof_path, "-") ? c->pprof_path : "standard output"};
    if (c->action == ACTION_PPROF)
        return hs_report_pprof(out, context, &options, summary, err);
    if (!context->sites && !c->quiet)
        fprintf(stderr, "heapspurs: warning: %s has no allocation samples: the profile has none (see docs/sites.md)\n",
                c->dump_path);
    return hs_report_pprof_sites(out, context, &options, summary, err);
}

/* One line on standard error once the profile is in place: what it holds, and how to read it. */
static void write_pprof_note(const cli *c, const hs_pprof_summary *s)
{
    if (c->action == ACTION_PPROF)
        fprintf(stderr, "heapspurs: %s: %" PRIu64 " live objects (%" PRIu64 " bytes) in %" PRIu64 " stacks of %" PRIu64
                        " frames",
                c->pprof_path, s->objects, s->bytes, s->samples, s->locations);
    else
        fprintf(stderr, "heapspurs: %s: %" PRIu64 " of %" PRIu64 " live objects (%" PRIu64 " of %" PRIu64
                        " bytes) in %" PRIu64 " allocation stacks",
                c->pprof_path, s->objects, s->live_objects, s->bytes, s->live_bytes, s->samples);
    if (strcmp(c->pprof_path, "-"))
        fprintf(stderr, "; read it with go tool pprof -http=: %s\n", c->pprof_path);
    else
        fputc('\n', stderr);
}

/* SIGINT, SIGTERM, SIGHUP: the temporary output file goes, then the signal does what it would have done. */
static void on_fatal_signal(int signal_number)
{
    hs_output_file_remove_pending();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

int main(int argc, char **argv)
{
    /* Big arrays come and go while the index is built; a fixed mmap threshold
     * returns each one to the system when freed instead of keeping it in the
     * heap, so peak memory stays the sum of what is live. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    static const int fatal_signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++) {
        struct sigaction action = {.sa_handler = on_fatal_signal};
        sigemptyset(&action.sa_mask);
        sigaction(fatal_signals[i], &action, NULL);
    }
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
    hs_types *types = NULL;
    hs_typing *typing = NULL;
    hs_load_pending *pending = NULL; /* the typing, while it runs beside (hs_load_start) */
    hs_goroutines *goroutines = NULL;
    hs_dominators *goroutine_dominators = NULL;
    hs_output_file *output = NULL;
    hs_pprof_summary pprof_summary = {0};
    hs_timings timings_state;
    hs_timings_start(&timings_state);
    hs_timings *timings = c.timings ? &timings_state : NULL;
    FILE *out = stdout;
    int code = EXIT_OK;
    progress_state progress = {0};
    clock_gettime(CLOCK_MONOTONIC, &progress.start);
    int progress_wanted = !c.quiet && isatty(STDERR_FILENO);
    /* The histograms read objects, flags and types alone: no edges for them. */
    int reachability_only = (c.action == ACTION_TYPES && !c.retained) || c.action == ACTION_HISTOGRAM;
    hs_heap_options load_options = {.progress = progress_wanted ? show_progress : NULL,
                                    .progress_context = &progress,
                                    .reachability_only = reachability_only,
                                    .timings = timings};
    enum hs_format format = c.format_name && !strcmp(c.format_name, "json") ? HS_FORMAT_JSON : HS_FORMAT_TEXT;
    hs_dump_options dump_options = {.max_memory = c.max_inflate};

    /* The output is opened first: refusing to write over an input, or
     * failing to create the file, costs no load. */
    const char *inputs[4] = {c.dump_path, c.base, c.program, c.oid_path};
    if (hs_output_file_open(output_path(&c), inputs, 4, &output, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    out = hs_output_file_stream(output);
    if ((c.find && hs_matcher_compile(c.find, &matcher, &err) < 0) ||
        (c.program && hs_symbols_load(c.program, &symbols, &err) < 0)) {
        code = fail(&err);
        goto done;
    }
    if (c.program)
        hs_timings_end(timings, HS_PHASE_PROGRAM);
    /* Before the check against the dump, which a program cut short may fail. */
    if (symbols)
        warn_symbols(&c, symbols);
    /* --types --retained needs the tree of objects, not goroutine groups
     * (which wait for the types): that tree is built while the typing runs. */
    int tree_beside_typing = c.action == ACTION_TYPES && c.retained;
    if ((c.oid_path && hs_oid_load(c.oid_path, &oids, &err) < 0) ||
        hs_dump_open_with_options(c.dump_path, &dump_options, &dump, &err) < 0 ||
        (hs_timings_end(timings, HS_PHASE_OPEN), 0) ||
        hs_load_start(dump, &load_options, symbols, &heap, &pending, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    if (tree_beside_typing) {
        if (hs_dominators_build(heap, symbols, &dominators, &err) < 0) {
            code = fail(&err);
            goto done;
        }
        hs_timings_end(timings, HS_PHASE_DOMINATORS);
    }
    status = hs_load_finish(pending, &heap, &types, &typing, &err);
    pending = NULL;
    if (status < 0) {
        code = fail(&err);
        goto done;
    }
    warn_heap(&c, heap);
    if (types && types->without_dwarf && !c.quiet)
        fprintf(stderr, "heapspurs: warning: %s: no DWARF (built with -ldflags=-w, or stripped): only objects with "
                        "an allocation header are typed\n",
                symbols->path);
    if (matcher && !c.quiet)
        hs_matcher_write_note(stderr, matcher);
    if (heap->profile_count && hs_sites_build(heap, &sites, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    if (sites && !c.quiet)
        hs_sites_write_warnings(stderr, sites);
    enum action action = c.action;
    hs_context context = {.dump = dump, .params = &heap->params, .heap = heap, .symbols = symbols, .oids = oids,
                          .sites = sites, .typing = typing};
    /* The dominator tree costs a pass and ~32 bytes per object: built for the
     * reports that need it; --anchors/--owners show retained sizes when
     * --retained asks for them too. */
    int goroutine_report = action == ACTION_GOROUTINES || action == ACTION_GOROUTINE || action == ACTION_HTML;
    int want_dominators = action == ACTION_TOP || action == ACTION_LEAKS || (c.retained && !tree_beside_typing) ||
                          action == ACTION_GRAPH || action == ACTION_SITES || goroutine_report;
    /* Goroutines of one stack and creator form one root group of retained sizes. */
    if ((want_dominators || goroutine_report || action == ACTION_PPROF) && hs_goroutines_build(heap, typing, &goroutines, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    context.goroutines = goroutines;
    if (sites || goroutines)
        hs_timings_end(timings, HS_PHASE_ANALYSIS);
    if (want_dominators) {
        /* The tree needs the index alone: the dump's pages may go meanwhile. */
        hs_dump_release_pages(dump);
        if (hs_dominators_build_grouped(heap, symbols, goroutines->group_of, goroutines->group_count, &dominators,
                                        &err) < 0) {
            code = fail(&err);
            goto done;
        }
        context.dominators = dominators;
    }
    /* The goroutine reports give each goroutine's own retained size too. */
    if (goroutine_report) {
        if (hs_dominators_build(heap, symbols, &goroutine_dominators, &err) < 0) {
            code = fail(&err);
            goto done;
        }
        context.goroutine_dominators = goroutine_dominators;
    }
    if (want_dominators || goroutine_report)
        hs_timings_end(timings, HS_PHASE_DOMINATORS);
    context.dominators = dominators;
    hs_node target = HS_NO_NODE;
    uint64_t offset = 0;
    uint64_t limit = c.have_limit ? c.limit : DEFAULT_LIMIT;
    if (c.have_address && action != ACTION_GRAPH &&
        hs_resolve_address(heap, c.address, &target, &offset, &err) < 0) {
        code = fail(&err);
        goto done;
    }
    switch (action) {
    case ACTION_DIFF: code = run_diff(&c, &context, out, format); goto done;
    case ACTION_PRINT:
    case ACTION_FIND: status = hs_report_records(out, &context, format, matcher, &err); break;
    case ACTION_ANCHORS:
        status = hs_report_anchors(out, &context, target, offset, c.have_limit ? c.limit : 0, format, &err);
        break;
    case ACTION_OWNERS:
        status = hs_report_owners(out, &context, target, offset, c.owners_depth, format, &err);
        break;
    case ACTION_HEXDUMP:
        /* Standard output holds the hex lines and pointer offsets alone. */
        if (!c.quiet) {
            fputs("heapspurs: ", stderr);
            hs_describe_node(stderr, &context, target);
            fputc('\n', stderr);
        }
        status = hs_report_hexdump(out, &context, target, &err);
        break;
    case ACTION_RETAINED: status = hs_report_retained(out, &context, target, offset, format, &err); break;
    case ACTION_GRAPH: status = write_graph(&c, &context, out, &err); break;
    case ACTION_TOP: status = hs_report_top(out, &context, c.top, format, &err); break;
    case ACTION_LEAKS:
        status = hs_report_leaks(out, &context, c.have_threshold ? c.threshold : DEFAULT_THRESHOLD, format, &err);
        break;
    case ACTION_SITES: status = hs_report_sites(out, &context, format, limit, c.depth, &err); break;
    case ACTION_HISTOGRAM: status = hs_report_histogram(out, &context, format, limit, &err); break;
    case ACTION_TYPES: status = hs_report_types(out, &context, format, limit, &err); break;
    case ACTION_FIELDS: status = hs_report_fields(out, &context, target, format, &err); break;
    case ACTION_GOROUTINES:
        status = hs_report_goroutines(out, &context, goroutines, c.all_goroutines, format, &err);
        break;
    case ACTION_GOROUTINE: status = hs_report_goroutine(out, &context, goroutines, c.goid, format, &err); break;
    case ACTION_PPROF:
    case ACTION_PPROF_SITES: status = write_pprof(&c, &context, out, &pprof_summary, &err); break;
    case ACTION_HTML: status = write_html(&c, &context, out, &err); break;
    case ACTION_NONE: break;
    }
    if (status < 0)
        code = fail(&err);
done:
    if (pending) {
        /* The typing still runs on a heap about to be freed: wait for it
         * (what it gives is freed below with the rest). */
        hs_error ignored;
        hs_load_finish(pending, &heap, &types, &typing, &ignored);
    }
    /* The output reaches its path only when everything was written. */
    if (code == EXIT_OK && hs_output_file_commit(output, &err) < 0)
        code = fail(&err);
    else if (code != EXIT_OK)
        hs_output_file_abort(output);
    else if (!c.quiet && (c.action == ACTION_PPROF || c.action == ACTION_PPROF_SITES))
        write_pprof_note(&c, &pprof_summary);
    if (code == EXIT_OK && timings) {
        hs_timings_end(timings, HS_PHASE_REPORT);
        hs_timings_write(stderr, timings, c.dump_path);
    }
    hs_matcher_free(matcher);
    hs_sites_free(sites);
    hs_dominators_free(dominators);
    hs_dominators_free(goroutine_dominators);
    hs_goroutines_free(goroutines);
    hs_typing_free(typing);
    hs_types_free(types);
    hs_heap_free(heap);
    hs_symbols_free(symbols);
    hs_oid_free(oids);
    hs_dump_free(dump);
    return code;
}
