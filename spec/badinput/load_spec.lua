-- Load: many small files, and --jobs workers that die.
local H = dofile("spec/helper.lua")

describe("load", function()
  it("counts 2,000 small files with steady memory (20,000: docs/robustness.md)", function()
    local d = H.tmpdir()
    for i = 1, 2000 do
      H.write(("%s/f%05d.txt"):format(d, i), "P1: the data cost is high\nInterviewer: and?\nP2: hard to use\n")
    end
    local out, code, err, rss = H.run("count " .. d .. " -c " .. H.CODEBOOK .. " --by group --format csv --jobs 1 -q")
    assert.equal(0, code, err)
    -- no participants file: one group, "(not recorded)"
    assert.truthy(out:find("access/cost,Data cost,access,barrier,(not recorded),2000,0,2000,", 1, true), out)
    if rss then assert.is_true(rss < 300 * 1024, rss .. " KB") end
    H.rmdir(d)
  end)

  it("names a --jobs worker that was killed, exits 1, never silently short", function()
    -- A lua5.4 first on PATH that kills itself (SIGKILL) for shard 2/2.
    local bin = H.tmpdir()
    H.write(bin .. "/lua5.4", "#!/bin/sh\ncase \" $* \" in *\" --shard 2/2 \"*) kill -9 $$ ;; esac\n"
      .. "exec /usr/bin/lua5.4 \"$@\"\n")
    os.execute("chmod +x " .. bin .. "/lua5.4")
    local S = "spec/fixtures/cli/study"
    local _, code, err = H.run("count " .. S .. " -c " .. H.CODEBOOK .. " --format csv --jobs 2 -q",
      "PATH=" .. bin .. ":$PATH")
    assert.equal(1, code)
    assert.truthy(err:find("thematic: worker 2 of 2 died (exit 137); running its files again", 1, true), err)
    assert.truthy(err:find("thematic: worker 2 of 2 failed again (exit 137): these files are missing "
      .. "from the counts:\n  " .. S .. "/b.txt", 1, true), err)
    H.rmdir(bin)
  end)

  it("runs a killed worker's files again and then counts them", function()
    -- This lua5.4 kills shard 2/2 the first time only.
    local bin = H.tmpdir()
    H.write(bin .. "/lua5.4", "#!/bin/sh\ncase \" $* \" in *\" --shard 2/2 \"*)\n"
      .. "  if [ ! -e " .. bin .. "/once ]; then touch " .. bin .. "/once; kill -9 $$; fi ;; esac\n"
      .. "exec /usr/bin/lua5.4 \"$@\"\n")
    os.execute("chmod +x " .. bin .. "/lua5.4")
    local S = "spec/fixtures/cli/study"
    local want = H.run("count " .. S .. " -c " .. H.CODEBOOK .. " --format csv --jobs 1 -q")
    local out, code, err = H.run("count " .. S .. " -c " .. H.CODEBOOK .. " --format csv --jobs 2 -q",
      "PATH=" .. bin .. ":$PATH")
    H.rmdir(bin)
    assert.equal(0, code, err)
    assert.truthy(err:find("running its files again", 1, true), err)
    assert.equal(want, out)
  end)
end)
