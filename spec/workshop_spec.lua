-- docs/workshop.md is followed line by line in a room full of people, so
-- every command in it is run here as written, and the files it hands out
-- (samples/workshop/) are checked against the tool and the transcripts.
local H = dofile("spec/helper.lua")

local GUIDE = "docs/workshop.md"
local WORKSHOP = "samples/workshop/"

-- The `bin/thematic` command lines of the guide's ```sh blocks, in order,
-- a line ending in `\` joined with the next as the shell would.
local function guide_commands(path)
  local commands, in_sh, pending = {}, false, nil
  for line in io.lines(path) do
    if line:match("^```") then
      in_sh = line:match("^```sh%s*$") ~= nil
      pending = nil
    elseif in_sh then
      local text = pending and (pending .. " " .. line:gsub("^%s+", "")) or line
      if text:match("\\%s*$") then
        pending = text:gsub("%s*\\%s*$", "")
      else
        pending = nil
        if text:match("^bin/thematic%s") then commands[#commands + 1] = text end
      end
    end
  end
  return commands
end

-- The command with its -o/--output file moved into `dir`, and where that
-- file will be (nil when the command writes to standard output), so a run
-- never writes into the checkout. The guide's paths have no spaces.
local function redirect_output(command, dir)
  for _, option in ipairs({ "%-o ", "%-%-output ", "%-%-output=" }) do
    local _, to, path = command:find("%s" .. option .. "(%S+)")
    if to then
      local moved = dir .. "/" .. path:match("[^/]*$")
      return command:sub(1, to - #path) .. moved .. command:sub(to + 1), moved
    end
  end
  return command, nil
end

-- What `git status` says about the checkout, or nil outside a git checkout.
local function checkout_status()
  local p = io.popen("git status --porcelain --untracked-files=all 2>/dev/null")
  local out = p:read("a")
  local ok = p:close()
  return ok and out or nil
end

local function read_codings()
  return assert(require("thematic.analysis.agreement").from_csv(H.slurp(WORKSHOP .. "codings.csv")))
end

-- The excerpts of excerpts.md: `**E01** · P03 · `file:line``, a blank line,
-- then `> text`.
local function read_excerpts()
  local excerpts, current = {}, nil
  for line in io.lines(WORKSHOP .. "excerpts.md") do
    local unit, file = line:match("^%*%*(E%d+)%*%* · [^·]+ · `([^:`]+):%d+`$")
    if unit then
      current = { unit = unit, file = file }
      excerpts[#excerpts + 1] = current
    elseif current and line:match("^> ") then
      current.text = line:sub(3)
      current = nil
    end
  end
  return excerpts
end

describe("docs/workshop.md", function()
  local commands = guide_commands(GUIDE)
  local dir = H.tmpdir()
  local status_before = checkout_status()

  it("has commands to check", function()
    -- a guard against the extraction above silently finding nothing
    assert.is_true(#commands >= 20, #commands .. " commands found")
  end)

  for _, command in ipairs(commands) do
    it(command, function()
      local run, output_file = redirect_output(command, dir)
      local out, code, err = H.run((run:gsub("^bin/thematic%s+", "")))
      assert.equal(0, code, "exit status " .. tostring(code) .. "; stderr:\n" .. err)
      if output_file then
        local written = H.read(output_file)
        assert.is_truthy(written and #written > 0, output_file .. " was not written")
      else
        assert.is_true(#out > 0, "nothing on standard output; stderr:\n" .. err)
      end
    end)
  end

  it("leaves the checkout as it was", function()
    if status_before then assert.equal(status_before, checkout_status()) end
  end)

  teardown(function() H.rmdir(dir) end)
end)

describe("samples/workshop", function()
  local codebook = require "thematic.codebook"

  for _, name in ipairs({ "starter-codebook.yml", "extended-codebook.yml" }) do
    it("loads " .. name .. " without warnings", function()
      local cb, err = codebook.load(WORKSHOP .. name)
      assert.is_truthy(cb, err)
      assert.same({}, cb.warnings or {})
      assert.equal(8, #cb:leaves())
    end)
  end

  it("has a coding table the agreement module accepts", function()
    local res, err = require("thematic.analysis.agreement").compute(read_codings(), { reference = "amira" })
    assert.is_truthy(res, err)
    assert.equal(18, res.units)
    assert.same({ "amira", "ben", "chloe", "dictionary" }, res.coders)
  end)

  it("has every excerpt word for word in its transcript", function()
    local excerpts = read_excerpts()
    assert.equal(18, #excerpts)
    for _, e in ipairs(excerpts) do
      local transcript = H.slurp("samples/transcripts/" .. e.file)
      assert.is_truthy(e.text and transcript:find(e.text, 1, true), e.unit .. " is not in " .. e.file)
    end
  end)

  it("codes each excerpt as the dictionary coder did, with the starter codebook", function()
    local cb = assert(codebook.load(WORKSHOP .. "starter-codebook.yml"))
    local leaves = {}
    for _, code in ipairs(cb:leaves()) do leaves[code.path] = true end
    local dictionary = {}
    for _, row in ipairs(read_codings()) do
      if row.coder == "dictionary" then dictionary[row.unit] = row.value end
    end
    for _, e in ipairs(read_excerpts()) do
      local found = {}
      for path, hits in pairs(cb:scan(e.text).by_path) do
        if hits > 0 and leaves[path] then found[#found + 1] = path end
      end
      table.sort(found)
      assert.equal(dictionary[e.unit], #found == 0 and "none" or table.concat(found, ";"), e.unit)
    end
  end)
end)
