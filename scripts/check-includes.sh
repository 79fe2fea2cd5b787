#!/bin/sh
# Keeps each part of the tree to what it may include (docs/architecture.md, "What each part
# may include"). Prints every include that crosses the rules and exits 1 if there is one.
#   core (src/core, include/otpvault, exporters): the core's API and its own folder's headers
#   importers/*.c:  the core's API and importers/lib
#   importers/lib:  the core's API and its own folder
#   src/tui/model:  the core's API and the models
#   src/cli:        the core's API, the CLI's own headers and the app's entry (tui/app.h)
#   src/tui:        the core's API, the app's headers and its models
# Only src/tui (not its models) may include curses.
cd "$(dirname "$0")/.." || exit 2

status=0
crossings=$(mktemp) || exit 2
trap 'rm -f "$crossings"' EXIT
# allowed FOLDER PATTERN...: every quoted include in FOLDER's own .c/.h files (not its
# subfolders) must match one of the extended regular expressions.
allowed() {
    folder=$1; shift
    pattern=$(printf '%s|' "$@"); pattern="^(${pattern%|})\$"
    for file in "$folder"/*.c "$folder"/*.h; do
        [ -f "$file" ] || continue
        sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file" |
        while IFS= read -r header; do
            printf '%s\n' "$header" | grep -Eq "$pattern" ||
                echo "$file: includes \"$header\", which $folder may not include"
        done
    done >>"$crossings"
}

# no_curses FOLDER...: no <curses.h>, <ncurses.h>, <ncursesw/...> or <term.h> there.
no_curses() {
    for folder in "$@"; do
        if grep -EnH '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(n?curses|ncursesw/|term\.h)' \
               "$folder"/*.c "$folder"/*.h 2>/dev/null; then
            echo "$folder: includes curses, which only src/tui may"
            status=1
        fi
    done
}

API='otpvault/[a-z_0-9]+\.h'
allowed include/otpvault "$API"
allowed src/core         "$API" '[a-z_0-9]+_internal\.h'
allowed exporters        "$API"
allowed importers        "$API" 'lib/[a-z_0-9]+\.h'
allowed importers/lib    "$API" '[a-z_0-9]+\.h'
allowed src/tui/model    "$API" 'tui/model/[a-z_0-9]+\.h'
allowed src/cli          "$API" 'cli_internal\.h' 'cli/cli\.h' 'tui/app\.h'
allowed src/tui          "$API" 'tui\.h' 'tui/app\.h' 'tui/model/[a-z_0-9]+\.h'
no_curses include/otpvault src/core exporters importers importers/lib src/cli src/tui/model

# A bare header name is one of the folder's own: it must be there.
for folder in src/core importers/lib; do
    for header in $(sed -n 's/^#include "\([a-z_0-9]*\.h\)".*/\1/p' "$folder"/*.[ch] | sort -u); do
        [ -f "$folder/$header" ] || echo "$folder: includes \"$header\", which is not in $folder"
    done
done >>"$crossings"

if [ -s "$crossings" ]; then cat "$crossings"; status=1; fi
[ $status -eq 0 ] && echo "includes: every part keeps to its rules"
exit $status
