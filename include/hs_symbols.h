/* hs_symbols.h — global variable names from the Go program's ELF symbol table (libelf; no Go toolchain needed),
 * and whether that program wrote a dump. */
#ifndef HS_SYMBOLS_H
#define HS_SYMBOLS_H

#include <stdint.h>

#include "hs_error.h"

typedef struct hs_symbol {
    uint64_t address, size;
    const char *name; /* owned by the table */
} hs_symbol;

/* An address range [start, end) of the program; empty (start == end) when absent. */
typedef struct hs_address_range {
    uint64_t start, end;
} hs_address_range;

/* A static: a stretch of the data or BSS segment that no symbol covers and
 * that a global points at (`var cache = &cacheT{…}` lays the struct out
 * there without a symbol of its own). It is named after the global. */
typedef struct hs_static {
    uint64_t address, end;   /* from the pointer's value up to the next symbol or the segment's end */
    const hs_symbol *global; /* the global holding the pointer */
    uint64_t global_offset;  /* where in the global the pointer is */
} hs_static;

/* A function symbol: the hash of its name and its entry address. */
typedef struct hs_function_entry {
    uint64_t hash, address;
} hs_function_entry;

/* What the program file's headers say against its size: a file cut short
 * (a copy that did not finish) loses the sections past its end, the symbol
 * table first (the linker puts it last), which leaves globals unnamed. For
 * a warning. */
typedef struct hs_symbols_warnings {
    uint64_t file_size;    /* bytes in the file */
    uint64_t needed_size;  /* where its section headers and sections end, by their headers */
    uint64_t sections_cut; /* sections (with bytes in the file) that end past the file's end */
    int headers_cut;       /* the section header table itself ends past it */
    int symbol_table_cut;  /* the symbol table or its string table is among the sections cut */
    int section_names_cut; /* the section name table is: no section (.data, .bss, ...) is found by name */
} hs_symbols_warnings;

typedef struct hs_symbols {
    hs_symbol *symbols; /* data objects sorted by address */
    uint64_t count;
    char *names;        /* all names, NUL-separated */
    /* What hs_symbols_check_dump compares with a dump. */
    char *path;                 /* the program file, as given */
    int position_independent;   /* ET_DYN: loaded at an offset chosen when it runs */
    uint64_t load_offset;       /* added to every address by hs_symbols_check_dump; 0 before */
    hs_address_range data, bss; /* the .data and .bss sections */
    hs_function_entry *functions; /* function symbols by name hash (".abi0" dropped), then address */
    uint64_t function_count;
    char *go_version;           /* from .go.buildinfo or runtime.buildVersion; NULL when unreadable */
    hs_static *statics;         /* found by hs_symbols_check_dump, sorted by address; NULL before */
    uint64_t static_count;
    /* A copy of the .rodata section, where the runtime's type descriptors
     * live (empty when the program has none). */
    uint8_t *rodata;
    hs_address_range rodata_range;
    unsigned word_size; /* the program's pointer size */
    int big_endian;
    hs_symbols_warnings warnings; /* a file cut short: sections_cut or headers_cut is non-zero */
} hs_symbols;

/* Reads the data-object symbols (STT_OBJECT, and sized STT_NOTYPE) of an ELF
 * executable, and what hs_symbols_check_dump needs: its .data and .bss
 * ranges, its function names and its Go version. Errors: HS_ERR_IO (cannot
 * open), HS_ERR_PROGRAM (not ELF, or no symbol table: a stripped binary, or
 * a file cut short before its section headers, which the message says). A
 * file cut short after them loads, with what is left, and says so in
 * warnings. Free with hs_symbols_free. */
int hs_symbols_load(const char *path, hs_symbols **out, hs_error *err);

struct hs_heap; /* hs_heap.h */

/* Checks that the program wrote the dump, and fails with HS_ERR_PROGRAM and
 * a message naming both files and what disagrees when
 *  - the Go version of the dump's params record is not the program's (when
 *    the program's can be read),
 *  - the dump's data or BSS segment does not lie inside the program's .data
 *    or .bss section; for a position-independent program the load offset is
 *    taken from the data segment's start (from the BSS segment's when the
 *    dump has no data segment) and must fit both, or
 *  - a function of the dump's stack frames is in the program's symbol table
 *    at another address than the frame's entry PC (moved by the load
 *    offset), or more than 2 of the distinct functions, and more than a
 *    tenth of them, are not in it.
 * A dump without segments or frames passes that part of the check. The
 * table is then fitted to the dump: for a position-independent program the
 * symbols are moved by the load offset, so that hs_symbols_find takes the
 * dump's addresses, and the statics the dump's globals point at are found
 * (see hs_symbols_find_static). */
int hs_symbols_check_dump(hs_symbols *symbols, const struct hs_heap *heap, hs_error *err);

/* The static covering address, or NULL (always before hs_symbols_check_dump):
 * the nearest pointer value at or below address that a global's slot holds,
 * with no symbol starting between it and address. A slot no symbol covers
 * belongs to it. *offset (may be NULL) receives address minus its start. */
const hs_static *hs_symbols_find_static(const hs_symbols *symbols, uint64_t address, uint64_t *offset);

void hs_symbols_free(hs_symbols *symbols);

/* The layout of the runtime type descriptor at type_address (a dump
 * address: an allocation header's word): Go's abi.Type starts with the
 * type's size and the length of its prefix that holds pointers, a word
 * each. Returns 1 and fills *size and *pointer_bytes when the descriptor is
 * in the program's .rodata and plausible (pointer_bytes <= size), else 0.
 * symbols may be NULL. */
int hs_symbols_type_layout(const hs_symbols *symbols, uint64_t type_address, uint64_t *size, uint64_t *pointer_bytes);

/* The symbol whose range covers address (a symbol of size 0 covers only its
 * own address), or NULL; *offset receives address minus its start. */
const hs_symbol *hs_symbols_find(const hs_symbols *symbols, uint64_t address, uint64_t *offset);

/* Writes "name" or "name+0xOFF" for address into buffer (size >= 1), or for
 * an address in a static "GLOBAL → static" or "GLOBAL → static+0xOFF" (GLOBAL
 * with its own "+0xOFF" when the pointer is not at its start); returns 1 when
 * a symbol or static was found, 0 (buffer emptied) otherwise. symbols may be
 * NULL. */
int hs_symbols_describe(const hs_symbols *symbols, uint64_t address, char *buffer, unsigned long size);

#endif
