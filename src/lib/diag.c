/* diag.c: the diagnostics list and the code table.
 *
 * Every stage appends here instead of printing (DESIGN.md, "Pipeline").
 * The list owns copies of messages and file names, so diagnostics outlive
 * the inputs they describe. It is capped (1000 entries by default) and
 * never fails visibly: past the cap or on OOM it counts what it dropped,
 * like SQLite's sticky mallocFailed.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CAP 1000u

typedef struct entry {
    nb_diag d;
    size_t seq; /* order of addition, for a stable sort */
} entry;

typedef struct interned {
    struct interned *next;
    char s[];
} interned;

struct nb_diag_list {
    entry *v;
    size_t n;
    size_t alloc;
    size_t cap;
    size_t seq;
    size_t dropped;
    size_t by_sev[3]; /* counts by severity, dropped included */
    interned *strings;
};

/* ==== The code table ==== */

typedef struct code_row {
    nb_code code;
    const char *id;
    const char *name;
    nb_severity sev;
    const char *summary;
} code_row;

#define NB_DIAG(name, number, sev, summary)                                    \
    {NB_##name, "NB" #number, #name, sev, N_(summary)},
static const code_row code_table[] = {
#include <nianbao/diag_codes.def>
};
#undef NB_DIAG

#define N_CODES (sizeof(code_table) / sizeof(code_table[0]))

static const code_row *find_code(nb_code code)
{
    size_t i;

    for (i = 0; i < N_CODES; i++)
        if (code_table[i].code == code)
            return &code_table[i];
    return NULL;
}

const char *nb_code_id(nb_code code)
{
    const code_row *r = find_code(code);

    return r != NULL ? r->id : "NB0000";
}

const char *nb_code_name(nb_code code)
{
    const code_row *r = find_code(code);

    return r != NULL ? r->name : NULL;
}

const char *nb_code_summary(nb_code code)
{
    const code_row *r = find_code(code);

    return r != NULL ? _(r->summary) : NULL;
}

nb_severity nb_code_severity(nb_code code)
{
    const code_row *r = find_code(code);

    return r != NULL ? r->sev : NB_SEV_ERROR;
}

nb_code nb_code_parse(const char *s)
{
    char *end;
    long v;
    size_t i;

    if (s == NULL)
        return NB_CODE_NONE;
    if ((s[0] == 'N' || s[0] == 'n') && (s[1] == 'B' || s[1] == 'b'))
        s += 2;
    if (*s < '0' || *s > '9')
        return NB_CODE_NONE;
    v = strtol(s, &end, 10);
    if (*end != '\0')
        return NB_CODE_NONE;
    for (i = 0; i < N_CODES; i++)
        if ((long)code_table[i].code == v)
            return code_table[i].code;
    return NB_CODE_NONE;
}

void nb_code_foreach(void (*fn)(nb_code code, void *payload), void *payload)
{
    size_t i;

    for (i = 0; i < N_CODES; i++)
        fn(code_table[i].code, payload);
}

const char *nb_severity_name(nb_severity sev)
{
    switch (sev) {
    case NB_SEV_ERROR:
        return _("error");
    case NB_SEV_WARNING:
        return _("warning");
    default:
        return _("note");
    }
}

/* ==== The list ==== */

nb_diag_list *nb_diag_list_new(void)
{
    nb_diag_list *dl = calloc(1, sizeof(*dl));

    if (dl != NULL)
        dl->cap = DEFAULT_CAP;
    return dl;
}

void nb_diag_list_free(nb_diag_list *dl)
{
    size_t i;
    interned *s;
    interned *next;

    if (dl == NULL)
        return;
    for (i = 0; i < dl->n; i++)
        free((char *)dl->v[i].d.msg);
    for (s = dl->strings; s != NULL; s = next) {
        next = s->next;
        free(s);
    }
    free(dl->v);
    free(dl);
}

bool nb_diag_list_full(const nb_diag_list *dl)
{
    return dl != NULL && dl->n >= dl->cap;
}

void nb_diag_list_set_cap(nb_diag_list *dl, size_t cap)
{
    dl->cap = cap == 0 ? 1 : cap;
}

size_t nb_diag_list_count(const nb_diag_list *dl)
{
    return dl->n;
}

const nb_diag *nb_diag_list_at(const nb_diag_list *dl, size_t i)
{
    return i < dl->n ? &dl->v[i].d : NULL;
}

size_t nb_diag_list_count_sev(const nb_diag_list *dl, nb_severity sev)
{
    return (unsigned)sev < 3 ? dl->by_sev[sev] : 0;
}

size_t nb_diag_errors(const nb_diag_list *dl)
{
    return dl->by_sev[NB_SEV_ERROR];
}

size_t nb_diag_list_dropped(const nb_diag_list *dl)
{
    return dl->dropped;
}

const char *nb_diag_intern(nb_diag_list *dl, const char *s)
{
    interned *it;
    size_t len;

    if (s == NULL)
        return NULL;
    for (it = dl->strings; it != NULL; it = it->next)
        if (strcmp(it->s, s) == 0)
            return it->s;
    len = strlen(s);
    it = malloc(sizeof(*it) + len + 1);
    if (it == NULL)
        return NULL;
    memcpy(it->s, s, len + 1);
    it->next = dl->strings;
    dl->strings = it;
    return it->s;
}

static int cmp_str(const char *a, const char *b)
{
    if (a == b)
        return 0;
    if (a == NULL)
        return -1;
    if (b == NULL)
        return 1;
    return strcmp(a, b);
}

static int cmp_entry(const void *pa, const void *pb)
{
    const entry *a = pa;
    const entry *b = pb;
    int c = cmp_str(a->d.loc.file, b->d.loc.file);

    if (c != 0)
        return c;
    c = cmp_str(a->d.loc.where, b->d.loc.where);
    if (c != 0)
        return c;
    if (a->d.loc.line != b->d.loc.line)
        return a->d.loc.line < b->d.loc.line ? -1 : 1;
    if (a->d.loc.col != b->d.loc.col)
        return a->d.loc.col < b->d.loc.col ? -1 : 1;
    return a->seq < b->seq ? -1 : (a->seq > b->seq ? 1 : 0);
}

void nb_diag_list_sort(nb_diag_list *dl)
{
    if (dl->n > 1)
        qsort(dl->v, dl->n, sizeof(dl->v[0]), cmp_entry);
}

static void add(nb_diag_list *dl, nb_code code, nb_severity sev,
                const nb_loc *loc, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static void add(nb_diag_list *dl, nb_code code, nb_severity sev,
                const nb_loc *loc, const char *fmt, va_list ap)
{
    entry *e;
    char *msg;
    int n;
    va_list ap2;

    if (dl == NULL)
        return;
    if ((unsigned)sev < 3)
        dl->by_sev[sev]++;
    if (dl->n >= dl->cap) {
        dl->dropped++;
        return;
    }
    if (dl->n == dl->alloc) {
        size_t na = dl->alloc == 0 ? 16 : dl->alloc * 2;
        entry *nv = realloc(dl->v, na * sizeof(*nv));

        if (nv == NULL) {
            dl->dropped++;
            return;
        }
        dl->v = nv;
        dl->alloc = na;
    }
    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    msg = n < 0 ? NULL : malloc((size_t)n + 1);
    if (msg == NULL) {
        dl->dropped++;
        return;
    }
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    /* one line: a message never carries a line feed */
    for (char *p = msg; *p != '\0'; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    e = &dl->v[dl->n];
    memset(e, 0, sizeof(*e));
    e->d.code = code;
    e->d.sev = sev;
    if (loc != NULL) {
        e->d.loc = *loc;
        e->d.loc.file = nb_diag_intern(dl, loc->file);
        e->d.loc.where = nb_diag_intern(dl, loc->where);
    }
    e->d.msg = msg;
    e->seq = dl->seq++;
    dl->n++;
}

void nb_diag_addv(nb_diag_list *dl, nb_code code, const nb_loc *loc,
                  const char *fmt, va_list ap)
{
    add(dl, code, nb_code_severity(code), loc, fmt, ap);
}

void nb_diag_add(nb_diag_list *dl, nb_code code, const nb_loc *loc,
                 const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add(dl, code, nb_code_severity(code), loc, fmt, ap);
    va_end(ap);
}

void nb_diag_acknowledge(nb_diag_list *dl, size_t from,
                         bool (*allowed)(nb_code code, void *payload),
                         void *payload, const char *how)
{
    size_t i;

    for (i = from; dl != NULL && i < dl->n; i++) {
        nb_diag *d = &dl->v[i].d;
        const char *id = nb_code_id(d->code);
        size_t len;
        char *msg;

        if (d->sev == NB_SEV_NOTE || !allowed(d->code, payload))
            continue;
        len = strlen(id) + strlen(how) + strlen(d->msg) + 4;
        msg = malloc(len);
        if (msg == NULL)
            continue; /* kept as it was: never hidden */
        snprintf(msg, len, "%s %s: %s", id, how, d->msg);
        free((char *)d->msg);
        d->msg = msg;
        dl->by_sev[d->sev]--;
        dl->by_sev[NB_SEV_NOTE]++;
        d->sev = NB_SEV_NOTE;
        d->code = NB_RULE_ACKNOWLEDGED;
    }
}

void nb_diag_add_sev(nb_diag_list *dl, nb_code code, nb_severity sev,
                     const nb_loc *loc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add(dl, code, sev, loc, fmt, ap);
    va_end(ap);
}

nb_status nb_diag_nomem(nb_diag_list *dl, const char *file)
{
    nb_loc loc = {file, 0, 0, NULL};

    nb_diag_add(dl, NB_IO_NOMEM, &loc, "%s", _("out of memory"));
    return NB_ERR_NOMEM;
}
