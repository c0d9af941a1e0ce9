/* array.c — growable arrays with overflow-checked doubling. */
#include "array.h"

#include <stdlib.h>

#include "hs_error.h"

int hs_array_reserve(void **array, uint64_t *capacity, uint64_t needed, size_t element_size)
{
    if (needed <= *capacity)
        return HS_OK;
    uint64_t grown = *capacity ? *capacity : 16;
    while (grown < needed) {
        if (grown > UINT64_MAX / 2)
            return HS_ERR_NOMEM;
        grown *= 2;
    }
    if (element_size && grown > SIZE_MAX / element_size)
        return HS_ERR_NOMEM;
    void *resized = realloc(*array, (size_t)(grown * element_size));
    if (!resized)
        return HS_ERR_NOMEM;
    *array = resized;
    *capacity = grown;
    return HS_OK;
}
