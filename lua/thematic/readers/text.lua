--- Plain-text and Markdown transcripts.
--
-- The document text is the decoded file (original line ends kept);
-- segments are the turns of `thematic.transcript.parse`, spans into it.
--
-- @module thematic.readers.text
-- @usage
-- local doc = assert(require("thematic.readers.text").read("p03.txt"))
-- print(#doc.segments, doc.segments[1].speaker)

local match, sub = string.match, string.sub

local encoding = require "thematic.readers.encoding"
local transcript = require "thematic.transcript"

local M = {}

--- Parse transcript text into a document.
-- @tparam string text decoded text
-- @tparam[opt] table opts `labels`, `known`; `format` (default `"txt"`);
--   `compact_text` (see `thematic.corpus.load`'s `compact`)
-- @treturn table `{format=, text=, segments=}`, or with `compact_text`
--   `{format=, text=, compact=, has_speakers=}`
function M.parse(text, opts)
  opts = opts or {}
  if opts.compact_text then
    -- for counting: the turns stay in the C parse (see thematic.corpus.load;
    -- a differently named option, so that readers that give their options
    -- to transcript.parse, as docx does, are not made compact too)
    local turns = transcript.parse(text, setmetatable({ compact = true }, { __index = opts }))
    return { format = opts.format or "txt", text = text, compact = turns,
             has_speakers = turns.has_speakers }
  end
  return { format = opts.format or "txt", text = text, segments = transcript.parse(text, opts) }
end

--- Read a .txt or .md transcript.
-- @tparam string path
-- @tparam[opt] table opts as for `parse`
-- @treturn table|nil document
-- @treturn string|nil `"path: invalid UTF-8 at byte N"` or an I/O message
function M.read(path, opts)
  local text, err = encoding.read_file(path)
  if not text then return nil, err end
  local o = setmetatable({ format = match(path, "%.[mM][dD]$") and "md" or "txt" },
    { __index = opts or {} })
  return M.parse(text, o)
end

--- Read a transcript too big to hold in parts, giving each part as a
-- document of its own: `{format=, text=, segments=, part=, offset=,
-- has_speakers=}`. `text` is the part (whole lines, about `size` bytes);
-- `segments` span into it, and their `line` numbers count from the top of
-- the file; `offset` is the number of bytes of the file's text before the
-- part. A turn is never cut between parts unless it alone is longer than a
-- part. The file is read twice: the first pass checks every byte and
-- counts how labels are used (a `Name:` is a speaker only when used as
-- one twice in the document), so a bad byte near the end fails the file
-- before any part has been given out.
-- @tparam string path a UTF-8 file (without a UTF-16 BOM)
-- @tparam table opts as for `parse`
-- @tparam function each called with every part
-- @tparam[opt=8 MiB] integer size
-- @treturn boolean|nil true
-- @treturn string|nil message
function M.stream(path, opts, each, size)
  opts = opts or {}
  local fmt = opts.format or (match(path, "%.[mM][dD]$") and "md" or "txt")
  local stats = { counts = {}, colon_seen = {} }
  local _, err = encoding.parts(path, function(part)
    transcript.label_stats(part, stats)
  end, size)
  if err then return nil, err end
  local popts = setmetatable({ stats = stats }, { __index = opts })
  local carry, carry_offset, first_line, k, speakers = "", 0, 1, 0, false
  local function give(text, offset, partial)
    popts.first_line, popts.partial = first_line, partial
    local turns = transcript.parse(text, popts)
    local rest = turns.rest
    popts.continues, turns.open = turns.open, nil
    if rest then
      carry, carry_offset = sub(text, rest), offset + rest - 1
      first_line = first_line + turns.rest_line - 1
      turns.rest, turns.rest_line = nil, nil
    else
      carry, carry_offset = "", offset + #text
      first_line = first_line + encoding.line_ends(text)
    end
    if #turns == 0 then return end
    if not speakers then
      for _, t in ipairs(turns) do
        if t.speaker then speakers = true; break end
      end
    end
    k = k + 1
    -- the held-back turn is not in `turns`: the part's text ends before it
    each({ format = fmt, text = rest and sub(text, 1, rest - 1) or text, segments = turns,
           part = k, offset = offset, has_speakers = speakers })
  end
  _, err = encoding.parts(path, function(part, offset)
    if carry == "" then give(part, offset, true) else give(carry .. part, carry_offset, true) end
  end, size)
  if err then return nil, err end
  if carry ~= "" then give(carry, carry_offset, false) end
  return true
end

return M
