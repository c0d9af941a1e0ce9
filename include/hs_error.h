/* hs_error.h — the one error convention of libheapspurs: status codes and a message buffer. */
#ifndef HS_ERROR_H
#define HS_ERROR_H

#include <stddef.h>

/* Every fallible library function returns 0 (HS_OK) or one of these negative
 * codes, and when given a non-NULL hs_error fills its message with one line of
 * context: file, byte offset, record being read, and what was wrong. */
enum hs_status {
    HS_OK = 0,
    HS_ERR_IO = -1,         /* the file could not be opened, mapped or read */
    HS_ERR_FORMAT = -2,     /* the bytes are not a valid heap dump */
    HS_ERR_TRUNCATED = -3,  /* the dump ends before a record or field does */
    HS_ERR_OVERFLOW = -4,   /* a varint does not fit in 64 bits */
    HS_ERR_NOMEM = -5,      /* an allocation failed */
    HS_ERR_NOTFOUND = -6,   /* a queried address or name is not in the dump */
    HS_ERR_USAGE = -7,      /* an argument given to the library is invalid */
    HS_ERR_PROGRAM = -8     /* the program file (ELF) is unreadable or not ELF */
};

#define HS_ERROR_MESSAGE_MAX 1024

typedef struct hs_error {
    int code;                            /* last status recorded, 0 if none */
    char message[HS_ERROR_MESSAGE_MAX];  /* one line, no trailing newline */
} hs_error;

/* Records code and a printf-formatted message in err (err may be NULL).
 * Returns code, so callers can write `return hs_error_set(err, ...)`. */
int hs_error_set(hs_error *err, int code, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefixes err's message with a printf-formatted context ("leak.dump: ").
 * Keeps the code. Does nothing when err is NULL or holds no error. */
void hs_error_prefix(hs_error *err, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

/* A static, human name for a status code. */
const char *hs_strerror(int code);

/* Propagates a negative status from an expression to the caller. */
#define HS_TRY(expr)                 \
    do {                             \
        int hs_try_status_ = (expr); \
        if (hs_try_status_ < 0)      \
            return hs_try_status_;   \
    } while (0)

#endif
