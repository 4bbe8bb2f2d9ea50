#!/usr/bin/env lua5.4
-- End to end: `thematic count` over folders of 2,000 transcript files made
-- from samples/transcripts (the .txt and .md ones, round-robin), with
-- --jobs 1 and --jobs 2, wall-clock time. Two folders: the samples as they
-- are (7.8 KB a file on average), and each sample eight times over (about
-- 62 KB, the length of an hour's interview), where the per-file and
-- start-up costs weigh less. Part of make bench; alone:
--   lua5.4 bench/count.lua [rounds]
-- Each figure is the best of `rounds` (default 5) runs, --jobs 1 and
-- --jobs 2 taking turns, so that a slow moment of this shared virtual
-- machine falls on both.
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath
local core = require "thematic.core"
local common = require "common"
local read, sh, wall, mbps = common.read, common.sh, common.wall, common.mbps

local DATA = "bench/data"
local rounds = tonumber(arg and arg[1]) or 5

print("end to end: bin/thematic count over a folder of transcripts (wall clock, best of "
  .. rounds .. ")")
local sources = {}
for f in io.popen("ls samples/transcripts/*.txt samples/transcripts/*.md"):lines() do
  sources[#sources + 1] = f
end
local function make_folder(folder, repeats)
  if io.open(folder .. "/participants.csv") then return end
  os.execute("mkdir -p " .. folder)
  for i = 1, 2000 do
    local src = sources[(i - 1) % #sources + 1]
    local ext = src:match("%.(%w+)$")
    local out = assert(io.open(("%s/t%04d.%s"):format(folder, i, ext), "wb"))
    out:write(string.rep(read(src), repeats))
    out:close()
  end
  os.execute("cp samples/transcripts/participants.csv " .. folder .. "/")
end

-- What this machine gives two processes at once: a loop of Lua arithmetic
-- (no memory traffic) run alone, then two copies together. The ratio is
-- the ceiling of any --jobs 2 speed-up here (2.00 on two free cores).
local spin = "lua5.4 -e 'local x = 0 for i = 1, 1e8 do x = x + i % 7 end'"
local alone, pair = math.huge, math.huge
for _ = 1, 2 do
  alone = math.min(alone, wall(spin))
  pair = math.min(pair, wall("sh -c \"" .. spin .. " & " .. spin .. "; wait\""))
end
local ceiling = 2 * alone / pair
print(("  this machine runs two CPU-bound processes at %.2fx the throughput of one"):format(ceiling))

local cbook = assert(require("thematic.codebook").load("samples/codebooks/digital-health.yml"))
for _, series in ipairs({ { DATA .. "/folder", 1, "2000 sample files" },
                          { DATA .. "/folder-long", 8, "2000 hour-long files" } }) do
  local folder = series[1]
  make_folder(folder, series[2])
  local all = sh("cat " .. folder .. "/t*.*")
  local cmd = "lua5.4 bin/thematic count " .. folder .. " --by group --format csv --quiet --jobs "
  local t1, t2, scan, pair = math.huge, math.huge, math.huge, math.huge
  -- Two independent processes, each counting half the files, with nothing
  -- to share or merge: what this machine gives this job on two cores, its
  -- own memory and file-system traffic included (the spin loop above has
  -- none). --jobs 2 can at best match it.
  local shard = cmd:gsub("%-%-jobs $", "--shard ")
  local halves = ("sh -c '%s1/2 & %s2/2; wait'"):format(shard, shard)
  for _ = 1, rounds do
    t1 = math.min(t1, wall(cmd .. "1"))
    t2 = math.min(t2, wall(cmd .. "2"))
    pair = math.min(pair, wall(halves))
    -- The same bytes through the core's scan alone, with the default
    -- codebook: the ceiling the command's single job is measured against.
    local m = core.matcher(cbook:compile())
    local t0 = os.clock()
    m:scan(all, { hits = false })
    scan = math.min(scan, os.clock() - t0)
  end
  print(("  %s, %.1f MB: --jobs 1 %.2f s (%.1f MB/s, %.0f files/s); --jobs 2 %.2f s "
    .. "(%.1f MB/s); speed-up %.2fx (%.0f%% of this machine's %.2fx)"):format(series[3], #all / 1e6, t1,
    mbps(#all, t1), 2000 / t1, t2, mbps(#all, t2), t1 / t2, 100 * (t1 / t2) / ceiling, ceiling))
  print(("    the core's scan of the same bytes: %.1f MB/s; the single job reaches %.0f%% of it"):format(
    mbps(#all, scan), 100 * scan / t1))
  print(("    two independent processes, each counting half the files (--shard 1/2, 2/2): %.2f s, "
    .. "%.2fx --jobs 1"):format(pair, t1 / pair))
end
