/* Multi-part reassembly in a bounded table of slots (see armswatch/ais/_frame.py): a slot
 * is keyed by tag-block group id, or by source + sequence id + channel + part count; it is
 * dropped (and counted) when not completed within the window, when the table is full and
 * it is the oldest, or when one of its parts arrives twice. Part of the single compilation
 * unit built from _cais.c (included by frame.h, after the Framer and emit()). */
#ifndef ARMSWATCH_AIS_MULTIPART_H
#define ARMSWATCH_AIS_MULTIPART_H

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

#endif
