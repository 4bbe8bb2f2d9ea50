local transcript = require "thematic.transcript"

-- speaker/text pairs of the turns of `text`
local function turns(text, opts)
  local out = {}
  for i, t in ipairs(transcript.parse(text, opts)) do
    out[i] = { t.speaker or false, t.text }
    assert.equal(t.text, text:sub(t.start, t.stop))
  end
  return out
end

describe("thematic.transcript", function()
  describe("parse()", function()
    it("reads role and participant labels", function()
      assert.same({ { "Interviewer", "Why?" }, { "INT", "And?" }, { "I", "So?" }, { "Facilitator", "Next." },
                    { "Moderator", "OK." }, { "P01", "a" }, { "P1", "b" }, { "Participant 3", "c" },
                    { "R1", "d" }, { "Respondent 2", "e" }, { "GP2", "f" }, { "Pharmacist 1", "g" },
                    { "Dr Khan", "h" }, { "Q", "q?" }, { "A", "yes" } },
        turns("Interviewer: Why?\nINT: And?\nI: So?\nFacilitator: Next.\nModerator: OK.\nP01: a\nP1: b\n"
          .. "Participant 3: c\nR1: d\nRespondent 2: e\nGP2: f\nPharmacist 1: g\nDr Khan: h\nQ: q?\nA: yes\n"))
    end)

    it("reads timestamped labels and keeps the time", function()
      local t = transcript.parse("[00:01:23] P03: one\nP03 [00:01:30]: two\nSpeaker 1 (00:01:02): three\n")
      assert.same({ { "P03", "one", 83000 }, { "P03", "two", 90000 }, { "Speaker 1", "three", 62000 } },
        { { t[1].speaker, t[1].text, t[1].time.start_ms }, { t[2].speaker, t[2].text, t[2].time.start_ms },
          { t[3].speaker, t[3].text, t[3].time.start_ms } })
    end)

    it("reads a name and a time alone on a line, text on the following lines", function()
      local t = transcript.parse("Speaker 1  0:03\nWell, the app.\nIt was hard.\n\nAmara Osei  1:02:05\nThanks.\n")
      assert.same({ "Speaker 1", "Well, the app.\nIt was hard.", 3000 },
        { t[1].speaker, t[1].text, t[1].time.start_ms })
      assert.same({ "Amara Osei", "Thanks.", 3725000 }, { t[2].speaker, t[2].text, t[2].time.start_ms })
    end)

    it("reads **Label:** in Markdown", function()
      assert.same({ { "Interviewer", "Hello." }, { "P2", "Hi." } }, turns("**Interviewer:** Hello.\n**P2**: Hi.\n"))
    end)

    it("keeps continuation lines and blank lines inside a turn", function()
      assert.same({ { "P03", "First.\n\nSecond." } }, turns("P03: First.\n\nSecond.\n"))
    end)

    it("does not take 'Note:' in an answer for a speaker", function()
      assert.same({ { "P03", "It was hard.\nNote: the app crashed." } },
        turns("P03: It was hard.\nNote: the app crashed.\n"))
    end)

    it("accepts a name of another shape used as a label twice", function()
      assert.same({ { "Tom", "a" }, { "Sunita", "b" }, { "Tom", "c" }, { "Sunita", "d" } },
        turns("Tom: a\nSunita: b\nTom: c\nSunita: d\n"))
    end)

    it("accepts a name used once when it is known (participants file)", function()
      assert.same({ { "P1", "a" }, { "Sunita", "b" } }, turns("P1: a\nSunita: b\n", { known = { sunita = true } }))
      assert.same({ { "P1", "a\nSunita: b" } }, turns("P1: a\nSunita: b\n"))
    end)

    it("uses opts.labels as a list of names instead of the defaults", function()
      assert.same({ { "Ann", "a\nP1: b" }, { "Bob", "c" } },
        turns("Ann: a\nP1: b\nBob: c\n", { labels = { "ann", "BOB" } }))
    end)

    it("uses opts.labels as a Lua pattern", function()
      assert.same({ { "FG1-P2", "a" }, { "FG1-P3", "b" } },
        turns("FG1-P2: a\nFG1-P3: b\n", { labels = "^FG%d+%-P%d+$" }))
    end)

    it("reads mixed label styles in one file", function()
      assert.same({ { "Interviewer", "one" }, { "P03", "two" }, { "INTERVIEWER", "three" }, { "P03", "four" } },
        turns("**Interviewer:** one\n[00:00:05] P03: two\nINTERVIEWER\nthree\nP03 [00:00:09]: four\n"))
    end)

    it("takes a label missing its colon when the label is used with one elsewhere", function()
      assert.same({ { "P03", "one" }, { "Interviewer", "two" }, { "P03", "three" } },
        turns("P03: one\nInterviewer: two\nP03 three\n"))
    end)

    it("reads a speaker label alone on a line", function()
      assert.same({ { "P03", "The text.\nMore." } }, turns("P03:\nThe text.\nMore.\n"))
    end)

    it("splits a file with timestamps only into timed paragraphs", function()
      local t = transcript.parse("[00:00:01] first bit\n[00:00:09] second bit\n00:00:20\nthird\n")
      assert.same({ { false, "first bit", 1000 }, { false, "second bit", 9000 }, { false, "third", 20000 } },
        { { t[1].speaker or false, t[1].text, t[1].time.start_ms },
          { t[2].speaker or false, t[2].text, t[2].time.start_ms },
          { t[3].speaker or false, t[3].text, t[3].time.start_ms } })
    end)

    it("splits unlabelled text (a preamble) into paragraphs", function()
      assert.same({ { false, "Interview 3" }, { false, "12 May" }, { "P1", "Hi." } },
        turns("Interview 3\n\n12 May\nP1: Hi.\n"))
    end)

    it("returns nothing for an empty text", function()
      assert.same({}, transcript.parse(""))
    end)

    it("keeps a focus group's many speakers", function()
      local lines = {}
      for i = 1, 12 do lines[#lines + 1] = ("P%d: turn %d"):format(i, i) end
      local t = transcript.parse(table.concat(lines, "\n"))
      assert.equal(12, #t)
      assert.equal("P12", t[12].speaker)
    end)

    it("flags interviewer turns", function()
      local t = transcript.parse("Moderator: Why?\nP1: Because.\n")
      assert.same({ true, "interviewer", false }, { t[1].interviewer, t[1].role, t[2].interviewer })
    end)

    it("gives spans into CRLF text", function()
      local text = "P1: one\r\ntwo\r\nP2: three\r\n"
      local t = transcript.parse(text)
      assert.same({ 5, 12, 3 }, { t[1].start, t[1].stop, t[2].line })
      assert.equal("one\r\ntwo", t[1].text)
    end)

    it("raises on a bad opts.labels", function()
      assert.has_error(function() transcript.parse("P1: a", { labels = 3 }) end,
        "bad argument #2 to 'parse' (opts.labels: string or table expected, got number)")
    end)
  end)

  describe("marks()", function()
    it("finds bracketed marks and known parenthesised ones", function()
      local text = "I [inaudible] think (laughs) it (the app) helps (inaudible 00:12:03) [crosstalk]"
      local m = transcript.marks(text)
      local got = {}
      for i = 1, #m, 2 do got[#got + 1] = text:sub(m[i], m[i + 1]) end
      assert.same({ "[inaudible]", "(laughs)", "(inaudible 00:12:03)", "[crosstalk]" }, got)
    end)
  end)

  describe("parse() at the edges of the label forms", function()
    it("reads a name and a time that end with a full stop as a timed label", function()
      local t = transcript.parse("Speaker 1  0:03.\nHello there.\nSpeaker 2  0:09\nHi.\n")
      assert.same({ "Speaker 1", "Speaker 2" }, { t[1].speaker, t[2].speaker })
      assert.same({ 3000, 9000 }, { t[1].time.start_ms, t[2].time.start_ms })
    end)

    it("keeps a sentence that ends in a full stop as speech", function()
      local t = transcript.parse("P01: We met at 10:30.\nP01: Then at 11:15.\n")
      assert.equal(2, #t)
      assert.same({ "We met at 10:30.", "Then at 11:15." }, { t[1].text, t[2].text })
    end)

    it("finds marks in a turn without searching past it", function()
      local text = "P01: no marks here\nP02: one (laughs) mark\n" .. ("[x]"):rep(3)
      local t = transcript.parse(text)
      assert.equal(0, #t[1].marks)
      assert.equal("(laughs)", text:sub(t[2].marks[1], t[2].marks[2]))
    end)
  end)

  describe("sentences()", function()
    it("splits on . ! ? … but not after abbreviations", function()
      local text = "Dr. Khan said so. It was e.g. fine! \"Yes\" he said… Then Mr Li left? No."
      local got = {}
      for _, s in ipairs(transcript.sentences(text)) do got[#got + 1] = text:sub(s[1], s[2]) end
      assert.same({ "Dr. Khan said so.", "It was e.g. fine!", "\"Yes\" he said…", "Then Mr Li left?", "No." }, got)
    end)

    it("does not split before a lower-case word", function()
      assert.equal(1, #transcript.sentences("About 3.5 out of 10. then more"))
    end)
  end)

  describe("parse_time()", function()
    it("reads clock times and seconds", function()
      assert.same({ 3000, 83000, 3723456, 12500 },
        { transcript.parse_time("0:03"), transcript.parse_time("00:01:23"),
          transcript.parse_time("01:02:03.456"), transcript.parse_time("12.5") })
    end)
  end)
end)
