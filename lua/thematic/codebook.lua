--- Codebooks: a tree of themes and codes, each code with its patterns.
--
-- A codebook is read from a file (native YAML, quanteda YAML, LIWC `.dic`,
-- WordStat `.cat`, Lexicoder `.lc3`, Yoshikoder `.ykd`, REFI-QDA `.qdc`,
-- CSV, a Lua table file) or built from a Lua table, and compiled into the
-- flat spec that `thematic.core`'s matcher takes (docs/internals.md). The
-- matching rules are in docs/codebook.md.
--
-- Top-level codes are themes; codes hold codes (up to MAX_DEPTH levels). Every code has
-- `name`, `path` ("theme/code/sub"), `label`, `definition`, `inclusion`,
-- `exclusion`, `valence` ("barrier", "facilitator" or nil), `patterns`,
-- `except`, `negated_to` (a code path), `children` and `parent`.
--
-- @module thematic.codebook
-- @usage
-- local codebook = require "thematic.codebook"
-- local cb = assert(codebook.load("samples/codebooks/digital-health.yml"))
-- for code in cb:codes() do print(code.path, #code.patterns) end
-- local res = cb:scan("I could not log in to the app.")

local pattern = require "thematic.codebook.pattern"
local encoding = require "thematic.codebook.encoding"

local type, ipairs, pairs, tostring, error = type, ipairs, pairs, tostring, error
local setmetatable, pcall, require = setmetatable, pcall, require
local format, find, lower, match, sub = string.format, string.find, string.lower, string.match, string.sub
local byte = string.byte
local concat, sort = table.concat, table.sort
local io_open = io.open

local M = {}

local Codebook = {}
Codebook.__index = Codebook
M.Codebook = Codebook

--- The formats by name, and the file extensions that select them.
M.formats = {
  yaml = "thematic.codebook.yaml", liwc = "thematic.codebook.liwc",
  wordstat = "thematic.codebook.wordstat", lexicoder = "thematic.codebook.lexicoder",
  yoshikoder = "thematic.codebook.yoshikoder", qdc = "thematic.codebook.qdc",
  csv = "thematic.codebook.csv", lua = "thematic.codebook.luatable",
}
M.extensions = {
  yml = "yaml", yaml = "yaml", dic = "liwc", cat = "wordstat", lc3 = "lexicoder",
  lcd = "lexicoder", ykd = "yoshikoder", qdc = "qdc", csv = "csv", lua = "lua",
}
-- Formats written in legacy 8-bit encodings often enough to guess them.
local LEGACY = { liwc = true, wordstat = true, lexicoder = true, csv = true }

M.VALENCES = { barrier = true, facilitator = true }

--- Deepest nesting of codes accepted (themes are depth 1). Real codebooks
-- are a few levels deep; a file nested thousands deep is refused rather
-- than built (each code keeps its whole path, so cost grows with depth²).
M.MAX_DEPTH = 100

--- Default negation cues by language (normalised forms). A cue `*n't`
-- matches any token ending in "n't" (don't, isn't, couldn't …).
M.negation_cues = {
  english = { "not", "no", "never", "none", "nobody", "nothing", "neither", "nor",
    "nowhere", "without", "hardly", "barely", "scarcely", "cannot", "cant", "dont",
    "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont", "wouldnt",
    "couldnt", "shouldnt", "havent", "hasnt", "hadnt", "won't", "can't", "*n't" },
  french = { "ne", "pas", "non", "jamais", "rien", "aucun", "aucune", "personne",
    "sans", "ni", "guère" },
  german = { "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie",
    "niemals", "nichts", "niemand", "ohne", "weder", "kaum" },
  spanish = { "no", "nunca", "jamás", "nada", "nadie", "ninguno", "ninguna",
    "ningún", "ni", "sin", "tampoco" },
  italian = { "non", "mai", "niente", "nulla", "nessuno", "nessuna", "né", "senza",
    "neanche", "nemmeno", "neppure" },
  portuguese = { "não", "nunca", "jamais", "nada", "ninguém", "nenhum", "nenhuma",
    "nem", "sem" },
  dutch = { "niet", "geen", "nooit", "niets", "niemand", "nergens", "zonder", "noch",
    "nauwelijks" },
}
M.negation_window = 3

-- Snowball languages and their ISO 639-1 codes: used only when the C core
-- (whose `language_name` is the authority) cannot be loaded.
local SNOWBALL = {
  arabic = "ar", armenian = "hy", basque = "eu", catalan = "ca", danish = "da",
  dutch = "nl", english = "en", finnish = "fi", french = "fr", german = "de",
  greek = "el", hindi = "hi", hungarian = "hu", indonesian = "id", irish = "ga",
  italian = "it", lithuanian = "lt", nepali = "ne", norwegian = "no",
  portuguese = "pt", romanian = "ro", russian = "ru", serbian = "sr",
  spanish = "es", swedish = "sv", tamil = "ta", turkish = "tr", yiddish = "yi",
}
local BY_ISO = {}
for name, iso in pairs(SNOWBALL) do BY_ISO[iso] = name end

local core_cache
local function core()
  if core_cache == nil then
    local ok, mod = pcall(require, "thematic.core")
    core_cache = ok and mod or false
  end
  return core_cache or nil
end

--- The canonical name of a language, or nil when unknown.
-- Asks `thematic.core.language_name`; without the core, a built-in list of
-- the Snowball stemmer languages answers.
-- @tparam string x a name ("English") or ISO 639-1 code ("en")
-- @treturn string|nil
function M.language_name(x)
  if type(x) ~= "string" then return nil end
  local c = core()
  if c and c.language_name then
    local ok, name = pcall(c.language_name, x)
    if ok then return name end
    ok, name = pcall(c.language_name, lower(x))
    return ok and name or nil
  end
  local l = lower(x)
  if SNOWBALL[l] then return l end
  return BY_ISO[l]
end

---------------------------------------------------------------------------
-- Building the model from a draft
--
-- Every reader returns a *draft*: plain tables with line numbers, checked
-- and turned into a Codebook by `build`. Draft code:
--   { name=, line=, label=, definition=, inclusion=, exclusion=, valence=,
--     color=, guid=, negated_to=, patterns = { {src=, line=, dialect=} },
--     except = {...}, codes = { ...draft codes } }
---------------------------------------------------------------------------

local TEXT_FIELDS = { "label", "definition", "inclusion", "exclusion", "color", "guid" }

local function where(source, line)
  if line then return format("%s:%d: ", source, line) end
  return source .. ": "
end

local function build(draft, source)
  source = source or draft.source or "codebook"
  local cb = setmetatable({
    name = draft.name, title = draft.title, description = draft.description,
    format = draft.format, source = source, codes_ = {}, by_path = {},
    warnings = {}, encoding = draft.encoding, encoding_note = draft.encoding_note,
  }, Codebook)
  for _, w in ipairs(draft.warnings or {}) do
    cb.warnings[#cb.warnings + 1] = where(source, w.line) .. w.text
  end
  local function warn(line, text) cb.warnings[#cb.warnings + 1] = where(source, line) .. text end

  -- language
  local lang = draft.language or "english"
  local canon = M.language_name(lang)
  if not canon then
    return nil, where(source, draft.language_line) .. format("unknown language '%s'", tostring(lang))
  end
  cb.language = canon

  -- negation
  local neg = draft.negation
  if neg == false then
    cb.negation = { window = 0, cues = {} }
  else
    neg = neg or {}
    local window = neg.window or M.negation_window
    if math.type(window) ~= "integer" or window < 0 then
      return nil, where(source, neg.line)
        .. format("negation window must be a whole number >= 0, got '%s'", tostring(window))
    end
    local cues = neg.cues
    if cues == nil then
      cues = {}
      for i, c in ipairs(M.negation_cues[canon] or {}) do cues[i] = c end
    end
    for _, c in ipairs(cues) do
      if type(c) ~= "string" or find(c, "^%s*$") or find(c, "%s") then
        return nil, where(source, neg.line) .. format("negation cue '%s' must be one word", tostring(c))
      end
    end
    cb.negation = { window = window, cues = cues }
  end

  -- codes
  local pending = {}
  local function make(d, parent)
    local name = d.name
    if type(name) ~= "string" or find(name, "^%s*$") then
      return nil, where(source, d.line) .. "code without a name"
    end
    if find(name, "/", 1, true) then
      return nil, where(source, d.line) .. format("code name '%s' contains '/'", name)
    end
    if parent and parent.depth >= M.MAX_DEPTH then
      return nil, where(source, d.line) .. format("code '%s' is nested deeper than %d levels",
        name, M.MAX_DEPTH)
    end
    local path = parent and (parent.path .. "/" .. name) or name
    if cb.by_path[path] then
      return nil, where(source, d.line) .. format("duplicate code path '%s'", path)
    end
    local code = { name = name, path = path, parent = parent, children = {},
                   patterns = {}, except = {}, depth = parent and parent.depth + 1 or 1 }
    for _, f in ipairs(TEXT_FIELDS) do
      local v = d[f]
      if type(v) == "string" then
        v = v:gsub("^%s+", ""):gsub("%s+$", "")
        if v == "" then v = nil end
      end
      code[f] = v
    end
    if d.valence ~= nil then
      if not M.VALENCES[d.valence] then
        return nil, where(source, d.valence_line or d.line)
          .. format("unknown valence '%s' in code '%s' (barrier or facilitator)", tostring(d.valence), path)
      end
      code.valence = d.valence
    end
    cb.by_path[path] = code
    for _, list in ipairs { "patterns", "except" } do
      local seen = {}
      for _, p in ipairs(d[list] or {}) do
        local src = p.src
        if p.dialect == "dictionary" and type(src) == "string" then
          src = encoding.lower(encoding.trim(src))
        end
        local parsed, err = pattern.parse(src, p.dialect)
        if not parsed then
          return nil, where(source, p.line or d.line) .. format("code '%s': %s", path, err)
        end
        parsed.line = p.line
        local key = parsed.text
        if seen[key] then
          warn(p.line, format("code '%s': duplicate pattern '%s' kept once", path, key))
        else
          seen[key] = true
          code[list][#code[list] + 1] = parsed
        end
      end
    end
    if d.negated_to ~= nil then
      if type(d.negated_to) ~= "string" then
        return nil, where(source, d.negated_to_line or d.line) .. "negated_to must be a code path"
      end
      pending[#pending + 1] = { code = code, target = d.negated_to, line = d.negated_to_line or d.line }
    end
    for _, cd in ipairs(d.codes or {}) do
      local child, err = make(cd, code)
      if not child then return nil, err end
      code.children[#code.children + 1] = child
    end
    return code
  end
  for _, d in ipairs(draft.codes or {}) do
    local code, err = make(d, nil)
    if not code then return nil, err end
    cb.codes_[#cb.codes_ + 1] = code
  end
  for _, p in ipairs(pending) do
    if not cb.by_path[p.target] then
      return nil, where(source, p.line)
        .. format("code '%s': negated_to names a missing code '%s'", p.code.path, p.target)
    end
    if p.target == p.code.path then
      return nil, where(source, p.line) .. format("code '%s': negated_to names the code itself", p.code.path)
    end
    p.code.negated_to = p.target
  end
  return cb
end
M.build = build

---------------------------------------------------------------------------
-- Reading
---------------------------------------------------------------------------

local function format_module(fmt)
  local modname = M.formats[fmt]
  if not modname then return nil end
  return require(modname)
end

--- Parse codebook text in a given format.
-- @tparam string text the file contents
-- @tparam string fmt one of `yaml`, `liwc`, `wordstat`, `lexicoder`,
--   `yoshikoder`, `qdc`, `csv`, `lua`
-- @tparam[opt="codebook"] string name the file name used in messages
-- @treturn Codebook|nil
-- @treturn string `"name:line: problem"` when nil
function M.parse(text, fmt, name)
  if type(text) ~= "string" then
    error(format("bad argument #1 to 'parse' (string expected, got %s)", type(text)), 2)
  end
  local mod = format_module(fmt)
  if not mod then
    local names = {}
    for k in pairs(M.formats) do names[#names + 1] = k end
    sort(names)
    error(format("bad argument #2 to 'parse' (unknown format '%s'; known: %s)",
      tostring(fmt), concat(names, ", ")), 2)
  end
  name = name or "codebook"
  local note, enc
  if fmt == "lua" and sub(text, 1, 1) == "\27" then
    return nil, name .. ":1: binary chunks are refused"
  end
  if LEGACY[fmt] then
    text, note, enc = encoding.to_utf8(text)
  else
    local bom = sub(text, 1, 3) == "\239\187\191"
    if bom then text = sub(text, 4) end
    local ok, bad = utf8.len(text)
    if not ok then
      return nil, format("%s: not valid UTF-8 (first bad byte at offset %d)", name, bad)
    end
    note, enc = bom and "UTF-8 (byte-order mark removed)" or "UTF-8", "UTF-8"
  end
  local draft, err = mod.read(text, name)
  if not draft then return nil, err end
  draft.format = draft.format or fmt
  draft.encoding, draft.encoding_note = draft.encoding or enc, draft.encoding_note or note
  return build(draft, name)
end

--- Load a codebook file; the format comes from the extension unless
-- `opts.format` names it.
-- @tparam string path
-- @tparam[opt] table opts `format`
-- @treturn Codebook|nil
-- @treturn string `"path:line: problem"` when nil
function M.load(path, opts)
  if type(path) ~= "string" then
    error(format("bad argument #1 to 'load' (string expected, got %s)", type(path)), 2)
  end
  local fmt = opts and opts.format
  if not fmt then
    local ext = path:match("%.([%w]+)$")
    fmt = ext and M.extensions[lower(ext)]
    if not fmt then
      return nil, format("%s: unknown codebook format (extension '%s'); give opts.format", path, tostring(ext))
    end
  elseif not M.formats[fmt] then
    error(format("bad argument #2 to 'load' (unknown format '%s')", tostring(fmt)), 2)
  end
  local f, err = io_open(path, "rb")
  if not f then return nil, err end
  local text = f:read("a")
  f:close()
  return M.parse(text, fmt, path)
end

--- Build a codebook from a Lua table written like the native YAML format.
-- Raises on a programming mistake (not a table); bad content is returned
-- as `nil, message`.
-- @tparam table t `{name=, language=, negation=, codes = {...}}` where
--   `codes` is an array of `{name=, ...}` or a map name → code
-- @treturn Codebook|nil
-- @treturn string
-- @usage local cb = thematic.codebook{ name = "x", codes = { { name = "t",
--   codes = { { name = "c", patterns = { "word*" } } } } } }
function M.new(t)
  if type(t) ~= "table" then
    error(format("bad argument #1 to 'new' (table expected, got %s)", type(t)), 2)
  end
  local draft, err = require("thematic.codebook.luatable").draft(t, "codebook table")
  if not draft then return nil, err end
  draft.format = "lua"
  return build(draft, "codebook table")
end

---------------------------------------------------------------------------
-- Methods
---------------------------------------------------------------------------

--- Iterate over every code, depth first (a code before its children).
-- @treturn function iterator giving code, depth
function Codebook:codes()
  local stack = {}
  for i = #self.codes_, 1, -1 do stack[#stack + 1] = self.codes_[i] end
  return function()
    local code = table.remove(stack)
    if not code then return nil end
    for i = #code.children, 1, -1 do stack[#stack + 1] = code.children[i] end
    return code, code.depth
  end
end

--- The top-level codes (themes), in order.
-- @treturn table array of codes
function Codebook:themes()
  local out = {}
  for i, c in ipairs(self.codes_) do out[i] = c end
  return out
end

--- A code by its path ("theme/code/sub"), or nil.
-- @tparam string path
-- @treturn table|nil
function Codebook:find(path)
  return self.by_path[path]
end

--- The codes without children, depth first.
-- @treturn table array
function Codebook:leaves()
  local out = {}
  for code in self:codes() do
    if #code.children == 0 then out[#out + 1] = code end
  end
  return out
end

--- The number of patterns (exclusions not counted).
-- @treturn integer
function Codebook:pattern_count()
  local n = 0
  for code in self:codes() do n = n + #code.patterns end
  return n
end

--- A text's FNV-1a hash (64 bits) as 16 hex digits: the same on every
-- machine, to tell apart what was made from different inputs (it is no
-- defence against someone forging an input).
-- @tparam string text
-- @treturn string
function M.hash(text)
  -- Lua's integers wrap around on overflow, as the hash wants
  local h = 0xcbf29ce484222325
  for i = 1, #text do h = (h ~ byte(text, i)) * 0x100000001b3 end
  return format("%016x", h)
end

--- What tells this codebook's counts from another's, as 16 hex digits: an
-- FNV-1a hash of the language, the negation cues and window, and every code
-- path in order with its patterns, exclusions and `negated_to`. Labels,
-- definitions and valences are left out: they change what a table says,
-- not its numbers, so a fixed label does not set partial counts apart.
-- The same on every machine (`thematic merge` compares it with the
-- codebook it is given).
-- @treturn string
function Codebook:digest()
  local lines = { "language " .. self.language,
                  format("negation %d %s", self.negation.window, concat(self.negation.cues, " ")) }
  for code in self:codes() do
    lines[#lines + 1] = "code " .. code.path .. (code.negated_to and (" -> " .. code.negated_to) or "")
    for _, p in ipairs(code.patterns) do lines[#lines + 1] = "pattern " .. p.text end
    for _, p in ipairs(code.except) do lines[#lines + 1] = "except " .. p.text end
  end
  return M.hash(concat(lines, "\n"))
end

--- Write the codebook in a format.
-- @tparam string|nil path a file to write, or nil to get the text
-- @tparam[opt] string fmt the format (default: from the extension, or `yaml`)
-- @treturn string|true the text when `path` is nil, else true
-- @treturn[2] nil
-- @treturn[2] string the problem
function Codebook:write(path, fmt)
  if path ~= nil and type(path) ~= "string" then
    error(format("bad argument #1 to 'write' (string or nil expected, got %s)", type(path)), 2)
  end
  if not fmt then
    local ext = path and path:match("%.([%w]+)$")
    fmt = ext and M.extensions[lower(ext)] or "yaml"
  end
  local mod = format_module(fmt)
  if not mod then
    error(format("bad argument #2 to 'write' (unknown format '%s')", tostring(fmt)), 2)
  end
  if not mod.write then return nil, format("format '%s' is read-only", fmt) end
  local text, err = mod.write(self)
  if not text then return nil, err end
  if path == nil then return text end
  -- atomically: a temporary file, then a rename; write errors are reported
  return require("thematic.output").write_atomic(path, text, self.source and { self.source })
end

-- A pattern as it matches: each element's kind and value.
local function pattern_signature(p)
  local parts = {}
  for i, e in ipairs(p.elements) do parts[i] = e[1] .. "=" .. tostring(e[2]) end
  return concat(parts, " ")
end

local function signatures(list)
  local out = {}
  for i, p in ipairs(list) do out[i] = pattern_signature(p) end
  sort(out)
  return concat(out, "\n")
end

local KEPT_FIELDS = { "label", "definition", "inclusion", "exclusion", "valence", "negated_to" }

--- What writing the codebook in a format and reading it back would lose
-- or change, worked out by doing it: the dictionary formats (LIWC,
-- WordStat, Lexicoder, CSV) keep codes and patterns but not labels,
-- valence or `negated_to`, and read their words exactly, not as stems.
-- @tparam string fmt a format of `formats`
-- @treturn table array of what changes, e.g. "valence in 35 of 52 codes"
--   (empty: nothing is lost)
-- @treturn[2] nil
-- @treturn[2] string when the codebook cannot be written in that format
function Codebook:losses(fmt)
  local text, err = self:write(nil, fmt)
  if not text then return nil, err end
  local back, perr = M.parse(text, fmt, "(" .. tostring(fmt) .. ")")
  if not back then return nil, perr end
  local changed, order, ncodes = {}, {}, 0
  local function note(what)
    if not changed[what] then order[#order + 1] = what end
    changed[what] = (changed[what] or 0) + 1
  end
  for code in self:codes() do
    ncodes = ncodes + 1
    local other = back:find(code.path)
    if not other then
      note("the code's path")
    else
      for _, f in ipairs(KEPT_FIELDS) do
        if code[f] ~= other[f] then note(f) end
      end
      if signatures(code.patterns) ~= signatures(other.patterns) then
        note("how the patterns match")
      end
      if signatures(code.except) ~= signatures(other.except) then note("the exclusions") end
    end
  end
  local out = {}
  for _, what in ipairs(order) do
    out[#out + 1] = format("%s in %d of %d codes", what, changed[what], ncodes)
  end
  if self.language ~= back.language then
    out[#out + 1] = format("the language (%s becomes %s)", tostring(self.language), tostring(back.language))
  end
  local a, b = self.negation or {}, back.negation or {}
  if a.window ~= b.window or concat(a.cues or {}, " ") ~= concat(b.cues or {}, " ") then
    out[#out + 1] = "the negation settings (window, cues)"
  end
  return out
end

local function copy_elements(elements)
  local out = {}
  for i, e in ipairs(elements) do out[i] = e[2] and { e[1], e[2] } or { e[1] } end
  return out
end

-- The one-token, hyphen-joined form of a phrase of plain words, or nil.
local function hyphenated(elements)
  if #elements < 2 then return nil end
  local kind, parts = "word", {}
  for i, e in ipairs(elements) do
    if e[1] ~= "word" and e[1] ~= "norm" then return nil end
    if e[1] == "norm" then kind = "norm" end
    parts[i] = e[2]
  end
  return { kind, table.concat(parts, "-") }
end

--- Flatten the tree into the spec `thematic.core.matcher` takes.
-- Codes are numbered depth first from 1 (themes too); each pattern gets an
-- id. Sets `self.index` = `{code = {[n] = code}, number = {[path] = n},
-- pattern = {[id] = {text=, code=, except=bool, line=}}}`.
-- @treturn table the spec (see docs/internals.md)
function Codebook:compile()
  local spec = { language = self.language, patterns = {}, negated_to = {}, parents = {} }
  local index = { code = {}, number = {}, pattern = {} }
  local n = 0
  for code in self:codes() do
    n = n + 1
    index.code[n], index.number[code.path] = code, n
  end
  spec.ncodes = n
  local id = 0
  for i = 1, n do
    local code = index.code[i]
    for _, list in ipairs { "patterns", "except" } do
      for _, p in ipairs(code[list]) do
        id = id + 1
        spec.patterns[#spec.patterns + 1] = {
          code = i, id = id, elements = copy_elements(p.elements),
          exclude = list == "except" or nil,
        }
        -- The tokeniser keeps hyphenated compounds whole ("face-to-face"
        -- is one token), so a phrase of plain words also matches its
        -- hyphenated spelling.
        local joined = hyphenated(p.elements)
        if joined then
          spec.patterns[#spec.patterns + 1] = {
            code = i, id = id, elements = { joined }, exclude = list == "except" or nil,
          }
        end
        index.pattern[id] = { text = p.text, code = code, except = list == "except", line = p.line }
      end
    end
    if code.negated_to then spec.negated_to[i] = index.number[code.negated_to] end
    local parent = match(code.path, "^(.*)/[^/]*$")
    if parent then spec.parents[i] = index.number[parent] end
  end
  if self.negation.window > 0 and #self.negation.cues > 0 then
    local cues = {}
    for i, c in ipairs(self.negation.cues) do cues[i] = c end
    spec.negation = { cues = cues, window = self.negation.window }
  end
  self.index = index
  return spec
end

--- The compiled C matcher (built once, then cached).
-- @treturn userdata the `thematic.core` matcher
function Codebook:matcher()
  if not self.matcher_ then
    local c = core()
    if not c or not c.matcher then
      error("thematic.core is not available: run 'make' first", 2)
    end
    self.matcher_ = c.matcher(self:compile())
  end
  return self.matcher_
end

--- Scan a text: the core's result, each hit with `code_path`,
-- `pattern_text` (and `from_path` for a hit moved by `negated_to`), plus
-- `by_path` and `negated_by_path` counts.
-- @tparam string text
-- @tparam[opt] table opts as `m:scan` (from, to, skip, hits)
-- @treturn table
function Codebook:scan(text, opts)
  if type(text) ~= "string" then
    error(format("bad argument #1 to 'scan' (string expected, got %s)", type(text)), 2)
  end
  local m = self:matcher()
  local res = m:scan(text, opts)
  local idx = self.index
  res.by_path, res.negated_by_path = {}, {}
  for k, v in pairs(res.counts or {}) do res.by_path[idx.code[k].path] = v end
  for k, v in pairs(res.negated or {}) do res.negated_by_path[idx.code[k].path] = v end
  for _, h in ipairs(res.hits or {}) do
    h.code_path = idx.code[h.code].path
    local p = idx.pattern[h.pattern]
    h.pattern_text = p and p.text
    if h.from then h.from_path = idx.code[h.from].path end
  end
  return res
end

--- Explain, for teaching, how the codebook reads a text: each hit with the
-- pattern that matched, negation cues, exclusions, and near misses.
-- @tparam string text
-- @treturn table array of lines
function Codebook:explain(text)
  if type(text) ~= "string" then
    error(format("bad argument #1 to 'explain' (string expected, got %s)", type(text)), 2)
  end
  return require("thematic.codebook.explain").explain(self, text)
end

--- The codebook as the plain nested tables of the dictionary conformance
-- files (EXPECTED.json style): a leaf → array of pattern texts; a code with
-- children → map name → subtree, its own patterns under `__values__`.
-- @treturn table
function Codebook:to_plain()
  local function node(code)
    local vals = {}
    for i, p in ipairs(code.patterns) do vals[i] = p.text end
    if #code.children == 0 then return vals end
    local t = {}
    for _, c in ipairs(code.children) do t[c.name] = node(c) end
    if #vals > 0 then t.__values__ = vals end
    return t
  end
  local out = {}
  for _, c in ipairs(self.codes_) do out[c.name] = node(c) end
  return out
end

return setmetatable(M, {
  __call = function(_, t) return M.new(t) end,
})
