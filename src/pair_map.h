/* pair_map.h — private: an open-addressing map from a pair of 64-bit keys to a 32-bit value, for interning. */
#ifndef HS_PRIVATE_PAIR_MAP_H
#define HS_PRIVATE_PAIR_MAP_H

#include <stdint.h>

/* Zero-initialise (or pair_map_init) before use; pair_map_free releases it.
 * UINT32_MAX is not a value: it marks an empty slot. Size: 24 bytes a slot,
 * at most half the slots used. */
typedef struct pair_map_slot {
    uint64_t first, second;
    uint32_t value;
} pair_map_slot;

typedef struct pair_map {
    pair_map_slot *slots;
    uint64_t mask; /* slot count - 1 (a power of two); 0 before the first insertion */
    uint64_t used;
} pair_map;

void pair_map_init(pair_map *map);

/* The hash the map files (first, second) under: for other tables keyed by a pair of words. */
uint64_t pair_map_hash(uint64_t first, uint64_t second);

/* Frees the slots; the map is empty again. */
void pair_map_free(pair_map *map);

/* The value stored under (first, second), or UINT32_MAX. */
uint32_t pair_map_get(const pair_map *map, uint64_t first, uint64_t second);

/* The value under (first, second): the one stored, or else `value` (below
 * UINT32_MAX), stored now. Returns 1 when stored now, 0 when it was there,
 * HS_ERR_NOMEM when the map could not grow (nothing stored). */
int pair_map_intern(pair_map *map, uint64_t first, uint64_t second, uint32_t value, uint32_t *found);

#endif
