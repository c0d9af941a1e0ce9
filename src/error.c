/* error.c — status codes and context-carrying error messages. */
#include "hs_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int hs_error_set(hs_error *err, int code, const char *format, ...)
{
    if (err) {
        va_list args;
        va_start(args, format);
        vsnprintf(err->message, sizeof err->message, format, args);
        va_end(args);
        err->code = code;
    }
    return code;
}

void hs_error_prefix(hs_error *err, const char *format, ...)
{
    if (!err || err->code == 0)
        return;
    char prefix[HS_ERROR_MESSAGE_MAX];
    va_list args;
    va_start(args, format);
    vsnprintf(prefix, sizeof prefix, format, args);
    va_end(args);
    char joined[HS_ERROR_MESSAGE_MAX];
    snprintf(joined, sizeof joined, "%.500s%.500s", prefix, err->message);
    memcpy(err->message, joined, sizeof joined);
}

const char *hs_strerror(int code)
{
    switch (code) {
    case HS_OK: return "success";
    case HS_ERR_IO: return "input/output error";
    case HS_ERR_FORMAT: return "not a valid heap dump";
    case HS_ERR_TRUNCATED: return "truncated heap dump";
    case HS_ERR_OVERFLOW: return "varint overflows 64 bits";
    case HS_ERR_NOMEM: return "out of memory";
    case HS_ERR_NOTFOUND: return "not found";
    case HS_ERR_USAGE: return "invalid argument";
    case HS_ERR_PROGRAM: return "unreadable program file";
    default: return "unknown error";
    }
}
