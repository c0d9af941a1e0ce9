/* hs_oid.h — object identifiers: a file of "0xHEX name" lines naming objects whose first word holds the id. */
#ifndef HS_OID_H
#define HS_OID_H

#include <stdint.h>

#include "hs_error.h"

typedef struct hs_oid_entry {
    uint64_t id;
    const char *name; /* owned by the table */
} hs_oid_entry;

typedef struct hs_oid_table {
    hs_oid_entry *entries; /* sorted by id */
    uint64_t count;
    char *text;            /* the file, names NUL-terminated in place */
} hs_oid_table;

/* The largest OID file read: 64 MiB, a million names of 60 bytes; what
 * grows past it (/dev/zero, a dump given by mistake) is no OID file. */
#define HS_OID_FILE_MAX ((uint64_t)64 << 20)

/* Reads an OID file: one "ID NAME" per line, ID in hex (0x...) or decimal,
 * blank lines and lines starting with '#' ignored. A malformed line fails
 * with HS_ERR_FORMAT naming the file and line, and so does a file larger
 * than HS_OID_FILE_MAX (read no further than that). Free with hs_oid_free. */
int hs_oid_load(const char *path, hs_oid_table **out, hs_error *err);

void hs_oid_free(hs_oid_table *table);

/* The name for an object whose first word is id, or NULL. table may be NULL. */
const char *hs_oid_lookup(const hs_oid_table *table, uint64_t id);

#endif
