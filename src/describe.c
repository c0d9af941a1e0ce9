/* describe.c — the one describer: objects, roots, root slots, paths and stacks, as text and as JSON with a table of stacks. */
#include "hs_describe.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "hs_dominator.h"
#include "output.h"
#include "hs_sites.h"
#include "hs_symbols.h"
#include "hs_typing.h"

/* ---- text ---- */

/* "NAME @ 0x… with N pointers in S bytes", the --print line of an object. */
static void write_object_line(FILE *out, const hs_context *context, hs_node object)
{
    const hs_object *o = &context->heap->objects[object];
    char label[512];
    uint64_t count = hs_context_object_pointer_count(context, object);
    hs_write_text_cstring(out, hs_object_label(context, object, label, sizeof label) ? label : "Object");
    fprintf(out, " @ 0x%" PRIx64 " with %" PRIu64 " pointers in %" PRIu64 " bytes", o->address, count, o->size);
}

void hs_describe_object(FILE *out, const hs_context *context, hs_node object)
{
    write_object_line(out, context, object);
    char holder[512];
    int string;
    if (context->typing && hs_typing_holder(context->typing, object, holder, sizeof holder, &string)) {
        fputs(string ? ", bytes of string " : ", backing array of ", out);
        hs_write_text_cstring(out, holder);
    }
    char site[512];
    if (context->sites && hs_sites_label(context->sites, object, site, sizeof site)) {
        fputs(", allocated at ", out);
        hs_write_text_cstring(out, site);
    }
    if (context->dominators) {
        fputs(", ", out);
        hs_dominators_write_text(out, context->dominators, object);
    }
}

void hs_describe_object_brief(FILE *out, const hs_context *context, hs_node object)
{
    const hs_object *o = &context->heap->objects[object];
    fprintf(out, "0x%" PRIx64 " (%" PRIu64 " bytes", o->address, o->size);
    char label[512];
    if (hs_object_label(context, object, label, sizeof label)) {
        fputs(", ", out);
        hs_write_text_cstring(out, label);
    }
    char site[256];
    if (context->sites && hs_sites_label(context->sites, object, site, sizeof site)) {
        fputs(", allocated at ", out);
        hs_write_text(out, (const uint8_t *)site, strlen(site));
    }
    fputc(')', out);
}

void hs_describe_object_title(const hs_context *context, hs_node object, char *buffer, size_t size)
{
    char label[512], human[32];
    snprintf(buffer, size, "%s (%s)", hs_object_label(context, object, label, sizeof label) ? label : "Object",
             hs_human_size(context->heap->objects[object].size, human, sizeof human));
}

void hs_describe_root(FILE *out, const hs_context *context, hs_node node)
{
    const hs_heap *heap = context->heap;
    const hs_root *r = &heap->roots[node - heap->object_count];
    switch (r->kind) {
    case HS_ROOT_DATA:
    case HS_ROOT_BSS:
        fprintf(out, "%s @ 0x%" PRIx64 "-0x%" PRIx64 " with %" PRIu64 " pointers",
                r->kind == HS_ROOT_DATA ? "DataSegment" : "BssSegment", r->address, r->address + r->contents.length,
                r->fields.count);
        break;
    case HS_ROOT_FRAME:
        fprintf(out, "StackFrame[%" PRIu64 "] @ 0x%" PRIx64 ": ", r->depth, r->address);
        hs_write_text(out, r->name.data, r->name.length);
        fprintf(out, " with %" PRIu64 " pointers in %" PRIu64 " bytes; child = 0x%" PRIx64, r->fields.count,
                r->contents.length, r->child_sp);
        break;
    case HS_ROOT_FINALIZER:
        fprintf(out, "RegisteredFinalizer @ 0x%" PRIx64 ": FuncVal: 0x%" PRIx64, r->address, r->funcval);
        break;
    case HS_ROOT_QUEUED_FINALIZER:
        fprintf(out, "QueuedFinalizer @ 0x%" PRIx64 ": FuncVal: 0x%" PRIx64, r->address, r->funcval);
        break;
    case HS_ROOT_OTHER:
        fprintf(out, "OtherRoot @ 0x%" PRIx64 ": ", r->address);
        hs_write_text(out, r->name.data, r->name.length);
        break;
    }
}

void hs_describe_node(FILE *out, const hs_context *context, hs_node node)
{
    if (node < context->heap->object_count)
        hs_describe_object(out, context, node);
    else
        hs_describe_root(out, context, node);
}

uint64_t hs_describe_root_slot_address(const hs_heap *heap, const hs_path_step *root_step)
{
    const hs_root *r = &heap->roots[root_step->node - heap->object_count];
    if (r->kind == HS_ROOT_FINALIZER)
        return root_step->slot_offset == UINT64_MAX ? r->funcval : r->address + root_step->slot_offset;
    if (r->kind == HS_ROOT_QUEUED_FINALIZER || r->kind == HS_ROOT_OTHER)
        return r->address;
    return r->address + root_step->slot_offset;
}

void hs_describe_root_slot(FILE *out, const hs_context *context, const hs_path_step *step)
{
    const hs_heap *heap = context->heap;
    const hs_root *r = &heap->roots[step->node - heap->object_count];
    char symbol[512];
    switch (r->kind) {
    case HS_ROOT_DATA:
    case HS_ROOT_BSS: {
        uint64_t slot = r->address + step->slot_offset;
        if (hs_symbols_describe(context->symbols, slot, symbol, sizeof symbol)) {
            fputs("global ", out);
            hs_write_text(out, (const uint8_t *)symbol, strlen(symbol));
        } else {
            fprintf(out, "%s slot 0x%" PRIx64, r->kind == HS_ROOT_DATA ? "data" : "bss", slot);
        }
        break;
    }
    case HS_ROOT_FRAME:
        fputs("frame ", out);
        hs_write_text(out, r->name.data, r->name.length);
        if (r->goroutine != UINT32_MAX)
            fprintf(out, " of goroutine %" PRIu64, heap->goroutines[r->goroutine].goid);
        break;
    case HS_ROOT_FINALIZER:
        fprintf(out, "finalizer for 0x%" PRIx64 "%s", r->address, step->slot_offset == UINT64_MAX ? " (closure)" : "");
        break;
    case HS_ROOT_QUEUED_FINALIZER:
        fprintf(out, "queued finalizer for 0x%" PRIx64, r->address);
        break;
    case HS_ROOT_OTHER:
        fputs("other root ", out);
        hs_write_text(out, r->name.data, r->name.length);
        break;
    }
}

void hs_describe_frame_stack(FILE *out, const hs_context *context, hs_node frame_root, const char *sep)
{
    const hs_heap *heap = context->heap;
    const hs_root *frame = &heap->roots[frame_root - heap->object_count];
    if (frame->goroutine == UINT32_MAX) {
        fprintf(out, "[%" PRIu64 "] ", frame->depth);
        hs_write_text(out, frame->name.data, frame->name.length);
        return;
    }
    const hs_goroutine *g = &heap->goroutines[frame->goroutine];
    for (uint32_t i = 0; i < g->frame_count; i++) {
        const hs_root *f = &heap->roots[g->first_frame + i];
        fprintf(out, "%s[%" PRIu64 "] ", i ? sep : "", f->depth);
        hs_write_text(out, f->name.data, f->name.length);
    }
}

/* The Go field (with --program) from which the pointer of a path step
 * leaves: of the object, or of the global a data or BSS slot is in. */
static int step_field(const hs_context *context, const hs_path_step *step, int is_root, char *buffer, size_t size)
{
    buffer[0] = 0;
    if (!context->typing)
        return 0;
    if (!is_root)
        return hs_typing_field(context->typing, step->node, step->slot_offset, buffer, size);
    const hs_root *root = &context->heap->roots[step->node - context->heap->object_count];
    if (root->kind != HS_ROOT_DATA && root->kind != HS_ROOT_BSS)
        return 0;
    return hs_typing_global_field(context->typing, hs_describe_root_slot_address(context->heap, step), buffer, size);
}

/* Where a run of container parts (a map's tables and groups, a channel's
 * buffer) that starts at step i ends, before the path's last step: its last
 * step; i - 1 when the run is not to be folded (it leads to another part). */
static uint32_t part_run_end(const hs_context *context, const hs_path_step *steps, uint32_t length, uint32_t i)
{
    uint32_t j = i;
    while (j + 1 < length - 1 && hs_typing_is_container_part(context->typing, steps[j + 1].node))
        j++;
    /* Folded only when the run leads to a value, not to another part. */
    return hs_typing_is_container_part(context->typing, steps[j + 1].node) ? i - 1 : j;
}

void hs_describe_path(FILE *out, const hs_context *context, const hs_path_step *steps, uint32_t length,
                      uint32_t head, uint32_t tail)
{
    char text[512];
    if (length == 0)
        fputs("none (no root reaches it)", out);
    for (uint32_t i = 0; i < length; i++) {
        if ((head || tail) && length > head + tail + 1 && i == head) {
            fprintf(out, " -> … %" PRIu32 " more …", length - head - tail);
            i = length - tail - 1;
            continue;
        }
        if (i == 0) {
            hs_describe_root_slot(out, context, &steps[0]);
        } else if (i + 1 < length && hs_typing_is_container_part(context->typing, steps[i].node) &&
                   part_run_end(context, steps, length, i) >= i) {
            /* A map's or channel's internals read as what they hold. */
            uint32_t end = part_run_end(context, steps, length, i);
            fputs(" -> ", out);
            fputs(hs_typing_part_label(context->typing, steps[end].node, steps[end].slot_offset), out);
            i = end;
            continue;
        } else {
            fputs(" -> ", out);
            if (context->typing && hs_typing_name(context->typing, steps[i].node, text, sizeof text)) {
                hs_write_text_cstring(out, text);
                fputs(" @ ", out);
            }
            fprintf(out, "0x%" PRIx64, context->heap->objects[steps[i].node].address);
            if (steps[i - 1].target_offset)
                fprintf(out, "+0x%" PRIx64, steps[i - 1].target_offset);
        }
        /* The field the next pointer leaves from, unless the next steps fold into "value". */
        int folds = i + 2 < length && hs_typing_is_container_part(context->typing, steps[i + 1].node) &&
                    part_run_end(context, steps, length, i + 1) >= i + 1;
        if (i + 1 < length && !folds && step_field(context, &steps[i], i == 0, text, sizeof text)) {
            fputc(' ', out);
            hs_write_text_cstring(out, text);
        }
    }
}

void hs_describe_path_lines(FILE *out, const hs_context *context, const hs_path_step *steps, uint32_t length,
                            const char *indent)
{
    char field[512];
    uint32_t objects = length ? length - 1 : 0, half = HS_PATH_LINES_MAX / 2;
    for (uint32_t i = 1; i < length; i++) {
        if (objects > HS_PATH_LINES_MAX && i == 1 + half) {
            uint32_t skipped = objects - 2 * half;
            fprintf(out, "%s   ... %" PRIu32 " more objects (--format json lists every step) ...\n", indent, skipped);
            i += skipped - 1;
            continue;
        }
        fprintf(out, "%s-> ", indent);
        hs_describe_object(out, context, steps[i].node);
        if (steps[i - 1].target_offset)
            fprintf(out, ", reached at +0x%" PRIx64, steps[i - 1].target_offset);
        if (i + 1 < length) {
            fprintf(out, ", points on from +0x%" PRIx64, steps[i].slot_offset);
            if (step_field(context, &steps[i], 0, field, sizeof field)) {
                fputs(" (", out);
                hs_write_text_cstring(out, field);
                fputc(')', out);
            }
        }
        fputc('\n', out);
    }
}

/* ---- the stack table ---- */

enum stack_kind { STACK_BUCKET, STACK_GOROUTINE };

typedef struct stack_entry {
    enum stack_kind kind;
    uint32_t id; /* bucket or goroutine index */
    uint64_t hash;
} stack_entry;

struct hs_json_stacks {
    const hs_heap *heap;
    const hs_sites *sites;
    stack_entry *entries;
    uint32_t count;
    uint64_t capacity;
    uint32_t flushed;     /* entries written by hs_describe_json_flush_stacks */
    uint32_t *buckets;    /* open addressing by content hash: entry index + 1, 0 empty */
    uint32_t bucket_mask; /* size - 1 (a power of two), 0 before the first stack */
    /* Per kind, per profile bucket or goroutine: its entry index + 1, 0 not
     * yet added; made at the first stack of the kind, so that a stack
     * referred to again costs a lookup, not a hash of all its frames. */
    uint32_t *known[2];
    int failed;
};

/* One frame of an entry's stack: function, file (empty for goroutines), line (0). */
typedef struct stack_frame {
    hs_bytes function, file;
    uint64_t line;
    int has_location;
} stack_frame;

static uint32_t entry_frame_count(const hs_json_stacks *t, enum stack_kind kind, uint32_t id)
{
    return kind == STACK_BUCKET ? t->sites->buckets[id].frame_count : t->heap->goroutines[id].frame_count;
}

static stack_frame entry_frame(const hs_json_stacks *t, enum stack_kind kind, uint32_t id, uint32_t i)
{
    if (kind == STACK_BUCKET) {
        const hs_site_frame *f = &t->sites->frames[t->sites->buckets[id].first_frame + i];
        return (stack_frame){f->function, f->file, f->line, 1};
    }
    const hs_root *r = &t->heap->roots[t->heap->goroutines[id].first_frame + i];
    return (stack_frame){.function = r->name};
}

static uint64_t mix_bytes(uint64_t h, const hs_bytes *b)
{
    for (uint64_t i = 0; i < b->length; i++)
        h = (h ^ b->data[i]) * 0x100000001b3u;
    return (h ^ 0xff) * 0x100000001b3u;
}

static uint64_t stack_hash(const hs_json_stacks *t, enum stack_kind kind, uint32_t id)
{
    uint64_t h = 0xcbf29ce484222325u ^ (uint64_t)kind;
    uint32_t n = entry_frame_count(t, kind, id);
    for (uint32_t i = 0; i < n; i++) {
        stack_frame f = entry_frame(t, kind, id, i);
        h = mix_bytes(mix_bytes(h, &f.function), &f.file);
        h = (h ^ f.line) * 0x100000001b3u;
    }
    return h;
}

static int bytes_equal(const hs_bytes *a, const hs_bytes *b)
{
    return a->length == b->length && (a->length == 0 || memcmp(a->data, b->data, a->length) == 0);
}

static int same_stack(const hs_json_stacks *t, const stack_entry *e, enum stack_kind kind, uint32_t id)
{
    if (e->kind != kind)
        return 0;
    if (e->id == id)
        return 1;
    uint32_t n = entry_frame_count(t, kind, id);
    if (entry_frame_count(t, e->kind, e->id) != n)
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        stack_frame a = entry_frame(t, e->kind, e->id, i), b = entry_frame(t, kind, id, i);
        if (a.line != b.line || !bytes_equal(&a.function, &b.function) || !bytes_equal(&a.file, &b.file))
            return 0;
    }
    return 1;
}

/* Doubles the hash index (or makes the first one) and re-inserts every entry. */
static int grow_index(hs_json_stacks *t)
{
    uint32_t size = t->bucket_mask ? 2 * (t->bucket_mask + 1) : 64;
    uint32_t *buckets = calloc(size, sizeof *buckets);
    if (!buckets)
        return -1;
    for (uint32_t e = 0; e < t->count; e++) {
        uint32_t at = (uint32_t)t->entries[e].hash & (size - 1);
        while (buckets[at])
            at = (at + 1) & (size - 1);
        buckets[at] = e + 1;
    }
    free(t->buckets);
    t->buckets = buckets;
    t->bucket_mask = size - 1;
    return 0;
}

static uint32_t add_stack(hs_json_stacks *t, enum stack_kind kind, uint32_t id)
{
    if (!t || t->failed)
        return UINT32_MAX;
    if (!t->known[kind]) {
        uint32_t ids = kind == STACK_BUCKET ? t->sites->bucket_count : t->heap->goroutine_count;
        if (!(t->known[kind] = calloc((size_t)ids + 1, sizeof *t->known[kind]))) {
            t->failed = 1;
            return UINT32_MAX;
        }
    }
    if (t->known[kind][id])
        return t->known[kind][id] - 1;
    uint64_t hash = stack_hash(t, kind, id);
    if (t->bucket_mask) {
        for (uint32_t at = (uint32_t)hash & t->bucket_mask; t->buckets[at]; at = (at + 1) & t->bucket_mask) {
            const stack_entry *e = &t->entries[t->buckets[at] - 1];
            if (e->hash == hash && same_stack(t, e, kind, id)) {
                t->known[kind][id] = t->buckets[at];
                return t->buckets[at] - 1;
            }
        }
    }
    /* Keep the index at most half full. */
    if ((!t->bucket_mask || (uint64_t)(t->count + 1) * 2 > (uint64_t)t->bucket_mask + 1) && grow_index(t) < 0) {
        t->failed = 1;
        return UINT32_MAX;
    }
    if (t->count == UINT32_MAX - 1 || HS_ARRAY_RESERVE(t->entries, &t->capacity, (uint64_t)t->count + 1) < 0) {
        t->failed = 1;
        return UINT32_MAX;
    }
    t->entries[t->count] = (stack_entry){kind, id, hash};
    uint32_t at = (uint32_t)hash & t->bucket_mask;
    while (t->buckets[at])
        at = (at + 1) & t->bucket_mask;
    t->buckets[at] = t->count + 1;
    t->known[kind][id] = t->count + 1;
    return t->count++;
}

uint32_t hs_describe_bucket_stack(const hs_context *json_context, uint32_t bucket)
{
    return json_context->sites ? add_stack(json_context->stacks, STACK_BUCKET, bucket) : UINT32_MAX;
}

uint32_t hs_describe_goroutine_stack(const hs_context *json_context, uint32_t goroutine)
{
    return add_stack(json_context->stacks, STACK_GOROUTINE, goroutine);
}

int hs_describe_json_begin(const hs_context *context, hs_context *json_context, hs_error *err)
{
    *json_context = *context;
    hs_json_stacks *t = calloc(1, sizeof *t);
    if (!t)
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory starting a JSON document");
    t->heap = context->heap;
    t->sites = context->sites;
    json_context->stacks = t;
    return HS_OK;
}

static void write_stack_frames(FILE *out, const hs_json_stacks *t, const stack_entry *e)
{
    fputc('[', out);
    uint32_t n = entry_frame_count(t, e->kind, e->id);
    for (uint32_t i = 0; i < n; i++) {
        stack_frame f = entry_frame(t, e->kind, e->id, i);
        fputs(i ? ",{\"function\":" : "{\"function\":", out);
        hs_write_json_string(out, f.function.data, f.function.length);
        if (f.has_location) {
            fputs(",\"file\":", out);
            hs_write_json_string(out, f.file.data, f.file.length);
            fprintf(out, ",\"line\":%" PRIu64 "}", f.line);
        } else {
            fputs(",\"file\":null,\"line\":null}", out);
        }
    }
    fputc(']', out);
}

static void free_stacks(hs_json_stacks *t)
{
    if (!t)
        return;
    free(t->entries);
    free(t->buckets);
    free(t->known[STACK_BUCKET]);
    free(t->known[STACK_GOROUTINE]);
    free(t);
}

int hs_describe_json_end(FILE *out, hs_context *json_context, hs_error *err)
{
    hs_json_stacks *t = json_context->stacks;
    json_context->stacks = NULL;
    if (!t)
        return HS_OK;
    fputs(",\"stacks\":[", out);
    for (uint32_t e = 0; e < t->count; e++) {
        if (e)
            fputc(',', out);
        write_stack_frames(out, t, &t->entries[e]);
    }
    fputc(']', out);
    int failed = t->failed;
    free_stacks(t);
    return failed ? hs_error_set(err, HS_ERR_NOMEM, "out of memory collecting the stacks of a JSON document") : HS_OK;
}

void hs_describe_json_abandon(hs_context *json_context)
{
    free_stacks(json_context->stacks);
    json_context->stacks = NULL;
}

void hs_describe_json_flush_stacks(FILE *out, const hs_context *json_context)
{
    hs_json_stacks *t = json_context->stacks;
    for (; t && t->flushed < t->count; t->flushed++) {
        fprintf(out, "{\"record\":\"stack\",\"index\":%" PRIu32 ",\"frames\":", t->flushed);
        write_stack_frames(out, t, &t->entries[t->flushed]);
        fputs("}\n", out);
    }
}

void hs_describe_stack_json(FILE *out, uint32_t index)
{
    if (index == UINT32_MAX)
        fputs("\"stack\":null", out);
    else
        fprintf(out, "\"stack\":%" PRIu32, index);
}

/* ---- JSON ---- */

void hs_describe_frame_json(FILE *out, const hs_site_frame *frame)
{
    fputs("\"function\":", out);
    hs_write_json_string(out, frame->function.data, frame->function.length);
    fputs(",\"file\":", out);
    hs_write_json_string(out, frame->file.data, frame->file.length);
    fprintf(out, ",\"line\":%" PRIu64, frame->line);
}

void hs_describe_site_json(FILE *out, const hs_context *json_context, hs_node object)
{
    const hs_sites *sites = json_context->sites;
    uint32_t bucket = hs_sites_object_bucket(sites, object);
    if (bucket == UINT32_MAX) {
        fputs("\"site\":null", out);
        return;
    }
    fputs("\"site\":{", out);
    hs_describe_frame_json(out, &sites->sites[sites->buckets[bucket].site].frame);
    fputc(',', out);
    hs_describe_stack_json(out, hs_describe_bucket_stack(json_context, bucket));
    fputc('}', out);
}

/* The descriptor's members, without the closing brace. */
static void write_object_json_open(FILE *out, const hs_context *json_context, hs_node object, int has_offset,
                                   uint64_t offset)
{
    const hs_heap *heap = json_context->heap;
    const hs_object *o = &heap->objects[object];
    fprintf(out, "{\"address\":\"0x%" PRIx64 "\",\"size\":%" PRIu64 ",\"slot\":%" PRIu64, o->address, o->size,
            hs_object_slot_size(heap, object));
    if (has_offset)
        fprintf(out, ",\"offset\":%" PRIu64, offset);
    fputs(",\"name\":", out);
    hs_write_json_cstring(out, hs_object_name(json_context, object));
    if (json_context->typing) {
        char type[512];
        fputs(",\"type\":", out);
        hs_write_json_cstring(out, hs_typing_name(json_context->typing, object, type, sizeof type) ? type : NULL);
        char holder[512];
        int string;
        if (hs_typing_holder(json_context->typing, object, holder, sizeof holder, &string)) {
            fprintf(out, ",\"holder\":{\"kind\":\"%s\",\"name\":", string ? "string" : "slice");
            hs_write_json_cstring(out, holder);
            fputc('}', out);
        }
    }
    fprintf(out, ",\"reachable\":%s", hs_object_is_reachable(heap, object) ? "true" : "false");
    if (json_context->sites) {
        fputc(',', out);
        hs_describe_site_json(out, json_context, object);
    }
    if (json_context->dominators) {
        fputc(',', out);
        hs_dominators_write_json(out, json_context->dominators, object);
    }
}

void hs_describe_object_json(FILE *out, const hs_context *json_context, hs_node object, int has_offset,
                             uint64_t offset)
{
    write_object_json_open(out, json_context, object, has_offset, offset);
    fputc('}', out);
}

/* hs_describe_root_slot as a callback of hs_write_json_of. */
struct root_slot_text {
    const hs_context *context;
    const hs_path_step *step;
};

static void write_root_slot_text(FILE *out, const void *argument)
{
    const struct root_slot_text *what = argument;
    hs_describe_root_slot(out, what->context, what->step);
}

void hs_describe_root_slot_json(FILE *out, const hs_context *json_context, const hs_path_step *root_step)
{
    const hs_heap *heap = json_context->heap;
    const hs_root *r = &heap->roots[root_step->node - heap->object_count];
    uint64_t slot = hs_describe_root_slot_address(heap, root_step);
    char symbol[512];
    int segment = r->kind == HS_ROOT_DATA || r->kind == HS_ROOT_BSS;
    fprintf(out, "{\"kind\":\"%s\",\"queued\":%s,\"root\":\"0x%" PRIx64 "\",\"slot\":\"0x%" PRIx64 "\",\"symbol\":",
            hs_root_kind_name(r->kind), r->kind == HS_ROOT_QUEUED_FINALIZER ? "true" : "false", r->address, slot);
    hs_write_json_cstring(out, segment && hs_symbols_describe(json_context->symbols, slot, symbol, sizeof symbol)
                                   ? symbol
                                   : NULL);
    fputs(",\"description\":", out);
    const struct root_slot_text what = {json_context, root_step};
    hs_write_json_of(out, write_root_slot_text, &what);
    fputs(",\"function\":", out);
    if (r->kind == HS_ROOT_FRAME)
        hs_write_json_string(out, r->name.data, r->name.length);
    else
        fputs("null", out);
    if (r->kind == HS_ROOT_FRAME && r->goroutine != UINT32_MAX) {
        fprintf(out, ",\"goroutine\":%" PRIu64 ",", heap->goroutines[r->goroutine].goid);
        hs_describe_stack_json(out, hs_describe_goroutine_stack(json_context, r->goroutine));
    } else {
        fputs(",\"goroutine\":null,\"stack\":null", out);
    }
    fputc('}', out);
}

void hs_describe_path_json_members(FILE *out, const hs_context *json_context, const hs_path_step *steps,
                                   uint32_t length)
{
    char field[512];
    fputs("\"root\":", out);
    hs_describe_root_slot_json(out, json_context, &steps[0]);
    if (json_context->typing) {
        fputs(",\"field\":", out);
        hs_write_json_cstring(out, length > 1 && step_field(json_context, &steps[0], 1, field, sizeof field) ? field
                                                                                                          : NULL);
    }
    fputs(",\"objects\":[", out);
    for (uint32_t i = 1; i < length; i++) {
        if (i > 1)
            fputc(',', out);
        write_object_json_open(out, json_context, steps[i].node, steps[i - 1].target_offset != 0,
                               steps[i - 1].target_offset);
        if (json_context->typing) {
            /* The field the next pointer leaves from; a map's or channel's internals say so. */
            fputs(",\"field\":", out);
            hs_write_json_cstring(out, i + 1 < length && step_field(json_context, &steps[i], 0, field, sizeof field)
                                           ? field : NULL);
            fprintf(out, ",\"container_part\":%s",
                    hs_typing_is_container_part(json_context->typing, steps[i].node) ? "true" : "false");
        }
        fputc('}', out);
    }
    fputc(']', out);
}

void hs_describe_path_json(FILE *out, const hs_context *json_context, const hs_path_step *steps, uint32_t length)
{
    if (length == 0) {
        fputs("null", out);
        return;
    }
    fputc('{', out);
    hs_describe_path_json_members(out, json_context, steps, length);
    fputc('}', out);
}
