/* test_output.c — unit tests of the UTF-8 validator and the text and JSON string writers (hs_output.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

static void test_utf8_decode(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        unsigned length;  /* what hs_utf8_decode returns */
        uint32_t code;
    } cases[] = {
        {"A", 1, 0x41},
        {"\xc2\x80", 2, 0x80},
        {"\xc2\x9b", 2, 0x9b},
        {"\xdf\xbf", 2, 0x7ff},
        {"\xe0\xa0\x80", 3, 0x800},
        {"\xe2\x86\x92", 3, 0x2192},
        {"\xed\x9f\xbf", 3, 0xd7ff},
        {"\xee\x80\x80", 3, 0xe000},
        {"\xef\xbf\xbf", 3, 0xffff},
        {"\xf0\x90\x80\x80", 4, 0x10000},
        {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
        {"\xc0\x80", 0, 0},          /* overlong NUL */
        {"\xc1\xbf", 0, 0},          /* overlong U+007F */
        {"\xe0\x9f\xbf", 0, 0},      /* overlong U+07FF */
        {"\xf0\x8f\xbf\xbf", 0, 0},  /* overlong U+FFFF */
        {"\xed\xa0\x80", 0, 0},      /* surrogate U+D800 */
        {"\xed\xbf\xbf", 0, 0},      /* surrogate U+DFFF */
        {"\xf4\x90\x80\x80", 0, 0},  /* U+110000 */
        {"\xf5\x80\x80\x80", 0, 0},
        {"\xff", 0, 0},
        {"\x80", 0, 0},              /* a continuation byte alone */
        {"\xe2\x86", 0, 0},          /* cut short */
        {"\xe2\x28\x92", 0, 0},      /* a continuation byte missing */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t code = 0xdeadbeef;
        unsigned n = hs_utf8_decode((const uint8_t *)cases[i].bytes, strlen(cases[i].bytes), &code);
        if (n != cases[i].length || (n && code != cases[i].code))
            fail_msg("case %zu: got length %u code 0x%x, want %u 0x%x", i, n, code, cases[i].length, cases[i].code);
    }
    uint32_t code;
    assert_int_equal(hs_utf8_decode((const uint8_t *)"A", 0, &code), 0);
}

/* What a writer makes of `length` bytes. */
static char *written(void (*writer)(FILE *, const uint8_t *, uint64_t), const char *bytes, size_t length)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    assert_non_null(out);
    writer(out, (const uint8_t *)bytes, length);
    fclose(out);
    return text;
}

static void expect_written(void (*writer)(FILE *, const uint8_t *, uint64_t), const char *bytes, const char *want)
{
    char *got = written(writer, bytes, strlen(bytes));
    if (strcmp(got, want))
        fail_msg("got '%s', want '%s'", got, want);
    free(got);
}

static void test_text_escapes_controls(void **state)
{
    (void)state;
    expect_written(hs_write_text, "main.x", "main.x");
    expect_written(hs_write_text, "a\\b", "a\\\\b");
    expect_written(hs_write_text, "\x1b[2J\x07\x7f\n", "\\x1b[2J\\x07\\x7f\\x0a");
    expect_written(hs_write_text, "csi\xc2\x9b" "31m nel\xc2\x85", "csi\\xc2\\x9b31m nel\\xc2\\x85");
    expect_written(hs_write_text, "\xc2\xa0\xc3\xa9\xe2\x86\x92\xf0\x9f\x98\x80", "\xc2\xa0\xc3\xa9\xe2\x86\x92\xf0\x9f\x98\x80");
    expect_written(hs_write_text, "\xc0\x80\xed\xa0\x80\xf4\x90\x80\x80\xff",
                   "\\xc0\\x80\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80\\xff");
    char *got = written(hs_write_text, "a\0b", 3);
    assert_string_equal(got, "a\\x00b");
    free(got);
}

static void test_json_strings_are_valid(void **state)
{
    (void)state;
    expect_written(hs_write_json_string, "q\"b\\\n\t\x01\x7f", "\"q\\\"b\\\\\\n\\t\\u0001\\u007f\"");
    expect_written(hs_write_json_string, "\xc2\x9b\xe2\x86\x92\xf4\x8f\xbf\xbf", "\"\xc2\x9b\xe2\x86\x92\xf4\x8f\xbf\xbf\"");
    expect_written(hs_write_json_string, "\xc0\x80\xed\xa0\x80\xf4\x90\x80\x80\xff",
                   "\"\\u00c0\\u0080\\u00ed\\u00a0\\u0080\\u00f4\\u0090\\u0080\\u0080\\u00ff\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_text_escapes_controls),
        cmocka_unit_test(test_json_strings_are_valid),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
