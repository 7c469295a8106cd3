/* SPDX-License-Identifier: MIT */
/* The daemon's clock: the system's, plus an offset set at start (--now). */
#include "forum/util/clock.h"

#include <stdatomic.h>
#include <string.h>

static atomic_llong offset;

void forum_clock_set_offset(long long seconds)
{
    atomic_store(&offset, seconds);
}

long long forum_clock_offset(void)
{
    return atomic_load(&offset);
}

time_t forum_clock_now(void)
{
    return time(NULL) + (time_t)atomic_load(&offset);
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool forum_clock_parse(const char *s, time_t *out)
{
    struct tm tm, back;
    int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
    const char *p;
    time_t t;

    if (s == NULL || strlen(s) < 20 || strlen(s) > 40)
        return false;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
        s[16] != ':' || !digits(s + 17, 2, &se))
        return false;
    p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '+' ? 1 : -1;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
            om > 59)
            return false;
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0' || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
        h > 23 || mi > 59 || se > 60)
        return false;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se == 60 ? 59 : se;
    t = timegm(&tm);
    if (gmtime_r(&t, &back) == NULL || back.tm_mday != d || back.tm_mon != mo - 1)
        return false; /* 31 April and the like */
    t -= (time_t)sign * (oh * 3600 + om * 60);
    if (gmtime_r(&t, &back) == NULL || back.tm_year + 1900 > 9999 || back.tm_year < 70)
        return false;
    *out = t;
    return true;
}

void forum_clock_format(time_t t, char *out)
{
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
