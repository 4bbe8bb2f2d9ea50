local refiqda = require "thematic.refiqda"
local corpus = require "thematic.corpus"
local codebook = require "thematic.codebook"
local coding = require "thematic.coding"
local agreement = require "thematic.analysis.agreement"

local FIX = "spec/fixtures/refiqda"
local XSD = FIX .. "/Project-mrt2019.xsd"
local SHARED = "/work/shared/spec-data/refi-qda/examples"
local DATE = "2024-05-01T09:00:00Z"

-- export and import need both C modules: thematic.zip for the archive
local has_core = pcall(require, "thematic.core") and pcall(require, "thematic.zip")

local H = dofile("spec/helper.lua")
local read = H.slurp

local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() return true end
  return false
end

local function tmpname(ext)
  local p = os.tmpname()
  os.remove(p)
  return p .. ext
end

-- xmllint's verdict on a project.qde text: true, or false and its output.
local function validates(xml)
  local p = tmpname(".qde")
  local f = assert(io.open(p, "wb"))
  f:write(xml)
  f:close()
  local h = io.popen("xmllint --noout --schema " .. XSD .. " " .. p .. " 2>&1")
  local out = h:read("a")
  local ok = h:close()
  os.remove(p)
  return ok == true, out
end

local function study()
  local c = assert(corpus.load(FIX .. "/study"))
  local cb = assert(codebook.new{ name = "mini", codes = {
    { name = "barriers", definition = "What got in the way", codes = {
      { name = "login", valence = "barrier", definition = "Passwords & log-ins <resets>",
        patterns = { "password*", "log in" } },
      { name = "connectivity", valence = "barrier", patterns = { "wi-fi", "bluetooth", "connection" } } } },
    { name = "facilitators", codes = {
      { name = "support", valence = "facilitator", color = "#123456", patterns = { "nurse", "help*" } } } } } })
  return coding.code(c, cb), c, cb
end

local function doc_by_id(c, id)
  for _, d in ipairs(c.documents) do if d.id == id then return d end end
end

local function source_named(p, name)
  for _, s in ipairs(p.sources) do if s.name == name then return s end end
end

-- A .qdpx from entries; returns its path (removed when the file's specs end).
local made = {}
teardown(function()
  for _, p in ipairs(made) do os.remove(p) end
end)

local function make_qdpx(entries)
  local zip = require "thematic.zip"
  local p = tmpname(".qdpx")
  assert(zip.write(p, entries))
  made[#made + 1] = p
  return p
end

local MINIMAL = FIX .. "/examples/minimal-project"
local SRC = "7b0f3c1e-2a4d-4c1b-9f3e-5d6a7b8c9d01.txt"

-- The minimal example project with a change, as a .qdpx.
local function minimal_with(from, to, with_source)
  local qde = read(MINIMAL .. "/project.qde")
  local changed, n = qde:gsub(from, to, 1)
  assert(n == 1, "pattern not found: " .. from)
  local entries = { { name = "project.qde", data = changed } }
  if with_source ~= false then
    entries[2] = { name = "sources/" .. SRC, data = read(MINIMAL .. "/sources/" .. SRC) }
  end
  return make_qdpx(entries)
end

describe("thematic.refiqda", function()

  describe("code_points()", function()
    it("counts code points before byte offsets in one pass", function()
      local text = "café — 😫 ok"
      local cps = refiqda.code_points(text, { 0, 3, 5, #text, 9, 14 })
      assert.same({ [0] = 0, [3] = 3, [5] = 4, [9] = 6, [14] = 8, [#text] = 11 }, cps)
    end)

    it("reports an offset inside a character", function()
      local ok, off = refiqda.code_points("café", { 4 })
      assert.is_nil(ok)
      assert.equal(4, off)
    end)
  end)

  describe("guid()", function()
    it("gives the same schema-valid GUID for the same seed", function()
      local g = refiqda.guid("source\0interviews/p01.txt")
      assert.equal(g, refiqda.guid("source\0interviews/p01.txt"))
      assert.not_equal(g, refiqda.guid("source\0interviews/p02.txt"))
      assert.truthy(g:match("^%x+%-%x+%-4%x+%-[89ab]%x+%-%x+$"))
      assert.equal(g, refiqda.norm_guid("{" .. g:upper() .. "}"))
    end)
  end)

  describe("export()", function()
    if not has_core then
      pending("thematic.core and thematic.zip are not built (run make)")
      return
    end
    local coded, c = study()

    it("writes a .qdpx whose project.qde validates against the schema", function()
      local out = tmpname(".qdpx")
      assert.same({ true, {} }, { refiqda.export(coded, out, { date = DATE }) })
      local zip = require "thematic.zip"
      local names = zip.list(out)
      table.sort(names)
      assert.equal("project.qde", names[1])
      assert.equal(4, #names)
      local ok, msg = validates(zip.read(out, "project.qde"))
      assert.is_true(ok, msg)
      os.remove(out)
    end)

    it("validates with one selection per coded segment too", function()
      local xml = refiqda.project_xml(coded, { unit = "segment", date = DATE })
      local ok, msg = validates(xml)
      assert.is_true(ok, msg)
      local coded_segments = 0
      for _, e in ipairs(coded.segments) do
        if next(e.codes) then coded_segments = coded_segments + 1 end
      end
      local _, n = xml:gsub("<PlainTextSelection ", "")
      assert.equal(coded_segments, n)
      assert.is_true(n > 0)
    end)

    it("counts positions in code points from 0, end exclusive (accents, em dash, emoji, CRLF)", function()
      local xml = refiqda.project_xml(coded, { date = DATE })
      -- computed independently (Python str indices) for interviews/p01.txt
      assert.truthy(xml:find('name="password" startPosition="93" endPosition="101"', 1, true))
      assert.truthy(xml:find('name="Wi-Fi" startPosition="131" endPosition="136"', 1, true))
      assert.truthy(xml:find('name="help" startPosition="104" endPosition="108"', 1, true))
    end)

    it("stores each document's text byte for byte, CRLF kept", function()
      local _, files = refiqda.project_xml(coded, { date = DATE })
      local p01 = doc_by_id(c, "interviews/p01.txt")
      local g = refiqda.guid("source\0interviews/p01.txt")
      local found
      for _, f in ipairs(files) do if f.name == "sources/" .. g .. ".txt" then found = f.data end end
      assert.equal(p01.text, found)
      assert.truthy(found:find("\r\n", 1, true))
    end)

    it("is reproducible", function()
      assert.equal(refiqda.project_xml(coded, { date = DATE }), refiqda.project_xml(coded, { date = DATE }))
    end)

    it("writes themes as non-codable parents, valence colours, escaped definitions", function()
      local xml = refiqda.project_xml(coded, { date = DATE })
      assert.truthy(xml:find('name="barriers" isCodable="false"', 1, true))
      assert.truthy(xml:find('name="login" isCodable="true" color="#D1495B"', 1, true))
      assert.truthy(xml:find('name="support" isCodable="true" color="#123456"', 1, true))
      assert.truthy(xml:find("Passwords &amp; log-ins &lt;resets&gt;", 1, true))
      assert.truthy(xml:find("practice nurse &quot;senior&quot;", 1, true) == nil)
      assert.truthy(xml:find('<TextValue>practice nurse "senior" &amp; &lt;lead&gt;</TextValue>', 1, true))
    end)

    it("makes one case per participant, interviewers left out", function()
      local xml = refiqda.project_xml(coded, { date = DATE })
      local names = {}
      for n in xml:gmatch('<Case guid="[^"]+" name="([^"]+)"') do names[#names + 1] = n end
      assert.same({ "N4", "P01", "P02" }, names)
    end)

    it("leaves negated hits out", function()
      -- p02: "It wasn't: the Bluetooth connection failed" is negated
      local xml = refiqda.project_xml(coded, { date = DATE })
      assert.falsy(xml:find('name="Bluetooth"', 1, true))
      local neg = 0
      for _, e in ipairs(coded.segments) do
        for _ in pairs(e.negated) do neg = neg + 1 end
      end
      assert.is_true(neg > 0)
    end)

    it("replaces characters XML forbids in names and says so", function()
      local c2 = assert(corpus.load(FIX .. "/study"))
      local cb = assert(codebook.new{ name = "bad\1name", codes = { { name = "t", patterns = { "nurse" } } } })
      local out = tmpname(".qdpx")
      local ok, warnings = refiqda.export(coding.code(c2, cb), out, { date = DATE })
      assert.is_true(ok)
      assert.same({ "project name: 1 character(s) not allowed in XML replaced by U+FFFD",
                    "codebook name: 1 character(s) not allowed in XML replaced by U+FFFD" }, warnings)
      local xml = require("thematic.zip").read(out, "project.qde")
      assert.truthy(xml:find('name="bad\239\191\189name"', 1, true))
      os.remove(out)
    end)

    it("says when thematic.zip is not built, and writes nothing", function()
      local out = tmpname(".qdpx")
      assert.same({ nil, "thematic.zip is not available: run 'make' first" },
        { H.without_module("thematic.zip", function() return refiqda.export(coded, out) end) })
      assert.is_nil(io.open(out))
    end)

    it("leaves no temporary file when the folder does not exist", function()
      local ok, err = refiqda.export(coded, "/nonexistent-dir/x.qdpx")
      assert.is_nil(ok)
      assert.truthy(err:find("^/nonexistent%-dir/x%.qdpx: "))
    end)

    it("raises on a programming mistake", function()
      assert.has_error(function() refiqda.export({}, "x.qdpx") end,
        "bad argument #1 to 'export' (coded corpus expected)")
      assert.has_error(function() refiqda.export(coded, 3) end,
        "bad argument #2 to 'export' (string expected, got number)")
      assert.has_error(function() refiqda.export(coded, "x.qdpx", { unit = "word" }) end,
        "bad argument #3 to 'export' (unit must be 'hit' or 'segment', got 'word')")
    end)
  end)

  describe("import()", function()
    if not has_core then
      pending("thematic.core and thematic.zip are not built (run make)")
      return
    end

    it("says when thematic.zip is not built", function()
      local qdpx = FIX .. "/examples/minimal-project.qdpx"
      assert.same({ nil, "thematic.zip is not available: run 'make' first" },
        { H.without_module("thematic.zip", function() return refiqda.import(qdpx) end) })
    end)

    it("gives back the exported codes, sources, cases and selections", function()
      local coded, c, cb = study()
      local out = tmpname(".qdpx")
      assert(refiqda.export(coded, out, { date = DATE }))
      local p = assert(refiqda.import(out))
      os.remove(out)
      assert.equal("mini", p.name)
      assert.equal("thematic " .. require("thematic.core")._VERSION, p.origin)
      -- codes
      local want, got = {}, {}
      for code in cb:codes() do want[#want + 1] = { code.path, code.definition, code.valence, #code.patterns } end
      for code in p.codebook:codes() do got[#got + 1] = { code.path, code.definition, code.valence, #code.patterns } end
      assert.same(want, got)
      -- sources: same names and texts
      assert.equal(#c.documents, #p.sources)
      for _, d in ipairs(c.documents) do assert.equal(d.text, source_named(p, d.id).text) end
      -- selections: every exported hit span comes back with its code
      local expect = {}
      for _, e in ipairs(coded.segments) do
        for _, h in ipairs(e.hits) do
          if not (h.negated and not h.from) then
            expect[#expect + 1] = table.concat({ e.segment.document, h.start, h.stop, h.code_path }, " ")
          end
        end
      end
      local back = {}
      for _, s in ipairs(p.sources) do
        for _, x in ipairs(s.selections) do
          for _, code in ipairs(x.codes) do
            back[#back + 1] = table.concat({ s.name, x.byte_start, x.byte_stop, code }, " ")
          end
          assert.equal(s.text:sub(x.byte_start, x.byte_stop), x.text)
          assert.equal("thematic", x.user)
        end
      end
      table.sort(expect)
      table.sort(back)
      assert.same(expect, back)
      -- cases
      local cases = {}
      for _, k in ipairs(p.cases) do cases[k.name] = k end
      assert.same({ group = "nursing", profession = 'practice nurse "senior" & <lead>', role = "participant" },
        cases.N4.variables)
      assert.same({ refiqda.guid("source\0focus-groups/fg1.txt") }, cases.N4.sources)
      assert.same({ type = "interview" }, source_named(p, "interviews/p01.txt").variables)
    end)

    it("reads the hand-written example project (code points, inline text, users, variables)", function()
      local p = assert(refiqda.import(FIX .. "/examples/minimal-project.qdpx"))
      assert.equal("Digital diabetes tools - pilot", p.name)
      assert.same({ "Coder A", "Coder B" }, { p.users[1].name, p.users[2].name })
      local paths = {}
      for code in p.codebook:codes() do paths[#paths + 1] = code.path end
      assert.same({ "Barriers", "Barriers/Access and log-in", "Barriers/Connectivity" }, paths)
      local s = p.sources[1]
      local x = s.selections[2]
      -- bytes 1-based inclusive (153..197 counted from 0, end exclusive)
      assert.same({ 151, 194, 154, 197 }, { x.start, x.stop, x.byte_start, x.byte_stop })
      assert.equal("the café Wi-Fi at the surgery kept dropping", x.text)
      assert.same({ "Barriers/Connectivity" }, x.codes)
      assert.equal("Coder B", x.codings[1].user)
      assert.equal("the log-ins", s.selections[1].text)
      assert.equal("GP surgery, rural. Two of three patients had no smartphone.", p.sources[2].text)
      assert.same({ Role = "practice nurse", ["Years in practice"] = "12" }, p.cases[1].variables)
      assert.same({ FIX .. "/examples/minimal-project.qdpx: project.qde:67: <Sets> skipped" }, p.warnings)
    end)

    it("reads a folder and a bare project.qde alike", function()
      local a = assert(refiqda.import(MINIMAL))
      local b = assert(refiqda.import(MINIMAL .. "/project.qde"))
      assert.equal(a.sources[1].text, b.sources[1].text)
      assert.same(a.sources[1].selections[2].codes, b.sources[1].selections[2].codes)
      assert.equal(199, #a.sources[1].text)
    end)

    it("reads the shared copy of the example project", function()
      if not exists(SHARED .. "/minimal-project.qdpx") then
        pending("/work/shared/spec-data/refi-qda is absent")
        return
      end
      local p = assert(refiqda.import(SHARED .. "/minimal-project.qdpx"))
      assert.equal(2, #p.sources[1].selections)
    end)

    it("rejects a typeOfVariable outside the enumeration", function()
      local f = FIX .. "/examples/invalid/project-bad-typeOfVariable.qde"
      assert.same({ nil, f .. ":25: variable 'Years in practice': typeOfVariable 'Number' is not one of "
        .. "Text, Boolean, Integer, Float, Date, DateTime" }, { refiqda.import(f) })
    end)

    it("rejects elements out of the schema order", function()
      local f = FIX .. "/examples/invalid/project-cases-after-sources.qde"
      assert.same({ nil, f .. ":54: <Cases> comes after <Sources>; the order is Users, CodeBook, "
        .. "Variables, Cases, Sources, Notes, Links, Sets, Graphs, Description" }, { refiqda.import(f) })
    end)

    it("reports a missing source file", function()
      local p = minimal_with("x", "x", false)
      assert.same({ nil, p .. ": project.qde:41: source 'Interview P03.txt': internal file 'sources/"
        .. SRC .. "' is missing" }, { refiqda.import(p) })
      os.remove(p)
    end)

    it("reports a bad GUID", function()
      local p = minimal_with('guid="d4000000%-0000%-4000%-8000%-000000000001"',
        'guid="d4000000-0000-4000-8000-00000000001"')
      assert.same({ nil, p .. ": project.qde:44: <PlainTextSelection> guid: "
        .. "bad GUID 'd4000000-0000-4000-8000-00000000001'" }, { refiqda.import(p) })
      os.remove(p)
    end)

    it("reports a selection past the end of its source", function()
      local p = minimal_with('endPosition="194"', 'endPosition="197"')
      assert.same({ nil, p .. ": project.qde:51: selection d4000000-0000-4000-8000-000000000002: endPosition 197 "
        .. "is past the end of source 'Interview P03.txt' (196 code points)" }, { refiqda.import(p) })
      os.remove(p)
    end)

    it("reports a reversed selection", function()
      local p = minimal_with('startPosition="98"', 'startPosition="120"')
      assert.same({ nil, p .. ": project.qde:44: selection d4000000-0000-4000-8000-000000000001: startPosition 120 "
        .. "is after endPosition 109" }, { refiqda.import(p) })
      os.remove(p)
    end)

    it("reports a CodeRef to an unknown code", function()
      local p = minimal_with('<CodeRef targetGUID="a1000000%-0000%-4000%-8000%-000000000003"/>',
        '<CodeRef targetGUID="a1000000-0000-4000-8000-000000000009"/>')
      assert.same({ nil, p .. ": project.qde:55: <CodeRef> names an unknown code "
        .. "a1000000-0000-4000-8000-000000000009" }, { refiqda.import(p) })
      os.remove(p)
    end)

    it("refuses a DOCTYPE (no entity is ever expanded)", function()
      local p = minimal_with("<Project ", '<!DOCTYPE Project [<!ENTITY x "y">]>\n<Project ')
      assert.same({ nil, p .. ": project.qde:4: DOCTYPE and entity declarations are not allowed" },
        { refiqda.import(p) })
      os.remove(p)
    end)

    it("reports a code without isCodable", function()
      local p = minimal_with(' name="Connectivity" isCodable="true"', ' name="Connectivity"')
      assert.same({ nil, p .. ": project.qde:19: code 'Connectivity': isCodable must be true or false, got 'nil'" },
        { refiqda.import(p) })
      os.remove(p)
    end)

    it("reports broken XML with its line", function()
      local p = minimal_with("</Users>", "</Userz>")
      local ok, err = refiqda.import(p)
      assert.is_nil(ok)
      assert.equal(p .. ": project.qde:11: XML: mismatched tag", err)
      os.remove(p)
    end)

    it("reports a missing file", function()
      assert.same({ nil, "nope.qdpx: no such file or folder" }, { refiqda.import("nope.qdpx") })
    end)
  end)

  describe("codings()", function()
    if not has_core then
      pending("thematic.core and thematic.zip are not built (run make)")
      return
    end

    it("gives one row per line and coder of the sources they coded", function()
      local p = assert(refiqda.import(FIX .. "/examples/minimal-project.qdpx"))
      local rows = refiqda.codings(p)
      assert.same({
        { unit = "Interview P03.txt:1", coder = "Coder A", value = {} },
        { unit = "Interview P03.txt:2", coder = "Coder A", value = { "Barriers/Access and log-in" } },
        { unit = "Interview P03.txt:1", coder = "Coder B", value = {} },
        { unit = "Interview P03.txt:2", coder = "Coder B", value = { "Barriers/Connectivity" } },
      }, rows)
    end)

    it("uses selections as units on request", function()
      local p = assert(refiqda.import(FIX .. "/examples/minimal-project.qdpx"))
      local rows = refiqda.codings(p, { unit = "selection" })
      assert.same({ unit = "Interview P03.txt[98,109)", coder = "Coder A",
        value = { "Barriers/Access and log-in" } }, rows[1])
      assert.same({ unit = "Interview P03.txt[151,194)", coder = "Coder A", value = {} }, rows[2])
    end)

    it("pairs an exported-and-reimported project with thematic's rows segment by segment", function()
      local coded, c = study()
      local out = tmpname(".qdpx")
      assert(refiqda.export(coded, out, { date = DATE }))
      local p = assert(refiqda.import(out))
      os.remove(out)
      local rows, unmatched = refiqda.codings(p, { corpus = c })
      assert.same({}, unmatched)
      for _, r in ipairs(refiqda.coded_rows(coded, { coder = "auto" })) do rows[#rows + 1] = r end
      local res = assert(agreement.compute(rows))
      assert.equal(1, res.percent_agreement)
      assert.same({ "auto", "thematic" }, res.coders)
    end)

    it("sees a coding the other coder did not make", function()
      local coded, c = study()
      local p = assert(refiqda.import((function()
        local out = tmpname(".qdpx")
        assert(refiqda.export(coded, out, { date = DATE }))
        made[#made + 1] = out
        return out
      end)()))
      -- drop the codes of the first selection of p01
      local s = source_named(p, "interviews/p01.txt")
      s.selections[1].codings = {}
      local rows = refiqda.codings(p, { corpus = c })
      for _, r in ipairs(refiqda.coded_rows(coded, { coder = "auto" })) do rows[#rows + 1] = r end
      local res = assert(agreement.compute(rows))
      assert.is_true(res.percent_agreement < 1)
    end)

    it("lists sources whose text matches no corpus document", function()
      local p = assert(refiqda.import(FIX .. "/examples/minimal-project.qdpx"))
      local _, c = study()
      local rows, unmatched = refiqda.codings(p, { corpus = c })
      assert.same({}, rows)
      assert.same({ "Interview P03.txt", "Field note (inline)" }, unmatched)
    end)
  end)
end)
