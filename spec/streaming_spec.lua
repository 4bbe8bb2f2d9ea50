-- A transcript too big to hold is read in parts (thematic.readers.text.stream,
-- used by corpus.load with `each`). The parts must give the same turns,
-- speakers, line numbers and counts as reading the file whole. The sizes
-- are lowered here so that a few kilobytes make many parts.
local corpus = require "thematic.corpus"
local codebook = require "thematic.codebook"
local coding = require "thematic.coding"
local count = require "thematic.analysis.count"
local text_reader = require "thematic.readers.text"

local H = dofile("spec/helper.lua")
local tmpdir, write = H.tmpdir, H.write

-- A transcript with everything the parser treats specially: a preamble
-- with no speaker, interviewer turns, a name used as a label (Tom:) that
-- counts only because it is used twice, far apart, a `Note:` that is not a
-- speaker, continuation lines and blank lines inside turns, CRLF line ends
-- in places, and one turn of 40 lines (about 1.8 KB).
local function transcript_text()
  local out = { "FICTIONAL transcript for a test.\n", "Recorded in a made-up clinic.\n\n" }
  for i = 1, 120 do
    out[#out + 1] = ("Interviewer: Question %d about the app and access?\n"):format(i)
    out[#out + 1] = ("P%02d: I found the app hard to use, number %d. Note: the portal too.\n")
      :format(i % 7 + 1, i)
    if i % 5 == 0 then out[#out + 1] = "It was not easy to use.\r\n\r\nStill about the barrier.\n" end
    if i == 3 or i == 110 then out[#out + 1] = "Tom: my mum needs help with the log-in.\n" end
    if i == 60 then
      out[#out + 1] = "P02: A long answer begins here.\n"
      for j = 1, 40 do out[#out + 1] = ("line %d of a long turn about digital access\n"):format(j) end
    end
  end
  return table.concat(out)
end

local function segments_of(docs)
  local out = {}
  for _, d in ipairs(docs) do
    for _, s in ipairs(d.segments) do
      out[#out + 1] = { s.speaker or false, s.text, s.line, s.interviewer, s.participant or false }
    end
  end
  return out
end

describe("reading a transcript in parts", function()
  local saved_stream, saved_part
  local dir, path
  setup(function()
    saved_stream, saved_part = corpus.STREAM_BYTES, corpus.PART_BYTES
    dir = tmpdir()
    path = dir .. "/big.txt"
    write(path, "\239\187\191" .. transcript_text())
  end)
  teardown(function()
    corpus.STREAM_BYTES, corpus.PART_BYTES = saved_stream, saved_part
    os.execute("rm -rf '" .. dir .. "'")
  end)
  before_each(function()
    corpus.STREAM_BYTES, corpus.PART_BYTES = saved_stream, saved_part
  end)

  local function whole()
    local c = assert(corpus.load(path))
    return c.documents
  end

  local function in_parts(part_bytes)
    corpus.STREAM_BYTES, corpus.PART_BYTES = 0, part_bytes
    local parts = {}
    local c = assert(corpus.load(path, { each = function(d) parts[#parts + 1] = d end }))
    return parts, c
  end

  it("gives the same turns, speakers and line numbers as the whole file", function()
    local parts, c = in_parts(2500)
    assert.is_true(#parts >= 5)
    assert.equal(1, c.ndocuments)
    assert.same(segments_of(whole()), segments_of(parts))
  end)

  it("numbers its parts and gives each the file's id", function()
    local parts = in_parts(2000)
    for k, p in ipairs(parts) do
      assert.equal(k, p.part)
      assert.equal("big.txt", p.id)
    end
  end)

  it("spans every segment into its part's text", function()
    for _, p in ipairs((in_parts(900))) do
      for _, s in ipairs(p.segments) do
        assert.equal(s.text, p.text:sub(s.start, s.stop))
      end
    end
  end)

  it("keeps the part's offset into the file's text", function()
    local text = whole()[1].text
    for _, p in ipairs((in_parts(1500))) do
      assert.equal(p.text, text:sub(p.offset + 1, p.offset + #p.text))
    end
  end)

  it("counts the same as reading the file whole, whatever the part size", function()
    local cb = assert(codebook.load("samples/codebooks/digital-health.yml"))
    local function counted(docs)
      local code_doc = coding.coder(cb)
      local add, partials = count.counter(cb, { "speaker" })
      for _, d in ipairs(docs) do code_doc(d, add) end
      return count.to_plain(count.merge(partials))
    end
    local expected = counted(whole())
    for _, size in ipairs({ 2500, 4096, 1e6 }) do
      assert.same(expected, counted((in_parts(size))))
    end
  end)

  it("splits only a turn longer than a part, keeping its speaker in every piece", function()
    local expected, got = segments_of(whole()), segments_of((in_parts(300)))
    assert.is_true(#got > #expected)
    local long
    for _, s in ipairs(expected) do
      if s[2]:find("^A long answer") then long = s end
    end
    local pieces = {}
    for _, s in ipairs(got) do
      if s[3] >= long[3] and s[3] <= long[3] + 40 then pieces[#pieces + 1] = s end
    end
    assert.is_true(#pieces > 3)
    local texts = {}
    for i, s in ipairs(pieces) do
      assert.equal("P02", s[1])
      texts[i] = s[2]
    end
    assert.equal(long[2], table.concat(texts, "\n"))
  end)

  it("leaves the preamble before the first label uncoded in every part", function()
    local parts = in_parts(500)
    for _, p in ipairs(parts) do assert.is_true(p.has_speakers) end
  end)

  it("fails the whole file, before any part, on a bad byte near its end", function()
    local bad = dir .. "/bad.txt"
    write(bad, transcript_text() .. "P01: caf\233\n")
    local given = 0
    local ok, err = text_reader.stream(bad, {}, function() given = given + 1 end, 500)
    assert.is_nil(ok)
    assert.equal(0, given)
    local size = #transcript_text() + #"P01: caf" + 1
    assert.equal(bad .. ": invalid UTF-8 at byte " .. size, err)
  end)

  it("reports the bad byte's offset counting the BOM, as for a whole file", function()
    local bad = dir .. "/bom.txt"
    write(bad, "\239\187\191P01: ok\nP02: caf\233\n")
    local _, whole_err = corpus.read_file(bad)
    local _, err = text_reader.stream(bad, {}, function() end, 4)
    assert.equal(whole_err, err)
  end)

  it("keeps a line longer than a part whole", function()
    local long = dir .. "/long.txt"
    write(long, "P01: " .. ("word "):rep(5000) .. "\nP02: short\n")
    local parts = {}
    assert(text_reader.stream(long, {}, function(p) parts[#parts + 1] = p end, 100))
    local segs = segments_of(parts)
    assert.equal(2, #segs)
    assert.equal("P01", segs[1][1])
    assert.equal(("word "):rep(4999) .. "word", segs[1][2])
  end)

  it("holds one part at a time: a 12 MB transcript of short turns in parts of 1 MiB", function()
    -- Read whole, 12 MB of two-line turns is about 124 MB of live Lua heap
    -- (a table per turn). In parts, what is live while a part is handled
    -- (measured after a full collection, so garbage and the heap the rest
    -- of the suite holds do not count) stays near one part's worth.
    local big = dir .. "/short-turns.txt"
    local f = assert(io.open(big, "wb"))
    local turn = "P%02d: the app was hard to use\nand my daughter helped me.\n"
    local chunk = {}
    for i = 1, 20000 do chunk[i] = turn:format(i % 40) end
    chunk = table.concat(chunk)
    for _ = 1, math.ceil(12e6 / #chunk) do f:write(chunk) end
    f:close()
    corpus.STREAM_BYTES, corpus.PART_BYTES = 0, 1024 * 1024
    collectgarbage()
    local base, peak, turns = collectgarbage("count"), 0, 0
    assert(corpus.load(big, { each = function(d)
      turns = turns + #d.segments
      collectgarbage()
      peak = math.max(peak, collectgarbage("count"))
    end }))
    assert.equal(20000 * math.ceil(12e6 / #chunk), turns)
    assert.is_true((peak - base) / 1024 < 60,
      ("live Lua heap peaked %.0f MB above the start"):format((peak - base) / 1024))
  end)

  it("reads small files whole, and every file whole without `each`", function()
    corpus.STREAM_BYTES, corpus.PART_BYTES = 0, 500
    local c = assert(corpus.load(path))
    assert.equal(1, #c.documents)
    assert.is_nil(c.documents[1].part)
  end)
end)
