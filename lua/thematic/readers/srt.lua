--- SubRip (.srt) transcripts.
--
-- Numbered cues, `HH:MM:SS,mmm --> HH:MM:SS,mmm` timings, tags such as
-- `<i>` removed (character references are left as written: SRT has none).
-- A `Name: ` prefix on the cue text names the speaker (a transcriber's
-- convention), decided as for WebVTT; consecutive cues of one speaker merge.
--
-- @module thematic.readers.srt
-- @usage
-- local doc = assert(require("thematic.readers.srt").read("p03.srt"))

local find, format, match = string.find, string.format, string.match
local concat = table.concat

local encoding = require "thematic.readers.encoding"
local cues_mod = require "thematic.readers.cues"

local M = {}

local function srt_time(s)
  local h, m, sec, ms = match(s, "^(%d+):(%d%d):(%d%d)[,%.](%d%d?%d?)$")
  if not h then return nil end
  ms = ms .. string.rep("0", 3 - #ms)
  return ((tonumber(h) * 60 + tonumber(m)) * 60 + tonumber(sec)) * 1000 + tonumber(ms)
end

--- Parse SRT text into cues.
-- @tparam string text decoded text
-- @tparam[opt="input"] string label
-- @tparam[opt] table opts `labels`, `known`
-- @treturn table|nil cues `{id=, start_ms=, end_ms=, speaker=, text=, line=}`
-- @treturn string|nil `"label:line: what is wrong"`
function M.parse_cues(text, label, opts)
  label = label or "input"
  local cues = {}
  local blk
  local function finish()
    if blk then
      local t = cues_mod.strip_tags(concat(blk.lines, "\n"), false)
      blk.cue.text = match(t, "^%s*(.-)%s*$")
      cues[#cues + 1] = blk.cue
      blk = nil
    end
  end
  local state, id, idline = "id", nil, nil
  for line, _, _, n in encoding.lines(text) do
    if state == "id" then
      if not find(line, "^%s*$") then
        if find(line, "%-%->") then
          id, idline, state = tostring(#cues + 1), n, "timing"
        else
          id, idline, state = match(line, "^%s*(.-)%s*$"), n, "timing"
          goto continue
        end
      else
        goto continue
      end
    end
    if state == "timing" then
      local a, z = match(line, "^%s*(%S+)%s+%-%->%s+(%S+)")
      local sa, sz = a and srt_time(a), z and srt_time(z)
      if not (sa and sz) then
        if n == idline then
          return nil, format("%s:%d: bad cue timing '%s'", label, n, line)
        end
        return nil, format("%s:%d: expected a cue timing after cue '%s', got '%s'", label, n, id, line)
      end
      blk = { cue = { id = id, start_ms = sa, end_ms = sz, line = n }, lines = {} }
      state = "text"
    elseif state == "text" then
      if find(line, "^%s*$") then
        finish(); state = "id"
      else
        blk.lines[#blk.lines + 1] = line
      end
    end
    ::continue::
  end
  if state == "timing" then
    return nil, format("%s:%d: cue '%s' has no timing line", label, idline, id)
  end
  finish()
  if #cues == 0 and find(text, "%S") then
    return nil, format("%s:1: no SRT cues found", label)
  end
  cues_mod.speaker_prefixes(cues, opts)
  return cues
end

--- Parse SRT text into a document.
-- @tparam string text
-- @tparam[opt="input"] string label
-- @tparam[opt] table opts
-- @treturn table|nil `{format="srt", text=, segments=, cues=, turns=}`
-- @treturn string|nil message
function M.parse(text, label, opts)
  local cues, err = M.parse_cues(text, label, opts)
  if not cues then return nil, err end
  return cues_mod.document("srt", cues)
end

--- Read an SRT file.
-- @tparam string path
-- @tparam[opt] table opts
-- @treturn table|nil document
-- @treturn string|nil message
-- @function read
M.read = encoding.reader(M.parse)

return M
