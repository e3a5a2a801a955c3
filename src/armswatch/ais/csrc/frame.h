/* NMEA framing: lines -> complete AIS messages as 6-bit values (see armswatch/ais/_frame.py
 * for what is counted and emitted). Part of the single compilation unit built from _cais.c.
 *
 * Memory safety: before a line is read, the framer checks that the message table, the
 * payload buffer and the source table can take everything that line could produce (a
 * sentence is at least 18 bytes; a completed multi-part message at most
 * MAX_PARTS * PART_CHARS values); if not it stops before the line and says why. */
#ifndef ARMSWATCH_AIS_FRAME_H
#define ARMSWATCH_AIS_FRAME_H
#include <string.h>
#include "gen.h"
#include "timeparse.h"

#define MIN_SENTENCE 16 /* fewer bytes than any sentence that yields a message */

typedef struct {
    /* input */
    const uint8_t *buf;
    int64_t start, end;
    int final, keep_bad;
    int64_t max_lines, max_line_len, window;
    int32_t default_src; /* source of messages without a tag-block s: */
    /* per-input state */
    int64_t *st;        /* N_STATE */
    int64_t *slots;     /* nslots x SLOT_WORDS */
    uint8_t *slot_data; /* nslots x MAX_PARTS x PART_CHARS */
    int64_t nslots;
    /* per-chunk outputs */
    int64_t *cnt; /* N_COUNTERS */
    uint8_t *pbuf;
    int64_t pcap, pu; /* payload buffer capacity, bytes used */
    Msg *msgs;
    int64_t mcap, nm;
    /* source table (interned tag-block s: values), shared by the inputs of a batch */
    int64_t *nsrc;
    int64_t *tab_hash, *tab_idx;
    int64_t tab_size;
    int64_t *new_off, *new_len; /* new sources found in this call */
    int64_t new_cap, nnew;
} Framer;

static inline int hexval(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static inline int64_t find_byte(const uint8_t *buf, int64_t a, int64_t b, uint8_t ch)
{
    if (a >= b)
        return b;
    const uint8_t *p = memchr(buf + a, ch, (size_t)(b - a));
    return p ? (int64_t)(p - buf) : b;
}

static inline uint8_t xor_range(const uint8_t *buf, int64_t a, int64_t b)
{
    uint8_t x = 0;
    for (int64_t i = a; i < b; i++)
        x ^= buf[i];
    return x;
}

/* Index of the source string buf[a:b] (FNV-1a hash, open addressing). */
static int64_t source_index(Framer *f, int64_t a, int64_t b)
{
    uint64_t h = 14695981039346656037ULL;
    for (int64_t i = a; i < b; i++)
        h = (h ^ (uint64_t)f->buf[i]) * 1099511628211ULL;
    int64_t hv = (int64_t)(h & 0x7FFFFFFFFFFFFFFFULL) | 1; /* never 0 (= empty slot) */
    int64_t mask = f->tab_size - 1;
    int64_t j = hv & mask;
    for (;;) {
        if (f->tab_hash[j] == hv)
            return f->tab_idx[j];
        if (f->tab_hash[j] == 0) {
            int64_t idx = (*f->nsrc)++;
            f->tab_hash[j] = hv;
            f->tab_idx[j] = idx;
            f->new_off[f->nnew] = a;
            f->new_len[f->nnew] = b - a;
            f->nnew++;
            return idx;
        }
        j = (j + 1) & mask;
    }
}

/* Tag block contents buf[a:b] (between the backslashes) into
 * out = [c time, s start, s end, g part, g total, g id, checksum ok]. */
static void parse_tag(const uint8_t *buf, int64_t a, int64_t b, int64_t *out)
{
    out[0] = NO_TS;
    for (int k = 1; k < 6; k++)
        out[k] = -1;
    int64_t star = b;
    uint8_t x = 0;
    for (int64_t i = a; i < b; i++) {
        if (buf[i] == '*') {
            star = i;
            break;
        }
        x ^= buf[i];
    }
    int ok = 0;
    if (star < b) {
        int64_t v = 0;
        int nd = 0;
        for (int64_t i = star + 1; i < b; i++) {
            int h = hexval(buf[i]);
            if (h < 0 || nd == 2) {
                nd = 3;
                break;
            }
            v = v * 16 + h;
            nd++;
        }
        ok = (nd == 1 || nd == 2) && v == x;
    }
    out[6] = ok;
    int64_t i = a;
    while (i < star) {
        int64_t j = i;
        while (j < star && buf[j] != ',')
            j++;
        if (j - i >= 2 && buf[i + 1] == ':') { /* item buf[i:j] like "c:1234" */
            uint8_t key = buf[i];
            if (key == 'c' || key == 'C') {
                out[0] = parse_epoch(buf, i + 2, j);
            } else if (key == 's') {
                out[1] = i + 2;
                out[2] = j;
            } else if (key == 'g' || key == 'G') { /* part-total-id */
                int64_t k1 = i + 2;
                while (k1 < j && buf[k1] != '-')
                    k1++;
                int64_t k2 = k1 + 1;
                while (k2 < j && buf[k2] != '-')
                    k2++;
                if (k2 < j) {
                    out[3] = int_field(buf, i + 2, k1);
                    out[4] = int_field(buf, k1 + 1, k2);
                    out[5] = int_field(buf, k2 + 1, j);
                }
            }
        }
        i = j + 1;
    }
}

static inline int64_t getbits(const uint8_t *p, int64_t start, int64_t width)
{
    int64_t c0 = start / 6, c1 = (start + width - 1) / 6, acc = 0;
    for (int64_t c = c0; c <= c1; c++)
        acc = (acc << 6) | p[c];
    int64_t shift = (c1 - c0 + 1) * 6 - (start - c0 * 6) - width;
    return (acc >> shift) & ((INT64_C(1) << width) - 1);
}

/* Append a complete message (payload already at pbuf[off:off+n6]) with its type, layout
 * and the tables it feeds. */
static void emit(Framer *f, int64_t off, int64_t n6, int64_t fill, int64_t ts, int64_t tssrc,
                 int64_t src, int64_t line, int64_t csok, int64_t own)
{
    Msg *m = &f->msgs[f->nm++];
    const uint8_t *p = f->pbuf + off;
    int64_t nb = 6 * n6 - fill;
    int t = p[0];
    int lid = -1;
    if (nb >= 38) {
        if (t == 24) {
            if (nb >= 40) {
                int64_t part = getbits(p, 38, 2);
                if (part == 0) {
                    lid = LID_24A;
                } else if (part == 1) {
                    int64_t mmsi = getbits(p, 8, 30);
                    lid = (mmsi >= 980000000 && mmsi <= 989999999) ? LID_24B_AUX : LID_24B;
                }
            }
        } else {
            lid = TYPE_LID[t];
        }
    }
    m->ts = ts;
    m->line = line;
    m->off = off;
    m->len = (int32_t)n6;
    m->src = (int32_t)(src >= 0 ? src : f->default_src);
    m->nbits = (int32_t)nb;
    m->fill = (int8_t)fill;
    m->tssrc = (int8_t)tssrc;
    m->csok = (int8_t)csok;
    m->own = (int8_t)own;
    m->type = (int8_t)t;
    m->lid = (int8_t)lid;
    m->cat = (int8_t)(lid >= 0 ? LID_CAT[lid] : 0);
    f->cnt[C_MESSAGES]++;
    f->cnt[C_VDO] += own;
    if (nb < 38)
        f->cnt[C_NO_MMSI]++;
    if (lid >= 0 && nb < LID_MIN_BITS[lid])
        f->cnt[C_TOO_SHORT]++;
}

#define SLOT(s) (f->slots + (s) * SLOT_WORDS)
#define SL_KEY 0
#define SL_FIRST 1
#define SL_HAVE 2
#define SL_TOTAL 3
#define SL_PLEN 4
#define SL_META (4 + MAX_PARTS)

static inline void drop_slot(Framer *f, int64_t s)
{
    f->cnt[C_INCOMPLETE]++;
    f->cnt[C_INCOMPLETE_FRAGMENTS] += SLOT(s)[SL_META + SM_NFRAG];
    SLOT(s)[SL_HAVE] = 0;
}

/* One fragment of a multi-part message, its payload values already at pbuf[po:po+plen]. */
static void fragment(Framer *f, int64_t po, int64_t plen, int64_t total, int64_t num,
                     int64_t seq, int64_t chan, int64_t g_id, int64_t fill, int64_t ts,
                     int64_t tssrc, int64_t src, int64_t line_no, int64_t csok, int64_t own)
{
    int64_t sno = f->st[S_SENTENCE_NO];
    f->cnt[C_FRAGMENTS]++;
    int64_t key;
    if (g_id >= 0)
        key = (INT64_C(1) << 62) | (g_id << 8) | total;
    else
        key = ((src + 1) << 24) | ((seq + 1) << 16) | (chan << 8) | total;
    int64_t slot = -1, free_s = -1, oldest = -1;
    for (int64_t s = 0; s < f->nslots; s++) {
        int64_t *sl = SLOT(s);
        if (sl[SL_HAVE] != 0 && sno - sl[SL_FIRST] > f->window)
            drop_slot(f, s);
        if (sl[SL_HAVE] == 0) {
            if (free_s < 0)
                free_s = s;
        } else if (sl[SL_KEY] == key) {
            slot = s;
        } else if (oldest < 0 || sl[SL_FIRST] < SLOT(oldest)[SL_FIRST]) {
            oldest = s;
        }
    }
    int64_t bit = INT64_C(1) << (num - 1);
    if (slot >= 0 && (SLOT(slot)[SL_HAVE] & bit) != 0) {
        /* this part again: the pending message lost its other parts */
        f->cnt[C_DUP_FRAGMENT]++;
        drop_slot(f, slot);
        free_s = slot;
        slot = -1;
    }
    if (slot < 0) {
        if (free_s < 0) {
            drop_slot(f, oldest);
            free_s = oldest;
        }
        slot = free_s;
        int64_t *sl = SLOT(slot);
        sl[SL_KEY] = key;
        sl[SL_FIRST] = sno;
        sl[SL_TOTAL] = total;
        int64_t *mt = sl + SL_META;
        mt[SM_TS] = NO_TS;
        mt[SM_TSSRC] = 0;
        mt[SM_SRC] = -1;
        mt[SM_LINE] = line_no;
        mt[SM_CSOK] = 1;
        mt[SM_OWN] = own;
        mt[SM_NFRAG] = 0;
    }
    int64_t *sl = SLOT(slot);
    int64_t *mt = sl + SL_META;
    uint8_t *data = f->slot_data + slot * (MAX_PARTS * PART_CHARS);
    sl[SL_HAVE] |= bit;
    mt[SM_NFRAG]++;
    sl[SL_PLEN + num - 1] = plen;
    memcpy(data + (num - 1) * PART_CHARS, f->pbuf + po, (size_t)plen);
    if (num == total)
        mt[SM_FILL] = fill;
    if (ts != NO_TS && (num == 1 || mt[SM_TS] == NO_TS)) {
        mt[SM_TS] = ts;
        mt[SM_TSSRC] = tssrc;
    }
    if (src >= 0 && (num == 1 || mt[SM_SRC] < 0))
        mt[SM_SRC] = src;
    if (num == 1)
        mt[SM_LINE] = line_no;
    if (csok == 0)
        mt[SM_CSOK] = 0;
    if (sl[SL_HAVE] != (INT64_C(1) << total) - 1)
        return;
    int64_t n6 = 0;
    for (int64_t j = 0; j < total; j++) {
        int64_t ln = sl[SL_PLEN + j];
        memcpy(f->pbuf + po + n6, data + j * PART_CHARS, (size_t)ln);
        n6 += ln;
    }
    sl[SL_HAVE] = 0;
    if (6 * n6 - mt[SM_FILL] < 6) {
        f->cnt[C_EMPTY_PAYLOAD]++;
        return;
    }
    emit(f, po, n6, mt[SM_FILL], mt[SM_TS], mt[SM_TSSRC], mt[SM_SRC], mt[SM_LINE],
         mt[SM_CSOK], mt[SM_OWN]);
    f->pu = po + n6;
}

/* The last tag block parsed: consecutive lines often carry the very same block, whose
 * parse is then reused. */
typedef struct {
    int64_t start, len, src; /* content offset and length in buf, its source index */
    int64_t tag[7];          /* see parse_tag */
} TagCache;

/* The sentences (and tag blocks, $PGHP headers) of the line buf[a:b]. */
static void frame_line(Framer *f, int64_t a, int64_t b, int64_t line_no, TagCache *tc)
{
    const uint8_t *buf = f->buf;
    int64_t *tag = tc->tag;
    int64_t fs[6], fe[6];
    int64_t p = a;
    int first = 1;
    while (p < b) {
        int64_t q = p;
        /* find the sentence start, reading tag blocks on the way; a backslash that does
         * not open a well-formed "\...*hh\" block is junk and skipped */
        int64_t tag_ts = NO_TS, src = -1, g_id = -1, prefix_end = -1;
        int had_tag = 0;
        for (;;) {
            while (q < b && buf[q] != '\\' && buf[q] != '!' && buf[q] != '$')
                q++;
            if (prefix_end < 0)
                prefix_end = q;
            if (q == b || buf[q] != '\\')
                break;
            int64_t plen = tc->len, r;
            int same = plen > 0 && q + 1 + plen < b && buf[q + 1 + plen] == '\\'
                       && memcmp(buf + q + 1, buf + tc->start, (size_t)plen) == 0;
            if (same) {
                r = q + 1 + plen;
            } else {
                r = q + 1;
                int has_star = 0;
                while (r < b && buf[r] != '\\') {
                    if (buf[r] == '*')
                        has_star = 1;
                    r++;
                }
                if (r == b || !has_star) {
                    q++;
                    continue;
                }
                parse_tag(buf, q + 1, r, tag);
                tc->src = tag[1] >= 0 ? source_index(f, tag[1], tag[2]) : -1;
                tc->start = q + 1;
                tc->len = r - q - 1;
            }
            had_tag = 1;
            if (tag[6] == 0)
                f->cnt[C_TAG_BAD_CHECKSUM]++;
            if (tag[0] != NO_TS)
                tag_ts = tag[0];
            if (tc->src >= 0)
                src = tc->src;
            if (tag[5] >= 0)
                g_id = tag[5];
            q = r + 1;
            if (q < b && buf[q] != '\\' && buf[q] != '!' && buf[q] != '$')
                break; /* text right after a tag block: not a sentence */
        }
        if (q == b && !had_tag) {
            if (first)
                f->cnt[C_GARBAGE]++;
            return;
        }
        int64_t prefix_ts = NO_TS;
        if (prefix_end > p && first) {
            prefix_ts = parse_prefix(buf, p, prefix_end);
            if (prefix_ts == NO_TS)
                f->cnt[C_PREFIX_UNPARSED]++;
        }
        first = 0;
        if (q == b) {
            f->cnt[C_TAG_ONLY]++;
            return;
        }
        /* sentence header: !xxVDM, / $xxVDM, / $PGHP */
        if (buf[q] != '!' && buf[q] != '$') {
            f->cnt[C_GARBAGE]++;
            return;
        }
        if (b - q < 7) {
            f->cnt[C_BAD_FIELDS]++;
            return;
        }
        if (buf[q] == '$' && buf[q + 1] == 'P' && buf[q + 2] == 'G' && buf[q + 3] == 'H'
            && buf[q + 4] == 'P') {
            f->st[S_PGHP_TS] = parse_pghp(buf, q, b);
            f->cnt[C_PGHP]++;
            return;
        }
        if (!(buf[q + 3] == 'V' && buf[q + 4] == 'D' && (buf[q + 5] == 'M' || buf[q + 5] == 'O')
              && buf[q + 6] == ',')) {
            f->cnt[C_OTHER_NMEA]++;
            return;
        }
        int64_t own = buf[q + 5] == 'O';
        /* the first '*': armour, header fields and tag blocks never hold one (the last
         * '*' of the line may belong to a later sentence on the same line) */
        int64_t star = find_byte(buf, q + 1, b, '*');
        if (star + 3 > b) {
            f->cnt[C_BAD_FIELDS]++;
            return;
        }
        int x = xor_range(buf, q + 1, star);
        int h1 = hexval(buf[star + 1]), h2 = hexval(buf[star + 2]);
        if (h1 < 0 || h2 < 0) {
            f->cnt[C_BAD_FIELDS]++;
            return;
        }
        int64_t csok = h1 * 16 + h2 == x;
        /* field bounds: total, num, seq, channel, payload, fill[, extra fields] */
        int k = 0;
        fs[0] = q + 7;
        int64_t i = q + 7;
        while (i < star && k < 4) { /* the four short header fields */
            if (buf[i] == ',') {
                fe[k] = i;
                k++;
                fs[k] = i + 1;
            }
            i++;
        }
        if (k == 4 && star - 2 >= i && buf[star - 2] == ',' && buf[star - 4] != ',') {
            /* usual case ",payload,f*": no need to scan the payload for its end */
            fe[4] = star - 2;
            fs[5] = star - 1;
            fe[5] = star;
            k = 6;
            i = star;
        }
        while (i < star) {
            if (buf[i] == ',') {
                fe[k] = i;
                k++;
                if (k == 6)
                    break;
                fs[k] = i + 1;
            }
            i++;
        }
        if (k < 5) {
            f->cnt[C_BAD_FIELDS]++;
            return;
        }
        if (k == 5)
            fe[5] = star;
        int64_t total = int_field(buf, fs[0], fe[0]);
        int64_t num = int_field(buf, fs[1], fe[1]);
        int64_t seq = fe[2] > fs[2] ? int_field(buf, fs[2], fe[2]) : -1;
        int64_t chan = fe[3] > fs[3] ? buf[fs[3]] : 0;
        int64_t fill;
        if (fe[5] == fs[5])
            fill = 0;
        else if (fe[5] - fs[5] == 1 && buf[fs[5]] >= '0' && buf[fs[5]] <= '5')
            fill = buf[fs[5]] - '0';
        else
            fill = -1;
        int64_t ntrail = star + 3;
        /* the rest of the line: trailing fields, or another sentence */
        int64_t nxt = ntrail;
        while (nxt < b && buf[nxt] != '\\' && buf[nxt] != '!')
            nxt++;
        int64_t trail_ts = NO_TS;
        if (ntrail < nxt && buf[ntrail] == ',') {
            int64_t e = nxt;
            while (e > ntrail && buf[e - 1] == ',')
                e--;
            int64_t s1 = e;
            while (s1 > ntrail && buf[s1 - 1] != ',')
                s1--;
            if (e - s1 >= 10)
                trail_ts = parse_epoch(buf, s1, e);
        }
        p = nxt;
        if (total < 1 || total > MAX_PARTS || num < 1 || num > total || fill < 0 || seq > 99) {
            f->cnt[C_BAD_FIELDS]++;
            continue;
        }
        f->cnt[C_SENTENCES]++;
        if (!csok) {
            f->cnt[C_BAD_CHECKSUM]++;
            if (!f->keep_bad)
                continue;
        }
        int64_t plen = fe[4] - fs[4];
        if (plen == 0) {
            f->cnt[C_EMPTY_PAYLOAD]++;
            continue;
        }
        if (total > 1 && plen > PART_CHARS) {
            f->cnt[C_BAD_FIELDS]++;
            continue;
        }
        int64_t po = f->pu;
        const uint8_t *src_chars = buf + fs[4];
        uint8_t *dst = f->pbuf + po;
        uint8_t bad = 0;
        for (int64_t j = 0; j < plen; j++) { /* branch-free: vectorised */
            uint8_t c = src_chars[j];
            uint8_t v = (uint8_t)(c - 48);
            v = (uint8_t)(v - 8 * (v >= 40));
            bad |= (uint8_t)((c < 48) | (c > 119) | ((c > 87) & (c < 96)));
            dst[j] = v;
        }
        if (bad) {
            f->cnt[C_BAD_ARMOUR]++;
            continue;
        }
        /* timestamp by priority */
        int64_t ts = NO_TS, tssrc = TS_NONE;
        if (tag_ts != NO_TS) {
            ts = tag_ts;
            tssrc = TS_TAG_BLOCK;
        } else if (f->st[S_PGHP_TS] != NO_TS) {
            ts = f->st[S_PGHP_TS];
            tssrc = TS_PGHP;
        } else if (trail_ts != NO_TS) {
            ts = trail_ts;
            tssrc = TS_TRAILING_EPOCH;
        } else if (prefix_ts != NO_TS) {
            ts = prefix_ts;
            tssrc = TS_LINE_PREFIX;
        }
        f->st[S_PGHP_TS] = NO_TS;
        f->st[S_SENTENCE_NO]++;
        if (total == 1) {
            if (6 * plen - fill < 6) {
                f->cnt[C_EMPTY_PAYLOAD]++;
                continue;
            }
            emit(f, po, plen, fill, ts, tssrc, src, line_no, csok, own);
            f->pu = po + plen;
            continue;
        }
        fragment(f, po, plen, total, num, seq, chan, g_id, fill, ts, tssrc, src, line_no,
                 csok, own);
    }
}

/* Frame the lines of buf[start:end]; returns the offset where it stopped and sets *why
 * (STOP_*). */
static int64_t frame_lines(Framer *f, int *why)
{
    const uint8_t *buf = f->buf;
    int64_t pos = f->start, end = f->end, nlines = 0;
    TagCache tc = {0, -1, -1, {NO_TS, -1, -1, -1, -1, -1, 0}};
    *why = STOP_DONE;
    while (pos < end) {
        if (nlines >= f->max_lines) {
            *why = STOP_LINES;
            break;
        }
        int64_t nl = find_byte(buf, pos, end, '\n');
        if (nl == end && !f->final)
            break;
        /* room for everything this line could produce */
        int64_t len = nl - pos < f->max_line_len ? nl - pos : f->max_line_len;
        int64_t most = len / MIN_SENTENCE + 1;
        if (f->nm + most > f->mcap) {
            *why = STOP_MSGS;
            break;
        }
        if (f->pu + len + most * (MAX_PARTS * PART_CHARS) > f->pcap) {
            *why = STOP_PAYLOAD;
            break;
        }
        if (2 * (*f->nsrc + most) > f->tab_size || f->nnew + most > f->new_cap) {
            *why = STOP_SOURCES;
            break;
        }
        int64_t a = pos, b = nl;
        pos = nl + 1;
        nlines++;
        f->cnt[C_LINES]++;
        int64_t line_no = ++f->st[S_LINE_NO];
        while (b > a && (buf[b - 1] == '\r' || buf[b - 1] == ' ' || buf[b - 1] == '\t'
                         || buf[b - 1] == 0))
            b--;
        while (a < b && (buf[a] == ' ' || buf[a] == '\t'))
            a++;
        if (b == a || buf[a] == '#') {
            f->cnt[C_BLANK]++;
            continue;
        }
        if (b - a > f->max_line_len) {
            f->cnt[C_TOO_LONG]++;
            continue;
        }
        frame_line(f, a, b, line_no, &tc);
    }
    if (f->final && pos >= end) {
        for (int64_t s = 0; s < f->nslots; s++)
            if (SLOT(s)[SL_HAVE] != 0)
                drop_slot(f, s);
    }
    if (pos > end)
        pos = end;
    return pos;
}

#endif
