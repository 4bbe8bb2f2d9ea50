-- The core's few system functions: reading a whole file (what the corpus
-- reads every transcript with), the running totals `thematic count` adds
-- tallies into, and fork/wait/exit_now for the workers of `count --jobs`.
local core = require "thematic.core"
local H = dofile("spec/helper.lua")

describe("core.read_file", function()
  local d
  before_each(function() d = H.tmpdir() end)
  after_each(function() H.rmdir(d) end)

  it("gives a file's bytes exactly, whatever its size", function()
    -- every byte value, in a random order, repeated to the size
    local rand, bytes = H.lcg(7), {}
    for i = 1, 251 do bytes[i] = string.char(rand(256) - 1) end
    for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
    local block = table.concat(bytes)
    for _, size in ipairs({ 0, 1, 4095, 4096, 4097, 65536, 1000003 }) do
      local text = block:rep(size // #block + 1):sub(1, size)
      H.write(d .. "/f", text)
      assert.equal(text, core.read_file(d .. "/f"))
    end
  end)

  it("reads files whose size stat(2) does not tell (/proc) to the end", function()
    local want = H.slurp("/proc/self/mounts")
    assert.is_true(#want > 0)
    assert.equal(#want, #core.read_file("/proc/self/mounts"))
  end)

  it("says what is wrong as io.open does: path, message and errno", function()
    local v, msg, errno = core.read_file(d .. "/missing.txt")
    assert.is_nil(v)
    assert.equal(d .. "/missing.txt: No such file or directory", msg)
    assert.equal(2, errno)
    v, msg = core.read_file(d)
    assert.is_nil(v)
    assert.equal(d .. ": Is a directory", msg)
  end)

  it("gives false and the size for a file over the limit, without reading it", function()
    H.write(d .. "/f", ("x"):rep(100))
    assert.same({ false, 100 }, { core.read_file(d .. "/f", 99) })
    assert.equal(100, #core.read_file(d .. "/f", 100))
  end)

  it("checks its arguments", function()
    assert.has_error(function() core.read_file() end,
      "bad argument #1 to 'read_file' (string expected, got no value)")
    assert.has_error(function() core.read_file("x", "y") end)
  end)
end)

describe("core.totals", function()
  -- Totals are fed by tallies: m:tally(..., into, rows) must add up to what
  -- the same tallies give per group when summed by row in Lua.
  local codebook = require "thematic.codebook"

  it("adds up many tallies by (row, code), as summing each tally's cells gives", function()
    local cb = assert(codebook.load("samples/codebooks/digital-health.yml"))
    local m = cb:matcher()
    local text = H.slurp("samples/transcripts/interview-01-gp.txt")
    local rand = H.lcg(11)
    local into, want, order = core.totals(), {}, {}
    for _ = 1, 12 do
      -- a random split of the text into segments, in up to 4 groups that
      -- map onto rows 1..7
      local segs, groups, pos = {}, {}, 1
      while pos <= #text do
        local stop = math.min(#text, pos + rand(400))
        segs[#segs + 1] = { start = pos, stop = stop }
        groups[#groups + 1] = rand(5) - 1
        pos = stop + 1
      end
      local rows = { rand(7), rand(7), rand(7), rand(7) }
      local per_group = m:tally(text, segs, groups, 4)
      for g, r in ipairs(per_group) do
        for k = 1, #r.cells, 4 do
          local key = rows[g] * 10000 + r.cells[k]
          if not want[key] then
            want[key] = { rows[g], r.cells[k], 0, 0, 0 }
            order[#order + 1] = key
          end
          local w = want[key]
          w[3], w[4], w[5] = w[3] + r.cells[k + 1], w[4] + r.cells[k + 2], w[5] + r.cells[k + 3]
        end
      end
      local through = m:tally(text, segs, groups, 4, into, rows)
      for g = 1, 4 do
        assert.is_nil(through[g].cells)
        assert.equal(per_group[g].words, through[g].words)
        assert.equal(per_group[g].segments, through[g].segments)
      end
    end
    local got, byk = into:cells(), {}
    for k = 1, #got, 5 do byk[got[k] * 10000 + got[k + 1]] = { table.unpack(got, k, k + 4) } end
    assert.is_true(#order > 20)
    assert.equal(#order * 5, #got)
    for _, key in ipairs(order) do assert.same(want[key], byk[key]) end
  end)

  it("wants a row for every group", function()
    local m = assert(codebook.load("samples/codebooks/digital-health.yml")):matcher()
    local segs = { { start = 1, stop = 5 } }
    assert.has_error(function() m:tally("hello", segs, { 1 }, 2, core.totals(), { 1 }) end,
      "bad argument #6 to 'tally' (rows must be integers from 1, one per group)")
    local t = core.totals()
    t:close()
    assert.has_error(function() m:tally("hello", segs, { 1 }, 1, t, { 1 }) end,
      "bad argument #5 to 'tally' (totals are closed)")
  end)
end)

describe("core.fork, core.wait and core.exit_now", function()
  it("tell how a worker ended: its exit status, or the signal that killed it", function()
    io.stdout:flush()
    local pid = core.fork()
    if pid == 0 then core.exit_now(3) end
    assert.same({ "exit", 3 }, { core.wait(pid) })
    pid = core.fork()
    if pid == 0 then
      os.execute("kill -9 $PPID")   -- the shell's parent: this worker
      core.exit_now(0)
    end
    assert.same({ "signal", 9 }, { core.wait(pid) })
  end)

  it("wait says when there is no such child", function()
    local v, msg = core.wait(1)
    assert.is_nil(v)
    assert.equal("wait: No child processes", msg)
  end)
end)

describe("core.ncpus", function()
  it("counts the CPUs this process may run on, as nproc does", function()
    local p = io.popen("nproc")
    local want = tonumber(p:read("l"))
    p:close()
    assert.equal(want, core.ncpus())
    -- a process held to one CPU (taskset, part of util-linux) sees one
    local q = io.popen([[taskset -c 0 lua5.4 -e 'package.cpath = "]] .. package.cpath
      .. [[" print(require("thematic.core").ncpus())']])
    local one = q:read("l")
    q:close()
    assert.equal("1", one)
  end)
end)

describe("core.list_dir", function()
  it("lists a folder's entries with their kinds, following links to files only", function()
    local d = H.tmpdir()
    os.execute(("cd %s && mkdir sub && touch a.txt .hidden && ln -s sub up && ln -s a.txt alias.txt "
      .. "&& ln -s nothing broken.txt && mkfifo pipe.txt"):format(d))
    local names, kinds = core.list_dir(d)
    local got = {}
    for i, n in ipairs(names) do got[n] = kinds[i] end
    H.rmdir(d)
    assert.same({ sub = "directory", ["a.txt"] = "file", [".hidden"] = "file",
                  up = "linked directory", ["alias.txt"] = "file", ["broken.txt"] = "file",
                  ["pipe.txt"] = "file" }, got)
  end)

  it("says why a folder cannot be listed", function()
    assert.same({ nil, "spec/nothing-here: No such file or directory", 2 },
      { core.list_dir("spec/nothing-here") })
    assert.same({ nil, "Makefile: Not a directory", 20 }, { core.list_dir("Makefile") })
  end)

  it("lists a folder of 3,000 entries whole", function()
    local d = H.tmpdir()
    os.execute(("cd %s && for i in $(seq 1 3000); do : > f$i.txt; done"):format(d))
    local names = core.list_dir(d)
    H.rmdir(d)
    assert.equal(3000, #names)
  end)
end)
