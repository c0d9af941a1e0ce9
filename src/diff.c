/* diff.c — compares two dumps of one process: live objects per site, shape, size or root group in each, and the new ones (the reports are in diff_report.c). */
#include "hs_diff.h"

#include "hs_typing.h"
#include "hs_goroutines.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diff_build.h"
#include "array.h"

#define NONE UINT32_MAX
#define SHAPE_LISTED_OFFSETS 8

/* ---- key names ---- */

static const char *const KEY_NAMES[] = {"site", "shape", "size", "root", "type"};

const char *hs_diff_key_name(enum hs_diff_key key)
{
    return (unsigned)key < sizeof KEY_NAMES / sizeof *KEY_NAMES ? KEY_NAMES[key] : "unknown";
}

int hs_diff_parse_key(const char *name, enum hs_diff_key *key, hs_error *err)
{
    for (unsigned i = 0; i < sizeof KEY_NAMES / sizeof *KEY_NAMES; i++)
        if (!strcmp(name, KEY_NAMES[i])) {
            *key = (enum hs_diff_key)i;
            return HS_OK;
        }
    return hs_error_set(err, HS_ERR_USAGE, "--by: '%s' is not one of site, type, size, root", name);
}

enum hs_diff_key hs_diff_default_key(const hs_sites *old_sites, const hs_sites *new_sites)
{
    return old_sites && new_sites && old_sites->sampled_objects && new_sites->sampled_objects ? HS_DIFF_BY_SITE
                                                                                              : HS_DIFF_BY_SIZE;
}

/* ---- same program ---- */

/* Copies a string from a dump into buffer for a message, '?' for unprintable bytes. */
static const char *printable(const hs_bytes *text, char *buffer, size_t size)
{
    size_t n = 0;
    for (uint64_t i = 0; i < text->length && n + 1 < size; i++) {
        uint8_t c = text->data[i];
        buffer[n++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
    }
    buffer[n] = '\0';
    return n ? buffer : "unknown";
}

static int bytes_equal(const hs_bytes *a, const hs_bytes *b)
{
    return a->length == b->length && (a->length == 0 || !memcmp(a->data, b->data, a->length));
}

/* The next data or BSS root at or after root index `from`, or NONE. */
static uint32_t next_segment(const hs_heap *heap, uint32_t from)
{
    for (uint32_t r = from; r < heap->root_count; r++)
        if (heap->roots[r].kind == HS_ROOT_DATA || heap->roots[r].kind == HS_ROOT_BSS)
            return r;
    return NONE;
}

static void describe_segment(const hs_heap *heap, uint32_t r, char *buffer, size_t size)
{
    if (r == NONE) {
        snprintf(buffer, size, "no segment");
        return;
    }
    const hs_root *root = &heap->roots[r];
    snprintf(buffer, size, "%s segment 0x%" PRIx64 "-0x%" PRIx64, root->kind == HS_ROOT_DATA ? "data" : "bss",
             root->address, root->address + root->contents.length);
}

int hs_diff_check_same_program(const hs_heap *old_heap, const hs_heap *new_heap, hs_error *err)
{
    const hs_params *a = &old_heap->params, *b = &new_heap->params;
    const char *old_name = old_heap->dump->name, *new_name = new_heap->dump->name;
    char x[64], y[64];
    if (a->pointer_size != b->pointer_size)
        return hs_error_set(err, HS_ERR_FORMAT,
                            "cannot compare %s with %s: different pointer sizes (%u and %u bytes); both dumps must "
                            "come from one program",
                            old_name, new_name, a->pointer_size, b->pointer_size);
    if (!bytes_equal(&a->arch, &b->arch))
        return hs_error_set(err, HS_ERR_FORMAT,
                            "cannot compare %s with %s: different architectures (%s and %s); both dumps must come "
                            "from one program",
                            old_name, new_name, printable(&a->arch, x, sizeof x), printable(&b->arch, y, sizeof y));
    if (a->big_endian != b->big_endian)
        return hs_error_set(err, HS_ERR_FORMAT,
                            "cannot compare %s with %s: different byte orders (%s and %s); both dumps must come "
                            "from one program",
                            old_name, new_name, a->big_endian ? "big-endian" : "little-endian",
                            b->big_endian ? "big-endian" : "little-endian");
    if (!bytes_equal(&a->version, &b->version))
        return hs_error_set(err, HS_ERR_FORMAT,
                            "cannot compare %s with %s: different Go versions (%s and %s); both dumps must come "
                            "from one program",
                            old_name, new_name, printable(&a->version, x, sizeof x),
                            printable(&b->version, y, sizeof y));
    uint32_t ra = next_segment(old_heap, 0), rb = next_segment(new_heap, 0);
    while (ra != NONE || rb != NONE) {
        const hs_root *sa = ra == NONE ? NULL : &old_heap->roots[ra];
        const hs_root *sb = rb == NONE ? NULL : &new_heap->roots[rb];
        int same_range = sa && sb && sa->kind == sb->kind && sa->address == sb->address &&
                         sa->contents.length == sb->contents.length;
        if (!same_range) {
            char da[96], db[96];
            describe_segment(old_heap, ra, da, sizeof da);
            describe_segment(new_heap, rb, db, sizeof db);
            return hs_error_set(err, HS_ERR_FORMAT,
                                "cannot compare %s with %s: they are dumps of different programs (%s in the first, "
                                "%s in the second)",
                                old_name, new_name, da, db);
        }
        if (sa->fields.encoded_length != sb->fields.encoded_length ||
            (sa->fields.encoded_length &&
             memcmp(sa->fields.encoded, sb->fields.encoded, sa->fields.encoded_length))) {
            char da[96];
            describe_segment(old_heap, ra, da, sizeof da);
            return hs_error_set(err, HS_ERR_FORMAT,
                                "cannot compare %s with %s: they are dumps of different programs (same %s, different "
                                "pointer slots in it)",
                                old_name, new_name, da);
        }
        ra = next_segment(old_heap, ra + 1);
        rb = next_segment(new_heap, rb + 1);
    }
    return HS_OK;
}

/* ---- new objects ---- */

static uint64_t bucket_id(const hs_sites *sites, hs_node object)
{
    uint32_t bucket = hs_sites_object_bucket(sites, object);
    return bucket == NONE ? UINT64_MAX : sites->buckets[bucket].id;
}

int hs_diff_object_is_new(const hs_heap *old_heap, const hs_sites *old_sites, const hs_heap *new_heap,
                          const hs_sites *new_sites, hs_node object)
{
    const hs_object *o = &new_heap->objects[object];
    uint64_t offset;
    hs_node old = hs_heap_find(old_heap, o->address, &offset);
    if (old == HS_NO_NODE || offset != 0 || old_heap->objects[old].size != o->size)
        return 1;
    if (old_sites && new_sites && old_sites->bucket_count && new_sites->bucket_count)
        return bucket_id(old_sites, old) != bucket_id(new_sites, object);
    return 0;
}

/* ---- growable text ---- */

typedef struct text_buffer {
    char *data;
    uint64_t length, capacity;
    int failed;
} text_buffer;

static void text_add(text_buffer *t, const void *data, uint64_t length)
{
    if (t->failed || HS_ARRAY_RESERVE(t->data, &t->capacity, t->length + length + 1) < 0) {
        t->failed = 1;
        return;
    }
    if (length)
        memcpy(t->data + t->length, data, length);
    t->length += length;
    t->data[t->length] = '\0';
}

__attribute__((format(printf, 2, 3))) static void text_printf(text_buffer *t, const char *format, ...)
{
    char small[128];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(small, sizeof small, format, args);
    va_end(args);
    if (n < 0) {
        t->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        text_add(t, small, (uint64_t)n);
        return;
    }
    if (t->failed || HS_ARRAY_RESERVE(t->data, &t->capacity, t->length + (uint64_t)n + 1) < 0) {
        t->failed = 1;
        return;
    }
    va_start(args, format);
    vsnprintf(t->data + t->length, (size_t)n + 1, format, args);
    va_end(args);
    t->length += (uint64_t)n;
}

static void text_add_cstring(text_buffer *t, const char *s)
{
    text_add(t, s, strlen(s));
}

static void text_add_bytes(text_buffer *t, const hs_bytes *b)
{
    text_add(t, b->data, b->length);
}

/* ---- the key table ---- */

static uint64_t hash_bytes(const void *data, uint64_t length)
{
    const uint8_t *p = data;
    uint64_t h = 0xcbf29ce484222325u;
    for (uint64_t i = 0; i < length; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

static uint32_t lookup_group(const hs_diff *d, const void *key, uint32_t length)
{
    if (!d->table_size)
        return NONE;
    uint64_t mask = d->table_size - 1;
    for (uint64_t slot = hash_bytes(key, length) & mask;; slot = (slot + 1) & mask) {
        uint32_t g = d->table[slot];
        if (g == NONE)
            return NONE;
        const hs_diff_group *group = &d->groups[g];
        if (group->key_length == length && (length == 0 || !memcmp(d->text + group->key_offset, key, length)))
            return g;
    }
}

static void table_insert(hs_diff *d, uint32_t g)
{
    uint64_t mask = d->table_size - 1;
    const hs_diff_group *group = &d->groups[g];
    uint64_t slot = hash_bytes(d->text + group->key_offset, group->key_length) & mask;
    while (d->table[slot] != NONE)
        slot = (slot + 1) & mask;
    d->table[slot] = g;
}

/* Adds a group with a key and a label (both copied). */
static int add_group(hs_diff *d, const text_buffer *key, const text_buffer *label, uint32_t *out)
{
    if (key->failed || label->failed || d->group_count >= NONE - 1 || key->length > UINT32_MAX ||
        label->length > UINT32_MAX)
        return HS_ERR_NOMEM;
    if ((uint64_t)(d->group_count + 1) * 2 > d->table_size) {
        uint64_t size = d->table_size ? d->table_size * 2 : 64;
        uint32_t *table = malloc(size * sizeof *table);
        if (!table)
            return HS_ERR_NOMEM;
        memset(table, 0xff, size * sizeof *table);
        free(d->table);
        d->table = table;
        d->table_size = size;
        for (uint32_t g = 0; g < d->group_count; g++)
            table_insert(d, g);
    }
    if (HS_ARRAY_RESERVE(d->groups, &d->group_capacity, (uint64_t)d->group_count + 1) < 0)
        return HS_ERR_NOMEM;
    text_buffer text = {d->text, d->text_length, d->text_capacity, 0};
    uint64_t key_offset = text.length;
    text_add(&text, key->length ? key->data : "", key->length);
    uint64_t label_offset = text.length;
    text_add(&text, label->length ? label->data : "", label->length);
    d->text = text.data;
    d->text_capacity = text.capacity;
    if (text.failed)
        return HS_ERR_NOMEM;
    d->text_length = text.length;
    hs_diff_group *group = &d->groups[d->group_count];
    *group = (hs_diff_group){.key_offset = key_offset, .label_offset = label_offset,
                             .key_length = (uint32_t)key->length, .label_length = (uint32_t)label->length,
                             .example = HS_NO_NODE, .root_kind = -1};
    *out = d->group_count++;
    table_insert(d, *out);
    return HS_OK;
}

/* ---- keys of objects ---- */

/* Scratch buffers reused for every object. */
typedef struct scratch {
    text_buffer key, label;
} scratch;

static void scratch_reset(scratch *s)
{
    s->key.length = 0;
    s->label.length = 0;
    s->key.failed = 0;
    s->label.failed = 0;
}

static void scratch_free(scratch *s)
{
    free(s->key.data);
    free(s->label.data);
}

static void add_u64(text_buffer *t, uint64_t value)
{
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++)
        bytes[i] = (uint8_t)(value >> (8 * i));
    text_add(t, bytes, sizeof bytes);
}

/* The pointer-slot count and a hash of the slot offsets of an object. */
static void object_shape(const hs_heap *heap, hs_node object, uint64_t *count, uint64_t *hash)
{
    hs_field_iter iter;
    uint64_t offset, n = 0, h = 0xcbf29ce484222325u;
    hs_object_fields_begin(heap, object, &iter);
    while (hs_fields_next(&iter, &offset)) {
        for (int i = 0; i < 8; i++) {
            h ^= (uint8_t)(offset >> (8 * i));
            h *= 0x100000001b3u;
        }
        n++;
    }
    *count = n;
    *hash = h;
}

static void shape_label(text_buffer *t, const hs_heap *heap, hs_node object, uint64_t count, uint64_t hash)
{
    uint64_t size = heap->objects[object].size;
    if (count == 0) {
        text_printf(t, "%" PRIu64 " bytes, no pointers", size);
        return;
    }
    text_printf(t, "%" PRIu64 " bytes, %" PRIu64 " pointer%s at ", size, count, count == 1 ? "" : "s");
    hs_field_iter iter;
    uint64_t offset, n = 0;
    hs_object_fields_begin(heap, object, &iter);
    while (n < SHAPE_LISTED_OFFSETS && hs_fields_next(&iter, &offset))
        text_printf(t, "%s+0x%" PRIx64, n++ ? "," : "", offset);
    if (count > SHAPE_LISTED_OFFSETS)
        text_printf(t, ",... (shape %016" PRIx64 ")", hash);
}

static const hs_sites *side_sites(const hs_diff *d, int side)
{
    return side ? d->input.new_sites : d->input.old_sites;
}

static const hs_heap *side_heap(const hs_diff *d, int side)
{
    return side ? d->input.new_heap : d->input.old_heap;
}

/* Writes the matching key of a live object into s->key; with a label, its
 * label and the group's kind-specific fields into s->label and *extra. For
 * SITE, *site receives the object's site index (NONE without a sample). */
static void object_key(const hs_diff *d, int side, hs_node object, scratch *s, int with_label, hs_diff_group *extra,
                       uint32_t *site)
{
    const hs_heap *heap = side_heap(d, side);
    uint64_t size = heap->objects[object].size;
    *site = NONE;
    switch (d->input.by) {
    case HS_DIFF_BY_SITE: {
        const hs_sites *sites = side_sites(d, side);
        uint32_t bucket = hs_sites_object_bucket(sites, object);
        if (bucket == NONE) {
            if (with_label)
                text_add_cstring(&s->label, "(no allocation sample)");
            return; /* the empty key */
        }
        *site = sites->buckets[bucket].site;
        const hs_site_frame *frame = &sites->sites[*site].frame;
        text_add_bytes(&s->key, &frame->function);
        text_add(&s->key, "", 1);
        text_add_bytes(&s->key, &frame->file);
        text_add(&s->key, "", 1);
        add_u64(&s->key, frame->line);
        if (with_label) {
            text_add_bytes(&s->label, &frame->function);
            text_add_cstring(&s->label, " (");
            text_add_bytes(&s->label, &frame->file);
            text_printf(&s->label, ":%" PRIu64 ")", frame->line);
            extra->site = frame;
        }
        return;
    }
    case HS_DIFF_BY_TYPE: {
        const hs_typing *typing = side ? d->input.new_typing : d->input.old_typing;
        char name[512];
        int typed = hs_typing_name(typing, object, name, sizeof name);
        text_add_cstring(&s->key, typed ? name : "");
        if (with_label) {
            text_add_cstring(&s->label, typed ? name : "(type unknown)");
            extra->typed = typed;
        }
        return;
    }
    case HS_DIFF_BY_SHAPE: {
        uint64_t count, hash;
        object_shape(heap, object, &count, &hash);
        add_u64(&s->key, size);
        add_u64(&s->key, count);
        add_u64(&s->key, hash);
        if (with_label) {
            shape_label(&s->label, heap, object, count, hash);
            extra->size = size;
            extra->pointers = count;
        }
        return;
    }
    case HS_DIFF_BY_SIZE:
    case HS_DIFF_BY_ROOT:
        size = hs_object_slot_size(heap, object); /* size classes, as MemStats counts */
        add_u64(&s->key, size);
        if (with_label) {
            text_printf(&s->label, "%" PRIu64, size);
            extra->size = size;
        }
        return;
    }
}

/* By site, the group an object's site (or its having none) was found to
 * have, else NONE; *bucket receives its sample's bucket (NONE: none). */
static uint32_t cached_group(const hs_diff *d, int side, hs_node object, uint32_t *bucket)
{
    const uint32_t *cache = d->input.by == HS_DIFF_BY_SITE ? d->site_group[side] : NULL;
    *bucket = NONE;
    if (!cache)
        return NONE;
    *bucket = hs_sites_object_bucket(side_sites(d, side), object);
    return *bucket == NONE ? d->unsampled_group : cache[side_sites(d, side)->buckets[*bucket].site];
}

/* The group of a live object, created when missing. */
static int object_group(hs_diff *d, int side, hs_node object, scratch *s, uint32_t *group)
{
    uint32_t site = NONE, bucket;
    uint32_t *cache = d->input.by == HS_DIFF_BY_SITE ? d->site_group[side] : NULL;
    uint32_t known = cached_group(d, side, object, &bucket);
    if (known != NONE) {
        *group = known;
        return HS_OK;
    }
    hs_diff_group extra = {0};
    scratch_reset(s);
    object_key(d, side, object, s, 0, &extra, &site);
    if (s->key.failed)
        return HS_ERR_NOMEM;
    uint32_t g = lookup_group(d, s->key.data, (uint32_t)s->key.length);
    if (g == NONE) {
        scratch_reset(s);
        object_key(d, side, object, s, 1, &extra, &site); /* the same key, and the label */
        HS_TRY(add_group(d, &s->key, &s->label, &g));
        hs_diff_group *group_record = &d->groups[g];
        group_record->site = extra.site;
        group_record->size = extra.size;
        group_record->pointers = extra.pointers;
        group_record->typed = extra.typed;
    }
    if (cache && site != NONE)
        cache[site] = g;
    if (cache && bucket == NONE)
        d->unsampled_group = g;
    *group = g;
    return HS_OK;
}

/* Lookup only, for listing after the build. */
static uint32_t find_object_group(const hs_diff *d, int side, hs_node object, scratch *s)
{
    uint32_t bucket, known = cached_group(d, side, object, &bucket);
    if (known != NONE)
        return known;
    hs_diff_group extra = {0};
    uint32_t site;
    scratch_reset(s);
    object_key(d, side, object, s, 0, &extra, &site);
    return s->key.failed ? NONE : lookup_group(d, s->key.data, (uint32_t)s->key.length);
}

/* ---- root groups ---- */

/* The matching key of a root group (also its label): stable across dumps of
 * one process (goroutines by id, finalizers by object address). */
static void root_key(text_buffer *t, const hs_dominators *dom, uint32_t g)
{
    const hs_heap *heap = dom->heap;
    const hs_root_group *group = &dom->groups[g];
    const hs_root *root = &heap->roots[group->root - heap->object_count];
    switch (group->kind) {
    case HS_GROUP_GLOBAL:
        text_add_cstring(t, "global ");
        text_add_cstring(t, group->symbol->name);
        break;
    case HS_GROUP_SEGMENT:
        text_printf(t, "%s segment 0x%" PRIx64 "%s", root->kind == HS_ROOT_DATA ? "data" : "bss", group->address,
                    dom->symbols ? " (slots outside any symbol)" : "");
        break;
    case HS_GROUP_GOROUTINE: {
        /* By what the goroutines run: every frame's function, and the wait reason. */
        const hs_goroutine *go = &heap->goroutines[group->goroutine];
        text_add_cstring(t, "goroutines ");
        for (uint32_t f = 0; go->first_frame != UINT32_MAX && f < go->frame_count; f++) {
            if (f)
                text_add_cstring(t, " < ");
            text_add_bytes(t, &heap->roots[go->first_frame + f].name);
        }
        text_add_cstring(t, " (");
        text_add_bytes(t, &go->wait_reason);
        text_add_cstring(t, ")");
        break;
    }
    case HS_GROUP_FRAME:
        text_add_cstring(t, "frame ");
        text_add_bytes(t, &root->name);
        text_printf(t, " @ 0x%" PRIx64 " (unknown goroutine)", root->address);
        break;
    case HS_GROUP_FINALIZER:
        text_printf(t, "finalizer for 0x%" PRIx64, group->address);
        break;
    case HS_GROUP_QUEUED_FINALIZER:
        text_printf(t, "queued finalizer for 0x%" PRIx64, group->address);
        break;
    case HS_GROUP_OTHER:
        text_add_cstring(t, "other root: ");
        text_add_bytes(t, &root->name);
        break;
    }
}

static const char SHARED_LABEL[] = "(reached from several root groups)";

/* The diff group of one top-level entry of the dominator preorder: a root
 * group, or an object that roots of several groups reach (the empty key). */
static uint32_t top_level_group(hs_diff *d, const hs_dominators *dom, hs_dom_node node, scratch *s, int create,
                                int *status)
{
    scratch_reset(s);
    int kind = -1;
    if (hs_dom_is_group(dom, node)) {
        uint32_t g = node - dom->object_count;
        root_key(&s->key, dom, g);
        kind = (int)dom->groups[g].kind;
    }
    if (s->key.failed) {
        *status = HS_ERR_NOMEM;
        return NONE;
    }
    uint32_t group = lookup_group(d, s->key.data, (uint32_t)s->key.length);
    if (group == NONE && create) {
        if (kind < 0)
            text_add_cstring(&s->label, SHARED_LABEL);
        else
            text_add(&s->label, s->key.data, s->key.length);
        *status = add_group(d, &s->key, &s->label, &group);
        if (*status < 0)
            return NONE;
        d->groups[group].root_kind = kind;
    }
    return group;
}

/* diff_for_each_added with the caller's scratch buffers. */
static int for_each_added(const hs_diff *d, scratch *s, diff_added_visitor visit, void *context)
{
    const hs_diff_input *in = &d->input;
    if (in->by != HS_DIFF_BY_ROOT) {
        for (hs_node o = 0; o < in->new_heap->object_count; o++) {
            if (!hs_object_is_live(in->new_heap, o) ||
                !hs_diff_object_is_new(in->old_heap, in->old_sites, in->new_heap, in->new_sites, o))
                continue;
            uint32_t g = find_object_group(d, 1, o, s);
            if (g != NONE)
                HS_TRY(visit(d, g, o, context));
        }
        return HS_OK;
    }
    const hs_dominators *dom = d->dominators;
    if (!dom)
        return HS_OK;
    for (uint32_t i = 0; i < dom->preorder_count;) {
        hs_dom_node node = dom->preorder[i];
        uint32_t size = hs_dominators_subtree_size(dom, node);
        if (size == 0)
            size = 1;
        int status = HS_OK;
        uint32_t g = top_level_group((hs_diff *)d, dom, node, s, 0, &status);
        HS_TRY(status);
        for (uint32_t j = i; j < i + size && j < dom->preorder_count; j++) {
            hs_dom_node x = dom->preorder[j];
            if (g == NONE || x >= dom->object_count || !hs_object_is_live(in->new_heap, x) ||
                !hs_diff_object_is_new(in->old_heap, in->old_sites, in->new_heap, in->new_sites, x))
                continue;
            HS_TRY(visit(d, g, x, context));
        }
        i += size;
    }
    return HS_OK;
}

int diff_for_each_added(const hs_diff *diff, diff_added_visitor visit, void *context)
{
    scratch s = {0};
    int status = for_each_added(diff, &s, visit, context);
    scratch_free(&s);
    return status;
}

static int count_added(const hs_diff *d, uint32_t group, hs_node object, void *context)
{
    (void)context;
    hs_diff *diff = (hs_diff *)d;
    hs_diff_group *g = &diff->groups[group];
    uint64_t size = hs_object_slot_size(d->input.new_heap, object);
    g->added.objects++;
    g->added.bytes += size;
    if (g->example == HS_NO_NODE)
        g->example = object;
    diff->added_total.objects++;
    diff->added_total.bytes += size;
    return HS_OK;
}

/* Counts one dump's retained sizes per root group; keeps the tree of the new
 * dump in d->dominators when new objects are to be listed. */
static int count_roots(hs_diff *d, int side, scratch *s, hs_error *err)
{
    const hs_heap *heap = side_heap(d, side);
    hs_dominators *dom;
    hs_goroutines *goroutines;
    /* Goroutines of one stack and creator are one root group, matched by stack across the dumps. */
    HS_TRY(hs_goroutines_build(heap, NULL, &goroutines, err));
    int built = hs_dominators_build_grouped(heap, d->input.symbols, goroutines->group_of, goroutines->group_count,
                                            &dom, err);
    hs_goroutines_free(goroutines);
    if (built < 0)
        return built;
    int status = HS_OK;
    for (uint32_t i = 0; i < dom->preorder_count && status == HS_OK;) {
        hs_dom_node node = dom->preorder[i];
        uint32_t size = hs_dominators_subtree_size(dom, node);
        if (size == 0)
            size = 1;
        uint32_t g = top_level_group(d, dom, node, s, 1, &status);
        if (g != NONE) {
            hs_diff_count *count = side ? &d->groups[g].new_count : &d->groups[g].old_count;
            uint64_t bytes = hs_dominators_retained_bytes(dom, node);
            uint64_t objects = hs_dominators_retained_objects(dom, node);
            diff_count_add(count, objects, bytes);
            diff_count_add(side ? &d->new_total : &d->old_total, objects, bytes);
        }
        i += size;
    }
    if (status < 0) {
        hs_dominators_free(dom);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory grouping by root", heap->dump->name);
    }
    if (side && d->input.count_added)
        d->dominators = dom;
    else
        hs_dominators_free(dom);
    return HS_OK;
}

static int count_objects(hs_diff *d, int side, scratch *s, hs_error *err)
{
    const hs_heap *heap = side_heap(d, side);
    const hs_sites *sites = side_sites(d, side);
    if (d->input.by == HS_DIFF_BY_SITE && sites && sites->site_count) {
        d->site_group[side] = malloc((size_t)sites->site_count * sizeof *d->site_group[side]);
        if (!d->site_group[side])
            return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory grouping by site", heap->dump->name);
        memset(d->site_group[side], 0xff, (size_t)sites->site_count * sizeof *d->site_group[side]);
    }
    for (hs_node o = 0; o < heap->object_count; o++) {
        if (!hs_object_is_live(heap, o))
            continue;
        uint32_t g;
        if (object_group(d, side, o, s, &g) < 0)
            return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory grouping objects", heap->dump->name);
        uint64_t size = hs_object_slot_size(heap, o);
        diff_count_add(side ? &d->groups[g].new_count : &d->groups[g].old_count, 1, size);
        diff_count_add(side ? &d->new_total : &d->old_total, 1, size);
    }
    return HS_OK;
}

int hs_diff_build(const hs_diff_input *input, hs_diff **out, hs_error *err)
{
    *out = NULL;
    hs_diff *d = calloc(1, sizeof *d);
    if (!d)
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory comparing dumps");
    d->input = *input;
    d->unsampled_group = NONE;
    scratch s = {0};
    int status = HS_OK;
    for (int side = 0; side < 2 && status == HS_OK; side++)
        status = input->by == HS_DIFF_BY_ROOT ? count_roots(d, side, &s, err) : count_objects(d, side, &s, err);
    if (status == HS_OK && input->count_added)
        status = for_each_added(d, &s, count_added, NULL);
    scratch_free(&s);
    if (status < 0) {
        if (err && !err->code)
            hs_error_set(err, status, "out of memory comparing dumps");
        hs_diff_free(d);
        return status;
    }
    *out = d;
    return HS_OK;
}

void hs_diff_free(hs_diff *diff)
{
    if (!diff)
        return;
    free(diff->groups);
    free(diff->text);
    free(diff->table);
    free(diff->site_group[0]);
    free(diff->site_group[1]);
    hs_dominators_free(diff->dominators);
    free(diff);
}
