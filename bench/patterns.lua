#!/usr/bin/env lua5.4
-- The codebook-scan series of make bench alone (10 ... 10,000 patterns over
-- bench/data/english.txt, the codebooks of bench/codebooks.lua), for
-- comparing builds of the core quickly:
--   lua5.4 bench/patterns.lua [cpath [rounds [series [sizes [mode]]]]]
-- cpath defaults to build/?.so; rounds (default 3) is how many times each
-- size is timed, the sizes taking turns so that a slow moment of a shared
-- machine falls on all of them; series is "frequent", "level" or "both"
-- (default); sizes is a comma-separated list (default "10,10000").
-- Each timing is what bench/run.lua's timed_scan measures: CPU seconds of
-- compiling a new matcher (its word-form cache cold, as in a fresh job) and
-- scanning the whole file without the list of hits. With mode "tally" the
-- matcher counts the file instead as `thematic count` does (m:tally over
-- 64 KB segments, one group), which records every hit in C and adds it up:
-- the per-hit path that scanning without hits skips. Prints, per size, the
-- best and the median, and the best over the best with 10 patterns (the
-- figure make bench prints). Compare two builds by running this for each in
-- turn (A B A B ...), not one after the other.
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = (arg[1] or "build/?.so") .. ";" .. package.cpath
local core = require "thematic.core"
local codebooks = require "codebooks"

local rounds = tonumber(arg[2]) or 3
local which = arg[3] or "both"
local mode = arg[5] or "scan"
assert(mode == "scan" or mode == "tally", "mode is scan or tally")
local sizes = {}
for n in (arg[4] or "10,10000"):gmatch("%d+") do sizes[#sizes + 1] = tonumber(n) end

local english = require("common").read("bench/data/english.txt")
local vocab = codebooks.frequent(english)
local rare = (which ~= "frequent") and codebooks.rare(english) or nil

local segments, groups = {}, {}
if mode == "tally" then
  for start = 1, #english, 65536 do
    segments[#segments + 1] = { start = start, stop = math.min(start + 65535, #english) }
    groups[#groups + 1] = 1
  end
end

local function scan(spec)
  collectgarbage()
  local t0 = os.clock()
  local hits = 0
  if mode == "tally" then
    local r = core.matcher(spec):tally(english, segments, groups, 1)
    local secs = os.clock() - t0
    local cells = r[1].cells
    -- cells: code, hits, coded, negated, ... (no parents here: hits per code)
    for i = 1, #cells, 4 do hits = hits + cells[i + 1] end
    return secs, hits
  end
  local r = core.matcher(spec):scan(english, { hits = false })
  local secs = os.clock() - t0
  for _, n in ipairs(r.counts) do hits = hits + n end
  return secs, hits
end

local function median(t)
  local s = table.move(t, 1, #t, 1, {})
  table.sort(s)
  local n = #s
  return n % 2 == 1 and s[(n + 1) // 2] or (s[n // 2] + s[n // 2 + 1]) / 2
end

for _, series in ipairs({ "frequent", "level" }) do
  if which == "both" or which == series then
    local specs, times, hits = {}, {}, {}
    for i, npat in ipairs(sizes) do
      specs[i] = (codebooks.build(series, npat, vocab, rare))
      times[i] = {}
    end
    for _ = 1, rounds do
      for i = 1, #sizes do
        local secs, h = scan(specs[i])
        table.insert(times[i], secs)
        hits[i] = h
      end
    end
    local best1 = math.min(table.unpack(times[1]))
    for i, npat in ipairs(sizes) do
      local best = math.min(table.unpack(times[i]))
      print(("%-8s %6d patterns %9d hits  best %.3f s  median %.3f s  %.2fx the time of %d"):format(
        series, npat, hits[i], best, median(times[i]), best / best1, sizes[1]))
    end
  end
end
