/* array.h — private: growable arrays (doubling with overflow checks) and huge-page advice for large ones. */
#ifndef HS_PRIVATE_ARRAY_H
#define HS_PRIVATE_ARRAY_H

#include <stddef.h>
#include <stdint.h>

/* Ensures *array has room for `needed` elements of element_size bytes,
 * doubling *capacity as required. Returns 0, or HS_ERR_NOMEM when the
 * allocation fails or the size would overflow. On failure *array is kept. */
int hs_array_reserve(void **array, uint64_t *capacity, uint64_t needed, size_t element_size);

/* Asks for transparent huge pages under the 2 MiB-aligned part of a large
 * array about to be written (one page fault per 2 MiB instead of per 4 KiB);
 * does nothing for small arrays or where the kernel declines. */
void hs_array_advise_huge(void *array, size_t bytes);

#endif
