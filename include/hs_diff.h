/* hs_diff.h — what grew between two dumps of one process (`--base OLD NEW`): live objects and bytes per group in each dump, and the objects that are new. */
#ifndef HS_DIFF_H
#define HS_DIFF_H

#include <stdint.h>
#include <stdio.h>

#include "hs_context.h"
#include "hs_dominator.h"
#include "hs_error.h"
#include "hs_heap.h"
#include "hs_sites.h"

/* How objects are grouped.
 *   SITE  the allocation site of the object's alloc sample (hs_sites.h); objects
 *         without a sample form one group, "(no allocation sample)".
 *   TYPE  the dump carries no object types: the key is the object's *shape*,
 *         its dumped size (the size class) and the offsets of its pointer
 *         slots. Different Go types with one shape share a group.
 *   SIZE  the dumped size (the size class).
 *   ROOT  the root groups of the dominator tree (hs_dominator.h): a global
 *         (with symbols), a data/BSS segment, a goroutine (by goroutine id),
 *         a finalizer...; a group counts the objects it retains. Objects
 *         reached from several root groups form one group, "(reached from
 *         several root groups)". */
enum hs_diff_key { HS_DIFF_BY_SITE, HS_DIFF_BY_SHAPE, HS_DIFF_BY_SIZE, HS_DIFF_BY_ROOT, HS_DIFF_BY_TYPE };

/* The name used on the command line and in JSON: site, shape, size, root, type. */
const char *hs_diff_key_name(enum hs_diff_key key);

/* Parses a name of hs_diff_key_name; HS_ERR_USAGE for anything else. */
int hs_diff_parse_key(const char *name, enum hs_diff_key *key, hs_error *err);

/* The default grouping: SITE when both dumps have objects with an alloc
 * sample, SIZE otherwise. Either sites may be NULL (no profile records). */
enum hs_diff_key hs_diff_default_key(const hs_sites *old_sites, const hs_sites *new_sites);

/* Checks that two dumps can be compared: same pointer size, byte order,
 * GOARCH and Go version (params record), and the same program: the same
 * data and BSS segments (addresses, sizes and pointer maps). Returns 0, or
 * HS_ERR_FORMAT with one line naming both dumps and what differs. */
int hs_diff_check_same_program(const hs_heap *old_heap, const hs_heap *new_heap, hs_error *err);

/* An object of the new dump is *new* unless the old dump has an object at the
 * same address with the same dumped size and, when both dumps have profile
 * records, the same alloc-sample bucket id (or no sample in both). Go's
 * collector does not move objects, so an old object that survived keeps its
 * address; an object freed and replaced by one of the same size and bucket at
 * the same address is counted as old. Either sites may be NULL. */
int hs_diff_object_is_new(const hs_heap *old_heap, const hs_sites *old_sites, const hs_heap *new_heap,
                          const hs_sites *new_sites, hs_node object);

typedef struct hs_diff_count {
    uint64_t objects, bytes;
} hs_diff_count;

/* One group present in either dump. */
typedef struct hs_diff_group {
    uint64_t key_offset, label_offset; /* into hs_diff.text: the matching key (binary) and the label */
    uint32_t key_length, label_length;
    hs_diff_count old_count, new_count; /* live objects (ROOT: retained) in each dump */
    hs_diff_count added;                /* live objects of the new dump that are new (see hs_diff_object_is_new) */
    hs_node example;                    /* the first new live object met (new dump), or HS_NO_NODE */
    const hs_site_frame *site;          /* SITE: the site frame (in either dump's table); NULL for no sample */
    uint64_t size;                      /* SIZE, SHAPE: the dumped size */
    uint64_t pointers;                  /* SHAPE: number of pointer slots */
    int typed;                          /* TYPE: the group's objects have a Go type (else: the untyped ones) */
    int root_kind;                      /* ROOT: enum hs_group_kind, or -1 for objects of several groups */
} hs_diff_group;

typedef struct hs_diff_input {
    const hs_heap *old_heap, *new_heap;
    const hs_sites *old_sites, *new_sites; /* NULL when a dump has no profile records */
    const hs_symbols *symbols;             /* names globals for ROOT; may be NULL */
    const struct hs_typing *old_typing, *new_typing; /* Go types (hs_typing.h), needed for TYPE only */
    enum hs_diff_key by;
    int count_added;                       /* 1: also count new objects per group (--new) */
} hs_diff_input;

typedef struct hs_diff {
    hs_diff_input input;
    hs_diff_group *groups;
    uint32_t group_count;
    char *text; /* keys and labels of every group */
    uint64_t text_length;
    hs_diff_count old_total, new_total, added_total;
    /* Internal: the key table and per-site caches. */
    uint32_t *table;
    uint64_t table_size;
    uint64_t group_capacity, text_capacity;
    uint32_t *site_group[2];
    uint32_t unsampled_group; /* by site: the group of objects without a sample, once made (else UINT32_MAX) */
    hs_dominators *dominators; /* ROOT with count_added: the new dump's tree, kept for listing */
} hs_diff;

/* Groups the live objects of both dumps by input->by and counts them (and,
 * with count_added, the new ones). Memory: O(groups) besides the heaps,
 * except ROOT, which builds one dump's dominator tree at a time (the new
 * dump's is kept with count_added). The heaps, sites and symbols must
 * outlive the result. Errors: HS_ERR_NOMEM, and those of
 * hs_dominators_build. Free with hs_diff_free. */
int hs_diff_build(const hs_diff_input *input, hs_diff **out, hs_error *err);

/* Accepts NULL. */
void hs_diff_free(hs_diff *diff);

typedef struct hs_report_diff_options {
    enum hs_format format;
    int added_only;     /* --new: list new live objects per group instead of the growth table */
    uint64_t limit;     /* rows (0: all) */
    uint32_t paths;     /* --new: show one shortest root path for this many of the largest groups */
    const char *old_name, *new_name; /* dump names for the heading */
} hs_report_diff_options;

/* Renders the comparison. Growth table: groups sorted by growth in bytes
 * (then objects, then label), each with old, new and delta counts. Text, or
 * one JSON document {"base","dump","by","groups":[{"key","old":{"objects",
 * "bytes"},"new":{…},"delta":{…},"added":{…}, plus "site"/"size"/"pointers"/
 * "root" by key}…],"omitted":{"groups","old","new","delta","added"},
 * "total":{…}}. With added_only, only groups with new objects, sorted by new
 * bytes; JSON groups also carry "objects" (addresses of all their new live
 * objects) and, for the first `paths`, "path":{"root":{…},"objects":[…]}
 * (hs_shortest_root_path); diff must have been built with count_added.
 * new_context names the new dump's objects (its heap, sites, symbols). */
int hs_report_diff(FILE *out, const hs_diff *diff, const hs_context *new_context,
                   const hs_report_diff_options *options, hs_error *err);

#endif
