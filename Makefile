# otpvault: one entry point for build, run, test, check, bench and install.
#   make            build ./build/otpvault
#   make run        build and start the app
#   make test       build and run every test suite
#   make check      the tests again under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      benchmarks against the tools users would otherwise use
#   make install    PREFIX=/usr/local DESTDIR= (binary and man page)
# Missing Debian packages are installed (or named) by scripts/deps.sh before anything builds.

VERSION   := 0.1.0
CC        ?= cc
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
BUILD     ?= build
FIXTURES_DIR ?= ../shared/fixtures

PKGS      := ncursesw libgcrypt zbar libpng yaml-0.1 jansson libturbojpeg libwebp libgif \
             libqrencode libxml-2.0 sqlite3 libzip libsodium
TEST_PKGS := criterion

CFLAGS    ?= -O2 -g
WARNINGS  := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wno-unused-parameter
# Deferred (=) so pkg-config runs after scripts/deps.sh has installed what it names.
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE $(WARNINGS) $(CFLAGS) -Iinclude -Isrc \
             -DOV_VERSION='"$(VERSION)"' -MMD -MP $(shell pkg-config --cflags $(PKGS))
ALL_LIBS   = $(LDFLAGS) $(shell pkg-config --libs $(PKGS)) -lpthread -lm

# The parts, one folder each (docs/architecture.md). The core library: src/core, the
# importers (importers/*.c, one a format, and their helpers in importers/lib) and the
# exporters. The faces, src/cli (with main.c) and src/tui, go into the program only; the
# app's curses-free models (src/tui/model) are a library of their own, for the app and its
# tests. scripts/check-includes.sh keeps each part to what it may include.
CORE_SRC  := $(sort $(wildcard src/core/*.c importers/*.c importers/lib/*.c exporters/*.c))
CLI_SRC   := $(sort $(wildcard src/cli/*.c))
TUI_SRC   := $(sort $(wildcard src/tui/*.c))
MODEL_SRC := $(sort $(wildcard src/tui/model/*.c))
TEST_SRC  := $(sort $(filter-out tests/fuzz/%,$(wildcard tests/*.c tests/*/*.c tests/*/*/*.c)))
BENCH_SRC := $(sort $(wildcard bench/*.c))

CORE_OBJ  := $(CORE_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ   := $(TUI_SRC:%.c=$(BUILD)/%.o)
MODEL_OBJ := $(MODEL_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)
BIN       := $(BUILD)/otpvault
TEST_BIN  := $(BUILD)/tests/unit
CORE_LIB  := $(BUILD)/libotpvault.a
MODEL_LIB := $(BUILD)/libotpvault-tui-model.a

.PHONY: all run test check bench install uninstall clean deps deps-test deps-bench

all: $(BIN)

deps:
	@sh scripts/deps.sh build
deps-test:
	@sh scripts/deps.sh test
deps-bench:
	@sh scripts/deps.sh bench

# Quiet by default; `make V=1` shows the full commands.
Q := $(if $(V),,@)

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c | deps-test
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -I. $(shell pkg-config --cflags $(TEST_PKGS)) -c $< -o $@

# Archives are made afresh: members of the same base name (importers/aegis.o and
# exporters/aegis.o) are then both kept.
$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(MODEL_LIB): $(MODEL_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(TUI_OBJ) $(MODEL_LIB) $(CORE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(ALL_LIBS)

$(TEST_BIN): $(TEST_OBJ) $(MODEL_LIB) $(CORE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(ALL_LIBS) $(shell pkg-config --libs $(TEST_PKGS))

run: $(BIN)
	./$(BIN)

# Unit, CLI and interop suites share one Criterion binary; the CLI tests run $(BIN).
test: deps-test $(BIN) $(TEST_BIN)
	OTPVAULT_BIN=$(abspath $(BIN)) FIXTURES_DIR=$(abspath $(FIXTURES_DIR)) \
	    ./$(TEST_BIN) $(TEST_ARGS)
	@if [ -x tests/tui/run.sh ]; then OTPVAULT_BIN=$(abspath $(BIN)) \
	    FIXTURES_DIR=$(abspath $(FIXTURES_DIR)) tests/tui/run.sh; fi

SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=all
# Criterion runs each test in a child and does not notice a leak report at its exit, so
# sanitizer reports go to files, and any report fails the check. (print_suppressions=0: the
# runner's suppressed Criterion leak, tests/core/test_lsan_runner.c, is not a report.)
SAN_REPORTS := $(abspath $(BUILD))/san/reports
check:
	@rm -rf $(SAN_REPORTS) && mkdir -p $(SAN_REPORTS)
	ASAN_OPTIONS=log_path=$(SAN_REPORTS)/asan UBSAN_OPTIONS=log_path=$(SAN_REPORTS)/ubsan \
	    LSAN_OPTIONS=print_suppressions=0 \
	    $(MAKE) test BUILD=$(BUILD)/san CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)"
	@if [ -n "$$(ls -A $(SAN_REPORTS))" ]; then \
	    echo "sanitizer reports:"; cat $(SAN_REPORTS)/*; exit 1; \
	else echo "no sanitizer reports"; fi

BENCH_TOOLS := $(BUILD)/bench/timeit $(BUILD)/bench/tui_pty $(BUILD)/bench/filter_time \
               $(BUILD)/bench/merge_time
bench: deps-bench $(BIN) $(BENCH_TOOLS)
	OTPVAULT_BIN=$(abspath $(BIN)) TIMEIT=$(abspath $(BUILD)/bench/timeit) \
	    TUI_PTY=$(abspath $(BUILD)/bench/tui_pty) \
	    FILTER_TIME=$(abspath $(BUILD)/bench/filter_time) \
	    MERGE_TIME=$(abspath $(BUILD)/bench/merge_time) \
	    MKSHOT=$(abspath $(BUILD)/bench/mkshot) sh bench/run.sh

$(BUILD)/bench/timeit: bench/timeit.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lm

# Drives the app through a pty it owns (forkpty is in libutil).
$(BUILD)/bench/tui_pty: bench/tui_pty.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lutil

# Times the list model's filter directly, against the core library.
$(BUILD)/bench/filter_time: bench/filter_time.c $(MODEL_LIB) $(CORE_LIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(MODEL_LIB) $(CORE_LIB) $(ALL_LIBS)

# `make screenshot`: docs/screenshot.svg, the README's picture, drawn from a tmux capture
# of the app by tools/ansi2svg (scripts/screenshot.sh).
.PHONY: screenshot
ANSI2SVG := $(BUILD)/tools/ansi2svg
$(ANSI2SVG): $(BUILD)/tools/ansi2svg.o $(BUILD)/tools/ansi_svg.o
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^
screenshot: deps-test $(BIN) $(ANSI2SVG)
	OTPVAULT_BIN=$(abspath $(BIN)) ANSI2SVG=$(abspath $(ANSI2SVG)) sh scripts/screenshot.sh
# tests/tui/run.sh runs the script too (test_screenshot_script).
test: $(ANSI2SVG)

# Times the merge of two 10,000-account copies, against the core library.
$(BUILD)/bench/merge_time: bench/merge_time.c $(CORE_LIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(CORE_LIB) $(ALL_LIBS)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/otpvault
	install -m 644 share/man/man1/otpvault.1 $(DESTDIR)$(MANDIR)/man1/otpvault.1
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	    $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d \
	    $(DESTDIR)$(PREFIX)/share/doc/otpvault/examples
	install -m 644 share/completions/otpvault.bash \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/otpvault
	install -m 644 share/completions/otpvault.zsh \
	    $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_otpvault
	install -m 644 share/completions/otpvault.fish \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/otpvault.fish
	install -m 644 share/config.yaml $(DESTDIR)$(PREFIX)/share/doc/otpvault/examples/config.yaml

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/otpvault $(DESTDIR)$(MANDIR)/man1/otpvault.1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/otpvault \
	    $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_otpvault \
	    $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/otpvault.fish \
	    $(DESTDIR)$(PREFIX)/share/doc/otpvault/examples/config.yaml

clean:
	rm -rf $(BUILD)

# `make deb`: the Debian package (debian/), for machines without a network; the .deb lands
# in ../ as dpkg-buildpackage puts it. Needs debhelper (scripts/deps.sh deb installs it).
.PHONY: deb
deb:
	@sh scripts/deps.sh deb
	dpkg-buildpackage -us -uc -b
	@if command -v lintian >/dev/null 2>&1; then lintian --fail-on error ../otpvault_$(VERSION)_*.deb; fi

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- QR test images --------------------------------------------------------------------------
# bench/qrgen*.c (libqrencode + image operations + encoders) is test and benchmark code: it is
# linked into the test binary and bench/mkshot, never into the core library.
QRGEN_OBJ := $(BUILD)/bench/qrgen.o $(BUILD)/bench/qrgen_encode.o
$(TEST_BIN): $(QRGEN_OBJ) $(BUILD)/tools/ansi_svg.o
# The generator calls core helpers and libm: the core archive is listed again after it.
$(TEST_BIN): ALL_LIBS += $(CORE_LIB) -lm

$(BUILD)/bench/mkshot: $(BUILD)/bench/mkshot.o $(QRGEN_OBJ) $(CORE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(ALL_LIBS) -lm

# The core's QR reader as a command (bench/qrread.c), to time and compare with zbarimg.
$(BUILD)/bench/qrread: $(BUILD)/bench/qrread.o $(CORE_LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) -o $@ $^ $(ALL_LIBS)

bench: $(BUILD)/bench/mkshot $(BUILD)/bench/qrread

# ---- hardening (issue 7): fuzzing and valgrind -----------------------------------------------
# `make fuzz`: every tests/fuzz/fuzz_*.c is linked with libFuzzer (clang) against a core
# library built with coverage and ASan + UBSan in $(BUILD)/fuzzing, then tests/fuzz/run.sh runs
# each for FUZZ_SECONDS on seeds from FIXTURES_DIR and the targets' own generated seeds.
# `make valgrind`: memcheck over the main CLI paths (tests/valgrind/run.sh).
FUZZ_SECONDS ?= 60
FUZZ_SAN  := -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
.PHONY: fuzz fuzz-build valgrind tui-hygiene check-includes

fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzz-build BUILD=$(BUILD)/fuzzing CC=clang \
	    CFLAGS="$(FUZZ_SAN) -fsanitize=fuzzer-no-link"
	FUZZ_SECONDS=$(FUZZ_SECONDS) FIXTURES_DIR=$(abspath $(FIXTURES_DIR)) \
	    nice -n 19 sh tests/fuzz/run.sh $(BUILD)/fuzzing

fuzz-build: $(FUZZ_BIN)
# The image target also draws QR seeds with the test-image generator.
$(BUILD)/fuzz/fuzz_image: $(QRGEN_OBJ)
$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(CORE_LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -I. -fsanitize=fuzzer -o $@ $< $(filter %.o,$^) $(CORE_LIB) $(ALL_LIBS)

# The full-screen app's secret hygiene, seen from its terminal, runs with the other tests;
# so does the check that each part includes only what docs/architecture.md allows.
test: tui-hygiene check-includes
check-includes:
	sh scripts/check-includes.sh
tui-hygiene: $(BIN)
	OTPVAULT_BIN=$(abspath $(BIN)) tests/tui/hygiene.sh

valgrind: $(BIN)
	OTPVAULT_BIN=$(abspath $(BIN)) FIXTURES_DIR=$(abspath $(FIXTURES_DIR)) \
	    sh tests/valgrind/run.sh
