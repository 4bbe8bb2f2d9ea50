--- Keyword in context: each hit of a code with the words around it, and
-- where it was said (document, speaker, line, time).
--
-- @module thematic.analysis.kwic

local core = require "thematic.core"
local coding = require "thematic.coding"

local M = {}

local under = coding.under

--- One line per hit.
-- @tparam table coded from `thematic.coding.code`
-- @tparam[opt] table opts `code` (a code path; its sub-codes included),
--   `window` (words each side, default 5), `negated` (true: only negated
--   hits; false: leave them out; nil: both)
-- @treturn table array of `{document=, speaker=, participant=, line=,
--   time=, code=, left=, keyword=, right=, negated=}`
-- @treturn[2] nil
-- @treturn[2] string when `opts.code` names no code of the codebook
function M.lines(coded, opts)
  coding.check_coded(coded, "lines")
  if opts ~= nil and type(opts) ~= "table" then
    error(string.format("bad argument #2 to 'lines' (table expected, got %s)", type(opts)), 2)
  end
  opts = opts or {}
  local window = opts.window or 5
  if math.type(window) ~= "integer" or window < 0 then
    error(string.format("bad argument #2 to 'lines' (window must be a whole number >= 0, got %s)",
      tostring(window)), 2)
  end
  if opts.code ~= nil and not coded.codebook:find(opts.code) then
    return nil, string.format("no code '%s' in the codebook", tostring(opts.code))
  end
  local out = {}
  for _, e in ipairs(coded.segments) do
    local seg, text = e.segment, e.document.text
    local toks
    for _, h in ipairs(e.hits) do
      if under(h.code_path, opts.code) and
         (opts.negated == nil or (h.negated and true or false) == opts.negated) then
        toks = toks or core.tokens(text:sub(seg.start, seg.stop))
        local base = seg.start - 1
        local first, last
        for i, t in ipairs(toks) do
          if not first and t.stop + base >= h.start then first = i end
          if t.start + base <= h.stop then last = i end
        end
        first, last = first or 1, last or #toks
        local lfrom = toks[math.max(1, first - window)]
        local rto = toks[math.min(#toks, last + window)]
        local left = lfrom and first > 1 and text:sub(lfrom.start + base, h.start - 1) or ""
        local right = rto and last < #toks and text:sub(h.stop + 1, rto.stop + base) or ""
        out[#out + 1] = {
          document = seg.document, speaker = seg.speaker, participant = seg.participant,
          line = seg.line, time = seg.time, code = h.code_path,
          left = (left:gsub("%s+", " ")), keyword = (text:sub(h.start, h.stop):gsub("%s+", " ")),
          right = (right:gsub("%s+", " ")), negated = h.negated,
        }
      end
    end
  end
  return out
end

return M
