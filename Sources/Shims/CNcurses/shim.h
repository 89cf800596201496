#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
/* Macros Swift cannot import, re-exposed as functions. */
static inline int lightbox_color_pair(int n) { return COLOR_PAIR(n); }
static inline int lightbox_key_f(int n) { return KEY_F(n); }
/* Mouse masks (macros built from NCURSES_MOUSE_MASK), for the Workstation backend. */
static inline unsigned long lightbox_mouse_all(void) { return ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION; }
static inline unsigned long lightbox_mouse_position(void) { return REPORT_MOUSE_POSITION; }
static inline unsigned long lightbox_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline unsigned long lightbox_button1_released(void) { return BUTTON1_RELEASED | BUTTON1_CLICKED; }
static inline unsigned long lightbox_button3_pressed(void) { return BUTTON3_PRESSED | BUTTON3_CLICKED; }
static inline unsigned long lightbox_button4_pressed(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline unsigned long lightbox_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline unsigned long lightbox_button5_pressed(void) { return 0; }
#endif
/* ncurses' globals, read through functions: Swift 6 treats a C global variable as shared mutable
   state; the workstation reads them only from its UI thread. */
static inline WINDOW *lightbox_stdscr(void) { return stdscr; }
static inline int lightbox_columns(void) { return COLS; }
static inline int lightbox_lines(void) { return LINES; }
