-- WebVTT and SRT readers against the intended parse in EXPECTED.json.
local cjson = require "cjson"
local vtt = require "thematic.readers.vtt"
local srt = require "thematic.readers.srt"

local DIR = "spec/fixtures/transcripts/"

local function expected()
  local f = assert(io.open(DIR .. "EXPECTED.json", "rb"))
  local e = cjson.decode(f:read("a"))
  f:close()
  return e
end

-- The reader's cues/turns as plain tables shaped like EXPECTED.json.
local function shape(doc)
  local cues, turns = {}, {}
  for i, c in ipairs(doc.cues) do
    cues[i] = { id = c.id, start_ms = c.start_ms, end_ms = c.end_ms,
                speaker = c.speaker == nil and cjson.null or c.speaker, text = c.text }
  end
  for i, t in ipairs(doc.turns) do
    turns[i] = { speaker = t.speaker == nil and cjson.null or t.speaker, start_ms = t.start_ms,
                 end_ms = t.end_ms, text = t.text, cues = t.cues }
  end
  return cues, turns
end

describe("thematic.readers.vtt", function()
  describe("read()", function()
    for _, name in ipairs({ "zoom-style-interview.vtt", "teams-style-focus-group.vtt" }) do
      it("reproduces EXPECTED.json for " .. name, function()
        local e = expected()[name]
        local doc = assert(vtt.read(DIR .. name))
        local cues, turns = shape(doc)
        assert.same(e.cues, cues)
        assert.same(e.turns, turns)
      end)
    end

    it("gives segments whose spans cut their text out of doc.text", function()
      local doc = assert(vtt.read(DIR .. "teams-style-focus-group.vtt"))
      assert.equal(6, #doc.segments)
      for _, s in ipairs(doc.segments) do
        assert.equal(s.text, doc.text:sub(s.start, s.stop))
      end
      assert.same({ start_ms = 9004, end_ms = 19030 }, doc.segments[2].time)
      assert.equal("Tom Baker", doc.segments[2].speaker)
    end)
  end)

  describe("parse()", function()
    it("rejects a file without the WEBVTT header", function()
      assert.same({ nil, "x.vtt:1: not a WebVTT file (no WEBVTT header)" },
        { vtt.parse("1\n00:00:01.000 --> 00:00:02.000\nHi\n", "x.vtt") })
    end)

    it("reports a bad timing line with its line number", function()
      assert.same({ nil, "x.vtt:4: bad cue timing '00:00:01 --> soon'" },
        { vtt.parse("WEBVTT\n\nc1\n00:00:01 --> soon\nHi\n", "x.vtt") })
    end)

    it("skips STYLE blocks and reads mm:ss.mmm timings", function()
      local doc = assert(vtt.parse("WEBVTT\n\nSTYLE\n::cue { color: red }\n\n"
        .. "01:02.500 --> 01:03.000\n<v Ann>Hi &lt;there&gt;\n", "x.vtt"))
      assert.same({ { id = "1", start_ms = 62500, end_ms = 63000, speaker = "Ann",
                      text = "Hi <there>", line = 6 } }, doc.cues)
    end)

    it("merges speakerless cues with nobody", function()
      local doc = assert(vtt.parse("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\none\n\n"
        .. "00:00:02.000 --> 00:00:03.000\ntwo\n"))
      assert.equal(2, #doc.turns)
    end)
  end)
end)

describe("thematic.readers.srt", function()
  describe("read()", function()
    it("reproduces EXPECTED.json for srt-style-interview.srt", function()
      local e = expected()["srt-style-interview.srt"]
      local doc = assert(srt.read(DIR .. "srt-style-interview.srt"))
      local cues, turns = shape(doc)
      assert.same(e.cues, cues)
      assert.same(e.turns, turns)
    end)

    it("flags the INTERVIEWER turn and marks [laughs]", function()
      local doc = assert(srt.read(DIR .. "srt-style-interview.srt"))
      assert.is_true(doc.segments[1].interviewer)
      assert.is_false(doc.segments[2].interviewer)
      local s = doc.segments[3]
      assert.equal("[laughs]", doc.text:sub(s.marks[1], s.marks[2]))
    end)
  end)

  describe("parse()", function()
    it("reports a cue whose timing is missing", function()
      assert.same({ nil, "x.srt:2: expected a cue timing after cue '1', got 'Hello'" },
        { srt.parse("1\nHello\n", "x.srt") })
    end)

    it("reads CRLF files and merges cues of one speaker", function()
      local doc = assert(srt.parse("1\r\n00:00:01,000 --> 00:00:02,000\r\nP1: a\r\n\r\n"
        .. "2\r\n00:00:02,000 --> 00:00:03,500\r\nP1: b\r\n"))
      assert.same({ { speaker = "P1", start_ms = 1000, end_ms = 3500, text = "a b",
                      cues = { "1", "2" }, line = 2 } }, doc.turns)
    end)
  end)
end)
