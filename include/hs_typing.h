/* hs_typing.h — the Go type of every heap object: from allocation headers, then from typed roots along every typed pointer, checked against the dump's pointer layout. */
#ifndef HS_TYPING_H
#define HS_TYPING_H

#include <stdint.h>
#include <stdio.h>

#include "hs_error.h"
#include "hs_heap.h"
#include "hs_symbols.h"
#include "hs_types.h"

/* How an object's type was found. */
enum {
    HS_TYPED_BY_HEADER = 1 << 0, /* its Go 1.22+ allocation header names the type: ground truth */
    HS_TYPED_COUNT_FROM_SLOT = 1 << 1, /* the element count is what fits in the object, not one a slice gave */
    HS_TYPED_CHANNEL_BUFFER = 1 << 2   /* a channel's buffer, typed through its hchan */
};

/* A typing: `count` values of `type` from the object's start. */
typedef struct hs_typing_entry {
    hs_type_id type;
    uint32_t flags;
    uint64_t count;
} hs_typing_entry;

typedef struct hs_typing {
    const hs_heap *heap;
    hs_types *types;            /* borrowed; may grow (descriptor-made types) while building */
    /* Per object: its index into entries, 0 when untyped; 16-bit while
     * there are fewer than 65,536 entries (object_entry_wide NULL), 32-bit
     * from then on. Read it with hs_typing_entry_index. */
    uint16_t *object_entry;
    uint32_t *object_entry_wide;
    hs_typing_entry *entries;   /* distinct typings; [0] is untyped */
    uint32_t entry_count;
    /* What was found. */
    uint64_t header_typed;               /* objects typed by their allocation header */
    uint64_t refused;  /* typings refused because the type's pointer words are not the dump's pointer slots */
    uint64_t pointer_words_checked;
} hs_typing;

/* Types the heap's objects with types (DWARF, or only descriptors when the
 * program had none) and symbols (for descriptors in .rodata; may be NULL):
 *  1. every object with an allocation header gets the header's type (as
 *     many values of it as fit: a backing array's count comes from a slice
 *     pointing at it, when one does);
 *  2. globals (DWARF variables over the data and BSS records), frame
 *     variables at the frame's pc (intersected with the frame's live
 *     pointer slots) and finalizers' objects give typed pointers;
 *  3. typings spread along every typed pointer: *T, slices, strings,
 *     interfaces (type words and itabs), maps (hmap and Swiss tables),
 *     channels' buffers and closures.
 * A typing is taken only when the type's pointer words are exactly the
 * dump's pointer slots over the object's typed bytes, and the larger typing
 * at an object's start wins; a header's type is never replaced. Pointers
 * into the middle of an untyped object are followed but leave it untyped.
 * It reads the object table, the page index, the roots and the dump, never
 * the edges or the reachability flags: it may run while hs_heap_build's
 * edges are built (see hs_heap_options.indexed). Errors: HS_ERR_NOMEM.
 * Free with hs_typing_free. */
int hs_typing_build(const hs_heap *heap, hs_types *types, const hs_symbols *symbols, hs_typing **out, hs_error *err);

/* As hs_typing_build, the per-object index moving from 16 to 32 bits
 * once there are more than narrow_entries typings (hs_typing_build: 65,535,
 * the most 16 bits hold; larger values mean the same). Tests pass a small
 * number to exercise the move. */
int hs_typing_build_narrow(const hs_heap *heap, hs_types *types, const hs_symbols *symbols, uint32_t narrow_entries,
                           hs_typing **out, hs_error *err);

void hs_typing_free(hs_typing *typing);

/* The index of an object's typing among typing->entries (0: untyped). */
static inline uint32_t hs_typing_entry_index(const hs_typing *typing, hs_node object)
{
    return typing->object_entry_wide ? typing->object_entry_wide[object] : typing->object_entry[object];
}

/* The typing of an object, or NULL when it is untyped. typing may be NULL. */
static inline const hs_typing_entry *hs_typing_of(const hs_typing *typing, hs_node object)
{
    uint32_t entry = typing ? hs_typing_entry_index(typing, object) : 0;
    return entry ? &typing->entries[entry] : NULL;
}

/* Writes the object's type name ("main.Request", "[25]main.Header",
 * "map[int64]*main.Request") into buffer (size >= 1) and returns 1, or
 * empties it and returns 0 when the object is untyped. */
int hs_typing_name(const hs_typing *typing, hs_node object, char *buffer, unsigned long size);

/* Whether the object is part of a container rather than a value of its
 * own: a map's internals (directory, tables, groups, buckets) or a
 * channel's buffer. Reports fold such objects into the map or channel. */
int hs_typing_is_container_part(const hs_typing *typing, hs_node object);

/* Writes the Go field that holds byte `offset` of a typed object
 * (".Session", "[3].Next") into buffer (size >= 1) and returns 1; 0 (buffer
 * emptied) when the object is untyped or the offset is in no field. */
int hs_typing_field(const hs_typing *typing, hs_node object, uint64_t offset, char *buffer, unsigned long size);

/* The same for a root slot: the field of the DWARF global covering address
 * (".items" of main.cache); 0 when no typed global covers it. */
int hs_typing_global_field(const hs_typing *typing, uint64_t address, char *buffer, unsigned long size);

/* Names what holds an array object as its backing store: the slice or
 * string (a global's, "main.recent", or a typed object's field,
 * "main.Request.Headers") whose data word points at the array's start;
 * *string says it is a string's bytes. Returns 1, or 0 (buffer emptied)
 * for an object typed as one value, or when none of its first 8 owners
 * holds it so (a slice's pointer into the middle, an untyped owner, a
 * frame, a slot past an owner's first 4,096 pointer slots or a segment's
 * first 2^20), or in a heap built without edges. Reads the heap's reverse
 * edges. */
int hs_typing_holder(const hs_typing *typing, hs_node object, char *buffer, unsigned long size, int *string);

/* What a run of container parts stands for between a container and the
 * value it leads to, from the field of the last part that points on:
 * "value" or "key" for a map, "buffer" for a channel. */
const char *hs_typing_part_label(const hs_typing *typing, hs_node last_part, uint64_t offset);

/* Names the frame variable (and field) whose bytes hold the frame's slot
 * at byte `offset` from its sp, with its type: "req (*main.Request)",
 * "s.buf ([]uint8)"; returns 1, or 0 (buffer emptied) when DWARF places no
 * variable there at the frame's pc. */
int hs_typing_frame_slot(const hs_typing *typing, const hs_root *frame, uint64_t offset, char *buffer,
                         unsigned long size);

struct hs_context;
enum hs_format;

/* --types: live objects and bytes per Go type (a row per type name, the
 * untyped objects in one row), by bytes, the first `limit` rows (0: all);
 * with the context's dominators, each row's retained size, objects other
 * objects of the row dominate counted once. Needs context->typing
 * (HS_ERR_USAGE without). docs/json.md gives the JSON. */
int hs_report_types(FILE *out, const struct hs_context *context, enum hs_format format, uint64_t limit, hs_error *err);

/* --fields: one object as Go fields, a line (a JSON member) per field:
 * offset, name, type and value; pointers with their target object. An
 * untyped object is said to be untyped, with its pointer slots. */
int hs_report_fields(FILE *out, const struct hs_context *context, hs_node object, enum hs_format format,
                     hs_error *err);

#endif
