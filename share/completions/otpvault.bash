# bash completion for otpvault
_otpvault()
{
    local cur prev words cword
    _init_completion || return
    local commands="init list code add rm edit passwd import export qr backup drill merge merge-driver sync formats help"
    local global="--vault --passphrase-file --config --help --version"
    case $prev in
        --vault|--passphrase-file|--new-passphrase-file|--import-password-file|--config|\
        --export-password-file|--backup-passphrase-file|--other-passphrase-file|-o|--output|--png)
            _filedir; return ;;
    esac
    local cmd="" w
    for w in "${words[@]:1:cword-1}"; do
        case $w in -*) ;; *) cmd=$w; break ;; esac
    done
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$commands $global" -- "$cur")); return
    fi
    local opts
    case $cmd in
        init) opts="--kdf-memory --kdf-time" ;;
        list) opts="--json" ;;
        code) opts="--at --json --next" ;;
        add) opts="--uri --issuer --name --group --note --force" ;;
        rm) opts="--yes" ;;
        edit) opts="--issuer --name --group --note --type --algorithm --digits --period --counter" ;;
        passwd) opts="--new-passphrase-file --kdf-memory --kdf-time" ;;
        import) opts="--dry-run --json --format --import-password-file --allow-partial"
                [[ $cur != -* ]] && { _filedir; return; } ;;
        export) opts="--format -o --force --export-password-file" ;;
        qr) opts="--migration --png --force" ;;
        backup) opts="create list verify restore --other-passphrase --backup-passphrase-file --replace --yes --new-passphrase-file"
                [[ $cur != -* && $cword -gt 2 ]] && { _filedir; return; } ;;
        drill) opts="--backup-passphrase-file"
               [[ $cur != -* ]] && { _filedir; return; } ;;
        merge) opts="--dry-run --other-passphrase-file"
               [[ $cur != -* ]] && { _filedir; return; } ;;
        merge-driver) opts="--other-passphrase-file"
               [[ $cur != -* ]] && { _filedir; return; } ;;
        sync) opts="" ;;
    esac
    COMPREPLY=($(compgen -W "$opts $global" -- "$cur"))
}
complete -F _otpvault otpvault
