--- YAML codebooks: thematic's native format (read and write) and
-- quanteda-style dictionaries (read).
--
-- The text is parsed by libyaml (lyaml's event parser), so every node
-- keeps its line number for error messages.
--
-- @module thematic.codebook.yaml

local yaml = require "yaml"
local pattern = require "thematic.codebook.pattern"

local ipairs, pairs, type, tostring, tonumber, pcall = ipairs, pairs, type, tostring, tonumber, pcall
local format, find = string.format, string.find
local concat = table.concat

local M = {}

local TOP_FIELDS = { name = true, title = true, language = true, description = true,
                     negation = true, codes = true }
local CODE_FIELDS = { label = true, definition = true, inclusion = true, exclusion = true,
                      valence = true, patterns = true, except = true, negated_to = true,
                      codes = true, color = true, guid = true }
local NEGATION_FIELDS = { window = true, cues = true }

--- Deepest YAML nesting read (maps and lists; a code takes two levels).
M.MAX_NESTING = 512

---------------------------------------------------------------------------
-- libyaml events → a tree of nodes with line numbers
---------------------------------------------------------------------------

-- Node kinds: {kind="map", line=, keys={key nodes in order}, values={...}},
-- {kind="seq", line=, items={...}}, {kind="scalar", line=, value=, plain=}.
local function tree(text, name)
  local parser = yaml.parser(text)
  local anchors = {}
  local stack, root = {}, nil
  -- Aliases share nodes, so the tree is a graph: refuse an alias inside
  -- the node it names (a cycle, endless to walk) and aliases that expand
  -- the document far past its own size ("billion laughs").
  local open_nodes, nodes, expanded = {}, 0, 0
  local function add(node)
    local top = stack[#stack]
    if not top then root = node; return end
    if top.kind == "seq" then top.items[#top.items + 1] = node
    elseif top.pending == nil then
      top.pending = node
    else
      top.keys[#top.keys + 1] = top.pending
      top.values[#top.values + 1] = node
      top.pending = nil
    end
  end
  local ok, err = pcall(function()
    while true do
      local ev = parser()
      if not ev then break end
      local t = ev.type
      local line = ev.start_mark and ev.start_mark.line + 1
      if t == "MAPPING_START" or t == "SEQUENCE_START" then
        local node = t == "MAPPING_START"
          and { kind = "map", line = line, keys = {}, values = {} }
          or { kind = "seq", line = line, items = {} }
        if ev.anchor then anchors[ev.anchor] = node end
        add(node)
        stack[#stack + 1] = node
        if #stack > M.MAX_NESTING then
          error(format("nested deeper than %d levels at line: %d", M.MAX_NESTING, line), 0)
        end
        open_nodes[node] = true
        node.size = 1
        nodes, expanded = nodes + 1, expanded + 1
      elseif t == "MAPPING_END" or t == "SEQUENCE_END" then
        local node = stack[#stack]
        stack[#stack] = nil
        open_nodes[node] = nil
        local parent = stack[#stack]
        if parent then parent.size = parent.size + node.size end
      elseif t == "SCALAR" then
        local node = { kind = "scalar", line = line, value = ev.value,
                       plain = ev.style == "PLAIN", size = 1 }
        if ev.anchor then anchors[ev.anchor] = node end
        add(node)
        nodes, expanded = nodes + 1, expanded + 1
        if stack[#stack] then stack[#stack].size = stack[#stack].size + 1 end
      elseif t == "ALIAS" then
        local node = anchors[ev.anchor]
        if not node then error(format("unknown alias '%s' at line: %d", ev.anchor, line), 0) end
        if open_nodes[node] then
          error(format("alias '%s' refers to a node that contains it (a cycle) at line: %d",
            ev.anchor, line), 0)
        end
        expanded = expanded + node.size
        if expanded > 2 * nodes + 100000 then
          error(format("aliases expand to more than %d nodes, far more than the %d "
            .. "written (nested aliases, 'billion laughs') at line: %d", expanded, nodes, line), 0)
        end
        add(node)
        if stack[#stack] then stack[#stack].size = stack[#stack].size + node.size end
      elseif t == "DOCUMENT_START" and root then
        error(format("more than one YAML document at line: %d", line), 0)
      end
    end
  end)
  if not ok then
    local msg = tostring(err)
    local first = msg:match("^[^\n]*")
    local line = first:match("line: (%d+)")
    first = first:gsub(" at document: %d+, line: %d+, column: %d+", "")
                 :gsub(" at line: %d+", "")
    return nil, format("%s:%s: YAML: %s", name, line or "1", first)
  end
  return root
end
M.tree = tree

local function is_null(node)
  return node == nil or (node.kind == "scalar" and node.plain
    and (node.value == "" or node.value == "~" or node.value == "null" or node.value == "Null"
         or node.value == "NULL"))
end

-- Plain Lua value of a node (for map-form patterns).
local function plain(node)
  if node.kind == "scalar" then return node.value end
  if node.kind == "seq" then
    local out = {}
    for i, n in ipairs(node.items) do out[i] = plain(n) end
    return out
  end
  local out = {}
  for i, k in ipairs(node.keys) do out[plain(k)] = plain(node.values[i]) end
  return out
end

local function map_pairs(node)
  local i = 0
  return function()
    i = i + 1
    local k = node.keys[i]
    if k then return k, node.values[i] end
  end
end

local function err_at(name, node, fmt_, ...)
  return nil, format("%s:%d: " .. fmt_, name, node and node.line or 1, ...)
end

local function key_text(name, k)
  if k.kind ~= "scalar" then return err_at(name, k, "a key must be text") end
  return k.value
end

local function text_field(name, field, node)
  if is_null(node) then return nil end
  if node.kind ~= "scalar" then
    return false, format("%s:%d: field '%s' must be text", name, node.line, field)
  end
  return node.value
end

---------------------------------------------------------------------------
-- Native format
---------------------------------------------------------------------------

local function pattern_list(name, field, node, out)
  if is_null(node) then return true end
  local items = node.kind == "seq" and node.items or { node }
  for _, item in ipairs(items) do
    if item.kind == "seq" then
      return err_at(name, item, "field '%s': a pattern cannot be a list", field)
    end
    local src = item.kind == "scalar" and item.value or plain(item)
    out[#out + 1] = { src = src, line = item.line, dialect = "native" }
  end
  return true
end

local native_code

-- The codes of a `codes:` mapping, in order, appended to `into`.
local function read_codes(name, mapping, into)
  for ck, cv in map_pairs(mapping) do
    local cname, cerr = key_text(name, ck)
    if not cname then return nil, cerr end
    local code, cerr2 = native_code(name, cname, ck, cv)
    if not code then return nil, cerr2 end
    into[#into + 1] = code
  end
  return true
end

function native_code(name, codename, keynode, node)
  local d = { name = codename, line = keynode.line, patterns = {}, except = {}, codes = {} }
  if is_null(node) then return d end
  if node.kind ~= "map" then
    return err_at(name, node, "code '%s' must be a mapping of fields", codename)
  end
  local seen = {}
  for k, v in map_pairs(node) do
    local field, e = key_text(name, k)
    if not field then return nil, e end
    if not CODE_FIELDS[field] then
      return err_at(name, k, "unknown field '%s' in code '%s'", field, codename)
    end
    if seen[field] then return err_at(name, k, "field '%s' given twice in code '%s'", field, codename) end
    seen[field] = true
    if field == "patterns" or field == "except" then
      local ok, perr = pattern_list(name, field, v, d[field])
      if not ok then return nil, perr end
    elseif field == "codes" then
      if not is_null(v) then
        if v.kind ~= "map" then return err_at(name, v, "field 'codes' must be a mapping of codes") end
        local ok, cerr = read_codes(name, v, d.codes)
        if not ok then return nil, cerr end
      end
    else
      local val, terr = text_field(name, field, v)
      if val == false then return nil, terr end
      d[field] = val
      d[field .. "_line"] = v.line
    end
  end
  return d
end

local function native(root, name)
  local d = { codes = {} }
  local seen = {}
  for k, v in map_pairs(root) do
    local field, e = key_text(name, k)
    if not field then return nil, e end
    if not TOP_FIELDS[field] then return err_at(name, k, "unknown field '%s'", field) end
    if seen[field] then return err_at(name, k, "field '%s' given twice", field) end
    seen[field] = true
    if field == "codes" then
      if not is_null(v) and v.kind ~= "map" then
        return err_at(name, v, "field 'codes' must be a mapping of codes")
      end
      local ok, cerr = true, nil
      if not is_null(v) then ok, cerr = read_codes(name, v, d.codes) end
      if not ok then return nil, cerr end
    elseif field == "negation" then
      if v.kind == "scalar" and v.plain and (v.value == "false" or v.value == "off" or v.value == "no") then
        d.negation = false
      elseif v.kind ~= "map" then
        return err_at(name, v, "negation must be a mapping {window:, cues:} or false")
      else
        d.negation = { line = v.line }
        for nk, nv in map_pairs(v) do
          local nf = key_text(name, nk)
          if not NEGATION_FIELDS[nf] then
            return err_at(name, nk, "unknown field '%s' in negation", tostring(nf))
          end
          if nf == "window" then
            local n = nv.kind == "scalar" and math.tointeger(tonumber(nv.value))
            if not n then return err_at(name, nv, "negation window must be a whole number >= 0") end
            d.negation.window = n
          else
            if nv.kind ~= "seq" then return err_at(name, nv, "negation cues must be a list") end
            local cues = {}
            for i, c in ipairs(nv.items) do
              if c.kind ~= "scalar" then return err_at(name, c, "a negation cue must be a word") end
              cues[i] = c.value
            end
            d.negation.cues = cues
          end
        end
      end
    else
      local val, terr = text_field(name, field, v)
      if val == false then return nil, terr end
      d[field] = val
      if field == "language" then d.language_line = v.line end
    end
  end
  return d
end

---------------------------------------------------------------------------
-- quanteda dictionaries: nested mappings whose leaves are lists of values;
-- the key '' attaches values to the mapping's own key.
---------------------------------------------------------------------------

local function values_into(name, node, out)
  if is_null(node) then return true end
  local items = node.kind == "seq" and node.items or { node }
  for _, item in ipairs(items) do
    if item.kind ~= "scalar" then return err_at(name, item, "a dictionary value must be text") end
    out[#out + 1] = { src = item.value, line = item.line, dialect = "dictionary" }
  end
  return true
end

local function quanteda_code(name, codename, keynode, node)
  local d = { name = codename, line = keynode.line, patterns = {}, codes = {} }
  if node and node.kind == "map" then
    for k, v in map_pairs(node) do
      local cname, e = key_text(name, k)
      if not cname then return nil, e end
      if cname == "" then
        local ok, verr = values_into(name, v, d.patterns)
        if not ok then return nil, verr end
      else
        local child, cerr = quanteda_code(name, cname, k, v)
        if not child then return nil, cerr end
        d.codes[#d.codes + 1] = child
      end
    end
  else
    local ok, verr = values_into(name, node, d.patterns)
    if not ok then return nil, verr end
  end
  return d
end

local function quanteda(root, name)
  local d = { codes = {}, format = "quanteda" }
  for k, v in map_pairs(root) do
    local cname, e = key_text(name, k)
    if not cname then return nil, e end
    local code, cerr = quanteda_code(name, cname, k, v)
    if not code then return nil, cerr end
    d.codes[#d.codes + 1] = code
  end
  return d
end

-- Native when the root has a mapping `codes` and either nothing else or
-- at least one of the other native top-level fields.
local function is_native(root)
  local codes, others, known = false, 0, 0
  for k, v in map_pairs(root) do
    if k.kind == "scalar" then
      if k.value == "codes" and v.kind == "map" then codes = true
      else
        others = others + 1
        if TOP_FIELDS[k.value] then known = known + 1 end
      end
    end
  end
  return codes and (others == 0 or known > 0)
end

--- Read a YAML codebook (native or quanteda) into a draft.
-- @tparam string text UTF-8
-- @tparam string name file name for messages
-- @treturn table|nil draft
-- @treturn string error
function M.read(text, name)
  local root, err = tree(text, name)
  if not root then
    if err then return nil, err end
    return nil, name .. ":1: empty codebook"
  end
  if root.kind ~= "map" then return err_at(name, root, "a codebook must be a mapping") end
  if is_native(root) then
    local d, nerr = native(root, name)
    if d then d.format = "yaml" end
    return d, nerr
  end
  return quanteda(root, name)
end

---------------------------------------------------------------------------
-- Writing the native format. (lyaml's emitter is not used: in lyaml 6.2.8
-- under Lua 5.4 it keeps a luaL_Buffer across calls and returns garbage for
-- long documents.) Scalars are written plain only when plainly safe,
-- otherwise double-quoted; multi-line text as a literal block.
---------------------------------------------------------------------------

local SPECIAL = { ["true"] = true, ["false"] = true, yes = true, no = true, on = true,
                  off = true, null = true, ["~"] = true, y = true, n = true }

local ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t", ["\r"] = "\\r" }

local function quoted(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ESC[c] or format("\\x%02X", c:byte())
  end) .. '"'
end

--- A scalar as YAML text (plain when safe, else double-quoted).
-- @tparam string s
-- @tparam boolean flow inside a flow collection (commas and brackets matter)
-- @treturn string
function M.scalar(s, flow)
  if s == "" or SPECIAL[s:lower()] or find(s, "^[-+]?[%d.]")
     or find(s, "^[%s!&*|>'\"%%@`#,%[%]{}?:-]") or find(s, "%s$") or find(s, "%c")
     or find(s, ": ", 1, true) or find(s, " #", 1, true) or s:sub(-1) == ":"
     or (flow and find(s, "[,%[%]{}]")) then
    return quoted(s)
  end
  return s
end

--- A value in flow style: a string, a list or a one-level map.
-- @tparam string|table v
-- @treturn string
function M.flow(v)
  if type(v) == "string" then return M.scalar(v, true) end
  local parts = {}
  if #v > 0 then
    for i, x in ipairs(v) do parts[i] = M.flow(x) end
    return "[" .. concat(parts, ", ") .. "]"
  end
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys)
  for i, k in ipairs(keys) do parts[i] = M.scalar(k, true) .. ": " .. M.flow(v[k]) end
  return "{" .. concat(parts, ", ") .. "}"
end

local function text_value(s, indent)
  if find(s, "\n") and not find((s:gsub("\n", "")), "%c") and not find(s, " \n")
     and not find(s, "^%s") and not find(s, "%s$") then
    return "|-\n" .. indent .. s:gsub("\n", "\n" .. indent):gsub("\n" .. indent .. "\n", "\n\n")
  end
  return M.scalar(s)
end

local TEXT_ORDER = { "label", "definition", "inclusion", "exclusion", "valence" }

--- Write a codebook in the native format.
-- @tparam Codebook cb
-- @treturn string YAML text
function M.write(cb)
  local out = {}
  local function put(s) out[#out + 1] = s end
  for _, f in ipairs { "name", "title", "language", "description" } do
    if cb[f] then put(f .. ": " .. text_value(cb[f], "  ")) end
  end
  local codebook = require "thematic.codebook"
  local defaults = codebook.negation_cues[cb.language] or {}
  local same = #defaults == #cb.negation.cues
  for i, c in ipairs(defaults) do if cb.negation.cues[i] ~= c then same = false end end
  if cb.negation.window == 0 then
    put("negation: false")
  elseif not same then
    put(format("negation: {window: %d, cues: %s}", cb.negation.window, M.flow(cb.negation.cues)))
  elseif cb.negation.window ~= codebook.negation_window then
    put(format("negation: {window: %d}", cb.negation.window))
  end
  local function code(c, ind)
    local fields = {}
    for _, f in ipairs(TEXT_ORDER) do
      if c[f] then fields[#fields + 1] = ind .. "  " .. f .. ": " .. text_value(c[f], ind .. "    ") end
    end
    for _, list in ipairs { "patterns", "except" } do
      if #c[list] > 0 then
        local items = {}
        for i, p in ipairs(c[list]) do items[i] = M.flow(pattern.native(p)) end
        fields[#fields + 1] = ind .. "  " .. list .. ": [" .. concat(items, ", ") .. "]"
      end
    end
    if c.negated_to then fields[#fields + 1] = ind .. "  negated_to: " .. M.scalar(c.negated_to) end
    for _, f in ipairs { "color", "guid" } do
      if c[f] then fields[#fields + 1] = ind .. "  " .. f .. ": " .. M.scalar(c[f]) end
    end
    if #fields == 0 and #c.children == 0 then
      put(ind .. M.scalar(c.name) .. ": {}")
      return
    end
    put(ind .. M.scalar(c.name) .. ":")
    for _, f in ipairs(fields) do put(f) end
    if #c.children > 0 then
      put(ind .. "  codes:")
      for _, ch in ipairs(c.children) do code(ch, ind .. "    ") end
    end
  end
  put("codes:")
  for _, c in ipairs(cb.codes_) do code(c, "  ") end
  if #cb.codes_ == 0 then out[#out] = "codes: {}" end
  return concat(out, "\n") .. "\n"
end

return M
