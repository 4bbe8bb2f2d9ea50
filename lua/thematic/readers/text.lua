--- Plain-text and Markdown transcripts.
--
-- The document text is the decoded file (original line ends kept);
-- segments are the turns of `thematic.transcript.parse`, spans into it.
--
-- @module thematic.readers.text
-- @usage
-- local doc = assert(require("thematic.readers.text").read("p03.txt"))
-- print(#doc.segments, doc.segments[1].speaker)

local match = string.match

local encoding = require "thematic.readers.encoding"
local transcript = require "thematic.transcript"

local M = {}

--- Parse transcript text into a document.
-- @tparam string text decoded text
-- @tparam[opt] table opts `labels`, `known`; `format` (default `"txt"`)
-- @treturn table `{format=, text=, segments=}`
function M.parse(text, opts)
  opts = opts or {}
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

return M
