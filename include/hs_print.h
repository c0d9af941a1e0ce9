/* hs_print.h — `--print`: every record in file order, as text in the original heapspurs's shapes or as JSON Lines. */
#ifndef HS_PRINT_H
#define HS_PRINT_H

#include <stdio.h>

#include "hs_context.h"

/* Streams the records of context->dump to out. When filter is not NULL only
 * the objects it matches are printed (and the EOF record), as `--find` does:
 * those whose OID name, or the function or "function:line" of any frame of
 * their allocation stack, matches; then one line "N objects, SIZE (B bytes)"
 * counting them and their dumped sizes (text), or, in JSON, one document
 * {"pattern","literal","objects":[records],"count","bytes"}. When
 * context->heap is set, Go 1.22+ span-tail records are printed as SpanTail
 * lines, not as objects. When context->sites is set, an object with an alloc
 * sample gets a "  Site: FUNCTION (FILE:LINE)" line right after its object
 * line (text) or a "site" field (JSON; null without a sample). Returns 0 or a negative status
 * with err filled (a parse error stops the listing where it happened). */
struct hs_matcher;
int hs_report_records(FILE *out, const hs_context *context, enum hs_format format,
                     const struct hs_matcher *filter, hs_error *err);

#endif
