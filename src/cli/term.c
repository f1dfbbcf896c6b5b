/* term.c: text that comes from files and names, made safe to print for a
 * person. A file name or a cell may hold ESC, BEL, CR, a newline or a
 * bidirectional control; printed raw, they can clear the screen, move the
 * cursor over another office's row, or reorder a line. Every human-facing
 * print of such text goes through here; JSON output escapes on its own
 * (json_put_string). */
#include "cli.h"

#include <stdarg.h>
#include <string.h>

/* The escape for the character at 'p' (its UTF-8 length in *len), or
 * NULL when it prints as it is. 'buf' holds at least 12 bytes. */
static const char *escape_of(const unsigned char *p, size_t *len, char *buf)
{
    unsigned cp;

    *len = 1;
    if (*p < 0x20 || *p == 0x7F) {
        switch (*p) {
        case '\t':
            return "\\t";
        case '\n':
            return "\\n";
        case '\r':
            return "\\r";
        default:
            snprintf(buf, 12, "\\x%02x", *p);
            return buf;
        }
    }
    if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
        *len = 2; /* C1 controls: CSI as one byte, among others */
        snprintf(buf, 12, "\\u%04x", p[1]);
        return buf;
    }
    if (*p == 0xE2 && (p[1] == 0x80 || p[1] == 0x81) && p[2] != '\0') {
        cp = 0x2000u | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
            cp == 0x200E || cp == 0x200F || cp == 0x2028 || cp == 0x2029) {
            *len = 3; /* bidi controls, line and paragraph separators */
            snprintf(buf, 12, "\\u%04x", cp);
            return buf;
        }
    }
    return NULL;
}

const char *term_safe(char *buf, size_t size, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t out = 0;

    while (*p != '\0' && size > 0) {
        char e[12];
        size_t len;
        const char *x = escape_of(p, &len, e);
        size_t n = x != NULL ? strlen(x) : len;

        if (out + n + 4 >= size) {
            memcpy(buf + out, "…", 3); /* cut: say so */
            out += 3;
            break;
        }
        memcpy(buf + out, x != NULL ? x : (const char *)p, n);
        out += n;
        p += len;
    }
    if (size > 0)
        buf[out] = '\0';
    return buf;
}

void term_put(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");

    while (*p != '\0') {
        char e[12];
        size_t len;
        const char *x = escape_of(p, &len, e);

        if (x != NULL)
            fputs(x, f);
        else
            fputc(*p, f);
        p += len;
    }
}

void term_printf(FILE *f, const char *fmt, ...)
{
    char line[8192];
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    n = strlen(line);
    if (n > 0 && line[n - 1] == '\n') {
        line[n - 1] = '\0';
        term_put(f, line);
        fputc('\n', f);
        return;
    }
    term_put(f, line);
}
