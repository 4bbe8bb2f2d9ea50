--- RIS bibliographic records (EndNote, Zotero, Scopus, Ovid exports).
--
-- Records run from `TY  - ` to `ER  - `. Fields used: `AB` (or `N2`)
-- abstract, `TI`/`T1` title, `AU`/`A1` authors (repeated), `PY`/`Y1`/`DA`
-- year (the first four digits), `JF`/`JO`/`T2`/`JA` journal, `DO` doi.
-- A line without a tag continues the previous field.
--
-- @module thematic.readers.ris
-- @usage
-- local recs = assert(require("thematic.readers.ris").read("search.ris"))
-- print(recs[1].title, recs[1].year, #recs[1].authors)

local find, format, match = string.find, string.format, string.match

local encoding = require "thematic.readers.encoding"

local M = {}

local function first(f, ...)
  for _, k in ipairs({ ... }) do
    local v = f[k]
    if v and v[1] and v[1] ~= "" then return v[1] end
  end
  return nil
end

local function finish(fields, line)
  local rec = {
    line = line,
    type = first(fields, "TY"),
    title = first(fields, "TI", "T1"),
    abstract = first(fields, "AB", "N2"),
    journal = first(fields, "JF", "JO", "T2", "JA", "J2"),
    doi = first(fields, "DO"),
    authors = {},
  }
  for _, k in ipairs({ "AU", "A1" }) do
    for _, a in ipairs(fields[k] or {}) do rec.authors[#rec.authors + 1] = a end
  end
  local y = first(fields, "PY", "Y1", "DA")
  rec.year = y and tonumber(match(y, "(%d%d%d%d)")) or nil
  if rec.doi then rec.doi = match(rec.doi, "^%s*(.-)%s*$"):gsub("^https?://[%w%.]*doi%.org/", "") end
  return rec
end

--- Parse RIS text.
-- @tparam string text decoded text
-- @tparam[opt="input"] string label
-- @treturn table|nil array of records `{title=, authors=, year=, journal=,
--   doi=, abstract=, type=, line=}`
-- @treturn string|nil `"label:line: what is wrong"`
function M.parse(text, label)
  label = label or "input"
  local recs, fields, start, last = {}, nil, nil, nil
  for line, _, _, n in encoding.lines(text) do
    local tag, value = match(line, "^(%u[%u%d])  %-%s?(.*)$")
    if not tag then tag, value = match(line, "^(%u[%u%d]) %-%s?(.*)$") end
    if tag == "TY" then
      if fields then
        return nil, format("%s:%d: TY inside a record that started on line %d (missing ER)", label, n, start)
      end
      fields, start = { TY = { (match(value, "^%s*(.-)%s*$")) } }, n
    elseif tag == "ER" then
      if not fields then return nil, format("%s:%d: ER without a TY", label, n) end
      recs[#recs + 1] = finish(fields, start)
      fields, last = nil, nil
    elseif tag then
      if not fields then return nil, format("%s:%d: field %s outside a record (expected 'TY  - ')", label, n, tag) end
      value = match(value, "^%s*(.-)%s*$")
      fields[tag] = fields[tag] or {}
      fields[tag][#fields[tag] + 1] = value
      last = { tag, #fields[tag] }
    elseif find(line, "%S") then
      if not (fields and last) then
        return nil, format("%s:%d: text outside a record (expected 'TY  - ')", label, n)
      end
      local arr = fields[last[1]]
      local cont = match(line, "^%s*(.-)%s*$")
      arr[last[2]] = arr[last[2]] == "" and cont or (arr[last[2]] .. " " .. cont)
    end
  end
  if fields then return nil, format("%s:%d: record has no ER", label, start) end
  if #recs == 0 then return nil, format("%s:1: no RIS records found", label) end
  return recs
end

--- Read a RIS file.
-- @tparam string path
-- @treturn table|nil records
-- @treturn string|nil message
-- @function read
M.read = encoding.reader(M.parse)

return M
