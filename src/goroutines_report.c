/* goroutines_report.c — the goroutine reports: groups by stack with counts, creators, frames, what they retain and whether they leaked (--goroutines), and one goroutine's frames and live slots (--goroutine ID). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "hs_context.h"
#include "hs_describe.h"
#include "hs_dominator.h"
#include "hs_goroutines.h"
#include "output.h"

/* The pc to look a frame's line up at: a return address above the innermost frame is one past its call. */
static uint64_t frame_lookup_pc(const hs_root *frame)
{
    return frame->depth > 0 && frame->pc > 0 ? frame->pc - 1 : frame->pc;
}

static const hs_types *context_types(const hs_context *context)
{
    return context->typing ? context->typing->types : NULL;
}

/* The creator: the function of the go statement and its file and line, where the program tells. */
static int creator_of(const hs_context *context, const hs_goroutine *go, const char **function, const char **file,
                      uint64_t *line)
{
    const hs_types *types = context_types(context);
    const hs_type_function *f = types && go->go_pc ? hs_types_function_at(types, go->go_pc - 1) : NULL;
    *function = f ? f->name : NULL;
    *file = NULL;
    *line = 0;
    if (types && go->go_pc)
        hs_types_source_line(types, go->go_pc - 1, file, line);
    return f != NULL;
}

/* `,"file":…,"line":N` where the program's line table told them, else both null. */
static void write_file_line_json(FILE *out, const char *file, uint64_t line)
{
    fputs(",\"file\":", out);
    hs_write_json_cstring(out, file);
    fputs(",\"line\":", out);
    if (file)
        fprintf(out, "%" PRIu64, line);
    else
        fputs("null", out);
}

static void write_created_by_json(FILE *out, const hs_context *context, const hs_goroutine *go)
{
    const char *function, *file;
    uint64_t line;
    creator_of(context, go, &function, &file, &line);
    fputs("\"created_by\":{\"function\":", out);
    hs_write_json_cstring(out, function);
    write_file_line_json(out, file, line);
    fprintf(out, ",\"pc\":\"0x%" PRIx64 "\"}", go->go_pc);
}

/* `"function":…,"file":…,"line":…` of a frame (file and line null without the program), no braces. */
static void write_frame_location_json(FILE *out, const hs_types *types, const hs_root *frame)
{
    const char *file = NULL;
    uint64_t line = 0;
    hs_types_source_line(types, frame_lookup_pc(frame), &file, &line);
    fputs("\"function\":", out);
    hs_write_json_string(out, frame->name.data, frame->name.length);
    write_file_line_json(out, file, line);
}

static void write_frames_json(FILE *out, const hs_context *context, const hs_goroutine *go)
{
    const hs_heap *heap = context->heap;
    fputs("\"frames\":[", out);
    for (uint32_t f = 0; go->first_frame != UINT32_MAX && f < go->frame_count; f++) {
        fputs(f ? ",{" : "{", out);
        write_frame_location_json(out, context_types(context), &heap->roots[go->first_frame + f]);
        fputc('}', out);
    }
    fputc(']', out);
}

static const char *verdict_json(int8_t verdict)
{
    return verdict == HS_LEAK_YES ? "true" : verdict == HS_LEAK_NO ? "false" : "null";
}

/* Per goroutine, the dominator root group holding its frames (UINT32_MAX: none); NULL without d or memory. */
static uint32_t *dom_groups_of_goroutines(const hs_dominators *d)
{
    if (!d)
        return NULL;
    uint32_t n = d->heap->goroutine_count;
    uint32_t *of = malloc((n ? n : 1) * sizeof *of);
    if (!of)
        return NULL;
    memset(of, 0xff, (n ? n : 1) * sizeof *of);
    for (uint32_t g = 0; g < d->group_count; g++)
        if (d->groups[g].kind == HS_GROUP_GOROUTINE && d->groups[g].goroutine < n)
            of[d->groups[g].goroutine] = g;
    return of;
}

static uint32_t dom_group_at(const uint32_t *of, uint32_t goroutine)
{
    return of ? of[goroutine] : UINT32_MAX;
}

typedef struct group_row {
    uint32_t group;
    uint64_t retained_bytes;
    uint64_t retained_objects;
} group_row;

static int compare_group_rows(const void *a, const void *b)
{
    const group_row *x = a, *y = b;
    if (x->retained_bytes != y->retained_bytes)
        return x->retained_bytes > y->retained_bytes ? -1 : 1;
    return x->group < y->group ? -1 : x->group > y->group;
}

static void write_retained_json(FILE *out, const hs_dominators *d, uint32_t dom_group)
{
    if (!d || dom_group == UINT32_MAX) {
        fputs("\"retained\":null", out);
        return;
    }
    fprintf(out, "\"retained\":{\"bytes\":%" PRIu64 ",\"objects\":%" PRIu32 "}", d->groups[dom_group].retained_bytes,
            d->groups[dom_group].retained_objects);
}

/* Group rows: the groups shown (no system ones without all), each with what its root group retains. */
static group_row *make_rows(const hs_context *context, const hs_goroutines *goroutines, int all, uint32_t *count)
{
    const hs_dominators *grouped = context->dominators;
    group_row *rows = malloc((goroutines->group_count ? goroutines->group_count : 1) * sizeof *rows);
    uint32_t *dom_of_key = NULL;
    if (!rows)
        return NULL;
    if (grouped) {
        dom_of_key = malloc((goroutines->group_count ? goroutines->group_count : 1) * sizeof *dom_of_key);
        if (!dom_of_key) {
            free(rows);
            return NULL;
        }
        memset(dom_of_key, 0xff, (goroutines->group_count ? goroutines->group_count : 1) * sizeof *dom_of_key);
        for (uint32_t g = 0; g < grouped->group_count; g++)
            if (grouped->groups[g].kind == HS_GROUP_GOROUTINE && grouped->groups[g].goroutine_key < goroutines->group_count)
                dom_of_key[grouped->groups[g].goroutine_key] = g;
    }
    uint32_t n = 0;
    for (uint32_t k = 0; k < goroutines->group_count; k++) {
        if (goroutines->groups[k].is_system && !all)
            continue;
        uint32_t dom = dom_of_key ? dom_of_key[k] : UINT32_MAX;
        rows[n++] = (group_row){.group = k, .retained_bytes = dom != UINT32_MAX ? grouped->groups[dom].retained_bytes : 0,
                                .retained_objects = dom != UINT32_MAX ? grouped->groups[dom].retained_objects : 0};
    }
    free(dom_of_key);
    qsort(rows, n, sizeof *rows, compare_group_rows);
    *count = n;
    return rows;
}

int hs_report_goroutines(FILE *out, const hs_context *context, const hs_goroutines *goroutines, int all,
                         enum hs_format format, hs_error *err)
{
    const hs_heap *heap = context->heap;
    const hs_dominators *single = context->goroutine_dominators;
    uint32_t n = 0;
    group_row *rows = make_rows(context, goroutines, all, &n);
    uint32_t *single_of = dom_groups_of_goroutines(single);
    if (!rows || (single && !single_of)) {
        free(rows);
        free(single_of);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory listing goroutines", heap->dump->name);
    }
    uint32_t shown_goroutines = 0, leaked = 0, system = 0;
    for (uint32_t i = 0; i < heap->goroutine_count; i++) {
        const hs_goroutine_group *k = &goroutines->groups[goroutines->group_of[i]];
        if (k->is_system && !all) {
            system++;
            continue;
        }
        shown_goroutines++;
        leaked += goroutines->verdict[i] == HS_LEAK_YES;
    }
    if (format == HS_FORMAT_JSON) {
        fputs("{\"goroutines\":[", out);
        int first = 1;
        for (uint32_t r = 0; r < n; r++) {
            const hs_goroutine_group *k = &goroutines->groups[rows[r].group];
            for (uint32_t m = goroutines->group_start[rows[r].group]; m < goroutines->group_start[rows[r].group + 1]; m++) {
                uint32_t i = goroutines->members[m];
                const hs_goroutine *go = &heap->goroutines[i];
                fprintf(out, "%s{\"goid\":%" PRIu64 ",\"status\":\"%s\",\"status_code\":%" PRIu64 ",\"waitreason\":",
                        first ? "" : ",", go->goid, hs_goroutine_status_name(go->status), go->status);
                first = 0;
                hs_write_json_string(out, go->wait_reason.data, go->wait_reason.length);
                fprintf(out, ",\"system\":%s,", go->is_system ? "true" : "false");
                write_created_by_json(out, context, go);
                fputc(',', out);
                write_frames_json(out, context, go);
                fputc(',', out);
                write_retained_json(out, single, dom_group_at(single_of, i));
                fprintf(out, ",\"leaked\":%s,\"group\":%" PRIu32 "}", verdict_json(goroutines->verdict[i]), r);
            }
            (void)k;
        }
        fputs("],\"groups\":[", out);
        for (uint32_t r = 0; r < n; r++) {
            const hs_goroutine_group *k = &goroutines->groups[rows[r].group];
            const hs_goroutine *go = &heap->goroutines[k->first];
            fprintf(out, "%s{\"count\":%" PRIu32 ",\"status\":\"%s\",\"waitreason\":", r ? "," : "", k->count,
                    hs_goroutine_status_name(go->status));
            hs_write_json_string(out, go->wait_reason.data, go->wait_reason.length);
            fputs(",\"label\":", out);
            if (k->label_frame != UINT32_MAX)
                hs_write_json_string(out, heap->roots[k->label_frame].name.data, heap->roots[k->label_frame].name.length);
            else
                fputs("null", out);
            fputc(',', out);
            write_created_by_json(out, context, go);
            fputc(',', out);
            write_frames_json(out, context, go);
            fputs(",\"goids\":[", out);
            for (uint32_t m = goroutines->group_start[rows[r].group]; m < goroutines->group_start[rows[r].group + 1]; m++)
                fprintf(out, "%s%" PRIu64, m > goroutines->group_start[rows[r].group] ? "," : "",
                        heap->goroutines[goroutines->members[m]].goid);
            fputs("],", out);
            if (context->dominators)
                fprintf(out, "\"retained\":{\"bytes\":%" PRIu64 ",\"objects\":%" PRIu64 "}", rows[r].retained_bytes,
                        rows[r].retained_objects);
            else
                fputs("\"retained\":null", out);
            fprintf(out, ",\"leaked\":%s}", verdict_json(k->leaked));
        }
        fprintf(out, "],\"leaked\":%" PRIu32 ",\"system_left_out\":%" PRIu32 ",\"leaks_known\":%s}\n", leaked,
                system, goroutines->unknown_reason ? "false" : "true");
        free(rows);
        free(single_of);
        return HS_OK;
    }
    fprintf(out, "%" PRIu32 " goroutine%s in %" PRIu32 " group%s (same frames, creator and wait reason), by what they retain",
            shown_goroutines, shown_goroutines == 1 ? "" : "s", n, n == 1 ? "" : "s");
    if (system)
        fprintf(out, "; %" PRIu32 " system goroutine%s left out (--all-goroutines)", system, system == 1 ? "" : "s");
    fputs(":\n", out);
    if (goroutines->unknown_reason)
        fprintf(out, "Leaked goroutines cannot be told: %s.\n", goroutines->unknown_reason);
    else
        fprintf(out, "%" PRIu32 " leaked: blocked on a channel, select or sync primitive nothing live can reach.\n",
                leaked);
    const hs_types *types = context_types(context);
    for (uint32_t r = 0; r < n; r++) {
        const hs_goroutine_group *k = &goroutines->groups[rows[r].group];
        const hs_goroutine *go = &heap->goroutines[k->first];
        fprintf(out, "[%" PRIu32 "] %" PRIu32 " goroutine%s, %s", r + 1, k->count, k->count == 1 ? "" : "s",
                hs_goroutine_status_name(go->status));
        if (go->wait_reason.length) {
            fputs(" (", out);
            hs_write_text(out, go->wait_reason.data, go->wait_reason.length);
            fputc(')', out);
        }
        if (k->leaked == HS_LEAK_YES)
            fputs(", LEAKED", out);
        if (context->dominators)
            fprintf(out, ": retain %" PRIu64 " bytes in %" PRIu64 " objects", rows[r].retained_bytes,
                    rows[r].retained_objects);
        fputc('\n', out);
        fputs("    goroutine", out);
        fputs(k->count == 1 ? " " : "s ", out);
        uint32_t listed = 0;
        for (uint32_t m = goroutines->group_start[rows[r].group]; m < goroutines->group_start[rows[r].group + 1]; m++) {
            if (listed == 20) {
                fprintf(out, " … (%" PRIu32 " more)", k->count - listed);
                break;
            }
            fprintf(out, "%s%" PRIu64, listed ? ", " : "", heap->goroutines[goroutines->members[m]].goid);
            listed++;
        }
        fputc('\n', out);
        const char *function, *file;
        uint64_t line;
        if (creator_of(context, go, &function, &file, &line)) {
            fputs("    created by ", out);
            hs_write_text_cstring(out, function);
            if (file) {
                fputs(" at ", out);
                hs_write_text_cstring(out, file);
                fprintf(out, ":%" PRIu64, line);
            }
            fputc('\n', out);
        } else if (go->go_pc) {
            fprintf(out, "    created at pc 0x%" PRIx64 "\n", go->go_pc);
        }
        for (uint32_t f = 0; go->first_frame != UINT32_MAX && f < go->frame_count; f++) {
            const hs_root *frame = &heap->roots[go->first_frame + f];
            fputs("      ", out);
            hs_write_text(out, frame->name.data, frame->name.length);
            if (types && hs_types_source_line(types, frame_lookup_pc(frame), &file, &line)) {
                fputs(" (", out);
                hs_write_text_cstring(out, file);
                fprintf(out, ":%" PRIu64 ")", line);
            }
            fputc('\n', out);
        }
    }
    free(rows);
    free(single_of);
    return HS_OK;
}

/* The root group of one goroutine's frames, or UINT32_MAX. */
static uint32_t dom_group_of(const hs_dominators *d, uint32_t goroutine)
{
    for (uint32_t g = 0; d && g < d->group_count; g++)
        if (d->groups[g].kind == HS_GROUP_GOROUTINE && d->groups[g].goroutine == goroutine)
            return g;
    return UINT32_MAX;
}

int hs_report_goroutine(FILE *out, const hs_context *context, const hs_goroutines *goroutines, uint64_t goid,
                        enum hs_format format, hs_error *err)
{
    const hs_heap *heap = context->heap;
    uint32_t index = hs_heap_goroutine_by_id(heap, goid);
    if (index == UINT32_MAX)
        return hs_error_set(err, HS_ERR_NOTFOUND, "%s: no goroutine %" PRIu64 " in the dump (--goroutines lists them)",
                            heap->dump->name, goid);
    const hs_goroutine *go = &heap->goroutines[index];
    const hs_types *types = context_types(context);
    const hs_dominators *d = context->goroutine_dominators;
    int json = format == HS_FORMAT_JSON;
    hs_context json_context;
    int status = HS_OK;
    if (json) {
        HS_TRY(hs_describe_json_begin(context, &json_context, err));
        context = &json_context;
        fprintf(out, "{\"goid\":%" PRIu64 ",\"status\":\"%s\",\"waitreason\":", go->goid,
                hs_goroutine_status_name(go->status));
        hs_write_json_string(out, go->wait_reason.data, go->wait_reason.length);
        fprintf(out, ",\"leaked\":%s,", verdict_json(goroutines->verdict[index]));
        write_created_by_json(out, context, go);
        fputc(',', out);
        write_retained_json(out, d, dom_group_of(d, index));
        fputs(",\"frames\":[", out);
    } else {
        fprintf(out, "goroutine %" PRIu64 ", %s", go->goid, hs_goroutine_status_name(go->status));
        if (go->wait_reason.length) {
            fputs(" (", out);
            hs_write_text(out, go->wait_reason.data, go->wait_reason.length);
            fputc(')', out);
        }
        if (goroutines->verdict[index] == HS_LEAK_YES)
            fputs(", LEAKED", out);
        uint32_t g = dom_group_of(d, index);
        if (g != UINT32_MAX)
            fprintf(out, ": its frames retain %" PRIu64 " bytes in %" PRIu32 " objects", d->groups[g].retained_bytes,
                    d->groups[g].retained_objects);
        fputc('\n', out);
    }
    for (uint32_t f = 0; go->first_frame != UINT32_MAX && f < go->frame_count; f++) {
        uint32_t root_index = go->first_frame + f;
        const hs_root *frame = &heap->roots[root_index];
        const char *file = NULL;
        uint64_t line = 0;
        hs_types_source_line(types, frame_lookup_pc(frame), &file, &line);
        if (json) {
            fputs(f ? ",{" : "{", out);
            write_frame_location_json(out, types, frame);
            fprintf(out, ",\"sp\":\"0x%" PRIx64 "\",\"slots\":[", frame->address);
        } else {
            fprintf(out, "  [%" PRIu32 "] ", f);
            hs_write_text(out, frame->name.data, frame->name.length);
            if (file) {
                fputs(" (", out);
                hs_write_text_cstring(out, file);
                fprintf(out, ":%" PRIu64 ")", line);
            }
            fputc('\n', out);
        }
        /* Its live pointer slots, each with the variable DWARF places there and the object it points at. */
        hs_field_iter iter;
        uint64_t offset;
        int first_slot = 1;
        hs_fields_begin(&iter, &frame->fields, frame->contents.length, heap->params.pointer_size);
        while (hs_fields_next(&iter, &offset)) {
            uint64_t value = hs_heap_word(heap, frame->contents.data, offset), target_offset;
            hs_node target = hs_heap_find(heap, value, &target_offset);
            char variable[256];
            int named = hs_typing_frame_slot(context->typing, frame, offset, variable, sizeof variable);
            if (json) {
                fprintf(out, "%s{\"offset\":%" PRIu64 ",\"variable\":", first_slot ? "" : ",", offset);
                hs_write_json_cstring(out, named ? variable : NULL);
                fprintf(out, ",\"pointer\":\"0x%" PRIx64 "\",\"target\":", value);
                if (target == HS_NO_NODE)
                    fputs("null", out);
                else
                    hs_describe_object_json(out, context, target, target_offset != 0, target_offset);
                fputc('}', out);
            } else {
                fprintf(out, "      sp+0x%-4" PRIx64 " %s%s= 0x%" PRIx64, offset, named ? variable : "",
                        named ? " " : "", value);
                if (target != HS_NO_NODE) {
                    fputs(" -> ", out);
                    hs_describe_object(out, context, target);
                }
                fputc('\n', out);
            }
            first_slot = 0;
        }
        if (json)
            fputs("]}", out);
    }
    if (json) {
        fputc(']', out);
        status = hs_describe_json_end(out, &json_context, err);
        fputs("}\n", out);
    }
    return status;
}
