/* test_output.c — the small writers of src/output.h: the UTF-8 validator, escaped text, JSON strings, human sizes, percentages. */
#include "fixtures.h"

#include "output.h"

/* What writer(out, data, length) prints for the bytes of a string literal (length from sizeof: NULs kept). */
typedef void (*bytes_writer)(FILE *out, const uint8_t *data, uint64_t length);

static void check_written(bytes_writer writer, const char *data, size_t length, const char *want)
{
    memory_stream m;
    writer(memory_stream_open(&m), (const uint8_t *)data, length);
    char *text = memory_stream_close(&m);
    assert_string_equal(text, want);
    free(text);
}

#define CHECK_TEXT(literal, want) check_written(hs_write_text, literal, sizeof literal - 1, want)
#define CHECK_JSON(literal, want) check_written(hs_write_json_string, literal, sizeof literal - 1, want)



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

static void test_text_keeps_printable_and_utf8(void **state)
{
    (void)state;
    CHECK_TEXT("", "");
    CHECK_TEXT("main.(*T).m [\"x\"] {} <&>", "main.(*T).m [\"x\"] {} <&>");
    CHECK_TEXT("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
}

/* Nothing from a dump reaches the terminal as a control byte; a backslash is doubled so escapes stay unambiguous. */
static void test_text_escapes_control_and_invalid_bytes(void **state)
{
    (void)state;
    CHECK_TEXT("a\\b", "a\\\\b");
    CHECK_TEXT("\x1b[31mred", "\\x1b[31mred");
    CHECK_TEXT("a\nb\tc\rd\x7f", "a\\x0ab\\x09c\\x0dd\\x7f");
    CHECK_TEXT("nul\0end", "nul\\x00end");
    CHECK_TEXT("\x80", "\\x80");                 /* a lone continuation byte */
    CHECK_TEXT("\xc0\x80", "\\xc0\\x80");        /* an overlong NUL */
    CHECK_TEXT("\xe2\x82", "\\xe2\\x82");        /* a sequence cut by the end */
    CHECK_TEXT("\xe2\x82x", "\\xe2\\x82x");      /* a sequence cut by an ASCII byte */
    CHECK_TEXT("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80"); /* no lead byte */
    CHECK_TEXT("\xe0\x80\xaf", "\\xe0\\x80\\xaf");        /* '/' in three bytes: overlong */
    CHECK_TEXT("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf"); /* '/' in four bytes: overlong */
    CHECK_TEXT("\xed\xa0\x80", "\\xed\\xa0\\x80");        /* U+D800, a surrogate */
    CHECK_TEXT("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80"); /* U+110000 */
}

static void test_json_string(void **state)
{
    (void)state;
    CHECK_JSON("", "\"\"");
    CHECK_JSON("plain", "\"plain\"");
    CHECK_JSON("q\"b\\s/", "\"q\\\"b\\\\s/\"");
    CHECK_JSON("a\nb\tc", "\"a\\nb\\tc\"");
    CHECK_JSON("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
    CHECK_JSON("nul\0end", "\"nul\\u0000end\"");
    CHECK_JSON("caf\xc3\xa9 \xf0\x9f\x98\x80", "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"");
    /* Bytes of invalid UTF-8 become the code point of the byte: the output stays valid UTF-8. */
    CHECK_JSON("\xff\xc3", "\"\\u00ff\\u00c3\"");
    CHECK_JSON("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\""); /* a surrogate is not UTF-8 */
}

static void test_json_cstring(void **state)
{
    (void)state;
    memory_stream m;
    FILE *out = memory_stream_open(&m);
    hs_write_json_cstring(out, NULL);
    fputc('|', out);
    hs_write_json_cstring(out, "");
    fputc('|', out);
    hs_write_json_cstring(out, "main.\"x\"\n");
    char *text = memory_stream_close(&m);
    assert_string_equal(text, "null|\"\"|\"main.\\\"x\\\"\\n\"");
    free(text);
}

static void test_human_size(void **state)
{
    (void)state;
    static const struct {
        uint64_t bytes;
        const char *want;
    } cases[] = {
        {0, "0 B"},
        {96, "96 B"},
        {2047, "2047 B"},
        {2048, "2 kiB"},
        {65536, "64 kiB"},
        {2 * 1024 * 1024 - 1, "2048 kiB"},
        {2 * 1024 * 1024, "2.00 MiB"},
        {3 * 1024 * 1024 / 2 * 3, "4.50 MiB"},
        {(uint64_t)2 << 30, "2.00 GiB"},
        {(uint64_t)3 << 40, "3.00 TiB"},
        {UINT64_MAX, "16777216.00 TiB"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buffer[32];
        assert_ptr_equal(hs_human_size(cases[i].bytes, buffer, sizeof buffer), buffer);
        assert_string_equal(buffer, cases[i].want);
    }
    /* A short buffer is cut and stays a string. */
    char small[4];
    assert_string_equal(hs_human_size(65536, small, sizeof small), "64 ");
}

static void test_percent(void **state)
{
    (void)state;
    assert_true(hs_percent(0, 0) == 0.0);
    assert_true(hs_percent(7, 0) == 0.0);
    assert_true(hs_percent(0, 9) == 0.0);
    assert_true(hs_percent(1, 4) == 25.0);
    assert_true(hs_percent(5, 5) == 100.0);
    assert_true(hs_percent(UINT64_MAX, UINT64_MAX) == 100.0);
    char text[16];
    snprintf(text, sizeof text, "%.1f", hs_percent(1, 3));
    assert_string_equal(text, "33.3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_keeps_printable_and_utf8),
        cmocka_unit_test(test_text_escapes_control_and_invalid_bytes),
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_text_escapes_controls),
        cmocka_unit_test(test_json_strings_are_valid),
        cmocka_unit_test(test_json_string),
        cmocka_unit_test(test_json_cstring),
        cmocka_unit_test(test_human_size),
        cmocka_unit_test(test_percent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
