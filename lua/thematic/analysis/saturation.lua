--- Thematic saturation after Guest, Namey & Chen (2020), "A simple method
-- to assess and report thematic saturation in qualitative research",
-- PLoS ONE 15(5): e0232076.
--
-- Documents are taken in the order given (the order of data collection;
-- `order` puts a corpus's documents in it).
-- The base is the set of codes in documents 1..b. A run of r documents
-- starting at document s covers s..s+r-1; its new information is the
-- number of codes first seen in the run (absent from documents 1..s-1).
-- Run ratio = new / (number of base codes). Runs start at b+1 and slide by
-- one document. Saturation is the first run whose ratio is at or below the
-- threshold, reported as "(s-1)+r" (the authors' "base + run" notation:
-- base 4, run 2, first qualifying run = documents 7-8 gives "6+2").
--
-- @module thematic.analysis.saturation
-- @usage
-- local saturation = require "thematic.analysis.saturation"
-- local r = assert(saturation.assess(docs, { base = 4, run = 2, threshold = 0.05 }))
-- print(r.saturated, r.point)

local csv = require "thematic.analysis.csv"

local type, pairs, ipairs, tostring, tonumber = type, pairs, ipairs, tostring, tonumber
local mtype, huge = math.type, math.huge
local format, find, concat, sort = string.format, string.find, table.concat, table.sort

local M = {}

-- Float tolerance for "ratio <= threshold" (1/20 is not exact in binary).
local EPS = 1e-12

local function codes_of(doc, i)
  local codes = doc.codes
  if type(codes) ~= "table" then
    error("bad argument #1 to 'assess' (document " .. i .. " has no codes table)", 3)
  end
  local set = {}
  for k, v in pairs(codes) do
    if type(k) == "number" and mtype(k) == "integer" then set[v] = true
    elseif v then set[k] = true end
  end
  return set
end

local function check_int(v, name, min)
  if mtype(v) ~= "integer" or v < min then
    error("bad argument #2 to 'assess' (" .. name .. " must be an integer >= " .. min
      .. ", got " .. tostring(v) .. ")", 3)
  end
end

-- New and cumulative codes per document; `fname` names the caller in errors.
local function curve(docs, fname)
  local seen, distinct = {}, 0
  local new_per_document, cumulative = {}, {}
  for i = 1, #docs do
    if type(docs[i]) ~= "table" then
      error(format("bad argument #1 to '%s' (document %d is not a table)", fname, i), 3)
    end
    local new = 0
    for code in pairs(codes_of(docs[i], i)) do
      if not seen[code] then
        seen[code] = true
        new = new + 1
      end
    end
    distinct = distinct + new
    new_per_document[i] = new
    cumulative[i] = distinct
  end
  return new_per_document, cumulative
end

--- The saturation curve alone, for any number of documents (a report
-- draws it even when there are too few documents for a verdict).
-- @tparam table docs as for @{assess}
-- @treturn table `new_per_document`
-- @treturn table `cumulative`
function M.curve(docs)
  if type(docs) ~= "table" then
    error("bad argument #1 to 'curve' (table expected, got " .. type(docs) .. ")", 2)
  end
  return curve(docs, "curve")
end

--- Assess saturation.
-- @tparam table docs ordered array of `{id=, codes={...}}` (`codes` is an
--   array of code names or a set `{code=true}`)
-- @tparam[opt] table opts `base` (default 4), `run` (default 2),
--   `threshold` (default 0.05, i.e. at most 5% new information)
-- @treturn table `{base_size=, run_length=, threshold=, base_codes=,
--   runs={{first=, last=, new=, ratio=}, ...}, saturated=, point=,
--   new_per_document=, cumulative=}`; `base_codes` is the number of distinct
--   codes in the base; `first`/`last` are 1-based document positions;
--   `point` is nil when saturation is not reached; `new_per_document[i]` is
--   the number of codes first seen in document i and `cumulative[i]` the
--   number of distinct codes in documents 1..i; `documents[i]` =
--   `{id=, new=, cumulative=}` says the same of document i by its id.
-- @treturn[2] nil
-- @treturn[2] string when there are fewer than base + run documents, or
--   the base has no codes (the ratio would divide by zero)
function M.assess(docs, opts)
  if type(docs) ~= "table" then
    error("bad argument #1 to 'assess' (table expected, got " .. type(docs) .. ")", 2)
  end
  opts = opts or {}
  if type(opts) ~= "table" then
    error("bad argument #2 to 'assess' (table expected, got " .. type(opts) .. ")", 2)
  end
  local b, r = opts.base or 4, opts.run or 2
  local threshold = opts.threshold or 0.05
  check_int(b, "base", 1)
  check_int(r, "run", 1)
  if type(threshold) ~= "number" or threshold < 0 or threshold ~= threshold then
    error("bad argument #2 to 'assess' (threshold must be a number >= 0, got "
      .. tostring(threshold) .. ")", 2)
  end
  local n = #docs
  local new_per_document, cumulative = curve(docs, "assess")
  if n < b + r then
    return nil, format("saturation needs at least base + run = %d + %d = %d documents; got %d",
      b, r, b + r, n)
  end
  local base_codes = cumulative[b]
  if base_codes == 0 then
    return nil, format("the base (documents 1-%d) has no codes, so the new-information ratio is undefined", b)
  end
  local runs, point = {}, nil
  for s = b + 1, n - r + 1 do
    local new = 0
    for i = s, s + r - 1 do new = new + new_per_document[i] end
    local ratio = new / base_codes
    runs[#runs + 1] = { first = s, last = s + r - 1, new = new, ratio = ratio }
    if not point and ratio <= threshold + EPS then
      point = format("%d+%d", s - 1, r)
    end
  end
  local documents = {}
  for i = 1, n do
    documents[i] = { id = docs[i].id, new = new_per_document[i], cumulative = cumulative[i] }
  end
  return {
    documents = documents,
    base_size = b,
    run_length = r,
    threshold = threshold,
    base_codes = base_codes,
    runs = runs,
    saturated = point ~= nil,
    point = point,
    new_per_document = new_per_document,
    cumulative = cumulative,
  }
end

--- Put documents in the order their data were collected, for @{assess}.
--
-- `by` = `"name"`: as loaded (the files in the order given, a folder's
-- files by name); `"manifest"`: by the row of the manifest that lists them
-- (`doc.manifest_row`); any other string: by that attribute
-- (`doc.attributes[by]`), numerically when every value is a number, else
-- as text (ISO dates, YYYY-MM-DD, sort right as text). Ties, and
-- documents without a value or a manifest row (placed after the others),
-- keep manifest row order, then the order loaded. Without `by`: `date`
-- when any document has one, else `manifest` when any has a manifest row,
-- else `name`.
-- @tparam table documents array of `{id=, attributes=, manifest_row=}` as
--   loaded (a corpus's `documents`)
-- @tparam[opt] string by
-- @treturn table a new array of the same documents, in order
-- @treturn string the order used: `"name"`, `"manifest"` or the attribute
-- @treturn string how, as a sentence for a table ("documents by date, …")
-- @treturn[2] nil
-- @treturn[2] string when no document has the attribute `by`
-- @usage
-- local docs, by, how = saturation.order(corpus.documents)
function M.order(documents, by)
  if type(documents) ~= "table" then
    error("bad argument #1 to 'order' (table expected, got " .. type(documents) .. ")", 2)
  end
  if by ~= nil and type(by) ~= "string" then
    error("bad argument #2 to 'order' (string expected, got " .. type(by) .. ")", 2)
  end
  local function value(doc, attr)
    local v = doc.attributes and doc.attributes[attr]
    if v == nil or v == "" then return nil end
    return v
  end
  local any_row, any_date = false, false
  for _, doc in ipairs(documents) do
    any_row = any_row or doc.manifest_row ~= nil
    any_date = any_date or value(doc, "date") ~= nil
  end
  if by == nil then
    by = any_date and "date" or any_row and "manifest" or "name"
  end
  -- each document's sort key: its value (or nil), manifest row, position
  local keys, missing, numeric, slashed = {}, 0, true, false
  for i, doc in ipairs(documents) do
    local v
    if by ~= "name" and by ~= "manifest" then
      v = value(doc, by)
      if v == nil then missing = missing + 1
      else
        v = tostring(v)
        numeric = numeric and tonumber(v) ~= nil
        -- 14/03/2024 or 3.14.24: text order is not date order
        slashed = slashed or find(v, "^%d%d?[/.-]%d%d?[/.-]%d") ~= nil
      end
    end
    keys[doc] = { value = v, row = by ~= "name" and doc.manifest_row or huge, at = i }
  end
  if missing == #documents and by ~= "name" and by ~= "manifest" then
    local names, seen = {}, {}
    for _, doc in ipairs(documents) do
      for k in pairs(doc.attributes or {}) do
        if not seen[k] then seen[k] = true; names[#names + 1] = k end
      end
    end
    sort(names)
    return nil, format("no document has a value for '%s' (attributes: %s)", by,
      #names > 0 and concat(names, ", ") or "none")
  end
  local ordered = {}
  for i, doc in ipairs(documents) do ordered[i] = doc end
  sort(ordered, function(x, y)
    local a, b = keys[x], keys[y]
    if a.value ~= b.value then
      if a.value == nil or b.value == nil then return b.value == nil end
      if numeric then
        local na, nb = tonumber(a.value), tonumber(b.value)
        if na ~= nb then return na < nb end
      else
        return a.value < b.value
      end
    end
    if a.row ~= b.row then return a.row < b.row end
    return a.at < b.at
  end)
  local how
  if by == "name" then
    how = "documents in the order loaded (file names)"
  elseif by == "manifest" then
    how = "documents in manifest order (rows); documents not in the manifest last, by file name"
  else
    how = format("documents by %s%s; ties%s by manifest row, then file name", by,
      numeric and "" or slashed and " (compared as text: write dates as YYYY-MM-DD)" or "",
      missing > 0 and format(" and the %d without a %s (placed last)", missing, by) or "")
  end
  return ordered, by, how
end

--- Build the ordered document list from a `document,code` table.
-- Documents are ordered by their first appearance; a row with an empty code
-- records a document that has no codes.
-- @tparam string|table text_or_rows CSV text with a header row holding
--   `document` and `code` columns, or an array of `{document=, code=}`
-- @treturn table array of `{id=, codes={...}}` for @{assess}
-- @treturn[2] nil
-- @treturn[2] string `"line N: ..."` (CSV) or `"row N: ..."` (table)
function M.from_codings_csv(text_or_rows)
  local rows, err, where
  if type(text_or_rows) == "string" then
    rows, err = csv.read_table(text_or_rows, { "document", "code" })
    if not rows then return nil, err end
    where = function(i) return "line " .. rows[i].line end
  elseif type(text_or_rows) == "table" then
    rows = text_or_rows
    where = function(i) return "row " .. i end
  else
    error("bad argument #1 to 'from_codings_csv' (string or table expected, got "
      .. type(text_or_rows) .. ")", 2)
  end
  local docs, by_id = {}, {}
  for i, row in ipairs(rows) do
    if type(row) ~= "table" then return nil, where(i) .. ": not a table" end
    local id, code = row.document, row.code
    if id == nil or id == "" then return nil, where(i) .. ": empty document" end
    local doc = by_id[id]
    if not doc then
      doc = { id = id, codes = {}, _seen = {} }
      by_id[id] = doc
      docs[#docs + 1] = doc
    end
    if code ~= nil and code ~= "" and not doc._seen[code] then
      doc._seen[code] = true
      doc.codes[#doc.codes + 1] = code
    end
  end
  for _, doc in ipairs(docs) do doc._seen = nil end
  return docs
end

return M
