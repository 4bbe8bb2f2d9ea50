-- Conformance with Unicode Standard Annex #29 (word boundaries): every line
-- of the Unicode 15.0 WordBreakTest.txt, as Debian's unicode-data package
-- installs it. Each line lists code points with ÷ (boundary) or × (no
-- boundary) between them; joining our segments must give back the input and
-- our boundaries must be exactly the ÷ positions.
local thematic = require "thematic"

local TEST_FILE = "/usr/share/unicode/auxiliary/WordBreakTest.txt"

local function parse_line(line)
  -- ÷ and × are two bytes each: swap them for ASCII before matching.
  local body = line:gsub("#.*", ""):gsub("÷", "/"):gsub("×", "x")
  if not body:find("%x") then return nil end
  local cps, boundaries = {}, {}
  local offset = 0
  for mark, hex in body:gmatch("([/x])%s*(%x*)") do
    if mark == "/" then boundaries[offset] = true end
    if hex ~= "" then
      local cp = tonumber(hex, 16)
      cps[#cps + 1] = utf8.char(cp)
      offset = offset + #utf8.char(cp)
    end
  end
  return table.concat(cps), boundaries
end

describe("thematic.tokens() in uax29 mode", function()
  local f = io.open(TEST_FILE, "r")
  if not f then
    pending("needs " .. TEST_FILE .. " (Debian package unicode-data)")
    return
  end
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()

  it("passes every line of WordBreakTest.txt", function()
    local tested, failures = 0, {}
    for n, line in ipairs(lines) do
      local text, expected = parse_line(line)
      if text then
        tested = tested + 1
        local segs = thematic.tokens(text, { mode = "uax29" })
        local got, pieces = { [0] = true }, {}
        for _, s in ipairs(segs) do
          got[s.stop] = true
          pieces[#pieces + 1] = s.text
        end
        local ok = table.concat(pieces) == text
        for off in pairs(expected) do ok = ok and got[off] end
        for off in pairs(got) do ok = ok and expected[off] end
        if not ok and #failures < 10 then
          failures[#failures + 1] = ("line %d: %s"):format(n, line)
        end
      end
    end
    assert.same({}, failures)
    assert.is_true(tested > 1800)
  end)

  it("gives back the input when the segments are joined", function()
    local text = "Dr Kaur said: “don’t worry” — 3.5 mmol/L, 👍🏽 ok?\r\n"
    local pieces = {}
    for _, s in ipairs(thematic.tokens(text, { mode = "uax29" })) do
      pieces[#pieces + 1] = s.text
    end
    assert.equal(text, table.concat(pieces))
  end)

  it("labels spaces, punctuation, words and numbers", function()
    local kinds = {}
    for _, s in ipairs(thematic.tokens("Hi, 42 ", { mode = "uax29" })) do
      kinds[#kinds + 1] = s.kind
    end
    assert.same({ "word", "punct", "space", "number", "space" }, kinds)
  end)
end)
