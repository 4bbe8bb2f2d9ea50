--- Illustrative quotes: for each code, the passages that show it best.
--
-- A quote is a whole turn, or whole sentences of a long turn, never a
-- fragment. Each turn with a (non-negated) hit of the code gives
-- candidates: the whole turn when it has at most `max_words` words (60),
-- else each sentence holding a hit, widened to its neighbouring sentences
-- while the passage is shorter than `min_words` (12) and the widened one
-- still fits in `max_words`. Interviewer turns are never quoted.
--
-- Score = hit spans (overlapping ones merged) × 10 / max(words, `min_words`), multiplied by
-- `max_words` / words for a passage longer than `max_words` (a single very
-- long sentence). Dense passages win; a two-word answer does not beat a
-- sentence that says something, because words below `min_words` count as
-- `min_words`.
--
-- Selection spreads quotes over people: candidates are ranked by score
-- (ties: document order, then position in the document), and a person
-- gets a second quote only once every person with a candidate has one.
-- A person is the participant id, else the speaker label within its
-- document, else the document.
--
-- @module thematic.analysis.quotes
-- @usage
-- local quotes = require "thematic.analysis.quotes"
-- for _, q in ipairs(quotes.for_code(coded, "access/devices_barrier")) do
--   print(quotes.attribution(q), q.text)
-- end

local coding = require "thematic.coding"
local transcript = require "thematic.transcript"

local type, ipairs, pairs, tostring, error = type, ipairs, pairs, tostring, error
local format, sub, gsub, gmatch, find, lower = string.format, string.sub, string.gsub,
  string.gmatch, string.find, string.lower
local sort, concat = table.sort, table.concat
local max, floor = math.max, math.floor

local M = {}

--- Default limits.
M.max_words = 60
M.min_words = 12

--- Attributes named after the person in `attribution`, in this order,
-- when they exist.
M.attribution_attributes = { "role", "profession", "setting", "group" }

-- Words as a reader counts them: runs of letters/digits (any non-ASCII
-- byte counts as a letter), with inner apostrophes and hyphens.
local function word_count(s)
  local n = 0
  for _ in gmatch(s, "[%w\128-\255][%w\128-\255'%-]*") do n = n + 1 end
  return n
end

local function line_ends(s)
  local _, lf = gsub(s, "\n", "")
  local _, cr = gsub(s, "\r", "")
  local _, crlf = gsub(s, "\r\n", "")
  return lf + cr - crlf
end

local under = coding.under

-- The person a segment is attributed to (for spreading quotes); an
-- unattributed segment stands for its document.
local function person(seg)
  return coding.person(seg) or seg.document
end

-- Hit spans of `code` (and codes below it) in a coded segment, ordered by
-- position, overlapping spans merged ("in Sylheti" and "Sylheti" are one
-- span). Negated hits are left out, except those moved to another code by
-- `negated_to` (they count for that code, as in coding).
local function code_hits(entry, code)
  local raw = {}
  for _, h in ipairs(entry.hits) do
    if (not h.negated or h.from) and h.code_path and under(h.code_path, code) then
      raw[#raw + 1] = { start = h.start, stop = h.stop }
    end
  end
  sort(raw, function(a, b) return a.start < b.start or (a.start == b.start and a.stop > b.stop) end)
  local spans = {}
  for _, h in ipairs(raw) do
    local last = spans[#spans]
    if last and h.start <= last.stop then
      if h.stop > last.stop then last.stop = h.stop end
    else
      spans[#spans + 1] = h
    end
  end
  return spans
end

-- Trim white space off a byte span of text; returns the trimmed span.
local function trim_span(text, s, e)
  while s <= e and find(sub(text, s, s), "%s") do s = s + 1 end
  while e >= s and find(sub(text, e, e), "%s") do e = e - 1 end
  return s, e
end

-- Candidate passages (absolute spans into doc.text) of one segment.
local function passages(entry, spans, opts)
  local seg, text = entry.segment, entry.document.text
  local s0, e0 = trim_span(text, seg.start, seg.stop)
  if word_count(sub(text, s0, e0)) <= opts.max_words then
    return { { start = s0, stop = e0 } }
  end
  local sents = transcript.sentences(text, s0, e0)
  local words = {}
  for i, sp in ipairs(sents) do
    sp[1], sp[2] = trim_span(text, sp[1], sp[2])
    words[i] = word_count(sub(text, sp[1], sp[2]))
  end
  local out, have = {}, {}
  for _, h in ipairs(spans) do
    local k
    for i, sp in ipairs(sents) do
      if h.start >= sp[1] and h.start <= sp[2] then k = i; break end
    end
    if k then
      local a, b, n = k, k, words[k]
      -- widen a very short sentence: the next sentence first, then the one before
      while n < opts.min_words do
        local grown = false
        if b < #sents and n + words[b + 1] <= opts.max_words then
          b = b + 1; n = n + words[b]; grown = true
        elseif a > 1 and n + words[a - 1] <= opts.max_words then
          a = a - 1; n = n + words[a]; grown = true
        end
        if not grown then break end
      end
      local key = a .. ":" .. b
      if not have[key] then
        have[key] = true
        out[#out + 1] = { start = sents[a][1], stop = sents[b][2] }
      end
    end
  end
  return out
end

local function copy(t)
  if type(t) ~= "table" then return t end
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- Every candidate quote for one code over the coded corpus.
local function candidates(coded, code, opts, doc_rank)
  local out = {}
  for _, entry in ipairs(coded.segments) do
    local seg = entry.segment
    if not seg.interviewer and entry.hits and #entry.hits > 0 then
      local spans = code_hits(entry, code)
      if #spans > 0 then
        local text = entry.document.text
        for _, p in ipairs(passages(entry, spans, opts)) do
          local rel, n = {}, 0
          for _, h in ipairs(spans) do
            if h.start >= p.start and h.stop <= p.stop then
              n = n + 1
              rel[#rel + 1] = { start = h.start - p.start + 1, stop = h.stop - p.start + 1 }
            end
          end
          if n > 0 then
            local qtext = sub(text, p.start, p.stop)
            local words = word_count(qtext)
            local score = n * 10 / max(words, opts.min_words)
            if words > opts.max_words then score = score * opts.max_words / words end
            score = floor(score * 1e6 + 0.5) / 1e6
            out[#out + 1] = {
              code = code, text = qtext, document = seg.document,
              participant = seg.participant, speaker = seg.speaker,
              attributes = copy(seg.attributes or {}),
              line = seg.line and seg.line + line_ends(sub(text, seg.start, p.start - 1)) or nil,
              time = copy(seg.time), hits = rel, score = score, words = words,
              start = p.start, stop = p.stop, person = person(seg),
              doc_rank = doc_rank[seg.document] or 0,
            }
          end
        end
      end
    end
  end
  sort(out, function(a, b)
    if a.score ~= b.score then return a.score > b.score end
    if a.doc_rank ~= b.doc_rank then return a.doc_rank < b.doc_rank end
    return a.start < b.start
  end)
  return out
end

-- Pick n candidates in rank order, one per person until every person
-- with a candidate has one; never the same or an overlapping passage twice.
local function pick(cands, n)
  local chosen, per_person, taken = {}, {}, {}
  local round, remaining = 0, true
  while #chosen < n and remaining do
    round, remaining = round + 1, false
    for i, c in ipairs(cands) do
      if #chosen >= n then break end
      if not taken[i] then
        if (per_person[c.person] or 0) < round then
          taken[i] = true
          local overlap = false
          for _, q in ipairs(chosen) do
            if q.document == c.document and c.start <= q.stop and q.start <= c.stop then
              overlap = true
              break
            end
          end
          if not overlap then
            per_person[c.person] = (per_person[c.person] or 0) + 1
            chosen[#chosen + 1] = c
          end
        else
          remaining = true
        end
      end
    end
  end
  for _, q in ipairs(chosen) do q.doc_rank = nil end
  return chosen
end

local check_coded = coding.check_coded

local function options(opts, fname)
  if opts ~= nil and type(opts) ~= "table" then
    error(format("bad argument #2 to '%s' (table expected, got %s)", fname, type(opts)), 3)
  end
  opts = opts or {}
  local o = {
    n = opts.n or 3,
    max_words = opts.max_words or M.max_words,
    min_words = opts.min_words or M.min_words,
  }
  if math.type(o.n) ~= "integer" or o.n < 1 then
    error(format("bad argument #2 to '%s' (n must be an integer >= 1, got %s)", fname, tostring(o.n)), 3)
  end
  return o
end

local function doc_ranks(coded)
  local rank = {}
  local docs = coded.corpus and coded.corpus.documents or {}
  for i, d in ipairs(docs) do rank[d.id] = i end
  return rank
end

--- The best quotes for one code (a theme includes the codes below it).
-- @tparam table coded from `thematic.coding.code`
-- @tparam string code a code path
-- @tparam[opt] table opts `n` (default 3), `max_words` (60), `min_words` (12)
-- @treturn table array of quotes `{code=, text=, document=, participant=,
--   speaker=, attributes=, line=, time=, hits={{start=, stop=}, ...}, score=,
--   words=, start=, stop=, person=}`; `hits` are byte spans in `text`,
--   `start`/`stop` the quote's span in the document text
-- @treturn[2] nil
-- @treturn[2] string when the codebook has no such code
function M.for_code(coded, code, opts)
  check_coded(coded, "for_code")
  if type(code) ~= "string" then
    error(format("bad argument #2 to 'for_code' (string expected, got %s)", type(code)), 2)
  end
  local o = options(opts, "for_code")
  if not coded.codebook:find(code) then return nil, format("no code '%s' in the codebook", code) end
  return pick(candidates(coded, code, o, doc_ranks(coded)), o.n)
end

--- The best quotes for every code of the codebook (or one code).
-- @tparam table coded from `thematic.coding.code`
-- @tparam[opt] table opts `code` (one path: only that code, with the codes
--   below it), `n` per code (default 3), `max_words`, `min_words`
-- @treturn table array, in codebook order, of `{code=, label=, definition=,
--   valence=, quotes={...}}` (see @{for_code}); codes without hits have an
--   empty `quotes`
-- @treturn[2] nil
-- @treturn[2] string when `opts.code` names no code
function M.best(coded, opts)
  check_coded(coded, "best")
  local o = options(opts, "best")
  local list = {}
  if opts and opts.code ~= nil then
    if type(opts.code) ~= "string" then
      error(format("bad argument #2 to 'best' (code must be a string, got %s)", type(opts.code)), 2)
    end
    if not coded.codebook:find(opts.code) then
      return nil, format("no code '%s' in the codebook", opts.code)
    end
    -- the code (a theme's entry draws on all its codes), then each code
    -- below it with its own entry, as in the whole listing
    for c in coded.codebook:codes() do
      if under(c.path, opts.code) then list[#list + 1] = c end
    end
  else
    for c in coded.codebook:codes() do list[#list + 1] = c end
  end
  local rank = doc_ranks(coded)
  local out = {}
  for _, c in ipairs(list) do
    out[#out + 1] = { code = c.path, label = c.label or c.name, definition = c.definition,
                      valence = c.valence, quotes = pick(candidates(coded, c.path, o, rank), o.n) }
  end
  return out
end

--- Who said a quote, as a paper prints it: "P07, pharmacist, community".
-- The person is the participant id, else the speaker label, else the
-- document; then each named attribute that has a value, once (a role of
-- plain "participant" says nothing and is left out).
-- @tparam table q a quote
-- @tparam[opt] table attrs attribute names (default
--   `M.attribution_attributes`: role, profession, setting, group)
-- @treturn string
function M.attribution(q, attrs)
  if type(q) ~= "table" then
    error(format("bad argument #1 to 'attribution' (table expected, got %s)", type(q)), 2)
  end
  if attrs ~= nil and type(attrs) ~= "table" then
    error(format("bad argument #2 to 'attribution' (table expected, got %s)", type(attrs)), 2)
  end
  attrs = attrs or M.attribution_attributes
  local parts = { q.participant or q.speaker or q.document or "?" }
  local seen = { [lower(parts[1])] = true }
  local a = q.attributes or {}
  for _, name in ipairs(attrs) do
    local v = a[name]
    if v ~= nil and v ~= "" then
      v = tostring(v)
      local lv = lower(v)
      if not seen[lv] and not (name == "role" and lv == "participant") then
        seen[lv] = true
        parts[#parts + 1] = v
      end
    end
  end
  return concat(parts, ", ")
end

return M
