--- thematic: text analytics for qualitative research.
--
-- `require "thematic"` is the public API. The private C module
-- `thematic.core` does the per-byte work (tokenising, normalising,
-- stemming, matching); this file adds argument handling and loads the
-- Lua modules (codebook, corpus, analysis, report) on first use.
--
-- @module thematic
-- @usage
-- local thematic = require "thematic"
-- for _, tok in ipairs(thematic.tokens("Face-to-face isn't dead.")) do
--   print(tok.text, tok.kind, tok.start, tok.stop)
-- end

local core = require "thematic.core"

local M = {}

--- The version string, defined once in the C core.
M._VERSION = core._VERSION

--- Split UTF-8 text into tokens.
-- @tparam string text UTF-8 text (invalid bytes read as U+FFFD)
-- @tparam[opt] table opts `mode` = `"words"` (default) or `"uax29"`;
--   `strict` = true to fail on the first invalid byte.
-- @treturn table array of `{text=, start=, stop=, kind=}`; `start`/`stop`
--   are 1-based inclusive byte offsets, as `string.sub` takes them.
-- @treturn integer number of invalid UTF-8 bytes seen
function M.tokens(text, opts)
  return core.tokens(text, opts)
end

--- NFKC + full case folding (`Straße` → `strasse`).
-- @tparam string text
-- @tparam[opt] table opts `strip_accents` = true removes combining marks
-- @treturn string
function M.normalize(text, opts)
  return core.normalize(text, opts)
end

--- Stem a word, or an array of words, with a Snowball stemmer.
-- The input is normalised first (stemmers want case-folded, composed text).
-- @tparam string|table word
-- @tparam[opt="english"] string lang a language name or ISO 639-1 code
-- @treturn string|table
function M.stem(word, lang)
  return core.stem(word, lang)
end

--- Count stems in a text, entirely in C (the path for big texts).
-- @tparam string text
-- @tparam[opt="english"] string lang
-- @tparam[opt] table opts `stopwords` = an array of words to leave out, or
--   `true` for the language's shipped list; `from`, `to`, `skip` as
--   @{word_count} takes them (a segment without its transcription marks)
-- @treturn table stem → count
-- @treturn integer number of word tokens (numbers are not words here,
--   unlike @{word_count}; stop words are)
function M.stem_counts(text, lang, opts)
  if opts and opts.stopwords == true then
    opts = setmetatable({ stopwords = M.stopwords(lang) }, { __index = opts })
  end
  return core.stem_counts(text, lang, opts)
end

--- Count word and number tokens, as the counts of every analysis do.
-- @tparam string text
-- @tparam[opt] table opts `from`, `to` (byte range); `skip` = sorted byte
--   ranges `{s1, e1, s2, e2, ...}` whose tokens are not counted
--   (transcription marks such as `[inaudible]`)
-- @treturn integer
function M.word_count(text, opts)
  return core.word_count(text, opts)
end

--- The stemmer languages available.
-- @treturn table array of language names
function M.languages()
  return core.languages()
end

local stopword_cache = {}

--- The Snowball stop-word list of a language, or nil when none is shipped.
-- @tparam string lang language name or ISO 639-1 code
-- @treturn table|nil array of words
function M.stopwords(lang)
  local name = core.language_name(lang or "english")
  if stopword_cache[name] == nil then
    stopword_cache[name] = require("thematic.stopwords").load(name) or false
  end
  return stopword_cache[name] or nil
end

-- Submodules load on first use: `thematic.codebook`, `thematic.corpus` …
local lazy = {
  codebook = "thematic.codebook",
  corpus = "thematic.corpus",
  transcript = "thematic.transcript",
  abstracts = "thematic.abstracts",
  analysis = "thematic.analysis",
  report = "thematic.report",
  refiqda = "thematic.refiqda",
}

return setmetatable(M, {
  __index = function(t, k)
    local name = lazy[k]
    if not name then return nil end
    local mod = require(name)
    rawset(t, k, mod)
    return mod
  end,
})
