/*
** Shared by the two binding files, lthematic.c (thematic.core) and lzip.c
** (thematic.zip): the state's allocator handed to the engine, and the
** metatable of a box. Only binding files include this (it needs lua.h).
*/
#ifndef THEMATIC_LUA_H
#define THEMATIC_LUA_H

#include <lua.h>
#include <lauxlib.h>

#include "th_common.h"

/* The state's allocator, for the engine: every byte it takes is counted
   by Lua's collector, and a refusal becomes a Lua memory error. */
static inline th_alloc th_lua_alloc(lua_State *L) {
  th_alloc a;
  a.f = lua_getallocf(L, &a.ud);
  return a;
}

/* Registers the metatable `name` for boxes freed by gc, both when they
   are collected and when a to-be-closed variable holding one goes out of
   scope. */
static inline void th_lua_box_metatable(lua_State *L, const char *name,
                                        lua_CFunction gc) {
  luaL_newmetatable(L, name);
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
}

#endif
