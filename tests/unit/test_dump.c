/* test_dump.c — unit tests of loading (hs_dump.h): the memory limit on inflated and streamed dumps, the early
 * header check, bytes after the gzip data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "hs_dump.h"

/* Writes `copies` gzip members of `size` bytes (the dump header, then zeros) and `trailing` to a temporary file. */
static char *write_gzip(size_t size, int copies, const char *header, const char *trailing)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/test_dump.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    uint8_t *plain = calloc(1, size);
    assert_non_null(plain);
    memcpy(plain, header, strlen(header) < size ? strlen(header) : size);
    for (int i = 0; i < copies; i++) {
        gzFile out = gzopen(path, i == 0 ? "wb" : "ab");
        assert_non_null(out);
        assert_int_equal(gzwrite(out, plain, (unsigned)size), (int)size);
        assert_int_equal(gzclose(out), Z_OK);
    }
    free(plain);
    if (trailing) {
        FILE *f = fopen(path, "ab");
        assert_non_null(f);
        fputs(trailing, f);
        fclose(f);
    }
    return path;
}

static void test_inflate_limit(void **state)
{
    (void)state;
    char *path = write_gzip(1 << 20, 3, "go1.7 heap dump\n", NULL);
    hs_dump *dump = NULL;
    hs_error err = {0};
    hs_dump_options small = {.max_memory = 2 << 20};
    assert_int_equal(hs_dump_open_with_options(path, &small, &dump, &err), HS_ERR_NOMEM);
    assert_null(dump);
    char want[256];
    snprintf(want, sizeof want, "%s: inflates to more than 2 MiB (--max-inflate 2M); give a larger --max-inflate to read it",
             path);
    assert_string_equal(err.message, want);
    hs_dump_options exact = {.max_memory = 3 << 20};
    assert_int_equal(hs_dump_open_with_options(path, &exact, &dump, &err), HS_OK);
    assert_int_equal(dump->size, 3 << 20);
    assert_int_equal(dump->gzip_trailing_bytes, 0);
    hs_dump_free(dump);
    hs_dump_options odd = {.max_memory = 1000001};
    assert_int_equal(hs_dump_open_with_options(path, &odd, &dump, &err), HS_ERR_NOMEM);
    assert_non_null(strstr(err.message, ": inflates to more than 1000001 bytes (--max-inflate 1000001); "));
    unlink(path);
}

/* A gzip file that is not a dump stops at its first 16 inflated bytes, with the parser's message. */
static void test_inflate_checks_header(void **state)
{
    (void)state;
    char *path = write_gzip(64 << 20, 1, "not a heap dump at all\n", NULL);
    hs_dump *dump = NULL;
    hs_error err = {0};
    hs_dump_options limit = {.max_memory = 1 << 20}; /* below the file's 64 MiB: the header stops it first */
    assert_int_equal(hs_dump_open_with_options(path, &limit, &dump, &err), HS_ERR_FORMAT);
    assert_non_null(strstr(err.message, ": offset 0: not a Go heap dump (no \"go1.7 heap dump\" header)"));
    unlink(path);
}

static void test_gzip_trailing_bytes(void **state)
{
    (void)state;
    char *path = write_gzip(4096, 2, "go1.7 heap dump\n", "garbage\n");
    hs_dump *dump = NULL;
    hs_error err = {0};
    assert_int_equal(hs_dump_open(path, &dump, &err), HS_OK);
    assert_int_equal(dump->size, 2 * 4096);
    assert_int_equal(dump->gzip_trailing_bytes, 8);
    assert_int_equal(dump->gzip_trailing_more, 0);
    assert_true(dump->compressed);
    hs_dump_free(dump);
    unlink(path);
}

static void test_default_limit(void **state)
{
    (void)state;
    uint64_t limit = hs_dump_default_max_memory();
    long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    assert_true(limit > 0);
    if (pages > 0 && page_size > 0)
        assert_true(limit <= (uint64_t)pages * (uint64_t)page_size / 2);
    assert_true(limit % (1 << 20) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inflate_limit),
        cmocka_unit_test(test_inflate_checks_header),
        cmocka_unit_test(test_gzip_trailing_bytes),
        cmocka_unit_test(test_default_limit),
    };
    return cmocka_run_group_tests_name("dump", tests, NULL, NULL);
}
