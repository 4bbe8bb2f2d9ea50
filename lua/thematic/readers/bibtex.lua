--- BibTeX entries with abstracts.
--
-- `@type{key, field = {value} | "value" | number | macro, …}`, values
-- joined with `#`, nested braces, `@string` macros, `@comment` and
-- `@preamble` skipped. Fields used: `abstract`, `title`, `author` (split
-- on ` and `), `year`, `journal` (or `journaltitle`/`booktitle`), `doi`.
-- Braces are removed from values, common escapes (`\&`, `\%`, `\_`) and
-- simple accent commands (`{\"o}`, `\'e`) decoded, white space collapsed.
--
-- @module thematic.readers.bibtex
-- @usage
-- local recs = assert(require("thematic.readers.bibtex").read("refs.bib"))

local byte, find, format, gsub, lower, match, sub =
  string.byte, string.find, string.format, string.gsub, string.lower, string.match, string.sub

local encoding = require "thematic.readers.encoding"

local M = {}

local ACCENTS = {
  ['"'] = { a = "ä", o = "ö", u = "ü", e = "ë", i = "ï", A = "Ä", O = "Ö", U = "Ü" },
  ["'"] = { a = "á", e = "é", i = "í", o = "ó", u = "ú", E = "É", A = "Á" },
  ["`"] = { a = "à", e = "è", i = "ì", o = "ò", u = "ù" },
  ["^"] = { a = "â", e = "ê", i = "î", o = "ô", u = "û" },
  ["~"] = { n = "ñ", a = "ã", o = "õ", N = "Ñ" },
  ["c"] = { c = "ç", C = "Ç" },
}

--- Clean a BibTeX value: accents, escapes, braces, white space.
-- @tparam string v
-- @treturn string
function M.clean(v)
  v = gsub(v, "{?\\([\"'`^~c])%s*{?(%a)}?}?", function(acc, ch)
    local t = ACCENTS[acc]
    return t and t[ch] or ch
  end)
  v = gsub(v, "\\([&%%_$#{}])", "%1\0")  -- keep escaped braces past brace removal
  v = gsub(v, "\\%a+%s*", "")
  v = gsub(v, "([{}])%z", "\1%1")
  v = gsub(v, "%z", "")
  v = gsub(v, "[{}]", "")
  v = gsub(v, "\1(.)", "%1")
  v = gsub(v, "%-%-%-", "—")
  v = gsub(v, "%-%-", "–")
  v = gsub(v, "%s+", " ")
  return match(v, "^%s*(.-)%s*$")
end

local function line_of(text, pos)
  return encoding.line_at(text, pos)
end

--- Parse BibTeX text.
-- @tparam string text
-- @tparam[opt="input"] string label
-- @treturn table|nil records `{key=, type=, title=, authors=, year=, journal=, doi=, abstract=, line=}`
-- @treturn string|nil `"label:line: what is wrong"`
function M.parse(text, label)
  label = label or "input"
  local recs, macros = {}, {}
  local pos, n = 1, #text
  local function err(at, what) return nil, format("%s:%d: %s", label, line_of(text, at), what) end
  local function ws() pos = find(text, "[^%s]", pos) or n + 1 end
  -- a braced value starting at pos ({ … }), returns inner text
  local function braced(open, close)
    local depth, i, start = 0, pos, pos
    while i <= n do
      local c = byte(text, i)
      if c == 92 then i = i + 1                       -- backslash escapes next
      elseif c == open then depth = depth + 1
      elseif c == close then
        depth = depth - 1
        if depth == 0 then pos = i + 1; return sub(text, start + 1, i - 1) end
      end
      i = i + 1
    end
    return nil
  end
  local function quoted()
    local depth, i, start = 0, pos + 1, pos
    while i <= n do
      local c = byte(text, i)
      if c == 92 then i = i + 1
      elseif c == 123 then depth = depth + 1
      elseif c == 125 then depth = depth - 1
      elseif c == 34 and depth == 0 then pos = i + 1; return sub(text, start + 1, i - 1) end
      i = i + 1
    end
    return nil
  end
  local function value()
    local parts = {}
    while true do
      ws()
      local c = byte(text, pos)
      local at = pos
      local v
      if c == 123 then v = braced(123, 125)
        if not v then return err(at, "unbalanced braces in a value of the entry starting here") end
      elseif c == 34 then v = quoted()
        if not v then return err(at, "unterminated quoted value") end
      else
        local word = match(text, "^[%w_%-%.:/]+", pos)
        if not word then return err(at, "expected a value") end
        pos = pos + #word
        v = tonumber(word) and word or (macros[lower(word)] or word)
      end
      parts[#parts + 1] = v
      ws()
      if byte(text, pos) == 35 then pos = pos + 1 else break end -- '#'
    end
    return table.concat(parts)
  end
  while true do
    local at = find(text, "@", pos, true)
    if not at then break end
    pos = at + 1
    local typ = match(text, "^%a+", pos)
    if not typ then goto continue end
    pos = pos + #typ
    ws()
    do
      local ltyp = lower(typ)
      local open = byte(text, pos)
      if open ~= 123 and open ~= 40 then return err(at, "expected '{' after @" .. typ) end
      local close = open == 123 and 125 or 41
      if ltyp == "comment" or ltyp == "preamble" then
        if not braced(open, close) then return err(at, "unterminated @" .. typ) end
        goto continue
      end
      pos = pos + 1
      local fields, key = {}, nil
      if ltyp ~= "string" then
        ws()
        key = match(text, "^[^,%s}%)]+", pos)
        if not key then return err(at, "entry has no key") end
        pos = pos + #key
        ws()
        if byte(text, pos) == 44 then pos = pos + 1 end
      end
      while true do
        ws()
        local c = byte(text, pos)
        if c == close then pos = pos + 1; break end
        if not c then return err(at, "unterminated entry @" .. typ .. (key and ("{" .. key) or "")) end
        local name = match(text, "^[%w_%-:%.]+", pos)
        if not name then return err(pos, "expected a field name") end
        pos = pos + #name
        ws()
        if byte(text, pos) ~= 61 then return err(pos, "expected '=' after field " .. name) end
        pos = pos + 1
        local v, e = value()
        if not v then return nil, e end
        fields[lower(name)] = v
        ws()
        if byte(text, pos) == 44 then pos = pos + 1 end
      end
      if ltyp == "string" then
        for k, v in pairs(fields) do macros[k] = v end
      else
        local rec = { key = key, type = ltyp, line = line_of(text, at), authors = {} }
        rec.title = fields.title and M.clean(fields.title)
        rec.abstract = fields.abstract and M.clean(fields.abstract)
        local j = fields.journal or fields.journaltitle or fields.booktitle
        rec.journal = j and M.clean(j)
        rec.doi = fields.doi and M.clean(fields.doi)
        local y = fields.year or fields.date
        rec.year = y and tonumber(match(y, "(%d%d%d%d)")) or nil
        if fields.author then
          local a = gsub(fields.author, "%s+", " ")
          local depth, s, i = 0, 1, 1
          while i <= #a do
            local c = byte(a, i)
            if c == 123 then depth = depth + 1 elseif c == 125 then depth = depth - 1 end
            if depth == 0 and lower(sub(a, i, i + 4)) == " and " then
              rec.authors[#rec.authors + 1] = M.clean(sub(a, s, i - 1))
              s = i + 5; i = i + 4
            end
            i = i + 1
          end
          rec.authors[#rec.authors + 1] = M.clean(sub(a, s))
        end
        recs[#recs + 1] = rec
      end
    end
    ::continue::
  end
  if #recs == 0 then return nil, format("%s:1: no BibTeX entries found", label) end
  return recs
end

--- Read a BibTeX file.
-- @tparam string path
-- @treturn table|nil records
-- @treturn string|nil message
-- @function read
M.read = encoding.reader(M.parse)

return M
