-- Specs for thematic.analysis.quotes. Coding needs the C core (make).

local corpus = require "thematic.corpus"
local codebook = require "thematic.codebook"
local coding = require "thematic.coding"
local quotes = require "thematic.analysis.quotes"

local FIXTURE = "spec/fixtures/report"
local CODEBOOK = "samples/codebooks/digital-health.yml"

local has_core = pcall(require, "thematic.core")

local function coded_fixture()
  local c = assert(corpus.load(FIXTURE))
  local cb = assert(codebook.load(CODEBOOK))
  return coding.code(c, cb)
end

-- A small corpus from text, through a temporary folder.
local function coded_text(files, cb_table)
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p '" .. dir .. "'"))
  for name, text in pairs(files) do
    local f = assert(io.open(dir .. "/" .. name, "wb"))
    f:write(text)
    f:close()
  end
  local c = assert(corpus.load(dir))
  os.execute("rm -rf '" .. dir .. "'")
  local cb = assert(codebook.new(cb_table))
  return coding.code(c, cb)
end

local function texts(list)
  local out = {}
  for i, q in ipairs(list) do out[i] = q.text end
  return out
end

local function marked(q)
  local out = {}
  for i, h in ipairs(q.hits) do out[i] = q.text:sub(h.start, h.stop) end
  return out
end

describe("thematic.analysis.quotes", function()
  if not has_core then
    it("needs the C core", function() pending("thematic.core is not built: run make") end)
    return
  end

  describe("for_code()", function()
    it("quotes a short turn whole, with its hits relative to the quote", function()
      local coded = coded_fixture()
      local q = assert(quotes.for_code(coded, "training/training_barrier"))
      assert.are.equal(1, #q)
      assert.are.equal("No training. We were thrown in and had to figure it out ourselves.", q[1].text)
      assert.are.same({ "training", "thrown in", "figure it out" }, marked(q[1]))
      assert.are.equal("P04", q[1].participant)
      assert.are.equal("interviews/p04.txt", q[1].document)
      assert.are.equal(6, q[1].line)
      assert.are.equal("hospital clinic", q[1].attributes.setting)
    end)

    it("splits a long turn into sentences and quotes the one with the hit", function()
      local coded = coded_fixture()
      local q = assert(quotes.for_code(coded, "access/devices_barrier"))
      assert.are.same({ "But a lot of our older patients only have a basic phone, or a shared phone "
        .. "with the family, and in the villages there is no signal at all." }, texts(q))
    end)

    it("widens a very short sentence with its neighbour", function()
      local coded = coded_fixture()
      local q = assert(quotes.for_code(coded, "access/data_cost_barrier"))
      assert.are.same({ "So you send a link and it never arrives, and then they come in anyway and you "
        .. "have done the work twice, which is extra work we are not paid for. Some of them simply "
        .. "cannot afford a smartphone." }, texts(q))
    end)

    it("includes the sub-codes of a theme, merging overlapping hits", function()
      local coded = coded_fixture()
      local q = assert(quotes.for_code(coded, "privacy", { n = 1 }))
      -- "explain who sees" (safeguard) and "who sees" (worry) overlap: one span
      assert.are.same({ "Privacy", "who can see", "sell their data", "explain who sees",
        "confidential" }, marked(q[1]))
    end)

    it("gives each participant one quote before anyone gets a second", function()
      local coded = coded_fixture()
      local q = assert(quotes.for_code(coded, "literacy", { n = 3 }))
      assert.are.same({ "P01", "P07", "P01" }, { q[1].participant, q[2].participant, q[3].participant })
      assert.is_true(q[1].score >= q[2].score)
    end)

    it("never quotes an interviewer turn", function()
      local coded = coding.code(assert(corpus.load(FIXTURE)), assert(codebook.load(CODEBOOK)),
        { include_interviewer = true })
      for _, entry in ipairs(quotes.best(coded, { n = 10 })) do
        for _, q in ipairs(entry.quotes) do
          assert.are_not.equal("INT", q.participant)
          assert.are_not.equal("Interviewer", q.speaker)
        end
      end
    end)

    it("leaves out negated hits", function()
      local coded = coded_text({
        ["a.txt"] = "P1: We never had training at all.\nP2: The training helped a lot, honestly it did.\n",
      }, { name = "t", codes = { { name = "t", codes = { { name = "training", patterns = { "training" } } } } } })
      local q = assert(quotes.for_code(coded, "t/training"))
      assert.are.same({ "The training helped a lot, honestly it did." }, texts(q))
    end)

    it("breaks ties by document, then position", function()
      local coded = coded_text({
        ["b.txt"] = "P2: The app is confusing for most of the older people I see.\n",
        ["a.txt"] = "P1: The app is confusing for most of the older people I see.\n"
          .. "P3: The app is confusing for most of the older people I see.\n",
      }, { name = "t", codes = { { name = "t", codes = { { name = "ux", patterns = { "confusing" } } } } } })
      local q = assert(quotes.for_code(coded, "t/ux"))
      assert.are.same({ "P1", "P3", "P2" }, { q[1].speaker, q[2].speaker, q[3].speaker })
    end)

    it("returns nil and a message for an unknown code", function()
      local coded = coded_fixture()
      assert.are.same({ nil, "no code 'nope' in the codebook" }, { quotes.for_code(coded, "nope") })
    end)

    it("raises on a missing code argument", function()
      local coded = coded_fixture()
      assert.has_error(function() quotes.for_code(coded, nil) end,
        "bad argument #2 to 'for_code' (string expected, got nil)")
    end)

    it("does not modify the coded corpus", function()
      local coded = coded_fixture()
      local before = {}
      for i, e in ipairs(coded.segments) do before[i] = #e.hits .. ":" .. e.segment.text end
      quotes.best(coded)
      for i, e in ipairs(coded.segments) do assert.are.equal(before[i], #e.hits .. ":" .. e.segment.text) end
    end)
  end)

  describe("best()", function()
    it("lists every code in codebook order, with empty quotes for codes without hits", function()
      local coded = coded_fixture()
      local all = quotes.best(coded)
      local n = 0
      for _ in coded.codebook:codes() do n = n + 1 end
      assert.are.equal(n, #all)
      assert.are.equal("access", all[1].code)
      assert.are.equal("access/devices_barrier", all[2].code)
      local free = nil
      for _, e in ipairs(all) do if e.code == "access/connectivity_facilitator" then free = e end end
      assert.are.same({}, free.quotes)
    end)

    it("gives the entry of opts.code, then those of the codes below it", function()
      local coded = coded_fixture()
      local one = assert(quotes.best(coded, { code = "trust", n = 1 }))
      local paths, want = {}, {}
      for _, e in ipairs(one) do paths[#paths + 1] = e.code end
      for c in coded.codebook:codes() do
        if c.path == "trust" or c.path:find("^trust/") then want[#want + 1] = c.path end
      end
      assert.is_true(#want > 1)
      assert.are.same(want, paths)
      assert.are.equal("trust", one[1].code)
      assert.are.equal("They trust a familiar face. If a text looks like a scam they ignore it, and fair enough.",
        one[1].quotes[1].text)
    end)

    it("is deterministic", function()
      local a = quotes.best(coded_fixture())
      local b = quotes.best(coded_fixture())
      assert.are.same(a, b)
    end)

    it("raises on a bad n", function()
      assert.has_error(function() quotes.best(coded_fixture(), { n = 0 }) end,
        "bad argument #2 to 'best' (n must be an integer >= 1, got 0)")
    end)
  end)

  describe("attribution()", function()
    it("names the participant, then role, profession, setting and group", function()
      assert.are.equal("P07, pharmacist, community pharmacy", quotes.attribution {
        participant = "P07", attributes = { role = "participant", profession = "pharmacist",
          setting = "community pharmacy", group = "Community pharmacy" } })
      assert.are.equal("P03, pharmacist, community, pharmacy", quotes.attribution {
        participant = "P03", attributes = { role = "participant", profession = "pharmacist",
          setting = "community", group = "pharmacy" } })
    end)

    it("takes the attribute names it is given", function()
      assert.are.equal("P03, female", quotes.attribution({ participant = "P03",
        attributes = { gender = "female", profession = "pharmacist" } }, { "gender" }))
    end)

    it("falls back to the speaker label, then the document", function()
      assert.are.equal("Nurse 4", quotes.attribution { speaker = "Nurse 4", attributes = {} })
      assert.are.equal("a.txt", quotes.attribution { document = "a.txt" })
    end)
  end)
end)
