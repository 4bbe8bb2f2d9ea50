--- Lexicoder dictionaries (`.lc3`): read and write. Flat: a line `+name`
-- starts a category, the lines after it are its values (dictionary rules).
--
-- @module thematic.codebook.lexicoder

local encoding = require "thematic.codebook.encoding"
local pattern = require "thematic.codebook.pattern"

local ipairs, format, match = ipairs, string.format, string.match
local concat = table.concat

local M = {}

--- Read a Lexicoder dictionary into a draft.
-- @tparam string text UTF-8
-- @tparam string name file name for messages
-- @treturn table|nil draft
-- @treturn string error
function M.read(text, name)
  local d = { codes = {}, format = "lexicoder" }
  local current
  for ln, line in ipairs((encoding.lines(text))) do
    local body = encoding.trim(line)
    if body ~= "" then
      local cname = match(body, "^%+(.*)$")
      if cname then
        cname = encoding.trim(cname)
        if cname == "" then return nil, format("%s:%d: '+' without a category name", name, ln) end
        current = { name = cname, line = ln, patterns = {}, codes = {} }
        d.codes[#d.codes + 1] = current
      elseif not current then
        return nil, format("%s:%d: value '%s' before the first '+category' line", name, ln, body)
      else
        current.patterns[#current.patterns + 1] = { src = body, line = ln, dialect = "dictionary" }
      end
    end
  end
  return d
end

--- Write a Lexicoder dictionary: every code that has patterns becomes a
-- category named by its code name (the format is flat, so two such codes
-- may not share a name).
-- @tparam Codebook cb
-- @treturn string|nil
-- @treturn string the problem
function M.write(cb)
  local out, seen = {}, {}
  for code in cb:codes() do
    if #code.patterns > 0 then
      if seen[code.name] then
        return nil, format("Lexicoder is flat: '%s' and '%s' would both be '+%s'",
          seen[code.name], code.path, code.name)
      end
      seen[code.name] = code.path
      out[#out + 1] = "+" .. code.name
      for _, p in ipairs(code.patterns) do out[#out + 1] = (pattern.dictionary(p)) end
    end
  end
  return concat(out, "\n") .. "\n"
end

return M
