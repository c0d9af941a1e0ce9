/* hs_find.h — `--find`: a pattern matched against names, as a POSIX extended regular expression or, when it is
 * not one, as a literal string. */
#ifndef HS_FIND_H
#define HS_FIND_H

#include <regex.h>
#include <stdio.h>

#include "hs_error.h"

typedef struct hs_matcher {
    regex_t regex;  /* compiled pattern; unused when literal */
    char *pattern;  /* the pattern as given */
    int literal;    /* 1: the pattern is not a valid ERE and is matched as a substring */
} hs_matcher;

/* Compiles pattern as a POSIX extended regular expression. A pattern that
 * regcomp rejects (e.g. "main.(*hub).subscribe": glibc rejects a '*' right
 * after '(', which POSIX leaves undefined; an unmatched '(' or '[') is not an
 * error: the matcher then matches names containing the pattern as is, and
 * has literal set. Fails only when out of memory. Free with hs_matcher_free. */
int hs_matcher_compile(const char *pattern, hs_matcher **out, hs_error *err);

/* Accepts NULL. */
void hs_matcher_free(hs_matcher *matcher);

/* 1 when name (NUL-terminated; NULL never matches) matches: the regular
 * expression matches somewhere in it, or, literal, it contains the pattern. */
int hs_matcher_match(const hs_matcher *matcher, const char *name);

/* Writes "heapspurs: note: 'PATTERN' is not a valid regular expression;
 * matching it as a literal string" and a newline to out when the matcher is
 * literal; nothing otherwise. */
void hs_matcher_write_note(FILE *out, const hs_matcher *matcher);

#endif
