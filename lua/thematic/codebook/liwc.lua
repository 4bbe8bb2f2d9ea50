--- LIWC dictionaries (`.dic`, LIWC 2007, 2015 and 22 styles): read and write.
--
--    %
--    1	barriers
--    	11	access          ← a leading tab: 11 is a child of 1 (LIWC 2015/22)
--    %
--    password*	11
--    hope*	1 10            ← several ids
--
-- Read: ids may be zero-padded (`03` = `3`) and separated from the name by
-- a tab or spaces; a word line may use spaces instead of a tab; line ends
-- may be LF, CRLF or CR. A LIWC2007 conditional `(02 134)126/125` keeps its
-- default id (after `/`) and ignores the condition; a conditional without
-- a default is dropped. A line with a `<of>` rule is dropped. An id that the
-- legend does not define, and a category left without values, are dropped
-- with a warning. Values follow the dictionary rules (see
-- docs/codebook.md): `*` is a glob, any other word is matched exactly
-- (normalised, not stemmed).
--
-- @module thematic.codebook.liwc

local encoding = require "thematic.codebook.encoding"
local pattern = require "thematic.codebook.pattern"

local ipairs, tonumber, format = ipairs, tonumber, string.format
local find, match, gsub, rep = string.find, string.match, string.gsub, string.rep
local concat = table.concat

local M = {}

local function warn(d, line, text) d.warnings[#d.warnings + 1] = { line = line, text = text } end

--- Read a LIWC dictionary into a draft.
-- @tparam string text UTF-8
-- @tparam string name file name for messages
-- @treturn table|nil draft
-- @treturn string error
function M.read(text, name)
  local lines, ends = encoding.lines(text)
  local d = { codes = {}, warnings = {}, format = "liwc" }
  if ends == "CR" then warn(d, nil, "CR-only (old Mac) line ends") end
  local i, n = 1, #lines
  while i <= n and match(lines[i], "^%s*$") do i = i + 1 end
  if i > n or not match(lines[i], "^%s*%%%s*$") then
    return nil, format("%s:%d: a LIWC dictionary starts with a '%%' line", name, i > n and 1 or i)
  end
  i = i + 1
  -- the category legend
  local by_id, chain = {}, {}
  while true do
    if i > n then return nil, format("%s:%d: the category legend has no closing '%%' line", name, n) end
    local line = lines[i]
    if match(line, "^%s*%%%s*$") then i = i + 1; break end
    if not match(line, "^%s*$") then
      local tabs = match(line, "^(\t*)")
      local id, cname = match(line, "^%s*(%d+)[ \t]+(.-)%s*$")
      if not id then
        return nil, format("%s:%d: expected 'id<TAB>name' in the category legend", name, i)
      end
      cname = match(cname, "^([^\t]*)")
      cname = encoding.trim(cname)
      local num = tonumber(id)
      if by_id[num] then
        return nil, format("%s:%d: category id %s defined twice", name, i, id)
      end
      if not find(line, "\t", #tabs + 1, true) then
        warn(d, i, format("legend line '%s' uses spaces, not a tab", encoding.trim(line)))
      end
      local depth = #tabs + 1
      if depth > #chain + 1 then
        return nil, format("%s:%d: category '%s' is indented deeper than its parent allows", name, i, cname)
      end
      local code = { name = cname, line = i, patterns = {}, codes = {}, id = num }
      local parent = chain[depth - 1]
      local list = parent and parent.codes or d.codes
      list[#list + 1] = code
      for k = #chain, depth, -1 do chain[k] = nil end
      chain[depth] = code
      by_id[num] = code
    end
    i = i + 1
  end
  -- the words
  for ln = i, n do
    local line = lines[ln]
    if not match(line, "^%s*$") then
      if find(line, "<", 1, true) and match(line, "<[^>]*>") then
        warn(d, ln, format("'%s' dropped: line has a %s rule", encoding.trim((match(line, "^([^\t<]*)"))),
          match(line, "<[^>]*>")))
        goto continue
      end
      local word, rest
      local tab = find(line, "\t", 1, true)
      local trimmed = encoding.trim(line)
      if tab and not match(line, "^%s*\t") then
        word, rest = encoding.trim(line:sub(1, tab - 1)), line:sub(tab + 1)
      else
        -- spaces only: the ids are the trailing items that are numbers or
        -- conditionals
        local items = {}
        for item in gsub(trimmed, "%b()", function(c) return gsub(c, "%s+", "\0") end):gmatch("%S+") do
          items[#items + 1] = gsub(item, "%z", " ")
        end
        local k = #items
        while k > 1 and (match(items[k], "^/?%d+$") or find(items[k], "^%(")) do k = k - 1 end
        word, rest = concat(items, " ", 1, k), concat(items, " ", k + 1)
      end
      if word == "" then
        return nil, format("%s:%d: a word line without a word", name, ln)
      end
      if find(rest, "(", 1, true) then
        warn(d, ln, format("'%s': LIWC2007 condition%s ignored", word,
          concat({ rest:match("(%b())") }, "")))
        rest = gsub(rest, "%b()%s*(%d+)/(%d+)", "%2")   -- (cond)a/b → b
        rest = gsub(rest, "%b()/(%d+)", "%1")           -- (cond)/b → b
        rest = gsub(rest, "%b()%s*%d+", "")             -- (cond)a → dropped
        rest = gsub(rest, "%b()", "")
      end
      local any = false
      for item in rest:gmatch("%S+") do
        local num = tonumber(match(item, "^/?(%d+)$"))
        if not num then
          return nil, format("%s:%d: category id '%s' is not a number", name, ln, item)
        end
        local code = by_id[num]
        if not code then
          warn(d, ln, format("'%s' dropped from category %s: not in the legend", word, item))
        else
          code.patterns[#code.patterns + 1] = { src = word, line = ln, dialect = "dictionary" }
          any = true
        end
      end
      if not any then warn(d, ln, format("'%s' dropped: no defined category", word)) end
    end
    ::continue::
  end
  -- categories left without values (and without sub-categories) go
  local function prune(list)
    local out = {}
    for _, c in ipairs(list) do
      c.codes = prune(c.codes)
      if #c.patterns == 0 and #c.codes == 0 then
        warn(d, c.line, format("category '%s' removed: no values", c.name))
      else
        out[#out + 1] = c
      end
    end
    return out
  end
  d.codes = prune(d.codes)
  return d
end

--- Write a LIWC 2015-style dictionary (hierarchy by leading tabs in the
-- legend; ids numbered depth first). Patterns are written in their
-- dictionary form: stemmed `word` and case-sensitive `exact` patterns
-- become exact words (see docs/codebook.md); `except`, `negated_to` and
-- notes are not kept.
-- @tparam Codebook cb
-- @treturn string
function M.write(cb)
  local out = { "%" }
  local order, ids_of = {}, {}
  local id = 0
  for code, depth in cb:codes() do
    id = id + 1
    out[#out + 1] = rep("\t", depth - 1) .. id .. "\t" .. code.name
    for _, p in ipairs(code.patterns) do
      local text = pattern.dictionary(p)
      if not ids_of[text] then ids_of[text] = {}; order[#order + 1] = text end
      local ids = ids_of[text]
      if ids[#ids] ~= id then ids[#ids + 1] = id end
    end
  end
  out[#out + 1] = "%"
  for _, text in ipairs(order) do
    out[#out + 1] = text .. "\t" .. concat(ids_of[text], "\t")
  end
  return concat(out, "\n") .. "\n"
end

return M
