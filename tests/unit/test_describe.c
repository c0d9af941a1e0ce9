/* test_describe.c — the one describer (hs_describe.h): objects, roots, paths and the JSON stack table, checked against the facts of the leak and blocked programs. */
#include "fixtures.h"

#include "hs_describe.h"
#include "hs_query.h"

#define LEAK FIXTURE_DUMPS "leak-go1.26.8.dump"
#define LEAK_PROGRAM "testdata/bin/leak-go1.26.8"
#define BLOCKED FIXTURE_DUMPS "blocked-go1.26.8.dump"

static hs_context context_of(const fixture *f)
{
    return (hs_context){.dump = f->dump, .params = &f->heap->params, .heap = f->heap, .symbols = f->symbols,
                        .sites = f->sites, .dominators = f->dominators};
}

/* The shortest path from a root to the object at the fact key, as steps. */
static void path_to(const fixture *f, const char *key, hs_path_step **steps, uint32_t *length)
{
    hs_error err = {0};
    assert_int_equal(hs_shortest_root_path(f->heap, fixture_fact_object(f, key), steps, length, &err), HS_OK);
    assert_true(*length >= 2);
}

/* A JSON case: a dump loaded, the path to the object at a fact key, and a
 * JSON context with its stack table begun. */
typedef struct json_case {
    fixture f;
    hs_context context, json;
    hs_path_step *steps;
    uint32_t length;
} json_case;

static void json_case_open(json_case *c, const char *dump, const char *program, const char *key)
{
    hs_error err = {0};
    fixture_load(&c->f, dump, program, 0);
    c->context = context_of(&c->f);
    path_to(&c->f, key, &c->steps, &c->length);
    assert_int_equal(hs_describe_json_begin(&c->context, &c->json, &err), HS_OK);
}

static void json_case_close(json_case *c)
{
    free(c->steps);
    fixture_free(&c->f);
}

/* A Record (40 bytes: ID, Payload's pointer, length and capacity, Next) in a
 * 48-byte slot: two pointer fields, its site the facts' line of main.load. */
static void test_object_text(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, LEAK, NULL, FIXTURE_SITES);
    hs_context context = context_of(&f);
    memory_stream m;
    hs_describe_object(memory_stream_open(&m), &context, fixture_fact_object(&f, "elem.0"));
    char *text = memory_stream_close(&m), want[256];
    snprintf(want, sizeof want, "Object @ 0x%" PRIx64 " with 2 pointers in 48 bytes, allocated at main.load:%" PRIu64,
             fact_number(f.facts, "elem.0"), fact_number(f.facts, "load.line"));
    assert_string_equal(text, want);
    free(text);
    hs_describe_object_brief(memory_stream_open(&m), &context, fixture_fact_object(&f, "elem.0"));
    text = memory_stream_close(&m);
    snprintf(want, sizeof want, "0x%" PRIx64 " (48 bytes, allocated at main.load:%" PRIu64 ")",
             fact_number(f.facts, "elem.0"), fact_number(f.facts, "load.line"));
    assert_string_equal(text, want);
    free(text);
    char title[64];
    hs_describe_object_title(&context, fixture_fact_object(&f, "elem.0"), title, sizeof title);
    assert_string_equal(title, "Object (48 B)");
    fixture_free(&f);
}

/* main.leaked holds the slice's backing array, which holds each element: the
 * path text names the global (with the program) and each hop's address. */
static void test_path_text(void **state)
{
    (void)state;
    fixture f;
    fixture_load(&f, LEAK, LEAK_PROGRAM, 0);
    hs_context context = context_of(&f);
    hs_path_step *steps;
    uint32_t length;
    path_to(&f, "elem.0", &steps, &length);
    assert_int_equal(length, 3);
    memory_stream m;
    hs_describe_path(memory_stream_open(&m), &context, steps, length, 0, 0);
    char *text = memory_stream_close(&m), want[256];
    snprintf(want, sizeof want, "global main.leaked -> 0x%" PRIx64 " -> 0x%" PRIx64, fact_number(f.facts, "slice.array"),
             fact_number(f.facts, "elem.0"));
    assert_string_equal(text, want);
    free(text);
    /* Elided: one step kept at each end. */
    hs_describe_path(memory_stream_open(&m), &context, steps, length, 1, 0);
    text = memory_stream_close(&m);
    assert_string_equal(text, "global main.leaked -> … 2 more …");
    free(text);
    hs_describe_path(memory_stream_open(&m), &context, steps, 0, 0, 0);
    text = memory_stream_close(&m);
    assert_string_equal(text, "none (no root reaches it)");
    free(text);
    free(steps);
    fixture_free(&f);
}

/* The one path shape: {"root": ROOT SLOT, "objects": [...]}, with the slot
 * at the global's address and the symbol named. */
static void test_path_json(void **state)
{
    (void)state;
    json_case c;
    json_case_open(&c, LEAK, LEAK_PROGRAM, "elem.0");
    hs_error err = {0};
    memory_stream m;
    FILE *out = memory_stream_open(&m);
    hs_describe_path_json(out, &c.json, c.steps, c.length);
    assert_int_equal(hs_describe_json_end(out, &c.json, &err), HS_OK);
    char *text = memory_stream_close(&m), want[512];
    snprintf(want, sizeof want,
             "{\"root\":{\"kind\":\"bss\",\"queued\":false,\"root\":\"0x%" PRIx64 "\",\"slot\":\"0x%" PRIx64
             "\",\"symbol\":\"main.leaked\",\"description\":\"global main.leaked\",\"function\":null,"
             "\"goroutine\":null,\"stack\":null},\"objects\":[{\"address\":\"0x%" PRIx64 "\"",
             c.f.heap->roots[c.steps[0].node - c.f.heap->object_count].address, fact_number(c.f.facts, "global.addr"),
             fact_number(c.f.facts, "slice.array"));
    if (strncmp(text, want, strlen(want)) != 0)
        fail_msg("got %.400s", text);
    /* No stacks without sites: the table is empty, and the second object is
     * the element, reached at the start of its slot. */
    char element[64];
    snprintf(element, sizeof element, "{\"address\":\"0x%" PRIx64 "\",\"size\":48,\"slot\":48,\"name\"",
             fact_number(c.f.facts, "elem.0"));
    assert_non_null(strstr(text, element));
    assert_non_null(strstr(text, "]},\"stacks\":[]"));
    free(text);
    json_case_close(&c);
}

/* A goroutine's frames are a stack of the table too: the blocked goroutine's
 * holdBuffer frame refers to a stack that has main.holdBuffer's frame, with
 * no file or line (frames name functions only). */
static void test_goroutine_stack(void **state)
{
    (void)state;
    json_case c;
    json_case_open(&c, BLOCKED, NULL, "buffer.addr");
    assert_int_equal(c.length, 2);
    hs_error err = {0};
    memory_stream m;
    FILE *out = memory_stream_open(&m);
    hs_describe_root_slot_json(out, &c.json, &c.steps[0]);
    fputc('|', out);
    hs_describe_root_slot_json(out, &c.json, &c.steps[0]);
    assert_int_equal(hs_describe_json_end(out, &c.json, &err), HS_OK);
    char *text = memory_stream_close(&m), goroutine[64];
    snprintf(goroutine, sizeof goroutine, "\"goroutine\":%" PRIu64 ",\"stack\":0}|",
             fact_number(c.f.facts, "goroutine.id"));
    assert_non_null(strstr(text, "\"kind\":\"frame\""));
    assert_non_null(strstr(text, "\"function\":\"main.holdBuffer\""));
    assert_non_null(strstr(text, goroutine));
    /* Written twice, stored once: one entry, innermost frame first (the
     * goroutine is parked), holdBuffer's frame among them, no locations. */
    const char *stacks = strstr(text, ",\"stacks\":[[{\"function\":\"runtime.");
    assert_non_null(stacks);
    assert_non_null(strstr(stacks, "{\"function\":\"main.holdBuffer\",\"file\":null,\"line\":null}"));
    assert_null(strstr(stacks, "],[")); /* one entry */
    free(text);
    memory_stream_open(&m);
    hs_describe_root_slot(m.out, &c.context, &c.steps[0]);
    text = memory_stream_close(&m);
    char want[128];
    snprintf(want, sizeof want, "frame main.holdBuffer of goroutine %" PRIu64, fact_number(c.f.facts, "goroutine.id"));
    assert_string_equal(text, want);
    free(text);
    json_case_close(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_object_text),
        cmocka_unit_test(test_path_text),
        cmocka_unit_test(test_path_json),
        cmocka_unit_test(test_goroutine_stack),
    };
    return cmocka_run_group_tests_name("describe", tests, NULL, NULL);
}
