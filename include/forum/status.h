/* SPDX-License-Identifier: MIT */
/*
 * The status codes and the error detail shared by every forumd module.
 * Zero means success, as in SQLite, curl and libuv.
 */
#ifndef FORUM_STATUS_H
#define FORUM_STATUS_H

enum forum_status {
    FORUM_OK = 0,
    FORUM_ENOMEM,     /* an allocation failed */
    FORUM_EINVAL,     /* the input is malformed or out of range */
    FORUM_ENOTFOUND,  /* the object named does not exist */
    FORUM_ECONFLICT,  /* the change conflicts with the current state */
    FORUM_EFORBIDDEN, /* the caller lacks the right */
    FORUM_ESTORE,     /* the database failed (I/O, full, locked) */
    FORUM_EINTERNAL,  /* a bug or an unexpected condition */
};

/* The longest message a struct forum_error holds, terminator included. */
#define FORUM_ERROR_MSG_MAX 200
/* The longest field name a struct forum_error holds, terminator included. */
#define FORUM_ERROR_FIELD_MAX 64

/*
 * The detail of a failure, like jansson's json_error_t: a fixed buffer, so
 * nothing is allocated on the error path. The first error set wins.
 */
struct forum_error {
    enum forum_status code;            /* FORUM_OK while no error is set */
    char field[FORUM_ERROR_FIELD_MAX]; /* the offending field, "" if none */
    char msg[FORUM_ERROR_MSG_MAX];     /* one human sentence */
};

/* Returns a static, lower-case name for rc ("ok", "enomem", ...). */
const char *forum_status_str(enum forum_status rc);

/* Resets err to "no error". err may be NULL. */
void forum_error_clear(struct forum_error *err);

/*
 * Records code, field (may be NULL) and a printf-style message in err
 * unless an error is already recorded there. err may be NULL. Returns code,
 * so that `return forum_error_set(err, FORUM_EINVAL, "x", "...")` reads well.
 */
enum forum_status forum_error_set(struct forum_error *err, enum forum_status code,
                                  const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif /* FORUM_STATUS_H */
