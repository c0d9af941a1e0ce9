/* context.c — naming objects and pointer values from OIDs and symbols. */
#include "hs_context.h"

#include "hs_output.h"

const char *hs_name_from_contents(const hs_context *context, const uint8_t *contents, uint64_t size)
{
    if (!context->oids || size < 8 || !context->params)
        return NULL;
    uint64_t id = hs_load_word(contents, 8, context->params->big_endian);
    return hs_oid_lookup(context->oids, id);
}

const char *hs_object_name(const hs_context *context, hs_node object)
{
    if (!context->heap || object >= context->heap->object_count)
        return NULL;
    return hs_name_from_contents(context, hs_object_contents(context->heap, object),
                                 context->heap->objects[object].size);
}

void hs_write_value_note(FILE *out, const hs_context *context, uint64_t value)
{
    char symbol[512];
    if (hs_symbols_describe(context->symbols, value, symbol, sizeof symbol)) {
        fprintf(out, " (%s)", symbol);
        return;
    }
    if (context->heap && context->oids) {
        uint64_t offset;
        hs_node target = hs_heap_find(context->heap, value, &offset);
        const char *name = target != HS_NO_NODE && offset == 0 ? hs_object_name(context, target) : NULL;
        if (name)
            fprintf(out, " (%s)", name);
    }
}
