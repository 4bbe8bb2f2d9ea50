--- RFC 4180 CSV: quoted fields, doubled quotes, embedded newlines, any
-- line end (CRLF, LF, CR). Input is already-decoded UTF-8 text (a BOM has
-- been removed by `thematic.readers.encoding`).
--
-- @module thematic.readers.csvparse
-- @usage
-- local csv = require "thematic.readers.csvparse"
-- local rows, err = csv.parse('id,aliases\nP03,"Pharmacist 1; P3"\n', "p.csv")
-- -- rows[2] = {"P03", "Pharmacist 1; P3", line = 2}

local byte, find, format, sub, lower = string.byte, string.find, string.format, string.sub, string.lower
local gsub = string.gsub

local M = {}

-- Number of line ends (CRLF, CR or LF) in a string.
local function count_line_ends(s)
  local _, lf = gsub(s, "\n", "")
  local _, cr = gsub(s, "\r", "")
  local _, crlf = gsub(s, "\r\n", "")
  return lf + cr - crlf
end

--- Parse CSV text into rows.
-- @tparam string text
-- @tparam[opt="input"] string label path for messages
-- @treturn table|nil array of rows; each row an array of strings with
--   `line` = the line the row starts on
-- @treturn string|nil `"label:line: unterminated quoted field"` or
--   `"label:line: unexpected character after closing quote"`
function M.parse(text, label)
  label = label or "input"
  local rows = {}
  local pos, len, line = 1, #text, 1
  if sub(text, 1, 3) == "\239\187\191" then pos = 4 end
  while pos <= len do
    local row, rowline = {}, line
    while true do
      local c = byte(text, pos)
      local field
      if c == 34 then -- quoted
        local qline = line
        local parts, i = {}, pos + 1
        while true do
          local q = find(text, '"', i, true)
          if not q then return nil, format("%s:%d: unterminated quoted field", label, qline) end
          local chunk = sub(text, i, q - 1)
          line = line + count_line_ends(chunk)
          parts[#parts + 1] = chunk
          if byte(text, q + 1) == 34 then
            parts[#parts + 1] = '"'
            i = q + 2
          else
            pos = q + 1
            break
          end
        end
        field = table.concat(parts)
        local nc = byte(text, pos)
        if nc and nc ~= 44 and nc ~= 10 and nc ~= 13 then
          return nil, format("%s:%d: unexpected character after closing quote", label, line)
        end
      else
        local e = find(text, "[,\r\n]", pos)
        if not e then e = len + 1 end
        field = sub(text, pos, e - 1)
        pos = e
      end
      row[#row + 1] = field
      local d = byte(text, pos)
      if d == 44 then
        pos = pos + 1
        if pos > len then row[#row + 1] = ""; break end
      else
        if d == 13 and byte(text, pos + 1) == 10 then pos = pos + 2
        elseif d then pos = pos + 1 end
        if d then line = line + 1 end
        break
      end
    end
    row.line = rowline
    if not (#row == 1 and row[1] == "") then rows[#rows + 1] = row end
  end
  return rows
end

--- Parse CSV with a header row into records keyed by lower-cased,
-- trimmed header names.
-- @tparam string text
-- @tparam[opt="input"] string label
-- @treturn table|nil array of records (`line` = the row's line), with
--   `header` = the array of header names (lower-cased, trimmed)
-- @treturn string|nil message (`"label:1: empty file"` when no header)
function M.records(text, label)
  label = label or "input"
  local rows, err = M.parse(text, label)
  if not rows then return nil, err end
  if #rows == 0 then return nil, format("%s:1: empty file", label) end
  local header = {}
  for i, h in ipairs(rows[1]) do header[i] = lower((gsub(h, "^%s*(.-)%s*$", "%1"))) end
  local out = { header = header }
  for r = 2, #rows do
    local row, rec = rows[r], { line = rows[r].line }
    for i, h in ipairs(header) do
      if h ~= "" then rec[h] = row[i] or "" end
    end
    out[#out + 1] = rec
  end
  return out
end

return M
