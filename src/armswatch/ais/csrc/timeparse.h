/* Times out of NMEA log lines: tag block c:, $PGHP headers, Unix epochs, ISO 8601.
 * Part of the single compilation unit built from _cais.c. */
#ifndef ARMSWATCH_AIS_TIMEPARSE_H
#define ARMSWATCH_AIS_TIMEPARSE_H
#include <stdint.h>
#include "gen.h"

#define US_PER_S 1000000LL
#define MS_THRESHOLD 100000000000LL /* epoch values >= 1e11 are milliseconds (13 digits) */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm);
 * callers pass years >= 1900, so every division here is of non-negative numbers. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* UTC microseconds of a civil time; NO_TS when a part is out of range. */
static int64_t civil_us(int64_t y, int64_t mo, int64_t d, int64_t h, int64_t mi, int64_t s,
                        int64_t us)
{
    if (!(1 <= mo && mo <= 12 && 1 <= d && d <= 31 && 0 <= h && h <= 23 && 0 <= mi && mi <= 59
          && 0 <= s && s <= 60))
        return NO_TS;
    if (!(1900 <= y && y <= 2200))
        return NO_TS;
    int64_t days = days_from_civil(y, mo, d);
    return (((days * 24 + h) * 60 + mi) * 60 + s) * US_PER_S + us;
}

/* Unix time in buf[a:b]: digits with an optional fraction; seconds, or milliseconds when
 * the integer part is 1e11 or more. NO_TS when it is not such a number. Overflowing
 * digit strings wrap (two's complement), as they did in the original numba kernels. */
static int64_t parse_epoch(const uint8_t *buf, int64_t a, int64_t b)
{
    if (b <= a || b - a > 24)
        return NO_TS;
    uint64_t ip = 0;
    int64_t nint = 0, i = a;
    while (i < b && buf[i] >= '0' && buf[i] <= '9') {
        ip = ip * 10u + (uint64_t)(buf[i] - '0');
        nint++;
        i++;
    }
    if (nint == 0)
        return NO_TS;
    int64_t frac = 0, scale = 1;
    if (i < b && buf[i] == '.') {
        i++;
        while (i < b && buf[i] >= '0' && buf[i] <= '9') {
            if (scale < US_PER_S) {
                frac = frac * 10 + (buf[i] - '0');
                scale *= 10;
            }
            i++;
        }
    }
    if (i != b)
        return NO_TS;
    int64_t sip = (int64_t)ip;
    if (sip >= MS_THRESHOLD)
        return (int64_t)((uint64_t)sip * 1000u) + (frac * 1000) / scale;
    return (int64_t)((uint64_t)sip * (uint64_t)US_PER_S) + (frac * US_PER_S) / scale;
}

/* Digits in buf[a:b] as an int, -1 when empty, longer than 9 or not all digits. */
static int64_t int_field(const uint8_t *buf, int64_t a, int64_t b)
{
    if (b <= a || b - a > 9)
        return -1;
    int64_t v = 0;
    for (int64_t i = a; i < b; i++) {
        uint8_t c = buf[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

/* Time of a Gatehouse "$PGHP,1,yyyy,m,d,h,mi,s,ms,...*hh" line (buf[a] is '$'). */
static int64_t parse_pghp(const uint8_t *buf, int64_t a, int64_t b)
{
    /* fields after "$PGHP,": 0 = message kind (1 = time header), 1..7 = y m d h mi s ms */
    int64_t vals[8];
    for (int k = 0; k < 8; k++)
        vals[k] = -1;
    int k = 0;
    int64_t i = a + 6, start = i;
    while (i <= b && k < 8) {
        if (i == b || buf[i] == ',' || buf[i] == '*') {
            vals[k] = int_field(buf, start, i);
            k++;
            start = i + 1;
            if (i == b || buf[i] == '*')
                break;
        }
        i++;
    }
    if (k < 8 || vals[0] != 1)
        return NO_TS;
    int64_t ms = (vals[7] >= 0 && vals[7] <= 999) ? vals[7] : 0;
    return civil_us(vals[1], vals[2], vals[3], vals[4], vals[5], vals[6], ms * 1000);
}

static int64_t fixed_digits(const uint8_t *buf, int64_t i, int64_t n, int64_t b)
{
    if (i + n > b)
        return -1;
    return int_field(buf, i, i + n);
}

/* A receiver timestamp written before the sentence: Unix epoch (s or ms, optional
 * fraction) or ISO 8601 "YYYY-MM-DD[T ]HH:MM:SS[.fff][Z]", surrounded by separators. */
static int64_t parse_prefix(const uint8_t *buf, int64_t a, int64_t b)
{
    while (a < b && (buf[a] == ' ' || buf[a] == '\t' || buf[a] == '[' || buf[a] == '('
                     || buf[a] == '<'))
        a++;
    while (b > a) {
        uint8_t c = buf[b - 1];
        if (c == ' ' || c == '\t' || c == ',' || c == ';' || c == ':' || c == '|' || c == ']'
            || c == ')' || c == '>' || c == '=')
            b--;
        else
            break;
    }
    if (b <= a)
        return NO_TS;
    int64_t ts = parse_epoch(buf, a, b);
    if (ts != NO_TS)
        return ts;
    if (b - a < 19)
        return NO_TS;
    int64_t y = fixed_digits(buf, a, 4, b), mo = fixed_digits(buf, a + 5, 2, b);
    int64_t d = fixed_digits(buf, a + 8, 2, b), h = fixed_digits(buf, a + 11, 2, b);
    int64_t mi = fixed_digits(buf, a + 14, 2, b), s = fixed_digits(buf, a + 17, 2, b);
    if (buf[a + 4] != '-' || buf[a + 7] != '-' || buf[a + 13] != ':' || buf[a + 16] != ':')
        return NO_TS;
    if (buf[a + 10] != 'T' && buf[a + 10] != ' ')
        return NO_TS;
    int64_t i = a + 19, us = 0;
    if (i < b && buf[i] == '.') {
        i++;
        int64_t scale = US_PER_S;
        while (i < b && buf[i] >= '0' && buf[i] <= '9') {
            scale /= 10;
            us += (buf[i] - '0') * scale;
            i++;
        }
    }
    if (i < b && buf[i] == 'Z')
        i++;
    if (i != b)
        return NO_TS;
    return civil_us(y, mo, d, h, mi, s, us);
}

#endif
