-- Nasty bytes in transcript files: each gives a clear error naming the
-- file and the byte offset, or the expected result. See docs/robustness.md.
local H = dofile("spec/helper.lua")
local corpus = require "thematic.corpus"
local FIX = H.FIX

describe("bad input: encodings", function()
  describe("thematic.corpus.read_file()", function()
    local cases = {
      { "truncated.txt", "invalid UTF-8 at byte 14" },     -- \xC3 with no continuation
      { "overlong.txt", "invalid UTF-8 at byte 11" },      -- \xC0\xAF, an overlong '/'
      { "invalid.txt", "invalid UTF-8 at byte 8" },        -- \xFF
      { "nul.txt", "invalid UTF-8 at byte 10" },           -- a NUL byte
      { "binary.txt", "invalid UTF-8 at byte 6" },         -- a zip header named .txt
      { "utf16le-nobom.txt", "invalid UTF-8 at byte 2 (NUL bytes: UTF-16LE without a "
        .. "byte-order mark? Save it as UTF-8 or UTF-16 with a BOM)" },
    }
    for _, c in ipairs(cases) do
      it("refuses " .. c[1] .. " with the file and byte offset", function()
        assert.same({ nil, FIX .. c[1] .. ": " .. c[2] }, { corpus.read_file(FIX .. c[1]) })
      end)
    end

    it("refuses a UTF-8-encoded surrogate (U+D800)", function()
      local d = H.tmpdir()
      H.write(d .. "/s.txt", "P1: ok\237\160\128")
      assert.same({ nil, d .. "/s.txt: invalid UTF-8 at byte 7" }, { corpus.read_file(d .. "/s.txt") })
      H.rmdir(d)
    end)

    it("names UTF-16BE without a BOM", function()
      local d = H.tmpdir()
      H.write(d .. "/be.txt", "\0P\0001\0:\0 \0h\0i")
      local _, err = corpus.read_file(d .. "/be.txt")
      assert.equal(d .. "/be.txt: invalid UTF-8 at byte 1 (NUL bytes: UTF-16BE without a "
        .. "byte-order mark? Save it as UTF-8 or UTF-16 with a BOM)", err)
      H.rmdir(d)
    end)

    it("reads a 0-byte file as a document with no segments", function()
      local docs = corpus.read_file(FIX .. "empty.txt")
      assert.equal(1, #docs)
      assert.equal("", docs[1].text)
      assert.same({}, docs[1].segments)
    end)
  end)

  describe("bin/thematic count", function()
    it("names every bad file, exits 1 and still counts the good ones", function()
      local d = H.tmpdir()
      for _, n in ipairs { "truncated.txt", "nul.txt", "utf16le-nobom.txt", "empty.txt" } do
        H.sh("cp " .. FIX .. n .. " " .. d)
      end
      H.write(d .. "/good.txt", "P1: the data cost is high\n")
      local out, code, err = H.run("count " .. d .. " -c " .. H.CODEBOOK .. " --format csv --jobs 1 -q")
      assert.equal(1, code)
      assert.truthy(err:find(d .. "/nul.txt: invalid UTF-8 at byte 10", 1, true))
      assert.truthy(err:find(d .. "/truncated.txt: invalid UTF-8 at byte 14", 1, true))
      assert.truthy(err:find(d .. "/utf16le-nobom.txt: invalid UTF-8 at byte 2 (NUL bytes", 1, true))
      assert.falsy(err:find("traceback"))
      assert.truthy(out:find("access/cost,Data cost,access,barrier,good.txt,1,", 1, true))
      H.rmdir(d)
    end)

    it("counts a 5 MB single line (the 50 MB figure is in docs/robustness.md)", function()
      local d = H.tmpdir()
      local f = assert(io.open(d .. "/line.txt", "wb"))
      f:write("P1: ")
      local chunk = ("patient said the data cost was hard to use "):rep(1000)   -- 43,000 bytes
      for _ = 1, 122 do f:write(chunk) end
      f:close()
      local out, code, err, rss = H.run("count " .. d .. " -c " .. H.CODEBOOK .. " --format csv --jobs 1 -q")
      assert.equal(0, code, err)
      assert.truthy(out:find("access/cost,Data cost,access,barrier,line.txt,122000,0,1,1098000,", 1, true))
      if rss then assert.is_true(rss < 400 * 1024, "max RSS " .. rss .. " KB") end
      H.rmdir(d)
    end)

    it("counts a 5 MB transcript of 100,000 turns in bounded memory", function()
      local d = H.tmpdir()
      local f = assert(io.open(d .. "/big.txt", "wb"))
      local turn = "P1: I worry about the data cost and the app is hard to use for me.\nInterviewer: Tell me more.\n"
      for _ = 1, 50000 do f:write(turn) end   -- 100,000 turns, 4.95 MB
      f:close()
      local out, code, err, rss = H.run("count " .. d .. " -c " .. H.CODEBOOK .. " --format csv --jobs 1 -q")
      assert.equal(0, code, err)
      assert.truthy(out:find("access/cost,Data cost,access,barrier,big.txt,50000,0,50000,", 1, true))
      if rss then assert.is_true(rss < 400 * 1024, "max RSS " .. rss .. " KB") end
      H.rmdir(d)
    end)
  end)
end)
