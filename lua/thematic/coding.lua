--- Auto-coding: every segment of a corpus scanned with a codebook.
--
-- This is the one place where corpus and codebook meet. Every analysis
-- (counts, keyword in context, quotes, co-occurrence, saturation, reports,
-- REFI-QDA export) starts from the `coded` table made here, so they all see
-- the same hits.
--
-- @module thematic.coding
-- @usage
-- local coded = coding.code(corpus, codebook)
-- for _, s in ipairs(coded.segments) do
--   for _, h in ipairs(s.hits) do print(s.segment.participant, h.code_path) end
-- end

local M = {}

--- Does code path `path` fall under `code` (the code itself or a code
-- below it)? A nil `code` takes every path.
-- @tparam string path
-- @tparam[opt] string code
-- @treturn boolean
function M.under(path, code)
  return code == nil or path == code or path:sub(1, #code + 1) == code .. "/"
end

--- Raises the usual "bad argument" error unless `coded` is what `code`
-- returns. For the analyses that take one (count, kwic, quotes).
-- @tparam any coded
-- @tparam string fname the calling function's name, for the message
function M.check_coded(coded, fname)
  if type(coded) ~= "table" or type(coded.segments) ~= "table" or type(coded.codebook) ~= "table" then
    error(string.format("bad argument #1 to '%s' (coded corpus expected, got %s)", fname,
      type(coded) == "table" and "a table without segments and codebook" or type(coded)), 3)
  end
end

--- Who said a segment, as analyses count people: the participant id, or
-- the speaker label within its document when the participants file does
-- not know them ("Speaker 1" of one file is not "Speaker 1" of another).
-- @tparam table seg a corpus segment
-- @treturn string|nil nil when nobody is named (an abstract's section)
function M.person(seg)
  if seg.participant then return seg.participant end
  if seg.speaker then return seg.document .. "#" .. seg.speaker end
  return nil
end

--- The paths of a code and all its ancestors, theme first.
-- @tparam string path "theme/code/sub"
-- @treturn table array of paths
function M.ancestors(path)
  local out, acc = {}, nil
  for part in path:gmatch("[^/]+") do
    acc = acc and (acc .. "/" .. part) or part
    out[#out + 1] = acc
  end
  return out
end

-- Everything a run needs from the codebook, worked out once: per code
-- number its path and its ancestors' numbers and paths.
local function prepare(codebook)
  local matcher = codebook:matcher()
  local index = codebook.index
  local path_of, anc_num, anc_path = {}, {}, {}
  for n, code in pairs(index.code) do path_of[code.path] = n end
  for n, code in pairs(index.code) do
    anc_path[n] = M.ancestors(code.path)
    anc_num[n] = {}
    for i, p in ipairs(anc_path[n]) do anc_num[n][i] = path_of[p] end
  end
  local pattern_text = {}
  for id, p in pairs(index.pattern) do pattern_text[id] = p.text end
  return { matcher = matcher, index = index, anc_num = anc_num, anc_path = anc_path,
           pattern_text = pattern_text, scan_opts = { counts = false } }
end

-- The coded entry of one segment.
local function code_segment(prep, doc, seg)
  -- the matcher directly (not codebook:scan): this runs once per segment,
  -- so per-call work that no analysis reads is left out
  local index = prep.index
  -- one options table, refilled (scan reads it before returning)
  local opts = prep.scan_opts
  opts.from, opts.to, opts.skip = seg.start, seg.stop, seg.marks
  local res = prep.matcher:scan(doc.text, opts)
  local entry = { segment = seg, document = doc, words = res.words, hits = res.hits,
                  codes = {}, negated = {}, rollup = {} }
  local spans = res.hits[1] and {}   -- (ancestor number, start) pairs already rolled up
  for _, h in ipairs(res.hits) do
    local n = h.code
    local path = index.code[n].path
    h.code_path = path
    h.pattern_text = prep.pattern_text[h.pattern]
    if h.from then h.from_path = index.code[h.from].path end
    if h.negated and not h.from then
      entry.negated[path] = (entry.negated[path] or 0) + 1
    else
      entry.codes[path] = (entry.codes[path] or 0) + 1
      local nums, paths = prep.anc_num[n], prep.anc_path[n]
      for i = 1, #nums do
        local key = nums[i] * 4294967296 + h.start
        if not spans[key] then
          spans[key] = true
          entry.rollup[paths[i]] = (entry.rollup[paths[i]] or 0) + 1
        end
      end
    end
  end
  return entry
end

--- Whether a coder codes a segment: not the interviewer's (unless
-- `opts.include_interviewer`), and in a transcript with speaker labels not
-- text before the first label (unless `opts.include_unattributed`).
-- @tparam table seg
-- @tparam boolean speakers whether the segment's document has speaker labels
-- @tparam table opts
-- @treturn boolean
function M.included(seg, speakers, opts)
  return (not seg.interviewer or opts.include_interviewer == true) and
         (seg.speaker ~= nil or not speakers or opts.include_unattributed == true)
end

--- Whether a document has speaker labels (a file read in parts knows it
-- for the whole file: `doc.has_speakers`).
-- @tparam table doc
-- @treturn boolean
function M.has_speakers(doc)
  if doc.has_speakers ~= nil then return doc.has_speakers end
  for _, seg in ipairs(doc.segments) do
    if seg.speaker then return true end
  end
  return false
end

--- The segments a coder codes, with their documents: what every analysis
-- counts (see @{included}; `opts.filter` goes to `corpus:segments`). An
-- analysis that counts words rather than codes (keyness of words or
-- stems) takes its segments from here, so that its words are the same
-- words as those the codes are counted in.
-- @tparam table corpus from `thematic.corpus.load`
-- @tparam[opt] table opts `include_interviewer`, `include_unattributed`,
--   `filter`
-- @treturn function iterator giving `segment, document`
function M.segments(corpus, opts)
  if type(corpus) ~= "table" or type(corpus.segments) ~= "function" then
    error("bad argument #1 to 'segments' (corpus expected)", 2)
  end
  opts = opts or {}
  local docs_by_id, speakers = {}, {}
  for _, d in ipairs(corpus.documents) do
    docs_by_id[d.id] = d
    speakers[d.id] = M.has_speakers(d)
  end
  local filter = opts.filter
  if filter == nil and opts.include_interviewer then filter = { interviewer = true } end
  local next_segment = corpus:segments(filter, opts.include_interviewer)
  return function()
    for seg in next_segment do
      if seg.speaker or not speakers[seg.document] or opts.include_unattributed then
        return seg, docs_by_id[seg.document]
      end
    end
    return nil
  end
end

local function check_codebook(codebook, fname)
  if type(codebook) ~= "table" or type(codebook.scan) ~= "function" then
    error("bad argument #2 to '" .. fname .. "' (codebook expected)", 3)
  end
end

--- Code a corpus.
-- @tparam table corpus from `thematic.corpus.load`
-- @tparam table codebook from `thematic.codebook.load`
-- @tparam[opt] table opts `include_interviewer` (default false): code
--   interviewer turns too; `include_unattributed`: code text before the
--   first speaker label of a transcript too; `filter`: passed to
--   `corpus:segments`
-- @treturn table `coded` = `{corpus=, codebook=, segments = {...}}`, each
--   segment entry `{segment=, document=, words=, hits={...}, codes={path=n},
--   negated={path=n}, rollup={path=n}}`: `codes` counts the code's own hits,
--   `rollup` counts distinct hit spans of the code and everything below it
--   (a theme's figure), `negated` the negated hits kept apart.
function M.code(corpus, codebook, opts)
  if type(corpus) ~= "table" or type(corpus.segments) ~= "function" then
    error("bad argument #1 to 'code' (corpus expected)", 2)
  end
  check_codebook(codebook, "code")
  local prep = prepare(codebook)
  local coded = { corpus = corpus, codebook = codebook, segments = {} }
  for seg, doc in M.segments(corpus, opts) do
    coded.segments[#coded.segments + 1] = code_segment(prep, doc, seg)
  end
  return coded
end

--- A function that codes one document at a time, for streaming over a
-- corpus too big to hold (with `corpus.load`'s `each`).
-- @tparam table codebook
-- @tparam[opt] table opts `include_interviewer`, `include_unattributed`
-- @treturn function(document [, each]) → `coded` for that document alone
--   (as `code` returns, without `corpus`); given `each`, every segment
--   entry goes to `each(entry)` instead and is not kept
function M.coder(codebook, opts)
  check_codebook(codebook, "coder")
  opts = opts or {}
  local prep = prepare(codebook)
  return function(doc, each)
    local coded = { codebook = codebook, segments = {} }
    local speakers = M.has_speakers(doc)
    for _, seg in ipairs(doc.segments) do
      if M.included(seg, speakers, opts) then
        local entry = code_segment(prep, doc, seg)
        if each then each(entry) else coded.segments[#coded.segments + 1] = entry end
      end
    end
    return coded
  end
end

return M
