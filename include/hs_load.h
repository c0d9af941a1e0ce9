/* hs_load.h — a dump's heap and, with its program, the heap's Go types, built side by side: the program's DWARF read beside the records, the typing beside the edges (and beside whatever the caller does next, with hs_load_start). */
#ifndef HS_LOAD_H
#define HS_LOAD_H

#include "hs_dump.h"
#include "hs_error.h"
#include "hs_heap.h"
#include "hs_symbols.h"
#include "hs_types.h"
#include "hs_typing.h"

/* Builds the heap of dump (hs_heap_build_with_options; options may be NULL,
 * and its indexed, joined and return_before_joined must be unset). With symbols (else
 * *types and *typing are NULL): checks that their program wrote the dump
 * (hs_symbols_check_dump, which fits symbols to it), reads the program's
 * types (hs_types_load, hs_types_fit) and types the heap (hs_typing_build).
 * The types are read on a thread of their own while the dump's records
 * are, and the heap is typed on one while its edges are built; what comes
 * out, errors included, is what doing it all on one thread in that order
 * gives: the heap's error first, then the check's, the types', the
 * typing's. On error nothing is left to free. */
int hs_load(const hs_dump *dump, const hs_heap_options *options, hs_symbols *symbols, hs_heap **heap,
            hs_types **types, hs_typing **typing, hs_error *err);

/* hs_load in two halves, for a caller with work that needs the heap but
 * not its types (a dominator tree without goroutine groups): with symbols,
 * hs_load_start returns once the heap is built, the typing possibly still
 * running on its thread (*pending non-NULL; without symbols, NULL). The
 * heap is complete and may be read meanwhile, never written, and the dump
 * must stay mapped (no hs_dump_release_pages). The check's and the types'
 * errors come from hs_load_start, the typing's from hs_load_finish(pending,
 * heap, types, typing, err), which waits for the typing and gives what
 * hs_load gives; on an error either frees *heap and sets it NULL. Every hs_load_start that succeeded needs its
 * hs_load_finish (a NULL pending gives NULL types and typing). */
typedef struct hs_load_pending hs_load_pending;
int hs_load_start(const hs_dump *dump, const hs_heap_options *options, hs_symbols *symbols, hs_heap **heap,
                  hs_load_pending **pending, hs_error *err);
int hs_load_finish(hs_load_pending *pending, hs_heap **heap, hs_types **types, hs_typing **typing, hs_error *err);

#endif
