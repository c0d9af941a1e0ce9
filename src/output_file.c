/* output_file.c — outputs that never destroy what the user has: links followed, devices written in place, regular files replaced atomically, inputs refused. */
#include "hs_output_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct hs_output_file {
    FILE *stream;
    char *shown;     /* the path as given, or "standard output", for messages */
    char *target;    /* the regular file renamed onto, or NULL */
    char *temporary; /* the temporary file beside it, or NULL */
    int is_stdout;
};

/* The temporary file being written, for hs_output_file_remove_pending. */
static char pending_path[PATH_MAX + 32];
static volatile sig_atomic_t pending;

#define MAX_LINK_HOPS 40

static char *copy_string(const char *text)
{
    size_t n = strlen(text) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, text, n);
    return copy;
}

/* What path names once every symbolic link is followed (the final name may
 * not exist yet); a malloc'd path, or NULL with errno set. */
static char *follow_links(const char *path)
{
    char *current = copy_string(path);
    for (int hop = 0; current; hop++) {
        struct stat st;
        if (lstat(current, &st) != 0 || !S_ISLNK(st.st_mode))
            return current;
        if (hop == MAX_LINK_HOPS) {
            free(current);
            errno = ELOOP;
            return NULL;
        }
        char link[PATH_MAX];
        ssize_t n = readlink(current, link, sizeof link - 1);
        if (n < 0) {
            free(current);
            return NULL;
        }
        link[n] = '\0';
        const char *slash = strrchr(current, '/');
        size_t dir_length = link[0] == '/' || !slash ? 0 : (size_t)(slash - current) + 1;
        char *next = malloc(dir_length + (size_t)n + 1);
        if (next) {
            memcpy(next, current, dir_length);
            memcpy(next + dir_length, link, (size_t)n + 1);
        }
        free(current);
        current = next;
    }
    errno = ENOMEM;
    return NULL;
}

/* Whether the file at path (followed) is the same file as an input. */
static int names_an_input(const struct stat *output, const char *const *inputs, int input_count)
{
    for (int i = 0; i < input_count; i++) {
        struct stat input;
        int found = inputs[i] && (strcmp(inputs[i], "-") ? stat(inputs[i], &input) : fstat(STDIN_FILENO, &input)) == 0;
        if (found && input.st_dev == output->st_dev && input.st_ino == output->st_ino)
            return 1;
    }
    return 0;
}

static void free_file(hs_output_file *file)
{
    if (!file)
        return;
    free(file->shown);
    free(file->target);
    free(file->temporary);
    free(file);
}

static int open_failed(hs_output_file *file, hs_error *err, int code, const char *what, int saved_errno)
{
    hs_error_set(err, code, "%s: %s: %s", file->shown, what, strerror(saved_errno));
    free_file(file);
    return code;
}

int hs_output_file_open(const char *path, const char *const *inputs, int input_count, hs_output_file **out,
                        hs_error *err)
{
    *out = NULL;
    hs_output_file *file = calloc(1, sizeof *file);
    if (!file || !(file->shown = copy_string(path && strcmp(path, "-") ? path : "standard output"))) {
        free(file);
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory opening the output");
    }
    if (!path || !strcmp(path, "-")) {
        struct stat st;
        if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) && names_an_input(&st, inputs, input_count)) {
            free_file(file);
            return hs_error_set(err, HS_ERR_USAGE, "standard output is the input dump: refusing to write over it");
        }
        file->stream = stdout;
        file->is_stdout = 1;
        *out = file;
        return HS_OK;
    }
    char *resolved = follow_links(path);
    if (!resolved)
        return open_failed(file, err, HS_ERR_IO, "cannot follow the link", errno);
    struct stat st;
    int exists = stat(resolved, &st) == 0;
    if (exists && names_an_input(&st, inputs, input_count)) {
        free(resolved);
        hs_error_set(err, HS_ERR_USAGE, "%s: the output is an input dump: refusing to write over it", path);
        free_file(file);
        return HS_ERR_USAGE;
    }
    if (exists && S_ISDIR(st.st_mode)) {
        free(resolved);
        return open_failed(file, err, HS_ERR_IO, "cannot write", EISDIR);
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* A device, FIFO or socket: written in place, never replaced. */
        file->stream = fopen(resolved, "w");
        free(resolved);
        if (!file->stream)
            return open_failed(file, err, HS_ERR_IO, "cannot write", errno);
        *out = file;
        return HS_OK;
    }
    const char *slash = strrchr(resolved, '/');
    size_t dir_length = slash ? (size_t)(slash - resolved) + 1 : 0;
    static const char pattern[] = ".heapspurs-XXXXXX";
    if (dir_length + sizeof pattern > sizeof pending_path) {
        free(resolved);
        return open_failed(file, err, HS_ERR_IO, "cannot write", ENAMETOOLONG);
    }
    file->target = resolved;
    file->temporary = malloc(dir_length + sizeof pattern);
    if (!file->temporary) {
        free_file(file);
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory opening the output");
    }
    memcpy(file->temporary, resolved, dir_length);
    memcpy(file->temporary + dir_length, pattern, sizeof pattern);
    int fd = mkstemp(file->temporary);
    if (fd < 0) {
        free(file->temporary);
        file->temporary = NULL;
        return open_failed(file, err, HS_ERR_IO, "cannot create a temporary file beside it", errno);
    }
    memcpy(pending_path, file->temporary, dir_length + sizeof pattern);
    pending = 1;
    mode_t mode;
    if (exists) {
        mode = st.st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (fchmod(fd, mode) != 0 || !(file->stream = fdopen(fd, "w"))) {
        int saved = errno;
        close(fd);
        hs_output_file_abort(file);
        hs_error_set(err, HS_ERR_IO, "%s: cannot write: %s", path, strerror(saved));
        return HS_ERR_IO;
    }
    *out = file;
    return HS_OK;
}

FILE *hs_output_file_stream(const hs_output_file *file)
{
    return file->stream;
}

int hs_output_file_commit(hs_output_file *file, hs_error *err)
{
    if (!file)
        return HS_OK;
    int status = HS_OK, saved = 0;
    errno = 0;
    if (fflush(file->stream) != 0 || ferror(file->stream))
        saved = errno ? errno : EIO;
    if (!saved && file->temporary && fsync(fileno(file->stream)) != 0 && errno != EINVAL)
        saved = errno;
    if (!file->is_stdout && fclose(file->stream) != 0 && !saved)
        saved = errno ? errno : EIO;
    file->stream = NULL;
    if (saved)
        status = hs_error_set(err, HS_ERR_IO, "%s: write failed: %s", file->shown, strerror(saved));
    if (status == HS_OK && file->temporary && rename(file->temporary, file->target) != 0)
        status = hs_error_set(err, HS_ERR_IO, "%s: cannot replace: %s", file->shown, strerror(errno));
    if (status == HS_OK && file->temporary) {
        pending = 0;
        free(file->temporary);
        file->temporary = NULL;
    }
    hs_output_file_abort(file);
    return status;
}

void hs_output_file_abort(hs_output_file *file)
{
    if (!file)
        return;
    if (file->stream && !file->is_stdout)
        fclose(file->stream);
    if (file->temporary) {
        pending = 0;
        unlink(file->temporary);
    }
    free_file(file);
}

void hs_output_file_remove_pending(void)
{
    if (pending) {
        pending = 0;
        unlink(pending_path);
    }
}
