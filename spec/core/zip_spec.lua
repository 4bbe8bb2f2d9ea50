local core = require "thematic.core"

describe("thematic.core zip functions", function()
  local dir = os.tmpname()
  os.remove(dir)
  os.execute("mkdir -p " .. dir)
  local path = dir .. "/test.zip"

  teardown(function() os.execute("rm -rf " .. dir) end)

  it("write an archive that the zip command reads back", function()
    assert.is_true(core.zip_write(path, {
      { name = "a.txt", data = "Zoë said: “fine” 👍\r\n" },
      { name = "sub/b.txt", data = ("x"):rep(100000) },
    }))
    local p = io.popen("unzip -p " .. path .. " a.txt")
    assert.equal("Zoë said: “fine” 👍\r\n", p:read("a"))
    p:close()
  end)

  it("list and read entries", function()
    assert.same({ "a.txt", "sub/b.txt" }, core.zip_list(path))
    assert.equal(("x"):rep(100000), core.zip_read(path, "sub/b.txt"))
  end)

  it("refuse an entry that inflates past the limit", function()
    local data, err = core.zip_read(path, "sub/b.txt", 1000)
    assert.is_nil(data)
    assert.equal(path .. ": entry 'sub/b.txt' inflates to 100000 bytes, more than the limit of 1000", err)
  end)

  it("name a missing entry", function()
    assert.same({ nil, path .. ": no entry 'word/document.xml' in the archive" },
                { core.zip_read(path, "word/document.xml") })
  end)

  it("say when a file is not a zip archive", function()
    local f = io.open(dir .. "/fake.docx", "w")
    f:write("this is plain text")
    f:close()
    local data, err = core.zip_read(dir .. "/fake.docx", "word/document.xml")
    assert.is_nil(data)
    assert.matches("fake%.docx: not a readable zip archive %(Not a zip archive%)", err)
  end)
end)
