/* hs_symbols.h — global variable names from the Go program's ELF symbol table (libelf; no Go toolchain needed). */
#ifndef HS_SYMBOLS_H
#define HS_SYMBOLS_H

#include <stdint.h>

#include "hs_error.h"

typedef struct hs_symbol {
    uint64_t address, size;
    const char *name; /* owned by the table */
} hs_symbol;

typedef struct hs_symbols {
    hs_symbol *symbols; /* data objects sorted by address */
    uint64_t count;
    char *names;        /* all names, NUL-separated */
} hs_symbols;

/* Reads the data-object symbols (STT_OBJECT, and sized STT_NOTYPE) of an ELF
 * executable. Errors: HS_ERR_IO (cannot open), HS_ERR_PROGRAM (not ELF, or no
 * symbol table: a stripped binary). Free with hs_symbols_free. */
int hs_symbols_load(const char *path, hs_symbols **out, hs_error *err);

void hs_symbols_free(hs_symbols *symbols);

/* The symbol whose range covers address (a symbol of size 0 covers only its
 * own address), or NULL; *offset receives address minus its start. */
const hs_symbol *hs_symbols_find(const hs_symbols *symbols, uint64_t address, uint64_t *offset);

/* Writes "name" or "name+0xOFF" for address into buffer (size >= 1); returns
 * 1 when a symbol was found, 0 (buffer emptied) otherwise. symbols may be NULL. */
int hs_symbols_describe(const hs_symbols *symbols, uint64_t address, char *buffer, unsigned long size);

#endif
