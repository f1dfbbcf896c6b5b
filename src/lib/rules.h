/* rules.h: figures of a checked report as the text and the templates print
 * them (rules.c). */
#ifndef NIANBAO_SRC_LIB_RULES_H
#define NIANBAO_SRC_LIB_RULES_H

#include "model.h"

/* The unit a metric prints with: its own, else its indicator's. */
const char *nb_metric_unit(const nb_metric *m);

/* The year-on-year change of a metric that has a previous value: the
 * relative change in percent (*pct; false when last year's value is 0)
 * and, for rates, the difference in percentage points (*pp). False when
 * either value is approximate or there is no previous value. */
bool nb_metric_change(const nb_metric *m, double *pct, bool *has_pct,
                      double *pp, bool *has_pp);

/* The change as reports write it: "同比增长12.5%", "同比下降2.2个百分点"
 * (rates change in points), "与上年持平". False when it cannot be
 * computed. */
bool nb_metric_yoy(char *out, size_t size, const nb_metric *m);

/* A text with every metric reference replaced by what it shows: the
 * figure and unit ("93件"), the figure alone, or the change. A reference
 * the rules would reject shows as nothing. In arena 'a'; NULL when out of
 * memory. */
const char *nb_text_resolve(nb_arena *a, const nb_report *r,
                            const char *text);

/* The indicator whose name or alias the clause before the figure 'f' of
 * 's' names, in a unit it is counted in: the longest name, then the one
 * nearest the figure. "受理行政复议申请93件" is fy_accepted. NULL when
 * none; else *key_end (when not NULL) is where that name ends in 's'. */
struct nb_figure;
const nb_indicator *nb_figure_indicator(const nb_catalog *cat,
                                        const char *s,
                                        const struct nb_figure *f,
                                        size_t *key_end);

#endif /* NIANBAO_SRC_LIB_RULES_H */
