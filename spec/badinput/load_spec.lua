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

  -- The workers of --jobs are forks of the thematic process, which counts
  -- shard 1 itself. Here shard 2 is a named pipe, so its worker waits on it
  -- until the spec kills it (and, the second time, kills it again or feeds
  -- it the file's text).
  local S = "spec/fixtures/cli/study"
  local function run_killing(feed_second)
    local d, tmp = H.tmpdir(), H.tmpdir()
    os.execute(("cp %s/a.txt %s/participants.csv %s/ && mkfifo %s/b.txt"):format(S, S, d, d))
    local script = ([[
lua5.4 bin/thematic count %s -c %s --format csv --jobs 2 -q >%s/out 2>%s/err &
pid=$!
worker() { # a child of the run other than $1
  for i in $(seq 1 200); do
    for c in $(pgrep -P $pid); do [ "$c" != "$1" ] && { echo $c; return; }; done
    sleep 0.05
  done
}
first=$(worker none)
kill -9 $first
second=$(worker $first)
if [ %s = feed ]; then cat %s/b.txt >%s/b.txt; else kill -9 $second; fi
wait $pid
echo $? >%s/code
]]):format(d, H.CODEBOOK, tmp, tmp, feed_second and "feed" or "kill", S, d, tmp)
    H.write(tmp .. "/run.sh", script)
    os.execute("sh " .. tmp .. "/run.sh")
    local out, err, code = H.slurp(tmp .. "/out"), H.slurp(tmp .. "/err"), H.slurp(tmp .. "/code")
    H.rmdir(d)
    H.rmdir(tmp)
    return out, tonumber(code), err, d
  end

  it("names a --jobs worker that was killed twice, exits 1, never silently short", function()
    local _, code, err, d = run_killing(false)
    assert.equal(1, code, err)
    assert.truthy(err:find("thematic: worker 2 of 2 died (signal 9); running its files again", 1, true), err)
    assert.truthy(err:find("thematic: worker 2 of 2 failed again (signal 9): these files are missing "
      .. "from the counts:\n  " .. d .. "/b.txt", 1, true), err)
  end)

  it("runs a killed worker's files again and then counts them", function()
    local want = H.run("count " .. S .. " -c " .. H.CODEBOOK .. " --format csv --jobs 1 -q")
    local out, code, err = run_killing(true)
    assert.equal(0, code, err)
    assert.truthy(err:find("running its files again", 1, true), err)
    assert.equal(want, out)
  end)
end)
