--- WebVTT transcripts (Zoom, Microsoft Teams and others).
--
-- Speakers come from a voice span `<v Name>` (classes such as
-- `<v.loud Name>` are not part of the name; `</v>` may be missing at the end
-- of a cue) or, when a cue has none, from a `Name: ` prefix on its text
-- (Zoom). NOTE, STYLE and REGION blocks are skipped. Tags are removed and
-- character references decoded. Consecutive cues of one speaker merge into
-- one turn; the document text is the turns rendered as `Speaker: text`
-- lines (see `thematic.readers.cues`).
--
-- @module thematic.readers.vtt
-- @usage
-- local vtt = require "thematic.readers.vtt"
-- local doc = assert(vtt.read("meeting.vtt"))
-- for _, seg in ipairs(doc.segments) do print(seg.speaker, seg.time.start_ms, seg.text) end

local find, format, match = string.find, string.format, string.match
local concat = table.concat

local encoding = require "thematic.readers.encoding"
local cues_mod = require "thematic.readers.cues"

local M = {}

-- hh:mm:ss.mmm or mm:ss.mmm → ms
local function vtt_time(s)
  local h, m, sec, ms = match(s, "^(%d+):(%d%d):(%d%d)%.(%d%d%d)$")
  if not h then
    m, sec, ms = match(s, "^(%d%d):(%d%d)%.(%d%d%d)$")
    h = "0"
  end
  if not m then return nil end
  return ((tonumber(h) * 60 + tonumber(m)) * 60 + tonumber(sec)) * 1000 + tonumber(ms)
end

-- Split text into blocks of non-blank lines: { {lines=, first=line number}, ... }
local function blocks(text)
  local out, cur = {}, nil
  for line, _, _, n in encoding.lines(text) do
    if find(line, "^%s*$") then
      cur = nil
    else
      if not cur then cur = { first = n }; out[#out + 1] = cur end
      cur[#cur + 1] = line
    end
  end
  return out
end

--- Parse WebVTT text into cues.
-- @tparam string text decoded text (no BOM)
-- @tparam[opt="input"] string label path for messages
-- @tparam[opt] table opts `labels`, `known` (see `thematic.transcript.parse`)
-- @treturn table|nil array of cues `{id=, start_ms=, end_ms=, speaker=, text=, line=}`
-- @treturn string|nil `"label:line: what is wrong"`
function M.parse_cues(text, label, opts)
  label = label or "input"
  if not find(text, "^WEBVTT[ \t\r\n]") and text ~= "WEBVTT" then
    return nil, format("%s:1: not a WebVTT file (no WEBVTT header)", label)
  end
  local cues = {}
  local bl = blocks(text)
  for b = 2, #bl do
    local blk = bl[b]
    local first = blk[1]
    if find(first, "^NOTE[ \t]") or first == "NOTE" or first == "STYLE" or first == "REGION" then
      goto continue
    end
    do
      local id, ti = nil, 1
      if not find(first, "%-%->") then id, ti = first, 2 end
      local timing = blk[ti]
      if not timing then
        return nil, format("%s:%d: cue '%s' has no timing line", label, blk.first, first)
      end
      local a, z = match(timing, "^%s*(%S+)%s+%-%->%s+(%S+)")
      local sa, sz = a and vtt_time(a), z and vtt_time(z)
      if not (sa and sz) then
        return nil, format("%s:%d: bad cue timing '%s'", label, blk.first + ti - 1, timing)
      end
      local payload = concat(blk, "\n", ti + 1)
      local speaker = match(payload, "^%s*<v[%.%w%-_]*%s+([^>]-)%s*>")
      local cue_text = cues_mod.strip_tags(payload, true)
      cue_text = match(cue_text, "^%s*(.-)%s*$")
      cues[#cues + 1] = { id = id or tostring(#cues + 1), start_ms = sa, end_ms = sz,
                          speaker = speaker and cues_mod.strip_tags(speaker, true) or nil,
                          text = cue_text, line = blk.first + ti - 1 }
    end
    ::continue::
  end
  cues_mod.speaker_prefixes(cues, opts)
  return cues
end

--- Parse WebVTT text into a document.
-- @tparam string text decoded text
-- @tparam[opt="input"] string label
-- @tparam[opt] table opts
-- @treturn table|nil `{format="vtt", text=, segments=, cues=, turns=}`
-- @treturn string|nil message
function M.parse(text, label, opts)
  local cues, err = M.parse_cues(text, label, opts)
  if not cues then return nil, err end
  return cues_mod.document("vtt", cues)
end

--- Read a WebVTT file.
-- @tparam string path
-- @tparam[opt] table opts
-- @treturn table|nil document (see `parse`)
-- @treturn string|nil message
-- @function read
M.read = encoding.reader(M.parse)


return M
