--- Codebooks as Lua tables: `thematic.codebook.new{...}` and `.lua` data
-- files (read and write).
--
-- A `.lua` codebook file is data only: it is loaded as text with an empty
-- environment (`load(text, name, "t", {})`, no functions of any library
-- reachable, a bounded number of instructions) and must return a table.
--
--    return {
--      name = "digital-health", language = "en",
--      codes = {
--        { name = "access", label = "Access",
--          codes = { { name = "devices_barrier", valence = "barrier",
--                      patterns = { "smartphone*", "=NHS", { literal = "wifi" } } } } },
--      },
--    }
--
-- `codes` is an array of code tables with a `name`, or a map name → code
-- (then taken in alphabetical order: use the array form to keep an order).
--
-- @module thematic.codebook.luatable

local type, ipairs, pairs, tostring, load = type, ipairs, pairs, tostring, load
local format, rep = string.format, string.rep
local concat, sort = table.concat, table.sort
local sethook = debug.sethook

local M = {}

local TOP = { name = true, title = true, language = true, description = true,
              negation = true, codes = true }
local CODE = { name = true, label = true, definition = true, inclusion = true,
               exclusion = true, valence = true, patterns = true, except = true,
               negated_to = true, codes = true, color = true, guid = true }
local TEXT = { "label", "definition", "inclusion", "exclusion", "valence", "negated_to",
               "color", "guid" }

local function ordered_codes(codes, where)
  if codes == nil then return {} end
  if type(codes) ~= "table" then return nil, where .. "'codes' must be a table" end
  if #codes > 0 or next(codes) == nil then
    for k in pairs(codes) do
      if math.type(k) ~= "integer" then
        return nil, where .. "'codes' mixes a list and named entries"
      end
    end
    return codes
  end
  local names = {}
  for k in pairs(codes) do
    if type(k) ~= "string" then return nil, where .. "'codes' keys must be names" end
    names[#names + 1] = k
  end
  sort(names)
  local out = {}
  for i, k in ipairs(names) do
    local v = codes[k]
    if type(v) ~= "table" then return nil, format("%scode '%s' must be a table", where, k) end
    if v.name ~= nil and v.name ~= k then
      return nil, format("%scode '%s' has name '%s'", where, k, tostring(v.name))
    end
    local c = { name = k }
    for f, x in pairs(v) do c[f] = x end
    out[i] = c
  end
  return out
end

local function code_draft(t, where)
  if type(t) ~= "table" then return nil, where .. "a code must be a table" end
  local label = type(t.name) == "string" and ("code '" .. t.name .. "': ") or ""
  for k in pairs(t) do
    if not CODE[k] then return nil, format("%s%sunknown field '%s'", where, label, tostring(k)) end
  end
  local d = { name = t.name, patterns = {}, except = {}, codes = {} }
  for _, f in ipairs(TEXT) do
    local v = t[f]
    if v ~= nil and type(v) ~= "string" then
      return nil, format("%s%sfield '%s' must be a string", where, label, f)
    end
    d[f] = v
  end
  for _, list in ipairs { "patterns", "except" } do
    local v = t[list]
    if type(v) == "string" then v = { v } end
    if v ~= nil and type(v) ~= "table" then
      return nil, format("%s%sfield '%s' must be a list", where, label, list)
    end
    for _, p in ipairs(v or {}) do d[list][#d[list] + 1] = { src = p, dialect = "native" } end
  end
  local kids, err = ordered_codes(t.codes, where .. label)
  if not kids then return nil, err end
  for _, k in ipairs(kids) do
    local cd, cerr = code_draft(k, where)
    if not cd then return nil, cerr end
    d.codes[#d.codes + 1] = cd
  end
  return d
end

--- Turn a codebook table into a draft for `thematic.codebook.build`.
-- @tparam table t
-- @tparam string name for messages
-- @treturn table|nil draft
-- @treturn string error
function M.draft(t, name)
  local where = name .. ": "
  for k in pairs(t) do
    if not TOP[k] then return nil, format("%sunknown field '%s'", where, tostring(k)) end
  end
  local d = { codes = {}, format = "lua" }
  for _, f in ipairs { "name", "title", "language", "description" } do
    if t[f] ~= nil and type(t[f]) ~= "string" then
      return nil, format("%sfield '%s' must be a string", where, f)
    end
    d[f] = t[f]
  end
  if t.negation == false then d.negation = false
  elseif t.negation ~= nil then
    if type(t.negation) ~= "table" then return nil, where .. "negation must be a table or false" end
    for k in pairs(t.negation) do
      if k ~= "window" and k ~= "cues" then
        return nil, format("%sunknown field '%s' in negation", where, tostring(k))
      end
    end
    d.negation = { window = t.negation.window, cues = t.negation.cues }
  end
  local codes, err = ordered_codes(t.codes, where)
  if not codes then return nil, err end
  for _, c in ipairs(codes) do
    local cd, cerr = code_draft(c, where)
    if not cd then return nil, cerr end
    d.codes[#d.codes + 1] = cd
  end
  return d
end

--- Read a Lua data file (`return { ... }`) into a draft.
-- @tparam string text
-- @tparam string name file name for messages
-- @treturn table|nil draft
-- @treturn string error
function M.read(text, name)
  if text:sub(1, 1) == "\27" then return nil, name .. ":1: binary chunks are refused" end
  local chunk, err = load(text, "=" .. name, "t", {})
  if not chunk then return nil, err end
  local co = coroutine.create(chunk)
  -- Bounded time and memory: at most MAX_INSTRUCTIONS instructions, and the
  -- heap may not grow past MAX_MEMORY (checked at every instruction: a loop
  -- doubling a string would otherwise take the machine's memory between
  -- two checks). String methods are out of reach while it runs.
  local steps, base = 0, collectgarbage("count")
  local limit_kb = base + M.MAX_MEMORY / 1024
  sethook(co, function()
    steps = steps + 1
    if steps > M.MAX_INSTRUCTIONS then error("too many instructions for a data file", 0) end
    if collectgarbage("count") > limit_kb then error("too much memory for a data file", 0) end
  end, "", 1)
  local smt = getmetatable("")
  local sindex = smt.__index
  smt.__index = nil
  local ok, res = coroutine.resume(co)
  smt.__index = sindex
  if not ok then
    res = tostring(res)
    if res:sub(1, #name + 1) == name .. ":" then
      -- a run-time error of the file itself: it already says where
      return nil, res .. " (a .lua codebook is data only: no library can be called)"
    end
    return nil, format("%s: %s", name, res)
  end
  if coroutine.status(co) ~= "dead" then return nil, name .. ": the file must not yield" end
  if type(res) ~= "table" then
    return nil, format("%s: the file must return a table, got %s", name, type(res))
  end
  return M.draft(res, name)
end

local function quote(s) return format("%q", s) end

--- Instructions a `.lua` data file may run.
M.MAX_INSTRUCTIONS = 1000000
--- Bytes a `.lua` data file may allocate while it runs (256 MiB).
M.MAX_MEMORY = 256 * 1024 * 1024

local function value(v, indent)
  if type(v) == "string" then return quote(v) end
  if type(v) == "number" then return tostring(v) end
  local parts = {}
  if #v > 0 then
    for i, x in ipairs(v) do parts[i] = value(x, indent) end
  else
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    sort(keys)
    for i, k in ipairs(keys) do parts[i] = k .. " = " .. value(v[k], indent) end
  end
  return "{ " .. concat(parts, ", ") .. " }"
end

--- Write a codebook as a Lua data file.
-- @tparam Codebook cb
-- @treturn string
function M.write(cb)
  local pattern = require "thematic.codebook.pattern"
  local out = { "return {" }
  for _, f in ipairs { "name", "title", "language", "description" } do
    if cb[f] then out[#out + 1] = format("  %s = %s,", f, quote(cb[f])) end
  end
  if cb.negation.window == 0 then out[#out + 1] = "  negation = false,"
  else
    out[#out + 1] = format("  negation = { window = %d, cues = %s },", cb.negation.window,
      value(cb.negation.cues))
  end
  local function code(c, depth)
    local ind = rep("  ", depth)
    out[#out + 1] = ind .. "{ name = " .. quote(c.name) .. ","
    for _, f in ipairs(TEXT) do
      if c[f] then out[#out + 1] = format("%s  %s = %s,", ind, f, quote(c[f])) end
    end
    for _, list in ipairs { "patterns", "except" } do
      if #c[list] > 0 then
        local items = {}
        for i, p in ipairs(c[list]) do items[i] = value(pattern.native(p)) end
        out[#out + 1] = format("%s  %s = { %s },", ind, list, concat(items, ", "))
      end
    end
    if #c.children > 0 then
      out[#out + 1] = ind .. "  codes = {"
      for _, ch in ipairs(c.children) do code(ch, depth + 2) end
      out[#out + 1] = ind .. "  },"
    end
    out[#out + 1] = ind .. "},"
  end
  out[#out + 1] = "  codes = {"
  for _, c in ipairs(cb.codes_) do code(c, 2) end
  out[#out + 1] = "  },"
  out[#out + 1] = "}"
  return concat(out, "\n") .. "\n"
end

return M
