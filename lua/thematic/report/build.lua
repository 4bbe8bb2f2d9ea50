--- The data of a report: everything the HTML shows, as plain tables (no
-- functions, no codebook or corpus objects), so it can also be written as
-- JSON or checked in a spec.
--
-- @module thematic.report.build
-- @usage
-- local data = require("thematic.report.build").build(coded, { by = "group" })

local coding = require "thematic.coding"
local count = require "thematic.analysis.count"
local cooccur = require "thematic.analysis.cooccur"
local saturation = require "thematic.analysis.saturation"
local quotes = require "thematic.analysis.quotes"

local type, ipairs, pairs, tostring, error = type, ipairs, pairs, tostring, error
local format = string.format
local sort = table.sort

local M = {}

--- Saturation settings (Guest, Namey & Chen 2020).
M.saturation_defaults = { base = 4, run = 2, threshold = 0.05 }

local function has_attribute(coded, attr)
  for _, e in ipairs(coded.segments) do
    local v = e.segment.attributes and e.segment.attributes[attr]
    if v ~= nil and v ~= "" then return true end
  end
  return false
end

-- The grouping attribute: the one asked for, else group, role, document.
local function choose_by(coded, by)
  if by then return by end
  for _, a in ipairs { "group", "role" } do
    if has_attribute(coded, a) then return a end
  end
  return "document"
end

local function sorted_keys(t)
  local k = {}
  for key in pairs(t) do k[#k + 1] = key end
  sort(k)
  return k
end

local function summary(coded, by, docs)
  local cb = coded.codebook
  local words, people, groups = 0, {}, {}
  local doc_words, doc_people = {}, {}
  for _, e in ipairs(coded.segments) do
    local seg = e.segment
    words = words + (e.words or 0)
    doc_words[seg.document] = (doc_words[seg.document] or 0) + (e.words or 0)
    local who = coding.person(seg)
    if who then
      people[who] = true
      local dp = doc_people[seg.document] or {}
      doc_people[seg.document] = dp
      dp[who] = true
      local g
      if by == "document" then g = seg.document
      else
        g = seg.attributes and seg.attributes[by]
        if g == nil or g == "" then g = "(not recorded)" end
      end
      g = tostring(g)
      groups[g] = groups[g] or {}
      groups[g][who] = true
    end
  end
  local by_group = {}
  for _, g in ipairs(sorted_keys(groups)) do
    by_group[#by_group + 1] = { group = g, participants = #sorted_keys(groups[g]) }
  end
  local documents = {}
  for i, d in ipairs(docs) do
    documents[i] = { id = d.id, type = d.attributes and d.attributes.type, words = doc_words[d.id] or 0,
                     participants = sorted_keys(doc_people[d.id] or {}) }
  end
  local ncodes = 0
  for _ in cb:codes() do ncodes = ncodes + 1 end
  return {
    documents = #docs, document_list = documents, segments = #coded.segments,
    participants = #sorted_keys(people), participants_by = by, participants_by_group = by_group,
    words = words,
    -- people speaking (transcripts), or text with no speakers (abstracts):
    -- the report's wording follows
    speech = next(people) ~= nil,
    codebook = { name = cb.name, title = cb.title, language = cb.language,
                 patterns = cb:pattern_count(), codes = ncodes, themes = #cb:themes(),
                 source = cb.source,
                 negation = cb.negation and { window = cb.negation.window, cues = #cb.negation.cues } },
  }
end

local function codes_info(cb)
  local out = {}
  for code in cb:codes() do
    out[#out + 1] = { code = code.path, label = code.label or code.name, depth = code.depth,
                      definition = code.definition, inclusion = code.inclusion,
                      exclusion = code.exclusion, valence = code.valence,
                      theme = code.path:match("^[^/]+"), patterns = #code.patterns }
  end
  return out
end

-- Codes present (own non-negated hits) per document, docs in the order
-- saturation.order gave them.
local function saturation_data(coded, so, docs)
  local present = {}
  for _, e in ipairs(coded.segments) do
    local set = present[e.segment.document] or {}
    present[e.segment.document] = set
    for path, n in pairs(e.codes) do
      if n > 0 then set[path] = true end
    end
  end
  local list, ids = {}, {}
  for i, d in ipairs(docs) do
    list[i] = { id = d.id, codes = present[d.id] or {} }
    ids[i] = d.id
  end
  -- the curve is drawn whatever the verdict
  local new, cum = saturation.curve(list)
  local out = { documents = ids, new = new, cumulative = cum, base = so.base, run = so.run,
                threshold = so.threshold, order = so.order, order_note = so.order_note }
  local r, err = saturation.assess(list, so)
  if not r then
    out.message = err
    return out
  end
  out.saturated, out.point, out.base_codes = r.saturated, r.point, r.base_codes
  out.runs = r.runs
  for _, run in ipairs(r.runs) do
    if r.saturated and run.ratio <= so.threshold + 1e-12 then
      out.point_index = run.last
      break
    end
  end
  return out
end

local function cooccurrence(coded, cb)
  local sets = {}
  for i, e in ipairs(coded.segments) do
    local set = {}
    for path, n in pairs(e.codes) do
      if n > 0 then set[path] = true end
    end
    sets[i] = set
  end
  local res = cooccur.compute(sets)
  if #res.codes < 2 then
    return { message = "fewer than two codes have hits, so there is nothing to pair", codes = res.codes, n = res.n }
  end
  -- codebook order, not alphabetical
  local order, rank = {}, {}
  for code in cb:codes() do order[#order + 1] = code.path; rank[code.path] = #order end
  local m = cooccur.matrix(res, "n_ab")
  local idx = {}
  for i, c in ipairs(m.codes) do idx[c] = i end
  local codes = {}
  for _, c in ipairs(m.codes) do codes[#codes + 1] = c end
  sort(codes, function(a, b) return (rank[a] or 1e9) < (rank[b] or 1e9) or
    ((rank[a] or 1e9) == (rank[b] or 1e9) and a < b) end)
  local labels, rows = {}, {}
  local jac = cooccur.matrix(res, "jaccard")
  local jrows = {}
  for i, a in ipairs(codes) do
    local c = cb:find(a)
    labels[i] = c and (c.label or c.name) or a
    rows[i], jrows[i] = {}, {}
    for j, b in ipairs(codes) do
      rows[i][j] = m.rows[idx[a]][idx[b]] or 0
      jrows[i][j] = jac.rows[idx[a]][idx[b]] or 0
    end
  end
  return { codes = codes, labels = labels, n_ab = rows, jaccard = jrows, n = res.n,
           unit = "segment" }
end

local function method(data, opts)
  local cb = data.summary.codebook
  local neg = cb.negation
  local p = {}
  p[#p + 1] = format("The transcripts were coded automatically with the codebook %s%s "
    .. "(%d themes, %d codes, %d patterns, %s), by matching its patterns against the words of "
    .. "every speaker turn. Counts are hits: one hit per matched word or phrase; a theme's "
    .. "count adds its codes' hits, counting a word claimed by two of its codes once.",
    cb.name or "(unnamed)", cb.title and (" (\"" .. cb.title .. "\")") or "", cb.themes, cb.codes,
    cb.patterns, cb.language or "english")
  if neg and neg.window > 0 and neg.cues > 0 then
    p[#p + 1] = format("A hit with a negation word (such as \"not\", \"never\", \"without\") up to %d "
      .. "words before it is counted apart as negated and left out of the figures and the quotes, "
      .. "unless the codebook sends it to another code.", neg.window)
  else
    p[#p + 1] = "Negation was not handled: a hit counts the same after \"not\" or \"never\"."
  end
  if not data.summary.speech then
    p[#p + 1] = format("Rates are hits per 1,000 words of the texts in a group (these texts have no "
      .. "speakers, so there is no \"n of N\" participants). Groups are formed by the attribute \"%s\".",
      data.by)
  else
    if opts.include_interviewer then
      p[#p + 1] = "Interviewer and facilitator turns were coded along with the participants' turns."
    else
      p[#p + 1] = "Interviewer, moderator and facilitator turns were left out of the counts and are never "
        .. "quoted: the questions would otherwise lend their words to every theme."
    end
    p[#p + 1] = format("Rates are hits per 1,000 words spoken by the participants in a group; \"n of N\" "
      .. "is the number of participants of the group with at least one hit of the code. Groups are "
      .. "formed by the attribute \"%s\".", data.by)
  end
  p[#p + 1] = "What these numbers cannot tell. A count is not a theme. In reflexive thematic "
    .. "analysis (Braun & Clarke) a theme is a pattern of shared meaning that the researcher "
    .. "develops by reading and interpreting the data; it is not judged by how often words occur, "
    .. "and a point made once by one person can matter more than one made often. Use these figures "
    .. "to find your way back into the transcripts, not as findings."
  p[#p + 1] = "Keyword matching misreads language: negation beyond the window, irony and sarcasm, "
    .. "idioms, reported speech (\"they say it's a scam\"), and words with more than one sense "
    .. "are all counted at face value; what people mean with other words is missed, and so are "
    .. "words the transcriber heard wrongly or marked as inaudible."
  p[#p + 1] = "The codebook reflects the people who wrote it: its codes, and the words chosen for "
    .. "them, decide what can be found. Rates from groups with few participants or few words "
    .. "swing widely, and the quotes are chosen by the density of matched words, which favours "
    .. "short, explicit statements over long, reflective ones."
  if data.saturation and not data.saturation.message then
    p[#p + 1] = format("Saturation follows Guest, Namey & Chen (2020): a base of %d documents, "
      .. "runs of %d, and a threshold of %d%% new codes, with %s. It "
      .. "counts codebook codes, which are fixed in advance, so it says when the dictionary stops "
      .. "finding new codes, not when the analysis has enough data.", data.saturation.base,
      data.saturation.run, math.floor(data.saturation.threshold * 100 + 0.5),
      data.saturation.order_note)
  end
  return p
end

--- Build the report data.
-- @tparam table coded from `thematic.coding.code`
-- @tparam[opt] table opts `by` (attribute to compare groups by; default
--   "group", else "role", else "document"), `quotes` (per code, default
--   3), `title`, `date` (string shown as the report date; default today,
--   `false` for none), `saturation` (`base`, `run`, `threshold`, `order`:
--   how documents are ordered, as `thematic.analysis.saturation.order`
--   takes it; by default date, else manifest rows, else file names),
--   `include_interviewer` (say in the method note that interviewer turns
--   were coded: pass what you passed to `coding.code`)
-- @treturn table `{title=, date=, by=, groups=, summary=, codes=, counts=,
--   totals=, themes=, valence=, saturation=, cooccurrence=, quotes=,
--   method=}`
function M.build(coded, opts)
  if type(coded) ~= "table" or type(coded.segments) ~= "table" or type(coded.codebook) ~= "table" then
    error("bad argument #1 to 'build' (coded corpus expected)", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(format("bad argument #2 to 'build' (table expected, got %s)", type(opts)), 2)
  end
  opts = opts or {}
  local cb = coded.codebook
  local by = choose_by(coded, opts.by)
  local data = { by = by }
  -- one order, saturation's, for the saturation curve and the document list
  local so = {}
  for k, v in pairs(M.saturation_defaults) do so[k] = v end
  for k, v in pairs(opts.saturation or {}) do so[k] = v end
  local docs, order_by, order_note = saturation.order(coded.corpus and coded.corpus.documents or {},
                                                      so.order)
  if not docs then error(format("bad argument #2 to 'build' (saturation.order: %s)", order_by), 2) end
  so.order, so.order_note = order_by, order_note
  data.title = opts.title or ("Thematic report: " .. (cb.title or cb.name or "codebook"))
  if opts.date == nil then data.date = os.date("%Y-%m-%d")
  elseif opts.date then data.date = tostring(opts.date) end
  data.summary = summary(coded, by, docs)
  data.codes = codes_info(cb)

  local rows, keys = count.count(coded, { by })
  data.groups = keys
  data.counts = rows
  data.totals = (count.count(coded, {}))

  -- per theme bars (overall figures)
  local total_by_code = {}
  for _, r in ipairs(data.totals) do total_by_code[r.code] = r end
  data.themes = {}
  for _, theme in ipairs(cb:themes()) do
    local t = { code = theme.path, label = theme.label or theme.name, definition = theme.definition,
                total = total_by_code[theme.path], codes = {} }
    for code in cb:codes() do
      if code.path ~= theme.path and code.path:match("^[^/]+") == theme.path then
        local r = total_by_code[code.path]
        t.codes[#t.codes + 1] = { code = code.path, label = code.label or code.name, depth = code.depth,
                                  valence = code.valence, hits = r.hits, negated = r.negated,
                                  per_1000 = r.per_1000, participants = r.participants,
                                  participants_total = r.participants_total }
      end
    end
    data.themes[#data.themes + 1] = t
  end

  -- barriers against facilitators, per theme (overall rate per 1,000 words)
  data.valence = {}
  for _, t in ipairs(data.themes) do
    local row = { code = t.code, label = t.label, barrier = 0, facilitator = 0,
                  barrier_hits = 0, facilitator_hits = 0, barrier_codes = {}, facilitator_codes = {} }
    local any = false
    for _, c in ipairs(t.codes) do
      if c.valence then
        any = true
        row[c.valence] = row[c.valence] + c.per_1000
        row[c.valence .. "_hits"] = row[c.valence .. "_hits"] + c.hits
        local list = row[c.valence .. "_codes"]
        list[#list + 1] = c.label
      end
    end
    if any then data.valence[#data.valence + 1] = row end
  end

  data.saturation = saturation_data(coded, so, docs)
  data.cooccurrence = cooccurrence(coded, cb)
  data.quotes = quotes.best(coded, { n = opts.quotes or 3 })
  for _, entry in ipairs(data.quotes) do
    for _, q in ipairs(entry.quotes) do q.attribution = quotes.attribution(q) end
  end
  data.method = method(data, opts)
  data.warnings = {}
  for _, w in ipairs(coded.corpus and coded.corpus.warnings or {}) do data.warnings[#data.warnings + 1] = w end
  return data
end

return M
