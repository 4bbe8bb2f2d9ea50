-- Regression tests for what the fuzzers (fuzz/) found. Each finding is
-- either a case written out below, or an input file under
-- spec/fixtures/fuzz/<target>/ replayed here through the Lua API with the
-- invariants of its fuzz target (see fuzz/README.md). fuzz/seeds.sh adds
-- those files to the seed corpora too, so the fuzzers start from them.
local core = require "thematic.core"
local lfs = require "lfs"

local FIXTURES = "spec/fixtures/fuzz"

local read = dofile("spec/helper.lua").slurp

-- The input files of one target, sorted.
local function inputs(target)
  local dir, out = FIXTURES .. "/" .. target, {}
  if lfs.attributes(dir, "mode") ~= "directory" then return out end
  for name in lfs.dir(dir) do
    if name:sub(1, 1) ~= "." and name ~= "README.md" then out[#out + 1] = dir .. "/" .. name end
  end
  table.sort(out)
  return out
end

-- The invariants of fuzz/fuzz_tokenize.c, through core.tokens.
local function check_tokens(data)
  local segs, bad = core.tokens(data, { mode = "uax29" })
  local pos = 1
  for _, t in ipairs(segs) do
    assert.equal(pos, t.start)
    assert.is_true(t.stop >= t.start)
    pos = t.stop + 1
  end
  assert.equal(#data + 1, pos)
  local words, wbad = core.tokens(data)
  local prev = 0
  for _, t in ipairs(words) do
    assert.is_true(t.start > prev, "tokens overlap")
    assert.is_true(t.stop >= t.start and t.stop <= #data)
    assert.equal(data:sub(t.start, t.stop), t.text)
    prev = t.stop
  end
  assert.is_true(wbad <= bad)
end

-- The codebook of fuzz/fuzz_matcher.c as a core.matcher spec.
local function fuzz_matcher()
  local P = {
    { 1, false, { { "word", "barrier" } } },
    { 1, false, { { "glob", "access*" } } },
    { 1, false, { { "word", "access" }, { "word", "code" } } },
    { 1, true, { { "word", "access" }, { "any" }, { "word", "code" } } },
    { 2, false, { { "exact", "NHS" } } },
    { 2, false, { { "glob", "*phone" } } },
    { 2, false, { { "glob", "te?t" } } },
    { 2, false, { { "glob", "gl*c*se" } } },
    { 3, false, { { "word", "not" }, { "any" }, { "word", "confident" } } },
    { 3, false, { { "word", "confident" } } },
    { 3, false, { { "norm", "e-health" } } },
    { 4, false, { { "word", "app" }, { "any" }, { "any" }, { "word", "help" } } },
    { 4, false, { { "glob", "\u{E9}t?*" } } },
    { 4, true, { { "word", "app" }, { "word", "store" } } },
    { 5, false, { { "word", "worri" }, { "word", "about" } } },
    { 5, false, { { "word", "worried" } } },
    { 5, false, { { "glob", "?" } } },
    { 6, false, { { "glob", "*" }, { "word", "insulin" } } },
    { 6, false, { { "norm", "\u{FB01}nger" } } },
  }
  local patterns = {}
  for i, p in ipairs(P) do
    patterns[i] = { code = p[1], id = 99 + i, exclude = p[2], elements = p[3] }
  end
  return core.matcher {
    language = "english", ncodes = 6, patterns = patterns,
    negation = { cues = { "not", "no", "never", "without", "*n't", "n\u{2019}t", "*\u{E9}" }, window = 3 },
    negated_to = { [3] = 5 },
  }
end

-- The invariants of fuzz/fuzz_matcher.c, through m:scan.
local function check_scan(m, text, opts)
  local r = m:scan(text, opts)
  local n = 0
  for c = 1, 6 do n = n + (r.counts[c] or 0) + (r.negated[c] or 0) end
  assert.equal(#r.hits, n)
  local from, to = opts and opts.from or 1, opts and opts.to or #text
  for _, h in ipairs(r.hits) do
    assert.is_true(h.start >= from and h.start <= h.stop and h.stop <= to)
  end
  assert.same(r, m:scan(text, opts))   -- the same again, forms now cached
  return r
end

describe("fuzz regressions", function()
  describe("core.normalize()", function()
    it("returns the empty string for the empty string (fuzz_lexicon: NULL + 0 in th_normalize)", function()
      assert.equal("", core.normalize(""))
      assert.equal("", core.normalize("", { strip_accents = true }))
    end)

    it("gives valid UTF-8 for invalid, truncated and overlong input", function()
      for _, s in ipairs { "\xC3", "\xE2\x80", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                           "a\0b", "\xFF\xFE" } do
        for _, strip in ipairs { false, true } do
          assert.truthy(utf8.len(core.normalize(s, { strip_accents = strip })))
        end
      end
    end)
  end)

  describe("core.tokens()", function()
    it("covers the input exactly in uax29 mode and keeps words in order", function()
      for _, s in ipairs { "", "\xC3", "a\u{200D}\u{1F600}", "http://(", "x@y.zz@", "e-\xE2\x80" } do
        check_tokens(s)
      end
    end)
  end)

  describe("matcher:scan()", function()
    it("keeps its invariants on empty and out-of-range scans", function()
      local m = fuzz_matcher()
      check_scan(m, "")
      check_scan(m, "", { from = 5, to = 2 })
      check_scan(m, "not confident", { from = 100 })
      check_scan(m, "I'm not worried about it; don't", { from = 3, to = 12, skip = { 5, 6 } })
    end)
  end)

  -- Replays of the inputs the fuzzers saved.
  for _, path in ipairs(inputs("tokenize")) do
    it("fuzz_tokenize: " .. path, function() check_tokens(read(path)) end)
  end
  for _, path in ipairs(inputs("normalize")) do
    it("fuzz_normalize: " .. path, function()
      local data = read(path)
      assert.truthy(utf8.len(core.normalize(data)))
      assert.truthy(utf8.len(core.normalize(data, { strip_accents = true })))
    end)
  end
  for _, path in ipairs(inputs("lexicon")) do
    it("fuzz_lexicon: " .. path, function()
      local words = {}
      for w in (read(path) .. "\255"):gmatch("([^\255]*)\255") do words[#words + 1] = w end
      for _, w in ipairs(words) do assert.truthy(utf8.len(core.normalize(w))) end
      for _, s in ipairs(core.stem(words, "english")) do assert.truthy(utf8.len(s)) end
    end)
  end
  for _, path in ipairs(inputs("matcher")) do
    it("fuzz_matcher: " .. path, function()
      local data = read(path)
      local m = fuzz_matcher()
      check_scan(m, data:sub(5))
      if #data > 4 then
        local b0, b1 = data:byte(1, 2)
        local text = data:sub(5)
        check_scan(m, text, { from = b0 % (#text + 1) + 1, to = #text - b1 % (#text + 1) })
      end
    end)
  end

  -- The Lua reader targets: fuzz/harness.lua, as the fuzzer runs them.
  local harness = dofile("fuzz/harness.lua")
  for target, fn in pairs(harness) do
    if type(fn) == "function" then
      for _, path in ipairs(inputs(target)) do
        it(target .. ": " .. path .. " gives a result or nil, message", function()
          fn(read(path))
        end)
      end
    end
  end
end)
