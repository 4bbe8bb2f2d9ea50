--- Fuzz targets for the Lua readers, run by fuzz_lua.c (one function per
-- target, given the fuzz input as a string).
--
-- Returning normally is a pass. A reader that answers `nil, message` is
-- fine; the harness raises (and fuzz_lua.c reports) when a reader raises
-- on data, or breaks the contract: the message must be a string naming the
-- input (`"name:line: ..."` or `"name: ..."`).
local codebook = require "thematic.codebook"
local corpus = require "thematic.corpus"
local participants = require "thematic.participants"

local format, sub = string.format, string.sub

local T = {}

local SAMPLE = "P01: I'm not confident with the app, barriers to access; " ..
  "the NHS glucose monitor isn't helping. Don't worry about blood pressure."

local function check_message(err, name)
  if type(err) ~= "string" then
    error(format("contract: reader returned nil and a %s, not a message", type(err)), 0)
  end
  if sub(err, 1, #name) ~= name then
    error(format("contract: message does not start with the input name %q: %s", name, err), 0)
  end
end

-- Codebook readers: parse, then compile the codebook and scan with it.
for _, fmt in ipairs { "yaml", "liwc", "wordstat", "lexicoder", "yoshikoder", "qdc", "csv" } do
  T["codebook_" .. fmt] = function(data)
    local cb, err = codebook.parse(data, fmt, "fuzz")
    if not cb then return check_message(err, "fuzz") end
    local m = cb:matcher()
    m:scan(SAMPLE)
    m:scan(data, { hits = false })
  end
end

-- A temporary name per extension, made once.
local tmpbase = os.tmpname()
local made = {}
local function temp_file(ext, data)
  local path = tmpbase .. ext
  made[path] = true
  local f = assert(io.open(path, "wb"))
  f:write(data)
  f:close()
  return path
end

-- The exit of the process removes nothing; remove the files at exit.
setmetatable(made, { __gc = function(t)
  for p in pairs(t) do os.remove(p) end
  os.remove(tmpbase)
end })
T._keep = made   -- anchored for the life of the state

local LEVELS = { "turn", "paragraph", "sentence" }

-- corpus.load reads the file with corpus.read_file, then segments it
-- (turns, paragraphs or sentences), finds speakers and abstract sections.
local function read_target(ext)
  return function(data)
    local path = temp_file(ext, data)
    local level = LEVELS[#data % 3 + 1]
    local c, errs = corpus.load(path, { level = level })
    if not c then return check_message(errs, path) end
    for _, e in ipairs(errs) do check_message(e, path) end
    c:segments()
  end
end

-- .docx is read through thematic.zip (fuzz_lua.c preloads it). Without it
-- every input would only get "needs thematic.zip (not built)": fail at once.
assert(pcall(require, "thematic.zip"), "thematic.zip is not available to the .docx target")

for name, ext in pairs {
  transcript_txt = ".txt", transcript_vtt = ".vtt", transcript_srt = ".srt",
  transcript_docx = ".docx", transcript_csv = ".csv",
  abstracts_ris = ".ris", abstracts_medline = ".nbib", abstracts_bibtex = ".bib",
} do
  T[name] = read_target(ext)
end

-- count: a transcript counted the three ways thematic counts: coded
-- segments one at a time in Lua (thematic.coding + count.counter, the
-- reference every other analysis shares), whole documents through the C
-- tally (count.document_counter), and compactly read turns that never
-- leave C (corpus.load's compact, `thematic count`'s path), once per
-- document and once into a running total kept in C (merged). All must
-- agree cell for cell. Byte 1 of the input (also part of the text)
-- chooses the codebook, the grouping, whether interviewers count and the
-- format (plain text and Markdown can be read compactly; WebVTT and SRT
-- go through the segments path).
local count = require "thematic.analysis.count"
local coding = require "thematic.coding"
local output = require "thematic.output"
local ROOT = debug.getinfo(1, "S").source:match("^@(.*)/fuzz/harness%.lua$") or "."
local GROUPINGS = { { "group" }, { "speaker" }, { "role", "setting" }, {} }
local COUNT_FORMATS = { ".txt", ".vtt", ".srt", ".md" }
local codebooks, people

local jsonl = count.json_lines

local function same(what, a, b, by)
  if a ~= b then
    error(format("mismatch: %s, by {%s}:\n%s\n--- versus ---\n%s", what,
      table.concat(by, ","), sub(a, 1, 2000), sub(b, 1, 2000)), 0)
  end
end

T.count = function(data)
  if not codebooks then
    codebooks = { assert(codebook.load(ROOT .. "/samples/codebooks/digital-health.yml")),
                  assert(codebook.load(ROOT .. "/spec/fixtures/analysis/overlapping-codebook.yml")) }
    people = assert(participants.load(ROOT .. "/samples/transcripts/participants.csv"))
  end
  local sel = #data > 0 and data:byte(1) or 0
  local cb = codebooks[sel % 2 + 1]
  local by = GROUPINGS[(sel >> 1) % #GROUPINGS + 1]
  local opts = { include_interviewer = (sel >> 3) & 1 == 1 }
  local path = temp_file(COUNT_FORMATS[(sel >> 4) % #COUNT_FORMATS + 1], data)
  local code_doc = coding.coder(cb, opts)
  local add_seg, by_segment = count.counter(cb, by)
  local add_doc, by_document = count.document_counter(cb, by, opts)
  local add_total, merged, finish = count.document_counter(cb, by,
    { merged = true, include_interviewer = opts.include_interviewer })
  local c, errs = corpus.load(path, { participants = people, each = function(doc)
    code_doc(doc, add_seg)
    add_doc(doc)
    add_total(doc)
  end })
  if not c then return check_message(errs, path) end
  finish()
  local add_compact, compact = count.document_counter(cb, by, opts)
  local c2, errs2 = corpus.load(path, { participants = people, compact = count.compact_ok(by),
                                        each = add_compact })
  if not c2 then error("read once, then not: " .. tostring(errs2), 0) end
  local reference = jsonl(by_segment)
  same("C tally of segments and the Lua counter", reference, jsonl(by_document), by)
  same("compact turns and the Lua counter", reference, jsonl(compact), by)
  if #by_document > 0 then
    local total = count.merge(by_document)
    total.by, total.document = by, nil
    local running = merged[1]
    running.by, running.document = by, nil
    same("running total (C) and the merged partials", output.json(count.to_plain(total)),
      output.json(count.to_plain(running)), by)
  end
end

-- stem_counts of a byte range with skip ranges (transcription marks)
-- against the same counts made in Lua from tokens(): the first three bytes
-- choose the language, the range and up to three skip ranges.
local core = require "thematic.core"

T.stem_counts = function(data)
  local b1, b2, b3 = data:byte(1, 3)
  b1, b2, b3 = b1 or 0, b2 or 0, b3 or 0
  local lang = ({ "english", "none", "french", "hindi" })[b1 % 4 + 1]
  local from = 1 + (b1 >> 2) % 8
  local to = math.max(#data - b2 % 8, from - 1)   -- (a negative `to` is from the end for sub)
  local skip, at = {}, from + b3 % 5
  for _ = 1, (b3 >> 3) % 4 do
    local stop = math.min(at + (b3 >> 5) + 1, to)
    if at > stop then break end
    skip[#skip + 1], skip[#skip + 2] = at, stop
    at = stop + 2 + b2 % 3
  end
  local counts, words = core.stem_counts(data, lang, { from = from, to = to, skip = skip })
  local want, nwords, k = {}, 0, 1
  for _, t in ipairs(core.tokens(data:sub(from, to))) do
    local start = t.start + from - 1
    while skip[k] and skip[k + 1] < start do k = k + 2 end
    if t.kind == "word" and not (skip[k] and skip[k] <= start) then
      local term = lang == "none" and core.normalize(t.text) or core.stem(t.text, lang)
      want[term] = (want[term] or 0) + 1
      nwords = nwords + 1
    end
  end
  if words ~= nwords then
    error(format("mismatch: stem_counts says %d words, tokens() gives %d", words, nwords), 0)
  end
  for term, n in pairs(want) do
    if counts[term] ~= n then
      error(format("mismatch: %q counted %s times, tokens() gives %d", term, tostring(counts[term]), n), 0)
    end
  end
  for term in pairs(counts) do
    if not want[term] then error(format("mismatch: %q counted, not in tokens()", term), 0) end
  end
end

T.participants = function(data)
  local p, err = participants.parse(data, "fuzz")
  if not p then return check_message(err, "fuzz") end
  participants.known(p)
end

return T
