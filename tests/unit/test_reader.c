/* test_reader.c — unit tests of the bounded uvarint and length-prefixed byte reader (hs_reader.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "hs_error.h"
#include "hs_reader.h"

static hs_cursor cursor_over(const uint8_t *bytes, uint64_t size)
{
    hs_cursor cursor = {.base = bytes, .size = size, .pos = 0};
    return cursor;
}

/* Reads a uvarint from c: it must be value, the cursor left at pos. */
static void expect_uvarint(hs_cursor *c, uint64_t value, uint64_t pos)
{
    uint64_t got = 99;
    assert_int_equal(hs_read_uvarint(c, &got), HS_OK);
    assert_true(got == value);
    assert_int_equal(c->pos, pos);
}

static void test_uvarint_one_byte(void **state)
{
    (void)state;
    const uint8_t bytes[] = {0x00, 0x01, 0x7f};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    uint64_t value = 99;
    expect_uvarint(&c, 0, 1);
    assert_int_equal(hs_read_uvarint(&c, &value), HS_OK);
    assert_int_equal(value, 1);
    expect_uvarint(&c, 127, 3);
    assert_int_equal(hs_cursor_left(&c), 0);
}

static void test_uvarint_multi_byte(void **state)
{
    (void)state;
    /* 300 = 0b10_0101100 -> ac 02; 16384 -> 80 80 01; 0xc000012345 */
    const uint8_t bytes[] = {0xac, 0x02, 0x80, 0x80, 0x01, 0xc5, 0xc6, 0x80, 0x80, 0x80, 0x18};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    expect_uvarint(&c, 300, 2);
    expect_uvarint(&c, 16384, 5);
    expect_uvarint(&c, 0xc000002345ULL, sizeof bytes);
}

static void test_uvarint_non_minimal(void **state)
{
    (void)state;
    /* Go's encoder never writes it, but 0x81 0x00 still decodes as 1. */
    const uint8_t bytes[] = {0x81, 0x00};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    expect_uvarint(&c, 1, 2);
}

static void test_uvarint_max(void **state)
{
    (void)state;
    const uint8_t bytes[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x05};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    uint64_t value = 0;
    expect_uvarint(&c, UINT64_MAX, HS_UVARINT_MAX_BYTES);
    assert_int_equal(hs_read_uvarint(&c, &value), HS_OK);
    assert_int_equal(value, 5);
}

static void test_uvarint_top_bit_only(void **state)
{
    (void)state;
    /* 2^63: nine 0x80 bytes and a final 0x01. */
    const uint8_t bytes[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    uint64_t value = 0;
    assert_int_equal(hs_read_uvarint(&c, &value), HS_OK);
    assert_true(value == (uint64_t)1 << 63);
}

static void test_uvarint_truncated(void **state)
{
    (void)state;
    const uint8_t bytes[] = {0x07, 0x80, 0x80, 0x80};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    uint64_t value = 0;
    assert_int_equal(hs_read_uvarint(&c, &value), HS_OK);
    assert_int_equal(c.pos, 1);
    value = 12345;
    assert_int_equal(hs_read_uvarint(&c, &value), HS_ERR_TRUNCATED);
    assert_int_equal(c.pos, 1); /* unchanged on failure */
    assert_int_equal(value, 12345);
    /* Nothing left at all. */
    hs_cursor empty = cursor_over(bytes, 0);
    assert_int_equal(hs_read_uvarint(&empty, &value), HS_ERR_TRUNCATED);
    assert_int_equal(empty.pos, 0);
    /* Nine continuation bytes and the buffer ends: truncated, not overflow. */
    const uint8_t nine[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    hs_cursor c9 = cursor_over(nine, sizeof nine);
    assert_int_equal(hs_read_uvarint(&c9, &value), HS_ERR_TRUNCATED);
    assert_int_equal(c9.pos, 0);
}

static void test_uvarint_overflow_long(void **state)
{
    (void)state;
    uint8_t bytes[12];
    memset(bytes, 0x80, 11);
    bytes[11] = 0x00;
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    c.pos = 0;
    uint64_t value = 7;
    assert_int_equal(hs_read_uvarint(&c, &value), HS_ERR_OVERFLOW);
    assert_int_equal(c.pos, 0);
    assert_int_equal(value, 7);
    /* Ten continuation bytes and then the buffer ends: still too long. */
    hs_cursor ten = cursor_over(bytes, 10);
    assert_int_equal(hs_read_uvarint(&ten, &value), HS_ERR_OVERFLOW);
    assert_int_equal(ten.pos, 0);
}

static void test_uvarint_overflow_tenth_byte(void **state)
{
    (void)state;
    const uint8_t bytes[] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    uint64_t value;
    assert_int_equal(hs_read_uvarint(&c, &value), HS_OK);
    assert_int_equal(hs_read_uvarint(&c, &value), HS_ERR_OVERFLOW);
    assert_int_equal(c.pos, 1);
    const uint8_t tenth_7f[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
    hs_cursor c2 = cursor_over(tenth_7f, sizeof tenth_7f);
    assert_int_equal(hs_read_uvarint(&c2, &value), HS_ERR_OVERFLOW);
    assert_int_equal(c2.pos, 0);
}

static void test_bytes_in_place(void **state)
{
    (void)state;
    const uint8_t bytes[] = {0x03, 'a', 'b', 'c', 0x00, 0x01, 'z'};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    const uint8_t *data = NULL;
    uint64_t length = 99;
    assert_int_equal(hs_read_bytes(&c, &data, &length), HS_OK);
    assert_int_equal(length, 3);
    assert_ptr_equal(data, bytes + 1); /* not copied */
    assert_memory_equal(data, "abc", 3);
    assert_int_equal(c.pos, 4);
    assert_int_equal(hs_read_bytes(&c, &data, &length), HS_OK);
    assert_int_equal(length, 0);
    assert_ptr_equal(data, bytes + 5);
    assert_int_equal(c.pos, 5);
    assert_int_equal(hs_read_bytes(&c, &data, &length), HS_OK);
    assert_int_equal(length, 1);
    assert_int_equal(data[0], 'z');
    assert_int_equal(hs_cursor_left(&c), 0);
}

static void test_bytes_truncated(void **state)
{
    (void)state;
    /* Claims 5 bytes, 2 are left. */
    const uint8_t bytes[] = {0x01, 'x', 0x05, 'a', 'b'};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    const uint8_t *data = NULL;
    uint64_t length = 0;
    assert_int_equal(hs_read_bytes(&c, &data, &length), HS_OK);
    assert_int_equal(c.pos, 2);
    assert_int_equal(hs_read_bytes(&c, &data, &length), HS_ERR_TRUNCATED);
    assert_int_equal(c.pos, 2);    /* restored to the length varint */
    assert_int_equal(length, 5);   /* the claim, for messages */
}

static void test_bytes_huge_length(void **state)
{
    (void)state;
    /* A length of 2^40 in a 7-byte buffer: refused without touching memory. */
    const uint8_t bytes[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 'a'};
    hs_cursor c = cursor_over(bytes, sizeof bytes);
    const uint8_t *data = NULL;
    uint64_t length = 0;
    assert_int_equal(hs_read_bytes(&c, &data, &length), HS_ERR_TRUNCATED);
    assert_true(length == (uint64_t)1 << 40);
    assert_int_equal(c.pos, 0);
    assert_null(data);
    /* A length that is a bad varint reports the varint's error. */
    const uint8_t bad[] = {0x80, 0x80};
    hs_cursor b = cursor_over(bad, sizeof bad);
    assert_int_equal(hs_read_bytes(&b, &data, &length), HS_ERR_TRUNCATED);
    assert_int_equal(b.pos, 0);
}

static void test_load_word(void **state)
{
    (void)state;
    const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    assert_true(hs_load_word(bytes, 8, 0) == 0x0807060504030201ULL);
    assert_true(hs_load_word(bytes, 8, 1) == 0x0102030405060708ULL);
    assert_true(hs_load_word(bytes, 4, 0) == 0x04030201ULL);
    assert_true(hs_load_word(bytes, 4, 1) == 0x01020304ULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uvarint_one_byte),
        cmocka_unit_test(test_uvarint_multi_byte),
        cmocka_unit_test(test_uvarint_non_minimal),
        cmocka_unit_test(test_uvarint_max),
        cmocka_unit_test(test_uvarint_top_bit_only),
        cmocka_unit_test(test_uvarint_truncated),
        cmocka_unit_test(test_uvarint_overflow_long),
        cmocka_unit_test(test_uvarint_overflow_tenth_byte),
        cmocka_unit_test(test_bytes_in_place),
        cmocka_unit_test(test_bytes_truncated),
        cmocka_unit_test(test_bytes_huge_length),
        cmocka_unit_test(test_load_word),
    };
    return cmocka_run_group_tests_name("reader", tests, NULL, NULL);
}
