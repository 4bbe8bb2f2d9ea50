local corpus = require "thematic.corpus"

local STUDY = "spec/fixtures/transcripts/study"
local DIR = "spec/fixtures/transcripts"

local H = dofile("spec/helper.lua")
local tmpdir, write = H.tmpdir, H.write

local function all(c, filter, incl)
  local out = {}
  for s in c:segments(filter, incl) do out[#out + 1] = s end
  return out
end

describe("thematic.corpus", function()
  describe("load()", function()
    it("loads a study folder with its participants.csv and manifest.csv", function()
      local c, errors = assert(corpus.load(STUDY))
      assert.same({}, errors)
      assert.same({ "focus-groups/fg1.md", "interviews/p03.txt" }, { c.documents[1].id, c.documents[2].id })
      assert.same({ type = "interview", date = "2024-05-12", site = "North" }, c.documents[2].attributes)
      assert.equal(3, #c.participants.list)
    end)

    it("joins speaker labels to participants across documents, aliases included", function()
      local c = assert(corpus.load(STUDY))
      local p03 = all(c, { participant = "P03" })
      assert.same({ "Pharmacist 1", "P03", "P03" }, { p03[1].speaker, p03[2].speaker, p03[3].speaker })
      assert.same({ "focus group", "pharmacist", "South" },
        { p03[1].attributes.type, p03[1].attributes.profession, p03[1].attributes.site })
      assert.equal("interview", p03[2].attributes.type)
    end)

    it("reports a speaker with no participants row once, and keeps the turns", function()
      local c = assert(corpus.load(STUDY))
      assert.same({
        "spec/fixtures/transcripts/study/focus-groups/fg1.md:6: speaker 'Nurse 4' has no row in "
          .. "spec/fixtures/transcripts/study/participants.csv",
        "spec/fixtures/transcripts/study/manifest.csv:4: no file 'interviews/missing.txt' among the inputs",
      }, c.warnings)
      local nurse = all(c, { speaker = "Nurse 4" })
      assert.same({ "Agreed.", nil }, { nurse[1].text, nurse[1].participant })
    end)

    it("leaves interviewer turns out unless asked", function()
      local c = assert(corpus.load(STUDY))
      assert.equal(6, #all(c))
      local with = all(c, { interviewer = true })
      assert.equal(9, #with)
      assert.same({ "Moderator", "AO", true }, { with[1].speaker, with[1].participant, with[1].interviewer })
      assert.equal(9, #all(c, function() return true end, true))
    end)

    it("filters on attributes, with a list of accepted values or a function", function()
      local c = assert(corpus.load(STUDY))
      assert.equal(4, #all(c, { group = { "gp", "pharmacy" } }))
      assert.equal(1, #all(c, function(s) return s.attributes.gender == "male" end))
    end)

    it("keeps segment spans, marks and text consistent with doc.text", function()
      local c = assert(corpus.load(STUDY))
      for _, d in ipairs(c.documents) do
        for _, s in ipairs(d.segments) do
          assert.equal(s.text, d.text:sub(s.start, s.stop))
          for i = 1, #s.marks, 2 do assert.matches("^[%[%(].*[%]%)]$", d.text:sub(s.marks[i], s.marks[i + 1])) end
        end
      end
      local gp = all(c, { speaker = "GP2" })[1]
      assert.equal("The readings (inaudible 00:12:03) never arrive.\r\n\r\nIt takes ages.", gp.text)
      assert.equal("(inaudible 00:12:03)", c.documents[1].text:sub(gp.marks[1], gp.marks[2]))
    end)

    it("splits turns into paragraphs or sentences", function()
      local p = assert(corpus.load(STUDY, { level = "paragraph" }))
      local gp = all(p, { speaker = "GP2" })
      assert.same({ "The readings (inaudible 00:12:03) never arrive.", "It takes ages." }, { gp[1].text, gp[2].text })
      assert.same({ 3, 5 }, { gp[1].line, gp[2].line })
      local s = assert(corpus.load(STUDY, { level = "sentence" }))
      local p03 = all(s, { document = "interviews/p03.txt", speaker = "P03" })
      assert.same({ "The log-ins, mostly [laughs].", "Patients didn't remember passwords.",
                    "Note: the practice changed systems in March.", "Having one person who knew it inside out.",
                    "Dr. Khan did.", "It was e.g. the ringing round." },
        { p03[1].text, p03[2].text, p03[3].text, p03[4].text, p03[5].text, p03[6].text })
    end)

    it("derives the type from folder names without a manifest", function()
      local c = assert(corpus.load(STUDY, { manifest = false, participants = false }))
      assert.same({ "focus group", "interview" }, { c.documents[1].attributes.type, c.documents[2].attributes.type })
      assert.same({}, c.warnings)
    end)

    it("loads abstracts as one document per record with metadata and sections", function()
      local c = assert(corpus.load("spec/fixtures/abstracts"))
      assert.equal(8, #c.documents)
      local d = c:document("sample.ris#1")
      assert.same({ "Barriers to app-based diabetes care in general practice", 2023, "10.5555/fjpc.2023.001" },
        { d.title, d.year, d.doi })
      local kinds = {}
      for i, s in ipairs(d.sections) do kinds[i] = tostring(s.kind) end
      assert.same({ "nil", "objective", "methods", "results", "conclusion" }, kinds)
      assert.same({ "objective", "To explore how practice nurses experience glucose apps." },
        { d.segments[2].section, d.segments[2].text })
      assert.equal("medline", c:document("sample.nbib#1").format)
    end)

    it("reads a UTF-16 transcript", function()
      local d = tmpdir()
      local parts = { string.pack("<I2", 0xFEFF) }
      for _, cp in utf8.codes("P1: café\r\nP2: ok\r\n") do parts[#parts + 1] = string.pack("<I2", cp) end
      write(d .. "/u16.txt", table.concat(parts))
      local c = assert(corpus.load(d))
      os.execute("rm -rf '" .. d .. "'")
      assert.same({ "café", "ok" }, { c.documents[1].segments[1].text, c.documents[1].segments[2].text })
    end)

    it("reports bad files and still loads the rest", function()
      local d = tmpdir()
      write(d .. "/good.txt", "P1: fine\n")
      write(d .. "/binary.txt", "PK\3\4\0\0\0binary")
      write(d .. "/empty.txt", "")
      write(d .. "/bad.csv", "who,what\n")
      local c, errors = corpus.load(d)
      os.execute("rm -rf '" .. d .. "'")
      assert.same({ d .. "/bad.csv:1: CSV is neither a turn table (speaker,text) nor an abstracts table (abstract)",
                    d .. "/binary.txt: invalid UTF-8 at byte 5" }, errors)
      assert.same({ "empty.txt", "good.txt" }, { c.documents[1].id, c.documents[2].id })
      assert.same({}, c.documents[1].segments)
    end)

    it("returns nil and a message when nothing could be read", function()
      local d = tmpdir()
      write(d .. "/binary.vtt", "\0\1\2")
      local c, err = corpus.load(d)
      os.execute("rm -rf '" .. d .. "'")
      assert.same({ nil, d .. "/binary.vtt: invalid UTF-8 at byte 1" }, { c, err })
      assert.same({ nil, "nowhere/x.txt: no such file or directory" }, { corpus.load("nowhere/x.txt") })
    end)

    it("loads the shared example transcripts from a list of files", function()
      local c = assert(corpus.load({ DIR .. "/zoom-style-interview.vtt", DIR .. "/srt-style-interview.srt" }))
      assert.same({ "zoom-style-interview.vtt", "srt-style-interview.srt" }, { c.documents[1].id, c.documents[2].id })
      assert.equal(7, #c.documents[1].segments)
    end)

    it("loads a 20 MB transcript with the right number of turns", function()
      local d = tmpdir()
      local chunk = "Interviewer: How did the app fit into the clinic? [pause]\n"
        .. "P03: Honestly it was hard at first, the log-ins failed and patients gave up. [laughs]\n"
        .. "We kept at it though, and by spring most people could see their readings.\n\n"
      local n = math.ceil(20 * 1024 * 1024 / #chunk)
      local f = assert(io.open(d .. "/big.txt", "wb"))
      for _ = 1, n do f:write(chunk) end
      f:close()
      local c = assert(corpus.load(d .. "/big.txt"))
      os.execute("rm -rf '" .. d .. "'")
      assert.equal(2 * n, #c.documents[1].segments)
      assert.equal(n, #all(c))
      assert.is_true(#c.documents[1].text >= 20 * 1024 * 1024)
    end)

    it("raises on a bad level", function()
      assert.has_error(function() corpus.load(STUDY, { level = "word" }) end,
        "bad argument #2 to 'load' (level must be turn, paragraph or sentence, got 'word')")
    end)
  end)
end)
