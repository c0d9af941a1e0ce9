/* hs_types.h — the Go types of a program, read from its DWARF with libdw: types, globals, functions' frame variables and closures; and runtime type descriptors mapped to them. */
#ifndef HS_TYPES_H
#define HS_TYPES_H

#include <stdint.h>

#include "hs_error.h"
#include "hs_symbols.h"

/* Type numbers index hs_types.types; 0 is "no type" (unknown). */
typedef uint32_t hs_type_id;
#define HS_NO_TYPE 0u

/* What a value of the type is, as far as following pointers goes. */
enum hs_type_kind {
    HS_KIND_SCALAR,         /* no pointers: numbers, bools, uintptr */
    HS_KIND_POINTER,        /* *T: elem is T */
    HS_KIND_UNSAFE_POINTER, /* unsafe.Pointer (a pointer of no known type) */
    HS_KIND_STRING,         /* {data, len}: data points at len bytes */
    HS_KIND_SLICE,          /* {data, len, cap}: data points at cap values of elem */
    HS_KIND_ARRAY,          /* count values of elem */
    HS_KIND_STRUCT,         /* fields */
    HS_KIND_EFACE,          /* interface{}: {type descriptor, data} */
    HS_KIND_IFACE,          /* an interface with methods: {itab, data} */
    HS_KIND_MAP,            /* a pointer to the map's header: elem is the header's struct */
    HS_KIND_CHAN,           /* a pointer to the channel (hchan<T>): elem is that struct */
    HS_KIND_FUNC            /* a pointer to a closure (funcval): word 0 the code pointer */
};

/* Runtime structs whose pointers DWARF does not type (unsafe.Pointer, or a
 * length held elsewhere), followed by rules of their own. */
enum hs_type_role {
    HS_ROLE_NONE,
    HS_ROLE_SWISS_MAP,       /* Go 1.24+ map<K,V>: dirPtr is a group (dirLen 0) or dirLen *table<K,V> */
    HS_ROLE_SWISS_GROUPS,    /* groupReference<K,V>: data points at lengthMask+1 groups */
    HS_ROLE_HMAP,            /* before Go 1.24, hash<K,V> (the runtime's hmap): buckets holds 2^B buckets, oldbuckets 2^(B-1) */
    HS_ROLE_HCHAN,           /* hchan<T>: buf holds dataqsiz values of the type elemtype names */
    HS_ROLE_CLOSURE          /* a closure: a function's name, captured variables where DWARF gives them */
};

typedef struct hs_type_field {
    const char *name;
    uint64_t offset;
    hs_type_id type;
    int embedded;
} hs_type_field;

typedef struct hs_type {
    const char *name;      /* the Go name with full package paths ("example.com/a.T", "[]*main.Request") */
    uint64_t size;         /* bytes */
    uint64_t count;        /* HS_KIND_ARRAY: elements */
    uint64_t runtime_type; /* the runtime descriptor's address in the dump's address space; 0 when unknown */
    hs_type_id elem;       /* POINTER, SLICE, ARRAY: element; MAP, CHAN: the header struct */
    hs_type_id key, value; /* MAP: key and value types; CHAN: value is the element */
    uint32_t first_field, field_count; /* STRUCT (and string, slice, interface structs): into hs_types.fields */
    uint8_t kind;          /* enum hs_type_kind */
    uint8_t role;          /* enum hs_type_role */
    uint8_t has_pointers;  /* some word of a value is a pointer (of any kind) */
    uint8_t from_descriptor; /* known only from the runtime descriptor in .rodata: name, size, no fields */
    uint8_t map_part;        /* a map's internals (Swiss tables and groups, buckets) or a pointer to them */
    /* For a map's header or a channel's hchan: the Go type it is the
     * header of ("map[int64]*main.Request", "chan *main.Msg"); else NULL. */
    const char *container;
} hs_type;

/* A global variable. */
typedef struct hs_type_global {
    uint64_t address; /* in the dump's address space (after hs_types_fit) */
    hs_type_id type;
    const char *name;
} hs_type_global;

/* A local variable or argument of a function, or a closure's captured variable. */
typedef struct hs_type_variable {
    const char *name;
    hs_type_id type;
    uint64_t die_offset;     /* its DWARF entry, for its location at a pc */
    uint64_t closure_offset; /* a captured variable's offset in the closure; UINT64_MAX otherwise */
} hs_type_variable;

typedef struct hs_type_function {
    uint64_t low_pc, high_pc; /* program addresses (before the load offset) */
    const char *name;
    uint32_t first_variable, variable_count;
    hs_type_id closure; /* the closure type (HS_ROLE_CLOSURE) made for it, or HS_NO_TYPE */
    uint64_t die_offset; /* its DWARF entry */
} hs_type_function;

typedef struct hs_types hs_types;
struct hs_types {
    hs_type *types; /* [0] is the unknown type */
    uint32_t type_count;
    hs_type_field *fields;
    uint32_t field_count;
    hs_type_global *globals; /* sorted by address */
    uint32_t global_count;
    hs_type_function *functions; /* sorted by low_pc */
    uint32_t function_count;
    hs_type_variable *variables;
    uint32_t variable_count;
    unsigned pointer_size;
    uint64_t load_offset;  /* added to program addresses to get the dump's (hs_types_fit) */
    hs_type_id uint8_type; /* "uint8", for a string's bytes; HS_NO_TYPE when absent */
    int without_dwarf;     /* the program has no DWARF: only descriptors name types */
    struct hs_types_private *private; /* libdw handles, indices, descriptor names */
};

/* Reads the Go types of the program symbols was loaded from. A program
 * without DWARF (built with -ldflags=-w, or stripped) gives a table with
 * without_dwarf set, whose types come only from runtime descriptors. Errors:
 * HS_ERR_IO (cannot open), HS_ERR_PROGRAM (DWARF that libdw cannot read,
 * with a message naming the file), HS_ERR_NOMEM. Types whose DWARF is damaged (a reference to nothing, a
 * cycle of typedefs or embedded structs) come out unknown rather than
 * failing the load. symbols must outlive the table. Free with hs_types_free. */
int hs_types_load(const hs_symbols *symbols, hs_types **out, hs_error *err);

/* Moves the table to the dump's addresses: symbols->load_offset (known after
 * hs_symbols_check_dump) is added to globals and descriptor addresses. */
void hs_types_fit(hs_types *types, const hs_symbols *symbols);

void hs_types_free(hs_types *types);

/* The type of the runtime descriptor at address (a dump address: an
 * allocation header's word, an interface's type word, an hchan's
 * elemtype): the DWARF type with that descriptor, or one made from the
 * descriptor in .rodata (name and size only, from_descriptor set), or
 * HS_NO_TYPE when address is no plausible descriptor. The table may grow:
 * pointers into types are invalidated. */
hs_type_id hs_types_from_descriptor(hs_types *types, const hs_symbols *symbols, uint64_t address);

/* The function whose code covers pc (a dump address), or NULL. */
const hs_type_function *hs_types_function_at(const hs_types *types, uint64_t pc);

/* The source line of pc (a dump address) from the program's line table:
 * returns 1 and sets *file (owned by the table) and *line, else 0. For a
 * return address (a frame's pc above the innermost) pass pc - 1. */
int hs_types_source_line(const hs_types *types, uint64_t pc, const char **file, uint64_t *line);

/* The first type named name (a struct before a typedef of it), or HS_NO_TYPE. */
hs_type_id hs_types_find(const hs_types *types, const char *name);

/* The global named name, or NULL. */
const hs_type_global *hs_types_find_global(const hs_types *types, const char *name);

/* The offset of the field named name in type, following embedded fields'
 * dotted names ("sched.ctxt"); returns 1 and sets *offset (and *field_type
 * when not NULL), else 0. */
int hs_types_field_offset(const hs_types *types, hs_type_id type, const char *name, uint64_t *offset,
                          hs_type_id *field_type);

/* The global whose bytes cover address (a dump address), or NULL. */
const hs_type_global *hs_types_global_at(const hs_types *types, uint64_t address);

/* Where a frame variable's bytes are at a pc: pieces in order, each either
 * at a fixed offset from the frame's canonical frame address (DW_OP_fbreg)
 * or elsewhere (a register: not in the dump). */
typedef struct hs_variable_piece {
    int on_stack;
    int64_t cfa_offset;
    uint64_t size;
} hs_variable_piece;

/* Fills pieces (at most max) for variable of a function at pc (a dump
 * address); returns 1 when DWARF places some of it at that pc, else 0 (no
 * location there, or one this reader does not evaluate). */
int hs_types_variable_pieces(const hs_types *types, const hs_type_variable *variable, uint64_t pc,
                             hs_variable_piece *pieces, unsigned max, unsigned *count);

/* Writes the field path of byte `offset` in `count` values of type into
 * buffer (size >= 1): ".Session", "[3].Next", ".Headers"; returns 1, or 0
 * (buffer emptied) when offset is at the start of a value with no fields
 * or outside the values. */
int hs_types_field_path(const hs_types *types, hs_type_id type, uint64_t count, uint64_t offset, char *buffer,
                        unsigned long size);

/* The type's size times count, or UINT64_MAX when that overflows. */
uint64_t hs_types_extent(const hs_types *types, hs_type_id type, uint64_t count);

/* The innermost type (neither struct nor array) of `count` values of type
 * that covers byte `offset`, and in *within how far into it the byte is;
 * HS_NO_TYPE when the offset is past the values or in no field. */
hs_type_id hs_types_leaf_at(const hs_types *types, hs_type_id type, uint64_t count, uint64_t offset, uint64_t *within);

/* Writes the name of `count` values of type laid end to end into buffer
 * (size >= 1): "main.Request" for 1, "[25]main.Header" for 25, the function's
 * name for a closure ("main.handler.func1"); the container's name for a map
 * or channel header ("map[int64]*main.Request"). */
void hs_types_name(const hs_types *types, hs_type_id type, uint64_t count, char *buffer, unsigned long size);

#endif
