/*
 * media_util.c: error and warning formatting for the media parsers, and
 * the snapshot models' names.
 */
#include "media/media_util.h"
#include "media/snapshot.h"

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

const char *snap_model_name(unsigned model) {
    static const char *const names[SNAP_MODEL_COUNT] = {"48K", "128K", "+2", "+2A", "+3", "Pentagon 128"};
    return model < SNAP_MODEL_COUNT ? names[model] : "unknown model";
}
