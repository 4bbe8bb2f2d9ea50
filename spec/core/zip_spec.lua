local zip = require "thematic.zip"

describe("thematic.zip", function()
  local dir = os.tmpname()
  os.remove(dir)
  os.execute("mkdir -p " .. dir)
  local path = dir .. "/test.zip"

  teardown(function() os.execute("rm -rf " .. dir) end)

  it("write an archive that the zip command reads back", function()
    assert.is_true(zip.write(path, {
      { name = "a.txt", data = "Zoë said: “fine” 👍\r\n" },
      { name = "sub/b.txt", data = ("x"):rep(100000) },
    }))
    local p = io.popen("unzip -p " .. path .. " a.txt")
    assert.equal("Zoë said: “fine” 👍\r\n", p:read("a"))
    p:close()
  end)

  it("list and read entries", function()
    assert.same({ "a.txt", "sub/b.txt" }, zip.list(path))
    assert.equal(("x"):rep(100000), zip.read(path, "sub/b.txt"))
  end)

  it("refuse an entry that inflates past the limit", function()
    local data, err = zip.read(path, "sub/b.txt", 1000)
    assert.is_nil(data)
    assert.equal(path .. ": entry 'sub/b.txt' inflates to 100000 bytes, more than the limit of 1000", err)
  end)

  it("name a missing entry", function()
    assert.same({ nil, path .. ": no entry 'word/document.xml' in the archive" },
                { zip.read(path, "word/document.xml") })
  end)

  it("say when a file is not a zip archive", function()
    local f = io.open(dir .. "/fake.docx", "w")
    f:write("this is plain text")
    f:close()
    local data, err = zip.read(dir .. "/fake.docx", "word/document.xml")
    assert.is_nil(data)
    assert.matches("fake%.docx: not a readable zip archive %(Not a zip archive%)", err)
  end)

  it("raise for an entry without string data, before touching the disk", function()
    local out = dir .. "/never.zip"
    assert.has_error(function() zip.write(out, { { name = "a.txt", data = "a" }, { name = "b.txt" } }) end,
      "bad argument #2 to 'write' (entry 2 needs a string name and string data)")
    assert.is_nil(io.open(out))
  end)
end)

-- thematic.core must not link libzip: libzip brings libcrypto, and loading
-- them cost every command about 5 ms and 140 page faults, though only
-- .docx and .qdpx need them. thematic.zip has them; it is loaded only when
-- a zip is opened.
describe("loading thematic.core", function()
  local core_so = package.searchpath("thematic.core", package.cpath)
  local ZIP_LIBS = { "libzip.so", "libcrypto.so" }

  -- What a fresh interpreter has mapped after running `code`: the text of
  -- its /proc/self/maps, or nil when there is none.
  local function maps_after(code)
    local script = os.tmpname()
    local f = assert(io.open(script, "w"))
    f:write(string.format("package.path, package.cpath = %q, %q\n", package.path, package.cpath),
      code, "\nlocal m = io.open('/proc/self/maps')\nif m then io.write(m:read('a')) end\n")
    f:close()
    local p = io.popen("lua5.4 " .. script)
    local maps = p:read("a")
    p:close()
    os.remove(script)
    return maps ~= "" and maps or nil
  end

  local has_maps = io.open("/proc/self/maps") ~= nil
  local has_ldd = os.execute("command -v ldd >/dev/null 2>&1") == true

  it("core.so does not link libzip or libcrypto (ldd)", function()
    if not has_ldd then pending("needs ldd") return end
    local p = io.popen("ldd '" .. core_so .. "'")
    local deps = p:read("a")
    p:close()
    assert.truthy(deps:find("libutf8proc", 1, true), deps)  -- ldd did list it
    for _, lib in ipairs(ZIP_LIBS) do assert.falsy(deps:find(lib, 1, true), core_so .. " links " .. lib) end
  end)

  it("the modules bin/thematic loads, the readers and refiqda do not map libzip or libcrypto", function()
    if not has_maps then pending("needs /proc/self/maps") return end
    local maps = assert(maps_after([[
      for _, m in ipairs{ "thematic", "thematic.output", "thematic.coding", "thematic.analysis.count",
                          "thematic.corpus", "thematic.readers.docx", "thematic.refiqda" } do
        require(m)
      end
      assert(package.loaded["thematic.core"] and not package.loaded["thematic.zip"])]]))
    assert.truthy(maps:find("thematic/core.so", 1, true))
    for _, lib in ipairs(ZIP_LIBS) do assert.falsy(maps:find(lib, 1, true), "mapped: " .. lib) end
  end)

  it("require 'thematic.zip' maps them (so the check above can see them)", function()
    if not has_maps then pending("needs /proc/self/maps") return end
    local maps = assert(maps_after([[require "thematic.zip"]]))
    for _, lib in ipairs(ZIP_LIBS) do assert.truthy(maps:find(lib, 1, true), "not mapped: " .. lib) end
  end)
end)
