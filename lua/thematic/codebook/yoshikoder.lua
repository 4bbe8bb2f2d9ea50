--- Yoshikoder dictionaries (`.ykd`, XML): read only.
--
--    <dictionary><cnode name="health"><cnode name="access">
--      <pnode name="password*"/></cnode></cnode></dictionary>
--
-- Every `cnode` is a code (the root cnode included, as written); every
-- `pnode` a value of the cnode around it (dictionary rules). The XML is
-- parsed by expat (lxp).
--
-- @module thematic.codebook.yoshikoder

local lxp = require "lxp"

local format = string.format

local M = {}

--- Read a Yoshikoder dictionary into a draft.
-- @tparam string text
-- @tparam string name file name for messages
-- @treturn table|nil draft
-- @treturn string error
function M.read(text, name)
  local d = { codes = {}, format = "yoshikoder" }
  local stack, problem, root_seen = {}, nil, false
  local parser
  parser = lxp.new {
    StartElement = function(p, tag, attr)
      if problem then return end
      local line = p:pos()
      if tag == "dictionary" then
        if root_seen then problem = format("%s:%d: nested <dictionary>", name, line) end
        root_seen = true
      elseif tag == "cnode" then
        if not root_seen then problem = format("%s:%d: <cnode> outside <dictionary>", name, line); return end
        local code = { name = attr.name, line = line, patterns = {}, codes = {},
                       definition = attr.desc ~= "" and attr.desc or nil }
        if not attr.name then problem = format("%s:%d: <cnode> without a name", name, line); return end
        local parent = stack[#stack]
        local list = parent and parent.codes or d.codes
        list[#list + 1] = code
        stack[#stack + 1] = code
      elseif tag == "pnode" then
        local parent = stack[#stack]
        if not parent then problem = format("%s:%d: <pnode> outside a <cnode>", name, line); return end
        if not attr.name then problem = format("%s:%d: <pnode> without a name", name, line); return end
        parent.patterns[#parent.patterns + 1] = { src = attr.name, line = line, dialect = "dictionary" }
      else
        problem = format("%s:%d: unknown element <%s>", name, line, tag)
      end
    end,
    EndElement = function(_, tag)
      if tag == "cnode" then stack[#stack] = nil end
    end,
  }
  local ok, msg, line = parser:parse(text)
  if ok then ok, msg, line = parser:parse() end
  pcall(parser.close, parser)
  if not ok then return nil, format("%s:%d: XML: %s", name, line or 1, msg) end
  if problem then return nil, problem end
  if not root_seen then return nil, format("%s:1: no <dictionary> element", name) end
  return d
end

return M
