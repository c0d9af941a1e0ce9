/* dump.c — loading a dump file into memory: mmap for regular files, read for pipes, zlib for gzip; what is held in
 * memory is bounded. */

#include "hs_dump.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "hs_record.h"

/* Read from a pipe or device this much at a time. */
#define READ_CHUNK ((size_t)1 << 16)
/* Bytes after the last gzip member read from a stream, at most, to count them. */
#define TRAILING_DRAIN_MAX ((uint64_t)64 << 20)

uint64_t hs_dump_default_max_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    uint64_t half = pages > 0 && page_size > 0 ? (uint64_t)pages / 2 * (uint64_t)page_size : (uint64_t)4 << 30;
    /* Whole GiB from 2 GiB up, whole MiB below: a limit that reads well in messages. */
    uint64_t unit = half >= ((uint64_t)2 << 30) ? (uint64_t)1 << 30 : (uint64_t)1 << 20;
    return half >= unit ? half / unit * unit : half;
}

/* "12 GiB" and "12G" (or "1000 bytes" and "1000") for a limit. */
static void describe_limit(uint64_t bytes, char *human, size_t human_size, char *option, size_t option_size)
{
    static const struct {
        unsigned shift;
        const char *unit, *suffix;
    } units[] = {{40, "TiB", "T"}, {30, "GiB", "G"}, {20, "MiB", "M"}, {10, "KiB", "K"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (bytes >= ((uint64_t)1 << units[i].shift) && bytes % ((uint64_t)1 << units[i].shift) == 0) {
            snprintf(human, human_size, "%" PRIu64 " %s", bytes >> units[i].shift, units[i].unit);
            snprintf(option, option_size, "%" PRIu64 "%s", bytes >> units[i].shift, units[i].suffix);
            return;
        }
    snprintf(human, human_size, "%" PRIu64 " bytes", bytes);
    snprintf(option, option_size, "%" PRIu64, bytes);
}

/* The error for a dump that needs more memory than the limit: "NAME: BEFORE 12 GiB AFTER (--max-inflate 12G); ...". */
static int too_large(const char *name, const char *before, const char *after, uint64_t limit, hs_error *err)
{
    char human[32], option[32];
    describe_limit(limit, human, sizeof human, option, sizeof option);
    return hs_error_set(err, HS_ERR_NOMEM, "%s: %s %s%s (--max-inflate %s); give a larger --max-inflate to read it",
                        name, before, human, after, option);
}

#define STREAM_TOO_LARGE(name, limit, err) too_large(name, "is more than", " to read into memory from a pipe or device", limit, err)
#define GZIP_TOO_LARGE(name, limit, err) too_large(name, "inflates to more than", "", limit, err)

/* A buffer that grows by doubling up to one byte past `limit` (which says the limit was passed). */
typedef struct growing {
    uint8_t *data;
    size_t size, capacity;
    uint64_t limit;
} growing;

/* Makes room for at least one more byte; -1 when out of memory. */
static int grow(growing *g)
{
    if (g->size < g->capacity)
        return 0;
    uint64_t most = g->limit < SIZE_MAX - 1 ? g->limit + 1 : SIZE_MAX;
    uint64_t wanted = g->capacity ? (uint64_t)g->capacity * 2 : READ_CHUNK;
    if (wanted > most)
        wanted = most;
    if (wanted <= g->capacity)
        return -1;
    uint8_t *grown = realloc(g->data, (size_t)wanted);
    if (!grown)
        return -1;
    g->data = grown;
    g->capacity = (size_t)wanted;
    return 0;
}

/* read(2) that retries on EINTR. */
static ssize_t read_some(int fd, void *buffer, size_t size)
{
    ssize_t n;
    do
        n = read(fd, buffer, size);
    while (n < 0 && errno == EINTR);
    return n;
}

/* Reads a stream into memory: from `start` (bytes already read) on, to the
 * end of fd, at most `limit` bytes; the header is checked as soon as its 16
 * bytes are in. */
static int read_stream(int fd, const char *name, const uint8_t *start, size_t start_size, uint64_t limit, uint8_t **out,
                       uint64_t *out_size, hs_error *err)
{
    growing g = {.limit = limit};
    int status = HS_OK, checked = 0;
    while (status == HS_OK) {
        if (grow(&g) < 0) {
            status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory after reading %zu bytes", name, g.size);
            break;
        }
        size_t room = g.capacity - g.size;
        if (start_size) {
            size_t n = start_size < room ? start_size : room;
            memcpy(g.data + g.size, start, n);
            start += n;
            start_size -= n;
            g.size += n;
        } else {
            ssize_t n = read_some(fd, g.data + g.size, room < READ_CHUNK ? room : READ_CHUNK);
            if (n < 0) {
                status = hs_error_set(err, HS_ERR_IO, "%s: read failed after %zu bytes: %s", name, g.size,
                                      strerror(errno));
                break;
            }
            if (n == 0)
                break;
            g.size += (size_t)n;
        }
        if (g.size > limit) {
            status = STREAM_TOO_LARGE(name, limit, err);
            break;
        }
        if (!checked && g.size >= HS_HEADER_LENGTH) {
            status = hs_check_header(name, g.data, g.size, 0, err);
            checked = 1;
        }
    }
    if (status < 0) {
        free(g.data);
        return status;
    }
    *out = g.data;
    *out_size = g.size;
    return HS_OK;
}

/* Where inflate_gzip takes compressed bytes: a block in memory, or a
 * stream (its first bytes in memory, the rest read from fd). */
typedef struct compressed_input {
    const uint8_t *data; /* the bytes not yet handed to zlib */
    uint64_t left;
    int fd;              /* -1: no more than data */
    uint8_t *buffer;     /* READ_CHUNK bytes for reading fd */
    uint64_t consumed;   /* compressed bytes zlib has taken */
} compressed_input;

/* Makes `left` non-zero when more input exists; returns 0 (at the end when left stays 0) or an I/O error. */
static int refill(compressed_input *in, const char *name, hs_error *err)
{
    if (in->left || in->fd < 0)
        return HS_OK;
    ssize_t n = read_some(in->fd, in->buffer, READ_CHUNK);
    if (n < 0)
        return hs_error_set(err, HS_ERR_IO, "%s: read failed after %" PRIu64 " compressed bytes: %s", name,
                            in->consumed, strerror(errno));
    in->data = in->buffer;
    in->left = (uint64_t)n;
    return HS_OK;
}

/* Counts the bytes after the last gzip member: those in hand, then (a
 * stream) up to TRAILING_DRAIN_MAX more; *more says whether it stopped
 * before the end. */
static int count_trailing(compressed_input *in, const char *name, uint64_t *count, int *more, hs_error *err)
{
    *count = 0;
    *more = 0;
    for (;;) {
        *count += in->left;
        in->left = 0;
        if (in->fd < 0)
            return HS_OK;
        if (*count >= TRAILING_DRAIN_MAX) {
            *more = 1;
            return HS_OK;
        }
        HS_TRY(refill(in, name, err));
        if (!in->left)
            return HS_OK;
    }
}

/* Inflates gzip data (possibly several members) into a malloc'd buffer of
 * at most `limit` bytes; the header is checked as soon as 16 inflated bytes
 * are in. Bytes after the last member are counted in dump. */
static int inflate_gzip(compressed_input *in, const char *name, uint64_t limit, hs_dump *dump, uint8_t **out,
                        uint64_t *out_size, hs_error *err)
{
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, 15 + 32) != Z_OK)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: cannot start gzip decompression", name);
    growing g = {.limit = limit};
    int status = HS_OK, checked = 0;
    for (;;) {
        if ((status = refill(in, name, err)) < 0)
            break;
        if (grow(&g) < 0) {
            status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory after inflating %zu bytes", name, g.size);
            break;
        }
        stream.next_in = (Bytef *)in->data;
        stream.avail_in = in->left > UINT32_MAX ? UINT32_MAX : (uInt)in->left;
        size_t out_left = g.capacity - g.size;
        stream.next_out = g.data + g.size;
        stream.avail_out = out_left > UINT32_MAX ? UINT32_MAX : (uInt)out_left;
        uInt avail_in_before = stream.avail_in, avail_out_before = stream.avail_out;
        int z = inflate(&stream, Z_NO_FLUSH);
        uint64_t taken = avail_in_before - stream.avail_in;
        in->data += taken;
        in->left -= taken;
        in->consumed += taken;
        g.size += avail_out_before - stream.avail_out;
        if (g.size > limit) {
            status = GZIP_TOO_LARGE(name, limit, err);
            break;
        }
        if (!checked && g.size >= HS_HEADER_LENGTH) {
            if ((status = hs_check_header(name, g.data, g.size, 0, err)) < 0)
                break;
            checked = 1;
        }
        if (z == Z_STREAM_END) {
            /* Another gzip member may follow: its two magic bytes, possibly in two reads. */
            if ((status = refill(in, name, err)) < 0)
                break;
            if (in->left == 1 && in->fd >= 0 && in->data[0] == 0x1f) {
                uint8_t magic[2] = {0x1f, 0};
                ssize_t n = read_some(in->fd, magic + 1, 1);
                if (n < 0) {
                    status = hs_error_set(err, HS_ERR_IO, "%s: read failed: %s", name, strerror(errno));
                    break;
                }
                memcpy(in->buffer, magic, 2);
                in->data = in->buffer;
                in->left = 1 + (uint64_t)n;
            }
            if (in->left >= 2 && in->data[0] == 0x1f && in->data[1] == 0x8b) {
                inflateReset(&stream);
                continue;
            }
            if (in->left)
                status = count_trailing(in, name, &dump->gzip_trailing_bytes, &dump->gzip_trailing_more, err);
            break;
        }
        if (z == Z_BUF_ERROR && in->left == 0 && stream.avail_out > 0) {
            if ((status = refill(in, name, err)) < 0)
                break;
            if (in->left)
                continue;
            status = hs_error_set(err, HS_ERR_TRUNCATED,
                                  "%s: gzip data is truncated after %" PRIu64 " compressed bytes (%zu inflated)", name,
                                  in->consumed, g.size);
            break;
        }
        if (z != Z_OK && z != Z_BUF_ERROR) {
            status = hs_error_set(err, HS_ERR_FORMAT, "%s: gzip data is corrupt at compressed offset %" PRIu64 ": %s",
                                  name, in->consumed, stream.msg ? stream.msg : "inflate failed");
            break;
        }
    }
    inflateEnd(&stream);
    if (status < 0) {
        free(g.data);
        return status;
    }
    *out = g.data;
    *out_size = g.size;
    return HS_OK;
}

void hs_dump_release_pages(const hs_dump *dump)
{
    if (dump && dump->mapped && !dump->borrowed && dump->size)
        madvise((void *)dump->data, (size_t)dump->size, MADV_DONTNEED);
}

int hs_dump_open_with_options(const char *path, const hs_dump_options *options, hs_dump **out, hs_error *err)
{
    *out = NULL;
    uint64_t limit = options && options->max_memory ? options->max_memory : hs_dump_default_max_memory();
    hs_dump *dump = calloc(1, sizeof *dump);
    if (!dump || !(dump->name = strdup(path))) {
        free(dump);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory", path);
    }
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int saved = errno;
        hs_dump_free(dump);
        return hs_error_set(err, HS_ERR_IO, "%s: cannot open: %s", path, strerror(saved));
    }
    struct stat info;
    int status = HS_OK;
    if (fstat(fd, &info) < 0)
        status = hs_error_set(err, HS_ERR_IO, "%s: cannot stat: %s", path, strerror(errno));
    else if (S_ISDIR(info.st_mode))
        status = hs_error_set(err, HS_ERR_IO, "%s: is a directory, not a heap dump", path);
    if (status == HS_OK && S_ISREG(info.st_mode) && info.st_size > 0) {
        void *map = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            madvise(map, (size_t)info.st_size, MADV_SEQUENTIAL);
            dump->data = map;
            dump->size = (uint64_t)info.st_size;
            dump->mapped = 1;
        }
    }
    if (status == HS_OK && dump->mapped && dump->size >= 2 && dump->data[0] == 0x1f && dump->data[1] == 0x8b) {
        /* A gzip file: inflated from the mapping, which then goes. */
        compressed_input in = {.data = dump->data, .left = dump->size, .fd = -1};
        uint8_t *inflated = NULL;
        uint64_t inflated_size = 0;
        status = inflate_gzip(&in, path, limit, dump, &inflated, &inflated_size, err);
        munmap((void *)dump->data, dump->size);
        dump->data = inflated;
        dump->size = inflated_size;
        dump->mapped = 0;
        dump->compressed = 1;
    } else if (status == HS_OK && !dump->mapped) {
        /* A pipe, a device, an empty file: its first bytes say whether it is gzip. */
        uint8_t *first = malloc(READ_CHUNK);
        size_t first_size = 0;
        if (!first)
            status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory reading the file", path);
        while (status == HS_OK && first_size < HS_HEADER_LENGTH) {
            ssize_t n = read_some(fd, first + first_size, READ_CHUNK - first_size);
            if (n < 0)
                status = hs_error_set(err, HS_ERR_IO, "%s: read failed after %zu bytes: %s", path, first_size,
                                      strerror(errno));
            else if (n == 0)
                break;
            else
                first_size += (size_t)n;
        }
        uint8_t *data = NULL;
        uint64_t size = 0;
        if (status == HS_OK && first_size >= 2 && first[0] == 0x1f && first[1] == 0x8b) {
            compressed_input in = {.data = first, .left = first_size, .fd = fd, .buffer = first};
            status = inflate_gzip(&in, path, limit, dump, &data, &size, err);
            dump->compressed = 1;
        } else if (status == HS_OK) {
            status = read_stream(fd, path, first, first_size, limit, &data, &size, err);
        }
        free(first);
        dump->data = data;
        dump->size = size;
    }
    if (fd != STDIN_FILENO)
        close(fd);
    if (status < 0) {
        hs_dump_free(dump);
        return status;
    }
    *out = dump;
    return HS_OK;
}

int hs_dump_open(const char *path, hs_dump **out, hs_error *err)
{
    return hs_dump_open_with_options(path, NULL, out, err);
}

int hs_dump_from_memory(const char *name, const uint8_t *data, uint64_t size, hs_dump **out, hs_error *err)
{
    *out = NULL;
    hs_dump *dump = calloc(1, sizeof *dump);
    if (!dump || !(dump->name = strdup(name))) {
        free(dump);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory", name);
    }
    dump->data = data;
    dump->size = size;
    dump->borrowed = 1;
    *out = dump;
    return HS_OK;
}

void hs_dump_free(hs_dump *dump)
{
    if (!dump)
        return;
    if (dump->borrowed)
        ;
    else if (dump->mapped)
        munmap((void *)dump->data, dump->size);
    else
        free((void *)dump->data);
    free(dump->name);
    free(dump);
}
