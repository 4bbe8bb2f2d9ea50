-- The two ways of counting give the same partials: coded segments one at a
-- time (thematic.coding.coder + count.counter, the path every other
-- analysis shares) and whole documents in one call into the C core
-- (count.document_counter, what `thematic count` uses).
local corpus = require "thematic.corpus"
local codebook = require "thematic.codebook"
local coding = require "thematic.coding"
local count = require "thematic.analysis.count"
local output = require "thematic.output"

local DEFAULT = "samples/codebooks/digital-health.yml"

-- Partials as JSON lines, one per document, in document order.
local jsonl = count.json_lines

local function both(paths, cb_path, by, opts)
  opts = opts or {}
  local cb = assert(codebook.load(cb_path))
  local code_doc = coding.coder(cb, opts)
  local add, by_segment = count.counter(cb, by)
  local add_doc, by_document = count.document_counter(cb, by, opts)
  local _, errs = corpus.load(paths, { level = opts.level, each = function(doc)
    code_doc(doc, add)
    add_doc(doc)
  end })
  assert.are.equal(0, #(type(errs) == "table" and errs or {}))
  return jsonl(by_segment), jsonl(by_document), #by_document
end

describe("count.document_counter", function()
  local cases = {
    { "samples/transcripts", DEFAULT, { "group" } },
    { "samples/transcripts", DEFAULT, { "speaker" } },
    { "samples/transcripts", DEFAULT, { "role", "setting" }, { include_interviewer = true } },
    { "samples/transcripts", DEFAULT, {}, { level = "sentence" } },
    { "samples/transcripts", DEFAULT, { "participant" }, { level = "paragraph", include_unattributed = true } },
    { "spec/fixtures/cli/study", "spec/fixtures/cli/study/codebook.yml", { "role" } },
    { "samples/abstracts", DEFAULT, { "section" } },
    { "samples/transcripts", "spec/fixtures/analysis/overlapping-codebook.yml", { "group" } },
    { "samples/transcripts", "spec/fixtures/analysis/overlapping-codebook.yml", { "speaker" }, { level = "sentence" } },
  }
  for _, case in ipairs(cases) do
    local paths, cb, by, opts = case[1], case[2], case[3], case[4]
    it(("gives the coded-segment counter's partials for %s by {%s}%s"):format(paths,
        table.concat(by, ","), opts and " with options" or ""), function()
      local a, b, n = both(paths, cb, by, opts)
      assert.is_true(n > 0)
      assert.are.equal(a, b)
    end)
  end

  it("keeps one running total with merged, equal to merging every partial", function()
    local cb = assert(codebook.load(DEFAULT))
    local add, partials = count.document_counter(cb, { "group" })
    local add_m, merged, finish = count.document_counter(cb, { "group" }, { merged = true })
    corpus.load("samples/transcripts", { each = function(doc) add(doc); add_m(doc) end })
    finish()
    assert.are.equal(1, #merged)
    assert.is_true(#partials > 1)
    local a, b = count.merge(partials), count.merge(merged)
    assert.are.equal(output.json(count.to_plain(a)), output.json(count.to_plain(b)))
  end)

  it("counts compactly read transcripts (corpus.load's compact) as it counts segments", function()
    for _, by in ipairs({ { "group" }, { "speaker", "role" }, { "document" } }) do
      local cb = assert(codebook.load(DEFAULT))
      local add, whole = count.document_counter(cb, by)
      local add_c, compact = count.document_counter(cb, by)
      local seen = 0
      -- a participants file without P07 (Speaker 2), so that both warn of them
      local people = assert(require("thematic.participants").load("samples/transcripts/participants.csv"))
      people.index["p07"], people.index["speaker 2"] = nil, nil
      local c1 = corpus.load("samples/transcripts", { each = add, participants = people })
      local c2 = corpus.load("samples/transcripts", { compact = true, participants = people,
        each = function(doc)
          if doc.compact then seen = seen + 1 end
          add_c(doc)
        end })
      assert.is_true(seen > 0)
      assert.are.equal(jsonl(whole), jsonl(compact))
      assert.is_true(#c1.warnings > 0)
      assert.same(c1.warnings, c2.warnings)
    end
  end)

  it("says which groupings compact documents can give", function()
    assert.is_true(count.compact_ok({ "group", "speaker", "role", "document" }))
    assert.is_false(count.compact_ok({ "group", "line" }))
  end)

  it("makes no partial for a document with nothing to count", function()
    local cb = assert(codebook.load(DEFAULT))
    local add, partials = count.document_counter(cb, {})
    add({ id = "empty", text = "INT: Anything to add?\n", has_speakers = true,
          segments = { { speaker = "INT", interviewer = true, start = 6, stop = 21 } } })
    assert.are.equal(0, #partials)
  end)
end)

describe("count.check_partial", function()
  it("names the field that is not a whole number >= 0", function()
    local p = { by = { "group" }, groups = { x = { values = { group = "x" }, words = 1.5, segments = 1,
                                                    participants = {}, codes = {} } } }
    assert.same({ nil, "group \"x\": 'words' is 1.5, not a whole number >= 0" }, { count.check_partial(p) })
  end)
end)

describe("Codebook:digest()", function()
  local text = "name: t\ncodes:\n  a:\n    label: %s\n    patterns: [%s]\n"
  local function digest(label, patterns)
    return assert(codebook.parse(text:format(label, patterns), "yaml")):digest()
  end

  it("changes with a pattern, not with a label", function()
    assert.equal(digest("Cost", "data cost"), digest("Data costs", "data cost"))
    assert.are_not.equal(digest("Cost", "data cost"), digest("Cost", "data costs"))
  end)
end)
