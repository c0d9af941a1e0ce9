/* array.h — private: growable arrays (doubling with overflow checks) and bitmaps. */
#ifndef HS_PRIVATE_ARRAY_H
#define HS_PRIVATE_ARRAY_H

#include <stddef.h>
#include <stdint.h>

/* Ensures *array has room for `needed` elements of element_size bytes,
 * doubling *capacity as required. Returns 0, or HS_ERR_NOMEM when the
 * allocation fails or the size would overflow. On failure *array is kept.
 * Call it through HS_ARRAY_RESERVE, which takes the array itself. */
int hs_array_reserve(void **array, uint64_t *capacity, uint64_t needed, size_t element_size);

/* HS_ARRAY_RESERVE(array, capacity, needed): hs_array_reserve for a typed
 * array (an lvalue of any T *): the element size is sizeof *array, and the
 * array goes through a void * of its own, never through a T * read as a
 * void * (which strict aliasing forbids). Evaluates array twice. */
#define HS_ARRAY_RESERVE(array, capacity, needed)                                                             \
    __extension__({                                                                                          \
        void *hs_array_ = (array);                                                                           \
        int hs_reserved_ = hs_array_reserve(&hs_array_, (capacity), (needed), sizeof *(array));              \
        (array) = hs_array_;                                                                                 \
        hs_reserved_;                                                                                        \
    })

/* Bit n of a bitmap of (n + 8) / 8 bytes or more. */
static inline int hs_bit_test(const uint8_t *bits, uint64_t n)
{
    return (bits[n / 8] >> (n % 8)) & 1;
}

static inline void hs_bit_set(uint8_t *bits, uint64_t n)
{
    bits[n / 8] |= (uint8_t)(1u << (n % 8));
}

#endif
