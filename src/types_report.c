/* types_report.c — the reports over Go types: live objects and bytes per type (--types), and one object as Go fields (--fields). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hs_describe.h"
#include "hs_dominator.h"
#include "hs_typing.h"
#include "output.h"

#define TYPE_NAME_MAX 512

typedef struct type_row {
    uint32_t first_entry; /* a typing of the row, for its name; 0 for the untyped row */
    uint64_t objects, bytes;
    uint64_t retained_bytes, retained_objects;
} type_row;

typedef struct named_entry {
    uint32_t entry;
    char name[TYPE_NAME_MAX];
} named_entry;

static int compare_named(const void *a, const void *b)
{
    return strcmp(((const named_entry *)a)->name, ((const named_entry *)b)->name);
}

static int compare_type_rows(const void *a, const void *b)
{
    const type_row *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes > y->bytes ? -1 : 1;
    if (x->objects != y->objects)
        return x->objects > y->objects ? -1 : 1;
    return x->first_entry < y->first_entry ? -1 : x->first_entry > y->first_entry;
}

/* Rows are one per type name ("main.Request", "[25]main.Header"), the untyped objects in row 0. */
static int build_rows(const hs_typing *typing, uint32_t **entry_row, type_row **rows, uint32_t *row_count)
{
    uint32_t n = typing->entry_count;
    named_entry *named = malloc((n ? n : 1) * sizeof *named);
    *entry_row = calloc(n ? n : 1, sizeof **entry_row);
    *rows = calloc((uint64_t)n + 1, sizeof **rows);
    if (!named || !*entry_row || !*rows) {
        free(named);
        return -1;
    }
    for (uint32_t e = 1; e < n; e++) {
        named[e - 1].entry = e;
        hs_types_name(typing->types, typing->entries[e].type, typing->entries[e].count, named[e - 1].name,
                      sizeof named[e - 1].name);
    }
    qsort(named, n - 1, sizeof *named, compare_named);
    uint32_t count = 1;
    for (uint32_t i = 0; i + 1 < n; i++) {
        if (i == 0 || strcmp(named[i].name, named[i - 1].name))
            (*rows)[count++].first_entry = named[i].entry;
        (*entry_row)[named[i].entry] = count - 1;
    }
    free(named);
    *row_count = count;
    return 0;
}

int hs_report_types(FILE *out, const hs_context *context, enum hs_format format, uint64_t limit, hs_error *err)
{
    const hs_heap *heap = context->heap;
    const hs_typing *typing = context->typing;
    const hs_dominators *dominators = context->dominators;
    if (!typing)
        return hs_error_set(err, HS_ERR_USAGE, "--types needs --program BINARY (the types are in its DWARF)");
    uint32_t *entry_row = NULL, row_count = 0;
    type_row *rows = NULL;
    if (build_rows(typing, &entry_row, &rows, &row_count) < 0) {
        free(entry_row);
        free(rows);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory counting types", heap->dump->name);
    }
    uint64_t live_objects = 0, live_bytes = 0;
    uint32_t *object_row = dominators ? malloc((heap->object_count ? heap->object_count : 1) * sizeof *object_row) : NULL;
    if (dominators && !object_row) {
        free(entry_row);
        free(rows);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory counting types", heap->dump->name);
    }
    for (hs_node i = 0; i < heap->object_count; i++) {
        if (object_row)
            object_row[i] = UINT32_MAX;
        if (!hs_object_is_live(heap, i))
            continue;
        uint32_t row = entry_row[hs_typing_entry_index(typing, i)];
        uint64_t slot = hs_object_slot_size(heap, i);
        rows[row].objects++;
        rows[row].bytes += slot;
        live_objects++;
        live_bytes += slot;
        if (object_row)
            object_row[i] = row;
    }
    int status = HS_OK;
    if (dominators) {
        uint64_t *bytes = calloc(row_count, sizeof *bytes), *objects = calloc(row_count, sizeof *objects);
        if (!bytes || !objects || hs_dominators_sum_retained(dominators, object_row, row_count, bytes, objects) < 0)
            status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory summing retained sizes per type",
                                  heap->dump->name);
        for (uint32_t r = 0; status == HS_OK && r < row_count; r++) {
            rows[r].retained_bytes = bytes[r];
            rows[r].retained_objects = objects[r];
        }
        free(bytes);
        free(objects);
    }
    free(object_row);
    free(entry_row);
    if (status < 0) {
        free(rows);
        return status;
    }
    /* Rows with no live object (garbage only) are left out. */
    uint32_t kept = 0;
    for (uint32_t r = 0; r < row_count; r++)
        if (rows[r].objects)
            rows[kept++] = rows[r];
    qsort(rows, kept, sizeof *rows, compare_type_rows);
    uint64_t shown = limit && limit < kept ? limit : kept;
    uint64_t typed_bytes = 0, omitted_objects = 0, omitted_bytes = 0;
    for (uint32_t r = 0; r < kept; r++) {
        if (rows[r].first_entry)
            typed_bytes += rows[r].bytes;
        if (r >= shown) {
            omitted_objects += rows[r].objects;
            omitted_bytes += rows[r].bytes;
        }
    }
    char name[TYPE_NAME_MAX];
    if (format == HS_FORMAT_JSON) {
        fprintf(out, "{\"live\":{\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"typed_bytes\":%" PRIu64 "},\"types\":[",
                live_objects, live_bytes, typed_bytes);
        for (uint64_t r = 0; r < shown; r++) {
            const type_row *row = &rows[r];
            fputs(r ? ",{\"type\":" : "{\"type\":", out);
            if (row->first_entry) {
                const hs_typing_entry *entry = &typing->entries[row->first_entry];
                hs_types_name(typing->types, entry->type, entry->count, name, sizeof name);
                hs_write_json_cstring(out, name);
            } else {
                fputs("null", out);
            }
            fprintf(out, ",\"count\":%" PRIu64 ",\"bytes\":%" PRIu64, row->objects, row->bytes);
            if (dominators)
                fprintf(out, ",\"retained\":{\"bytes\":%" PRIu64 ",\"objects\":%" PRIu64 "}", row->retained_bytes,
                        row->retained_objects);
            fputc('}', out);
        }
        fprintf(out, "],\"omitted\":{\"types\":%" PRIu64 ",\"objects\":%" PRIu64 ",\"bytes\":%" PRIu64 "}}\n",
                kept - shown, omitted_objects, omitted_bytes);
    } else {
        fprintf(out, "Live objects by Go type (%u type%s; %.1f%% of live bytes typed):\n", kept, kept == 1 ? "" : "s",
                hs_percent(typed_bytes, live_bytes));
        fprintf(out, "%12s %9s %s %s\n", "BYTES", "OBJECTS", dominators ? "    RETAINED " : "", "TYPE");
        for (uint64_t r = 0; r < shown; r++) {
            const type_row *row = &rows[r];
            fprintf(out, "%12" PRIu64 " %9" PRIu64 " ", row->bytes, row->objects);
            if (dominators)
                fprintf(out, "%12" PRIu64 " ", row->retained_bytes);
            fputc(' ', out);
            if (row->first_entry) {
                const hs_typing_entry *entry = &typing->entries[row->first_entry];
                hs_types_name(typing->types, entry->type, entry->count, name, sizeof name);
                hs_write_text_cstring(out, name);
            } else {
                fputs("(type unknown)", out);
            }
            fputc('\n', out);
        }
        const char *blank = dominators ? "             " : "";
        if (shown < kept)
            fprintf(out, "%12" PRIu64 " %9" PRIu64 " %s (%" PRIu64 " more types; --limit 0 shows all)\n", omitted_bytes,
                    omitted_objects, blank, kept - shown);
        fprintf(out, "%12" PRIu64 " %9" PRIu64 " %s total live\n", live_bytes, live_objects, blank);
        if (dominators)
            fputs("RETAINED: bytes the type's objects keep alive (they and all they alone reach), counting objects "
                  "the type's other objects dominate once.\n",
                  out);
        if (typing->types->without_dwarf)
            fputs("The program has no DWARF: only objects with an allocation header are typed.\n", out);
    }
    free(rows);
    return HS_OK;
}

/* ---- --fields ---- */

typedef struct field_walk {
    FILE *out;
    const hs_context *context;
    int json, first;
    const uint8_t *bytes;
    uint64_t length;
} field_walk;

/* The value of a scalar of `size` bytes, as an unsigned number. */
static uint64_t scalar_value(const hs_heap *heap, const uint8_t *bytes, uint64_t size)
{
    return size == 1 || size == 2 || size == 4 || size == 8 ? hs_load_word(bytes, (unsigned)size, heap->params.big_endian)
                                                            : 0;
}

/* Writes what a pointer value points at: " → TYPE @ 0x… (+0x…)" or " (not in the heap)". */
static void write_pointer_target_text(FILE *out, const hs_context *context, uint64_t value)
{
    if (!value) {
        fputs(" (nil)", out);
        return;
    }
    uint64_t offset;
    hs_node target = hs_heap_find(context->heap, value, &offset);
    if (target == HS_NO_NODE) {
        char global[256];
        if (hs_symbols_describe(context->symbols, value, global, sizeof global)) {
            fputs(" (", out);
            hs_write_text_cstring(out, global);
            fputc(')', out);
        } else {
            fputs(" (not in the heap)", out);
        }
        return;
    }
    char label[TYPE_NAME_MAX];
    fputs(" -> ", out);
    hs_write_text_cstring(out, hs_object_label(context, target, label, sizeof label) ? label : "Object");
    fprintf(out, " @ 0x%" PRIx64, context->heap->objects[target].address);
    if (offset)
        fprintf(out, "+0x%" PRIx64, offset);
}

static void write_pointer_target_json(FILE *out, const hs_context *context, uint64_t value)
{
    uint64_t offset;
    hs_node target = value ? hs_heap_find(context->heap, value, &offset) : HS_NO_NODE;
    fprintf(out, ",\"pointer\":\"0x%" PRIx64 "\",\"target\":", value);
    if (target == HS_NO_NODE)
        fputs("null", out);
    else
        hs_describe_object_json(out, context, target, 1, offset);
}

/* One field: its offset, dotted name, type and value. */
static void write_field(field_walk *w, uint64_t offset, const char *name, hs_type_id type)
{
    const hs_context *context = w->context;
    const hs_types *types = context->typing->types;
    const hs_type *t = &types->types[type];
    const hs_heap *heap = context->heap;
    unsigned word = heap->params.pointer_size;
    char type_name[TYPE_NAME_MAX];
    hs_types_name(types, type, 1, type_name, sizeof type_name);
    int pointer_like = t->kind == HS_KIND_POINTER || t->kind == HS_KIND_UNSAFE_POINTER || t->kind == HS_KIND_MAP ||
                       t->kind == HS_KIND_CHAN || t->kind == HS_KIND_FUNC || t->kind == HS_KIND_STRING ||
                       t->kind == HS_KIND_SLICE || t->kind == HS_KIND_EFACE || t->kind == HS_KIND_IFACE;
    uint64_t pointer_offset = t->kind == HS_KIND_EFACE || t->kind == HS_KIND_IFACE ? word : 0;
    uint64_t value = offset + pointer_offset + word <= w->length && pointer_like
                         ? hs_heap_word(heap, w->bytes, offset + pointer_offset) : 0;
    uint64_t length = t->kind == HS_KIND_STRING || t->kind == HS_KIND_SLICE ? hs_heap_word(heap, w->bytes, offset + word)
                                                                            : 0;
    if (w->json) {
        fputs(w->first ? "{\"offset\":" : ",{\"offset\":", w->out);
        w->first = 0;
        fprintf(w->out, "%" PRIu64 ",\"name\":", offset);
        hs_write_json_cstring(w->out, name);
        fputs(",\"type\":", w->out);
        hs_write_json_cstring(w->out, type_name);
        if (pointer_like) {
            if (t->kind == HS_KIND_STRING || t->kind == HS_KIND_SLICE)
                fprintf(w->out, ",\"length\":%" PRIu64, length);
            write_pointer_target_json(w->out, context, value);
        } else if (t->size <= 8) {
            fprintf(w->out, ",\"value\":%" PRIu64, scalar_value(heap, w->bytes + offset, t->size));
        }
        fputc('}', w->out);
        return;
    }
    fprintf(w->out, "  +0x%-5" PRIx64 " ", offset);
    hs_write_text_cstring(w->out, name);
    fputc(' ', w->out);
    hs_write_text_cstring(w->out, type_name);
    if (pointer_like) {
        fprintf(w->out, " = 0x%" PRIx64, value);
        if (t->kind == HS_KIND_STRING || t->kind == HS_KIND_SLICE)
            fprintf(w->out, " (len %" PRIu64 ")", length);
        write_pointer_target_text(w->out, context, value);
    } else if (t->size <= 8 && t->size > 0) {
        fprintf(w->out, " = %" PRIu64, scalar_value(heap, w->bytes + offset, t->size));
    } else {
        fprintf(w->out, " (%" PRIu64 " bytes)", t->size);
    }
    fputc('\n', w->out);
}

#define FIELDS_MAX_DEPTH 8
#define FIELDS_MAX_ELEMENTS 64

/* Writes the fields of a value of type at offset: a struct's fields (nested
 * structs flattened to dotted names), an array's first elements. */
static void write_fields(field_walk *w, uint64_t offset, hs_type_id type, const char *prefix, int depth)
{
    const hs_types *types = w->context->typing->types;
    const hs_type *t = &types->types[type];
    char name[TYPE_NAME_MAX];
    if (depth < FIELDS_MAX_DEPTH && t->kind == HS_KIND_STRUCT && t->field_count && t->role != HS_ROLE_CLOSURE) {
        for (uint32_t f = 0; f < t->field_count; f++) {
            const hs_type_field *field = &types->fields[t->first_field + f];
            snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "." : "", field->name);
            write_fields(w, offset + field->offset, field->type, name, depth + 1);
        }
        return;
    }
    if (t->role == HS_ROLE_CLOSURE) {
        for (uint32_t f = 0; f < t->field_count; f++) {
            const hs_type_field *field = &types->fields[t->first_field + f];
            write_field(w, offset + field->offset, field->name, field->type);
        }
        return;
    }
    if (depth < FIELDS_MAX_DEPTH && t->kind == HS_KIND_ARRAY && t->elem && t->has_pointers) {
        uint64_t size = types->types[t->elem].size;
        for (uint64_t i = 0; i < t->count && i < FIELDS_MAX_ELEMENTS; i++) {
            snprintf(name, sizeof name, "%s[%" PRIu64 "]", prefix, i);
            write_fields(w, offset + i * size, t->elem, name, depth + 1);
        }
        return;
    }
    write_field(w, offset, *prefix ? prefix : "(value)", type);
}

int hs_report_fields(FILE *out, const hs_context *context, hs_node object, enum hs_format format, hs_error *err)
{
    const hs_heap *heap = context->heap;
    if (!context->typing)
        return hs_error_set(err, HS_ERR_USAGE, "--fields needs --program BINARY (the types are in its DWARF)");
    if (object >= heap->object_count)
        return hs_error_set(err, HS_ERR_USAGE, "--fields applies to an object, not a root");
    const hs_typing_entry *entry = hs_typing_of(context->typing, object);
    const hs_types *types = context->typing->types;
    field_walk w = {.out = out, .context = context, .json = format == HS_FORMAT_JSON, .first = 1,
                    .bytes = hs_object_contents(heap, object), .length = heap->objects[object].size};
    int status = HS_OK;
    hs_context json_context;
    if (w.json) {
        if ((status = hs_describe_json_begin(context, &json_context, err)) < 0)
            return status;
        w.context = &json_context;
        fputs("{\"object\":", out);
        hs_describe_object_json(out, &json_context, object, 0, 0);
        fputs(",\"fields\":", out);
    } else {
        hs_describe_object(out, context, object);
        fputc('\n', out);
    }
    if (!entry) {
        if (w.json) {
            fputs("null", out);
        } else {
            fputs("Its type is unknown: no typed pointer reaches its start and it has no allocation header "
                  "(docs/types.md). Its pointer slots:\n", out);
            hs_field_iter iter;
            uint64_t offset;
            hs_object_fields_begin(heap, object, &iter);
            while (hs_fields_next(&iter, &offset)) {
                fprintf(out, "  +0x%-5" PRIx64 " ", offset);
                uint64_t value = hs_heap_word(heap, w.bytes, offset);
                fprintf(out, "0x%" PRIx64, value);
                write_pointer_target_text(out, context, value);
                fputc('\n', out);
            }
        }
    } else {
        if (w.json)
            fputc('[', out);
        uint64_t size = types->types[entry->type].size;
        if (entry->count == 1) {
            write_fields(&w, 0, entry->type, "", 0);
        } else {
            char name[64];
            for (uint64_t i = 0; i < entry->count && i < FIELDS_MAX_ELEMENTS; i++) {
                snprintf(name, sizeof name, "[%" PRIu64 "]", i);
                write_fields(&w, i * size, entry->type, name, 1);
            }
            if (entry->count > FIELDS_MAX_ELEMENTS && !w.json)
                fprintf(out, "  … %" PRIu64 " more elements\n", entry->count - FIELDS_MAX_ELEMENTS);
        }
        if (w.json)
            fputc(']', out);
    }
    if (w.json) {
        status = hs_describe_json_end(out, &json_context, err);
        fputs("}\n", out);
    }
    return status;
}
