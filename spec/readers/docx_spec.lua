-- The .docx reader: needs thematic.zip (libzip) and the `zip` command to
-- build its fixtures; each is checked and the specs are pending without it.
local docx = require "thematic.readers.docx"
local H = dofile("spec/helper.lua")

local has_zipmod = pcall(require, "thematic.zip")
local has_zip = os.execute("command -v zip >/dev/null 2>&1") == true

local W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
local DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
local CONTENT_TYPES = [[<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="]] .. DOCUMENT_TYPE .. [["/>
</Types>]]

local function para(...)
  return "<w:p><w:r>" .. table.concat({ ... }) .. "</w:r></w:p>"
end

-- Build a .docx with the `zip` command; returns its path.
local function make_docx(body, raw)
  local dir = os.tmpname()
  os.remove(dir)
  assert(os.execute("mkdir -p '" .. dir .. "/word'"))
  local function write(name, data)
    local f = assert(io.open(dir .. "/" .. name, "wb")); f:write(data); f:close()
  end
  write("[Content_Types].xml", CONTENT_TYPES)
  write("word/document.xml", raw or ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document '
    .. W .. "><w:body>" .. body .. "</w:body></w:document>"))
  local path = dir .. "/t.docx"
  assert(os.execute("cd '" .. dir .. "' && zip -q -X t.docx '[Content_Types].xml' word/document.xml"))
  return path, dir
end

describe("thematic.readers.docx", function()
  describe("paragraphs()", function()
    it("reads w:t, w:tab and w:br and leaves out deleted text", function()
      local xml = "<w:document " .. W .. "><w:body>"
        .. para("<w:t>Interviewer:</w:t><w:tab/><w:t xml:space=\"preserve\">Why? </w:t>")
        .. para("<w:t>P03: line one</w:t><w:br/><w:t>line two</w:t><w:delText>gone</w:delText>")
        .. "</w:body></w:document>"
      assert.same({ "Interviewer:\tWhy? ", "P03: line one\nline two" }, docx.paragraphs(xml, "d"))
    end)

    it("refuses a DOCTYPE so entities never expand (billion laughs)", function()
      local xml = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        .. "<w:document " .. W .. "><w:body>" .. para("<w:t>&lol2;</w:t>") .. "</w:body></w:document>"
      assert.same({ nil, "d: DOCTYPE and entity declarations are not allowed" }, { docx.paragraphs(xml, "d") })
    end)

    it("refuses an external DTD reference", function()
      local xml = '<?xml version="1.0"?><!DOCTYPE\tx SYSTEM "file:///etc/passwd"><x/>'
      local ok, err = docx.paragraphs(xml, "d")
      assert.is_nil(ok)
      assert.equal("d: DOCTYPE and entity declarations are not allowed", err)
    end)

    it("reports malformed XML with its line", function()
      local ok, err = docx.paragraphs("<w:document " .. W .. ">\n<w:p>", "d")
      assert.is_nil(ok)
      assert.matches("^d:%d+: ", err)
    end)
  end)

  describe("read()", function()
    it("says when thematic.zip is not built", function()
      assert.same({ nil, "fg1.docx: reading .docx needs thematic.zip (not built)" },
        { H.without_module("thematic.zip", function() return docx.read("fg1.docx") end) })
    end)

    if not (has_zipmod and has_zip) then
      pending("needs thematic.zip (make) and the zip command")
      return
    end

    it("reads a real .docx into turns", function()
      local path, dir = make_docx(para("<w:t>Interviewer: What got in the way?</w:t>")
        .. para("<w:t>P03: The log-ins.</w:t>") .. para("<w:t>Every time [laughs].</w:t>"))
      local doc = assert(docx.read(path))
      os.execute("rm -rf '" .. dir .. "'")
      assert.equal("docx", doc.format)
      assert.equal("Interviewer: What got in the way?\nP03: The log-ins.\nEvery time [laughs].", doc.text)
      assert.equal(2, #doc.segments)
      assert.same({ "P03", "The log-ins.\nEvery time [laughs].", 2 },
        { doc.segments[2].speaker, doc.segments[2].text, doc.segments[2].line })
      assert.is_true(doc.segments[1].interviewer)
    end)

    it("refuses a billion-laughs document.xml inside a .docx", function()
      local path, dir = make_docx(nil, '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><w:document '
        .. W .. '><w:body><w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:body></w:document>')
      local ok, err = docx.read(path)
      os.execute("rm -rf '" .. dir .. "'")
      assert.is_nil(ok)
      assert.equal(path .. ": word/document.xml: DOCTYPE and entity declarations are not allowed", err)
    end)

    it("reports a file that is not a zip", function()
      local name = os.tmpname()
      local f = assert(io.open(name, "wb")); f:write("not a zip"); f:close()
      local ok, err = docx.read(name)
      os.remove(name)
      assert.is_nil(ok)
      assert.equal(name .. ": ", err:sub(1, #name + 2))
    end)
  end)
end)
