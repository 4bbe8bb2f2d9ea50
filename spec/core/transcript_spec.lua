-- The C transcript parser through its private interface (docs/internals.md):
-- pass 1 (core.transcript: candidates, statistics), pass 2 (t:turns), the
-- turns, marks and label helpers. thematic.transcript builds its turns on
-- these; here each is tested on its own, and on bytes no transcript has.
-- This file also runs under ASan+UBSan and valgrind (make test).
local core = require "thematic.core"

-- {label, norm, form} of each candidate
local function candidates(text)
  local out = {}
  for i, c in ipairs(core.transcript(text):candidates()) do out[i] = { c.label, c.norm, c.form } end
  return out
end

-- pass 2 with every candidate accepted (or as given); the turns as
-- {speech, line, speaker label or false, time or false, marks...}
local function turns(text, accept, partial, continues)
  local t = core.transcript(text)
  local cands = t:candidates()
  local accepted = {}
  for i = 1, #cands do accepted[i] = accept == nil or accept[i] == true end
  local n, rest, rest_line, open, open_speaker = t:turns(accepted, partial, continues)
  cands = t:candidates()
  local out = {}
  for i = 1, n do
    local start, stop, line, who, ms, nmarks = t:turn(i)
    local turn = { text:sub(start, stop), line, who > 0 and cands[who].label or false, ms or false }
    local m = t:marks(i)
    assert.equal(nmarks, m and #m // 2 or 0)
    for k = 1, m and #m or 0, 2 do turn[#turn + 1] = text:sub(m[k], m[k + 1]) end
    out[i] = turn
  end
  return out, { rest = rest, rest_line = rest_line, open = open, open_speaker = open_speaker }
end

describe("thematic.core.transcript", function()
  describe("candidates()", function()
    it("finds a label of every form, with its normalised label", function()
      assert.same({
        { "Interviewer", "interviewer", "colon" },
        { "Speaker 1", "speaker 1", "timeline" },
        { "P03", "p03", "alone" },
        { "INT", "int", "nocolon" },
        { "Dr Khan", "dr khan", "colon" },
        { "P03", "p03", "colon" },
        { "Speaker 2", "speaker 2", "colon" },
      }, candidates("**Interviewer:** Why?\nSpeaker 1  0:03\nP03\nINT and then\n"
        .. "Dr Khan: yes\n[00:01:23] P03: one\nSpeaker 2 (00:01:02): two\n"))
    end)

    it("lists a (label, form) pair once however often it is used", function()
      assert.same({ { "P1", "p1", "colon" }, { "P2", "p2", "colon" }, { "P1", "p1", "nocolon" } },
        candidates("P1: a\nP2: b\nP1: c\nP1 d\nP2: e\n"))
    end)

    it("finds nothing in speech, blank lines and times alone", function()
      assert.same({}, candidates("just some speech here\n\n   \t\n[00:00:01] more speech\n00:00:20\n"))
    end)

    it("adds the speaker a part continues with as a 'continued' candidate", function()
      local t = core.transcript("more of it\n")
      t:turns({}, false, "Tom")
      assert.same({ label = "Tom", norm = "tom", form = "continued" }, t:candidates()[1])
    end)
  end)

  describe("stats()", function()
    it("counts uses of each label in forms other than nocolon, and sees colons", function()
      local s = core.transcript("Tom: a\nTom: b\nTOM c\nP03\nP03 d\n"):stats({ counts = {}, colon_seen = {} })
      assert.same({ counts = { tom = 2, p03 = 1 }, colon_seen = { tom = true } }, s)
    end)

    it("adds to statistics given", function()
      local s = { counts = { tom = 1, ann = 4 }, colon_seen = { ann = true } }
      assert.equal(s, core.transcript("Tom: a\n"):stats(s))
      assert.same({ counts = { tom = 2, ann = 4 }, colon_seen = { ann = true, tom = true } }, s)
    end)
  end)

  describe("turns()", function()
    it("gives each turn's speech, line, speaker, time and marks", function()
      assert.same({
        { "Why? [inaudible]", 1, "INT", false, "[inaudible]" },
        { "The log-ins (laughs).\nThey fail.", 2, "P03", 83000, "(laughs)" },
      }, (turns("INT: Why? [inaudible]\n[00:01:23] P03: The log-ins (laughs).\nThey fail.\n")))
    end)

    it("keeps a label that is not accepted in the speech", function()
      assert.same({ { "a\nNote: b", 1, "P1", false } }, (turns("P1: a\nNote: b\n", { true, false })))
    end)

    it("splits unlabelled text into paragraphs", function()
      assert.same({ { "one\ntwo", 1, false, false }, { "three", 4, false, false } },
        (turns("one\ntwo\n\nthree\n")))
    end)

    it("leaves the last turn of a part for the next one", function()
      local t, r = turns("P1: a\nP2: b\nc\n", nil, true)
      assert.same({ { "a", 1, "P1", false } }, t)
      assert.same({ rest = 7, rest_line = 2 }, r)
    end)

    it("goes on with the turn of the previous part when the part is one turn", function()
      local t, r = turns("more\nand more\n", nil, true, "P03")
      assert.same({ { "more\nand more", 1, "P03", false } }, t)
      assert.same({ open = true, open_speaker = 1 }, r)
      t, r = turns("more\n", nil, true, true)
      assert.same({ { "more", 1, false, false } }, t)
      assert.same({ open = true, open_speaker = 0 }, r)
    end)

    it("rejects a turn number out of range and a closed transcript", function()
      local t = core.transcript("P1: a\n")
      t:turns({ true })
      assert.has_error(function() t:turn(2) end, "bad argument #1 to 'turn' (no such turn)")
      t:close()
      assert.has_error(function() t:turn(1) end, "calling 'turn' on bad self (transcript is closed)")
      t:close()   -- closing twice is harmless
    end)
  end)

  describe("on bytes no transcript has", function()
    it("reads NUL bytes and invalid UTF-8 as label and speech bytes", function()
      assert.same({ { "P\0", "p\0", "colon" }, { "\xC3\xFF", "\xC3\xFF", "colon" } },
        candidates("P\0: a\0b\n\xC3\xFF: \xFE\n"))
      assert.same({ { "a\0b", 1, "P\0", false }, { "\xFE", 2, "\xC3\xFF", false } },
        (turns("P\0: a\0b\n\xC3\xFF: \xFE\n")))
    end)

    it("splits lines at CR alone, CRLF and LF", function()
      assert.same({ { "a", 1, "P1", false }, { "b", 2, "P2", false }, { "c\r\nd", 3, "P3", false } },
        (turns("P1: a\rP2: b\r\nP3: c\r\nd")))
    end)

    it("reads a 50 MB line #huge", function()
      local text = "P03: " .. ("word "):rep(10 * 1024 * 1024) .. "(laughs)"
      local t = core.transcript(text)
      assert.same({ { label = "P03", norm = "p03", form = "colon" } }, t:candidates())
      assert.equal(1, (t:turns({ true })))
      local start, stop, line, who, ms, nmarks = t:turn(1)
      assert.same({ 6, #text, 1, 1, nil, 1 }, { start, stop, line, who, ms, nmarks })
      assert.same({ #text - 7, #text }, t:marks(1))
    end)

    it("reads a line of 100000 colons, brackets and emphasis", function()
      for _, s in ipairs({ (":"):rep(100000), ("[("):rep(50000), ("**a"):rep(30000) .. ": x",
                           ("\r"):rep(100000), ("\0"):rep(100000), "[" .. ("1"):rep(100000) .. ":" }) do
        local t = core.transcript(s)
        local accepted = {}
        for i = 1, #t:candidates() do accepted[i] = true end
        assert.is_number((t:turns(accepted)))
      end
    end)

    it("reads an empty text", function()
      local t = core.transcript("")
      assert.same({}, t:candidates())
      assert.equal(0, (t:turns({})))
    end)
  end)
end)

describe("thematic.core.marks()", function()
  it("finds [...] and known (...) marks of a range, as offsets into the text", function()
    local text = "I [inaudible] think (laughs) it (the app) helps (Inaudible 00:12:03) [crosstalk]"
    assert.same({ 3, 13, 21, 28, 49, 68, 70, 80 }, core.marks(text))
    assert.same({ 21, 28 }, core.marks(text, 15, 40))
  end)

  it("leaves out a bracket over 80 bytes, or across a line end", function()
    assert.is_nil(core.marks("[" .. ("x"):rep(80) .. "] [a\nb] (laughs\r)"))
    assert.same({ 1, 81 }, core.marks("[" .. ("x"):rep(79) .. "]"))
  end)

  it("clamps the range to the text as string.sub does", function()
    assert.same({ 3, 5 }, core.marks("b [a]", 2, 100))
    assert.is_nil(core.marks("[a]", 3, 2))
    assert.is_nil(core.marks("[a]", 10))
  end)
end)

describe("thematic.core.normalize_label()", function()
  it("removes emphasis and a trailing colon, collapses white space, lower-cases ASCII", function()
    assert.equal("interviewer", core.normalize_label("**Interviewer:**"))
    assert.equal("participant 3", core.normalize_label("  Participant \t 3 : "))
    assert.equal("zoË a", core.normalize_label("ZoË_A"))
    assert.equal("a:b", core.normalize_label("a:b"))
    assert.equal("", core.normalize_label(""))
  end)
end)

describe("thematic.core.label_plausible()", function()
  it("takes a capitalised label of up to six words and 60 bytes", function()
    assert.is_true(core.label_plausible("Dr Khan"))
    assert.is_true(core.label_plausible("Émile"))
    assert.is_true(core.label_plausible("Mr. Li"))
    assert.is_true(core.label_plausible("J."))
    assert.is_false(core.label_plausible("tom"))
    assert.is_false(core.label_plausible("A B C D E F G"))
    assert.is_false(core.label_plausible(("A"):rep(61)))
    assert.is_false(core.label_plausible("Tom?"))
    assert.is_false(core.label_plausible("“Tom”"))
    assert.is_false(core.label_plausible("Tom e.g."))
    assert.is_false(core.label_plausible(""))
  end)
end)
