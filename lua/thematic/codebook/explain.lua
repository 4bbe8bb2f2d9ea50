--- `cb:explain(text)`: how a codebook reads a text, in plain lines, for
-- teaching and for debugging a codebook.
--
-- The hits come from the C matcher (the real counts); the explanations
-- around them (which cue negated a hit, which exclusion covers a span,
-- near misses) are worked out here from the core's tokens, normal forms
-- and stems, element by element, following docs/codebook.md.
--
-- @module thematic.codebook.explain

local core = require "thematic.core"

local ipairs, format, sort = ipairs, string.format, table.sort
local find, sub, gsub = string.find, string.sub, string.gsub
local min = math.min

local M = {}

local MAX_NEAR = 40

local function codepoints(s)
  local out = {}
  for _, c in utf8.codes(s) do out[#out + 1] = c end
  return out
end

--- Levenshtein distance between two UTF-8 strings (code points), stopping
-- early above `limit`.
-- @tparam string a
-- @tparam string b
-- @tparam[opt=1] integer limit
-- @treturn integer distance, or limit + 1
function M.distance(a, b, limit)
  limit = limit or 1
  local x, y = codepoints(a), codepoints(b)
  if math.abs(#x - #y) > limit then return limit + 1 end
  local prev = {}
  for j = 0, #y do prev[j] = j end
  for i = 1, #x do
    local cur, best = { [0] = i }, i
    for j = 1, #y do
      local cost = x[i] == y[j] and 0 or 1
      cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
      if cur[j] < best then best = cur[j] end
    end
    if best > limit then return limit + 1 end
    prev = cur
  end
  return prev[#y]
end

-- A glob ('*' any run, '?' one code point) as an anchored Lua pattern.
local function glob_pattern(g)
  local p = gsub(g, "[%^%$%(%)%%%.%[%]%+%-]", "%%%0")
  p = gsub(p, "%*", ".-")
  p = gsub(p, "%?", "[\1-\127\194-\244][\128-\191]*")
  return "^" .. p .. "$"
end


--- The explanation lines.
-- @tparam Codebook cb
-- @tparam string text
-- @treturn table array of strings
function M.explain(cb, text)
  local lang = cb.language
  local res = cb:scan(text)
  local lines = {}
  local function add(s) lines[#lines + 1] = s end

  local toks = {}
  for _, t in ipairs(core.tokens(text)) do
    if t.kind == "word" or t.kind == "number" then toks[#toks + 1] = t end
  end
  local norm_cache, stem_cache = {}, {}
  local function norm(s)
    local v = norm_cache[s]
    if not v then v = core.normalize(s); norm_cache[s] = v end
    return v
  end
  local function stem(s)
    local v = stem_cache[s]
    if not v then v = core.stem(s, lang); stem_cache[s] = v end
    return v
  end
  local function matches(e, tok)
    local kind, v = e[1], e[2]
    if kind == "any" then return true end
    if kind == "exact" then return tok.text == v end
    if kind == "norm" then return norm(tok.text) == norm(v) end
    if kind == "glob" then return find(norm(tok.text), glob_pattern(norm(v))) ~= nil end
    return stem(tok.text) == stem(v)
  end
  local function sentence_break(a, b)
    local between = sub(text, toks[a].stop + 1, toks[b].start - 1)
    -- the sentence ends of the C matcher (sentence_end_between)
    return find(between, "[.!?;]") or find(between, "\226\128\166", 1, true)
  end
  local function token_at(byte)
    for i, t in ipairs(toks) do if t.start == byte then return i end end
  end
  local cues = {}
  for _, c in ipairs(cb.negation.cues) do cues[norm(c)] = true end
  local function is_cue(tok)
    local n = norm(tok.text)
    return cues[n] or (cues["*n't"] and sub(n, -3) == "n't")
  end

  -- 1. hits
  local hits = res.hits or {}
  sort(hits, function(a, b) return a.start < b.start or (a.start == b.start and a.code < b.code) end)
  add(format("%d word(s); %d hit(s)", res.words or #toks, #hits))
  local covered = {}
  for _, h in ipairs(hits) do
    local s = format("'%s' (bytes %d-%d) → %s, pattern '%s'", sub(text, h.start, h.stop), h.start, h.stop,
      h.code_path, tostring(h.pattern_text))
    if h.negated then
      local i = token_at(h.start)
      local cue
      if i then
        for k = i - 1, math.max(1, i - cb.negation.window), -1 do
          if sentence_break(k, k + 1) then break end
          if is_cue(toks[k]) then cue = toks[k].text; break end
        end
      end
      s = s .. format("; negated%s", cue and format(" by '%s'", cue) or "")
      if h.from_path then s = s .. format(", counted for %s (negated_to of %s)", h.code_path, h.from_path)
      else s = s .. ", counted apart as negated" end
    end
    add(s)
    for i, t in ipairs(toks) do
      if t.start >= h.start and t.stop <= h.stop then covered[i] = true end
    end
  end

  -- 2. exclusions and partial phrases, element by element
  local near = 0
  local seen = {}
  local function note(key, s)
    if seen[key] or near >= MAX_NEAR then return end
    seen[key] = true
    near = near + 1
    add(s)
  end
  for code in cb:codes() do
    for _, list in ipairs { "except", "patterns" } do
      for _, p in ipairs(code[list]) do
        local els = p.elements
        for i = 1, #toks do
          if matches(els[1], toks[i]) then
            local ok, k = true, 1
            while k < #els do
              local j = i + k
              if j > #toks or not matches(els[k + 1], toks[j]) then ok = false; break end
              k = k + 1
            end
            local last = toks[min(i + #els - 1, #toks)]
            if list == "except" and ok then
              note("x" .. i .. code.path .. "\0" .. p.text,
                format("exclusion '%s' of %s covers '%s' (bytes %d-%d): hits of %s inside it are dropped",
                  p.text, code.path, sub(text, toks[i].start, last.stop), toks[i].start, last.stop, code.path))
            elseif list == "patterns" and not ok and #els > 1 and i + k <= #toks
                   and not sentence_break(i + k - 1, i + k) then
              local j = i + k
              local got = format("'%s'", toks[j].text)
              note("p" .. i .. code.path .. "\0" .. p.text,
                format("near miss: phrase '%s' of %s starts at '%s' (byte %d) but %s does not match element %d ('%s')",
                  p.text, code.path, toks[i].text, toks[i].start, got, k + 1, els[k + 1][2] or "*"))
            end
          end
        end
      end
    end
  end

  -- 3. near misses of single words: one edit away, a shared prefix, case
  for i, t in ipairs(toks) do
    if not covered[i] then
      local n = norm(t.text)
      for code in cb:codes() do
        for _, p in ipairs(code.patterns) do
          local e = p.elements[1]
          if #p.elements == 1 and not matches(e, t) then
            local kind, v = e[1], e[2]
            local key = i .. "\0" .. p.text
            if kind == "word" then
              local ts, ps = stem(t.text), stem(v)
              if M.distance(ts, ps) <= 1 then
                note(key, format("near miss: '%s' (stem '%s') is one edit from word pattern '%s' (stem '%s') of %s; "
                  .. "a word pattern needs the same stem", t.text, ts, p.text, ps, code.path))
              elseif #ps >= 4 and (sub(ts, 1, #ps) == ps) then
                note(key, format("near miss: '%s' (stem '%s') begins with the stem of word pattern '%s' of %s "
                  .. "but is another word; the glob '%s*' would match it", t.text, ts, p.text, code.path, ps))
              end
            elseif kind == "norm" then
              local pv = norm(v)
              if M.distance(n, pv) <= 1 then
                note(key, format("near miss: '%s' is one edit from exact word '%s' of %s (not stemmed)",
                  t.text, p.text, code.path))
              elseif #pv >= 4 and sub(n, 1, #pv) == pv then
                note(key, format("near miss: '%s' begins with exact word '%s' of %s, which matches the whole word only",
                  t.text, p.text, code.path))
              end
            elseif kind == "exact" then
              if n == norm(v) then
                note(key, format("near miss: '%s' differs from exact pattern '%s' of %s in case or form; "
                  .. "exact patterns are case-sensitive", t.text, p.text, code.path))
              end
            elseif kind == "glob" then
              local prefix = norm(v):match("^([^*?]+)")
              if prefix and #prefix >= 4 and (M.distance(sub(n, 1, #prefix), prefix) <= 1) then
                note(key, format("near miss: '%s' is one edit from the fixed part '%s' of glob '%s' of %s",
                  t.text, prefix, p.text, code.path))
              end
            end
          end
        end
      end
    end
  end
  if near >= MAX_NEAR then add(format("(stopped after %d notes)", MAX_NEAR)) end
  return lines
end

return M
