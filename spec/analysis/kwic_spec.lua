-- thematic.analysis.kwic on the small CLI study (spec/fixtures/cli/study):
-- a.txt has P01 "no smartphone" (negated) and P02 "Data cost" and "not easy
-- to use" (negated, moved to design/hard); b.txt has P03 "Data costs" and
-- "easy to use".
local corpus = require "thematic.corpus"
local codebook = require "thematic.codebook"
local coding = require "thematic.coding"
local kwic = require "thematic.analysis.kwic"

local STUDY = "spec/fixtures/cli/study"

local function coded_study()
  local c = assert(corpus.load(STUDY))
  local cb = assert(codebook.load(STUDY .. "/codebook.yml"))
  return coding.code(c, cb)
end

describe("thematic.analysis.kwic", function()
  local coded = coded_study()

  it("gives each hit of a code and the codes below it, with where it was said", function()
    local lines = assert(kwic.lines(coded, { code = "access" }))
    local got = {}
    for i, l in ipairs(lines) do got[i] = { l.document, l.participant, l.keyword, l.negated or false } end
    assert.same({
      { "a.txt", "P01", "smartphone", true },
      { "a.txt", "P02", "Data cost", false },
      { "b.txt", "P03", "Data costs", false },
    }, got)
    assert.equal(4, lines[1].line)
    assert.equal("access/cost", lines[1].code)
  end)

  it("shows `window` words each side, whole words, spaces squeezed", function()
    local l = assert(kwic.lines(coded, { code = "design/hard", window = 2 }))[1]
    assert.same({ "is not ", "easy to use", "" }, { l.left, l.keyword, l.right })
    l = assert(kwic.lines(coded, { code = "design/hard", window = 0 }))[1]
    assert.same({ "", "easy to use", "" }, { l.left, l.keyword, l.right })
  end)

  it("keeps or leaves out negated hits", function()
    assert.equal(2, #kwic.lines(coded, { negated = true }))
    for _, l in ipairs(kwic.lines(coded, { negated = false })) do assert.is_falsy(l.negated) end
  end)

  it("answers nil and a message for a code the codebook does not have", function()
    assert.same({ nil, "no code 'acess' in the codebook" }, { kwic.lines(coded, { code = "acess" }) })
  end)

  it("raises on bad arguments with the usual message", function()
    assert.has_error(function() kwic.lines(nil) end,
      "bad argument #1 to 'lines' (coded corpus expected, got nil)")
    assert.has_error(function() kwic.lines(coded, 5) end,
      "bad argument #2 to 'lines' (table expected, got number)")
    assert.has_error(function() kwic.lines(coded, { window = -1 }) end,
      "bad argument #2 to 'lines' (window must be a whole number >= 0, got -1)")
  end)
end)
