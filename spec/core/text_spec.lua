local thematic = require "thematic"
local H = dofile("spec/helper.lua")

describe("thematic.normalize()", function()
  it("applies NFKC and full case folding", function()
    assert.equal("strasse", thematic.normalize("Straße"))
    assert.equal("finance", thematic.normalize("ﬁnance"))
    assert.equal("abc123", thematic.normalize("ＡＢＣ１２３"))
  end)

  it("composes decomposed accents", function()
    assert.equal("café", thematic.normalize("Cafe\u{301}"))
  end)

  it("orders combining marks canonically before composing", function()
    -- q + dot below + dot above, given in either order, is one form
    assert.equal(thematic.normalize("q\u{323}\u{307}"), thematic.normalize("q\u{307}\u{323}"))
  end)

  it("makes typographic apostrophes ASCII", function()
    assert.equal("don't", thematic.normalize("Don’t"))
  end)

  it("strips accents when asked", function()
    assert.equal("naive cafe", thematic.normalize("Naïve Café", { strip_accents = true }))
  end)

  it("leaves Devanagari intact", function()
    assert.equal("मरीज़ों", thematic.normalize("मरीज़ों"))
  end)

  it("reads invalid bytes as U+FFFD", function()
    assert.equal("a\u{FFFD}b", thematic.normalize("A\xFFb"))
  end)
end)

describe("thematic.stem()", function()
  it("stems English by default", function()
    assert.equal("barrier", thematic.stem("barriers"))
  end)

  it("normalises before stemming", function()
    assert.equal(thematic.stem("barriers"), thematic.stem("BARRIERS"))
  end)

  it("stems an array", function()
    assert.same({ "connect", "connect", "connect" },
                thematic.stem({ "connection", "connected", "connecting" }, "en"))
  end)

  it("takes language names and ISO 639-1 codes", function()
    assert.equal(thematic.stem("infirmières", "french"), thematic.stem("infirmières", "fr"))
    assert.equal("infirmi", thematic.stem("infirmières", "fr"))
    assert.equal(thematic.stem("Ärztinnen", "german"), thematic.stem("Ärztinnen", "de"))
  end)

  it("stems Hindi, Nepali, Tamil and Arabic", function()
    for _, lang in ipairs({ "hi", "ne", "ta", "ar" }) do
      assert.is_string(thematic.stem("टेस्ट", lang))
    end
    assert.are_not.equal("मरीज़ों", thematic.stem("मरीज़ों", "hindi"))
  end)

  it("rejects an unknown language and lists the available ones", function()
    local ok, err = pcall(thematic.stem, "x", "klingon")
    assert.is_false(ok)
    assert.matches("bad argument #2 to 'stem' %(unknown language 'klingon'; available: .*english", err)
  end)

  it("rejects a non-string item with its position", function()
    assert.has_error(function() thematic.stem({ "a", 3 }) end,
      "bad argument #1 to 'stem' (item 2 is a number, not a string)")
  end)
end)

describe("thematic.languages()", function()
  it("lists every Snowball stemmer", function()
    local set = {}
    for _, l in ipairs(thematic.languages()) do set[l] = true end
    for _, l in ipairs({ "english", "french", "german", "hindi", "nepali", "tamil", "arabic" }) do
      assert.is_true(set[l], l)
    end
  end)
end)

describe("thematic.stem_counts()", function()
  it("counts stems of word tokens", function()
    local counts, words = thematic.stem_counts("Barriers, barrier and more barriers. 3 apps", "en")
    assert.same({ barrier = 3, ["and"] = 1, more = 1, app = 1 }, counts)
    assert.equal(6, words)
  end)

  it("leaves out stop words, from a list or the language's shipped list", function()
    assert.same({ barrier = 1 }, thematic.stem_counts("The barrier", "en", { stopwords = { "the" } }))
    assert.same({ barrier = 2 }, thematic.stem_counts("The barriers and a barrier", "en",
                                                      { stopwords = true }))
  end)

  it("counts only opts.from..opts.to, leaving out tokens that start in opts.skip", function()
    -- bytes 13-20 are "[laughs]", 31-40 "(laughter)", as a segment's marks
    local text = "P1: We paid [laughs] for apps (laughter) twice."
    local opts = { from = 5, to = #text - 7, skip = { 13, 20, 31, 40 } }
    local counts, words = thematic.stem_counts(text, "en", opts)
    assert.same({ we = 1, paid = 1, ["for"] = 1, app = 1 }, counts)
    assert.equal(thematic.word_count(text, opts), words)
  end)

  it("agrees with stemming each token in Lua", function()
    local text = "Face-to-face clinics kept the patients' trust; remote clinics didn't."
    local expect = {}
    for _, t in ipairs(thematic.tokens(text)) do
      if t.kind == "word" then
        local s = thematic.stem(t.text)
        expect[s] = (expect[s] or 0) + 1
      end
    end
    assert.same(expect, (thematic.stem_counts(text)))
  end)

  it("handles a 100 MB input #huge", function()
    local chunk = "Patients said the app was hard to use and data cost too much. "
    local text = chunk:rep(100 * 1024 * 1024 // #chunk)
    local counts, words = thematic.stem_counts(text)
    assert.equal(100 * 1024 * 1024 // #chunk, counts.patient)
    assert.equal(13 * (100 * 1024 * 1024 // #chunk), words)
  end)
end)

describe("thematic.stopwords()", function()
  it("returns the Snowball list for a language", function()
    local list = thematic.stopwords("en")
    assert.is_true(#list > 100)
    assert.equal("i", list[1])
  end)

  it("returns nil when Snowball has no list", function()
    assert.is_nil(thematic.stopwords("hindi"))
  end)
end)

describe("thematic._VERSION", function()
  local function read(path)
    local f = assert(io.open(path))
    local s = f:read("a")
    f:close()
    return s
  end

  it("agrees with the rockspec and NEWS.md", function()
    local v = thematic._VERSION
    assert.matches("^%d+%.%d+%.%d+$", v)
    assert.matches("## " .. v:gsub("%.", "%%."), read("NEWS.md"))
    assert.matches('THEMATIC_VERSION "' .. v:gsub("%.", "%%.") .. '"', read("csrc/lthematic.c"))
  end)

  it("the rockspec lists every C file and Lua module", function()
    local rs = read("rockspec/thematic-scm-1.rockspec")
    for f in io.popen("ls csrc/*.c"):lines() do
      assert.truthy(rs:find('"' .. f .. '"', 1, true), f .. " missing from the rockspec")
    end
    for f in io.popen("find lua -name '*.lua'"):lines() do
      assert.truthy(rs:find('"' .. f .. '"', 1, true), f .. " missing from the rockspec")
    end
  end)

  it("the rockspec builds zipio.c and libzip into thematic.zip, not thematic.core", function()
    local spec = {}
    assert(load(read("rockspec/thematic-scm-1.rockspec"), "rockspec", "t", spec))()
    local core_mod, zip_mod = spec.build.modules["thematic.core"], spec.build.modules["thematic.zip"]
    assert.same({ "csrc/lzip.c", "csrc/memory.c", "csrc/zipio.c" }, zip_mod.sources)
    assert.same({ "zip" }, zip_mod.libraries)
    assert.same({ "utf8proc", "stemmer" }, core_mod.libraries)
    for _, f in ipairs(core_mod.sources) do
      assert.is_nil(f:match("zip"), f .. " is in thematic.core")
    end
  end)
end)

describe("thematic.core.utf8_check()", function()
  local check = require("thematic.core").utf8_check

  it("finds the first byte utf8.len stops at, on random bytes", function()
    -- utf8.len (strict) is the reference: the reader used it before
    local rnd = H.lcg(20261126)
    local function rand(n) return rnd(n) - 1 end   -- 0 .. n-1
    for _ = 1, 20000 do
      local t = {}
      for j = 1, rand(24) do
        t[j] = rand(2) == 0 and string.char(32 + rand(95)) or string.char(rand(256))
      end
      local s = string.rep("plain ascii ", rand(3)) .. table.concat(t)
      if rand(3) == 0 then s = s .. utf8.char(rand(0x110000)) .. s end
      local ok, at = utf8.len(s)
      assert.are.equal(ok and nil or at, check(s), ("%q"):format(s))
    end
  end)

  it("rejects overlong forms, surrogates and code points past U+10FFFF", function()
    assert.are.equal(3, check("ab\xC0\xAF"))
    assert.are.equal(1, check("\xED\xA0\x80"))
    assert.are.equal(9, check("12345678\xF4\x90\x80\x80"))
    assert.are.equal(2, check("a\xE2\x82"))
    assert.is_nil(check("Stra\xC3\x9Fe \xF0\x9F\x98\x80 \xE2\x80\x99"))
    assert.is_nil(check(""))
  end)
end)

describe("thematic.core.realpath()", function()
  local realpath = require("thematic.core").realpath

  it("resolves '.', '..' and symbolic links to an absolute path", function()
    local here = realpath(".")
    assert.matches("^/", here)
    assert.are.equal(here .. "/spec", realpath("spec/../spec/./"))
    local dir = H.tmpdir()
    assert(os.execute("ln -s " .. here .. "/spec " .. dir .. "/link"))
    assert.are.equal(here .. "/spec/core", realpath(dir .. "/link/core"))
    H.rmdir(dir)
  end)

  it("returns nil and a message for a path that does not exist", function()
    local r, err = realpath("no/such/thing")
    assert.is_nil(r)
    assert.matches("^no/such/thing: ", err)
  end)
end)
