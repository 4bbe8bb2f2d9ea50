--- Inter-coder agreement: percent agreement, Cohen's kappa, Fleiss' kappa,
-- Krippendorff's alpha, per-code binary agreement and precision/recall/F1
-- against a reference coder.
--
-- Input is long form: an array of rows `{unit=, coder=, value=}`. A unit that
-- some coder did not code is simply missing for that coder. See
-- `docs/methods.md` for the formulas and references.
--
-- Undefined statistics (no variation, too few pairable values, the wrong
-- number of coders) are `nil` with an explanation in `notes`; no NaN or
-- infinity is ever returned.
--
-- @module thematic.analysis.agreement
-- @usage
-- local agreement = require "thematic.analysis.agreement"
-- local r = assert(agreement.compute({
--   {unit = "u1", coder = "A", value = "barrier"},
--   {unit = "u1", coder = "B", value = "barrier"},
--   {unit = "u2", coder = "A", value = "access"},
--   {unit = "u2", coder = "B", value = "barrier"},
-- }))
-- print(r.percent_agreement, r.cohen_kappa, r.krippendorff_alpha)

local csv = require "thematic.analysis.csv"

local type, pairs, ipairs, tostring, tonumber = type, pairs, ipairs, tostring, tonumber
local sort, concat = table.sort, table.concat
local mtype = math.type
local format = string.format

local M = {}

local LEVELS = { nominal = true, ordinal = true, interval = true, ratio = true }

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta == tb and (ta == "number" or ta == "string") then return a < b end
    return tostring(a) < tostring(b)
  end)
  return keys
end

local function check_rows(rows, fname)
  if type(rows) ~= "table" then
    error("bad argument #1 to '" .. fname .. "' (table expected, got " .. type(rows) .. ")", 3)
  end
  for i, row in ipairs(rows) do
    if type(row) ~= "table" then
      error("bad argument #1 to '" .. fname .. "' (row " .. i .. " is not a table)", 3)
    end
    if row.unit == nil or row.coder == nil then
      error("bad argument #1 to '" .. fname .. "' (row " .. i .. " has no unit or coder)", 3)
    end
  end
end

--- Turn a value (string, number, or array/set of codes) into a set of codes.
local function as_set(value)
  local set = {}
  if type(value) == "table" then
    for k, v in pairs(value) do
      if type(k) == "number" and mtype(k) == "integer" then
        if v ~= "" then set[v] = true end
      elseif v then
        set[k] = true
      end
    end
  elseif value ~= nil and value ~= "" then
    set[value] = true
  end
  return set
end

local function set_key(set)
  return concat(sorted_keys(set), "\0")
end

-- Per-unit counts of values: units[u] = { [value] = count }, m[u] = total.
local function tabulate(data)
  -- data: unit -> coder -> value
  local counts = {}
  for u, by_coder in pairs(data) do
    local c = {}
    for _, v in pairs(by_coder) do c[v] = (c[v] or 0) + 1 end
    counts[u] = c
  end
  return counts
end

local function unit_total(c)
  local m = 0
  for _, n in pairs(c) do m = m + n end
  return m
end

local function percent_agreement(counts)
  local sum, units = 0, 0
  for _, c in pairs(counts) do
    local m = unit_total(c)
    if m >= 2 then
      local agree = 0
      for _, n in pairs(c) do agree = agree + n * (n - 1) end
      sum = sum + agree / (m * (m - 1))
      units = units + 1
    end
  end
  if units == 0 then return nil end
  return sum / units
end

local function cohen_kappa(data, coders, notes)
  if #coders ~= 2 then
    notes[#notes + 1] = "cohen_kappa needs exactly two coders; found " .. #coders
    return nil
  end
  local a, b = coders[1], coders[2]
  local n, agree = 0, 0
  local ma, mb = {}, {}
  for _, by_coder in pairs(data) do
    local va, vb = by_coder[a], by_coder[b]
    if va ~= nil and vb ~= nil then
      n = n + 1
      if va == vb then agree = agree + 1 end
      ma[va] = (ma[va] or 0) + 1
      mb[vb] = (mb[vb] or 0) + 1
    end
  end
  if n == 0 then
    notes[#notes + 1] = "cohen_kappa: no unit was coded by both coders"
    return nil
  end
  local po, pe = agree / n, 0
  for v, na in pairs(ma) do pe = pe + (na / n) * ((mb[v] or 0) / n) end
  if pe >= 1 then
    notes[#notes + 1] = "cohen_kappa is undefined: both coders used one and the same value for every unit "
      .. "(expected agreement is 1)"
    return nil
  end
  return (po - pe) / (1 - pe)
end

local function fleiss_kappa(counts, notes)
  local m, nunits, first = nil, 0, nil
  local totals, pbar = {}, 0
  for _, u in ipairs(sorted_keys(counts)) do
    local c = counts[u]
    local mu = unit_total(c)
    if m == nil then m, first = mu, u end
    if mu ~= m then
      notes[#notes + 1] = format("fleiss_kappa needs the same number of ratings for every unit; "
        .. "unit '%s' has %d, unit '%s' has %d", tostring(first), m, tostring(u), mu)
      return nil
    end
    nunits = nunits + 1
    local agree = 0
    for v, n in pairs(c) do
      agree = agree + n * (n - 1)
      totals[v] = (totals[v] or 0) + n
    end
    if mu >= 2 then pbar = pbar + agree / (mu * (mu - 1)) end
  end
  if not m or m < 2 then
    notes[#notes + 1] = "fleiss_kappa needs at least two ratings per unit"
    return nil
  end
  pbar = pbar / nunits
  local pe = 0
  for _, t in pairs(totals) do
    local p = t / (nunits * m)
    pe = pe + p * p
  end
  if pe >= 1 then
    notes[#notes + 1] = "fleiss_kappa is undefined: every rating has the same value (expected agreement is 1)"
    return nil
  end
  return (pbar - pe) / (1 - pe)
end

-- Krippendorff's alpha by the coincidence-matrix method.
local function krippendorff_alpha(counts, level, notes)
  -- coincidences o[c][k], marginals n_c
  local o, nc, n = {}, {}, 0
  for _, c in pairs(counts) do
    local mu = unit_total(c)
    if mu >= 2 then
      for v1, n1 in pairs(c) do
        local row = o[v1] or {}
        o[v1] = row
        for v2, n2 in pairs(c) do
          local pairs_ = (v1 == v2) and n1 * (n1 - 1) or n1 * n2
          row[v2] = (row[v2] or 0) + pairs_ / (mu - 1)
        end
      end
    end
  end
  for v, row in pairs(o) do
    local s = 0
    for _, x in pairs(row) do s = s + x end
    nc[v] = s
    n = n + s
  end
  if n < 2 then
    notes[#notes + 1] = "krippendorff_alpha is undefined: fewer than two pairable values "
      .. "(no unit has values from two coders)"
    return nil
  end
  local values = sorted_keys(nc)
  local delta
  if level == "nominal" then
    delta = function(a, b) return a == b and 0 or 1 end
  else
    local num = {}
    for _, v in ipairs(values) do
      local x = tonumber(v)
      if not x then
        notes[#notes + 1] = format("krippendorff_alpha at level '%s' needs numeric values; got '%s'",
          level, tostring(v))
        return nil
      end
      num[v] = x
    end
    sort(values, function(a, b) return num[a] < num[b] end)
    if level == "interval" then
      delta = function(a, b) local d = num[a] - num[b]; return d * d end
    elseif level == "ratio" then
      delta = function(a, b)
        local s = num[a] + num[b]
        if s == 0 then return 0 end
        local d = (num[a] - num[b]) / s
        return d * d
      end
    else -- ordinal: marginal sums between the two ranks
      local rank = {}
      for i, v in ipairs(values) do rank[v] = i end
      local cum = { [0] = 0 }
      for i, v in ipairs(values) do cum[i] = cum[i - 1] + nc[v] end
      delta = function(a, b)
        local i, j = rank[a], rank[b]
        if i == j then return 0 end
        if i > j then i, j = j, i end
        local d = cum[j] - cum[i - 1] - (nc[values[i]] + nc[values[j]]) / 2
        return d * d
      end
    end
  end
  local dobs, dexp = 0, 0
  for _, c in ipairs(values) do
    for _, k in ipairs(values) do
      if c ~= k then
        local d = delta(c, k)
        dobs = dobs + ((o[c] and o[c][k]) or 0) * d
        dexp = dexp + nc[c] * nc[k] * d
      end
    end
  end
  if dexp == 0 then
    notes[#notes + 1] = "krippendorff_alpha is undefined: all pairable values are the same "
      .. "(no variation, expected disagreement is 0)"
    return nil
  end
  return 1 - (n - 1) * dobs / dexp
end

-- Counts of true/false positives of `coder` against `ref` for a binary
-- variable given as data[u][coder] = 0/1.
local function confusion(data, coder, ref)
  local tp, fp, fn = 0, 0, 0
  for _, by_coder in pairs(data) do
    local x, r = by_coder[coder], by_coder[ref]
    if x ~= nil and r ~= nil then
      if x == 1 and r == 1 then tp = tp + 1
      elseif x == 1 then fp = fp + 1
      elseif r == 1 then fn = fn + 1 end
    end
  end
  return tp, fp, fn
end

local function prf(tp, fp, fn)
  local p = (tp + fp) > 0 and tp / (tp + fp) or nil
  local r = (tp + fn) > 0 and tp / (tp + fn) or nil
  local f
  if p and r then
    f = (p + r) > 0 and 2 * p * r / (p + r) or 0
  end
  return { precision = p, recall = r, f1 = f, tp = tp, fp = fp, fn = fn }
end

-- Collect code sets: sets[u][coder] = set of codes. Several rows for one
-- (unit, coder) are merged.
local function collect_sets(rows)
  local sets, codes, coders = {}, {}, {}
  for _, row in ipairs(rows) do
    local u = sets[row.unit] or {}
    sets[row.unit] = u
    local s = u[row.coder] or {}
    u[row.coder] = s
    coders[row.coder] = true
    for code in pairs(as_set(row.value)) do
      s[code] = true
      codes[code] = true
    end
  end
  return sets, sorted_keys(codes), sorted_keys(coders)
end

local function binary_stats(sets, code, coders, reference)
  local data = {}
  for u, by_coder in pairs(sets) do
    local d = {}
    for coder, s in pairs(by_coder) do d[coder] = s[code] and 1 or 0 end
    data[u] = d
  end
  local counts = tabulate(data)
  local notes = {}
  local res = {
    percent_agreement = percent_agreement(counts),
    cohen_kappa = cohen_kappa(data, coders, notes),
    fleiss_kappa = fleiss_kappa(counts, notes),
    krippendorff_alpha = krippendorff_alpha(counts, "nominal", notes),
    notes = notes,
  }
  if reference then
    res.against_reference = {}
    for _, coder in ipairs(coders) do
      if coder ~= reference then
        local tp, fp, fn = confusion(data, coder, reference)
        local r = prf(tp, fp, fn)
        r.coder = coder
        res.against_reference[#res.against_reference + 1] = r
      end
    end
  end
  return res, data
end

--- Agreement per code, each code as a binary present/absent variable.
-- Each row's `value` is one code (several rows per unit and coder allowed),
-- an array of codes, or a set `{code=true}`; an empty string or empty table
-- means the coder coded the unit but applied no code. A coder that has no row
-- for a unit is missing for that unit.
-- @tparam table rows array of `{unit=, coder=, value=}`
-- @tparam[opt] table opts `reference` = coder name: adds `against_reference`
--   (array of `{coder=, precision=, recall=, f1=, tp=, fp=, fn=}`) per code
-- @treturn table `{ [code] = {percent_agreement=, cohen_kappa=, fleiss_kappa=,
--   krippendorff_alpha=, notes=, against_reference=} }`
function M.per_code(rows, opts)
  check_rows(rows, "per_code")
  opts = opts or {}
  local sets, codes, coders = collect_sets(rows)
  local out = {}
  for _, code in ipairs(codes) do
    out[code] = (binary_stats(sets, code, coders, opts.reference))
  end
  return out
end

--- Compute agreement statistics.
-- @tparam table rows array of `{unit=, coder=, value=}`; `value` is a
--   string or number, or a code set (array or `{code=true}`), in which case
--   each distinct set is one category for the overall statistics and
--   `per_code` is filled in.
-- @tparam[opt] table opts `level` = `"nominal"` (default), `"ordinal"`,
--   `"interval"` or `"ratio"` (Krippendorff's alpha only; ordinal, interval
--   and ratio need numeric values); `reference` = name of the reference
--   coder for precision/recall/F1.
-- @treturn table `{units=, coders=, percent_agreement=, cohen_kappa=,
--   fleiss_kappa=, krippendorff_alpha=, level=, per_code=, reference=,
--   notes=}`
-- @treturn[2] nil
-- @treturn[2] string what is wrong with the data
function M.compute(rows, opts)
  check_rows(rows, "compute")
  opts = opts or {}
  if type(opts) ~= "table" then
    error("bad argument #2 to 'compute' (table expected, got " .. type(opts) .. ")", 2)
  end
  local level = opts.level or "nominal"
  if not LEVELS[level] then
    error("bad argument #2 to 'compute' (unknown level '" .. tostring(level)
      .. "'; expected nominal, ordinal, interval or ratio)", 2)
  end
  local data, coderset, sets_given = {}, {}, false
  for _, row in ipairs(rows) do
    local v = row.value
    if type(v) == "table" then
      sets_given = true
      v = set_key(as_set(v))
    end
    if v ~= nil then
      local u = data[row.unit] or {}
      data[row.unit] = u
      if u[row.coder] ~= nil and u[row.coder] ~= v then
        return nil, format("unit '%s', coder '%s': more than one value "
          .. "(use agreement.per_code for several codes per unit)", tostring(row.unit), tostring(row.coder))
      end
      u[row.coder] = v
      coderset[row.coder] = true
    end
  end
  local coders = sorted_keys(coderset)
  if #coders < 2 then
    return nil, format("agreement needs at least two coders; found %d%s", #coders,
      #coders == 1 and (" ('" .. tostring(coders[1]) .. "')") or "")
  end
  if opts.reference ~= nil and not coderset[opts.reference] then
    return nil, format("reference coder '%s' has no values", tostring(opts.reference))
  end
  local nunits = 0
  for _ in pairs(data) do nunits = nunits + 1 end
  local counts = tabulate(data)
  local notes = {}
  local result = {
    units = nunits,
    coders = coders,
    level = level,
    percent_agreement = percent_agreement(counts),
    cohen_kappa = cohen_kappa(data, coders, notes),
    fleiss_kappa = fleiss_kappa(counts, notes),
    krippendorff_alpha = krippendorff_alpha(counts, level, notes),
    notes = notes,
  }
  if result.percent_agreement == nil then
    notes[#notes + 1] = "percent_agreement is undefined: no unit has values from two coders"
  end
  local need_codes = sets_given or opts.reference ~= nil
  if need_codes then
    local sets, codes = collect_sets(rows)
    local per = {}
    local totals = {}
    for _, code in ipairs(codes) do
      local stats, bin = binary_stats(sets, code, coders, opts.reference)
      per[code] = stats
      if opts.reference then
        for _, coder in ipairs(coders) do
          if coder ~= opts.reference then
            local t = totals[coder] or { 0, 0, 0 }
            totals[coder] = t
            local tp, fp, fn = confusion(bin, coder, opts.reference)
            t[1], t[2], t[3] = t[1] + tp, t[2] + fp, t[3] + fn
          end
        end
      end
    end
    if sets_given then result.per_code = per end
    if opts.reference then
      local ref = { coder = opts.reference, others = {} }
      for _, coder in ipairs(coders) do
        if coder ~= opts.reference then
          local t = totals[coder] or { 0, 0, 0 }
          local r = prf(t[1], t[2], t[3])
          r.coder = coder
          ref.others[#ref.others + 1] = r
        end
      end
      result.reference = ref
    end
  end
  return result
end

--- Read `unit,coder,value` CSV (RFC 4180; header row required, column
-- order free, BOM tolerated) into rows for @{compute} or @{per_code}.
-- @tparam string text CSV text
-- @treturn table array of `{unit=, coder=, value=, line=}`
-- @treturn[2] nil
-- @treturn[2] string `"line N: ..."`
function M.from_csv(text)
  if type(text) ~= "string" then
    error("bad argument #1 to 'from_csv' (string expected, got " .. type(text) .. ")", 2)
  end
  local rows, err = csv.read_table(text, { "unit", "coder", "value" })
  if not rows then return nil, err end
  for _, row in ipairs(rows) do
    if row.unit == "" then return nil, "line " .. row.line .. ": empty unit" end
    if row.coder == "" then return nil, "line " .. row.line .. ": empty coder" end
  end
  return rows
end

return M
