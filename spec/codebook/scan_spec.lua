-- Specs that need the C core (build/thematic/core.so, from `make`).
local ok_core = pcall(require, "thematic.core")
local codebook = require "thematic.codebook"

local function hits(res)
  local out = {}
  for _, h in ipairs(res.hits) do
    out[#out + 1] = string.format("%s %d-%d %s%s%s", h.code_path, h.start, h.stop, h.pattern_text,
      h.negated and " negated" or "", h.from_path and (" from " .. h.from_path) or "")
  end
  table.sort(out)
  return out
end

describe("thematic.codebook with the core", function()
  if not ok_core then
    it("needs thematic.core", function() pending("build/thematic/core.so is missing: run make") end)
    return
  end
  local cb = assert(codebook.new { codes = {
    { name = "a", patterns = { "data", "data cost", "cost*" }, except = { "data protection" } },
    { name = "b", patterns = { "cost" }, negated_to = "c" },
    { name = "c", patterns = { "=GP" } },
  } })

  describe("scan()", function()
    it("lets the longest match win within a code and counts a token for two codes", function()
      local res = cb:scan("data cost")
      assert.same({ "a 1-9 data cost", "b 6-9 cost" }, hits(res))
      assert.same({ 1, 1, 0 }, { res.by_path.a, res.by_path.b, res.by_path.c })
    end)
    it("drops hits that an exclusion covers", function()
      assert.same({}, hits(cb:scan("data protection rules")))
    end)
    it("matches word patterns on the stem", function()
      assert.same({ "a 1-10 data cost", "b 6-10 cost" }, hits(cb:scan("data costs")))
    end)
    it("matches =exact patterns case-sensitively", function()
      assert.same({ "c 5-6 =GP" }, hits(cb:scan("The GP and the gp")))
    end)
    it("counts a hit after a cue within the window as negated, moving it by negated_to", function()
      local res = cb:scan("not the cost")
      assert.same({ "a 9-12 cost* negated", "c 9-12 cost negated from b" }, hits(res))
      assert.same({ 0, 0, 1 }, { res.by_path.a, res.by_path.b, res.by_path.c })
    end)
    it("does not negate beyond the window", function()
      assert.same({ "a 17-20 cost*", "b 17-20 cost" }, hits(cb:scan("not the big bad cost")))
    end)
    it("does not negate across a sentence end", function()
      assert.same({ "a 10-13 cost*", "a 4-7 cost* negated", "b 10-13 cost", "c 4-7 cost negated from b" },
        hits(cb:scan("no cost. cost")))
    end)
    it("reads a n't form as a cue", function()
      assert.same({ "a 9-12 cost* negated", "c 9-12 cost negated from b" }, hits(cb:scan("I don't cost")))
    end)
    it("counts a negated hit moved onto the target's own phrase once (the same mention)", function()
      local trust = assert(codebook.new { codes = { { name = "trust", codes = {
        { name = "distrust", patterns = { "scam*", "distrust", "not * trust", "don't trust" } },
        { name = "trusting", patterns = { "trust" }, negated_to = "trust/distrust" } } } } })
      local res = trust:scan("P01: They don't trust a text from an unknown number.")
      assert.same({ "trust/distrust 11-21 don't trust" }, hits(res))
      assert.same({ 1, 0 }, { res.by_path["trust/distrust"], res.by_path["trust/trusting"] })
      assert.same({ 0, 0 }, { res.negated_by_path["trust/distrust"], res.negated_by_path["trust/trusting"] })
      -- a negated 'trust' the target has no hit on still moves
      assert.same({ "trust/distrust 12-16 trust negated from trust/trusting" },
        hits(trust:scan("They never trust a text.")))
    end)
    it("scans the sample codebook", function()
      local f = io.open("samples/codebooks/digital-health.yml")
      if not f then pending("no sample codebook"); return end
      f:close()
      local dh = assert(codebook.load("samples/codebooks/digital-health.yml"))
      local res = dh:scan("We never felt confident with the app.")
      assert.is_true(#res.hits > 0)
    end)
  end)

  describe("explain()", function()
    local ex = assert(codebook.new { codes = {
      { name = "d", patterns = { "=NHS", "diabetes", "smartphone*", "not * confident" },
        except = { "access code" } } } })
    local lines = ex:explain("The nhs said Diabtes. Smartphon. Not so sure. Access code.")
    local function has(s)
      for _, l in ipairs(lines) do if l == s then return true end end
      return false
    end
    it("starts with the counts", function()
      assert.same("10 word(s); 0 hit(s)", lines[1])
    end)
    it("notes an exact pattern missed by case", function()
      assert.is_true(has("near miss: 'nhs' differs from exact pattern '=NHS' of d in case or form; "
        .. "exact patterns are case-sensitive"))
    end)
    it("notes a word one edit away", function()
      assert.is_true(has("near miss: 'Diabtes' (stem 'diabt') is one edit from word pattern 'diabetes' "
        .. "(stem 'diabet') of d; a word pattern needs the same stem"))
    end)
    it("notes a glob prefix one edit away", function()
      assert.is_true(has("near miss: 'Smartphon' is one edit from the fixed part 'smartphone' "
        .. "of glob 'smartphone*' of d"))
    end)
    it("notes a phrase that starts but does not finish", function()
      assert.is_true(has("near miss: phrase 'not * confident' of d starts at 'Not' (byte 34) "
        .. "but 'sure' does not match element 3 ('confident')"))
    end)
    it("names exclusions that cover a span", function()
      assert.is_true(has("exclusion 'access code' of d covers 'Access code' (bytes 47-57): "
        .. "hits of d inside it are dropped"))
    end)
    it("explains a negated hit and its cue", function()
      local l = cb:explain("not the cost")
      assert.same("'cost' (bytes 9-12) → c, pattern 'cost'; negated by 'not', counted for c (negated_to of b)", l[3])
    end)
  end)

  describe("matcher()", function()
    it("is compiled once and cached", function()
      assert.equal(cb:matcher(), cb:matcher())
    end)
  end)
end)
