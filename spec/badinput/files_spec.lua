-- Nasty files and folders: zip bombs and XML entities in .docx, a
-- participants CSV with quotes, newlines and a BOM, out-of-order VTT,
-- odd paths, a symlink loop, unreadable files.
local H = dofile("spec/helper.lua")
local corpus = require "thematic.corpus"
local FIX = H.FIX
local has_zipmod = pcall(require, "thematic.zip")
local has_zip = H.sh("command -v zip")

local function docx(dir, name, xml)
  os.execute("mkdir -p '" .. dir .. "/x/word'")
  H.write(dir .. "/x/word/document.xml", xml)
  assert(H.sh("cd '" .. dir .. "/x' && zip -q -9 ../" .. name .. " word/document.xml"))
  os.execute("rm -rf '" .. dir .. "/x'")
  return dir .. "/" .. name
end

describe("bad input: files", function()
  describe(".docx", function()
    if not (has_zipmod and has_zip) then
      pending("needs thematic.zip (make) and zip")
      return
    end

    it("refuses a zip bomb (200 MB of zeros in 194 KB) past the 64 MiB limit", function()
      local d = H.tmpdir()
      os.execute("mkdir -p " .. d .. "/x/word && head -c 200000000 /dev/zero > " .. d .. "/x/word/document.xml")
      assert(H.sh("cd " .. d .. "/x && zip -q -9 ../bomb.docx word/document.xml"))
      os.execute("rm -rf " .. d .. "/x")
      local _, code, err, rss = H.run("count " .. d .. "/bomb.docx -c " .. H.CODEBOOK .. " --jobs 1 -q")
      assert.equal(1, code)
      assert.equal("thematic: " .. d .. "/bomb.docx: entry 'word/document.xml' inflates to "
        .. "200000000 bytes, more than the limit of 67108864\n", err)
      if rss then assert.is_true(rss < 100 * 1024, rss .. " KB") end
      H.rmdir(d)
    end)

    it("never expands an external entity", function()
      local d = H.tmpdir()
      local p = docx(d, "xxe.docx", '<?xml version="1.0"?>\n<!DOCTYPE w:document [ <!ENTITY xxe SYSTEM '
        .. '"file:///etc/passwd"> ]>\n<w:document xmlns:w="http://schemas.openxmlformats.org/'
        .. 'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>P1: &xxe;</w:t></w:r></w:p></w:body></w:document>')
      assert.same({ nil, p .. ": word/document.xml: DOCTYPE and entity declarations are not allowed" },
        { corpus.read_file(p) })
      H.rmdir(d)
    end)

    it("never expands billion laughs", function()
      local d = H.tmpdir()
      local ents = { '<!ENTITY l0 "lol">' }
      for i = 1, 9 do ents[#ents + 1] = ("<!ENTITY l%d \"%s\">"):format(i, ("&l" .. (i - 1) .. ";"):rep(10)) end
      local p = docx(d, "laughs.docx", '<?xml version="1.0"?>\n<!DOCTYPE w:document [' .. table.concat(ents)
        .. ']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        .. '<w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>')
      assert.same({ nil, p .. ": word/document.xml: DOCTYPE and entity declarations are not allowed" },
        { corpus.read_file(p) })
      H.rmdir(d)
    end)

    it("names a binary file called .docx once, as not a zip", function()
      local d = H.tmpdir()
      H.sh("cp " .. FIX .. "binary.txt " .. d .. "/b.docx")
      local _, err = corpus.read_file(d .. "/b.docx")
      assert.equal(d .. "/b.docx: not a readable zip archive (Not a zip archive)", err)
      H.rmdir(d)
    end)
  end)

  describe("participants CSV", function()
    it("reads quotes, embedded newlines and a BOM", function()
      local d = H.tmpdir()
      H.sh("cp " .. FIX .. "participants.csv " .. d)
      H.write(d .. "/a.txt", "Anna \"the nurse\" Smith: the data cost\nP2: data cost\n")
      local c = assert(corpus.load(d))
      local p1 = require("thematic.participants").lookup(c.participants, "P1")
      assert.equal("line one\r\nline two, with comma", p1.attributes.notes)
      assert.equal("pharmacy", p1.attributes.group)
      local seg = c.documents[1].segments[1]
      assert.equal("P1", seg.participant)
      H.rmdir(d)
    end)
  end)

  describe("VTT with timestamps out of order", function()
    it("keeps the cues in file order with their own times", function()
      local docs = assert(corpus.read_file(FIX .. "out-of-order.vtt"))
      local segs = docs[1].segments
      assert.equal(2, #segs)
      assert.same({ 10000, "P1" }, { segs[1].time.start_ms, segs[1].speaker })
      assert.same({ 1000, "P2" }, { segs[2].time.start_ms, segs[2].speaker })
    end)
  end)

  describe("folders", function()
    it("reads paths with spaces and non-ASCII names and does not follow a symlink loop", function()
      local d = H.tmpdir()
      os.execute("mkdir -p '" .. d .. "/my study/sub'")
      H.write(d .. "/my study/Café interview é.txt", "P1: the data cost\n")
      H.write(d .. "/my study/sub/b.txt", "P2: data cost\n")
      assert(H.sh("ln -s .. '" .. d .. "/my study/sub/loop'"))
      local c = assert(corpus.load(d .. "/my study"))
      assert.equal(2, #c.documents)
      assert.same({ "Café interview é.txt", "sub/b.txt" }, { c.documents[1].id, c.documents[2].id })
      local out, code = H.run("count '" .. d .. "/my study' -c " .. H.CODEBOOK .. " --format csv --jobs 1 -q")
      assert.equal(0, code)
      assert.truthy(out:find("Café interview é.txt", 1, true))
      H.rmdir(d)
    end)

    it("names an unreadable file and reads the others", function()
      local d = H.tmpdir()
      H.write(d .. "/ok.txt", "P1: data cost\n")
      assert(H.sh("ln -s /nonexistent/thematic '" .. d .. "/dangling.txt'"))
      local c, errors = corpus.load(d)
      assert.equal(1, #c.documents)
      assert.same({ d .. "/dangling.txt: No such file or directory" }, errors)
      H.rmdir(d)
    end)

    it("names a chmod 000 file (not as root: root reads it)", function()
      local d = H.tmpdir()
      H.write(d .. "/locked.txt", "P1: data cost\n")
      os.execute("chmod 000 '" .. d .. "/locked.txt'")
      local f = io.open(d .. "/locked.txt", "rb")
      if f then
        f:close()
        H.rmdir(d)
        pending("running as root: chmod 000 does not stop root reading; the dangling link above covers the error path")
        return
      end
      local _, errors = corpus.load({ d .. "/locked.txt", "spec/fixtures/cli/study/a.txt" })
      assert.same({ d .. "/locked.txt: Permission denied" }, errors)
      H.rmdir(d)
    end)
  end)
end)
