#!/usr/bin/env lua5.4
-- Instructions of one codebook scan, for comparisons that do not move
-- between runs as wall-clock time does on a shared machine:
--   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
--     lua5.4 bench/callgrind_patterns.lua SERIES NPAT [scan]
-- SERIES is "frequent" or "level" (see bench/codebooks.lua), NPAT the
-- number of patterns. Without "scan" only the set-up runs: subtract that
-- run's total to get the scan's own instructions. The scan covers 5 MB of
-- bench/data/english.txt (run `make bench` once to build it).
package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath
local core = require "thematic.core"
local codebooks = require "codebooks"

local series, npat, scan = arg[1], tonumber(arg[2]), arg[3] == "scan"
assert((series == "frequent" or series == "level") and npat,
  "usage: lua5.4 bench/callgrind_patterns.lua frequent|level NPAT [scan]")
local f = assert(io.open("bench/data/english.txt", "rb"))
local english = f:read("a")
f:close()
local vocab = codebooks.frequent(english)
local rare = series == "level" and codebooks.rare(english) or nil
local matcher = core.matcher((codebooks.build(series, npat, vocab, rare)))
if scan then matcher:scan(english:sub(10e6, 15e6), { hits = false }) end
