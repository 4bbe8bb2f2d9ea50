local csvturns = require "thematic.readers.csv"

describe("thematic.readers.csv", function()
  describe("parse()", function()
    it("reads one turn per row with times in seconds or clock form", function()
      local doc = assert(csvturns.parse('\239\187\191speaker,text,start,end\r\n'
        .. 'Moderator,"Hello, all",0,4.5\r\n'
        .. 'P01,"Line one\r\nline ""two""",00:00:05,00:00:09.250\r\n', "t.csv"))
      assert.equal(2, #doc.segments)
      local a, b = doc.segments[1], doc.segments[2]
      assert.same({ "Moderator", "Hello, all", { start_ms = 0, end_ms = 4500 }, true, 2 },
        { a.speaker, a.text, a.time, a.interviewer, a.line })
      assert.same({ "P01", 'Line one\r\nline "two"', { start_ms = 5000, end_ms = 9250 }, 3 },
        { b.speaker, b.text, b.time, b.line })
      assert.equal(b.text, doc.text:sub(b.start, b.stop))
    end)

    it("needs speaker and text columns", function()
      assert.same({ nil, "t.csv:1: a turn table needs the columns speaker and text" },
        { csvturns.parse("who,what\na,b\n", "t.csv") })
    end)

    it("reports a bad time with its line", function()
      assert.same({ nil, "t.csv:3: bad start time 'later'" },
        { csvturns.parse("speaker,text,start\nP1,a,1\nP1,b,later\n", "t.csv") })
    end)
  end)
end)
