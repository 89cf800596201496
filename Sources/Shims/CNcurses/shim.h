#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
/* Macros Swift cannot import, re-exposed as functions. */
static inline int lightbox_color_pair(int n) { return COLOR_PAIR(n); }
static inline int lightbox_key_f(int n) { return KEY_F(n); }
