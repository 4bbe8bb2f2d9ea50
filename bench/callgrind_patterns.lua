#!/usr/bin/env lua5.4
-- Instructions of one codebook scan, for comparisons that do not move
-- between runs as wall-clock time does on a shared machine:
--   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
--     lua5.4 bench/callgrind_patterns.lua SERIES NPAT [scan|tally]
-- SERIES is "frequent" or "level" (see bench/codebooks.lua), NPAT the
-- number of patterns. Without "scan" only the set-up runs: subtract that
-- run's total to get the scan's own instructions, or count only the scan
-- with --toggle-collect=th_matcher_scan. The scan covers 5 MB of
-- bench/data/english.txt (run `make bench` once to build it). "tally"
-- counts the same 5 MB as `thematic count` does instead (m:tally over
-- 64 KB segments: every hit recorded and added up; --toggle-collect=
-- th_tally_run). THEMATIC_CPATH overrides build/?.so, to compare builds.
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = (os.getenv("THEMATIC_CPATH") or "build/?.so") .. ";" .. package.cpath
local core = require "thematic.core"
local codebooks = require "codebooks"

local series, npat, scan = arg[1], tonumber(arg[2]), arg[3]
assert((series == "frequent" or series == "level") and npat,
  "usage: lua5.4 bench/callgrind_patterns.lua frequent|level NPAT [scan|tally]")
local f = assert(io.open("bench/data/english.txt", "rb"))
local english = f:read("a")
f:close()
local vocab = codebooks.frequent(english)
local rare = series == "level" and codebooks.rare(english) or nil
local matcher = core.matcher((codebooks.build(series, npat, vocab, rare)))
local text = english:sub(10e6, 15e6)
if scan == "scan" then
  matcher:scan(text, { hits = false })
elseif scan == "tally" then
  local segments, groups = {}, {}
  for start = 1, #text, 65536 do
    segments[#segments + 1] = { start = start, stop = math.min(start + 65535, #text) }
    groups[#groups + 1] = 1
  end
  matcher:tally(text, segments, groups, 1)
end
