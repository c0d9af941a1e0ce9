/* test_types.c — the DWARF type table, the heap's typing and the goroutine leak rule, against the facts of the types and goroutines programs. */
#include "fixtures.h"

#include "hs_dominator.h"
#include "hs_goroutines.h"
#include "hs_load.h"
#include "hs_types.h"
#include "hs_typing.h"

#define TYPES_DUMP FIXTURE_DUMPS "types-go1.26.8.dump"
#define TYPES_PROGRAM "testdata/bin/types-go1.26.8"

typedef struct typed_fixture {
    fixture f;
    hs_types *types;
    hs_typing *typing;
} typed_fixture;

static void typed_load(typed_fixture *t, const char *dump, const char *program)
{
    hs_error err = {0};
    fixture_load(&t->f, dump, program, 0);
    if (hs_symbols_check_dump(t->f.symbols, t->f.heap, &err) < 0 || hs_types_load(t->f.symbols, &t->types, &err) < 0)
        fail_msg("%s: %s", program, err.message);
    hs_types_fit(t->types, t->f.symbols);
    if (hs_typing_build(t->f.heap, t->types, t->f.symbols, &t->typing, &err) < 0)
        fail_msg("%s: %s", dump, err.message);
}

static void typed_free(typed_fixture *t)
{
    hs_typing_free(t->typing);
    hs_types_free(t->types);
    fixture_free(&t->f);
}

/* The type name of the object the program's fact NAME.addr names. */
static void name_of(typed_fixture *t, const char *name, char *buffer, size_t size)
{
    char key[128];
    snprintf(key, sizeof key, "obj.%s.addr", name);
    uint64_t offset;
    hs_node object = hs_heap_find(t->f.heap, fact_number(t->f.facts, key), &offset);
    assert_int_not_equal(object, HS_NO_NODE);
    assert_int_equal(offset, 0);
    hs_typing_name(t->typing, object, buffer, size);
}

static void test_struct_fields_and_paths(void **state)
{
    (void)state;
    typed_fixture t;
    typed_load(&t, TYPES_DUMP, TYPES_PROGRAM);
    hs_type_id request = hs_types_find(t.types, "main.Request");
    assert_int_not_equal(request, HS_NO_TYPE);
    uint64_t offset;
    hs_type_id field_type;
    assert_true(hs_types_field_offset(t.types, request, "Session", &offset, &field_type));
    assert_string_equal(t.types->types[field_type].name, "*main.Session");
    char path[128];
    assert_true(hs_types_field_path(t.types, request, 1, offset, path, sizeof path));
    assert_string_equal(path, ".Session");
    /* Three values: the second one's field. */
    assert_true(hs_types_field_path(t.types, request, 3, t.types->types[request].size + offset, path, sizeof path));
    assert_string_equal(path, "[1].Session");
    /* Past the values: none. */
    assert_false(hs_types_field_path(t.types, request, 1, t.types->types[request].size, path, sizeof path));
    assert_string_equal(path, "");
    hs_types_name(t.types, request, 25, path, sizeof path);
    assert_string_equal(path, "[25]main.Request");
    typed_free(&t);
}

static void test_objects_get_their_reflect_types(void **state)
{
    (void)state;
    typed_fixture t;
    typed_load(&t, TYPES_DUMP, TYPES_PROGRAM);
    static const char *const names[] = {"request0", "session0", "user0", "headers", "bigmap", "recent",
                                        "strbytes", "chan", "chanbuf", "big", "medium0", "lru"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char key[128], want[256], got[256];
        snprintf(key, sizeof key, "obj.%s.type", names[i]);
        assert_true(fact_text(t.f.facts, key, want, sizeof want));
        name_of(&t, names[i], got, sizeof got);
        if (strcmp(got, want))
            fail_msg("%s: typed %s, the program says %s", names[i], got, want);
    }
    /* Only an unsafe.Pointer holds it: unknown, not guessed. */
    char got[256];
    name_of(&t, "hidden", got, sizeof got);
    assert_string_equal(got, "");
    typed_free(&t);
}

/* With the 16-bit per-object index widened after 3 typings, every object
 * keeps the typing of the default build. */
static void test_wide_entry_index_types_the_same(void **state)
{
    (void)state;
    typed_fixture t;
    typed_load(&t, TYPES_DUMP, TYPES_PROGRAM);
    assert_null(t.typing->object_entry_wide);
    assert_true(t.typing->entry_count > 4);
    hs_error err = {0};
    hs_typing *wide = NULL;
    if (hs_typing_build_narrow(t.f.heap, t.types, t.f.symbols, 3, &wide, &err) < 0)
        fail_msg("%s", err.message);
    assert_non_null(wide->object_entry_wide);
    assert_null(wide->object_entry);
    assert_int_equal(wide->entry_count, t.typing->entry_count);
    assert_int_equal(wide->header_typed, t.typing->header_typed);
    for (hs_node o = 0; o < t.f.heap->object_count; o++) {
        const hs_typing_entry *a = hs_typing_of(t.typing, o), *b = hs_typing_of(wide, o);
        assert_int_equal(a == NULL, b == NULL);
        if (a) {
            assert_int_equal(a->type, b->type);
            assert_int_equal(a->flags, b->flags);
            assert_int_equal(a->count, b->count);
        }
    }
    hs_typing_free(wide);
    typed_free(&t);
}

/* Every object of heap has the type the serial build gave it in t. */
static void assert_typed_as_serial(const typed_fixture *t, const hs_heap *heap, const hs_typing *typing)
{
    assert_int_equal(heap->object_count, t->f.heap->object_count);
    assert_int_equal(typing->entry_count, t->typing->entry_count);
    for (hs_node o = 0; o < heap->object_count; o++) {
        char a[256], b[256];
        hs_typing_name(t->typing, o, a, sizeof a);
        hs_typing_name(typing, o, b, sizeof b);
        assert_string_equal(a, b);
    }
}

/* hs_load, reading the DWARF beside the records and typing beside the
 * edges (two threads forced on this small dump), types every object as
 * the serial build does, and refuses a program that did not write the dump
 * with the check's own message. */
static void test_load_types_beside_the_edges(void **state)
{
    (void)state;
    typed_fixture t;
    typed_load(&t, TYPES_DUMP, TYPES_PROGRAM);
    hs_error err = {0};
    hs_symbols *symbols = NULL;
    hs_heap *heap = NULL;
    hs_types *types = NULL;
    hs_typing *typing = NULL;
    hs_heap_options split = {.split_min_objects = 1, .split_parse_min_bytes = 1};
    if (hs_symbols_load(TYPES_PROGRAM, &symbols, &err) < 0 ||
        hs_load(t.f.dump, &split, symbols, &heap, &types, &typing, &err) < 0)
        fail_msg("%s", err.message);
    assert_int_equal(heap->reachable_count, t.f.heap->reachable_count);
    for (hs_node o = 0; o < heap->object_count; o++)
        assert_int_equal(heap->flags[o], t.f.heap->flags[o]);
    assert_typed_as_serial(&t, heap, typing);
    hs_typing_free(typing);
    hs_types_free(types);
    hs_heap_free(heap);
    hs_symbols_free(symbols);

    /* The goroutines program did not write the types dump. */
    hs_symbols *other = NULL;
    hs_symbols *other_again = NULL;
    hs_error check_err = {0};
    if (hs_symbols_load("testdata/bin/goroutines-go1.26.8", &other, &err) < 0 ||
        hs_symbols_load("testdata/bin/goroutines-go1.26.8", &other_again, &err) < 0)
        fail_msg("%s", err.message);
    assert_true(hs_symbols_check_dump(other_again, t.f.heap, &check_err) < 0);
    assert_true(hs_load(t.f.dump, NULL, other, &heap, &types, &typing, &err) < 0);
    assert_null(heap);
    assert_null(types);
    assert_null(typing);
    assert_int_equal(err.code, check_err.code);
    assert_string_equal(err.message, check_err.message);
    hs_symbols_free(other);
    hs_symbols_free(other_again);
    typed_free(&t);
}

/* hs_load_start returns with the typing running; a dominator tree built
 * meanwhile (what --types --retained does) is the tree of the serial load,
 * and hs_load_finish gives the serial typing. Under ThreadSanitizer this
 * is the test that the two read the heap without a race. */
static void test_tree_beside_the_typing(void **state)
{
    (void)state;
    typed_fixture t;
    typed_load(&t, TYPES_DUMP, TYPES_PROGRAM);
    hs_error err = {0};
    hs_symbols *symbols = NULL;
    hs_heap *heap = NULL;
    hs_load_pending *pending = NULL;
    hs_types *types = NULL;
    hs_typing *typing = NULL;
    hs_dominators *beside = NULL, *serial = NULL;
    hs_heap_options split = {.split_min_objects = 1, .split_parse_min_bytes = 1};
    if (hs_symbols_load(TYPES_PROGRAM, &symbols, &err) < 0 ||
        hs_load_start(t.f.dump, &split, symbols, &heap, &pending, &err) < 0)
        fail_msg("%s", err.message);
    assert_non_null(pending);
    if (hs_dominators_build(heap, symbols, &beside, &err) < 0 ||
        hs_load_finish(pending, &heap, &types, &typing, &err) < 0 ||
        hs_dominators_build(t.f.heap, t.f.symbols, &serial, &err) < 0)
        fail_msg("%s", err.message);
    assert_int_equal(beside->object_count, serial->object_count);
    assert_int_equal(beside->group_count, serial->group_count);
    assert_int_equal(beside->live_bytes, serial->live_bytes);
    for (hs_node o = 0; o < heap->object_count; o++) {
        assert_int_equal(beside->idom[o], serial->idom[o]);
        assert_int_equal(beside->retained_bytes[o], serial->retained_bytes[o]);
    }
    assert_typed_as_serial(&t, heap, typing);
    hs_dominators_free(serial);
    hs_dominators_free(beside);
    hs_typing_free(typing);
    hs_types_free(types);
    hs_heap_free(heap);
    hs_symbols_free(symbols);
    typed_free(&t);
}

static void test_map_internals_are_container_parts(void **state)
{
    (void)state;
    typed_fixture t;
    typed_load(&t, TYPES_DUMP, TYPES_PROGRAM);
    uint64_t offset;
    hs_node map = hs_heap_find(t.f.heap, fact_number(t.f.facts, "obj.bigmap.addr"), &offset);
    hs_node request = hs_heap_find(t.f.heap, fact_number(t.f.facts, "obj.request0.addr"), &offset);
    assert_false(hs_typing_is_container_part(t.typing, map));
    assert_false(hs_typing_is_container_part(t.typing, request));
    /* The map's directory, table and groups are parts of it. */
    uint32_t parts = 0;
    for (hs_node o = 0; o < t.f.heap->object_count; o++)
        parts += hs_typing_is_container_part(t.typing, o);
    assert_true(parts >= 2); /* a directory, a table and its groups */
    typed_free(&t);
}

static void test_goroutine_leaks_match_go(void **state)
{
    (void)state;
    typed_fixture t;
    typed_load(&t, FIXTURE_DUMPS "goroutines-go1.26.8.dump", "testdata/bin/goroutines-go1.26.8");
    hs_goroutines *g;
    hs_error err = {0};
    assert_int_equal(hs_goroutines_build(t.f.heap, t.typing, &g, &err), HS_OK);
    assert_null(g->unknown_reason);
    assert_int_equal(g->leaked_count, fact_number(t.f.facts, "leakprofile.count"));
    static const char *const categories[] = {"leakSend", "leakRecv", "leakWait", "waitGlobalChan",
                                             "waitGlobalMutex", "sleepers"};
    for (size_t c = 0; c < sizeof categories / sizeof *categories; c++) {
        char key[128];
        snprintf(key, sizeof key, "goroutine.%s.count", categories[c]);
        uint64_t count = fact_number(t.f.facts, key);
        snprintf(key, sizeof key, "goroutine.%s.leaked", categories[c]);
        int8_t want = fact_number(t.f.facts, key) ? HS_LEAK_YES : HS_LEAK_NO;
        uint32_t group = UINT32_MAX;
        for (uint64_t i = 0; i < count; i++) {
            snprintf(key, sizeof key, "goroutine.%s.%" PRIu64 ".goid", categories[c], i);
            uint32_t index = hs_heap_goroutine_by_id(t.f.heap, fact_number(t.f.facts, key));
            assert_int_not_equal(index, UINT32_MAX);
            assert_int_equal(g->verdict[index], want);
            if (group == UINT32_MAX)
                group = g->group_of[index];
            assert_int_equal(g->group_of[index], group); /* one group per category */
        }
        assert_int_equal(g->groups[group].count, count);
    }
    hs_goroutines_free(g);
    typed_free(&t);
}

static void test_no_program_no_verdict(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, FIXTURE_DUMPS "goroutines-go1.26.8.dump", NULL, 0);
    hs_goroutines *g;
    hs_error err = {0};
    assert_int_equal(hs_goroutines_build(f.heap, NULL, &g, &err), HS_OK);
    assert_non_null(g->unknown_reason);
    for (uint32_t i = 0; i < f.heap->goroutine_count; i++)
        assert_int_equal(g->verdict[i], HS_LEAK_UNKNOWN);
    assert_int_equal(g->leaked_count, 0);
    hs_goroutines_free(g);
    fixture_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_struct_fields_and_paths),
        cmocka_unit_test(test_objects_get_their_reflect_types),
        cmocka_unit_test(test_wide_entry_index_types_the_same),
        cmocka_unit_test(test_load_types_beside_the_edges),
        cmocka_unit_test(test_tree_beside_the_typing),
        cmocka_unit_test(test_map_internals_are_container_parts),
        cmocka_unit_test(test_goroutine_leaks_match_go),
        cmocka_unit_test(test_no_program_no_verdict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
