/* oid.c — loading and looking up object-identifier names. */
#include "hs_oid.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "search.h"

static inline uint64_t entry_id(const hs_oid_entry *entry)
{
    return entry->id;
}

HS_DEFINE_SEARCH(entries, hs_oid_entry, uint64_t, entry_id)

static int compare_entries(const void *a, const void *b)
{
    uint64_t x = ((const hs_oid_entry *)a)->id, y = ((const hs_oid_entry *)b)->id;
    return (x > y) - (x < y);
}

static int parse_lines(hs_oid_table *table, const char *path, hs_error *err)
{
    uint64_t capacity = 0, line_number = 0;
    char *line = table->text;
    while (line && *line) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line_number++;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (*p && *p != '#') {
            char *end;
            errno = 0;
            unsigned long long id = strtoull(p, &end, 0);
            if (end == p || errno || !isspace((unsigned char)*end))
                return hs_error_set(err, HS_ERR_FORMAT, "%s: line %llu: expected \"0xHEX name\"", path,
                                    (unsigned long long)line_number);
            while (isspace((unsigned char)*end))
                end++;
            char *name_end = end + strlen(end);
            while (name_end > end && isspace((unsigned char)name_end[-1]))
                *--name_end = '\0';
            if (!*end)
                return hs_error_set(err, HS_ERR_FORMAT, "%s: line %llu: id without a name", path,
                                    (unsigned long long)line_number);
            if (HS_ARRAY_RESERVE(table->entries, &capacity, table->count + 1) < 0)
                return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory", path);
            table->entries[table->count++] = (hs_oid_entry){.id = id, .name = end};
        }
        line = next;
    }
    qsort(table->entries, table->count, sizeof *table->entries, compare_entries);
    return HS_OK;
}

int hs_oid_load(const char *path, hs_oid_table **out, hs_error *err)
{
    *out = NULL;
    FILE *file = fopen(path, "rb");
    if (!file)
        return hs_error_set(err, HS_ERR_IO, "%s: cannot open OID file: %s", path, strerror(errno));
    hs_oid_table *table = calloc(1, sizeof *table);
    uint64_t capacity = 0, length = 0;
    int status = table ? HS_OK : HS_ERR_NOMEM, too_large = 0;
    while (status == HS_OK) {
        if (HS_ARRAY_RESERVE(table->text, &capacity, length + 4097) < 0) {
            status = HS_ERR_NOMEM;
            break;
        }
        size_t n = fread(table->text + length, 1, 4096, file);
        length += n;
        if ((too_large = length > HS_OID_FILE_MAX) || n < 4096)
            break;
    }
    if (status == HS_OK && ferror(file))
        status = hs_error_set(err, HS_ERR_IO, "%s: read error", path);
    else if (status == HS_OK && too_large)
        status = hs_error_set(err, HS_ERR_FORMAT, "%s: OID file is larger than %u MiB; an OID file names objects, "
                              "one \"0xHEX name\" line each", path, (unsigned)(HS_OID_FILE_MAX >> 20));
    else if (status == HS_ERR_NOMEM)
        hs_error_set(err, status, "%s: out of memory", path);
    fclose(file);
    if (status == HS_OK) {
        table->text[length] = '\0';
        if (memchr(table->text, '\0', length))
            status = hs_error_set(err, HS_ERR_FORMAT, "%s: not a text file", path);
        else
            status = parse_lines(table, path, err);
    }
    if (status < 0) {
        hs_oid_free(table);
        return status;
    }
    *out = table;
    return HS_OK;
}

void hs_oid_free(hs_oid_table *table)
{
    if (!table)
        return;
    free(table->entries);
    free(table->text);
    free(table);
}

const char *hs_oid_lookup(const hs_oid_table *table, uint64_t id)
{
    if (!table)
        return NULL;
    uint64_t low = entries_first_at_least(table->entries, 0, table->count, id);
    return low < table->count && table->entries[low].id == id ? table->entries[low].name : NULL;
}
