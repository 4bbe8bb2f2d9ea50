--- Minimal RFC 4180 CSV reading for the analysis modules.
--
-- Private helper of `thematic.analysis.*` (the CLI's writers have their
-- own code). Accepts CRLF or LF line ends, a leading UTF-8 BOM, quoted
-- fields with doubled quotes and embedded newlines. Bad data comes back as
-- `nil, "line N: what is wrong"`.
--
-- @module thematic.analysis.csv

local gsub, lower = string.gsub, string.lower

local csvparse = require "thematic.readers.csvparse"

local M = {}

--- Parse CSV text into records.
-- @tparam string text CSV text
-- @treturn table array of records; each record is an array of strings with
--   field `line` = the line number where the record starts. Blank lines are
--   skipped.
-- @treturn[2] nil
-- @treturn[2] string `"line N: ..."`
function M.parse(text)
  if type(text) ~= "string" then
    error("bad argument #1 to 'parse' (string expected, got " .. type(text) .. ")", 2)
  end
  -- One CSV parser in the project: the readers'. Only the message form
  -- differs here ("line N: ...", as the analysis commands print it).
  local rows, err = csvparse.parse(text, "\0")
  if not rows then return nil, (gsub(err, "^%z:(%d+):", "line %1:")) end
  return rows
end

--- Parse CSV with a header row into named rows.
-- Header names are compared case-insensitively after trimming spaces.
-- @tparam string text CSV text
-- @tparam table columns required column names, in lower case
-- @treturn table array of rows `{line=, [column]=value, ...}`
-- @treturn[2] nil
-- @treturn[2] string `"line N: ..."`
function M.read_table(text, columns)
  local records, err = M.parse(text)
  if not records then return nil, err end
  local header = records[1]
  if not header then return nil, "line 1: empty input, expected a header row" end
  local index = {}
  for i, name in ipairs(header) do
    index[lower((gsub(gsub(name, "^%s+", ""), "%s+$", "")))] = i
  end
  for _, name in ipairs(columns) do
    if not index[name] then
      return nil, "line " .. header.line .. ": missing column '" .. name .. "'"
    end
  end
  local rows = {}
  for r = 2, #records do
    local rec = records[r]
    if #rec ~= #header then
      return nil, "line " .. rec.line .. ": expected " .. #header .. " fields, got " .. #rec
    end
    local row = { line = rec.line }
    for _, name in ipairs(columns) do row[name] = rec[index[name]] end
    rows[#rows + 1] = row
  end
  return rows
end

return M
