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

local byte, find, format, gsub, lower, match, sub, upper =
  string.byte, string.find, string.format, string.gsub, string.lower,
  string.match, string.sub, string.upper
local tonumber, type, ipairs, error = tonumber, type, ipairs, error

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
-- @tparam string label
-- @treturn string
local label_cache, label_cache_size = {}, 0

function M.normalize_label(label)
  -- The same few labels come back on every turn: remember them (bounded).
  local cached = label_cache[label]
  if cached then return cached end
  local norm = gsub(label, "[%*_]+", " ")
  norm = gsub(norm, ":%s*$", "")
  norm = gsub(norm, "%s+", " ")
  norm = lower(match(norm, "^%s*(.-)%s*$"))
  if label_cache_size >= 10000 then label_cache, label_cache_size = {}, 0 end
  label_cache[label], label_cache_size = norm, label_cache_size + 1
  return norm
end
local normalize_label = M.normalize_label

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

-- A timestamp: 0:03, 00:01:23, 01:02:03.456, 1:02,5
local TIME = "%d?%d?%d:%d%d[:%d%.,]*"

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
local parse_time = M.parse_time

-- Is `label` (as written) acceptable as a label candidate at all?
local function plausible(label)
  if #label == 0 or #label > 60 then return false end
  local c = byte(label)
  -- must start with a letter (upper case, or non-ASCII) or a digit-free code
  if not (c >= 65 and c <= 90) and c < 0xC0 then return false end
  if find(label, "[%?!;\"“”<>=|{}]") then return false end
  if find(label, "%.") and not find(label, "^%a%a?%a?%.%s") and not find(label, "^%u%.?$") then
    return false
  end
  local _, words = gsub(label, "%S+", "")
  return words <= 6
end

local HEAD_BYTES = 120

-- Label text, no colon (P03 The log-ins …): decided in pass 2.
local function nocolon(head, s, off, time)
  local p7, l7, p8 = match(head, "^%s*()(%S+)%s+()%S")
  if l7 and (find(l7, "^%a+%d+%a?$") or (#l7 >= 2 and find(l7, "^%u+$"))) then
    return { label = l7, ls = s + off + p7 - 1, le = s + off + p7 + #l7 - 2,
             ts = s + off + p8 - 1, time = time, form = "nocolon" }
  end
  return nil
end

-- Is byte c white space as Lua's %s has it (space, \t \n \v \f \r)?
local function is_space(c) return c == 32 or (c ~= nil and c >= 9 and c <= 13) end

-- Look at one line; return a candidate or nil.
-- cand = { label=, ls=, le= (label span), ts= (first text byte or nil),
--          time=ms, form="colon"|"timeline"|"alone"|"nocolon" }
-- Most lines are speech, so each label form is first ruled out with plain
-- searches (find with `plain`, which is memchr) before a pattern runs: a
-- pattern that fails still tries every position of the line, and this
-- runs on every line of every transcript.
local function candidate(line, s)
  local len = #line
  local first = byte(line)
  -- Fast path for the commonest line, a long line of speech: with no colon
  -- or bracket in its head and no timestamp or Markdown at its start, only
  -- the "Label text" form (no colon) can apply.
  if len > HEAD_BYTES then
    local h = sub(line, 1, HEAD_BYTES)
    if not find(h, ":", 1, true) and not find(h, "[", 1, true) and not find(h, "(", 1, true)
       and not find(h, "^%s*[%*_%d]") then
      return nocolon(h, s, 0, nil)
    end
  end
  local off = 0
  local time
  -- leading [00:01:23] or 00:01:23 timestamp (starts with [, a digit or space)
  if first and (first == 91 or (first >= 48 and first <= 57) or is_space(first)) then
    local o, t, cl, ws, ts_rest = match(line, "^%s*(%[?)(" .. TIME .. ")(%]?)(%s*)()")
    if t and ((o == "[" and cl == "]") or (o == "" and cl == "" and (ws ~= "" or ts_rest > len))) then
      time = parse_time(t)
      off = ts_rest - 1
      if ts_rest > len then return { time = time, form = "time" } end
    end
  end
  local rest = off > 0 and sub(line, off + 1) or line
  -- A label sits in the first few dozen bytes of a line: the label patterns
  -- look only there, so a long line of speech costs little (most lines of a
  -- transcript are speech). Forms that need the whole line to be a label
  -- (a name and a time, or a label alone) cannot match a long line.
  local head = #rest > HEAD_BYTES and sub(rest, 1, HEAD_BYTES) or rest
  local short = #rest <= HEAD_BYTES
  local colon = find(head, ":", 1, true)
  -- Markdown: **Label:** text / **Label**: text / __Label:__
  if colon and (find(head, "*", 1, true) or find(head, "_", 1, true)) then
    local ms_, mlabel, me_ = match(head, "^%s*[%*_][%*_]()([^%*_:\n]-)%s*:?[%*_][%*_]:?%s*()")
    if mlabel and find(sub(rest, 1, me_ - 1), ":", 1, true) then
      local ls = s + off + ms_ - 1
      return { label = mlabel, ls = ls, le = ls + #mlabel - 1,
               ts = me_ <= #rest and s + off + me_ - 1 or nil, time = time, form = "colon" }
    end
  end
  -- Label [00:01:23]: text / Label (00:01:23): text
  if colon and (find(head, "[", 1, true) or find(head, "(", 1, true)) then
    local p1, l2, t2, p2 = match(head, "^%s*()([^:%[%(]-)%s*[%[%(](" .. TIME .. ")[%]%)]%s*:%s*()")
    if l2 and l2 ~= "" then
      return { label = l2, ls = s + off + p1 - 1, le = s + off + p1 + #l2 - 2,
               ts = p2 <= #rest and s + off + p2 - 1 or nil, time = parse_time(t2) or time,
               form = "colon" }
    end
  end
  -- Speaker 1  0:03   (name and a time alone on a line: past any white
  -- space and . , : at its end, it ends in a digit)
  local last = #rest
  if short and colon then
    while is_space(byte(rest, last)) do last = last - 1 end
    local c = byte(rest, last)
    while c == 44 or c == 46 or c == 58 do last = last - 1; c = byte(rest, last) end
  end
  local digit = byte(rest, last)
  if short and colon and digit and digit >= 48 and digit <= 57 then
    local p3, l3, t3 = match(rest, "^%s*()(%S.-)%s+(" .. TIME .. ")%s*$")
    if l3 and not find(l3, ":", 1, true) and plausible(l3)
       and not find(" " .. l3, "%s[^%u%d%(]") and not find(l3, "%S%s+%S+%s+%S+%s+%S+%s+%S") then
      return { label = l3, ls = s + off + p3 - 1, le = s + off + p3 + #l3 - 2,
               time = parse_time(t3), form = "timeline" }
    end
  end
  -- Label: text  (the first colon, followed by white space), or a label
  -- that ends its line (the first colon, then only white space)
  local lcolon, p5 = colon, nil
  if colon and is_space(byte(head, colon + 1)) then
    -- one space, then the speech: the common case needs no pattern
    if is_space(byte(head, colon + 2)) then p5 = match(head, "^%s+()", colon + 1)
    else p5 = colon + 2 end
  else
    lcolon = colon or (not short and find(rest, ":", 1, true))
    if lcolon and find(rest, "^%s*$", lcolon + 1) then p5 = #rest + 1 end
  end
  if p5 then
    local p4 = is_space(byte(rest)) and find(rest, "%S") or 1
    if p4 < lcolon then
      local l4 = sub(rest, p4, lcolon - 1)
      if is_space(byte(l4, -1)) then l4 = match(l4, "^(.-)%s*$") end
      return { label = l4, ls = s + off + p4 - 1, le = s + off + p4 + #l4 - 2,
               ts = p5 <= #rest and s + off + p5 - 1 or nil, time = time, form = "colon" }
    end
  end
  -- Label alone on a line, no colon (P03 / INTERVIEWER)
  local p6, l6
  if short then p6, l6 = match(rest, "^%s*()(%S[^%s]-)%s*$") end
  if l6 and (find(l6, "%d") or (#l6 >= 2 and upper(l6) == l6 and find(l6, "^%u+$"))) then
    return { label = l6, ls = s + off + p6 - 1, le = s + off + p6 + #l6 - 2,
             time = time, form = "alone" }
  end
  local c = nocolon(head, s, off, time)
  if c then return c end
  if time then return { time = time, ts = s + off, form = "time" } end
  return nil
end

-- Transcription marks: [anything short] and (inaudible …)-style asides.
local PAREN_MARKS = {
  inaudible = true, laughs = true, laughter = true, laughing = true,
  crosstalk = true, pause = true, unclear = true, overlapping = true,
  overtalk = true, sighs = true, sigh = true, coughs = true, cough = true,
  silence = true, indistinct = true, unintelligible = true, interruption = true,
  interrupted = true, ["long"] = true, background = true, inaudible_ = true,
  chuckles = true, laugh = true, redacted = true, name = true,
}

-- Most turns have no marks: they share one empty, read-only list.
local NO_MARKS = setmetatable({}, { __newindex = function()
  error("the marks of a segment are read-only", 2)
end })

-- The marks in `seg`, a piece of a text that starts after `base` bytes of
-- it (offsets are into the whole text).
local function marks_in(seg, base)
  local out = {}
  local i, last = 1, #seg
  -- the next [ and ( at or after i (false: none), found by plain search
  -- and kept until passed (a "[%[%(]" pattern tries every byte)
  local next_sq, next_par = 0, 0
  while i <= last do
    if next_sq and next_sq < i then next_sq = find(seg, "[", i, true) or false end
    if next_par and next_par < i then next_par = find(seg, "(", i, true) or false end
    local s = next_sq and next_par and (next_sq < next_par and next_sq or next_par)
      or next_sq or next_par
    if not s then break end
    local close = byte(seg, s) == 91 and "]" or ")"
    local e = find(seg, close, s + 1, true)
    local inner = e and sub(seg, s + 1, e - 1)
    if e and e - s <= 80 and not find(inner, "[\r\n%[%(]") then
      if close == "]" then
        out[#out + 1] = base + s; out[#out + 1] = base + e
        i = e + 1
      else
        local w = lower(match(inner, "^%s*(%a+)") or "")
        if PAREN_MARKS[w] then
          out[#out + 1] = base + s; out[#out + 1] = base + e
          i = e + 1
        else
          i = s + 1
        end
      end
    else
      i = s + 1
    end
  end
  return #out > 0 and out or NO_MARKS
end

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
  from, to = from or 1, to or #text
  -- Search the segment alone: searching `text` from `from` would run on
  -- to the next bracket of the whole document, for every turn.
  return marks_in(sub(text, from, to), from - 1)
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

-- Counts one line's candidate label into the label statistics.
local function tally(stats, c)
  c.norm = normalize_label(c.label)
  if c.form ~= "nocolon" then
    local counts = stats.counts
    counts[c.norm] = (counts[c.norm] or 0) + 1
    if c.form == "colon" then stats.colon_seen[c.norm] = true end
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
  for line, s in lines(text) do
    if find(line, "%S") then
      local c = candidate(line, s)
      if c and c.label then tally(stats, c) end
    end
  end
  return stats
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
--   part, which goes on with it)
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
  -- pass 1: candidates per line (and the label statistics, unless the
  -- whole document's were given)
  local given = opts.stats
  local stats = given or { counts = {}, colon_seen = {} }
  local line_s, line_e, line_blank, line_c = {}, {}, {}, {}
  local nlines = 0
  for line, s, e, n in lines(text) do
    nlines = n
    local blank = not find(line, "%S")
    local c = not blank and candidate(line, s) or nil
    if c and c.label then
      if given then c.norm = normalize_label(c.label) else tally(stats, c) end
    end
    -- parallel arrays, not a table per line: a transcript can have
    -- millions of lines
    line_s[n], line_e[n], line_blank[n], line_c[n] = s, e, blank, c or false
  end
  local colon_seen = stats.colon_seen
  for n = 1, nlines do
    local c = line_c[n]
    if c and c.form == "nocolon" then c.with_colon_seen = colon_seen[c.norm] end
  end
  local accept = accept_fn(opts, stats.counts)
  local line_base = (opts.first_line or 1) - 1
  -- pass 2: turns
  local turns = {}
  local cur -- { speaker=, cs=, ce=, line=, time=, from= (line where it opened) }
  if opts.continues then cur = { speaker = opts.continues.speaker, from = 1 } end
  local interviewers = {}   -- label as written -> is it the interviewer's?
  local function close()
    if cur and cur.cs then
      local said = sub(text, cur.cs, cur.ce)
      local t = {
        speaker = cur.speaker, start = cur.cs, stop = cur.ce, line = cur.line + line_base,
        text = said, marks = marks_in(said, cur.cs - 1),
        time = cur.time and { start_ms = cur.time } or nil,
      }
      local speaker = cur.speaker
      local interviewer = speaker and interviewers[speaker]
      if speaker and interviewer == nil then
        interviewer = M.is_interviewer(speaker)
        interviewers[speaker] = interviewer
      end
      if interviewer then
        t.role, t.interviewer = "interviewer", true
      else
        t.interviewer = false
      end
      turns[#turns + 1] = t
    end
    cur = nil
  end
  local function add(s, e, n)
    -- s..e: a content range on line n (trimmed here)
    local a = find(text, "%S", s)
    if not a or a > e then return end
    local b = e
    while b > a and is_space(byte(text, b)) do b = b - 1 end
    if not cur.cs then cur.cs = a; if not cur.line then cur.line = n end end
    cur.ce = b
  end
  for n = 1, nlines do
    local c = line_c[n]
    if c and c.label and accept(c, c.norm) then
      close()
      cur = { speaker = c.label, line = n, time = c.time, from = n }
      if c.ts then add(c.ts, line_e[n], n) end
    elseif c and c.form == "time" and not (cur and cur.speaker) then
      close()
      cur = { time = c.time, from = n }
      if c.ts then add(c.ts, line_e[n], n) end
    elseif c and c.form == "time" and not c.ts and cur then
      if not cur.time then cur.time = c.time end
    elseif line_blank[n] then
      if cur and not cur.speaker then close() end
    else
      if not cur then cur = { from = n } end
      add(line_s[n], line_e[n], n)
    end
  end
  if opts.partial and cur and cur.from > 1 then
    -- the last turn may go on in the next part: leave it to that part
    turns.rest, turns.rest_line = line_s[cur.from], cur.from
  else
    -- a turn as long as the whole part: the next part goes on with it
    if opts.partial and cur then turns.open = { speaker = cur.speaker } end
    close()
  end
  return turns
end

return M
