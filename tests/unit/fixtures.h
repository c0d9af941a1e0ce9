/* fixtures.h — for the unit tests: a committed dump loaded with what a test needs, and the facts its Go program wrote. */
#ifndef FIXTURES_H
#define FIXTURES_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_dominator.h"
#include "hs_dump.h"
#include "hs_heap.h"
#include "hs_sites.h"
#include "hs_symbols.h"

/* Tests run from the repository root: dumps are named from there. */
#define FIXTURE_DUMPS "testdata/dumps/"

/* What fixture_load builds besides the heap. */
enum { FIXTURE_SITES = 1 << 0, FIXTURE_DOMINATORS = 1 << 1 };

typedef struct fixture {
    hs_dump *dump;
    hs_heap *heap;
    hs_symbols *symbols;       /* with a program, else NULL */
    hs_sites *sites;           /* with FIXTURE_SITES, else NULL */
    hs_dominators *dominators; /* with FIXTURE_DOMINATORS (named by symbols when there are), else NULL */
    char facts[512];           /* the facts file of the dump: NAME.dump[.gz] -> NAME.facts */
} fixture;

/* Opens the dump at path and builds its heap, the program's symbols when
 * program is not NULL, and what `what` asks for; fails the test on an error. */
static inline void fixture_load(fixture *f, const char *path, const char *program, unsigned what)
{
    hs_error err = {0};
    memset(f, 0, sizeof *f);
    snprintf(f->facts, sizeof f->facts, "%s", path);
    char *dot = strstr(f->facts, ".dump");
    if (dot)
        snprintf(dot, sizeof f->facts - (size_t)(dot - f->facts), ".facts");
    if (hs_dump_open(path, &f->dump, &err) < 0 || hs_heap_build(f->dump, &f->heap, &err) < 0 ||
        (program && hs_symbols_load(program, &f->symbols, &err) < 0) ||
        ((what & FIXTURE_SITES) && hs_sites_build(f->heap, &f->sites, &err) < 0) ||
        ((what & FIXTURE_DOMINATORS) && hs_dominators_build(f->heap, f->symbols, &f->dominators, &err) < 0))
        fail_msg("%s: %s", path, err.message);
}

static inline void fixture_free(fixture *f)
{
    hs_dominators_free(f->dominators);
    hs_sites_free(f->sites);
    hs_symbols_free(f->symbols);
    hs_heap_free(f->heap);
    hs_dump_free(f->dump);
}

/* The value of key in a facts file ("KEY VALUE" lines) into value (size > 0,
 * cut to fit); 0 when the file has no such key. Fails the test when the file
 * cannot be read. */
static inline int fact_text(const char *facts, const char *key, char *value, size_t size)
{
    FILE *f = fopen(facts, "r");
    if (!f)
        fail_msg("cannot open %s", facts);
    char line[512];
    size_t n = strlen(key);
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, key, n) == 0 && line[n] == ' ') {
            const char *start = line + n + 1;
            size_t length = strcspn(start, "\n");
            if (length >= size) /* cut to fit, as snprintf would */
                length = size - 1;
            memcpy(value, start, length);
            value[length] = 0;
            found = 1;
        }
    }
    fclose(f);
    return found;
}

/* The value of key as a number (0x... or decimal); fails the test when missing. */
static inline uint64_t fact_number(const char *facts, const char *key)
{
    char value[256];
    if (!fact_text(facts, key, value, sizeof value))
        fail_msg("%s: no fact %s", facts, key);
    return strtoull(value, NULL, 0);
}

/* The object starting at address; fails the test when no object starts there. */
static inline hs_node fixture_object_at(const fixture *f, uint64_t address)
{
    uint64_t offset = 1;
    hs_node o = hs_heap_find(f->heap, address, &offset);
    if (o == HS_NO_NODE || offset != 0)
        fail_msg("%s: 0x%" PRIx64 " is not an object start", f->dump->name, address);
    return o;
}

/* The object starting at the address the fact key of the fixture's facts names. */
static inline hs_node fixture_fact_object(const fixture *f, const char *key)
{
    return fixture_object_at(f, fact_number(f->facts, key));
}

/* A memory stream for checking what a writer prints: open it, write, then
 * memory_stream_close returns the text (free it). */
typedef struct memory_stream {
    FILE *out;
    char *text;
    size_t length;
} memory_stream;

static inline FILE *memory_stream_open(memory_stream *m)
{
    m->text = NULL;
    m->length = 0;
    m->out = open_memstream(&m->text, &m->length);
    assert_non_null(m->out);
    return m->out;
}

static inline char *memory_stream_close(memory_stream *m)
{
    assert_int_equal(fclose(m->out), 0);
    return m->text;
}

#endif
