--- Participants files: who is behind each speaker label.
--
-- A CSV with an `id` column, an optional `aliases` column (`;`-separated
-- other labels the same person appears under: `Pharmacist 1; Sam`), and
-- any attribute columns (`role`, `group`, `profession`, …). Labels are
-- matched case-insensitively with white space collapsed, so `P03`,
-- `p03` and `Pharmacist  1` all find the row whose id or alias they are.
--
-- @module thematic.participants
-- @usage
-- local participants = require "thematic.participants"
-- local p = assert(participants.load("participants.csv"))
-- local row = participants.lookup(p, "Pharmacist 1")
-- print(row.id, row.attributes.profession)

local format, gmatch, match = string.format, string.gmatch, string.match

local encoding = require "thematic.readers.encoding"
local csvparse = require "thematic.readers.csvparse"
local transcript = require "thematic.transcript"

local M = {}

--- Roles (values of a `role` column) that mark interviewer-side speakers.
M.INTERVIEWER_ROLES = { interviewer = true, facilitator = true, moderator = true,
                        researcher = true, ["co-facilitator"] = true }

local norm = transcript.normalize_label

--- Parse a participants CSV.
-- @tparam string text
-- @tparam[opt="participants.csv"] string label
-- @treturn table|nil `{list = {rows…}, index = {normalised label → row}, path = label}`;
--   a row is `{id=, aliases={…}, attributes={column = value}, line=}`
-- @treturn string|nil `"label:line: what is wrong"`
function M.parse(text, label)
  label = label or "participants.csv"
  local recs, err = csvparse.records(text, label)
  if not recs then return nil, err end
  local has_id = false
  for _, h in ipairs(recs.header) do if h == "id" then has_id = true end end
  if not has_id then return nil, format("%s:1: a participants file needs an id column", label) end
  local p = { list = {}, index = {}, path = label }
  for _, r in ipairs(recs) do
    local id = match(r.id or "", "^%s*(.-)%s*$")
    if id == "" then return nil, format("%s:%d: empty id", label, r.line) end
    local row = { id = id, aliases = {}, attributes = {}, line = r.line }
    for a in gmatch(r.aliases or "", "[^;]+") do
      a = match(a, "^%s*(.-)%s*$")
      if a ~= "" then row.aliases[#row.aliases + 1] = a end
    end
    for _, h in ipairs(recs.header) do
      if h ~= "id" and h ~= "aliases" and h ~= "" then
        local v = match(r[h] or "", "^%s*(.-)%s*$")
        if v ~= "" then row.attributes[h] = v end
      end
    end
    local names = { id }
    for _, a in ipairs(row.aliases) do names[#names + 1] = a end
    for _, name in ipairs(names) do
      local k = norm(name)
      local other = p.index[k]
      if other and other ~= row then
        return nil, format("%s:%d: '%s' already names %s (line %d)", label, r.line, name, other.id, other.line)
      end
      p.index[k] = row
    end
    p.list[#p.list + 1] = row
  end
  return p
end

--- Load a participants CSV file.
-- @tparam string path
-- @treturn table|nil participants (see `parse`)
-- @treturn string|nil message
function M.load(path)
  local text, err = encoding.read_file(path)
  if not text then return nil, err end
  return M.parse(text, path)
end

--- The row for a speaker label.
-- @tparam table p participants
-- @tparam string label as written
-- @treturn table|nil row
function M.lookup(p, label)
  if not p or not label then return nil end
  return p.index[norm(label)]
end

--- Set of every normalised id and alias (for `thematic.transcript.parse`'s `known`).
-- @tparam table p participants
-- @treturn table set
function M.known(p)
  local set = {}
  if p then for k in pairs(p.index) do set[k] = true end end
  return set
end

--- Whether a row's `role` attribute marks the interviewer side.
-- @tparam table row
-- @treturn boolean
function M.is_interviewer(row)
  local role = row and row.attributes.role
  return role ~= nil and M.INTERVIEWER_ROLES[norm(role)] == true
end

return M
