--- Abstracts as CSV: a header with `abstract` and any of `title`,
-- `authors` (`;`-separated), `year`, `journal`, `doi`.
--
-- @module thematic.readers.abstracts_csv
-- @usage
-- local recs = assert(require("thematic.readers.abstracts_csv").read("screening.csv"))

local find, format, gmatch, match = string.find, string.format, string.gmatch, string.match

local encoding = require "thematic.readers.encoding"
local csvparse = require "thematic.readers.csvparse"

local M = {}

--- Whether a parsed header is an abstracts table.
-- @tparam table header lower-cased names
-- @treturn boolean
function M.is_abstracts_table(header)
  for _, h in ipairs(header) do if h == "abstract" then return true end end
  return false
end

--- Parse abstracts CSV.
-- @tparam string text
-- @tparam[opt="input"] string label
-- @treturn table|nil records `{title=, authors=, year=, journal=, doi=, abstract=, line=}`
-- @treturn string|nil message
function M.parse(text, label)
  label = label or "input"
  local rows, err = csvparse.records(text, label)
  if not rows then return nil, err end
  if not M.is_abstracts_table(rows.header) then
    return nil, format("%s:1: an abstracts table needs an abstract column", label)
  end
  local recs = {}
  for _, r in ipairs(rows) do
    local function v(k) local x = r[k]; if x and find(x, "%S") then return match(x, "^%s*(.-)%s*$") end end
    local rec = { line = r.line, title = v("title"), abstract = v("abstract"),
                  journal = v("journal"), doi = v("doi"), authors = {} }
    for a in gmatch(r.authors or "", "[^;]+") do
      a = match(a, "^%s*(.-)%s*$")
      if a ~= "" then rec.authors[#rec.authors + 1] = a end
    end
    local y = v("year")
    if y then
      rec.year = tonumber(match(y, "^(%d%d%d%d)"))
      if not rec.year then return nil, format("%s:%d: bad year '%s'", label, r.line, y) end
    end
    recs[#recs + 1] = rec
  end
  return recs
end

--- Read an abstracts CSV file.
-- @tparam string path
-- @treturn table|nil records
-- @treturn string|nil message
-- @function read
M.read = encoding.reader(M.parse)

return M
