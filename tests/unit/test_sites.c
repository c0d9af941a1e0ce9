/* test_sites.c — unit tests of allocation sites (hs_sites.h) on the committed leak dumps and their facts. */
#include "fixtures.h"

#include "hs_describe.h"

/* Loads testdata/dumps/NAME.dump with its allocation sites. */
static void load(fixture *l, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, FIXTURE_DUMPS "%s.dump", name);
    fixture_load(l, path, NULL, FIXTURE_SITES);
}

static int bytes_equal(const hs_bytes *bytes, const char *text)
{
    return bytes->length == strlen(text) && memcmp(bytes->data, text, bytes->length) == 0;
}

/* elem.0 (a Record allocated in main.load, marked noinline) has its site at
 * load.line; with Go 1.26 the stack starts with runtime.mallocgc and
 * runtime.newobject, which the site rule skips. */
static void check_record_site(const char *name, uint32_t want_site_frame)
{
    fixture l;
    load(&l, name);
    hs_node record = fixture_fact_object(&l, "elem.0");
    uint32_t b = hs_sites_object_bucket(l.sites, record);
    assert_int_not_equal(b, UINT32_MAX);
    const hs_bucket *bucket = &l.sites->buckets[b];
    assert_int_equal(bucket->site_frame, want_site_frame);
    assert_int_equal(bucket->flags, 0);
    const hs_site_frame *stack = l.sites->frames + bucket->first_frame;
    for (uint32_t i = 0; i < want_site_frame; i++)
        assert_true(strncmp((const char *)stack[i].function.data, "runtime.", 8) == 0);
    const hs_site_frame *site = hs_sites_object_site(l.sites, record);
    assert_non_null(site);
    assert_true(bytes_equal(&site->function, "main.load"));
    assert_true(bytes_equal(&site->file, "heapspurs-testdata/leak/main.go"));
    assert_int_equal(site->line, fact_number(l.facts, "load.line"));
    /* load is noinline: its frame is followed by its caller's. */
    assert_true(want_site_frame + 1 < bucket->frame_count);
    assert_true(bytes_equal(&stack[want_site_frame + 1].function, "main.main"));

    char label[64], want[64];
    snprintf(want, sizeof want, "main.load:%llu", (unsigned long long)fact_number(l.facts, "load.line"));
    assert_int_equal(hs_sites_label(l.sites, record, label, sizeof label), 1);
    assert_string_equal(label, want);
    /* A short buffer is truncated, NUL-terminated. */
    assert_int_equal(hs_sites_label(l.sites, record, label, 5), 1);
    assert_string_equal(label, "main");

    /* The payload of element 5 was allocated on payload.line. */
    hs_node payload = fixture_fact_object(&l, "elem.5.payload");
    site = hs_sites_object_site(l.sites, payload);
    assert_non_null(site);
    assert_true(bytes_equal(&site->function, "main.load"));
    assert_int_equal(site->line, fact_number(l.facts, "payload.line"));
    fixture_free(&l);
}

static void test_site_go119(void **state)
{
    (void)state;
    check_record_site("leak-go1.19.8", 0);
}

static void test_site_go126_skips_runtime_frames(void **state)
{
    (void)state;
    check_record_site("leak-go1.26.8", 2);
}

/* Go 1.22+: the slice's backing array has an allocation header, and its
 * sample names the address after it (slice.array): the Go object's address,
 * where the object is found. */
static void test_sample_after_allocation_header(void **state)
{
    (void)state;
    static const char *const names[] = {"leak-go1.19.8", "leak-go1.22.12", "leak-go1.26.8"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        fixture l;
        load(&l, names[i]);
        uint64_t array = fact_number(l.facts, "slice.array"), offset;
        hs_node node = hs_heap_find(l.heap, array, &offset);
        assert_int_not_equal(node, HS_NO_NODE);
        assert_int_equal(offset, 0);
        assert_int_equal(l.heap->objects[node].address, array);
        assert_int_equal(hs_object_header_bytes(l.heap, node), i == 0 ? 0 : 8);
        const hs_site_frame *site = hs_sites_object_site(l.sites, node);
        assert_non_null(site);
        assert_true(bytes_equal(&site->function, "main.main"));
        assert_int_equal(l.sites->warnings.samples_inside_object, 0);
        assert_int_equal(l.sites->warnings.samples_no_object, 0);
        assert_int_equal(l.sites->warnings.samples_no_bucket, 0);
        assert_int_equal(l.sites->sampled_objects, l.heap->sample_count);
        fixture_free(&l);
    }
}

/* A stack made only of runtime frames (the runtime's own goroutine
 * allocation) gets the first frame past the allocator entry points. */
static void test_runtime_only_stack(void **state)
{
    (void)state;
    static const char *const names[] = {"leak-go1.19.8", "leak-go1.26.8"};
    for (size_t n = 0; n < 2; n++) {
        fixture l;
        load(&l, names[n]);
        int found = 0;
        for (uint32_t i = 0; i < l.sites->bucket_count; i++) {
            const hs_bucket *b = &l.sites->buckets[i];
            const hs_site_frame *site = &l.sites->sites[b->site].frame;
            if (!bytes_equal(&site->function, "runtime.malg"))
                continue;
            found = 1;
            assert_true(b->flags & HS_SITE_IN_RUNTIME);
            assert_int_equal(b->site_frame, n == 0 ? 0 : 2);
        }
        assert_true(found);
        /* Every bucket whose stack leaves the runtime has its site outside it. */
        for (uint32_t i = 0; i < l.sites->bucket_count; i++) {
            const hs_bucket *b = &l.sites->buckets[i];
            if (b->flags)
                continue;
            const hs_site_frame *site = &l.sites->sites[b->site].frame;
            assert_false(site->function.length >= 8 && memcmp(site->function.data, "runtime.", 8) == 0);
            assert_false(site->function.length >= 9 && memcmp(site->function.data, "internal/", 9) == 0);
        }
        fixture_free(&l);
    }
}

/* Bucket stacks name physical functions: os.Create, inlined into
 * facts.DumpNoGC, appears as a DumpNoGC frame at os/file.go, and never under
 * its own name. */
static void test_inlined_callee_appears_as_caller(void **state)
{
    (void)state;
    fixture l;
    load(&l, "leak-go1.19.8");
    int inlined = 0;
    for (uint64_t i = 0; i < l.sites->frame_count; i++) {
        const hs_site_frame *f = &l.sites->frames[i];
        assert_false(bytes_equal(&f->function, "os.Create"));
        if (bytes_equal(&f->function, "heapspurs-testdata/internal/facts.DumpNoGC") &&
            bytes_equal(&f->file, "os/file.go"))
            inlined = 1;
    }
    assert_true(inlined);
    fixture_free(&l);
}

static void test_sites_grouped_and_sorted(void **state)
{
    (void)state;
    fixture l;
    load(&l, "leak-go1.26.8");
    for (uint32_t i = 1; i < l.sites->bucket_count; i++)
        assert_true(l.sites->buckets[i - 1].id < l.sites->buckets[i].id);
    for (uint32_t i = 0; i < l.sites->bucket_count; i++)
        assert_int_equal(hs_sites_find_bucket(l.sites, l.sites->buckets[i].id), i);
    assert_int_equal(hs_sites_find_bucket(l.sites, 1), UINT32_MAX);
    uint32_t buckets = 0;
    for (uint32_t s = 0; s < l.sites->site_count; s++)
        buckets += l.sites->sites[s].bucket_count;
    assert_int_equal(buckets, l.sites->bucket_count);
    assert_true(l.sites->site_count < l.sites->bucket_count);
    fixture_free(&l);
}

static void test_no_sample_and_json(void **state)
{
    (void)state;
    fixture l;
    load(&l, "leak-go1.26.8");
    hs_node none = HS_NO_NODE;
    for (hs_node i = 0; i < l.heap->object_count && none == HS_NO_NODE; i++)
        if (l.sites->object_bucket[i] == UINT32_MAX)
            none = i;
    assert_int_not_equal(none, HS_NO_NODE);
    char label[32] = "x";
    assert_int_equal(hs_sites_label(l.sites, none, label, sizeof label), 0);
    assert_string_equal(label, "");
    assert_int_equal(hs_sites_label(NULL, 0, label, sizeof label), 0);
    assert_int_equal(hs_sites_object_bucket(NULL, 0), UINT32_MAX);
    assert_int_equal(hs_sites_object_bucket(l.sites, l.heap->object_count), UINT32_MAX);

    /* In JSON a site refers to its whole stack by its index in the
     * document's table, where each distinct stack is written once. */
    hs_context context = {.dump = l.dump, .params = &l.heap->params, .heap = l.heap, .sites = l.sites}, json;
    hs_error err = {0};
    assert_int_equal(hs_describe_json_begin(&context, &json, &err), HS_OK);
    memory_stream m;
    FILE *out = memory_stream_open(&m);
    hs_describe_site_json(out, &json, none);
    fputc('|', out);
    hs_describe_site_json(out, &json, fixture_fact_object(&l, "elem.0"));
    fputc('|', out);
    hs_describe_site_json(out, &json, fixture_fact_object(&l, "elem.1"));
    fputc('|', out);
    hs_describe_site_json(out, &json, fixture_fact_object(&l, "elem.5.payload"));
    assert_int_equal(hs_describe_json_end(out, &json, &err), HS_OK);
    char *text = memory_stream_close(&m);
    char want[1024];
    snprintf(want, sizeof want,
             "\"site\":null|\"site\":{\"function\":\"main.load\",\"file\":\"heapspurs-testdata/leak/main.go\","
             "\"line\":%llu,\"stack\":0}|\"site\":{\"function\":\"main.load\",\"file\":\"heapspurs-testdata/leak/main.go\","
             "\"line\":%llu,\"stack\":0}|\"site\":{\"function\":\"main.load\",\"file\":\"heapspurs-testdata/leak/main.go\","
             "\"line\":%llu,\"stack\":1},\"stacks\":[[{\"function\":\"runtime.mallocgc\"",
             (unsigned long long)fact_number(l.facts, "load.line"), (unsigned long long)fact_number(l.facts, "load.line"),
             (unsigned long long)fact_number(l.facts, "payload.line"));
    if (strncmp(text, want, strlen(want)) != 0)
        fail_msg("got %.600s", text);
    /* Two stacks in the table, each once. */
    const char *stacks = strstr(text, "\"stacks\":[");
    assert_non_null(stacks);
    int frames_lists = 0;
    for (const char *p = stacks; (p = strstr(p, "[{\"function\"")) != NULL; p++)
        frames_lists++;
    assert_int_equal(frames_lists, 2);
    free(text);
    fixture_free(&l);
}

static int skips(const char *function)
{
    hs_bytes name = {(const uint8_t *)function, strlen(function)};
    return hs_sites_skips_function(&name);
}

/* A site skips the runtime and the standard library's growth helpers, and nothing that merely resembles them. */
static void test_skipped_functions(void **state)
{
    (void)state;
    const char *skipped[] = {
        "runtime.mallocgc", "runtime.growslice", "internal/bytealg.MakeNoZero", "bytes.growSlice", "bytes.makeSlice",
        "bytes.(*Buffer).grow", "bytes.(*Buffer).Write", "bytes.(*Buffer).WriteString", "bytes.(*Buffer).ReadFrom",
        "strings.(*Builder).grow", "strings.(*Builder).WriteString", "fmt.(*buffer).writeString", "fmt.(*pp).doPrintf",
        "fmt.(*fmt).padString", "fmt.Fprintf", "fmt.Sprintf", "fmt.Appendf", "encoding/json.Marshal",
        "encoding/json.(*encodeState).marshal", "encoding/json.stringEncoder", "io.ReadAll",
    };
    const char *kept[] = {
        "main.fill", "main.renderPage", "bytes.Repeat", "bytes.(*Reader).Read", "strings.Repeat", "fmt.Errorf",
        "fmt.newPrinter", "runtime/debug.WriteHeapDump", "io.Copy", "sync.(*Pool).Get", "encoding/xml.Marshal",
        "mybytes.growSlice", "",
    };
    for (size_t i = 0; i < sizeof skipped / sizeof skipped[0]; i++)
        if (!skips(skipped[i]))
            fail_msg("%s is not skipped", skipped[i]);
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (skips(kept[i]))
            fail_msg("%s is skipped", kept[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_site_go119),
        cmocka_unit_test(test_site_go126_skips_runtime_frames),
        cmocka_unit_test(test_sample_after_allocation_header),
        cmocka_unit_test(test_runtime_only_stack),
        cmocka_unit_test(test_inlined_callee_appears_as_caller),
        cmocka_unit_test(test_sites_grouped_and_sorted),
        cmocka_unit_test(test_no_sample_and_json),
        cmocka_unit_test(test_skipped_functions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
