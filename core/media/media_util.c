/*
 * media_util.c: error and warning formatting for the media parsers.
 */
#include "media/media_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool media_fail(char *err, size_t errlen, const char *fmt, ...) {
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

void media_warn(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || !errlen) return;
    size_t used = 0;
    while (used < errlen - 1 && err[used]) used++;
    if (used && used + 2 < errlen) {
        memcpy(err + used, "; ", 3);
        used += 2;
    }
    if (used + 1 >= errlen) return; /* full: keep the first warnings */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, errlen - used, fmt, ap);
    va_end(ap);
}
