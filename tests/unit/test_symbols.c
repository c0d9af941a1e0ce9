/* test_symbols.c — hs_symbols_check_dump on the committed dumps and binaries: what it reads, accepts, refuses
 * and which statics it finds. */
#include "fixtures.h"

#include <inttypes.h>
#include <unistd.h>

#define DUMP "testdata/dumps/leak-go1.26.8.dump"
#define FACTS "testdata/dumps/leak-go1.26.8.facts"
#define PROGRAM "testdata/bin/leak-go1.26.8"

static void test_reads_version_and_sections(void **state)
{
    (void)state;
    fixture l;
    fixture_load(&l, DUMP, PROGRAM, 0);
    assert_non_null(l.symbols->go_version);
    assert_string_equal(l.symbols->go_version, "go1.26.8");
    assert_false(l.symbols->position_independent);
    assert_true(l.symbols->data.start < l.symbols->data.end);
    assert_true(l.symbols->bss.start < l.symbols->bss.end);
    assert_true(l.symbols->function_count > 1000);
    fixture_free(&l);
    fixture_load(&l, "testdata/dumps/leak-go1.19.8.dump", "testdata/bin/leak-go1.19.8", 0);
    assert_string_equal(l.symbols->go_version, "go1.19.8");
    fixture_free(&l);
}

static void test_matching_program_accepted(void **state)
{
    (void)state;
    fixture l;
    fixture_load(&l, DUMP, PROGRAM, 0);
    hs_error err = {0};
    assert_int_equal(hs_symbols_check_dump(l.symbols, l.heap, &err), HS_OK);
    assert_int_equal(l.symbols->load_offset, 0);
    uint64_t offset = 1;
    const hs_symbol *s = hs_symbols_find(l.symbols, fact_number(FACTS, "global.addr"), &offset);
    assert_non_null(s);
    assert_string_equal(s->name, "main.leaked");
    assert_int_equal(offset, 0);
    fixture_free(&l);
}

static void test_frames_missing_refused(void **state)
{
    (void)state;
    fixture l;
    fixture_load(&l, DUMP, PROGRAM, 0);
    l.symbols->function_count = 0;
    hs_error err = {0};
    assert_int_equal(hs_symbols_check_dump(l.symbols, l.heap, &err), HS_ERR_PROGRAM);
    assert_non_null(strstr(err.message, "functions in the dump's stack frames are not in its symbol table"));
    assert_non_null(strstr(err.message, DUMP ": " PROGRAM " is not the program that wrote the dump"));
    fixture_free(&l);
}

static void test_frames_elsewhere_refused(void **state)
{
    (void)state;
    fixture l;
    fixture_load(&l, DUMP, PROGRAM, 0);
    for (uint64_t i = 0; i < l.symbols->function_count; i++)
        l.symbols->functions[i].address += 16;
    hs_error err = {0};
    assert_int_equal(hs_symbols_check_dump(l.symbols, l.heap, &err), HS_ERR_PROGRAM);
    assert_non_null(strstr(err.message, "its symbol table puts that function at"));
    fixture_free(&l);
}

/* The same program as if linked 0x10000 lower and position-independent: the
 * check finds the load offset from the data segment and moves the symbols. */
static void test_position_independent_moved(void **state)
{
    (void)state;
    const uint64_t shift = 0x10000;
    fixture l;
    fixture_load(&l, DUMP, PROGRAM, 0);
    hs_symbols *s = l.symbols;
    s->position_independent = 1;
    for (uint64_t i = 0; i < s->count; i++)
        s->symbols[i].address -= shift;
    for (uint64_t i = 0; i < s->function_count; i++)
        s->functions[i].address -= shift;
    s->data.start -= shift;
    s->data.end -= shift;
    s->bss.start -= shift;
    s->bss.end -= shift;
    hs_error err = {0};
    assert_int_equal(hs_symbols_check_dump(s, l.heap, &err), HS_OK);
    assert_int_equal(s->load_offset, shift);
    const hs_symbol *global = hs_symbols_find(s, fact_number(FACTS, "global.addr"), NULL);
    assert_non_null(global);
    assert_string_equal(global->name, "main.leaked");
    fixture_free(&l);

    /* Moved so that .data fits the data segment but .bss ends up elsewhere: refused. */
    fixture_load(&l, DUMP, PROGRAM, 0);
    s = l.symbols;
    s->position_independent = 1;
    s->data.start -= shift;
    s->data.end -= shift;
    assert_int_equal(hs_symbols_check_dump(s, l.heap, &err), HS_ERR_PROGRAM);
    assert_non_null(strstr(err.message, "the dump's BSS segment"));
    assert_non_null(strstr(err.message, "(position-independent: moved by 0x10000 to the dump's data segment)"));
    fixture_free(&l);
}

/* statics: main.cache points at a symbol-less static in the data segment; its slots are named after main.cache. */
static void test_static_named_by_global(void **state)
{
    (void)state;
    static const char *const versions[] = {"go1.19.8", "go1.26.8"};
    for (size_t v = 0; v < sizeof versions / sizeof *versions; v++) {
        char dump[128], facts[128], program[128];
        snprintf(dump, sizeof dump, "testdata/dumps/statics-%s.dump", versions[v]);
        snprintf(facts, sizeof facts, "testdata/dumps/statics-%s.facts", versions[v]);
        snprintf(program, sizeof program, "testdata/bin/statics-%s", versions[v]);
        fixture l;
        fixture_load(&l, dump, program, 0);
        uint64_t start = fact_number(facts, "static.addr"), field = fact_number(facts, "static.field.offset");
        assert_null(hs_symbols_find_static(l.symbols, start + field, NULL));
        hs_error err = {0};
        assert_int_equal(hs_symbols_check_dump(l.symbols, l.heap, &err), HS_OK);
        uint64_t offset = 0;
        const hs_static *st = hs_symbols_find_static(l.symbols, start + field, &offset);
        assert_non_null(st);
        assert_int_equal(st->address, start);
        assert_int_equal(offset, field);
        assert_string_equal(st->global->name, "main.cache");
        assert_int_equal(st->global->address, fact_number(facts, "global.cache.addr"));
        assert_int_equal(st->global_offset, 0);
        assert_true(st->end >= start + fact_number(facts, "static.size"));
        assert_null(hs_symbols_find(l.symbols, start + field, NULL));
        char text[128], want[128];
        assert_int_equal(hs_symbols_describe(l.symbols, start + field, text, sizeof text), 1);
        snprintf(want, sizeof want, "main.cache \xe2\x86\x92 static+0x%" PRIx64, field);
        assert_string_equal(text, want);
        assert_int_equal(hs_symbols_describe(l.symbols, start, text, sizeof text), 1);
        assert_string_equal(text, "main.cache \xe2\x86\x92 static");
        /* A named global is still named by its own symbol. */
        assert_int_equal(hs_symbols_describe(l.symbols, fact_number(facts, "global.cache.addr"), text, sizeof text), 1);
        assert_string_equal(text, "main.cache");
        fixture_free(&l);
    }
}

/* A program file cut short: what its headers need against what it has, in warnings; cut before its
 * section headers, refused saying so. */
static void test_cut_short_program(void **state)
{
    (void)state;
    FILE *in = fopen(PROGRAM, "rb");
    assert_non_null(in);
    fseek(in, 0, SEEK_END);
    long size = ftell(in);
    rewind(in);
    char *bytes = malloc((size_t)size);
    assert_non_null(bytes);
    assert_int_equal(fread(bytes, 1, (size_t)size, in), (size_t)size);
    fclose(in);
    char path[] = "/tmp/test_symbols.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    hs_symbols *symbols = NULL;
    hs_error err = {0};
    assert_int_equal(hs_symbols_load(PROGRAM, &symbols, &err), HS_OK);
    assert_int_equal(symbols->warnings.sections_cut, 0);
    assert_int_equal(symbols->warnings.headers_cut, 0);
    assert_int_equal(symbols->warnings.file_size, (uint64_t)size);
    hs_symbols_free(symbols);
    static const long cuts[] = {1, 100000, 1000}; /* from the end: the last section; deep; from the start */
    for (int i = 0; i < 3; i++) {
        long keep = i < 2 ? size - cuts[i] : cuts[i];
        FILE *out = fopen(path, "wb");
        assert_non_null(out);
        assert_int_equal(fwrite(bytes, 1, (size_t)keep, out), (size_t)keep);
        fclose(out);
        int status = hs_symbols_load(path, &symbols, &err);
        if (i < 2) {
            assert_int_equal(status, HS_OK);
            assert_true(symbols->warnings.sections_cut >= 1);
            assert_int_equal(symbols->warnings.file_size, (uint64_t)keep);
            assert_int_equal(symbols->warnings.needed_size, (uint64_t)size);
            assert_true(symbols->warnings.section_names_cut || symbols->warnings.symbol_table_cut);
            hs_symbols_free(symbols);
        } else {
            assert_int_equal(status, HS_ERR_PROGRAM);
            assert_non_null(strstr(err.message, ": no symbol table: the file is cut short (1000 bytes, its headers need "));
        }
    }
    unlink(path);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_short_program),
        cmocka_unit_test(test_reads_version_and_sections),
        cmocka_unit_test(test_matching_program_accepted),
        cmocka_unit_test(test_frames_missing_refused),
        cmocka_unit_test(test_frames_elsewhere_refused),
        cmocka_unit_test(test_position_independent_moved),
        cmocka_unit_test(test_static_named_by_global),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
