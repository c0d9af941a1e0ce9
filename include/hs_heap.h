/* hs_heap.h — the heap model: an address-sorted object table, the roots, and the pointer graph in flat arrays. */
#ifndef HS_HEAP_H
#define HS_HEAP_H

#include <stdint.h>
#include <stdio.h>

#include "hs_dump.h"
#include "hs_error.h"
#include "hs_record.h"

/* Node numbers: objects are 0 .. object_count-1 in address order; roots
 * follow as object_count .. object_count+root_count-1. Object indices fit in
 * 32 bits (a dump with more objects than that is refused). */
typedef uint32_t hs_node;
#define HS_NO_NODE UINT32_MAX

/* One heap object: 24 bytes, contents stay in the dump.
 *
 * An object is what the Go program holds: for most objects the dumped slot
 * (its size class) itself. A Go 1.22+ object with an allocation header
 * (HS_OBJECT_HEADER: pointer-holding, in a span of 513-byte to 32 KiB
 * slots) starts HS_ALLOCATION_HEADER_BYTES into its slot, after the word
 * that names its type: address, size and contents_offset then describe the
 * Go object (slot + 8, slot size - 8), and the hs_object_slot_* functions
 * give the slot. Memory is counted in slots (as MemStats' HeapAlloc does);
 * objects are described by their Go address and size. */
typedef struct hs_object {
    uint64_t address;         /* the Go object's address: what pointers to it hold */
    uint64_t size;            /* the Go object's bytes: the slot less its header (an upper bound of the type's size) */
    uint64_t contents_offset; /* file offset of the first content byte; the field list follows the slot */
} hs_object;

/* Per-object flag bits (hs_heap.flags; whether a root reaches an object is
 * hs_heap.reachable, a bitmap of its own). */
enum {
    HS_OBJECT_FINALIZER = 1 << 1, /* has a registered finalizer */
    HS_OBJECT_QUEUED = 1 << 2,    /* has a queued finalizer */
    HS_OBJECT_SPAN_TAIL = 1 << 3, /* Go 1.22+ span-tail metadata dumped as an object, not a real object */
    HS_OBJECT_HEADER = 1 << 4     /* Go 1.22+ allocation header: the slot starts a word before the object */
};

/* The allocation header of Go 1.22+ (runtime.mallocHeaderSize: 8 bytes on every architecture). */
#define HS_ALLOCATION_HEADER_BYTES 8u
/* Slots from this size up to 32 KiB carry a header when they hold pointers (pointer size² × 8: 512 bytes on 64-bit). */
#define HS_ALLOCATION_HEADER_MAX_SLOT 32768u

enum hs_root_kind {
    HS_ROOT_DATA,             /* the data segment */
    HS_ROOT_BSS,              /* the BSS segment */
    HS_ROOT_FRAME,            /* one stack frame of a goroutine */
    HS_ROOT_FINALIZER,        /* a registered finalizer: keeps what its object points to, and its closure */
    HS_ROOT_QUEUED_FINALIZER, /* a queued finalizer: keeps its object until it runs */
    HS_ROOT_OTHER             /* an "other root" record */
};

typedef struct hs_root {
    enum hs_root_kind kind;
    uint64_t record_offset; /* file offset of the record */
    uint64_t address;       /* segment start, frame sp, finalizer's object, or other root's pointer */
    hs_bytes contents;      /* segment or frame bytes (empty for the other kinds) */
    hs_fields fields;       /* pointer slots of contents */
    hs_bytes name;          /* frame function, other root description; empty otherwise */
    uint64_t depth;         /* frame depth (0 = innermost) */
    uint64_t child_sp;      /* frame: sp of the callee frame, 0 at depth 0 */
    uint32_t goroutine;     /* frame: index into hs_heap.goroutines, or UINT32_MAX */
    uint64_t funcval;       /* finalizer: the closure */
    uint64_t pc;            /* frame: the pc it is stopped at */
    uint64_t object_type;   /* finalizer: the runtime descriptor of its object's pointer type (*T) */
} hs_root;

/* An itab record: an itab's address and its concrete type's descriptor. */
typedef struct hs_itab {
    uint64_t address, type;
} hs_itab;

typedef struct hs_goroutine {
    uint64_t record_offset;
    uint64_t address, goid, status;
    uint64_t go_pc;   /* the pc of the go statement that created it (gopc) */
    int is_system;    /* a runtime goroutine */
    hs_bytes wait_reason;
    uint32_t first_frame; /* root index (not node) of its depth-0 frame, or UINT32_MAX */
    uint32_t frame_count;
} hs_goroutine;

/* One alloc sample: object address and profile bucket. */
typedef struct hs_sample {
    uint64_t address, bucket;
} hs_sample;

/* Counts of what the model left out or doubted, for warnings. */
typedef struct hs_heap_warnings {
    uint64_t span_tail_objects;   /* Go 1.22+ span metadata records dropped from analyses */
    uint64_t dangling_frames;     /* frames whose goroutine or child link is missing */
    uint64_t finalizer_no_object; /* finalizer records naming no object */
    /* Pointer offsets that a data, BSS or frame record's field list names
     * again (real dumps list each once, in increasing order); analyses that
     * count slots count each once. */
    uint64_t repeated_root_slots;
    uint64_t repeated_root_slots_first; /* file offset of the first such record */
} hs_heap_warnings;

/* A page's run: objects of `size` bytes from page start + start_offset,
 * covering run_bytes bytes (0: no run); reciprocal = ceil(2^32 / size)
 * when size and run_bytes are below 2^16, else 0 (divide instead). */
typedef struct hs_page_run {
    int32_t start_offset;
    uint32_t run_bytes;
    uint32_t size;
    uint32_t reciprocal;
    uint32_t header; /* bytes of allocation header at the start of each slot (0 or 8); size counts slots */
} hs_page_run;

typedef struct hs_heap {
    const hs_dump *dump;
    hs_params params;
    hs_parse_warnings parse_warnings;
    hs_heap_warnings warnings;

    hs_object *objects; /* sorted by address, non-overlapping */
    uint8_t *flags;     /* HS_OBJECT_* per object */
    uint8_t *reachable; /* bit i (byte i / 8, bit i % 8): some root reaches object i (hs_object_is_reachable) */
    uint32_t object_count;

    hs_root *roots;
    uint32_t root_count;
    hs_goroutine *goroutines;
    uint32_t goroutine_count;

    /* Forward edges for every node (objects then roots): targets are objects.
     * out_start has node_count+1 entries; edges of node n are
     * out_target[out_start[n] .. out_start[n+1]). Pointers that land in no
     * object (outside the heap, in a free slot, in span metadata) are left out.
     * Edge offsets are 32-bit: a dump with 2^32 or more pointer edges is
     * refused (its edge arrays alone would need 32 GiB). All four edge
     * arrays are NULL in a heap built with reachability_only. */
    uint32_t *out_start;
    uint32_t *out_target;
    /* Reverse edges for objects: in_start has object_count+1 entries; the
     * sources of object i are in_source[in_start[i] .. in_start[i+1]). */
    uint32_t *in_start;
    uint32_t *in_source;
    uint64_t edge_count;

    /* Page index over [page_base, page_base + page_count*8192): first object
     * index whose end is above the page start; NULL when too sparse. */
    uint64_t page_base;
    uint64_t page_count;
    uint32_t *page_first;
    /* Per page, the run of equal-size objects laid end to end from
     * objects[page_first[p]]: a pointer into it finds its object by one
     * multiplication, touching no object. NULL when pages outnumber objects
     * too far for 16 bytes a page to be cheap. */
    struct hs_page_run *page_runs;

    /* Records kept by file offset for later analyses. */
    hs_sample *samples; /* alloc samples in file order */
    uint64_t sample_count;
    uint64_t *profile_offsets; /* file offsets of alloc/free profile records */
    uint64_t profile_count;
    hs_itab *itabs; /* in file order */
    uint64_t itab_count;
    uint64_t memstats[HS_MEMSTATS_COUNT];
    int has_memstats;
    uint64_t record_counts[HS_TAG_COUNT];
    uint64_t reachable_count, reachable_bytes; /* bytes in slots */
    uint64_t header_objects; /* objects with an allocation header (HS_OBJECT_HEADER) */

    /* How the load went, for tests and the benchmark: the offset from which
     * a second thread's reading of object records was kept (0 when one
     * thread read everything), the object records it read, and whether
     * the edge collection was split between two threads. */
    uint64_t split_parse_offset;
    uint64_t split_parse_objects;
    int split_work;
} hs_heap;

static inline uint32_t hs_heap_node_count(const hs_heap *heap)
{
    return heap->object_count + heap->root_count;
}

/* Reads every record of dump once and builds the model. The dump must outlive
 * the heap. Errors name the file, offset and record (see hs_record.h); a dump
 * whose objects overlap is refused with HS_ERR_FORMAT. */
int hs_heap_build(const hs_dump *dump, hs_heap **out, hs_error *err);

/* How hs_heap_build_with_options works; a zeroed struct gives the defaults. */
typedef void (*hs_progress_fn)(uint64_t done, uint64_t total, void *context);
typedef struct hs_heap_options {
    /* Called with (bytes_read, total_bytes, context) every few megabytes
     * while reading the records; NULL for none. */
    hs_progress_fn progress;
    void *progress_context;
    /* A dump of at least this many bytes is read by two threads: a second
     * one reads the object records from a guessed record boundary near the
     * middle, and its work is kept only when the first thread's own reading
     * lands exactly on that boundary (else the first thread reads on alone).
     * 0 means HS_SPLIT_PARSE_MIN_BYTES; UINT64_MAX never splits. */
    uint64_t split_parse_min_bytes;
    /* Where the boundary guess starts; 0 tries the middle of the dump, then
     * 3/8 and 1/4 of it (records after the objects can fill the end). */
    uint64_t split_parse_from;
    /* With more objects than this, the sort (by buckets), the page index,
     * the edge collection and the reachability marking use two threads.
     * 0 means HS_SPLIT_MIN_OBJECTS; UINT32_MAX never splits. */
    uint32_t split_min_objects;
    /* Objects are collected in buckets by address range, about one bucket
     * per this many bytes of dump, and sorted bucket by bucket.
     * 0 means HS_BUCKET_BYTES. */
    uint64_t bucket_bytes;
    /* Work beside the edges: once the object table, the page index, the
     * flags, the roots and the records are in, indexed(heap,
     * indexed_context) is called on the building thread (on every build
     * that succeeds; on none that fails before then). It may start threads
     * that read those, but not the edges, the reachability or the warnings;
     * the build writes no flag from then on. joined(context) must wait for
     * them: the build calls it before it returns with an error, and before
     * it returns at all unless return_before_joined is set; then the
     * caller calls it, before it frees the heap. NULL for none. */
    void (*indexed)(const struct hs_heap *heap, void *indexed_context);
    void (*joined)(void *indexed_context);
    void *indexed_context;
    int return_before_joined;
    /* Nonzero: build no edges. The reachability (the reachable bitmap,
     * reachable_count and reachable_bytes) is the same, found by walking the objects' pointer
     * slots from the roots, but out_start, out_target, in_start and
     * in_source stay NULL and edge_count 0: for queries that need only the
     * objects, their flags and types (--types, --histogram), in less memory
     * and with the second core left to the typing. */
    int reachability_only;
    /* Where the build's phases are timed (hs_timings_end on the building
     * thread, each phase as it ends; the indexed hook's time, up to its
     * return, counts as its own); NULL for none. */
    struct hs_timings *timings;
} hs_heap_options;

#define HS_BUCKET_BYTES ((uint64_t)1 << 20)

#define HS_SPLIT_PARSE_MIN_BYTES ((uint64_t)16 << 20)
#define HS_SPLIT_MIN_OBJECTS 100000u

/* As hs_heap_build, with options (NULL for the defaults). The model is the
 * same whether or not work was split between threads. */
int hs_heap_build_with_options(const hs_dump *dump, const hs_heap_options *options, hs_heap **out,
                               hs_error *err);

/* Writes one "heapspurs: warning: DUMP: ..." line to out per kind of damage
 * the load passed over or doubt it has (hs_parse_warnings, hs_heap_warnings);
 * nothing when there is none. */
void hs_heap_write_warnings(FILE *out, const hs_heap *heap);

/* Frees the heap (not the dump). Accepts NULL. */
void hs_heap_free(hs_heap *heap);

/* The object covering address, or HS_NO_NODE. When found and offset is not
 * NULL, *offset is address minus the object's (Go) address. Span-tail
 * records are never returned, nor is an object for an address inside its
 * allocation header (the runtime's word, which no Go value points to). */
hs_node hs_heap_find(const hs_heap *heap, uint64_t address, uint64_t *offset);

/* The nearest objects strictly below and above an address no object covers
 * (HS_NO_NODE where there is none). */
void hs_heap_neighbours(const hs_heap *heap, uint64_t address, hs_node *below, hs_node *above);

/* Field list of an object as the dump has it (offsets from the slot start). */
hs_fields hs_object_fields(const hs_heap *heap, hs_node object);

/* Starts an iteration over an object's pointer slots with hs_fields_next:
 * offsets from the Go object's start, only those inside it. */
void hs_object_fields_begin(const hs_heap *heap, hs_node object, hs_field_iter *iter);

/* Contents of an object (in the dump), from its Go address on. */
static inline const uint8_t *hs_object_contents(const hs_heap *heap, hs_node object)
{
    return heap->dump->data + heap->objects[object].contents_offset;
}

/* Bytes of allocation header before the object (0 or HS_ALLOCATION_HEADER_BYTES). */
static inline uint64_t hs_object_header_bytes(const hs_heap *heap, hs_node object)
{
    return (heap->flags[object] & HS_OBJECT_HEADER) ? HS_ALLOCATION_HEADER_BYTES : 0;
}

/* The slot the object occupies: its address and its size class, what the
 * dump's record says and what memory totals count. */
static inline uint64_t hs_object_slot_address(const hs_heap *heap, hs_node object)
{
    return heap->objects[object].address - hs_object_header_bytes(heap, object);
}

static inline uint64_t hs_object_slot_size(const hs_heap *heap, hs_node object)
{
    return heap->objects[object].size + hs_object_header_bytes(heap, object);
}

/* Whether some root reaches an object. */
static inline int hs_object_is_reachable(const hs_heap *heap, hs_node object)
{
    return (heap->reachable[object / 8] >> (object % 8)) & 1;
}

/* Whether an object is live: some root reaches it and it is a real object,
 * not Go 1.22+ span-tail metadata. The objects the site, histogram and
 * comparison reports count. */
static inline int hs_object_is_live(const hs_heap *heap, hs_node object)
{
    return hs_object_is_reachable(heap, object) && !(heap->flags[object] & HS_OBJECT_SPAN_TAIL);
}

/* The header word of an object that has one (the address of its type's
 * runtime descriptor), else 0. */
uint64_t hs_object_header_word(const hs_heap *heap, hs_node object);

/* The object whose slot starts exactly at slot_address (an object record's
 * address), span-tail records included, or HS_NO_NODE. */
hs_node hs_heap_object_at_slot(const hs_heap *heap, uint64_t slot_address);

/* Reads the pointer-sized word at byte offset `offset` of bytes. */
static inline uint64_t hs_heap_word(const hs_heap *heap, const uint8_t *bytes, uint64_t offset)
{
    return hs_load_word(bytes + offset, heap->params.pointer_size, heap->params.big_endian);
}

/* Calls visit(slot_offset, value, target, target_offset, context) for each
 * pointer slot of node (object or root) whose value lands in an object;
 * targets are HS_NO_NODE for values that land nowhere when include_dangling.
 * For a registered finalizer, the slots are those of its object (slot
 * offsets are then relative to the finalizer's object), plus its closure at
 * slot offset UINT64_MAX. Stops early and returns the first non-zero value
 * visit returns. */
typedef int (*hs_slot_visitor)(uint64_t slot_offset, uint64_t value, hs_node target, uint64_t target_offset,
                               void *context);
int hs_heap_visit_slots(const hs_heap *heap, hs_node node, int include_dangling, hs_slot_visitor visit,
                        void *context);

/* Address of a node: object start, or the root's address. */
uint64_t hs_node_address(const hs_heap *heap, hs_node node);

/* Name of a root kind as used in output: data, bss, frame, finalizer, otherroot. */
const char *hs_root_kind_name(enum hs_root_kind kind);

/* The root index of a goroutine's first frame, innermost first, that is
 * its own code: outside the runtime, internal/, sync. and time.Sleep (what
 * a goroutine is known by, rather than runtime.gopark); UINT32_MAX when it
 * has no frames or only such ones. */
uint32_t hs_goroutine_own_frame(const hs_heap *heap, const hs_goroutine *goroutine);

/* Index of the goroutine with this id, or UINT32_MAX. */
uint32_t hs_heap_goroutine_by_id(const hs_heap *heap, uint64_t goid);

#endif
