-- Published worked examples for the statistics that, until now, had one
-- published source or none (issue 6): %DIFF, Log Ratio and Pearson's
-- chi-square in keyness, NPMI and Jaccard in co-occurrence. Every case calls the real module function and compares it
-- with a number printed in the source named in the comment above it, at the
-- precision the source prints (3 decimals where it prints 3 or more).
--
-- Some values were read through a secondary source: a software test suite
-- that quotes the original publication with its page. Those cases say so;
-- the original slides/paper themselves could not be retrieved here.
--
-- Thematic saturation (Guest, Namey & Chen 2020) is NOT covered here: no
-- second published worked example of the method (a printed table of new
-- themes per interview with its base, run and saturation point) was found.
-- Its only published check remains the one in saturation_spec.lua.
--
-- Log Ratio (Hardie 2014): its second published check is the test suite of
-- the R package DramaAnalysis (below); the first, Hardie's own example, is
-- in keyness_spec.lua.
local keyness = require "thematic.analysis.keyness"
local cooccur = require "thematic.analysis.cooccur"

local function round(x, places)
  local m = 10 ^ places
  return math.floor(x * m + 0.5) / m
end

local function round3(x) return round(x, 3) end

-- Doctest outputs such as "0.6666..." print a prefix of the value: the
-- value must begin with those digits.
local function assert_prefix(printed, x)
  local s = string.format("%.17f", x)
  assert.are.equal(printed, s:sub(1, #printed))
end

local function pair(result, a, b)
  for _, p in ipairs(result.pairs) do
    if p.a == a and p.b == b then return p end
  end
end

-- Two presence vectors over the same positions -> one segment per position
-- holding code "u" where u[i] is non-zero and code "v" where v[i] is.
local function vectors_to_pair(u, v)
  local segs = {}
  for i = 1, #u do
    local codes = {}
    if u[i] ~= 0 then codes[#codes + 1] = "u" end
    if v[i] ~= 0 then codes[#codes + 1] = "v" end
    segs[i] = codes
  end
  return pair(cooccur.compute(segs), "u", "v")
end

describe("published worked examples", function()
  describe("%DIFF (keyness.stats, keyness.compare)", function()
    -- Source: Gabrielatos, C. & Marchi, A. (2011). Keyness: Matching metrics
    -- to definitions. Corpus Linguistics in the South 1, University of
    -- Portsmouth, 5 Nov 2011, slide p. 18 — as quoted with its inputs in the
    -- Wordless test suite (Ye Lei), tests/tests_measures/
    -- test_measures_effect_size.py, test_pct_diff, repository
    -- BLKSerene/Wordless, commit d719fd882de1ab1040d9e7cf659f345940d46584:
    -- 206,523 in a 959,641-word target vs 178,174 in a 1,562,358-word
    -- reference -> %DIFF 88.7 (printed to 1 decimal; checked to 1 decimal).
    it("reproduces Gabrielatos & Marchi (2011): %DIFF = 88.7", function()
      local s = keyness.stats(206523, 178174, 959641, 1562358)
      assert.are.equal(88.7, round(s.percent_diff, 1))
    end)

    -- Source: Gabrielatos, C. & Marchi, A. (2012). Keyness: Appropriate
    -- metrics and practical issues. CADS International Conference 2012,
    -- University of Bologna, 13-14 Sept 2012, pp. 21-22 — as quoted with its
    -- inputs in an earlier (2022) version of the Wordless test suite
    -- ("Wordless: Tests - Measures - Effect Size", copyright 2018-2022,
    -- test_pct_diff): 20 in a 29,954-word target vs 1 in a 23,691-word
    -- reference -> %DIFF 1481.83 (printed to 2 decimals; checked to 2).
    it("reproduces Gabrielatos & Marchi (2012): %DIFF = 1481.83", function()
      assert.are.equal(1481.83, round(keyness.stats(20, 1, 29954, 23691).percent_diff, 2))
      local rows = assert(keyness.compare({ w = 20 }, { w = 1 },
        { target_total = 29954, reference_total = 23691 }))
      assert.are.equal(1481.83, round(rows[1].percent_diff, 2))
    end)
  end)

  describe("Log Ratio (keyness.stats)", function()
    -- Source: DramaAnalysis 3.0.2, an R package on CRAN (Nils Reiter et al.;
    -- repository quadrama/DramaAnalysis), tests/testthat/test-keyness.R,
    -- commit bf3805f45adaea0346591597343e51d6791432a6, test "keyness(...,
    -- method=logratio) on dummy data produces correct results": a frequency
    -- table with rows m1 = (a 10, b 5, c 1), f1 = (1, 3, 10), m2 = (8, 5, 1),
    -- group m against group f, gives Log Ratio 3.0703893 for a and
    -- -3.4214638 for c (printed to 7 decimals). Group m has 30 words (a 18,
    -- c 2), group f 14 (a 1, c 10): no zero count, so no correction is used.
    it("reproduces DramaAnalysis's keyness test: 3.0703893 and -3.4214638", function()
      assert.are.equal(3.0703893, round(keyness.stats(18, 1, 30, 14).log_ratio, 7))
      assert.are.equal(-3.4214638, round(keyness.stats(2, 10, 30, 14).log_ratio, 7))
    end)
  end)

  describe("Pearson's chi-square without Yates' correction (keyness.stats)", function()
    -- The 2x2 table is symmetric under transposition, so a published table
    -- (o11, o12, o21, o22) is passed as target count o11, reference count
    -- o12, target total o11 + o21, reference total o12 + o22.

    -- Source: Manning, C. D. & Schütze, H. (1999). Foundations of
    -- Statistical Natural Language Processing. MIT Press, section 5.3.3
    -- ("new companies": 8 bigrams; "new" 15,828, "companies" 4,675 in
    -- 14,307,668 bigrams) -> chi-square 1.55 — as quoted with its inputs in
    -- NLTK's doctest nltk/test/collocations.doctest ("Chi-square: examples
    -- from Manning and Schutze 5.3.3"), repository nltk/nltk, commit
    -- 021033b2879fd8fe8c855d40ef58ce8d66a29636: chi_sq(8, (15828, 4675),
    -- 14307668) -> 1.55, also as cells (8, 15820, 4667, 14287173) -> 1.55;
    -- and chi_sq(59, (67, 65), 571007) -> 456400 (printed with no decimals).
    -- NLTK's chi_sq is the uncorrected Pearson statistic. Checked to the
    -- printed precision (2 decimals; whole number).
    it("reproduces Manning & Schütze (1999) 5.3.3: 1.55 and 456400", function()
      -- term "companies": 8 after "new" (15,828 bigrams), 4,667 elsewhere
      assert.are.equal(1.55, round(keyness.stats(8, 4667, 15828, 14307668 - 15828).chi2, 2))
      -- the same table transposed
      assert.are.equal(1.55, round(keyness.stats(8, 15820, 4675, 14307668 - 4675).chi2, 2))
      local rows = assert(keyness.compare({ companies = 8 }, { companies = 4667 },
        { target_total = 15828, reference_total = 14307668 - 15828 }))
      assert.are.equal(1.55, round(rows[1].chi2, 2))
      -- 59 joint, marginals 67 and 65, N = 571,007
      assert.are.equal(456400, round(keyness.stats(59, 65 - 59, 67, 571007 - 67).chi2, 0))
    end)

    -- Source: Dunning, T. E. (1993). Accurate methods for the statistics of
    -- surprise and coincidence. Computational Linguistics 19(1), 61-74,
    -- p. 73 — as quoted with its table in the Wordless test suite (Ye Lei),
    -- tests/tests_measures/test_measures_statistical_significance.py,
    -- test_pearsons_chi_squared_test with apply_correction = False,
    -- repository BLKSerene/Wordless, commit
    -- d719fd882de1ab1040d9e7cf659f345940d46584: cells (o11, o12, o21, o22)
    -- = (3, 0, 0, 31774) -> chi-square 31777 (rounded to a whole number;
    -- checked to a whole number).
    it("reproduces Dunning (1993) p. 73: 31777 for a term seen only in the target", function()
      assert.are.equal(31777, round(keyness.stats(3, 0, 3, 31774).chi2, 0))
    end)
  end)

  describe("NPMI (cooccur)", function()
    -- Source: gensim (Řehůřek et al.), gensim/test/test_direct_confirmation.py,
    -- testLogRatioMeasure and testNormalizedLogRatioMeasure, repository
    -- piskvorky/gensim, commit 05cbac2723e8152a9faafd3fb26824ea114cedf3:
    -- 5 documents, word 1 in documents {2, 3, 4}, word 2 in {3, 5}; PMI
    -- (natural log) = -0.182321557, NPMI = -0.113282753. (gensim adds
    -- 1e-12 to p(x,y); that does not reach the 3rd decimal.)
    it("reproduces gensim's worked NPMI example: -0.113", function()
      local p = pair(cooccur.compute({ {}, { "w1" }, { "w1", "w2" }, { "w1" }, { "w2" } }), "w1", "w2")
      assert.are.same({ 1, 3, 2, 5 }, { p.n_ab, p.n_a, p.n_b, p.n })
      assert.are.equal(-0.113, round3(p.npmi))
      -- our PMI is in bits; in nats it is gensim's -0.182321557
      assert.are.equal(-0.182, round3(p.pmi * math.log(2)))
    end)

    -- Source: Bouma, G. (2009). Normalized (pointwise) mutual information in
    -- collocation extraction. Proceedings of GSCL 2009, pp. 31-40, p. 36 — as
    -- quoted with its 2x2 tables in the Wordless test suite,
    -- tests/tests_measures/test_measures_effect_size.py, test_npmi
    -- (BLKSerene/Wordless, commit d719fd882de1ab1040d9e7cf659f345940d46584):
    -- cells (o11, o12, o21, o22) = (10, 0, 0, 90) -> 1; (1, 9, 9, 81) -> 0;
    -- (0, 10, 10, 80) -> -1. Here n_ab = o11, n_a = o11 + o12,
    -- n_b = o11 + o21, n = 100.
    it("reproduces Bouma (2009): NPMI 1, 0 and -1 for complete, independent and no co-occurrence", function()
      assert.are.equal(1, round3(cooccur.pair_stats("x", "y", 10, 10, 10, 100).npmi))
      assert.are.equal(0, round3(cooccur.pair_stats("x", "y", 1, 10, 10, 100).npmi))
      assert.are.equal(-1, round3(cooccur.pair_stats("x", "y", 0, 10, 10, 100).npmi))
    end)
  end)

  describe("Jaccard (cooccur)", function()
    -- Source: scikit-learn, sklearn.metrics.jaccard_score, docstring
    -- examples (sklearn/metrics/_classification.py) and User Guide section
    -- "Jaccard similarity coefficient score" (doc/modules/model_evaluation.rst,
    -- repository scikit-learn/scikit-learn): y_true = [[0,1,1],[1,1,0]],
    -- y_pred = [[1,1,1],[1,0,0]]; binary y_true[0] vs y_pred[0] -> 0.6666...;
    -- per label (average=None) -> [0.5, 0.5, 1.]; average='samples' ->
    -- 0.5833...; multiclass y_true = [0,1,2,2], y_pred = [0,2,1,2] per label
    -- -> [1., 0., 0.33...]. Each position is a segment; a label's presence
    -- in y_true and in y_pred are the two codes.
    it("reproduces scikit-learn's jaccard_score examples", function()
      local yt = { { 0, 1, 1 }, { 1, 1, 0 } }
      local yp = { { 1, 1, 1 }, { 1, 0, 0 } }
      local row1 = vectors_to_pair(yt[1], yp[1]).jaccard
      assert_prefix("0.6666", row1)
      assert.are.equal(0.667, round3(row1))

      local per_label = {}
      for j = 1, 3 do
        per_label[j] = vectors_to_pair({ yt[1][j], yt[2][j] }, { yp[1][j], yp[2][j] }).jaccard
      end
      assert.are.same({ 0.5, 0.5, 1 }, per_label)

      local row2 = vectors_to_pair(yt[2], yp[2]).jaccard
      assert_prefix("0.5833", (row1 + row2) / 2)

      local mt, mp = { 0, 1, 2, 2 }, { 0, 2, 1, 2 }
      local got = {}
      for label = 0, 2 do
        local u, v = {}, {}
        for i = 1, #mt do
          u[i] = mt[i] == label and 1 or 0
          v[i] = mp[i] == label and 1 or 0
        end
        got[#got + 1] = vectors_to_pair(u, v).jaccard
      end
      assert.are.equal(1, got[1])
      assert.are.equal(0, got[2])
      assert_prefix("0.33", got[3])
    end)

    -- Source: SciPy reference, scipy.spatial.distance.jaccard, Examples
    -- (docs.scipy.org, e.g. SciPy 1.11.4): the Jaccard-Needham distance
    -- (1 - Jaccard similarity) of [1,0,0] with [0,1,0] -> 1.0, with
    -- [1,1,0] -> 0.5, with [1,2,0] -> 0.5 (non-zero counts as present),
    -- with [1,1,1] -> 0.66666666666666663.
    it("reproduces SciPy's distance.jaccard examples as 1 - Jaccard", function()
      local function dist(u, v) return 1 - vectors_to_pair(u, v).jaccard end
      assert.are.equal(1.0, dist({ 1, 0, 0 }, { 0, 1, 0 }))
      assert.are.equal(0.5, dist({ 1, 0, 0 }, { 1, 1, 0 }))
      assert.are.equal(0.5, dist({ 1, 0, 0 }, { 1, 2, 0 }))
      assert.are.equal(0.667, round3(dist({ 1, 0, 0 }, { 1, 1, 1 })))
      assert_prefix("0.666666666666", dist({ 1, 0, 0 }, { 1, 1, 1 }))
    end)
  end)
end)
