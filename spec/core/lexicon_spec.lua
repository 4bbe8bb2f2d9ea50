-- The word-form cache behind stem_counts() and the matcher: a front cache
-- of frequent forms (made once a text has a few hundred forms) in front of
-- the table of every form. These texts are big enough to use both.
local thematic = require "thematic"
local core = require "thematic.core"

local lcg = dofile("spec/helper.lua").lcg

-- Words of 1 to 40 bytes, in groups of 26 that differ in one byte only (at
-- the start, the middle or the end), so that a comparison that skipped a
-- byte would merge two of them.
local function vocabulary(n)
  local words, seen = {}, {}
  local rnd = lcg(7)
  while #words < n do
    local base = {}
    for i = 1, rnd(40) do base[i] = string.char(96 + rnd(26)) end
    local at = rnd(#base)
    for c = 1, 26 do
      base[at] = string.char(96 + c)
      local w = table.concat(base)
      if not seen[w] then
        seen[w] = true
        words[#words + 1] = w
      end
    end
  end
  return words
end

local function shuffled_text(words, times, rnd)
  local list = {}
  for _ = 1, times do
    for _, w in ipairs(words) do list[#list + 1] = w end
  end
  for i = #list, 2, -1 do
    local j = rnd(i)
    list[i], list[j] = list[j], list[i]
  end
  return table.concat(list, " ")
end

describe("the word-form cache", function()
  it("counts each of 20,000 forms of 1 to 40 bytes exactly", function()
    local words = vocabulary(20000)
    local text = shuffled_text(words, 3, lcg(11))
    local counts, total = thematic.stem_counts(text, "none")
    assert.equal(3 * #words, total)
    local n = 0
    for w, c in pairs(counts) do
      n = n + 1
      assert.equal(3, c, w)
    end
    assert.equal(#words, n)
  end)

  it("gives frequent and rare forms the same counts as a Lua tally", function()
    local words = vocabulary(3000)
    local rnd = lcg(5)
    local list, expect = {}, {}
    for _ = 1, 60000 do
      -- a few words very often (they live in the front cache), most rarely
      local w = words[rnd(5) == 1 and rnd(#words) or rnd(40)]
      list[#list + 1] = w
      expect[w] = (expect[w] or 0) + 1
    end
    assert.same(expect, (thematic.stem_counts(table.concat(list, " "), "none")))
  end)

  it("finds the same pattern hits when its forms are frequent or rare", function()
    local words = vocabulary(2000)
    local rnd = lcg(3)
    local target = thematic.stem(words[7], "english")
    local list, expect = {}, 0
    for _ = 1, 30000 do
      local w = words[rnd(3) == 1 and rnd(#words) or rnd(20)]
      list[#list + 1] = w
      if thematic.stem(w, "english") == target then expect = expect + 1 end
    end
    assert.is_true(expect > 100)
    local m = core.matcher({ language = "english", ncodes = 1, patterns = {
      { code = 1, id = 1, elements = { { "word", words[7] } } } } })
    local r = m:scan(table.concat(list, " "), { hits = false })
    assert.equal(expect, r.counts[1])
  end)
end)

describe("English stems without libstemmer", function()
  -- The lexicon does not call libstemmer for an English word it can tell
  -- the stemmer leaves alone (csrc/lexicon.c, english_keeps: by its last
  -- letter). Checked here against libstemmer itself, through Debian's
  -- python3-stemmer (the same libstemmer0d): if a new libstemmer ever
  -- changes such a word, this fails.
  local H = dofile("spec/helper.lua")
  local probe = io.popen("/usr/bin/python3 -c 'import Stemmer' 2>&1; echo rc=$?")
  local has_pystemmer = probe:read("a"):match("rc=0")
  probe:close()

  it("gives libstemmer's stem for words of every ending", function()
    if not has_pystemmer then
      pending("needs /usr/bin/python3 with Debian's python3-stemmer (make deps installs it)")
      return
    end
    local rand = H.lcg(99)
    local letters = "abcdefghijklmnopqrstuvwxyz"
    local suffixes = { "", "ation", "ational", "ness", "ful", "ize", "ing", "ed", "ies", "ous", "ly",
                       "ement", "abli", "logi", "'s", "s'", "y", "yy", "ey" }
    local endings = { "a", "b", "f", "h", "j", "k", "o", "p", "q", "u", "v", "w", "x", "z", "1",
                      "9", "\u{E9}", "\u{DF}", "'", "c", "d", "e", "g", "i", "l", "m", "n", "r",
                      "s", "t", "y", "" }
    local words, seen = {}, {}
    while #words < 20000 do
      local w = {}
      if rand(20) == 1 then w[1] = "'" end
      for _ = 1, rand(9) do
        local k = rand(#letters)
        w[#w + 1] = letters:sub(k, k)
      end
      w[#w + 1] = suffixes[rand(#suffixes)]
      w[#w + 1] = endings[rand(#endings)]
      -- (stemming sees normalised, case-folded words: "ß" is "ss")
      local s = thematic.normalize(table.concat(w))
      if s ~= "" and not seen[s] then
        seen[s] = true
        words[#words + 1] = s
      end
    end
    local input = os.tmpname()
    H.write(input, table.concat(words, "\n") .. "\n")
    local p = io.popen("/usr/bin/python3 -c 'import sys, Stemmer; s = Stemmer.Stemmer(\"english\"); "
      .. "print(\"\\n\".join(s.stemWords(open(sys.argv[1], encoding=\"utf-8\").read().split(\"\\n\")[:-1])))' "
      .. input)
    local want = {}
    for line in p:lines() do want[#want + 1] = line end
    p:close()
    os.remove(input)
    assert.equal(#words, #want)
    local got = thematic.stem(words, "english")
    for i = 1, #words do
      if got[i] ~= want[i] then
        error(("%q: thematic %q, libstemmer %q"):format(words[i], got[i], want[i]))
      end
    end
  end)
end)
