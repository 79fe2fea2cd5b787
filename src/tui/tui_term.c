/* The terminal: curses set-up and tear-down, styles with or without colour, and keys
 * translated to the curses-independent codes of keymap.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tui.h"

static bool use_color;

enum { PAIR_HEADER = 1, PAIR_SELECTED, PAIR_EXPIRING, PAIR_EXPIRING_SELECTED, PAIR_NEXT,
       PAIR_ERROR, PAIR_OK, PAIR_GROUP, PAIR_QR, PAIR_TITLE };

int term_start(bool color_wanted)
{
    /* Our handlers for SIGINT/TERM/HUP/WINCH are installed before this, so curses keeps
     * its hands off them (it only catches signals still at their default). */
    if (initscr() == NULL)
        return -1;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    set_escdelay(25);   /* Esc alone should feel instant; sequences arrive within this */
    leaveok(stdscr, TRUE);
    curs_set(0);
    /* ncurses (6.4) flushes its output after every cursor movement until the screen has
     * been through endwin and back (its _endwin state stays "initial" until then): one
     * write() per move, ~200 syscalls for a full frame. One round trip now makes it write
     * whole updates at once. */
    refresh();
    endwin();
    refresh();
    use_color = color_wanted && has_colors() && start_color() == OK;
    if (use_color) {
        use_default_colors();
        init_pair(PAIR_HEADER, COLOR_BLACK, COLOR_CYAN);
        init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_WHITE);
        init_pair(PAIR_EXPIRING, COLOR_RED, -1);
        init_pair(PAIR_EXPIRING_SELECTED, COLOR_RED, COLOR_WHITE);
        init_pair(PAIR_NEXT, COLOR_BLUE, -1);
        init_pair(PAIR_ERROR, COLOR_RED, -1);
        init_pair(PAIR_OK, COLOR_GREEN, -1);
        init_pair(PAIR_GROUP, COLOR_YELLOW, -1);
        init_pair(PAIR_TITLE, COLOR_CYAN, -1);
    }
    /* The QR code must be black on white whatever the theme: phone scanners expect dark
     * modules on a light ground. A functional colour, so it is used even under NO_COLOR. */
    if (has_colors()) {
        if (!use_color && start_color() == OK)
            use_default_colors();   /* else every cell would become white on black */
        init_pair(PAIR_QR, COLOR_BLACK, COLOR_WHITE);
    }
    return 0;
}

void term_stop(void)
{
    if (!isendwin()) {
        curs_set(1);
        endwin();   /* leaves the alternate screen: no code stays in the scrollback */
    }
}

attr_t term_attr(enum tui_style s, short *pair)
{
    *pair = 0;
    if (s == ST_QR) {
        if (has_colors()) {
            *pair = PAIR_QR;
            return A_NORMAL;
        }
        return A_REVERSE;   /* monochrome: right on the usual light-on-dark terminal */
    }
    if (use_color) {
        switch (s) {
        case ST_HEADER: *pair = PAIR_HEADER; return A_NORMAL;
        case ST_SELECTED: *pair = PAIR_SELECTED; return A_NORMAL;
        case ST_EXPIRING: *pair = PAIR_EXPIRING; return A_BOLD;
        case ST_EXPIRING_SELECTED: *pair = PAIR_EXPIRING_SELECTED; return A_BOLD;
        case ST_NEXT: *pair = PAIR_NEXT; return A_NORMAL;
        case ST_DIM: return A_DIM;
        case ST_ERROR: *pair = PAIR_ERROR; return A_BOLD;
        case ST_OK: *pair = PAIR_OK; return A_NORMAL;
        case ST_GROUP: *pair = PAIR_GROUP; return A_BOLD;
        case ST_TITLE: *pair = PAIR_TITLE; return A_BOLD;
        case ST_INPUT: return A_UNDERLINE;
        default: return A_NORMAL;
        }
    }
    /* Monochrome, NO_COLOR, TERM=linux without colours: bold, reverse and underline. */
    switch (s) {
    case ST_HEADER: return A_REVERSE;
    case ST_SELECTED: return A_REVERSE;
    case ST_EXPIRING: return A_BOLD | A_UNDERLINE;
    case ST_EXPIRING_SELECTED: return A_REVERSE | A_BOLD | A_UNDERLINE;
    case ST_NEXT: return A_DIM;
    case ST_DIM: return A_DIM;
    case ST_ERROR: return A_BOLD;
    case ST_GROUP: return A_BOLD | A_UNDERLINE;
    case ST_TITLE: return A_BOLD;
    case ST_INPUT: return A_UNDERLINE;
    default: return A_NORMAL;
    }
}

static int translate(int rc, wint_t wc)
{
    if (rc == OK) {
        if (wc == '\r' || wc == '\n')
            return OV_KEY_ENTER;
        if (wc == 127 || wc == 8)
            return OV_KEY_BACKSPACE;
        return (int)wc;
    }
    switch (wc) {
    case KEY_UP: return OV_KEY_UP;
    case KEY_DOWN: return OV_KEY_DOWN;
    case KEY_LEFT: return OV_KEY_LEFT;
    case KEY_RIGHT: return OV_KEY_RIGHT;
    case KEY_HOME: return OV_KEY_HOME;
    case KEY_END: return OV_KEY_END;
    case KEY_PPAGE: return OV_KEY_PGUP;
    case KEY_NPAGE: return OV_KEY_PGDN;
    case KEY_ENTER: return OV_KEY_ENTER;
    case KEY_BACKSPACE: return OV_KEY_BACKSPACE;
    case KEY_DC: return OV_KEY_DELETE;
    case KEY_IC: return OV_KEY_INSERT;
    case KEY_BTAB: return OV_KEY_BTAB;
    case KEY_RESIZE: return OV_KEY_RESIZE;
    default:
        if (wc >= KEY_F(1) && wc <= KEY_F(12))
            return OV_KEY_F1 + (int)(wc - KEY_F(1));
        return 0x10FFFF;   /* a key we do not know: ignored, but it is activity */
    }
}

int term_read_key(void)
{
    wint_t wc;
    int rc;

    errno = 0;
    rc = wget_wch(stdscr, &wc);
    if (rc == ERR)
        return errno == EIO || errno == EBADF ? -1 : 0;
    return translate(rc, wc);
}
