/* dump.c — loading a dump file into memory: mmap for regular files, read for pipes, zlib for gzip. */

#include "hs_dump.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Reads all of fd into a growing malloc'd buffer. */
static int read_all(int fd, const char *name, uint8_t **out, uint64_t *out_size, hs_error *err)
{
    size_t capacity = 1 << 16, size = 0;
    uint8_t *buffer = malloc(capacity);
    if (!buffer)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory reading the file", name);
    for (;;) {
        if (size == capacity) {
            if (capacity > SIZE_MAX / 2) {
                free(buffer);
                return hs_error_set(err, HS_ERR_NOMEM, "%s: file too large to read", name);
            }
            uint8_t *grown = realloc(buffer, capacity * 2);
            if (!grown) {
                free(buffer);
                return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory after reading %zu bytes", name, size);
            }
            buffer = grown;
            capacity *= 2;
        }
        ssize_t n = read(fd, buffer + size, capacity - size);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            free(buffer);
            return hs_error_set(err, HS_ERR_IO, "%s: read failed after %zu bytes: %s", name, size, strerror(saved));
        }
        if (n == 0)
            break;
        size += (size_t)n;
    }
    *out = buffer;
    *out_size = size;
    return HS_OK;
}

/* Inflates a gzip image (possibly several members) into a malloc'd buffer. */
static int inflate_gzip(const uint8_t *in, uint64_t in_size, const char *name, uint8_t **out, uint64_t *out_size,
                        hs_error *err)
{
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    if (inflateInit2(&stream, 15 + 32) != Z_OK)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: cannot start gzip decompression", name);
    size_t capacity = in_size < (1u << 20) ? (1u << 22) : (size_t)in_size * 4, size = 0;
    uint8_t *buffer = malloc(capacity);
    if (!buffer) {
        inflateEnd(&stream);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory inflating", name);
    }
    uint64_t consumed = 0;
    int status = Z_OK;
    for (;;) {
        if (size == capacity) {
            uint8_t *grown = capacity <= SIZE_MAX / 2 ? realloc(buffer, capacity * 2) : NULL;
            if (!grown) {
                free(buffer);
                inflateEnd(&stream);
                return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory after inflating %zu bytes", name, size);
            }
            buffer = grown;
            capacity *= 2;
        }
        uint64_t in_left = in_size - consumed;
        stream.next_in = (Bytef *)(in + consumed);
        stream.avail_in = in_left > UINT32_MAX ? UINT32_MAX : (uInt)in_left;
        size_t out_left = capacity - size;
        stream.next_out = buffer + size;
        stream.avail_out = out_left > UINT32_MAX ? UINT32_MAX : (uInt)out_left;
        uInt avail_in_before = stream.avail_in, avail_out_before = stream.avail_out;
        status = inflate(&stream, Z_NO_FLUSH);
        consumed += avail_in_before - stream.avail_in;
        size += avail_out_before - stream.avail_out;
        if (status == Z_STREAM_END) {
            /* Another gzip member may follow. */
            if (consumed < in_size && in_size - consumed >= 2 && in[consumed] == 0x1f && in[consumed + 1] == 0x8b) {
                inflateReset(&stream);
                continue;
            }
            break;
        }
        if (status == Z_BUF_ERROR && consumed == in_size) {
            free(buffer);
            inflateEnd(&stream);
            return hs_error_set(err, HS_ERR_TRUNCATED,
                                "%s: gzip data is truncated after %llu compressed bytes (%zu inflated)", name,
                                (unsigned long long)consumed, size);
        }
        if (status != Z_OK && status != Z_BUF_ERROR) {
            free(buffer);
            inflateEnd(&stream);
            return hs_error_set(err, HS_ERR_FORMAT, "%s: gzip data is corrupt at compressed offset %llu: %s", name,
                                (unsigned long long)consumed, stream.msg ? stream.msg : "inflate failed");
        }
    }
    inflateEnd(&stream);
    *out = buffer;
    *out_size = size;
    return HS_OK;
}

int hs_dump_open(const char *path, hs_dump **out, hs_error *err)
{
    *out = NULL;
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
    if (fstat(fd, &info) < 0) {
        int saved = errno;
        if (fd != STDIN_FILENO)
            close(fd);
        hs_dump_free(dump);
        return hs_error_set(err, HS_ERR_IO, "%s: cannot stat: %s", path, strerror(saved));
    }
    if (S_ISDIR(info.st_mode)) {
        if (fd != STDIN_FILENO)
            close(fd);
        hs_dump_free(dump);
        return hs_error_set(err, HS_ERR_IO, "%s: is a directory, not a heap dump", path);
    }
    int status = HS_OK;
    if (S_ISREG(info.st_mode) && info.st_size > 0) {
        void *map = mmap(NULL, (size_t)info.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map != MAP_FAILED) {
            madvise(map, (size_t)info.st_size, MADV_SEQUENTIAL);
            dump->data = map;
            dump->size = (uint64_t)info.st_size;
            dump->mapped = 1;
        }
    }
    if (!dump->mapped) {
        uint8_t *buffer = NULL;
        status = read_all(fd, path, &buffer, &dump->size, err);
        dump->data = buffer;
    }
    if (fd != STDIN_FILENO)
        close(fd);
    if (status == HS_OK && dump->size >= 2 && dump->data[0] == 0x1f && dump->data[1] == 0x8b) {
        uint8_t *inflated = NULL;
        uint64_t inflated_size = 0;
        status = inflate_gzip(dump->data, dump->size, path, &inflated, &inflated_size, err);
        if (status == HS_OK) {
            if (dump->mapped)
                munmap((void *)dump->data, dump->size);
            else
                free((void *)dump->data);
            dump->data = inflated;
            dump->size = inflated_size;
            dump->mapped = 0;
            dump->compressed = 1;
        }
    }
    if (status < 0) {
        hs_dump_free(dump);
        return status;
    }
    *out = dump;
    return HS_OK;
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
