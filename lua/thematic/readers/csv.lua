--- Turn tables: CSV with one row per turn, `speaker,text[,start,end]`
-- (header required; column order free; other columns ignored). Times are
-- seconds (`12.5`) or clock times (`00:01:23`, `1:23.4`). Rows are turns as
-- they stand (no merging); the document text renders them as
-- `speaker: text` lines (see `thematic.readers.cues`).
--
-- @module thematic.readers.csv
-- @usage
-- local doc = assert(require("thematic.readers.csv").read("fg2.csv"))

local find, format = string.find, string.format

local encoding = require "thematic.readers.encoding"
local csvparse = require "thematic.readers.csvparse"
local cues = require "thematic.readers.cues"
local transcript = require "thematic.transcript"

local M = {}

--- Whether a parsed header looks like a turn table.
-- @tparam table header lower-cased header names
-- @treturn boolean
function M.is_turn_table(header)
  local has = {}
  for _, h in ipairs(header) do has[h] = true end
  return has.speaker == true and has.text == true
end

--- Parse a turn table.
-- @tparam string text decoded CSV text
-- @tparam[opt="input"] string label
-- @treturn table|nil `{format="csv", text=, segments=}`
-- @treturn string|nil `"label:line: what is wrong"`
function M.parse(text, label)
  label = label or "input"
  local recs, err = csvparse.records(text, label)
  if not recs then return nil, err end
  if not M.is_turn_table(recs.header) then
    return nil, format("%s:1: a turn table needs the columns speaker and text", label)
  end
  local turns = {}
  for i, r in ipairs(recs) do
    local t = { speaker = r.speaker:match("^%s*(.-)%s*$"), text = r.text, line = r.line, cues = { tostring(i) } }
    if t.speaker == "" then t.speaker = nil end
    for _, k in ipairs({ "start", "end" }) do
      local v = r[k]
      if v and find(v, "%S") then
        local ms = transcript.parse_time(v)
        if not ms then return nil, format("%s:%d: bad %s time '%s'", label, r.line, k, v) end
        t[k == "start" and "start_ms" or "end_ms"] = ms
      end
    end
    turns[#turns + 1] = t
  end
  local rendered, segs = cues.render(turns)
  return { format = "csv", text = rendered, segments = segs }
end

--- Read a turn-table CSV file.
-- @tparam string path
-- @treturn table|nil document
-- @treturn string|nil message
-- @function read
M.read = encoding.reader(M.parse)

return M
