/* hs_output_file.h — where a report goes: standard output, a device or FIFO written in place, or a regular file replaced atomically; never an input. */
#ifndef HS_OUTPUT_FILE_H
#define HS_OUTPUT_FILE_H

#include <stdio.h>

#include "hs_error.h"

/* An output being written. `stream` is where to write; nothing reaches a
 * regular file's path until hs_output_file_commit renames the finished
 * temporary file onto it, so a failed or killed run leaves what was there. */
typedef struct hs_output_file hs_output_file;

/* Opens path for writing: NULL or "-" is standard output; a symbolic link
 * is followed to what it names (the link stays); a character or block
 * device, a FIFO or a socket is written in place; a regular file (or a
 * path that does not exist yet) gets a temporary file beside it
 * (".heapspurs-XXXXXX" in the same directory, with the existing file's
 * permissions, else 0666 less the umask). Refuses, with HS_ERR_USAGE, a
 * path that names one of the inputs (same device and inode after
 * following links); inputs are paths ("-": standard input), input_count
 * of them. Errors: HS_ERR_IO (cannot create), HS_ERR_NOMEM. *out is NULL
 * on failure. */
int hs_output_file_open(const char *path, const char *const *inputs, int input_count, hs_output_file **out,
                        hs_error *err);

/* The stream to write to. */
FILE *hs_output_file_stream(const hs_output_file *file);

/* Finishes the output: flushes and checks every write (a full disk, a
 * closed descriptor, a broken pipe are errors, HS_ERR_IO, naming the
 * path or "standard output"), syncs a regular file and renames it into
 * place. On failure the temporary file is removed. Frees file (NULL is
 * accepted and succeeds). */
int hs_output_file_commit(hs_output_file *file, hs_error *err);

/* Gives the output up: removes the temporary file, if any, leaving what
 * the path held before. Frees file; accepts NULL. */
void hs_output_file_abort(hs_output_file *file);

/* Removes the temporary file of the output being written, if any. Safe to
 * call from a signal handler (it calls only unlink). */
void hs_output_file_remove_pending(void);

#endif
