--- Writing results safely: CSV that a spreadsheet cannot execute, JSON
-- with a stable key order (so two runs diff cleanly), aligned text tables,
-- and files written atomically (a temporary file, then a rename), never
-- over an input.
--
-- @module thematic.output

local format, concat, sort, rep = string.format, table.concat, table.sort, string.rep
local realpath = require("thematic.core").realpath

local M = {}

--- A CSV field (RFC 4180), neutralised against formula injection: a cell
-- starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
-- leading apostrophe, which spreadsheets show as text. Numbers are left as
-- they are.
-- @param v string, number, boolean or nil
-- @treturn string
function M.csv_field(v)
  if v == nil then return "" end
  if type(v) == "number" then
    if v ~= v or v == math.huge or v == -math.huge then return "" end
    if math.type(v) == "float" then return format("%.6g", v) end
    return tostring(v)
  end
  local s = tostring(v)
  if s:match("^[=+%-@\t\r]") then s = "'" .. s end
  if s:find('[,"\r\n]') or s:match("^%s") or s:match("%s$") then
    s = '"' .. s:gsub('"', '""') .. '"'
  end
  return s
end

--- CSV text from a header and rows (arrays or maps keyed by the header).
-- @tparam table header array of column names
-- @tparam table rows
-- @treturn string with CRLF line ends, as RFC 4180 says
function M.csv(header, rows)
  local out = {}
  local cells = {}
  for i, h in ipairs(header) do cells[i] = M.csv_field(h) end
  out[1] = concat(cells, ",")
  for _, r in ipairs(rows) do
    cells = {}
    for i, h in ipairs(header) do
      local v = r[h]
      if v == nil then v = r[i] end
      cells[i] = M.csv_field(v)
    end
    out[#out + 1] = concat(cells, ",")
  end
  return concat(out, "\r\n") .. "\r\n"
end

local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f",
                  ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }

local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return escapes[c] or format("\\u%04x", c:byte())
  end) .. '"'
end

local function is_array(t)
  local mt = getmetatable(t)
  if mt and mt.__jsontype then return mt.__jsontype == "array" end
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  return n == #t and (n > 0 or (mt and mt.__jsontype == "array"))
end

--- JSON text with object keys sorted, so output is byte-identical
-- between runs. NaN and infinities become null (JSON has no such numbers).
-- `M.null` stands for an explicit null.
-- @param v
-- @tparam[opt] string indent e.g. "  " for pretty output
-- @treturn string
function M.json(v, indent)
  local out = {}
  local function enc(x, depth)
    local t = type(x)
    if x == nil or x == M.null then out[#out + 1] = "null"
    elseif t == "boolean" then out[#out + 1] = tostring(x)
    elseif t == "number" then
      if x ~= x or x == math.huge or x == -math.huge then out[#out + 1] = "null"
      elseif math.type(x) == "integer" then out[#out + 1] = tostring(x)
      else out[#out + 1] = format("%.10g", x) end
    elseif t == "string" then out[#out + 1] = json_string(x)
    elseif t == "table" then
      local nl = indent and ("\n" .. rep(indent, depth + 1)) or ""
      local close = indent and ("\n" .. rep(indent, depth)) or ""
      if is_array(x) then
        if #x == 0 then out[#out + 1] = "[]" return end
        out[#out + 1] = "["
        for i, item in ipairs(x) do
          if i > 1 then out[#out + 1] = "," end
          out[#out + 1] = nl
          enc(item, depth + 1)
        end
        out[#out + 1] = close .. "]"
      else
        local keys = {}
        for k in pairs(x) do keys[#keys + 1] = tostring(k) end
        sort(keys)
        if #keys == 0 then out[#out + 1] = "{}" return end
        out[#out + 1] = "{"
        for i, k in ipairs(keys) do
          if i > 1 then out[#out + 1] = "," end
          out[#out + 1] = nl .. json_string(k) .. (indent and ": " or ":")
          local val = x[k]
          if val == nil then val = x[tonumber(k)] end
          enc(val, depth + 1)
        end
        out[#out + 1] = close .. "}"
      end
    else
      error("cannot encode a " .. t .. " as JSON", 0)
    end
  end
  enc(v, 0)
  return concat(out)
end

M.null = setmetatable({}, { __tostring = function() return "null" end })

--- Marks a table as a JSON array even when it is empty.
function M.array(t) return setmetatable(t or {}, { __jsontype = "array" }) end

--- Display width of a UTF-8 string (code points; good enough for the
-- Latin, Devanagari and Arabic names in transcripts).
local function width(s)
  return utf8.len(s) or #s
end

--- An aligned text table.
-- @tparam table header array of column titles
-- @tparam table rows arrays of cells
-- @tparam[opt] table align per column "l" or "r" (default: numbers right)
-- @treturn string
function M.table(header, rows, align)
  local w = {}
  for i, h in ipairs(header) do w[i] = width(h) end
  local cells = {}
  for r, row in ipairs(rows) do
    cells[r] = {}
    for i = 1, #header do
      local v = row[i]
      local s = v == nil and "" or (type(v) == "number" and math.type(v) == "float"
                                     and format("%.1f", v) or tostring(v))
      cells[r][i] = s
      if width(s) > w[i] then w[i] = width(s) end
    end
  end
  local function line(vals, isheader)
    local parts = {}
    for i, s in ipairs(vals) do
      local pad = rep(" ", w[i] - width(s))
      local right = not isheader and ((align and align[i] == "r") or
                    (not align and s:match("^%-?[%d.,]+$")))
      parts[i] = right and (pad .. s) or (s .. pad)
    end
    return (concat(parts, "  "):gsub("%s+$", ""))
  end
  local out = { line(header, true) }
  local rule = {}
  for i = 1, #header do rule[i] = rep("-", w[i]) end
  out[2] = concat(rule, "  ")
  for _, r in ipairs(cells) do out[#out + 1] = line(r) end
  return concat(out, "\n") .. "\n"
end

-- The path with links, "." and ".." resolved; for a file not written yet,
-- its folder resolved and its name added (as `realpath -m` gives it).
local function real_path(p)
  local r = realpath(p)
  if r then return r end
  local dir, name = p:match("^(.*)/([^/]+)$")
  if not dir then dir, name = ".", p end
  local rd = realpath(dir == "" and "/" or dir)
  if rd and name ~= "." and name ~= ".." then
    return (rd == "/" and "" or rd) .. "/" .. name
  end
  return p
end

--- Writes text to path atomically: a temporary file in the same folder,
-- flushed and closed, then renamed over the target. An interrupted run
-- leaves the old file (or none), never half a file.
-- @tparam string path
-- @tparam string text
-- @tparam[opt] table inputs paths that must not be overwritten
-- @treturn true|nil
-- @treturn string error message
function M.write_atomic(path, text, inputs)
  local lfs = require "lfs"
  local mode = lfs.attributes(path, "mode")
  if inputs then
    local target = real_path(path)
    for _, p in ipairs(inputs) do
      local rp = real_path(p)
      if target == rp then
        return nil, format("%s: refusing to overwrite an input file", path)
      end
      -- an input folder: any file already in it may be one that was read
      if mode and lfs.attributes(rp, "mode") == "directory"
         and target:sub(1, #rp + 1) == rp .. "/" then
        return nil, format("%s: refusing to overwrite a file in the input folder %s", path, p)
      end
    end
  end
  if mode and mode ~= "file" and mode ~= "directory" then
    -- a device or a pipe (/dev/stdout, /dev/null): write to it, never
    -- rename a regular file over it
    local f, err = io.open(path, "wb")
    if not f then return nil, format("%s: cannot write (%s)", path, err) end
    local ok, werr = f:write(text)
    if ok then ok, werr = f:flush() end
    local cok, cerr = f:close()
    if not ok or not cok then return nil, format("%s: cannot write (%s)", path, tostring(werr or cerr)) end
    return true
  end
  local dir = path:match("^(.*)/[^/]*$") or "."
  local tmp = format("%s/.%s.tmp-%d-%d", dir, path:match("([^/]*)$"), os.time(),
                     math.random(1, 1e9))
  local f, err = io.open(tmp, "wb")
  if not f then return nil, format("%s: cannot write (%s)", path, err) end
  local ok, werr = f:write(text)
  if ok then ok, werr = f:flush() end
  local cok, cerr = f:close()
  if not ok or not cok then
    os.remove(tmp)
    return nil, format("%s: cannot write (%s)", path, tostring(werr or cerr))
  end
  local rok, rerr = os.rename(tmp, path)
  if not rok then
    os.remove(tmp)
    return nil, format("%s: cannot write (%s)", path, tostring(rerr))
  end
  return true
end

return M
