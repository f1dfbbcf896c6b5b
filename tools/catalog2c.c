/* catalog2c: compile the indicator catalog (schemas/indicators.xml) into
 * a constant C table, so the library reads it without parsing anything at
 * run time and without global state.
 *
 * Usage: catalog2c INDICATORS.xml OUTPUT.c
 * The catalog is validated against schemas/indicators.xsd by the tests
 * (tests/cli/forms.sh); this tool checks what the schema cannot: every
 * code a formula or a rule names is an indicator of the catalog.
 */
#define _POSIX_C_SOURCE 200809L /* strndup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static void c_string(FILE *out, const xmlChar *s)
{
    if (s == NULL) {
        fputs("NULL", out);
        return;
    }
    fputc('"', out);
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static unsigned hash(const char *s)
{
    unsigned h = 2166136261u;

    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The hash table nb_indicator_find probes: index + 1, 0 = empty; at
 * most half full. */
static void hash_codes(FILE *out, xmlDocPtr doc, size_t count)
{
    size_t size = 16;
    unsigned short *slots;
    xmlNodePtr n;
    size_t i = 0;

    while (size < count * 2)
        size *= 2;
    slots = calloc(size, sizeof(*slots));
    if (slots == NULL) {
        fputs("catalog2c: out of memory\n", stderr);
        exit(1);
    }
    for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next) {
        xmlChar *code;
        size_t j;

        if (n->type != XML_ELEMENT_NODE ||
            strcmp((const char *)n->name, "indicator") != 0)
            continue;
        code = xmlGetProp(n, (const xmlChar *)"code");
        for (j = hash((const char *)code) & (size - 1); slots[j] != 0;
             j = (j + 1) & (size - 1))
            ;
        slots[j] = (unsigned short)(i + 1);
        xmlFree(code);
        i++;
    }
    fputs("\nconst unsigned short nb_catalog_hash[] = {", out);
    for (i = 0; i < size; i++)
        fprintf(out, "%s%u,", i % 16 == 0 ? "\n    " : " ", slots[i]);
    fprintf(out, "\n};\n\nconst size_t nb_catalog_hash_size = %zu;\n", size);
    free(slots);
}

static bool is_indicator(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE &&
           strcmp((const char *)n->name, name) == 0;
}

/* True when 'code' (of 'len' bytes) is the code of an indicator. */
static bool known(xmlDocPtr doc, const char *code, size_t len)
{
    xmlNodePtr n;

    for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next) {
        xmlChar *c;
        bool eq;

        if (!is_indicator(n, "indicator"))
            continue;
        c = xmlGetProp(n, (const xmlChar *)"code");
        eq = c != NULL && strlen((const char *)c) == len &&
             memcmp(c, code, len) == 0;
        xmlFree(c);
        if (eq)
            return true;
    }
    return false;
}

/* Every identifier in 'text' (a formula or a list of codes) is known. */
static void check_codes(xmlDocPtr doc, const char *file, xmlNodePtr n,
                        const char *attr)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);
    const char *p = (const char *)v;

    while (p != NULL && *p != '\0') {
        size_t len = 0;

        if (!(*p >= 'a' && *p <= 'z')) {
            p++;
            continue;
        }
        while ((p[len] >= 'a' && p[len] <= 'z') ||
               (p[len] >= '0' && p[len] <= '9') || p[len] == '_')
            len++;
        if (!known(doc, p, len)) {
            fprintf(stderr, "catalog2c: %s:%ld: %s names '%.*s', which is "
                            "not an indicator\n",
                    file, xmlGetLineNo(n), attr, (int)len, p);
            exit(1);
        }
        p += len;
    }
    xmlFree(v);
}

static void rules(FILE *out, xmlDocPtr doc, const char *file)
{
    static const char *const attrs[] = {"id", "whole", "parts", "source"};
    xmlNodePtr n;
    size_t count = 0;
    size_t i;

    fputs("\nconst nb_catalog_rule nb_catalog_rules[] = {\n", out);
    for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next) {
        xmlChar *ex;

        if (!is_indicator(n, "rule"))
            continue;
        check_codes(doc, file, n, "whole");
        check_codes(doc, file, n, "parts");
        fputs("    {", out);
        for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[i]);

            if (v == NULL) {
                fprintf(stderr, "catalog2c: %s:%ld: no %s\n", file,
                        xmlGetLineNo(n), attrs[i]);
                exit(1);
            }
            c_string(out, v);
            fputs(", ", out);
            xmlFree(v);
        }
        ex = xmlGetProp(n, (const xmlChar *)"exhaustive");
        fputs(ex != NULL && (strcmp((const char *)ex, "true") == 0 ||
                             strcmp((const char *)ex, "1") == 0)
                  ? "true"
                  : "false",
              out);
        xmlFree(ex);
        fputs("},\n", out);
        count++;
    }
    if (count == 0)
        fputs("    {NULL, NULL, NULL, NULL, false},\n", out);
    fprintf(out, "};\n\nconst size_t nb_catalog_rules_len = %zu;\n", count);
}

/* Fail when a name or an alias of an indicator is one that another
 * indicator already has: a name in the text must point to one
 * indicator. */
static void check_names(xmlDocPtr doc, const char *file)
{
    char *names[4096];
    size_t n_names = 0;
    xmlNodePtr n;
    size_t i;

    for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next) {
        xmlChar *v[2];
        size_t k;

        if (!is_indicator(n, "indicator"))
            continue;
        v[0] = xmlGetProp(n, (const xmlChar *)"name");
        v[1] = xmlGetProp(n, (const xmlChar *)"aliases");
        for (k = 0; k < 2; k++) {
            const char *p = (const char *)v[k];

            while (p != NULL && *p != '\0') {
                size_t len = strcspn(p, " ");

                for (i = 0; i < n_names; i++)
                    if (strlen(names[i]) == len &&
                        memcmp(names[i], p, len) == 0) {
                        fprintf(stderr, "catalog2c: %s:%ld: the name "
                                        "'%.*s' is given twice\n",
                                file, xmlGetLineNo(n), (int)len, p);
                        exit(1);
                    }
                if (n_names == sizeof(names) / sizeof(names[0]) ||
                    (names[n_names] = strndup(p, len)) == NULL) {
                    fputs("catalog2c: too many names\n", stderr);
                    exit(1);
                }
                n_names++;
                p += len;
                p += strspn(p, " ");
            }
            xmlFree(v[k]);
        }
    }
    for (i = 0; i < n_names; i++)
        free(names[i]);
}

int main(int argc, char **argv)
{
    static const char *const attrs[] = {"code", "name",  "unit",
                                        "type", "group", "formula"};
    xmlDocPtr doc;
    xmlNodePtr n;
    FILE *out;
    size_t count = 0;
    size_t i;

    if (argc != 3) {
        fprintf(stderr, "usage: catalog2c INDICATORS.xml OUTPUT.c\n");
        return 2;
    }
    doc = xmlReadFile(argv[1], NULL, XML_PARSE_NONET);
    if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
        fprintf(stderr, "catalog2c: %s: not well-formed\n", argv[1]);
        return 1;
    }
    check_names(doc, argv[1]);
    out = fopen(argv[2], "w");
    if (out == NULL) {
        perror(argv[2]);
        return 1;
    }
    fprintf(out, "/* Generated from %s by tools/catalog2c. */\n"
                 "#include \"catalog.h\"\n\n"
                 "const nb_indicator nb_catalog_table[] = {\n",
            argv[1]);
    for (n = xmlDocGetRootElement(doc)->children; n != NULL; n = n->next) {
        xmlChar *dec;

        if (!is_indicator(n, "indicator"))
            continue;
        check_codes(doc, argv[1], n, "formula");
        fputs("    {", out);
        for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)attrs[i]);

            if (i < 4 && v == NULL) {
                fprintf(stderr, "catalog2c: %s:%ld: no %s\n", argv[1],
                        xmlGetLineNo(n), attrs[i]);
                return 1;
            }
            if (i > 0)
                fputs(", ", out);
            c_string(out, v);
            xmlFree(v);
        }
        dec = xmlGetProp(n, (const xmlChar *)"decimals");
        fprintf(out, ", %d",
                dec != NULL ? (int)strtol((const char *)dec, NULL, 10) : 1);
        xmlFree(dec);
        for (i = 0; i < 4; i++) {
            static const char *const more[] = {"min", "max", "aliases",
                                               "units"};
            xmlChar *v = xmlGetProp(n, (const xmlChar *)more[i]);

            fputs(", ", out);
            c_string(out, v);
            xmlFree(v);
        }
        fputs("},\n", out);
        count++;
    }
    fprintf(out, "};\n\nconst size_t nb_catalog_len = %zu;\n", count);
    hash_codes(out, doc, count);
    rules(out, doc, argv[1]);
    xmlFreeDoc(doc);
    if (fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    return 0;
}
