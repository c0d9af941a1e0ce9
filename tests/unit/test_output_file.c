/* test_output_file.c — hs_output_file.h in a scratch directory: a temporary file renamed only on commit, abort
 * leaves the old file, inputs refused, links followed, devices written in place. */
#include "fixtures.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hs_output_file.h"

typedef struct scratch {
    char dir[256];
} scratch;

static int make_scratch(void **state)
{
    scratch *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    const char *tmp = getenv("TMPDIR");
    snprintf(s->dir, sizeof s->dir, "%s/heapspurs-output-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(s->dir)) {
        free(s);
        return -1;
    }
    *state = s;
    return 0;
}

static int remove_scratch(void **state)
{
    scratch *s = *state;
    DIR *d = opendir(s->dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char path[512];
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(path, sizeof path, "%s/%s", s->dir, e->d_name);
            unlink(path);
        }
    }
    if (d)
        closedir(d);
    rmdir(s->dir);
    free(s);
    return 0;
}

static const char *in_scratch(const scratch *s, const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", s->dir, name);
    return path;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The whole content of a file (at most 255 bytes), or "(missing)". */
static const char *read_file(const char *path, char *text, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return "(missing)";
    size_t n = fread(text, 1, size - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The names in the scratch directory, sorted, joined by spaces ("" when empty). */
static const char *listing(const scratch *s, char *text, size_t size)
{
    struct dirent **names;
    int n = scandir(s->dir, &names, NULL, alphasort);
    assert_true(n >= 0);
    text[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, "..")) {
            size_t used = strlen(text);
            snprintf(text + used, size - used, "%s%s", used ? " " : "", names[i]->d_name);
        }
        free(names[i]);
    }
    free(names);
    return text;
}

/* The one name in the scratch directory starting with ".heapspurs-", or fails. */
static void temporary_name(const scratch *s, char *path, size_t size)
{
    DIR *d = opendir(s->dir);
    assert_non_null(d);
    struct dirent *e;
    int found = 0;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, ".heapspurs-", 11) == 0) {
            assert_false(found);
            snprintf(path, size, "%s/%s", s->dir, e->d_name);
            found = 1;
        }
    closedir(d);
    assert_true(found);
}

static void test_new_file_appears_on_commit(void **state)
{
    scratch *s = *state;
    char path[512], text[256], temporary[512];
    in_scratch(s, "report.txt", path, sizeof path);
    hs_output_file *file;
    hs_error err = {0};
    assert_int_equal(hs_output_file_open(path, NULL, 0, &file, &err), HS_OK);
    fputs("new report\n", hs_output_file_stream(file));
    /* Until the commit the path does not exist; the text is in a temporary file beside it. */
    assert_string_equal(read_file(path, text, sizeof text), "(missing)");
    temporary_name(s, temporary, sizeof temporary);
    assert_int_equal(hs_output_file_commit(file, &err), HS_OK);
    assert_string_equal(read_file(path, text, sizeof text), "new report\n");
    assert_string_equal(listing(s, text, sizeof text), "report.txt");
    /* A new file gets 0666 less the umask. */
    mode_t mask = umask(0);
    umask(mask);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0666 & ~mask);
}

static void test_replaces_on_commit_keeping_permissions(void **state)
{
    scratch *s = *state;
    char path[512], text[256];
    in_scratch(s, "report.txt", path, sizeof path);
    write_file(path, "old\n");
    assert_int_equal(chmod(path, 0640), 0);
    hs_output_file *file;
    hs_error err = {0};
    assert_int_equal(hs_output_file_open(path, NULL, 0, &file, &err), HS_OK);
    fputs("new\n", hs_output_file_stream(file));
    fflush(hs_output_file_stream(file));
    assert_string_equal(read_file(path, text, sizeof text), "old\n");
    assert_int_equal(hs_output_file_commit(file, &err), HS_OK);
    assert_string_equal(read_file(path, text, sizeof text), "new\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_string_equal(listing(s, text, sizeof text), "report.txt");
}

static void test_abort_leaves_the_old_file(void **state)
{
    scratch *s = *state;
    char path[512], text[256];
    in_scratch(s, "report.txt", path, sizeof path);
    write_file(path, "old\n");
    hs_output_file *file;
    hs_error err = {0};
    assert_int_equal(hs_output_file_open(path, NULL, 0, &file, &err), HS_OK);
    fputs("half a report", hs_output_file_stream(file));
    hs_output_file_abort(file);
    assert_string_equal(read_file(path, text, sizeof text), "old\n");
    assert_string_equal(listing(s, text, sizeof text), "report.txt");
    /* The same for a path that did not exist: nothing is left. */
    in_scratch(s, "never.txt", path, sizeof path);
    assert_int_equal(hs_output_file_open(path, NULL, 0, &file, &err), HS_OK);
    fputs("half a report", hs_output_file_stream(file));
    hs_output_file_abort(file);
    assert_string_equal(listing(s, text, sizeof text), "report.txt");
    hs_output_file_abort(NULL);
    assert_int_equal(hs_output_file_commit(NULL, &err), HS_OK);
}

/* What a signal handler calls: the temporary file goes, the old file stays. */
static void test_remove_pending(void **state)
{
    scratch *s = *state;
    char path[512], text[256], temporary[512];
    in_scratch(s, "report.txt", path, sizeof path);
    write_file(path, "old\n");
    hs_output_file *file;
    hs_error err = {0};
    assert_int_equal(hs_output_file_open(path, NULL, 0, &file, &err), HS_OK);
    temporary_name(s, temporary, sizeof temporary);
    hs_output_file_remove_pending();
    assert_string_equal(read_file(temporary, text, sizeof text), "(missing)");
    assert_string_equal(listing(s, text, sizeof text), "report.txt");
    hs_output_file_abort(file);
    assert_string_equal(read_file(path, text, sizeof text), "old\n");
}

static void test_input_refused(void **state)
{
    scratch *s = *state;
    char input[512], symbolic[512], hard[512], text[256];
    in_scratch(s, "app.dump", input, sizeof input);
    write_file(input, "dump bytes");
    in_scratch(s, "link.dump", symbolic, sizeof symbolic);
    assert_int_equal(symlink("app.dump", symbolic), 0);
    in_scratch(s, "hard.dump", hard, sizeof hard);
    assert_int_equal(link(input, hard), 0);
    const char *inputs[2] = {"/nonexistent/old.dump", input};
    const char *outputs[3] = {input, symbolic, hard};
    for (int i = 0; i < 3; i++) {
        hs_output_file *file = (hs_output_file *)1;
        hs_error err = {0};
        assert_int_equal(hs_output_file_open(outputs[i], inputs, 2, &file, &err), HS_ERR_USAGE);
        assert_null(file);
        assert_non_null(strstr(err.message, "refusing to write over it"));
        assert_string_equal(read_file(input, text, sizeof text), "dump bytes");
    }
    assert_string_equal(listing(s, text, sizeof text), "app.dump hard.dump link.dump");
}

static void test_link_followed(void **state)
{
    scratch *s = *state;
    char target[512], symbolic[512], text[256];
    in_scratch(s, "target.svg", target, sizeof target);
    write_file(target, "old\n");
    in_scratch(s, "link.svg", symbolic, sizeof symbolic);
    assert_int_equal(symlink("target.svg", symbolic), 0);
    hs_output_file *file;
    hs_error err = {0};
    assert_int_equal(hs_output_file_open(symbolic, NULL, 0, &file, &err), HS_OK);
    fputs("new\n", hs_output_file_stream(file));
    assert_int_equal(hs_output_file_commit(file, &err), HS_OK);
    /* The link stays a link and the file it names has the new text. */
    struct stat st;
    assert_int_equal(lstat(symbolic, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_string_equal(read_file(target, text, sizeof text), "new\n");
    assert_string_equal(listing(s, text, sizeof text), "link.svg target.svg");
    /* A link to a missing file creates that file. */
    char dangling[512], missing[512];
    in_scratch(s, "dangling.svg", dangling, sizeof dangling);
    assert_int_equal(symlink("missing.svg", dangling), 0);
    assert_int_equal(hs_output_file_open(dangling, NULL, 0, &file, &err), HS_OK);
    fputs("created\n", hs_output_file_stream(file));
    assert_int_equal(hs_output_file_commit(file, &err), HS_OK);
    assert_string_equal(read_file(in_scratch(s, "missing.svg", missing, sizeof missing), text, sizeof text),
                        "created\n");
    /* A loop of links is refused. */
    char loop[512];
    in_scratch(s, "loop.svg", loop, sizeof loop);
    assert_int_equal(symlink("loop.svg", loop), 0);
    assert_int_equal(hs_output_file_open(loop, NULL, 0, &file, &err), HS_ERR_IO);
    assert_non_null(strstr(err.message, "cannot follow the link"));
}

static void test_device_and_standard_output(void **state)
{
    (void)state;
    hs_output_file *file;
    hs_error err = {0};
    /* A character device is written in place: no temporary file beside it. */
    assert_int_equal(hs_output_file_open("/dev/null", NULL, 0, &file, &err), HS_OK);
    fputs("discarded\n", hs_output_file_stream(file));
    assert_int_equal(hs_output_file_commit(file, &err), HS_OK);
    assert_int_equal(hs_output_file_open("-", NULL, 0, &file, &err), HS_OK);
    assert_ptr_equal(hs_output_file_stream(file), stdout);
    hs_output_file_abort(file);
    assert_int_equal(hs_output_file_open(NULL, NULL, 0, &file, &err), HS_OK);
    assert_ptr_equal(hs_output_file_stream(file), stdout);
    hs_output_file_abort(file);
}

static void test_cannot_create(void **state)
{
    scratch *s = *state;
    char path[512], text[256];
    hs_output_file *file;
    hs_error err = {0};
    assert_int_equal(hs_output_file_open(in_scratch(s, "no/such/dir/x.svg", path, sizeof path), NULL, 0, &file, &err),
                     HS_ERR_IO);
    assert_null(file);
    assert_non_null(strstr(err.message, "cannot create a temporary file"));
    in_scratch(s, "dir.svg", path, sizeof path);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(hs_output_file_open(path, NULL, 0, &file, &err), HS_ERR_IO);
    assert_non_null(strstr(err.message, "dir.svg"));
    assert_int_equal(rmdir(path), 0);
    assert_string_equal(listing(s, text, sizeof text), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_file_appears_on_commit, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_replaces_on_commit_keeping_permissions, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_abort_leaves_the_old_file, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_remove_pending, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_input_refused, make_scratch, remove_scratch),
        cmocka_unit_test_setup_teardown(test_link_followed, make_scratch, remove_scratch),
        cmocka_unit_test(test_device_and_standard_output),
        cmocka_unit_test_setup_teardown(test_cannot_create, make_scratch, remove_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
