#!/usr/bin/env lua5.4
-- make bench: throughput of the C core next to the Python pipeline an
-- analyst would otherwise write, on the same files, in the same run.
--
-- English prose: the English documentation of three Debian packages,
-- concatenated in sorted path order (reproducible, about 58 MB):
--   linux-doc-6.1   Documentation/ (without translations/), gunzipped
--   perl-doc        the .pod files
--   python3.11-doc  html/_sources/*.txt (reStructuredText sources)
-- Unicode-heavy: generated with a fixed seed from that prose and from
-- bench/multilingual.txt (French, German, Hindi, Urdu, Tamil, emoji, some
-- decomposed accents); at least a fifth of its bytes are non-ASCII.

package.path = "lua/?.lua;lua/?/init.lua;bench/?.lua;" .. package.path
package.cpath = "build/?.so;" .. package.cpath
local core = require "thematic.core"
local codebooks = require "codebooks"
local common = require "common"
local read, sh, best_of, mbps = common.read, common.sh, common.best_of, common.mbps

local DATA = "bench/data"
os.execute("mkdir -p " .. DATA)


local function file_size(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local n = f:seek("end")
  f:close()
  return n
end


local function build_english(path)
  if (file_size(path) or 0) > 50e6 then return end
  io.stderr:write("building ", path, " from Debian packages ...\n")
  local cmd = table.concat({
    "{ find /usr/share/doc/linux-doc-6.1/Documentation -name '*.gz' -not -path '*/translations/*' | sort | xargs zcat;",
    "  dpkg -L perl-doc | grep '\\.pod$' | sort | xargs cat;",
    "  find /usr/share/doc/python3.11/html/_sources -name '*.txt' | sort | xargs cat; } > " .. path .. ".tmp",
    "&& mv " .. path .. ".tmp " .. path,
  }, " ")
  assert(os.execute(cmd), "could not build the English corpus (are linux-doc-6.1, perl-doc, python3.11-doc installed?)")
end

-- A small deterministic generator, so the file is the same on every machine.
local function lcg(seed)
  local state = seed
  return function(n)
    state = (state * 6364136223846793005 + 1442695040888963407) & 0x7FFFFFFFFFFFFFFF
    return (state >> 33) % n + 1
  end
end

local function build_unicode(path, english)
  if (file_size(path) or 0) > 20e6 then return end
  io.stderr:write("building ", path, " ...\n")
  local vocab = {}
  for line in io.lines("bench/multilingual.txt") do
    if line ~= "" and not line:match("^#") then vocab[#vocab + 1] = line end
  end
  local eng = {}
  for line in english:sub(1, 8e6):gmatch("[^\n]+") do eng[#eng + 1] = line end
  local rnd, out, size = lcg(2026), {}, 0
  while size < 24e6 do
    local line
    if rnd(5) <= 2 then
      line = eng[rnd(#eng)]
    else
      local words = {}
      for i = 1, 8 + rnd(10) do words[i] = vocab[rnd(#vocab)] end
      line = table.concat(words, " ") .. "."
    end
    out[#out + 1] = line
    size = size + #line + 1
  end
  local f = assert(io.open(path .. ".tmp", "wb"))
  f:write(table.concat(out, "\n"), "\n")
  f:close()
  assert(os.rename(path .. ".tmp", path))
end


local function python(path, lang, extra)
  local best = math.huge
  for _ = 1, 2 do
    local out = sh(("/usr/bin/python3 bench/py_pipeline.py %s %s %s"):format(path, lang, extra or ""))
    local t = tonumber(out:match("^(%S+)"))
    assert(t, "python pipeline failed: " .. out)
    best = math.min(best, t)
  end
  return best
end


-- The full pipeline's first call in a fresh process (best of 2 processes):
-- what a one-off script pays, page faults and all. Returns seconds and the
-- call's page faults.
local function cold_call(path)
  local best, faults = math.huge, 0
  for _ = 1, 2 do
    local out = sh(("lua5.4 -e 'package.path = \"bench/?.lua;\" .. package.path; "
      .. "package.cpath = \"build/?.so;\" .. package.cpath; "
      .. "local core, common = require \"thematic.core\", require \"common\"; "
      .. "local text = common.read(\"%s\"); local f0 = common.faults(); local t0 = os.clock(); "
      .. "core.stem_counts(text, \"english\"); "
      .. "print(os.clock() - t0, (common.faults() or f0 or 0) - (f0 or 0))'"):format(path))
    local secs, n = out:match("^(%S+)%s+(%d+)")
    assert(secs, "cold run failed: " .. out)
    if tonumber(secs) < best then best, faults = tonumber(secs), tonumber(n) end
  end
  return best, faults
end

local english_path, unicode_path = DATA .. "/english.txt", DATA .. "/unicode.txt"
build_english(english_path)
local english = read(english_path)
build_unicode(unicode_path, english)
local unicode = read(unicode_path)

local function non_ascii_share(s)
  local n = 0
  for _ in s:gmatch("[\128-\255]") do n = n + 1 end
  return n / #s
end

print(("thematic %s benchmark, one core (CPU seconds, best of 3 after one untimed run)"):format(core._VERSION))
print(("%-14s %8s  %-28s %9s"):format("file", "MB", "stage", "MB/s"))
local results = {}
for _, f in ipairs({ { "english", english, english_path },
                     { "unicode", unicode, unicode_path } }) do
  local name, text = f[1], f[2]
  local mb = #text / 1e6
  local stages = {
    { "tokenise", function() core.word_count(text) end },
    { "tokenise+normalise", function() core.stem_counts(text, "none") end },
    { "tokenise+normalise+stem+count", function() core.stem_counts(text, "english") end },
  }
  for _, st in ipairs(stages) do
    local secs = best_of(3, st[2], { warmup = 1 })
    results[name .. ":" .. st[1]] = mbps(#text, secs)
    print(("%-14s %8.1f  %-28s %9.1f"):format(name, mb, st[1], mbps(#text, secs)))
  end
  -- The result is garbage once the call returns; freeing it is part of
  -- what a loop over many texts pays, so it is timed here as well.
  local freed = best_of(3, function()
    core.stem_counts(text, "english")
    collectgarbage()
  end, { warmup = 1 })
  print(("%-14s %8.1f  %-28s %9.1f"):format(name, mb, "  the same, its result freed", mbps(#text, freed)))
  local cold, faults = cold_call(f[3])
  print(("%-14s %8.1f  %-28s %9.1f   (%d page faults)"):format(name, mb, "  the same, a process's first call",
    mbps(#text, cold), faults))
  local py = python(f[3], "english")
  local full = results[name .. ":tokenise+normalise+stem+count"]
  print(("%-14s %8.1f  %-28s %9.1f   thematic is %.1fx faster"):format(
    name, mb, "python3 re+PyStemmer+Counter", mbps(#text, py), full / mbps(#text, py)))
  if name == "unicode" then
    print(("%-14s non-ASCII share of bytes: %.1f%%"):format(name, 100 * non_ascii_share(text)))
  end
end

-- Codebook scans: 10 ... 10,000 patterns on the English corpus, the sets of
-- bench/codebooks.lua. A new matcher each run: its word-form cache starts
-- cold, as in a fresh job. Gives seconds and hits.
local function timed_scan(spec)
  local hits = 0
  local secs = best_of(3, function()
    local r = core.matcher(spec):scan(english, { hits = false })
    hits = 0
    for _, n in ipairs(r.counts) do hits = hits + n end
  end)
  return secs, hits
end

-- First the corpus's frequent stems and prefix globs, so they hit, with
-- Python doing the same dictionary count.
print()
print("codebook scan (tokenise, normalise, stem, match every pattern, count)")
local vocab = codebooks.frequent(english)
local base10
for _, npat in ipairs(codebooks.SIZES) do
  local spec, texts = codebooks.build("frequent", npat, vocab)
  local pfile = DATA .. "/patterns-" .. npat .. ".txt"
  local pf = assert(io.open(pfile, "w"))
  pf:write(table.concat(texts, "\n"), "\n")
  pf:close()
  local secs, hits = timed_scan(spec)
  base10 = base10 or secs
  local py = python(english_path, "english", "--patterns " .. pfile)
  print(("%6d patterns  %9d hits  thematic %6.1f MB/s (%.2fx the time of 10)   python %5.1f MB/s"
    .. "   ratio %.1fx"):format(npat, hits, mbps(#english, secs), secs / base10, mbps(#english, py), py / secs))
end

-- The same sizes with the hits held about level (the 10 most frequent
-- words, then words and stems seen at most twice): real words of the
-- corpus, looked up like any other, that hit rarely. This separates what
-- the number of patterns costs from what the number of hits costs.
-- Instructions, which do not move between runs: bench/callgrind_patterns.lua.
print()
print("codebook scan, hits held about level (10 frequent words + rare words of the corpus)")
local rare = codebooks.rare(english)
local level10
for _, npat in ipairs(codebooks.SIZES) do
  local secs, hits = timed_scan((codebooks.build("level", npat, vocab, rare)))
  level10 = level10 or secs
  print(("%6d patterns  %9d hits  thematic %6.1f MB/s (%.2fx the time of 10)"):format(
    npat, hits, mbps(#english, secs), secs / level10))
end

-- End to end: `thematic count` over two folders of 2,000 transcripts.
print()
dofile("bench/count.lua")
