--- REFI-QDA project exchange (`.qdpx`): export a coded corpus, import a
-- project from another QDA program, and compare codings.
--
-- A `.qdpx` is a zip with `project.qde` (XML, namespace
-- urn:QDA-XML:project:1.0) and `sources/GUID.txt` (plain UTF-8 texts).
-- Text selections count Unicode code points from 0, end exclusive
-- (REFI-QDA 1.5, section 10.2); thematic's spans are 1-based inclusive
-- byte offsets, converted in one pass per document. See docs/refiqda.md.
--
-- @module thematic.refiqda
-- @usage
-- local refiqda = require "thematic.refiqda"
-- assert(refiqda.export(coded, "study.qdpx"))
-- local project = assert(refiqda.import("coded-by-hand.qdpx"))
-- local rows = refiqda.codings(project, { corpus = coded.corpus })
-- for _, r in ipairs(refiqda.coded_rows(coded)) do rows[#rows + 1] = r end
-- local r = require("thematic.analysis.agreement").compute(rows)

local lxp = require "lxp"
local lfs = require "lfs"
local codebook_mod = require "thematic.codebook"
local qdc = require "thematic.codebook.qdc"

local type, ipairs, pairs, tostring, tonumber, error, pcall, require =
  type, ipairs, pairs, tostring, tonumber, error, pcall, require
local setmetatable, select = setmetatable, select
local format, gsub, match, find, sub, byte, rep, lower =
  string.format, string.gsub, string.match, string.find, string.sub, string.byte,
  string.rep, string.lower
local concat, sort = table.concat, table.sort
local ulen, uoffset = utf8.len, utf8.offset
local io_open, os_rename, os_remove = io.open, os.rename, os.remove

local M = {}

M.NS = "urn:QDA-XML:project:1.0"
local CB_NS = "urn:QDA-XML:codebook:1.0"
local SEP = "\1"

--- Colours written for codes without their own colour, by valence.
M.colors = { barrier = "#D1495B", facilitator = "#2E933C" }

--- Default limit on one zip entry read by `import` (bytes).
M.max_bytes = 256 * 1024 * 1024

-- A C module, or nil when it is not built. thematic.zip (libzip, and
-- libcrypto through it) is required only here, when a .qdpx is written or
-- read, so that no other command pays for loading it.
local function c_module(name)
  local ok, m = pcall(require, name)
  if ok then return m end
  return nil
end

---------------------------------------------------------------------------
-- GUIDs and XML text
---------------------------------------------------------------------------

local HEX = "%x%x%x%x%x%x%x%x"
local GUID_PAT = "^" .. HEX .. "%-" .. rep("%x", 4) .. "%-" .. rep("%x", 4) .. "%-"
  .. rep("%x", 4) .. "%-" .. HEX .. rep("%x", 4) .. "$"

-- The GUID without braces, lower case; nil when it is not a GUID.
local function norm_guid(s)
  if type(s) ~= "string" then return nil end
  local inner = match(s, "^{(.*)}$") or s
  if match(inner, GUID_PAT) then return lower(inner) end
  return nil
end
M.norm_guid = norm_guid

--- A stable GUID for a seed: four rounds of 32-bit FNV-1a, laid out as a
-- version-4-shaped UUID (lower case), so that exports are reproducible.
-- @tparam string seed
-- @treturn string
function M.guid(seed)
  local parts = {}
  for round = 1, 4 do
    local h = 0x811c9dc5 ~ (round * 0x9e3779b1 & 0xffffffff)
    for i = 1, #seed do h = ((h ~ byte(seed, i)) * 0x01000193) & 0xffffffff end
    h = ((h ~ (h >> 15)) * 0x2c1b3c6d) & 0xffffffff
    parts[round] = format("%08x", h ~ (h >> 12))
  end
  local hex = concat(parts)
  return format("%s-%s-4%s-%x%s-%s", sub(hex, 1, 8), sub(hex, 9, 12), sub(hex, 14, 16),
    8 + (tonumber(sub(hex, 17, 17), 16) & 3), sub(hex, 18, 20), sub(hex, 21, 32))
end
local guid = M.guid

-- Characters XML 1.0 does not allow: C0 controls but tab, LF, CR, and
-- U+FFFE, U+FFFF. Replaced by U+FFFD; `note` is called once per string.
local BAD_XML = "[\0-\8\11\12\14-\31]"
local function clean(s, note, what)
  local n1, n2
  s, n1 = gsub(s, BAD_XML, "\239\191\189")
  s, n2 = gsub(s, "\239\191[\190\191]", "\239\191\189")
  if n1 + n2 > 0 and note then
    note(format("%s: %d character(s) not allowed in XML replaced by U+FFFD", what, n1 + n2))
  end
  return s
end

local function esc_text(s)
  return (gsub(s, "[&<>\r]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ["\r"] = "&#13;" }))
end

local function esc_attr(s)
  return (gsub(s, "[&<>\"\t\n\r]", { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
    ['"'] = "&quot;", ["\t"] = "&#9;", ["\n"] = "&#10;", ["\r"] = "&#13;" }))
end

---------------------------------------------------------------------------
-- Positions
---------------------------------------------------------------------------

--- Code point counts for many byte offsets of one text, in one pass.
-- @tparam string text valid UTF-8
-- @tparam table offsets array of byte offsets `b` (0..#text), each at a
--   character boundary: the result for `b` is the number of code points in
--   `text:sub(1, b)`
-- @treturn table map offset → code points
-- @treturn[2] nil
-- @treturn[2] integer the offset that is not at a character boundary
function M.code_points(text, offsets)
  local sorted, seen = {}, {}
  for _, b in ipairs(offsets) do
    if not seen[b] then seen[b] = true; sorted[#sorted + 1] = b end
  end
  sort(sorted)
  local out, prev, n = {}, 0, 0
  for _, b in ipairs(sorted) do
    if b > prev then
      local c = byte(text, b + 1)
      if c and c >= 0x80 and c < 0xC0 then return nil, b end
      local k = ulen(text, prev + 1, b)
      if not k then return nil, b end
      n = n + k
    end
    out[b], prev = n, b
  end
  return out
end

-- Byte offsets (1-based position of the character) for many code point
-- positions (0-based) of one text, in one pass. Positions must be within
-- 0..number of code points.
local function byte_positions(text, positions)
  local sorted, seen = {}, {}
  for _, p in ipairs(positions) do
    if not seen[p] then seen[p] = true; sorted[#sorted + 1] = p end
  end
  sort(sorted)
  local out, cp, b = {}, 0, 1
  for _, p in ipairs(sorted) do
    if p > cp then b = uoffset(text, p - cp + 1, b); cp = p end
    out[p] = b
  end
  return out
end

---------------------------------------------------------------------------
-- Export
---------------------------------------------------------------------------

-- A view of the codebook for qdc.write: every code with a GUID and, for a
-- barrier/facilitator code without a colour, the valence colour.
-- The codebook as qdc.write sees it: GUIDs and colours added, and the
-- text fields cleaned of characters XML forbids (qdc.write refuses them;
-- here they are replaced and noted, as everywhere else in the export).
local TEXT_FIELDS = { "name", "label", "definition", "inclusion", "exclusion" }

local function code_view(cb, note)
  local guids = {}
  local function view(c)
    local g = c.guid and norm_guid(c.guid) and c.guid or guid("code\0" .. (cb.name or "") .. "\0" .. c.path)
    guids[c.path] = g
    local v = setmetatable({ guid = g, color = c.color or (c.valence and M.colors[c.valence]),
                             children = {} }, { __index = c })
    for _, f in ipairs(TEXT_FIELDS) do
      if type(c[f]) == "string" then v[f] = clean(c[f], note, "code '" .. c.path .. "' " .. f) end
    end
    for i, ch in ipairs(c.children) do v.children[i] = view(ch) end
    return v
  end
  local top = {}
  for i, c in ipairs(cb.codes_) do top[i] = view(c) end
  local book = setmetatable({ codes_ = top }, { __index = cb })
  for _, f in ipairs({ "name", "title", "description" }) do
    if type(cb[f]) == "string" then book[f] = clean(cb[f], note, "codebook " .. f) end
  end
  return book, guids
end

local function excerpt(s)
  s = gsub(gsub(s, "%s+", " "), "^ ", "")
  s = gsub(s, " $", "")
  if (ulen(s) or 0) > 60 then s = sub(s, 1, uoffset(s, 61) - 1) .. "…" end
  return s
end

local function timestamp(opts)
  if opts.date then return opts.date end
  local epoch = tonumber(os.getenv("SOURCE_DATE_EPOCH") or "")
  return os.date("!%Y-%m-%dT%H:%M:%SZ", epoch and math.floor(epoch) or os.time())
end

-- Build the project.qde text and the source entries.
local function build_project(coded, opts, note)
  local cb, corpus = coded.codebook, coded.corpus
  local unit = opts.unit or "hit"
  local user = guid("user\0thematic")
  local when = timestamp(opts)
  local name = opts.name or cb.name or "thematic project"
  local origin = opts.version and ("thematic " .. opts.version) or "thematic"
  local out = {
    '<?xml version="1.0" encoding="UTF-8"?>',
    format('<Project xmlns="%s" name="%s" origin="%s" creatingUserGUID="%s" creationDateTime="%s">',
      M.NS, esc_attr(clean(name, note, "project name")),
      esc_attr(origin), user, when),
    "  <Users>",
    format('    <User guid="%s" name="thematic"/>', user),
    "  </Users>",
  }
  local function add(s) out[#out + 1] = s end

  -- CodeBook: qdc.write's <Codes> element, indented one level more.
  local view, code_guid = code_view(cb, note)
  local written = assert(qdc.write(view))
  local first = find(written, "  <Codes>", 1, true)
  local last = find(written, "  </Codes>", 1, true)
  if cb.codes_[1] then
    add("  <CodeBook>")
    -- not re-indented: a Description's text is kept byte for byte
    add(sub(written, first, last + 9))
    add("  </CodeBook>")
  end

  -- Documents, participants and their attributes.
  local entries_by_doc, cases, case_list, var_names = {}, {}, {}, {}
  for _, d in ipairs(corpus.documents) do
    entries_by_doc[d.id] = {}
    for k in pairs(d.attributes or {}) do var_names[k] = true end
  end
  local people = {}
  if corpus.participants and corpus.participants.list then
    for _, row in ipairs(corpus.participants.list) do people[row.id] = row end
  end
  for _, d in ipairs(corpus.documents) do
    for _, seg in ipairs(d.segments) do
      local id = not seg.interviewer and (seg.participant or seg.speaker) or nil
      if id then
        local c = cases[id]
        if not c then
          c = { id = id, docs = {}, doc_list = {}, attributes = {} }
          local row = people[id]
          if row then for k, v in pairs(row.attributes) do c.attributes[k] = v end end
          for k in pairs(c.attributes) do var_names[k] = true end
          cases[id] = c
          case_list[#case_list + 1] = c
        end
        if not c.docs[d.id] then c.docs[d.id] = true; c.doc_list[#c.doc_list + 1] = d.id end
      end
    end
  end
  sort(case_list, function(a, b) return a.id < b.id end)
  local vars = {}
  for k in pairs(var_names) do vars[#vars + 1] = k end
  sort(vars)
  local var_guid = {}
  for _, k in ipairs(vars) do var_guid[k] = guid("variable\0" .. k) end
  local function values(attrs, ind)
    local keys = {}
    for k in pairs(attrs) do keys[#keys + 1] = k end
    sort(keys)
    for _, k in ipairs(keys) do
      add(ind .. "<VariableValue>")
      add(format('%s  <VariableRef targetGUID="%s"/>', ind, var_guid[k]))
      add(format("%s  <TextValue>%s</TextValue>", ind,
        esc_text(clean(tostring(attrs[k]), note, "attribute '" .. k .. "'"))))
      add(ind .. "</VariableValue>")
    end
  end
  if #vars > 0 then
    add("  <Variables>")
    for _, k in ipairs(vars) do
      add(format('    <Variable guid="%s" name="%s" typeOfVariable="Text"/>', var_guid[k],
        esc_attr(clean(k, note, "attribute name"))))
    end
    add("  </Variables>")
  end
  local doc_guid = {}
  for _, d in ipairs(corpus.documents) do doc_guid[d.id] = guid("source\0" .. d.id) end
  if #case_list > 0 then
    add("  <Cases>")
    for _, c in ipairs(case_list) do
      add(format('    <Case guid="%s" name="%s">', guid("case\0" .. c.id),
        esc_attr(clean(c.id, note, "participant id"))))
      values(c.attributes, "      ")
      for _, id in ipairs(c.doc_list) do add(format('      <SourceRef targetGUID="%s"/>', doc_guid[id])) end
      add("    </Case>")
    end
    add("  </Cases>")
  end

  -- Selections, by document.
  for _, e in ipairs(coded.segments) do
    local list = entries_by_doc[e.segment.document]
    if list then list[#list + 1] = e end
  end
  local files = {}
  if corpus.documents[1] then add("  <Sources>") end
  for _, d in ipairs(corpus.documents) do
    local text = d.text
    local okutf, bad = ulen(text)
    if not okutf then
      return nil, format("document '%s': invalid UTF-8 at byte %d", d.id, bad)
    end
    local sels, by_key = {}, {}
    local function add_sel(s, e, path)
      local key = s .. ":" .. e
      local sel = by_key[key]
      if not sel then
        sel = { start = s, stop = e, codes = {} }
        by_key[key] = sel
        sels[#sels + 1] = sel
      end
      sel.codes[path] = true
    end
    for _, entry in ipairs(entries_by_doc[d.id]) do
      if unit == "segment" then
        for path in pairs(entry.codes) do add_sel(entry.segment.start, entry.segment.stop, path) end
      else
        for _, h in ipairs(entry.hits) do
          if not (h.negated and not h.from) then add_sel(h.start, h.stop, h.code_path) end
        end
      end
    end
    sort(sels, function(a, b)
      if a.start ~= b.start then return a.start < b.start end
      return a.stop < b.stop
    end)
    local offs = {}
    for _, s in ipairs(sels) do
      if s.start < 1 or s.stop > #text or s.stop < s.start - 1 then
        return nil, format("document '%s': span %d-%d is outside the text (%d bytes)", d.id, s.start, s.stop, #text)
      end
      offs[#offs + 1] = s.start - 1
      offs[#offs + 1] = s.stop
    end
    local cps, badoff = M.code_points(text, offs)
    if not cps then
      return nil, format("document '%s': byte offset %d is inside a character", d.id, badoff)
    end
    local g = doc_guid[d.id]
    add(format('    <TextSource guid="%s" name="%s" plainTextPath="internal://%s.txt" '
      .. 'creatingUser="%s" creationDateTime="%s">', g, esc_attr(clean(d.id, note, "document id")), g, user, when))
    for _, s in ipairs(sels) do
      local a, b = cps[s.start - 1], cps[s.stop]
      local key = d.id .. "\0" .. s.start .. "\0" .. s.stop
      add(format('      <PlainTextSelection guid="%s" name="%s" startPosition="%d" endPosition="%d" creatingUser="%s">',
        guid("selection\0" .. key), esc_attr(clean(excerpt(sub(text, s.start, s.stop)), nil)), a, b, user))
      local paths = {}
      for p in pairs(s.codes) do paths[#paths + 1] = p end
      sort(paths)
      for _, p in ipairs(paths) do
        add(format('        <Coding guid="%s" creatingUser="%s">', guid("coding\0" .. key .. "\0" .. p), user))
        add(format('          <CodeRef targetGUID="%s"/>', code_guid[p]))
        add("        </Coding>")
      end
      add("      </PlainTextSelection>")
    end
    values(d.attributes or {}, "      ")
    add("    </TextSource>")
    files[#files + 1] = { name = "sources/" .. g .. ".txt", data = text }
  end
  if corpus.documents[1] then add("  </Sources>") end
  add("</Project>")
  return concat(out, "\n") .. "\n", files
end

--- Export a coded corpus as a REFI-QDA project (`.qdpx`).
--
-- Themes become `isCodable="false"` parent codes (unless they have
-- patterns of their own), codes nest below them; participants become
-- cases with their attributes; every document becomes a `TextSource`
-- (`sources/GUID.txt` = `doc.text`, byte for byte); every distinct hit span
-- (or, with `unit = "segment"`, every coded segment) becomes a
-- `PlainTextSelection` with one `Coding` per code. Negated hits are left
-- out (as in counts), hits moved by `negated_to` go to their target code.
-- The file is written to a temporary name in the same folder and renamed.
-- @tparam table coded from `thematic.coding.code`
-- @tparam string path the `.qdpx` to write
-- @tparam[opt] table opts `unit` = `"hit"` (default) | `"segment"`;
--   `name` (project name; default the codebook's name); `date` (an
--   `xsd:dateTime` for creationDateTime; default `SOURCE_DATE_EPOCH` or now);
--   `version` (written in `origin`; default `thematic._VERSION`)
-- @treturn true|nil
-- @treturn table|string warnings (array: characters replaced), or the
--   problem when nil
function M.export(coded, path, opts)
  if type(coded) ~= "table" or type(coded.segments) ~= "table" or type(coded.corpus) ~= "table"
      or type(coded.codebook) ~= "table" then
    error("bad argument #1 to 'export' (coded corpus expected)", 2)
  end
  if type(path) ~= "string" then
    error(format("bad argument #2 to 'export' (string expected, got %s)", type(path)), 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(format("bad argument #3 to 'export' (table expected, got %s)", type(opts)), 2)
  end
  opts = opts or {}
  if opts.unit ~= nil and opts.unit ~= "hit" and opts.unit ~= "segment" then
    error(format("bad argument #3 to 'export' (unit must be 'hit' or 'segment', got '%s')", tostring(opts.unit)), 2)
  end
  local core, zip = c_module("thematic.core"), c_module("thematic.zip")
  if not core then return nil, "thematic.core is not available: run 'make' first" end
  if not zip then return nil, "thematic.zip is not available: run 'make' first" end
  local o = setmetatable({}, { __index = opts })
  if not o.version then o.version = core._VERSION end
  local warnings = {}
  local function note(s) warnings[#warnings + 1] = s end
  local xml, files = build_project(coded, o, note)
  if not xml then return nil, path .. ": " .. files end
  local entries = { { name = "project.qde", data = xml } }
  for _, f in ipairs(files) do entries[#entries + 1] = f end
  local tmp = format("%s.tmp-%04x%04x", path, math.random(0, 0xffff), math.random(0, 0xffff))
  local ok, res, err = pcall(zip.write, tmp, entries)
  if not ok or not res then
    os_remove(tmp)
    return nil, format("%s: %s", path, tostring(ok and err or res))
  end
  local rok, rerr = os_rename(tmp, path)
  if not rok then
    os_remove(tmp)
    return nil, tostring(rerr)
  end
  return true, warnings
end

--- The `project.qde` text that `export` would write (for inspection and
-- tests), and the source entries.
-- @tparam table coded
-- @tparam[opt] table opts as `export`
-- @treturn string|nil XML
-- @treturn table|string `{{name=, data=}, ...}` or the problem
-- @treturn table warnings
function M.project_xml(coded, opts)
  if type(coded) ~= "table" or type(coded.segments) ~= "table" then
    error("bad argument #1 to 'project_xml' (coded corpus expected)", 2)
  end
  local warnings = {}
  local xml, files = build_project(coded, opts or {}, function(s) warnings[#warnings + 1] = s end)
  return xml, files, warnings
end

---------------------------------------------------------------------------
-- Import
---------------------------------------------------------------------------

local ORDER = { "Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets",
  "Graphs", "Description", "NoteRef" }
local RANK = {}
for i, n in ipairs(ORDER) do RANK[n] = i end
local VAR_TYPES = { Text = true, Boolean = true, Integer = true, Float = true, Date = true, DateTime = true }
local GUID_ATTRS = { "guid", "targetGUID", "creatingUser", "modifyingUser", "creatingUserGUID",
  "modifyingUserGUID", "representedGUID", "sourceVertex", "targetVertex", "originGUID",
  "fromSyncPoint", "toSyncPoint" }
local VALUE_ELEMENTS = { TextValue = true, BooleanValue = true, IntegerValue = true, FloatValue = true,
  DateValue = true, DateTimeValue = true }
local SKIPPED_SOURCES = { PictureSource = true, PDFSource = true, AudioSource = true, VideoSource = true }

local function dirname(p)
  return match(p, "^(.*)/[^/]*$") or "."
end

local function read_file(p)
  local f = io_open(p, "rb")
  if not f then return nil end
  local s = f:read("a")
  f:close()
  return s
end

-- Find a file in a folder, ignoring case when the exact name is missing.
local function find_in_dir(dir, name)
  if lfs.attributes(dir .. "/" .. name, "mode") == "file" then return dir .. "/" .. name end
  if lfs.attributes(dir, "mode") ~= "directory" then return nil end
  local want = lower(name)
  for f in lfs.dir(dir) do
    if lower(f) == want then return dir .. "/" .. f end
  end
  return nil
end

-- An archive: `qde()` → text, label; `source(name)` → text or nil, msg.
local function open_archive(path, max)
  local mode = lfs.attributes(path, "mode")
  if not mode then return nil, path .. ": no such file or folder" end
  if mode == "directory" then
    local qde = find_in_dir(path, "project.qde")
    if not qde then return nil, path .. ": no project.qde in the folder" end
    local sdir = find_in_dir(path, "sources") or (path .. "/sources")
    return {
      label = qde,
      qde = function() return read_file(qde) end,
      source = function(name)
        local p = find_in_dir(sdir, name)
        return p and read_file(p)
      end,
    }
  end
  if lower(match(path, "%.([^./]*)$") or "") == "qde" then
    local dir = dirname(path)
    local sdir = find_in_dir(dir, "sources") or (dir .. "/sources")
    return {
      label = path,
      qde = function() return read_file(path) end,
      source = function(name)
        local p = find_in_dir(sdir, name)
        return p and read_file(p)
      end,
    }
  end
  local zip = c_module("thematic.zip")
  if not zip then return nil, "thematic.zip is not available: run 'make' first" end
  local names, err = zip.list(path)
  if not names then return nil, err end
  local by_lower = {}
  for _, n in ipairs(names) do
    local k = lower(n)
    if by_lower[k] == nil then by_lower[k] = n end
  end
  local qde = by_lower["project.qde"]
  if not qde then return nil, path .. ": no project.qde in the archive" end
  return {
    label = path .. ": " .. qde,
    qde = function() return zip.read(path, qde, max) end,
    source = function(name)
      local n = by_lower[lower("sources/" .. name)]
      if not n then return nil end
      return zip.read(path, n, max)
    end,
  }
end

-- The codebook: the <CodeBook> element of project.qde, read by the .qdc
-- reader (same <Code> elements, other namespace). Blank lines in front
-- keep its line numbers those of project.qde.
local function read_codebook(text, from, to, line, label, warnings)
  local tag = match(text, "^<([^%s/>]+)", from)
  local prefix = match(tag, "^(.-):") or nil
  local p = from + #tag + 1
  -- skip the start tag's attributes (quoted values may hold '>')
  while true do
    local c = sub(text, p, p)
    if c == "" then break end
    if c == '"' or c == "'" then
      p = find(text, c, p + 1, true) or #text
    elseif c == ">" then break end
    p = p + 1
  end
  local body = sub(text, p + 1, to)
  local decl = prefix and format('xmlns:%s="%s"', prefix, CB_NS) or format('xmlns="%s"', CB_NS)
  local fake = rep("\n", line - 1) .. format("<%s %s>", tag, decl) .. body
  local selfclosing = sub(text, p - 1, p - 1) == "/"
  if selfclosing then fake = rep("\n", line - 1) .. format("<%s %s/>", tag, decl) end
  local draft, err = qdc.read(fake, label)
  if not draft then return nil, err end
  -- thematic codes cannot hold '/' in names, nor two siblings of one name
  local seen_guid = {}
  local function fix(list)
    local names = {}
    for _, d in ipairs(list) do
      local g = norm_guid(d.guid)
      if not g then return nil, format("%s:%d: code '%s': bad GUID '%s'", label, d.line, d.name, d.guid) end
      if seen_guid[g] then
        return nil, format("%s:%d: code '%s': GUID %s is used twice (line %d)",
          label, d.line, d.name, d.guid, seen_guid[g])
      end
      seen_guid[g] = d.line
      if find(d.name, "/", 1, true) then
        local new = gsub(d.name, "/", "\226\136\149")
        warnings[#warnings + 1] = format("%s:%d: code '%s' renamed '%s' ('/' separates code paths)",
          label, d.line, d.name, new)
        d.name = new
      end
      local base, k = d.name, 1
      while names[d.name] do
        k = k + 1
        d.name = format("%s (%d)", base, k)
      end
      if k > 1 then
        warnings[#warnings + 1] = format("%s:%d: second code named '%s' renamed '%s'", label, d.line, base, d.name)
      end
      names[d.name] = true
      local ok, e = fix(d.codes)
      if not ok then return nil, e end
    end
    return true
  end
  local ok, ferr = fix(draft.codes)
  if not ok then return nil, ferr end
  for _, w in ipairs(draft.warnings or {}) do
    warnings[#warnings + 1] = format("%s:%d: %s", label, w.line, w.text)
  end
  draft.warnings = nil
  local cb, berr = codebook_mod.build(draft, label)
  if not cb then return nil, berr end
  return cb
end

local function parse_project(text, archive, label)
  local project = { sources = {}, cases = {}, users = {}, variables = {}, warnings = {} }
  local warnings = project.warnings
  local users_by, vars_by, codes_by = {}, {}, {}
  local problem
  local parser
  local stack = {}          -- local names of open elements
  local skip = nil          -- depth at which a skipped subtree started
  local cb_start            -- {byte, line} of <CodeBook>
  local last_rank = 0
  local src, sel, coding, vv, case, buf  -- current objects
  local skipped_notes = {}

  local function fail(line, fmt_, ...)
    if not problem then problem = format("%s:%d: " .. fmt_, label, line, ...) end
    parser:stop()
  end
  local function refuse()
    local line = parser:pos()
    fail(line, "DOCTYPE and entity declarations are not allowed")
  end
  local function user_name(g)
    local u = g and users_by[norm_guid(g) or ""]
    return u and (u.name or u.id or u.guid) or g
  end

  -- Checks at the end of a TextSource: text, ranges, byte positions.
  local function finish_source(s)
    local stext = s.text or ""
    local n = ulen(stext)
    local positions = {}
    for _, x in ipairs(s.selections) do
      if x.start > x.stop then
        return fail(x.line, "selection %s: startPosition %d is after endPosition %d", x.guid, x.start, x.stop)
      end
      if x.stop > n then
        return fail(x.line, "selection %s: endPosition %d is past the end of source '%s' (%d code points)",
          x.guid, x.stop, s.name or s.guid, n)
      end
      positions[#positions + 1] = x.start
      positions[#positions + 1] = x.stop
    end
    local at = byte_positions(stext, positions)
    for _, x in ipairs(s.selections) do
      x.byte_start, x.byte_stop = at[x.start], at[x.stop] - 1
      x.text = sub(stext, x.byte_start, x.byte_stop)
    end
  end

  local function load_text(s, line, where)
    local name = match(where, "^internal://(.*)$")
    if not name then
      warnings[#warnings + 1] = format("%s:%d: source '%s' skipped: plain text at '%s' "
        .. "(only internal:// sources are read)", label, line, s.name or s.guid, where)
      return false
    end
    if name == "" or find(name, "[/\\]") or name == ".." or name == "." then
      fail(line, "source '%s': bad internal path '%s'", s.name or s.guid, where)
      return nil
    end
    local data, err = archive.source(name)
    if not data then
      fail(line, "source '%s': %s", s.name or s.guid,
        err and tostring(err) or format("internal file 'sources/%s' is missing", name))
      return nil
    end
    if sub(data, 1, 3) == "\239\187\191" then data = sub(data, 4) end
    local ok, bad = ulen(data)
    if not ok then
      fail(line, "source '%s': sources/%s is not valid UTF-8 (byte %d)", s.name or s.guid, name, bad)
      return nil
    end
    s.text = data
    return true
  end

  local callbacks = {
    StartDoctypeDecl = refuse, EntityDecl = refuse, UnparsedEntityDecl = refuse,
    NotationDecl = refuse, ExternalEntityRef = refuse,
    StartElement = function(p, tag, attr)
      if problem then return end
      local line = p:pos()
      local ns, el = match(tag, "^(.-)" .. SEP .. "(.*)$")
      if not ns then ns, el = "", tag end
      local depth = #stack
      stack[depth + 1] = el
      if depth == 0 then
        if el ~= "Project" or ns ~= M.NS then
          return fail(line, 'root element is not <Project xmlns="%s">', M.NS)
        end
        if not attr.name then return fail(line, "<Project> without a name") end
        project.name, project.origin = attr.name, attr.origin
        project.creation = attr.creationDateTime
        return
      end
      if ns ~= M.NS then return end
      for _, a in ipairs(GUID_ATTRS) do
        local v = attr[a]
        if v ~= nil and not norm_guid(v) then
          return fail(line, "<%s> %s: bad GUID '%s'", el, a, v)
        end
      end
      if cb_start and el == "Code" then
        local v = attr.isCodable
        if v ~= "true" and v ~= "false" and v ~= "1" and v ~= "0" then
          return fail(line, "code '%s': isCodable must be true or false, got '%s'", tostring(attr.name), tostring(v))
        end
      end
      if skip or cb_start then return end
      local parent = stack[depth]
      if depth == 1 then
        local r = RANK[el]
        if not r then return fail(line, "unexpected element <%s> in <Project>", el) end
        if r < last_rank then
          return fail(line, "<%s> comes after <%s>; the order is %s", el, ORDER[last_rank], concat(ORDER, ", ", 1, 10))
        end
        last_rank = r
        if el == "CodeBook" then
          cb_start = { byte = select(3, p:pos()), line = line }
        elseif el == "Notes" or el == "Links" or el == "Sets" or el == "Graphs" then
          skipped_notes[#skipped_notes + 1] = format("%s:%d: <%s> skipped", label, line, el)
          skip = depth + 1
        elseif el == "Description" then
          buf = {}
        end
        return
      end
      if el == "User" and parent == "Users" then
        if not attr.guid then return fail(line, "<User> without a guid") end
        local u = { guid = attr.guid, name = attr.name, id = attr.id }
        project.users[#project.users + 1] = u
        users_by[norm_guid(attr.guid)] = u
      elseif el == "Variable" and parent == "Variables" then
        if not attr.guid or not attr.name then return fail(line, "<Variable> without a guid or name") end
        if not VAR_TYPES[attr.typeOfVariable or ""] then
          return fail(line, "variable '%s': typeOfVariable '%s' is not one of "
            .. "Text, Boolean, Integer, Float, Date, DateTime", attr.name, tostring(attr.typeOfVariable))
        end
        local v = { guid = attr.guid, name = attr.name, type = attr.typeOfVariable }
        project.variables[#project.variables + 1] = v
        vars_by[norm_guid(attr.guid)] = v
      elseif el == "Case" and parent == "Cases" then
        if not attr.guid then return fail(line, "<Case> without a guid") end
        case = { guid = attr.guid, name = attr.name, variables = {}, sources = {}, codes = {}, line = line }
        project.cases[#project.cases + 1] = case
      elseif el == "TextSource" and parent == "Sources" then
        if not attr.guid then return fail(line, "<TextSource> without a guid") end
        src = { guid = attr.guid, name = attr.name, selections = {}, codings = {}, variables = {}, line = line,
                user = user_name(attr.creatingUser) }
        if attr.plainTextPath then
          local ok = load_text(src, line, attr.plainTextPath)
          if ok == false then src = nil; skip = depth + 1; return end
          if ok == nil then return end
        end
        project.sources[#project.sources + 1] = src
      elseif SKIPPED_SOURCES[el] and parent == "Sources" then
        warnings[#warnings + 1] = format("%s:%d: <%s> '%s' skipped (only text sources are read)", label, line, el,
          tostring(attr.name or attr.guid))
        skip = depth + 1
      elseif el == "PlainTextContent" and src then
        buf = {}
      elseif el == "PlainTextSelection" and src then
        if not attr.guid then return fail(line, "<PlainTextSelection> without a guid") end
        local a, b = attr.startPosition, attr.endPosition
        if not (a and match(a, "^%s*%d+%s*$")) or not (b and match(b, "^%s*%d+%s*$")) then
          return fail(line, "selection %s: startPosition and endPosition must be whole numbers >= 0, got '%s' and '%s'",
            attr.guid, tostring(a), tostring(b))
        end
        sel = { guid = attr.guid, name = attr.name, start = tonumber(a), stop = tonumber(b),
                user = user_name(attr.creatingUser), codes = {}, codings = {}, line = line }
        src.selections[#src.selections + 1] = sel
      elseif el == "Coding" and src then
        if not attr.guid then return fail(line, "<Coding> without a guid") end
        coding = { guid = attr.guid, user = user_name(attr.creatingUser) }
      elseif el == "CodeRef" and (coding or case) then
        local target = attr.targetGUID
        if not target then return fail(line, "<CodeRef> without a targetGUID") end
        local path = codes_by[norm_guid(target)]
        if not path then return fail(line, "<CodeRef> names an unknown code %s", target) end
        if coding then
          local owner = sel or src
          coding.code = path
          owner.codings[#owner.codings + 1] = coding
          if sel then sel.codes[#sel.codes + 1] = path end
        else
          case.codes[#case.codes + 1] = path
        end
      elseif el == "VariableValue" then
        vv = { line = line }
      elseif el == "VariableRef" and vv then
        local v = attr.targetGUID and vars_by[norm_guid(attr.targetGUID)]
        if not v then return fail(line, "<VariableRef> names an unknown variable %s", tostring(attr.targetGUID)) end
        vv.var = v
      elseif VALUE_ELEMENTS[el] and vv then
        buf = {}
      elseif el == "SourceRef" and case then
        case.sources[#case.sources + 1] = attr.targetGUID
      elseif el == "Description" and (sel or src or case) then
        buf = {}
      end
    end,
    CharacterData = function(_, s)
      if buf then buf[#buf + 1] = s end
    end,
    EndElement = function(p, tag)
      if problem then return end
      local depth = #stack
      stack[depth] = nil
      local ns, el = match(tag, "^(.-)" .. SEP .. "(.*)$")
      if not ns then el = tag end
      if skip then
        if depth == skip then skip = nil end
        return
      end
      if cb_start then
        if depth == 2 and el == "CodeBook" then
          local at = select(3, p:pos())
          local close = find(text, ">", at, true)
          local cb, err = read_codebook(text, cb_start.byte, close, cb_start.line, label, warnings)
          if not cb then problem = err; return p:stop() end
          project.codebook = cb
          for code in cb:codes() do codes_by[norm_guid(code.guid)] = code.path end
          cb_start = nil
        end
        return
      end
      if ns ~= M.NS and depth > 1 then return end
      if el == "Description" and buf then
        local owner = depth == 2 and project or sel or src or case
        if owner then owner.description = concat(buf) end
        buf = nil
      elseif el == "PlainTextContent" and src and buf then
        if src.text then
          return fail(p:pos(), "source '%s' has both plainTextPath and PlainTextContent", src.name or src.guid)
        end
        src.text = concat(buf)
        buf = nil
      elseif VALUE_ELEMENTS[el] and vv and buf then
        vv.value, vv.kind = concat(buf), el
        buf = nil
      elseif el == "VariableValue" and vv then
        local owner = src or case
        if owner and vv.var then owner.variables[vv.var.name] = vv.value end
        vv = nil
      elseif el == "Coding" then coding = nil
      elseif el == "PlainTextSelection" then sel = nil
      elseif el == "TextSource" and src then
        finish_source(src)
        src = nil
      elseif el == "Case" then case = nil
      end
    end,
  }
  parser = lxp.new(callbacks, SEP)
  local ok, msg, line = parser:parse(text)
  if ok and not problem then ok, msg, line = parser:parse() end
  pcall(parser.close, parser)
  if problem then return nil, problem end
  if not ok then return nil, format("%s:%d: XML: %s", label, line or 1, tostring(msg)) end
  if not project.codebook then
    project.codebook = assert(codebook_mod.build({ codes = {}, format = "qdc" }, label))
  end
  for _, w in ipairs(skipped_notes) do warnings[#warnings + 1] = w end
  return project
end

--- Import a REFI-QDA project: a `.qdpx` zip, a bare `.qde` (its sources
-- in `sources/` beside it) or a folder holding `project.qde` and `sources/`.
-- Text sources are read (plainTextPath `internal://` or PlainTextContent);
-- picture, PDF, audio and video sources, notes, links, sets and graphs are
-- skipped with a warning in `project.warnings`.
-- @tparam string path
-- @tparam[opt] table opts `max_bytes`: limit on one zip entry
--   (default `refiqda.max_bytes`, 256 MiB)
-- @treturn table|nil `{name=, origin=, codebook=, sources={...},
--   cases={...}, users={...}, variables={...}, warnings={...}}`; a source is
--   `{guid=, name=, text=, variables={name=value}, codings={...},
--   selections={ {guid=, name=, start=, stop=, byte_start=, byte_stop=,
--   text=, codes={paths}, codings={ {guid=, code=, user=} }, user=} }}`,
--   `start`/`stop` in code points (0-based, end exclusive), `byte_start`
--   and `byte_stop` 1-based inclusive into `text`; a case is `{guid=,
--   name=, variables={name=value}, sources={guids}, codes={paths}}`; a user
--   `{guid=, name=, id=}`
-- @treturn string `"file.qdpx: project.qde:LINE: what is wrong"` when nil
function M.import(path, opts)
  if type(path) ~= "string" then
    error(format("bad argument #1 to 'import' (string expected, got %s)", type(path)), 2)
  end
  opts = opts or {}
  local archive, err = open_archive(path, opts.max_bytes or M.max_bytes)
  if not archive then return nil, err end
  local text, rerr = archive.qde()
  if not text then return nil, rerr or (archive.label .. ": cannot be read") end
  if sub(text, 1, 3) == "\239\187\191" then text = sub(text, 4) end
  return parse_project(text, archive, archive.label)
end

---------------------------------------------------------------------------
-- Codings in long form (for thematic.analysis.agreement)
---------------------------------------------------------------------------

local function sorted_set(set)
  local out = {}
  for k in pairs(set) do out[#out + 1] = k end
  sort(out)
  return out
end

--- The unit id of a corpus segment: `"doc-id:start-stop"` (bytes).
-- @tparam table seg a corpus segment
-- @treturn string
function M.unit_id(seg)
  return format("%s:%d-%d", seg.document, seg.start, seg.stop)
end

-- Units of one source: array of {id=, start=, stop=} (bytes, sorted).
local function line_units(s)
  local out, n, pos = {}, 0, 1
  local text = s.text or ""
  while pos <= #text do
    local e = find(text, "\n", pos, true) or (#text + 1)
    n = n + 1
    local stop = e - 1
    if sub(text, stop, stop) == "\r" then stop = stop - 1 end
    if find(sub(text, pos, stop), "%S") then
      out[#out + 1] = { id = format("%s:%d", s.name or s.guid, n), start = pos, stop = stop }
    end
    pos = e + 1
  end
  return out
end

--- A project's codings as long-form rows `{unit=, coder=, value=}` for
-- `thematic.analysis.agreement.compute` / `per_code`: one row per unit and
-- coder, `value` = the sorted array of code paths the coder applied
-- there (empty when none). A coder (the user who made a coding; else the
-- selection's user; else "unknown") gets rows only for the sources in which
-- they coded something. A selection counts for every unit it overlaps.
-- @tparam table project from `import`
-- @tparam[opt] table opts `corpus`: units are the segments of the corpus
--   document whose `text` equals the source's text (ids from `unit_id`, as
--   in `coded_rows`); otherwise `unit` = `"line"` (default: each non-blank
--   line of each source) or `"selection"` (each distinct selection range,
--   `"name[start,stop)"` in code points)
-- @treturn table rows
-- @treturn table names of the sources matching no corpus document
function M.codings(project, opts)
  if type(project) ~= "table" or type(project.sources) ~= "table" then
    error("bad argument #1 to 'codings' (project expected)", 2)
  end
  opts = opts or {}
  local unit = opts.unit or "line"
  if unit ~= "line" and unit ~= "selection" then
    error(format("bad argument #2 to 'codings' (unit must be 'line' or 'selection', got '%s')", tostring(unit)), 2)
  end
  local docs_by_text = {}
  if opts.corpus then
    for _, d in ipairs(opts.corpus.documents) do
      if docs_by_text[d.text] == nil then docs_by_text[d.text] = d end
    end
  end
  local rows, unmatched = {}, {}
  for _, s in ipairs(project.sources) do
    local units
    if opts.corpus then
      local d = docs_by_text[s.text or ""]
      if not d then
        unmatched[#unmatched + 1] = s.name or s.guid
      else
        units = {}
        for _, seg in ipairs(d.segments) do
          units[#units + 1] = { id = M.unit_id(seg), start = seg.start, stop = seg.stop }
        end
        sort(units, function(a, b) return a.start < b.start end)
      end
    elseif unit == "line" then
      units = line_units(s)
    else
      units = {}
      local seen = {}
      for _, x in ipairs(s.selections) do
        local id = format("%s[%d,%d)", s.name or s.guid, x.start, x.stop)
        if not seen[id] then
          seen[id] = true
          units[#units + 1] = { id = id, start = x.byte_start, stop = x.byte_stop, exact = x }
        end
      end
    end
    if units then
      local coders, sets = {}, {}   -- sets[coder][unit index] = {path=true}
      local function mark(coder, i, path)
        coders[coder] = true
        local by = sets[coder] or {}
        sets[coder] = by
        by[i] = by[i] or {}
        by[i][path] = true
      end
      local whole = { start = 1, stop = #(s.text or "") }
      local items = {}
      for _, x in ipairs(s.selections) do items[#items + 1] = x end
      if #s.codings > 0 then whole.codings = s.codings; items[#items + 1] = whole end
      for _, x in ipairs(items) do
        for _, cd in ipairs(x.codings) do
          local coder = cd.user or x.user or s.user or "unknown"
          coders[coder] = true
          if unit == "selection" and not opts.corpus then
            for i, u in ipairs(units) do
              if u.exact == x then mark(coder, i, cd.code) end
            end
          else
            local bs, be = x.byte_start or x.start, x.byte_stop or x.stop
            -- first unit ending at or after bs (units are sorted and disjoint)
            local lo, hi = 1, #units + 1
            while lo < hi do
              local mid = (lo + hi) // 2
              if units[mid].stop < bs then lo = mid + 1 else hi = mid end
            end
            for i = lo, #units do
              if units[i].start > be then break end
              if be >= bs then mark(coder, i, cd.code) end
            end
          end
        end
      end
      for _, coder in ipairs(sorted_set(coders)) do
        local by = sets[coder] or {}
        for i, u in ipairs(units) do
          rows[#rows + 1] = { unit = u.id, coder = coder, value = sorted_set(by[i] or {}) }
        end
      end
    end
  end
  return rows, unmatched
end

--- thematic's own coding in the same long form: one row per coded
-- segment, `coder` = `"thematic"` (or `opts.coder`), `value` = the sorted
-- code paths with non-negated hits in the segment (empty when none), unit
-- ids from `unit_id`, so rows from `codings(project, {corpus = ...})`
-- on the same corpus pair up segment by segment.
-- @tparam table coded from `thematic.coding.code`
-- @tparam[opt] table opts `coder`
-- @treturn table rows
function M.coded_rows(coded, opts)
  if type(coded) ~= "table" or type(coded.segments) ~= "table" then
    error("bad argument #1 to 'coded_rows' (coded corpus expected)", 2)
  end
  local coder = opts and opts.coder or "thematic"
  local rows = {}
  for _, e in ipairs(coded.segments) do
    rows[#rows + 1] = { unit = M.unit_id(e.segment), coder = coder, value = sorted_set(e.codes) }
  end
  return rows
end

return M
