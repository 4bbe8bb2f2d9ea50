--- Word .docx transcripts.
--
-- Reads `word/document.xml` through `thematic.zip.read` (libzip) and
-- lua-expat: each `w:p` becomes a line, `w:t` gives text, `w:tab` a tab,
-- `w:br`/`w:cr` a line break; deleted text (`w:delText`) and field codes
-- are left out. A DOCTYPE or entity declaration is refused (no entity is
-- ever expanded: no billion laughs, no external entities). The paragraphs
-- joined with `\n` are the document text; turns come from
-- `thematic.transcript.parse` as for plain text.
--
-- @module thematic.readers.docx
-- @usage
-- local doc = assert(require("thematic.readers.docx").read("fg1.docx"))

local find, format = string.find, string.format
local concat = table.concat

local lxp = require "lxp"
local transcript = require "thematic.transcript"

local M = {}

local W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
local SEP = "\1"

--- Default cap on the uncompressed size of word/document.xml (64 MiB).
M.MAX_BYTES = 64 * 1024 * 1024

--- Paragraph texts of a WordprocessingML document.xml.
-- @tparam string xml
-- @tparam[opt="document.xml"] string label
-- @treturn table|nil array of paragraph strings
-- @treturn string|nil `"label: ..."` message (XML error with line, or DOCTYPE refused)
function M.paragraphs(xml, label)
  label = label or "document.xml"
  local paras, cur, in_t = {}, nil, 0
  local function refuse()
    error({ msg = "DOCTYPE and entity declarations are not allowed" }, 0)
  end
  local callbacks = {
    StartDoctypeDecl = refuse, EntityDecl = refuse, UnparsedEntityDecl = refuse,
    NotationDecl = refuse, ExternalEntityRef = refuse,
    StartElement = function(_, name)
      local ns, el = name:match("^(.-)" .. SEP .. "(.+)$")
      if ns ~= W then return end
      if el == "p" then cur = {}
      elseif el == "t" then in_t = in_t + 1
      elseif cur and el == "tab" then cur[#cur + 1] = "\t"
      elseif cur and (el == "br" or el == "cr") then cur[#cur + 1] = "\n"
      end
    end,
    EndElement = function(_, name)
      local ns, el = name:match("^(.-)" .. SEP .. "(.+)$")
      if ns ~= W then return end
      if el == "t" then in_t = in_t - 1
      elseif el == "p" and cur then paras[#paras + 1] = concat(cur); cur = nil
      end
    end,
    CharacterData = function(_, s)
      if in_t > 0 and cur then cur[#cur + 1] = s end
    end,
  }
  if find(xml, "<!DOCTYPE", 1, true) or find(xml, "<!ENTITY", 1, true) then
    return nil, format("%s: DOCTYPE and entity declarations are not allowed", label)
  end
  local p = lxp.new(callbacks, SEP)
  local ok, a, b, c = pcall(function()
    local r1, m1, l1 = p:parse(xml)
    if not r1 then return r1, m1, l1 end
    return p:parse()
  end)
  p:close()
  if not ok then
    local msg = type(a) == "table" and a.msg or tostring(a)
    return nil, format("%s: %s", label, msg)
  end
  if not a then return nil, format("%s:%s: %s", label, tostring(c), tostring(b)) end
  return paras
end

--- Read a .docx file.
-- @tparam string path
-- @tparam[opt] table opts `labels`, `known`; `max_bytes` cap on document.xml
-- @treturn table|nil `{format="docx", text=, segments=, paragraphs=}`
-- @treturn string|nil message (`"path: ..."`)
function M.read(path, opts)
  opts = opts or {}
  -- required here, not at the top: only a .docx needs libzip
  local ok, zip = pcall(require, "thematic.zip")
  if not ok then return nil, format("%s: reading .docx needs thematic.zip (not built)", path) end
  local xml, err = zip.read(path, "word/document.xml", opts.max_bytes or M.MAX_BYTES)
  if not xml then
    -- thematic.zip's messages already start with the path
    err = tostring(err)
    if err:sub(1, #path + 2) ~= path .. ": " then err = path .. ": " .. err end
    return nil, err
  end
  local paras, perr = M.paragraphs(xml, path .. ": word/document.xml")
  if not paras then return nil, perr end
  local text = concat(paras, "\n")
  local ok8, bad = utf8.len(text)
  if not ok8 then return nil, format("%s: invalid UTF-8 at byte %d of word/document.xml text", path, bad) end
  return { format = "docx", text = text, paragraphs = paras,
           segments = transcript.parse(text, opts) }
end

return M
