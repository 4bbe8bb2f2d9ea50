# thematic — build, test, demo, bench, install.
# Every knob can be overridden: make CC=clang STEMMER_LIBS=-L/opt/lib\ -lstemmer

LUA          ?= lua5.4
LUA_PC       ?= lua5.4
PKG_CONFIG   ?= pkg-config
CC           ?= cc
PREFIX       ?= /usr/local
DESTDIR      ?=
LUA_VERSION  ?= 5.4
LUA_LIBDIR   ?= $(PREFIX)/lib/lua/$(LUA_VERSION)
LUA_SHAREDIR ?= $(PREFIX)/share/lua/$(LUA_VERSION)
BINDIR       ?= $(PREFIX)/bin
BUSTED       ?= busted

# Only --cflags from lua5.4.pc: the module must never link liblua itself.
LUA_CFLAGS   ?= $(shell $(PKG_CONFIG) --cflags $(LUA_PC))
UTF8PROC_CFLAGS ?= $(shell $(PKG_CONFIG) --cflags libutf8proc)
UTF8PROC_LIBS   ?= $(shell $(PKG_CONFIG) --libs libutf8proc)
ZIP_CFLAGS   ?= $(shell $(PKG_CONFIG) --cflags libzip)
ZIP_LIBS     ?= $(shell $(PKG_CONFIG) --libs libzip)
# libstemmer ships no .pc file.
STEMMER_CFLAGS ?=
STEMMER_LIBS   ?= -lstemmer

OPTFLAGS ?= -O2
WARNFLAGS ?= -std=c99 -Wall -Wextra -pedantic -Wshadow -Wmissing-prototypes \
             -Wstrict-prototypes -Wpointer-arith -Wcast-qual -Wundef
CFLAGS   ?= $(OPTFLAGS) -g
ALL_CFLAGS = $(CFLAGS) $(WARNFLAGS) -fPIC -fvisibility=hidden \
             $(LUA_CFLAGS) $(UTF8PROC_CFLAGS) $(ZIP_CFLAGS) $(STEMMER_CFLAGS)
# core.so links no libzip: libzip brings libcrypto, and loading the two
# cost every command about 5 ms and 140 page faults (docs/internals.md).
# zip.so (thematic.zip, for .docx and .qdpx) links it; the Lua modules
# require it only when they open a zip. The fuzzers link all three.
CORE_LIBS = $(UTF8PROC_LIBS) $(STEMMER_LIBS)
LIBS     = $(UTF8PROC_LIBS) $(ZIP_LIBS) $(STEMMER_LIBS)

SRCS := $(wildcard csrc/*.c)
HDRS := $(wildcard csrc/*.h)
ZIPMOD_SRCS = csrc/lzip.c csrc/zipio.c csrc/memory.c
CORE_SRCS = $(filter-out csrc/lzip.c csrc/zipio.c,$(SRCS))
BUILD ?= build
CORE  = $(BUILD)/thematic/core.so
ZIPMOD = $(BUILD)/thematic/zip.so
ASAN_CORE = $(BUILD)/asan/thematic/core.so
ASAN_ZIPMOD = $(BUILD)/asan/thematic/zip.so
MODULES = $(CORE) $(ZIPMOD)
ASAN_MODULES = $(ASAN_CORE) $(ASAN_ZIPMOD)

# Debian packages the build, the tests, the demo and the benchmark need.
DEB_PACKAGES = lua5.4 liblua5.4-dev libutf8proc-dev libstemmer-dev libzip-dev \
  unicode-data lua-busted lua-yaml lua-expat lua-filesystem lua-argparse \
  lua-cjson lua-lpeg lua-term pkg-config gcc make libxml2-utils zip unzip luarocks \
  python3 python3-stemmer hyperfine lua-check chromium \
  clang libclang-rt-14-dev valgrind cppcheck clang-tidy procps

.PHONY: all deps bench-deps test demo bench install uninstall clean rockspec lint

all: $(MODULES)

$(CORE): $(CORE_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -shared -o $@ $(CORE_SRCS) $(CORE_LIBS)

$(ZIPMOD): $(ZIPMOD_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -shared -o $@ $(ZIPMOD_SRCS) $(ZIP_LIBS)

# The same modules with AddressSanitizer and UndefinedBehaviorSanitizer.
ASAN_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
  -fno-sanitize-recover=undefined $(WARNFLAGS) -fPIC -fvisibility=hidden \
  $(LUA_CFLAGS) $(UTF8PROC_CFLAGS) $(ZIP_CFLAGS) $(STEMMER_CFLAGS)

$(ASAN_CORE): $(CORE_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -shared -o $@ $(CORE_SRCS) $(CORE_LIBS)

$(ASAN_ZIPMOD): $(ZIPMOD_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ASAN_CFLAGS) -shared -o $@ $(ZIPMOD_SRCS) $(ZIP_LIBS)

# How long `make test` runs each fuzz target (CI on 2 cores stays well
# under its ten minutes).
TEST_FUZZ_SECONDS ?= 4

# Installs what is missing; when not root, prints the exact line to run.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "deps: missing packages; run as root:"; \
	  echo "  apt-get install -y$$missing"; exit 1; \
	fi; \
	echo "deps: installing$$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing

test: deps $(MODULES) $(ASAN_MODULES)
	$(BUSTED) --output=utfTerminal
	@echo "== the C core specs again, under AddressSanitizer + UBSan =="
	THEMATIC_CPATH='$(BUILD)/asan/?.so' \
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	LD_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" \
	  $(BUSTED) --output=utfTerminal spec/core spec/fuzz_regressions_spec.lua
	@echo "== every fuzz target briefly ($(TEST_FUZZ_SECONDS) s each; make fuzz runs longer) =="
	$(MAKE) --no-print-directory fuzz-ci FUZZ_CI_SECONDS=$(TEST_FUZZ_SECONDS)
	@echo "== the C core specs under valgrind memcheck, and static analysis of the C core"
	@echo "   (gcc -fanalyzer, cppcheck, clang-tidy), side by side: each runs on one core"
	@echo "   for about a minute and a half; each one's output comes whole when it ends =="
	$(MAKE) --no-print-directory -j2 --output-sync=target valgrind analyze
	@echo "== luacheck on the Lua modules, the command and the specs =="
	$(MAKE) --no-print-directory lint

demo: deps $(MODULES)
	$(LUA) bin/thematic demo samples

# The benchmark's English prose comes from these packages' documentation.
BENCH_PACKAGES = linux-doc-6.1 perl-doc python3.11-doc

bench-deps: deps
	@missing=""; for p in $(BENCH_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "bench: missing packages; run as root:"; echo "  apt-get install -y$$missing"; exit 1; \
	fi; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing

bench: bench-deps $(MODULES)
	$(LUA) bench/run.lua

install: $(MODULES)
	install -d $(DESTDIR)$(LUA_LIBDIR)/thematic $(DESTDIR)$(LUA_SHAREDIR)/thematic $(DESTDIR)$(BINDIR)
	install -m 755 $(CORE) $(DESTDIR)$(LUA_LIBDIR)/thematic/core.so
	install -m 755 $(ZIPMOD) $(DESTDIR)$(LUA_LIBDIR)/thematic/zip.so
	cd lua && find thematic \( -name "*.lua" -o -name "*.txt" \) -exec install -D -m 644 {} $(DESTDIR)$(LUA_SHAREDIR)/{} \;
	install -m 644 samples/codebooks/digital-health.yml $(DESTDIR)$(LUA_SHAREDIR)/thematic/data/digital-health.yml
	install -m 755 bin/thematic $(DESTDIR)$(BINDIR)/thematic

uninstall:
	rm -f $(DESTDIR)$(LUA_LIBDIR)/thematic/core.so $(DESTDIR)$(LUA_LIBDIR)/thematic/zip.so \
	  $(DESTDIR)$(BINDIR)/thematic
	rm -rf $(DESTDIR)$(LUA_SHAREDIR)/thematic
	-rmdir $(DESTDIR)$(LUA_LIBDIR)/thematic 2>/dev/null

clean:
	rm -rf $(BUILD)

# The rockspec lists every source file; regenerate it after adding one.
rockspec:
	$(LUA) tools/gen-rockspec.lua > rockspec/thematic-scm-1.rockspec.tmp
	mv rockspec/thematic-scm-1.rockspec.tmp rockspec/thematic-scm-1.rockspec

# Style check of the Lua code (luacheck, std = lua54; see .luacheckrc).
lint:
	luacheck lua bin/thematic spec

# ---------------------------------------------------------------------------
# Hardening (issue 8): fuzzing, valgrind, static analysis. See fuzz/README.md.
FUZZ_CC        ?= clang
FUZZ_SECONDS   ?= 60
FUZZ_CI_SECONDS ?= 10
FUZZ_LUA_ERRORS ?= abort
FUZZ_DIR       ?= $(BUILD)/fuzz
FUZZ_C_TARGETS  = tokenize normalize matcher lexicon transcript
FUZZ_LUA_TARGETS = codebook_yaml codebook_liwc codebook_wordstat \
  codebook_lexicoder codebook_yoshikoder codebook_qdc codebook_csv \
  transcript_txt transcript_vtt transcript_srt transcript_docx \
  transcript_csv participants abstracts_ris abstracts_medline abstracts_bibtex count \
  stem_counts
FUZZ_TARGETS    = $(FUZZ_C_TARGETS) $(FUZZ_LUA_TARGETS)
FUZZ_FLAGS_C    = -O1 -g -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -Wall -Wextra -Icsrc $(UTF8PROC_CFLAGS) $(ZIP_CFLAGS) $(STEMMER_CFLAGS)
ENGINE_SRCS     = $(filter-out csrc/lthematic.c csrc/lzip.c,$(SRCS))
FUZZ_BINS       = $(FUZZ_C_TARGETS:%=$(FUZZ_DIR)/fuzz_%) \
  $(FUZZ_LUA_TARGETS:%=$(FUZZ_DIR)/fuzz_lua_%)
VALGRIND       ?= valgrind
VALGRIND_FLAGS ?= --error-exitcode=1 --leak-check=full \
  --errors-for-leak-kinds=definite --show-leak-kinds=definite --track-origins=yes
CLANG_TIDY     ?= clang-tidy
CLANG_TIDY_CHECKS ?= clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling
CPPCHECK       ?= cppcheck

.PHONY: fuzz fuzz-ci fuzz-build valgrind analyze

$(FUZZ_DIR)/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(ENGINE_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS_C) -o $@ $< $(ENGINE_SRCS) $(LIBS)

# One binary for every Lua target; each target is a link named after it.
$(FUZZ_DIR)/fuzz_lua: fuzz/fuzz_lua.c $(SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS_C) $(LUA_CFLAGS) -DTHEMATIC_ROOT='"$(CURDIR)"' \
	  -o $@ $< $(SRCS) $(LIBS) $(shell $(PKG_CONFIG) --libs $(LUA_PC))

$(FUZZ_DIR)/fuzz_lua_%: $(FUZZ_DIR)/fuzz_lua
	ln -sf fuzz_lua $@

fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR)/seeds: fuzz/seeds.sh
	sh fuzz/seeds.sh $@

fuzz: fuzz-build $(FUZZ_DIR)/seeds
	THEMATIC_FUZZ_ERRORS=$(FUZZ_LUA_ERRORS) FUZZ_DIR=$(CURDIR)/$(FUZZ_DIR) \
	  sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-ci: fuzz-build $(FUZZ_DIR)/seeds
	THEMATIC_FUZZ_ERRORS=$(FUZZ_LUA_ERRORS) FUZZ_DIR=$(CURDIR)/$(FUZZ_DIR) \
	  sh fuzz/run.sh $(FUZZ_CI_SECONDS) $(FUZZ_TARGETS)

# The C core specs under memcheck (no invalid access, no definite leak;
# no suppressions needed). --ignore-lua keeps busted from re-executing
# itself under .busted's interpreter, outside valgrind.
# The specs tagged #huge (100 MB and 50 MB inputs) are left out here: under
# memcheck they took most of this run's minutes, and they run in the plain
# and the ASan + UBSan runs of make test all the same.
valgrind: $(MODULES)
	$(VALGRIND) $(VALGRIND_FLAGS) $(LUA) $$(command -v $(BUSTED)) --ignore-lua \
	  --exclude-tags=huge --output=plainTerminal spec/core

# Static analysis of the C core; see fuzz/README.md for the levels chosen.
analyze:
	for f in $(SRCS); do \
	  $(CC) -fanalyzer -c -o /dev/null -std=c99 -Wall -Wextra -Werror $(LUA_CFLAGS) \
	    $(UTF8PROC_CFLAGS) $(ZIP_CFLAGS) $(STEMMER_CFLAGS) $$f || exit 1; \
	done
	$(CPPCHECK) --enable=warning,performance,portability --error-exitcode=1 \
	  --inline-suppr --quiet --std=c99 -Icsrc $(SRCS)
	$(CLANG_TIDY) --quiet --warnings-as-errors='*' --checks='-*,$(CLANG_TIDY_CHECKS)' \
	  $(SRCS) -- -std=c99 -Icsrc $(LUA_CFLAGS) $(UTF8PROC_CFLAGS) $(ZIP_CFLAGS) $(STEMMER_CFLAGS)
