--- Corpora: files → documents → segments, with speakers joined to people.
--
-- `load` reads files or folders (searched recursively) of transcripts
-- (.txt .md .vtt .srt .docx, .csv turn tables) and abstracts (.ris .nbib
-- .medline.txt .bib, .csv with an `abstract` column). A folder's
-- `participants.csv` and `manifest.csv` are used automatically.
--
-- Spans: `doc.text` is the document's decoded UTF-8 text. For .txt/.md it
-- is the file itself (BOM removed, original line ends kept); for .docx the
-- paragraphs joined with `\n`; for .vtt/.srt/.csv the turns rendered as
-- `Speaker: text` lines; for abstracts the abstract. Every `start`/`stop`
-- and every `marks` range is a 1-based inclusive byte offset into
-- `doc.text`, so `doc.text:sub(seg.start, seg.stop) == seg.text`.
--
-- @module thematic.corpus
-- @usage
-- local corpus = require "thematic.corpus"
-- local c, errors = corpus.load("samples/transcripts", { level = "turn" })
-- for seg in c:segments{ profession = "pharmacist" } do
--   print(seg.document, seg.participant, seg.text)
-- end

local find, format, gsub, lower, match, sub = string.find, string.format, string.gsub,
  string.lower, string.match, string.sub
local sort, concat = table.sort, table.concat

local lfs = require "lfs"
local list_dir = require("thematic.core").list_dir
local encoding = require "thematic.readers.encoding"
local csvparse = require "thematic.readers.csvparse"
local transcript = require "thematic.transcript"
local participants_mod = require "thematic.participants"
local abstracts = require "thematic.abstracts"

local M = {}
local Corpus = {}
Corpus.__index = Corpus

local LEVELS = { turn = true, paragraph = true, sentence = true }

-- extension → kind (".medline.txt" is checked before ".txt")
local EXTENSIONS = {
  txt = "txt", md = "md", markdown = "md", vtt = "vtt", srt = "srt", docx = "docx",
  csv = "csv", ris = "ris", nbib = "medline", bib = "bibtex",
}

local SPECIAL = { ["participants.csv"] = true, ["manifest.csv"] = true }

--- The reader kind for a path, or nil when the extension is not known.
-- @tparam string path
-- @treturn string|nil one of txt md vtt srt docx csv ris medline bibtex
function M.kind(path)
  local ext = match(path, "%.([^./]+)$")
  if not ext then return nil end
  ext = lower(ext)
  if ext == "txt" and lower(sub(path, -12)) == ".medline.txt" then return "medline" end
  return EXTENSIONS[ext]
end

local function basename(path) return match(path, "([^/]+)$") or path end
local function is_dir(path) return lfs.attributes(path, "mode") == "directory" end

local function walk(dir, out, errors)
  local entries, kinds = list_dir(dir)
  if not entries then
    errors[#errors + 1] = kinds   -- "dir: Permission denied"
    return
  end
  local names, kind_of = {}, {}
  for i, name in ipairs(entries) do
    if sub(name, 1, 1) ~= "." then
      names[#names + 1] = name
      kind_of[name] = kinds[i]
    end
  end
  sort(names)
  for _, name in ipairs(names) do
    local p = dir .. "/" .. name
    local k = kind_of[name]
    if k ~= "file" then
      -- Symbolic links to folders are not followed: a link back up the
      -- tree would make the walk endless.
      if k == "directory" then walk(p, out, errors) end
    else
      local l = lower(name)
      if M.kind(p) and not SPECIAL[l] and not find(l, "^readme") and not find(l, "^licen[cs]e") then
        out[#out + 1] = p
      end
    end
  end
end

local function strip_slash(p) return (gsub(p, "/+$", "")) end

-- "interviews" → "interview", "focus_groups" → "focus group"
local function folder_type(name)
  name = gsub(name, "[-_]+", " ")
  if find(name, "[^s]s$") then name = sub(name, 1, -2) end
  return lower(name)
end

--- Read one file into documents, by its extension.
-- @tparam string path
-- @tparam[opt] table opts `labels`, `known`; `stream_over` = a size in
--   bytes: a .txt or .md file bigger than this is not read, and `false,
--   size` come back instead (the caller may read it in parts)
-- @treturn table|nil|false array of documents (transcript formats give one;
--   abstract formats one per record): `{format=, text=, segments=, …}` or,
--   for abstracts, `{format=, record=}`
-- @treturn string|nil|integer message, or the size
function M.read_file(path, opts)
  opts = opts or {}
  local kind = M.kind(path)
  if not kind then return nil, format("%s: unknown file type", path) end
  if kind == "docx" then
    local doc, err = require("thematic.readers.docx").read(path, opts)
    return doc and { doc } or nil, err
  end
  local text, err = encoding.read_file(path, (kind == "txt" or kind == "md") and opts.stream_over or nil)
  if not text then return text, err end
  if kind == "txt" and require("thematic.readers.medline").sniff(text) then kind = "medline" end
  if kind == "txt" or kind == "md" then
    return { require("thematic.readers.text").parse(text, setmetatable({ format = kind }, { __index = opts })) }
  elseif kind == "vtt" or kind == "srt" then
    local doc, e = require("thematic.readers." .. kind).parse(text, path, opts)
    return doc and { doc } or nil, e
  elseif kind == "csv" then
    local rows, e = csvparse.parse(text, path)
    if not rows then return nil, e end
    local header = {}
    for i, h in ipairs(rows[1] or {}) do header[i] = lower(match(h, "^%s*(.-)%s*$")) end
    if require("thematic.readers.csv").is_turn_table(header) then
      local doc, e2 = require("thematic.readers.csv").parse(text, path)
      return doc and { doc } or nil, e2
    elseif require("thematic.readers.abstracts_csv").is_abstracts_table(header) then
      kind = "abstracts_csv"
    else
      return nil, format("%s:1: CSV is neither a turn table (speaker,text) nor an abstracts table (abstract)", path)
    end
  end
  local recs, e = require("thematic.readers." .. kind).parse(text, path)
  if not recs then return nil, e end
  local docs = {}
  for i, r in ipairs(recs) do
    docs[i] = { format = kind == "abstracts_csv" and "csv" or kind, record = r, index = i }
  end
  return docs
end

local line_ends = encoding.line_ends

-- Split a turn-level segment into paragraph or sentence segments.
local function split(seg, text, level)
  local spans = level == "sentence" and transcript.sentences(text, seg.start, seg.stop)
    or transcript.paragraphs(text, seg.start, seg.stop)
  if #spans <= 1 then return { seg } end
  local out = {}
  for _, sp in ipairs(spans) do
    local s = {}
    for k, v in pairs(seg) do s[k] = v end
    s.start, s.stop = sp[1], sp[2]
    s.text = sub(text, sp[1], sp[2])
    s.marks = transcript.marks(text, sp[1], sp[2])
    s.line = seg.line and seg.line + line_ends(sub(text, seg.start, sp[1] - 1)) or nil
    out[#out + 1] = s
  end
  return out
end

local function abstract_document(doc, id, path)
  local r = doc.record
  local text = r.abstract or ""
  local d = { id = id, path = path, format = doc.format, text = text,
              title = r.title, authors = r.authors or {}, year = r.year,
              journal = r.journal, doi = r.doi, pmid = r.pmid, line = r.line,
              sections = abstracts.sections(text), segments = {} }
  for _, s in ipairs(d.sections) do
    if s.stop >= s.start then
      d.segments[#d.segments + 1] = { start = s.start, stop = s.stop, text = s.text,
        section = s.kind, section_name = s.name, line = r.line, interviewer = false,
        marks = {} }
    end
  end
  return d
end

--- The files that `load` would read for `paths`, in the order it reads
-- them (folders searched recursively, names sorted; symbolic links to
-- folders not followed).
-- @tparam table paths files and folders
-- @treturn table array of `{path=, root=}`
-- @treturn table array of error messages (paths that do not exist)
-- @treturn string|nil a participants.csv found in a folder
-- @treturn string|nil a manifest.csv found in a folder
function M.files(paths)
  local files, errors, ppath, mpath = {}, {}, nil, nil
  for _, p in ipairs(paths) do
    p = strip_slash(p)
    if is_dir(p) then
      local found = {}
      walk(p, found, errors)
      for _, f in ipairs(found) do files[#files + 1] = { path = f, root = p } end
      if ppath == nil and lfs.attributes(p .. "/participants.csv") then ppath = p .. "/participants.csv" end
      if mpath == nil and lfs.attributes(p .. "/manifest.csv") then mpath = p .. "/manifest.csv" end
    elseif lfs.attributes(p) then
      files[#files + 1] = { path = p, root = match(p, "^(.*)/[^/]*$") or "." }
    else
      errors[#errors + 1] = format("%s: no such file or directory", p)
    end
  end
  -- A document's id is its path below the folder it was found in. Two
  -- folders given together (`count siteA siteB`) may each hold an
  -- interview-01.txt: those files are named by their whole path instead,
  -- so that neither counts as the other.
  local by_rel = {}
  for _, f in ipairs(files) do
    local rel = M.relative(f)
    by_rel[rel] = (by_rel[rel] or 0) + 1
  end
  for _, f in ipairs(files) do
    if by_rel[M.relative(f)] > 1 then f.id = f.path end
  end
  return files, errors, ppath, mpath
end

--- A found file's path below its root (what its document id is made of).
-- @tparam table f an entry of `files`
-- @treturn string
function M.relative(f)
  local rel = f.path
  if sub(rel, 1, #f.root + 1) == f.root .. "/" then rel = sub(rel, #f.root + 2) end
  return rel
end

--- Shard k of n of a file list: every n-th file from the k-th, so `--jobs`
-- workers (and machines) split a folder without agreeing on anything but
-- the sorted file list.
-- @tparam table files from `files`
-- @tparam integer k 1..n
-- @tparam integer n
-- @treturn table
function M.shard(files, k, n)
  local kept = {}
  for i, f in ipairs(files) do
    if (i - 1) % n == k - 1 then kept[#kept + 1] = f end
  end
  return kept
end

-- Files bigger than this are read in parts when the caller streams
-- (`opts.each`): a plain-text transcript of gigabytes then never has to fit
-- in memory at once.
M.STREAM_BYTES = 64 * 1024 * 1024
-- ... in parts of about this size.
M.PART_BYTES = 8 * 1024 * 1024

-- Can this file, a .txt or .md bigger than STREAM_BYTES, be read in parts?
-- Yes unless it is MEDLINE or UTF-16 (then it is read whole).
local function streams(path)
  local f = io.open(path, "rb")
  if not f then return false end
  local head = gsub(f:read(4096) or "", "^\239\187\191", "")
  f:close()
  if find(head, "^\255\254") or find(head, "^\254\255") then return false end
  return not require("thematic.readers.medline").sniff(head)
end

--- Load a corpus.
-- @tparam string|table paths a file, a folder, or an array of them
-- @tparam[opt] table opts `level` = `"turn"` (default), `"paragraph"` or
--   `"sentence"`; `participants` = path or table from
--   `thematic.participants.load`; `manifest` = path of a `file,…attrs`
--   CSV; `labels` = a Lua pattern or an array of speaker names (replaces the
--   default label rules); `shard` = `{k, n}`: every n-th file from the k-th;
--   `listed` = `{files=, errors=, participants=, manifest=}`, the four
--   results of `files(paths)` when the caller has them already (`count
--   --jobs` walks the folder once for every worker);
--   `progress` = function(i, n, path) called before each file; `each` =
--   function(document) called with each document as it is read, which is
--   then not kept in `documents` (streaming: memory holds one file at a
--   time; a .txt or .md file bigger than `STREAM_BYTES` comes in parts of
--   about `PART_BYTES`, documents with the same `id` and `part` = 1, 2, …,
--   see `thematic.readers.text.stream`); `compact` = true (with `each`, at
--   the turn level: for counting): a .txt or .md transcript read whole
--   comes without `segments`, with `compact` instead, the C parse of
--   `thematic.transcript.parse` with `compact`, its `speakers` (per label
--   candidate, a stand-in segment joined to its person) and `nobody` (the
--   stand-in for unlabelled text) — what `thematic.analysis.count`'s
--   `document_counter` reads; the C parse is closed when `each` returns
-- @treturn table|nil the corpus: `documents`, `ndocuments`, `participants`,
--   `warnings`, `files_listed` (the files found, before taking a `shard`)
-- @treturn table|string errors: an array of `"path:line: what is wrong"`
--   for files that failed (the others still load); a string when nothing
--   could be read at all
function M.load(paths, opts)
  if type(paths) == "string" then paths = { paths }
  elseif type(paths) ~= "table" then
    error(format("bad argument #1 to 'load' (string or table expected, got %s)", type(paths)), 2)
  end
  if #paths == 0 then error("bad argument #1 to 'load' (no paths given)", 2) end
  opts = opts or {}
  if type(opts) ~= "table" then
    error(format("bad argument #2 to 'load' (table expected, got %s)", type(opts)), 2)
  end
  local level = opts.level or "turn"
  if not LEVELS[level] then
    error(format("bad argument #2 to 'load' (level must be turn, paragraph or sentence, got '%s')",
      tostring(level)), 2)
  end
  local warnings = {}
  local files, errors, found_p, found_m
  if opts.listed then
    local l = opts.listed
    files, found_p, found_m = l.files, l.participants, l.manifest
    errors = { table.unpack(l.errors) }
  else
    files, errors, found_p, found_m = M.files(paths)
  end
  local ppath, mpath = opts.participants, opts.manifest
  if ppath == nil then ppath = found_p end
  if mpath == nil then mpath = found_m end
  local people
  if type(ppath) == "table" then
    people = ppath
  elseif ppath then
    local err
    people, err = participants_mod.load(ppath)
    if not people then return nil, err end
  end
  local manifest, mdir = nil, nil
  if mpath then
    local text, err = encoding.read_file(mpath)
    local recs
    if text then recs, err = csvparse.records(text, mpath) end
    if not recs then return nil, err end
    manifest, mdir = {}, match(mpath, "^(.*)/[^/]*$") or "."
    for i, r in ipairs(recs) do
      local f = gsub(gsub(r.file or "", "^%s*(.-)%s*$", "%1"), "^%./", "")
      if f == "" then return nil, format("%s:%d: empty file name", mpath, r.line) end
      local attrs = {}
      for _, h in ipairs(recs.header) do
        if h ~= "file" and h ~= "" and r[h] and find(r[h], "%S") then attrs[h] = match(r[h], "^%s*(.-)%s*$") end
      end
      manifest[f] = { attrs = attrs, line = r.line, index = i, used = false }
    end
  end
  -- compact: only for a caller that streams and counts (see `compact` above)
  local compact = opts.compact == true and opts.each ~= nil and level == "turn"
  local read_opts = { labels = opts.labels, known = participants_mod.known(people),
                      compact_text = compact or nil }
  local c = setmetatable({ documents = {}, ndocuments = 0, participants = people,
                           warnings = warnings, level = level, errors = errors }, Corpus)
  local unknown_seen = {}
  -- A file's row of the manifest, if it has one.
  local function manifest_row(f)
    local key = f.path
    if sub(key, 1, #mdir + 1) == mdir .. "/" then key = sub(key, #mdir + 2) end
    return manifest[key] or manifest[basename(f.path)]
  end
  -- Rows are checked against every file found, before sharding: a worker
  -- or machine that reads one shard must not take the other shards' rows
  -- for files missing from the study.
  if manifest then
    for _, f in ipairs(files) do
      local row = manifest_row(f)
      if row then row.used = true end
    end
  end
  -- An empty shard (more workers or machines than files) is not an error.
  local found_any = #files > 0
  -- what a shard's partial counts record, so that merge can tell a shard
  -- that had no files from a missing one
  c.files_listed = #files
  if opts.shard then files = M.shard(files, opts.shard[1], opts.shard[2]) end
  -- A document read: its segments split to the level asked for, and joined
  -- to the people who said them; then given to `each` or kept.
  local function deliver(doc, f)
    -- One attributes table per person and document, shared by their
    -- segments (read-only): a long transcript has millions of turns.
    local shared = {}
    local function attributes_for(row)
      local key = row or false
      local merged = shared[key]
      if not merged then
        merged = {}
        for k, v in pairs(doc.attributes) do merged[k] = v end
        if row then
          for k, v in pairs(row.attributes) do merged[k] = v end
        end
        shared[key] = merged
      end
      return merged
    end
    -- A segment (or a speaker's stand-in) joined to its document and person.
    local function join(s)
      s.document = doc.id
      local merged = attributes_for(nil)
      if s.speaker then
        local row = participants_mod.lookup(people, s.speaker)
        if row then
          s.participant = row.id
          merged = attributes_for(row)
          if participants_mod.is_interviewer(row) then
            s.interviewer, s.role = true, "interviewer"
          end
        elseif people and not s.interviewer then
          local k = transcript.normalize_label(s.speaker)
          if not unknown_seen[k] then
            unknown_seen[k] = true
            warnings[#warnings + 1] = format("%s:%s: speaker '%s' has no row in %s",
              f.path, tostring(s.line or "?"), s.speaker, people.path or "the participants file")
          end
        end
      end
      s.attributes = merged
    end
    if doc.compact then
      -- read compactly (opts.compact): each speaker is joined once, in the
      -- order of their first turn, as their first segment would be
      local speakers = doc.compact.speakers
      local order = {}
      for i in pairs(speakers) do order[#order + 1] = i end
      sort(order, function(a, b) return speakers[a].line < speakers[b].line end)
      for _, i in ipairs(order) do join(speakers[i]) end
      join(doc.compact.nobody)
    else
      local segs = {}
      for _, seg in ipairs(doc.segments) do
        for _, s in ipairs(level == "turn" and { seg } or split(seg, doc.text, level)) do
          segs[#segs + 1] = s
        end
      end
      for _, s in ipairs(segs) do join(s) end
      doc.segments = segs
    end
    -- the parts of a file read in parts are one document
    if (doc.part or 1) == 1 then c.ndocuments = c.ndocuments + 1 end
    if opts.each then
      opts.each(doc)   -- streaming: the caller keeps what it needs
      -- (the C parse of a compact document is freed now, not at the next
      -- collection: its memory goes to the next file)
      if doc.compact then doc.compact.core:close() end
    else
      c.documents[#c.documents + 1] = doc
    end
  end
  for fileno, f in ipairs(files) do
    if opts.progress then opts.progress(fileno, #files, f.path) end
    local rel = M.relative(f)
    local file_id = f.id or rel   -- (the whole path when two roots have this name)
    local attrs = {}
    local top = match(rel, "^([^/]+)/")
    if top then attrs.type = folder_type(top) end
    local row = manifest and manifest_row(f)
    local row_index = row and row.index
    if row then
      for k, v in pairs(row.attrs) do attrs[k] = v end
    end
    -- streaming, a big .txt or .md file is not read whole: false comes back
    read_opts.stream_over = opts.each and M.STREAM_BYTES or nil
    local docs, err = M.read_file(f.path, read_opts)
    if docs == false and streams(f.path) then
      local ok
      ok, err = require("thematic.readers.text").stream(f.path, read_opts, function(part)
        part.id, part.path, part.attributes, part.manifest_row = file_id, f.path, attrs, row_index
        deliver(part, f)
      end, M.PART_BYTES)
      docs = ok and {} or nil
    elseif docs == false then
      read_opts.stream_over = nil   -- MEDLINE or UTF-16: read whole
      docs, err = M.read_file(f.path, read_opts)
    end
    for i, d in ipairs(docs or {}) do
      local id = #docs > 1 and (file_id .. "#" .. i) or file_id
      local doc
      if d.record then
        doc = abstract_document(d, id, f.path)
        doc.attributes = {}
        for k, v in pairs(attrs) do doc.attributes[k] = v end
      else
        doc = d
        doc.id, doc.path, doc.attributes = id, f.path, attrs
      end
      doc.manifest_row = row_index
      deliver(doc, f)
    end
    if not docs then errors[#errors + 1] = err end
  end
  if manifest then
    local unused = {}
    for name, row in pairs(manifest) do
      if not row.used then unused[#unused + 1] = { name, row.line } end
    end
    sort(unused, function(a, b) return a[2] < b[2] end)
    for _, u in ipairs(unused) do
      warnings[#warnings + 1] = format("%s:%d: no file '%s' among the inputs", mpath, u[2], u[1])
    end
  end
  if c.ndocuments == 0 and #errors > 0 then
    return nil, concat(errors, "\n")
  end
  if c.ndocuments == 0 and not found_any then
    return nil, format("%s: no readable files found", concat(paths, ", "))
  end
  return c, errors
end

local SEG_FIELDS = { document = true, speaker = true, participant = true, section = true,
                     role = true, format = true }

--- Iterate segments.
-- @tparam[opt] table|function filter a table of `name = value` (value may
--   be an array of accepted values) matched against the segment's
--   `document`, `speaker`, `participant`, `section`, `role` or else its
--   `attributes`; or a function(segment) → boolean. Interviewer turns are
--   left out unless `filter.interviewer == true` or `filter.include_interviewer`
--   (or, with a function filter, `include_interviewer` is true).
-- @tparam[opt] boolean include_interviewer for a function filter
-- @treturn function iterator over segments
-- @usage for seg in c:segments{ group = "pharmacy", type = "interview" } do … end
function Corpus:segments(filter, include_interviewer)
  local ft = type(filter)
  if filter ~= nil and ft ~= "table" and ft ~= "function" then
    error(format("bad argument #1 to 'segments' (table or function expected, got %s)", ft), 2)
  end
  local incl = include_interviewer == true
  if ft == "table" then incl = filter.interviewer == true or filter.include_interviewer == true end
  local function ok(seg)
    if seg.interviewer and not incl then return false end
    if ft == "function" then return filter(seg) and true or false end
    if ft == "table" then
      for k, want in pairs(filter) do
        if k ~= "interviewer" and k ~= "include_interviewer" then
          local have
          if SEG_FIELDS[k] then have = seg[k] else have = seg.attributes and seg.attributes[k] end
          if type(want) == "table" then
            local any = false
            for _, w in ipairs(want) do if have == w then any = true; break end end
            if not any then return false end
          elseif have ~= want then
            return false
          end
        end
      end
    end
    return true
  end
  local di, si = 1, 0
  local docs = self.documents
  return function()
    while docs[di] do
      local segs = docs[di].segments
      si = si + 1
      local seg = segs[si]
      if not seg then
        di, si = di + 1, 0
      elseif ok(seg) then
        return seg
      end
    end
    return nil
  end
end

--- A document by id.
-- @tparam string id
-- @treturn table|nil
function Corpus:document(id)
  for _, d in ipairs(self.documents) do if d.id == id then return d end end
  return nil
end

return M
