/* types.c — reads a Go program's types, globals, frame variables and closures from its DWARF with libdw, and maps runtime type descriptors to them. */
#include "hs_types.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "hs_reader.h"
#include "search.h"

/* Go's own DWARF attributes (cmd/internal/dwarf). */
enum {
    GO_ATTR_KIND = 0x2900,
    GO_ATTR_KEY = 0x2901,
    GO_ATTR_ELEM = 0x2902,
    GO_ATTR_RUNTIME_TYPE = 0x2904,
    GO_ATTR_CLOSURE_OFFSET = 0x2907
};

/* reflect.Kind values that decide how a DWARF entry is read. */
enum { GO_KIND_ARRAY = 17, GO_KIND_CHAN = 18, GO_KIND_FUNC = 19, GO_KIND_INTERFACE = 20, GO_KIND_MAP = 21,
       GO_KIND_SLICE = 23, GO_KIND_STRING = 24, GO_KIND_UNSAFE_POINTER = 26 };

/* Bounds on what damaged DWARF can make the loader do. */
#define MAX_TYPEDEF_CHAIN 16
#define MAX_BLOCK_DEPTH 32
#define MAX_POINTER_ROUNDS 64

typedef struct die_index {
    uint64_t die;
    uint32_t index;
} die_index;

static inline uint64_t die_index_key(const die_index *entry)
{
    return entry->die;
}

typedef struct descriptor_type {
    uint64_t address; /* program address (before the load offset) */
    hs_type_id type;
} descriptor_type;

static inline uint64_t descriptor_key(const descriptor_type *entry)
{
    return entry->address;
}

static inline uint64_t function_low_pc(const hs_type_function *function)
{
    return function->low_pc;
}

static inline uint64_t global_address(const hs_type_global *global)
{
    return global->address;
}

HS_DEFINE_SEARCH(die_indices, die_index, uint64_t, die_index_key)
HS_DEFINE_SEARCH(descriptors, descriptor_type, uint64_t, descriptor_key)
HS_DEFINE_SEARCH(type_functions, hs_type_function, uint64_t, function_low_pc)
HS_DEFINE_SEARCH(type_globals, hs_type_global, uint64_t, global_address)

/* Per-type facts needed only while loading. */
typedef struct pending_type {
    uint64_t elem_die, key_die, value_die; /* DW_AT_type, go_key, go_elem; 0 when absent */
    uint8_t go_kind;
    uint8_t is_typedef;
    uint8_t resolved; /* typedef copied from its target (or given up on) */
    hs_type_id typedef_target; /* a typedef's target, once resolved */
    hs_type_id canonical;      /* a typedef that only names its struct: the struct; else 0 */
} pending_type;

typedef struct unit_range {
    uint64_t start, end, die;
} unit_range;

static inline uint64_t unit_start(const unit_range *u)
{
    return u->start;
}

HS_DEFINE_SEARCH(units, unit_range, uint64_t, unit_start)

static int compare_units(const void *a, const void *b)
{
    uint64_t x = ((const unit_range *)a)->start, y = ((const unit_range *)b)->start;
    return x < y ? -1 : x > y;
}

typedef struct hs_types_private hs_types_private;
struct hs_types_private {
    int fd;
    Elf *elf;
    Dwarf *dwarf;
    uint64_t types_base; /* the runtime.types symbol: descriptors are go_runtime_type bytes past it */
    descriptor_type *by_descriptor; /* sorted by address: DWARF types first, then those made from .rodata */
    uint64_t descriptor_count, descriptor_capacity;
    unit_range *units; /* code ranges of the compile units, by start: where a pc's line table is */
    uint64_t unit_count, unit_capacity;
    char **made_names; /* names of types made from descriptors, each malloc'd */
    uint64_t made_count, made_capacity;
    uint64_t type_capacity;
};

typedef struct loader {
    hs_types *types;
    const hs_symbols *symbols;
    const char *path;
    hs_error *err;
    pending_type *pending;
    uint64_t type_capacity, pending_capacity, field_capacity, global_capacity, function_capacity,
        variable_capacity, die_capacity;
    die_index *dies; /* type DIE offset -> type index */
    uint64_t die_count;
    uint64_t *field_dies, *global_dies, *variable_dies; /* DW_AT_type of each, resolved at the end */
    uint64_t field_die_capacity, global_die_capacity, variable_die_capacity;
} loader;

static int out_of_memory(loader *l)
{
    return hs_error_set(l->err, HS_ERR_NOMEM, "%s: out of memory reading DWARF types", l->path);
}

static uint64_t attribute_udata(Dwarf_Die *die, unsigned name, uint64_t fallback)
{
    Dwarf_Attribute attribute;
    Dwarf_Word value;
    if (!dwarf_attr(die, name, &attribute))
        return fallback;
    if (dwarf_formudata(&attribute, &value) == 0)
        return value;
    Dwarf_Addr address; /* go_runtime_type is written as DW_FORM_addr */
    return dwarf_formaddr(&attribute, &address) == 0 ? address : fallback;
}

static uint64_t attribute_ref(Dwarf_Die *die, unsigned name)
{
    Dwarf_Attribute attribute;
    Dwarf_Die target;
    if (!dwarf_attr(die, name, &attribute) || !dwarf_formref_die(&attribute, &target))
        return 0;
    return dwarf_dieoffset(&target);
}

static const char *die_name(Dwarf_Die *die)
{
    const char *name = dwarf_diename(die);
    return name ? name : "";
}

static int starts_with(const char *text, const char *prefix)
{
    return strncmp(text, prefix, strlen(prefix)) == 0;
}

static int add_field(loader *l, hs_type *type, Dwarf_Die *member)
{
    hs_types *t = l->types;
    if (t->field_count >= UINT32_MAX - 1 || HS_ARRAY_RESERVE(t->fields, &l->field_capacity, t->field_count + 1) < 0 ||
        HS_ARRAY_RESERVE(l->field_dies, &l->field_die_capacity, t->field_count + 1) < 0)
        return out_of_memory(l);
    Dwarf_Attribute attribute;
    Dwarf_Word offset = 0;
    if (dwarf_attr(member, DW_AT_data_member_location, &attribute))
        dwarf_formudata(&attribute, &offset);
    Dwarf_Attribute embedded;
    bool flag = false;
    if (dwarf_attr(member, 0x2903, &embedded))
        dwarf_formflag(&embedded, &flag);
    t->fields[t->field_count] = (hs_type_field){.name = die_name(member), .offset = offset, .embedded = flag};
    l->field_dies[t->field_count] = attribute_ref(member, DW_AT_type);
    t->field_count++;
    type->field_count++;
    return HS_OK;
}

/* Reads one type entry (and its members or subrange) into a new type. */
static int add_type(loader *l, Dwarf_Die *die, int tag)
{
    hs_types *t = l->types;
    uint64_t go_kind = attribute_udata(die, GO_ATTR_KIND, 0);
    if (go_kind > GO_KIND_UNSAFE_POINTER)
        return HS_OK; /* no reflect.Kind: damaged, and references to it are to no type */
    if (t->type_count >= UINT32_MAX - 1 || HS_ARRAY_RESERVE(t->types, &l->type_capacity, t->type_count + 1) < 0 ||
        HS_ARRAY_RESERVE(l->pending, &l->pending_capacity, t->type_count + 1) < 0 ||
        HS_ARRAY_RESERVE(l->dies, &l->die_capacity, l->die_count + 1) < 0)
        return out_of_memory(l);
    uint32_t index = t->type_count++;
    hs_type *type = &t->types[index];
    pending_type *p = &l->pending[index];
    *type = (hs_type){.name = die_name(die), .first_field = t->field_count};
    *p = (pending_type){.go_kind = (uint8_t)go_kind};
    l->dies[l->die_count++] = (die_index){.die = dwarf_dieoffset(die), .index = index};
    uint64_t runtime_offset = attribute_udata(die, GO_ATTR_RUNTIME_TYPE, 0);
    type->runtime_type = runtime_offset ? l->types->private->types_base + runtime_offset : 0;
    type->size = attribute_udata(die, DW_AT_byte_size, 0); /* all 64 bits: dwarf_bytesize returns an int */
    p->elem_die = attribute_ref(die, DW_AT_type);
    switch (tag) {
    case DW_TAG_base_type:
        type->kind = p->go_kind == GO_KIND_UNSAFE_POINTER ? HS_KIND_UNSAFE_POINTER : HS_KIND_SCALAR;
        break;
    case DW_TAG_pointer_type:
        type->size = t->pointer_size;
        type->kind = p->go_kind == GO_KIND_UNSAFE_POINTER || !p->elem_die ? HS_KIND_UNSAFE_POINTER : HS_KIND_POINTER;
        break;
    case DW_TAG_typedef:
        p->is_typedef = 1;
        p->key_die = attribute_ref(die, GO_ATTR_KEY);
        p->value_die = attribute_ref(die, GO_ATTR_ELEM);
        break;
    case DW_TAG_subroutine_type:
        /* A func value: a word pointing at a closure (funcval). */
        type->kind = p->go_kind == GO_KIND_FUNC ? HS_KIND_FUNC : HS_KIND_SCALAR;
        type->size = t->pointer_size;
        break;
    case DW_TAG_array_type: {
        type->kind = HS_KIND_ARRAY;
        Dwarf_Die child;
        if (dwarf_child(die, &child) == 0) {
            do {
                if (dwarf_tag(&child) != DW_TAG_subrange_type)
                    continue;
                uint64_t count = attribute_udata(&child, DW_AT_count, UINT64_MAX);
                if (count == UINT64_MAX) {
                    uint64_t upper = attribute_udata(&child, DW_AT_upper_bound, UINT64_MAX);
                    count = upper == UINT64_MAX ? 0 : upper + 1;
                }
                type->count = count;
                break;
            } while (dwarf_siblingof(&child, &child) == 0);
        }
        break;
    }
    case DW_TAG_structure_type: {
        if (p->go_kind == GO_KIND_SLICE) {
            type->kind = HS_KIND_SLICE;
            p->elem_die = attribute_ref(die, GO_ATTR_ELEM);
        } else if (p->go_kind == GO_KIND_STRING) {
            type->kind = HS_KIND_STRING;
        } else {
            type->kind = HS_KIND_STRUCT;
        }
        Dwarf_Die child;
        if (dwarf_child(die, &child) == 0) {
            do {
                if (dwarf_tag(&child) == DW_TAG_member && add_field(l, &t->types[index], &child) < 0)
                    return HS_ERR_NOMEM;
            } while (dwarf_siblingof(&child, &child) == 0);
        }
        type = &t->types[index];
        if (p->go_kind == GO_KIND_INTERFACE)
            type->kind = type->field_count && !strcmp(t->fields[type->first_field].name, "_type") ? HS_KIND_EFACE
                                                                                                 : HS_KIND_IFACE;
        if (starts_with(type->name, "map<"))
            type->role = HS_ROLE_SWISS_MAP;
        else if (starts_with(type->name, "groupReference<"))
            type->role = HS_ROLE_SWISS_GROUPS;
        else if (starts_with(type->name, "hash<") || starts_with(type->name, "hmap<"))
            type->role = HS_ROLE_HMAP;
        else if (starts_with(type->name, "hchan<"))
            type->role = HS_ROLE_HCHAN;
        break;
    }
    default:
        type->kind = HS_KIND_SCALAR;
        break;
    }
    return HS_OK;
}

/* Go writes a global's location as a DW_FORM_block1 holding DW_OP_addr,
 * which dwarf_getlocation refuses in a DWARF 5 unit: read the block. */
static int global_location(Dwarf_Die *die, unsigned address_size, uint64_t *address)
{
    Dwarf_Attribute attribute;
    Dwarf_Op *expression;
    size_t length;
    if (!dwarf_attr(die, DW_AT_location, &attribute))
        return 0;
    if (dwarf_getlocation(&attribute, &expression, &length) == 0)
        return length == 1 && expression[0].atom == DW_OP_addr ? (*address = expression[0].number, 1) : 0;
    Dwarf_Block block;
    if (dwarf_formblock(&attribute, &block) != 0 || block.length != 1 + address_size || block.data[0] != DW_OP_addr)
        return 0;
    *address = hs_load_word(block.data + 1, address_size, 0);
    return 1;
}

static int add_global(loader *l, Dwarf_Die *die)
{
    uint64_t address;
    if (!global_location(die, l->types->pointer_size, &address))
        return HS_OK;
    hs_types *t = l->types;
    if (t->global_count >= UINT32_MAX - 1 ||
        HS_ARRAY_RESERVE(t->globals, &l->global_capacity, t->global_count + 1) < 0 ||
        HS_ARRAY_RESERVE(l->global_dies, &l->global_die_capacity, t->global_count + 1) < 0)
        return out_of_memory(l);
    t->globals[t->global_count] = (hs_type_global){.address = address, .name = die_name(die)};
    l->global_dies[t->global_count] = attribute_ref(die, DW_AT_type);
    t->global_count++;
    return HS_OK;
}

static int add_variable(loader *l, hs_type_function *function, Dwarf_Die *die)
{
    hs_types *t = l->types;
    if (t->variable_count >= UINT32_MAX - 1 ||
        HS_ARRAY_RESERVE(t->variables, &l->variable_capacity, t->variable_count + 1) < 0 ||
        HS_ARRAY_RESERVE(l->variable_dies, &l->variable_die_capacity, t->variable_count + 1) < 0)
        return out_of_memory(l);
    t->variables[t->variable_count] =
        (hs_type_variable){.name = die_name(die), .die_offset = dwarf_dieoffset(die),
                           .closure_offset = attribute_udata(die, GO_ATTR_CLOSURE_OFFSET, UINT64_MAX)};
    l->variable_dies[t->variable_count] = attribute_ref(die, DW_AT_type);
    t->variable_count++;
    function->variable_count++;
    return HS_OK;
}

/* A function and its variables and arguments, those in lexical blocks too. */
static int add_function(loader *l, Dwarf_Die *die)
{
    Dwarf_Addr low, high;
    if (dwarf_lowpc(die, &low) != 0 || dwarf_highpc(die, &high) != 0 || high <= low)
        return HS_OK;
    hs_types *t = l->types;
    if (t->function_count >= UINT32_MAX - 1 ||
        HS_ARRAY_RESERVE(t->functions, &l->function_capacity, t->function_count + 1) < 0)
        return out_of_memory(l);
    hs_type_function function = {.low_pc = low, .high_pc = high, .name = die_name(die), .die_offset = dwarf_dieoffset(die),
                                 .first_variable = t->variable_count};
    Dwarf_Die stack[MAX_BLOCK_DEPTH];
    int depth = 0;
    if (dwarf_child(die, &stack[0]) == 0)
        depth = 1;
    while (depth > 0) {
        Dwarf_Die *current = &stack[depth - 1];
        int tag = dwarf_tag(current);
        Dwarf_Die inner;
        if ((tag == DW_TAG_variable || tag == DW_TAG_formal_parameter) && add_variable(l, &function, current) < 0)
            return HS_ERR_NOMEM;
        int descend = tag == DW_TAG_lexical_block && depth < MAX_BLOCK_DEPTH && dwarf_child(current, &inner) == 0;
        if (dwarf_siblingof(current, current) != 0)
            depth--; /* this level is done: its entry is replaced by the inner block's, if any */
        if (descend)
            stack[depth++] = inner;
    }
    t->functions[t->function_count++] = function;
    return HS_OK;
}

static int read_unit(loader *l, Dwarf_Die *unit)
{
    Dwarf_Die child;
    if (dwarf_child(unit, &child) != 0)
        return HS_OK;
    do {
        int tag = dwarf_tag(&child), status = HS_OK;
        switch (tag) {
        case DW_TAG_base_type:
        case DW_TAG_pointer_type:
        case DW_TAG_typedef:
        case DW_TAG_subroutine_type:
        case DW_TAG_array_type:
        case DW_TAG_structure_type:
        case DW_TAG_unspecified_type:
            status = add_type(l, &child, tag);
            break;
        case DW_TAG_variable: status = add_global(l, &child); break;
        case DW_TAG_subprogram: status = add_function(l, &child); break;
        default: break;
        }
        if (status < 0)
            return status;
    } while (dwarf_siblingof(&child, &child) == 0);
    return HS_OK;
}

/* The code ranges of a compile unit, for the line table lookup. */
static int add_unit_ranges(loader *l, Dwarf_Die *unit)
{
    hs_types_private *private = l->types->private;
    Dwarf_Addr base, start, end;
    ptrdiff_t offset = 0;
    int ranges = 0;
    while ((offset = dwarf_ranges(unit, offset, &base, &start, &end)) > 0 && ranges++ < 1 << 20) {
        if (end <= start)
            continue;
        if (HS_ARRAY_RESERVE(private->units, &private->unit_capacity, private->unit_count + 1) < 0)
            return out_of_memory(l);
        private->units[private->unit_count++] = (unit_range){start, end, dwarf_dieoffset(unit)};
    }
    return HS_OK;
}

static int compare_die_indices(const void *a, const void *b)
{
    uint64_t x = ((const die_index *)a)->die, y = ((const die_index *)b)->die;
    return x < y ? -1 : x > y;
}

static hs_type_id resolve_die(const loader *l, uint64_t die)
{
    if (!die)
        return HS_NO_TYPE;
    uint64_t at = die_indices_first_at_least(l->dies, 0, l->die_count, die);
    return at < l->die_count && l->dies[at].die == die ? l->dies[at].index : HS_NO_TYPE;
}

/* Gives a typedef its target's shape under its own name: the target first
 * when it is a typedef too, at most MAX_TYPEDEF_CHAIN deep (a longer chain
 * or a cycle leaves the typedef an unknown scalar). */
static void resolve_typedef(loader *l, uint32_t index)
{
    hs_types *t = l->types;
    uint32_t chain[MAX_TYPEDEF_CHAIN];
    int length = 0;
    uint32_t at = index;
    while (l->pending[at].is_typedef && !l->pending[at].resolved) {
        if (length == MAX_TYPEDEF_CHAIN) {
            for (int i = 0; i < length; i++)
                l->pending[chain[i]].resolved = 1; /* given up: stays an unknown scalar */
            return;
        }
        for (int i = 0; i < length; i++)
            if (chain[i] == at) {
                for (int j = 0; j < length; j++)
                    l->pending[chain[j]].resolved = 1;
                return;
            }
        chain[length++] = at;
        at = t->types[at].elem; /* resolved DW_AT_type */
        if (at == HS_NO_TYPE)
            break;
    }
    while (length > 0) {
        uint32_t typedef_index = chain[--length];
        hs_type *type = &t->types[typedef_index];
        pending_type *p = &l->pending[typedef_index];
        p->resolved = 1;
        if (type->elem == HS_NO_TYPE)
            continue;
        p->typedef_target = type->elem;
        const hs_type *target = &t->types[type->elem];
        hs_type copy = *target;
        copy.name = type->name;
        copy.runtime_type = type->runtime_type ? type->runtime_type
                            : !strcmp(target->name, type->name) ? target->runtime_type : 0;
        copy.container = NULL;
        if (p->go_kind == GO_KIND_MAP && target->kind == HS_KIND_POINTER) {
            copy.kind = HS_KIND_MAP;
            copy.key = resolve_die(l, p->key_die);
            copy.value = resolve_die(l, p->value_die);
            if (target->elem != HS_NO_TYPE && !t->types[target->elem].container)
                t->types[target->elem].container = type->name;
        } else if (p->go_kind == GO_KIND_CHAN && target->kind == HS_KIND_POINTER) {
            copy.kind = HS_KIND_CHAN;
            copy.value = resolve_die(l, p->value_die);
            if (target->elem != HS_NO_TYPE && !t->types[target->elem].container)
                t->types[target->elem].container = type->name;
        } else if (p->go_kind == GO_KIND_INTERFACE && copy.field_count) {
            /* main.Shape is a typedef of runtime.iface, interface {} of runtime.eface. */
            copy.kind = !strcmp(t->fields[copy.first_field].name, "_type") ? HS_KIND_EFACE : HS_KIND_IFACE;
        } else if (p->go_kind == GO_KIND_FUNC) {
            copy.kind = HS_KIND_FUNC;
            copy.size = t->pointer_size;
        }
        *type = copy;
    }
}

/* Marks the types some word of which is a pointer, to a fixed point (a
 * struct depends on its fields, an array on its element). */
static void mark_pointers(hs_types *t)
{
    /* A value of no bytes holds no pointer, whatever its kind (damaged DWARF): walks over arrays of them,
     * 2^60 values at one offset, would never end. */
    for (uint32_t i = 1; i < t->type_count; i++) {
        uint8_t kind = t->types[i].kind;
        t->types[i].has_pointers = t->types[i].size > 0 && kind != HS_KIND_SCALAR && kind != HS_KIND_ARRAY &&
                                   kind != HS_KIND_STRUCT;
    }
    for (int round = 0; round < MAX_POINTER_ROUNDS; round++) {
        int changed = 0;
        for (uint32_t i = 1; i < t->type_count; i++) {
            hs_type *type = &t->types[i];
            if (type->has_pointers || type->size == 0)
                continue;
            int has = 0;
            if (type->kind == HS_KIND_ARRAY)
                has = type->count > 0 && type->elem != HS_NO_TYPE && t->types[type->elem].has_pointers;
            else if (type->kind == HS_KIND_STRUCT)
                for (uint32_t f = 0; f < type->field_count && !has; f++)
                    has = t->types[t->fields[type->first_field + f].type].has_pointers;
            if (has) {
                type->has_pointers = 1;
                changed = 1;
            }
        }
        if (!changed)
            break;
    }
}

/* The runtime's map internals, by the names Go's linker gives them in DWARF. */
static void mark_map_parts(hs_types *t)
{
    static const char *const prefixes[] = {"table<", "groupReference<", "noalg.map.group[", "map.group[", "bucket<",
                                           "mapextra<", "noalg.map.bucket[", "map.bucket["};
    for (uint32_t i = 1; i < t->type_count; i++)
        for (size_t p = 0; p < sizeof prefixes / sizeof *prefixes; p++)
            if (starts_with(t->types[i].name, prefixes[p]))
                t->types[i].map_part = 1;
    for (uint32_t i = 1; i < t->type_count; i++) {
        hs_type *type = &t->types[i];
        if (type->kind == HS_KIND_POINTER && type->elem != HS_NO_TYPE && t->types[type->elem].map_part)
            type->map_part = 1;
    }
}

static int compare_descriptors(const void *a, const void *b)
{
    uint64_t x = ((const descriptor_type *)a)->address, y = ((const descriptor_type *)b)->address;
    return x < y ? -1 : x > y;
}

static int compare_type_functions(const void *a, const void *b)
{
    uint64_t x = ((const hs_type_function *)a)->low_pc, y = ((const hs_type_function *)b)->low_pc;
    return x < y ? -1 : x > y;
}

static int compare_type_globals(const void *a, const void *b)
{
    uint64_t x = ((const hs_type_global *)a)->address, y = ((const hs_type_global *)b)->address;
    return x < y ? -1 : x > y;
}

/* Makes a closure type for every function with captured variables (Go
 * 1.24+ says where they are) or named like a closure ("….funcN"): the code
 * word, then the variables; a closure of unknown layout is a word long. */
static int add_closures(loader *l)
{
    hs_types *t = l->types;
    for (uint32_t i = 0; i < t->function_count; i++) {
        hs_type_function *function = &t->functions[i];
        int captures = 0;
        for (uint32_t v = 0; v < function->variable_count; v++)
            captures |= t->variables[function->first_variable + v].closure_offset != UINT64_MAX;
        const char *dot = strstr(function->name, ".func");
        if (!captures && !(dot && dot[5] >= '0' && dot[5] <= '9'))
            continue;
        if (t->type_count >= UINT32_MAX - 1 || HS_ARRAY_RESERVE(t->types, &l->type_capacity, t->type_count + 1) < 0)
            return out_of_memory(l);
        hs_type closure = {.name = function->name, .kind = HS_KIND_STRUCT, .role = HS_ROLE_CLOSURE,
                           .size = t->pointer_size, .first_field = t->field_count};
        for (uint32_t v = 0; v < function->variable_count; v++) {
            const hs_type_variable *variable = &t->variables[function->first_variable + v];
            uint64_t size = t->types[variable->type].size;
            if (variable->closure_offset == UINT64_MAX || variable->type == HS_NO_TYPE ||
                variable->closure_offset < t->pointer_size || variable->closure_offset > UINT64_MAX / 2 ||
                size > UINT64_MAX / 2 - variable->closure_offset)
                continue; /* its end would wrap past 2^64: damaged */
            if (t->field_count >= UINT32_MAX - 1 ||
                HS_ARRAY_RESERVE(t->fields, &l->field_capacity, t->field_count + 1) < 0)
                return out_of_memory(l);
            t->fields[t->field_count++] = (hs_type_field){.name = variable->name, .offset = variable->closure_offset,
                                                          .type = variable->type};
            closure.field_count++;
            uint64_t end = variable->closure_offset + size;
            if (end > closure.size)
                closure.size = end;
        }
        closure.size = (closure.size + t->pointer_size - 1) / t->pointer_size * t->pointer_size;
        function->closure = t->type_count;
        t->types[t->type_count++] = closure;
    }
    return HS_OK;
}

/* Fields of a struct must lie inside it, in increasing order; a struct that
 * breaks this (damaged DWARF) loses its fields, becoming opaque. */
static void check_fields(hs_types *t)
{
    for (uint32_t i = 1; i < t->type_count; i++) {
        hs_type *type = &t->types[i];
        uint64_t previous_end = 0;
        for (uint32_t f = 0; f < type->field_count; f++) {
            const hs_type_field *field = &t->fields[type->first_field + f];
            uint64_t size = t->types[field->type].size;
            if (field->offset < previous_end || field->offset > type->size || size > type->size - field->offset ||
                field->type == (hs_type_id)i) {
                type->field_count = 0;
                break;
            }
            previous_end = field->offset + size;
        }
        if (type->kind == HS_KIND_ARRAY && type->elem != HS_NO_TYPE) {
            uint64_t elem = t->types[type->elem].size;
            if (type->elem == (hs_type_id)i || (elem && type->count > type->size / elem))
                type->kind = HS_KIND_SCALAR, type->count = 0;
        }
    }
}

/* A named struct comes as the struct and a typedef of the same name: every
 * reference to the typedef is made to the struct, so that one Go type has
 * one number. */
static void canonicalize(loader *l)
{
    hs_types *t = l->types;
    for (uint32_t i = 1; i < t->type_count; i++) {
        hs_type *type = &t->types[i];
        if (!l->pending[i].is_typedef || l->pending[i].go_kind == GO_KIND_MAP ||
            l->pending[i].go_kind == GO_KIND_CHAN || l->pending[i].go_kind == GO_KIND_FUNC)
            continue;
        hs_type_id target = l->pending[i].typedef_target;
        if (target != HS_NO_TYPE && !strcmp(t->types[target].name, type->name))
            l->pending[i].canonical = target;
    }
#define CANONICAL(id) ((id) != HS_NO_TYPE && l->pending[id].canonical ? l->pending[id].canonical : (id))
    for (uint32_t i = 1; i < t->type_count; i++) {
        hs_type *type = &t->types[i];
        type->elem = CANONICAL(type->elem);
        type->key = CANONICAL(type->key);
        type->value = CANONICAL(type->value);
        if (l->pending[i].canonical)
            type->runtime_type = 0; /* the struct holds it */
    }
    for (uint32_t f = 0; f < t->field_count; f++)
        t->fields[f].type = CANONICAL(t->fields[f].type);
    for (uint32_t g = 0; g < t->global_count; g++)
        t->globals[g].type = CANONICAL(t->globals[g].type);
    for (uint32_t v = 0; v < t->variable_count; v++)
        t->variables[v].type = CANONICAL(t->variables[v].type);
#undef CANONICAL
}

static int finish(loader *l)
{
    hs_types *t = l->types;
    if (l->die_count > 1)
        qsort(l->dies, l->die_count, sizeof *l->dies, compare_die_indices);
    for (uint32_t i = 1; i < t->type_count; i++) {
        hs_type *type = &t->types[i];
        pending_type *p = &l->pending[i];
        type->elem = type->kind == HS_KIND_FUNC ? HS_NO_TYPE : resolve_die(l, p->elem_die);
    }
    for (uint32_t f = 0; f < t->field_count; f++)
        t->fields[f].type = resolve_die(l, l->field_dies[f]);
    for (uint32_t g = 0; g < t->global_count; g++)
        t->globals[g].type = resolve_die(l, l->global_dies[g]);
    for (uint32_t v = 0; v < t->variable_count; v++)
        t->variables[v].type = resolve_die(l, l->variable_dies[v]);
    for (uint32_t i = 1; i < t->type_count; i++)
        if (l->pending[i].is_typedef)
            resolve_typedef(l, i);
    for (uint32_t i = 1; i < t->type_count; i++) {
        hs_type *type = &t->types[i];
        if (type->kind == HS_KIND_ARRAY && type->elem != HS_NO_TYPE && type->size == 0)
            type->size = type->count * t->types[type->elem].size;
    }
    canonicalize(l);
    check_fields(t);
    if (add_closures(l) < 0)
        return HS_ERR_NOMEM;
    mark_pointers(t);
    mark_map_parts(t);
    for (uint32_t i = 1; i < t->type_count; i++)
        if (!t->uint8_type && !strcmp(t->types[i].name, "uint8") && t->types[i].size == 1)
            t->uint8_type = i;
    /* Descriptor index: one DWARF type per descriptor (a struct and its typedef share one: keep the first). */
    hs_types_private *private = t->private;
    for (uint32_t i = 1; i < t->type_count; i++) {
        if (!t->types[i].runtime_type)
            continue;
        if (HS_ARRAY_RESERVE(private->by_descriptor, &private->descriptor_capacity, private->descriptor_count + 1) < 0)
            return out_of_memory(l);
        private->by_descriptor[private->descriptor_count++] =
            (descriptor_type){.address = t->types[i].runtime_type, .type = i};
    }
    if (private->descriptor_count > 1)
        qsort(private->by_descriptor, private->descriptor_count, sizeof *private->by_descriptor, compare_descriptors);
    if (t->function_count > 1)
        qsort(t->functions, t->function_count, sizeof *t->functions, compare_type_functions);
    if (t->global_count > 1)
        qsort(t->globals, t->global_count, sizeof *t->globals, compare_type_globals);
    if (private->unit_count > 1)
        qsort(private->units, private->unit_count, sizeof *private->units, compare_units);
    return HS_OK;
}

/* The address of the runtime.types symbol (a local one, of no type and
 * size), from which go_runtime_type attributes count; 0 when absent. */
static uint64_t find_types_base(Elf *elf)
{
    Elf_Scn *section = NULL;
    while ((section = elf_nextscn(elf, section)) != NULL) {
        GElf_Shdr header;
        if (!gelf_getshdr(section, &header) || header.sh_type != SHT_SYMTAB || header.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(section, NULL);
        if (!data)
            continue;
        uint64_t count = header.sh_size / header.sh_entsize;
        for (uint64_t i = 0; i < count && i < INT32_MAX; i++) {
            GElf_Sym symbol;
            if (!gelf_getsym(data, (int)i, &symbol))
                break;
            const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
            if (name && !strcmp(name, "runtime.types"))
                return symbol.st_value;
        }
    }
    return 0;
}

int hs_types_load(const hs_symbols *symbols, hs_types **out, hs_error *err)
{
    *out = NULL;
    hs_types *t = calloc(1, sizeof *t);
    hs_types_private *private = calloc(1, sizeof *private);
    if (!t || !private) {
        free(t);
        free(private);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory reading DWARF types", symbols->path);
    }
    t->private = private;
    private->fd = -1;
    t->pointer_size = symbols->word_size ? symbols->word_size : 8;
    loader l = {.types = t, .symbols = symbols, .path = symbols->path, .err = err};
    int status = HS_OK;
    elf_version(EV_CURRENT);
    private->fd = open(symbols->path, O_RDONLY | O_CLOEXEC);
    if (private->fd < 0) {
        status = hs_error_set(err, HS_ERR_IO, "%s: cannot open to read its DWARF", symbols->path);
        goto done;
    }
    private->elf = elf_begin(private->fd, ELF_C_READ_MMAP, NULL);
    private->dwarf = private->elf ? dwarf_begin_elf(private->elf, DWARF_C_READ, NULL) : NULL;
    if (private->elf)
        private->types_base = find_types_base(private->elf);
    /* Type 0: unknown. */
    if (HS_ARRAY_RESERVE(t->types, &l.type_capacity, 1) < 0 || HS_ARRAY_RESERVE(l.pending, &l.pending_capacity, 1) < 0) {
        status = out_of_memory(&l);
        goto done;
    }
    t->types[0] = (hs_type){.name = "?", .kind = HS_KIND_SCALAR};
    l.pending[0] = (pending_type){.resolved = 1};
    t->type_count = 1;
    private->type_capacity = l.type_capacity;
    if (!private->dwarf) {
        t->without_dwarf = 1; /* descriptors in .rodata still name what allocation headers point at */
        goto done;
    }
    Dwarf_CU *unit = NULL;
    Dwarf_Die unit_die;
    uint8_t unit_type;
    Dwarf_Half version;
    int read;
    while ((read = dwarf_get_units(private->dwarf, unit, &unit, &version, &unit_type, &unit_die, NULL)) == 0)
    {
        if ((status = read_unit(&l, &unit_die)) < 0 || (status = add_unit_ranges(&l, &unit_die)) < 0)
            goto done;
    }
    if (read < 0 || t->type_count == 1) {
        int error = dwarf_errno(); /* none when libdw found no .debug_info it could read */
        status = hs_error_set(err, HS_ERR_PROGRAM, "%s: unreadable DWARF (%s)", symbols->path,
                              read >= 0 ? "no types" : error ? dwarf_errmsg(error) : "no readable .debug_info");
        goto done;
    }
    status = finish(&l);
    private->type_capacity = l.type_capacity;
done:
    free(l.pending);
    free(l.dies);
    free(l.field_dies);
    free(l.global_dies);
    free(l.variable_dies);
    if (status < 0) {
        hs_types_free(t);
        return status;
    }
    *out = t;
    return HS_OK;
}

void hs_types_fit(hs_types *types, const hs_symbols *symbols)
{
    uint64_t delta = symbols->load_offset - types->load_offset;
    if (!delta)
        return;
    for (uint32_t g = 0; g < types->global_count; g++)
        types->globals[g].address += delta;
    for (uint32_t i = 1; i < types->type_count; i++)
        if (types->types[i].runtime_type)
            types->types[i].runtime_type += delta;
    for (uint64_t d = 0; d < types->private->descriptor_count; d++)
        types->private->by_descriptor[d].address += delta;
    types->load_offset = symbols->load_offset;
}

void hs_types_free(hs_types *types)
{
    if (!types)
        return;
    hs_types_private *private = types->private;
    if (private) {
        if (private->dwarf)
            dwarf_end(private->dwarf);
        if (private->elf)
            elf_end(private->elf);
        if (private->fd >= 0)
            close(private->fd);
        for (uint64_t i = 0; i < private->made_count; i++)
            free(private->made_names[i]);
        free(private->made_names);
        free(private->by_descriptor);
        free(private->units);
        free(private);
    }
    free(types->types);
    free(types->fields);
    free(types->globals);
    free(types->functions);
    free(types->variables);
    free(types);
}

/* abi.Type's layout (the same from Go 1.14 to 1.26): Size_ +0, PtrBytes
 * +word, TFlag +2 words+4, Kind_ +2 words+7, Str (a name offset from
 * runtime.types) +4 words on 64-bit. */
#define DESCRIPTOR_TFLAG_EXTRA_STAR 2u
#define DESCRIPTOR_MAX_NAME 4096u

/* Reads the name a descriptor's Str names: a flag byte, a uvarint length, the bytes. */
static char *descriptor_name(const hs_symbols *symbols, uint64_t types_base, int32_t name_offset, int extra_star)
{
    const hs_address_range *r = &symbols->rodata_range;
    uint64_t at = types_base + (uint64_t)(int64_t)name_offset;
    if (at < r->start || at >= r->end)
        return NULL;
    const uint8_t *p = symbols->rodata + (at - r->start);
    uint64_t left = r->end - at, length = 0;
    unsigned shift = 0, used = 1;
    for (;; used++) {
        if (used >= left || shift > 28)
            return NULL;
        uint8_t byte = p[used];
        length |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80))
            break;
    }
    used++;
    if (length > DESCRIPTOR_MAX_NAME || length > left - used)
        return NULL;
    const uint8_t *bytes = p + used;
    if (extra_star && length > 0 && bytes[0] == '*')
        bytes++, length--;
    char *name = malloc(length + 1);
    if (!name)
        return NULL;
    memcpy(name, bytes, length);
    name[length] = 0;
    return name;
}

hs_type_id hs_types_from_descriptor(hs_types *types, const hs_symbols *symbols, uint64_t address)
{
    if (!types || !address)
        return HS_NO_TYPE;
    hs_types_private *private = types->private;
    uint64_t at = descriptors_first_at_least(private->by_descriptor, 0, private->descriptor_count, address);
    if (at < private->descriptor_count && private->by_descriptor[at].address == address)
        return private->by_descriptor[at].type;
    /* Not in DWARF: read the descriptor itself. */
    uint64_t size, pointer_bytes;
    if (!symbols || !hs_symbols_type_layout(symbols, address, &size, &pointer_bytes) || symbols->word_size != 8)
        return HS_NO_TYPE;
    uint64_t program_address = address - symbols->load_offset;
    const uint8_t *descriptor = symbols->rodata + (program_address - symbols->rodata_range.start);
    if (symbols->rodata_range.end - program_address < 48)
        return HS_NO_TYPE;
    uint8_t tflag = descriptor[20];
    int32_t name_offset = (int32_t)hs_load_word(descriptor + 40, 4, symbols->big_endian);
    char *name = descriptor_name(symbols, private->types_base, name_offset, tflag & DESCRIPTOR_TFLAG_EXTRA_STAR);
    if (!name)
        return HS_NO_TYPE;
    if (HS_ARRAY_RESERVE(private->made_names, &private->made_capacity, private->made_count + 1) < 0 ||
        HS_ARRAY_RESERVE(types->types, &private->type_capacity, (uint64_t)types->type_count + 1) < 0 ||
        HS_ARRAY_RESERVE(private->by_descriptor, &private->descriptor_capacity, private->descriptor_count + 1) < 0 ||
        types->type_count >= UINT32_MAX - 1) {
        free(name);
        return HS_NO_TYPE;
    }
    private->made_names[private->made_count++] = name;
    hs_type_id id = types->type_count++;
    types->types[id] = (hs_type){.name = name, .size = size, .runtime_type = address, .kind = HS_KIND_STRUCT,
                                 .has_pointers = pointer_bytes > 0, .from_descriptor = 1};
    memmove(&private->by_descriptor[at + 1], &private->by_descriptor[at],
            (private->descriptor_count - at) * sizeof *private->by_descriptor);
    private->by_descriptor[at] = (descriptor_type){.address = address, .type = id};
    private->descriptor_count++;
    return id;
}

const hs_type_function *hs_types_function_at(const hs_types *types, uint64_t pc)
{
    if (!types || pc < types->load_offset)
        return NULL;
    uint64_t program_pc = pc - types->load_offset;
    uint64_t at = type_functions_first_above(types->functions, 0, types->function_count, program_pc);
    if (at == 0)
        return NULL;
    const hs_type_function *function = &types->functions[at - 1];
    return program_pc < function->high_pc ? function : NULL;
}

/* Reads a SLEB128 from bytes [*at, length); returns 0 when cut short. */
static int read_sleb128(const uint8_t *bytes, uint64_t length, uint64_t *at, int64_t *value)
{
    uint64_t result = 0;
    unsigned shift = 0;
    while (*at < length) {
        uint8_t byte = bytes[(*at)++];
        if (shift < 64)
            result |= (uint64_t)(byte & 0x7f) << shift;
        shift += 7;
        if (!(byte & 0x80)) {
            if (shift < 64 && (byte & 0x40))
                result |= ~(uint64_t)0 << shift;
            *value = (int64_t)result;
            return 1;
        }
    }
    return 0;
}

/* Appends one piece; returns 0 when full. */
static int add_piece(hs_variable_piece *pieces, unsigned max, unsigned *count, int on_stack, int64_t offset,
                     uint64_t size)
{
    if (*count >= max)
        return 0;
    pieces[(*count)++] = (hs_variable_piece){.on_stack = on_stack, .cfa_offset = offset, .size = size};
    return 1;
}

int hs_types_variable_pieces(const hs_types *types, const hs_type_variable *variable, uint64_t pc,
                             hs_variable_piece *pieces, unsigned max, unsigned *count)
{
    *count = 0;
    Dwarf_Die die;
    Dwarf_Attribute attribute;
    if (!dwarf_offdie(types->private->dwarf, variable->die_offset, &die) ||
        !dwarf_attr(&die, DW_AT_location, &attribute))
        return 0;
    uint64_t whole = types->types[variable->type].size;
    Dwarf_Op *expression;
    size_t length;
    int found = dwarf_getlocation_addr(&attribute, pc - types->load_offset, &expression, &length, 1);
    if (found == 1) {
        /* DW_OP_fbreg N alone, or pieces: (DW_OP_fbreg N | a register) DW_OP_piece SIZE ... */
        int on_stack = 0, have_location = 0;
        int64_t offset = 0;
        for (size_t i = 0; i < length; i++) {
            const Dwarf_Op *op = &expression[i];
            if (op->atom == DW_OP_fbreg) {
                on_stack = 1, have_location = 1, offset = (int64_t)op->number;
            } else if (op->atom == DW_OP_piece) {
                if (!add_piece(pieces, max, count, on_stack && have_location, offset, op->number))
                    return 0;
                on_stack = 0, have_location = 0;
            } else if ((op->atom >= DW_OP_reg0 && op->atom <= DW_OP_reg31) || op->atom == DW_OP_regx) {
                on_stack = 0, have_location = 1;
            } else {
                return 0; /* an expression this reader does not evaluate */
            }
        }
        if (have_location && *count == 0)
            return on_stack ? add_piece(pieces, max, count, 1, offset, whole) : 0;
        return *count > 0;
    }
    /* A DW_FORM_block1 (as Go writes for some): DW_OP_fbreg and a SLEB128. */
    Dwarf_Block block;
    if (dwarf_formblock(&attribute, &block) != 0 || block.length < 2 || block.data[0] != DW_OP_fbreg)
        return 0;
    uint64_t at = 1;
    int64_t offset;
    if (!read_sleb128(block.data, block.length, &at, &offset) || at != block.length)
        return 0;
    return add_piece(pieces, max, count, 1, offset, whole);
}

uint64_t hs_types_extent(const hs_types *types, hs_type_id type, uint64_t count)
{
    uint64_t size = types->types[type].size;
    if (count && size > UINT64_MAX / count)
        return UINT64_MAX;
    return size * count;
}

#define MAX_FIELD_DEPTH 48

/* The last field of struct t whose bytes cover offset, or NULL. */
static const hs_type_field *field_covering(const hs_types *types, const hs_type *t, uint64_t offset)
{
    const hs_type_field *found = NULL;
    for (uint32_t f = 0; f < t->field_count; f++) {
        const hs_type_field *field = &types->fields[t->first_field + f];
        if (field->offset <= offset && offset - field->offset < types->types[field->type].size)
            found = field;
    }
    return found;
}

int hs_types_field_path(const hs_types *types, hs_type_id type, uint64_t count, uint64_t offset, char *buffer,
                        unsigned long size)
{
    unsigned long used = 0;
    buffer[0] = 0;
    uint64_t element = types->types[type].size;
    if (element == 0 || offset / element >= count)
        return 0;
    if (count > 1)
        used += (unsigned long)snprintf(buffer + used, size - used, "[%llu]", (unsigned long long)(offset / element));
    offset %= element;
    for (int depth = 0; depth < MAX_FIELD_DEPTH && used < size; depth++) {
        const hs_type *t = &types->types[type];
        if (t->kind == HS_KIND_STRUCT && t->field_count) {
            const hs_type_field *found = field_covering(types, t, offset);
            if (!found)
                break;
            used += (unsigned long)snprintf(buffer + used, size - used, ".%s", found->name);
            offset -= found->offset;
            type = found->type;
        } else if (t->kind == HS_KIND_ARRAY && t->elem != HS_NO_TYPE && types->types[t->elem].size) {
            uint64_t elem = types->types[t->elem].size;
            used += (unsigned long)snprintf(buffer + used, size - used, "[%llu]", (unsigned long long)(offset / elem));
            offset %= elem;
            type = t->elem;
        } else {
            break;
        }
    }
    if (used >= size)
        buffer[size - 1] = 0;
    return buffer[0] != 0;
}

hs_type_id hs_types_leaf_at(const hs_types *types, hs_type_id type, uint64_t count, uint64_t offset, uint64_t *within)
{
    uint64_t element = types->types[type].size;
    if (element == 0 || offset / element >= count)
        return HS_NO_TYPE;
    offset %= element;
    for (int depth = 0; depth < MAX_FIELD_DEPTH; depth++) {
        const hs_type *t = &types->types[type];
        if (t->kind == HS_KIND_STRUCT && t->field_count) {
            const hs_type_field *found = field_covering(types, t, offset);
            if (!found)
                return HS_NO_TYPE;
            offset -= found->offset;
            type = found->type;
        } else if (t->kind == HS_KIND_ARRAY && t->elem != HS_NO_TYPE && types->types[t->elem].size) {
            offset %= types->types[t->elem].size;
            type = t->elem;
        } else {
            *within = offset;
            return type;
        }
    }
    return HS_NO_TYPE;
}

void hs_types_name(const hs_types *types, hs_type_id type, uint64_t count, char *buffer, unsigned long size)
{
    const hs_type *t = &types->types[type];
    const char *name = t->container ? t->container : t->name;
    if (count == 1)
        snprintf(buffer, size, "%s", name);
    else
        snprintf(buffer, size, "[%llu]%s", (unsigned long long)count, name);
}

const hs_type_global *hs_types_global_at(const hs_types *types, uint64_t address)
{
    uint64_t at = type_globals_first_above(types->globals, 0, types->global_count, address);
    if (at == 0)
        return NULL;
    const hs_type_global *global = &types->globals[at - 1];
    uint64_t size = types->types[global->type].size;
    return address - global->address < (size ? size : 1) ? global : NULL;
}

/* The call site of the outermost inlined subroutine of pc's function that
 * covers pc (searched below the function's entry, through lexical blocks,
 * at most MAX_BLOCK_DEPTH deep); 1 when there is one. */
static int inlined_call_line(const hs_types *types, Dwarf_Die *unit, uint64_t pc, const char **file, uint64_t *line)
{
    const hs_type_function *function = hs_types_function_at(types, pc);
    Dwarf_Die stack[MAX_BLOCK_DEPTH], entry;
    uint64_t program_pc = pc - types->load_offset;
    if (!function || !dwarf_offdie(types->private->dwarf, function->die_offset, &entry) ||
        dwarf_child(&entry, &stack[0]) != 0)
        return 0;
    int depth = 1;
    while (depth > 0) {
        Dwarf_Die *current = &stack[depth - 1];
        int tag = dwarf_tag(current);
        if ((tag == DW_TAG_inlined_subroutine || tag == DW_TAG_lexical_block) && dwarf_haspc(current, program_pc) == 1) {
            if (tag == DW_TAG_inlined_subroutine) {
                uint64_t file_index = attribute_udata(current, DW_AT_call_file, UINT64_MAX);
                uint64_t call_line = attribute_udata(current, DW_AT_call_line, 0);
                Dwarf_Files *files;
                size_t file_count;
                const char *name;
                if (file_index == UINT64_MAX || !call_line || dwarf_getsrcfiles(unit, &files, &file_count) != 0 ||
                    file_index >= file_count || !(name = dwarf_filesrc(files, file_index, NULL, NULL)))
                    return 0;
                *file = name;
                *line = call_line;
                return 1;
            }
            Dwarf_Die inner;
            if (depth < MAX_BLOCK_DEPTH && dwarf_child(current, &inner) == 0) {
                *current = inner; /* the block covers pc: look only inside it */
                continue;
            }
            return 0;
        }
        if (dwarf_siblingof(current, current) != 0)
            depth--;
    }
    return 0;
}

int hs_types_source_line(const hs_types *types, uint64_t pc, const char **file, uint64_t *line)
{
    if (!types || !types->private->dwarf || pc < types->load_offset)
        return 0;
    const hs_types_private *private = types->private;
    uint64_t program_pc = pc - types->load_offset;
    uint64_t at = units_first_above(private->units, 0, private->unit_count, program_pc);
    Dwarf_Die unit;
    if (at == 0 || program_pc >= private->units[at - 1].end ||
        !dwarf_offdie(private->dwarf, private->units[at - 1].die, &unit))
        return 0;
    /* When pc is in code inlined into the frame's function, the frame's own
     * line is where the outermost inlined call is: its call_file and call_line. */
    if (inlined_call_line(types, &unit, pc, file, line))
        return 1;
    Dwarf_Line *source = dwarf_getsrc_die(&unit, program_pc);
    int number;
    const char *name = source ? dwarf_linesrc(source, NULL, NULL) : NULL;
    if (!name || dwarf_lineno(source, &number) != 0 || number < 0)
        return 0;
    *file = name;
    *line = (uint64_t)number;
    return 1;
}

hs_type_id hs_types_find(const hs_types *types, const char *name)
{
    for (uint32_t i = 1; types && i < types->type_count; i++)
        if (!strcmp(types->types[i].name, name) && types->types[i].kind == HS_KIND_STRUCT && types->types[i].field_count)
            return i;
    for (uint32_t i = 1; types && i < types->type_count; i++)
        if (!strcmp(types->types[i].name, name))
            return i;
    return HS_NO_TYPE;
}

const hs_type_global *hs_types_find_global(const hs_types *types, const char *name)
{
    for (uint32_t g = 0; types && g < types->global_count; g++)
        if (!strcmp(types->globals[g].name, name))
            return &types->globals[g];
    return NULL;
}

int hs_types_field_offset(const hs_types *types, hs_type_id type, const char *name, uint64_t *offset,
                          hs_type_id *field_type)
{
    uint64_t at = 0;
    const char *part = name;
    for (int depth = 0; depth < MAX_FIELD_DEPTH && type != HS_NO_TYPE; depth++) {
        const char *dot = strchr(part, '.');
        size_t length = dot ? (size_t)(dot - part) : strlen(part);
        const hs_type *t = &types->types[type];
        const hs_type_field *found = NULL;
        for (uint32_t f = 0; f < t->field_count && !found; f++) {
            const hs_type_field *field = &types->fields[t->first_field + f];
            if (strlen(field->name) == length && !memcmp(field->name, part, length))
                found = field;
        }
        if (!found)
            return 0;
        at += found->offset;
        type = found->type;
        if (!dot) {
            *offset = at;
            if (field_type)
                *field_type = type;
            return 1;
        }
        part = dot + 1;
    }
    return 0;
}
