/* hs_goroutines.h — goroutines grouped by stack, creator and wait reason, and which of them can never wake (Go 1.26's goroutine-leak rule over the dump). */
#ifndef HS_GOROUTINES_H
#define HS_GOROUTINES_H

#include <stdint.h>
#include <stdio.h>

#include "hs_error.h"
#include "hs_heap.h"
#include "hs_typing.h"

/* A goroutine's leak verdict. */
enum hs_leak_verdict {
    HS_LEAK_UNKNOWN = -1, /* cannot be told: no DWARF layout of runtime.g and runtime.sudog */
    HS_LEAK_NO = 0,       /* running, runnable, or blocked on something live */
    HS_LEAK_YES = 1       /* blocked on a channel, select or sync primitive that nothing live can reach */
};

/* Goroutines with the same frames (function names), the same creator (the
 * function of the go statement) and the same wait reason and verdict. */
typedef struct hs_goroutine_group {
    uint32_t first;       /* index into heap->goroutines of its first member (lowest goid) */
    uint32_t count;
    uint32_t label_frame; /* root index of the first frame outside the runtime, else of the innermost; UINT32_MAX: none */
    int8_t leaked;        /* enum hs_leak_verdict (every member has it) */
    int is_system;        /* runtime goroutines (left out of reports unless asked for) */
} hs_goroutine_group;

typedef struct hs_goroutines {
    const hs_heap *heap;
    const hs_typing *typing; /* may be NULL */
    uint32_t *group_of;      /* per goroutine: its group */
    uint32_t *members;       /* goroutine indices, by group then goid; group g's from group_start[g] */
    uint32_t *group_start;   /* group_count + 1 entries */
    hs_goroutine_group *groups;
    uint32_t group_count;
    int8_t *verdict;         /* per goroutine: enum hs_leak_verdict */
    uint32_t leaked_count;
    /* Why leaks cannot be told (NULL when they can): no program, no DWARF, no runtime.g layout. */
    const char *unknown_reason;
    uint32_t wake_rounds;    /* how many times marking resumed for goroutines it woke */
} hs_goroutines;

/* Groups the heap's goroutines and, with typing (may be NULL), finds the
 * leaked ones: blocked goroutines' stacks are not roots, g and sudog
 * objects are not followed; the rest is marked; a blocked goroutine wakes
 * (its frames become roots, marking resumes) when what it waits on (the
 * channel of a sudog on its g.waiting chain; for semaphores the address its
 * sudog waits on, found through g.waiting from Go 1.26 and through the
 * runtime's semtable before) is marked or outside the heap; to a fixed
 * point. Nil-channel waits and select {} never wake. What never wakes is
 * leaked. Errors: HS_ERR_NOMEM. Free with hs_goroutines_free. */
int hs_goroutines_build(const hs_heap *heap, const hs_typing *typing, hs_goroutines **out, hs_error *err);

void hs_goroutines_free(hs_goroutines *goroutines);

/* The status name of a goroutine record's status ("waiting", "runnable", ...). */
const char *hs_goroutine_status_name(uint64_t status);

/* Writes a group's label: "main.worker.func1 (chan receive)", its first
 * frame outside the runtime and its wait reason. */
void hs_goroutines_write_label(FILE *out, const hs_goroutines *goroutines, uint32_t group);

struct hs_context;
enum hs_format;

/* --goroutines: the groups, by retained bytes when the context's
 * dominators were built with these groups, each with its count, status,
 * wait reason, creator, frames (file:line with the program) and verdict;
 * system goroutines only with all. docs/goroutines.md gives the JSON. */
int hs_report_goroutines(FILE *out, const struct hs_context *context, const hs_goroutines *goroutines, int all,
                         enum hs_format format, hs_error *err);

/* --goroutine ID: one goroutine's frames with file:line, and each frame's
 * live pointer slots named and typed by DWARF with what they retain. */
int hs_report_goroutine(FILE *out, const struct hs_context *context, const hs_goroutines *goroutines, uint64_t goid,
                        enum hs_format format, hs_error *err);

#endif
