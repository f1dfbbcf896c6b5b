/* options.c: the options several commands share, declared once (opt.h),
 * and the checks of option values. Each check says what is wrong with
 * the value in a sentence that the parser prefixes with the option's
 * name as typed (opt.c). */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FIELD(f) offsetof(cli_args, f)

/* ==== Checks ==== */

static bool set_diag(cli_args *a, const char *v, char *why, size_t size)
{
    if (strcmp(v, "text") == 0)
        a->diag = DIAG_TEXT;
    else if (strcmp(v, "json") == 0)
        a->diag = DIAG_JSON;
    else {
        snprintf(why, size, _("'%s' is not a format: text or json"), v);
        return false;
    }
    return true;
}

static bool encoding_value(nb_encoding *out, const char *v, char *why,
                           size_t size)
{
    if (nb_encoding_parse(out, v))
        return true;
    snprintf(why, size, _("unknown encoding '%s' (utf-8, gb18030 or auto)"),
             v);
    return false;
}

static bool set_encoding(cli_args *a, const char *v, char *why, size_t size)
{
    return encoding_value(&a->encoding, v, why, size);
}

bool set_out_encoding(cli_args *a, const char *v, char *why, size_t size)
{
    return encoding_value(&a->out_encoding, v, why, size);
}

static bool set_limit(cli_args *a, const char *v, char *why, size_t size)
{
    return limit_set(&a->limits, &a->diag_cap, v, why, size);
}

static bool set_profile(cli_args *a, const char *v, char *why, size_t size)
{
    if (nb_profile_parse(&a->profile, v))
        return true;
    snprintf(why, size,
             _("'%s' is not a profile: annual-report or work-summary"), v);
    return false;
}

/* --allow NB5022: a finding code of the rules, kept as a note. */
static bool set_allow(cli_args *a, const char *v, char *why, size_t size)
{
    nb_code code = nb_code_parse(v);
    size_t len = strlen(a->allow);

    if (code == NB_CODE_NONE || code < 5000 || code > 5999) {
        snprintf(why, size,
                 _("'%s' is not the code of a finding of the rules "
                   "(NB5xxx, as 'nianbao explain' lists them)"),
                 v);
        return false;
    }
    if (len + 8 >= sizeof(a->allow)) {
        snprintf(why, size, _("too many codes"));
        return false;
    }
    snprintf(a->allow + len, sizeof(a->allow) - len, "%s%s",
             len > 0 ? " " : "", nb_code_id(code));
    return true;
}

/* A whole number in [lo, hi], as typed in decimal. */
bool number_value(long *out, const char *v, long lo, long hi)
{
    char *end;
    long n;

    if (v[0] < '0' || v[0] > '9')
        return false;
    errno = 0;
    n = strtol(v, &end, 10);
    if (errno != 0 || *end != '\0' || n < lo || n > hi)
        return false;
    *out = n;
    return true;
}

static bool set_jobs(cli_args *a, const char *v, char *why, size_t size)
{
    long n;

    if (!number_value(&n, v, 1, 256)) {
        snprintf(why, size, _("'%s' is not a number from 1 to 256"), v);
        return false;
    }
    a->jobs = (unsigned)n;
    return true;
}

/* ==== The shared options ==== */

const cli_opt opt_diag = {
    "diag", 0, CLI_VALUE, "FORMAT", "text|json", CLI_COMPLETE_CHOICES,
    N_("text (default: file:line:col: error: ... [NB####] on\n"
       "standard error) or json (one object per line on\n"
       "standard output)"),
    set_diag, 0, CLI_IO_NONE};

const cli_opt opt_encoding = {
    "encoding", 0, CLI_VALUE, "ENC", "auto|utf-8|gb18030",
    CLI_COMPLETE_CHOICES,
    N_("of CSV forms read: auto (default: a BOM, else UTF-8,\n"
       "else GB18030), utf-8 or gb18030"),
    set_encoding, 0, CLI_IO_NONE};

const cli_opt opt_limit = {
    "limit", 0, CLI_VALUE, "NAME=N", NULL, CLI_COMPLETE_NONE,
    N_("raise a safety limit for this run, e.g. input=200M or\n"
       "cells=50000 ('nianbao limits' lists them); repeatable"),
    set_limit, 0, CLI_IO_NONE};

const cli_opt opt_profile = {
    "profile", 0, CLI_VALUE, "P", "annual-report|work-summary",
    CLI_COMPLETE_CHOICES,
    N_("annual-report (the parts art. 25 requires, plans for\n"
       "next year, dated by 1 April) or work-summary (not\n"
       "bound by art. 25); overrides the report's 报告类型"),
    set_profile, 0, CLI_IO_NONE};

const cli_opt opt_allow = {
    "allow", 0, CLI_VALUE, "CODE", NULL, CLI_COMPLETE_CODE,
    N_("acknowledge the findings of this code (NB5022) for\n"
       "this run: they are printed as notes and no longer\n"
       "stop render; repeatable"),
    set_allow, 0, CLI_IO_NONE};

const cli_opt opt_allow_external = {
    "allow-external", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("accept a template's external and active content\n"
       "(macros, DDE fields, a remote attached template,\n"
       "links, INCLUDE fields, OLE objects): notes, not\n"
       "errors or warnings"),
    NULL, FIELD(limits) + offsetof(nb_limits, allow_external), CLI_IO_NONE};

const cli_opt opt_indicators = {
    "indicators", 0, CLI_VALUE, "FILE", NULL, CLI_COMPLETE_FILE,
    N_("add the office's local indicator catalog FILE\n"
       "(schemas/indicators.xsd) to the built-in one"),
    NULL, FIELD(indicators), CLI_IO_READ};

const cli_opt opt_previous = {
    "previous", 0, CLI_VALUE, "REPORT", NULL, CLI_COMPLETE_FILE,
    N_("last year's report (XML, form set or zip): every\n"
       "metric gets its year-on-year change"),
    NULL, FIELD(previous), CLI_IO_READ};

const cli_opt opt_template = {
    "template", 't', CLI_VALUE, "T.docx", NULL, CLI_COMPLETE_FILE,
    N_("merge into this template instead of the built-in\n"
       "standard one ('nianbao export-template')"),
    NULL, FIELD(tmpl), CLI_IO_READ};

const cli_opt opt_jobs = {
    "jobs", 'j', CLI_VALUE, "N", NULL, CLI_COMPLETE_NONE,
    N_("check N submissions at a time, 1 to 256 (default: one\n"
       "per processor, at most one per 600 MB of memory)"),
    set_jobs, 0, CLI_IO_NONE};

const cli_opt opt_quiet = {
    "quiet", 'q', CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("print less: only the problems"), NULL, FIELD(quiet), CLI_IO_NONE};

const cli_opt opt_verbose = {
    "verbose", 'v', CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("also print every submission's findings"), NULL, FIELD(verbose), CLI_IO_NONE};

const cli_opt opt_no_progress = {
    "no-progress", 0, CLI_FLAG, NULL, NULL, CLI_COMPLETE_NONE,
    N_("no progress bar (there is none when standard error is\n"
       "not a terminal; then a line is printed at every tenth\n"
       "of a folder of 50 or more)"),
    NULL, FIELD(no_progress), CLI_IO_NONE};

const cli_opt opt_schema = {
    "schema", 0, CLI_VALUE, "S.json", NULL, CLI_COMPLETE_FILE,
    N_("hold --data to this JSON Schema, and check the\n"
       "template's names against the names it declares\n"
       "(also without --data)"),
    NULL, FIELD(schema), CLI_IO_READ};
