-- Specs for thematic.report (build, html, write) and the browser check.
-- Coding needs the C core (make); the browser check needs Debian's
-- chromium and nodejs (>= 20) and is pending without them.

local corpus = require "thematic.corpus"
local codebook = require "thematic.codebook"
local coding = require "thematic.coding"

local FIXTURE = "spec/fixtures/report"
local CODEBOOK = "samples/codebooks/digital-health.yml"
local SAMPLE = "samples/transcripts"

local has_core = pcall(require, "thematic.core")

local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() return true end
  return false
end

local function coded_of(path, opts)
  local c = assert(corpus.load(path))
  return coding.code(c, assert(codebook.load(CODEBOOK)), opts)
end

local tmpdir = dofile("spec/helper.lua").tmpdir

local function count_of(s, plain)
  local n, i = 0, 1
  while true do
    local a, b = s:find(plain, i, true)
    if not a then return n end
    n, i = n + 1, b + 1
  end
end

describe("thematic.report", function()
  if not has_core then
    it("needs the C core", function() pending("thematic.core is not built: run make") end)
    return
  end
  local report = require "thematic.report"
  local svg = require "thematic.report.svg"

  describe("build()", function()
    it("summarises documents, participants by group, words and the codebook", function()
      local data = report.build(coded_of(FIXTURE), { date = false })
      local s = data.summary
      assert.are.equal(7, s.documents)
      assert.are.equal(7, s.participants)
      assert.are.same({
        { group = "cardiometabolic specialist", participants = 2 },
        { group = "general practice", participants = 2 },
        { group = "other", participants = 1 },
        { group = "pharmacy", participants = 2 },
      }, s.participants_by_group)
      assert.are.equal("digital-health", s.codebook.name)
      assert.are.equal("english", s.codebook.language)
      assert.are.equal(14, s.codebook.themes)
      assert.is_nil(data.date)
    end)

    it("groups by group, else role, else document", function()
      assert.are.equal("group", report.build(coded_of(FIXTURE), { date = false }).by)
      local dir = tmpdir()
      local f = assert(io.open(dir .. "/a.txt", "wb"))
      f:write("P1: The app was confusing.\nP2: Passwords again.\n")
      f:close()
      local data = report.build(coded_of(dir), { date = false })
      os.execute("rm -rf '" .. dir .. "'")
      assert.are.equal("document", data.by)
      assert.are.same({ "a.txt" }, data.groups)
    end)

    it("compares the groups asked for", function()
      local data = report.build(coded_of(FIXTURE), { by = "profession", date = false })
      assert.are.equal("profession", data.by)
      assert.are.equal(7, #data.groups)
    end)

    it("assesses saturation in corpus order", function()
      local data = report.build(coded_of(FIXTURE), { date = false })
      local sat = data.saturation
      assert.are.equal(7, #sat.cumulative)
      assert.are.equal("interviews/p01.txt", sat.documents[1])
      assert.is_nil(sat.message)
      assert.is_false(sat.saturated)
      for i = 2, #sat.cumulative do
        assert.are.equal(sat.cumulative[i - 1] + sat.new[i], sat.cumulative[i])
      end
    end)

    it("orders the documents as thematic saturation does: by the manifest's dates", function()
      local data = report.build(coded_of(SAMPLE), { date = false })
      local c = assert(corpus.load(SAMPLE))
      local expect = {}
      for i, d in ipairs((require("thematic.analysis.saturation").order(c.documents))) do expect[i] = d.id end
      assert.are.equal("focus-group-02-practice-team.txt", expect[#expect])
      assert.are.same(expect, data.saturation.documents)
      local listed = {}
      for i, d in ipairs(data.summary.document_list) do listed[i] = d.id end
      assert.are.same(expect, listed)
      assert.are.equal("date", data.saturation.order)
    end)

    it("gives a message instead of a verdict when there are too few documents", function()
      local data = report.build(coded_of("spec/fixtures/transcripts/study"), { date = false })
      assert.are.equal("saturation needs at least base + run = 4 + 2 = 6 documents; got 2",
        data.saturation.message)
    end)

    it("pairs only codes with hits, within segments", function()
      local data = report.build(coded_of(FIXTURE), { date = false })
      local co = data.cooccurrence
      local hit = {}
      for _, r in ipairs(data.totals) do hit[r.code] = r.hits > 0 end
      for _, c in ipairs(co.codes) do assert.is_true(hit[c], c) end
      local i, j
      for k, c in ipairs(co.codes) do
        if c == "privacy/privacy_barrier" then i = k end
        if c == "privacy/security_facilitator" then j = k end
      end
      assert.are.equal(1, co.n_ab[i][j])
      assert.are.equal(co.n_ab[i][j], co.n_ab[j][i])
    end)

    it("writes a method note with the limits of keyword counting", function()
      local note = table.concat(report.build(coded_of(FIXTURE), { date = false }).method, "\n")
      assert.truthy(note:find("Braun & Clarke", 1, true))
      assert.truthy(note:find("A count is not a theme", 1, true))
      assert.truthy(note:find("sarcasm", 1, true))
      assert.truthy(note:find("Interviewer, moderator and facilitator turns were left out", 1, true))
      assert.truthy(note:find("up to 3 words before it", 1, true))
    end)

    it("raises on something that is not a coded corpus", function()
      assert.has_error(function() report.build({}) end, "bad argument #1 to 'build' (coded corpus expected)")
    end)
  end)

  describe("html()", function()
    local page
    setup(function() page = report.html(report.build(coded_of(FIXTURE), { date = "2024-01-01" })) end)

    it("is one self-contained page: no scripts, no external resources", function()
      assert.truthy(page:find("^<!DOCTYPE html>"))
      assert.is_nil(page:lower():find("<script", 1, true))
      assert.is_nil(page:find("src=", 1, true))
      assert.is_nil(page:find("<link", 1, true))
      assert.is_nil(page:find("url(", 1, true))
      assert.is_nil(page:find("@import", 1, true))
      -- the only absolute URL is the SVG namespace
      local rest = page:gsub('xmlns="http://www%.w3%.org/2000/svg"', "")
      assert.is_nil(rest:find("https?://"))
      assert.is_nil(page:find('href="[^#]'))
    end)

    it("shows a transcript's <script> as text", function()
      assert.are.equal(0, count_of(page, "<script>alert(1)</script>"))
      assert.truthy(page:find("&lt;script&gt;alert(1)&lt;/script&gt;", 1, true))
      assert.truthy(page:find("&lt;b&gt;confusing&lt;/b&gt;", 1, true))
    end)

    it("escapes attributes and file names", function()
      assert.truthy(page:find("&lt;b&gt;charity&lt;/b&gt; &amp; &quot;outreach&quot;", 1, true))
      assert.truthy(page:find("interviews/p07&amp;co.txt", 1, true))
      assert.are.equal(0, count_of(page, "p07&co"))
    end)

    it("escapes code names, labels and definitions", function()
      local cb = assert(codebook.new { name = "x<&>'\"", codes = { {
        name = "t", label = "<i>T & 'T'</i>", codes = { { name = "c", label = "Jerry's <b>", definition = "a<b",
          valence = "barrier", patterns = { "confusing" } } } } } })
      local c = assert(corpus.load(FIXTURE))
      local html = report.html(report.build(coding.code(c, cb), { date = false }))
      assert.is_nil(html:find("<i>T", 1, true))
      assert.is_nil(html:find("Jerry's <b>", 1, true))
      assert.truthy(html:find("&lt;i&gt;T &amp; &#39;T&#39;&lt;/i&gt;", 1, true))
      assert.truthy(html:find("Jerry&#39;s &lt;b&gt;", 1, true))
      assert.truthy(html:find("x&lt;&amp;&gt;&#39;&quot;", 1, true))
      assert.truthy(html:find("a&lt;b", 1, true))
    end)

    it("highlights the matched words of each quote", function()
      assert.truthy(page:find("No <mark>training</mark>. We were <mark>thrown in</mark> and had to "
        .. "<mark>figure it out</mark> ourselves.", 1, true))
      assert.truthy(page:find("— P04, diabetes specialist nurse, hospital clinic, cardiometabolic specialist · "
        .. "interviews/p04.txt, line 6", 1, true))
    end)

    it("gives every chart a title and a size", function()
      local n = 0
      for tag in page:gmatch("<svg [^>]*>") do
        n = n + 1
        assert.truthy(tag:find('role="img"', 1, true))
        assert.truthy(tag:find(' width="%d'))
        assert.truthy(tag:find(' height="%d'))
      end
      assert.are.equal(n, count_of(page, '<title id="chart-'))
      assert.is_true(n >= 5)
    end)

    it("puts rate and n of N in the heatmap cells", function()
      assert.truthy(page:find(">53.3</text>", 1, true))
      assert.truthy(page:find(">1 of 2</text>", 1, true))
    end)

    it("raises on something that is not report data", function()
      assert.has_error(function() report.html({}) end, "bad argument #1 to 'html' (report data expected)")
    end)

    it("speaks of texts, not participants and turns, for abstracts", function()
      local data = report.build(coded_of("samples/abstracts"), { date = false })
      assert.is_false(data.summary.speech)
      local html = report.html(data)
      for _, spoken in ipairs({ "participants ·", "words spoken", "Participants by", "speaker turns",
                                "“n of N”" }) do
        assert.equal(0, count_of(html, spoken), spoken)
      end
      assert.truthy(html:find("these texts have no speakers", 1, true))
      -- a quote's footer names its document once
      assert.truthy(html:find("<footer>— screening.", 1, true))
      assert.is_true(report.build(coded_of(SAMPLE)).summary.speech)
    end)
  end)

  describe("escape()", function()
    it("escapes the five HTML characters", function()
      assert.are.equal("&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
        svg.escape([[<a href="x">Tom & Jerry's</a>]]))
    end)
  end)

  describe("write()", function()
    it("writes the page and leaves no temporary file", function()
      local dir = tmpdir()
      local data = report.build(coded_of(FIXTURE), { date = false })
      assert.is_true(report.write(data, dir .. "/report.html"))
      local f = assert(io.open(dir .. "/report.html", "rb"))
      local text = f:read("a")
      f:close()
      assert.are.equal(report.html(data), text)
      local p = io.popen("ls -A '" .. dir .. "'")
      local listing = p:read("a")
      p:close()
      os.execute("rm -rf '" .. dir .. "'")
      assert.are.equal("report.html\n", listing)
    end)

    it("returns nil and a message when the folder does not exist", function()
      local data = report.build(coded_of(FIXTURE), { date = false })
      local ok, err = report.write(data, "/nonexistent-dir/report.html")
      assert.is_nil(ok)
      assert.truthy(err:find("^/nonexistent%-dir/report%.html: cannot write"))
    end)
  end)

  describe("in a browser", function()
    local chromium, node = "/usr/bin/chromium", "/usr/bin/node"
    -- Node >= 20 (with the flag) or >= 22 has a WebSocket client; 18 does not
    local ws_ok = exists(node) and os.execute(node
      .. " --experimental-websocket -e \"process.exit(typeof WebSocket === 'function' ? 0 : 1)\" 2>/dev/null")
    if not ws_ok then node = "/nonexistent/node" end
    it("renders without errors or requests, every chart with a size, and a PNG screenshot", function()
      if not exists(chromium) or not exists(node) then
        pending("needs Debian's chromium and nodejs (apt-get install -y chromium nodejs)")
        return
      end
      local src = exists(SAMPLE .. "/participants.csv") and SAMPLE or FIXTURE
      local dir = tmpdir()
      local data = report.build(coded_of(src), { date = false })
      assert.is_true(report.write(data, dir .. "/report.html"))
      local cmd = string.format("%s --experimental-websocket tools/report-check/check.js '%s/report.html' "
        .. "--screenshot '%s/shot.png' --height 2000 2>&1", node, dir, dir)
      local p = io.popen(cmd)
      local out = p:read("a")
      p:close()
      local f = io.open(dir .. "/shot.png", "rb")
      local png = f and f:read("a") or ""
      if f then f:close() end
      os.execute("rm -rf '" .. dir .. "'")
      local result = require("cjson").decode(out:match("{.*}") or error(out))
      assert.are.same({}, result.console_errors)
      assert.are.same({}, result.requests)
      assert.are.equal(0, result.scripts)
      assert.is_true(#result.charts >= 5)
      for _, c in ipairs(result.charts) do
        assert.is_true(c.width > 0 and c.height > 0, c.id)
      end
      assert.is_true(result.ok)
      assert.is_true(#png > 1000)
      assert.are.equal("\137PNG\r\n\26\n", png:sub(1, 8))
    end)

    it("catches a page that breaks the rules", function()
      if not exists(chromium) or not exists(node) then
        pending("needs Debian's chromium and nodejs")
        return
      end
      local dir = tmpdir()
      local f = assert(io.open(dir .. "/bad.html", "wb"))
      f:write('<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png">'
        .. '<svg class="chart" width="0" height="0"></svg><script>console.error("boom")</script></body></html>')
      f:close()
      local p = io.popen("/usr/bin/node --experimental-websocket tools/report-check/check.js '" .. dir
        .. "/bad.html' 2>&1")
      local out = p:read("a")
      p:close()
      os.execute("rm -rf '" .. dir .. "'")
      local result = require("cjson").decode(out:match("{.*}") or error(out))
      assert.is_false(result.ok)
      -- the console error, and the failed load logged by the browser
      assert.truthy(table.concat(result.console_errors, "\n"):find("boom", 1, true))
      assert.are.same({ "http://127.0.0.1:9/x.png" }, result.requests)
      assert.are.equal(0, result.charts[1].width)
    end)
  end)
end)
