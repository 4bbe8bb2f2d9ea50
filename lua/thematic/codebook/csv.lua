--- Codebooks as CSV (RFC 4180): `code,pattern[,kind]`, read and write.
--
--    code,pattern,kind
--    access/devices_barrier,smartphone*,
--    access/devices_barrier,=NHS,
--    access/devices_barrier,wifi,literal
--    access/devices_barrier,access code,except
--    design,,
--
-- `code` is a code path; parent codes are created as needed, in the order
-- first seen. An empty `pattern` only declares the code. `kind` is empty
-- (the pattern string syntax), `word`, `glob`, `exact`, `literal` or
-- `phrase` (the map forms), `dictionary` (the dictionary rules of LIWC and
-- the like) or `except` (an exclusion, in the pattern string syntax). A
-- first row `code,pattern…` is a header.
--
-- Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a
-- formula, and `=NHS` is an exact-match pattern: the writer puts the
-- spreadsheet's text prefix, an apostrophe, before such a cell, and the
-- reader takes it off again (a spreadsheet that saves the file drops it
-- itself), so a codebook goes out to Excel and back unchanged.
--
-- @module thematic.codebook.csv

local csvparse = require "thematic.readers.csvparse"
local pattern = require "thematic.codebook.pattern"

local ipairs, format, find, gsub, lower = ipairs, string.format, string.find, string.gsub, string.lower
local concat = table.concat

local M = {}

-- A cell a spreadsheet would run as a formula (see above).
local FORMULA_START = "^[=+%-@\t\r]"

local KINDS = { word = true, glob = true, exact = true, literal = true, phrase = true }

--- Read a CSV codebook into a draft.
-- @tparam string text UTF-8
-- @tparam string name file name for messages
-- @treturn table|nil draft
-- @treturn string error
function M.read(text, name)
  local rows, err = csvparse.parse(text, name)
  if not rows then return nil, err end
  local d = { codes = {}, format = "csv" }
  local by_path = {}
  local function get(path, line)
    if by_path[path] then return by_path[path] end
    local parent_path, leaf = path:match("^(.*)/([^/]*)$")
    local list = d.codes
    if parent_path then
      local parent, perr = get(parent_path, line)
      if not parent then return nil, perr end
      list = parent.codes
    else
      leaf = path
    end
    if leaf == "" then return nil, format("%s:%d: empty name in code path '%s'", name, line, path) end
    local code = { name = leaf, line = line, patterns = {}, except = {}, codes = {} }
    list[#list + 1] = code
    by_path[path] = code
    return code
  end
  for i, row in ipairs(rows) do
    local line = row.line or i
    for k, v in ipairs(row) do   -- the writer's text prefix (see above)
      if find(v, "^'") and find(v, FORMULA_START, 2) then row[k] = v:sub(2) end
    end
    local blank = #row == 1 and row[1] == "" or #row == 0
    if not blank and not (i == 1 and lower(row[1] or "") == "code" and lower(row[2] or "") == "pattern") then
      if #row > 3 then return nil, format("%s:%d: expected code,pattern[,kind], got %d fields", name, line, #row) end
      local path = gsub(row[1] or "", "^%s*(.-)%s*$", "%1")
      if path == "" then return nil, format("%s:%d: empty code", name, line) end
      local code, cerr = get(path, line)
      if not code then return nil, cerr end
      local pat, kind = row[2] or "", lower(row[3] or "")
      kind = gsub(kind, "^%s*(.-)%s*$", "%1")
      if pat == "" then
        if kind ~= "" then return nil, format("%s:%d: kind '%s' without a pattern", name, line, kind) end
      elseif kind == "" then
        code.patterns[#code.patterns + 1] = { src = pat, line = line, dialect = "native" }
      elseif kind == "except" then
        code.except[#code.except + 1] = { src = pat, line = line, dialect = "native" }
      elseif kind == "dictionary" then
        code.patterns[#code.patterns + 1] = { src = pat, line = line, dialect = "dictionary" }
      elseif KINDS[kind] then
        code.patterns[#code.patterns + 1] = { src = { [kind] = pat }, line = line, dialect = "native" }
      else
        return nil, format("%s:%d: unknown kind '%s' (word, glob, exact, literal, phrase, dictionary, except)",
          name, line, kind)
      end
    end
  end
  return d
end

-- A cell as the file holds it: text prefix against formulas, then quoted.
local function field(s)
  if find(s, FORMULA_START) then s = "'" .. s end
  if find(s, '[",\r\n]') or find(s, "^%s") or find(s, "%s$") then
    return '"' .. gsub(s, '"', '""') .. '"'
  end
  return s
end

-- A pattern as (text, kind), or nil when CSV cannot say it.
local function cell(p)
  local native = pattern.native(p)
  if type(native) == "string" then return native, "" end
  if native.literal then return native.literal, "literal" end
  local text, same = pattern.dictionary(p)
  if same then return text, "dictionary" end
  return nil
end

--- Write a codebook as CSV (header `code,pattern,kind`, CRLF line ends as
-- RFC 4180 says). Codes without patterns get a row with an empty pattern.
-- @tparam Codebook cb
-- @treturn string|nil
-- @treturn string the problem
function M.write(cb)
  local out = { "code,pattern,kind" }
  for code in cb:codes() do
    local n = 0
    for _, list in ipairs { "patterns", "except" } do
      for _, p in ipairs(code[list]) do
        local text, kind = cell(p)
        if not text then
          return nil, format("code '%s': pattern '%s' cannot be written as CSV", code.path, p.text)
        end
        if list == "except" then
          if kind ~= "" then
            return nil, format("code '%s': exclusion '%s' cannot be written as CSV", code.path, p.text)
          end
          kind = "except"
        end
        out[#out + 1] = concat({ field(code.path), field(text), kind }, ",")
        n = n + 1
      end
    end
    if n == 0 then out[#out + 1] = field(code.path) .. ",," end
  end
  return concat(out, "\r\n") .. "\r\n"
end

return M
