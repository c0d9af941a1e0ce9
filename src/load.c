/* load.c — builds a dump's heap and, with its program, the heap's typing: DWARF read beside the records, the typing beside the edges and whatever the caller does before hs_load_finish. */
#include "hs_load.h"

#include "hs_timings.h"

#include <pthread.h>
#include <stdlib.h>

/* The work done beside the heap's build, and what each part gave. */
struct hs_load_pending {
    hs_symbols *symbols;
    const hs_heap *heap;
    hs_types *types;
    hs_typing *typing;
    pthread_t types_thread, typing_thread;
    int types_running, typing_running;
    int types_status, check_status, typing_status;
    hs_error types_err, check_err, typing_err;
    hs_timings *timings;          /* or NULL */
    double types_seconds, typing_seconds; /* each written by its own thread, read once it is joined */
};

static void *read_types(void *argument)
{
    hs_load_pending *w = argument;
    double started = hs_timings_now();
    w->types_status = hs_types_load(w->symbols, &w->types, &w->types_err);
    w->types_seconds = hs_timings_now() - started;
    return NULL;
}

static void *type_heap(void *argument)
{
    hs_load_pending *w = argument;
    double started = hs_timings_now();
    w->typing_status = hs_typing_build(w->heap, w->types, w->symbols, &w->typing, &w->typing_err);
    w->typing_seconds = hs_timings_now() - started;
    return NULL;
}

static void join_types(hs_load_pending *w)
{
    if (w->types_running) {
        pthread_join(w->types_thread, NULL);
        hs_timings_add(w->timings, HS_PHASE_DWARF, w->types_seconds);
    }
    w->types_running = 0;
}

/* The heap's index is in: check the program against the dump (the types
 * must be read by then: the check moves the symbols), then type the heap. */
static void on_indexed(const hs_heap *heap, void *context)
{
    hs_load_pending *w = context;
    join_types(w);
    w->check_status = hs_symbols_check_dump(w->symbols, heap, &w->check_err);
    if (w->check_status >= 0 && w->types_status >= 0)
        hs_types_fit(w->types, w->symbols);
    hs_timings_end(w->timings, HS_PHASE_WAIT_DWARF);
    if (w->check_status < 0 || w->types_status < 0)
        return;
    w->heap = heap;
    if (pthread_create(&w->typing_thread, NULL, type_heap, w) == 0) {
        w->typing_running = 1;
        return;
    }
    type_heap(w); /* no thread: the build waits for the typing here */
    hs_timings_add(w->timings, HS_PHASE_TYPING, w->typing_seconds);
    hs_timings_end(w->timings, HS_PHASE_WAIT_TYPING);
}

static void on_joined(void *context)
{
    hs_load_pending *w = context;
    if (w->typing_running) {
        pthread_join(w->typing_thread, NULL);
        hs_timings_add(w->timings, HS_PHASE_TYPING, w->typing_seconds);
        hs_timings_end(w->timings, HS_PHASE_WAIT_TYPING);
    }
    w->typing_running = 0;
}

static int take_error(hs_error *err, const hs_error *from, int status)
{
    if (err)
        *err = *from;
    return status;
}

int hs_load_start(const hs_dump *dump, const hs_heap_options *options, hs_symbols *symbols, hs_heap **heap,
                  hs_load_pending **pending, hs_error *err)
{
    *heap = NULL;
    *pending = NULL;
    hs_heap_options with_side = options ? *options : (hs_heap_options){0};
    if (!symbols)
        return hs_heap_build_with_options(dump, &with_side, heap, err);
    hs_load_pending *w = malloc(sizeof *w);
    if (!w)
        return hs_error_set(err, HS_ERR_NOMEM, "%s: out of memory", dump->name);
    *w = (hs_load_pending){.symbols = symbols, .timings = with_side.timings};
    if (pthread_create(&w->types_thread, NULL, read_types, w) == 0) {
        w->types_running = 1;
    } else {
        read_types(w);
        hs_timings_add(w->timings, HS_PHASE_DWARF, w->types_seconds);
    }
    with_side.indexed = on_indexed;
    with_side.joined = on_joined;
    with_side.indexed_context = w;
    with_side.return_before_joined = 1;
    int status = hs_heap_build_with_options(dump, &with_side, heap, err);
    join_types(w);
    /* The check's and the types' errors are known by now: no typing ran. */
    if (status >= 0 && w->check_status < 0)
        status = take_error(err, &w->check_err, w->check_status);
    else if (status >= 0 && w->types_status < 0)
        status = take_error(err, &w->types_err, w->types_status);
    if (status < 0) {
        /* A build that gave up joined the typing first. */
        hs_typing_free(w->typing);
        hs_types_free(w->types);
        free(w);
        hs_heap_free(*heap);
        *heap = NULL;
        return status;
    }
    *pending = w;
    return HS_OK;
}

int hs_load_finish(hs_load_pending *pending, hs_heap **heap, hs_types **types, hs_typing **typing, hs_error *err)
{
    *types = NULL;
    *typing = NULL;
    if (!pending)
        return HS_OK;
    hs_load_pending *w = pending;
    on_joined(w);
    int status = w->typing_status < 0 ? take_error(err, &w->typing_err, w->typing_status) : HS_OK;
    if (status < 0) {
        hs_typing_free(w->typing);
        hs_types_free(w->types);
        hs_heap_free(*heap);
        *heap = NULL;
    } else {
        *types = w->types;
        *typing = w->typing;
    }
    free(w);
    return status;
}

int hs_load(const hs_dump *dump, const hs_heap_options *options, hs_symbols *symbols, hs_heap **heap,
            hs_types **types, hs_typing **typing, hs_error *err)
{
    hs_load_pending *pending;
    *types = NULL;
    *typing = NULL;
    int status = hs_load_start(dump, options, symbols, heap, &pending, err);
    return status < 0 ? status : hs_load_finish(pending, heap, types, typing, err);
}
