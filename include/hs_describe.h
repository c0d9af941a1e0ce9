/* hs_describe.h — the one describer: how an object, a root, a root slot, a path and a stack read in text and JSON, in every report. */
#ifndef HS_DESCRIBE_H
#define HS_DESCRIBE_H

#include <stdint.h>
#include <stdio.h>

#include "hs_context.h"
#include "hs_error.h"

/* One hop of a path: `node` holds a pointer at byte `slot_offset` (relative
 * to the node's start; for a registered finalizer, to its object; UINT64_MAX
 * for a finalizer's closure) that lands `target_offset` bytes into the next
 * step's object. A path is an array of steps, the root first. */
typedef struct hs_path_step {
    hs_node node;
    uint64_t slot_offset;
    uint64_t target_offset;
} hs_path_step;

/* ---- text ---- */

/* "Object @ 0x… with N pointers in S bytes" (the --oid name instead of
 * "Object" when there is one), then ", allocated at SITE" and ", retains …"
 * where the context knows them. */
void hs_describe_object(FILE *out, const hs_context *context, hs_node object);

/* "0x… (S bytes, NAME, allocated at SITE)": the short form of reports that
 * list many objects. */
void hs_describe_object_brief(FILE *out, const hs_context *context, hs_node object);

/* "NAME (S)" with S a human size ("main.Record (48 B)", "Object (1 KiB)"),
 * into buffer (size >= 1): the graph's node title. */
void hs_describe_object_title(const hs_context *context, hs_node object, char *buffer, size_t size);

/* A root's line: "BssSegment @ 0x..-0x.. with N pointers",
 * "StackFrame[2] @ 0x...: main.main with ...", "RegisteredFinalizer @ 0x...". */
void hs_describe_root(FILE *out, const hs_context *context, hs_node root);

/* An object (hs_describe_object) or a root (hs_describe_root). */
void hs_describe_node(FILE *out, const hs_context *context, hs_node node);

/* The root slot a path starts from, in a few words: "global main.leaked"
 * (with --program), "bss slot 0x…", "frame main.f of goroutine 7",
 * "finalizer for 0x…", "queued finalizer for 0x…", "other root …". */
void hs_describe_root_slot(FILE *out, const hs_context *context, const hs_path_step *root_step);

/* The goroutine stack of a frame root, innermost first, one "[depth] function"
 * per frame, separated by sep. */
void hs_describe_frame_stack(FILE *out, const hs_context *context, hs_node frame_root, const char *sep);

/* A path on one line: "ROOT SLOT -> 0x… -> 0x…+0x8"; a path of more than
 * head + tail + 1 steps shows its first `head` and last `tail` with
 * "-> … N more …" between them (head and tail 0: the whole path); "none
 * (no root reaches it)" for an empty one. */
void hs_describe_path(FILE *out, const hs_context *context, const hs_path_step *steps, uint32_t length,
                      uint32_t head, uint32_t tail);

/* A path a line a step, each line starting with `indent`: the root slot,
 * then "  -> " and each object (hs_describe_object), with ", reached at
 * +0x…" where the pointer lands inside it and ", points on from +0x…" where
 * it points on. A path of more than HS_PATH_LINES_MAX objects shows its
 * first and last HS_PATH_LINES_MAX / 2 and one line saying how many are
 * left out (JSON lists every step). */
#define HS_PATH_LINES_MAX 64u
void hs_describe_path_lines(FILE *out, const hs_context *context, const hs_path_step *steps, uint32_t length,
                            const char *indent);

/* ---- JSON ---- */

/* The stacks a JSON document refers to (allocation stacks of sites,
 * goroutine stacks), each written once in the document's "stacks" table and
 * referred to by its index ("stack": 3). A JSON report makes one with
 * hs_describe_json_begin and writes it with hs_describe_json_end. */
typedef struct hs_json_stacks hs_json_stacks;

/* Copies context into json_context with a new, empty stack table. */
int hs_describe_json_begin(const hs_context *context, hs_context *json_context, hs_error *err);

/* Writes `,"stacks":[…]` (the table; every stack an array of
 * {"function","file","line"} frames, innermost first) and frees the table.
 * Fails with HS_ERR_NOMEM when the table could not hold a stack. */
int hs_describe_json_end(FILE *out, hs_context *json_context, hs_error *err);

/* Frees the table without writing it (JSON Lines, error paths); does nothing without one. */
void hs_describe_json_abandon(hs_context *json_context);

/* For JSON Lines: writes one `{"record":"stack","index":N,"frames":[…]}`
 * line for every stack added to the table since the last call. */
void hs_describe_json_flush_stacks(FILE *out, const hs_context *json_context);

/* The index of a profile bucket's stack (hs_sites) or a goroutine's stack
 * (of its frames' functions; file and line null) in the context's table,
 * adding it when new; UINT32_MAX without a table or when out of memory. */
uint32_t hs_describe_bucket_stack(const hs_context *json_context, uint32_t bucket);
uint32_t hs_describe_goroutine_stack(const hs_context *json_context, uint32_t goroutine);

/* `"function":…,"file":…,"line":N` of a frame, no braces. */
struct hs_site_frame;
void hs_describe_frame_json(FILE *out, const struct hs_site_frame *frame);

/* `"stack":N` or `"stack":null`, no leading comma. */
void hs_describe_stack_json(FILE *out, uint32_t index);

/* `"site":{"function","file","line","stack":N}` or `"site":null`, no
 * leading comma: the object's allocation site and its whole stack. */
void hs_describe_site_json(FILE *out, const hs_context *json_context, hs_node object);

/* The object descriptor: {"address","size","slot","offset" (only when
 * has_offset),"name","reachable","site","retained" (when known)}. */
void hs_describe_object_json(FILE *out, const hs_context *json_context, hs_node object, int has_offset,
                             uint64_t offset);

/* The root-slot descriptor: {"kind","queued","root","slot","symbol",
 * "description","function","goroutine","stack"}; see docs/json.md. */
void hs_describe_root_slot_json(FILE *out, const hs_context *json_context, const hs_path_step *root_step);

/* The one path shape: {"root": ROOT SLOT, "objects": [DESCRIPTOR, …]},
 * each descriptor's "offset" saying where the previous pointer landed. */
void hs_describe_path_json(FILE *out, const hs_context *json_context, const hs_path_step *steps, uint32_t length);

/* The members of the path shape, `"root":…,"objects":[…]`, without the
 * braces: for reports that add their own members to a path (length >= 1). */
void hs_describe_path_json_members(FILE *out, const hs_context *json_context, const hs_path_step *steps,
                                   uint32_t length);

/* The address of the pointer slot a root step names: the segment or frame
 * slot, the slot in a finalizer's object or its closure (funcval), the
 * object of a queued finalizer or other root. */
uint64_t hs_describe_root_slot_address(const hs_heap *heap, const hs_path_step *root_step);

#endif
