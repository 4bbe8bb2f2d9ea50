--- Turn structure of a plain-text transcript: who speaks where.
--
-- `parse` reads speaker labels at line starts and returns turns as byte
-- spans into the text it was given (1-based, inclusive). Labels it knows:
--
--    Interviewer: …        INT: …          I: …         Q: / A: …
--    Facilitator: …        Moderator: …    P01: …       Participant 3: …
--    R1: …   Respondent 2: …   GP2: …   Pharmacist 1: …   Dr Khan: …
--    [00:01:23] P03: …     P03 [00:01:23]: …     Speaker 1 (00:01:02): …
--    **Interviewer:** …    (Markdown)
--    Speaker 1  0:03       (name and time alone on a line; text follows)
--
-- A label of another shape (`Tom:`) counts only when it is used as a label
-- at least twice in the document, is in `opts.known` (the participants
-- file), or matches `opts.labels`. So `Note: …` in the middle of an answer
-- stays part of the answer. Continuation lines belong to the current turn;
-- blank lines do not end it. Unlabelled text (a preamble, a file with no
-- labels) is split into paragraphs with `speaker = nil`.
--
-- @module thematic.transcript
-- @usage
-- local transcript = require "thematic.transcript"
-- for _, t in ipairs(transcript.parse("INT: Why?\nP03: The log-ins.\n")) do
--   print(t.speaker, t.interviewer, t.text)   --> INT true Why? / P03 false The log-ins.
-- end

local byte, find, format, gsub, lower, match, sub =
  string.byte, string.find, string.format, string.gsub, string.lower,
  string.match, string.sub
local tonumber, type, ipairs, error = tonumber, type, ipairs, error

local core = require "thematic.core"
local encoding = require "thematic.readers.encoding"
local lines = encoding.lines

local M = {}

--- Role words that mark the interviewer's side of the conversation.
M.INTERVIEWER_LABELS = {
  interviewer = true, int = true, i = true, iv = true, ["int."] = true,
  facilitator = true, fac = true, moderator = true, mod = true,
  researcher = true, q = true, question = true,
}

-- Other role words that are always labels.
local ROLE_WORDS = {
  interviewee = true, participant = true, respondent = true, resp = true,
  a = true, answer = true, speaker = true, ["unknown speaker"] = true,
  patient = true, carer = true, caregiver = true, clinician = true,
  ["co-facilitator"] = true, ["note taker"] = true, ["all"] = true,
  ["several"] = true, ["multiple"] = true,
}

-- Words that look like labels but, used as one, are usually not speakers.
local NOT_SPEAKERS = {
  note = true, notes = true, nb = true, ["n.b."] = true, example = true,
  ["e.g."] = true, ["i.e."] = true, ps = true, edit = true, update = true,
  source = true, subject = true, date = true, time = true, location = true,
  duration = true, transcript = true, title = true, interview = true,
  ["focus group"] = true, present = true, attendees = true, total = true,
  step = true, tip = true, re = true, file = true, length = true,
  venue = true, recording = true, ["transcribed by"] = true, site = true,
}

local TITLES = {
  dr = true, ["dr."] = true, mr = true, ["mr."] = true, mrs = true,
  ["mrs."] = true, ms = true, ["ms."] = true, miss = true, prof = true,
  ["prof."] = true, professor = true, sister = true, nurse = true,
}

--- Normalise a speaker label for comparison: trimmed, case-folded (ASCII),
-- inner whitespace collapsed, Markdown emphasis and a trailing colon removed.
-- @function normalize_label
-- @tparam string label
-- @treturn string
M.normalize_label = core.normalize_label
local normalize_label = M.normalize_label

-- Is `label` (as written) acceptable as a label candidate at all? (At most
-- 60 bytes and six words, starting with a capital or a non-ASCII letter,
-- none of ?!;"“”<>=|{}, a full stop only after an initial or a short
-- abbreviation.)
local plausible = core.label_plausible

-- The default shapes other than the interviewer's labels (which a script
-- may add to), without the cache.
local function other_shape(norm)
  if ROLE_WORDS[norm] then return true end
  if find(norm, "^%a+%s?%d+%a?$") then return true end        -- P01, GP2, Participant 3
  if find(norm, "^%a+ %a+ ?%d+%a?$") then return true end     -- Practice Nurse 1
  local first, rest = match(norm, "^(%S+)%s+(.+)$")
  if first and TITLES[first] and #rest <= 40 and not find(rest, "[%d%p]", 1) then
    local _, words = gsub(rest, "%S+", "")
    return words <= 3
  end
  return false
end

local shape_cache, shape_cache_size = {}, 0

--- Whether a (normalised) label has one of the default shapes: a role word,
-- a role word or code followed by a number (`P01`, `Participant 3`, `GP2`,
-- `Pharmacist 1`), or a title and a name (`Dr Khan`).
-- @tparam string norm normalised label
-- @treturn boolean
function M.default_shape(norm)
  if M.INTERVIEWER_LABELS[norm] then return true end
  -- asked on every turn, of the same few labels: remember them (bounded)
  local shaped = shape_cache[norm]
  if shaped ~= nil then return shaped end
  shaped = other_shape(norm)
  if shape_cache_size >= 10000 then shape_cache, shape_cache_size = {}, 0 end
  shape_cache[norm], shape_cache_size = shaped, shape_cache_size + 1
  return shaped
end
local default_shape = M.default_shape

--- Whether a label names the interviewer/facilitator/moderator/questioner.
-- @tparam string label as written or normalised
-- @treturn boolean
function M.is_interviewer(label)
  local norm = normalize_label(label)
  if M.INTERVIEWER_LABELS[norm] then return true end
  local word = match(norm, "^(%a+)%s?%d+$")
  return word ~= nil and M.INTERVIEWER_LABELS[word] == true and #word > 1
end

--- Parse a time like `0:03`, `00:01:23`, `00:01:23.456`, `00:01:23,456`
-- into milliseconds.
-- @tparam string s
-- @treturn integer|nil
function M.parse_time(s)
  local a, b, c, frac = match(s, "^%s*(%d+):(%d%d):(%d%d)[%.,]?(%d*)%s*$")
  local ms
  if a then
    ms = ((tonumber(a) * 60 + tonumber(b)) * 60 + tonumber(c)) * 1000
  else
    a, b, frac = match(s, "^%s*(%d+):(%d%d)[%.,]?(%d*)%s*$")
    if not a then
      local secs = tonumber(s)
      return secs and math.floor(secs * 1000 + 0.5) or nil
    end
    ms = (tonumber(a) * 60 + tonumber(b)) * 1000
  end
  if frac and frac ~= "" then
    ms = ms + math.floor(tonumber("0." .. frac) * 1000 + 0.5)
  end
  return ms
end

-- Most turns have no marks: they share one empty, read-only list.
local NO_MARKS = setmetatable({}, { __newindex = function()
  error("the marks of a segment are read-only", 2)
end })

--- Byte ranges of transcription marks (`[inaudible]`, `[laughs]`,
-- `(inaudible 00:12:03)`, `[00:01:23]`…) in `text` between `from` and `to`.
-- Any `[…]` on one line of up to 80 bytes is a mark; `(…)` is one when its
-- first word is a known mark word (inaudible, laughs, crosstalk, pause,
-- unclear, overlapping, …).
-- @tparam string text
-- @tparam[opt=1] integer from
-- @tparam[opt=#text] integer to
-- @treturn table `{s1, e1, s2, e2, ...}` absolute byte offsets into `text`
function M.marks(text, from, to)
  return core.marks(text, from or 1, to or #text) or NO_MARKS
end

--- Paragraph spans (blank-line separated, trimmed) inside `from..to`.
-- @tparam string text
-- @tparam[opt=1] integer from
-- @tparam[opt=#text] integer to
-- @treturn table array of `{start, stop}`
function M.paragraphs(text, from, to)
  from, to = from or 1, to or #text
  local out, cs, ce = {}, nil, nil
  for line, s, e in lines(sub(text, from, to)) do
    if find(line, "^%s*$") then
      if cs then out[#out + 1] = { cs, ce }; cs = nil end
    else
      local a = find(line, "%S")
      local b = find(line, "%s*$")
      if not cs then cs = from + s - 1 + a - 1 end
      ce = from + s - 1 + b - 2
      if e < s then ce = from + s - 2 end
    end
  end
  if cs then out[#out + 1] = { cs, ce } end
  return out
end

local ABBREV = {
  dr = true, mr = true, mrs = true, ms = true, prof = true, st = true,
  vs = true, etc = true, ["e.g"] = true, ["i.e"] = true, eg = true, ie = true,
  no = true, approx = true, fig = true, al = true, cf = true, vol = true,
  jr = true, sr = true,
}

-- Does a sentence start at byte i? (capital letter, quote, or non-ASCII letter)
local function starts_sentence(text, i)
  local c = byte(text, i)
  if not c then return false end
  if c >= 65 and c <= 90 then return true end
  if c == 34 or c == 39 or c == 91 then return true end        -- " ' [
  if c == 0xE2 then                                             -- “ ‘
    local c2, c3 = byte(text, i + 1, i + 2)
    return c2 == 0x80 and (c3 == 0x9C or c3 == 0x98)
  end
  if c == 0xC3 then                                             -- À..Þ
    local c2 = byte(text, i + 1)
    return c2 ~= nil and c2 >= 0x80 and c2 <= 0x9E
  end
  return false
end

--- Sentence spans inside `from..to`: a sentence ends at `.`, `!`, `?` or
-- `…` (then closing quotes/brackets) followed by white space and a capital
-- letter or a quote — not after Dr, Mr, Mrs, Ms, Prof, e.g., i.e., etc.,
-- vs. or a single initial. Blank lines always end a sentence.
-- @tparam string text
-- @tparam[opt=1] integer from
-- @tparam[opt=#text] integer to
-- @treturn table array of `{start, stop}`
function M.sentences(text, from, to)
  from, to = from or 1, to or #text
  local out = {}
  for _, para in ipairs(M.paragraphs(text, from, to)) do
    local ps, pe = para[1], para[2]
    local cs = ps
    local i = ps
    while i <= pe do
      local s, e = find(text, "[%.!%?\226][%.!%?\128\166\"'\226\128\157\153%)%]]*%s+", i)
      if not s or e >= pe then break end
      local punct_end = find(text, "%s", s) - 1
      local ok = true
      if byte(text, s) == 0xE2 then
        ok = sub(text, s, s + 2) == "…"
      end
      if ok and byte(text, s) == 46 then
        local word = match(sub(text, cs, s - 1), "([%a%.]+)$") or ""
        local lw = lower(word)
        if ABBREV[lw] or find(word, "^%u$") then ok = false end
      end
      if ok and starts_sentence(text, e + 1) then
        out[#out + 1] = { cs, punct_end }
        cs = e + 1
      end
      i = e + 1
    end
    out[#out + 1] = { cs, pe }
  end
  return out
end

--- Whether a label found as a `Name: ` prefix (in a subtitle cue, say)
-- counts as a speaker: it passes `opts.labels`/`opts.known` when given,
-- else it has a default shape, or is a plausible name used `count` >= 2 times.
-- @tparam string label as written
-- @tparam integer count how often it was used as a prefix in the document
-- @tparam[opt] table opts as for `parse`
-- @treturn boolean
function M.label_ok(label, count, opts)
  opts = opts or {}
  local norm = normalize_label(label)
  local known = opts.known or {}
  if known[norm] then return true end
  local labels = opts.labels
  if type(labels) == "string" then return match(label, labels) ~= nil end
  if type(labels) == "table" then
    for _, n in ipairs(labels) do if normalize_label(n) == norm then return true end end
    return false
  end
  if NOT_SPEAKERS[norm] or not plausible(label) then return false end
  return default_shape(norm) or count >= 2
end

local function accept_fn(opts, counts)
  local labels, known = opts.labels, opts.known or {}
  if type(labels) == "string" then
    return function(c, norm)
      return match(c.label, labels) ~= nil or known[norm] == true
    end
  elseif type(labels) == "table" then
    local set = {}
    for _, n in ipairs(labels) do set[normalize_label(n)] = true end
    return function(_, norm) return set[norm] == true or known[norm] == true end
  elseif labels ~= nil then
    error(format("bad argument #2 to 'parse' (opts.labels: string or table expected, got %s)",
      type(labels)), 3)
  end
  return function(c, norm)
    if known[norm] then return true end
    if NOT_SPEAKERS[norm] then return false end
    if c.form == "timeline" then return true end
    if c.form == "nocolon" then
      return counts[norm] ~= nil and counts[norm] >= 1 and (c.with_colon_seen == true)
    end
    if default_shape(norm) then return true end
    if c.form == "alone" then return false end
    return plausible(c.label) and (counts[norm] or 0) >= 2
  end
end

--- Label statistics of a transcript: how often each label is used as one.
-- Whether `Tom:` is a speaker depends on the whole document (it must be
-- used as a label twice), so a file too big to hold is read twice: once
-- through `label_stats`, part by part, then each part is parsed with
-- `opts.stats` (see `parse`).
-- @tparam string text decoded text, whole lines
-- @tparam[opt] table stats statistics of earlier parts, added to
-- @treturn table stats
function M.label_stats(text, stats)
  stats = stats or { counts = {}, colon_seen = {} }
  local t = core.transcript(text)
  t:stats(stats)
  t:close()
  return stats
end

-- The turns left in C, for counting (`opts.compact`): per speaker label
-- candidate that has turns, a stand-in for its segments, `{speaker=,
-- interviewer=, role=, turns=, line=}` (`line`: the line of its first turn),
-- and one for unlabelled text.
local function compact(t, speakers, line_base)
  local nturns, first, nobody_turns = t:speakers()
  local out, any = {}, false
  for i, n in ipairs(nturns) do
    if n > 0 then
      local speaker = speakers[i]
      local interviewer = M.is_interviewer(speaker)
      out[i] = { speaker = speaker, interviewer = interviewer,
                 role = interviewer and "interviewer" or nil,
                 turns = n, line = first[i] + line_base }
      any = true
    end
  end
  return { core = t, speakers = out, nobody = {}, nobody_turns = nobody_turns,
           has_speakers = any }
end

--- Split a transcript into speaker turns.
-- @tparam string text decoded UTF-8 text (any line ends)
-- @tparam[opt] table opts `labels` = a Lua pattern a label must match, or
--   an array of label names (either replaces the default rules);
--   `known` = set of normalised labels always accepted (participants
--   file). For one part of a document too big to hold: `stats` = the whole
--   document's `label_stats`; `first_line` = the number of the part's
--   first line (default 1); `partial` = true when more text follows, so
--   the last turn is not closed but left for the next part: `turns.rest`
--   is then the byte of `text` where its first line starts and
--   `turns.rest_line` that line's number within the part (both nil when
--   the part is a single turn: that turn is then returned, and
--   `turns.open = {speaker=}` is to be given as `continues` to the next
--   part, which goes on with it); `compact` = true (a whole text, for
--   counting) to leave the turns in the parser's C object (a
--   `thematic.core` transcript) and return instead `{core=, speakers={[i]=
--   stand-in}, nobody=, nobody_turns=, has_speakers=}` (see
--   `thematic.analysis.count.document_counter`)
-- @treturn table array of turns `{speaker=, start=, stop=, line=, text=,
--   marks=, time=, role=, interviewer=}`; `speaker` is the label as
--   written (nil for unlabelled paragraphs); `start`/`stop` span the speech
--   (label excluded) in `text`; `time` = `{start_ms=}` when a time was given
-- @usage
-- local turns = transcript.parse(text, { labels = { "Amara", "Tom" } })
function M.parse(text, opts)
  if type(text) ~= "string" then
    error(format("bad argument #1 to 'parse' (string expected, got %s)", type(text)), 2)
  end
  opts = opts or {}
  if type(opts) ~= "table" then
    error(format("bad argument #2 to 'parse' (table expected, got %s)", type(opts)), 2)
  end
  -- pass 1 (in C): each line's label candidate, as a list of the distinct
  -- (label, form) pairs, and the label statistics, unless the whole
  -- document's were given
  local t = core.transcript(text)
  local cands = t:candidates()
  local stats = opts.stats or t:stats({ counts = {}, colon_seen = {} })
  local colon_seen = stats.colon_seen
  for _, c in ipairs(cands) do
    if c.form == "nocolon" then c.with_colon_seen = colon_seen[c.norm] end
  end
  local accept = accept_fn(opts, stats.counts)
  local line_base = (opts.first_line or 1) - 1
  -- the speaker of each candidate; a turn going on from the previous part
  -- is the candidate after them
  local speakers, continues = {}, nil
  for i, c in ipairs(cands) do speakers[i] = c.label end
  if opts.continues then
    local speaker = opts.continues.speaker
    if speaker then
      continues = type(speaker) == "string" and speaker or tostring(speaker)
      speakers[#cands + 1] = speaker
    else
      continues = true
    end
  end
  local accepted = {}
  for i, c in ipairs(cands) do accepted[i] = accept(c, c.norm) and true or false end
  -- pass 2 (in C): the turns
  local n, rest, rest_line, open, open_speaker = t:turns(accepted, opts.partial, continues)
  if opts.compact and not opts.partial then return compact(t, speakers, line_base) end
  local turns = {}
  local interviewers = {}   -- label as written -> is it the interviewer's?
  for i = 1, n do
    local start, stop, line, who, ms, nmarks = t:turn(i)
    local speaker = speakers[who]
    local turn = {
      speaker = speaker, start = start, stop = stop, line = line + line_base,
      text = sub(text, start, stop), marks = nmarks > 0 and t:marks(i) or NO_MARKS,
      time = ms and { start_ms = ms } or nil,
    }
    local interviewer = speaker and interviewers[speaker]
    if speaker and interviewer == nil then
      interviewer = M.is_interviewer(speaker)
      interviewers[speaker] = interviewer
    end
    if interviewer then
      turn.role, turn.interviewer = "interviewer", true
    else
      turn.interviewer = false
    end
    turns[i] = turn
  end
  -- partial: the last turn may go on in the next part, left to that part;
  -- or, as long as the whole part, the next part goes on with it
  turns.rest, turns.rest_line = rest, rest_line
  if open then turns.open = { speaker = speakers[open_speaker] } end
  t:close()
  return turns
end

return M
