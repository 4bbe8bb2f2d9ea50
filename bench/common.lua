-- What the bench scripts share: reading files, running commands, timing.
local M = {}

function M.read(path)
  local f = assert(io.open(path, "rb"), path .. ": run make bench first")
  local s = f:read("a")
  f:close()
  return s
end

function M.sh(cmd)
  local p = io.popen(cmd)
  local out = p:read("a")
  p:close()
  return out
end

-- Minor page faults of this process so far (Linux), or nil.
function M.faults()
  local f = io.open("/proc/self/stat")
  if not f then return nil end
  local st = f:read("a")
  f:close()
  return tonumber(st:match("^%d+ %b() %S+ %S+ %S+ %S+ %S+ %S+ %S+ (%d+)"))
end

-- CPU seconds of fn, best of n runs. The garbage of earlier runs (a
-- stem_counts result is a table of 15 MB) is collected before each run,
-- outside the timing, so no run pays for the one before it.
-- opts.warmup: runs before the n timed ones, untimed. A process's first
-- calls touch memory for the first time, and malloc learns to keep big
-- blocks only after freeing some (glibc's adaptive mmap threshold): on
-- this virtual machine a page fault costs about 25 us, and the first two
-- calls of stem_counts on the English file take 12,000-15,000 of them,
-- the fourth 256. Returns the best time, and the first run's time and
-- page faults (the cold figure, which the caller may print too).
function M.best_of(n, fn, opts)
  local best, first, first_faults = math.huge, nil, nil
  local warmup = opts and opts.warmup or 0
  for i = 1, warmup + n do
    collectgarbage()
    local f0 = M.faults()
    local t0 = os.clock()
    fn()
    local secs = os.clock() - t0
    if i == 1 then first, first_faults = secs, f0 and M.faults() - f0 end
    if i > warmup then best = math.min(best, secs) end
  end
  return best, first, first_faults
end

-- Wall-clock seconds of a shell command (its output thrown away).
function M.wall(cmd)
  local out = M.sh("/usr/bin/time -f '%e' " .. cmd .. " 2>&1 >/dev/null")
  return (assert(tonumber(out:match("([%d.]+)%s*$")), "no time from: " .. cmd .. "\n" .. out))
end

function M.mbps(bytes, secs) return bytes / 1e6 / secs end

return M
