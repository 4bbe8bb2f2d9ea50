local codebook = require "thematic.codebook"

local NATIVE = [[
name: t
language: en
negation: { window: 2, cues: [not, never] }
codes:
  access:
    label: Access
    codes:
      devices_barrier:
        valence: barrier
        patterns: [smartphone*, device, =NHS, data cost, not * confident]
        except: [access code]
        negated_to: design/usability
  design:
    codes:
      usability:
        valence: facilitator
        patterns: [easy]
]]

local function parse(text) return codebook.parse(text, "yaml", "t.yml") end

describe("thematic.codebook", function()
  describe("parse() native YAML", function()
    local cb = assert(parse(NATIVE))
    it("reads the codebook fields", function()
      assert.same({ "t", "english", 2, { "not", "never" } },
        { cb.name, cb.language, cb.negation.window, cb.negation.cues })
    end)
    it("builds paths from the nesting", function()
      assert.same("access/devices_barrier", cb:find("access/devices_barrier").path)
    end)
    it("parses patterns and exclusions", function()
      local c = cb:find("access/devices_barrier")
      assert.same({ "glob", "smartphone*" }, c.patterns[1].elements[1])
      assert.same({ "exact", "NHS" }, c.patterns[3].elements[1])
      assert.same("access code", c.except[1].text)
      assert.same(10, c.patterns[1].line)
    end)
    it("keeps valence and negated_to", function()
      local c = cb:find("access/devices_barrier")
      assert.same({ "barrier", "design/usability" }, { c.valence, c.negated_to })
    end)
    it("uses the language's default cues when the file gives none", function()
      local d = assert(parse("language: french\ncodes:\n  a: {patterns: [x]}\n"))
      assert.same(codebook.negation_cues.french, d.negation.cues)
      assert.same(3, d.negation.window)
    end)
    it("reads negation: false as no negation", function()
      local d = assert(parse("name: x\nnegation: false\ncodes:\n  a: {patterns: [x]}\n"))
      assert.same(0, d.negation.window)
    end)
  end)

  describe("parse() errors name file, line and problem", function()
    local function err(text) return select(2, parse(text)) end
    it("rejects an unknown field in a code", function()
      assert.same("t.yml:3: unknown field 'pattern' in code 'a'", err("name: x\ncodes:\n  a: {pattern: [x]}\n"))
    end)
    it("rejects an unknown top-level field", function()
      assert.same("t.yml:2: unknown field 'titel'", err("name: x\ntitel: y\ncodes:\n  a: {}\n"))
    end)
    it("rejects an empty pattern", function()
      assert.same("t.yml:4: code 'a': empty pattern", err("name: x\ncodes:\n  a:\n    patterns: ['']\n"))
    end)
    it("rejects a misplaced '*'", function()
      assert.same("t.yml:3: code 'a': pattern 'x**': misplaced '*' in 'x**' ('**')",
        err("name: x\ncodes:\n  a: {patterns: [x**]}\n"))
    end)
    it("rejects a lone '*' at the end of a phrase", function()
      assert.same("t.yml:3: code 'a': pattern 'not *': a lone '*' cannot be first or last in a phrase",
        err("name: x\ncodes:\n  a: {patterns: [not *]}\n"))
    end)
    it("rejects a duplicate code path", function()
      assert.same("t.yml:4: duplicate code path 'a'", err("name: x\ncodes:\n  a: {}\n  a: {}\n"))
    end)
    it("rejects an unknown valence", function()
      assert.same("t.yml:3: unknown valence 'positive' in code 'a' (barrier or facilitator)",
        err("name: x\ncodes:\n  a: {valence: positive}\n"))
    end)
    it("rejects negated_to naming a missing code", function()
      assert.same("t.yml:3: code 'a': negated_to names a missing code 'b/c'",
        err("name: x\ncodes:\n  a: {negated_to: b/c}\n"))
    end)
    it("rejects an unknown language", function()
      assert.same("t.yml:2: unknown language 'klingon'", err("name: x\nlanguage: klingon\ncodes:\n  a: {}\n"))
    end)
    it("rejects a code name with '/'", function()
      assert.same("t.yml:3: code name 'a/b' contains '/'", err("name: x\ncodes:\n  a/b: {}\n"))
    end)
    it("rejects codes that are not a mapping, and a top-level field given twice", function()
      -- (found by fuzz_lua_codebook_yaml: both used to raise in the reader)
      assert.same("t.yml:2: field 'codes' must be a mapping of codes",
        err("name: x\ncodes: access\ncodes: {a: {}}\n"))
      assert.same("t.yml:3: field 'codes' given twice",
        err("name: x\ncodes: {a: {}}\ncodes: {b: {}}\n"))
    end)
    it("reports YAML syntax errors with their line", function()
      assert.same("t.yml:2: YAML: did not find expected ',' or ']'", err("a: [x\nb: c: d\n"))
    end)
    it("rejects text that is not UTF-8", function()
      assert.same("t.yml: not valid UTF-8 (first bad byte at offset 7)", err("name: \233\ncodes: {}\n"))
    end)
    it("raises on an unknown format (a programming mistake)", function()
      assert.has_error(function() codebook.parse("", "word") end,
        "bad argument #2 to 'parse' (unknown format 'word'; "
          .. "known: csv, lexicoder, liwc, lua, qdc, wordstat, yaml, yoshikoder)")
    end)
  end)

  describe("load()", function()
    it("chooses the format from the extension", function()
      local cb = assert(codebook.load("spec/fixtures/codebooks/thematic/health.cat"))
      assert.same("wordstat", cb.format)
    end)
    it("returns nil and a message for a missing file", function()
      local cb, err = codebook.load("spec/fixtures/codebooks/nope.yml")
      assert.is_nil(cb)
      assert.matches("nope.yml: No such file or directory", err, 1, true)
    end)
    it("refuses an unknown extension", function()
      assert.same({ nil, "x.txt: unknown codebook format (extension 'txt'); give opts.format" },
        { codebook.load("x.txt") })
    end)
  end)

  describe("new() and the module call", function()
    it("builds the same codebook as the YAML", function()
      local a = assert(parse(NATIVE))
      local b = assert(codebook {
        name = "t", language = "en", negation = { window = 2, cues = { "not", "never" } },
        codes = {
          { name = "access", label = "Access", codes = {
            { name = "devices_barrier", valence = "barrier",
              patterns = { "smartphone*", "device", "=NHS", "data cost", "not * confident" },
              except = { "access code" }, negated_to = "design/usability" } } },
          { name = "design", codes = { { name = "usability", valence = "facilitator", patterns = { "easy" } } } },
        } })
      assert.same(a:write(nil, "yaml"), b:write(nil, "yaml"))
    end)
    it("returns nil and a message for bad content", function()
      assert.same({ nil, "codebook table: code 'a': unknown field 'pattern'" },
        { codebook.new { codes = { { name = "a", pattern = { "x" } } } } })
    end)
    it("raises for a non-table", function()
      assert.has_error(function() codebook.new("x") end, "bad argument #1 to 'new' (table expected, got string)")
    end)
  end)

  describe("codes(), leaves(), pattern_count()", function()
    local cb = assert(parse(NATIVE))
    it("walks depth first", function()
      local paths = {}
      for c in cb:codes() do paths[#paths + 1] = c.path end
      assert.same({ "access", "access/devices_barrier", "design", "design/usability" }, paths)
    end)
    it("lists the leaves", function()
      local paths = {}
      for i, c in ipairs(cb:leaves()) do paths[i] = c.path end
      assert.same({ "access/devices_barrier", "design/usability" }, paths)
    end)
    it("counts patterns but not exclusions", function()
      assert.same(6, cb:pattern_count())
    end)
  end)

  describe("compile()", function()
    local cb = assert(parse(NATIVE))
    local spec = cb:compile()
    it("numbers every code depth first", function()
      assert.same(4, spec.ncodes)
      assert.same("access/devices_barrier", cb.index.code[2].path)
      assert.same(3, cb.index.number.design)
    end)
    -- the compiled patterns with a given id, in order
    local function with_id(id)
      local out = {}
      for _, p in ipairs(spec.patterns) do
        if p.id == id then out[#out + 1] = p end
      end
      return out
    end
    it("gives patterns to the code that lists them, with ids", function()
      assert.same({ { code = 2, id = 1, elements = { { "glob", "smartphone*" } } } }, with_id(1))
      assert.same({ { code = 2, id = 5, elements = { { "word", "not" }, { "any" }, { "word", "confident" } } } },
        with_id(5))
    end)
    it("adds the hyphenated spelling of a phrase of plain words", function()
      assert.same({ { code = 2, id = 4, elements = { { "word", "data" }, { "word", "cost" } } },
                    { code = 2, id = 4, elements = { { "word", "data-cost" } } } }, with_id(4))
    end)
    it("marks exclusions", function()
      assert.same({ code = 2, id = 6, exclude = true, elements = { { "word", "access" }, { "word", "code" } } },
        with_id(6)[1])
      assert.same({ "access code", true }, { cb.index.pattern[6].text, cb.index.pattern[6].except })
    end)
    it("resolves negated_to to numbers", function()
      assert.same({ [2] = 4 }, spec.negated_to)
    end)
    it("passes language and negation", function()
      assert.same({ "english", { cues = { "not", "never" }, window = 2 } }, { spec.language, spec.negation })
    end)
  end)

  describe("write() native YAML", function()
    it("reads back to the same codebook", function()
      local cb = assert(parse(NATIVE))
      local text = cb:write(nil, "yaml")
      assert.same(text, assert(parse(text)):write(nil, "yaml"))
    end)
    it("quotes what YAML would read otherwise", function()
      local cb = assert(codebook.new { codes = { { name = "yes", label = "3 things: a, b",
        patterns = { "*phone", "x, y" } } } })
      local text = cb:write(nil, "yaml")
      assert.same('language: english\ncodes:\n  "yes":\n    label: "3 things: a, b"\n'
        .. '    patterns: ["*phone", "x, y"]\n', text)
      assert.same(text, assert(parse(text)):write(nil, "yaml"))
    end)
    it("writes multi-line text as a literal block", function()
      local cb = assert(codebook.new { codes = { { name = "a", definition = "one\n\ntwo" } } })
      local text = cb:write(nil, "yaml")
      assert.same("language: english\ncodes:\n  a:\n    definition: |-\n      one\n\n      two\n", text)
      assert.same("one\n\ntwo", parse(text):find("a").definition)
    end)
  end)
end)
