#compdef otpvault
# zsh completion for otpvault: commands, and each command's options (tests/cli/test_cli_help.c
# checks them against `otpvault COMMAND --help`).
_otpvault() {
    local -a commands opts
    commands=(
        'init:create an empty vault'
        'list:list accounts, no secrets'
        'code:print current codes'
        'add:add accounts'
        'rm:remove an account'
        'edit:change an account'
        'passwd:new passphrase, new salt'
        'import:import pictures and export files'
        'export:write accounts in another format'
        'qr:QR codes for a phone'
        'backup:encrypted backups: create, list, verify, restore'
        'drill:prove a backup restores'
        'merge:merge another copy of the vault into this one'
        'merge-driver:the git merge driver (%O %A %B)'
        'sync:merge the conflict copies a sync tool left'
        'formats:list the formats'
        'help:usage and options of a command'
    )
    if (( CURRENT == 2 )); then
        _describe -t commands command commands
        compadd -- --vault --passphrase-file --config --help --version
        return
    fi
    case $words[2] in
        init) opts=(--kdf-memory --kdf-time) ;;
        list) opts=(--json) ;;
        code) opts=(--json --at --next) ;;
        add) opts=(--force --uri --issuer --name --group --note) ;;
        rm) opts=(--yes) ;;
        edit) opts=(--issuer --name --group --note --type --algorithm --digits --period --counter) ;;
        passwd) opts=(--new-passphrase-file --kdf-memory --kdf-time) ;;
        import) opts=(--json --dry-run --allow-partial --format --import-password-file) ;;
        export) opts=(--format --force --output --export-password-file) ;;
        qr) opts=(--force --migration --png) ;;
        backup) opts=(--yes --backup-passphrase-file --other-passphrase --replace --new-passphrase-file) ;;
        drill) opts=(--backup-passphrase-file) ;;
        merge) opts=(--dry-run --other-passphrase-file) ;;
        merge-driver) opts=(--other-passphrase-file) ;;
        *) opts=() ;;
    esac
    if [[ $PREFIX == -* ]]; then
        compadd -- $opts --vault --passphrase-file --config --help
    else
        _files
    fi
}
_otpvault "$@"
