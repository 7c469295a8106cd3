/* SPDX-License-Identifier: MIT */
/* Names of the shared status codes and the fixed-buffer error detail. */
#include "forum/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *forum_status_str(enum forum_status rc)
{
    switch (rc) {
    case FORUM_OK:
        return "ok";
    case FORUM_ENOMEM:
        return "enomem";
    case FORUM_EINVAL:
        return "einval";
    case FORUM_ENOTFOUND:
        return "enotfound";
    case FORUM_ECONFLICT:
        return "econflict";
    case FORUM_EFORBIDDEN:
        return "eforbidden";
    case FORUM_ESTORE:
        return "estore";
    case FORUM_EINTERNAL:
        return "einternal";
    }
    return "unknown";
}

void forum_error_clear(struct forum_error *err)
{
    if (err == NULL)
        return;
    err->code = FORUM_OK;
    err->field[0] = '\0';
    err->msg[0] = '\0';
}

enum forum_status forum_error_set(struct forum_error *err, enum forum_status code,
                                  const char *field, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err->code != FORUM_OK)
        return code;
    err->code = code;
    snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}
