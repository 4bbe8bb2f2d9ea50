#!/usr/bin/env lua5.4
-- Writes rockspec/thematic-scm-1.rockspec from the files in csrc/ and lua/,
-- so the rockspec always lists every C file and Lua module (a spec checks).
-- usage: lua5.4 tools/gen-rockspec.lua > rockspec/thematic-scm-1.rockspec

local function lines(cmd)
  local out = {}
  for l in io.popen(cmd):lines() do out[#out + 1] = l end
  table.sort(out)
  return out
end

-- thematic.zip: the zip binding, its engine and the buffers it uses. Every
-- other C file is thematic.core, which must not link libzip (libzip brings
-- libcrypto, and every command would pay for loading them).
local ZIP_SRCS = { "csrc/lzip.c", "csrc/memory.c", "csrc/zipio.c" }
local in_zip = { ["csrc/lzip.c"] = true, ["csrc/zipio.c"] = true }
local core_srcs = {}
for _, f in ipairs(lines("ls csrc/*.c")) do
  if not in_zip[f] then core_srcs[#core_srcs + 1] = f end
end
local luafiles = lines("find lua -name '*.lua'")
local datafiles = lines("find lua -name '*.txt'")

local o = {}
local function w(s) o[#o + 1] = s end
w('rockspec_format = "3.0"')
w('package = "thematic"')
w('version = "scm-1"')
w('source = { url = "git+file://." }')
w('description = {')
w('  summary = "Text analytics for qualitative research: transcripts, codebooks, themes",')
w('  license = "MIT",')
w('}')
w('dependencies = { "lua >= 5.4", "lyaml", "luaexpat", "luafilesystem", "argparse", "lua-cjson" }')
w('external_dependencies = {')
w('  UTF8PROC = { header = "utf8proc.h", library = "utf8proc" },')
w('  STEMMER = { header = "libstemmer.h", library = "stemmer" },')
w('  LIBZIP = { header = "zip.h", library = "zip" },')
w('}')
w('build = {')
w('  type = "builtin",')
w('  modules = {')
w('    ["thematic.core"] = {')
w('      sources = {')
for _, f in ipairs(core_srcs) do w('        "' .. f .. '",') end
w('      },')
w('      defines = { "_POSIX_C_SOURCE=200809L" },')
w('      libraries = { "utf8proc", "stemmer" },')
w('      incdirs = { "$(UTF8PROC_INCDIR)", "$(STEMMER_INCDIR)" },')
w('      libdirs = { "$(UTF8PROC_LIBDIR)", "$(STEMMER_LIBDIR)" },')
w('    },')
w('    ["thematic.zip"] = {')
w('      sources = {')
for _, f in ipairs(ZIP_SRCS) do w('        "' .. f .. '",') end
w('      },')
w('      libraries = { "zip" },')
w('      incdirs = { "$(LIBZIP_INCDIR)" },')
w('      libdirs = { "$(LIBZIP_LIBDIR)" },')
w('    },')
for _, f in ipairs(luafiles) do
  local mod = f:gsub("^lua/", ""):gsub("/init%.lua$", ""):gsub("%.lua$", ""):gsub("/", ".")
  w('    ["' .. mod .. '"] = "' .. f .. '",')
end
w('  },')
w('  install = {')
w('    bin = { thematic = "bin/thematic" },')
w('    lua = {')
for _, f in ipairs(datafiles) do
  local key = f:gsub("^lua/", ""):gsub("%.txt$", ""):gsub("/", ".")
  w('      ["' .. key .. '"] = "' .. f .. '",')
end
w('    },')
w('  },')
w('}')
io.write(table.concat(o, "\n"), "\n")
