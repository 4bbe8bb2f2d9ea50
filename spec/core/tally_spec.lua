-- m:tally, the per-group counting `thematic count` uses: the same rules
-- as thematic.coding + thematic.analysis.count (rollup of distinct spans to
-- ancestors, negated hits apart), checked here on written-out codebooks.
-- spec/analysis/count_spec.lua checks it against the Lua path on corpora.
local core = require "thematic.core"

-- Codes: 1 theme "access" > 2 "devices", 3 "connectivity"; 4 theme "trust"
-- > 5 "privacy" (negated hits of 5 move to 4 with negated_to).
local function matcher(extra)
  local spec = {
    language = "english", ncodes = 5,
    parents = { [2] = 1, [3] = 1, [5] = 4 },
    patterns = {
      { code = 2, elements = { { "word", "phone" } } },
      { code = 3, elements = { { "word", "phone" }, { "word", "signal" } } },
      { code = 3, elements = { { "word", "wifi" } } },
      { code = 4, elements = { { "word", "trust" } } },
      { code = 5, elements = { { "word", "privacy" } } },
    },
    negation = { cues = { "not", "no", "never" }, window = 3 },
  }
  for k, v in pairs(extra or {}) do spec[k] = v end
  return core.matcher(spec)
end

local function whole(text) return { start = 1, stop = #text } end

-- cells as {[code] = {hits, coded, negated}}
local function cells(group)
  local out, c = {}, group.cells
  for i = 1, #c, 4 do out[c[i]] = { c[i + 1], c[i + 2], c[i + 3] } end
  return out
end

describe("thematic.core matcher:tally", function()
  it("counts words and segments per group and leaves group 0 out", function()
    local m = matcher()
    local text = "My phone died. The wifi was down. Nothing else to say here."
    local r = m:tally(text, { { start = 1, stop = 14 }, { start = 16, stop = 33 },
                              { start = 35, stop = #text } }, { 1, 2, 0 }, 2)
    assert.are.equal(3, r[1].words)
    assert.are.equal(1, r[1].segments)
    assert.are.equal(4, r[2].words)
    assert.are.equal(1, r[2].segments)
    assert.same({ [2] = { 1, 1, 0 }, [1] = { 1, 1, 0 } }, cells(r[1]))
    assert.same({ [3] = { 1, 1, 0 }, [1] = { 1, 1, 0 } }, cells(r[2]))
  end)

  it("rolls a span two codes share up to their theme once", function()
    -- "phone signal": devices (phone) and connectivity (phone signal) both
    -- start at "phone": the theme counts one hit there, not two
    local text = "phone signal, then phone"
    local r = matcher():tally(text, { whole(text) }, { 1 }, 1)
    local c = cells(r[1])
    assert.same({ 2, 1, 0 }, c[2])   -- devices: two phones
    assert.same({ 1, 1, 0 }, c[3])   -- connectivity: one phone signal
    assert.same({ 2, 1, 0 }, c[1])   -- access: two distinct spans
  end)

  it("counts segments coded, not hits, in the second figure", function()
    local r = matcher():tally("phone phone. wifi.", {
      { start = 1, stop = 12 }, { start = 14, stop = 18 } }, { 1, 1 }, 1)
    local c = cells(r[1])
    assert.same({ 3, 2, 0 }, c[1])
    assert.same({ 2, 1, 0 }, c[2])
    assert.same({ 1, 1, 0 }, c[3])
  end)

  it("keeps negated hits apart, counted for the code and each ancestor", function()
    local text = "I do not have a phone."
    local r = matcher():tally(text, { whole(text) }, { 1 }, 1)
    local c = cells(r[1])
    assert.same({ 0, 0, 1 }, c[2])
    assert.same({ 0, 0, 1 }, c[1])
  end)

  it("counts a negated hit moved by negated_to as a hit of its target", function()
    local m = matcher({ negated_to = { [5] = 4 } })
    local text = "There is no privacy at all."
    local c = cells(m:tally(text, { whole(text) }, { 1 }, 1)[1])
    assert.same({ 1, 1, 0 }, c[4])
    assert.is_nil(c[5])
  end)

  it("counts a negated hit moved onto a span its target has once, for the target and the theme", function()
    -- 4 "trust" > 5 "distrust" ("don't trust"), 6 "trusting" ("trust",
    -- negated: distrust): "don't trust" is one mention of distrust
    local m = core.matcher {
      language = "english", ncodes = 6, parents = { [5] = 4, [6] = 4 },
      patterns = {
        { code = 5, elements = { { "norm", "don't" }, { "word", "trust" } } },
        { code = 6, elements = { { "word", "trust" } } },
      },
      negation = { cues = { "not", "*n't" }, window = 3 },
      negated_to = { [6] = 5 },
    }
    local text = "They don't trust a text from an unknown number."
    local c = cells(m:tally(text, { whole(text) }, { 1 }, 1)[1])
    assert.same({ 1, 1, 0 }, c[5])
    assert.same({ 1, 1, 0 }, c[4])
    assert.is_nil(c[6])
  end)

  it("leaves out skip ranges as m:scan does", function()
    local text = "[phone] wifi"
    local r = matcher():tally(text, { { start = 1, stop = #text, marks = { 1, 7 } } }, { 1 }, 1)
    assert.are.equal(1, r[1].words)
    assert.is_nil(cells(r[1])[2])
    assert.same({ 1, 1, 0 }, cells(r[1])[3])
  end)

  it("starts from zero on every call", function()
    local m = matcher()
    m:tally("phone phone phone", { whole("phone phone phone") }, { 1 }, 1)
    local r = m:tally("wifi", { whole("wifi") }, { 1 }, 1)
    assert.is_nil(cells(r[1])[2])
    assert.are.equal(1, r[1].words)
  end)

  it("gives empty groups for no segments", function()
    local r = matcher():tally("anything", {}, {}, 2)
    assert.same({ words = 0, segments = 0, cells = {} }, r[2])
  end)

  it("rejects bad groups, ranges and parents with a message", function()
    local m = matcher()
    local seg = whole("x")
    assert.has_error(function() m:tally("x", { seg }, { 3 }, 2) end)
    assert.has_error(function() m:tally("x", { seg }, { 1.5 }, 2) end)
    assert.has_error(function() m:tally("x", { seg }, {}, 2) end)
    assert.has_error(function() m:tally("x", { 1 }, { 1 }, 1) end)
    assert.has_error(function() m:tally("x", { { start = 1 } }, { 1 }, 1) end)
    assert.has_error(function()
      m:tally("abc", { { start = 1, stop = 3, marks = { 2 } } }, { 1 }, 1)
    end)
    assert.has_error(function()
      m:tally("abc", { { start = 1, stop = 3, marks = { 3, 3, 1, 1 } } }, { 1 }, 1)
    end)
    assert.has_error(function() matcher({ parents = { [2] = 2 } }) end)
    assert.has_error(function() matcher({ parents = { [2] = 9 } }) end)
    assert.has_error(function() matcher({ parents = { [2] = "x" } }) end)
  end)

  it("clamps segment ranges to the text", function()
    local r = matcher():tally("phone", { { start = -5, stop = 99 } }, { 1 }, 1)
    assert.are.equal(1, r[1].words)
  end)
end)
