/* find.c — compiling and matching --find patterns. */
#include "hs_find.h"

#include <stdlib.h>
#include <string.h>

int hs_matcher_compile(const char *pattern, hs_matcher **out, hs_error *err)
{
    *out = NULL;
    hs_matcher *matcher = calloc(1, sizeof *matcher);
    if (!matcher || !(matcher->pattern = strdup(pattern))) {
        free(matcher);
        return hs_error_set(err, HS_ERR_NOMEM, "out of memory compiling --find pattern");
    }
    int status = regcomp(&matcher->regex, pattern, REG_EXTENDED | REG_NOSUB);
    if (status != 0) {
        char reason[256];
        regerror(status, &matcher->regex, reason, sizeof reason);
        free(matcher->pattern);
        free(matcher);
        return hs_error_set(err, HS_ERR_USAGE, "bad --find regular expression '%s': %s", pattern, reason);
    }
    *out = matcher;
    return 0;
}

void hs_matcher_free(hs_matcher *matcher)
{
    if (!matcher)
        return;
    regfree(&matcher->regex);
    free(matcher->pattern);
    free(matcher);
}

int hs_matcher_match(const hs_matcher *matcher, const char *name)
{
    return name && regexec(&matcher->regex, name, 0, NULL, 0) == 0;
}
