/* hs_timings.h — the wall-clock time of each phase of a run (--timings): where the time of a load and a query goes. */
#ifndef HS_TIMINGS_H
#define HS_TIMINGS_H

#include <stdio.h>

/* The phases, in the order a run goes through them. Those of the main
 * thread follow one another, so that they add up to the run's time; the
 * two marked "own thread" run on threads of their own at the same time as
 * others (the DWARF beside the records' reading, the typing beside the
 * edges), and what the main thread waits for them is a phase of its own. */
enum hs_phase {
    HS_PHASE_PROGRAM,      /* the program's symbol table (--program) */
    HS_PHASE_OPEN,         /* opening (and, for gzip or a pipe, reading) the dump */
    HS_PHASE_READ,         /* the records, decoded into buckets by address */
    HS_PHASE_SORT,         /* the buckets into the object table, by address */
    HS_PHASE_PAGE_INDEX,   /* the index of objects by 8 KiB page */
    HS_PHASE_FLAGS,        /* the finalizer flags */
    HS_PHASE_WAIT_DWARF,   /* waiting for the DWARF, checking the program against the dump */
    HS_PHASE_EDGES,        /* the pointer edges, object by object */
    HS_PHASE_REVERSE,      /* the reverse edges, and reachability beside them */
    HS_PHASE_REACHABILITY, /* reachability from the pointer slots, without edges (--types, --histogram) */
    HS_PHASE_WAIT_TYPING,  /* waiting for the typing to end */
    HS_PHASE_ANALYSIS,     /* allocation sites and goroutine groups, when the query needs them */
    HS_PHASE_DOMINATORS,   /* the dominator tree (retained sizes) */
    HS_PHASE_REPORT,       /* the query itself and writing its answer (with --base, the old dump's load too) */
    HS_PHASE_DWARF,        /* own thread, beside the reading: the program's DWARF types */
    HS_PHASE_TYPING,       /* own thread, beside the edges (and the tree of --types --retained): typing the heap */
    HS_PHASE_COUNT
};

typedef struct hs_timings {
    double started; /* when the run began (hs_timings_now) */
    double last;    /* when the main thread's last phase ended */
    double seconds[HS_PHASE_COUNT];
    unsigned char ran[HS_PHASE_COUNT];
} hs_timings;

/* Seconds on a monotonic clock. */
double hs_timings_now(void);

/* Starts the clock: the first phase begins now. */
void hs_timings_start(hs_timings *t);

/* The main thread's phase p ends now: the time since the last phase ended
 * is added to it. Accepts t NULL (nothing is timed). */
void hs_timings_end(hs_timings *t, enum hs_phase p);

/* Adds seconds to phase p (a phase beside the main thread, timed by its
 * own thread; only one thread writes a phase, and it is read after that
 * thread is joined). Accepts t NULL. */
void hs_timings_add(hs_timings *t, enum hs_phase p, double seconds);

/* Writes "heapspurs: timings of NAME (wall seconds):", then one indented
 * line per phase that ran, and the total since hs_timings_start. */
void hs_timings_write(FILE *out, const hs_timings *t, const char *name);

#endif
