#!/usr/bin/env lua5.4
-- A big fictional transcript for the memory checks in docs/robustness.md:
--   lua5.4 bench/gen_big_transcript.lua big200.txt 200   (size in MB)
-- Short turns (two lines each) are the worst case for memory per byte.
local path, mb = arg[1], tonumber(arg[2])
local f = assert(io.open(path, "wb"))
local lines = {
  "P%02d: the app was hard to use\nand my daughter helped me.\n",
  "Interviewer: and the portal?\nwhat happened %d?\n",
  "P%02d: I never had a smartphone\nso face to face is better.\n",
}
local size, i, buf = 0, 0, {}
while size < mb * 1e6 do
  i = i + 1
  local s = lines[i % 3 + 1]:format(i % 40)
  buf[#buf + 1] = s
  size = size + #s
  if #buf >= 10000 then f:write(table.concat(buf)); buf = {} end
end
f:write(table.concat(buf))
f:close()
print(i .. " turns", size .. " bytes")
