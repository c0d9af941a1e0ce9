/* context.c — naming objects and pointer values from OIDs and symbols. */
#include "hs_context.h"

#include "hs_typing.h"

#include "output.h"

const char *hs_name_from_contents(const hs_context *context, const uint8_t *contents, uint64_t size)
{
    if (!context->oids || size < 8 || !context->params)
        return NULL;
    uint64_t id = hs_load_word(contents, 8, context->params->big_endian);
    return hs_oid_lookup(context->oids, id);
}

int hs_object_label(const hs_context *context, hs_node object, char *buffer, size_t size)
{
    const char *name = hs_object_name(context, object);
    if (name) {
        snprintf(buffer, size, "%s", name);
        return 1;
    }
    return hs_typing_name(context->typing, object, buffer, size);
}

const char *hs_object_name(const hs_context *context, hs_node object)
{
    if (!context->heap || object >= context->heap->object_count)
        return NULL;
    return hs_name_from_contents(context, hs_object_contents(context->heap, object),
                                 context->heap->objects[object].size);
}

void hs_context_object_fields_begin(const hs_context *context, hs_node object, hs_field_iter *iter)
{
    const hs_heap *heap = context->heap;
    hs_object_fields_begin(heap, object, iter);
    uint64_t type_size, pointer_bytes, header = hs_object_header_word(heap, object);
    if (header && hs_symbols_type_layout(context->symbols, header, &type_size, &pointer_bytes) &&
        type_size <= heap->objects[object].size && 2 * type_size > heap->objects[object].size)
        iter->length = pointer_bytes;
}

uint64_t hs_context_object_pointer_count(const hs_context *context, hs_node object)
{
    hs_field_iter iter;
    uint64_t slot, count = 0;
    hs_context_object_fields_begin(context, object, &iter);
    while (hs_fields_next(&iter, &slot))
        count++;
    return count;
}

void hs_write_value_note(FILE *out, const hs_context *context, uint64_t value)
{
    char symbol[512];
    const char *name = NULL;
    if (hs_symbols_describe(context->symbols, value, symbol, sizeof symbol))
        name = symbol;
    else if (context->heap && context->oids) {
        uint64_t offset;
        hs_node target = hs_heap_find(context->heap, value, &offset);
        name = target != HS_NO_NODE && offset == 0 ? hs_object_name(context, target) : NULL;
    }
    if (name) {
        fputs(" (", out);
        hs_write_text_cstring(out, name);
        fputc(')', out);
    }
}
