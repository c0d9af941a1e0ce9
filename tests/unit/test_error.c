/* test_error.c — unit tests of error messages (hs_error.h): printf's formatting, long names shortened, the reason kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_error.h"

/* A message that fits is what snprintf makes of it, for every conversion the library uses. */
static void test_short_messages_as_printf(void **state)
{
    (void)state;
    hs_error err = {0};
    char want[HS_ERROR_MESSAGE_MAX];
    assert_int_equal(hs_error_set(&err, HS_ERR_FORMAT, "%s: offset %llu: while reading %s record: %s", "a.dump",
                                  123456789012ULL, "object", "why"),
                     HS_ERR_FORMAT);
    assert_int_equal(err.code, HS_ERR_FORMAT);
    assert_string_equal(err.message, "a.dump: offset 123456789012: while reading object record: why");
    uint64_t big = UINT64_MAX;
    uint32_t small = 7;
    size_t count = 42;
    hs_error_set(&err, HS_ERR_IO, "%" PRIu64 " %" PRIx64 " %" PRIu32 " %zu %u %d %02x %04x %.1f %g %c %% %.3s|%5s|%-5s|%.*s|%*d",
                 big, big, small, count, 3u, -4, 10, 255, 2.25, 0.5, 'z', "abcdef", "ab", "cd", 2, "xyz", 4, 9);
    snprintf(want, sizeof want,
             "%" PRIu64 " %" PRIx64 " %" PRIu32 " %zu %u %d %02x %04x %.1f %g %c %% %.3s|%5s|%-5s|%.*s|%*d", big, big,
             small, count, 3u, -4, 10, 255, 2.25, 0.5, 'z', "abcdef", "ab", "cd", 2, "xyz", 4, 9);
    assert_string_equal(err.message, want);
    const char *volatile nothing = NULL; /* hidden from the compiler's format check */
    hs_error_set(&err, HS_ERR_IO, "%s and %s", nothing, "x");
    snprintf(want, sizeof want, "%s and %s", "(null)", "x");
    assert_string_equal(err.message, want);
    assert_int_equal(hs_error_set(NULL, HS_ERR_NOMEM, "%s", "nothing"), HS_ERR_NOMEM);
}

static char *long_path(size_t length, char fill)
{
    char *path = malloc(length + 1);
    assert_non_null(path);
    memset(path, fill, length);
    memcpy(path, "/top/", 5);
    memcpy(path + length - 9, "/the.dump", 9);
    path[length] = '\0';
    return path;
}

/* A 4000-byte path: the message keeps its start and end around "...", and all of the offset and the reason. */
static void test_long_path_shortened(void **state)
{
    (void)state;
    char *path = long_path(4000, 'p');
    hs_error err = {0};
    hs_error_set(&err, HS_ERR_TRUNCATED, "%s: offset %llu: while reading %s record: %s", path, 987654321ULL, "object",
                 "contents length 99 exceeds the 3 bytes left");
    size_t length = strlen(err.message);
    assert_true(length <= HS_ERROR_MESSAGE_MAX - 1);
    assert_true(length > HS_ERROR_MESSAGE_MAX - 10); /* the path keeps all the room there is */
    assert_true(!strncmp(err.message, "/top/", 5));
    assert_non_null(strstr(err.message, "...pppp"));
    assert_non_null(strstr(err.message,
                           "/the.dump: offset 987654321: while reading object record: contents length 99 exceeds the 3 "
                           "bytes left"));
    assert_int_equal(strlen(strstr(err.message, "/the.dump: offset")), strlen("/the.dump: offset 987654321: while "
                                                                               "reading object record: contents length "
                                                                               "99 exceeds the 3 bytes left"));
    /* Two long names: the longer is shortened first, both when needed. */
    char *other = long_path(3000, 'q');
    hs_error_set(&err, HS_ERR_PROGRAM, "%s: %s is not the program that wrote the dump: %s", path, other, "reason");
    assert_true(strlen(err.message) <= HS_ERROR_MESSAGE_MAX - 1);
    assert_non_null(strstr(err.message, "/the.dump: /top/"));
    assert_non_null(strstr(err.message, "/the.dump is not the program that wrote the dump: reason"));
    free(other);
    free(path);
}

/* hs_error_prefix puts a long output path before a message and keeps all of the message. */
static void test_prefix_keeps_message(void **state)
{
    (void)state;
    char *path = long_path(2000, 'o');
    hs_error err = {0};
    hs_error_set(&err, HS_ERR_IO, "write failed: No space left on device");
    hs_error_prefix(&err, "%s: ", path);
    assert_true(strlen(err.message) <= HS_ERROR_MESSAGE_MAX - 1);
    assert_true(!strncmp(err.message, "/top/", 5));
    assert_non_null(strstr(err.message, "/the.dump: write failed: No space left on device"));
    hs_error none = {0};
    hs_error_prefix(&none, "%s: ", path);
    assert_string_equal(none.message, "");
    free(path);
}

/* Multi-byte characters are never cut in two. */
static void test_shortening_keeps_utf8(void **state)
{
    (void)state;
    size_t count = 1500;
    char *name = malloc(count * 2 + 1);
    assert_non_null(name);
    for (size_t i = 0; i < count; i++)
        memcpy(name + 2 * i, "\xc3\xa9", 2);
    name[count * 2] = '\0';
    hs_error err = {0};
    hs_error_set(&err, HS_ERR_IO, "%s: cannot open: %s", name, "No such file or directory");
    const char *dots = strstr(err.message, "...");
    assert_non_null(dots);
    assert_true((dots - err.message) % 2 == 0);
    assert_true(strlen(dots + 3) % 2 == strlen(": cannot open: No such file or directory") % 2);
    assert_non_null(strstr(err.message, "\xc3\xa9: cannot open: No such file or directory"));
    free(name);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_messages_as_printf),
        cmocka_unit_test(test_long_path_shortened),
        cmocka_unit_test(test_prefix_keeps_message),
        cmocka_unit_test(test_shortening_keeps_utf8),
    };
    return cmocka_run_group_tests_name("error", tests, NULL, NULL);
}
