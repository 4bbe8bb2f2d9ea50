-- The codebooks of the pattern-count benchmark, built from the English
-- prose itself, shared by bench/run.lua (wall clock) and
-- bench/callgrind_patterns.lua (instructions), so both measure the same sets.
local core = require "thematic.core"

local M = {}

M.SIZES = { 10, 100, 1000, 10000 }

-- Lower-case words of more than three letters in the first 5 MB, most
-- frequent first: { {word, count}, ... }.
function M.frequent(english)
  local vocab = {}
  for w, n in pairs(core.stem_counts(english:sub(1, 5e6), "none")) do
    if #w > 3 and w:match("^%l+$") then vocab[#vocab + 1] = { w, n } end
  end
  table.sort(vocab, function(a, b) return a[2] > b[2] or (a[2] == b[2] and a[1] < b[1]) end)
  return vocab
end

-- Words seen at most twice in the whole text whose stems are as rare
-- ("configurations" may be rare, "configur" is not), alphabetically.
function M.rare(english)
  local form_seen = core.stem_counts(english, "none")
  local stem_seen = core.stem_counts(english, "english")
  local rare = {}
  for w, n in pairs(form_seen) do
    if n <= 2 and #w > 3 and w:match("^%l+$") and stem_seen[core.stem(w, "english")] <= 2 then
      rare[#rare + 1] = w
    end
  end
  table.sort(rare)
  return rare
end

-- The matcher spec of npat patterns over 50 codes, and the pattern texts.
-- Series "frequent": the most frequent words, every fourth as a prefix
-- glob, so more patterns also mean many more hits. Series "level": the 10
-- most frequent words, then rare ones, so the hits stay about level.
function M.build(series, npat, vocab, rare)
  local patterns, texts = {}, {}
  for i = 1, npat do
    local text
    if series == "level" then
      text = i <= 10 and vocab[i][1] or rare[(i - 10 - 1) % #rare + 1]
    else
      local w = vocab[i][1]
      text = (i % 4 == 0) and (w:sub(1, 5) .. "*") or w
    end
    patterns[i] = { code = (i - 1) % 50 + 1, id = i,
                    elements = { { text:find("%*") and "glob" or "word", text } } }
    texts[i] = text
  end
  return { language = "english", ncodes = 50, patterns = patterns }, texts
end

return M
