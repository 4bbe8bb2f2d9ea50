-- Safe outputs: CSV formula neutralising in every CSV the CLI writes, HTML
-- and XML escaping, --output never over an input, never half written.
local H = dofile("spec/helper.lua")
local output = require "thematic.output"
local codebook = require "thematic.codebook"

-- A study whose text, speaker, attribute and code names start with
-- formula characters.
local function evil_study()
  local d = H.tmpdir()
  H.write(d .. "/participants.csv", "id,group\n=P1,=HYPERLINK(\"http://x\")\n@P2,+cmd\n")
  H.write(d .. "/a.txt", "=P1: -the data cost is high, the data cost\n@P2: data cost again\n")
  H.write(d .. "/b.txt", "=P1: data cost data cost\n")
  H.write(d .. "/cb.yml", "name: evil\ncodes:\n  \"=cost\":\n    label: \"@SUM(A1)\"\n    patterns: [data cost]\n")
  return d
end

local function formula_cells(csv)
  local bad = {}
  -- every cell, quoted or not, at the start of a line or after a comma
  for cell in ("\n" .. csv):gmatch('[\n,]"?([^,\r\n"]*)') do
    if cell:match("^[=+%-@\t\r]") then bad[#bad + 1] = cell end
  end
  return bad
end

describe("safe outputs", function()
  describe("CSV", function()
    it("neutralises = + - @ tab CR at the start of a cell", function()
      for _, s in ipairs { "=1+1", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx" } do
        assert.equal("'", output.csv_field(s):gsub('^"', ""):sub(1, 1))
      end
      assert.equal("-3", output.csv_field(-3))   -- numbers stay numbers
    end)

    local d = evil_study()
    teardown(function() H.rmdir(d) end)
    local cb = " -c " .. d .. "/cb.yml"
    for _, cmd in ipairs {
      "count " .. d .. cb .. " --by group --format csv --jobs 1",
      "count " .. d .. cb .. " --by speaker --format csv --jobs 2",
      "kwic " .. d .. cb .. " --code =cost --format csv",
      "quotes " .. d .. cb .. " --format csv",
      "cooccur " .. d .. cb .. " --format csv",
    } do
      it("has no formula cell in: thematic " .. cmd:gsub(d, "DIR"), function()
        local out, code, err = H.run(cmd .. " -q")
        assert.equal(0, code, err)
        assert.truthy(#out > 0)
        assert.same({}, formula_cells(out))
      end)
    end
  end)

  it("codebook convert --to csv: formula cells get the text prefix, and read back unchanged", function()
    local codebook_mod = require "thematic.codebook"
    local cb = assert(codebook_mod.new{ name = "x", codes = { { name = "t", codes = {
      { name = "=cmd", patterns = { "=NHS", "+1*", "-ish*", "@home" } } } } } })
    local text = assert(cb:write(nil, "csv"))
    assert.same({}, formula_cells(text))
    assert.truthy(text:find("\r\nt/=cmd,'=NHS,\r\n", 1, true) or text:find("'=NHS", 1, true))
    local back = assert(codebook_mod.parse(text, "csv", "back.csv"))
    local pats = {}
    for i, p in ipairs(back:find("t/=cmd").patterns) do pats[i] = p.text end
    assert.same({ "=NHS", "+1*", "-ish*", "@home" }, pats)
  end)

  describe("HTML report", function()
    it("escapes transcript text, attributes and code names", function()
      if not pcall(require, "thematic.report") then
        pending("thematic.report is not there yet")
        return
      end
      local d = H.tmpdir()
      H.write(d .. "/participants.csv", 'id,group\nP1,"<img src=x onerror=alert(1)>"\n')
      H.write(d .. "/a.txt", "P1: <script>alert('t')</script> the data cost\n")
      H.write(d .. "/cb.yml", "name: x\ncodes:\n  \"<i onmouseover=x>cost\":\n"
        .. "    label: \"<script>alert(2)</script>\"\n"
        .. "    patterns: [data cost]\n")
      local _, code, err = H.run("report " .. d .. " -c " .. d .. "/cb.yml -o " .. d .. "/r.html -q")
      assert.equal(0, code, err)
      local html = H.read(d .. "/r.html")
      assert.falsy(html:find("<script>alert", 1, true))
      assert.falsy(html:find("<img src=x", 1, true))
      assert.falsy(html:find("<i onmouseover", 1, true))
      H.rmdir(d)
    end)
  end)

  describe("XML (.qdc)", function()
    it("escapes markup", function()
      local cb = assert(codebook.new({ name = "x", codes = { { name = "a<b&\"c'",
        definition = "d <script>&amp;", patterns = { "word" } } } }))
      local xml = assert(cb:write(nil, "qdc"))
      assert.truthy(xml:find('name="a&lt;b&amp;&quot;c\'"', 1, true))
      assert.truthy(xml:find("d &lt;script&gt;&amp;amp;", 1, true))
      assert.falsy(xml:find("<script>", 1, true))
    end)

    it("refuses characters XML 1.0 forbids", function()
      local cb = assert(codebook.new({ name = "x", codes = { { name = "bad\1name", patterns = { "w" } } } }))
      assert.same({ nil, "codebook table: cannot write .qdc: 'bad?name': character U+0001 at byte 4 "
        .. "is not allowed in XML 1.0" }, { cb:write(nil, "qdc") })
      local cb2 = assert(codebook.new({ name = "x", codes = { { name = "a", definition = "x\239\191\190",
        patterns = { "w" } } } }))
      local t, err = cb2:write(nil, "qdc")
      assert.is_nil(t)
      assert.truthy(err:find("character U+FFFE at byte 2 is not allowed in XML 1.0", 1, true))
    end)
  end)

  describe("--output", function()
    local S = "spec/fixtures/cli/study"
    local before = H.read(S .. "/a.txt")

    it("refuses to overwrite an input file, by any path to it", function()
      local d = H.tmpdir()
      H.write(d .. "/in.txt", "P1: data cost\n")
      os.execute("ln -s " .. d .. "/in.txt " .. d .. "/link.csv")
      for _, target in ipairs { d .. "/in.txt", d .. "/../" .. d:match("[^/]+$") .. "/in.txt", d .. "/link.csv" } do
        local _, code, err = H.run("count " .. d .. "/in.txt -c " .. H.CODEBOOK .. " --jobs 1 -q -o " .. target)
        assert.equal(1, code)
        assert.equal("thematic: " .. target .. ": refusing to overwrite an input file\n", err)
      end
      assert.equal("P1: data cost\n", H.read(d .. "/in.txt"))
      H.rmdir(d)
    end)

    it("refuses to overwrite a file inside an input folder", function()
      local _, code, err = H.run("count " .. S .. " -c " .. H.CODEBOOK .. " --jobs 1 -q -o " .. S .. "/a.txt")
      assert.equal(1, code)
      assert.equal("thematic: " .. S .. "/a.txt: refusing to overwrite a file in the input folder " .. S .. "\n", err)
      assert.equal(before, H.read(S .. "/a.txt"))
    end)

    it("reports a full device and leaves it a device (/dev/full)", function()
      local _, code, err = H.run("count " .. S .. " -c " .. H.CODEBOOK .. " --jobs 1 -q --format csv -o /dev/full")
      assert.equal(1, code)
      assert.equal("thematic: /dev/full: cannot write (No space left on device)\n", err)
      assert.truthy(H.sh("test -c /dev/full"))
    end)

    it("reports a full file system and leaves no partial output", function()
      local d = H.tmpdir()
      if not H.sh("mount -t tmpfs -o size=64k tmpfs " .. d) then
        H.rmdir(d)
        pending("cannot mount a tmpfs here (not root?)")
        return
      end
      os.execute("head -c 65536 /dev/zero > " .. d .. "/filler 2>/dev/null")
      local _, code, err = H.run("count " .. S .. " -c " .. H.CODEBOOK
        .. " --jobs 1 -q --format csv -o " .. d .. "/out.csv")
      local p = io.popen("ls -A " .. d)
      local left = p:read("a")
      p:close()
      os.execute("umount " .. d)
      H.rmdir(d)
      assert.equal(1, code)
      assert.equal("thematic: " .. d .. "/out.csv: cannot write (No space left on device)\n", err)
      assert.equal("filler\n", left)
    end)
  end)
end)
