/*
** The Lua-side readers through an embedded Lua state: codebook readers,
** transcript readers and abstract readers. One binary; the target is
** chosen by the name it is run under (fuzz_lua_<target>, a symbolic link)
** or by THEMATIC_FUZZ_TARGET. fuzz/harness.lua holds the targets.
**
** liblua is linked into this fuzzer only, never into the modules. The core
** (lthematic.c and the engine files, built with the sanitizers) is
** compiled in and registered as package.preload["thematic.core"]; the zip
** binding (lzip.c, zipio.c, libzip) as package.preload["thematic.zip"],
** which the .docx reader requires.
**
** A reader that returns nil, message is fine. A Lua error raised while
** reading data is a bug: with THEMATIC_FUZZ_ERRORS=abort (the default) it
** aborts, so libFuzzer saves the input; with =log each distinct message is
** printed once and the input saved under THEMATIC_FUZZ_FINDINGS (default
** build/fuzz/findings/<target>/), and the run goes on.
*/
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#ifndef THEMATIC_ROOT
#define THEMATIC_ROOT "."
#endif

int luaopen_thematic_core(lua_State *L);
int luaopen_thematic_zip(lua_State *L);

static lua_State *L;
static int target_ref = LUA_NOREF;
static const char *target;
static int abort_on_error = 1;
static char findings[4096];
static unsigned long runs;

/* Distinct error messages seen (log mode). */
static char **seen;
static size_t nseen;

static int already_seen(const char *msg) {
  size_t i;
  for (i = 0; i < nseen; i++)
    if (strcmp(seen[i], msg) == 0) return 1;
  seen = realloc(seen, (nseen + 1) * sizeof *seen);
  if (seen == NULL) abort();
  seen[nseen++] = strdup(msg);
  return 0;
}

/* mkdir -p */
static int make_dirs(const char *path) {
  char buf[4096];
  size_t i;
  snprintf(buf, sizeof buf, "%s", path);
  for (i = 1; buf[i]; i++) {
    if (buf[i] != '/') continue;
    buf[i] = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    buf[i] = '/';
  }
  return mkdir(buf, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

static void save_finding(const unsigned char *data, size_t size) {
  char path[4200];
  FILE *f;
  snprintf(path, sizeof path, "%s/error-%zu", findings, nseen);
  f = fopen(path, "wb");
  if (f == NULL) return;
  fwrite(data, 1, size, f);
  fclose(f);
  fprintf(stderr, "  input saved as %s\n", path);
}

/* Lua coverage for libFuzzer: the readers are Lua code, which the
   compiler's instrumentation cannot see. A line hook counts each
   (previous line, line) pair of every chunk in libFuzzer's extra counters,
   so inputs that take new paths through the Lua code are kept. */
#define NCOUNTERS (1u << 16)
__attribute__((used, section("__libfuzzer_extra_counters")))
static unsigned char lua_counters[NCOUNTERS];
static uintptr_t prev_loc;

static void line_hook(lua_State *L1, lua_Debug *ar) {
  uintptr_t loc;
  if (!lua_getinfo(L1, "S", ar)) return;
  loc = (uintptr_t)ar->source * 31u + (uintptr_t)ar->currentline * 2654435761u;
  lua_counters[(loc ^ (prev_loc >> 1)) & (NCOUNTERS - 1)]++;
  prev_loc = loc;
}

static int traceback(lua_State *L1) {
  const char *msg = lua_tostring(L1, 1);
  luaL_traceback(L1, L1, msg ? msg : "(error object is not a string)", 1);
  return 1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  const char *root = getenv("THEMATIC_ROOT");
  const char *mode = getenv("THEMATIC_FUZZ_ERRORS");
  const char *dir = getenv("THEMATIC_FUZZ_FINDINGS");
  const char *base;
  char buf[8192];
  (void)argc;
  if (root == NULL) root = THEMATIC_ROOT;
  target = getenv("THEMATIC_FUZZ_TARGET");
  if (target == NULL) {
    base = strrchr((*argv)[0], '/');
    base = base ? base + 1 : (*argv)[0];
    if (strncmp(base, "fuzz_lua_", 9) != 0) {
      fprintf(stderr, "fuzz_lua: run me as fuzz_lua_<target> or set "
                      "THEMATIC_FUZZ_TARGET\n");
      exit(2);
    }
    target = base + 9;
  }
  if (mode && strcmp(mode, "log") == 0) abort_on_error = 0;
  if (dir) snprintf(findings, sizeof findings, "%s", dir);
  else snprintf(findings, sizeof findings, "%s/build/fuzz/findings/%s", root, target);

  L = luaL_newstate();
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_thematic_core);
  lua_setfield(L, -2, "thematic.core");
  lua_pushcfunction(L, luaopen_thematic_zip);
  lua_setfield(L, -2, "thematic.zip");
  lua_pop(L, 1);
  snprintf(buf, sizeof buf,
           "package.path = '%s/lua/?.lua;%s/lua/?/init.lua;' .. package.path\n"
           "local targets = dofile('%s/fuzz/harness.lua')\n"
           "local t = targets[...]\n"
           "if not t then\n"
           "  local names = {}\n"
           "  for k in pairs(targets) do names[#names + 1] = k end\n"
           "  table.sort(names)\n"
           "  error('unknown target ' .. tostring(...) .. '; known: ' .. table.concat(names, ' '))\n"
           "end\n"
           "return t\n", root, root, root);
  if (luaL_loadbuffer(L, buf, strlen(buf), "=fuzz_lua") != LUA_OK) {
    fprintf(stderr, "fuzz_lua: %s\n", lua_tostring(L, -1));
    exit(2);
  }
  lua_pushstring(L, target);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    fprintf(stderr, "fuzz_lua: %s\n", lua_tostring(L, -1));
    exit(2);
  }
  target_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  if (getenv("THEMATIC_FUZZ_NO_LUA_COVERAGE") == NULL)
    lua_sethook(L, line_hook, LUA_MASKLINE, 0);
  return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
  int top = lua_gettop(L);
  prev_loc = 0;
  lua_pushcfunction(L, traceback);
  lua_rawgeti(L, LUA_REGISTRYINDEX, target_ref);
  lua_pushlstring(L, (const char *)data, size);
  if (lua_pcall(L, 1, 0, top + 1) != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (msg == NULL) msg = "(error object is not a string)";
    if (abort_on_error) {
      fprintf(stderr, "\n== Lua error raised on data (target %s) ==\n%s\n", target, msg);
      abort();
    }
    {
      /* the first line (where and what) identifies the bug */
      char first[1024];
      size_t n = strcspn(msg, "\n");
      if (n >= sizeof first) n = sizeof first - 1;
      memcpy(first, msg, n);
      first[n] = '\0';
      if (!already_seen(first)) {
        fprintf(stderr, "\n== new Lua error (target %s) ==\n%s\n", target, msg);
        if (make_dirs(findings) == 0) save_finding(data, size);
      }
    }
  }
  lua_settop(L, top);
  /* Keep memory steady: a full collection now and then. */
  if (++runs % 256 == 0) lua_gc(L, LUA_GCCOLLECT);
  return 0;
}
