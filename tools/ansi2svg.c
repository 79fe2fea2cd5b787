/* ansi2svg [-c COLS] [-r ROWS] [-t TITLE] < capture > picture.svg: the converter behind
 * scripts/screenshot.sh (tmux capture-pane -e -p of the app, drawn as the README's picture). */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ansi_svg.h"

int main(int argc, char **argv)
{
    const char *title = "otpvault";
    int cols = 0, rows = 0, opt;
    char *buf = NULL;
    size_t len = 0, cap = 0, n;

    while ((opt = getopt(argc, argv, "c:r:t:")) != -1) {
        switch (opt) {
        case 'c': cols = atoi(optarg); break;
        case 'r': rows = atoi(optarg); break;
        case 't': title = optarg; break;
        default:
            fprintf(stderr, "usage: ansi2svg [-c COLS] [-r ROWS] [-t TITLE] < capture > out.svg\n");
            return 2;
        }
    }
    if (setlocale(LC_ALL, "C.UTF-8") == NULL)
        setlocale(LC_ALL, "");
    do {
        if (len == cap) {
            char *grown = realloc(buf, cap = cap ? cap * 2 : 65536);
            if (grown == NULL) {
                fprintf(stderr, "ansi2svg: out of memory\n");
                free(buf);
                return 1;
            }
            buf = grown;
        }
        n = fread(buf + len, 1, cap - len, stdin);
        len += n;
    } while (n > 0);
    if (ansi_to_svg(buf, len, cols, rows, title, stdout) != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "ansi2svg: cannot write the picture\n");
        free(buf);
        return 1;
    }
    free(buf);
    return 0;
}
