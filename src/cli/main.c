/* Entry point: harden the process, then hand over to the command line. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return ov_cli_main(argc, argv);
}
