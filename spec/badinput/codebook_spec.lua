-- Nasty codebooks: cycles, billion laughs, deep nesting, a huge pattern
-- list, and .lua files that try to run code.
local H = dofile("spec/helper.lua")
local codebook = require "thematic.codebook"
local FIX = H.FIX

describe("bad input: codebooks", function()
  describe("thematic.codebook.load()", function()
    it("refuses a YAML alias inside its own anchor (a cycle)", function()
      assert.same({ nil, FIX .. "cycle.yml:7: YAML: alias 'a' refers to a node that contains it (a cycle)" },
        { codebook.load(FIX .. "cycle.yml") })
    end)

    it("refuses nested aliases that expand far past the file (billion laughs)", function()
      local lines = { "name: laughs", "codes:", "  a:",
        "    patterns: &p1 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]" }
      for i = 2, 9 do
        local ref = ("*p" .. (i - 1) .. ", "):rep(10):sub(1, -3)
        lines[#lines + 1] = "  c" .. i .. ":"
        lines[#lines + 1] = "    patterns: &p" .. i .. " [" .. ref .. "]"
      end
      local d = H.tmpdir()
      H.write(d .. "/laughs.yml", table.concat(lines, "\n") .. "\n")
      local t = os.clock()
      local cb, err = codebook.load(d .. "/laughs.yml")
      assert.is_nil(cb)
      assert.truthy(err:find("^" .. d:gsub("%p", "%%%0") .. "/laughs.yml:%d+: YAML: aliases expand to more than"))
      assert.is_true(os.clock() - t < 2)
      H.rmdir(d)
    end)

    it("refuses 10,000-deep nesting quickly", function()
      local parts = { "name: deep\ncodes: " }
      for i = 1, 10000 do parts[#parts + 1] = "{c" .. i .. ": {codes: " end
      parts[#parts + 1] = "{leaf: {patterns: [x]}}" .. ("}}"):rep(10000) .. "\n"
      local d = H.tmpdir()
      H.write(d .. "/deep.yml", table.concat(parts))
      local t = os.clock()
      assert.same({ nil, d .. "/deep.yml:2: YAML: nested deeper than 512 levels" },
        { codebook.load(d .. "/deep.yml") })
      assert.is_true(os.clock() - t < 2)
      H.rmdir(d)
    end)

    it("refuses codes nested deeper than 100 levels, in any format", function()
      local t = { name = "x", patterns = { "x" } }
      for i = 101, 1, -1 do t = { name = "c" .. i, codes = { t } } end
      local cb, err = codebook.new({ name = "deep", codes = { t } })
      assert.is_nil(cb)
      assert.equal("codebook table: code 'c101' is nested deeper than 100 levels", err)
    end)

    it("loads and compiles 100,000 patterns in bounded time and memory", function()
      local lines = { "name: big", "language: english", "codes:" }
      for c = 1, 1000 do
        local pats = {}
        for p = 1, 100 do pats[p] = "w" .. c .. "x" .. p end
        lines[#lines + 1] = "  c" .. c .. ":"
        lines[#lines + 1] = "    patterns: [" .. table.concat(pats, ", ") .. "]"
      end
      local d = H.tmpdir()
      H.write(d .. "/big.yml", table.concat(lines, "\n") .. "\n")
      collectgarbage()
      local before = collectgarbage("count")
      local t = os.clock()
      local cb = assert(codebook.load(d .. "/big.yml"))
      assert.equal(100000, cb:pattern_count())
      local ok, core = pcall(require, "thematic.core")
      if ok and core then
        cb:compile()
        local res = cb:scan("we said w7x42 and w999x100 twice w7x42")
        assert.equal(2, res.by_path["c7"])
        assert.equal(1, res.by_path["c999"])
      end
      local secs = os.clock() - t
      local mb = (collectgarbage("count") - before) / 1024
      assert.is_true(secs < 30, secs .. " s")
      assert.is_true(mb < 500, mb .. " MB")
      H.rmdir(d)
    end)
  end)

  describe("a .lua codebook file", function()
    it("cannot run os.execute: it is data only", function()
      os.remove("/tmp/thematic-badinput-PWNED")
      local cb, err = codebook.load(FIX .. "evil.lua")
      assert.is_nil(cb)
      assert.equal(FIX .. "evil.lua:1: attempt to index a nil value (global 'os') "
        .. "(a .lua codebook is data only: no library can be called)", err)
      assert.is_nil(io.open("/tmp/thematic-badinput-PWNED"))
    end)

    it("cannot loop for ever", function()
      local d = H.tmpdir()
      H.write(d .. "/loop.lua", "while true do end")
      assert.same({ nil, d .. "/loop.lua: too many instructions for a data file" },
        { codebook.load(d .. "/loop.lua") })
      H.rmdir(d)
    end)

    it("cannot take the machine's memory", function()
      local d = H.tmpdir()
      H.write(d .. "/mem.lua", 'local s = "xxxxxxxx" for i = 1, 40 do s = s .. s end return { name = s }')
      assert.same({ nil, d .. "/mem.lua: too much memory for a data file" },
        { codebook.load(d .. "/mem.lua") })
      H.write(d .. "/rep.lua", 'return { name = ("x"):rep(2^30) }')
      local _, err = codebook.load(d .. "/rep.lua")
      assert.equal(d .. "/rep.lua:1: attempt to index a string value (constant 'x') "
        .. "(a .lua codebook is data only: no library can be called)", err)
      H.rmdir(d)
    end)

    it("is refused as bytecode", function()
      local d = H.tmpdir()
      H.write(d .. "/b.lua", string.dump(function() return {} end))
      assert.same({ nil, d .. "/b.lua:1: binary chunks are refused" }, { codebook.load(d .. "/b.lua") })
      H.rmdir(d)
    end)
  end)

  describe("bin/thematic codebook show", function()
    it("gives the cycle error, no traceback, exit 1", function()
      local _, code, err = H.run("codebook show " .. FIX .. "cycle.yml")
      assert.equal(1, code)
      assert.equal("thematic: " .. FIX .. "cycle.yml:7: YAML: alias 'a' refers to a node that "
        .. "contains it (a cycle)\n", err:gsub("\tCommand.*", ""):match("^[^\n]*\n"))
    end)
  end)
end)
