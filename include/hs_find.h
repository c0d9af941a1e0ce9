/* hs_find.h — `--find`: POSIX extended regular expressions over object names. */
#ifndef HS_FIND_H
#define HS_FIND_H

#include <regex.h>

#include "hs_error.h"

typedef struct hs_matcher {
    regex_t regex;
    char *pattern;
} hs_matcher;

/* Compiles pattern (POSIX ERE). A bad pattern fails with HS_ERR_USAGE and a
 * message quoting it and the regex library's reason. Free with hs_matcher_free. */
int hs_matcher_compile(const char *pattern, hs_matcher **out, hs_error *err);

void hs_matcher_free(hs_matcher *matcher);

/* 1 when name (NUL-terminated; NULL never matches) matches. */
int hs_matcher_match(const hs_matcher *matcher, const char *name);

#endif
