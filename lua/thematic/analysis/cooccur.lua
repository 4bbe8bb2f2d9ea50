--- Code co-occurrence over segments (turns, paragraphs, sentences or word
-- windows): counts, Jaccard, PMI and normalised PMI for every pair of codes.
--
-- Logarithms are base 2. With n segments, n_a segments holding code a, n_b
-- holding b and n_ab holding both: p_x = n_x / n,
-- pmi = log2(p_ab / (p_a p_b)), npmi = pmi / -log2(p_ab) (Bouma 2009),
-- jaccard = n_ab / (n_a + n_b - n_ab). Conventions for the limits:
-- n_ab = 0 gives pmi = nil (minus infinity has no JSON form) and npmi = -1;
-- p_ab = 1 (both codes in every segment) gives npmi = 1 (pmi is 0 there).
--
-- @module thematic.analysis.cooccur
-- @usage
-- local cooccur = require "thematic.analysis.cooccur"
-- local r = cooccur.compute({ {"cost", "access"}, {"cost"}, {"access", "trust"} })
-- for _, p in ipairs(r.pairs) do print(p.a, p.b, p.n_ab, p.npmi) end

local type, pairs, ipairs, tostring = type, pairs, ipairs, tostring
local log = math.log
local mtype = math.type
local sort = table.sort

local M = {}

local LN2 = log(2)

local function to_set(seg, i, fname)
  if type(seg) ~= "table" then
    error("bad argument #1 to '" .. fname .. "' (segment " .. i .. " is not a table)", 4)
  end
  local set = {}
  for k, v in pairs(seg) do
    if type(k) == "number" and mtype(k) == "integer" then set[v] = true
    elseif v then set[k] = true end
  end
  return set
end

local function lt(a, b)
  if type(a) == type(b) and (type(a) == "string" or type(a) == "number") then return a < b end
  return tostring(a) < tostring(b)
end

--- The statistics of one pair from its counts.
-- @param a first code
-- @param b second code
-- @tparam integer n_ab units holding both
-- @tparam integer n_a units holding a
-- @tparam integer n_b units holding b
-- @tparam integer n units
-- @treturn table `{a=, b=, n_ab=, n_a=, n_b=, n=, jaccard=, pmi=, npmi=}`
local function pair_stats(a, b, n_ab, n_a, n_b, n)
  local jaccard = (n_a + n_b - n_ab) > 0 and n_ab / (n_a + n_b - n_ab) or 0
  local pmi, npmi
  if n_ab == 0 then
    npmi = -1
  elseif n_ab == n then
    pmi, npmi = 0.0, 1
  else
    local p_ab = n_ab / n
    pmi = log(n_ab * n / (n_a * n_b)) / LN2
    npmi = pmi / (-log(p_ab) / LN2)
  end
  return { a = a, b = b, n_ab = n_ab, n_a = n_a, n_b = n_b, n = n,
           jaccard = jaccard, pmi = pmi, npmi = npmi }
end

M.pair_stats = pair_stats

local function compute_sets(sets, min_pair)
  local n = #sets
  local counts, both = {}, {}
  for _, set in ipairs(sets) do
    local list = {}
    for code in pairs(set) do
      counts[code] = (counts[code] or 0) + 1
      list[#list + 1] = code
    end
    sort(list, lt)
    for i = 1, #list do
      local row = both[list[i]] or {}
      both[list[i]] = row
      for j = i + 1, #list do row[list[j]] = (row[list[j]] or 0) + 1 end
    end
  end
  local codes = {}
  for code in pairs(counts) do codes[#codes + 1] = code end
  sort(codes, lt)
  local out = {}
  for i = 1, #codes do
    local a = codes[i]
    for j = i + 1, #codes do
      local b = codes[j]
      local n_ab = (both[a] and both[a][b]) or 0
      if n_ab >= min_pair then
        out[#out + 1] = pair_stats(a, b, n_ab, counts[a], counts[b], n)
      end
    end
  end
  return { n = n, codes = codes, code_counts = counts, pairs = out }
end

--- Co-occurrence of every pair of codes.
-- @tparam table segments array; each element is an array of code names or a
--   set `{code=true}` (the codes present in that segment)
-- @tparam[opt] table opts `groups` = array parallel to `segments` giving a
--   group label per segment (adds `by_group`); `min_pair` (default 0) = keep
--   only pairs with n_ab at least this
-- @treturn table `{n=, codes={...}, code_counts={code=n}, pairs={{a=, b=,
--   n_ab=, n_a=, n_b=, n=, jaccard=, pmi=, npmi=}, ...}, by_group={[label]=
--   same shape}}`; pairs are ordered by a, then b, with a < b
function M.compute(segments, opts)
  if type(segments) ~= "table" then
    error("bad argument #1 to 'compute' (table expected, got " .. type(segments) .. ")", 2)
  end
  opts = opts or {}
  local min_pair = opts.min_pair or 0
  local sets = {}
  for i, seg in ipairs(segments) do sets[i] = to_set(seg, i, "compute") end
  local result = compute_sets(sets, min_pair)
  local groups = opts.groups
  if groups ~= nil then
    if type(groups) ~= "table" or #groups ~= #segments then
      error("bad argument #2 to 'compute' (groups must be an array with one label per segment)", 2)
    end
    local by = {}
    for i, set in ipairs(sets) do
      local g = groups[i]
      if g == nil then
        error("bad argument #2 to 'compute' (groups[" .. i .. "] is nil)", 2)
      end
      local list = by[g] or {}
      by[g] = list
      list[#list + 1] = set
    end
    result.by_group = {}
    for g, list in pairs(by) do result.by_group[g] = compute_sets(list, min_pair) end
  end
  return result
end

--- Turn token-position hits into "within N words" co-occurrence units.
-- Each distinct hit position p anchors one unit: the set of codes with a
-- hit at a position in [p, p + n_words]. Two codes therefore share a unit
-- exactly when some hit of one is at most `n_words` tokens after a hit of the
-- other. Feed the result to @{compute}.
-- @tparam table hits array of `{code=, pos=}` (`pos` = token index)
-- @tparam integer n_words window size in words (>= 0)
-- @treturn table array of code sets, in order of anchor position
function M.window(hits, n_words)
  if type(hits) ~= "table" then
    error("bad argument #1 to 'window' (table expected, got " .. type(hits) .. ")", 2)
  end
  if mtype(n_words) ~= "integer" or n_words < 0 then
    error("bad argument #2 to 'window' (non-negative integer expected, got " .. tostring(n_words) .. ")", 2)
  end
  local sorted = {}
  for i, h in ipairs(hits) do
    if type(h) ~= "table" or h.code == nil or mtype(h.pos) ~= "integer" then
      error("bad argument #1 to 'window' (hit " .. i .. " needs code and an integer pos)", 2)
    end
    sorted[#sorted + 1] = h
  end
  sort(sorted, function(x, y)
    if x.pos ~= y.pos then return x.pos < y.pos end
    return lt(x.code, y.code)
  end)
  local units, last_anchor = {}, nil
  for i, h in ipairs(sorted) do
    if h.pos ~= last_anchor then
      last_anchor = h.pos
      local set = {}
      for j = i, #sorted do
        if sorted[j].pos > h.pos + n_words then break end
        set[sorted[j].code] = true
      end
      units[#units + 1] = set
    end
  end
  return units
end

--- Matrix form of a @{compute} result for reports.
-- @tparam table result from @{compute} (or one of its `by_group` entries)
-- @tparam[opt] string stat `"n_ab"` (default), `"jaccard"`, `"pmi"` or `"npmi"`
-- @treturn table `{codes={...}, stat=, rows={{...}, ...}}` where
--   `rows[i][j]` is the statistic for codes[i] and codes[j]; the diagonal
--   holds n_a for `n_ab`, 1 for `jaccard` and `npmi`, and nil for `pmi`
function M.matrix(result, stat)
  stat = stat or "n_ab"
  if stat ~= "n_ab" and stat ~= "jaccard" and stat ~= "pmi" and stat ~= "npmi" then
    error("bad argument #2 to 'matrix' (unknown statistic '" .. tostring(stat)
      .. "'; expected n_ab, jaccard, pmi or npmi)", 2)
  end
  local codes = result.codes
  local index = {}
  for i, c in ipairs(codes) do index[c] = i end
  local rows = {}
  for i, c in ipairs(codes) do
    local row = {}
    if stat == "n_ab" then row[i] = result.code_counts[c]
    elseif stat ~= "pmi" then row[i] = 1 end
    rows[i] = row
  end
  for _, p in ipairs(result.pairs) do
    local i, j = index[p.a], index[p.b]
    rows[i][j] = p[stat]
    rows[j][i] = p[stat]
  end
  return { codes = codes, stat = stat, rows = rows }
end

return M
