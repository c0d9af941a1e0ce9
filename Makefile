# heapspurs — build, test, install. `make help` lists the targets.
.SUFFIXES:

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
ifeq ($(origin CC),default)
CC         := cc
endif
PKG_CONFIG ?= pkg-config

# SANITIZE=1 builds everything under AddressSanitizer + UBSan in its own directory.
ifeq ($(SANITIZE),1)
BUILD      ?= build-sanitize
SANFLAGS   := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT        := -O1
else
BUILD      ?= build
SANFLAGS   :=
OPT        := -O2
endif

GV_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libgvc libcgraph 2>/dev/null)
GV_LIBS    := $(shell $(PKG_CONFIG) --libs libgvc libcgraph 2>/dev/null || echo -lgvc -lcgraph -lcdt)
CPPFLAGS   += -D_GNU_SOURCE -Iinclude -DHS_VERSION='"$(VERSION)"' -D_FILE_OFFSET_BITS=64
CFLAGS     ?= $(OPT) -g
CFLAGS     := $(CFLAGS)
CFLAGS     += -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-missing-field-initializers -pthread $(SANFLAGS) $(GV_CFLAGS)
LDFLAGS    += -pthread $(SANFLAGS)
LDLIBS     += $(GV_LIBS) -lelf -lz -lm

LIB_SRC    := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ    := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB        := $(BUILD)/libheapspurs.a
BIN        := $(BUILD)/heapspurs
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Debian packages the build and the tests need (installed by `make deps`).
DEB_PKGS   := build-essential pkg-config libgraphviz-dev graphviz libcmocka-dev libelf-dev zlib1g-dev python3

.PHONY: all deps demo check unit cli install uninstall clean help fuzz bench

all: $(BIN)

help:
	@echo "make deps      install the Debian packages needed to build and test (as root or with sudo)"
	@echo "make           build $(BIN)"
	@echo "make demo      run heapspurs on a bundled example dump"
	@echo "make check     build and run every test (SANITIZE=1 for ASan+UBSan, VALGRIND=1 under valgrind)"
	@echo "make install   install to \$$(DESTDIR)\$$(PREFIX) (default /usr/local)"

deps:
	@missing=""; for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BUILD)/obj/%.o: src/%.c $(wildcard include/*.h) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/obj/main.o $(LIB) $(LDLIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB) $(wildcard tests/unit/*.h) | $(BUILD)/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

demo: $(BIN)
	@echo "== heapspurs --top 5 on testdata/dumps/leak-go1.26.8.dump (the classic leak)"
	./$(BIN) --leaks --program testdata/bin/leak-go1.26.8 testdata/dumps/leak-go1.26.8.dump

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
	rm -rf build build-sanitize build-fuzz
