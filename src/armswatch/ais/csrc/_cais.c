/* armswatch.ais._cais: the compiled AIS kernels (framing, field extraction, encoding).
 *
 * One compilation unit: this file includes the others. Built at install time by
 * setuptools (pyproject.toml, ext-modules), or on first use from a source checkout by
 * armswatch.ais._native. Only the CPython C API is used (buffers through the buffer
 * protocol), so building needs nothing but Python's headers and a C compiler.
 *
 * Python passes NumPy arrays it allocated; every buffer's item size, kind and length is
 * checked here before use, and the kernels never write past the lengths they are given.
 * The GIL is released while a kernel runs. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "gen.h"
#include "timeparse.h"
#include "frame.h"
#include "extract.h"
#include "encode.h"

#define MAX_VIEWS 32

typedef struct {
    Py_buffer v[MAX_VIEWS];
    int n;
} Views;

static void release(Views *vs)
{
    for (int i = 0; i < vs->n; i++)
        PyBuffer_Release(&vs->v[i]);
    vs->n = 0;
}

/* kind: 'f' floating point, 'i' integer (or bytes), 's' struct (any format) */
static int kind_ok(const char *fmt, char kind)
{
    if (kind == 's')
        return 1;
    if (fmt == NULL)
        return kind == 'i';
    while (*fmt == '<' || *fmt == '>' || *fmt == '=' || *fmt == '@' || *fmt == '!')
        fmt++;
    if (fmt[0] == '\0' || fmt[1] != '\0')
        return 0;
    if (kind == 'f')
        return fmt[0] == 'd' || fmt[0] == 'f';
    return strchr("bBhHiIlLqQ?c", fmt[0]) != NULL;
}

/* The buffer of obj, checked: item size, kind, at least min_items items. */
static void *view(Views *vs, PyObject *obj, Py_ssize_t itemsize, char kind, int writable,
                  Py_ssize_t min_items, const char *name)
{
    if (vs->n >= MAX_VIEWS) {
        PyErr_SetString(PyExc_RuntimeError, "too many buffers");
        return NULL;
    }
    Py_buffer *b = &vs->v[vs->n];
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, b, flags) < 0)
        return NULL;
    vs->n++;
    if (b->itemsize != itemsize || !kind_ok(b->format, kind)) {
        PyErr_Format(PyExc_TypeError, "%s: expected items of %zd bytes (kind %c), got %zd (%s)",
                     name, itemsize, kind, b->itemsize, b->format ? b->format : "B");
        return NULL;
    }
    if (b->len / itemsize < min_items) {
        PyErr_Format(PyExc_ValueError, "%s: expected at least %zd items, got %zd", name,
                     min_items, b->len / itemsize);
        return NULL;
    }
    return b->buf;
}

#define VIEW(var, type, obj, kind, writable, n, name)                                      \
    do {                                                                                 \
        var = (type *)view(&vs, obj, (Py_ssize_t)sizeof(type), kind, writable, n, name); \
        if (var == NULL)                                                                 \
            goto fail;                                                                   \
    } while (0)

static Py_ssize_t items(Views *vs)
{
    return vs->v[vs->n - 1].len / vs->v[vs->n - 1].itemsize;
}

PyDoc_STRVAR(frame_doc,
    "frame(buf, start, end, final, keep_bad, max_lines, max_line_len, window, default_src,\n"
    "      st, slots, slot_data, cnt, pbuf, pu, msgs, nm, nsrc, tab_hash, tab_idx,\n"
    "      new_off, new_len) -> (stop, why, nm, pu, nnew)\n\n"
    "Frame the lines of buf[start:end] (see armswatch.ais._frame).");

static PyObject *py_frame(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *o_buf, *o_st, *o_slots, *o_sdata, *o_cnt, *o_pbuf, *o_msgs, *o_nsrc, *o_th, *o_ti,
        *o_no, *o_nl;
    Py_ssize_t start, end, max_lines, max_line_len, window, default_src, pu, nm;
    int final, keep_bad;
    if (!PyArg_ParseTuple(args, "Onnppnnnn" "OOOOOnOnOOOOO", &o_buf, &start, &end, &final,
                          &keep_bad, &max_lines, &max_line_len, &window, &default_src, &o_st,
                          &o_slots, &o_sdata, &o_cnt, &o_pbuf, &pu, &o_msgs, &nm, &o_nsrc,
                          &o_th, &o_ti, &o_no, &o_nl))
        return NULL;
    Views vs = {.n = 0};
    Framer f;
    memset(&f, 0, sizeof f);
    const uint8_t *buf;
    VIEW(buf, const uint8_t, o_buf, 'i', 0, 0, "buf");
    if (start < 0 || end > items(&vs) || start > end) {
        PyErr_SetString(PyExc_ValueError, "frame: start/end outside the buffer");
        goto fail;
    }
    if (max_line_len < 1 || window < 1 || max_lines < 0) {
        PyErr_SetString(PyExc_ValueError, "frame: bad options");
        goto fail;
    }
    f.buf = buf;
    f.start = start;
    f.end = end;
    f.final = final;
    f.keep_bad = keep_bad;
    f.max_lines = max_lines;
    f.max_line_len = max_line_len;
    f.window = window;
    f.default_src = (int32_t)default_src;
    VIEW(f.st, int64_t, o_st, 'i', 1, N_STATE, "st");
    VIEW(f.slots, int64_t, o_slots, 'i', 1, SLOT_WORDS, "slots");
    f.nslots = items(&vs) / SLOT_WORDS;
    VIEW(f.slot_data, uint8_t, o_sdata, 'i', 1, f.nslots * MAX_PARTS * PART_CHARS, "slot_data");
    VIEW(f.cnt, int64_t, o_cnt, 'i', 1, N_COUNTERS, "cnt");
    VIEW(f.pbuf, uint8_t, o_pbuf, 'i', 1, 0, "pbuf");
    f.pcap = items(&vs);
    f.pu = pu;
    VIEW(f.msgs, Msg, o_msgs, 's', 1, 0, "msgs");
    f.mcap = items(&vs);
    f.nm = nm;
    VIEW(f.nsrc, int64_t, o_nsrc, 'i', 1, 1, "nsrc");
    VIEW(f.tab_hash, int64_t, o_th, 'i', 1, 1, "tab_hash");
    f.tab_size = items(&vs);
    VIEW(f.tab_idx, int64_t, o_ti, 'i', 1, f.tab_size, "tab_idx");
    VIEW(f.new_off, int64_t, o_no, 'i', 1, 0, "new_off");
    f.new_cap = items(&vs);
    VIEW(f.new_len, int64_t, o_nl, 'i', 1, f.new_cap, "new_len");
    if ((f.tab_size & (f.tab_size - 1)) != 0 || pu < 0 || pu > f.pcap || nm < 0 || nm > f.mcap
        || *f.nsrc < 0) {
        PyErr_SetString(PyExc_ValueError, "frame: bad table size or output positions");
        goto fail;
    }
    for (int64_t s = 0; s < f.nslots; s++) { /* the multi-part state the caller kept */
        const int64_t *sl = f.slots + s * SLOT_WORDS;
        int bad = sl[SL_HAVE] < 0 || sl[SL_HAVE] >= (INT64_C(1) << MAX_PARTS);
        for (int k = 0; k < MAX_PARTS; k++)
            bad |= sl[SL_PLEN + k] < 0 || sl[SL_PLEN + k] > PART_CHARS;
        if (bad) {
            PyErr_SetString(PyExc_ValueError, "frame: corrupt multi-part slots");
            goto fail;
        }
    }
    int why;
    int64_t stop;
    Py_BEGIN_ALLOW_THREADS
    stop = frame_lines(&f, &why);
    Py_END_ALLOW_THREADS
    release(&vs);
    return Py_BuildValue("(LiLLL)", (long long)stop, why, (long long)f.nm, (long long)f.pu,
                         (long long)f.nnew);
fail:
    release(&vs);
    return NULL;
}

static int common_views(Views *vs, PyObject *o64, PyObject *o32, PyObject *o8, Py_ssize_t n,
                        Common *c)
{
    c->i64 = view(vs, o64, 8, 'i', 1, N_COM64 * n, "common i64");
    if (!c->i64)
        return -1;
    c->i32 = view(vs, o32, 4, 'i', 1, N_COM32 * n, "common i32");
    if (!c->i32)
        return -1;
    c->i8 = view(vs, o8, 1, 'i', 1, N_COM8 * n, "common i8");
    return c->i8 ? 0 : -1;
}

static int slot_views(Views *vs, PyObject *const *o, Py_ssize_t n, const Py_ssize_t *rows,
                      Py_ssize_t nslots, Slots *s)
{
    if (!(s->f64 = view(vs, o[0], 8, 'f', 1, rows[0] * n, "f64")))
        return -1;
    if (!(s->f32 = view(vs, o[1], 4, 'f', 1, rows[1] * n, "f32")))
        return -1;
    if (!(s->i32 = view(vs, o[2], 4, 'i', 1, rows[2] * n, "i32")))
        return -1;
    if (!(s->i16 = view(vs, o[3], 2, 'i', 1, rows[3] * n, "i16")))
        return -1;
    if (!(s->i8 = view(vs, o[4], 1, 'i', 1, rows[4] * n, "i8")))
        return -1;
    s->valid = view(vs, o[5], 1, 'i', 1, nslots * n, "valid");
    return s->valid ? 0 : -1;
}

/* What every extract_* reads: the payload buffer and nm framed messages (each checked to
 * lie inside the buffer), and the common columns of n rows it writes. */
static int table_inputs(Views *vs, PyObject *o_pbuf, PyObject *o_msgs, Py_ssize_t nm,
                        Py_ssize_t n, PyObject *o64, PyObject *o32, PyObject *o8,
                        const uint8_t **pbuf, const Msg **msgs, Common *c)
{
    if (nm < 0 || n < 0) {
        PyErr_SetString(PyExc_ValueError, "negative message or row count");
        return -1;
    }
    if (!(*pbuf = view(vs, o_pbuf, 1, 'i', 0, 0, "pbuf")))
        return -1;
    Py_ssize_t plen = items(vs);
    if (!(*msgs = view(vs, o_msgs, (Py_ssize_t)sizeof(Msg), 's', 0, nm, "msgs")))
        return -1;
    for (Py_ssize_t i = 0; i < nm; i++) {
        const Msg *m = &(*msgs)[i];
        if (m->off < 0 || m->len < 1 || m->off + m->len > plen || m->nbits > 6 * m->len
            || m->lid >= N_LAYOUTS) {
            PyErr_Format(PyExc_ValueError, "message %zd lies outside the payload buffer", i);
            return -1;
        }
    }
    return common_views(vs, o64, o32, o8, n, c);
}

PyDoc_STRVAR(positions_doc,
    "extract_positions(pbuf, msgs, nm, n, c64, c32, c8, f64, f32, i32, i16, i8, valid) -> rows");

static PyObject *py_extract_positions(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *o_pbuf, *o_msgs, *o64, *o32, *o8, *o[6];
    Py_ssize_t nm, n;
    if (!PyArg_ParseTuple(args, "OOnnOOOOOOOOO", &o_pbuf, &o_msgs, &nm, &n, &o64, &o32, &o8,
                          &o[0], &o[1], &o[2], &o[3], &o[4], &o[5]))
        return NULL;
    Views vs = {.n = 0};
    const uint8_t *pbuf;
    const Msg *msgs;
    Common c;
    Slots s;
    static const Py_ssize_t rows[5] = {POS_ROWS_F64, POS_ROWS_F32, POS_ROWS_I32, POS_ROWS_I16,
                                       POS_ROWS_I8};
    if (table_inputs(&vs, o_pbuf, o_msgs, nm, n, o64, o32, o8, &pbuf, &msgs, &c) < 0
        || slot_views(&vs, o, n, rows, POS_NSLOTS, &s) < 0)
        goto fail;
    int64_t r;
    Py_BEGIN_ALLOW_THREADS
    r = extract_positions(pbuf, msgs, nm, n, &c, &s);
    Py_END_ALLOW_THREADS
    release(&vs);
    return PyLong_FromLongLong(r);
fail:
    release(&vs);
    return NULL;
}

PyDoc_STRVAR(statics_doc,
    "extract_statics(pbuf, msgs, nm, n, c64, c32, c8, f64, f32, i32, i16, i8, valid,\n"
    "                sdata, sbase, soffsets, svalid) -> rows");

static PyObject *py_extract_statics(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *o_pbuf, *o_msgs, *o64, *o32, *o8, *o[6], *o_sd, *o_sb, *o_so, *o_sv;
    Py_ssize_t nm, n;
    if (!PyArg_ParseTuple(args, "OOnnOOOOOOOOOOOOO", &o_pbuf, &o_msgs, &nm, &n, &o64, &o32,
                          &o8, &o[0], &o[1], &o[2], &o[3], &o[4], &o[5], &o_sd, &o_sb, &o_so,
                          &o_sv))
        return NULL;
    Views vs = {.n = 0};
    const uint8_t *pbuf;
    const Msg *msgs;
    Common c;
    Slots s;
    Strings str;
    static const Py_ssize_t rows[5] = {STA_ROWS_F64, STA_ROWS_F32, STA_ROWS_I32, STA_ROWS_I16,
                                       STA_ROWS_I8};
    if (table_inputs(&vs, o_pbuf, o_msgs, nm, n, o64, o32, o8, &pbuf, &msgs, &c) < 0
        || slot_views(&vs, o, n, rows, STA_NSLOTS, &s) < 0)
        goto fail;
    VIEW(str.data, uint8_t, o_sd, 'i', 1, 0, "sdata");
    Py_ssize_t ndata = items(&vs);
    VIEW(str.base, const int64_t, o_sb, 'i', 0, N_STRING_COLUMNS + 1, "sbase");
    for (int k = 0; k < N_STRING_COLUMNS; k++) {
        if (str.base[k] < 0 || str.base[k] > str.base[k + 1] || str.base[k + 1] > ndata
            || str.base[k + 1] - str.base[k] > INT32_MAX) {
            PyErr_SetString(PyExc_ValueError, "extract_statics: bad string column bases");
            goto fail;
        }
    }
    VIEW(str.offsets, int32_t, o_so, 'i', 1, N_STRING_COLUMNS * (n + 1), "soffsets");
    VIEW(str.valid, uint8_t, o_sv, 'i', 1, N_STRING_COLUMNS * n, "svalid");
    str.overflow = 0;
    int64_t r;
    Py_BEGIN_ALLOW_THREADS
    r = extract_statics(pbuf, msgs, nm, n, &c, &s, &str);
    Py_END_ALLOW_THREADS
    release(&vs);
    if (str.overflow) {
        PyErr_SetString(PyExc_RuntimeError, "extract_statics: string buffer too small");
        return NULL;
    }
    return PyLong_FromLongLong(r);
fail:
    release(&vs);
    return NULL;
}

PyDoc_STRVAR(other_doc,
    "extract_other(pbuf, msgs, nm, n, c64, c32, c8, mmsi, repeat, fill, valid, data,\n"
    "              offsets) -> rows");

static PyObject *py_extract_other(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *o_pbuf, *o_msgs, *o64, *o32, *o8, *o_mmsi, *o_rep, *o_fill, *o_valid, *o_data,
        *o_off;
    Py_ssize_t nm, n;
    if (!PyArg_ParseTuple(args, "OOnnOOOOOOOOO", &o_pbuf, &o_msgs, &nm, &n, &o64, &o32, &o8,
                          &o_mmsi, &o_rep, &o_fill, &o_valid, &o_data, &o_off))
        return NULL;
    Views vs = {.n = 0};
    const uint8_t *pbuf;
    const Msg *msgs;
    Common c;
    int32_t *mmsi, *offsets;
    int8_t *rep, *fill;
    uint8_t *valid, *data;
    if (table_inputs(&vs, o_pbuf, o_msgs, nm, n, o64, o32, o8, &pbuf, &msgs, &c) < 0)
        goto fail;
    VIEW(mmsi, int32_t, o_mmsi, 'i', 1, n, "mmsi");
    VIEW(rep, int8_t, o_rep, 'i', 1, n, "repeat");
    VIEW(fill, int8_t, o_fill, 'i', 1, n, "fill");
    VIEW(valid, uint8_t, o_valid, 'i', 1, 2 * n, "valid");
    VIEW(data, uint8_t, o_data, 'i', 1, 0, "data");
    Py_ssize_t cap = items(&vs);
    if (cap > INT32_MAX)
        cap = INT32_MAX;
    VIEW(offsets, int32_t, o_off, 'i', 1, n + 1, "offsets");
    int overflow = 0;
    int64_t r;
    Py_BEGIN_ALLOW_THREADS
    r = extract_other(pbuf, msgs, nm, n, &c, mmsi, rep, fill, valid, data, cap, offsets,
                      &overflow);
    Py_END_ALLOW_THREADS
    release(&vs);
    if (overflow) {
        PyErr_SetString(PyExc_RuntimeError, "extract_other: payload buffer too small");
        return NULL;
    }
    return PyLong_FromLongLong(r);
fail:
    release(&vs);
    return NULL;
}

PyDoc_STRVAR(write_lines_doc,
    "write_lines(raw, widths, nbits, prefix, ts, src, out) -> bytes written (-1: out too small)");

static PyObject *py_write_lines(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *o_raw, *o_w, *o_prefix, *o_ts, *o_src, *o_out;
    Py_ssize_t nbits;
    if (!PyArg_ParseTuple(args, "OOnOOOO", &o_raw, &o_w, &nbits, &o_prefix, &o_ts, &o_src,
                          &o_out))
        return NULL;
    Views vs = {.n = 0};
    const int64_t *raw, *widths, *ts;
    const uint8_t *prefix, *src;
    uint8_t *out;
    VIEW(widths, const int64_t, o_w, 'i', 0, 0, "widths");
    Py_ssize_t nf = items(&vs);
    VIEW(ts, const int64_t, o_ts, 'i', 0, 0, "ts");
    Py_ssize_t n = items(&vs);
    VIEW(raw, const int64_t, o_raw, 'i', 0, nf * n, "raw");
    VIEW(prefix, const uint8_t, o_prefix, 'i', 0, 0, "prefix");
    Py_ssize_t nprefix = items(&vs);
    VIEW(src, const uint8_t, o_src, 'i', 0, 0, "src");
    Py_ssize_t nsrc = items(&vs);
    VIEW(out, uint8_t, o_out, 'i', 1, 0, "out");
    Py_ssize_t cap = items(&vs);
    for (Py_ssize_t f = 0; f < nf; f++) {
        if (widths[f] < 0 || widths[f] > 62) {
            PyErr_SetString(PyExc_ValueError, "write_lines: field widths must be 0-62");
            goto fail;
        }
    }
    int64_t used;
    Py_BEGIN_ALLOW_THREADS
    used = write_lines(raw, widths, nf, n, nbits, prefix, nprefix, ts, src, nsrc, out, cap);
    Py_END_ALLOW_THREADS
    release(&vs);
    return PyLong_FromLongLong(used);
fail:
    release(&vs);
    return NULL;
}

static PyMethodDef methods[] = {
    {"frame", py_frame, METH_VARARGS, frame_doc},
    {"extract_positions", py_extract_positions, METH_VARARGS, positions_doc},
    {"extract_statics", py_extract_statics, METH_VARARGS, statics_doc},
    {"extract_other", py_extract_other, METH_VARARGS, other_doc},
    {"write_lines", py_write_lines, METH_VARARGS, write_lines_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_cais", "Compiled AIS kernels of armswatch.ais.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__cais(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddIntConstant(m, "MSG_SIZE", (long)sizeof(Msg)) < 0
        || PyModule_AddIntConstant(m, "N_COUNTERS", N_COUNTERS) < 0
        || PyModule_AddIntConstant(m, "SLOT_WORDS", SLOT_WORDS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
