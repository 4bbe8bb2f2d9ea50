-- Published values used here: Wikipedia, "Pointwise mutual information",
-- worked example with joint probabilities p(x=0,y=0) = 0.1, p(0,1) = 0.7,
-- p(1,0) = 0.15, p(1,1) = 0.05, whose PMI values (log base 2) are
-- pmi(0;0) = -1, pmi(0;1) = 0.222392, pmi(1;0) = 1.584963,
-- pmi(1;1) = -1.584963. We turn it into 20 segments carrying codes
-- x0/x1 and y0/y1.
-- Second: Manning, C. D. & Schütze, H. (1999). Foundations of Statistical
-- Natural Language Processing, Table 5.14 (pointwise mutual information of
-- bigrams in a corpus of N = 14,307,668 bigrams): Ayatollah Ruhollah
-- (C = 42, 20, 20) 18.38; Bette Midler (41, 27, 20) 17.98; Agatha
-- Christie (30, 117, 20) 16.31; videocassette recorder (77, 59, 20) 15.94.
-- NPMI and Jaccard: their published worked examples (NPMI: gensim's
-- direct-confirmation test, -0.113; Bouma 2009 p. 36 via the Wordless test
-- suite, 1 / 0 / -1. Jaccard: scikit-learn's jaccard_score examples; SciPy's
-- distance.jaccard examples) are checked in published_examples_spec.lua.
-- This file checks them against their definitions and the stated limit
-- conventions.
local cooccur = require "thematic.analysis.cooccur"

local function pair(result, a, b)
  for _, p in ipairs(result.pairs) do
    if p.a == a and p.b == b then return p end
  end
end

local function wiki_segments()
  local segs = {}
  local function add(n, codes) for _ = 1, n do segs[#segs + 1] = codes end end
  add(2, { "x0", "y0" })   -- 0.10
  add(14, { "x0", "y1" })  -- 0.70
  add(3, { "x1", "y0" })   -- 0.15
  add(1, { "x1", "y1" })   -- 0.05
  return segs
end

describe("thematic.analysis.cooccur", function()
  describe("pair_stats()", function()
    it("reproduces Manning & Schütze (1999) Table 5.14", function()
      local N = 14307668
      for _, row in ipairs({ { 42, 20, 20, 18.38 }, { 41, 27, 20, 17.98 },
                             { 30, 117, 20, 16.31 }, { 77, 59, 20, 15.94 } }) do
        local st = cooccur.pair_stats("w1", "w2", row[3], row[1], row[2], N)
        assert.is_near(row[4], st.pmi, 0.005)
      end
    end)
  end)

  describe("compute()", function()
    it("reproduces Wikipedia's PMI example (base 2)", function()
      local r = cooccur.compute(wiki_segments())
      assert.is_near(-1, pair(r, "x0", "y0").pmi, 0.0005)
      assert.is_near(0.222, pair(r, "x0", "y1").pmi, 0.0005)
      assert.is_near(1.585, pair(r, "x1", "y0").pmi, 0.0005)
      assert.is_near(-1.585, pair(r, "x1", "y1").pmi, 0.0005)
    end)

    it("gives counts, Jaccard and NPMI by their definitions", function()
      local r = cooccur.compute(wiki_segments())
      local p = pair(r, "x1", "y1")
      assert.are.same({ 1, 4, 15, 20 }, { p.n_ab, p.n_a, p.n_b, p.n })
      assert.are.equal(1 / 18, p.jaccard)
      assert.is_near(-1.584963 / -math.log(0.05, 2), p.npmi, 1e-6)
    end)

    it("sets npmi = -1 and pmi = nil for codes that never co-occur", function()
      local r = cooccur.compute(wiki_segments())
      local p = pair(r, "x0", "x1")
      assert.are.equal(0, p.n_ab)
      assert.are.equal(-1, p.npmi)
      assert.is_nil(p.pmi)
      assert.are.equal(0, p.jaccard)
    end)

    it("sets npmi = 1 when both codes are in every segment", function()
      local r = cooccur.compute({ { "a", "b" }, { "a", "b" } })
      assert.are.equal(1, r.pairs[1].npmi)
      assert.are.equal(0, r.pairs[1].pmi)
      assert.are.equal(1, r.pairs[1].jaccard)
    end)

    it("accepts sets and lists codes in order", function()
      local r = cooccur.compute({ { b = true, a = true }, { "c" } })
      assert.are.same({ "a", "b", "c" }, r.codes)
      assert.are.equal(3, #r.pairs)
      assert.are.equal(2, r.n)
    end)

    it("computes by group", function()
      local r = cooccur.compute({ { "a", "b" }, { "a" }, { "a", "b" } }, { groups = { "T1", "T2", "T2" } })
      assert.are.equal(1, r.by_group.T1.pairs[1].n_ab)
      assert.are.equal(2, r.by_group.T2.n)
      assert.are.equal(1, r.by_group.T2.pairs[1].n_ab)
      assert.are.equal(2, r.pairs[1].n_ab)
    end)

    it("raises when groups do not match the segments", function()
      assert.has_error(function() cooccur.compute({ { "a" } }, { groups = {} }) end,
        "bad argument #2 to 'compute' (groups must be an array with one label per segment)")
    end)
  end)

  describe("window()", function()
    it("makes one unit per hit position holding codes up to N words later", function()
      local units = cooccur.window({ { code = "b", pos = 3 }, { code = "a", pos = 1 }, { code = "c", pos = 10 } }, 2)
      assert.are.same({ { a = true, b = true }, { b = true }, { c = true } }, units)
    end)

    it("feeds compute() so that only close codes co-occur", function()
      local r = cooccur.compute(cooccur.window({ { code = "a", pos = 1 }, { code = "b", pos = 3 },
        { code = "c", pos = 10 } }, 2))
      assert.are.equal(1, pair(r, "a", "b").n_ab)
      assert.are.equal(0, pair(r, "b", "c").n_ab)
    end)

    it("raises on a negative window", function()
      assert.has_error(function() cooccur.window({}, -1) end,
        "bad argument #2 to 'window' (non-negative integer expected, got -1)")
    end)
  end)

  describe("matrix()", function()
    it("lays pairs out symmetrically with counts on the diagonal", function()
      local m = cooccur.matrix(cooccur.compute({ { "a", "b" }, { "a" } }))
      assert.are.same({ "a", "b" }, m.codes)
      assert.are.same({ { 2, 1 }, { 1, 1 } }, m.rows)
    end)

    it("raises on an unknown statistic", function()
      assert.has_error(function() cooccur.matrix({ codes = {}, pairs = {} }, "dice") end,
        "bad argument #2 to 'matrix' (unknown statistic 'dice'; expected n_ab, jaccard, pmi or npmi)")
    end)
  end)
end)
