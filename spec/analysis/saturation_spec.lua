-- Published values used here: Guest, Namey & Chen (2020), PLoS ONE 15(5):
-- e0232076, worked example (text around Fig 2): a base of 4 interviews holding
-- 37 themes; the first run of two (interviews 5-6) adds new themes for a
-- quotient of 11% (above the 5% threshold); the qualifying run adds one new
-- theme (1/37 = 2.7%); saturation is reported as "6+2" for run length 2 and
-- "7+3" for run length 3, both at <= 5% new information.
-- The per-interview counts below (20, 9, 5, 3 | 2, 2, 1, 0, 1, 0, 0, 0) are
-- our reconstruction of the figure, chosen to agree with every number the
-- text publishes; the full figure was not available to check each count.
-- No second published worked example of this method was found.
local saturation = require "thematic.analysis.saturation"

-- Documents whose numbers of newly seen codes are `new`; each also repeats
-- code t1 so that old codes recur.
local function docs_with(new)
  local docs, k = {}, 0
  for i, n in ipairs(new) do
    local codes = {}
    if i > 1 then codes[1] = "t1" end
    for _ = 1, n do k = k + 1; codes[#codes + 1] = "t" .. k end
    docs[i] = { id = "P" .. i, codes = codes }
  end
  return docs
end

local GUEST = docs_with({ 20, 9, 5, 3, 2, 2, 1, 0, 1, 0, 0, 0 })

describe("thematic.analysis.saturation", function()
  describe("assess()", function()
    it("reproduces Guest et al. (2020): base 37 codes, saturation at 6+2", function()
      local r = assert(saturation.assess(GUEST))
      assert.are.equal(4, r.base_size)
      assert.are.equal(2, r.run_length)
      assert.are.equal(0.05, r.threshold)
      assert.are.equal(37, r.base_codes)
      assert.is_true(r.saturated)
      assert.are.equal("6+2", r.point)
    end)

    it("reproduces the 11% first run and the one-new-theme qualifying run", function()
      local r = assert(saturation.assess(GUEST))
      assert.are.same({ first = 5, last = 6, new = 4, ratio = 4 / 37 }, r.runs[1])
      assert.are.equal(0.11, math.floor(r.runs[1].ratio * 100 + 0.5) / 100)
      assert.are.same({ first = 7, last = 8, new = 1, ratio = 1 / 37 }, r.runs[3])
    end)

    it("reproduces Guest et al. (2020): run length 3 saturates at 7+3", function()
      local r = assert(saturation.assess(GUEST, { run = 3 }))
      assert.are.equal("7+3", r.point)
      assert.is_true(r.runs[3].ratio > 0.05) -- run 7-9 adds 2/37 = 5.4%
    end)

    it("reports the new-code and cumulative curves", function()
      local r = assert(saturation.assess(GUEST))
      assert.are.same({ 20, 9, 5, 3, 2, 2, 1, 0, 1, 0, 0, 0 }, r.new_per_document)
      assert.are.same({ 20, 29, 34, 37, 39, 41, 42, 42, 43, 43, 43, 43 }, r.cumulative)
    end)

    it("gives the same curve as curve(), which needs no minimum of documents", function()
      local r = assert(saturation.assess(GUEST))
      local new, cum = saturation.curve(GUEST)
      assert.are.same(r.new_per_document, new)
      assert.are.same(r.cumulative, cum)
      new, cum = saturation.curve({ GUEST[1], GUEST[2] })
      assert.are.same({ { 20, 9 }, { 20, 29 } }, { new, cum })
      assert.has_error(function() saturation.curve({ 1 }) end,
        "bad argument #1 to 'curve' (document 1 is not a table)")
    end)

    it("counts a threshold of exactly 5% as reached", function()
      -- base of 20 codes; one new code in the run = 1/20 = 0.05
      local r = assert(saturation.assess(docs_with({ 5, 5, 5, 5, 1, 0 })))
      assert.are.equal(20, r.base_codes)
      assert.are.equal("4+2", r.point)
    end)

    it("reports no saturation with a nil point", function()
      local r = assert(saturation.assess(docs_with({ 3, 3, 3, 3, 3, 3, 3 })))
      assert.is_false(r.saturated)
      assert.is_nil(r.point)
      assert.are.equal(2, #r.runs)
    end)

    it("accepts code sets as well as arrays", function()
      local docs = { { id = 1, codes = { a = true, b = true } }, { id = 2, codes = { "a" } },
        { id = 3, codes = { c = true } }, { id = 4, codes = {} }, { id = 5, codes = {} } }
      local r = assert(saturation.assess(docs, { base = 2, run = 2 }))
      assert.are.equal(2, r.base_codes)
      assert.are.equal(0.5, r.runs[1].ratio)
      assert.are.equal("3+2", r.point)
    end)

    it("refuses fewer documents than base + run", function()
      local r, err = saturation.assess(docs_with({ 3, 3, 3, 3, 1 }))
      assert.is_nil(r)
      assert.are.equal("saturation needs at least base + run = 4 + 2 = 6 documents; got 5", err)
    end)

    it("refuses an empty base instead of dividing by zero", function()
      local docs = { { id = 1, codes = {} }, { id = 2, codes = {} }, { id = 3, codes = {} },
        { id = 4, codes = {} }, { id = 5, codes = { "a" } }, { id = 6, codes = { "b" } } }
      local r, err = saturation.assess(docs)
      assert.is_nil(r)
      assert.are.equal("the base (documents 1-4) has no codes, so the new-information ratio is undefined", err)
    end)

    it("raises on a bad base size", function()
      assert.has_error(function() saturation.assess(GUEST, { base = 0 }) end,
        "bad argument #2 to 'assess' (base must be an integer >= 1, got 0)")
    end)

    it("names each document with its new and cumulative codes", function()
      local r = assert(saturation.assess(GUEST))
      assert.are.same({ id = "P1", new = 20, cumulative = 20 }, r.documents[1])
      assert.are.same({ id = "P7", new = 1, cumulative = 42 }, r.documents[7])
      for i, d in ipairs(r.documents) do
        assert.are.same({ GUEST[i].id, r.new_per_document[i], r.cumulative[i] },
          { d.id, d.new, d.cumulative })
      end
    end)

    it("raises on a document without codes", function()
      assert.has_error(function() saturation.assess({ { id = 1 } }) end,
        "bad argument #1 to 'assess' (document 1 has no codes table)")
    end)
  end)

  describe("order()", function()
    -- Documents as a corpus loads them: in file-name order, with the
    -- manifest's row (manifest_row) and attributes.
    local function doc(id, row, attrs) return { id = id, manifest_row = row, attributes = attrs or {} } end
    local function ids(docs)
      local out = {}
      for i, d in ipairs(docs) do out[i] = d.id end
      return out
    end
    local LOADED = {
      doc("fg-1.vtt", 3, { date = "2024-05-14" }),
      doc("int-1.txt", 1, { date = "2024-03-14" }),
      doc("int-2.txt", 4, { date = "2024-03-14" }),   -- same day as int-1, a later row
      doc("int-3.txt", 2, { date = "2024-04-02" }),
      doc("notes.txt", nil, {}),                      -- not in the manifest
    }

    it("orders by date when there is one; ties by manifest row; no date last", function()
      local docs, by, how = saturation.order(LOADED)
      assert.are.same({ "int-1.txt", "int-2.txt", "int-3.txt", "fg-1.vtt", "notes.txt" }, ids(docs))
      assert.are.equal("date", by)
      assert.are.equal("documents by date; ties and the 1 without a date (placed last) by "
        .. "manifest row, then file name", how)
    end)

    it("orders by manifest row without dates, documents not in it last", function()
      local undated = {}
      for i, d in ipairs(LOADED) do undated[i] = doc(d.id, d.manifest_row) end
      local docs, by = saturation.order(undated)
      assert.are.same({ "int-1.txt", "int-3.txt", "fg-1.vtt", "int-2.txt", "notes.txt" }, ids(docs))
      assert.are.equal("manifest", by)
    end)

    it("keeps the order loaded with 'name', and when there is no manifest", function()
      local loaded = { "fg-1.vtt", "int-1.txt", "int-2.txt", "int-3.txt", "notes.txt" }
      assert.are.same(loaded, ids((saturation.order(LOADED, "name"))))
      local plain = {}
      for i, id in ipairs(loaded) do plain[i] = doc(id) end
      local docs, by = saturation.order(plain)
      assert.are.same(loaded, ids(docs))
      assert.are.equal("name", by)
    end)

    it("orders numbers as numbers", function()
      local docs = saturation.order({ doc("a", 1, { wave = "10" }), doc("b", 2, { wave = "9" }),
                                      doc("c", 3, { wave = "9.5" }) }, "wave")
      assert.are.same({ "b", "c", "a" }, ids(docs))
    end)

    it("says when dates are not written YYYY-MM-DD", function()
      local _, _, how = saturation.order({ doc("a", 1, { date = "14/03/2024" }),
                                           doc("b", 2, { date = "02/04/2024" }) })
      assert.are.equal("documents by date (compared as text: write dates as YYYY-MM-DD); ties by "
        .. "manifest row, then file name", how)
    end)

    it("names the attributes there are when no document has the one asked for", function()
      local docs, err = saturation.order(LOADED, "wave")
      assert.is_nil(docs)
      assert.are.equal("no document has a value for 'wave' (attributes: date)", err)
    end)

    it("leaves its argument as it was", function()
      local before = ids(LOADED)
      saturation.order(LOADED)
      assert.are.same(before, ids(LOADED))
    end)
  end)

  describe("from_codings_csv()", function()
    it("orders documents by first appearance and keeps code-less documents", function()
      local docs = assert(saturation.from_codings_csv(
        "document,code\nP2,cost\nP1,trust\nP2,cost\nP2,access\nP3,\n"))
      assert.are.same({
        { id = "P2", codes = { "cost", "access" } },
        { id = "P1", codes = { "trust" } },
        { id = "P3", codes = {} },
      }, docs)
    end)

    it("accepts rows as a table", function()
      local docs = assert(saturation.from_codings_csv({ { document = "a", code = "x" },
        { document = "b", code = "y" } }))
      assert.are.same({ { id = "a", codes = { "x" } }, { id = "b", codes = { "y" } } }, docs)
    end)

    it("reports an empty document name with its line", function()
      local docs, err = saturation.from_codings_csv("document,code\nP1,a\n,b\n")
      assert.is_nil(docs)
      assert.are.equal("line 3: empty document", err)
    end)

    it("reports a missing column", function()
      local _, err = saturation.from_codings_csv("doc,code\nP1,a\n")
      assert.are.equal("line 1: missing column 'document'", err)
    end)

    it("feeds assess() end to end", function()
      local lines = { "document,code" }
      for i, n in ipairs({ 4, 3, 2, 1, 0, 0 }) do
        for j = 1, n do lines[#lines + 1] = ("D%d,c%d_%d"):format(i, i, j) end
        if n == 0 then lines[#lines + 1] = ("D%d,c1_1"):format(i) end
      end
      local docs = assert(saturation.from_codings_csv(table.concat(lines, "\n") .. "\n"))
      local r = assert(saturation.assess(docs))
      assert.are.equal(10, r.base_codes)
      assert.are.equal("4+2", r.point)
    end)
  end)
end)
