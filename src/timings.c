/* timings.c — the wall-clock time of each phase of a run, and the table --timings writes. */
#include "hs_timings.h"

#include <time.h>

static const char *const PHASE_NAMES[HS_PHASE_COUNT] = {
    [HS_PHASE_PROGRAM] = "program symbols",
    [HS_PHASE_OPEN] = "open dump",
    [HS_PHASE_READ] = "read records",
    [HS_PHASE_SORT] = "sort objects",
    [HS_PHASE_PAGE_INDEX] = "page index",
    [HS_PHASE_WAIT_DWARF] = "wait for DWARF, check program",
    [HS_PHASE_EDGES] = "pointer edges",
    [HS_PHASE_REVERSE] = "reverse edges, reachability",
    [HS_PHASE_REACHABILITY] = "reachability (no edges)",
    [HS_PHASE_WAIT_TYPING] = "wait for typing",
    [HS_PHASE_FLAGS] = "finalizer flags",
    [HS_PHASE_ANALYSIS] = "sites, goroutines",
    [HS_PHASE_DOMINATORS] = "dominator tree",
    [HS_PHASE_REPORT] = "query and output",
    [HS_PHASE_DWARF] = "DWARF types (own thread)",
    [HS_PHASE_TYPING] = "typing (own thread)",
};

double hs_timings_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void hs_timings_start(hs_timings *t)
{
    *t = (hs_timings){0};
    t->started = t->last = hs_timings_now();
}

void hs_timings_end(hs_timings *t, enum hs_phase p)
{
    if (!t)
        return;
    double now = hs_timings_now();
    t->seconds[p] += now - t->last;
    t->ran[p] = 1;
    t->last = now;
}

void hs_timings_add(hs_timings *t, enum hs_phase p, double seconds)
{
    if (!t)
        return;
    t->seconds[p] += seconds;
    t->ran[p] = 1;
}

void hs_timings_write(FILE *out, const hs_timings *t, const char *name)
{
    fprintf(out, "heapspurs: timings of %s (wall seconds):\n", name);
    for (int p = 0; p < HS_PHASE_COUNT; p++)
        if (t->ran[p])
            fprintf(out, "  %-32s %8.3f\n", PHASE_NAMES[p], t->seconds[p]);
    fprintf(out, "  %-32s %8.3f\n", "total", hs_timings_now() - t->started);
}
