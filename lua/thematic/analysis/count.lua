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

--- The key of the group a segment counts in for the attributes `by`: their
-- values joined by " | " ("nurse | Site A"), or "all" for none.
-- @tparam table seg a corpus segment
-- @tparam table by array of attribute names
-- @tparam[opt] table parts gets each attribute's value, in order (reused
--   by a caller that keys every segment)
-- @treturn string
function M.group_key(seg, by, parts)
  parts = parts or {}
  local nby = #by
  for i = 1, nby do parts[i] = group_value(seg, by[i]) end
  return nby > 0 and concat(parts, " | ", 1, nby) or "all"
end
local group_key = M.group_key


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
    local key = group_key(seg, by, keyparts)
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
-- @tparam[opt] table about fields every line gets besides its counts, so
--   that `merge` can check what it adds up (see `checker`): `codebook` =
--   `{name=, digest=}`, `shard` = `{k=, n=, files_listed=}`, `documents` =
--   `{count=, digest=}`, `settings` = `{level=, include_interviewer=}`
-- @treturn string
function M.json_lines(partials, about)
  local json = require("thematic.output").json
  local lines = {}
  for i, p in ipairs(partials) do
    local plain = M.to_plain(p)
    for k, v in pairs(about or {}) do plain[k] = v end
    lines[i] = json(plain) .. "\n"
  end
  return table.concat(lines)
end

--- What identifies a set of documents (what a partial of several
-- documents covers), whatever order they were read in.
-- @tparam table ids set of document ids (`[id] = true`)
-- @treturn table `{count=, digest=}`
function M.documents_record(ids)
  local list = sorted_keys(ids)
  return { count = #list, digest = require("thematic.codebook").hash(concat(list, "\n")) }
end

---------------------------------------------------------------------------
-- Checking partials read back (`thematic merge`)
---------------------------------------------------------------------------

local function shown(v)
  if type(v) == "string" then return format("%q", v) end
  if type(v) == "table" then return "a list or object" end
  return tostring(v)
end

local function whole(v) return math.type(v) == "integer" and v >= 0 end

-- What is wrong with t[field], a count, or nil.
local function bad_count(t, field, what)
  local v = t[field]
  if v == nil then return format("%sno '%s' (a whole number >= 0)", what, field) end
  if not whole(v) then
    return format("%s'%s' is %s, not a whole number >= 0", what, field, shown(v))
  end
end

-- What is wrong with t[field], an array of strings, or nil.
local function bad_strings(t, field, what)
  local v = t[field]
  if type(v) ~= "table" then
    return format("%s'%s' is %s, not a list of names", what, field, v == nil and "missing" or shown(v))
  end
  local n = 0
  for _ in pairs(v) do n = n + 1 end
  if n ~= #v then return format("%s'%s' is not a list of names", what, field) end
  for _, x in ipairs(v) do
    if type(x) ~= "string" then return format("%s'%s' holds %s, not a name", what, field, shown(x)) end
  end
end

-- What is wrong with the records that say what a partial was made from
-- (see `json_lines`), or nil.
local function bad_records(p)
  if p.document ~= nil and type(p.document) ~= "string" then
    return format("'document' is %s, not a document id", shown(p.document))
  end
  local cb = p.codebook
  if cb ~= nil and (type(cb) ~= "table" or type(cb.digest) ~= "string"
                    or (cb.name ~= nil and type(cb.name) ~= "string")) then
    return "'codebook' is not {\"name\": …, \"digest\": …}"
  end
  local sh = p.shard
  if sh ~= nil then
    if type(sh) ~= "table" or not whole(sh.k) or not whole(sh.n) or not whole(sh.files_listed)
        or sh.k < 1 or sh.k > sh.n then
      return "'shard' is not {\"k\": K, \"n\": N, \"files_listed\": …} with 1 <= K <= N"
    end
  end
  local docs = p.documents
  if docs ~= nil and (type(docs) ~= "table" or not whole(docs.count) or type(docs.digest) ~= "string") then
    return "'documents' is not {\"count\": …, \"digest\": …}"
  end
  local st = p.settings
  if st ~= nil and (type(st) ~= "table" or type(st.level) ~= "string"
                    or type(st.include_interviewer) ~= "boolean") then
    return "'settings' is not {\"level\": …, \"include_interviewer\": true|false}"
  end
end

--- What is wrong with a partial read back from JSON lines, if anything:
-- the fields `merge` adds up must be there, counts whole numbers >= 0 and
-- participants lists of names.
-- @param p the decoded line
-- @treturn[1] true
-- @treturn[2] nil
-- @treturn[2] string what is wrong ("group 'x': no 'segments' (…)")
function M.check_partial(p)
  if type(p) ~= "table" then return nil, "not a JSON object" end
  if type(p.groups) ~= "table" then return nil, "no 'groups' object" end
  if p.by ~= nil then
    local err = bad_strings(p, "by", "")
    if err then return nil, err end
  end
  local err = bad_records(p)
  if err then return nil, err end
  for _, key in ipairs(sorted_keys(p.groups)) do
    local g, what = p.groups[key], format("group %s: ", shown(key))
    if type(g) ~= "table" then return nil, what .. "not an object" end
    if type(g.values) ~= "table" then return nil, what .. "no 'values' object" end
    for attr, v in pairs(g.values) do
      if type(v) ~= "string" then return nil, format("%s'values' gives %s %s", what, shown(attr), shown(v)) end
    end
    err = bad_count(g, "words", what) or bad_count(g, "segments", what)
      or bad_strings(g, "participants", what)
    if err then return nil, err end
    if type(g.codes) ~= "table" then return nil, what .. "no 'codes' object" end
    for _, path in ipairs(sorted_keys(g.codes)) do
      local c, cwhat = g.codes[path], format("%scode %s: ", what, shown(path))
      if type(c) ~= "table" then return nil, cwhat .. "not an object" end
      err = bad_count(c, "hits", cwhat) or bad_count(c, "negated", cwhat)
        or bad_count(c, "segments", cwhat) or bad_strings(c, "participants", cwhat)
      if err then return nil, err end
    end
  end
  return true
end

-- "3, 7-9, 12" for a sorted array of integers.
local function ranges(list)
  local out, i = {}, 1
  while list[i] do
    local j = i
    while list[j + 1] == list[j] + 1 do j = j + 1 end
    out[#out + 1] = j > i and format("%d-%d", list[i], list[j]) or tostring(list[i])
    i = j + 1
  end
  return concat(out, ", ")
end

--- Checks that partials (each already through `check_partial`) add up to
-- what one run gives: one grouping, the codebook merge reads them with, no
-- document or shard twice and no shard missing. What can be checked
-- depends on what each partial records (`json_lines`'s `about`): a
-- document's partial gives its `document`; a partial of several (`count
-- --one-partial`) its `documents`; one of a `--shard` run its `shard`,
-- with the number of files the run listed, so that a shard with no files
-- is told from a missing one. Partials written before these records
-- existed are still taken; their codes must be in the codebook.
-- @tparam table codebook the codebook the counts are to be read with
-- @treturn function(p, where) takes a partial and where it came from
--   ("file:line"); returns the problems it shows, an array of `{kind=,
--   text=}` (`kind` says which are alike: "document", "codebook" …)
-- @treturn function() finish: the problems only the whole shows (missing
--   shards), and an array of warnings
function M.checker(codebook)
  local given = { name = codebook.name, digest = codebook:digest() }
  local first_by, first_by_at, first_settings, first_settings_at
  local codebooks, said = {}, {}   -- said: problems said once (by their text)
  local documents, document_sets = {}, {}
  local runs, run_order = {}, {}   -- by "N of files", the shards seen
  local old_at
  local warnings = {}

  local function check(p, where)
    local problems = {}
    local function problem(kind, text, once)
      if once then
        if said[once] then return end
        said[once] = true
      end
      problems[#problems + 1] = { kind = kind, text = text }
    end
    local by = concat(p.by or {}, ",")
    if not first_by then
      first_by, first_by_at = by, where
    elseif by ~= first_by then
      problem("by", format("%s: grouped by '%s', but %s by '%s': merge the partials of one --by",
        where, by, first_by_at, first_by), "by " .. by)
    end
    local st = p.settings
    if st then
      local these = format("--level %s%s", tostring(st.level),
        st.include_interviewer and " --include-interviewer" or "")
      if not first_settings then
        first_settings, first_settings_at = these, where
      elseif these ~= first_settings then
        problem("settings", format("%s: counted with %s, but %s with %s: merge the partials of one "
          .. "run's options", where, these, first_settings_at, first_settings), "settings " .. these)
      end
    end
    local cb = p.codebook
    if cb then
      local name = cb.name or "?"
      if not codebooks[cb.digest] then
        codebooks[cb.digest] = where
        local other, other_at = next(codebooks)
        if other == cb.digest then other, other_at = next(codebooks, other) end
        if other then
          problem("codebook", format("%s: counted with codebook '%s' (%s), but %s with another (%s): "
            .. "merge the partials of one codebook", where, name, cb.digest, other_at, other))
        end
      end
      if cb.digest ~= given.digest then
        problem("codebook", format("%s: counted with codebook '%s' (%s), but merge was given '%s' (%s): "
          .. "give -c FILE, the codebook the counts were made with", where, name, cb.digest,
          tostring(given.name), given.digest), "given " .. cb.digest)
      end
    else
      if not old_at then
        old_at = where
        warnings[#warnings + 1] = format("%s: a partial from an older thematic, which does not "
          .. "record its codebook or shard: among such partials, a wrong codebook (but for codes it "
          .. "does not have) or a shard counted twice or missing cannot be detected", where)
      end
      -- the one check they allow: codes the codebook does not have (said
      -- once: one wrong codebook makes every partial wrong)
      local unknown = {}
      for _, key in ipairs(sorted_keys(p.groups)) do
        for path in pairs(p.groups[key].codes) do
          if not codebook:find(path) then unknown[path] = true end
        end
      end
      unknown = sorted_keys(unknown)
      if #unknown > 0 then
        problem("codebook", format("%s: code%s %s not in codebook '%s' that merge was given: "
          .. "give -c FILE, the codebook the counts were made with", where, #unknown > 1 and "s" or "",
          #unknown > 3 and format("'%s' … (%d in all) are", concat(unknown, "', '", 1, 3), #unknown)
            or format("'%s' %s", concat(unknown, "', '"), #unknown > 1 and "are" or "is"),
          tostring(given.name)), "unknown codes")
      end
    end
    if p.document then
      local seen = documents[p.document]
      if seen then
        problem("document", format("%s: document '%s' counted twice: also in %s", where, p.document, seen))
      else
        documents[p.document] = where
      end
    end
    local docs = p.documents
    if docs and docs.count > 0 then
      local seen = document_sets[docs.digest]
      if seen then
        problem("document", format("%s: the same %d document%s counted twice: also in %s",
          where, docs.count, docs.count > 1 and "s" or "", seen))
      else
        document_sets[docs.digest] = where
      end
    end
    local sh = p.shard
    if sh then
      local key = format("%d of %d", sh.n, sh.files_listed)
      local run = runs[key]
      if not run then
        run = { n = sh.n, files = sh.files_listed, at = where, whole = {}, parts = {} }
        runs[key] = run
        run_order[#run_order + 1] = run
      end
      -- whole: where the one partial of shard k is (--one-partial, or an
      -- empty shard); parts: where its first document's is
      local at = p.document and run.parts or run.whole
      local other = run.whole[sh.k] or (not p.document and run.parts[sh.k])
      if other then
        problem("shard", format("%s: shard %d/%d counted twice: also in %s", where, sh.k, sh.n, other))
      end
      at[sh.k] = at[sh.k] or where
    end
    return problems
  end

  local function finish()
    local problems = {}
    -- a shard may be among partials that do not say theirs
    if old_at then return problems, warnings end
    for _, run in ipairs(run_order) do
      -- shard k of n has files when k <= the number of files
      local missing = {}
      for k = 1, math.min(run.n, run.files) do
        if not run.whole[k] and not run.parts[k] then missing[#missing + 1] = k end
      end
      if #missing > 0 then
        problems[#problems + 1] = { kind = "shard", text = format("shard%s %s of %d missing "
          .. "(--shard K/%d over %d files, as in %s)", #missing > 1 and "s" or "", ranges(missing),
          run.n, run.n, run.files, run.at) }
      end
    end
    return problems, warnings
  end

  return check, finish
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
