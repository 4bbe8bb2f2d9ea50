--- WordStat category dictionaries (`.cat`): read and write.
--
--    BARRIERS
--    	ACCESS
--    		PASSWORD* (1)
--
-- Nesting is the number of TABs before the text; spaces in the indent are
-- ignored (issue-459.cat has three spaces before its tabs). A line ending
-- in a weight `(n)` is a value; any other line is a category. Weights other
-- than 1 are dropped with a warning. Values follow the dictionary rules.
--
-- @module thematic.codebook.wordstat

local encoding = require "thematic.codebook.encoding"
local pattern = require "thematic.codebook.pattern"

local ipairs, format, match, gsub, rep = ipairs, string.format, string.match, string.gsub, string.rep
local concat = table.concat

local M = {}

--- Read a WordStat dictionary into a draft.
-- @tparam string text UTF-8
-- @tparam string name file name for messages
-- @treturn table|nil draft
-- @treturn string error
function M.read(text, name)
  local lines = encoding.lines(text)
  local d = { codes = {}, warnings = {}, format = "wordstat" }
  local chain = {}          -- chain[depth] = category at that depth (1-based)
  for ln, line in ipairs(lines) do
    if not match(line, "^%s*$") then
      local indent = match(line, "^[ \t]*")
      local _, tabs = gsub(indent, "\t", "")
      local body = encoding.trim(line:sub(#indent + 1))
      local value, weight = match(body, "^(.-)%s*%((%d+)%)$")
      local depth = tabs + 1
      if value then
        local parent = chain[depth - 1]
        if not parent then
          return nil, format("%s:%d: value '%s' is not inside a category", name, ln, value)
        end
        if weight ~= "1" then
          d.warnings[#d.warnings + 1] = { line = ln, text = format("weight (%s) of '%s' ignored", weight, value) }
        end
        parent.patterns[#parent.patterns + 1] = { src = value, line = ln, dialect = "dictionary" }
      else
        if depth > 1 and not chain[depth - 1] then
          return nil, format("%s:%d: category '%s' is indented deeper than its parent allows", name, ln, body)
        end
        local code = { name = body, line = ln, patterns = {}, codes = {} }
        local parent = chain[depth - 1]
        local list = parent and parent.codes or d.codes
        list[#list + 1] = code
        for k = #chain, depth, -1 do chain[k] = nil end
        chain[depth] = code
      end
    end
  end
  return d
end

--- Write a WordStat dictionary: CRLF line ends, TAB indents, values in
-- upper case with the weight ` (1)`. Patterns are written in their
-- dictionary form (see docs/codebook.md); notes are not kept.
-- @tparam Codebook cb
-- @treturn string
function M.write(cb)
  local out = {}
  for code, depth in cb:codes() do
    out[#out + 1] = rep("\t", depth - 1) .. code.name
    for _, p in ipairs(code.patterns) do
      out[#out + 1] = rep("\t", depth) .. pattern.dictionary(p):upper() .. " (1)"
    end
  end
  return concat(out, "\r\n") .. "\r\n"
end

return M
