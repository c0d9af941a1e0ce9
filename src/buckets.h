/* buckets.h — private to the heap builder: objects gathered by address range while the dump is read, so that sorting them stays in cache and splits between threads. */
#ifndef HS_PRIVATE_BUCKETS_H
#define HS_PRIVATE_BUCKETS_H

#include <stdint.h>

#include "hs_error.h"
#include "hs_heap.h"

/* Bucket k holds the objects whose address lies in
 * [base + k * 2^shift, base + (k+1) * 2^shift), the first and last buckets
 * also those below and above: every bucket is a whole number of 8 KiB pages,
 * so a span's objects (and a page's) never straddle two buckets. Each bucket
 * is its own memory mapping, grown without copying and given back to the
 * system as soon as it has been gathered. */
typedef struct hs_bucket {
    hs_object *objects;
    uint64_t count;
    uint64_t capacity; /* objects the mapping holds */
} hs_bucket;

typedef struct hs_buckets {
    uint64_t base;
    unsigned shift;
    uint32_t count;
    hs_bucket *buckets;
    uint64_t total; /* objects in every bucket */
} hs_buckets;

/* Sets up buckets over [low, high) (the params record's heap range; when it
 * is empty, one bucket takes everything), about one per `bytes_per_bucket`
 * of dump_size and at most HS_BUCKETS_MAX of them. Returns HS_OK or
 * HS_ERR_NOMEM. */
#define HS_BUCKETS_MAX 1024u
int hs_buckets_init(hs_buckets *buckets, uint64_t low, uint64_t high, uint64_t dump_size, uint64_t bytes_per_bucket);

/* Appends an object to its bucket. Returns HS_OK or HS_ERR_NOMEM. */
int hs_buckets_grow(hs_bucket *bucket);
static inline int hs_buckets_add(hs_buckets *buckets, const hs_object *object)
{
    uint64_t k = object->address > buckets->base ? (object->address - buckets->base) >> buckets->shift : 0;
    hs_bucket *bucket = &buckets->buckets[k < buckets->count ? k : buckets->count - 1];
    if (bucket->count == bucket->capacity && hs_buckets_grow(bucket) < 0)
        return HS_ERR_NOMEM;
    bucket->objects[bucket->count++] = *object;
    buckets->total++;
    return HS_OK;
}

/* Where each bucket will go in one table of the objects of `first` and then
 * of `second` (which may be NULL; both set up alike by hs_buckets_init):
 * bucket k of both at starts[k] .. starts[k+1]. starts has count + 1
 * entries. */
void hs_buckets_layout(const hs_buckets *first, const hs_buckets *second, uint64_t *starts);

/* Unmaps bucket k once its objects have been copied out, so memory stays
 * near one table's worth. Threads may release different buckets at once. */
void hs_buckets_release(hs_buckets *buckets, uint32_t k);

/* Unmaps every bucket. Accepts a zeroed struct. */
void hs_buckets_free(hs_buckets *buckets);

#endif
