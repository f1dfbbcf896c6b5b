/* rules_opts.c: the options validate and render share for the rules
 * (docs/rules.md): a local indicator catalog, the profile, last year's
 * report. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int rules_option(rules_cli *rc, int c, const char *arg, const char *cmd,
                 int *exit_out)
{
    switch (c) {
    case OPT_INDICATORS:
        rc->indicators = arg;
        return 1;
    case OPT_PREVIOUS:
        rc->previous = arg;
        return 1;
    case OPT_PROFILE:
        if (!nb_profile_parse(&rc->profile, arg)) {
            *exit_out = usage_error(cmd,
                                    _("--profile must be annual-report or "
                                      "work-summary, not '%s'"),
                                    arg);
            return -1;
        }
        return 1;
    case OPT_FIGURES:
        rc->figures = true;
        return 1;
    default:
        return 0;
    }
}

int status_exit(nb_status st)
{
    return st == NB_ERR_FORMAT ? EXIT_DATA : EXIT_RUN;
}

int rules_load(rules_cli *rc, nb_read_opts *ro, nb_diag_list *dl)
{
    nb_status st;

    if (rc->indicators != NULL) {
        st = nb_catalog_load(&rc->cat, rc->indicators, dl);
        if (st != NB_OK)
            return status_exit(st);
        if (rc->cat == NULL)
            return EXIT_DATA;
        ro->catalog = rc->cat;
    }
    if (rc->previous != NULL) {
        st = nb_report_read(&rc->prev, rc->previous, ro, dl);
        if (st != NB_OK)
            return status_exit(st);
        if (rc->prev == NULL)
            return EXIT_DATA;
    }
    return EXIT_CLEAN;
}

nb_check_opts rules_check_opts(const rules_cli *rc)
{
    nb_check_opts co;

    memset(&co, 0, sizeof(co));
    co.catalog = rc->cat;
    co.profile = rc->profile;
    co.previous = rc->prev;
    co.figures = rc->figures;
    return co;
}

void rules_free(rules_cli *rc)
{
    nb_report_free(rc->prev);
    nb_catalog_free(rc->cat);
    memset(rc, 0, sizeof(*rc));
}
