/* typo.h: Chinese typography shared by the view, the rules and the fixer.
 *
 * The character classes of GB/T 15834-2011 (punctuation) as the library
 * needs them: what counts as Chinese text, which marks have a full-width
 * form, and how wide a character is set (typo.c).
 */
#ifndef NIANBAO_SRC_LIB_TYPO_H
#define NIANBAO_SRC_LIB_TYPO_H

#include "internal.h"

/* Characters in a line of body text (GB/T 9704-2012 5.2.2). */
#define NB_TYPO_BODY_CHARS 28
/* Characters of the 2号 title in the same text block (156 mm / 22 pt). */
#define NB_TYPO_TITLE_CHARS 20
/* The most lines a title is broken into. */
#define NB_TYPO_TITLE_MAX_LINES 4

/* A Chinese character or a full-width mark: what "next to Chinese" means
 * for the typography check. */
bool nb_typo_is_chinese(uint32_t cp);
/* A Han character (CJK ideograph, 〇). */
bool nb_typo_is_han(uint32_t cp);
/* The full-width form of a half-width mark that has one in Chinese text
 * (GB/T 15834: ，；：？！（）), or 0. */
uint32_t nb_typo_full_mark(uint32_t cp);

/* A 署名 the data gives without a 成文日期 (GB/T 9704-2012 7.3.5): a
 * warning (typo_check.c, part of nb_typo_check). */
struct nb_report;
void nb_typo_check_signature(const struct nb_report *r, nb_diag_list *dl);

/* The code point at s[0..len) and its length; a bad byte counts as one
 * byte of U+FFFD. */
size_t nb_typo_next(const char *s, size_t len, uint32_t *cp);
/* The code point that ends s[0..len), 0 for none. */
uint32_t nb_typo_last(const char *s, size_t len);

#endif
