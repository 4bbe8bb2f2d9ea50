--- Decoding files to UTF-8 text, and walking lines whatever their ends.
--
-- Readers get their text from `decode`: UTF-8 (a BOM is dropped), or
-- UTF-16 LE/BE with a BOM (converted here, in Lua). Everything else —
-- invalid UTF-8, NUL bytes (binary files) — is refused with the byte offset
-- into the *file*. The decoded text keeps its original line ends; `lines`
-- walks CRLF, CR and LF alike and reports byte spans into that text.
--
-- @module thematic.readers.encoding
-- @usage
-- local enc = require "thematic.readers.encoding"
-- local text, err = enc.read_file("interview.txt")
-- for line, s, e, n in enc.lines(text) do print(n, s, e, line) end

local byte, find, format, gsub, sub = string.byte, string.find, string.format, string.gsub,
  string.sub
local concat = table.concat
local utf8char = utf8.char
local core = require "thematic.core"
local utf8_check, read_whole = core.utf8_check, core.read_file
local open = io.open

local M = {}

local function u16_decoder(bigendian)
  if bigendian then
    return function(s, i) local a, b = byte(s, i, i + 1); return a * 256 + b end
  end
  return function(s, i) local a, b = byte(s, i, i + 1); return b * 256 + a end
end

-- UTF-16 (after the BOM, starting at byte `first`) to UTF-8.
local function from_utf16(s, first, bigendian, label)
  local unit = u16_decoder(bigendian)
  local n = #s
  if (n - first + 1) % 2 == 1 then
    return nil, format("%s: invalid UTF-16 at byte %d (odd number of bytes)", label, n)
  end
  local out, k, i = {}, 0, first
  while i <= n do
    local u = unit(s, i)
    local cp
    if u >= 0xD800 and u <= 0xDBFF then
      if i + 3 > n then
        return nil, format("%s: invalid UTF-16 at byte %d (unpaired surrogate)", label, i)
      end
      local lo = unit(s, i + 2)
      if lo < 0xDC00 or lo > 0xDFFF then
        return nil, format("%s: invalid UTF-16 at byte %d (unpaired surrogate)", label, i)
      end
      cp = 0x10000 + (u - 0xD800) * 0x400 + (lo - 0xDC00)
      i = i + 4
    elseif u >= 0xDC00 and u <= 0xDFFF then
      return nil, format("%s: invalid UTF-16 at byte %d (unpaired surrogate)", label, i)
    elseif u == 0 then
      return nil, format("%s: invalid UTF-8 at byte %d", label, i)
    else
      cp = u
      i = i + 2
    end
    k = k + 1
    out[k] = utf8char(cp)
    if k >= 4096 then out = { concat(out) }; k = 1 end
  end
  return concat(out, "", 1, k)
end

-- Does text without a BOM look like UTF-16 (a NUL in every other byte of
-- its head, as ASCII text in UTF-16 has)? Gives "le", "be" or nil.
local function utf16_guess(s)
  local n = math.min(#s, 256) // 2
  if n < 2 then return nil end
  local le, be = 0, 0
  for i = 1, 2 * n, 2 do
    local a, b = byte(s, i, i + 1)
    if b == 0 and a ~= 0 then le = le + 1 elseif a == 0 and b ~= 0 then be = be + 1 end
  end
  if le >= 0.9 * n then return "le" elseif be >= 0.9 * n then return "be" end
  return nil
end

--- Decode file bytes to UTF-8 text.
-- @tparam string bytes the file's content
-- @tparam[opt="input"] string label the path, for messages
-- @treturn string|nil UTF-8 text without a BOM, original line ends kept
-- @treturn string|nil `"label: invalid UTF-8 at byte N"` (N into the file)
-- @treturn string|nil the encoding found: `"utf-8"`, `"utf-16le"`, `"utf-16be"`
function M.decode(bytes, label)
  if type(bytes) ~= "string" then
    error(format("bad argument #1 to 'decode' (string expected, got %s)", type(bytes)), 2)
  end
  label = label or "input"
  local b1, b2, b3 = byte(bytes, 1, 3)
  if b1 == 0xFF and b2 == 0xFE then
    local t, err = from_utf16(bytes, 3, false, label)
    return t, err, t and "utf-16le" or nil
  elseif b1 == 0xFE and b2 == 0xFF then
    local t, err = from_utf16(bytes, 3, true, label)
    return t, err, t and "utf-16be" or nil
  end
  local skip = 0
  if b1 == 0xEF and b2 == 0xBB and b3 == 0xBF then skip = 3 end
  local text = skip > 0 and sub(bytes, 4) or bytes
  local err = M.check_utf8(text, label, skip)
  if err then return nil, err end
  return text, nil, "utf-8"
end

--- Check that text is UTF-8 without NUL bytes (binary files have them).
-- @tparam string text
-- @tparam string label the path, for messages
-- @tparam[opt=0] integer base bytes of the file before `text` (a BOM, or
--   the earlier parts of a file read in parts), so the message gives the
--   offset into the file
-- @treturn string|nil `"label: invalid UTF-8 at byte N"`, nil when valid
function M.check_utf8(text, label, base)
  base = base or 0
  local nul = find(text, "\0", 1, true)
  -- (utf8.len would give the same answer, with a function call per character)
  local bad = utf8_check(text)
  if not bad and not nul then return nil end
  local at = (bad and nul) and math.min(bad, nul) or (nul or bad)
  local guess = nul and utf16_guess(text)
  if guess then
    return format("%s: invalid UTF-8 at byte %d (NUL bytes: UTF-16%s without a "
      .. "byte-order mark? Save it as UTF-8 or UTF-16 with a BOM)", label, at + base,
      guess == "le" and "LE" or "BE")
  end
  return format("%s: invalid UTF-8 at byte %d", label, at + base)
end

-- The position of the last \n in s, or nil. Searched in windows from the
-- end: a pattern run over a whole block of megabytes would try every byte.
local function last_lf(s)
  local stop, width = #s, 4096
  while stop > 0 do
    local start = stop > width and stop - width + 1 or 1
    local at = find(sub(s, start, stop), "\n[^\n]*$")
    if at then return start + at - 1 end
    stop, width = start - 1, width * 2
  end
  return nil
end

--- Read a UTF-8 file in parts of about `size` bytes, each cut after a line
-- end (a line longer than `size` stays whole), so a file bigger than memory
-- can be walked. The BOM is dropped; each part is checked as `decode`
-- checks a whole file.
-- @tparam string path
-- @tparam function fn called as `fn(part, offset)` (`offset`: bytes of the
--   decoded text before the part); returning a value stops the walk and
--   `parts` returns it
-- @tparam[opt=8 MiB] integer size
-- @treturn any|nil what `fn` returned, or nil
-- @treturn string|nil message on an I/O or decoding error
function M.parts(path, fn, size)
  size = size or 8 * 1024 * 1024
  local f, err = open(path, "rb")
  if not f then return nil, err end
  local carry, offset, skip = "", 0, 0
  local first = true
  while true do
    local block = f:read(size)
    if first and block then
      first = false
      if sub(block, 1, 3) == "\239\187\191" then block, skip = sub(block, 4), 3 end
    end
    local part
    if block then
      local cut = last_lf(block)
      if not cut then
        carry = carry .. block   -- no line end yet: read on
      else
        part, carry = carry .. sub(block, 1, cut), sub(block, cut + 1)
      end
    else
      part, carry = carry, ""
    end
    if part and part ~= "" then
      local bad = M.check_utf8(part, path, offset + skip)
      if bad then f:close(); return nil, bad end
      local ret = fn(part, offset)
      offset = offset + #part
      if ret ~= nil then f:close(); return ret end
    end
    if not block then break end
  end
  f:close()
  return nil
end

--- Read and decode a file.
-- @tparam string path
-- @tparam[opt] integer max_bytes read nothing from a file bigger than
--   this: then `false, size` come back (the caller reads it in parts)
-- @treturn string|nil|false text (see `decode`)
-- @treturn string|nil|integer message, or the size
-- @treturn string|nil the encoding found
function M.read_file(path, max_bytes)
  -- (core.read_file: fewer system calls than io.open and f:read("a"),
  -- which a folder of thousands of short files feels)
  local bytes, err = read_whole(path, max_bytes)
  if not bytes then return bytes, err end
  return M.decode(bytes, path)
end

--- The `read(path [, opts])` of a reader whose `parse(text, label [, opts])`
-- takes decoded text: read and decode the file, then parse it with the path
-- as the label for messages.
-- @tparam function parse
-- @treturn function read
function M.reader(parse)
  return function(path, opts)
    local text, err = M.read_file(path)
    if not text then return nil, err end
    return parse(text, path, opts)
  end
end

--- Iterate the lines of a text, whatever the line ends (CRLF, CR, LF).
-- Yields the line (without its end), its first byte, its last byte
-- (`first - 1` for an empty line), and its 1-based number.
-- @tparam string text
-- @treturn function iterator
function M.lines(text)
  local pos, n, len = 1, 0, #text
  -- The next \n and \r at or after `pos` (false: there is none), each
  -- found with a plain search (memchr) and kept until passed: a pattern
  -- such as "[\r\n]" would try a match at every byte of every line.
  local next_lf, next_cr = 0, 0
  return function()
    if pos > len then return nil end
    local s = pos
    if next_lf and next_lf < s then next_lf = find(text, "\n", s, true) or false end
    if next_cr and next_cr < s then next_cr = find(text, "\r", s, true) or false end
    local e = next_lf and next_cr and (next_lf < next_cr and next_lf or next_cr)
      or next_lf or next_cr
    local line_end, nextpos
    if not e then
      line_end, nextpos = len, len + 1
    else
      line_end = e - 1
      if byte(text, e) == 13 and byte(text, e + 1) == 10 then nextpos = e + 2 else nextpos = e + 1 end
    end
    pos = nextpos
    n = n + 1
    return sub(text, s, line_end), s, line_end, n
  end
end

--- The number of line ends (CRLF, CR, LF) in a text.
-- @tparam string s
-- @treturn integer
function M.line_ends(s)
  local _, lf = gsub(s, "\n", "")
  local _, cr = gsub(s, "\r", "")
  local _, crlf = gsub(s, "\r\n", "")
  return lf + cr - crlf
end

--- The text with CRLF and CR turned into LF (for parsers that want one
-- line end; spans into the result do not match the original).
-- @tparam string text
-- @treturn string
function M.normalize_newlines(text)
  return (text:gsub("\r\n?", "\n"))
end

--- Count the lines before a byte offset (1-based line number of `pos`).
-- @tparam string text
-- @tparam integer pos
-- @treturn integer
function M.line_at(text, pos)
  local n = 1
  local i = 1
  while true do
    local e = find(text, "[\r\n]", i)
    if not e or e >= pos then return n end
    if byte(text, e) == 13 and byte(text, e + 1) == 10 then i = e + 2 else i = e + 1 end
    n = n + 1
  end
end

return M
