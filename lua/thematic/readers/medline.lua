--- PubMed/MEDLINE text records (`.nbib`, `.medline.txt`, PubMed "Save →
-- PubMed format").
--
-- Each line is a tag padded to four characters, `- `, and a value;
-- continuation lines start with six spaces. Records are separated by blank
-- lines and start with `PMID- `. Fields used: `AB` abstract, `TI` title,
-- `FAU` (or `AU`) authors, `DP` year, `JT` (or `TA`) journal, `AID`/`LID`
-- ending in `[doi]`, `PMID`.
--
-- @module thematic.readers.medline
-- @usage
-- local recs = assert(require("thematic.readers.medline").read("pubmed.nbib"))

local find, format, match = string.find, string.format, string.match

local encoding = require "thematic.readers.encoding"

local M = {}

--- Whether text looks like MEDLINE (its first non-blank line is `PMID- …`).
-- @tparam string text
-- @treturn boolean
function M.sniff(text)
  return find(text, "^%s*PMID%s*%- ") ~= nil
end

local function finish(f, line)
  local function one(...)
    for _, k in ipairs({ ... }) do if f[k] and f[k][1] then return f[k][1] end end
  end
  local rec = { line = line, pmid = one("PMID"), title = one("TI"), abstract = one("AB"),
                journal = one("JT", "TA"), authors = {} }
  for _, a in ipairs(f.FAU or f.AU or {}) do rec.authors[#rec.authors + 1] = a end
  local dp = one("DP")
  rec.year = dp and tonumber(match(dp, "(%d%d%d%d)")) or nil
  for _, k in ipairs({ "AID", "LID" }) do
    for _, v in ipairs(f[k] or {}) do
      local doi = match(v, "^(%S+)%s*%[doi%]")
      if doi and not rec.doi then rec.doi = doi end
    end
  end
  return rec
end

--- Parse MEDLINE text.
-- @tparam string text decoded text
-- @tparam[opt="input"] string label
-- @treturn table|nil records `{pmid=, title=, authors=, year=, journal=, doi=, abstract=, line=}`
-- @treturn string|nil `"label:line: what is wrong"`
function M.parse(text, label)
  label = label or "input"
  local recs, f, start, last = {}, nil, nil, nil
  for line, _, _, n in encoding.lines(text) do
    if not find(line, "%S") then
      if f then recs[#recs + 1] = finish(f, start); f, last = nil, nil end
    else
      local tag, value = match(line, "^(%u[%u%d]?[%u%d]?[%u%d]?)%s*%- (.*)$")
      if tag and #match(line, "^[^%-]*") == 4 then
        if not f then
          if tag ~= "PMID" then
            return nil, format("%s:%d: record does not start with PMID- (got %s)", label, n, tag)
          end
          f, start = {}, n
        end
        f[tag] = f[tag] or {}
        f[tag][#f[tag] + 1] = match(value, "^%s*(.-)%s*$")
        last = { tag, #f[tag] }
      elseif find(line, "^      ") and f and last then
        local arr = f[last[1]]
        arr[last[2]] = arr[last[2]] .. " " .. match(line, "^%s*(.-)%s*$")
      else
        return nil, format("%s:%d: not a MEDLINE line (expected 'TAG - value')", label, n)
      end
    end
  end
  if f then recs[#recs + 1] = finish(f, start) end
  if #recs == 0 then return nil, format("%s:1: no MEDLINE records found", label) end
  return recs
end

--- Read a MEDLINE file.
-- @tparam string path
-- @treturn table|nil records
-- @treturn string|nil message
-- @function read
M.read = encoding.reader(M.parse)

return M
