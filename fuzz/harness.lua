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

local format, sub, find = string.format, string.sub, string.find

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

T.participants = function(data)
  local p, err = participants.parse(data, "fuzz")
  if not p then return check_message(err, "fuzz") end
  participants.known(p)
end

return T
