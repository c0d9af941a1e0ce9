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
    /* Bytes after the last gzip member, ignored (0 when none or not gzip);
     * from a stream at most 64 MiB of them are read, and gzip_trailing_more
     * says there were more. For a warning. */
    uint64_t gzip_trailing_bytes;
    int gzip_trailing_more;
} hs_dump;

/* How hs_dump_open_with_options reads; a zeroed struct gives the defaults. */
typedef struct hs_dump_options {
    /* The most bytes a dump may take in memory where it cannot be mapped:
     * its inflated size when it is gzip, its size when it is read from a
     * pipe or a device. 0: hs_dump_default_max_memory(). The command line's
     * --max-inflate, which the refusal names. */
    uint64_t max_memory;
} hs_dump_options;

/* Half the machine's physical memory (from sysconf), rounded down to whole
 * GiB from 2 GiB up, to whole MiB below; 4 GiB when sysconf cannot tell. */
uint64_t hs_dump_default_max_memory(void);

/* Opens path ("-" for standard input). Regular files are memory-mapped;
 * pipes and special files are read; a gzip file (magic 1f 8b) is inflated
 * into memory. What is read or inflated into memory is checked against the
 * header as soon as its first 16 bytes are in (HS_ERR_FORMAT, as
 * hs_parser_init says it), and refused past options->max_memory with
 * HS_ERR_NOMEM ("inflates to more than 12 GiB (--max-inflate 12G); ...");
 * the rest of the header check is hs_parser_init's. options may be NULL.
 * On success *out owns the dump; free it with hs_dump_free. */
int hs_dump_open_with_options(const char *path, const hs_dump_options *options, hs_dump **out, hs_error *err);

/* Says that the file's bytes will not be read for a while (the dominator
 * tree needs only the index): the pages of a mapped file leave this
 * process's resident set; they stay in the page cache, and a later read
 * maps them again. Nothing happens to a dump held in memory (gzip, a pipe,
 * borrowed bytes), whose bytes would be lost. */
void hs_dump_release_pages(const hs_dump *dump);

/* hs_dump_open_with_options with the defaults. */
int hs_dump_open(const char *path, hs_dump **out, hs_error *err);

/* Wraps bytes already in memory (borrowed: they must outlive the dump and
 * are not freed by hs_dump_free). For tests and fuzzing. name is copied. */
int hs_dump_from_memory(const char *name, const uint8_t *data, uint64_t size, hs_dump **out, hs_error *err);

/* Releases the dump and its bytes. Accepts NULL. */
void hs_dump_free(hs_dump *dump);

#endif
