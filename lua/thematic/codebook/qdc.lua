--- REFI-QDA codebooks (`.qdc`, namespace urn:QDA-XML:codebook:1.0): read
-- and write.
--
-- Each `<Code>` is a code (`name`, `guid`, `color` kept); codes with
-- children at the top level are written as `isCodable="false"` (themes).
-- The `<Description>` holds the definition; thematic's other fields follow
-- it as labelled lines, so that other QDA programs show them as text and
-- thematic reads them back:
--
--    The patient has no suitable device.
--
--    Label: No suitable device
--    Inclusion: Shared family phones
--    Exclusion: Not knowing how to use a device
--    Valence: barrier
--    Patterns: [smartphone*, device, '=NHS', not * confident]
--    Except: [access code]
--    Negated to: design/usability_barrier
--
-- `Patterns:` and `Except:` hold a YAML flow list in the pattern syntax.
-- `<Sets>` are skipped with a warning. Written files validate against
-- Codebook.xsd (spec/fixtures/codebooks/Codebook.xsd).
--
-- @module thematic.codebook.qdc

local lxp = require "lxp"
local pattern = require "thematic.codebook.pattern"
local yamlfmt = require "thematic.codebook.yaml"

local ipairs, format, match, gsub, byte = ipairs, string.format, string.match, string.gsub,
  string.byte
local concat = table.concat

local M = {}

local NS = "urn:QDA-XML:codebook:1.0"
local SEP = "\1"

local LABELS = {
  { "Label", "label" }, { "Inclusion", "inclusion" }, { "Exclusion", "exclusion" },
  { "Valence", "valence" }, { "Patterns", "patterns" }, { "Except", "except" },
  { "Negated to", "negated_to" },
}
local BY_LABEL = {}
for _, l in ipairs(LABELS) do BY_LABEL[l[1]:lower()] = l[2] end

-- Split a Description into the definition and labelled fields.
local function description(code, text, line, name)
  local lines = {}
  for l in (text .. "\n"):gmatch("(.-)\r?\n") do lines[#lines + 1] = l end
  -- labelled lines at the end
  local k = #lines
  while k >= 1 and match(lines[k], "^%s*$") do k = k - 1 end
  local first_label = k + 1
  while k >= 1 do
    local lab = match(lines[k], "^([%a ]-):%s")
    if lab and BY_LABEL[lab:lower()] then first_label = k; k = k - 1 else break end
  end
  for i = first_label, #lines do
    local lab, val = match(lines[i], "^([%a ]-):%s*(.-)%s*$")
    if lab then
      local field = BY_LABEL[lab:lower()]
      if field == "patterns" or field == "except" then
        local node, err = yamlfmt.tree(val, name)
        if not node then return nil, format("%s:%d: code '%s': %s: %s", name, line, code.name, lab, err) end
        if node.kind ~= "seq" then
          return nil, format("%s:%d: code '%s': %s: expected a [list]", name, line, code.name, lab)
        end
        for _, item in ipairs(node.items) do
          local src
          if item.kind == "scalar" then src = item.value
          else
            src = {}
            for j, kn in ipairs(item.keys or {}) do
              local v = item.values[j]
              if v.kind == "scalar" then src[kn.value] = v.value
              else
                src[kn.value] = {}
                for m, x in ipairs(v.items or {}) do src[kn.value][m] = x.value end
              end
            end
          end
          code[field][#code[field] + 1] = { src = src, line = line, dialect = "native" }
        end
      else
        code[field] = val
        if field == "valence" then code.valence_line = line end
        if field == "negated_to" then code.negated_to_line = line end
      end
    end
  end
  local def = concat(lines, "\n", 1, first_label - 1)
  def = gsub(gsub(def, "^%s+", ""), "%s+$", "")
  if def ~= "" then code.definition = def end
  return true
end

--- Read a REFI-QDA codebook into a draft.
-- @tparam string text
-- @tparam string name file name for messages
-- @treturn table|nil draft
-- @treturn string error
function M.read(text, name)
  local d = { codes = {}, format = "qdc", warnings = {} }
  local stack, problem, root, in_sets = {}, nil, false, false
  local desc_buf, desc_line
  local function fail(line, fmt_, ...)
    if not problem then problem = format("%s:%d: " .. fmt_, name, line, ...) end
  end
  local parser = lxp.new({
    StartElement = function(p, tag, attr)
      if problem then return end
      local line = p:pos()
      local ns, local_name = match(tag, "^(.-)" .. SEP .. "(.*)$")
      if not ns then ns, local_name = "", tag end
      if not root then
        if local_name ~= "CodeBook" or ns ~= NS then
          return fail(line, "root element is not <CodeBook xmlns=\"%s\">", NS)
        end
        root = true
        return
      end
      if ns ~= NS then return end
      if local_name == "Sets" then
        in_sets = true
        d.warnings[#d.warnings + 1] = { line = line, text = "<Sets> skipped" }
      elseif in_sets then
        return
      elseif local_name == "Code" then
        if not attr.name then return fail(line, "<Code> without a name") end
        if not attr.guid then return fail(line, "<Code> '%s' without a guid", attr.name) end
        local code = { name = attr.name, guid = attr.guid, color = attr.color, line = line,
                       patterns = {}, except = {}, codes = {}, codable = attr.isCodable }
        local parent = stack[#stack]
        local list = parent and parent.codes or d.codes
        list[#list + 1] = code
        stack[#stack + 1] = code
      elseif local_name == "Description" then
        desc_buf, desc_line = {}, line
      end
    end,
    CharacterData = function(_, s)
      if desc_buf then desc_buf[#desc_buf + 1] = s end
    end,
    EndElement = function(_, tag)
      if problem then return end
      local local_name = match(tag, SEP .. "(.*)$") or tag
      if local_name == "Sets" then in_sets = false
      elseif in_sets then return
      elseif local_name == "Code" then stack[#stack] = nil
      elseif local_name == "Description" and desc_buf then
        local code = stack[#stack]
        if code then
          local ok, err = description(code, concat(desc_buf), desc_line, name)
          if not ok then problem = err end
        end
        desc_buf = nil
      end
    end,
  }, SEP)
  local ok, msg, line = parser:parse(text)
  if ok then ok, msg, line = parser:parse() end
  pcall(parser.close, parser)
  if not ok then return nil, format("%s:%d: XML: %s", name, line or 1, msg) end
  if problem then return nil, problem end
  if not root then return nil, name .. ":1: no <CodeBook> element" end
  return d
end

-- Escapes XML text; a character XML 1.0 forbids (C0 controls other than
-- tab, LF, CR; U+FFFE, U+FFFF) is refused, never silently dropped.
local function esc(s)
  local bad = string.find(s, "[\0-\8\11\12\14-\31]") or string.find(s, "\239\191[\190\191]")
  if bad then
    local cp = utf8.codepoint(s, bad)
    error({ msg = format("'%s': character U+%04X at byte %d is not allowed in XML 1.0",
      (gsub(s, "%c", "?")), cp, bad) }, 0)
  end
  s = gsub(s, "[&<>\"]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;" })
  s = gsub(s, "\r", "&#13;")
  return s
end

-- A stable GUID for a code without one: FNV-1a of the codebook name and
-- path, laid out as a version-4-shaped UUID.
local function guid_for(seed)
  local h1, h2 = 0x811c9dc5, 0x01000193
  local parts = {}
  for round = 1, 4 do
    local h = h1 ~ round
    for i = 1, #seed do
      h = ((h ~ byte(seed, i)) * h2) & 0xffffffff
    end
    parts[round] = format("%08x", h)
  end
  local hex = concat(parts)
  return format("%s-%s-4%s-%x%s-%s", hex:sub(1, 8), hex:sub(9, 12), hex:sub(14, 16),
    8 + (tonumber(hex:sub(17, 17), 16) & 3), hex:sub(18, 20), hex:sub(21, 32))
end

local function flow(list)
  local items = {}
  for i, p in ipairs(list) do items[i] = pattern.native(p) end
  return yamlfmt.flow(items)
end

--- Write a REFI-QDA codebook.
-- @tparam Codebook cb
-- @treturn string XML
local write_xml
function M.write(cb)
  local ok, text = pcall(write_xml, cb)
  if ok then return text end
  if type(text) == "table" then return nil, (cb.source or "codebook") .. ": cannot write .qdc: " .. text.msg end
  error(text, 0)
end

write_xml = function(cb)
  local out = { '<?xml version="1.0" encoding="UTF-8"?>',
    format('<CodeBook xmlns="%s" origin="%s">', NS, esc("thematic" .. (cb.name and (": " .. cb.name) or ""))),
    "  <Codes>" }
  local function code(c, depth)
    local ind = string.rep("  ", depth + 1)
    local codable = not (c.depth == 1 and #c.children > 0 and #c.patterns == 0)
    local color = c.color and (match(c.color, "^#%x%x%x%x%x%x$") or match(c.color, "^#%x%x%x$"))
    local guid = c.guid or guid_for((cb.name or "") .. "\0" .. c.path)
    out[#out + 1] = format('%s<Code guid="%s" name="%s" isCodable="%s"%s>', ind, esc(guid), esc(c.name),
      tostring(codable), color and format(' color="%s"', color) or "")
    local lines = {}
    if c.definition then lines[#lines + 1] = (gsub(c.definition, "%s+$", "")) end
    local fields = {}
    for _, l in ipairs(LABELS) do
      local f = l[2]
      if f == "patterns" or f == "except" then
        if #c[f] > 0 then fields[#fields + 1] = l[1] .. ": " .. flow(c[f]) end
      elseif c[f] then
        fields[#fields + 1] = l[1] .. ": " .. gsub(c[f], "%s+", " ")
      end
    end
    if #fields > 0 then
      if #lines > 0 then lines[#lines + 1] = "" end
      for _, f in ipairs(fields) do lines[#lines + 1] = f end
    end
    if #lines > 0 then
      out[#out + 1] = format("%s  <Description>%s</Description>", ind, esc(concat(lines, "\n")))
    end
    for _, ch in ipairs(c.children) do code(ch, depth + 1) end
    out[#out + 1] = ind .. "</Code>"
  end
  for _, c in ipairs(cb.codes_) do code(c, 1) end
  out[#out + 1] = "  </Codes>"
  out[#out + 1] = "</CodeBook>"
  return concat(out, "\n") .. "\n"
end

return M
