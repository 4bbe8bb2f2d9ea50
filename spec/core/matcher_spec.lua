-- The C matcher through its private interface (docs/internals.md). The
-- codebook module builds these specs from files; here they are written out
-- so each matching rule is tested on its own.
local core = require "thematic.core"

local function matcher(patterns, extra)
  local spec = { language = "english", ncodes = 4, patterns = patterns }
  for k, v in pairs(extra or {}) do spec[k] = v end
  return core.matcher(spec)
end

local function hits(m, text)
  local out = {}
  for _, h in ipairs(m:scan(text).hits) do
    out[#out + 1] = { h.code, text:sub(h.start, h.stop), h.negated }
  end
  return out
end

describe("thematic.core.matcher", function()
  describe("word elements", function()
    it("match on the stem", function()
      local m = matcher({ { code = 1, elements = { { "word", "barrier" } } } })
      assert.same({ { 1, "Barriers", false }, { 1, "barrier", false } },
                  hits(m, "Barriers everywhere; one barrier."))
    end)
  end)

  describe("glob elements", function()
    local m = matcher({
      { code = 1, elements = { { "glob", "access*" } } },
      { code = 2, elements = { { "glob", "*literate" } } },
      { code = 3, elements = { { "glob", "e?health" } } },
      { code = 4, elements = { { "glob", "tele*care" } } },
    })
    it("match a prefix, a suffix, a single character and an inner run", function()
      assert.same({ { 1, "Accessible", false }, { 2, "illiterate", false },
                    { 3, "e-health", false }, { 4, "telecare", false },
                    { 4, "tele-social-care", false } },
                  hits(m, "Accessible for the illiterate? e-health, telecare, tele-social-care"))
    end)
    it("match the prefix itself (the star may be empty)", function()
      assert.same({ { 1, "access", false } }, hits(m, "access"))
    end)
    it("count '?' as one code point, not one byte", function()
      local m2 = matcher({ { code = 1, elements = { { "glob", "caf?" } } } })
      assert.same({ { 1, "café", false }, { 1, "Cafe", false } }, hits(m2, "café Cafe caffè"))
    end)
  end)

  describe("exact elements", function()
    it("are case-sensitive on the surface form", function()
      local m = matcher({ { code = 1, elements = { { "exact", "GP" } } },
                          { code = 2, elements = { { "exact", "A&E" } } } })
      assert.same({ { 1, "GP", false }, { 2, "A&E", false } }, hits(m, "GP gp Gp A&E a&e"))
    end)
  end)

  describe("phrases", function()
    it("match a sequence of tokens", function()
      local m = matcher({ { code = 1, elements = { { "word", "digital" }, { "word", "literacy" } } } })
      assert.same({ { 1, "digital literacy", false } },
                  hits(m, "digital skills, digital literacy, literacy digital"))
    end)
    it("take 'any' as exactly one token", function()
      local m = matcher({ { code = 1, elements = { { "norm", "not" }, { "any" }, { "word", "confident" } } } })
      assert.same({ { 1, "not very confident", false } },
                  hits(m, "not confident; not very confident; not at all confident"))
    end)
    it("find phrases across the scanner's internal buffer boundary", function()
      local m = matcher({ { code = 1, elements = { { "word", "face" }, { "word", "to" }, { "word", "face" } } } })
      local text = ("face to face "):rep(5000)
      assert.equal(5000, m:scan(text, { hits = false }).counts[1])
    end)
  end)

  describe("overlaps", function()
    it("keep the longest match within a code", function()
      local m = matcher({
        { code = 1, elements = { { "word", "data" } } },
        { code = 1, elements = { { "word", "data" }, { "word", "cost" } } },
      })
      assert.same({ { 1, "data cost", false } }, hits(m, "data cost"))
    end)
    it("count a token matched by several patterns of one code once", function()
      local m = matcher({
        { code = 1, elements = { { "word", "apps" } } },
        { code = 1, elements = { { "glob", "app*" } } },
      })
      assert.equal(1, m:scan("apps").counts[1])
    end)
    it("let one token count for two codes", function()
      local m = matcher({
        { code = 1, elements = { { "word", "app" } } },
        { code = 2, elements = { { "glob", "app*" } } },
      })
      assert.same({ 1, 1, 0, 0 }, m:scan("app").counts)
    end)
  end)

  describe("exclusions", function()
    local m = matcher({
      { code = 1, elements = { { "word", "access" } } },
      { code = 1, elements = { { "word", "access" }, { "word", "code" } }, exclude = true },
      { code = 2, elements = { { "glob", "app*" } } },
      { code = 2, elements = { { "word", "apple" } }, exclude = true },
      { code = 3, elements = { { "word", "code" } } },
      { code = 3, elements = { { "word", "access" }, { "word", "code" } }, exclude = true },
    })
    it("drop a hit they cover, keeping others", function()
      assert.same({ { 1, "access", false }, { 2, "app", false } },
                  hits(m, "the access code, the apple, access and the app"))
    end)
    it("cover a hit that starts after the exclusion starts", function()
      assert.equal(0, m:scan("access code").counts[3])
    end)
  end)

  describe("negation", function()
    local m = matcher({
      { code = 1, elements = { { "word", "easy" }, { "word", "to" }, { "word", "use" } } },
      { code = 2, elements = { { "word", "confident" } } },
      { code = 3, elements = { { "word", "barrier" } } },
    }, { negation = { cues = { "not", "never", "*n't", "without" }, window = 3 },
         negated_to = { [1] = 3 } })

    it("marks a hit preceded by a cue within the window as negated", function()
      local r = m:scan("They were never really that confident.")
      assert.same({ 0, 0, 0, 0 }, r.counts)
      assert.same({ 0, 1, 0, 0 }, r.negated)
    end)
    it("does not look further back than the window", function()
      assert.same({ 0, 1, 0, 0 }, m:scan("not one of them was confident").counts)
    end)
    it("never looks across a sentence end", function()
      assert.same({ 0, 1, 0, 0 }, m:scan("Not really. Confident now.").counts)
    end)
    it("recognises n't contractions with either apostrophe", function()
      assert.same({ 0, 1, 0, 0 }, m:scan("they weren’t confident").negated)
      assert.same({ 0, 1, 0, 0 }, m:scan("they weren't confident").negated)
    end)
    it("moves negated hits to the code named by negated_to", function()
      local r = m:scan("It isn't easy to use.")
      assert.same({ 0, 0, 1, 0 }, r.counts)
      assert.same({ 0, 0, 0, 0 }, r.negated)
      assert.same({ code = 3, from = 1, negated = true, pattern = 1, start = 10, stop = 20 },
                  r.hits[1])
    end)
  end)

  describe("scan()", function()
    local m = matcher({ { code = 1, elements = { { "word", "app" } } } })
    it("counts words, leaving out skipped ranges", function()
      local text = "the app [inaudible] app"
      local r = m:scan(text, { skip = { 9, 19 } })
      assert.equal(3, r.words)
      assert.equal(2, r.counts[1])
    end)
    it("scans only the byte range asked for", function()
      local r = m:scan("app one app two app", { from = 5, to = 11 })
      assert.equal(1, r.counts[1])
      assert.equal(2, r.words)
    end)
    it("leaves out the list of hits when asked", function()
      assert.is_nil(m:scan("app", { hits = false }).hits)
    end)
    it("survives random bytes", function()
      math.randomseed(7)
      for _ = 1, 200 do
        local b = {}
        for i = 1, math.random(0, 200) do b[i] = string.char(math.random(0, 255)) end
        local r = m:scan(table.concat(b))
        assert.is_number(r.words)
      end
    end)
  end)

  describe("building", function()
    it("rejects an unknown element kind, naming the pattern", function()
      assert.has_error(function()
        core.matcher({ ncodes = 1, patterns = { { code = 1, elements = { { "regex", "x" } } } } })
      end, "bad argument #1 to 'matcher' (pattern 1: unknown element kind 'regex' "
        .. "(expected word, norm, glob, exact or any))")
    end)
    it("rejects 'any' at the start of a phrase", function()
      assert.has_error(function()
        core.matcher({ ncodes = 1, patterns = { { code = 1, elements = { { "any" }, { "word", "x" } } } } })
      end, "bad argument #1 to 'matcher' (pattern 1: 'any' cannot start or end a pattern)")
    end)
    it("rejects a code number out of range", function()
      assert.has_error(function()
        core.matcher({ ncodes = 1, patterns = { { code = 2, elements = { { "word", "x" } } } } })
      end, "bad argument #1 to 'matcher' (pattern 1: code must be an integer from 1 to ncodes)")
    end)
    it("shares terms between patterns", function()
      local m = matcher({
        { code = 1, elements = { { "word", "apps" } } },
        { code = 2, elements = { { "word", "app" } } },
      })
      assert.equal(1, m:info().terms)
    end)
  end)
end)
