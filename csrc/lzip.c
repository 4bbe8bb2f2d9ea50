/*
** thematic.zip: zip archives for the readers that need them (.docx
** transcripts, REFI-QDA .qdpx projects). A module of its own so that
** thematic.core does not link libzip, which brings libcrypto with it: every
** command would pay for loading them (about 5 ms and 140 page faults) and
** most never open a zip. The Lua modules require it only when they read or
** write one. zipio.c is the engine; this file is its one binding.
**
** Memory: libzip allocates with malloc, so the archive handle lives in a
** userdata ("zipbox") whose __gc and __close close it; a box is created
** closed, then filled, so a Lua error at any point leaks nothing. Entry
** contents are read through the state's allocator into the box's buffer.
*/
#include <string.h>

#include <lua.h>
#include <lauxlib.h>
#include <zip.h>

#include "th_lua.h"
#include "zipio.h"

#define ZIPBOX_MT "thematic.zip"


typedef struct zipbox {
  struct zip *z;
  th_buf buf;
} zipbox;

static int zipbox_gc(lua_State *L) {
  zipbox *b = (zipbox *)luaL_checkudata(L, 1, ZIPBOX_MT);
  th_alloc a = th_lua_alloc(L);
  if (b->z) { th_zip_close(b->z); b->z = NULL; }
  th_buf_free(&a, &b->buf);
  return 0;
}

static zipbox *new_zipbox(lua_State *L) {
  zipbox *b = (zipbox *)lua_newuserdatauv(L, sizeof(zipbox), 0);
  memset(b, 0, sizeof *b);
  luaL_setmetatable(L, ZIPBOX_MT);
  return b;
}

/* list(path) -> array of entry names | nil, message */
static int l_zip_list(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char err[512];
  zipbox *b = new_zipbox(L);
  zip_int64_t i, n, k = 0;
  if ((b->z = th_zip_open_read(path, err, sizeof err)) == NULL) {
    luaL_pushfail(L);
    lua_pushstring(L, err);
    return 2;
  }
  n = zip_get_num_entries(b->z, 0);
  lua_newtable(L);
  for (i = 0; i < n; i++) {
    const char *name = zip_get_name(b->z, (zip_uint64_t)i, 0);
    if (name == NULL) continue;   /* skipped without leaving a hole */
    lua_pushstring(L, name);
    lua_rawseti(L, -2, ++k);
  }
  th_zip_close(b->z);
  b->z = NULL;
  return 1;
}

/* read(path, name [, max_bytes]) -> string | nil, message */
static int l_zip_read(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *name = luaL_checkstring(L, 2);
  lua_Integer max = luaL_optinteger(L, 3, (lua_Integer)256 << 20);
  char err[512];
  zipbox *b;
  th_alloc a = th_lua_alloc(L);
  int rc;
  luaL_argcheck(L, max >= 0, 3, "limit must not be negative");
  b = new_zipbox(L);
  if ((b->z = th_zip_open_read(path, err, sizeof err)) == NULL) {
    luaL_pushfail(L);
    lua_pushstring(L, err);
    return 2;
  }
  rc = th_zip_read(b->z, name, (size_t)max, &a, &b->buf, err, sizeof err);
  th_zip_close(b->z);
  b->z = NULL;
  if (rc != TH_OK) {
    luaL_pushfail(L);
    lua_pushfstring(L, "%s: %s", path, err);
    return 2;
  }
  lua_pushlstring(L, b->buf.data ? b->buf.data : "", b->buf.len);
  th_buf_free(&a, &b->buf);
  return 1;
}

/* write(path, {{name=, data=}, ...}) -> true | nil, message */
static int l_zip_write(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  char err[512];
  zipbox *b;
  lua_Integer i, n;
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  n = luaL_len(L, 2);
  for (i = 1; i <= n; i++) {   /* check everything before touching the disk */
    if (lua_geti(L, 2, i) != LUA_TTABLE ||
        lua_getfield(L, -1, "name") != LUA_TSTRING ||
        lua_getfield(L, -2, "data") != LUA_TSTRING)
      return luaL_argerror(L, 2, lua_pushfstring(L,
               "entry %I needs a string name and string data", i));
    lua_pop(L, 3);
  }
  b = new_zipbox(L);
  if ((b->z = th_zip_open_write(path, err, sizeof err)) == NULL) {
    luaL_pushfail(L);
    lua_pushstring(L, err);
    return 2;
  }
  for (i = 1; i <= n; i++) {
    size_t dl;
    const char *name, *data;
    lua_geti(L, 2, i);
    lua_getfield(L, -1, "name");
    lua_getfield(L, -2, "data");
    name = lua_tostring(L, -2);
    data = lua_tolstring(L, -1, &dl);   /* kept alive by the entries table */
    if (th_zip_add(b->z, name, data, dl, err, sizeof err) != TH_OK) {
      th_zip_close(b->z);
      b->z = NULL;
      luaL_pushfail(L);
      lua_pushfstring(L, "%s: %s", path, err);
      return 2;
    }
    lua_pop(L, 3);
  }
  {
    struct zip *z = b->z;
    b->z = NULL;   /* th_zip_commit consumes the handle */
    if (th_zip_commit(z, err, sizeof err) != TH_OK) {
      luaL_pushfail(L);
      lua_pushfstring(L, "%s: %s", path, err);
      return 2;
    }
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* ---------------------------------------------------------------------
** Registration
** ------------------------------------------------------------------ */

static const luaL_Reg zip_funcs[] = {
  {"list", l_zip_list},
  {"read", l_zip_read},
  {"write", l_zip_write},
  {NULL, NULL}
};

__attribute__((visibility("default")))
int luaopen_thematic_zip(lua_State *L);

int luaopen_thematic_zip(lua_State *L) {
  th_lua_box_metatable(L, ZIPBOX_MT, zipbox_gc);
  luaL_newlib(L, zip_funcs);
  return 1;
}
