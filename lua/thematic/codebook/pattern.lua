--- The pattern syntax of codebooks.
--
-- A pattern is a string (or a one-key map in YAML and Lua tables) that
-- parses into an array of elements, each `{kind, value}` with kind one of
-- `word`, `norm`, `glob`, `exact`, `any` (see docs/codebook.md):
--
--    "smartphone*"      → {{"glob", "smartphone*"}}
--    "device"           → {{"word", "device"}}
--    "=NHS"             → {{"exact", "NHS"}}
--    "not * confident"  → {{"word","not"}, {"any"}, {"word","confident"}}
--    {literal = "NHS"}  → {{"norm", "NHS"}}
--
-- Dictionary formats (LIWC, WordStat, Lexicoder, Yoshikoder, quanteda YAML)
-- use the `dictionary` dialect: an entry with `*` is a glob, any other word
-- is `norm` (exact normalised word, not stemmed), and `=` has no meaning.
--
-- @module thematic.codebook.pattern

local type, ipairs, pairs, next = type, ipairs, pairs, next
local find, gmatch, sub, format = string.find, string.gmatch, string.sub, string.format
local concat = table.concat

local M = {}

local MAP_KINDS = { word = true, glob = true, exact = true, literal = true, phrase = true }

local function words_of(s)
  local out = {}
  for w in gmatch(s, "%S+") do out[#out + 1] = w end
  return out
end

-- One whitespace-free word → element, or nil, message.
local function element(w, dialect)
  if w == "*" then return { "any" } end
  if dialect == "native" and sub(w, 1, 1) == "=" then
    local rest = sub(w, 2)
    if rest == "" then return nil, "nothing after '='" end
    return { "exact", rest }
  end
  if find(w, "**", 1, true) then
    return nil, format("misplaced '*' in '%s' ('**')", w)
  end
  if find(w, "*", 1, true) or (dialect == "native" and find(w, "?", 1, true)) then
    return { "glob", w }
  end
  return { dialect == "native" and "word" or "norm", w }
end

local function check_any(elements, text)
  local n = #elements
  if n == 1 and elements[1][1] == "any" then
    return nil, format("pattern '%s': a lone '*' is not a pattern", text)
  end
  if elements[1][1] == "any" or elements[n][1] == "any" then
    return nil, format("pattern '%s': a lone '*' cannot be first or last in a phrase", text)
  end
  return elements
end

local function parse_string(s, dialect)
  local ws = words_of(s)
  if #ws == 0 then return nil, "empty pattern" end
  local elements = {}
  for i, w in ipairs(ws) do
    local e, err = element(w, dialect)
    if not e then return nil, format("pattern '%s': %s", s, err) end
    elements[i] = e
  end
  return check_any(elements, s)
end

-- Map form: exactly one key among MAP_KINDS.
local function parse_map(t)
  local key, val = next(t)
  if key == nil then return nil, "empty pattern" end
  if next(t, key) ~= nil then
    local keys = {}
    for k in pairs(t) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    return nil, "a pattern map takes one key, got: " .. concat(keys, ", ")
  end
  if not MAP_KINDS[key] then
    return nil, format("unknown pattern kind '%s' (word, glob, exact, literal, phrase)", tostring(key))
  end
  if key == "phrase" then
    if type(val) == "string" then
      local e, err = parse_string(val, "native")
      if not e then return nil, err end
      return e, val
    end
    if type(val) ~= "table" or #val == 0 then
      return nil, "phrase: expected a string or a list of elements"
    end
    local elements, texts = {}, {}
    for i, v in ipairs(val) do
      local e, err
      if type(v) == "table" then
        e, err = M.parse(v)
        if e and #e.elements ~= 1 then err = "phrase: each list item must be one element" end
        if err then return nil, err end
        elements[i], texts[i] = e.elements[1], e.text
      elseif type(v) == "string" then
        e, err = element(v, "native")
        if not e then return nil, "phrase: " .. err end
        if find(v, "%s") then return nil, format("phrase: list item '%s' has a space", v) end
        elements[i], texts[i] = e, v
      else
        return nil, "phrase: list items must be strings or maps"
      end
    end
    local ok, err = check_any(elements, concat(texts, " "))
    if not ok then return nil, err end
    return elements, concat(texts, " ")
  end
  if type(val) ~= "string" then
    return nil, format("%s: expected a string", key)
  end
  if find(val, "^%s*$") then return nil, "empty pattern" end
  if find(val, "%s") then
    return nil, format("%s: '%s' is more than one word (use phrase)", key, val)
  end
  if key == "word" then
    if find(val, "[*?]") then return nil, format("word: '%s' has a wildcard (use glob)", val) end
    return { { "word", val } }, format("{word: %s}", val)
  elseif key == "glob" then
    if find(val, "**", 1, true) then return nil, format("misplaced '*' in '%s' ('**')", val) end
    if val == "*" then return nil, "glob: '*' alone matches every token" end
    return { { "glob", val } }, format("{glob: %s}", val)
  elseif key == "exact" then
    return { { "exact", val } }, format("{exact: %s}", val)
  else
    return { { "norm", val } }, format("{literal: %s}", val)
  end
end

--- Parse one pattern.
-- @tparam string|table src a pattern string or a one-key map
-- @tparam[opt="native"] string dialect `"native"` or `"dictionary"`
-- @treturn table|nil `{text = source text, elements = {...}}`
-- @treturn string the problem when nil
-- @usage pattern.parse("not * confident").elements[2] --> {"any"}
function M.parse(src, dialect)
  dialect = dialect or "native"
  if type(src) == "string" then
    local trimmed = src:match("^%s*(.-)%s*$"):gsub("%s+", " ")
    local elements, err = parse_string(trimmed, dialect)
    if not elements then return nil, err end
    return { text = trimmed, elements = elements, dialect = dialect }
  elseif type(src) == "table" then
    local elements, text = parse_map(src)
    if not elements then return nil, text end
    return { text = text, elements = elements, dialect = "native" }
  end
  return nil, "a pattern must be a string or a map, got " .. type(src)
end

-- Can this element be written back in the native string syntax unchanged?
local function native_word(e)
  local kind, v = e[1], e[2]
  if kind == "any" then return "*" end
  if kind == "exact" then return "=" .. v end
  if kind == "glob" then return v end
  if kind == "word" and not find(v, "[*?]") and sub(v, 1, 1) ~= "=" then return v end
  return nil
end

--- The native form of a pattern: a string when the string syntax can say
-- it, otherwise a map (`{literal = x}` or `{phrase = {...}}`).
-- @tparam table p a parsed pattern
-- @treturn string|table
function M.native(p)
  local ws, plain = {}, true
  for i, e in ipairs(p.elements) do
    ws[i] = native_word(e)
    if not ws[i] then plain = false end
  end
  if plain then return concat(ws, " ") end
  if #p.elements == 1 then return { literal = p.elements[1][2] } end
  local items = {}
  for i, e in ipairs(p.elements) do
    items[i] = ws[i] or { literal = e[2] }
  end
  return { phrase = items }
end

--- The dictionary-format form of a pattern (LIWC, WordStat, Lexicoder, CSV
-- `dictionary` kind): elements joined by spaces.
-- @tparam table p a parsed pattern
-- @treturn string
-- @treturn boolean true when the text means exactly the same there
function M.dictionary(p)
  local ws, exact = {}, true
  for i, e in ipairs(p.elements) do
    if e[1] == "any" then ws[i] = "*"
    else
      ws[i] = e[2]
      if e[1] == "word" or e[1] == "exact" or (e[1] == "glob" and find(e[2], "?", 1, true))
         or (e[1] == "norm" and find(e[2], "*", 1, true)) then
        exact = false
      end
    end
  end
  return concat(ws, " "), exact
end

return M
