/* A workaround for a leak in the test framework, not in otpvault. Criterion 2.4.1 (its
 * BoxFort sandbox) loses one 48-byte timeout request in the runner process whenever two tests
 * with a .timeout run at the same time; two empty tests reproduce it. The interop suite now
 * runs long enough (Ente's 1 GiB Argon2id) to overlap the vault tests' timeouts, and the
 * leak made `make check` fail at random.
 *
 * The runner process runs no otpvault code, only Criterion: there alone, leaks inside
 * libcriterion are suppressed. Test workers (exec'd as "boxfort-worker" with BXFI_MAP in
 * their environment) keep the full leak check; the test below fails if that ever changes. */
#include <criterion/criterion.h>
#include <stdlib.h>

const char *__lsan_default_suppressions(void);

/* LeakSanitizer asks for this once, when a process starts (it is unused without ASan). */
const char *__lsan_default_suppressions(void)
{
    return getenv("BXFI_MAP") == NULL ? "leak:libcriterion.so\n" : "";
}

Test(lsan_runner, test_processes_keep_the_full_leak_check)
{
    cr_assert_str_eq(__lsan_default_suppressions(), "",
                     "tests no longer run in a BoxFort worker: revisit this workaround");
}
