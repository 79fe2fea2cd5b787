/* Running hostile input in a child process whose memory and time are measured and capped,
 * to show that a parser ends, in bounded time and memory, with a clear error. */
#ifndef TESTS_BOUNDED_H
#define TESTS_BOUNDED_H

#include <stdbool.h>
#include <stddef.h>

struct bounded {
    bool exited;          /* returned from fn (not killed, not crashed) */
    int status;           /* fn's return value, when exited */
    int signal;           /* what ended it otherwise (SIGKILL after the time limit) */
    double seconds;       /* wall time */
    long grew_kib;        /* peak resident memory of the child minus the parent's at fork */
    char msg[4096];       /* what fn wrote into its message buffer */
};

/* Runs fn(arg, msg, size) in a forked child. The child may map at most cap_mib MiB beyond
 * what it inherits (RLIMIT_AS; not under AddressSanitizer, whose shadow memory is
 * terabytes of address space: there the peak resident size is still measured) and is
 * killed after secs seconds. fn must not use Criterion assertions (they cannot report from
 * a child); it returns 0 for success or a number naming what went wrong. */
void bounded_run(int (*fn)(void *arg, char *msg, size_t size), void *arg, unsigned cap_mib,
                 unsigned secs, struct bounded *out);

/* Whether the build runs under AddressSanitizer (so RLIMIT_AS is not applied). */
bool bounded_under_asan(void);

#endif
