/* test_dominator.c — dominator tree and retained sizes (hs_dominator.h) on the committed dumps, against brute force and facts. */
#include <glob.h>

#include "fixtures.h"

/* Paths matching pattern (relative to the repository root, where tests run). */
static glob_t dumps(const char *pattern)
{
    glob_t g;
    memset(&g, 0, sizeof g);
    int status = glob(pattern, 0, NULL, &g);
    if (status != 0 || g.gl_pathc == 0)
        fail_msg("no dumps match %s (run from the repository root)", pattern);
    return g;
}

/* ---- brute force: what stays reachable when something is taken away ---- */

/* One root pointer slot, collected once: which root, the slot's address, its target. */
typedef struct root_seed {
    uint32_t root;
    hs_node target;
    uint64_t address;
} root_seed;

typedef struct brute {
    const hs_heap *heap;
    const hs_symbols *symbols;
    uint8_t *seen;
    uint32_t *stack;
    uint32_t top;
    root_seed *seeds;
    uint64_t seed_count, seed_capacity;
    hs_node removed_object;     /* HS_NO_NODE for none */
    const uint8_t *removed_root;/* per root index: 1 to drop all its slots; may be NULL */
    uint64_t removed_low, removed_high; /* data/BSS slot addresses dropped (a global) */
    int removed_unsymbolized;   /* with removed_root: drop only its slots outside every symbol */
    uint32_t current;
    uint64_t objects, bytes;
} brute;

static void push(brute *b, hs_node target)
{
    if (target == HS_NO_NODE || target == b->removed_object || b->seen[target])
        return;
    b->seen[target] = 1;
    b->stack[b->top++] = target;
}

static int collect_seed(uint64_t slot, uint64_t value, hs_node target, uint64_t target_offset, void *context)
{
    (void)value;
    (void)target_offset;
    brute *b = context;
    if (b->seed_count == b->seed_capacity) {
        b->seed_capacity = b->seed_capacity ? 2 * b->seed_capacity : 256;
        b->seeds = realloc(b->seeds, b->seed_capacity * sizeof *b->seeds);
        assert_non_null(b->seeds);
    }
    b->seeds[b->seed_count++] = (root_seed){b->current, target, b->heap->roots[b->current].address + slot};
    return 0;
}

/* Objects and bytes reachable from the roots, minus what b removes. */
static void reach(brute *b)
{
    const hs_heap *heap = b->heap;
    memset(b->seen, 0, (size_t)heap->object_count + 1);
    b->top = 0;
    b->objects = b->bytes = 0;
    for (uint64_t i = 0; i < b->seed_count; i++) {
        const root_seed *s = &b->seeds[i];
        enum hs_root_kind kind = heap->roots[s->root].kind;
        int segment = kind == HS_ROOT_DATA || kind == HS_ROOT_BSS;
        if (segment && s->address >= b->removed_low && s->address < b->removed_high)
            continue;
        if (b->removed_root && b->removed_root[s->root]) {
            if (!b->removed_unsymbolized)
                continue;
            uint64_t offset;
            if (segment && !hs_symbols_find(b->symbols, s->address, &offset))
                continue;
        }
        push(b, s->target);
    }
    while (b->top > 0) {
        hs_node n = b->stack[--b->top];
        b->objects++;
        b->bytes += hs_object_slot_size(heap, n);
        for (uint64_t e = heap->out_start[n]; e < heap->out_start[n + 1]; e++)
            push(b, heap->out_target[e]);
    }
}

static void brute_init(brute *b, const fixture *l)
{
    memset(b, 0, sizeof *b);
    b->heap = l->heap;
    b->symbols = l->symbols;
    b->seen = malloc((size_t)l->heap->object_count + 1);
    b->stack = malloc(((size_t)l->heap->object_count + 1) * sizeof *b->stack);
    assert_non_null(b->seen);
    assert_non_null(b->stack);
    b->removed_object = HS_NO_NODE;
    /* Root slots straight from the dump (not the heap's edge arrays). */
    for (uint32_t r = 0; r < l->heap->root_count; r++) {
        b->current = r;
        hs_heap_visit_slots(l->heap, l->heap->object_count + r, 0, collect_seed, b);
    }
}

static void brute_free(brute *b)
{
    free(b->seeds);
    free(b->seen);
    free(b->stack);
}

/* Checks every object's retained size (or a sample of `sample` objects
 * when non-zero) against brute force. */
static void check_objects_brute(const fixture *l, uint32_t sample)
{
    brute b;
    brute_init(&b, l);
    reach(&b);
    uint64_t total_objects = b.objects, total_bytes = b.bytes;
    assert_int_equal(total_objects, l->dominators->live_objects);
    assert_int_equal(total_bytes, l->dominators->live_bytes);
    uint32_t n = l->heap->object_count, checks = sample && sample < n ? sample : n;
    uint64_t seed = 0x9e3779b97f4a7c15ULL;
    for (uint32_t k = 0; k < checks; k++) {
        hs_node x = k;
        if (checks != n) {
            seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
            x = (hs_node)(seed % n);
        }
        b.removed_object = x;
        reach(&b);
        uint64_t want_objects = total_objects - b.objects, want_bytes = total_bytes - b.bytes;
        if (want_objects != hs_dominators_retained_objects(l->dominators, x) ||
            want_bytes != hs_dominators_retained_bytes(l->dominators, x))
            fail_msg("%s: object %u @ 0x%" PRIx64 ": retained %u objects %" PRIu64 " bytes, brute force %" PRIu64
                     " objects %" PRIu64 " bytes",
                     l->dump->name, x, l->heap->objects[x].address, hs_dominators_retained_objects(l->dominators, x),
                     hs_dominators_retained_bytes(l->dominators, x), want_objects, want_bytes);
    }
    brute_free(&b);
}

/* Checks every root group's retained size against brute force, the group
 * membership of its roots decided here from the roots' own fields. */
static void check_groups_brute(const fixture *l)
{
    const hs_heap *heap = l->heap;
    const hs_dominators *d = l->dominators;
    brute b;
    brute_init(&b, l);
    reach(&b);
    uint64_t total_objects = b.objects, total_bytes = b.bytes;
    uint8_t *removed = calloc((size_t)heap->root_count + 1, 1);
    assert_non_null(removed);
    uint64_t sum_bytes = 0, sum_objects = 0;
    for (uint32_t g = 0; g < d->group_count; g++) {
        const hs_root_group *group = &d->groups[g];
        const hs_root *first = &heap->roots[group->root - heap->object_count];
        memset(removed, 0, (size_t)heap->root_count + 1);
        b.removed_root = removed;
        b.removed_low = b.removed_high = 0;
        b.removed_unsymbolized = 0;
        switch (group->kind) {
        case HS_GROUP_GLOBAL:
            assert_non_null(l->symbols);
            b.removed_root = NULL;
            b.removed_low = group->symbol->address;
            b.removed_high = group->symbol->address + (group->symbol->size ? group->symbol->size : 1);
            break;
        case HS_GROUP_SEGMENT:
            assert_true(first->kind == HS_ROOT_DATA || first->kind == HS_ROOT_BSS);
            removed[group->root - heap->object_count] = 1;
            b.removed_unsymbolized = l->symbols != NULL;
            break;
        case HS_GROUP_GOROUTINE:
            assert_int_equal(first->kind, HS_ROOT_FRAME);
            for (uint32_t r = 0; r < heap->root_count; r++)
                if (heap->roots[r].kind == HS_ROOT_FRAME && heap->roots[r].goroutine == group->goroutine)
                    removed[r] = 1;
            break;
        case HS_GROUP_FRAME:
            assert_int_equal(first->kind, HS_ROOT_FRAME);
            assert_int_equal(first->goroutine, UINT32_MAX);
            removed[group->root - heap->object_count] = 1;
            break;
        case HS_GROUP_FINALIZER:
            assert_int_equal(first->kind, HS_ROOT_FINALIZER);
            removed[group->root - heap->object_count] = 1;
            break;
        case HS_GROUP_QUEUED_FINALIZER:
            assert_int_equal(first->kind, HS_ROOT_QUEUED_FINALIZER);
            removed[group->root - heap->object_count] = 1;
            break;
        case HS_GROUP_OTHER:
            assert_int_equal(first->kind, HS_ROOT_OTHER);
            removed[group->root - heap->object_count] = 1;
            break;
        }
        reach(&b);
        if (total_objects - b.objects != group->retained_objects || total_bytes - b.bytes != group->retained_bytes)
            fail_msg("%s: group %u (%s): retained %u objects %" PRIu64 " bytes, brute force %" PRIu64
                     " objects %" PRIu64 " bytes",
                     l->dump->name, g, hs_group_kind_name(group->kind), group->retained_objects,
                     group->retained_bytes, total_objects - b.objects, total_bytes - b.bytes);
        sum_bytes += group->retained_bytes;
        sum_objects += group->retained_objects;
    }
    /* What no single group retains is held by several: the virtual root's own. */
    assert_true(sum_bytes <= d->live_bytes);
    assert_true(sum_objects <= d->live_objects);
    free(removed);
    brute_free(&b);
}

/* Expected group count without symbols: one per segment, per goroutine with
 * frames, per unattached frame, per finalizer and other root. */
static void check_group_count(const fixture *l)
{
    const hs_heap *heap = l->heap;
    uint8_t *goroutines = calloc((size_t)heap->goroutine_count + 1, 1);
    assert_non_null(goroutines);
    uint32_t want = 0;
    for (uint32_t r = 0; r < heap->root_count; r++) {
        const hs_root *root = &heap->roots[r];
        if (root->kind == HS_ROOT_FRAME && root->goroutine != UINT32_MAX) {
            if (!goroutines[root->goroutine]++)
                want++;
        } else {
            want++;
        }
    }
    assert_int_equal(l->dominators->group_count, want);
    free(goroutines);
}

/* Structural facts that hold for any dump: garbage = unreachable, the tree's
 * preorder nests each subtree inside its dominator's. */
static void check_structure(const fixture *l)
{
    const hs_heap *heap = l->heap;
    const hs_dominators *d = l->dominators;
    uint64_t garbage = 0, garbage_bytes = 0;
    for (uint32_t o = 0; o < heap->object_count; o++) {
        int live = hs_object_is_reachable(heap, o);
        int tail = (heap->flags[o] & HS_OBJECT_SPAN_TAIL) != 0;
        if (!live && !tail) {
            garbage++;
            garbage_bytes += hs_object_slot_size(heap, o);
        }
        if (!live) {
            assert_int_equal(d->idom[o], HS_NO_NODE);
            assert_int_equal(d->retained_objects[o], 0);
            continue;
        }
        hs_dom_node p = d->idom[o];
        assert_true(p < d->object_count || hs_dom_is_group(d, p) || p == HS_DOM_ROOT);
        assert_true(d->retained_objects[o] >= 1);
        assert_true(d->retained_bytes[o] >= hs_object_slot_size(heap, o));
        assert_int_equal(d->preorder[d->position[o]], o);
        if (p != HS_DOM_ROOT) {
            uint32_t start = d->position[p], end = start + hs_dominators_subtree_size(d, p);
            assert_true(d->position[o] > start && d->position[o] + d->retained_objects[o] <= end);
        }
        /* An object belongs to its dominator's group; one the virtual root
         * dominates (reached from several groups) belongs to none. */
        uint32_t g = hs_dominators_group_of(d, o);
        if (p == HS_DOM_ROOT)
            assert_int_equal(g, UINT32_MAX);
        else if (hs_dom_is_group(d, p))
            assert_int_equal(g, p - d->object_count);
        else
            assert_int_equal(g, hs_dominators_group_of(d, p));
    }
    assert_int_equal(d->garbage_objects, garbage);
    assert_int_equal(d->garbage_bytes, garbage_bytes);
    assert_int_equal(d->live_objects, heap->reachable_count);
    assert_int_equal(d->live_bytes, heap->reachable_bytes);
}

/* ---- facts of the retain program ---- */

static void check_tree(const fixture *l, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "tree.%s.root", name);
    hs_node root = fixture_fact_object(l, key);
    snprintf(key, sizeof key, "tree.%s.nodes", name);
    uint64_t nodes = fact_number(l->facts, key);
    assert_int_equal(hs_dominators_retained_objects(l->dominators, root), nodes);
    assert_int_equal(hs_dominators_retained_bytes(l->dominators, root), nodes * l->heap->objects[root].size);
}

static void check_retain_facts(const fixture *l)
{
    const hs_dominators *d = l->dominators;
    check_tree(l, "a");
    check_tree(l, "b");
    check_tree(l, "c");
    /* tree a in breadth-first order: parents dominate their children. */
    hs_node a[7];
    for (int i = 0; i < 7; i++) {
        char key[32];
        snprintf(key, sizeof key, "tree.a.node.%d", i);
        a[i] = fixture_fact_object(l, key);
        assert_int_equal(l->heap->objects[a[i]].size, l->heap->objects[a[0]].size);
    }
    for (int i = 1; i < 7; i++)
        assert_int_equal(d->idom[a[i]], a[(i - 1) / 2]);
    for (int i = 3; i < 7; i++)
        assert_int_equal(d->retained_objects[a[i]], 1);
    assert_int_equal(d->retained_objects[a[1]], 3);

    hs_node shared = fixture_fact_object(l, "shared.addr");
    const char *holders[2][2] = {{"holder.x", "own.x"}, {"holder.y", "own.y"}};
    for (int h = 0; h < 2; h++) {
        hs_node holder = fixture_fact_object(l, holders[h][0]);
        hs_node own = fixture_fact_object(l, holders[h][1]);
        assert_int_equal(d->idom[own], holder);
        assert_int_equal(d->retained_objects[holder], 2);
        assert_int_equal(d->retained_bytes[holder], l->heap->objects[holder].size + l->heap->objects[own].size);
        assert_int_not_equal(d->idom[shared], holder);
    }
    assert_int_equal(d->retained_objects[shared], 1);

    hs_node ring[4];
    for (int i = 0; i < 4; i++) {
        char key[32];
        snprintf(key, sizeof key, "ring.%d", i);
        ring[i] = fixture_fact_object(l, key);
    }
    assert_int_equal(d->retained_objects[ring[0]], 4);
    assert_int_equal(d->retained_bytes[ring[0]], 4 * l->heap->objects[ring[0]].size);
    for (int i = 1; i < 4; i++) {
        assert_int_equal(d->idom[ring[i]], ring[i - 1]);
        assert_int_equal(d->retained_objects[ring[i]], 4 - i);
    }
}

/* The group of the global a fact names (needs symbols). */
static uint32_t global_group(const fixture *l, const char *key)
{
    char name[256];
    assert_true(fact_text(l->facts, key, name, sizeof name));
    for (uint32_t g = 0; g < l->dominators->group_count; g++)
        if (l->dominators->groups[g].kind == HS_GROUP_GLOBAL && strcmp(l->dominators->groups[g].symbol->name, name) == 0)
            return g;
    fail_msg("%s: no root group for global %s", l->dump->name, name);
    return UINT32_MAX;
}

static void check_retain_symbol_facts(const fixture *l)
{
    const hs_dominators *d = l->dominators;
    uint32_t ring_group = global_group(l, "global.ring");
    hs_node ring0 = fixture_fact_object(l, "ring.0");
    assert_int_equal(d->idom[ring0], d->object_count + ring_group);
    assert_int_equal(d->groups[ring_group].retained_objects, 4);
    uint32_t x = global_group(l, "global.holder.x"), y = global_group(l, "global.holder.y");
    assert_int_equal(d->idom[fixture_fact_object(l, "holder.x")], d->object_count + x);
    assert_int_equal(d->idom[fixture_fact_object(l, "holder.y")], d->object_count + y);
    /* Two globals reach the shared array: only the virtual root dominates it. */
    assert_int_equal(d->idom[fixture_fact_object(l, "shared.addr")], HS_DOM_ROOT);
    assert_int_equal(d->groups[x].retained_objects, 2);
    uint32_t trees = global_group(l, "global.trees");
    assert_true(d->groups[trees].retained_objects >= 7 + 3 + 1 + 1);
    assert_int_equal(hs_dominators_group_of(d, fixture_fact_object(l, "tree.a.node.6")), trees);
}

/* ---- tests ---- */

static void test_retain_facts(void **state)
{
    (void)state;
    glob_t g = dumps("testdata/dumps/retain-go*.dump");
    for (size_t i = 0; i < g.gl_pathc; i++) {
        fixture l;
        fixture_load(&l, g.gl_pathv[i], NULL, FIXTURE_DOMINATORS);
        check_structure(&l);
        check_retain_facts(&l);
        fixture_free(&l);
    }
    globfree(&g);
}

static void test_retain_facts_with_symbols(void **state)
{
    (void)state;
    const char *versions[] = {"go1.19.8", "go1.26.8"};
    for (int i = 0; i < 2; i++) {
        char dump[128], program[128];
        snprintf(dump, sizeof dump, "testdata/dumps/retain-%s.dump", versions[i]);
        snprintf(program, sizeof program, "testdata/bin/retain-%s", versions[i]);
        fixture l;
        fixture_load(&l, dump, program, FIXTURE_DOMINATORS);
        check_structure(&l);
        check_retain_facts(&l);
        check_retain_symbol_facts(&l);
        check_objects_brute(&l, 0);
        check_groups_brute(&l);
        fixture_free(&l);
    }
}

/* Every object and group of every small (uncompressed) dump against brute force. */
static void test_small_dumps_brute_force(void **state)
{
    (void)state;
    glob_t g = dumps("testdata/dumps/*.dump");
    for (size_t i = 0; i < g.gl_pathc; i++) {
        fixture l;
        fixture_load(&l, g.gl_pathv[i], NULL, FIXTURE_DOMINATORS);
        check_structure(&l);
        check_group_count(&l);
        check_objects_brute(&l, 0);
        check_groups_brute(&l);
        fixture_free(&l);
    }
    globfree(&g);
}

/* The 100,000-node list: a dominator chain as deep as the list, no recursion. */
static void test_chain(void **state)
{
    (void)state;
    glob_t g = dumps("testdata/dumps/chain-go*.dump.gz");
    for (size_t i = 0; i < g.gl_pathc; i++) {
        fixture l;
        fixture_load(&l, g.gl_pathv[i], NULL, FIXTURE_DOMINATORS);
        uint64_t length = fact_number(l.facts, "length");
        hs_node head = fixture_fact_object(&l, "head.addr"), tail = fixture_fact_object(&l, "tail.addr");
        assert_int_equal(l.dominators->retained_objects[head], length);
        assert_int_equal(l.dominators->retained_bytes[head], length * l.heap->objects[head].size);
        assert_int_equal(l.dominators->retained_objects[tail], 1);
        check_structure(&l);
        check_objects_brute(&l, 200);
        fixture_free(&l);
    }
    globfree(&g);
}

/* A dump whose roots point at nothing (the fuzzer's 28 bytes: a header,
 * params and the end): no group edge, an empty tree, no sanitizer report. */
static void test_no_root_edges(void **state)
{
    (void)state;
    static const uint8_t bytes[] = "go1.7 heap dump\n\x06\x00\x08\x00\x00\x00\x00\x00\x00\x00\x01\x00";
    hs_error err = {0};
    hs_dump *dump = NULL;
    hs_heap *heap = NULL;
    hs_dominators *d = NULL;
    if (hs_dump_from_memory("roots-to-nothing", bytes, sizeof bytes - 1, &dump, &err) < 0 ||
        hs_heap_build(dump, &heap, &err) < 0 || hs_dominators_build(heap, NULL, &d, &err) < 0)
        fail_msg("%s", err.message);
    assert_int_equal(d->live_objects, 0);
    assert_int_equal(d->live_bytes, 0);
    assert_int_equal(d->preorder_count, d->group_count);
    hs_dominators_free(d);
    hs_heap_free(heap);
    hs_dump_free(dump);
}

static void test_writers(void **state)
{
    (void)state;
    fixture l;
    fixture_load(&l, "testdata/dumps/retain-go1.26.8.dump", NULL, FIXTURE_DOMINATORS);
    hs_node root = fixture_fact_object(&l, "tree.a.root");
    memory_stream m;
    FILE *out = memory_stream_open(&m);
    hs_dominators_write_json(out, l.dominators, root);
    fputc('|', out);
    hs_dominators_write_text(out, l.dominators, root);
    char *text = memory_stream_close(&m);
    char want[256];
    uint64_t bytes = 7 * l.heap->objects[root].size;
    snprintf(want, sizeof want, "\"retained\":{\"bytes\":%" PRIu64 ",\"objects\":7}|retains %" PRIu64
             " bytes in 7 objects", bytes, bytes);
    assert_string_equal(text, want);
    free(text);
    fixture_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retain_facts),
        cmocka_unit_test(test_retain_facts_with_symbols),
        cmocka_unit_test(test_small_dumps_brute_force),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_no_root_edges),
        cmocka_unit_test(test_writers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
