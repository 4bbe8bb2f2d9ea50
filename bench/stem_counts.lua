#!/usr/bin/env lua5.4
-- The issue-2 stages of make bench alone (tokenise; tokenise + normalise;
-- tokenise + normalise + stem + count), on the files make bench builds, for
-- comparing two builds of the core quickly:
--   lua5.4 bench/stem_counts.lua [cpath [rounds [english|unicode|both]]]
-- cpath defaults to build/?.so. CPU seconds, best of `rounds` (default 3),
-- timed as bench/run.lua times them (after one untimed run).
-- Run `make bench` once first: it builds bench/data/english.txt and
-- bench/data/unicode.txt.
package.path = "bench/?.lua;" .. package.path
package.cpath = (arg[1] or "build/?.so") .. ";" .. package.cpath
local core = require "thematic.core"
local common = require "common"
local rounds = tonumber(arg[2]) or 3
local which = arg[3] or "both"
local only = arg[4]   -- a stage name: time only that one

local read, best_of = common.read, common.best_of

for _, name in ipairs({ "english", "unicode" }) do
  if which == "both" or which == name then
    local text = read("bench/data/" .. name .. ".txt")
    local stages = {
      { "tokenise", function() core.word_count(text) end },
      { "tokenise+normalise", function() core.stem_counts(text, "none") end },
      { "tokenise+normalise+stem+count", function() core.stem_counts(text, "english") end },
    }
    for _, st in ipairs(stages) do
      if only and st[1] ~= only then goto next end
      print(("%-8s %-30s %7.1f MB/s"):format(name, st[1], #text / 1e6 / best_of(rounds, st[2], { warmup = 1 })))
      ::next::
    end
  end
end
