/* model.c: the report model's lifecycle, accessors and derived defaults.
 *
 * Defaults follow 《法治政府建设与责任落实督察工作规定》 art. 25, which
 * names the report's five parts; the plans part is about the year after
 * the one reported on.
 */
#include "model.h"

#include <stdlib.h>

nb_report *nb_report_new(const char *file)
{
    nb_report *r = calloc(1, sizeof(*r));

    if (r == NULL)
        return NULL;
    r->arena = nb_arena_new();
    if (r->arena == NULL) {
        free(r);
        return NULL;
    }
    r->file = nb_arena_strdup(r->arena, file != NULL ? file : "-");
    if (r->file == NULL) {
        nb_report_free(r);
        return NULL;
    }
    return r;
}

void nb_report_free(nb_report *r)
{
    if (r == NULL)
        return;
    nb_arena_free(r->arena);
    free(r);
}

const char *nb_section_kind_name(nb_section_kind kind)
{
    static const char *const names[] = {"measures", "shortcomings", "duties",
                                        "plans", "other"};

    return (unsigned)kind < 5 ? names[kind] : "other";
}

const char *nb_section_default_title(nb_report *r, nb_section_kind kind,
                                     int year)
{
    switch (kind) {
    case NB_SECTION_MEASURES:
        return nb_arena_printf(r->arena,
                               "%d年度推进法治政府建设的主要举措和成效", year);
    case NB_SECTION_SHORTCOMINGS:
        return nb_arena_printf(r->arena,
                               "%d年度推进法治政府建设存在的不足和原因", year);
    case NB_SECTION_DUTIES:
        return nb_arena_printf(r->arena,
                               "%d年度党政主要负责人履行推进法治建设第一责任"
                               "人职责、加强法治政府建设的有关情况",
                               year);
    case NB_SECTION_PLANS:
        return nb_arena_printf(r->arena, "%d年度推进法治政府建设的主要安排",
                               year + 1);
    default:
        return "其他需要报告的情况";
    }
}

const char *nb_report_default_title(nb_report *r)
{
    return nb_arena_printf(r->arena, "%s%d年度法治政府建设情况报告",
                           r->meta.issuer != NULL ? r->meta.issuer : "",
                           r->meta.year);
}

const char *nb_report_title(const nb_report *r)
{
    return r->title;
}

const char *nb_report_issuer(const nb_report *r)
{
    return r->meta.issuer;
}

int nb_report_year(const nb_report *r)
{
    return r->meta.year;
}

size_t nb_report_section_count(const nb_report *r)
{
    return r->n_sections;
}
