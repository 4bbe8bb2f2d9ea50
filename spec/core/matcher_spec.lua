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

  describe("negated_to", function()
    -- 1 distrust, 2 trusting (negated: distrust); a token counts once for
    -- distrust, whether its hit is distrust's own or moved from trusting
    local dont_trust = { code = 1, elements = { { "norm", "don't" }, { "word", "trust" } } }
    local trust = { code = 2, elements = { { "word", "trust" } } }
    local cues = { cues = { "not", "never", "*n't" }, window = 3 }
    local function moving(patterns, to)
      return matcher(patterns, { negation = cues, negated_to = to or { [2] = 1 } })
    end
    -- the hits, and the counts with and without the list of hits (they agree)
    local function scan(m, text)
      local r = m:scan(text)
      assert.same(r.counts, m:scan(text, { hits = false }).counts)
      assert.same(r.negated, m:scan(text, { hits = false }).negated)
      return hits(m, text), r.counts, r.negated
    end

    it("does not count a moved hit inside a phrase the target has (the same mention)", function()
      local h, counts, negated = scan(moving({ dont_trust, trust }),
                                      "They don't trust a text from an unknown number.")
      assert.same({ { 1, "don't trust", false } }, h)
      assert.same({ 1, 0, 0, 0 }, counts)
      assert.same({ 0, 0, 0, 0 }, negated)
    end)
    it("does not count a moved hit that starts inside the target's hit and ends after it", function()
      local trust_them = { code = 2, elements = { { "word", "trust" }, { "word", "them" } } }
      local h, counts = scan(moving({ dont_trust, trust_them }), "I don't trust them at all")
      assert.same({ { 1, "don't trust", false } }, h)
      assert.same({ 1, 0, 0, 0 }, counts)
    end)
    it("drops the target's own hit that starts inside a hit moved to it", function()
      local trust_app = { code = 2, elements = { { "word", "trust" }, { "any" }, { "word", "app" } } }
      local app = { code = 1, elements = { { "word", "app" } } }
      local h, counts, negated = scan(moving({ trust_app, app }), "I never trust this app.")
      assert.same({ { 1, "trust this app", true } }, h)
      assert.same({ 1, 0, 0, 0 }, counts)
      assert.same({ 0, 0, 0, 0 }, negated)
    end)
    it("keeps the target's own hit on the same token, not the moved one", function()
      local mention = { code = 1, elements = { { "glob", "trust*" } } }
      local h, counts, negated = scan(moving({ trust, mention }), "They never trust it.")
      assert.same({ { 1, "trust", true } }, h)
      assert.same({ 0, 0, 0, 0 }, counts)
      assert.same({ 1, 0, 0, 0 }, negated)
    end)
    it("counts a moved hit on a token where the target has no hit", function()
      local h, counts = scan(moving({ dont_trust, trust }), "They never trust texts.")
      assert.same({ { 1, "trust", true } }, h)
      assert.same({ 1, 0, 0, 0 }, counts)
      assert.same({ code = 1, from = 2, negated = true, pattern = 2, start = 12, stop = 16 },
                  moving({ dont_trust, trust }):scan("They never trust texts.").hits[1])
    end)
    it("counts two hits moved to one code on different tokens", function()
      local rely = { code = 3, elements = { { "word", "rely" } } }
      local h, counts = scan(moving({ dont_trust, trust, rely }, { [2] = 1, [3] = 1 }),
                             "Never trust it, never rely on it, never trust anyone.")
      assert.same({ { 1, "trust", true }, { 1, "rely", true }, { 1, "trust", true } }, h)
      assert.same({ 3, 0, 0, 0 }, counts)
    end)
    it("counts one of two hits moved to one code on the same token: the longest", function()
      local trust_them = { code = 3, elements = { { "word", "trust" }, { "word", "them" } } }
      local m = moving({ trust, trust_them }, { [2] = 1, [3] = 1 })
      local h, counts = scan(m, "never trust them")
      assert.same({ { 1, "trust them", true } }, h)
      assert.same({ 1, 0, 0, 0 }, counts)
      assert.equal(3, m:scan("never trust them").hits[1].from)
    end)
    it("counts two hits moved to one code on different tokens with exclusions on both codes", function()
      local h, counts = scan(moving({
        dont_trust, trust,
        { code = 1, elements = { { "word", "trust" }, { "word", "fund" } }, exclude = true },
        { code = 2, elements = { { "word", "trust" }, { "word", "fund" } }, exclude = true },
      }), "never trust them. never trust anyone. never trust a trust fund.")
      -- the target's exclusion does not apply to a moved hit; the source's
      -- drops its hit before it moves
      assert.same({ { 1, "trust", true }, { 1, "trust", true }, { 1, "trust", true } }, h)
      assert.same({ 3, 0, 0, 0 }, counts)
    end)
    it("moves one code's negated hits while taking hits moved from another", function()
      -- 2 -> 1 and 1 -> 3: the hit of 1 moved away leaves the token free for 2's
      local h, counts = scan(moving({ trust, { code = 1, elements = { { "glob", "trust*" } } } },
                                    { [2] = 1, [1] = 3 }), "never trust")
      assert.same({ { 1, "trust", true }, { 3, "trust", true } }, h)
      assert.same({ 1, 0, 1, 0 }, counts)
    end)
    it("rejects a code moved to itself", function()
      assert.has_error(function() moving({ trust }, { [2] = 2 }) end,
        "bad argument #1 to 'matcher' (negated_to maps code 2 to itself)")
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
