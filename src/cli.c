/* placeholder until the CLI lands */
#include <stdio.h>
#include "otpvault/cli.h"

int ov_cli_main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    puts("otpvault " OV_VERSION);
    return 0;
}
