/* typing.c — gives heap objects their Go types: allocation headers first, then typed roots spread along typed pointers, each typing checked against the dump's pointer slots. */
#include "hs_typing.h"

#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "pair_map.h"
#include "search.h"

/* How deep a type may nest (arrays of structs of arrays ...) before the
 * walk gives up on it: far beyond Go programs, short of damaged DWARF. */
#define MAX_WALK_DEPTH 48
/* Pointers into the middle of untyped objects are followed once per
 * (object, offset, type); past this many such visits they are not. */
#define MAX_INTERIOR_VISITS ((uint64_t)1 << 24)
/* The runtime's tiny allocator packs pointer-free values under 16 bytes into 16-byte blocks. */
#define HS_TINY_BLOCK_BYTES 16u

/* ---- walking a type's pointer words ---- */

/* A leaf of a walk: a value at `offset` of a type that holds pointers and
 * is not an array or a plain struct (a pointer, string, slice, interface,
 * map, channel, func; a runtime struct with a role when roles stop the
 * walk; a struct known only by its descriptor). */
typedef int (*leaf_visitor)(void *context, uint64_t offset, hs_type_id type);

typedef struct walk_frame {
    hs_type_id type;   /* REPEAT: the element; FIELDS: the struct */
    int fields;        /* iterating a struct's fields, else `count` values of type */
    uint64_t base, index, count;
} walk_frame;

/* Calls visit for every leaf of `count` values of type from `base`, in
 * increasing offsets. Returns 0, visit's first non-zero value, or -1 when
 * the values do not fit in `limit` bytes or nest too deep. */
static int walk_type(const hs_types *types, hs_type_id type, uint64_t count, uint64_t base, uint64_t limit,
                     int stop_at_roles, leaf_visitor visit, void *context)
{
    walk_frame stack[MAX_WALK_DEPTH];
    int depth = 0;
    uint64_t extent = hs_types_extent(types, type, count);
    if (extent == UINT64_MAX || base > limit || extent > limit - base)
        return -1;
    stack[depth++] = (walk_frame){.type = type, .base = base, .count = count};
    while (depth > 0) {
        walk_frame *frame = &stack[depth - 1];
        if (frame->index == frame->count) {
            depth--;
            continue;
        }
        hs_type_id child;
        uint64_t at;
        if (frame->fields) {
            const hs_type_field *field = &types->fields[types->types[frame->type].first_field + frame->index];
            child = field->type;
            at = frame->base + field->offset;
        } else {
            child = frame->type;
            at = frame->base + frame->index * types->types[child].size;
        }
        frame->index++;
        const hs_type *t = &types->types[child];
        if (!t->has_pointers)
            continue;
        if (t->kind == HS_KIND_ARRAY || (t->kind == HS_KIND_STRUCT && t->field_count > 0 &&
                                         !(stop_at_roles && t->role != HS_ROLE_NONE))) {
            if (depth == MAX_WALK_DEPTH)
                return -1;
            int is_array = t->kind == HS_KIND_ARRAY;
            stack[depth++] = (walk_frame){.type = is_array ? t->elem : child, .fields = !is_array, .base = at,
                                          .count = is_array ? t->count : t->field_count};
            continue;
        }
        int status = visit(context, at, child);
        if (status)
            return status;
    }
    return 0;
}

typedef struct builder builder;

/* walk_type from a list of the leaves of one value of the type, made on
 * its first walk (the same visits in the same order, the same result);
 * defined with the builder, which keeps the lists. */
static int walk_cached(builder *b, hs_type_id type, uint64_t count, uint64_t base, uint64_t limit, int stop_at_roles,
                       leaf_visitor visit, void *context);

/* ---- checking a typing against the dump's pointer slots ---- */

typedef struct layout_check {
    const hs_types *types;
    hs_field_iter slots; /* the dump's pointer slots of the object */
    uint64_t next_slot;  /* the next one at or after the walk, UINT64_MAX when none is left */
    uint64_t words;      /* pointer words of the type the dump lists too */
    uint64_t type_words; /* pointer words of the type */
} layout_check;

static void advance_slot(layout_check *check, uint64_t at_least)
{
    while (check->next_slot != UINT64_MAX && check->next_slot < at_least)
        if (!hs_fields_next(&check->slots, &check->next_slot))
            check->next_slot = UINT64_MAX;
}

/* One pointer word of the type: a dump slot before it (where the type has
 * no pointer) is a mismatch; the dump may lack the word itself (the runtime
 * does not scan every pointer it could: an hchan of pointer-free values,
 * the tail of a runtime.g). */
static int expect_pointer(layout_check *check, uint64_t offset)
{
    check->type_words++;
    if (check->next_slot < offset)
        return 1;
    if (check->next_slot == offset) {
        check->words++;
        if (!hs_fields_next(&check->slots, &check->next_slot))
            check->next_slot = UINT64_MAX;
    }
    return 0;
}

static int check_leaf(void *context, uint64_t offset, hs_type_id type)
{
    layout_check *check = context;
    const hs_type *t = &check->types->types[type];
    if (t->field_count == 0 && (t->kind == HS_KIND_STRUCT))
        return 1; /* a struct known only by its descriptor: its pointer words are not known */
    /* An interface's type or itab word points outside the heap: the dump lists only its data word. */
    if (t->kind == HS_KIND_EFACE || t->kind == HS_KIND_IFACE)
        return expect_pointer(check, offset + check->types->pointer_size);
    return expect_pointer(check, offset);
}

/* ---- the typing state ---- */

typedef struct pending_interior {
    hs_node object;
    hs_type_id type;
    uint64_t offset, count;
} pending_interior;

static inline uint64_t itab_address(const hs_itab *itab)
{
    return itab->address;
}

HS_DEFINE_SEARCH(itabs, hs_itab, uint64_t, itab_address)

/* A type's leaves (walk_type's visits over one value from offset 0), found once per type and walk kind. */
typedef struct flat_leaf {
    uint64_t offset;
    hs_type_id type;
} flat_leaf;

enum { FLAT_UNKNOWN, FLAT_LISTED, FLAT_GENERIC };

typedef struct flat_walk {
    uint32_t first, count; /* FLAT_LISTED: the leaves are builder.leaves[first .. first+count) */
    uint8_t state;         /* FLAT_UNKNOWN until first walked; FLAT_GENERIC: walk_type walks it */
} flat_walk;

/* Leaves kept per type at most: a larger walk (a struct with a big array
 * of pointers) stays with walk_type, as does one that nests too deep. */
#define MAX_FLAT_LEAVES 1024u

/* A remembered layout check (layout_matches). */
#define LAYOUT_MEMO_SLOTS 256u /* direct-mapped by (type, count, offset, size, header bytes) */
#define LAYOUT_MEMO_BYTES 32u  /* field lists up to this long are remembered */
typedef struct layout_memo {
    hs_type_id type;
    uint8_t length; /* bytes of the field list, its end included; 0: an empty slot */
    uint8_t matches;
    uint64_t count, offset, size, shift;
    uint64_t words; /* what the check added to pointer_words_checked */
    uint8_t fields[LAYOUT_MEMO_BYTES];
} layout_memo;

struct builder {
    hs_typing *typing;
    const hs_symbols *symbols;
    hs_error *err;
    int failed;
    uint64_t entry_capacity;
    pair_map entry_index; /* entries by (type << 32 | flags, count) */
    uint32_t last_entry;  /* the entry entry_for found last (objects come in runs of one typing), or 0 */
    uint32_t narrow_entries; /* the most entries the 16-bit per-object index holds before it widens */
    hs_node *work; /* objects whose typing is new, to walk */
    uint64_t work_count, work_capacity;
    pending_interior *interior;
    uint64_t interior_count, interior_capacity;
    pair_map visits; /* (object << 32 | type, offset) of the interior pointers walked */
    uint32_t offer_flags; /* flags a typing made now gets (HS_TYPED_CHANNEL_BUFFER) */
    int counted;          /* the typing offered now has a count of its own (a slice's capacity, a map's buckets) */
    hs_itab *itabs; /* the dump's itab records by address */
    uint64_t itab_count;
    flat_walk *flat[2]; /* per type id: [0] walks into role structs (layout checks), [1] stops at them */
    uint64_t flat_capacity[2];
    flat_leaf *leaves;
    uint64_t leaf_count, leaf_capacity;
    layout_memo *memo; /* LAYOUT_MEMO_SLOTS of them once a layout is checked; NULL before (or without memory) */
};

/* The region a walk reads values from: an object's bytes, a root's, or one word. */
typedef struct region {
    builder *b;
    const uint8_t *bytes;
    uint64_t length;
    const uint64_t *live; /* sorted pointer slots that may be followed (a root's), or NULL for all */
    uint64_t live_count;
} region;

static int fail_nomem(builder *b)
{
    if (!b->failed)
        hs_error_set(b->err, HS_ERR_NOMEM, "out of memory typing the heap");
    b->failed = 1;
    return -1;
}

typedef struct leaf_recorder {
    builder *b;
    uint64_t first;
} leaf_recorder;

static int record_leaf(void *context, uint64_t offset, hs_type_id type)
{
    leaf_recorder *recorder = context;
    builder *b = recorder->b;
    if (b->leaf_count - recorder->first >= MAX_FLAT_LEAVES || b->leaf_count >= UINT32_MAX ||
        HS_ARRAY_RESERVE(b->leaves, &b->leaf_capacity, b->leaf_count + 1) < 0)
        return 1;
    b->leaves[b->leaf_count++] = (flat_leaf){.offset = offset, .type = type};
    return 0;
}

/* flat_leaves for a type not listed yet: lists its leaves. */
static int list_leaves(builder *b, hs_type_id type, int stop_at_roles, uint32_t *first, uint32_t *count)
{
    const hs_types *types = b->typing->types;
    int kind = stop_at_roles ? 1 : 0;
    if (type >= b->flat_capacity[kind]) {
        /* Types made from descriptors while typing add to the table. */
        uint64_t capacity = types->type_count > type ? types->type_count : (uint64_t)type + 1;
        if (capacity < b->flat_capacity[kind] * 2)
            capacity = b->flat_capacity[kind] * 2;
        flat_walk *grown = realloc(b->flat[kind], capacity * sizeof *grown);
        if (!grown)
            return 0;
        memset(grown + b->flat_capacity[kind], 0, (capacity - b->flat_capacity[kind]) * sizeof *grown);
        b->flat[kind] = grown;
        b->flat_capacity[kind] = capacity;
    }
    flat_walk *flat = &b->flat[kind][type];
    if (flat->state == FLAT_UNKNOWN) {
        leaf_recorder recorder = {.b = b, .first = b->leaf_count};
        if (walk_type(types, type, 1, 0, types->types[type].size, stop_at_roles, record_leaf, &recorder) == 0) {
            *flat = (flat_walk){.first = (uint32_t)recorder.first, .count = (uint32_t)(b->leaf_count - recorder.first),
                                .state = FLAT_LISTED};
        } else {
            b->leaf_count = recorder.first;
            flat->state = FLAT_GENERIC;
        }
    }
    *first = flat->first;
    *count = flat->count;
    return flat->state == FLAT_LISTED;
}

/* The cached leaves of one value of type for a walk kind: 1 with *first and
 * *count set, or 0 when walk_type is to walk it (too many leaves, nesting
 * too deep, or no memory for the cache, which only costs speed). */
static inline int flat_leaves(builder *b, hs_type_id type, int stop_at_roles, uint32_t *first, uint32_t *count)
{
    int kind = stop_at_roles ? 1 : 0;
    if (type < b->flat_capacity[kind] && b->flat[kind][type].state != FLAT_UNKNOWN) {
        const flat_walk *flat = &b->flat[kind][type];
        *first = flat->first;
        *count = flat->count;
        return flat->state == FLAT_LISTED;
    }
    return list_leaves(b, type, stop_at_roles, first, count);
}

/* As walk_type: a walk of `count` values of type visits, value after value,
 * the leaves of one value moved by the value's offset (walk_type's offsets
 * are base + index * size + the leaf's offset in its value). */
static int walk_cached(builder *b, hs_type_id type, uint64_t count, uint64_t base, uint64_t limit, int stop_at_roles,
                       leaf_visitor visit, void *context)
{
    const hs_types *types = b->typing->types;
    uint32_t first, leaves;
    if (!flat_leaves(b, type, stop_at_roles, &first, &leaves))
        return walk_type(types, type, count, base, limit, stop_at_roles, visit, context);
    uint64_t extent = hs_types_extent(types, type, count);
    if (extent == UINT64_MAX || base > limit || extent > limit - base)
        return -1;
    uint64_t size = types->types[type].size;
    for (uint64_t i = 0; leaves && i < count; i++)
        for (uint32_t l = 0; l < leaves; l++) {
            /* Read each time: a visit may add leaves (moving the array). */
            flat_leaf leaf = b->leaves[first + l];
            int status = visit(context, base + i * size + leaf.offset, leaf.type);
            if (status)
                return status;
        }
    return 0;
}

/* Whether `count` values of type at byte `offset` of object have their
 * pointer words exactly where the dump has pointer slots, over those bytes;
 * *words receives what to add to pointer_words_checked. */
static int check_layout(builder *b, hs_node object, uint64_t offset, hs_type_id type, uint64_t count, uint64_t *words)
{
    const hs_heap *heap = b->typing->heap;
    const hs_types *types = b->typing->types;
    layout_check check = {.types = types, .next_slot = 0};
    *words = 0;
    hs_object_fields_begin(heap, object, &check.slots);
    if (!hs_fields_next(&check.slots, &check.next_slot))
        check.next_slot = UINT64_MAX;
    advance_slot(&check, offset);
    uint64_t extent = hs_types_extent(types, type, count), limit = heap->objects[object].size;
    uint32_t first, leaves;
    int status;
    if (flat_leaves(b, type, 0, &first, &leaves)) {
        /* walk_cached's loop with check_leaf called directly (it adds no leaves) */
        status = extent == UINT64_MAX || offset > limit || extent > limit - offset ? -1 : 0;
        const flat_leaf *leaf = b->leaves + first;
        uint64_t size = types->types[type].size;
        for (uint64_t i = 0; !status && leaves && i < count; i++)
            for (uint32_t l = 0; !status && l < leaves; l++)
                status = check_leaf(&check, offset + i * size + leaf[l].offset, leaf[l].type);
    } else {
        status = walk_type(types, type, count, offset, limit, 0, check_leaf, &check);
    }
    if (status != 0)
        return 0;
    *words = check.words;
    if (check.next_slot != UINT64_MAX && check.next_slot < offset + extent)
        return 0; /* a dump pointer slot where the type has none */
    /* Pointers where the dump has none at all: only a runtime struct the
     * runtime allocates unscanned may be that. */
    return check.words > 0 || check.type_words == 0 || types->types[type].role == HS_ROLE_HCHAN;
}

/* Bytes of a field list, its end (a kind 0) included, when it ends within
 * max of the available bytes and reads cleanly; else 0. */
static unsigned field_list_bytes(const uint8_t *encoded, uint64_t available, unsigned max)
{
    hs_cursor cursor = {.base = encoded, .size = available < max ? available : max, .pos = 0};
    for (;;) {
        uint64_t kind, value;
        if (hs_read_uvarint(&cursor, &kind) < 0)
            return 0;
        if (kind == HS_FIELD_EOL)
            return (unsigned)cursor.pos;
        if (hs_read_uvarint(&cursor, &value) < 0)
            return 0;
    }
}

/* check_layout, remembered: its answer is a function of the type, count and
 * offset asked about, the object's size and header bytes, and the bytes of
 * its field list up to its end, so an object whose field list has the same
 * bytes as one checked before (objects of one type mostly do) gets the same
 * answer without the walk. */
static int layout_matches(builder *b, hs_node object, uint64_t offset, hs_type_id type, uint64_t count)
{
    hs_typing *typing = b->typing;
    const hs_heap *heap = typing->heap;
    hs_fields fields = hs_object_fields(heap, object);
    uint64_t size = heap->objects[object].size, shift = hs_object_header_bytes(heap, object);
    layout_memo *memo = NULL;
    if (b->memo || (b->memo = calloc(LAYOUT_MEMO_SLOTS, sizeof *b->memo))) {
        uint64_t key = pair_map_hash(pair_map_hash((uint64_t)type << 32 ^ size, count), offset ^ shift << 56);
        memo = &b->memo[key & (LAYOUT_MEMO_SLOTS - 1)];
        if (memo->length && memo->type == type && memo->count == count && memo->offset == offset &&
            memo->size == size && memo->shift == shift && fields.encoded_length >= memo->length &&
            !memcmp(fields.encoded, memo->fields, memo->length)) {
            typing->pointer_words_checked += memo->words;
            return memo->matches;
        }
    }
    uint64_t words;
    int matches = check_layout(b, object, offset, type, count, &words);
    typing->pointer_words_checked += words;
    unsigned length = memo ? field_list_bytes(fields.encoded, fields.encoded_length, LAYOUT_MEMO_BYTES) : 0;
    if (length) {
        *memo = (layout_memo){.type = type, .length = (uint8_t)length, .matches = (uint8_t)matches, .count = count,
                              .offset = offset, .size = size, .shift = shift, .words = words};
        memcpy(memo->fields, fields.encoded, length);
    }
    return matches;
}

/* The entry number of a typing, added when new; 0 when out of memory. */
static uint32_t entry_for(builder *b, hs_type_id type, uint32_t flags, uint64_t count)
{
    hs_typing *typing = b->typing;
    const hs_typing_entry *last = &typing->entries[b->last_entry];
    if (b->last_entry && last->type == type && last->flags == flags && last->count == count)
        return b->last_entry;
    uint64_t key = (uint64_t)type << 32 | flags;
    uint32_t e = pair_map_get(&b->entry_index, key, count);
    if (e != UINT32_MAX)
        return b->last_entry = e;
    if (typing->entry_count >= UINT32_MAX - 1 ||
        HS_ARRAY_RESERVE(typing->entries, &b->entry_capacity, (uint64_t)typing->entry_count + 1) < 0 ||
        pair_map_intern(&b->entry_index, key, count, typing->entry_count, &e) < 0) {
        fail_nomem(b);
        return 0;
    }
    typing->entries[e] = (hs_typing_entry){.type = type, .flags = flags, .count = count};
    typing->entry_count++;
    return b->last_entry = e;
}

/* Moves the per-object index to 32 bits, when the 65,536th entry comes. */
static int widen_object_entries(builder *b)
{
    hs_typing *typing = b->typing;
    uint32_t n = typing->heap->object_count;
    uint32_t *wide = malloc((size_t)(n ? n : 1) * sizeof *wide);
    if (!wide)
        return fail_nomem(b);
    for (uint32_t i = 0; i < n; i++)
        wide[i] = typing->object_entry[i];
    free(typing->object_entry);
    free(typing->object_entry_wide);
    typing->object_entry = NULL;
    typing->object_entry_wide = wide;
    return 0;
}

static int set_typing(builder *b, hs_node object, hs_type_id type, uint32_t flags, uint64_t count, int walk)
{
    uint32_t e = entry_for(b, type, flags, count);
    if (!e)
        return -1;
    if (!b->typing->object_entry_wide && e > b->narrow_entries && widen_object_entries(b) < 0)
        return -1;
    if (b->typing->object_entry_wide)
        b->typing->object_entry_wide[object] = e;
    else
        b->typing->object_entry[object] = (uint16_t)e;
    if (!walk)
        return 0;
    if (b->work_count >= b->work_capacity && HS_ARRAY_RESERVE(b->work, &b->work_capacity, b->work_count + 1) < 0)
        return fail_nomem(b);
    b->work[b->work_count++] = object;
    /* It is walked soon (the work is a stack): its words are on their way meanwhile. */
    __builtin_prefetch(hs_object_contents(b->typing->heap, object));
    return 0;
}

/* Whether (object, offset, type) was visited before; records it if not. */
static int visited_before(builder *b, hs_node object, uint64_t offset, hs_type_id type)
{
    uint32_t found;
    int stored = pair_map_intern(&b->visits, (uint64_t)object << 32 | type, offset, 0, &found);
    if (stored < 0)
        return fail_nomem(b), 1;
    return !stored;
}

/* A typed pointer: `count` values of type at address. At an object's
 * start it may type the object; inside one, it is walked later if the
 * object stays untyped. */
static void offer(builder *b, uint64_t address, hs_type_id type, uint64_t count)
{
    hs_typing *typing = b->typing;
    const hs_types *types = typing->types;
    if (b->failed || !address || type == HS_NO_TYPE || count == 0 || types->types[type].size == 0)
        return;
    uint64_t offset;
    hs_node object = hs_heap_find(typing->heap, address, &offset);
    if (object == HS_NO_NODE)
        return;
    uint64_t extent = hs_types_extent(types, type, count);
    uint64_t size = typing->heap->objects[object].size;
    if (extent == UINT64_MAX || extent > size || offset > size - extent)
        return;
    const hs_typing_entry *current = hs_typing_of(typing, object);
    if (offset != 0) {
        if (current || !types->types[type].has_pointers)
            return;
        if (HS_ARRAY_RESERVE(b->interior, &b->interior_capacity, b->interior_count + 1) < 0) {
            fail_nomem(b);
            return;
        }
        b->interior[b->interior_count++] =
            (pending_interior){.object = object, .type = type, .offset = offset, .count = count};
        return;
    }
    if (current && (current->flags & HS_TYPED_BY_HEADER) && types->types[current->type].from_descriptor &&
        types->types[type].size == types->types[current->type].size && !types->types[type].from_descriptor) {
        /* The header names a type DWARF has under another name (a map's
         * buckets: map.bucket[K]V there, bucket<K,V> here): of one size, and
         * with the dump's pointer layout, the DWARF type gives its fields. */
        if (layout_matches(b, object, 0, type, current->count))
            set_typing(b, object, type, current->flags, current->count, 1);
        else
            typing->refused++;
        return;
    }
    if (current && (current->flags & HS_TYPED_BY_HEADER)) {
        /* The header's type stands; a slice of it (not a pointer to its first
         * element) may tell the real count. */
        if (!b->counted)
            return;
        if (current->type == type && (current->flags & HS_TYPED_COUNT_FROM_SLOT) && count <= current->count)
            set_typing(b, object, type, HS_TYPED_BY_HEADER, count, 0);
        else if (current->type == type && !(current->flags & HS_TYPED_COUNT_FROM_SLOT) && count > current->count)
            set_typing(b, object, type, HS_TYPED_BY_HEADER, count, 0);
        return;
    }
    if (current && hs_types_extent(types, current->type, current->count) >= extent)
        return;
    /* A pointer-free 16-byte object may be a tiny-allocator block holding
     * several small values: a typing that does not cover it all may be of
     * only one of them, and is not taken. */
    if (typing->heap->objects[object].size == HS_TINY_BLOCK_BYTES && extent < HS_TINY_BLOCK_BYTES &&
        !types->types[type].has_pointers)
        return;
    if (!layout_matches(b, object, 0, type, count)) {
        typing->refused++;
        return;
    }
    set_typing(b, object, type, b->offer_flags, count, 1);
}

static inline uint64_t region_word(const region *r, uint64_t offset)
{
    const hs_heap *heap = r->b->typing->heap;
    if (offset > r->length || r->length - offset < heap->params.pointer_size)
        return 0;
    return hs_heap_word(heap, r->bytes, offset);
}

static inline uint64_t u64_self(const uint64_t *value)
{
    return *value;
}

HS_DEFINE_SEARCH(slots, uint64_t, uint64_t, u64_self)

/* Whether the word at offset may be followed: a root's words only where its record lists a pointer slot. */
static int region_live(const region *r, uint64_t offset)
{
    if (!r->live)
        return 1;
    uint64_t at = slots_first_at_least(r->live, 0, r->live_count, offset);
    return at < r->live_count && r->live[at] == offset;
}

static int follow_leaf(void *context, uint64_t offset, hs_type_id type);

/* The type an itab is for: from the dump's itab records, else from the itab in the program (word 1). */
static hs_type_id itab_type(builder *b, uint64_t itab)
{
    uint64_t at = itabs_first_at_least(b->itabs, 0, b->itab_count, itab);
    if (at < b->itab_count && b->itabs[at].address == itab)
        return hs_types_from_descriptor(b->typing->types, b->symbols, b->itabs[at].type);
    const hs_symbols *s = b->symbols;
    if (!s || !s->rodata || s->word_size != 8)
        return HS_NO_TYPE;
    uint64_t program = itab - s->load_offset;
    if (program < s->rodata_range.start || program >= s->rodata_range.end || s->rodata_range.end - program < 16)
        return HS_NO_TYPE;
    uint64_t type = hs_load_word(s->rodata + (program - s->rodata_range.start) + 8, 8, s->big_endian);
    return hs_types_from_descriptor(b->typing->types, b->symbols, type);
}

/* An interface's data word, given its dynamic type: the value itself when
 * the type is pointer-shaped, else a pointer to a boxed copy. */
static void follow_interface_data(builder *b, hs_type_id dynamic, uint64_t data)
{
    const hs_types *types = b->typing->types;
    const hs_type *t = &types->types[dynamic];
    if (dynamic == HS_NO_TYPE || !data)
        return;
    int pointer_shaped = t->size == types->pointer_size && t->has_pointers;
    if (!pointer_shaped) {
        offer(b, data, dynamic, 1);
        return;
    }
    if (t->from_descriptor)
        return;
    uint8_t word[8];
    memcpy(word, &data, sizeof word);
    /* The word as the dump would hold it: in the dump's byte order. */
    const hs_heap *heap = b->typing->heap;
    for (unsigned i = 0; i < heap->params.pointer_size && i < 8; i++)
        word[i] = (uint8_t)(heap->params.big_endian ? data >> (8 * (heap->params.pointer_size - 1 - i))
                                                      : data >> (8 * i));
    region r = {.b = b, .bytes = word, .length = heap->params.pointer_size};
    walk_cached(b, dynamic, 1, 0, r.length, 1, follow_leaf, &r);
}

static const hs_type_field *field_named(const hs_types *types, const hs_type *t, const char *name)
{
    for (uint32_t f = 0; f < t->field_count; f++)
        if (!strcmp(types->fields[t->first_field + f].name, name))
            return &types->fields[t->first_field + f];
    return NULL;
}

/* The pointee of a pointer-typed field, or HS_NO_TYPE. */
static hs_type_id pointee(const hs_types *types, const hs_type_field *field)
{
    if (!field || types->types[field->type].kind != HS_KIND_POINTER)
        return HS_NO_TYPE;
    return types->types[field->type].elem;
}

/* The other fields of a runtime struct with a role are followed as usual. */
static void follow_other_fields(const region *r, uint64_t offset, const hs_type *t, const char *skip1,
                                const char *skip2)
{
    const hs_types *types = r->b->typing->types;
    for (uint32_t f = 0; f < t->field_count; f++) {
        const hs_type_field *field = &types->fields[t->first_field + f];
        if ((skip1 && !strcmp(field->name, skip1)) || (skip2 && !strcmp(field->name, skip2)))
            continue;
        if (types->types[field->type].has_pointers)
            walk_cached(r->b, field->type, 1, offset + field->offset, r->length, 1, follow_leaf, (void *)r);
    }
}

static void follow_role(const region *r, uint64_t offset, hs_type_id type)
{
    builder *b = r->b;
    b->counted = 1; /* directories, groups, buckets and buffers come with their counts */
    const hs_types *types = b->typing->types;
    const hs_type *t = &types->types[type];
    switch (t->role) {
    case HS_ROLE_SWISS_MAP: {
        /* dirPtr: one group when dirLen is 0, else dirLen *table<K,V>. */
        const hs_type_field *dir = field_named(types, t, "dirPtr"), *dir_len = field_named(types, t, "dirLen");
        if (!dir || !dir_len)
            break;
        uint64_t pointer = region_word(r, offset + dir->offset), length = region_word(r, offset + dir_len->offset);
        hs_type_id table_pointer = pointee(types, dir);
        hs_type_id table = table_pointer ? types->types[table_pointer].elem : HS_NO_TYPE;
        if (length == 0) {
            const hs_type_field *groups = table ? field_named(types, &types->types[table], "groups") : NULL;
            const hs_type_field *data = groups ? field_named(types, &types->types[groups->type], "data") : NULL;
            offer(b, pointer, pointee(types, data), 1);
        } else if (length < ((uint64_t)1 << 40)) {
            offer(b, pointer, table_pointer, length);
        }
        b->counted = 0;
        follow_other_fields(r, offset, t, "dirPtr", NULL);
        break;
    }
    case HS_ROLE_SWISS_GROUPS: {
        const hs_type_field *data = field_named(types, t, "data"), *mask = field_named(types, t, "lengthMask");
        if (!data || !mask)
            break;
        uint64_t groups = region_word(r, offset + mask->offset) + 1;
        if (groups != 0 && groups < ((uint64_t)1 << 40))
            offer(b, region_word(r, offset + data->offset), pointee(types, data), groups);
        b->counted = 0;
        follow_other_fields(r, offset, t, "data", NULL);
        break;
    }
    case HS_ROLE_HMAP: {
        const hs_type_field *buckets = field_named(types, t, "buckets"), *old = field_named(types, t, "oldbuckets");
        const hs_type_field *log = field_named(types, t, "B");
        if (!buckets || !log || offset >= r->length || log->offset >= r->length - offset)
            break; /* B, a byte, must be in the region (damaged DWARF may put it at the struct's end) */
        unsigned shift = r->bytes[offset + log->offset];
        if (shift < 40) {
            /* The bucket array holds 2^B buckets and, past them, the overflow
             * buckets made with it (their pointers point inside it): all are buckets. */
            uint64_t array = region_word(r, offset + buckets->offset), count = (uint64_t)1 << shift;
            hs_type_id bucket = pointee(types, buckets);
            uint64_t inside;
            hs_node object = hs_heap_find(b->typing->heap, array, &inside);
            if (object != HS_NO_NODE && inside == 0 && bucket && types->types[bucket].size &&
                b->typing->heap->objects[object].size / types->types[bucket].size > count)
                count = b->typing->heap->objects[object].size / types->types[bucket].size;
            offer(b, array, bucket, count);
            if (old && shift > 0)
                offer(b, region_word(r, offset + old->offset), pointee(types, old), (uint64_t)1 << (shift - 1));
        }
        b->counted = 0;
        follow_other_fields(r, offset, t, "buckets", "oldbuckets");
        break;
    }
    case HS_ROLE_HCHAN: {
        const hs_type_field *buf = field_named(types, t, "buf"), *size = field_named(types, t, "dataqsiz");
        const hs_type_field *elem = field_named(types, t, "elemtype");
        if (buf && size && elem) {
            uint64_t count = region_word(r, offset + size->offset);
            hs_type_id element = hs_types_from_descriptor(b->typing->types, b->symbols,
                                                          region_word(r, offset + elem->offset));
            if (count && count < ((uint64_t)1 << 40)) {
                b->offer_flags = HS_TYPED_CHANNEL_BUFFER;
                offer(b, region_word(r, offset + buf->offset), element, count);
                b->offer_flags = 0;
            }
        }
        b->counted = 0;
        follow_other_fields(r, offset, t, "buf", "elemtype");
        break;
    }
    default:
        /* A closure: its captured variables are its fields. */
        b->counted = 0;
        follow_other_fields(r, offset, t, NULL, NULL);
        break;
    }
    b->counted = 0;
}

/* A closure pointer: its code word names the function, whose closure type types it. */
static void follow_closure(builder *b, uint64_t address)
{
    const hs_typing *typing = b->typing;
    uint64_t offset;
    hs_node object = hs_heap_find(typing->heap, address, &offset);
    if (object == HS_NO_NODE || offset != 0 || typing->heap->objects[object].size < typing->heap->params.pointer_size)
        return;
    uint64_t code = hs_heap_word(typing->heap, hs_object_contents(typing->heap, object), 0);
    const hs_type_function *function = hs_types_function_at(typing->types, code);
    if (function && function->closure && function->low_pc + typing->types->load_offset == code)
        offer(b, address, function->closure, 1);
}

static int follow_leaf(void *context, uint64_t offset, hs_type_id type)
{
    const region *r = context;
    builder *b = r->b;
    const hs_types *types = b->typing->types;
    const hs_type *t = &types->types[type];
    if (b->failed)
        return 1;
    if (t->kind == HS_KIND_STRUCT) {
        if (t->role != HS_ROLE_NONE)
            follow_role(r, offset, type);
        return 0;
    }
    uint64_t word = region_word(r, offset), word_size = types->pointer_size;
    int interface = t->kind == HS_KIND_EFACE || t->kind == HS_KIND_IFACE;
    if (!region_live(r, interface ? offset + word_size : offset))
        return 0;
    switch (t->kind) {
    case HS_KIND_POINTER:
    case HS_KIND_MAP:
    case HS_KIND_CHAN: offer(b, word, t->elem, 1); break;
    case HS_KIND_STRING: offer(b, word, types->uint8_type, region_word(r, offset + word_size)); break;
    case HS_KIND_SLICE:
        b->counted = 1;
        offer(b, word, t->elem, region_word(r, offset + 2 * word_size));
        b->counted = 0;
        break;
    case HS_KIND_FUNC: follow_closure(b, word); break;
    case HS_KIND_EFACE:
        follow_interface_data(b, hs_types_from_descriptor(b->typing->types, b->symbols, word),
                              region_word(r, offset + word_size));
        break;
    case HS_KIND_IFACE:
        if (word)
            follow_interface_data(b, itab_type(b, word), region_word(r, offset + word_size));
        break;
    default: break;
    }
    return 0;
}

/* walk_cached(b, type, count, 0, r->length, 1, follow_leaf, r), with follow_leaf called directly. */
static void walk_object(builder *b, const region *r, hs_type_id type, uint64_t count)
{
    const hs_types *types = b->typing->types;
    uint32_t first, leaves;
    if (!flat_leaves(b, type, 1, &first, &leaves)) {
        walk_type(types, type, count, 0, r->length, 1, follow_leaf, (void *)r);
        return;
    }
    uint64_t extent = hs_types_extent(types, type, count);
    if (extent == UINT64_MAX || extent > r->length || !leaves)
        return;
    uint64_t size = types->types[type].size;
    for (uint64_t i = 0; i < count; i++)
        for (uint32_t l = 0; l < leaves; l++) {
            flat_leaf leaf = b->leaves[first + l]; /* a visit may add leaves (moving the array) */
            if (follow_leaf((void *)r, i * size + leaf.offset, leaf.type))
                return;
        }
}

/* Walks the typed objects and the pointers into untyped ones until no typing is new. */
static void spread(builder *b)
{
    hs_typing *typing = b->typing;
    const hs_heap *heap = typing->heap;
    while (!b->failed && (b->work_count || b->interior_count)) {
        if (b->work_count) {
            hs_node object = b->work[--b->work_count];
            const hs_typing_entry *entry = hs_typing_of(typing, object);
            region r = {.b = b, .bytes = hs_object_contents(heap, object), .length = heap->objects[object].size};
            walk_object(b, &r, entry->type, entry->count);
            continue;
        }
        pending_interior p = b->interior[--b->interior_count];
        if (hs_typing_of(typing, p.object) || b->visits.used >= MAX_INTERIOR_VISITS ||
            visited_before(b, p.object, p.offset, p.type))
            continue;
        if (!layout_matches(b, p.object, p.offset, p.type, p.count)) {
            typing->refused++;
            continue;
        }
        region r = {.b = b, .bytes = hs_object_contents(heap, p.object), .length = heap->objects[p.object].size};
        walk_cached(b, p.type, p.count, p.offset, r.length, 1, follow_leaf, &r);
    }
}

/* ---- roots ---- */

static int compare_offsets(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, c = *(const uint64_t *)y;
    return a < c ? -1 : a > c;
}

/* The pointer slots a root's record lists, sorted; *count receives their number. */
static uint64_t *root_slots(builder *b, const hs_root *root, uint64_t *count)
{
    hs_field_iter iter;
    hs_fields_begin(&iter, &root->fields, root->contents.length, b->typing->heap->params.pointer_size);
    uint64_t capacity = 0, offset, *slots = NULL;
    *count = 0;
    while (hs_fields_next(&iter, &offset)) {
        if (HS_ARRAY_RESERVE(slots, &capacity, *count + 1) < 0) {
            free(slots);
            fail_nomem(b);
            return NULL;
        }
        slots[(*count)++] = offset;
    }
    for (uint64_t i = 1; i < *count; i++)
        if (slots[i] < slots[i - 1]) { /* out of order (a damaged record): sort them */
            qsort(slots, *count, sizeof *slots, compare_offsets);
            break;
        }
    if (!slots)
        slots = malloc(sizeof *slots); /* none: an empty list, not a failure */
    if (!slots)
        fail_nomem(b);
    return slots;
}

static void type_globals(builder *b, const hs_root *segment)
{
    const hs_types *types = b->typing->types;
    uint64_t live_count;
    uint64_t *live = root_slots(b, segment, &live_count);
    if (!live)
        return;
    region r = {.b = b, .bytes = segment->contents.data, .length = segment->contents.length, .live = live,
                .live_count = live_count};
    for (uint32_t g = 0; g < types->global_count && !b->failed; g++) {
        const hs_type_global *global = &types->globals[g];
        if (global->address < segment->address || global->address - segment->address >= segment->contents.length ||
            !types->types[global->type].has_pointers)
            continue;
        walk_cached(b, global->type, 1, global->address - segment->address, r.length, 1, follow_leaf, &r);
    }
    free(live);
}

#define MAX_VARIABLE_PIECES 16
#define MAX_VARIABLE_BYTES 4096

/* A frame variable: its bytes gathered from its pieces on the stack (the
 * canonical frame address is the frame's top, sp plus its bytes), a word
 * followed only where the frame's record lists a live pointer slot. Pieces
 * in registers are not in the dump: their words read as zero. */
static void type_frame_variable(builder *b, const hs_root *frame, const region *stack, const hs_type_variable *variable,
                                uint64_t pc)
{
    const hs_types *types = b->typing->types;
    hs_variable_piece pieces[MAX_VARIABLE_PIECES];
    unsigned count;
    uint64_t size = types->types[variable->type].size;
    if (size == 0 || size > MAX_VARIABLE_BYTES ||
        !hs_types_variable_pieces(types, variable, pc, pieces, MAX_VARIABLE_PIECES, &count))
        return;
    uint8_t bytes[MAX_VARIABLE_BYTES];
    uint64_t live[MAX_VARIABLE_BYTES / 4], live_count = 0, at = 0;
    unsigned word = b->typing->heap->params.pointer_size;
    memset(bytes, 0, size);
    int capacity_unknown = 1;
    for (unsigned p = 0; p < count && at < size; p++) {
        uint64_t piece = pieces[p].size < size - at ? pieces[p].size : size - at;
        /* The piece starts `below` bytes under the frame's top, inside the frame (no signed sum: the
         * offset is DWARF's, any int64). */
        uint64_t length = frame->contents.length, below = 0 - (uint64_t)pieces[p].cfa_offset;
        if (pieces[p].on_stack && pieces[p].cfa_offset <= 0 && below <= length && piece <= below) {
            uint64_t start = length - below;
            memcpy(bytes + at, frame->contents.data + start, piece);
            if (at + piece > 2 * (uint64_t)word)
                capacity_unknown = 0;
            for (uint64_t w = 0; w + word <= piece; w += word)
                if (region_live(stack, start + w) && (at + w) % word == 0)
                    live[live_count++] = at + w;
        }
        at += piece;
    }
    if (!live_count)
        return;
    /* A slice whose capacity is in no piece (Go keeps only what it still
     * uses): its length is a true lower bound of it. */
    if (types->types[variable->type].kind == HS_KIND_SLICE && capacity_unknown && size >= 3 * (uint64_t)word)
        memcpy(bytes + 2 * word, bytes + word, word);
    region r = {.b = b, .bytes = bytes, .length = size, .live = live, .live_count = live_count};
    walk_cached(b, variable->type, 1, 0, size, 1, follow_leaf, &r);
}

static void type_frame(builder *b, const hs_root *frame)
{
    const hs_types *types = b->typing->types;
    uint64_t pc = frame->depth > 0 && frame->pc > 0 ? frame->pc - 1 : frame->pc;
    const hs_type_function *function = hs_types_function_at(types, pc);
    if (!function || frame->fields.count == 0)
        return;
    uint64_t live_count;
    uint64_t *live = root_slots(b, frame, &live_count);
    if (!live)
        return;
    region r = {.b = b, .bytes = frame->contents.data, .length = frame->contents.length, .live = live,
                .live_count = live_count};
    for (uint32_t v = 0; v < function->variable_count && !b->failed; v++) {
        const hs_type_variable *variable = &types->variables[function->first_variable + v];
        if (types->types[variable->type].has_pointers)
            type_frame_variable(b, frame, &r, variable, pc);
    }
    free(live);
}

static void type_finalizer(builder *b, const hs_root *finalizer)
{
    hs_types *types = b->typing->types;
    hs_type_id pointer = hs_types_from_descriptor(types, b->symbols, finalizer->object_type);
    if (pointer != HS_NO_TYPE && types->types[pointer].kind == HS_KIND_POINTER)
        offer(b, finalizer->address, types->types[pointer].elem, 1);
}

/* Every object with an allocation header: its type, as many values as fit. */
static void type_headers(builder *b)
{
    hs_typing *typing = b->typing;
    const hs_heap *heap = typing->heap;
    if (!heap->header_objects)
        return;
    for (hs_node object = 0; object < heap->object_count && !b->failed; object++) {
        if (!(heap->flags[object] & HS_OBJECT_HEADER))
            continue;
        hs_type_id type = hs_types_from_descriptor(typing->types, b->symbols, hs_object_header_word(heap, object));
        uint64_t type_size = type ? typing->types->types[type].size : 0;
        if (!type_size || type_size > heap->objects[object].size)
            continue;
        uint64_t count = heap->objects[object].size / type_size;
        uint32_t flags = HS_TYPED_BY_HEADER | (count > 1 ? HS_TYPED_COUNT_FROM_SLOT : 0);
        typing->header_typed++;
        set_typing(b, object, type, flags, count, !typing->types->types[type].from_descriptor);
    }
}

static int compare_itabs(const void *x, const void *y)
{
    uint64_t a = ((const hs_itab *)x)->address, c = ((const hs_itab *)y)->address;
    return a < c ? -1 : a > c;
}

int hs_typing_build(const hs_heap *heap, hs_types *types, const hs_symbols *symbols, hs_typing **out, hs_error *err)
{
    return hs_typing_build_narrow(heap, types, symbols, UINT16_MAX, out, err);
}

int hs_typing_build_narrow(const hs_heap *heap, hs_types *types, const hs_symbols *symbols, uint32_t narrow_entries,
                           hs_typing **out, hs_error *err)
{
    *out = NULL;
    hs_typing *typing = calloc(1, sizeof *typing);
    if (!typing)
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory typing the heap");
    typing->heap = heap;
    typing->types = types;
    typing->object_entry = calloc(heap->object_count ? heap->object_count : 1, sizeof *typing->object_entry);
    builder b = {.typing = typing, .symbols = symbols, .err = err,
                 .narrow_entries = narrow_entries < UINT16_MAX ? narrow_entries : UINT16_MAX};
    if (!typing->object_entry || HS_ARRAY_RESERVE(typing->entries, &b.entry_capacity, 1) < 0) {
        hs_typing_free(typing);
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory typing the heap");
    }
    typing->entries[0] = (hs_typing_entry){0};
    typing->entry_count = 1;
    if (heap->itab_count) {
        b.itabs = malloc(heap->itab_count * sizeof *b.itabs);
        if (!b.itabs)
            fail_nomem(&b);
        else {
            memcpy(b.itabs, heap->itabs, heap->itab_count * sizeof *b.itabs);
            qsort(b.itabs, heap->itab_count, sizeof *b.itabs, compare_itabs);
            b.itab_count = heap->itab_count;
        }
    }
    type_headers(&b);
    spread(&b);
    for (uint32_t i = 0; i < heap->root_count && !b.failed; i++) {
        const hs_root *root = &heap->roots[i];
        switch (root->kind) {
        case HS_ROOT_DATA:
        case HS_ROOT_BSS: type_globals(&b, root); break;
        case HS_ROOT_FRAME: type_frame(&b, root); break;
        case HS_ROOT_FINALIZER:
        case HS_ROOT_QUEUED_FINALIZER: type_finalizer(&b, root); break;
        default: break;
        }
        spread(&b);
    }
    pair_map_free(&b.entry_index);
    free(b.work);
    free(b.interior);
    pair_map_free(&b.visits);
    free(b.itabs);
    free(b.flat[0]);
    free(b.flat[1]);
    free(b.leaves);
    free(b.memo);
    if (b.failed) {
        hs_typing_free(typing);
        return HS_ERR_NOMEM;
    }
    *out = typing;
    return HS_OK;
}

void hs_typing_free(hs_typing *typing)
{
    if (!typing)
        return;
    free(typing->object_entry);
    free(typing->object_entry_wide);
    free(typing->entries);
    free(typing);
}

int hs_typing_name(const hs_typing *typing, hs_node object, char *buffer, unsigned long size)
{
    const hs_typing_entry *entry = hs_typing_of(typing, object);
    if (!entry) {
        buffer[0] = 0;
        return 0;
    }
    hs_types_name(typing->types, entry->type, entry->count, buffer, size);
    return 1;
}

int hs_typing_is_container_part(const hs_typing *typing, hs_node object)
{
    const hs_typing_entry *entry = hs_typing_of(typing, object);
    return entry && (typing->types->types[entry->type].map_part || (entry->flags & HS_TYPED_CHANNEL_BUFFER));
}

int hs_typing_field(const hs_typing *typing, hs_node object, uint64_t offset, char *buffer, unsigned long size)
{
    const hs_typing_entry *entry = hs_typing_of(typing, object);
    buffer[0] = 0;
    return entry && hs_types_field_path(typing->types, entry->type, entry->count, offset, buffer, size);
}

int hs_typing_global_field(const hs_typing *typing, uint64_t address, char *buffer, unsigned long size)
{
    buffer[0] = 0;
    const hs_type_global *global = typing ? hs_types_global_at(typing->types, address) : NULL;
    return global && hs_types_field_path(typing->types, global->type, 1, address - global->address, buffer, size);
}

/* Owners of an array looked at for the slice or string holding it, and the
 * pointer slots read of an owning object or of a data or BSS segment:
 * naming is for object lines, and stays cheap. */
#define HOLDER_SOURCES_MAX 8u
#define HOLDER_OBJECT_SLOTS_MAX 4096u
#define HOLDER_SEGMENT_SLOTS_MAX (1u << 20)

/* Whether the leaf of `count` values of type at byte `offset` is a slice's
 * or a string's data word; *string tells which. */
static int data_word_at(const hs_types *types, hs_type_id type, uint64_t count, uint64_t offset, int *string)
{
    uint64_t within = 0;
    hs_type_id leaf = type == HS_NO_TYPE ? HS_NO_TYPE : hs_types_leaf_at(types, type, count, offset, &within);
    if (leaf == HS_NO_TYPE || within != 0)
        return 0;
    unsigned kind = types->types[leaf].kind;
    *string = kind == HS_KIND_STRING;
    return kind == HS_KIND_SLICE || kind == HS_KIND_STRING;
}

/* The first of a region's pointer slots (at most max read) that holds
 * address; UINT64_MAX when none does. */
static uint64_t slot_holding(const hs_heap *heap, const uint8_t *bytes, hs_field_iter *iter, uint64_t address,
                             uint32_t max)
{
    uint64_t slot;
    for (uint32_t read = 0; read < max && hs_fields_next(iter, &slot); read++)
        if (hs_heap_word(heap, bytes, slot) == address)
            return slot;
    return UINT64_MAX;
}

int hs_typing_holder(const hs_typing *typing, hs_node object, char *buffer, unsigned long size, int *string)
{
    buffer[0] = 0;
    *string = 0;
    const hs_typing_entry *entry = hs_typing_of(typing, object);
    const hs_heap *heap = typing->heap;
    /* The holder is found among the owners: a heap built without edges knows none. */
    if (!entry || entry->count < 2 || size == 0 || !heap->in_start)
        return 0;
    const hs_types *types = typing->types;
    uint64_t address = heap->objects[object].address;
    uint32_t sources = 0;
    for (uint64_t e = heap->in_start[object]; e < heap->in_start[object + 1] && sources < HOLDER_SOURCES_MAX; e++) {
        hs_node source = heap->in_source[e];
        if (e > heap->in_start[object] && source == heap->in_source[e - 1])
            continue; /* one edge per slot: a source's slots come together */
        sources++;
        hs_field_iter iter;
        char field[256];
        if (source < heap->object_count) {
            const hs_typing_entry *owner = hs_typing_of(typing, source);
            if (!owner)
                continue;
            hs_object_fields_begin(heap, source, &iter);
            uint64_t slot =
                slot_holding(heap, hs_object_contents(heap, source), &iter, address, HOLDER_OBJECT_SLOTS_MAX);
            if (slot == UINT64_MAX || !data_word_at(types, owner->type, owner->count, slot, string))
                continue;
            char name[256];
            hs_typing_name(typing, source, name, sizeof name);
            hs_types_field_path(types, owner->type, owner->count, slot, field, sizeof field);
            snprintf(buffer, size, "%s%s", name, field);
            return 1;
        }
        const hs_root *root = &heap->roots[source - heap->object_count];
        if (root->kind != HS_ROOT_DATA && root->kind != HS_ROOT_BSS)
            continue;
        hs_fields_begin(&iter, &root->fields, root->contents.length, heap->params.pointer_size);
        uint64_t slot = slot_holding(heap, root->contents.data, &iter, address, HOLDER_SEGMENT_SLOTS_MAX);
        const hs_type_global *global = slot == UINT64_MAX ? NULL : hs_types_global_at(types, root->address + slot);
        if (!global || !data_word_at(types, global->type, 1, root->address + slot - global->address, string))
            continue;
        hs_types_field_path(types, global->type, 1, root->address + slot - global->address, field, sizeof field);
        snprintf(buffer, size, "%s%s", global->name, field);
        return 1;
    }
    *string = 0;
    return 0;
}

const char *hs_typing_part_label(const hs_typing *typing, hs_node last_part, uint64_t offset)
{
    const hs_typing_entry *entry = hs_typing_of(typing, last_part);
    if (entry && (entry->flags & HS_TYPED_CHANNEL_BUFFER))
        return "buffer";
    char field[512];
    hs_typing_field(typing, last_part, offset, field, sizeof field);
    /* Swiss groups hold slots {key, elem}; buckets keys[8] and elems[8]. */
    if (strstr(field, ".key"))
        return "key";
    return "value";
}

int hs_typing_frame_slot(const hs_typing *typing, const hs_root *frame, uint64_t offset, char *buffer,
                         unsigned long size)
{
    buffer[0] = 0;
    if (!typing)
        return 0;
    const hs_types *types = typing->types;
    uint64_t pc = frame->depth > 0 && frame->pc > 0 ? frame->pc - 1 : frame->pc;
    const hs_type_function *function = hs_types_function_at(types, pc);
    for (uint32_t v = 0; function && v < function->variable_count; v++) {
        const hs_type_variable *variable = &types->variables[function->first_variable + v];
        hs_variable_piece pieces[MAX_VARIABLE_PIECES];
        unsigned count;
        if (!hs_types_variable_pieces(types, variable, pc, pieces, MAX_VARIABLE_PIECES, &count))
            continue;
        uint64_t at = 0;
        for (unsigned p = 0; p < count; p++) {
            int64_t start = (int64_t)frame->contents.length + pieces[p].cfa_offset;
            if (pieces[p].on_stack && start >= 0 && offset >= (uint64_t)start &&
                offset - (uint64_t)start < pieces[p].size) {
                char field[256], type[256];
                hs_types_field_path(types, variable->type, 1, at + (offset - (uint64_t)start), field, sizeof field);
                hs_types_name(types, variable->type, 1, type, sizeof type);
                snprintf(buffer, size, "%s%s (%s)", variable->name, field, type);
                return 1;
            }
            at += pieces[p].size;
        }
    }
    return 0;
}
