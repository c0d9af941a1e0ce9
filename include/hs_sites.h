/* hs_sites.h — allocation sites: object → profile bucket → stack, from the dump's alloc samples, and the --sites and --histogram reports. */
#ifndef HS_SITES_H
#define HS_SITES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hs_context.h"
#include "hs_error.h"
#include "hs_heap.h"
#include "hs_record.h"

/* A dump carries one alloc/free profile record (tag 16) per profile bucket: a
 * stack of (function, file, line) frames, innermost first, and one alloc
 * sample (tag 17) per sampled live object naming its bucket. Every object
 * allocated after `runtime.MemProfileRate = 1` has a sample; at the default
 * rate only about one allocation in 512 KiB has one.
 *
 * The site of a bucket is its first frame that is neither in the runtime
 * nor one of the standard library's growth helpers (hs_sites_skips_function):
 * names starting with "runtime." or "internal/" are skipped (Go 1.26 stacks
 * start with runtime.mallocgc and runtime.newobject, makeslice or growslice;
 * older stacks start at the allocating function), and so are the functions
 * of a small table in sites.c (bytes.growSlice, bytes.(*Buffer).*,
 * strings.(*Builder).*, fmt's printer, encoding/json, io.ReadAll, ...) that
 * grow a buffer or build a value for their caller, so a bytes.Buffer grown in
 * main.fill has main.fill as its site. Packages below runtime/ (runtime/debug,
 * runtime/pprof) are ordinary libraries and are not skipped. When every frame
 * is skipped: a stack that leaves the runtime only for growth helpers has its
 * first frame outside the runtime as its site; a stack made only of runtime
 * frames (the runtime's own allocations, e.g. runtime.malg) has its first
 * frame that is not an allocator entry point (runtime.mallocgc, newobject,
 * makeslice, ...), and is marked HS_SITE_IN_RUNTIME.
 *
 * Bucket stacks name physical functions: a frame of an inlined callee keeps
 * the callee's file and line but carries the name of the function it was
 * inlined into (e.g. "facts.DumpNoGC" at "os/file.go:327" for an inlined
 * os.Create). Sites are reported exactly as the frame says.
 *
 * Several buckets can share one site (a bucket is a stack *and* an
 * allocation size); sites group buckets by (function, file, line). */

/* One frame of a bucket stack; strings point into the dump. */
typedef struct hs_site_frame {
    hs_bytes function, file;
    uint64_t line;
} hs_site_frame;

enum {
    HS_SITE_IN_RUNTIME = 1 << 0, /* every frame is in the runtime (runtime.*, internal/...): the site is the runtime's own */
    HS_SITE_NO_FRAMES = 1 << 1   /* the bucket has an empty stack; its site is unknown */
};

/* One profile bucket. */
typedef struct hs_bucket {
    uint64_t id;            /* the bucket's address, as alloc samples name it */
    uint64_t size;          /* allocation size the bucket counts */
    uint64_t allocs, frees; /* the profile's counts (of completed GC cycles) */
    uint64_t record_offset; /* file offset of its profile record */
    uint64_t first_frame;   /* its stack: hs_sites.frames[first_frame .. first_frame+frame_count) */
    uint32_t frame_count;
    uint32_t site_frame;    /* index within the stack of the site frame (0 when there are no frames) */
    uint32_t site;          /* index into hs_sites.sites */
    uint32_t flags;         /* HS_SITE_* */
} hs_bucket;

/* One allocation site: the (function, file, line) of the site frame shared
 * by one or more buckets. */
typedef struct hs_site {
    hs_site_frame frame;
    uint32_t first_bucket; /* the site's lowest-numbered bucket (by id order) */
    uint32_t bucket_count;
    uint32_t flags;        /* HS_SITE_* of its first bucket */
} hs_site;

/* Counts of alloc samples that could not be attached to an object. */
typedef struct hs_sites_warnings {
    uint64_t samples_no_object;     /* address in no object (freed slot, outside the heap, span tail) */
    uint64_t samples_inside_object; /* address inside an object, not at its start or after its allocation header */
    uint64_t samples_no_bucket;     /* bucket id with no profile record */
    uint64_t samples_duplicate;     /* a second sample at the start of an object already attached */
    uint64_t duplicate_buckets;     /* profile records repeating a bucket id (the first is kept) */
} hs_sites_warnings;

typedef struct hs_sites {
    const hs_heap *heap;
    hs_bucket *buckets; /* sorted by id */
    uint32_t bucket_count;
    hs_site_frame *frames;
    uint64_t frame_count;
    hs_site *sites; /* sorted by function, file, line */
    uint32_t site_count;
    /* Object -> bucket. Dense (one entry per object, UINT32_MAX for no
     * sample) when more than one object in eight has a sample; otherwise
     * sparse: sampled[] pairs sorted by object, found by binary search, so a
     * dump written at the default profile rate costs nothing per object. */
    uint32_t *object_bucket;   /* dense map, or NULL */
    struct hs_sampled_object { uint32_t object, bucket; } *sampled; /* sparse map, or NULL */
    uint64_t sampled_count;
    uint64_t sampled_objects;  /* objects with a bucket */
    hs_sites_warnings warnings;
} hs_sites;

/* 1 when a site skips frames of this function: it is in the runtime
 * ("runtime.", "internal/") or a growth helper of the standard library. */
int hs_sites_skips_function(const hs_bytes *function);

/* Builds the site tables from heap->profile_offsets and heap->samples (the
 * records were validated when the heap was built). An alloc sample belongs
 * to the object that starts at its address, or, for an object with a Go
 * 1.22+ allocation header (513 bytes to 32 KiB), that starts one word before
 * it: the runtime profiles the address after the 8-byte type header. Other
 * samples are counted in warnings. A dump without profile records gives an
 * empty table (no bucket for any object). The heap (and its dump) must
 * outlive the table. Free with hs_sites_free. */
int hs_sites_build(const hs_heap *heap, hs_sites **out, hs_error *err);

/* Accepts NULL. */
void hs_sites_free(hs_sites *sites);

/* Writes one "heapspurs: warning: DUMP: ..." line to out per kind of sample
 * or bucket that could not be used (hs_sites_warnings); nothing when all were. */
void hs_sites_write_warnings(FILE *out, const hs_sites *sites);

/* Index of the bucket with this id, or UINT32_MAX. */
uint32_t hs_sites_find_bucket(const hs_sites *sites, uint64_t id);

/* Bucket index of object (an hs_node below heap->object_count), or
 * UINT32_MAX when it has no alloc sample. sites may be NULL. */
uint32_t hs_sites_object_bucket(const hs_sites *sites, hs_node object);

/* The site frame of an object, or NULL when it has no sample (sites may be
 * NULL). Points into sites; lives as long as it. */
const hs_site_frame *hs_sites_object_site(const hs_sites *sites, hs_node object);

/* Writes the short label of the object's site, "main.load:42" (function, a
 * colon, line), into buf (truncated to size, always NUL-terminated when size
 * > 0) and returns 1; returns 0 with an empty buffer when the object has no
 * sample or sites is NULL. For SVG labels and one-line descriptions. */
int hs_sites_label(const hs_sites *sites, hs_node object, char *buf, size_t size);


/* Orders frames by function, then file (bytewise, a prefix first), then
 * line: < 0, 0 or > 0 as a is before, equal to or after b. */
int hs_sites_compare_frames(const hs_site_frame *a, const hs_site_frame *b);

/* Writes "main.load (heapspurs-testdata/leak/main.go:42)" for a frame, as
 * text with control bytes escaped; no newline. */
void hs_sites_write_frame_text(FILE *out, const hs_site_frame *frame);

/* `--sites`: reachable objects and bytes per allocation site, sorted by bytes
 * (then objects, then site), at most `limit` rows (0: all), then the totals
 * and a sentence saying what share of live objects and bytes has no sample
 * and what to do about it. A row is the buckets that share `depth` frames of
 * their stack from the site frame on (the site and depth-1 callers; fewer
 * where a stack ends; depth 0 counts as 1): with depth 1 a row is a site.
 * Text names those frames, the site on the row's line and each caller on a
 * "from ..." line under it. With HS_FORMAT_JSON one JSON document
 * {"sites":[{"function","file","line","objects","bytes","retained":{"bytes",
 *  "objects"},"frames":[…],"stack":N}…], "omitted":{"sites","objects","bytes"},
 *  "unsampled":{"objects","bytes"},"total":{"objects","bytes"},"stacks":[…]}: function,
 * file and line are the site's, frames the row's depth frames, stack the
 * index in the document's stack table (hs_describe.h) of the whole stack of
 * the row's bucket with the most live bytes.
 * With context->dominators (hs_dominator.h; may be NULL, then no retained sizes) a
 * row's retained size is the sum of the retained sizes of its objects that
 * no other object of the same row dominates (so nothing is counted twice).
 * context->sites may be NULL (a dump without profile records): every live
 * object is then unsampled. */
int hs_report_sites(FILE *out, const hs_context *context, enum hs_format format, uint64_t limit, uint32_t depth,
                    hs_error *err);

/* `--histogram`: reachable objects and bytes per dumped size (the size
 * class), sorted by bytes, at most `limit` rows (0: all), each with the site
 * that has the most bytes among its objects when there is one. Text, or one
 * JSON document {"sizes":[{"size","objects","bytes","site":{…}|null}…],
 * "omitted":{…},"total":{"objects","bytes"}}. */
int hs_report_histogram(FILE *out, const hs_context *context, enum hs_format format, uint64_t limit, hs_error *err);

#endif
