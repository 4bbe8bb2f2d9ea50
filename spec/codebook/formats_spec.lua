local codebook = require "thematic.codebook"
local cjson = require "cjson"

local DIR = "spec/fixtures/codebooks/"

local read = dofile("spec/helper.lua").slurp

local EXPECTED = cjson.decode(read(DIR .. "EXPECTED.json"))

-- EXPECTED.json without its notes ("_about", "_notes", "_encoding").
local function strip(t)
  if type(t) ~= "table" then return t end
  local out = {}
  for k, v in pairs(t) do
    if type(k) ~= "string" or k:sub(1, 1) ~= "_" or k == "__values__" then out[k] = strip(v) end
  end
  return out
end

-- LIWC values compare as sets.
local function sorted(t)
  if type(t) ~= "table" then return t end
  local out = {}
  for k, v in pairs(t) do out[k] = sorted(v) end
  if #out > 0 then table.sort(out) end
  return out
end

describe("thematic.codebook formats", function()
  describe("conformance with EXPECTED.json", function()
    for file, expected in pairs(EXPECTED) do
      if file ~= "_about" then
        it("loads " .. file .. " to its expected tree", function()
          local cb, err = codebook.load(DIR .. file)
          assert.is_nil(err)
          local want, got = strip(expected), cb:to_plain()
          if file:match("%.dic$") then want, got = sorted(want), sorted(got) end
          assert.same(want, got)
          if expected._encoding then assert.same(expected._encoding, cb.encoding) end
        end)
      end
    end
  end)

  describe("LIWC", function()
    local cb = assert(codebook.load(DIR .. "thematic/liwc-edgecases.dic"))
    local function has(text)
      for _, w in ipairs(cb.warnings) do if w:find(text, 1, true) then return true end end
      return false
    end
    it("warns about an undefined category id", function()
      assert.is_true(has("liwc-edgecases.dic:20: 'unknowncat' dropped from category 99: not in the legend"))
    end)
    it("warns about a removed empty category", function()
      assert.is_true(has("liwc-edgecases.dic:6: category 'filler' removed: no values"))
    end)
    it("warns about a <of> line", function()
      assert.is_true(has("liwc-edgecases.dic:16: 'kind of' dropped: line has a <of> rule"))
    end)
    it("reads a value without '*' as norm and with '*' as glob", function()
      local posemo = cb:find("posemo")
      assert.same({ { "norm", "happy" } }, posemo.patterns[1].elements)
      assert.same({ { "glob", "hope*" } }, posemo.patterns[2].elements)
    end)
    it("reads the legend hierarchy of LIWC 2015 from leading tabs", function()
      local h = assert(codebook.load(DIR .. "thematic/health-liwc2015.dic"))
      assert.same("barriers/access", h:find("barriers/access").path)
    end)
    it("notes CR-only line ends", function()
      local c = assert(codebook.load(DIR .. "thematic/liwc-cr-only.dic"))
      assert.same("spec/fixtures/codebooks/thematic/liwc-cr-only.dic: CR-only (old Mac) line ends", c.warnings[1])
    end)
    it("rejects a file without the '%' header", function()
      assert.same({ nil, "x.dic:1: a LIWC dictionary starts with a '%' line" },
        { codebook.parse("1\tposemo\n", "liwc", "x.dic") })
    end)
    it("rejects a category id that is not a number", function()
      assert.same({ nil, "x.dic:4: category id 'abc' is not a number" },
        { codebook.parse("%\n1\tposemo\n%\nhappy\tabc\n", "liwc", "x.dic") })
    end)
    it("writes a dictionary that reads back to the same tree", function()
      local h = assert(codebook.load(DIR .. "thematic/health-liwc2015.dic"))
      local again = assert(codebook.parse(h:write(nil, "liwc"), "liwc", "again.dic"))
      assert.same(h:to_plain(), again:to_plain())
    end)
  end)

  describe("WordStat", function()
    it("detects ISO-8859-1 and says how", function()
      local cb = assert(codebook.load(DIR .. "thematic/health-fr-latin1.cat"))
      assert.same("not valid UTF-8 (first bad byte at offset 16); read as ISO-8859-1", cb.encoding_note)
    end)
    it("reads UTF-8 with a byte-order mark", function()
      local cb = assert(codebook.parse("\239\187\191A\r\n\tWORD (1)\r\n", "wordstat", "b.cat"))
      assert.same({ A = { "word" } }, cb:to_plain())
      assert.same("UTF-8 (byte-order mark removed)", cb.encoding_note)
    end)
    it("warns about a weight other than 1", function()
      local cb = assert(codebook.parse("A\n\tWORD (3)\n", "wordstat", "w.cat"))
      assert.same({ "w.cat:2: weight (3) of 'WORD' ignored" }, cb.warnings)
    end)
    it("rejects a value outside a category", function()
      assert.same({ nil, "w.cat:1: value 'WORD' is not inside a category" },
        { codebook.parse("WORD (1)\n", "wordstat", "w.cat") })
    end)
    it("writes CRLF, tabs, upper case and ' (1)' and reads back", function()
      local cb = assert(codebook.load(DIR .. "thematic/health.cat"))
      local text = cb:write(nil, "wordstat")
      assert.same("barriers\r\n\taccess\r\n\t\tPASSWORD* (1)\r\n", text:sub(1, 36))
      assert.same(cb:to_plain(), codebook.parse(text, "wordstat", "again.cat"):to_plain())
    end)
  end)

  describe("Lexicoder", function()
    it("rejects a value before the first category", function()
      assert.same({ nil, "x.lc3:1: value 'word' before the first '+category' line" },
        { codebook.parse("word\n+A\n", "lexicoder", "x.lc3") })
    end)
    it("refuses to write two codes of the same name", function()
      local cb = assert(codebook.new { codes = {
        { name = "a", codes = { { name = "x", patterns = { "p" } } } },
        { name = "b", codes = { { name = "x", patterns = { "q" } } } } } })
      assert.same({ nil, "Lexicoder is flat: 'a/x' and 'b/x' would both be '+x'" }, { cb:write(nil, "lexicoder") })
    end)
    it("writes a file that reads back", function()
      local cb = assert(codebook.load(DIR .. "thematic/health.lc3"))
      assert.same(cb:to_plain(), codebook.parse(cb:write(nil, "lexicoder"), "lexicoder", "a.lc3"):to_plain())
    end)
  end)

  describe("Yoshikoder", function()
    it("reports malformed XML with its line", function()
      local _, err = codebook.parse('<dictionary>\n<cnode name="a">\n</dictionary>\n', "yoshikoder", "x.ykd")
      assert.same("x.ykd:3: XML: mismatched tag", err)
    end)
    it("is read-only", function()
      local cb = assert(codebook.load(DIR .. "thematic/health.ykd"))
      assert.same({ nil, "format 'yoshikoder' is read-only" }, { cb:write(nil, "yoshikoder") })
    end)
  end)

  describe("REFI-QDA", function()
    it("reads names, guids, colours and descriptions", function()
      local cb = assert(codebook.load(DIR .. "minimal-codebook.qdc"))
      local c = cb:find("Barriers/Access and log-in")
      assert.same("a1000000-0000-4000-8000-000000000002", c.guid)
      assert.same("#ff6666", c.color)
      assert.same("Passwords, accounts, log-ins, connectivity", c.definition)
      assert.same("spec/fixtures/codebooks/minimal-codebook.qdc:14: <Sets> skipped", cb.warnings[1])
    end)
    it("rejects a root in another namespace", function()
      assert.same({ nil, 'x.qdc:1: root element is not <CodeBook xmlns="urn:QDA-XML:codebook:1.0">' },
        { codebook.parse("<CodeBook><Codes/></CodeBook>", "qdc", "x.qdc") })
    end)
    it("writes a file that validates against Codebook.xsd", function()
      if os.execute("command -v xmllint >/dev/null 2>&1") ~= true then
        pending("xmllint is not installed (Debian: libxml2-utils)")
        return
      end
      local cb = assert(codebook.load("spec/fixtures/codebooks/thematic/health.yml"))
      local path = os.tmpname()
      assert(cb:write(path, "qdc"))
      local ok = os.execute("xmllint --noout --schema " .. DIR .. "Codebook.xsd " .. path .. " 2>/dev/null")
      os.remove(path)
      assert.is_true(ok)
    end)
    it("keeps patterns, valence, notes and negated_to through a write and read", function()
      local cb = assert(codebook.new { name = "t", codes = {
        { name = "design", codes = {
          { name = "usability_barrier", valence = "barrier", label = "Hard to use",
            definition = "Line one.\nLine two.", inclusion = "menus", exclusion = "none",
            patterns = { "confus*", "=NHS app", { literal = "wifi" }, "not * easy" },
            except = { "easy peasy" } },
          { name = "usability_facilitator", valence = "facilitator", patterns = { "easy" },
            negated_to = "design/usability_barrier" } } } } })
      local again = assert(codebook.parse(cb:write(nil, "qdc"), "qdc", "t.qdc"))
      for code in cb:codes() do code.guid = nil end
      for code in again:codes() do code.guid = nil end
      -- a .qdc keeps the codes only (no codebook name, title or language)
      assert.same(cb:write(nil, "yaml"):match("\ncodes:.*"), again:write(nil, "yaml"):match("\ncodes:.*"))
      local a, b = cb:find("design/usability_barrier"), again:find("design/usability_barrier")
      for _, f in ipairs { "label", "definition", "inclusion", "exclusion", "valence" } do
        assert.same(a[f], b[f])
      end
      local function strip_lines(list)
        local out = {}
        for i, p in ipairs(list) do out[i] = { text = p.text, elements = p.elements } end
        return out
      end
      assert.same(strip_lines(a.patterns), strip_lines(b.patterns))
      assert.same(strip_lines(a.except), strip_lines(b.except))
      assert.same("design/usability_barrier", again:find("design/usability_facilitator").negated_to)
    end)
  end)

  describe("CSV", function()
    it("reads code,pattern,kind rows with a header and creates parents", function()
      local cb = assert(codebook.parse(
        'code,pattern,kind\r\naccess/devices,smartphone*,\r\naccess/devices,wifi,literal\r\n' ..
        'access/devices,"access code",except\r\ndesign,,\r\n', "csv", "c.csv"))
      local d = cb:find("access/devices")
      assert.same({ { "glob", "smartphone*" } }, d.patterns[1].elements)
      assert.same({ { "norm", "wifi" } }, d.patterns[2].elements)
      assert.same("access code", d.except[1].text)
      assert.is_table(cb:find("design"))
    end)
    it("rejects an unknown kind with its line", function()
      assert.same({ nil, "c.csv:2: unknown kind 'regex' (word, glob, exact, literal, phrase, dictionary, except)" },
        { codebook.parse("a,x\nb,y,regex\n", "csv", "c.csv") })
    end)
    it("reports an unterminated quote from the CSV parser", function()
      local _, err = codebook.parse('a,"x\n', "csv", "c.csv")
      assert.same("c.csv:1: unterminated quoted field", err)
    end)
    it("writes quoted fields, with a text prefix before formula-like cells, and reads them back", function()
      local cb = assert(codebook.new { codes = { { name = "a", patterns = { "x, y", "=NHS" } } } })
      local text = cb:write(nil, "csv")
      assert.same('code,pattern,kind\r\na,"x, y",\r\na,\'=NHS,\r\n', text)
      local back = assert(codebook.parse(text, "csv", "c.csv"))
      assert.same("=NHS", back:find("a").patterns[2].text)
    end)
  end)

  describe("Lua table files", function()
    it("loads a returned table as data", function()
      local cb = assert(codebook.parse('return { name = "x", codes = { { name = "a", patterns = { "b*" } } } }',
        "lua", "x.lua"))
      assert.same({ a = { "b*" } }, cb:to_plain())
    end)
    it("refuses a file that does not return a table", function()
      assert.same({ nil, "x.lua: the file must return a table, got number" },
        { codebook.parse("return 1", "lua", "x.lua") })
    end)
    it("gives the file no library functions", function()
      local _, err = codebook.parse('os.exit(1)', "lua", "x.lua")
      assert.matches("attempt to index a nil value %(global 'os'%)", err)
    end)
    it("stops a file that runs forever", function()
      local _, err = codebook.parse('while true do end', "lua", "x.lua")
      assert.same("x.lua: too many instructions for a data file", err)
    end)
    it("refuses binary chunks", function()
      assert.same({ nil, "x.lua:1: binary chunks are refused" },
        { codebook.parse(string.dump(function() return {} end), "lua", "x.lua") })
    end)
  end)

  describe("round trips of the sample codebook", function()
    local sample = "samples/codebooks/digital-health.yml"
    for _, fmt in ipairs { "yaml", "lua", "qdc" } do
      it("keeps every field through " .. fmt, function()
        local f = io.open(sample)
        if not f then pending("no " .. sample); return end
        f:close()
        local cb = assert(codebook.load(sample))
        local again = assert(codebook.parse(cb:write(nil, fmt), fmt, "again"))
        for code in again:codes() do code.guid = nil end
        local a, b = cb:write(nil, "yaml"), again:write(nil, "yaml")
        if fmt == "qdc" then a, b = a:match("\ncodes:.*"), b:match("\ncodes:.*") end
        assert.same(a, b)
      end)
    end
  end)
end)
