/* buckets.c — objects gathered by address range while reading: one memory mapping per bucket, grown by mremap, unmapped once gathered. */
#include "buckets.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ThreadSanitizer does not follow memory that mremap moves (it reports the
 * moved pages' next users as racing with their last ones), so its builds
 * grow buckets by copying. */
#if defined(__SANITIZE_THREAD__)
#define BUCKETS_REMAP 0
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BUCKETS_REMAP 0
#endif
#endif
#ifndef BUCKETS_REMAP
#define BUCKETS_REMAP 1
#endif

#define PAGE_SHIFT 13
#define FIRST_CAPACITY_BYTES ((uint64_t)64 << 10)

int hs_buckets_init(hs_buckets *buckets, uint64_t low, uint64_t high, uint64_t dump_size, uint64_t bytes_per_bucket)
{
    memset(buckets, 0, sizeof *buckets);
    uint64_t wanted = bytes_per_bucket ? dump_size / bytes_per_bucket : 1;
    if (wanted < 1)
        wanted = 1;
    if (wanted > HS_BUCKETS_MAX)
        wanted = HS_BUCKETS_MAX;
    buckets->base = low & ~(((uint64_t)1 << PAGE_SHIFT) - 1);
    buckets->shift = 63;
    buckets->count = 1;
    if (low < high && wanted > 1) {
        uint64_t range = high - buckets->base;
        unsigned shift = PAGE_SHIFT;
        while (shift < 63 && (range >> shift) >= wanted)
            shift++;
        buckets->shift = shift;
        buckets->count = (uint32_t)(((range - 1) >> shift) + 1);
    }
    buckets->buckets = calloc(buckets->count, sizeof *buckets->buckets);
    return buckets->buckets ? HS_OK : HS_ERR_NOMEM;
}

int hs_buckets_grow(hs_bucket *bucket)
{
    uint64_t old_bytes = bucket->capacity * sizeof *bucket->objects;
    uint64_t new_bytes = old_bytes ? old_bytes * 2 : FIRST_CAPACITY_BYTES;
    if (new_bytes < old_bytes || new_bytes > SIZE_MAX)
        return HS_ERR_NOMEM;
#if BUCKETS_REMAP
    void *grown = old_bytes ? mremap(bucket->objects, (size_t)old_bytes, (size_t)new_bytes, MREMAP_MAYMOVE)
                            : mmap(NULL, (size_t)new_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (grown == MAP_FAILED)
        return HS_ERR_NOMEM;
#else
    void *grown = mmap(NULL, (size_t)new_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (grown == MAP_FAILED)
        return HS_ERR_NOMEM;
    if (old_bytes) {
        memcpy(grown, bucket->objects, (size_t)old_bytes);
        munmap(bucket->objects, (size_t)old_bytes);
    }
#endif
    bucket->objects = grown;
    bucket->capacity = new_bytes / sizeof *bucket->objects;
    return HS_OK;
}

static void unmap_bucket(hs_bucket *bucket)
{
    if (bucket->objects)
        munmap(bucket->objects, (size_t)(bucket->capacity * sizeof *bucket->objects));
    *bucket = (hs_bucket){0};
}

void hs_buckets_layout(const hs_buckets *first, const hs_buckets *second, uint64_t *starts)
{
    uint64_t at = 0;
    for (uint32_t k = 0; k < first->count; k++) {
        starts[k] = at;
        at += first->buckets[k].count + (second ? second->buckets[k].count : 0);
    }
    starts[first->count] = at;
}

void hs_buckets_release(hs_buckets *buckets, uint32_t k)
{
    unmap_bucket(&buckets->buckets[k]);
}

void hs_buckets_free(hs_buckets *buckets)
{
    for (uint32_t k = 0; buckets->buckets && k < buckets->count; k++)
        unmap_bucket(&buckets->buckets[k]);
    free(buckets->buckets);
    memset(buckets, 0, sizeof *buckets);
}
