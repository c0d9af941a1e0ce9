/* hs_context.h — what one run knows besides the dump: the heap model, symbols, OIDs; and the naming of objects. */
#ifndef HS_CONTEXT_H
#define HS_CONTEXT_H

#include <stddef.h>

#include "hs_heap.h"
#include "hs_oid.h"
#include "hs_symbols.h"

struct hs_sites;       /* hs_sites.h */
struct hs_dominators;  /* hs_dominator.h */
struct hs_json_stacks; /* hs_describe.h */
struct hs_typing;      /* hs_typing.h */
struct hs_goroutines;  /* hs_goroutines.h */

/* How a report is written: text for people, or JSON (docs/json.md). */
enum hs_format { HS_FORMAT_TEXT, HS_FORMAT_JSON };

/* Borrowed pointers; any of heap, symbols, oids, sites and dominators may be NULL. */
typedef struct hs_context {
    const hs_dump *dump;
    const hs_params *params; /* byte order and pointer size; NULL before the params record */
    const hs_heap *heap;
    const hs_symbols *symbols;
    const hs_oid_table *oids;
    const struct hs_sites *sites; /* allocation sites (hs_sites.h); NULL when not loaded */
    const struct hs_dominators *dominators; /* retained sizes (hs_dominator.h); NULL when not computed */
    const struct hs_typing *typing; /* Go types of objects (hs_typing.h); NULL without --program */
    /* Retained sizes with one root group per goroutine, when the reports
     * over goroutines need them beside grouped dominators; else NULL. */
    const struct hs_dominators *goroutine_dominators;
    /* Goroutine groups and leak verdicts (hs_goroutines.h); NULL when not built. */
    const struct hs_goroutines *goroutines;
    /* While a JSON document is written: the table of the stacks it refers
     * to (hs_describe_json_begin); NULL otherwise. */
    struct hs_json_stacks *stacks;
} hs_context;

/* The name of an object whose first word is id (an OID) and whose bytes are
 * contents/size: the OID name, or NULL when unnamed. */
const char *hs_name_from_contents(const hs_context *context, const uint8_t *contents, uint64_t size);

/* The name of an object in the heap model, or NULL. */
const char *hs_object_name(const hs_context *context, hs_node object);

/* What an object is called in reports, into buffer (size >= 1): its OID
 * name, else its Go type ("main.Request", "[25]main.Header"); returns 1, or
 * 0 with buffer empty when neither is known. */
int hs_object_label(const hs_context *context, hs_node object, char *buffer, size_t size);

/* Starts an iteration over an object's pointer slots with hs_fields_next:
 * those of hs_object_fields_begin, less the ones the dump lists past the
 * object's end where the end is known. It is known for an object with an
 * allocation header when the program (--program) holds the header's type
 * descriptor and that type is more than half the object: the object is
 * then one value of it, and the runtime's repetition of the type's pointer
 * layout beyond it is left out. */
void hs_context_object_fields_begin(const hs_context *context, hs_node object, hs_field_iter *iter);

/* Number of pointer slots hs_context_object_fields_begin iterates. */
uint64_t hs_context_object_pointer_count(const hs_context *context, hs_node object);

/* Writes " (NAME)" for a pointer value: the global it points into (with
 * --program) or the named object it points to; nothing when unknown. */
void hs_write_value_note(FILE *out, const hs_context *context, uint64_t value);

#endif
