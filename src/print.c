/* print.c — `--print` and `--find`: records in file order, text in the original tool's shapes or JSON Lines. */
#include "hs_print.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "hs_describe.h"
#include "hs_find.h"
#include "output.h"
#include "hs_sites.h"
#include "hs_typing.h"

static const char *goroutine_status(uint64_t status)
{
    switch (status & ~(uint64_t)0x1000) { /* _Gscan bit */
    case 0: return "Idle";
    case 1: return "Runnable";
    case 2: return "Running";
    case 3: return "Syscall";
    case 4: return "Waiting";
    case 6: return "Dead";
    case 8: return "CopyStack";
    case 9: return "Preempted";
    default: return NULL;
    }
}

/* "  Pointer[i]@0xSLOT (sym) = 0xVALUE (note)" for every non-nil slot. */
static void print_pointers_text(FILE *out, const hs_context *context, uint64_t base, const uint8_t *bytes,
                                uint64_t length, const hs_fields *fields, int name_slots)
{
    hs_field_iter iter;
    uint64_t slot;
    unsigned pointer_size = context->params->pointer_size;
    hs_fields_begin(&iter, fields, length, pointer_size);
    for (uint64_t i = 0; hs_fields_next(&iter, &slot); i++) {
        uint64_t value = hs_load_word(bytes + slot, pointer_size, context->params->big_endian);
        if (value == 0)
            continue;
        fprintf(out, "  Pointer[%" PRIu64 "]@0x%" PRIx64, i, base + slot);
        char symbol[512];
        if (name_slots && hs_symbols_describe(context->symbols, base + slot, symbol, sizeof symbol)) {
            fputs(" (", out);
            hs_write_text_cstring(out, symbol);
            fputc(')', out);
        }
        fprintf(out, " = 0x%" PRIx64, value);
        hs_write_value_note(out, context, value);
        fputc('\n', out);
    }
}

static void print_pointers_json(FILE *out, const hs_context *context, uint64_t base, const uint8_t *bytes,
                                uint64_t length, const hs_fields *fields)
{
    hs_field_iter iter;
    uint64_t slot;
    unsigned pointer_size = context->params->pointer_size;
    hs_fields_begin(&iter, fields, length, pointer_size);
    fputs(",\"pointers\":[", out);
    int first = 1;
    while (hs_fields_next(&iter, &slot)) {
        uint64_t value = hs_load_word(bytes + slot, pointer_size, context->params->big_endian);
        fprintf(out, "%s{\"offset\":%" PRIu64 ",\"slot\":\"0x%" PRIx64 "\",\"value\":\"0x%" PRIx64 "\"", first ? "" : ",",
                slot, base + slot, value);
        char symbol[512];
        if (hs_symbols_describe(context->symbols, base + slot, symbol, sizeof symbol)) {
            fputs(",\"symbol\":", out);
            hs_write_json_cstring(out, symbol);
        }
        fputc('}', out);
        first = 0;
    }
    fputc(']', out);
}

static int is_span_tail(const hs_context *context, const hs_record *record)
{
    const hs_heap *heap = context->heap;
    if (!heap || !heap->warnings.span_tail_objects)
        return 0;
    /* Span tails are never found by address; look the record up by its slot. */
    hs_node node = hs_heap_object_at_slot(heap, record->object.address);
    return node != HS_NO_NODE && (heap->flags[node] & HS_OBJECT_SPAN_TAIL);
}

/* The heap-model node of an object record, or HS_NO_NODE without a heap. */
static hs_node record_node(const hs_context *context, const hs_record *record)
{
    if (!context->heap)
        return HS_NO_NODE;
    hs_node node = hs_heap_object_at_slot(context->heap, record->object.address);
    return node != HS_NO_NODE && !(context->heap->flags[node] & HS_OBJECT_SPAN_TAIL) ? node : HS_NO_NODE;
}

/* "  Site: main.load (main.go:42)" under an object that has an alloc sample. */
static void print_site_text(FILE *out, const hs_context *context, const hs_record *r)
{
    if (!context->sites)
        return;
    const hs_site_frame *site = hs_sites_object_site(context->sites, record_node(context, r));
    if (!site)
        return;
    fputs("  Site: ", out);
    hs_sites_write_frame_text(out, site);
    fputc('\n', out);
}

/* Which buckets --find selects: 1 for a bucket with a frame whose function,
 * or "function:line", the pattern matches. *out is NULL without sites;
 * otherwise free it. */
static int match_buckets(const hs_sites *sites, const hs_matcher *filter, uint8_t **out, hs_error *err)
{
    *out = NULL;
    if (!sites || sites->bucket_count == 0)
        return HS_OK;
    uint8_t *matches = calloc(sites->bucket_count, 1);
    char *text = NULL;
    uint64_t capacity = 0;
    if (!matches)
        goto nomem;
    for (uint32_t b = 0; b < sites->bucket_count; b++) {
        const hs_bucket *bucket = &sites->buckets[b];
        for (uint32_t i = 0; i < bucket->frame_count && !matches[b]; i++) {
            const hs_site_frame *frame = &sites->frames[bucket->first_frame + i];
            uint64_t n = frame->function.length;
            if (n > UINT64_MAX - 32 || HS_ARRAY_RESERVE(text, &capacity, n + 32) < 0)
                goto nomem;
            memcpy(text, frame->function.data, n);
            text[n] = 0;
            if (hs_matcher_match(filter, text)) {
                matches[b] = 1;
                break;
            }
            snprintf(text + n, 32, ":%" PRIu64, frame->line);
            matches[b] = (uint8_t)hs_matcher_match(filter, text);
        }
    }
    free(text);
    *out = matches;
    return HS_OK;
nomem:
    free(matches);
    free(text);
    return hs_error_set(err, HS_ERR_NOMEM, "out of memory matching --find against allocation stacks");
}

/* --find: an object matches by its OID name, its Go type (with --program), or by any frame of its
 * allocation stack (bucket_matches, from match_buckets). */
static int object_matches(const hs_context *context, const hs_record *r, const hs_matcher *filter,
                          const uint8_t *bucket_matches)
{
    if (hs_matcher_match(filter, hs_name_from_contents(context, r->object.contents.data, r->object.contents.length)))
        return 1;
    char type[512];
    hs_node node = context->typing ? record_node(context, r) : HS_NO_NODE;
    if (node != HS_NO_NODE && hs_typing_name(context->typing, node, type, sizeof type) &&
        hs_matcher_match(filter, type))
        return 1;
    if (!bucket_matches)
        return 0;
    uint32_t bucket = hs_sites_object_bucket(context->sites, record_node(context, r));
    return bucket != UINT32_MAX && bucket_matches[bucket];
}

static void print_text(FILE *out, const hs_context *context, const hs_record *r)
{
    switch (r->tag) {
    case HS_TAG_EOF:
        fputs("End Of File\n", out);
        break;
    case HS_TAG_OBJECT: {
        if (is_span_tail(context, r)) {
            fprintf(out, "SpanTail @ 0x%" PRIx64 ": %" PRIu64 " bytes of span metadata (Go 1.22+), not an object\n",
                    r->object.address, r->object.contents.length);
            break;
        }
        const char *name = hs_name_from_contents(context, r->object.contents.data, r->object.contents.length);
        char type[512];
        hs_node node = !name && context->typing ? record_node(context, r) : HS_NO_NODE;
        if (node != HS_NO_NODE && hs_typing_name(context->typing, node, type, sizeof type))
            name = type; /* its Go type, with --program, where no OID names it */
        hs_write_text_cstring(out, name ? name : "Object");
        fprintf(out, " @ 0x%" PRIx64 " with %" PRIu64 " pointers in %" PRIu64 " bytes\n", r->object.address,
                r->object.fields.count, r->object.contents.length);
        print_site_text(out, context, r);
        print_pointers_text(out, context, r->object.address, r->object.contents.data, r->object.contents.length,
                            &r->object.fields, 0);
        break;
    }
    case HS_TAG_OTHER_ROOT:
        fprintf(out, "OtherRoot @ 0x%" PRIx64 ": ", r->other_root.pointer);
        hs_write_text(out, r->other_root.description.data, r->other_root.description.length);
        fputc('\n', out);
        break;
    case HS_TAG_TYPE:
        fputs("TypeDescriptor for '", out);
        hs_write_text(out, r->type.name.data, r->type.name.length);
        fprintf(out, "' @ 0x%" PRIx64 ": Objects are %" PRIu64 " bytes\n", r->type.address, r->type.size);
        break;
    case HS_TAG_GOROUTINE: {
        const char *status = goroutine_status(r->goroutine.status);
        fprintf(out, "Goroutine[%" PRIu64 "] @ 0x%" PRIx64 ": ", r->goroutine.goid, r->goroutine.address);
        if (status)
            fputs(status, out);
        else
            fprintf(out, "Unknown status %" PRIu64, r->goroutine.status);
        if ((r->goroutine.status & ~(uint64_t)0x1000) == 4) {
            fputs(" (", out);
            hs_write_text(out, r->goroutine.wait_reason.data, r->goroutine.wait_reason.length);
            fputc(')', out);
        }
        fprintf(out, ", Stack @ 0x%" PRIx64 "\n", r->goroutine.sp);
        break;
    }
    case HS_TAG_STACK_FRAME:
        fprintf(out, "StackFrame[%" PRIu64 "] @ 0x%" PRIx64 ": ", r->frame.depth, r->frame.sp);
        hs_write_text(out, r->frame.name.data, r->frame.name.length);
        fprintf(out, " with %" PRIu64 " pointers in %" PRIu64 " bytes; child = 0x%" PRIx64 "\n",
                r->frame.fields.count, r->frame.contents.length, r->frame.child_sp);
        print_pointers_text(out, context, r->frame.sp, r->frame.contents.data, r->frame.contents.length,
                            &r->frame.fields, 0);
        break;
    case HS_TAG_PARAMS:
        fprintf(out, "DumpParams: BigEndian=%s, PointerSize=%" PRIu64 ", Heap=0x%" PRIx64 "-0x%" PRIx64 ", Architecture=",
                r->params.big_endian ? "true" : "false", r->params.pointer_size, r->params.heap_start,
                r->params.heap_end);
        hs_write_text(out, r->params.arch.data, r->params.arch.length);
        fputs(", GoVersion=", out);
        hs_write_text(out, r->params.version.data, r->params.version.length);
        fprintf(out, ", Cpus=%" PRIu64 "\n", r->params.cpus);
        break;
    case HS_TAG_FINALIZER:
    case HS_TAG_QUEUED_FINALIZER:
        fprintf(out, "%s @ 0x%" PRIx64 ": FuncVal: 0x%" PRIx64 ", Type: 0x%" PRIx64 ", Object Type: 0x%" PRIx64 "\n",
                r->tag == HS_TAG_FINALIZER ? "RegisteredFinalizer" : "QueuedFinalizer", r->finalizer.object,
                r->finalizer.funcval, r->finalizer.argument_type, r->finalizer.object_type);
        break;
    case HS_TAG_ITAB:
        fprintf(out, "Itab @ 0x%" PRIx64 ": 0x%" PRIx64 "\n", r->itab.address, r->itab.type);
        break;
    case HS_TAG_OS_THREAD:
        fprintf(out, "OsThread @ 0x%" PRIx64 ": GoId = %" PRIu64 "; OsId = 0x%" PRIx64 "\n", r->thread.address,
                r->thread.id, r->thread.os_id);
        break;
    case HS_TAG_MEMSTATS:
        fputs("MemStats: {", out);
        for (unsigned i = 0; i < HS_MEMSTATS_COUNT; i++) {
            if (i < 24 || i == HS_MEMSTATS_COUNT - 1)
                fprintf(out, "%s%s:%" PRIu64, i ? " " : "", hs_memstats_name(i), r->memstats.values[i]);
            else
                fprintf(out, "%s%" PRIu64 "%s", i == 24 ? " PauseNs:[" : " ", r->memstats.values[i],
                        i == HS_MEMSTATS_COUNT - 2 ? "]" : "");
        }
        fputs("}\n", out);
        break;
    case HS_TAG_DATA:
    case HS_TAG_BSS:
        fprintf(out, "%s @ 0x%" PRIx64 "-0x%" PRIx64 " with %" PRIu64 " pointers\n",
                r->tag == HS_TAG_DATA ? "DataSegment" : "BssSegment", r->object.address,
                r->object.address + r->object.contents.length, r->object.fields.count);
        print_pointers_text(out, context, r->object.address, r->object.contents.data, r->object.contents.length,
                            &r->object.fields, 1);
        break;
    case HS_TAG_DEFER:
        fprintf(out,
                "DeferRecord @ 0x%" PRIx64 ": Goroutine: 0x%" PRIx64 ", Sp: 0x%" PRIx64 ", Pc: 0x%" PRIx64
                ", FuncVal: 0x%" PRIx64 ", EntryPc: 0x%" PRIx64 ", Link: 0x%" PRIx64 "\n",
                r->defer_record.address, r->defer_record.goroutine, r->defer_record.sp, r->defer_record.pc,
                r->defer_record.funcval, r->defer_record.function_pc, r->defer_record.link);
        break;
    case HS_TAG_PANIC:
        fprintf(out,
                "PanicRecord @ 0x%" PRIx64 ": Goroutine: 0x%" PRIx64 ", ArgType: 0x%" PRIx64 ", ArgData: 0x%" PRIx64
                ", Link: 0x%" PRIx64 "\n",
                r->panic_record.address, r->panic_record.goroutine, r->panic_record.argument_type,
                r->panic_record.argument_data, r->panic_record.link);
        break;
    case HS_TAG_MEMPROF: {
        fprintf(out, "AllocFreeProfileRecord: {Id:0x%" PRIx64 " Size:%" PRIu64 " Frames:[", r->profile.bucket,
                r->profile.size);
        hs_profile_iter iter;
        hs_profile_frame frame;
        hs_profile_frames_begin(&iter, r);
        for (int first = 1; hs_profile_frames_next(&iter, &frame); first = 0) {
            fputs(first ? "{Name:" : " {Name:", out);
            hs_write_text(out, frame.function.data, frame.function.length);
            fputs(" Filename:", out);
            hs_write_text(out, frame.file.data, frame.file.length);
            fprintf(out, " Line:%" PRIu64 "}", frame.line);
        }
        fprintf(out, "] AllocationCount:%" PRIu64 " FreeCount:%" PRIu64 "}\n", r->profile.allocs, r->profile.frees);
        break;
    }
    case HS_TAG_ALLOC_SAMPLE:
        fprintf(out, "AllocStackTraceSample: {Address:0x%" PRIx64 " AllocFreeProfileRecordId:0x%" PRIx64 "}\n",
                r->sample.address, r->sample.bucket);
        break;
    case HS_TAG_COUNT:
        break;
    }
}

static void json_hex(FILE *out, const char *key, uint64_t value)
{
    fprintf(out, ",\"%s\":\"0x%" PRIx64 "\"", key, value);
}

static void json_number(FILE *out, const char *key, uint64_t value)
{
    fprintf(out, ",\"%s\":%" PRIu64, key, value);
}

static void json_text(FILE *out, const char *key, const hs_bytes *bytes)
{
    fprintf(out, ",\"%s\":", key);
    hs_write_json_string(out, bytes->data, bytes->length);
}

static const char *const JSON_TYPES[HS_TAG_COUNT] = {
    "eof", "object", "otherroot", "type", "goroutine", "stackframe", "params", "finalizer", "itab",
    "osthread", "memstats", "queuedfinalizer", "data", "bss", "defer", "panic", "profile", "sample",
};

static void print_json(FILE *out, const hs_context *context, const hs_record *r)
{
    int tail = r->tag == HS_TAG_OBJECT && is_span_tail(context, r);
    fprintf(out, "{\"record\":\"%s\",\"offset\":%" PRIu64, tail ? "spantail" : JSON_TYPES[r->tag], r->offset);
    switch (r->tag) {
    case HS_TAG_OBJECT:
    case HS_TAG_DATA:
    case HS_TAG_BSS:
        json_hex(out, "address", r->object.address);
        json_number(out, "size", r->object.contents.length);
        if (r->tag == HS_TAG_OBJECT && !tail) {
            fputs(",\"name\":", out);
            hs_write_json_cstring(out, hs_name_from_contents(context, r->object.contents.data,
                                                             r->object.contents.length));
            fputc(',', out);
            hs_describe_site_json(out, context, context->sites ? record_node(context, r) : HS_NO_NODE);
        }
        print_pointers_json(out, context, r->object.address, r->object.contents.data, r->object.contents.length,
                            &r->object.fields);
        break;
    case HS_TAG_OTHER_ROOT:
        json_text(out, "description", &r->other_root.description);
        json_hex(out, "pointer", r->other_root.pointer);
        break;
    case HS_TAG_TYPE:
        json_hex(out, "address", r->type.address);
        json_number(out, "size", r->type.size);
        json_text(out, "name", &r->type.name);
        fprintf(out, ",\"indirect\":%s", r->type.indirect ? "true" : "false");
        break;
    case HS_TAG_GOROUTINE:
        json_hex(out, "address", r->goroutine.address);
        json_hex(out, "sp", r->goroutine.sp);
        json_number(out, "goid", r->goroutine.goid);
        json_hex(out, "gopc", r->goroutine.go_pc);
        json_number(out, "status", r->goroutine.status);
        fprintf(out, ",\"system\":%s", r->goroutine.is_system ? "true" : "false");
        json_number(out, "waitsince", r->goroutine.wait_since);
        json_text(out, "waitreason", &r->goroutine.wait_reason);
        json_hex(out, "context", r->goroutine.context);
        json_hex(out, "thread", r->goroutine.thread);
        json_hex(out, "topdefer", r->goroutine.top_defer);
        json_hex(out, "toppanic", r->goroutine.top_panic);
        break;
    case HS_TAG_STACK_FRAME:
        json_hex(out, "sp", r->frame.sp);
        json_number(out, "depth", r->frame.depth);
        json_hex(out, "childsp", r->frame.child_sp);
        json_number(out, "size", r->frame.contents.length);
        json_hex(out, "entrypc", r->frame.entry_pc);
        json_hex(out, "pc", r->frame.pc);
        json_hex(out, "continuationpc", r->frame.continuation_pc);
        json_text(out, "function", &r->frame.name);
        print_pointers_json(out, context, r->frame.sp, r->frame.contents.data, r->frame.contents.length,
                            &r->frame.fields);
        break;
    case HS_TAG_PARAMS:
        fprintf(out, ",\"bigendian\":%s", r->params.big_endian ? "true" : "false");
        json_number(out, "pointersize", r->params.pointer_size);
        json_hex(out, "heapstart", r->params.heap_start);
        json_hex(out, "heapend", r->params.heap_end);
        json_text(out, "arch", &r->params.arch);
        json_text(out, "goversion", &r->params.version);
        json_number(out, "cpus", r->params.cpus);
        break;
    case HS_TAG_FINALIZER:
    case HS_TAG_QUEUED_FINALIZER:
        json_hex(out, "object", r->finalizer.object);
        json_hex(out, "funcval", r->finalizer.funcval);
        json_hex(out, "functionpc", r->finalizer.function_pc);
        json_hex(out, "argumenttype", r->finalizer.argument_type);
        json_hex(out, "objecttype", r->finalizer.object_type);
        break;
    case HS_TAG_ITAB:
        json_hex(out, "address", r->itab.address);
        json_hex(out, "type", r->itab.type);
        break;
    case HS_TAG_OS_THREAD:
        json_hex(out, "address", r->thread.address);
        json_number(out, "id", r->thread.id);
        json_number(out, "osid", r->thread.os_id);
        break;
    case HS_TAG_MEMSTATS:
        for (unsigned i = 0; i < 24; i++)
            json_number(out, hs_memstats_name(i), r->memstats.values[i]);
        fputs(",\"PauseNs\":[", out);
        for (unsigned i = 24; i < 24 + 256; i++)
            fprintf(out, "%s%" PRIu64, i == 24 ? "" : ",", r->memstats.values[i]);
        fputc(']', out);
        json_number(out, "NumGC", r->memstats.values[HS_MEMSTATS_COUNT - 1]);
        break;
    case HS_TAG_DEFER:
        json_hex(out, "address", r->defer_record.address);
        json_hex(out, "goroutine", r->defer_record.goroutine);
        json_hex(out, "sp", r->defer_record.sp);
        json_hex(out, "pc", r->defer_record.pc);
        json_hex(out, "funcval", r->defer_record.funcval);
        json_hex(out, "functionpc", r->defer_record.function_pc);
        json_hex(out, "link", r->defer_record.link);
        break;
    case HS_TAG_PANIC:
        json_hex(out, "address", r->panic_record.address);
        json_hex(out, "goroutine", r->panic_record.goroutine);
        json_hex(out, "argumenttype", r->panic_record.argument_type);
        json_hex(out, "argumentdata", r->panic_record.argument_data);
        json_hex(out, "link", r->panic_record.link);
        break;
    case HS_TAG_MEMPROF: {
        json_hex(out, "bucket", r->profile.bucket);
        json_number(out, "size", r->profile.size);
        fputs(",\"stack\":[", out);
        hs_profile_iter iter;
        hs_profile_frame frame;
        hs_profile_frames_begin(&iter, r);
        for (int first = 1; hs_profile_frames_next(&iter, &frame); first = 0) {
            fputs(first ? "{\"function\":" : ",{\"function\":", out);
            hs_write_json_string(out, frame.function.data, frame.function.length);
            fputs(",\"file\":", out);
            hs_write_json_string(out, frame.file.data, frame.file.length);
            fprintf(out, ",\"line\":%" PRIu64 "}", frame.line);
        }
        fputc(']', out);
        json_number(out, "allocs", r->profile.allocs);
        json_number(out, "frees", r->profile.frees);
        break;
    }
    case HS_TAG_ALLOC_SAMPLE:
        json_hex(out, "address", r->sample.address);
        json_hex(out, "bucket", r->sample.bucket);
        break;
    case HS_TAG_EOF:
    case HS_TAG_COUNT:
        break;
    }
    fputs("}\n", out);
}

/* The line that ends --find's text: "4000 objects, 312 kiB (320000 bytes)". */
static void print_find_total(FILE *out, uint64_t objects, uint64_t bytes)
{
    char human[32];
    fprintf(out, "%" PRIu64 " object%s, %s", objects, objects == 1 ? "" : "s",
            hs_human_size(bytes, human, sizeof human));
    if (bytes >= 2048)
        fprintf(out, " (%" PRIu64 " bytes)", bytes);
    fputc('\n', out);
}

int hs_report_records(FILE *out, const hs_context *context, enum hs_format format, const hs_matcher *filter,
                     hs_error *err)
{
    hs_parser parser;
    hs_record record;
    HS_TRY(hs_parser_init(&parser, context->dump, err));
    uint8_t *bucket_matches = NULL;
    if (filter)
        HS_TRY(match_buckets(context->sites, filter, &bucket_matches, err));
    hs_context local;
    int status;
    if (format == HS_FORMAT_JSON)
        HS_TRY(hs_describe_json_begin(context, &local, err));
    else
        local = *context;
    /* --find --format json is one document: {"pattern": …, "literal": …, "objects": [records], "count", "bytes"}. */
    int find_document = filter && format == HS_FORMAT_JSON;
    uint64_t matched = 0, matched_bytes = 0;
    if (find_document) {
        fputs("{\"pattern\":", out);
        hs_write_json_cstring(out, filter->pattern);
        fprintf(out, ",\"literal\":%s,\"objects\":[\n", filter->literal ? "true" : "false");
    }
    while ((status = hs_parser_next(&parser, &record, err)) > 0) {
        local.params = &parser.params;
        if (filter && record.tag != HS_TAG_EOF) {
            if (record.tag != HS_TAG_OBJECT || is_span_tail(&local, &record) ||
                !object_matches(&local, &record, filter, bucket_matches))
                continue;
            matched_bytes += record.object.contents.length;
            matched++;
        }
        if (find_document && record.tag == HS_TAG_EOF)
            continue;
        if (find_document && matched > 1)
            fputc(',', out);
        /* JSON Lines: a stack's own line comes before the first record that refers to it. */
        if (format == HS_FORMAT_JSON && !find_document && record.tag == HS_TAG_OBJECT && local.sites) {
            uint32_t bucket = hs_sites_object_bucket(local.sites, record_node(&local, &record));
            if (bucket != UINT32_MAX) {
                hs_describe_bucket_stack(&local, bucket);
                hs_describe_json_flush_stacks(out, &local);
            }
        }
        if (format == HS_FORMAT_JSON)
            print_json(out, &local, &record);
        else
            print_text(out, &local, &record);
    }
    free(bucket_matches);
    if (filter && status == 0) {
        if (find_document) {
            fprintf(out, "],\"count\":%" PRIu64 ",\"bytes\":%" PRIu64, matched, matched_bytes);
            status = hs_describe_json_end(out, &local, err);
            fputs("}\n", out);
        } else {
            print_find_total(out, matched, matched_bytes);
        }
    }
    hs_describe_json_abandon(&local);
    return status;
}
