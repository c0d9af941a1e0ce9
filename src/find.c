/* find.c — compiling and matching --find patterns: a regular expression, or a literal string when it is not one. */
#include "hs_find.h"

#include <stdlib.h>
#include <string.h>

#include "output.h"

int hs_matcher_compile(const char *pattern, hs_matcher **out, hs_error *err)
{
    *out = NULL;
    hs_matcher *matcher = calloc(1, sizeof *matcher);
    if (!matcher || !(matcher->pattern = strdup(pattern))) {
        free(matcher);
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory compiling --find pattern");
    }
    int status = regcomp(&matcher->regex, pattern, REG_EXTENDED | REG_NOSUB);
    if (status == REG_ESPACE) {
        free(matcher->pattern);
        free(matcher);
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory compiling --find pattern '%s'", pattern);
    }
    matcher->literal = status != 0;
    *out = matcher;
    return 0;
}

void hs_matcher_free(hs_matcher *matcher)
{
    if (!matcher)
        return;
    if (!matcher->literal)
        regfree(&matcher->regex);
    free(matcher->pattern);
    free(matcher);
}

int hs_matcher_match(const hs_matcher *matcher, const char *name)
{
    if (!name)
        return 0;
    if (matcher->literal)
        return strstr(name, matcher->pattern) != NULL;
    return regexec(&matcher->regex, name, 0, NULL, 0) == 0;
}

void hs_matcher_write_note(FILE *out, const hs_matcher *matcher)
{
    if (!matcher->literal)
        return;
    fputs("heapspurs: note: '", out);
    hs_write_text(out, (const uint8_t *)matcher->pattern, strlen(matcher->pattern));
    fputs("' is not a valid regular expression; matching it as a literal string\n", out);
}
