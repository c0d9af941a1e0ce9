/* hs_dump.h — a heap dump file held in memory: memory-mapped, read from a pipe, or inflated from gzip. */
#ifndef HS_DUMP_H
#define HS_DUMP_H

#include <stdint.h>

#include "hs_error.h"

/* The bytes of one dump file. Object contents are referenced in place by
 * everything built on top of it, so the hs_dump must outlive the parser, the
 * index and every record taken from it. */
typedef struct hs_dump {
    char *name;          /* the path as given, for messages ("-" is stdin) */
    const uint8_t *data; /* the whole file */
    uint64_t size;       /* bytes in data */
    int mapped;          /* 1: data is an mmap of the file; 0: malloc'd */
    int compressed;      /* 1: the file was gzip and data is its inflated content */
    int borrowed;        /* 1: data belongs to the caller (hs_dump_from_memory) */
} hs_dump;

/* Opens path ("-" for standard input). Regular files are memory-mapped;
 * pipes and special files are read; a gzip file (magic 1f 8b) is inflated
 * into memory. The header is not checked here (see hs_parser_init).
 * On success *out owns the dump; free it with hs_dump_free. */
int hs_dump_open(const char *path, hs_dump **out, hs_error *err);

/* Wraps bytes already in memory (borrowed: they must outlive the dump and
 * are not freed by hs_dump_free). For tests and fuzzing. name is copied. */
int hs_dump_from_memory(const char *name, const uint8_t *data, uint64_t size, hs_dump **out, hs_error *err);

/* Releases the dump and its bytes. Accepts NULL. */
void hs_dump_free(hs_dump *dump);

#endif
