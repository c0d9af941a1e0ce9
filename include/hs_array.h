/* hs_array.h — the one growable-array helper: doubling with overflow checks. */
#ifndef HS_ARRAY_H
#define HS_ARRAY_H

#include <stddef.h>
#include <stdint.h>

/* Ensures *array has room for `needed` elements of element_size bytes,
 * doubling *capacity as required. Returns 0, or HS_ERR_NOMEM when the
 * allocation fails or the size would overflow. On failure *array is kept. */
int hs_array_reserve(void **array, uint64_t *capacity, uint64_t needed, size_t element_size);

#endif
