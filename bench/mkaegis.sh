#!/bin/sh
# Writes a plain Aegis export (vault file v1, content v3) with N TOTP accounts to stdout,
# with random 20-byte secrets: the input of the import benchmark.
# usage: mkaegis.sh N
set -eu
n=${1:?usage: mkaegis.sh N}
head -c $((n * 20)) /dev/urandom | base32 -w 32 | head -n "$n" | awk -v n="$n" '
BEGIN { printf "{\n    \"version\": 1,\n    \"header\": {\"slots\": null, \"params\": null},\n" \
               "    \"db\": {\"version\": 3, \"entries\": [\n" }
{
    printf "%s        {\"type\": \"totp\", \"uuid\": \"00000000-0000-4000-8000-%012d\", " \
           "\"name\": \"user%04d@example.com\", \"issuer\": \"Service %04d\", \"note\": \"\", " \
           "\"favorite\": false, \"icon\": null, \"info\": {\"secret\": \"%s\", " \
           "\"algo\": \"SHA1\", \"digits\": 6, \"period\": 30}, \"groups\": []}",
           (NR > 1 ? ",\n" : ""), NR, NR, NR, $0
}
END { printf "\n    ], \"groups\": [], \"icons_optimized\": true}\n}\n" }'
