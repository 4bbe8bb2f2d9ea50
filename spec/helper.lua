-- Shared by the specs (`local H = dofile("spec/helper.lua")`): run the real
-- bin/thematic, temp folders, files written from Lua, max RSS from
-- /usr/bin/time -v, a deterministic random generator. FIX and CODEBOOK are the bad-input specs' fixtures.
local H = {}

H.FIX = "spec/fixtures/badinput/"
H.CODEBOOK = "spec/fixtures/cli/study/codebook.yml"

function H.run(args, env)
  local errfile = os.tmpname()
  local timefile = os.tmpname()
  local timer = io.open("/usr/bin/time") and ("/usr/bin/time -v -o " .. timefile .. " ") or ""
  local p = io.popen((env or "") .. " " .. timer .. "lua5.4 bin/thematic " .. args .. " 2>" .. errfile)
  local out = p:read("a")
  local _, _, code = p:close()
  local f = io.open(errfile)
  local err = f:read("a")
  f:close()
  local t = io.open(timefile)
  local tv = t and t:read("a") or ""
  if t then t:close() end
  os.remove(errfile)
  os.remove(timefile)
  local rss = tonumber(tv:match("Maximum resident set size %(kbytes%): (%d+)"))
  -- /usr/bin/time reports the command's own exit status
  return out, code, err, rss
end

-- A small deterministic generator of integers from 1 to n, so the same
-- cases come on every run and a failure can be reproduced.
function H.lcg(seed)
  local state = seed
  return function(n)
    state = (state * 6364136223846793005 + 1442695040888963407) & 0x7FFFFFFFFFFFFFFF
    return (state >> 33) % n + 1
  end
end

function H.tmpdir()
  local d = os.tmpname()
  os.remove(d)
  assert(os.execute("mkdir -p '" .. d .. "'"))
  return d
end

function H.rmdir(d)
  os.execute("chmod -R u+rwx '" .. d .. "' 2>/dev/null; rm -rf '" .. d .. "'")
end

function H.write(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

function H.read(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- The whole of a file that must exist (an error naming it otherwise).
function H.slurp(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

function H.sh(cmd) return os.execute(cmd .. " >/dev/null 2>&1") == true end

-- Calls f() as if the C module `name` were not built (require fails, as
-- it does without `make`), then puts the module back; returns f's results.
function H.without_module(name, f)
  local loaded, preload = package.loaded[name], package.preload[name]
  package.loaded[name] = nil
  package.preload[name] = function() error("module '" .. name .. "' not found") end
  local res = table.pack(pcall(f))
  package.loaded[name], package.preload[name] = loaded, preload
  assert(res[1], res[2])
  return table.unpack(res, 2, res.n)
end

return H
