/* test_find.c — unit tests of --find patterns (hs_find.h): regular expressions, and the literal fallback. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs_find.h"

static hs_matcher *compile(const char *pattern)
{
    hs_error err = {0};
    hs_matcher *matcher = NULL;
    assert_int_equal(hs_matcher_compile(pattern, &matcher, &err), 0);
    assert_non_null(matcher);
    return matcher;
}

static void test_regular_expression(void **state)
{
    (void)state;
    hs_matcher *m = compile("^main\\.load:3[68]$");
    assert_false(m->literal);
    assert_true(hs_matcher_match(m, "main.load:36"));
    assert_true(hs_matcher_match(m, "main.load:38"));
    assert_false(hs_matcher_match(m, "main.load:37"));
    assert_false(hs_matcher_match(m, "xmain.load:36"));
    assert_false(hs_matcher_match(m, NULL));
    hs_matcher_free(m);
    m = compile("renderPage");
    assert_false(m->literal);
    assert_true(hs_matcher_match(m, "main.renderPage"));
    assert_true(hs_matcher_match(m, "main.renderPage:12"));
    hs_matcher_free(m);
}

/* glibc rejects '*' right after '(' (POSIX leaves it undefined), an unmatched '(' and an unclosed '['. */
static void test_not_a_regular_expression_is_literal(void **state)
{
    (void)state;
    const char *patterns[] = {"main.(*hub).subscribe", "(", "[", "(["};
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        hs_matcher *m = compile(patterns[i]);
        assert_true(m->literal);
        hs_matcher_free(m);
    }
    hs_matcher *m = compile("main.(*hub).subscribe");
    assert_true(hs_matcher_match(m, "main.(*hub).subscribe"));
    assert_true(hs_matcher_match(m, "main.(*hub).subscribe:42"));
    assert_true(hs_matcher_match(m, "main.(*hub).subscribeAll")); /* a substring */
    assert_false(hs_matcher_match(m, "mainX(*hub).subscribe"));
    assert_false(hs_matcher_match(m, "main.hub.subscribe"));
    hs_matcher_free(m);
}

static void test_note(void **state)
{
    (void)state;
    char *text = NULL;
    size_t length = 0;
    FILE *out = open_memstream(&text, &length);
    assert_non_null(out);
    hs_matcher *regex = compile("a+");
    hs_matcher *literal = compile("f(*");
    hs_matcher_write_note(out, regex);
    hs_matcher_write_note(out, literal);
    fclose(out);
    assert_string_equal(text, "heapspurs: note: 'f(*' is not a valid regular expression; matching it as a literal string\n");
    free(text);
    hs_matcher_free(regex);
    hs_matcher_free(literal);
    hs_matcher_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_regular_expression),
        cmocka_unit_test(test_not_a_regular_expression_is_literal),
        cmocka_unit_test(test_note),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
