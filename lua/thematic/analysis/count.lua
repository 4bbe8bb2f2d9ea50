--- Counts of codes by group: the table a results section reports.
--
-- Counting goes through per-document partial results that `merge` adds
-- up: a run over everything, a run split over processes (`--jobs`) and a
-- run split over machines (`count --format jsonl` then `thematic merge`)
-- all take the same path, so they give the same numbers by construction.
--
-- For each code × group cell: hits (negated hits apart), segments coded,
-- the group's words, hits per 1,000 words, and participants mentioning the
-- code out of all participants in the group ("5 of 8"). A theme's row
-- rolls up its codes: a token that two of its codes both claim counts once.
--
-- @module thematic.analysis.count

local format, concat, sort = string.format, table.concat, table.sort

local coding = require "thematic.coding"
local core = require "thematic.core"

local M = {}

--- The group names `group_value` gives a segment that has no value for
-- the attribute: a group of their own in the counts, but not a group of
-- people (keyness never picks it as its default target).
M.NO_VALUE = { ["(not recorded)"] = true, ["(no speaker)"] = true, ["(unattributed)"] = true }

--- The group a segment counts in for one grouping attribute: `document`,
-- `speaker`, `participant`, an attribute of the document or participant,
-- or a field of the segment itself (`section`, `role`).
-- @tparam table seg a corpus segment
-- @tparam string attr
-- @treturn string the value, or one of `NO_VALUE` when the segment has none
function M.group_value(seg, attr)
  if attr == "document" then return seg.document end
  if attr == "speaker" then return seg.participant or seg.speaker or "(no speaker)" end
  if attr == "participant" then return seg.participant or "(unattributed)" end
  local v = seg.attributes and seg.attributes[attr]
  if v == nil then
    -- the segment's own fields: an abstract's `section`, a turn's `role` …
    local own = seg[attr]
    if type(own) == "string" or type(own) == "number" then v = own end
  end
  if v == nil or v == "" then return "(not recorded)" end
  return tostring(v)
end
local group_value = M.group_value


local function new_group(values)
  return { values = values, words = 0, segments = 0, participants = {}, codes = {} }
end

local function cell(group, path)
  local c = group.codes[path]
  if not c then
    c = { hits = 0, negated = 0, segments = 0, participants = {} }
    group.codes[path] = c
  end
  return c
end

-- Ancestor paths of every code, theme first.
local function parents_of(codebook)
  local parents = {}
  local ancestors = coding.ancestors
  for code in codebook:codes() do parents[code.path] = ancestors(code.path) end
  return parents
end

--- A counter that takes coded segment entries one at a time and keeps
-- per-document partial counts (for streaming: the entries need not be kept).
-- @tparam table codebook
-- @tparam table by attributes to group by (see `partials`)
-- @treturn function(entry) adds one entry
-- @treturn table array of partials, filled as entries arrive, in document order
local function union(into, from)
  if from[1] ~= nil then
    for _, id in ipairs(from) do into[id] = true end
  else
    for id in pairs(from) do into[id] = true end
  end
end

-- Adds partial p into total (made by `merge`), in place.
local function merge_into(total, p)
  total.by = total.by or p.by
  for key, g in pairs(p.groups) do
    local t = total.groups[key]
    if not t then
      t = new_group(g.values)
      total.groups[key] = t
    end
    t.words = t.words + g.words
    t.segments = t.segments + g.segments
    union(t.participants, g.participants)
    for path, c in pairs(g.codes) do
      local tc = cell(t, path)
      tc.hits = tc.hits + c.hits
      tc.negated = tc.negated + c.negated
      tc.segments = tc.segments + c.segments
      union(tc.participants, c.participants)
    end
  end
end

-- The partial of each document, in the order documents first give
-- something to count, and the group a segment counts in.
local function partials_by_document(by)
  local out, by_doc = {}, {}
  local nby, keyparts = #by, {}   -- keyparts: reused for every segment
  local function partial(doc)
    local p = by_doc[doc]
    if not p then
      p = { document = doc, by = by, groups = {} }
      by_doc[doc] = p
      out[#out + 1] = p
    end
    return p
  end
  local function group(p, seg)
    for i = 1, nby do keyparts[i] = group_value(seg, by[i]) end
    local key = nby > 0 and concat(keyparts, " | ", 1, nby) or "all"
    local g = p.groups[key]
    if not g then
      local values = {}
      for i = 1, nby do values[by[i]] = keyparts[i] end
      g = new_group(values)
      p.groups[key] = g
    end
    return g, key
  end
  return out, partial, group
end

function M.counter(codebook, by)
  local out, partial, group = partials_by_document(by)
  local parents = parents_of(codebook)
  local function add(e)
    local g = group(partial(e.segment.document), e.segment)
    g.words = g.words + e.words
    g.segments = g.segments + 1
    local who = coding.person(e.segment)
    if who then g.participants[who] = true end
    -- every code in the rollup was hit in this segment
    for path, n in pairs(e.rollup) do
      local c = cell(g, path)
      c.hits = c.hits + n
      c.segments = c.segments + 1
      if who then c.participants[who] = true end
    end
    for path, n in pairs(e.negated) do
      for _, anc in ipairs(parents[path] or { path }) do
        local c = cell(g, anc)
        c.negated = c.negated + n
      end
    end
  end
  return add, out
end

-- Fields that differ from turn to turn of one speaker: grouping by one of
-- them needs every turn as a table.
local PER_TURN = { line = true, start = true, stop = true, text = true, time = true, marks = true }

--- Whether documents read with `thematic.corpus.load`'s `compact` can be
-- counted by these attributes (not when grouping by a field of each turn,
-- such as `line`).
-- @tparam table by
-- @treturn boolean
function M.compact_ok(by)
  for _, attr in ipairs(by) do
    if PER_TURN[attr] then return false end
  end
  return true
end

-- The number of (key, who) in index (by key, then by who or false); when
-- new, the next one in list, which then holds value (or true), and true.
local function numbered(index, list, key, who, value)
  local per_key = index[key]
  if not per_key then per_key = {}; index[key] = per_key end
  local n = per_key[who or false]
  if n then return n, false end
  n = #list + 1
  per_key[who or false] = n
  list[n] = value or true
  return n, true
end

--- A counter that takes whole documents, as `counter` takes coded
-- segments, with the same result: each document's segments are scanned and
-- counted by group in one call into the C core (`matcher:tally`), with no
-- table per segment or per hit. This is how `thematic count` counts.
-- @tparam table codebook
-- @tparam table by attributes to group by (see `partials`)
-- @tparam[opt] table opts `include_interviewer`, `include_unattributed` (as
--   `thematic.coding.coder` takes them); `merged` = true to keep one running
--   total (what `merge` of every partial gives) instead of a partial per
--   document
-- @treturn function(document) adds one document (or one part of a file read
--   in parts)
-- @treturn table array of partials, filled as documents arrive (with
--   `merged`, the one total, complete once `finish` has been called)
-- @treturn function() finish: call it when every document is in
function M.document_counter(codebook, by, opts)
  opts = opts or {}
  local out, partial, group = partials_by_document(by)
  local matcher = codebook:matcher()
  local path_of = {}
  for n, code in pairs(codebook.index.code) do path_of[n] = code.path end
  local included, person = coding.included, coding.person
  -- merged: every document is counted straight into one running total (no
  -- partial per document: less memory, and no merging afterwards). Its
  -- cells add up in C (core.totals), one row per (group key, person) for
  -- the whole run; Lua sees each cell once, in finish().
  local total = opts.merged and { by = by, groups = {} }
  local totals, rows, row_of
  if total then
    partial = function() return total end
    totals, rows, row_of = core.totals(), {}, {}
  end
  -- This document's groups: one per (group key, person), so that
  -- "participants mentioning" can be told per person afterwards.
  local ids, made, made_rows, p
  local function group_of(doc, seg)
    p = p or partial(doc.id)
    local g, key = group(p, seg)
    local who = person(seg)
    local id, fresh = numbered(ids, made, key, who)
    if fresh then
      made[id] = { g = g, who = who }
      if totals then made_rows[id] = (numbered(row_of, rows, key, who, made[id])) end
    end
    return id
  end
  local function add_cells(g, who, path, hits, coded, negated)
    local c = cell(g, path)
    c.hits = c.hits + hits
    c.segments = c.segments + coded
    c.negated = c.negated + negated
    if who and coded > 0 then c.participants[who] = true end
  end
  local function fold(res)
    for id, m in ipairs(made) do
      local r, g, who = res[id], m.g, m.who
      g.words = g.words + r.words
      g.segments = g.segments + r.segments
      if who then g.participants[who] = true end
      local cells = r.cells
      if cells then
        for k = 1, #cells, 4 do
          add_cells(g, who, path_of[cells[k]], cells[k + 1], cells[k + 2], cells[k + 3])
        end
      end
    end
  end
  local function add(doc)
    local speakers = coding.has_speakers(doc)
    ids, made, made_rows, p = {}, {}, {}, nil
    local turns = doc.compact
    if turns then
      -- read compactly (thematic.corpus.load's `compact`): the groups are
      -- worked out per speaker, and the turns never leave C
      local groups = {}
      for i, sp in pairs(turns.speakers) do
        groups[i] = included(sp, speakers, opts) and group_of(doc, sp) or 0
      end
      local nobody = turns.nobody_turns > 0 and included(turns.nobody, speakers, opts)
        and group_of(doc, turns.nobody) or 0
      if not p then return end
      fold(matcher:tally_turns(turns.core, groups, nobody, #made, totals, made_rows))
      return
    end
    local segs = doc.segments
    local groups = {}
    for i = 1, #segs do
      local seg = segs[i]
      groups[i] = included(seg, speakers, opts) and group_of(doc, seg) or 0
    end
    if not p then return end
    fold(matcher:tally(doc.text, segs, groups, #made, totals, made_rows))
  end
  local function finish()
    if not totals then return end
    local cells = totals:cells()
    totals:close()
    totals = core.totals()
    for k = 1, #cells, 5 do
      local m = rows[cells[k]]
      add_cells(m.g, m.who, path_of[cells[k + 1]], cells[k + 2], cells[k + 3], cells[k + 4])
    end
  end
  return add, total and { total } or out, finish
end

--- Per-document partial counts of a coded corpus.
-- @tparam table coded from `thematic.coding.code`
-- @tparam table by array of attribute names (`document`, `speaker`,
--   `participant`, or any participant/document attribute); empty for one
--   group holding everything
-- @treturn table array of `{document=, by=, groups={[key]=group}}` in
--   document order
function M.partials(coded, by)
  local add, out = M.counter(coded.codebook, by)
  for _, e in ipairs(coded.segments) do add(e) end
  return out
end

--- Adds partial results together (numbers summed, participant sets joined).
-- @tparam table partials array of partials (from `partials` or read back
--   from JSON lines, where sets are arrays)
-- @treturn table `{by=, groups={[key]=group}}`
function M.merge(partials)
  local total = { by = nil, groups = {} }
  for _, p in ipairs(partials) do merge_into(total, p) end
  total.by = total.by or {}
  return total
end

local function set_size(s)
  local n = 0
  for _ in pairs(s) do n = n + 1 end
  return n
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  sort(keys)
  return keys
end

--- Tidy rows, one per code × group, in codebook order then group order.
-- @tparam table total from `merge`
-- @tparam table codebook
-- @treturn table array of rows `{code=, label=, theme=, depth=, valence=,
--   group=, values=, hits=, negated=, segments=, words=, per_1000=,
--   participants=, participants_total=}`
-- @treturn table array of group keys in order
function M.rows(total, codebook)
  local rows, keys = {}, sorted_keys(total.groups)
  for code in codebook:codes() do
    local depth = select(2, code.path:gsub("/", "")) + 1
    for _, key in ipairs(keys) do
      local g = total.groups[key]
      local c = g.codes[code.path] or { hits = 0, negated = 0, segments = 0, participants = {} }
      rows[#rows + 1] = {
        code = code.path, label = code.label or code.name, theme = code.path:match("^[^/]+"),
        depth = depth, valence = code.valence, group = key, values = g.values,
        hits = c.hits, negated = c.negated, segments = c.segments, words = g.words,
        per_1000 = g.words > 0 and c.hits * 1000 / g.words or 0,
        participants = set_size(c.participants), participants_total = set_size(g.participants),
      }
    end
  end
  return rows, keys
end

--- A partial as plain JSON-ready data (sets become sorted arrays).
-- @tparam table p a partial
-- @treturn table
function M.to_plain(p)
  local function arr(set)
    local a = sorted_keys(set)
    return setmetatable(a, { __jsontype = "array" })
  end
  local groups = {}
  for key, g in pairs(p.groups) do
    local codes = {}
    for path, c in pairs(g.codes) do
      codes[path] = { hits = c.hits, negated = c.negated, segments = c.segments,
                      participants = arr(c.participants) }
    end
    groups[key] = { values = g.values, words = g.words, segments = g.segments,
                    participants = arr(g.participants), codes = codes }
  end
  return { document = p.document, by = setmetatable(p.by, { __jsontype = "array" }), groups = groups }
end

--- Partials as JSON lines, one per partial in order, each line ending
-- in a newline ("" for none): what `thematic count --format jsonl` writes
-- and `thematic merge` reads.
-- @tparam table partials
-- @treturn string
function M.json_lines(partials)
  local json = require("thematic.output").json
  local lines = {}
  for i, p in ipairs(partials) do lines[i] = json(M.to_plain(p)) .. "\n" end
  return table.concat(lines)
end

--- Counts a coded corpus in one call.
-- @tparam table coded
-- @tparam[opt] table by attributes to group by
-- @treturn table rows (see `rows`)
-- @treturn table group keys
function M.count(coded, by)
  require("thematic.coding").check_coded(coded, "count")
  if by ~= nil and type(by) ~= "table" then
    error(format("bad argument #2 to 'count' (array of attribute names expected, got %s; "
      .. "write { \"%s\" })", type(by), tostring(by)), 2)
  end
  for i, attr in ipairs(by or {}) do
    if type(attr) ~= "string" then
      error(format("bad argument #2 to 'count' (attribute %d is a %s, not a name)", i, type(attr)), 2)
    end
  end
  return M.rows(M.merge(M.partials(coded, by or {})), coded.codebook)
end

--- "5 of 8" as qualitative papers write it ("-" when the group has no
-- participants, as a group of abstracts).
function M.n_of(row)
  if row.participants_total == 0 then return "-" end   -- abstracts have no participants
  return format("%d of %d", row.participants, row.participants_total)
end

return M
