/* form.c: form schemas (Frictionless Table Schema JSON, schemas/forms/)
 * and the checking of CSV forms against them, one row at a time.
 *
 * Of Table Schema this reads: name, title, type (string, integer, number,
 * date), constraints (required, unique, enum, pattern, minimum, maximum,
 * maxLength) and primaryKey. Two properties are nianbao's own: "optional"
 * (the column may be left out) and "enumCodes" (the code a Chinese enum
 * label stands for); "bareNumber": false allows a trailing % only.
 * A composite primary key (office, code) is checked block by block of its
 * first field: memory follows the number of offices (16 bytes each),
 * never the number of rows.
 */
#include "form.h"
#include "figures.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const unsigned char nb_form_meta_json[];
extern const size_t nb_form_meta_json_len;
extern const unsigned char nb_form_narrative_json[];
extern const size_t nb_form_narrative_json_len;
extern const unsigned char nb_form_metrics_json[];
extern const size_t nb_form_metrics_json_len;

/* ==== Schemas ==== */

static const char *jstr(nb_arena *a, json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_string(v) ? nb_arena_strdup(a, json_string_value(v)) : NULL;
}

static bool load_enum(nb_form_schema *s, nb_field *f, json_t *c, json_t *fo)
{
    json_t *e = json_object_get(c, "enum");
    json_t *codes = json_object_get(fo, "enumCodes");
    size_t i;

    if (!json_is_array(e))
        return true;
    f->n_enum = json_array_size(e);
    f->enum_vals = nb_arena_array(s->arena, f->n_enum, sizeof(char *));
    f->enum_codes = nb_arena_array(s->arena, f->n_enum, sizeof(char *));
    if (f->enum_vals == NULL || f->enum_codes == NULL)
        return false;
    for (i = 0; i < f->n_enum; i++) {
        json_t *v = json_array_get(e, i);
        json_t *code;

        if (!json_is_string(v))
            return false;
        f->enum_vals[i] = nb_arena_strdup(s->arena, json_string_value(v));
        code = json_object_get(codes, json_string_value(v));
        f->enum_codes[i] =
            json_is_string(code)
                ? nb_arena_strdup(s->arena, json_string_value(code))
                : f->enum_vals[i];
        if (f->enum_vals[i] == NULL || f->enum_codes[i] == NULL)
            return false;
    }
    return true;
}

static bool load_field(nb_form_schema *s, nb_field *f, json_t *fo)
{
    json_t *c = json_object_get(fo, "constraints");
    const char *type = json_string_value(json_object_get(fo, "type"));
    json_t *v;

    f->name = jstr(s->arena, fo, "name");
    f->title = jstr(s->arena, fo, "title");
    if (f->name == NULL)
        return false;
    if (f->title == NULL)
        f->title = f->name;
    if (type == NULL || strcmp(type, "string") == 0)
        f->type = NB_FT_STRING;
    else if (strcmp(type, "integer") == 0)
        f->type = NB_FT_INTEGER;
    else if (strcmp(type, "number") == 0)
        f->type = NB_FT_NUMBER;
    else if (strcmp(type, "date") == 0)
        f->type = NB_FT_DATE;
    else
        return false;
    f->optional_column = json_is_true(json_object_get(fo, "optional"));
    f->percent = json_is_false(json_object_get(fo, "bareNumber"));
    f->approximate = json_is_true(json_object_get(fo, "approximate"));
    if (!json_is_object(c))
        return true;
    f->required = json_is_true(json_object_get(c, "required"));
    v = json_object_get(c, "minimum");
    if (json_is_number(v)) {
        f->has_min = true;
        f->min = json_number_value(v);
    }
    v = json_object_get(c, "maximum");
    if (json_is_number(v)) {
        f->has_max = true;
        f->max = json_number_value(v);
    }
    v = json_object_get(c, "maxLength");
    if (json_is_integer(v))
        f->max_length = (size_t)json_integer_value(v);
    f->pattern_src = jstr(s->arena, c, "pattern");
    if (f->pattern_src != NULL) {
        f->pattern = xmlRegexpCompile((const xmlChar *)f->pattern_src);
        if (f->pattern == NULL)
            return false;
    }
    return load_enum(s, f, c, fo);
}

static size_t field_index(const nb_form_schema *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->n_fields; i++)
        if (strcmp(s->fields[i].name, name) == 0)
            return i;
    return (size_t)-1;
}

static bool load_schema(nb_form_schema *s, json_t *root)
{
    json_t *fields = json_object_get(root, "fields");
    json_t *pk = json_object_get(root, "primaryKey");
    size_t i;

    s->name = jstr(s->arena, root, "name");
    s->title = jstr(s->arena, root, "title");
    if (s->name == NULL || s->title == NULL || !json_is_array(fields))
        return false;
    s->n_fields = json_array_size(fields);
    s->fields = nb_arena_array(s->arena, s->n_fields, sizeof(nb_field));
    if (s->fields == NULL)
        return false;
    for (i = 0; i < s->n_fields; i++)
        if (!load_field(s, &s->fields[i], json_array_get(fields, i)))
            return false;
    if (json_is_string(pk))
        pk = json_pack("[O]", pk); /* a one-field key may be a string */
    else
        json_incref(pk);
    for (i = 0; json_is_array(pk) && i < json_array_size(pk) && i < 4; i++) {
        size_t k = field_index(s, json_string_value(json_array_get(pk, i)));

        if (k == (size_t)-1) {
            json_decref(pk);
            return false;
        }
        s->pk[s->n_pk++] = k;
    }
    json_decref(pk);
    return true;
}

nb_status nb_form_schema_load(nb_form_schema **out, nb_form_id id,
                              nb_diag_list *dl)
{
    static const struct {
        const unsigned char *data;
        const size_t *len;
        const char *file;
    } src[NB_N_FORMS] = {
        {nb_form_meta_json, &nb_form_meta_json_len, "schemas/forms/meta.json"},
        {nb_form_narrative_json, &nb_form_narrative_json_len,
         "schemas/forms/narrative.json"},
        {nb_form_metrics_json, &nb_form_metrics_json_len,
         "schemas/forms/metrics.json"}};
    nb_form_schema *s;
    json_error_t err;
    json_t *root;
    bool ok;

    *out = NULL;
    s = calloc(1, sizeof(*s));
    if (s == NULL || (s->arena = nb_arena_new()) == NULL) {
        free(s);
        return nb_diag_nomem(dl, src[id].file);
    }
    s->id = id;
    root = json_loadb((const char *)src[id].data, *src[id].len, 0, &err);
    ok = root != NULL && load_schema(s, root);
    json_decref(root);
    if (!ok) {
        nb_loc loc = {src[id].file, root == NULL ? (uint32_t)err.line : 0, 0,
                      NULL};

        nb_diag_add(dl, NB_FORM_SCHEMA_BROKEN, &loc, "%s",
                    root == NULL ? err.text
                                 : _("not a Table Schema nianbao can use"));
        nb_form_schema_free(s);
        return NB_ERR_FORMAT;
    }
    *out = s;
    return NB_OK;
}

void nb_form_schema_free(nb_form_schema *s)
{
    size_t i;

    if (s == NULL)
        return;
    for (i = 0; s->fields != NULL && i < s->n_fields; i++)
        if (s->fields[i].pattern != NULL)
            xmlRegFreeRegexp(s->fields[i].pattern);
    nb_arena_free(s->arena);
    free(s);
}

int nb_form_by_filename(const char *base)
{
    static const char *const names[NB_N_FORMS][2] = {
        {"meta.csv", "基本信息.csv"},
        {"narrative.csv", "正文.csv"},
        {"metrics.csv", "指标.csv"}};
    int i;

    for (i = 0; i < NB_N_FORMS; i++)
        if (nb_ascii_casecmp(base, names[i][0]) == 0 ||
            strcmp(base, names[i][1]) == 0)
            return i;
    return -1;
}

/* ==== Values ==== */

/* Full-width forms typed by Chinese input methods: ０-９ ． ， ％ － ＋ */
static size_t fullwidth_ascii(const unsigned char *s, char *out)
{
    if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
        *out = (char)('0' + (s[2] - 0x90));
        return 3;
    }
    if (s[0] == 0xEF && s[1] == 0xBC) {
        switch (s[2]) {
        case 0x8E:
            *out = '.';
            return 3;
        case 0x8C:
            *out = ',';
            return 3;
        case 0x85:
            *out = '%';
            return 3;
        case 0x8D:
            *out = '-';
            return 3;
        case 0x8B:
            *out = '+';
            return 3;
        default:
            break;
        }
    }
    *out = (char)s[0];
    return 1;
}

bool nb_number_norm(char *out, size_t size, const char *s, bool *percent_out,
                    bool *sci_out)
{
    char ascii[128];
    size_t n = 0;
    size_t i;
    size_t len;
    size_t start = 0;
    size_t digits = 0;
    size_t group = 0;
    bool seen_dot = false;
    bool grouped = false;
    size_t o = 0;

    *percent_out = false;
    *sci_out = false;
    /* the common case first: ASCII digits with at most one point */
    for (i = 0; (s[i] >= '0' && s[i] <= '9') || s[i] == '.'; i++)
        n += s[i] == '.';
    if (s[i] == '\0' && i > n && i < size && n <= 1) {
        memmove(out, s, i + 1);
        return true;
    }
    n = 0;
    for (i = 0; s[i] != '\0';) {
        char c;

        if (n + 1 >= sizeof(ascii))
            return false;
        i += fullwidth_ascii((const unsigned char *)s + i, &c);
        ascii[n++] = c;
    }
    ascii[n] = '\0';
    while (n > 0 && nb_is_blank(ascii[n - 1]))
        n--;
    while (start < n && nb_is_blank(ascii[start]))
        start++;
    if (n > start && ascii[n - 1] == '%') {
        *percent_out = true;
        n--;
    }
    len = n - start;
    if (len == 0 || len + 1 > size)
        return false;
    i = start;
    if (ascii[i] == '+' || ascii[i] == '-')
        out[o++] = ascii[i++];
    for (; i < n; i++) {
        char c = ascii[i];

        if (c >= '0' && c <= '9') {
            out[o++] = c;
            digits++;
            group++;
        } else if (c == ',' && !seen_dot && digits > 0 &&
                   (!grouped ? group <= 3 : group == 3)) {
            grouped = true;
            group = 0;
        } else if (c == '.' && !seen_dot && (!grouped || group == 3)) {
            seen_dot = true;
            grouped = false;
            out[o++] = c;
        } else {
            if ((c == 'E' || c == 'e') && digits > 0)
                *sci_out = true;
            return false;
        }
    }
    if (digits == 0 || (grouped && group != 3))
        return false;
    out[o] = '\0';
    return true;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool read_int(const char **p, int *v, int max_digits)
{
    int n = 0;

    *v = 0;
    while (**p >= '0' && **p <= '9' && n < max_digits) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n > 0 && !(**p >= '0' && **p <= '9');
}

static bool skip_sep(const char **p, const char *sep)
{
    size_t len = strlen(sep);

    if (strncmp(*p, sep, len) != 0)
        return false;
    *p += len;
    return true;
}

bool nb_date_norm(char *out, size_t size, const char *s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    static const char *const seps[][3] = {
        {"-", "-", ""}, {"/", "/", ""}, {".", ".", ""}, {"年", "月", "日"}};
    size_t k;

    while (nb_is_blank(*s))
        s++;
    for (k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
        const char *p = s;
        int y;
        int m;
        int d;

        if (!read_int(&p, &y, 4) || !skip_sep(&p, seps[k][0]) ||
            !read_int(&p, &m, 2) || !skip_sep(&p, seps[k][1]) ||
            !read_int(&p, &d, 2) || !skip_sep(&p, seps[k][2]))
            continue;
        while (nb_is_blank(*p))
            p++;
        if (*p != '\0' || y < 1000 || m < 1 || m > 12 || d < 1)
            return false;
        if (d > mdays[m - 1] + (m == 2 && leap(y) ? 1 : 0))
            return false;
        snprintf(out, size, "%04d-%02d-%02d", y, m, d);
        return true;
    }
    return false;
}

/* ==== Key sets ==== */

/* A set of strings with the row each was first seen in. */
typedef struct strset {
    nb_arena *arena;
    const char **keys;
    uint32_t *rows;
    size_t cap; /* a power of two, or 0 */
    size_t n;
} strset;

/* A string hash eight bytes at a time (the keys are short: codes, office
 * names), mixed at the end so that every bit reaches the low ones the
 * tables index by. */
static uint64_t hash_str(const char *s)
{
    size_t n = strlen(s);
    uint64_t h = 1469598103934665603ull ^ n;
    uint64_t w;

    for (; n >= 8; n -= 8, s += 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ull;
        h ^= h >> 29;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
    return h;
}

static void strset_clear(strset *s)
{
    nb_arena_free(s->arena);
    free(s->keys);
    free(s->rows);
    memset(s, 0, sizeof(*s));
}

static bool strset_grow(strset *s)
{
    strset bigger = {NULL, NULL, NULL, s->cap == 0 ? 64 : s->cap * 2, 0};
    size_t i;

    bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
    bigger.rows = calloc(bigger.cap, sizeof(*bigger.rows));
    if (bigger.keys == NULL || bigger.rows == NULL) {
        free(bigger.keys);
        free(bigger.rows);
        return false;
    }
    for (i = 0; i < s->cap; i++) {
        size_t j;

        if (s->keys[i] == NULL)
            continue;
        j = hash_str(s->keys[i]) & (bigger.cap - 1);
        while (bigger.keys[j] != NULL)
            j = (j + 1) & (bigger.cap - 1);
        bigger.keys[j] = s->keys[i];
        bigger.rows[j] = s->rows[i];
    }
    free(s->keys);
    free(s->rows);
    s->keys = bigger.keys;
    s->rows = bigger.rows;
    s->cap = bigger.cap;
    return true;
}

static bool strset_has(const strset *s, const char *key)
{
    size_t j = hash_str(key) & (s->cap - 1);

    while (s->keys[j] != NULL) {
        if (strcmp(s->keys[j], key) == 0)
            return true;
        j = (j + 1) & (s->cap - 1);
    }
    return false;
}

/* Empty the set, keeping its table for the next block. */
static void strset_reset(strset *s)
{
    if (s->n == 0)
        return;
    memset(s->keys, 0, s->cap * sizeof(*s->keys));
    s->n = 0;
    nb_arena_free(s->arena);
    s->arena = NULL;
}

/* Add 'key' first seen in 'row'. Returns 1 when added, 0 when it was
 * there (its first row in *prev), -1 when out of memory. */
static int strset_put(strset *s, const char *key, uint32_t row, uint32_t *prev)
{
    size_t j;

    if ((s->n + 1) * 2 > s->cap && !strset_grow(s))
        return -1;
    if (s->arena == NULL && (s->arena = nb_arena_new()) == NULL)
        return -1;
    j = hash_str(key) & (s->cap - 1);
    while (s->keys[j] != NULL) {
        if (strcmp(s->keys[j], key) == 0) {
            *prev = s->rows[j];
            return 0;
        }
        j = (j + 1) & (s->cap - 1);
    }
    s->keys[j] = nb_arena_strdup(s->arena, key);
    if (s->keys[j] == NULL)
        return -1;
    s->rows[j] = row;
    s->n++;
    return 1;
}

/* A set of 64-bit string hashes with the row each was first seen in: 16
 * bytes a key, whatever the string. For the blocks of a composite key
 * (one per office in a bureau's sheet), so that memory stays small however
 * many offices a sheet holds; two office names hashing alike (odds about
 * n^2 / 2^65) would be reported as a split block. */
typedef struct hashset {
    struct {
        uint64_t h; /* 0 = empty */
        uint32_t row;
    } * slots;
    size_t cap;
    size_t n;
} hashset;

static int hashset_put(hashset *s, uint64_t h, uint32_t row, uint32_t *prev)
{
    size_t j;

    h |= 1; /* never 0 */
    if ((s->n + 1) * 2 > s->cap) {
        hashset bigger = {NULL, s->cap == 0 ? 64 : s->cap * 2, 0};
        size_t i;

        bigger.slots = calloc(bigger.cap, sizeof(*bigger.slots));
        if (bigger.slots == NULL)
            return -1;
        for (i = 0; i < s->cap; i++) {
            if (s->slots[i].h == 0)
                continue;
            j = s->slots[i].h & (bigger.cap - 1);
            while (bigger.slots[j].h != 0)
                j = (j + 1) & (bigger.cap - 1);
            bigger.slots[j] = s->slots[i];
        }
        free(s->slots);
        s->slots = bigger.slots;
        s->cap = bigger.cap;
    }
    j = h & (s->cap - 1);
    while (s->slots[j].h != 0) {
        if (s->slots[j].h == h) {
            *prev = s->slots[j].row;
            return 0;
        }
        j = (j + 1) & (s->cap - 1);
    }
    s->slots[j].h = h;
    s->slots[j].row = row;
    s->n++;
    return 1;
}

/* ==== Reading a form ==== */

#define NO_COL ((size_t)-1)

typedef struct fstate {
    const nb_form_schema *s;
    const char *path;
    nb_diag_list *dl;
    nb_form_row_fn fn;
    void *payload;
    bool have_header;
    size_t n_hdr;
    size_t *col_field; /* header column -> field, or NO_COL */
    size_t *field_col; /* field -> header column, or NO_COL */
    char **names;      /* field -> its column as the header names it */
    bool *stray_seen;  /* header column: data under no header reported */
    nb_buf vals;       /* this row's normalised values */
    strset *seen;      /* per field: values that passed its pattern */
    size_t *voff;
    bool *vbad;
    const char **vptr;
    const char **rptr;
    strset keys;    /* primary key values, or second key field per block */
    hashset blocks; /* first key field values, for a composite key */
    const char *key_default; /* for an empty first key field */
    char *block;             /* the current block's first key value */
    bool cells;              /* a sheet: findings name the cell */
    char ref[24];            /* "!C14", where cell_at points */
    nb_status st;
} fstate;

static nb_loc row_at(const fstate *f, uint32_t row)
{
    nb_loc loc = {f->path, row, 0, NULL};

    return loc;
}

const char *nb_cell_ref(char *buf, size_t size, size_t col, uint32_t row)
{
    char letters[8];
    char digits[12];
    size_t n = 0;
    size_t c = col + 1;

    while (c > 0 && n < sizeof(letters)) {
        letters[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    if (size > 0)
        buf[0] = '\0';
    if (n + 12 > size)
        return buf;
    for (c = 0; c < n; c++)
        buf[c] = letters[n - 1 - c];
    /* the row's digits by hand: this runs for every cell of a sheet */
    c = 0;
    do
        digits[c++] = (char)('0' + row % 10);
    while ((row /= 10) > 0 && c < sizeof(digits));
    while (c > 0)
        buf[n++] = digits[--c];
    buf[n] = '\0';
    return buf;
}

/* Where field k's cell of 'row' is: in a sheet, the cell ("指标" file,
 * where "!C14"); in a CSV form, the row. */
static nb_loc cell_at(fstate *f, uint32_t row, size_t k)
{
    nb_loc loc = row_at(f, row);
    size_t c = f->field_col != NULL ? f->field_col[k] : NO_COL;

    if (!f->cells || c == NO_COL)
        return loc;
    f->ref[0] = '!';
    nb_cell_ref(f->ref + 1, sizeof(f->ref) - 1, c, row);
    loc.col = (uint32_t)c + 1;
    loc.where = f->ref;
    return loc;
}

/* A cell quoted in a message: at most 40 characters. */
static const char *excerpt(char *buf, size_t size, const char *s)
{
    size_t i = 0;
    size_t chars = 0;

    while (s[i] != '\0' && chars < 40 && i + 8 < size) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    if (s[i] == '\0') {
        snprintf(buf, size, "%s", s);
    } else {
        memcpy(buf, s, i);
        memcpy(buf + i, "…", sizeof("…"));
    }
    return buf;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool name_matches(const nb_field *fd, const char *h)
{
    return nb_ascii_casecmp(h, fd->name) == 0 || strcmp(h, fd->title) == 0;
}

static char *trim_dup(const char *s, size_t len)
{
    char *d;

    nb_trim(&s, &len);
    d = malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

static void list_columns(const nb_form_schema *s, nb_buf *b)
{
    size_t i;

    for (i = 0; i < s->n_fields; i++) {
        if (i > 0)
            nb_buf_adds(b, ", ");
        nb_buf_printf(b, "%s (%s)", s->fields[i].title, s->fields[i].name);
    }
}

static bool take_header(fstate *f, const nb_csv_row *row)
{
    const nb_form_schema *s = f->s;
    nb_loc loc = row_at(f, row->row);
    size_t i;
    size_t k;

    f->n_hdr = row->n;
    f->col_field = malloc(row->n * sizeof(*f->col_field));
    f->stray_seen = calloc(row->n, sizeof(*f->stray_seen));
    f->field_col = malloc(s->n_fields * sizeof(*f->field_col));
    f->names = calloc(s->n_fields, sizeof(*f->names));
    if (f->col_field == NULL || f->field_col == NULL || f->names == NULL ||
        f->stray_seen == NULL)
        return false;
    for (k = 0; k < s->n_fields; k++)
        f->field_col[k] = NO_COL;
    for (i = 0; i < row->n; i++) {
        char *h = trim_dup(row->cells[i], row->lens[i]);

        if (h == NULL)
            return false;
        f->col_field[i] = NO_COL;
        for (k = 0; h[0] != '\0' && k < s->n_fields; k++)
            if (name_matches(&s->fields[k], h))
                break;
        if (h[0] == '\0') {
            free(h); /* a column with no header: Excel's trailing ones */
        } else if (k == s->n_fields) {
            f->stray_seen[i] = true; /* its data: reported here, once */
            nb_buf cols;

            nb_buf_init(&cols, 4096);
            list_columns(s, &cols);
            nb_diag_add(f->dl, NB_CSV_COLUMN_UNKNOWN, &loc,
                        _("column '%s' is not a column of the %s form "
                          "(%s.csv); its columns are: %s"),
                        h, s->title, s->name,
                        cols.data != NULL ? cols.data : "");
            nb_buf_fini(&cols);
            free(h);
        } else if (f->field_col[k] != NO_COL) {
            f->stray_seen[i] = true;
            nb_diag_add(f->dl, NB_CSV_COLUMN_DUPLICATE, &loc,
                        _("columns %zu and %zu are both '%s'"),
                        f->field_col[k] + 1, i + 1, s->fields[k].title);
            free(h);
        } else {
            f->col_field[i] = k;
            f->field_col[k] = i;
            f->names[k] = h;
        }
    }
    for (k = 0; k < s->n_fields; k++) {
        if (f->names[k] == NULL) {
            f->names[k] = strdup(s->fields[k].title);
            if (f->names[k] == NULL)
                return false;
        }
        if (f->field_col[k] == NO_COL && !s->fields[k].optional_column)
            nb_diag_add(f->dl, NB_CSV_COLUMN_MISSING, &loc,
                        _("the header has no column '%s' (or '%s')"),
                        s->fields[k].title, s->fields[k].name);
    }
    f->voff = malloc(s->n_fields * sizeof(*f->voff));
    f->vbad = malloc(s->n_fields * sizeof(*f->vbad));
    f->vptr = malloc(s->n_fields * sizeof(*f->vptr));
    f->rptr = malloc(s->n_fields * sizeof(*f->rptr));
    return f->voff != NULL && f->vbad != NULL && f->vptr != NULL &&
           f->rptr != NULL;
}

static void enum_list(const nb_field *fd, nb_buf *b)
{
    size_t i;

    for (i = 0; i < fd->n_enum; i++) {
        /* the labels, each with its code: 举措成效 (measures) */
        if (strcmp(fd->enum_vals[i], fd->enum_codes[i]) == 0 &&
            i + 1 < fd->n_enum &&
            strcmp(fd->enum_codes[i + 1], fd->enum_vals[i]) == 0)
            continue;
        if (b->len > 0)
            nb_buf_adds(b, ", ");
        if (strcmp(fd->enum_vals[i], fd->enum_codes[i]) != 0)
            nb_buf_printf(b, "%s (%s)", fd->enum_vals[i], fd->enum_codes[i]);
        else
            nb_buf_adds(b, fd->enum_vals[i]);
    }
}

/* A column's values repeat (the same codes in every office's rows), so
 * the values that matched its pattern are remembered, up to a bound. */
static bool pattern_ok(fstate *f, size_t k, const char *v)
{
    strset *memo = &f->seen[k];
    uint32_t prev;

    if (memo->cap > 0 && strset_has(memo, v))
        return true;
    if (xmlRegexpExec(f->s->fields[k].pattern, (const xmlChar *)v) != 1)
        return false;
    if (memo->n >= 4096)
        strset_clear(memo);
    if (strset_put(memo, v, 0, &prev) < 0)
        f->st = NB_ERR_NOMEM;
    return true;
}

/* "12件", "130 人次": a number with its unit typed after it. The number
 * goes to 'out'. */
static bool number_then_unit(const char *v, char *out, size_t size)
{
    size_t n = 0;
    bool pct;
    bool sci;

    while ((v[n] >= '0' && v[n] <= '9') || v[n] == '.' || v[n] == ',')
        n++;
    if (n == 0 || n + 1 > size || v[n] == '\0')
        return false;
    memcpy(out, v, n);
    out[n] = '\0';
    return nb_number_norm(out, size, out, &pct, &sci) &&
           ((unsigned char)v[n] >= 0x80 || v[n] == ' ');
}

/* The length of the qualifier 'v' starts with (近 约 超 逾), or 0. */
static size_t approx_prefix(const char *v)
{
    static const char *const words[] = {"近", "约", "超", "逾"};
    size_t i;

    for (i = 0; i < 4; i++)
        if (strncmp(v, words[i], 3) == 0)
            return 3;
    return 0;
}

/* The length of the scale and qualifier 'v' ends with (万 亿, then 余 多),
 * or 0: all of them are three bytes in UTF-8. */
static size_t approx_suffix(const char *v, size_t len)
{
    static const char *const tail[] = {"余", "多"};
    static const char *const scale[] = {"万", "亿"};
    size_t n = 0;
    size_t i;

    for (i = 0; i < 2; i++)
        if (len >= 3 && memcmp(v + len - 3, tail[i], 3) == 0) {
            n = 3;
            break;
        }
    for (i = 0; i < 2; i++)
        if (len >= n + 3 && memcmp(v + len - n - 3, scale[i], 3) == 0) {
            n += 3;
            break;
        }
    return n;
}

/* An approximate figure ("1万余", "３５３０余", "近千"): the number in the
 * middle normalised as any number, the words around it kept. */
static bool approx_norm(char *out, size_t size, const char *v, bool *pct,
                        bool *sci)
{
    size_t len = strlen(v);
    size_t pre = approx_prefix(v);
    size_t post = len > pre ? approx_suffix(v + pre, len - pre) : 0;
    char core[128];
    char num[128];
    size_t n = len - pre - post;
    nb_quantity q;

    *pct = *sci = false;
    if (nb_quantity_parse(&q, v)) {
        /* already as figures.c reads it: "近万", "1万余", "近千" */
        if ((size_t)snprintf(out, size, "%s", v) >= size)
            return false;
        return true;
    }
    if ((pre == 0 && post == 0) || n >= sizeof(core))
        return false;
    memcpy(core, v + pre, n);
    core[n] = '\0';
    /* the number in the middle as any number: full-width, grouped, a % */
    if (!nb_number_norm(num, sizeof(num), core, pct, sci))
        return false;
    return (size_t)snprintf(out, size, "%.*s%s%s", (int)pre, v, num,
                            v + len - post) < size;
}

/* Check one non-empty cell. On success the value is either *direct (the
 * cell itself, or a code of the schema) or, when *direct is NULL, what
 * was appended to f->vals. */
static bool check_cell(fstate *f, size_t k, const char *v, uint32_t row,
                       const char **direct)
{
    const nb_field *fd = &f->s->fields[k];
    const char *name = f->names[k];
    nb_loc loc = cell_at(f, row, k);
    char ex[192];
    char num[128];
    bool pct;
    bool sci;
    size_t i;

    if (fd->max_length > 0 && strlen(v) > fd->max_length &&
        utf8_chars(v) > fd->max_length) {
        nb_diag_add(f->dl, NB_CSV_RANGE, &loc,
                    _("%s: %zu characters, more than the limit of %zu"), name,
                    utf8_chars(v), fd->max_length);
        return false;
    }
    switch (fd->type) {
    case NB_FT_INTEGER:
    case NB_FT_NUMBER:
        if ((!nb_number_norm(num, sizeof(num), v, &pct, &sci) &&
             !(fd->approximate && !sci &&
               approx_norm(num, sizeof(num), v, &pct, &sci))) ||
            (pct && !fd->percent) ||
            (fd->type == NB_FT_INTEGER && strchr(num, '.') != NULL)) {
            if (sci)
                nb_diag_add(f->dl, NB_CSV_TYPE, &loc,
                            _("%s: '%s' is in scientific notation; format "
                              "the column as a number in Excel and save "
                              "again"),
                            name, excerpt(ex, sizeof(ex), v));
            else if (number_then_unit(v, num, sizeof(num)))
                nb_diag_add(f->dl, NB_CSV_TYPE, &loc,
                            _("%s: '%s' is not a number: write the number "
                              "alone (%s) and the unit in its own column"),
                            name, excerpt(ex, sizeof(ex), v), num);
            else
                nb_diag_add(f->dl, NB_CSV_TYPE, &loc,
                            fd->type == NB_FT_INTEGER
                                ? _("%s: '%s' is not a whole number")
                                : _("%s: '%s' is not a number"),
                            name, excerpt(ex, sizeof(ex), v));
            return false;
        }
        if ((fd->has_min && nb_decimal_value(num) < fd->min) ||
            (fd->has_max && nb_decimal_value(num) > fd->max)) {
            nb_diag_add(f->dl, NB_CSV_RANGE, &loc,
                        _("%s: %s is outside %g to %g"), name, num,
                        fd->has_min ? fd->min : -1e300,
                        fd->has_max ? fd->max : 1e300);
            return false;
        }
        if (strcmp(num, v) == 0)
            *direct = v; /* already in normal form */
        else
            nb_buf_adds(&f->vals, num);
        return true;
    case NB_FT_DATE:
        if (!nb_date_norm(num, sizeof(num), v)) {
            nb_diag_add(f->dl, NB_CSV_TYPE, &loc,
                        _("%s: '%s' is not a date (write 2023-02-08, "
                          "2023/2/8 or 2023年2月8日)"),
                        name, excerpt(ex, sizeof(ex), v));
            return false;
        }
        nb_buf_adds(&f->vals, num);
        return true;
    case NB_FT_STRING:
        break;
    }
    if (fd->n_enum > 0) {
        for (i = 0; i < fd->n_enum; i++)
            if (strcmp(v, fd->enum_vals[i]) == 0 ||
                nb_ascii_casecmp(v, fd->enum_codes[i]) == 0)
                break;
        if (i == fd->n_enum) {
            nb_buf all;

            nb_buf_init(&all, 4096);
            enum_list(fd, &all);
            nb_diag_add(
                f->dl, NB_CSV_ENUM, &loc, _("%s: '%s' is not one of: %s"), name,
                excerpt(ex, sizeof(ex), v), all.data != NULL ? all.data : "");
            nb_buf_fini(&all);
            return false;
        }
        *direct = fd->enum_codes[i];
        return true;
    }
    if (fd->pattern != NULL && !pattern_ok(f, k, v)) {
        nb_diag_add(f->dl, NB_CSV_PATTERN, &loc,
                    _("%s: '%s' does not match the pattern %s"), name,
                    excerpt(ex, sizeof(ex), v), fd->pattern_src);
        return false;
    }
    *direct = v;
    return true;
}

static void check_keys(fstate *f, uint32_t row)
{
    const nb_form_schema *s = f->s;
    nb_loc loc = row_at(f, row);
    const char *last;
    uint32_t prev = 0;
    int rc;
    char ex[192];

    if (s->n_pk == 0)
        return;
    last = f->vptr[s->pk[s->n_pk - 1]];
    if (last == NULL || f->vbad[s->pk[0]])
        return; /* an empty or bad key cell is reported already */
    if (s->n_pk == 2) {
        const char *first = f->vptr[s->pk[0]];

        if (first == NULL)
            first = f->key_default != NULL ? f->key_default : "";

        if (f->block == NULL || strcmp(f->block, first) != 0) {
            free(f->block);
            f->block = strdup(first);
            strset_reset(&f->keys);
            rc = hashset_put(&f->blocks, hash_str(first), row, &prev);
            if (rc == 0)
                nb_diag_add(f->dl, NB_CSV_DUPLICATE_KEY, &loc,
                            _("%s '%s' already had rows ending before this "
                              "one (from row %u): keep its rows together"),
                            f->names[s->pk[0]], excerpt(ex, sizeof(ex), first),
                            (unsigned)prev);
            if (rc < 0 || f->block == NULL) {
                f->st = NB_ERR_NOMEM;
                return;
            }
        }
    }
    rc = strset_put(&f->keys, last, row, &prev);
    if (rc < 0)
        f->st = NB_ERR_NOMEM;
    else if (rc == 0)
        nb_diag_add(f->dl, NB_CSV_DUPLICATE_KEY, &loc,
                    _("%s '%s' is already in row %u"),
                    f->names[s->pk[s->n_pk - 1]], excerpt(ex, sizeof(ex), last),
                    (unsigned)prev);
}

static bool on_form_row(const nb_csv_row *row, void *payload)
{
    fstate *f = payload;
    const nb_form_schema *s = f->s;
    nb_loc loc = row_at(f, row->row);
    nb_form_row out;
    size_t i;
    size_t k;
    size_t extra = 0;

    if (!f->have_header) {
        f->have_header = true;
        if (!take_header(f, row)) {
            f->st = nb_diag_nomem(f->dl, f->path);
            return false;
        }
        return true;
    }
    for (i = f->n_hdr; i < row->n; i++)
        if (row->lens[i] > 0)
            extra++;
    if (extra > 0)
        nb_diag_add(
            f->dl, NB_CSV_RAGGED_ROW, &loc,
            _("row has %zu cells but the header has %zu: the cells past "
              "the last column are not read"),
            row->n, f->n_hdr);
    for (i = 0; i < row->n && i < f->n_hdr; i++) {
        char buf[128];

        if (f->col_field[i] != NO_COL || f->stray_seen[i] || row->lens[i] == 0)
            continue;
        f->stray_seen[i] = true; /* once per column */
        nb_diag_add(f->dl, NB_CSV_COLUMN_UNKNOWN, &loc,
                    _("%s has data but no header, or a header nianbao does "
                      "not know"),
                    nb_csv_column_name(buf, sizeof(buf), NULL, i));
    }
    nb_buf_reset(&f->vals);
    for (k = 0; k < s->n_fields; k++) {
        const nb_field *fd = &s->fields[k];
        size_t c = f->field_col[k];
        const char *v = NULL;
        const char *direct = NULL;

        f->voff[k] = NO_COL;
        f->vptr[k] = f->rptr[k] = NULL;
        f->vbad[k] = c != NO_COL && c < row->n && row->bad[c];
        /* the reader has trimmed the cells: they are the raw values */
        if (c != NO_COL && c < row->n && !row->bad[c] && row->lens[c] > 0)
            v = row->cells[c];
        if (v == NULL) {
            nb_loc cloc = cell_at(f, row->row, k);

            if (fd->required && !f->vbad[k] && c != NO_COL)
                nb_diag_add(f->dl, NB_CSV_REQUIRED, &cloc,
                            _("%s: required, but the cell is empty"),
                            f->names[k]);
            continue;
        }
        f->rptr[k] = v;
        f->voff[k] = f->vals.len;
        if (!check_cell(f, k, v, row->row, &direct)) {
            f->voff[k] = NO_COL;
            f->vbad[k] = true;
        } else if (direct != NULL) {
            f->voff[k] = NO_COL;
            f->vptr[k] = direct;
        } else {
            nb_buf_addc(&f->vals, '\0');
        }
    }
    if (f->vals.st != NB_OK) {
        f->st = nb_diag_nomem(f->dl, f->path);
        return false;
    }
    for (k = 0; k < s->n_fields; k++)
        if (f->voff[k] != NO_COL)
            f->vptr[k] = f->vals.data + f->voff[k];
    check_keys(f, row->row);
    if (f->st != NB_OK)
        return false;
    out.row = row->row;
    out.val = f->vptr;
    out.raw = f->rptr;
    out.bad = f->vbad;
    out.col = (const char *const *)f->names;
    out.path = f->path;
    return f->fn(&out, f->payload);
}

nb_status nb_form_read(const char *path, const nb_form_schema *s,
                       const nb_csv_opts *o, const char *key_default,
                       nb_form_row_fn fn, void *payload, nb_diag_list *dl)
{
    fstate f;
    nb_status st;
    size_t k;

    memset(&f, 0, sizeof(f));
    f.s = s;
    f.path = path;
    f.dl = dl;
    f.fn = fn;
    f.payload = payload;
    f.key_default = key_default;
    nb_buf_init(&f.vals, (size_t)-1 / 2);
    f.seen = calloc(s->n_fields, sizeof(*f.seen));
    if (f.seen == NULL) {
        nb_buf_fini(&f.vals);
        return nb_diag_nomem(dl, path);
    }
    f.cells = o->rows != NULL;
    st = o->rows != NULL ? o->rows(o->rows_ctx, on_form_row, &f, dl)
                         : nb_csv_read(path, o, on_form_row, &f, NULL, dl);
    if (st == NB_OK && !f.have_header) {
        nb_loc loc = {path, 0, 0, NULL};

        nb_diag_add(dl, NB_CSV_COLUMN_MISSING, &loc,
                    _("the file is empty: the %s form needs its header row"),
                    s->title);
    }
    if (st == NB_OK)
        st = f.st;
    for (k = 0; f.names != NULL && k < s->n_fields; k++)
        free(f.names[k]);
    free(f.names);
    free(f.col_field);
    free(f.field_col);
    free(f.stray_seen);
    free(f.voff);
    free(f.vbad);
    free(f.vptr);
    free(f.rptr);
    free(f.block);
    strset_clear(&f.keys);
    free(f.blocks.slots);
    for (k = 0; k < s->n_fields; k++)
        strset_clear(&f.seen[k]);
    free(f.seen);
    nb_buf_fini(&f.vals);
    return st;
}

int nb_form_by_header(const nb_csv_row *hdr, nb_form_schema *const *schemas)
{
    int id;

    for (id = 0; id < NB_N_FORMS; id++) {
        const nb_form_schema *s = schemas[id];
        size_t i;
        size_t named = 0;
        bool all = true;

        for (i = 0; i < hdr->n && all; i++) {
            char *h = trim_dup(hdr->cells[i], hdr->lens[i]);
            size_t k;

            if (h == NULL)
                return -1;
            if (h[0] != '\0') {
                for (k = 0; k < s->n_fields; k++)
                    if (name_matches(&s->fields[k], h))
                        break;
                all = k < s->n_fields;
                named++;
            }
            free(h);
        }
        if (all && named > 0)
            return id;
    }
    return -1;
}
