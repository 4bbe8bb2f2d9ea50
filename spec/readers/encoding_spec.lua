local enc = require "thematic.readers.encoding"

local function utf16(s, be)
  -- UTF-8 → UTF-16 with BOM, via string.pack (surrogate pairs for > U+FFFF)
  local fmt = be and ">I2" or "<I2"
  local out = { string.pack(fmt, 0xFEFF) }
  for _, cp in utf8.codes(s) do
    if cp >= 0x10000 then
      cp = cp - 0x10000
      out[#out + 1] = string.pack(fmt, 0xD800 + (cp >> 10))
      out[#out + 1] = string.pack(fmt, 0xDC00 + (cp & 0x3FF))
    else
      out[#out + 1] = string.pack(fmt, cp)
    end
  end
  return table.concat(out)
end

describe("thematic.readers.encoding", function()
  describe("decode()", function()
    it("passes UTF-8 through", function()
      assert.same({ "café\r\nok", nil, "utf-8" }, { enc.decode("café\r\nok", "a.txt") })
    end)

    it("drops a UTF-8 BOM", function()
      assert.equal("P1: hi", (enc.decode("\239\187\191P1: hi")))
    end)

    it("converts UTF-16LE with a BOM, surrogate pairs included", function()
      assert.same({ "P1: café 👍\r\n", nil, "utf-16le" }, { enc.decode(utf16("P1: café 👍\r\n"), "a.txt") })
    end)

    it("converts UTF-16BE with a BOM", function()
      assert.same({ "INT: ok", nil, "utf-16be" }, { enc.decode(utf16("INT: ok", true), "a.txt") })
    end)

    it("reports an unpaired high surrogate with its byte offset", function()
      local bytes = string.pack("<I2I2I2", 0xFEFF, 0x41, 0xD83D) .. string.pack("<I2", 0x41)
      assert.same({ nil, "a.txt: invalid UTF-16 at byte 5 (unpaired surrogate)" }, { enc.decode(bytes, "a.txt") })
    end)

    it("reports a lone low surrogate", function()
      local bytes = string.pack("<I2I2", 0xFEFF, 0xDC00)
      assert.same({ nil, "a.txt: invalid UTF-16 at byte 3 (unpaired surrogate)" }, { enc.decode(bytes, "a.txt") })
    end)

    it("reports invalid UTF-8 with the byte offset into the file", function()
      assert.same({ nil, "a.txt: invalid UTF-8 at byte 4" }, { enc.decode("abc\233def", "a.txt") })
    end)

    it("counts the BOM in the offset", function()
      assert.same({ nil, "a.txt: invalid UTF-8 at byte 5" }, { enc.decode("\239\187\191a\255", "a.txt") })
    end)

    it("refuses NUL-laden binary data", function()
      assert.same({ nil, "bin.txt: invalid UTF-8 at byte 3" }, { enc.decode("PK\0\3\4", "bin.txt") })
    end)

    it("raises on a non-string", function()
      assert.has_error(function() enc.decode(42) end,
        "bad argument #1 to 'decode' (string expected, got number)")
    end)
  end)

  describe("lines()", function()
    it("walks LF, CRLF and CR alike with spans into the text", function()
      local got = {}
      for line, s, e, n in enc.lines("a\r\nbb\rc\n\nd") do got[#got + 1] = { line, s, e, n } end
      assert.same({ { "a", 1, 1, 1 }, { "bb", 4, 5, 2 }, { "c", 7, 7, 3 }, { "", 9, 8, 4 }, { "d", 10, 10, 5 } }, got)
    end)
  end)
end)
