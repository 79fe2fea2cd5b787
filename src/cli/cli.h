/* The command-line face over the core (design.md section 3). It parses arguments, asks for
 * passphrases, calls the core and prints; it holds no logic of its own. */
#ifndef OTPVAULT_CLI_H
#define OTPVAULT_CLI_H

/* Exit statuses (contract). */
enum ov_exit {
    OV_EXIT_OK = 0,
    OV_EXIT_FAIL = 1,
    OV_EXIT_USAGE = 2,
    OV_EXIT_AUTH = 3,
};

int ov_cli_main(int argc, char **argv);

#endif
