/* The import prompt's path line: splitting with quotes and escapes, ~, and Tab completion
 * over a directory made for each test. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/model/pathline.h"

static char dir[64];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path);
}

static void touch(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0, "%s", path);
    close(fd);
}

static void make_dir(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert_eq(mkdir(path, 0700), 0, "%s", path);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/otpvault-pathline.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

TestSuite(pathline, .init = setup, .fini = teardown);

static void split_ok(const char *line, struct ov_pathline *p)
{
    struct ov_error err = { 0 };
    cr_assert_eq(ov_pathline_split(line, "/home/u", p, &err), OV_OK, "%s: %s", line, err.msg);
}

Test(pathline, words_separated_by_spaces)
{
    struct ov_pathline p;

    split_ok("  a.png\tb.txt   c ", &p);
    cr_assert_eq(p.n, 3);
    cr_assert_str_eq(p.paths[0], "a.png");
    cr_assert_str_eq(p.paths[1], "b.txt");
    cr_assert_str_eq(p.paths[2], "c");
    ov_pathline_free(&p);
    split_ok("   ", &p);
    cr_assert_eq(p.n, 0);
    ov_pathline_free(&p);
}

Test(pathline, quotes_and_backslashes_keep_spaces)
{
    struct ov_pathline p;

    split_ok("'my shot.png' \"other one.jpg\" back\\ slash.gif mi'x ed'\"  \"x", &p);
    cr_assert_eq(p.n, 4);
    cr_assert_str_eq(p.paths[0], "my shot.png");
    cr_assert_str_eq(p.paths[1], "other one.jpg");
    cr_assert_str_eq(p.paths[2], "back slash.gif");
    cr_assert_str_eq(p.paths[3], "mix ed  x");
    ov_pathline_free(&p);
    /* In double quotes a backslash escapes only " and \; in single quotes nothing. */
    split_ok("\"a\\\"b\\\\c\\d\" 'e\\f'", &p);
    cr_assert_str_eq(p.paths[0], "a\"b\\c\\d");
    cr_assert_str_eq(p.paths[1], "e\\f");
    ov_pathline_free(&p);
    /* A backslash ending the line stays as typed. */
    split_ok("end\\", &p);
    cr_assert_str_eq(p.paths[0], "end\\");
    ov_pathline_free(&p);
}

Test(pathline, tilde_is_the_home_directory_only_unquoted_and_first)
{
    struct ov_pathline p;
    struct passwd *root = getpwnam("root");
    char root_home[256] = "";

    if (root != NULL)   /* copied: the next lookup reuses getpwnam's buffer */
        snprintf(root_home, sizeof root_home, "%s", root->pw_dir);

    split_ok("~ ~/shots/a.png '~/q' a~b \\~/x", &p);
    cr_assert_eq(p.n, 5);
    cr_assert_str_eq(p.paths[0], "/home/u");
    cr_assert_str_eq(p.paths[1], "/home/u/shots/a.png");
    cr_assert_str_eq(p.words[1], "~/shots/a.png", "messages name the input as typed");
    cr_assert_str_eq(p.paths[2], "~/q");
    cr_assert_str_eq(p.paths[3], "a~b");
    cr_assert_str_eq(p.paths[4], "~/x");
    ov_pathline_free(&p);
    split_ok("~no-such-user-here/x", &p);
    cr_assert_str_eq(p.paths[0], "~no-such-user-here/x");
    ov_pathline_free(&p);
    if (root_home[0] != '\0') {
        char want[300];
        snprintf(want, sizeof want, "%s/f", root_home);
        split_ok("~root/f", &p);
        cr_assert_str_eq(p.paths[0], want);
        ov_pathline_free(&p);
    }
}

Test(pathline, an_open_quote_or_an_empty_name_is_an_error)
{
    struct ov_pathline p;
    struct ov_error err = { 0 };

    cr_assert_eq(ov_pathline_split("a.png 'b c", NULL, &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "single quote") != NULL, "%s", err.msg);
    cr_assert_eq(p.n, 0);
    cr_assert_null(p.paths);
    cr_assert_eq(ov_pathline_split("\"x", NULL, &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "double quote") != NULL, "%s", err.msg);
    cr_assert_eq(ov_pathline_split("a ''", NULL, &p, &err), OV_ERR_INVALID);
    cr_assert(strstr(err.msg, "empty name") != NULL, "%s", err.msg);
}

/* Completes line (cursor at its end) in the test directory. */
static void complete(const char *word, struct ov_path_completion *c)
{
    char line[512];
    snprintf(line, sizeof line, "first.txt %s/%s", dir, word);
    cr_assert_eq(ov_pathline_complete(line, strlen(line), "/home/u", c), OV_OK);
}

Test(pathline, a_single_match_is_finished)
{
    struct ov_path_completion c;

    touch("shot.png");
    touch("notes.txt");
    make_dir("pictures");
    complete("sh", &c);
    cr_assert_eq(c.nmatches, 1);
    cr_assert_str_eq(c.insert, "ot.png ");
    ov_path_completion_free(&c);
    complete("pic", &c);
    cr_assert_str_eq(c.insert, "tures/", "a directory gets a slash, not a space");
    ov_path_completion_free(&c);
    complete("zzz", &c);
    cr_assert_eq(c.nmatches, 0);
    cr_assert_str_eq(c.insert, "");
    ov_path_completion_free(&c);
}

Test(pathline, several_matches_give_their_common_part_then_a_list)
{
    struct ov_path_completion c;

    touch("shot-1.png");
    touch("shot-2.png");
    make_dir("shots");
    touch(".shot-hidden");
    complete("s", &c);
    cr_assert_eq(c.nmatches, 3, "dot files only for a word starting with a dot");
    cr_assert_str_eq(c.insert, "hot");
    ov_path_completion_free(&c);
    complete("shot", &c);
    cr_assert_str_eq(c.insert, "");
    cr_assert_eq(c.nshown, 3);
    cr_assert_str_eq(c.shown[0], "shot-1.png");
    cr_assert_str_eq(c.shown[1], "shot-2.png");
    cr_assert_str_eq(c.shown[2], "shots/");
    ov_path_completion_free(&c);
    complete(".sh", &c);
    cr_assert_str_eq(c.insert, "ot-hidden ");
    ov_path_completion_free(&c);
}

Test(pathline, inserted_text_is_quoted_to_read_back_as_the_name)
{
    struct ov_path_completion c;
    struct ov_pathline p;
    char line[512];

    touch("my shot's \"best\".png");
    complete("my", &c);
    cr_assert_str_eq(c.insert, "\\ shot\\'s\\ \\\"best\\\".png ");
    snprintf(line, sizeof line, "%s/my%s", dir, c.insert);
    ov_path_completion_free(&c);
    split_ok(line, &p);
    cr_assert_eq(p.n, 1);
    cr_assert(strstr(p.paths[0], "/my shot's \"best\".png") != NULL, "%s", p.paths[0]);
    ov_pathline_free(&p);

    /* Inside an open quote the quote is closed after the name. */
    snprintf(line, sizeof line, "'%s/my", dir);
    cr_assert_eq(ov_pathline_complete(line, strlen(line), NULL, &c), OV_OK);
    cr_assert_str_eq(c.insert, " shot'\\''s \"best\".png' ");
    ov_path_completion_free(&c);
    snprintf(line, sizeof line, "\"%s/my", dir);
    cr_assert_eq(ov_pathline_complete(line, strlen(line), NULL, &c), OV_OK);
    cr_assert_str_eq(c.insert, " shot's \\\"best\\\".png\" ");
    ov_path_completion_free(&c);
}

Test(pathline, completion_works_at_the_cursor_and_from_home)
{
    struct ov_path_completion c;
    char line[512];

    touch("alpha.png");
    /* The cursor after "al", with more text after it: only the word before it counts. */
    snprintf(line, sizeof line, "%s/al other.png", dir);
    cr_assert_eq(ov_pathline_complete(line, strlen(dir) + 3, NULL, &c), OV_OK);
    cr_assert_str_eq(c.insert, "pha.png ");
    ov_path_completion_free(&c);
    /* ~/ is the home given. */
    cr_assert_eq(ov_pathline_complete("~/al", 4, dir, &c), OV_OK);
    cr_assert_str_eq(c.insert, "pha.png ");
    ov_path_completion_free(&c);
    cr_assert_eq(ov_pathline_complete("~", 1, dir, &c), OV_OK);
    cr_assert_str_eq(c.insert, "/");
    ov_path_completion_free(&c);
    /* A word not yet started lists the current directory's files: no crash, no insert
     * beyond what they share. */
    cr_assert_eq(ov_pathline_complete("x ", 2, dir, &c), OV_OK);
    ov_path_completion_free(&c);
}

Test(pathline, a_name_is_never_cut_inside_a_character)
{
    struct ov_path_completion c;

    touch("caf\xc3\xa9.png");    /* café */
    touch("caf\xc3\xa8.png");    /* cafè: shares the first byte of é */
    complete("c", &c);
    cr_assert_str_eq(c.insert, "af");
    ov_path_completion_free(&c);
}
