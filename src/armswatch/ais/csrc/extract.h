/* Framed messages -> typed column buffers of the positions, statics and other tables.
 * The per-layout field code is generated (gen.h); this file walks the messages, writes
 * the columns every table takes from the framing, and derives the few computed columns.
 * Part of the single compilation unit built from _cais.c. */
#ifndef ARMSWATCH_AIS_EXTRACT_H
#define ARMSWATCH_AIS_EXTRACT_H
#include "gen.h"
#include "timeparse.h"
#include "frame.h"

typedef struct { /* columns taken from the framed message (rows: COM64_*, COM32_*, COM8_*) */
    int64_t *i64;
    int32_t *i32;
    int8_t *i8;
} Common;

typedef struct { /* decoded slots (rows: see the POS_ / STA_ plan in gen.h) */
    double *f64;
    float *f32;
    int32_t *i32;
    int16_t *i16;
    int8_t *i8;
    uint8_t *valid; /* one row per slot, zeroed by the caller */
} Slots;

static inline void put_common(const Msg *m, int64_t ts, int64_t tssrc, int64_t r, int64_t n,
                              Common *c)
{
    c->i64[COM64_TS * n + r] = ts;
    c->i64[COM64_LINE * n + r] = m->line;
    c->i32[COM32_SRC * n + r] = m->src;
    c->i8[COM8_TSSRC * n + r] = (int8_t)tssrc;
    c->i8[COM8_OWN * n + r] = m->own;
    c->i8[COM8_CSOK * n + r] = m->csok;
    c->i8[COM8_TYPE * n + r] = m->type;
}

/* Rows of the positions table; base stations without a reception time take their own
 * clock. Returns the rows written (at most n). */
static int64_t extract_positions(const uint8_t *pbuf, const Msg *msgs, int64_t nm, int64_t n,
                                 Common *c, Slots *o)
{
    int64_t r = 0, parts[6];
    for (int64_t i = 0; i < nm && r < n; i++) {
        const Msg *m = &msgs[i];
        if (!(m->cat & CAT_POSITION))
            continue;
        const uint8_t *p = pbuf + m->off;
        position_fields(p, m->nbits, m->lid, r, n, o->f64, o->f32, o->i32, o->i16, o->i8,
                        o->valid);
        int64_t ts = m->ts, tssrc = m->tssrc;
        if (ts == NO_TS && station_parts(p, m->nbits, m->lid, parts)) {
            int64_t t = civil_us(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], 0);
            if (t != NO_TS) {
                ts = t;
                tssrc = TS_MESSAGE;
            }
        }
        put_common(m, ts, tssrc, r, n, c);
        r++;
    }
    return r;
}

/* 6-bit text of nc characters (-1: every whole character to the end of the payload; a
 * short payload gives the characters that fit) from bit st, cut at the first '@' and
 * stripped of spaces, written at data[pos] (never past cap). Returns the end. */
static int64_t put_text(const uint8_t *p, int64_t nb, int64_t st, int64_t nc, uint8_t *data,
                        int64_t pos, int64_t cap, int *overflow)
{
    if (nc < 0 || (nc > 0 && st + 6 * nc > nb))
        nc = nb - st > 0 ? (nb - st) / 6 : 0;
    int64_t begin = pos;
    for (int64_t k = 0; k < nc; k++) {
        int64_t v = getbits(p, st + 6 * k, 6);
        if (v == 0) /* '@': padding starts */
            break;
        if (pos >= cap) {
            *overflow = 1;
            break;
        }
        data[pos++] = (uint8_t)(v < 32 ? v + 64 : v);
    }
    while (pos > begin && data[pos - 1] == ' ')
        pos--;
    int64_t lead = begin;
    while (lead < pos && data[lead] == ' ')
        lead++;
    if (lead > begin) {
        memmove(data + begin, data + lead, (size_t)(pos - lead));
        pos = begin + (pos - lead);
    }
    return pos;
}

typedef struct { /* string columns of statics (SC_*): data[base[s]:base[s+1]] */
    uint8_t *data;
    const int64_t *base;  /* N_STRING_COLUMNS + 1 */
    int32_t *offsets;     /* N_STRING_COLUMNS x (n + 1), relative to base[s] */
    uint8_t *valid;       /* N_STRING_COLUMNS x n */
    int overflow;
} Strings;

static inline int64_t span_slot(Slots *o, int64_t n, int64_t r, int a, int ra, int b, int rb,
                                int out, int rout)
{
    if (!(o->valid[a * n + r] && o->valid[b * n + r]))
        return 0;
    int64_t total = (int64_t)o->i16[ra * n + r] + o->i16[rb * n + r];
    if (total == 0)
        return 0;
    o->valid[out * n + r] = 1;
    o->i16[rout * n + r] = (int16_t)total;
    return 1;
}

static void eta_string(Slots *o, Strings *s, int64_t n, int64_t r, int64_t *pos)
{
    int slots[4] = {STA_SLOT_ETA_MONTH, STA_SLOT_ETA_DAY, STA_SLOT_ETA_HOUR, STA_SLOT_ETA_MINUTE};
    int rows[4] = {STA_ROW_ETA_MONTH, STA_ROW_ETA_DAY, STA_ROW_ETA_HOUR, STA_ROW_ETA_MINUTE};
    static const uint8_t sep[4] = {'-', 'T', ':', 0};
    for (int k = 0; k < 4; k++)
        if (!o->valid[slots[k] * n + r])
            return;
    if (*pos + 11 > s->base[SC_ETA + 1] - s->base[SC_ETA]) {
        s->overflow = 1;
        return;
    }
    uint8_t *d = s->data + s->base[SC_ETA];
    for (int k = 0; k < 4; k++) {
        int v = o->i8[rows[k] * n + r];
        d[(*pos)++] = (uint8_t)('0' + v / 10);
        d[(*pos)++] = (uint8_t)('0' + v % 10);
        if (sep[k])
            d[(*pos)++] = sep[k];
    }
    s->valid[SC_ETA * n + r] = 1;
}

/* Rows of the statics table. Returns the rows written (at most n). */
static int64_t extract_statics(const uint8_t *pbuf, const Msg *msgs, int64_t nm, int64_t n,
                               Common *c, Slots *o, Strings *s)
{
    int64_t r = 0, tstart[N_TEXT_FIELDS], tchars[N_TEXT_FIELDS], pos[N_STRING_COLUMNS];
    /* the text fields written to each string column (name gets name_ext appended) */
    static const int text_col[N_TEXT_FIELDS] = {SC_NAME, SC_CALLSIGN, SC_DESTINATION,
                                                SC_VENDOR_ID, SC_NAME};
    for (int k = 0; k < N_STRING_COLUMNS; k++) {
        pos[k] = 0;
        s->offsets[k * (n + 1)] = 0;
    }
    for (int64_t i = 0; i < nm && r < n; i++) {
        const Msg *m = &msgs[i];
        if (!(m->cat & CAT_STATIC))
            continue;
        const uint8_t *p = pbuf + m->off;
        static_fields(p, m->nbits, m->lid, r, n, o->f64, o->f32, o->i32, o->i16, o->i8, o->valid);
        span_slot(o, n, r, STA_SLOT_TO_BOW_M, STA_ROW_TO_BOW_M, STA_SLOT_TO_STERN_M,
                  STA_ROW_TO_STERN_M, STA_SLOT_LENGTH_M, STA_ROW_LENGTH_M);
        span_slot(o, n, r, STA_SLOT_TO_PORT_M, STA_ROW_TO_PORT_M, STA_SLOT_TO_STARBOARD_M,
                  STA_ROW_TO_STARBOARD_M, STA_SLOT_WIDTH_M, STA_ROW_WIDTH_M);
        text_fields(m->lid, tstart, tchars);
        int64_t begin[N_STRING_COLUMNS];
        for (int k = 0; k < N_STRING_COLUMNS; k++)
            begin[k] = pos[k];
        for (int t = 0; t < N_TEXT_FIELDS; t++) {
            int col = text_col[t];
            if (tchars[t] == 0)
                continue;
            int64_t cap = s->base[col + 1] - s->base[col];
            pos[col] = put_text(p, m->nbits, tstart[t], tchars[t], s->data + s->base[col],
                                pos[col], cap, &s->overflow);
        }
        eta_string(o, s, n, r, &pos[SC_ETA]);
        for (int k = 0; k < N_STRING_COLUMNS; k++) {
            if (k != SC_ETA)
                s->valid[k * n + r] = pos[k] > begin[k];
            s->offsets[k * (n + 1) + r + 1] = (int32_t)pos[k];
        }
        put_common(m, m->ts, m->tssrc, r, n, c);
        r++;
    }
    return r;
}

/* Rows of the other table: MMSI and repeat indicator (when the payload holds them), fill
 * bits and the payload re-armoured. Returns the rows written (at most n). */
static int64_t extract_other(const uint8_t *pbuf, const Msg *msgs, int64_t nm, int64_t n,
                             Common *c, int32_t *mmsi, int8_t *repeat, int8_t *fill,
                             uint8_t *valid, uint8_t *data, int64_t cap, int32_t *offsets,
                             int *overflow)
{
    int64_t r = 0, pos = 0;
    offsets[0] = 0;
    for (int64_t i = 0; i < nm && r < n; i++) {
        const Msg *m = &msgs[i];
        if (m->cat != 0)
            continue;
        const uint8_t *p = pbuf + m->off;
        if (m->nbits >= 8) {
            valid[n + r] = 1;
            repeat[r] = (int8_t)getbits(p, 6, 2);
        }
        if (m->nbits >= 38) {
            valid[r] = 1;
            mmsi[r] = (int32_t)getbits(p, 8, 30);
        }
        fill[r] = m->fill;
        if (pos + m->len > cap) {
            *overflow = 1;
            break;
        }
        for (int64_t k = 0; k < m->len; k++) {
            uint8_t v = p[k];
            data[pos++] = (uint8_t)(v < 40 ? v + 48 : v + 56);
        }
        offsets[r + 1] = (int32_t)pos;
        put_common(m, m->ts, m->tssrc, r, n, c);
        r++;
    }
    return r;
}

#endif
