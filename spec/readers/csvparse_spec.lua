local csv = require "thematic.readers.csvparse"

describe("thematic.readers.csvparse", function()
  describe("parse()", function()
    it("reads quotes, doubled quotes, embedded newlines and a BOM", function()
      local rows = assert(csv.parse('\239\187\191a,b\r\n"x, y","say ""hi""\r\nthen"\r\n3,\r\n', "t.csv"))
      assert.same({ { "a", "b", line = 1 }, { "x, y", 'say "hi"\r\nthen', line = 2 }, { "3", "", line = 4 } }, rows)
    end)

    it("reports an unterminated quote at the line it opened", function()
      assert.same({ nil, "t.csv:2: unterminated quoted field" }, { csv.parse('a\n"b\nc\n', "t.csv") })
    end)

    it("reports text after a closing quote", function()
      assert.same({ nil, "t.csv:1: unexpected character after closing quote" }, { csv.parse('"a"b,c\n', "t.csv") })
    end)
  end)

  describe("records()", function()
    it("keys rows by trimmed lower-case header", function()
      local r = assert(csv.records(" Speaker ,TEXT\nP1,hi\n", "t.csv"))
      assert.same({ "speaker", "text" }, r.header)
      assert.same({ speaker = "P1", text = "hi", line = 2 }, r[1])
    end)

    it("reports an empty file", function()
      assert.same({ nil, "t.csv:1: empty file" }, { csv.records("", "t.csv") })
    end)
  end)
end)
