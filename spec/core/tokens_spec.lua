local thematic = require "thematic"

local function texts(s, opts)
  local out = {}
  for _, t in ipairs(thematic.tokens(s, opts)) do out[#out + 1] = t.text end
  return out
end

local function kinds(s)
  local out = {}
  for _, t in ipairs(thematic.tokens(s)) do out[#out + 1] = t.kind end
  return out
end

describe("thematic.tokens() in words mode", function()
  it("gives text, 1-based inclusive byte offsets and kind", function()
    assert.same({ { text = "Hello", start = 1, stop = 5, kind = "word" },
                  { text = "world", start = 8, stop = 12, kind = "word" } },
                thematic.tokens("Hello, world!"))
  end)

  it("offsets are what string.sub takes, also after multi-byte text", function()
    local s = "Café — naïve 👍 résumé"
    for _, t in ipairs(thematic.tokens(s)) do
      assert.equal(t.text, s:sub(t.start, t.stop))
    end
  end)

  it("keeps hyphenated compounds and letter-digit codes whole", function()
    assert.same({ "e-health", "face-to-face", "COVID-19", "HbA1c", "type-2", "A&E" },
                texts("e-health, face-to-face; COVID-19 (HbA1c) type-2 A&E"))
  end)

  it("does not join a trailing or spaced hyphen", function()
    assert.same({ "well", "no", "pre" }, texts("well - no pre-"))
  end)

  it("keeps contractions and possessives whole with either apostrophe", function()
    assert.same({ "don't", "don’t", "patient's", "patients" },
                texts("don't don’t patient's patients'"))
  end)

  it("makes numbers number tokens", function()
    assert.same({ { "3.5", "number" }, { "1,000", "number" }, { "48", "number" } },
                (function()
                  local r = {}
                  for _, t in ipairs(thematic.tokens("3.5 1,000 48.")) do
                    r[#r + 1] = { t.text, t.kind }
                  end
                  return r
                end)())
  end)

  it("makes URLs and e-mail addresses one token each, without trailing punctuation", function()
    local toks = thematic.tokens("See https://www.nhs.uk/conditions/diabetes/. Or www.example.org, "
      .. "or write to jane.doe+gp@nhs.net.")
    local got = {}
    for _, t in ipairs(toks) do
      if t.kind ~= "word" then got[#got + 1] = t.kind .. " " .. t.text end
    end
    assert.same({ "url https://www.nhs.uk/conditions/diabetes/", "url www.example.org",
                  "email jane.doe+gp@nhs.net" }, got)
  end)

  it("finds an e-mail address that opens the text", function()
    assert.same({ "email" }, kinds("a@b.org"))
    assert.same({ "email", "word" }, kinds("jo.bloggs@nhs.net wrote"))
  end)

  it("makes emoji tokens, keeping ZWJ sequences, skin tones and flags whole", function()
    assert.same({ "word", "emoji", "emoji", "emoji", "emoji" },
                kinds("ok 👩🏽‍⚕️ 👍🏾 🇬🇧 ❤️"))
    assert.same({ "ok", "👩🏽‍⚕️", "👍🏾", "🇬🇧", "❤️" }, texts("ok 👩🏽‍⚕️ 👍🏾 🇬🇧 ❤️"))
  end)

  it("does not join words across a colon, so labels stay apart", function()
    assert.same({ "P01", "yes" }, texts("P01:yes"))
  end)

  it("tokenises French and German with their letters", function()
    assert.same({ "L'infirmière", "a", "expliqué", "l'application" },
                texts("L'infirmière a expliqué l'application."))
    assert.same({ "Die", "Ärztin", "fand", "die", "App", "schwierig" },
                texts("Die Ärztin fand die App schwierig."))
  end)

  it("keeps Devanagari combining marks inside their word (Hindi)", function()
    assert.same({ "मधुमेह", "के", "मरीज़ों", "को", "ऐप", "कठिन", "लगता", "है" },
                texts("मधुमेह के मरीज़ों को ऐप कठिन लगता है।"))
  end)

  it("tokenises Urdu in Arabic script", function()
    assert.same({ "ذیابیطس", "کے", "مریض", "ایپ", "استعمال", "کرتے", "ہیں" },
                texts("ذیابیطس کے مریض ایپ استعمال کرتے ہیں۔"))
  end)

  it("gives ideographs one token each, as UAX #29 does", function()
    assert.same({ "糖", "尿", "病" }, texts("糖尿病"))
  end)
end)

describe("thematic.tokens() on ASCII, eight bytes at a time", function()
  -- The scanner reads ASCII eight bytes at a time where eight are left and
  -- byte by byte near the end, and decides ASCII joiners from two bytes:
  -- the same tokens wherever a word falls.
  local line = "e-health 3.5 don't A&E a_b x.y 1,000 9;9 P01:text U.K. 2-a b-. 99'x "
  local expect = { "e-health", "3.5", "don't", "A&E", "a_b", "x.y", "1,000", "9;9",
                   "P01", "text", "U.K", "2-a", "b", "99", "x" }
  it("finds the same tokens at every offset from the start and the end", function()
    for k = 0, 16 do
      local pad = ("  "):rep(k)
      assert.same(expect, texts(pad .. line), k)
      assert.same(expect, texts(line:sub(1, -2) .. pad), k)
    end
  end)

  it("tells words from numbers in runs longer than eight bytes", function()
    assert.same({ "word", "number", "word", "word", "number" },
                kinds("abcdefghijklmnopq 1234567890123456789 12345678901234567a a1234567890123456 0.12345678901"))
  end)

  it("stops a run at the first byte that is not ASCII", function()
    assert.same({ "abcdefgh\u{E9}ijk", "l\u{2019}ordre" },
                texts("abcdefgh\u{E9}ijk l\u{2019}ordre"))
  end)
end)

describe("thematic.tokens() on long texts, 64 bytes at a time", function()
  -- Texts of 64 bytes or more go through a fast path for plain ASCII words
  -- (bit masks of 64 bytes); the rest through the general scanner. Both
  -- must give the same tokens: a short text gives the same tokens with
  -- spaces after it (fast path) as alone (general path), and a long text
  -- the same as its pieces tokenised one by one.
  local H = dofile("spec/helper.lua")
  local PIECES = { "a", "B", "z9", "e-health", "don't", "don\u{2019}t", "patient's", "3.5", "1,000",
    "COVID-19", "HbA1c", "type-2", "A&E", "x.y", "U.K.", "-", "'", "\u{2019}", ".", ",", ":", ";",
    "@", "a@b.org", "jo.bloggs@nhs.net", "https://nhs.uk/app?x=1", "www.example.org",
    "caf\u{E9}", "Stra\u{DF}e", "\u{928}\u{92E}\u{938}\u{94D}\u{924}\u{947}",
    "\u{1F44D}", "\u{1F469}\u{200D}\u{2695}\u{FE0F}", "\t", "\n", "\r\n", "(", ")", "\"", "\0",
    "\xFF", "_", "#", "abcdefghijklmnopqrstuvwxyz0123456789" }

  local function random_text(rand, n)
    local out = {}
    for _ = 1, n do
      out[#out + 1] = PIECES[rand(#PIECES)]
      if rand(3) == 1 then out[#out + 1] = " " end
    end
    return table.concat(out)
  end

  local function same_tokens(a, b, shift, label)
    assert.equal(#a, #b, label)
    for i = 1, #a do
      local x, y = a[i], b[i]
      if x.text ~= y.text or x.kind ~= y.kind or x.start + shift ~= y.start or x.stop + shift ~= y.stop then
        error(("%s: token %d differs: %q %s %d-%d vs %q %s %d-%d"):format(label, i, x.text, x.kind,
          x.start, x.stop, y.text, y.kind, y.start, y.stop))
      end
    end
  end

  it("gives a short text's tokens alone and with 70 spaces after it", function()
    local rand = H.lcg(2026)
    for case = 1, 3000 do
      local s = random_text(rand, rand(12))
      same_tokens(thematic.tokens(s), thematic.tokens(s .. (" "):rep(70)), 0, "case " .. case)
    end
  end)

  it("gives a long text the tokens of its space-separated pieces", function()
    local rand = H.lcg(7)
    for case = 1, 200 do
      local pieces, want, pos = {}, {}, 0
      for i = 1, rand(60) do
        local p = random_text(rand, rand(6))
        pieces[i] = p
        for _, t in ipairs(thematic.tokens(p)) do
          want[#want + 1] = { text = t.text, kind = t.kind, start = t.start + pos, stop = t.stop + pos }
        end
        pos = pos + #p + 1
      end
      same_tokens(want, thematic.tokens(table.concat(pieces, " ")), 0, "case " .. case)
    end
  end)

  it("gives stem_counts() the words it gives one by one", function()
    -- stem_counts() takes its tokens from the scanner in batches, with the
    -- fast path's state kept between tokens
    local rand = H.lcg(11)
    for case = 1, 200 do
      local s = random_text(rand, rand(300))
      local want, nwords = {}, 0
      for _, t in ipairs(thematic.tokens(s)) do
        if t.kind == "word" then
          local n = thematic.normalize(t.text)
          want[n] = (want[n] or 0) + 1
          nwords = nwords + 1
        end
      end
      local got, total = thematic.stem_counts(s, "none")
      assert.equal(nwords, total, "case " .. case)
      assert.same(want, got, "case " .. case)
    end
  end)
end)

describe("thematic.tokens() with invalid UTF-8", function()
  local bad = {
    ["a lone continuation byte"] = "ab\x80cd",
    ["a truncated sequence"] = "ab\xE2\x82",
    ["an overlong encoding"] = "ab\xC0\xAF cd",
    ["an encoded surrogate"] = "ab\xED\xA0\x80 cd",
    ["a code point past U+10FFFF"] = "ab\xF4\x90\x80\x80 cd",
    ["0xFF"] = "ab\xFF cd",
  }
  for what, s in pairs(bad) do
    it("never fails on " .. what .. " and counts the bad bytes", function()
      local toks, nbad = thematic.tokens(s)
      assert.equal("ab", toks[1].text)
      assert.is_true(nbad >= 1)
    end)
  end

  it("reads each bad byte as U+FFFD, one byte at a time", function()
    local _, nbad = thematic.tokens("x\xC0\xAFy")
    assert.equal(2, nbad)
  end)

  it("fails in strict mode with the byte offset of the first bad byte", function()
    local toks, msg, offset = thematic.tokens("good text \xE2\x82 more", { strict = true })
    assert.is_nil(toks)
    assert.equal("invalid UTF-8 at byte 11", msg)
    assert.equal(11, offset)
  end)

  it("handles NUL bytes as separators", function()
    assert.same({ "a", "b" }, texts("a\0b"))
  end)

  it("rejects an unknown mode", function()
    assert.has_error(function() thematic.tokens("x", { mode = "bogus" }) end,
      "bad argument #2 to 'tokens' (unknown mode 'bogus' (expected 'words' or 'uax29'))")
  end)

  it("tokenises a 50 MB single line #huge", function()
    local line = string.rep("patients' data-cost barriers, ", 50 * 1024 * 1024 // 30)
    local n = thematic.word_count(line)
    assert.equal(3 * (50 * 1024 * 1024 // 30), n)
  end)

  it("tokenises random bytes without failing", function()
    math.randomseed(42)
    for _ = 1, 200 do
      local b = {}
      for i = 1, math.random(0, 300) do b[i] = string.char(math.random(0, 255)) end
      local s = table.concat(b)
      local toks = thematic.tokens(s)
      for _, t in ipairs(toks) do assert.equal(t.text, s:sub(t.start, t.stop)) end
      local segs = thematic.tokens(s, { mode = "uax29" })
      local pieces = {}
      for i, t in ipairs(segs) do pieces[i] = t.text end
      assert.equal(s, table.concat(pieces))
    end
  end)
end)
