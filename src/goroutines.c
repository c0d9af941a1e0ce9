/* goroutines.c — groups goroutines by stack, creator and wait reason, and finds the ones that can never wake: Go 1.26's goroutine-leak marking, over the dump. */
#include "hs_goroutines.h"

#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "output.h"
#include "search.h"

/* Wait reasons of goroutines blocked on a channel, a select or a sync
 * primitive: the ones the leak rule considers (runtime2.go, from
 * waitReasonChanReceiveNilChan to waitReasonSyncWaitGroupWait; semacquire is
 * what sync.WaitGroup and older sync.Mutex waits read before Go 1.25). */
static const char *const CHANNEL_REASONS[] = {"chan receive", "chan send", "select"};
static const char *const NEVER_REASONS[] = {"chan receive (nil chan)", "chan send (nil chan)", "select (no cases)"};
static const char *const SYNC_REASONS[] = {"semacquire", "sync.Cond.Wait", "sync.Mutex.Lock", "sync.RWMutex.RLock",
                                           "sync.RWMutex.Lock", "sync.WaitGroup.Wait"};

/* Goroutine status values (runtime2.go), the scan bit masked off. */
#define G_STATUS_WAITING 4u
#define G_STATUS_SCAN 0x1000u
/* Bounds on chains read from the heap (a g.waiting chain, a treap). */
#define MAX_SUDOG_CHAIN 4096u
#define MAX_SEMTABLE_STEPS ((uint64_t)1 << 22)

enum wait_kind { WAIT_NONE, WAIT_CHANNEL, WAIT_NEVER, WAIT_SYNC };

static int reason_is(hs_bytes reason, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (reason.length == strlen(list[i]) && !memcmp(reason.data, list[i], reason.length))
            return 1;
    return 0;
}

static enum wait_kind wait_kind_of(const hs_goroutine *g)
{
    if ((g->status & ~(uint64_t)G_STATUS_SCAN) != G_STATUS_WAITING)
        return WAIT_NONE;
#define IN(list) reason_is(g->wait_reason, list, sizeof list / sizeof *list)
    if (IN(CHANNEL_REASONS))
        return WAIT_CHANNEL;
    if (IN(NEVER_REASONS))
        return WAIT_NEVER;
    if (IN(SYNC_REASONS))
        return WAIT_SYNC;
#undef IN
    return WAIT_NONE;
}

const char *hs_goroutine_status_name(uint64_t status)
{
    static const char *const names[] = {"idle", "runnable", "running", "syscall", "waiting", "moribund",
                                        "dead", "enqueue", "copystack", "preempted"};
    uint64_t base = status & ~(uint64_t)G_STATUS_SCAN;
    return base < sizeof names / sizeof *names ? names[base] : "unknown";
}

/* ---- reading runtime structures from the dump ---- */

typedef struct layout {
    hs_type_id g, sudog;
    uint64_t g_waiting, sudog_waitlink, sudog_c, sudog_elem, sudog_g, sudog_prev, sudog_next;
    int have_tree; /* sudog.g, prev and next: the semtable can be walked */
} layout;

static int find_layout(const hs_types *types, layout *l)
{
    *l = (layout){.g = hs_types_find(types, "runtime.g"), .sudog = hs_types_find(types, "runtime.sudog")};
    if (!l->g || !l->sudog || !hs_types_field_offset(types, l->g, "waiting", &l->g_waiting, NULL) ||
        !hs_types_field_offset(types, l->sudog, "waitlink", &l->sudog_waitlink, NULL) ||
        !hs_types_field_offset(types, l->sudog, "c", &l->sudog_c, NULL) ||
        !hs_types_field_offset(types, l->sudog, "elem", &l->sudog_elem, NULL))
        return 0;
    l->have_tree = hs_types_field_offset(types, l->sudog, "g", &l->sudog_g, NULL) &&
                   hs_types_field_offset(types, l->sudog, "prev", &l->sudog_prev, NULL) &&
                   hs_types_field_offset(types, l->sudog, "next", &l->sudog_next, NULL);
    return 1;
}

/* The word at a heap address (inside an object), or 0 when it is in none. */
static uint64_t heap_word(const hs_heap *heap, uint64_t address)
{
    uint64_t offset;
    hs_node object = hs_heap_find(heap, address, &offset);
    unsigned word = heap->params.pointer_size;
    if (object == HS_NO_NODE || offset > heap->objects[object].size || heap->objects[object].size - offset < word)
        return 0;
    return hs_heap_word(heap, hs_object_contents(heap, object), offset);
}

/* The word at an address of the data or BSS segment, or 0. */
static uint64_t segment_word(const hs_heap *heap, uint64_t address)
{
    unsigned word = heap->params.pointer_size;
    for (uint32_t r = 0; r < heap->root_count; r++) {
        const hs_root *root = &heap->roots[r];
        if ((root->kind == HS_ROOT_DATA || root->kind == HS_ROOT_BSS) && address >= root->address &&
            address - root->address <= root->contents.length &&
            root->contents.length - (address - root->address) >= word)
            return hs_heap_word(heap, root->contents.data, address - root->address);
    }
    return 0;
}

/* A goroutine waiting on an address: (goroutine, target) pairs. */
typedef struct wait_target {
    uint32_t goroutine;
    hs_node object; /* the heap object waited on */
} wait_target;

static inline uint64_t target_object(const wait_target *t)
{
    return t->object;
}

HS_DEFINE_SEARCH(targets, wait_target, uint64_t, target_object)

static int compare_targets(const void *a, const void *b)
{
    const wait_target *x = a, *y = b;
    if (x->object != y->object)
        return x->object < y->object ? -1 : 1;
    return x->goroutine < y->goroutine ? -1 : x->goroutine > y->goroutine;
}

/* The semaphore waits of the runtime's semtable before Go 1.26 (semacquire
 * does not set g.waiting there): (g address, semaphore address) pairs. */
typedef struct sema_wait {
    uint64_t g, address;
} sema_wait;

static inline uint64_t sema_g(const sema_wait *w)
{
    return w->g;
}

HS_DEFINE_SEARCH(sema_waits, sema_wait, uint64_t, sema_g)

static int compare_sema_waits(const void *a, const void *b)
{
    const sema_wait *x = a, *y = b;
    return x->g < y->g ? -1 : x->g > y->g;
}

typedef struct analysis {
    const hs_heap *heap;
    const hs_typing *typing;
    layout l;
    uint8_t *marked;   /* per object */
    uint8_t *awake;    /* per goroutine: not blocked, or woken */
    uint8_t *is_target;
    hs_node *stack;
    uint64_t stack_count, stack_capacity;
    wait_target *targets;
    uint64_t target_count, target_capacity;
    sema_wait *semas;
    uint64_t sema_count, sema_capacity;
    int failed;
    uint32_t wake_rounds;
} analysis;

static void push_object(analysis *a, hs_node object)
{
    if (a->marked[object])
        return;
    a->marked[object] = 1;
    if (HS_ARRAY_RESERVE(a->stack, &a->stack_capacity, a->stack_count + 1) < 0) {
        a->failed = 1;
        return;
    }
    a->stack[a->stack_count++] = object;
}

static void push_edges(analysis *a, hs_node node)
{
    const hs_heap *heap = a->heap;
    for (uint32_t e = heap->out_start[node]; e < heap->out_start[node + 1]; e++)
        push_object(a, heap->out_target[e]);
}

/* Marks a goroutine's frames as roots. */
static void wake(analysis *a, uint32_t goroutine)
{
    const hs_goroutine *g = &a->heap->goroutines[goroutine];
    if (a->awake[goroutine])
        return;
    a->awake[goroutine] = 1;
    if (g->first_frame == UINT32_MAX)
        return;
    for (uint32_t f = 0; f < g->frame_count; f++)
        push_edges(a, a->heap->object_count + g->first_frame + f);
}

/* Marks until the stack is empty, waking the goroutines waiting on what gets marked. */
static void drain(analysis *a)
{
    const hs_heap *heap = a->heap;
    while (a->stack_count && !a->failed) {
        hs_node object = a->stack[--a->stack_count];
        if (a->is_target[object]) {
            uint64_t at = targets_first_at_least(a->targets, 0, a->target_count, object);
            for (; at < a->target_count && a->targets[at].object == object; at++)
                if (!a->awake[a->targets[at].goroutine]) {
                    a->wake_rounds++;
                    wake(a, a->targets[at].goroutine);
                }
        }
        /* The g and sudog objects make every goroutine's stack and channel
         * reachable through runtime.allgs: the rule does not follow them. */
        const hs_typing_entry *entry = hs_typing_of(a->typing, object);
        if (entry && (entry->type == a->l.g || entry->type == a->l.sudog))
            continue;
        for (uint32_t e = heap->out_start[object]; e < heap->out_start[object + 1]; e++)
            push_object(a, heap->out_target[e]);
    }
}

static void add_sema(analysis *a, uint64_t g, uint64_t address)
{
    if (HS_ARRAY_RESERVE(a->semas, &a->sema_capacity, a->sema_count + 1) < 0) {
        a->failed = 1;
        return;
    }
    a->semas[a->sema_count++] = (sema_wait){g, address};
}

/* Walks the semtable's treaps (prev and next children, waitlink lists of
 * waiters on one address), bounded in steps. */
static void read_semtable(analysis *a)
{
    const hs_types *types = a->typing->types;
    const hs_type_global *table = hs_types_find_global(types, "runtime.semtable");
    if (!table || !a->l.have_tree)
        return;
    const hs_type *t = &types->types[table->type];
    if (t->kind != HS_KIND_ARRAY || !t->elem || !types->types[t->elem].size)
        return;
    uint64_t treap_offset;
    if (!hs_types_field_offset(types, t->elem, "root.treap", &treap_offset, NULL))
        return;
    uint64_t *pending = NULL, pending_count = 0, pending_capacity = 0, steps = 0;
    for (uint64_t i = 0; i < t->count && !a->failed; i++) {
        uint64_t root = segment_word(a->heap, table->address + i * types->types[t->elem].size + treap_offset);
        if (!root)
            continue;
        pending_count = 0;
        if (HS_ARRAY_RESERVE(pending, &pending_capacity, 1) < 0) {
            a->failed = 1;
            break;
        }
        pending[pending_count++] = root;
        while (pending_count && steps < MAX_SEMTABLE_STEPS && !a->failed) {
            uint64_t node = pending[--pending_count];
            for (uint64_t s = node, chain = 0; s && chain < MAX_SUDOG_CHAIN; s = heap_word(a->heap, s + a->l.sudog_waitlink), chain++, steps++)
                add_sema(a, heap_word(a->heap, s + a->l.sudog_g), heap_word(a->heap, s + a->l.sudog_elem));
            uint64_t children[2] = {heap_word(a->heap, node + a->l.sudog_prev), heap_word(a->heap, node + a->l.sudog_next)};
            for (int c = 0; c < 2; c++) {
                if (!children[c])
                    continue;
                if (HS_ARRAY_RESERVE(pending, &pending_capacity, pending_count + 1) < 0) {
                    a->failed = 1;
                    break;
                }
                pending[pending_count++] = children[c];
            }
        }
    }
    free(pending);
    if (a->sema_count > 1)
        qsort(a->semas, a->sema_count, sizeof *a->semas, compare_sema_waits);
}

/* A blocked goroutine's wait: the heap objects it waits on (added to
 * a->targets), or woken now when it waits on something outside the heap. */
static void add_waits(analysis *a, uint32_t goroutine, enum wait_kind kind)
{
    const hs_heap *heap = a->heap;
    const hs_goroutine *g = &heap->goroutines[goroutine];
    if (kind == WAIT_NEVER)
        return; /* a nil channel or select {}: nothing can wake it */
    uint64_t addresses[64];
    unsigned count = 0;
    uint64_t sudog = heap_word(heap, g->address + a->l.g_waiting);
    for (unsigned chain = 0; sudog && chain < MAX_SUDOG_CHAIN; chain++) {
        uint64_t target = heap_word(heap, sudog + (kind == WAIT_CHANNEL ? a->l.sudog_c : a->l.sudog_elem));
        if (target && count < sizeof addresses / sizeof *addresses)
            addresses[count++] = target;
        sudog = heap_word(heap, sudog + a->l.sudog_waitlink);
    }
    if (kind == WAIT_SYNC && count == 0) {
        uint64_t at = sema_waits_first_at_least(a->semas, 0, a->sema_count, g->address);
        for (; at < a->sema_count && a->semas[at].g == g->address && count < 64; at++)
            addresses[count++] = a->semas[at].address;
    }
    if (count == 0) {
        /* Blocked, and no record of on what: treat it as able to wake (never call a goroutine leaked on no evidence). */
        wake(a, goroutine);
        return;
    }
    for (unsigned i = 0; i < count; i++) {
        uint64_t offset;
        hs_node object = hs_heap_find(heap, addresses[i], &offset);
        if (object == HS_NO_NODE) {
            wake(a, goroutine); /* a global semaphore or channel: always reachable */
            return;
        }
        if (HS_ARRAY_RESERVE(a->targets, &a->target_capacity, a->target_count + 1) < 0) {
            a->failed = 1;
            return;
        }
        a->targets[a->target_count++] = (wait_target){goroutine, object};
        a->is_target[object] = 1;
    }
}

static int find_leaks(hs_goroutines *out, const hs_typing *typing, hs_error *err)
{
    const hs_heap *heap = out->heap;
    analysis a = {.heap = heap, .typing = typing};
    if (!find_layout(typing->types, &a.l)) {
        out->unknown_reason = "the program's DWARF has no runtime.g or runtime.sudog layout";
        return HS_OK;
    }
    a.marked = calloc(heap->object_count ? heap->object_count : 1, 1);
    a.is_target = calloc(heap->object_count ? heap->object_count : 1, 1);
    a.awake = calloc(heap->goroutine_count ? heap->goroutine_count : 1, 1);
    enum wait_kind *kinds = malloc((heap->goroutine_count ? heap->goroutine_count : 1) * sizeof *kinds);
    int status = HS_OK;
    if (!a.marked || !a.is_target || !a.awake || !kinds) {
        status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory finding leaked goroutines", heap->dump->name);
        goto done;
    }
    for (uint32_t i = 0; i < heap->goroutine_count; i++)
        kinds[i] = wait_kind_of(&heap->goroutines[i]);
    read_semtable(&a);
    /* Every root but the frames of blocked goroutines. */
    for (uint32_t r = 0; r < heap->root_count && !a.failed; r++) {
        const hs_root *root = &heap->roots[r];
        if (root->kind == HS_ROOT_FRAME && root->goroutine != UINT32_MAX && kinds[root->goroutine] != WAIT_NONE)
            continue;
        push_edges(&a, heap->object_count + r);
    }
    for (uint32_t i = 0; i < heap->goroutine_count && !a.failed; i++) {
        if (kinds[i] == WAIT_NONE)
            a.awake[i] = 1;
        else
            add_waits(&a, i, kinds[i]);
    }
    if (a.target_count > 1)
        qsort(a.targets, a.target_count, sizeof *a.targets, compare_targets);
    /* Targets marked before the index was sorted: wake their goroutines now. */
    for (uint64_t t = 0; t < a.target_count && !a.failed; t++)
        if (a.marked[a.targets[t].object] && !a.awake[a.targets[t].goroutine]) {
            a.wake_rounds++;
            wake(&a, a.targets[t].goroutine);
        }
    drain(&a);
    if (a.failed) {
        status = hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory finding leaked goroutines", heap->dump->name);
        goto done;
    }
    for (uint32_t i = 0; i < heap->goroutine_count; i++) {
        out->verdict[i] = a.awake[i] ? HS_LEAK_NO : HS_LEAK_YES;
        out->leaked_count += !a.awake[i];
    }
    out->wake_rounds = a.wake_rounds;
done:
    free(a.marked);
    free(a.is_target);
    free(a.awake);
    free(a.stack);
    free(a.targets);
    free(a.semas);
    free(kinds);
    return status;
}

/* ---- grouping ---- */

static uint64_t mix(uint64_t hash, const void *data, size_t length)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < length; i++)
        hash = (hash ^ p[i]) * 0x100000001b3u;
    return hash;
}

/* The function the go statement is in (its entry), or the gopc itself without the program. */
static uint64_t creator_key(const hs_goroutines *g, const hs_goroutine *go)
{
    const hs_type_function *function =
        g->typing && go->go_pc ? hs_types_function_at(g->typing->types, go->go_pc - 1) : NULL;
    return function ? function->low_pc : go->go_pc;
}

static uint64_t goroutine_hash(const hs_goroutines *g, uint32_t i)
{
    const hs_heap *heap = g->heap;
    const hs_goroutine *go = &heap->goroutines[i];
    uint64_t hash = 0xcbf29ce484222325u, creator = creator_key(g, go);
    hash = mix(hash, &creator, sizeof creator);
    hash = mix(hash, go->wait_reason.data, go->wait_reason.length);
    hash = mix(hash, &g->verdict[i], 1);
    hash = mix(hash, &go->is_system, sizeof go->is_system);
    for (uint32_t f = 0; go->first_frame != UINT32_MAX && f < go->frame_count; f++) {
        const hs_root *frame = &heap->roots[go->first_frame + f];
        hash = mix(hash, frame->name.data, frame->name.length);
        hash = mix(hash, "", 1);
    }
    return hash;
}

static int bytes_equal(hs_bytes a, hs_bytes b)
{
    return a.length == b.length && (a.length == 0 || !memcmp(a.data, b.data, a.length));
}

static int same_group(const hs_goroutines *g, uint32_t x, uint32_t y)
{
    const hs_heap *heap = g->heap;
    const hs_goroutine *a = &heap->goroutines[x], *b = &heap->goroutines[y];
    if (creator_key(g, a) != creator_key(g, b) || !bytes_equal(a->wait_reason, b->wait_reason) ||
        g->verdict[x] != g->verdict[y] || a->is_system != b->is_system || a->frame_count != b->frame_count ||
        (a->first_frame == UINT32_MAX) != (b->first_frame == UINT32_MAX))
        return 0;
    for (uint32_t f = 0; a->first_frame != UINT32_MAX && f < a->frame_count; f++)
        if (!bytes_equal(heap->roots[a->first_frame + f].name, heap->roots[b->first_frame + f].name))
            return 0;
    return 1;
}

typedef struct hashed {
    uint64_t hash;
    uint64_t goid;
    uint32_t goroutine;
} hashed;

static int compare_hashed(const void *a, const void *b)
{
    const hashed *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->goid < y->goid ? -1 : x->goid > y->goid;
}

static int compare_group_indices(const void *a, const void *b, void *context)
{
    const hs_goroutines *g = context;
    uint64_t x = g->heap->goroutines[g->groups[*(const uint32_t *)a].first].goid;
    uint64_t y = g->heap->goroutines[g->groups[*(const uint32_t *)b].first].goid;
    return x < y ? -1 : x > y;
}

static int compare_members_by_goid(const void *a, const void *b, void *context)
{
    const hs_goroutines *g = context;
    uint64_t x = g->heap->goroutines[*(const uint32_t *)a].goid, y = g->heap->goroutines[*(const uint32_t *)b].goid;
    return x < y ? -1 : x > y;
}

/* The frame a group is labelled by: the first outside the runtime, else the innermost. */
static uint32_t label_frame(const hs_heap *heap, const hs_goroutine *go)
{
    uint32_t own = hs_goroutine_own_frame(heap, go);
    return own != UINT32_MAX ? own : go->first_frame;
}

static int make_groups(hs_goroutines *g, hs_error *err)
{
    const hs_heap *heap = g->heap;
    uint32_t n = heap->goroutine_count;
    hashed *order = malloc((n ? n : 1) * sizeof *order);
    g->groups = malloc((n ? n : 1) * sizeof *g->groups);
    g->group_start = malloc(((size_t)n + 1) * sizeof *g->group_start);
    g->members = malloc((n ? n : 1) * sizeof *g->members);
    uint8_t *placed = calloc(n ? n : 1, 1);
    if (!order || !g->groups || !g->group_start || !g->members || !placed) {
        free(order);
        free(placed);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory grouping goroutines", heap->dump->name);
    }
    for (uint32_t i = 0; i < n; i++)
        order[i] = (hashed){goroutine_hash(g, i), heap->goroutines[i].goid, i};
    qsort(order, n, sizeof *order, compare_hashed);
    /* Runs of one hash; within a run, members equal to its first unplaced one (a collision splits). */
    for (uint32_t start = 0; start < n;) {
        uint32_t end = start;
        while (end < n && order[end].hash == order[start].hash)
            end++;
        for (uint32_t i = start; i < end; i++) {
            if (placed[i])
                continue;
            hs_goroutine_group *group = &g->groups[g->group_count];
            const hs_goroutine *go = &heap->goroutines[order[i].goroutine];
            *group = (hs_goroutine_group){.first = order[i].goroutine, .label_frame = label_frame(heap, go),
                                          .leaked = g->verdict[order[i].goroutine], .is_system = go->is_system};
            for (uint32_t j = i; j < end; j++)
                if (!placed[j] && same_group(g, order[i].goroutine, order[j].goroutine)) {
                    placed[j] = 1;
                    g->group_of[order[j].goroutine] = g->group_count;
                    group->count++;
                }
            g->group_count++;
        }
        start = end;
    }
    free(placed);
    free(order);
    /* Groups in order of their first goid; members by group, then goid. */
    uint32_t *position = malloc((g->group_count ? g->group_count : 1) * sizeof *position);
    uint32_t *sorted = malloc((g->group_count ? g->group_count : 1) * sizeof *sorted);
    hs_goroutine_group *copy = malloc((g->group_count ? g->group_count : 1) * sizeof *copy);
    if (!position || !sorted || !copy) {
        free(position);
        free(sorted);
        free(copy);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory grouping goroutines", heap->dump->name);
    }
    for (uint32_t k = 0; k < g->group_count; k++)
        sorted[k] = k;
    qsort_r(sorted, g->group_count, sizeof *sorted, compare_group_indices, g);
    for (uint32_t k = 0; k < g->group_count; k++) {
        position[sorted[k]] = k;
        copy[k] = g->groups[sorted[k]];
    }
    memcpy(g->groups, copy, g->group_count * sizeof *copy);
    for (uint32_t i = 0; i < n; i++)
        g->group_of[i] = position[g->group_of[i]];
    free(position);
    free(sorted);
    free(copy);
    /* Members: counting sort by group; goids rise within a group as goroutine records do not promise, so sort. */
    memset(g->group_start, 0, ((size_t)g->group_count + 1) * sizeof *g->group_start);
    for (uint32_t i = 0; i < n; i++)
        g->group_start[g->group_of[i] + 1]++;
    for (uint32_t k = 0; k < g->group_count; k++)
        g->group_start[k + 1] += g->group_start[k];
    uint32_t *fill = malloc((g->group_count ? g->group_count : 1) * sizeof *fill);
    if (!fill)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory grouping goroutines", heap->dump->name);
    memcpy(fill, g->group_start, g->group_count * sizeof *fill);
    for (uint32_t i = 0; i < n; i++)
        g->members[fill[g->group_of[i]]++] = i;
    free(fill);
    for (uint32_t k = 0; k < g->group_count; k++)
        qsort_r(g->members + g->group_start[k], g->group_start[k + 1] - g->group_start[k], sizeof *g->members,
                compare_members_by_goid, g);
    return HS_OK;
}

int hs_goroutines_build(const hs_heap *heap, const hs_typing *typing, hs_goroutines **out, hs_error *err)
{
    *out = NULL;
    hs_goroutines *g = calloc(1, sizeof *g);
    if (!g)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory grouping goroutines", heap->dump->name);
    g->heap = heap;
    g->typing = typing;
    uint32_t n = heap->goroutine_count;
    g->group_of = malloc((n ? n : 1) * sizeof *g->group_of);
    g->verdict = malloc(n ? n : 1);
    if (!g->group_of || !g->verdict) {
        hs_goroutines_free(g);
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory grouping goroutines", heap->dump->name);
    }
    memset(g->verdict, HS_LEAK_UNKNOWN, n ? n : 1);
    int status = HS_OK;
    if (!typing)
        g->unknown_reason = "leaked goroutines are told from the program's DWARF: give --program";
    else if (typing->types->without_dwarf)
        g->unknown_reason = "the program has no DWARF";
    else
        status = find_leaks(g, typing, err);
    if (status == HS_OK)
        status = make_groups(g, err);
    if (status < 0) {
        hs_goroutines_free(g);
        return status;
    }
    *out = g;
    return HS_OK;
}

void hs_goroutines_free(hs_goroutines *goroutines)
{
    if (!goroutines)
        return;
    free(goroutines->group_of);
    free(goroutines->members);
    free(goroutines->group_start);
    free(goroutines->groups);
    free(goroutines->verdict);
    free(goroutines);
}

void hs_goroutines_write_label(FILE *out, const hs_goroutines *goroutines, uint32_t group)
{
    const hs_heap *heap = goroutines->heap;
    const hs_goroutine_group *k = &goroutines->groups[group];
    const hs_goroutine *first = &heap->goroutines[k->first];
    if (k->label_frame != UINT32_MAX)
        hs_write_text(out, heap->roots[k->label_frame].name.data, heap->roots[k->label_frame].name.length);
    else
        fputs("(no frames)", out);
    fputs(" (", out);
    if (first->wait_reason.length)
        hs_write_text(out, first->wait_reason.data, first->wait_reason.length);
    else
        fputs(hs_goroutine_status_name(first->status), out);
    fputc(')', out);
}
