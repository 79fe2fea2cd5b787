# fish completion for otpvault: commands, and each command's options (tests/cli/test_cli_help.c
# checks them against `otpvault COMMAND --help`; `otpvault COMMAND --help` says what they do).
complete -c otpvault -f
complete -c otpvault -l vault -r -F -d "the vault file"
complete -c otpvault -l passphrase-file -r -F -d "the vault passphrase from a file"
complete -c otpvault -l config -r -F -d "the config file"
complete -c otpvault -s h -l help -d "this help"
complete -c otpvault -s V -l version -d "the version"

set -l __otpvault_commands init list code add rm edit passwd import export qr backup drill merge merge-driver sync formats help
for c in "init:create an empty vault" "list:list accounts, no secrets" "code:print current codes" "add:add accounts" "rm:remove an account" "edit:change an account" "passwd:new passphrase, new salt" "import:import pictures and export files" "export:write accounts in another format" "qr:QR codes for a phone" "backup:encrypted backups: create, list, verify, restore" "drill:prove a backup restores" "merge:merge another copy of the vault into this one" "merge-driver:the git merge driver" "sync:merge the conflict copies a sync tool left" "formats:list the formats" "help:usage and options of a command"
    set -l name (string split -m 1 : $c)
    complete -c otpvault -n "not __fish_seen_subcommand_from $__otpvault_commands" \
        -a $name[1] -d $name[2]
end

# __otpvault_options COMMAND OPTION...: a trailing = marks an option that takes a file.
function __otpvault_options
    set -l cmd $argv[1]
    for o in $argv[2..-1]
        set -l name (string trim -r -c = -- $o)
        if test "$name" != "$o"
            complete -c otpvault -n "__fish_seen_subcommand_from $cmd" -l $name -r -F
        else
            complete -c otpvault -n "__fish_seen_subcommand_from $cmd" -l $name
        end
    end
end

__otpvault_options init kdf-memory kdf-time
__otpvault_options list json
__otpvault_options code json at next
__otpvault_options add force uri issuer name group note
__otpvault_options rm yes
__otpvault_options edit issuer name group note type algorithm digits period counter
__otpvault_options passwd new-passphrase-file= kdf-memory kdf-time
__otpvault_options import json dry-run allow-partial format import-password-file=
__otpvault_options export format force output= export-password-file=
__otpvault_options qr force migration png=
__otpvault_options backup yes backup-passphrase-file= other-passphrase replace new-passphrase-file=
__otpvault_options drill backup-passphrase-file=
__otpvault_options merge dry-run other-passphrase-file=
__otpvault_options merge-driver other-passphrase-file=

complete -c otpvault -n "__fish_seen_subcommand_from import" -F
complete -c otpvault -n "__fish_seen_subcommand_from drill" -F
complete -c otpvault -n "__fish_seen_subcommand_from merge merge-driver" -F
complete -c otpvault -n "__fish_seen_subcommand_from backup" -F
