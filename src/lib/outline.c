/* outline.c: a report's structure as an indented outline (import --tree). */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first 'max' code points of s, "…" when cut. */
static void clip(nb_buf *b, const char *s, size_t max)
{
    size_t i = 0;
    size_t n = 0;

    if (s == NULL)
        return;
    while (s[i] != '\0' && n < max) {
        uint32_t cp;
        size_t k = nb_utf8_decode(s + i, strlen(s + i), &cp);

        if (k == 0)
            k = 1;
        if ((unsigned char)s[i] == (unsigned char)NB_REF_OPEN)
            nb_buf_adds(b, "{");
        else if ((unsigned char)s[i] == (unsigned char)NB_REF_CLOSE)
            nb_buf_adds(b, "}");
        else
            nb_buf_add(b, s + i, k);
        i += k;
        n++;
    }
    if (s[i] != '\0')
        nb_buf_adds(b, "…");
}

static void line(nb_buf *b, int depth, const char *label, const char *text)
{
    int i;

    for (i = 0; i < depth; i++)
        nb_buf_adds(b, "  ");
    nb_buf_adds(b, label);
    if (text != NULL) {
        nb_buf_adds(b, " ");
        clip(b, text, 24);
    }
    nb_buf_adds(b, "\n");
}

static void items(nb_buf *b, int depth, const nb_item *it, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char label[48];

        snprintf(label, sizeof(label), "item %zu [%s%s]", i + 1,
                 nb_numbering_name(it[i].numbering),
                 it[i].n_items > 0 ? (it[i].run_in ? ", nested run in"
                                                   : ", nested paragraphs")
                                   : "");
        line(b, depth, label,
             it[i].lead != NULL ? it[i].lead : it[i].text);
        if (it[i].n_paras > 0) {
            snprintf(label, sizeof(label), "+ %zu paragraph(s)",
                     it[i].n_paras);
            line(b, depth + 1, label, NULL);
        }
        items(b, depth + 1, it[i].items, it[i].n_items);
    }
}

static void section(nb_buf *b, size_t si, const nb_section *s)
{
    char label[64];
    size_t k;

    snprintf(label, sizeof(label), "part %zu [%s]", si + 1,
             nb_section_kind_name(s->kind));
    line(b, 1, label, s->title);
    if (s->n_intro > 0) {
        snprintf(label, sizeof(label), "intro: %zu paragraph(s)", s->n_intro);
        line(b, 2, label, NULL);
    }
    for (k = 0; k < s->n_areas; k++) {
        const nb_area *a = &s->areas[k];

        snprintf(label, sizeof(label), "area %zu [%s%s%s]", k + 1,
                 a->run_in ? "run-in" : "heading",
                 a->n_items > 0 ? ", items " : "",
                 a->n_items > 0 ? nb_numbering_name(a->numbering) : "");
        line(b, 2, label, a->title);
        if (a->n_paras > 0) {
            snprintf(label, sizeof(label), "%zu paragraph(s)", a->n_paras);
            line(b, 3, label, NULL);
        }
        items(b, 3, a->items, a->n_items);
    }
    if (s->n_closing > 0) {
        snprintf(label, sizeof(label), "closing: %zu paragraph(s)",
                 s->n_closing);
        line(b, 2, label, NULL);
    }
}

nb_status nb_report_outline(char **out, const nb_report *r)
{
    nb_buf b;
    char label[64];
    size_t i;

    *out = NULL;
    nb_buf_init(&b, NB_TEXT_MAX);
    line(&b, 0, "title", r->title);
    if (r->meta.addressee != NULL)
        line(&b, 1, "addressee", r->meta.addressee);
    if (r->n_preamble > 0) {
        snprintf(label, sizeof(label), "preamble: %zu paragraph(s)",
                 r->n_preamble);
        line(&b, 1, label, NULL);
    }
    for (i = 0; i < r->n_sections; i++)
        section(&b, i, &r->sections[i]);
    if (r->meta.signer != NULL && !r->meta.signer_default)
        line(&b, 1, "signer", r->meta.signer);
    if (r->meta.date != NULL)
        line(&b, 1, "date", r->meta.date);
    for (i = 0; i < r->n_metrics; i++) {
        const nb_metric *m = &r->metrics[i];
        char text[160];

        snprintf(text, sizeof(text), "%s%s", m->value,
                 m->unit != NULL ? m->unit
                 : m->ind != NULL && m->ind->unit != NULL ? m->ind->unit
                                                          : "");
        snprintf(label, sizeof(label), "figure %s", m->code);
        line(&b, 1, label, text);
    }
    if (b.st != NB_OK) {
        nb_buf_fini(&b);
        return NB_ERR_NOMEM;
    }
    *out = b.data != NULL ? b.data : calloc(1, 1);
    return *out != NULL ? NB_OK : NB_ERR_NOMEM;
}
