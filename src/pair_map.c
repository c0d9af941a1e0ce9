/* pair_map.c — an open-addressing map from pairs of 64-bit keys to 32-bit values (linear probing, doubling). */
#include "pair_map.h"

#include <stdlib.h>

#include "hs_error.h"

#define EMPTY UINT32_MAX

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdu;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53u;
    return x ^ (x >> 33);
}

uint64_t pair_map_hash(uint64_t first, uint64_t second)
{
    return mix(first ^ mix(second + 0x9e3779b97f4a7c15u));
}

void pair_map_init(pair_map *map)
{
    map->slots = NULL;
    map->mask = 0;
    map->used = 0;
}

void pair_map_free(pair_map *map)
{
    free(map->slots);
    pair_map_init(map);
}

uint32_t pair_map_get(const pair_map *map, uint64_t first, uint64_t second)
{
    if (!map->slots)
        return EMPTY;
    for (uint64_t at = pair_map_hash(first, second) & map->mask;; at = (at + 1) & map->mask) {
        const pair_map_slot *s = &map->slots[at];
        if (s->value == EMPTY)
            return EMPTY;
        if (s->first == first && s->second == second)
            return s->value;
    }
}

/* Doubles the slots (or makes the first 64) and re-inserts every entry. */
static int grow(pair_map *map)
{
    uint64_t size = map->slots ? 2 * (map->mask + 1) : 64;
    if (size > SIZE_MAX / sizeof *map->slots)
        return HS_ERR_NOMEM;
    pair_map_slot *slots = malloc((size_t)size * sizeof *slots);
    if (!slots)
        return HS_ERR_NOMEM;
    for (uint64_t i = 0; i < size; i++)
        slots[i].value = EMPTY;
    for (uint64_t i = 0; map->slots && i <= map->mask; i++) {
        const pair_map_slot *s = &map->slots[i];
        if (s->value == EMPTY)
            continue;
        uint64_t at = pair_map_hash(s->first, s->second) & (size - 1);
        while (slots[at].value != EMPTY)
            at = (at + 1) & (size - 1);
        slots[at] = *s;
    }
    free(map->slots);
    map->slots = slots;
    map->mask = size - 1;
    return HS_OK;
}

int pair_map_intern(pair_map *map, uint64_t first, uint64_t second, uint32_t value, uint32_t *found)
{
    if (map->slots) {
        for (uint64_t at = pair_map_hash(first, second) & map->mask;; at = (at + 1) & map->mask) {
            const pair_map_slot *s = &map->slots[at];
            if (s->value == EMPTY)
                break;
            if (s->first == first && s->second == second) {
                *found = s->value;
                return 0;
            }
        }
    }
    /* Keep the map at most half full. */
    if ((!map->slots || 2 * (map->used + 1) > map->mask + 1) && grow(map) < 0)
        return HS_ERR_NOMEM;
    uint64_t at = pair_map_hash(first, second) & map->mask;
    while (map->slots[at].value != EMPTY)
        at = (at + 1) & map->mask;
    map->slots[at] = (pair_map_slot){first, second, value};
    map->used++;
    *found = value;
    return 1;
}
