--- Keyness: which terms are over- or under-used in a target corpus compared
-- with a reference corpus.
--
-- For each term: signed log-likelihood G2 (as the UCREL log-likelihood
-- calculator computes it, Rayson & Garside 2000), Pearson's chi-square on the
-- 2x2 table WITHOUT Yates' correction, %DIFF (Gabrielatos & Marchi 2012),
-- Log Ratio (Hardie 2014) and the p value of G2 under chi-square with one
-- degree of freedom. Formulas and edge cases: `docs/methods.md`.
--
-- @module thematic.analysis.keyness
-- @usage
-- local keyness = require "thematic.analysis.keyness"
-- local rows = keyness.compare({ insulin = 52, app = 3 }, { insulin = 57, app = 40 },
--   { target_total = 50000, reference_total = 75000 })
-- print(rows[1].term, rows[1].g2, rows[1].p)

local type, pairs, tostring = type, pairs, tostring
local log, exp, sqrt, abs = math.log, math.exp, math.sqrt, math.abs
local sort = table.sort

local M = {}

--- Value substituted for a zero normalised reference frequency in %DIFF,
-- as Gabrielatos & Marchi suggest (a very small number instead of 0).
M.PERCENT_DIFF_ZERO = 1e-18

--- Value substituted for a zero count in Log Ratio.
M.LOG_RATIO_ZERO = 0.5

local LN2 = log(2)

--- Complementary error function, erfc(x).
-- Chebyshev fit from Numerical Recipes (erfcc), relative error below
-- 1.2e-7 everywhere, so p values stay accurate in relative terms even when
-- they are tiny.
-- @tparam number x
-- @treturn number
function M.erfc(x)
  local z = abs(x)
  local t = 1 / (1 + 0.5 * z)
  local r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
    + t * (-0.82215223 + t * 0.17087277)))))))))
  if x >= 0 then return r end
  return 2 - r
end

--- Upper tail of the chi-square distribution with one degree of freedom:
-- P(X >= x) = erfc(sqrt(x / 2)).
-- @tparam number x statistic (negative values are taken as their absolute value)
-- @treturn number p value in [0, 1]
function M.chi2_sf1(x)
  x = abs(x)
  return M.erfc(sqrt(x / 2))
end

local function xlnx_over(o, e)
  if o == 0 then return 0 end
  return o * log(o / e)
end

--- Statistics for one term.
-- @tparam number a count in the target
-- @tparam number b count in the reference
-- @tparam number c target size (tokens)
-- @tparam number d reference size (tokens)
-- @treturn table `{g2=, chi2=, percent_diff=, log_ratio=, p=}`
function M.stats(a, b, c, d)
  -- floats: products of corpus sizes overflow 64-bit integers
  a, b, c, d = a + 0.0, b + 0.0, c + 0.0, d + 0.0
  local n = c + d
  local e1 = c * (a + b) / n
  local e2 = d * (a + b) / n
  local g2 = 2 * (xlnx_over(a, e1) + xlnx_over(b, e2))
  if g2 < 0 then g2 = 0 end -- rounding when a/c == b/d
  local rel_t, rel_r = a / c, b / d
  if rel_t < rel_r then g2 = -g2 end
  -- Pearson chi-square on [[a, b], [c - a, d - b]], no continuity correction
  local chi2
  local row1, row2 = a + b, n - a - b
  if row1 > 0 and row2 > 0 then
    local diff = a * (d - b) - b * (c - a)
    chi2 = n * diff * diff / (c * d * row1 * row2)
  end
  local nf_r = rel_r
  if nf_r == 0 then nf_r = M.PERCENT_DIFF_ZERO end
  local percent_diff = (rel_t - rel_r) * 100 / nf_r
  local aa = a == 0 and M.LOG_RATIO_ZERO or a
  local bb = b == 0 and M.LOG_RATIO_ZERO or b
  local log_ratio = log((aa / c) / (bb / d)) / LN2
  return { g2 = g2, chi2 = chi2, percent_diff = percent_diff, log_ratio = log_ratio,
           p = M.chi2_sf1(g2) }
end

local SORTS = {
  g2 = function(r) return abs(r.g2) end,
  chi2 = function(r) return r.chi2 or -1 end,
  log_ratio = function(r) return abs(r.log_ratio) end,
  percent_diff = function(r) return r.percent_diff end,
  target_count = function(r) return r.target_count end,
}

local function check_counts(t, argn)
  if type(t) ~= "table" then
    error("bad argument #" .. argn .. " to 'compare' (table expected, got " .. type(t) .. ")", 3)
  end
  local total = 0
  for term, n in pairs(t) do
    if type(n) ~= "number" or n < 0 or n ~= n or n == math.huge then
      error("bad argument #" .. argn .. " to 'compare' (count of '" .. tostring(term)
        .. "' is not a non-negative number)", 3)
    end
    total = total + n
  end
  return total
end

--- Compare term counts of a target with a reference.
-- @tparam table target_counts `{term = count}`
-- @tparam table reference_counts `{term = count}`
-- @tparam[opt] table opts
--  `target_total`, `reference_total`: corpus sizes in tokens (default: the sum
--  of the counts given);
--  `min_count` (default 0): drop terms whose target count is below it;
--  `min_total` (default 1): drop terms whose target + reference count is below it;
--  `sort`: `"g2"` (default, |G2| descending), `"log_ratio"` (|Log Ratio|
--  descending), `"chi2"`, `"percent_diff"`, `"target_count"` (descending) or
--  `"term"` (ascending); ties are broken by term.
-- @treturn table array of rows `{term=, target_count=, reference_count=,
--  target_total=, reference_total=, g2=, chi2=, percent_diff=, log_ratio=, p=}`
-- @treturn[2] nil
-- @treturn[2] string when a corpus size is zero or smaller than its counts
function M.compare(target_counts, reference_counts, opts)
  local sum_t = check_counts(target_counts, 1)
  local sum_r = check_counts(reference_counts, 2)
  opts = opts or {}
  if type(opts) ~= "table" then
    error("bad argument #3 to 'compare' (table expected, got " .. type(opts) .. ")", 2)
  end
  local sortby = opts.sort or "g2"
  if sortby ~= "term" and not SORTS[sortby] then
    error("bad argument #3 to 'compare' (unknown sort '" .. tostring(sortby)
      .. "'; expected g2, log_ratio, chi2, percent_diff, target_count or term)", 2)
  end
  local c = opts.target_total or sum_t
  local d = opts.reference_total or sum_r
  if c <= 0 then return nil, "the target corpus is empty (total 0)" end
  if d <= 0 then return nil, "the reference corpus is empty (total 0)" end
  if c < sum_t then return nil, "target_total " .. c .. " is smaller than the sum of target counts " .. sum_t end
  if d < sum_r then return nil, "reference_total " .. d .. " is smaller than the sum of reference counts " .. sum_r end
  local min_count, min_total = opts.min_count or 0, opts.min_total or 1
  local terms = {}
  for t in pairs(target_counts) do terms[t] = true end
  for t in pairs(reference_counts) do terms[t] = true end
  local rows = {}
  for term in pairs(terms) do
    local a, b = target_counts[term] or 0, reference_counts[term] or 0
    if a >= min_count and a + b >= min_total and a + b > 0 then
      local s = M.stats(a, b, c, d)
      rows[#rows + 1] = {
        term = term, target_count = a, reference_count = b,
        target_total = c, reference_total = d,
        g2 = s.g2, chi2 = s.chi2, percent_diff = s.percent_diff,
        log_ratio = s.log_ratio, p = s.p,
      }
    end
  end
  local key = SORTS[sortby]
  sort(rows, function(x, y)
    if key then
      local kx, ky = key(x), key(y)
      if kx ~= ky then return kx > ky end
    end
    return tostring(x.term) < tostring(y.term)
  end)
  return rows
end

return M
