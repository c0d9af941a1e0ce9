/* symbols.c — loads the data symbols of an ELF executable with libelf, finds the global covering an address,
 * and checks that the executable is the program that wrote a dump. */
#include "hs_symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "hs_heap.h"
#include "hs_reader.h"
#include "search.h"

static inline uint64_t function_hash(const hs_function_entry *function)
{
    return function->hash;
}

static inline uint64_t symbol_address(const hs_symbol *symbol)
{
    return symbol->address;
}

static inline uint64_t static_address(const hs_static *stretch)
{
    return stretch->address;
}

HS_DEFINE_SEARCH(functions, hs_function_entry, uint64_t, function_hash)
HS_DEFINE_SEARCH(symbols, hs_symbol, uint64_t, symbol_address)
HS_DEFINE_SEARCH(statics, hs_static, uint64_t, static_address)

/* FNV-1a: function names are kept as 64-bit hashes, enough to tell a dump's few hundred frame functions apart. */
static uint64_t hash_name(const uint8_t *name, uint64_t length)
{
    uint64_t hash = 0xcbf29ce484222325u;
    for (uint64_t i = 0; i < length; i++)
        hash = (hash ^ name[i]) * 0x100000001b3u;
    return hash;
}

/* The hash of a function symbol's name as the runtime names the function:
 * assembly functions carry an ".abi0" suffix in the symbol table only. */
static uint64_t hash_function_symbol(const char *name)
{
    size_t length = strlen(name);
    if (length > 5 && !memcmp(name + length - 5, ".abi0", 5))
        length -= 5;
    return hash_name((const uint8_t *)name, length);
}

static int compare_symbols(const void *a, const void *b)
{
    const hs_symbol *x = a, *y = b;
    if (x->address != y->address)
        return (x->address > y->address) - (x->address < y->address);
    return (x->size < y->size) - (x->size > y->size); /* larger first at one address */
}

static int compare_hashes(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Sorts hashes and drops repeats; returns how many distinct ones are left. */
static uint64_t sort_distinct(uint64_t *hashes, uint64_t count)
{
    if (count < 2)
        return count;
    qsort(hashes, count, sizeof *hashes, compare_hashes);
    uint64_t kept = 1;
    for (uint64_t i = 1; i < count; i++)
        if (hashes[i] != hashes[kept - 1])
            hashes[kept++] = hashes[i];
    return kept;
}

static int compare_functions(const void *a, const void *b)
{
    const hs_function_entry *x = a, *y = b;
    if (x->hash != y->hash)
        return (x->hash > y->hash) - (x->hash < y->hash);
    return (x->address > y->address) - (x->address < y->address);
}

/* Index of the first function entry with this hash, or count when none has it. */
static uint64_t first_function(const hs_symbols *table, uint64_t hash)
{
    uint64_t low = functions_first_at_least(table->functions, 0, table->function_count, hash);
    return low < table->function_count && table->functions[low].hash == hash ? low : table->function_count;
}

static int read_symtab(Elf *elf, const char *path, hs_symbols *table, hs_error *err)
{
    Elf_Scn *section = NULL;
    uint64_t capacity = 0, names_length = 0, names_capacity = 0, function_capacity = 0;
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
            if (type == STT_FUNC && symbol.st_shndx != SHN_UNDEF) {
                const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
                if (!name || !*name)
                    continue;
                if (HS_ARRAY_RESERVE(table->functions, &function_capacity, table->function_count + 1) < 0)
                    return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory reading symbols", path);
                table->functions[table->function_count++] =
                    (hs_function_entry){.hash = hash_function_symbol(name), .address = symbol.st_value};
                continue;
            }
            if (type != STT_OBJECT && !(type == STT_NOTYPE && symbol.st_size > 0))
                continue;
            if (symbol.st_shndx == SHN_UNDEF || symbol.st_value == 0)
                continue;
            const char *name = elf_strptr(elf, header.sh_link, symbol.st_name);
            if (!name || !*name)
                continue;
            size_t length = strlen(name) + 1;
            if (HS_ARRAY_RESERVE(table->symbols, &capacity, table->count + 1) < 0 ||
                HS_ARRAY_RESERVE(table->names, &names_capacity, names_length + length) < 0)
                return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory reading symbols", path);
            memcpy(table->names + names_length, name, length);
            /* Names are fixed up to pointers once the buffer stops moving. */
            table->symbols[table->count++] =
                (hs_symbol){.address = symbol.st_value, .size = symbol.st_size, .name = (const char *)(uintptr_t)names_length};
            names_length += length;
        }
    }
    if (!found && (table->warnings.headers_cut || table->warnings.sections_cut))
        return hs_error_set(err, HS_ERR_PROGRAM,
                            "%s: no symbol table: the file is cut short (%" PRIu64 " bytes, its headers need %" PRIu64
                            "); cannot name globals",
                            path, table->warnings.file_size, table->warnings.needed_size);
    if (!found)
        return hs_error_set(err, HS_ERR_PROGRAM, "%s: no symbol table (stripped binary?); cannot name globals", path);
    for (uint64_t i = 0; i < table->count; i++)
        table->symbols[i].name = table->names + (uintptr_t)table->symbols[i].name;
    if (table->count > 1)
        qsort(table->symbols, table->count, sizeof *table->symbols, compare_symbols);
    if (table->function_count > 1)
        qsort(table->functions, table->function_count, sizeof *table->functions, compare_functions);
    return HS_OK;
}

/* The file contents of the allocated section covering [address, address+size), or NULL. */
static const uint8_t *section_bytes(Elf *elf, uint64_t address, uint64_t size)
{
    Elf_Scn *section = NULL;
    while ((section = elf_nextscn(elf, section)) != NULL) {
        GElf_Shdr header;
        if (!gelf_getshdr(section, &header) || header.sh_type != SHT_PROGBITS || !(header.sh_flags & SHF_ALLOC) ||
            address < header.sh_addr || address - header.sh_addr > header.sh_size ||
            size > header.sh_size - (address - header.sh_addr))
            continue;
        Elf_Data *data = elf_getdata(section, NULL);
        if (!data || !data->d_buf || data->d_size < header.sh_size)
            return NULL;
        return (const uint8_t *)data->d_buf + (address - header.sh_addr);
    }
    return NULL;
}

/* A copy of a Go version string if it looks like one (printable, short), else NULL. */
static char *copy_version(const uint8_t *text, uint64_t length)
{
    if (length == 0 || length > 256)
        return NULL;
    for (uint64_t i = 0; i < length; i++)
        if (text[i] < 0x20 || text[i] >= 0x7f)
            return NULL;
    char *copy = malloc(length + 1);
    if (copy) {
        memcpy(copy, text, length);
        copy[length] = '\0';
    }
    return copy;
}

/* The string a Go string header (data pointer, length) at address points to, or NULL. */
static char *read_go_string(Elf *elf, uint64_t address, unsigned word, int big_endian)
{
    const uint8_t *header = section_bytes(elf, address, 2 * (uint64_t)word);
    if (!header)
        return NULL;
    uint64_t data = hs_load_word(header, word, big_endian), length = hs_load_word(header + word, word, big_endian);
    const uint8_t *text = length <= 256 ? section_bytes(elf, data, length) : NULL;
    return text ? copy_version(text, length) : NULL;
}

/* The Go version the program was built with: from the .go.buildinfo section
 * ("\xff Go buildinf:", pointer size, flags; with flag 2 the version follows
 * inline at offset 32 as a varint-prefixed string, else a pointer to its
 * string header is at offset 16), else from the runtime.buildVersion string. */
static char *read_go_version(Elf *elf, const hs_symbols *table, unsigned word, int big_endian)
{
    size_t names;
    Elf_Scn *section = NULL;
    if (elf_getshdrstrndx(elf, &names) == 0) {
        while ((section = elf_nextscn(elf, section)) != NULL) {
            GElf_Shdr header;
            const char *name;
            if (!gelf_getshdr(section, &header) || !(name = elf_strptr(elf, names, header.sh_name)) ||
                strcmp(name, ".go.buildinfo"))
                continue;
            const uint8_t *info = section_bytes(elf, header.sh_addr, header.sh_size);
            if (!info || header.sh_size < 32 || memcmp(info, "\xff Go buildinf:", 14))
                break;
            if (info[15] & 2) {
                hs_cursor cursor = {.base = info, .size = header.sh_size, .pos = 32};
                const uint8_t *text;
                uint64_t length;
                if (hs_read_bytes(&cursor, &text, &length) == 0)
                    return copy_version(text, length);
            } else if (info[14] == 4 || info[14] == 8) {
                char *version = read_go_string(elf, hs_load_word(info + 16, info[14], info[15] & 1), info[14],
                                               info[15] & 1);
                if (version)
                    return version;
            }
            break;
        }
    }
    for (uint64_t i = 0; i < table->count; i++)
        if (!strcmp(table->symbols[i].name, "runtime.buildVersion"))
            return read_go_string(elf, table->symbols[i].address, word, big_endian);
    return NULL;
}

/* Keeps a copy of .rodata (the type descriptors) when libelf gives all of it. */
static void copy_rodata(Elf *elf, hs_symbols *table, const GElf_Shdr *s)
{
    const uint8_t *bytes = section_bytes(elf, s->sh_addr, s->sh_size);
    if (!bytes || s->sh_size == 0 || !(table->rodata = malloc(s->sh_size)))
        return;
    memcpy(table->rodata, bytes, s->sh_size);
    table->rodata_range = (hs_address_range){s->sh_addr, s->sh_addr + s->sh_size};
}

/* The program's type, .data and .bss ranges and Go version. */
static void read_layout(Elf *elf, hs_symbols *table)
{
    GElf_Ehdr header;
    if (!gelf_getehdr(elf, &header))
        return;
    table->position_independent = header.e_type == ET_DYN;
    unsigned word = header.e_ident[EI_CLASS] == ELFCLASS32 ? 4 : 8;
    int big_endian = header.e_ident[EI_DATA] == ELFDATA2MSB;
    size_t names;
    if (elf_getshdrstrndx(elf, &names) == 0) {
        Elf_Scn *section = NULL;
        while ((section = elf_nextscn(elf, section)) != NULL) {
            GElf_Shdr s;
            const char *name;
            if (!gelf_getshdr(section, &s) || !(name = elf_strptr(elf, names, s.sh_name)))
                continue;
            if (!strcmp(name, ".data"))
                table->data = (hs_address_range){s.sh_addr, s.sh_addr + s.sh_size};
            else if (!strcmp(name, ".bss"))
                table->bss = (hs_address_range){s.sh_addr, s.sh_addr + s.sh_size};
            else if (!strcmp(name, ".rodata") && s.sh_type == SHT_PROGBITS && !table->rodata)
                copy_rodata(elf, table, &s);
        }
    }
    table->word_size = word;
    table->big_endian = big_endian;
    table->go_version = read_go_version(elf, table, word, big_endian);
}

/* The end of [offset, offset + size), saturated at UINT64_MAX. */
static uint64_t range_end(uint64_t offset, uint64_t size)
{
    return size > UINT64_MAX - offset ? UINT64_MAX : offset + size;
}

/* Fills table->warnings: the file's size against where its headers say the
 * section header table and each section with bytes in the file end. */
static void check_file_size(Elf *elf, uint64_t file_size, hs_symbols *table)
{
    hs_symbols_warnings *w = &table->warnings;
    w->file_size = w->needed_size = file_size;
    GElf_Ehdr header;
    if (!gelf_getehdr(elf, &header))
        return;
    uint64_t headers_end = range_end(header.e_shoff, (uint64_t)header.e_shnum * header.e_shentsize);
    if (header.e_shoff && headers_end > file_size) {
        w->headers_cut = 1;
        w->needed_size = headers_end;
    }
    Elf_Scn *section = NULL;
    size_t names_index = SIZE_MAX;
    int symtab_found = 0;
    while ((section = elf_nextscn(elf, section)) != NULL) {
        GElf_Shdr s;
        if (!gelf_getshdr(section, &s))
            continue;
        if (s.sh_type == SHT_SYMTAB && !symtab_found) {
            symtab_found = 1;
            names_index = s.sh_link;
        }
        uint64_t end = range_end(s.sh_offset, s.sh_size);
        if (s.sh_type == SHT_NOBITS || s.sh_size == 0 || end <= file_size)
            continue;
        w->sections_cut++;
        if (end > w->needed_size)
            w->needed_size = end;
        if (s.sh_type == SHT_SYMTAB)
            w->symbol_table_cut = 1;
    }
    size_t section_names;
    Elf_Scn *names = names_index != SIZE_MAX ? elf_getscn(elf, names_index) : NULL;
    GElf_Shdr s;
    if (names && gelf_getshdr(names, &s) && s.sh_type != SHT_NOBITS && range_end(s.sh_offset, s.sh_size) > file_size)
        w->symbol_table_cut = 1;
    if (elf_getshdrstrndx(elf, &section_names) == 0 && (names = elf_getscn(elf, section_names)) != NULL &&
        gelf_getshdr(names, &s) && range_end(s.sh_offset, s.sh_size) > file_size)
        w->section_names_cut = 1;
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
    struct stat info;
    if (table && fstat(fd, &info) == 0)
        check_file_size(elf, (uint64_t)info.st_size, table);
    int status = table && (table->path = strdup(path)) ? read_symtab(elf, path, table, err)
                                                        : hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory", path);
    if (status == HS_OK)
        read_layout(elf, table);
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
    free(symbols->path);
    free(symbols->functions);
    free(symbols->go_version);
    free(symbols->statics);
    free(symbols->rodata);
    free(symbols);
}

int hs_symbols_type_layout(const hs_symbols *symbols, uint64_t type_address, uint64_t *size, uint64_t *pointer_bytes)
{
    if (!symbols || !symbols->rodata || symbols->word_size == 0)
        return 0;
    uint64_t address = type_address - symbols->load_offset, word = symbols->word_size;
    const hs_address_range *r = &symbols->rodata_range;
    if (address < r->start || address >= r->end || r->end - address < 2 * word || address % word)
        return 0;
    const uint8_t *descriptor = symbols->rodata + (address - r->start);
    uint64_t type_size = hs_load_word(descriptor, word, symbols->big_endian);
    uint64_t prefix = hs_load_word(descriptor + word, word, symbols->big_endian);
    if (type_size == 0 || prefix > type_size)
        return 0;
    *size = type_size;
    *pointer_bytes = prefix;
    return 1;
}

const hs_symbol *hs_symbols_find(const hs_symbols *symbols, uint64_t address, uint64_t *offset)
{
    if (!symbols || symbols->count == 0)
        return NULL;
    uint64_t low = symbols_first_above(symbols->symbols, 0, symbols->count, address);
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
    if (s) {
        if (offset)
            snprintf(buffer, size, "%s+0x%" PRIx64, s->name, offset);
        else
            snprintf(buffer, size, "%s", s->name);
        return 1;
    }
    const hs_static *st = hs_symbols_find_static(symbols, address, &offset);
    if (!st) {
        buffer[0] = '\0';
        return 0;
    }
    char global[32] = "", inside[32] = "";
    if (st->global_offset)
        snprintf(global, sizeof global, "+0x%" PRIx64, st->global_offset);
    if (offset)
        snprintf(inside, sizeof inside, "+0x%" PRIx64, offset);
    snprintf(buffer, size, "%s%s \xe2\x86\x92 static%s", st->global->name, global, inside);
    return 1;
}

const hs_static *hs_symbols_find_static(const hs_symbols *symbols, uint64_t address, uint64_t *offset)
{
    if (!symbols || symbols->static_count == 0)
        return NULL;
    uint64_t low = statics_first_above(symbols->statics, 0, symbols->static_count, address);
    if (low == 0 || address >= symbols->statics[low - 1].end)
        return NULL;
    const hs_static *st = &symbols->statics[low - 1];
    if (offset)
        *offset = address - st->address;
    return st;
}

/* ---- does the program match the dump? ---- */

/* Copies a string from the dump into buffer for a message, '?' for unprintable bytes. */
static const char *printable(const uint8_t *text, uint64_t length, char *buffer, size_t size)
{
    size_t n = 0;
    for (uint64_t i = 0; i < length && n + 1 < size; i++)
        buffer[n++] = text[i] >= 0x20 && text[i] < 0x7f ? (char)text[i] : '?';
    buffer[n] = '\0';
    return buffer;
}

/* The dump's first segment root of a kind, or NULL. */
static const hs_root *first_segment(const hs_heap *heap, enum hs_root_kind kind)
{
    for (uint32_t i = 0; i < heap->root_count; i++)
        if (heap->roots[i].kind == kind)
            return &heap->roots[i];
    return NULL;
}

/* Every segment root of a kind must lie inside the section range moved by offset. */
static int check_segments(const hs_symbols *symbols, const hs_heap *heap, enum hs_root_kind kind,
                          hs_address_range range, uint64_t offset, const char *offset_from, hs_error *err)
{
    const char *segment = kind == HS_ROOT_DATA ? "data" : "BSS", *section = kind == HS_ROOT_DATA ? ".data" : ".bss";
    for (uint32_t i = 0; i < heap->root_count; i++) {
        const hs_root *r = &heap->roots[i];
        if (r->kind != kind)
            continue;
        uint64_t start = range.start + offset, end = range.end + offset;
        if (range.start != range.end && r->address >= start && r->address <= end &&
            r->contents.length <= end - r->address)
            continue;
        char where[96] = "";
        if (offset_from)
            snprintf(where, sizeof where, " (position-independent: moved by 0x%" PRIx64 " to the dump's %s segment)",
                     offset, offset_from);
        if (range.start == range.end)
            return hs_error_set(err, HS_ERR_PROGRAM,
                                "%s: %s is not the program that wrote the dump: it has no %s section for the dump's %s "
                                "segment 0x%" PRIx64 "-0x%" PRIx64,
                                heap->dump->name, symbols->path, section, segment, r->address,
                                r->address + r->contents.length);
        return hs_error_set(err, HS_ERR_PROGRAM,
                            "%s: %s is not the program that wrote the dump: the dump's %s segment 0x%" PRIx64
                            "-0x%" PRIx64 " is not inside its %s section 0x%" PRIx64 "-0x%" PRIx64 "%s",
                            heap->dump->name, symbols->path, segment, r->address, r->address + r->contents.length,
                            section, start, end, where);
    }
    return HS_OK;
}

/* How a frame's function compares with the symbol table. */
enum frame_match { FRAME_FOUND, FRAME_MISSING, FRAME_ELSEWHERE };

/* *elsewhere receives the (moved) address of the first symbol of that name. */
static enum frame_match match_frame(const hs_symbols *symbols, uint64_t hash, uint64_t entry, uint64_t offset,
                                    uint64_t *elsewhere)
{
    uint64_t i = first_function(symbols, hash);
    if (i == symbols->function_count)
        return FRAME_MISSING;
    *elsewhere = symbols->functions[i].address + offset;
    for (; i < symbols->function_count && symbols->functions[i].hash == hash; i++)
        if (symbols->functions[i].address + offset == entry)
            return FRAME_FOUND;
    return FRAME_ELSEWHERE;
}

/* The frames' functions against the symbol table: one found at another
 * address than its frame's entry PC refuses; missing names refuse when more
 * than 2, and more than a tenth, of the distinct ones are missing. */
static int check_frames(const hs_symbols *symbols, const hs_heap *heap, uint64_t offset, hs_error *err)
{
    uint64_t frames = 0;
    for (uint32_t i = 0; i < heap->root_count; i++)
        frames += heap->roots[i].kind == HS_ROOT_FRAME;
    if (frames == 0)
        return HS_OK;
    hs_parser parser;
    HS_TRY(hs_parser_init(&parser, heap->dump, err));
    parser.params = heap->params;
    parser.seen_params = 1;
    uint64_t *seen = malloc(frames * sizeof *seen), *missing = malloc(frames * sizeof *missing);
    if (!seen || !missing) {
        free(seen);
        free(missing);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory checking %s", heap->dump->name, symbols->path);
    }
    uint64_t seen_count = 0, missing_count = 0;
    const hs_root *first_missing = NULL;
    int status = HS_OK;
    char name[128];
    for (uint32_t i = 0; i < heap->root_count && status == HS_OK; i++) {
        const hs_root *r = &heap->roots[i];
        if (r->kind != HS_ROOT_FRAME)
            continue;
        hs_record record;
        parser.cursor.pos = r->record_offset;
        status = hs_parser_next(&parser, &record, err);
        if (status < 0)
            break;
        status = HS_OK;
        if (record.tag != HS_TAG_STACK_FRAME) {
            status = hs_error_set(err, HS_ERR_FORMAT, "%s: offset %" PRIu64 ": expected a stack frame record",
                                  heap->dump->name, r->record_offset);
            break;
        }
        uint64_t hash = hash_name(r->name.data, r->name.length);
        seen[seen_count++] = hash;
        uint64_t elsewhere = 0;
        enum frame_match match = match_frame(symbols, hash, record.frame.entry_pc, offset, &elsewhere);
        if (match == FRAME_ELSEWHERE)
            status = hs_error_set(err, HS_ERR_PROGRAM,
                                  "%s: %s is not the program that wrote the dump: the dump's frames of %s start at "
                                  "0x%" PRIx64 ", its symbol table puts that function at 0x%" PRIx64,
                                  heap->dump->name, symbols->path,
                                  printable(r->name.data, r->name.length, name, sizeof name),
                                  record.frame.entry_pc, elsewhere);
        if (match == FRAME_MISSING) {
            missing[missing_count++] = hash;
            if (!first_missing)
                first_missing = r;
        }
    }
    seen_count = sort_distinct(seen, seen_count);
    missing_count = sort_distinct(missing, missing_count);
    free(seen);
    free(missing);
    if (status < 0 || missing_count <= 2 || missing_count * 10 <= seen_count)
        return status;
    return hs_error_set(err, HS_ERR_PROGRAM,
                        "%s: %s is not the program that wrote the dump: %" PRIu64 " of the %" PRIu64
                        " functions in the dump's stack frames are not in its symbol table (the first: %s)",
                        heap->dump->name, symbols->path, missing_count, seen_count,
                        printable(first_missing->name.data, first_missing->name.length, name, sizeof name));
}

/* ---- statics ---- */

typedef struct static_finder {
    hs_symbols *symbols;
    hs_address_range *segments; /* the dump's data and BSS segments */
    uint32_t segment_count;
    uint64_t segment; /* address of the segment being visited */
    uint64_t capacity;
    int failed;
} static_finder;

/* The sized symbol covering address, or NULL (zero-size markers name no static). */
static const hs_symbol *sized_symbol(const hs_symbols *symbols, uint64_t address, uint64_t *offset)
{
    const hs_symbol *s = hs_symbols_find(symbols, address, offset);
    return s && s->size > 0 ? s : NULL;
}

/* The end of the data or BSS segment covering address, or 0 when none does. */
static uint64_t segment_end(const static_finder *f, uint64_t address)
{
    for (uint32_t i = 0; i < f->segment_count; i++)
        if (address >= f->segments[i].start && address < f->segments[i].end)
            return f->segments[i].end;
    return 0;
}

/* A global's slot whose value lands in a segment outside every symbol starts a static. */
static int add_static(uint64_t slot_offset, uint64_t value, hs_node target, uint64_t target_offset, void *context)
{
    (void)target;
    (void)target_offset;
    static_finder *f = context;
    hs_symbols *symbols = f->symbols;
    uint64_t global_offset;
    const hs_symbol *global = sized_symbol(symbols, f->segment + slot_offset, &global_offset);
    if (!global || sized_symbol(symbols, value, NULL))
        return 0;
    uint64_t end = segment_end(f, value);
    if (end == 0)
        return 0;
    /* The stretch ends where the next symbol starts. */
    uint64_t low = symbols_first_above(symbols->symbols, 0, symbols->count, value);
    if (low < symbols->count && symbols->symbols[low].address < end)
        end = symbols->symbols[low].address;
    if (HS_ARRAY_RESERVE(symbols->statics, &f->capacity, symbols->static_count + 1) < 0) {
        f->failed = 1;
        return 1;
    }
    symbols->statics[symbols->static_count++] =
        (hs_static){.address = value, .end = end, .global = global, .global_offset = global_offset};
    return 0;
}

static int compare_statics(const void *a, const void *b)
{
    const hs_static *x = a, *y = b;
    if (x->address != y->address)
        return (x->address > y->address) - (x->address < y->address);
    if (x->global != y->global)
        return x->global < y->global ? -1 : 1;
    return (x->global_offset > y->global_offset) - (x->global_offset < y->global_offset);
}

/* Finds the statics the dump's globals point at: sorted by address, one per
 * address (the lowest global and slot holding it). */
static int find_statics(hs_symbols *symbols, const hs_heap *heap, hs_error *err)
{
    free(symbols->statics);
    symbols->statics = NULL;
    symbols->static_count = 0;
    if (symbols->count == 0)
        return HS_OK;
    static_finder f = {.symbols = symbols};
    uint64_t segment_capacity = 0;
    for (uint32_t i = 0; i < heap->root_count && !f.failed; i++) {
        const hs_root *r = &heap->roots[i];
        if (r->kind != HS_ROOT_DATA && r->kind != HS_ROOT_BSS)
            continue;
        if (HS_ARRAY_RESERVE(f.segments, &segment_capacity, (uint64_t)f.segment_count + 1) < 0)
            f.failed = 1;
        else
            f.segments[f.segment_count++] = (hs_address_range){r->address, r->address + r->contents.length};
    }
    for (uint32_t i = 0; i < heap->root_count && !f.failed; i++) {
        const hs_root *r = &heap->roots[i];
        if (r->kind != HS_ROOT_DATA && r->kind != HS_ROOT_BSS)
            continue;
        f.segment = r->address;
        hs_heap_visit_slots(heap, heap->object_count + i, 1, add_static, &f);
    }
    free(f.segments);
    if (f.failed)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory finding the statics of %s", heap->dump->name,
                            symbols->path);
    if (symbols->static_count > 1) {
        qsort(symbols->statics, symbols->static_count, sizeof *symbols->statics, compare_statics);
        uint64_t kept = 1;
        for (uint64_t i = 1; i < symbols->static_count; i++)
            if (symbols->statics[i].address != symbols->statics[kept - 1].address)
                symbols->statics[kept++] = symbols->statics[i];
        symbols->static_count = kept;
    }
    return HS_OK;
}

int hs_symbols_check_dump(hs_symbols *symbols, const hs_heap *heap, hs_error *err)
{
    const hs_bytes *version = &heap->params.version;
    if (symbols->go_version && version->length &&
        (strlen(symbols->go_version) != version->length || memcmp(symbols->go_version, version->data, version->length))) {
        char text[128];
        return hs_error_set(err, HS_ERR_PROGRAM,
                            "%s: %s is not the program that wrote the dump: it was built by %s, the dump was written "
                            "by %s",
                            heap->dump->name, symbols->path, symbols->go_version,
                            printable(version->data, version->length, text, sizeof text));
    }
    /* A position-independent program runs at an offset from its link
     * addresses; the runtime dumps its data and BSS segments from the start
     * of .data and .bss, which gives the offset. */
    uint64_t offset = 0;
    const char *offset_from = NULL;
    const hs_root *data = first_segment(heap, HS_ROOT_DATA), *bss = first_segment(heap, HS_ROOT_BSS);
    if (symbols->position_independent && data && symbols->data.start != symbols->data.end) {
        offset = data->address - symbols->data.start;
        offset_from = "data";
    } else if (symbols->position_independent && bss && symbols->bss.start != symbols->bss.end) {
        offset = bss->address - symbols->bss.start;
        offset_from = "BSS";
    }
    HS_TRY(check_segments(symbols, heap, HS_ROOT_DATA, symbols->data, offset, offset_from, err));
    HS_TRY(check_segments(symbols, heap, HS_ROOT_BSS, symbols->bss, offset, offset_from, err));
    HS_TRY(check_frames(symbols, heap, offset, err));
    if (offset) {
        for (uint64_t i = 0; i < symbols->count; i++)
            symbols->symbols[i].address += offset;
        symbols->data.start += offset;
        symbols->data.end += offset;
        symbols->bss.start += offset;
        symbols->bss.end += offset;
        symbols->load_offset += offset;
    }
    return find_statics(symbols, heap, err);
}
