/* hs_pprof.h — the live heap as pprof profiles (gzipped profile.proto): what holds it, by shortest path from the roots; who allocated it, by allocation stack. */
#ifndef HS_PPROF_H
#define HS_PPROF_H

#include <stdint.h>
#include <stdio.h>

#include "hs_context.h"
#include "hs_error.h"

/* Both profiles have the sample types inuse_objects (count) and inuse_space
 * (bytes, the default), and count what the other reports count: every live
 * object (hs_object_is_live), by its slot's bytes. `go tool pprof` reads
 * them (docs/pprof.md); the output is gzip, written to a stream the caller
 * owns (hs_output_file). */

/* Frames of a retention stack, by default and at least and at most: a path
 * with more has its middle folded into one "…" frame. */
#define HS_PPROF_DEFAULT_FRAMES 64u
#define HS_PPROF_MIN_FRAMES 8u
#define HS_PPROF_MAX_FRAMES 1024u

typedef struct hs_pprof_options {
    uint32_t max_frames; /* retention stacks: 0 for HS_PPROF_DEFAULT_FRAMES, else MIN to MAX */
    /* The mapping's file name, which pprof shows in its header: the program
     * or the dump; NULL names the dump. Lives until the report returns. */
    const char *source;
    const char *output_name; /* the output, for messages; NULL: "the profile" */
} hs_pprof_options;

/* What a profile holds, for a caller's one-line summary. */
typedef struct hs_pprof_summary {
    uint64_t objects, bytes;                     /* in the samples */
    uint64_t samples;                            /* distinct stacks */
    uint64_t locations;                          /* distinct frames */
    uint64_t live_objects, live_bytes;           /* the live heap */
    uint64_t folded_objects;                     /* retention: objects whose stack was folded */
} hs_pprof_summary;

/* --pprof: the retention profile. Every live object is one count of the
 * stack of its path in the tree of shortest paths from the roots
 * (hs_root_paths: a breadth-first search from every root at once, in root
 * order), leaf first: the object, each holder down to the root, then the
 * root's frames. Identical stacks are one sample. A frame is
 *  - an object: its OID name or Go type (context->typing), else "Object N B"
 *    and, with a sample, " (function:line)" of its allocation site (the
 *    function's file and the line in the frame's Function and Line); then,
 *    with types, " " and the field of its holder through which it is held
 *    (".User", "[].Next": array indices dropped, so that a slice's elements
 *    share one frame);
 *  - a root slot: hs_describe_root_slot ("global main.leaked", "bss slot
 *    0x…", "finalizer for 0x…"); a goroutine frame is two frames, "frame
 *    FUNCTION" (with types, and the variable DWARF places at the slot) held
 *    by "goroutine LABEL", the group's hs_goroutines_write_label when
 *    context->goroutines is set, so that a crowd of goroutines of one stack
 *    merges (else "goroutine ID").
 * A stack of more than max_frames frames keeps its (max_frames-1)/2 frames
 * nearest the root and the rest nearest the object, with one "…" frame
 * between: chains of any length end in a few samples. The profile's comment
 * says what it is and how many objects were folded. Work: the search, one
 * pass over the objects (12 bytes each besides the search's 4) and a walk
 * of at most max_frames for an object whose stack folds.
 * Errors: HS_ERR_USAGE (max_frames out of range), HS_ERR_NOMEM, HS_ERR_IO (a
 * write failed). summary may be NULL. */
int hs_report_pprof(FILE *out, const hs_context *context, const hs_pprof_options *options,
                    hs_pprof_summary *summary, hs_error *err);

/* --pprof-sites: the allocation profile. One sample per profile bucket with
 * live objects (context->sites, hs_sites.h): its stack from the site frame
 * down (the runtime's allocator frames and the growth helpers above the
 * site dropped, so a stack's leaf is the site --sites names), each frame a
 * Location with its Function (name, file) and line, values the bucket's live
 * objects and their bytes, and a numeric label "bytes", the bucket's
 * allocation size (as Go's heap profile has it). Values are exact counts of
 * the sampled objects, not scaled by the rate. The period (what Go's heap
 * profile sets to runtime.MemProfileRate) is 0: the dump does not hold the
 * rate (MemStats has no rate, and the variable lives in the program's
 * .noptrdata or .noptrbss, which WriteHeapDump does not write). The
 * comment says how much of the live heap has a sample, and what that says
 * of the rate. context->sites may be NULL (no profile records): then there
 * is no sample and the comment says so.
 * Errors as hs_report_pprof. */
int hs_report_pprof_sites(FILE *out, const hs_context *context, const hs_pprof_options *options,
                          hs_pprof_summary *summary, hs_error *err);

#endif
