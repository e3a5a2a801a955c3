/* Columns of raw field values -> NMEA lines (single-sentence messages), for
 * armswatch.ais.encode_batch. Part of the single compilation unit built from _cais.c. */
#ifndef ARMSWATCH_AIS_ENCODE_H
#define ARMSWATCH_AIS_ENCODE_H
#include <stdint.h>
#include <string.h>

static inline uint8_t armour(int64_t v)
{
    return (uint8_t)(v < 40 ? v + 48 : v + 56);
}

/* Write "*hh" (XOR of out[a:pos]) at pos; returns the position after it. */
static inline int64_t put_checksum(uint8_t *out, int64_t a, int64_t pos)
{
    static const char hex[] = "0123456789ABCDEF";
    uint8_t x = 0;
    for (int64_t j = a; j < pos; j++)
        x ^= out[j];
    out[pos] = '*';
    out[pos + 1] = (uint8_t)hex[x >> 4];
    out[pos + 2] = (uint8_t)hex[x & 15];
    return pos + 3;
}

/* raw: nf x n values (already masked to their widths); one line per column of raw, with
 * a tag block when ts[i] >= 0 (c:) or a source is given (s:). Returns the bytes written,
 * or -1 when out (of cap bytes) would overflow. */
static int64_t write_lines(const int64_t *raw, const int64_t *widths, int64_t nf, int64_t n,
                           int64_t nbits, const uint8_t *prefix, int64_t nprefix,
                           const int64_t *ts, const uint8_t *src, int64_t nsrc, uint8_t *out,
                           int64_t cap)
{
    int64_t nchars = (nbits + 5) / 6, fill = nchars * 6 - nbits, pos = 0;
    int64_t per_line = nprefix + nchars + nsrc + 48;
    for (int64_t i = 0; i < n; i++) {
        if (pos + per_line > cap)
            return -1;
        /* tag block */
        if (ts[i] >= 0 || nsrc > 0) {
            out[pos++] = '\\';
            int64_t tstart = pos;
            if (nsrc > 0) {
                out[pos++] = 's';
                out[pos++] = ':';
                memcpy(out + pos, src, (size_t)nsrc);
                pos += nsrc;
                if (ts[i] >= 0)
                    out[pos++] = ',';
            }
            if (ts[i] >= 0) {
                out[pos++] = 'c';
                out[pos++] = ':';
                int64_t t = ts[i], nd = 1;
                for (int64_t q = t; q >= 10; q /= 10)
                    nd++;
                for (int64_t d = nd - 1; d >= 0; d--) {
                    out[pos + d] = (uint8_t)('0' + t % 10);
                    t /= 10;
                }
                pos += nd;
            }
            pos = put_checksum(out, tstart, pos);
            out[pos++] = '\\';
        }
        /* sentence */
        int64_t start = pos;
        memcpy(out + pos, prefix, (size_t)nprefix);
        pos += nprefix;
        int64_t acc = 0, nacc = 0;
        for (int64_t f = 0; f < nf; f++) {
            int64_t w = widths[f], v = raw[f * n + i];
            while (w > 0) {
                int64_t take = w < 6 - nacc ? w : 6 - nacc;
                acc = (acc << take) | ((v >> (w - take)) & ((INT64_C(1) << take) - 1));
                nacc += take;
                w -= take;
                if (nacc == 6) {
                    out[pos++] = armour(acc);
                    acc = 0;
                    nacc = 0;
                }
            }
        }
        if (nacc > 0)
            out[pos++] = armour(acc << (6 - nacc));
        out[pos++] = ',';
        out[pos++] = (uint8_t)('0' + fill);
        pos = put_checksum(out, start + 1, pos);
        out[pos++] = '\n';
    }
    return pos;
}

#endif
