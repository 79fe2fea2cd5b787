#!/bin/sh
# Make sure every build, test and benchmark dependency is present on a Debian machine.
# Each pkg-config module or program maps to the Debian package that provides it. Missing
# packages are installed with apt-get when we are root; otherwise the exact command is printed
# and the script fails, so `make` stops before a confusing compiler error.
#
# usage: scripts/deps.sh build|test|bench|deb
set -eu

want=${1:-build}

# pkg-config module  Debian package
build_modules="
ncursesw        libncurses-dev
libgcrypt       libgcrypt20-dev
zbar            libzbar-dev
libpng          libpng-dev
yaml-0.1        libyaml-dev
jansson         libjansson-dev
libturbojpeg    libturbojpeg0-dev
libwebp         libwebp-dev
libgif          libgif-dev
libqrencode     libqrencode-dev
libxml-2.0      libxml2-dev
sqlite3         libsqlite3-dev
libzip          libzip-dev
libsodium       libsodium-dev
"
test_modules="
criterion       libcriterion-dev
"
# program  Debian package
build_programs="
pkg-config      pkg-config
cc              gcc
make            make
"
test_programs="
tmux            tmux
git             git
zsh             zsh
fish            fish
"
bench_programs="
oathtool        oathtool
zbarimg         zbar-tools
"
deb_programs="
dh              debhelper
dpkg-buildpackage dpkg-dev
fakeroot        fakeroot
lintian         lintian
"

missing=""
check_modules() {
    echo "$1" | while read -r mod pkg; do
        [ -n "$mod" ] || continue
        command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$mod" && continue
        echo "$pkg"
    done
}
check_programs() {
    echo "$1" | while read -r prog pkg; do
        [ -n "$prog" ] || continue
        command -v "$prog" >/dev/null 2>&1 && continue
        echo "$pkg"
    done
}

missing="$(check_programs "$build_programs") $(check_modules "$build_modules")"
case "$want" in
    test|bench) missing="$missing $(check_modules "$test_modules") $(check_programs "$test_programs")" ;;
esac
case "$want" in
    bench) missing="$missing $(check_programs "$bench_programs")" ;;
    deb) missing="$missing $(check_programs "$deb_programs")" ;;
esac
missing=$(echo $missing | tr ' ' '\n' | sort -u | tr '\n' ' ' | sed 's/ *$//')

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing $missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends $missing >/dev/null; then
        apt-get update -qq
        apt-get install -y --no-install-recommends $missing >/dev/null
    fi
    exit 0
fi

echo "deps: missing Debian packages: $missing" >&2
echo "deps: install them with:" >&2
echo "    sudo apt-get install $missing" >&2
exit 1
