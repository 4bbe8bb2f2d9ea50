-- Published values used here:
--  * UCREL log-likelihood calculator page (Rayson; ucrel.lancs.ac.uk/llwizard.html),
--    its worked example: 52 in 50,000 words vs 57 in 75,000 words -> LL = +2.65.
--  * Output of the same UCREL calculator as recorded in the CLiC project's
--    tests (Birmingham, clic keywords tests): hand 540/116000 vs 7525/5451382
--    -> 534.64; hands 227 vs 3635 -> 183.53; forehead 29 vs 504 -> 20.50;
--    head 431 vs 5892 -> 437.88; neck 16 vs 650 -> 0.32; zero reference
--    540/116000 vs 0/5451382 -> 4180.78; 7/10000 vs 0/100000 -> 33.57.
--    (These are published to 2 decimals and are checked to 2 decimals.)
--  * Hardie (2014), "Log Ratio - an informal introduction" (CASS blog):
--    relative frequencies 0.0006 vs 0.0002 -> ratio 3, Log Ratio = log2 3;
--    equal relative frequencies -> 0; each doubling adds 1.
--  * Chi-square critical values for 1 df, as printed in standard tables and on
--    the UCREL page: 3.84 (p = 0.05), 6.63 (0.01), 10.83 (0.001), 15.13 (0.0001).
--  %DIFF: two published worked examples (Gabrielatos & Marchi 2011, slide
--  p. 18: 88.7; Gabrielatos & Marchi 2012, pp. 21-22: 1481.83, both as quoted
--  with their inputs in the Wordless test suite) are checked in
--  published_examples_spec.lua; the %DIFF values in this file are
--  hand-derived (stated inline).
--  Pearson's chi-square: published 2x2 examples (Manning & Schuetze 1999,
--  5.3.3, via NLTK's collocations doctest; Dunning 1993, p. 73, via the
--  Wordless test suite) are in published_examples_spec.lua; here it is also
--  checked against hand-derived values (stated inline) and against the 2x2
--  shortcut formula.
local keyness = require "thematic.analysis.keyness"

local function row_of(rows, term)
  for _, r in ipairs(rows) do if r.term == term then return r end end
end

describe("thematic.analysis.keyness", function()
  describe("stats()", function()
    it("reproduces the UCREL calculator's example: +2.65", function()
      assert.is_near(2.65, keyness.stats(52, 57, 50000, 75000).g2, 0.005)
    end)

    it("reproduces UCREL calculator values for hand, hands, forehead, head, neck", function()
      local T, R = 116000, 5451382
      assert.is_near(534.64, keyness.stats(540, 7525, T, R).g2, 0.005)
      assert.is_near(183.53, keyness.stats(227, 3635, T, R).g2, 0.005)
      assert.is_near(20.50, keyness.stats(29, 504, T, R).g2, 0.005)
      assert.is_near(437.88, keyness.stats(431, 5892, T, R).g2, 0.005)
      assert.is_near(0.32, keyness.stats(16, 650, T, R).g2, 0.005)
    end)

    it("reproduces UCREL calculator values when the reference count is zero", function()
      assert.is_near(4180.78, keyness.stats(540, 0, 116000, 5451382).g2, 0.005)
      assert.is_near(33.57, keyness.stats(7, 0, 10000, 100000).g2, 0.005)
    end)

    it("signs G2 negative when the term is underused in the target", function()
      assert.is_near(-2.65, keyness.stats(57, 52, 75000, 50000).g2, 0.005)
    end)

    it("gives G2 = 0 for equal relative frequencies", function()
      assert.are.equal(0, keyness.stats(10, 10, 150, 150).g2)
    end)

    it("gives Hardie's Log Ratio of log2 3 for relative frequencies 0.0006 vs 0.0002", function()
      assert.is_near(1.585, keyness.stats(6, 2, 10000, 10000).log_ratio, 0.0005)
      assert.are.equal(0, keyness.stats(5, 10, 1000, 2000).log_ratio)
      assert.is_near(-1, keyness.stats(5, 20, 1000, 2000).log_ratio, 1e-12)
    end)

    it("adds 0.5 to a zero count in Log Ratio", function()
      -- log2((7/10000) / (0.5/100000)) = log2(140)
      assert.is_near(math.log(140, 2), keyness.stats(7, 0, 10000, 100000).log_ratio, 1e-12)
    end)

    it("computes %DIFF from normalised frequencies", function()
      -- (52/50000 - 57/75000) * 100 / (57/75000) = 36.842...
      assert.is_near(36.842, keyness.stats(52, 57, 50000, 75000).percent_diff, 0.0005)
      assert.is_near(-100, keyness.stats(0, 536, 10000, 100000).percent_diff, 1e-9)
    end)

    it("replaces a zero reference frequency by 1e-18 in %DIFF (finite, huge)", function()
      -- (7/10000) * 100 / 1e-18 = 7e16
      assert.is_near(7e16, keyness.stats(7, 0, 10000, 100000).percent_diff, 1e4)
    end)

    it("computes Pearson's chi-square without Yates' correction", function()
      local a, b, c, d = 52, 57, 50000, 75000
      local n = c + d
      local cells = { { a, b }, { c - a, d - b } }
      local rows, cols = { a + b, n - a - b }, { c, d }
      local expected = 0
      for i = 1, 2 do for j = 1, 2 do
        local e = rows[i] * cols[j] / n
        expected = expected + (cells[i][j] - e) ^ 2 / e
      end end
      assert.is_near(expected, keyness.stats(a, b, c, d).chi2, 1e-9)
      assert.is_near(2.700, keyness.stats(a, b, c, d).chi2, 0.0005)
    end)

    it("does not overflow on corpus-sized totals", function()
      assert.is_near(842.086, keyness.stats(540, 7525, 116000, 5451382).chi2, 0.0005)
    end)
  end)

  describe("chi2_sf1()", function()
    it("matches the published 1-df critical values", function()
      assert.is_near(0.05, keyness.chi2_sf1(3.841459), 1e-6)
      assert.is_near(0.01, keyness.chi2_sf1(6.634897), 1e-7)
      assert.is_near(0.001, keyness.chi2_sf1(10.827566), 1e-8)
      assert.is_near(0.0001, keyness.chi2_sf1(15.136705), 1e-9)
    end)

    it("gives 1 at zero and stays in [0, 1] far out", function()
      assert.is_near(1, keyness.chi2_sf1(0), 1e-7)
      local p = keyness.chi2_sf1(4180.78)
      assert.is_true(p >= 0 and p < 1e-300)
    end)
  end)

  describe("compare()", function()
    local target = { hand = 540, hands = 227, neck = 16, tail = 0 }
    local reference = { hand = 7525, hands = 3635, neck = 650, paw = 3 }
    local opts = { target_total = 116000, reference_total = 5451382 }

    it("returns one row per term with all statistics, sorted by |G2|", function()
      local rows = assert(keyness.compare(target, reference, opts))
      assert.are.same({ "hand", "hands", "neck", "paw" }, { rows[1].term, rows[2].term, rows[3].term, rows[4].term })
      local r = rows[1]
      assert.are.equal(540, r.target_count)
      assert.are.equal(7525, r.reference_count)
      assert.are.equal(116000, r.target_total)
      assert.are.equal(5451382, r.reference_total)
      assert.is_near(534.64, r.g2, 0.005)
      assert.is_number(r.chi2)
      assert.is_number(r.percent_diff)
      assert.is_number(r.log_ratio)
      assert.is_number(r.p)
    end)

    it("drops terms with a zero total and those under min_count", function()
      local rows = assert(keyness.compare(target, reference, { target_total = 116000,
        reference_total = 5451382, min_count = 20 }))
      assert.are.equal(2, #rows)
      assert.is_nil(row_of(rows, "tail"))
      assert.is_nil(row_of(rows, "paw"))
    end)

    it("sorts by |Log Ratio| when asked", function()
      local rows = assert(keyness.compare(target, reference, { target_total = 116000,
        reference_total = 5451382, sort = "log_ratio" }))
      -- paw: log2((0.5/116000)/(3/5451382)) = 2.97 beats hand's 1.75
      assert.are.same({ "paw", "hand", "hands", "neck" }, { rows[1].term, rows[2].term, rows[3].term, rows[4].term })
    end)

    it("uses the sums of the counts as totals by default", function()
      local rows = assert(keyness.compare({ a = 52, b = 49948 }, { a = 57, b = 74943 }))
      assert.is_near(2.65, row_of(rows, "a").g2, 0.005)
    end)

    it("reports an empty target corpus", function()
      local rows, err = keyness.compare({}, { a = 1 })
      assert.is_nil(rows)
      assert.are.equal("the target corpus is empty (total 0)", err)
    end)

    it("reports a total smaller than the counts", function()
      local _, err = keyness.compare({ a = 10 }, { a = 1 }, { target_total = 5 })
      assert.are.equal("target_total 5 is smaller than the sum of target counts 10", err)
    end)

    it("raises on a negative count", function()
      assert.has_error(function() keyness.compare({ a = -1 }, { a = 1 }) end,
        "bad argument #1 to 'compare' (count of 'a' is not a non-negative number)")
    end)

    it("raises on an unknown sort", function()
      assert.has_error(function() keyness.compare({ a = 1 }, { a = 1 }, { sort = "zeta" }) end,
        "bad argument #3 to 'compare' (unknown sort 'zeta'; "
          .. "expected g2, log_ratio, chi2, percent_diff, target_count or term)")
    end)
  end)
end)
