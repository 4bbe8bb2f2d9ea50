-- Published worked examples used here (values checked to 3 decimals):
--  * Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
--    Annenberg School for Communication, University of Pennsylvania.
--    Example A (binary, 2 observers, 10 units): alpha = 0.095.
--    Example C/D (4 observers, 12 units, missing data): nominal 0.743,
--    ordinal 0.815, interval 0.849, ratio 0.797.
--  * Wikipedia, "Krippendorff's alpha", section "A computational example"
--    (3 coders, 15 units, missing data): nominal 0.691, interval 0.811.
--  * Wikipedia, "Fleiss' kappa", worked example (10 subjects, 14 raters,
--    5 categories): P-bar = 0.378, P-bar-e = 0.213, kappa = 0.210.
--  * Fleiss, J. L. (1971). Measuring nominal scale agreement among many
--    raters. Psychological Bulletin 76(5), 378-382: 30 patients, 6
--    psychiatrists, 5 diagnoses; kappa = 0.430. The ratings per patient are
--    the `diagnoses` data of the R package irr (Gamer et al.), whose
--    kappam.fleiss() documents 0.4302445.
--  * irr's `anxiety` data (20 subjects, 3 raters): kappa2() on raters 2 and
--    3, unweighted, documents Cohen's kappa = -0.006289308.
--  * Wikipedia, "Cohen's kappa", examples: 50 proposals (20/5/10/15):
--    p_o = 0.7, kappa = 0.4; two 100-unit tables with 60% agreement:
--    (45/15/25/15) kappa = 0.1304 and (25/35/5/35) kappa = 0.2593.
--  * Precision/recall: Wikipedia, "Precision and recall" introduction
--    (8 of 12 dogs ... 5 correct: precision 5/8, recall 5/12); scikit-learn
--    documentation of precision_score/recall_score/f1_score
--    (y_true = 0,1,2,0,1,2; y_pred = 0,2,1,0,0,1): micro average 0.333.
local agreement = require "thematic.analysis.agreement"

local N = nil

local function rows_from(matrix, n_units)
  local rows = {}
  for _, coder in ipairs(matrix) do
    for u = 1, n_units do
      local v = coder.values[u]
      if v ~= nil then rows[#rows + 1] = { unit = u, coder = coder.name, value = v } end
    end
  end
  return rows
end

-- Krippendorff (2011), example C: observers A-D, units 1-12.
local K2011 = rows_from({
  { name = "A", values = { 1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N } },
  { name = "B", values = { 1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3 } },
  { name = "C", values = { N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N } },
  { name = "D", values = { 1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N } },
}, 12)

-- Wikipedia "Krippendorff's alpha", computational example: coders A-C, 15 units.
local WIKI_ALPHA = rows_from({
  { name = "A", values = { N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3 } },
  { name = "B", values = { 1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N } },
  { name = "C", values = { N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4 } },
}, 15)

-- A 2x2 table {yes/yes, yes/no, no/yes, no/no} as two coders' rows.
local function two_coders(yy, yn, ny, nn)
  local rows, u = {}, 0
  local function add(n, a, b)
    for _ = 1, n do
      u = u + 1
      rows[#rows + 1] = { unit = u, coder = "A", value = a }
      rows[#rows + 1] = { unit = u, coder = "B", value = b }
    end
  end
  add(yy, "yes", "yes"); add(yn, "yes", "no"); add(ny, "no", "yes"); add(nn, "no", "no")
  return rows
end

-- Wikipedia "Fleiss' kappa": counts per subject for categories 1-5.
local FLEISS_COUNTS = {
  { 0, 0, 0, 0, 14 }, { 0, 2, 6, 4, 2 }, { 0, 0, 3, 5, 6 }, { 0, 3, 9, 2, 0 },
  { 2, 2, 8, 1, 1 }, { 7, 7, 0, 0, 0 }, { 3, 2, 6, 3, 0 }, { 2, 5, 3, 2, 2 },
  { 6, 5, 2, 1, 0 }, { 0, 2, 2, 3, 7 },
}
local function fleiss_rows()
  local rows = {}
  for s, counts in ipairs(FLEISS_COUNTS) do
    local r = 0
    for cat, n in ipairs(counts) do
      for _ = 1, n do
        r = r + 1
        -- raters differ per subject (Fleiss' design): name them by subject
        rows[#rows + 1] = { unit = s, coder = "r" .. r, value = cat }
      end
    end
  end
  return rows
end

describe("thematic.analysis.agreement", function()
  describe("compute()", function()
    it("reproduces Krippendorff (2011) nominal alpha 0.743 with missing data", function()
      local r = assert(agreement.compute(K2011))
      assert.is_near(0.743, r.krippendorff_alpha, 0.0005)
      assert.are.equal("nominal", r.level)
      assert.are.equal(12, r.units)
      assert.are.same({ "A", "B", "C", "D" }, r.coders)
    end)

    it("reproduces Krippendorff (2011) ordinal alpha 0.815", function()
      assert.is_near(0.815, agreement.compute(K2011, { level = "ordinal" }).krippendorff_alpha, 0.0005)
    end)

    it("reproduces Krippendorff (2011) interval alpha 0.849", function()
      assert.is_near(0.849, agreement.compute(K2011, { level = "interval" }).krippendorff_alpha, 0.0005)
    end)

    it("reproduces Krippendorff (2011) ratio alpha 0.797", function()
      assert.is_near(0.797, agreement.compute(K2011, { level = "ratio" }).krippendorff_alpha, 0.0005)
    end)

    it("reproduces Krippendorff (2011) binary two-observer alpha 0.095", function()
      local rows = rows_from({
        { name = "A", values = { 0, 1, 0, 0, 0, 0, 0, 0, 1, 0 } },
        { name = "B", values = { 1, 1, 1, 0, 0, 1, 0, 0, 0, 0 } },
      }, 10)
      assert.is_near(0.095, agreement.compute(rows).krippendorff_alpha, 0.0005)
    end)

    it("reproduces Wikipedia's computational example: nominal 0.691, interval 0.811", function()
      assert.is_near(0.691, agreement.compute(WIKI_ALPHA).krippendorff_alpha, 0.0005)
      assert.is_near(0.811, agreement.compute(WIKI_ALPHA, { level = "interval" }).krippendorff_alpha, 0.0005)
    end)

    it("reproduces Wikipedia's Fleiss example: kappa 0.210 and P-bar 0.378", function()
      local r = assert(agreement.compute(fleiss_rows()))
      assert.is_near(0.210, r.fleiss_kappa, 0.0005)
      assert.is_near(0.378, r.percent_agreement, 0.0005)
    end)

    it("reproduces Fleiss (1971): kappa 0.430 for 6 psychiatrists and 30 patients", function()
      -- diagnoses per patient, raters 1-6 (1 depression, 2 personality
      -- disorder, 3 schizophrenia, 4 neurosis, 5 other)
      local diagnoses = {
        { 4, 4, 4, 4, 4, 4 }, { 2, 2, 2, 5, 5, 5 }, { 2, 3, 3, 3, 3, 5 }, { 5, 5, 5, 5, 5, 5 },
        { 2, 2, 2, 4, 4, 4 }, { 1, 1, 3, 3, 3, 3 }, { 3, 3, 3, 3, 5, 5 }, { 1, 1, 3, 3, 3, 4 },
        { 1, 1, 4, 4, 4, 4 }, { 5, 5, 5, 5, 5, 5 }, { 1, 4, 4, 4, 4, 4 }, { 1, 2, 4, 4, 4, 4 },
        { 2, 2, 2, 3, 3, 3 }, { 1, 4, 4, 4, 4, 4 }, { 2, 2, 4, 4, 4, 5 }, { 3, 3, 3, 3, 3, 5 },
        { 1, 1, 1, 4, 5, 5 }, { 1, 1, 1, 1, 1, 2 }, { 2, 2, 4, 4, 4, 4 }, { 1, 3, 3, 5, 5, 5 },
        { 5, 5, 5, 5, 5, 5 }, { 2, 4, 4, 4, 4, 4 }, { 2, 2, 4, 5, 5, 5 }, { 1, 1, 4, 4, 4, 4 },
        { 1, 4, 4, 4, 4, 5 }, { 2, 2, 2, 2, 2, 4 }, { 1, 1, 1, 1, 5, 5 }, { 2, 2, 4, 4, 4, 4 },
        { 1, 3, 3, 3, 3, 3 }, { 5, 5, 5, 5, 5, 5 },
      }
      local rows = {}
      for unit, ratings in ipairs(diagnoses) do
        for rater, v in ipairs(ratings) do
          rows[#rows + 1] = { unit = unit, coder = "psychiatrist " .. rater, value = v }
        end
      end
      assert.is_near(0.430, agreement.compute(rows).fleiss_kappa, 0.0005)
    end)

    it("reproduces irr's kappa2 on the anxiety data (raters 2 and 3): -0.006", function()
      local r2 = { 3, 6, 4, 6, 2, 4, 2, 4, 3, 3, 2, 3, 3, 3, 2, 2, 1, 3, 3, 4 }
      local r3 = { 2, 1, 4, 4, 3, 2, 1, 6, 1, 1, 1, 2, 3, 3, 1, 1, 3, 3, 2, 2 }
      local rows = {}
      for u = 1, 20 do
        rows[#rows + 1] = { unit = u, coder = "rater2", value = r2[u] }
        rows[#rows + 1] = { unit = u, coder = "rater3", value = r3[u] }
      end
      assert.is_near(-0.006289308, agreement.compute(rows).cohen_kappa, 0.0005)
    end)

    it("reproduces Wikipedia's Cohen example: p_o 0.7, kappa 0.4", function()
      local r = assert(agreement.compute(two_coders(20, 5, 10, 15)))
      assert.is_near(0.4, r.cohen_kappa, 0.0005)
      assert.is_near(0.7, r.percent_agreement, 0.0005)
    end)

    it("reproduces Wikipedia's equal-agreement Cohen examples: 0.1304 and 0.2593", function()
      assert.is_near(0.1304, agreement.compute(two_coders(45, 15, 25, 15)).cohen_kappa, 0.00005)
      assert.is_near(0.2593, agreement.compute(two_coders(25, 35, 5, 35)).cohen_kappa, 0.00005)
    end)

    it("gives Cohen's kappa only for exactly two coders, with a note", function()
      local r = agreement.compute(K2011)
      assert.is_nil(r.cohen_kappa)
      assert.are.equal("cohen_kappa needs exactly two coders; found 4", r.notes[1])
    end)

    it("gives Fleiss' kappa only when every unit has the same number of ratings", function()
      local r = agreement.compute(K2011)
      assert.is_nil(r.fleiss_kappa)
      assert.are.equal("fleiss_kappa needs the same number of ratings for every unit; unit '1' has 3, unit '2' has 4",
        r.notes[2])
    end)

    it("returns 1 for perfect agreement with variation", function()
      local r = agreement.compute(two_coders(10, 0, 0, 7))
      assert.are.equal(1, r.krippendorff_alpha)
      assert.are.equal(1, r.cohen_kappa)
      assert.are.equal(1, r.fleiss_kappa)
      assert.are.equal(1, r.percent_agreement)
    end)

    it("leaves alpha and kappas nil with notes when every value is the same", function()
      local r = agreement.compute(two_coders(12, 0, 0, 0))
      assert.is_nil(r.krippendorff_alpha)
      assert.is_nil(r.cohen_kappa)
      assert.is_nil(r.fleiss_kappa)
      assert.are.equal(1, r.percent_agreement)
      assert.are.same({
        "cohen_kappa is undefined: both coders used one and the same value for every unit (expected agreement is 1)",
        "fleiss_kappa is undefined: every rating has the same value (expected agreement is 1)",
        "krippendorff_alpha is undefined: all pairable values are the same (no variation, expected disagreement is 0)",
      }, r.notes)
    end)

    it("refuses a single coder with a clear message", function()
      local r, err = agreement.compute({ { unit = 1, coder = "A", value = "x" },
        { unit = 2, coder = "A", value = "y" } })
      assert.is_nil(r)
      assert.are.equal("agreement needs at least two coders; found 1 ('A')", err)
    end)

    it("refuses two different values from one coder for one unit", function()
      local r, err = agreement.compute({ { unit = "u1", coder = "A", value = "x" },
        { unit = "u1", coder = "A", value = "y" }, { unit = "u1", coder = "B", value = "x" } })
      assert.is_nil(r)
      assert.are.equal("unit 'u1', coder 'A': more than one value "
        .. "(use agreement.per_code for several codes per unit)", err)
    end)

    it("notes non-numeric values at the interval level instead of failing", function()
      local r = agreement.compute(two_coders(3, 1, 1, 3), { level = "interval" })
      assert.is_nil(r.krippendorff_alpha)
      assert.are.equal("krippendorff_alpha at level 'interval' needs numeric values; got 'no'", r.notes[1])
    end)

    it("raises on an unknown level", function()
      assert.has_error(function() agreement.compute(K2011, { level = "circular" }) end,
        "bad argument #2 to 'compute' (unknown level 'circular'; expected nominal, ordinal, interval or ratio)")
    end)

    it("micro-averages precision/recall against a reference like scikit-learn's documentation (0.333)", function()
      local truth, pred = { 0, 1, 2, 0, 1, 2 }, { 0, 2, 1, 0, 0, 1 }
      local rows = {}
      for u = 1, 6 do
        rows[#rows + 1] = { unit = u, coder = "gold", value = truth[u] }
        rows[#rows + 1] = { unit = u, coder = "model", value = pred[u] }
      end
      local r = assert(agreement.compute(rows, { reference = "gold" }))
      local m = r.reference.others[1]
      assert.are.equal("model", m.coder)
      assert.is_near(0.333, m.precision, 0.0005)
      assert.is_near(0.333, m.recall, 0.0005)
      assert.is_near(0.333, m.f1, 0.0005)
    end)

    it("does not modify its input", function()
      local rows = two_coders(2, 1, 1, 2)
      local copy = {}
      for i, r in ipairs(rows) do copy[i] = { unit = r.unit, coder = r.coder, value = r.value } end
      agreement.compute(rows, { reference = "A" })
      assert.are.same(copy, rows)
    end)
  end)

  describe("per_code()", function()
    it("gives Wikipedia's dog example: precision 5/8, recall 5/12", function()
      -- 22 pictures: 12 dogs and 10 cats; the program says "dog" for 8,
      -- of which 5 are dogs.
      local rows = {}
      for u = 1, 22 do
        rows[#rows + 1] = { unit = u, coder = "truth", value = u <= 12 and "dog" or "" }
        local said_dog = (u <= 5) or (u >= 13 and u <= 15)
        rows[#rows + 1] = { unit = u, coder = "program", value = said_dog and "dog" or "" }
      end
      local r = agreement.per_code(rows, { reference = "truth" })
      local m = r.dog.against_reference[1]
      assert.are.equal(5 / 8, m.precision)
      assert.are.equal(5 / 12, m.recall)
      assert.are.equal(5, m.tp)
      assert.are.equal(3, m.fp)
      assert.are.equal(7, m.fn)
    end)

    it("treats each code as present/absent over the units a coder coded", function()
      local rows = {
        { unit = 1, coder = "A", value = { "cost", "trust" } },
        { unit = 1, coder = "B", value = { "cost" } },
        { unit = 2, coder = "A", value = {} },
        { unit = 2, coder = "B", value = { "trust" } },
        { unit = 3, coder = "A", value = { "cost" } },
        { unit = 3, coder = "B", value = { "cost" } },
      }
      local r = agreement.per_code(rows)
      assert.are.equal(1, r.cost.percent_agreement)
      assert.are.equal(1, r.cost.krippendorff_alpha)
      assert.are.equal(1 / 3, r.trust.percent_agreement)
    end)

    it("accepts one code per row with several rows per unit and coder", function()
      local rows = {
        { unit = 1, coder = "A", value = "cost" }, { unit = 1, coder = "A", value = "trust" },
        { unit = 1, coder = "B", value = "cost" }, { unit = 1, coder = "B", value = "trust" },
        { unit = 2, coder = "A", value = "" }, { unit = 2, coder = "B", value = "" },
      }
      local r = agreement.per_code(rows)
      assert.are.equal(1, r.cost.krippendorff_alpha)
      assert.are.equal(1, r.trust.cohen_kappa)
    end)
  end)

  describe("from_csv()", function()
    it("reads unit,coder,value with quotes, CRLF and a BOM", function()
      local rows = assert(agreement.from_csv('\239\187\191unit,coder,value\r\n'
        .. 'u1,A,"cost, access"\r\nu1,B,"say ""no"""\r\n'))
      assert.are.same({
        { unit = "u1", coder = "A", value = "cost, access", line = 2 },
        { unit = "u1", coder = "B", value = 'say "no"', line = 3 },
      }, rows)
    end)

    it("accepts the columns in any order", function()
      local rows = assert(agreement.from_csv("Value,Coder,Unit\nx,A,1\n"))
      assert.are.same({ { unit = "1", coder = "A", value = "x", line = 2 } }, rows)
    end)

    it("reports a missing column", function()
      local rows, err = agreement.from_csv("unit,coder\n1,A\n")
      assert.is_nil(rows)
      assert.are.equal("line 1: missing column 'value'", err)
    end)

    it("reports a short row with its line number", function()
      local _, err = agreement.from_csv("unit,coder,value\n1,A,x\n2,B\n")
      assert.are.equal("line 3: expected 3 fields, got 2", err)
    end)

    it("reports an unterminated quote with the line where it opened", function()
      local _, err = agreement.from_csv('unit,coder,value\n1,A,"x\n2,B,y\n')
      assert.are.equal("line 2: unterminated quoted field", err)
    end)

    it("reports an empty coder", function()
      local _, err = agreement.from_csv("unit,coder,value\n1,,x\n")
      assert.are.equal("line 2: empty coder", err)
    end)

    it("feeds compute() end to end", function()
      local rows = assert(agreement.from_csv("unit,coder,value\n1,A,x\n1,B,x\n2,A,y\n2,B,y\n3,A,x\n3,B,y\n"))
      local r = assert(agreement.compute(rows))
      assert.is_near(2 / 3, r.percent_agreement, 1e-12)
    end)
  end)
end)
