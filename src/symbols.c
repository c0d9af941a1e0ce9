/* symbols.c — loads the data symbols of an ELF executable with libelf and finds the global covering an address. */
#include "hs_symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hs_array.h"

static int compare_symbols(const void *a, const void *b)
{
    const hs_symbol *x = a, *y = b;
    if (x->address != y->address)
        return (x->address > y->address) - (x->address < y->address);
    return (x->size < y->size) - (x->size > y->size); /* larger first at one address */
}

static int read_symtab(Elf *elf, const char *path, hs_symbols *table, hs_error *err)
{
    Elf_Scn *section = NULL;
    uint64_t capacity = 0, names_length = 0, names_capacity = 0;
    int found = 0;
    while ((section = elf_nextscn(elf, section)) != NULL) {
        GElf_Shdr header;
        if (!gelf_getshdr(section, &header) || header.sh_type != SHT_SYMTAB)
            continue;
        found = 1;
        Elf_Data *data = elf_getdata(section, NULL);
        if (!data || header.sh_entsize == 0)
            continue;
        uint64_t count = header.sh_size / header.sh_entsize;
        for (uint64_t i = 0; i < count; i++) {
            GElf_Sym symbol;
            if (!gelf_getsym(data, (int)i, &symbol))
                break;
            int type = GELF_ST_TYPE(symbol.st_info);
            if (type != STT_OBJECT && !(type == STT_NOTYPE && symbol.st_size > 0))
                continue;
            if (symbol.st_shndx == SHN_UNDEF || symbol.st_value == 0)
                continue;
            const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
            if (!name || !*name)
                continue;
            size_t length = strlen(name) + 1;
            if (hs_array_reserve((void **)&table->symbols, &capacity, table->count + 1, sizeof *table->symbols) < 0 ||
                hs_array_reserve((void **)&table->names, &names_capacity, names_length + length, 1) < 0)
                return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory reading symbols", path);
            memcpy(table->names + names_length, name, length);
            /* Names are fixed up to pointers once the buffer stops moving. */
            table->symbols[table->count++] =
                (hs_symbol){.address = symbol.st_value, .size = symbol.st_size, .name = (const char *)(uintptr_t)names_length};
            names_length += length;
        }
    }
    if (!found)
        return hs_error_set(err, HS_ERR_PROGRAM, "%s: no symbol table (stripped binary?); cannot name globals", path);
    for (uint64_t i = 0; i < table->count; i++)
        table->symbols[i].name = table->names + (uintptr_t)table->symbols[i].name;
    if (table->count > 1)
        qsort(table->symbols, table->count, sizeof *table->symbols, compare_symbols);
    return HS_OK;
}

int hs_symbols_load(const char *path, hs_symbols **out, hs_error *err)
{
    *out = NULL;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return hs_error_set(err, HS_ERR_PROGRAM, "%s: libelf is out of date: %s", path, elf_errmsg(-1));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return hs_error_set(err, HS_ERR_IO, "%s: cannot open program: %s", path, strerror(errno));
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        if (elf)
            elf_end(elf);
        close(fd);
        return hs_error_set(err, HS_ERR_PROGRAM, "%s: not an ELF executable", path);
    }
    hs_symbols *table = calloc(1, sizeof *table);
    int status = table ? read_symtab(elf, path, table, err)
                       : hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory", path);
    elf_end(elf);
    close(fd);
    if (status < 0) {
        hs_symbols_free(table);
        return status;
    }
    *out = table;
    return HS_OK;
}

void hs_symbols_free(hs_symbols *symbols)
{
    if (!symbols)
        return;
    free(symbols->symbols);
    free(symbols->names);
    free(symbols);
}

const hs_symbol *hs_symbols_find(const hs_symbols *symbols, uint64_t address, uint64_t *offset)
{
    if (!symbols || symbols->count == 0)
        return NULL;
    uint64_t low = 0, high = symbols->count;
    while (low < high) {
        uint64_t mid = low + (high - low) / 2;
        if (symbols->symbols[mid].address <= address)
            low = mid + 1;
        else
            high = mid;
    }
    /* Look back over the few symbols that start at or below address: a
     * sized symbol covering it wins over a zero-size marker (runtime.bss)
     * at the same address. */
    const hs_symbol *marker = NULL;
    for (uint64_t i = low, steps = 0; i > 0 && steps < 16; i--, steps++) {
        const hs_symbol *s = &symbols->symbols[i - 1];
        if (s->size > 0 && address - s->address < s->size) {
            if (offset)
                *offset = address - s->address;
            return s;
        }
        if (s->size == 0 && s->address == address && !marker)
            marker = s;
    }
    if (marker && offset)
        *offset = 0;
    return marker;
}

int hs_symbols_describe(const hs_symbols *symbols, uint64_t address, char *buffer, unsigned long size)
{
    uint64_t offset = 0;
    const hs_symbol *s = hs_symbols_find(symbols, address, &offset);
    if (!s) {
        buffer[0] = '\0';
        return 0;
    }
    if (offset)
        snprintf(buffer, size, "%s+0x%llx", s->name, (unsigned long long)offset);
    else
        snprintf(buffer, size, "%s", s->name);
    return 1;
}
