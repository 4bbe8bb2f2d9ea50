--- Shared by the subtitle readers (WebVTT, SRT) and the turn-table CSV
-- reader: speaker prefixes in cue text, merging cues into turns, and
-- rendering turns as a document text that segments point into.
--
-- The rendered text has one line per turn, `Speaker: text` (or just `text`
-- for a cue that names nobody), turns separated by a blank line; a turn's
-- `start`/`stop` span its text only.
--
-- @module thematic.readers.cues

local gsub, match = string.gsub, string.match
local concat = table.concat

local transcript = require "thematic.transcript"

local M = {}

--- Take `Name: ` prefixes off cues that have no speaker yet, when the
-- name counts as a speaker (see `thematic.transcript.label_ok`).
-- @tparam table cues array of `{text=, speaker=}` (changed in place)
-- @tparam[opt] table opts `labels`, `known`
function M.speaker_prefixes(cues, opts)
  local counts, found = {}, {}
  for i, cue in ipairs(cues) do
    if cue.speaker == nil then
      local label, rest = match(cue.text, "^%s*([^:\n]-)%s*:%s+(.*)$")
      if not label then label, rest = match(cue.text, "^%s*([^:\n]-)%s*:%s*$"), "" end
      if label and label ~= "" then
        local norm = transcript.normalize_label(label)
        counts[norm] = (counts[norm] or 0) + 1
        found[i] = { label, rest, norm }
      end
    end
  end
  for i, f in pairs(found) do
    if transcript.label_ok(f[1], counts[f[3]], opts) then
      cues[i].speaker, cues[i].text = f[1], f[2]
    end
  end
end

--- Merge consecutive cues of one named speaker into turns.
-- @tparam table cues array of `{id=, start_ms=, end_ms=, speaker=, text=, line=}`
-- @treturn table array of turns `{speaker=, start_ms=, end_ms=, text=, cues={ids}, line=}`;
--   texts are joined with one space, line breaks inside cues become spaces
function M.merge(cues)
  local turns = {}
  local cur
  for _, cue in ipairs(cues) do
    local flat = gsub(cue.text, "%s*\n%s*", " ")
    if cur and cue.speaker ~= nil and cur.speaker == cue.speaker then
      cur.text = cur.text .. " " .. flat
      cur.end_ms = cue.end_ms or cur.end_ms
      cur.cues[#cur.cues + 1] = cue.id
    else
      cur = { speaker = cue.speaker, start_ms = cue.start_ms, end_ms = cue.end_ms,
              text = flat, cues = { cue.id }, line = cue.line }
      turns[#turns + 1] = cur
    end
  end
  return turns
end

--- Render turns as a document text and turn-level segments into it.
-- @tparam table turns from `merge` (empty turns are left out)
-- @treturn string text
-- @treturn table segments `{speaker=, start=, stop=, line=, text=, marks=,
--   time=, interviewer=, role=, cues=}`
function M.render(turns)
  local parts, segs, pos = {}, {}, 1
  for _, t in ipairs(turns) do
    local body = match(t.text, "^%s*(.-)%s*$")
    if body ~= "" then
      local prefix = t.speaker and (t.speaker .. ": ") or ""
      local line = prefix .. body
      if #parts > 0 then parts[#parts + 1] = "\n\n"; pos = pos + 2 end
      parts[#parts + 1] = line
      local s = pos + #prefix
      local seg = {
        speaker = t.speaker, start = s, stop = s + #body - 1, line = t.line,
        text = body, cues = t.cues,
        time = (t.start_ms or t.end_ms) and { start_ms = t.start_ms, end_ms = t.end_ms } or nil,
        interviewer = t.speaker ~= nil and transcript.is_interviewer(t.speaker) or false,
      }
      if seg.interviewer then seg.role = "interviewer" end
      segs[#segs + 1] = seg
      pos = pos + #line
    end
  end
  local text = concat(parts)
  for _, seg in ipairs(segs) do seg.marks = transcript.marks(text, seg.start, seg.stop) end
  return text, segs
end

--- Remove markup tags and (optionally) decode character references.
-- @tparam string s
-- @tparam boolean entities decode `&amp;` `&lt;` `&gt;` `&quot;` `&apos;`
--   `&nbsp;` `&lrm;` `&rlm;` `&#N;` `&#xH;`
-- @treturn string
function M.strip_tags(s, entities)
  s = gsub(s, "<[^>\n]*>", "")
  if entities then
    local named = { amp = "&", lt = "<", gt = ">", quot = '"', apos = "'",
                    nbsp = "\194\160", lrm = "\226\128\142", rlm = "\226\128\143" }
    s = gsub(s, "&(#?[%w]+);", function(ref)
      if named[ref] then return named[ref] end
      local hex = match(ref, "^#[xX](%x+)$")
      local dec = match(ref, "^#(%d+)$")
      local cp = hex and tonumber(hex, 16) or dec and tonumber(dec)
      if cp and cp > 0 and cp <= 0x10FFFF and not (cp >= 0xD800 and cp <= 0xDFFF) then
        return utf8.char(cp)
      end
      return nil
    end)
  end
  return s
end

--- A transcript document from its cues: consecutive cues of one speaker
-- merged into turns, rendered as `Speaker: text` lines that the segments
-- point into.
-- @tparam string fmt "vtt", "srt" …
-- @tparam table cues
-- @treturn table `{format=, text=, segments=, cues=, turns=}`
function M.document(fmt, cues)
  local turns = M.merge(cues)
  local rendered, segs = M.render(turns)
  return { format = fmt, text = rendered, segments = segs, cues = cues, turns = turns }
end

return M
