/* search.h — private: the binary search over a sorted table, written once and instantiated per table. */
#ifndef HS_SEARCH_H
#define HS_SEARCH_H

#include <stdint.h>

/* HS_DEFINE_SEARCH(name, element, key_type, key_of) defines two functions
 * over a table of `element` in non-decreasing order of
 * key_of(const element *), a function returning key_type:
 *
 *   uint64_t name_first_at_least(const element *table, uint64_t low, uint64_t high, key_type key)
 *       the first index in [low, high) whose key is >= key, or high;
 *   uint64_t name_first_above(const element *table, uint64_t low, uint64_t high, key_type key)
 *       the first index in [low, high) whose key is > key, or high.
 *
 * So first_above(...) - 1 is the last element at or below key (when it is
 * above low). They are static inline functions with typed arguments: the
 * compiler checks every call and inlines the key into the loop, as it did
 * the hand-written searches they replace. A file may call only one of the
 * two; they are marked unused because clang warns of an unused static
 * inline function in a .c file. */
#define HS_DEFINE_SEARCH(name, element, key_type, key_of)                                                   \
    __attribute__((unused)) static inline uint64_t name##_partition(const element *table, uint64_t low,      \
                                                                    uint64_t high, key_type key,            \
                                                                    int include_equal)                      \
    {                                                                                                         \
        while (low < high) {                                                                                  \
            uint64_t mid = low + (high - low) / 2;                                                            \
            key_type mid_key = key_of(&table[mid]);                                                           \
            if (mid_key < key || (include_equal && mid_key == key))                                           \
                low = mid + 1;                                                                                \
            else                                                                                              \
                high = mid;                                                                                   \
        }                                                                                                     \
        return low;                                                                                           \
    }                                                                                                         \
    __attribute__((unused)) static inline uint64_t name##_first_at_least(const element *table, uint64_t low, \
                                                                         uint64_t high, key_type key)         \
    {                                                                                                         \
        return name##_partition(table, low, high, key, 0);                                                    \
    }                                                                                                         \
    __attribute__((unused)) static inline uint64_t name##_first_above(const element *table, uint64_t low,    \
                                                                      uint64_t high, key_type key)            \
    {                                                                                                         \
        return name##_partition(table, low, high, key, 1);                                                    \
    }

#endif
