--- Text helpers for codebook readers: byte-order marks, legacy encodings,
-- line splitting and a small Unicode lower-casing table.
--
-- Old dictionary formats (LIWC, WordStat, Lexicoder) are often saved in
-- Latin-1 or Windows-1252. `to_utf8` keeps valid UTF-8 as it is and
-- converts anything else from Windows-1252 (a superset of the printable
-- part of ISO-8859-1), saying which it did.
--
-- @module thematic.codebook.encoding

local utf8_char, utf8_len, utf8_codes = utf8.char, utf8.len, utf8.codes
local byte, sub, gsub, find = string.byte, string.sub, string.gsub, string.find
local concat = table.concat

local M = {}

-- Windows-1252 bytes 0x80..0x9F that differ from ISO-8859-1 (C1 controls).
local CP1252 = {
  [0x80] = 0x20AC, [0x82] = 0x201A, [0x83] = 0x0192, [0x84] = 0x201E,
  [0x85] = 0x2026, [0x86] = 0x2020, [0x87] = 0x2021, [0x88] = 0x02C6,
  [0x89] = 0x2030, [0x8A] = 0x0160, [0x8B] = 0x2039, [0x8C] = 0x0152,
  [0x8E] = 0x017D, [0x91] = 0x2018, [0x92] = 0x2019, [0x93] = 0x201C,
  [0x94] = 0x201D, [0x95] = 0x2022, [0x96] = 0x2013, [0x97] = 0x2014,
  [0x98] = 0x02DC, [0x99] = 0x2122, [0x9A] = 0x0161, [0x9B] = 0x203A,
  [0x9C] = 0x0153, [0x9E] = 0x017E, [0x9F] = 0x0178,
}

--- Convert a text to UTF-8.
-- A UTF-8 byte-order mark is removed. Valid UTF-8 is returned unchanged;
-- otherwise every byte is read as Windows-1252 (ISO-8859-1 where the two
-- agree).
-- @tparam string text raw file contents
-- @treturn string UTF-8 text
-- @treturn string how the encoding was decided (`cb.encoding_note`)
-- @treturn string the encoding name: `"UTF-8"`, `"ISO-8859-1"` or `"windows-1252"`
function M.to_utf8(text)
  local bom = sub(text, 1, 3) == "\239\187\191"
  if bom then text = sub(text, 4) end
  if utf8_len(text) then
    return text, bom and "UTF-8 (byte-order mark removed)" or "UTF-8",
      "UTF-8"
  end
  local _, bad = utf8_len(text)
  local cp1252 = false
  local out = gsub(text, "[\128-\255]", function(c)
    local b = byte(c)
    local cp = CP1252[b]
    if cp then cp1252 = true; return utf8_char(cp) end
    return utf8_char(b)
  end)
  local name = cp1252 and "windows-1252" or "ISO-8859-1"
  return out, ("not valid UTF-8 (first bad byte at offset %d); read as %s")
    :format(bad, name), name
end

--- Convert UTF-8 text to ISO-8859-1 when every character fits.
-- @tparam string text UTF-8
-- @treturn string|nil the Latin-1 bytes, or nil when a character is above U+00FF
function M.to_latin1(text)
  local out = {}
  for _, cp in utf8_codes(text) do
    if cp > 255 then return nil end
    out[#out + 1] = string.char(cp)
  end
  return concat(out)
end

--- Split a text into lines, whatever the line ends (LF, CRLF or CR alone).
-- @tparam string text
-- @treturn table array of lines without their ends
-- @treturn string the line end seen first: `"LF"`, `"CRLF"`, `"CR"` or `"none"`
function M.lines(text)
  local lines, kind = {}, "none"
  local first = find(text, "[\r\n]")
  if first then
    if byte(text, first) == 10 then kind = "LF"
    elseif byte(text, first + 1) == 10 then kind = "CRLF"
    else kind = "CR" end
  end
  local pos, n = 1, #text
  while pos <= n do
    local s = find(text, "[\r\n]", pos)
    if not s then lines[#lines + 1] = sub(text, pos); break end
    lines[#lines + 1] = sub(text, pos, s - 1)
    if byte(text, s) == 13 and byte(text, s + 1) == 10 then pos = s + 2
    else pos = s + 1 end
  end
  return lines, kind
end

-- Lower-case mappings outside ASCII: Latin-1 Supplement, Latin Extended-A,
-- Greek and Cyrillic. Enough for the old dictionary formats; matching itself
-- case-folds in the core, so this only tidies values as they are stored.
local LOWER = {}
for cp = 0xC0, 0xDE do if cp ~= 0xD7 then LOWER[cp] = cp + 32 end end
for cp = 0x100, 0x17F, 2 do
  if cp ~= 0x130 and cp ~= 0x138 and not (cp >= 0x139 and cp <= 0x148)
     and cp < 0x179 then LOWER[cp] = cp + 1 end
end
for cp = 0x139, 0x147, 2 do LOWER[cp] = cp + 1 end
for cp = 0x179, 0x17D, 2 do LOWER[cp] = cp + 1 end
LOWER[0x178] = 0xFF
for cp = 0x391, 0x3AB do if cp ~= 0x3A2 then LOWER[cp] = cp + 32 end end
for cp = 0x410, 0x42F do LOWER[cp] = cp + 32 end
for cp = 0x400, 0x40F do LOWER[cp] = cp + 80 end

--- Lower-case a UTF-8 string (ASCII, Latin, Greek, Cyrillic capitals).
-- @tparam string s valid UTF-8
-- @treturn string
function M.lower(s)
  s = s:lower()
  if not find(s, "[\195-\211]") then return s end
  local out = {}
  for _, cp in utf8_codes(s) do out[#out + 1] = utf8_char(LOWER[cp] or cp) end
  return concat(out)
end

--- Trim spaces, tabs and no-break spaces at both ends.
-- @tparam string s
-- @treturn string
function M.trim(s)
  s = gsub(s, "^[ \t]+", "")
  s = gsub(s, "[ \t]+$", "")
  s = gsub(s, "^\194\160+", "")
  s = gsub(s, "\194\160+$", "")
  return s
end

return M
