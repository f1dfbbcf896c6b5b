/* rules_opts.c: what the commands that read reports share: the reading
 * options, the diagnostics list, and what the rules take beside the
 * report (docs/rules.md): a local indicator catalog and last year's
 * report. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int status_exit(nb_status st)
{
    return st == NB_ERR_FORMAT ? EXIT_DATA : EXIT_RUN;
}

bool same_file(const char *a, const char *b)
{
    struct stat sa;
    struct stat sb;

    if (a == NULL || b == NULL || stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return false;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

nb_diag_list *cli_diag_list(const cli_args *a)
{
    nb_diag_list *dl = nb_diag_list_new();

    if (dl != NULL && a->diag_cap > 0)
        nb_diag_list_set_cap(dl, a->diag_cap);
    return dl;
}

nb_read_opts cli_read_opts(cli_args *a)
{
    nb_read_opts ro;

    memset(&ro, 0, sizeof(ro));
    ro.encoding = a->encoding;
    ro.limits = &a->limits;
    return ro;
}

int rules_load(rules_cli *rc, const cli_args *a, nb_read_opts *ro,
               nb_diag_list *dl)
{
    nb_status st;

    memset(rc, 0, sizeof(*rc));
    if (a->indicators != NULL) {
        st = nb_catalog_load(&rc->cat, a->indicators, dl);
        if (st != NB_OK)
            return status_exit(st);
        if (rc->cat == NULL)
            return EXIT_DATA;
        ro->catalog = rc->cat;
    }
    if (a->previous != NULL) {
        st = nb_report_read(&rc->prev, a->previous, ro, dl);
        if (st != NB_OK)
            return status_exit(st);
        if (rc->prev == NULL)
            return EXIT_DATA;
    }
    return EXIT_CLEAN;
}

nb_check_opts rules_check_opts(const rules_cli *rc, const cli_args *a)
{
    nb_check_opts co;

    memset(&co, 0, sizeof(co));
    co.catalog = rc->cat;
    co.profile = a->profile;
    co.previous = rc->prev;
    co.figures = a->figures;
    co.allow = a->allow[0] != '\0' ? a->allow : NULL;
    return co;
}

void rules_free(rules_cli *rc)
{
    nb_report_free(rc->prev);
    nb_catalog_free(rc->cat);
    memset(rc, 0, sizeof(*rc));
}

int cli_data_schema(const cli_args *a, nb_data **d, nb_diag_list *dl)
{
    nb_json_schema *s = NULL;
    size_t errors = nb_diag_list_count_sev(dl, NB_SEV_ERROR);
    nb_status st;
    int rc = EXIT_CLEAN;

    if (a->schema == NULL)
        return EXIT_CLEAN;
    st = nb_json_schema_load(&s, a->schema, &a->limits, dl);
    if (st == NB_OK && a->data != NULL)
        st = nb_json_schema_validate(s, a->data, &a->limits, dl);
    if (st == NB_OK)
        st = nb_data_use_schema(d, s, dl);
    if (st != NB_OK)
        rc = status_exit(st);
    else if (nb_diag_list_count_sev(dl, NB_SEV_ERROR) > errors)
        rc = EXIT_DATA;
    nb_json_schema_free(s);
    return rc;
}
