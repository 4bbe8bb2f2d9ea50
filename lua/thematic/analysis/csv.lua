--- Minimal RFC 4180 CSV reading for the analysis modules.
--
-- Private helper of `thematic.analysis.*` (the CLI's writers have their
-- own code). Accepts CRLF or LF line ends, a leading UTF-8 BOM, quoted
-- fields with doubled quotes and embedded newlines. Bad data comes back as
-- `nil, "line N: what is wrong"`.
--
-- @module thematic.analysis.csv

local sub, find, gsub, lower = string.sub, string.find, string.gsub, string.lower
local concat = table.concat

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
  if sub(text, 1, 3) == "\239\187\191" then text = sub(text, 4) end
  local records = {}
  local pos, len, line = 1, #text, 1
  while pos <= len do
    local record, start_line = { }, line
    local blank = true
    while true do
      local field
      if sub(text, pos, pos) == '"' then
        blank = false
        local parts = {}
        local p = pos + 1
        while true do
          local q = find(text, '"', p, true)
          if not q then
            return nil, "line " .. start_line .. ": unterminated quoted field"
          end
          local chunk = sub(text, p, q - 1)
          local _, nl = gsub(chunk, "\n", "")
          line = line + nl
          parts[#parts + 1] = chunk
          if sub(text, q + 1, q + 1) == '"' then
            parts[#parts + 1] = '"'
            p = q + 2
          else
            pos = q + 1
            break
          end
        end
        field = concat(parts)
        local c = sub(text, pos, pos)
        if c ~= "," and c ~= "\n" and c ~= "\r" and c ~= "" then
          return nil, "line " .. line .. ": unexpected character after closing quote"
        end
      else
        local e = find(text, "[,\r\n]", pos)
        e = e or len + 1
        field = sub(text, pos, e - 1)
        if find(field, '"', 1, true) then
          return nil, "line " .. line .. ": quote inside an unquoted field"
        end
        if field ~= "" then blank = false end
        pos = e
      end
      record[#record + 1] = field
      local c = sub(text, pos, pos)
      if c == "," then
        blank = false
        pos = pos + 1
      else
        if c == "\r" then pos = pos + 1 end
        if sub(text, pos, pos) == "\n" then pos = pos + 1 end
        line = line + 1
        break
      end
    end
    if not blank then
      record.line = start_line
      records[#records + 1] = record
    end
  end
  return records
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
