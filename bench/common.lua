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

-- CPU seconds of fn, best of n runs.
function M.best_of(n, fn)
  local best = math.huge
  for _ = 1, n do
    local t0 = os.clock()
    fn()
    best = math.min(best, os.clock() - t0)
  end
  return best
end

-- Wall-clock seconds of a shell command (its output thrown away).
function M.wall(cmd)
  local out = M.sh("/usr/bin/time -f '%e' " .. cmd .. " 2>&1 >/dev/null")
  return (assert(tonumber(out:match("([%d.]+)%s*$")), "no time from: " .. cmd .. "\n" .. out))
end

function M.mbps(bytes, secs) return bytes / 1e6 / secs end

return M
