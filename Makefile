# heapspurs — build, test, install. `make help` lists the targets.
.SUFFIXES:

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
ifeq ($(origin CC),default)
CC         := cc
endif
PKG_CONFIG ?= pkg-config

# SANITIZE=1 builds everything under AddressSanitizer + UBSan in its own directory;
# SANITIZE=thread under ThreadSanitizer (the load's threads).
ifeq ($(SANITIZE),thread)
BUILD      ?= build-tsan
SANFLAGS   := -fsanitize=thread
OPT        := -O1
else ifeq ($(SANITIZE),1)
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
BUILD      ?= build-sanitize
SANFLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT        := -O1
else
BUILD      ?= build
SANFLAGS   :=
OPT        := -O2
endif

# The project's flags live in their own variables; FINAL_* add the user's CPPFLAGS, CFLAGS, LDFLAGS and
# LDLIBS after them, so `make CFLAGS=-O0` changes the optimisation and keeps -std=c11, -pthread and the
# graphviz include. pkg-config is asked when a recipe runs (`=`, not `:=`): `make deps demo` reads this
# file before `deps` has installed graphviz.
GV_CFLAGS  = $(shell $(PKG_CONFIG) --cflags libgvc libcgraph 2>/dev/null)
GV_LIBS    = $(shell $(PKG_CONFIG) --libs libgvc libcgraph 2>/dev/null || echo -lgvc -lcgraph -lcdt)
HS_CPPFLAGS := -D_GNU_SOURCE -Iinclude -DHS_VERSION='"$(VERSION)"' -D_FILE_OFFSET_BITS=64
HS_WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-missing-field-initializers
HS_CFLAGS  = -std=c11 $(OPT) -g $(HS_WARN) -pthread $(SANFLAGS) $(GV_CFLAGS)
HS_LDFLAGS := -pthread $(SANFLAGS)
HS_LIBS    = $(GV_LIBS) -ldw -lelf -lz -lm
FINAL_CPPFLAGS = $(HS_CPPFLAGS) $(CPPFLAGS)
FINAL_CFLAGS   = $(HS_CFLAGS) $(CFLAGS)
FINAL_LDFLAGS  = $(HS_LDFLAGS) $(LDFLAGS)
FINAL_LIBS     = $(HS_LIBS) $(LDLIBS)

LIB_SRC    := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ    := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB        := $(BUILD)/libheapspurs.a
BIN        := $(BUILD)/heapspurs
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Debian packages the build and the tests need: the one list, installed by `make deps`, printed by
# `make print-deps` (.ci/run removes its -dev packages to test a first run). libdw-dev is for DWARF;
# chromium is for the tests that open the --html page and the graph in a browser (they fail without it).
DEB_PKGS   := build-essential pkg-config libgraphviz-dev graphviz libcmocka-dev libelf-dev libdw-dev \
              zlib1g-dev python3 chromium

.PHONY: all deps print-deps demo check unit cli install uninstall clean help fuzz bench

all: $(BIN)

help:
	@echo "make deps      install the Debian packages needed to build and test (as root or with sudo);"
	@echo "               \`make print-deps\` lists them"
	@echo "make           build $(BIN)"
	@echo "make demo      run heapspurs on a bundled example dump"
	@echo "make check     build and run every test (SANITIZE=1 for ASan+UBSan, SANITIZE=thread for TSan,"
	@echo "               VALGRIND=1 under valgrind)"
	@echo "make bench     time heapspurs on generated dumps of several shapes, against the original with"
	@echo "               HEAPSPURS_ORIG_SRC=CHECKOUT (BENCH_N=\"1000000 10000000\", BENCH_COLD=1; see bench/README.md)"
	@echo "make install   install to \$$(DESTDIR)\$$(PREFIX) (default /usr/local)"
	@echo "CPPFLAGS, CFLAGS, LDFLAGS and LDLIBS add to the project's flags (make CFLAGS=-O0 keeps -std=c11)"

# apt_install_missing PACKAGES: installs those of PACKAGES dpkg does not list as installed (a removed
# package that left its configuration files counts as missing), through sudo unless root.
define apt_install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null | grep -qx installed || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    -o DPkg::Lock::Timeout=300 $$missing >/dev/null; \
	fi
endef

deps:
	$(call apt_install_missing,$(DEB_PKGS))

print-deps:
	@echo $(DEB_PKGS)

# With `deps` (or `deps-fuzz`) among the goals, everything that compiles waits for it, so
# `make -j4 deps check` installs before it builds.
DEPS_FIRST := $(filter deps,$(MAKECMDGOALS))
FUZZ_DEPS_FIRST := $(filter deps deps-fuzz,$(MAKECMDGOALS))

$(BUILD)/obj/%.o: src/%.c $(wildcard include/*.h) $(wildcard src/*.h) | $(BUILD)/obj $(DEPS_FIRST)
	$(CC) $(FINAL_CPPFLAGS) $(FINAL_CFLAGS) -c -o $@ $<

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(FINAL_LDFLAGS) -o $@ $(BUILD)/obj/main.o $(LIB) $(FINAL_LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB) $(wildcard tests/unit/*.h) | $(BUILD)/tests $(DEPS_FIRST)
	$(CC) $(FINAL_CPPFLAGS) $(FINAL_CFLAGS) -Isrc -Itests/unit -o $@ $< $(LIB) $(FINAL_LDFLAGS) $(FINAL_LIBS) -lcmocka

DEMO_DUMP  := testdata/dumps/leak-go1.26.8.dump
DEMO_BIN   := testdata/bin/leak-go1.26.8

demo: $(BIN)
	@echo "== heapspurs --leaks: what holds the memory in $(DEMO_DUMP) (a global slice that keeps growing)"
	./$(BIN) --leaks --program $(DEMO_BIN) $(DEMO_DUMP)
	@echo
	@echo "== heapspurs --anchors: what keeps one leaked element alive"
	./$(BIN) --anchors --program $(DEMO_BIN) --address $$(awk '$$1 == "elem.0" { print $$2 }' testdata/dumps/leak-go1.26.8.facts) $(DEMO_DUMP)

unit: $(UNIT_BIN)
	@status=0; for t in $(UNIT_BIN); do $(VALGRIND_CMD) ./$$t || status=1; done; exit $$status

cli: $(BIN)
	@HEAPSPURS=./$(BIN) VALGRIND="$(VALGRIND)" sh tests/cli/run.sh

ifeq ($(VALGRIND),1)
VALGRIND_CMD := valgrind -q --error-exitcode=99 --leak-check=full
endif

check: $(BIN) $(UNIT_BIN)
	@status=0; $(MAKE) --no-print-directory unit || status=1; \
	$(MAKE) --no-print-directory cli || status=1; exit $$status

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/heapspurs
	install -m 644 docs/heapspurs.1 $(DESTDIR)$(PREFIX)/share/man/man1/heapspurs.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/heapspurs $(DESTDIR)$(PREFIX)/share/man/man1/heapspurs.1

clean:
	rm -rf build build-sanitize build-tsan build-fuzz

# `make bench BENCH_N="1000000 10000000"`: bench/run.sh on dumps from bench/gen, cached in bench/cache, and
# on the DWARF of bench/bigbin (built by the script, cached there too; see bench/README.md). Timings live
# here, never in the tests. bench-memwatch runs each command and samples its memory. With
# HEAPSPURS_ORIG_SRC=PATH (a checkout of github.com/adamroach/heapspurs) the original is built from it
# into $(BUILD)/heapspurs-orig and compared; its go.mod and go.sum are copied next to the binary and used
# through -modfile, so that -mod=mod never writes into the checkout.
GO          ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
BENCH_N     ?= 1000000
BENCH_CHAIN ?= 1000000
BENCH_RUNS  ?= 3
BENCH_GEN   := $(BUILD)/bench-gen
BENCH_MEMWATCH := $(BUILD)/bench-memwatch
BENCH_FRESHMEM := $(BUILD)/bench-freshmem
HEAPSPURS_ORIG_SRC ?=
ORIG_BIN    := $(BUILD)/heapspurs-orig

$(BENCH_GEN): bench/gen/main.go bench/gen/go.mod
	cd bench/gen && GOTOOLCHAIN=local GOFLAGS=-mod=mod $(GO) build -o $(CURDIR)/$@ .

$(BENCH_MEMWATCH): bench/memwatch.c | $(BUILD)/obj
	$(CC) -std=c11 -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes $(CFLAGS) $(LDFLAGS) -o $@ bench/memwatch.c

$(BENCH_FRESHMEM): bench/freshmem.c | $(BUILD)/obj
	$(CC) -std=c11 -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes $(CFLAGS) $(LDFLAGS) -o $@ bench/freshmem.c

.PHONY: bench-orig
bench-orig: | $(BUILD)/obj
ifneq ($(HEAPSPURS_ORIG_SRC),)
	@test -f "$(HEAPSPURS_ORIG_SRC)/go.mod" && test -d "$(HEAPSPURS_ORIG_SRC)/cmd/heapspurs" || \
	  { echo "HEAPSPURS_ORIG_SRC=$(HEAPSPURS_ORIG_SRC) is not a checkout of github.com/adamroach/heapspurs"; exit 1; }
	cp "$(HEAPSPURS_ORIG_SRC)/go.mod" $(ORIG_BIN).mod
	if [ -f "$(HEAPSPURS_ORIG_SRC)/go.sum" ]; then cp "$(HEAPSPURS_ORIG_SRC)/go.sum" $(ORIG_BIN).sum; else rm -f $(ORIG_BIN).sum; fi
	cd "$(HEAPSPURS_ORIG_SRC)" && GOTOOLCHAIN=local GOFLAGS=-mod=mod $(GO) build -modfile=$(CURDIR)/$(ORIG_BIN).mod \
	  -o $(CURDIR)/$(ORIG_BIN) ./cmd/heapspurs
endif

bench: $(BIN) $(BENCH_GEN) $(BENCH_MEMWATCH) $(BENCH_FRESHMEM) bench-orig
	@HEAPSPURS=./$(BIN) BENCH_GEN=./$(BENCH_GEN) BENCH_MEMWATCH=./$(BENCH_MEMWATCH) BENCH_FRESHMEM=./$(BENCH_FRESHMEM) \
	  BENCH_N="$(BENCH_N)" \
	  BENCH_CHAIN="$(BENCH_CHAIN)" BENCH_RUNS="$(BENCH_RUNS)" BENCH_GO="$(GO)" \
	  $(if $(HEAPSPURS_ORIG_SRC),HEAPSPURS_ORIG=./$(ORIG_BIN) HEAPSPURS_ORIG_SRC="$(HEAPSPURS_ORIG_SRC)") \
	  sh bench/run.sh

# `make fuzz FUZZ_SECONDS=60`: the libFuzzer target tests/fuzz/fuzz_dump.c, built with clang under
# ASan+UBSan in build-fuzz/ and run on a corpus seeded from testdata/dumps (`make deps-fuzz` installs clang).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build-fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  = -g -O1 -std=c11 -Wall -Wextra -pthread $(FUZZ_SAN) $(GV_CFLAGS) $(CFLAGS)
FUZZ_OBJ     := $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN     := $(FUZZ_BUILD)/fuzz_dump
FUZZ_PKGS    := clang libclang-rt-14-dev llvm

.PHONY: deps-fuzz fuzz-build fuzz-seeds

deps-fuzz:
	$(call apt_install_missing,$(FUZZ_PKGS))

$(FUZZ_BUILD)/obj/%.o: src/%.c $(wildcard include/*.h) $(wildcard src/*.h) | $(FUZZ_BUILD)/obj $(FUZZ_DEPS_FIRST)
	$(FUZZ_CC) $(FINAL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/obj:
	mkdir -p $@

$(FUZZ_BIN): tests/fuzz/fuzz_dump.c tests/unit/heap_equal.h $(FUZZ_OBJ) | $(FUZZ_DEPS_FIRST)
	$(FUZZ_CC) $(FINAL_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDFLAGS) $(FINAL_LIBS)

fuzz-build: $(FUZZ_BIN)

# Seeds: every committed dump up to 1 MB (gzipped ones inflated), small dumps cut from them, regressions.
fuzz-seeds:
	@mkdir -p $(FUZZ_BUILD)/seeds $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/artifacts
	@for f in testdata/dumps/*.dump testdata/dumps/*.dump.gz; do \
	  [ -f "$$f" ] || continue; b=$$(basename "$$f" .gz); \
	  [ -s "$(FUZZ_BUILD)/seeds/$$b" ] && continue; \
	  case "$$f" in *.gz) gzip -dc "$$f" >"$(FUZZ_BUILD)/seeds/$$b" ;; *) cp "$$f" "$(FUZZ_BUILD)/seeds/$$b" ;; esac; \
	  [ $$(wc -c <"$(FUZZ_BUILD)/seeds/$$b") -le 1048576 ] || rm -f "$(FUZZ_BUILD)/seeds/$$b"; \
	done
	@python3 tests/corpus/make-corpus.py --seeds $(FUZZ_BUILD)/seeds
	@for f in tests/corpus/regress/*; do [ -f "$$f" ] && cp "$$f" $(FUZZ_BUILD)/seeds/; done; true

fuzz: $(FUZZ_BIN) fuzz-seeds
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ./$(FUZZ_BIN) \
	  -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -max_len=1048576 -timeout=10 \
	  -artifact_prefix=$(FUZZ_BUILD)/artifacts/ -print_final_stats=1 \
	  $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/seeds
