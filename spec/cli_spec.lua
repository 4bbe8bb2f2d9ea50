-- The real bin/thematic, run as a user runs it.
local STUDY = "spec/fixtures/cli/study"
local CODEBOOK = STUDY .. "/codebook.yml"

local function run(args, stdin)
  local errfile = os.tmpname()
  local cmd = "lua5.4 bin/thematic " .. args .. " 2>" .. errfile
  if stdin then cmd = "printf '%s' '" .. stdin:gsub("'", "'\\''") .. "' | " .. cmd end
  local p = io.popen(cmd)
  local out = p:read("a")
  local _, _, code = p:close()
  local f = io.open(errfile)
  local err = f:read("a")
  f:close()
  os.remove(errfile)
  return out, code, err
end

local tmpdir = dofile("spec/helper.lua").tmpdir

-- The JSON a command prints, which must succeed.
local function run_json(args)
  local out, code, err = run(args)
  assert.equal(0, code, err)
  return require("dkjson").decode(out)
end
local slurp = dofile("spec/helper.lua").slurp

local function csv_rows(text)
  local rows, header = {}, nil
  for line in text:gmatch("[^\r\n]+") do
    local cells = {}
    for c in (line .. ","):gmatch("([^,]*),") do cells[#cells + 1] = c end
    if not header then header = cells else
      local r = {}
      for i, h in ipairs(header) do r[h] = cells[i] end
      rows[#rows + 1] = r
    end
  end
  return rows
end

local function cell(rows, code, group)
  for _, r in ipairs(rows) do
    if r.code == code and r.group == group then return r end
  end
end

describe("bin/thematic", function()
  describe("count", function()
    -- Worked by hand from spec/fixtures/cli/study (see the transcripts):
    -- practice (P01): "no smartphone" is a negated hit of cost; 15 words.
    -- pharmacy (P02, P03): "Data cost" and "Data costs" hit cost; "not easy
    -- to use" is negated and moves to design/hard; "easy to use" hits easy;
    -- 24 words. Interviewer turns and the header line are not counted.
    local out, code = run("count " .. STUDY .. " -c " .. CODEBOOK .. " --by group --format csv --jobs 1")
    local rows = csv_rows(out)

    it("exits 0", function() assert.equal(0, code) end)

    it("counts hits, negated hits, words and participants by group", function()
      local c = cell(rows, "access/cost", "pharmacy")
      assert.same({ "2", "0", "2", "24", "83.333", "2", "2" },
        { c.hits, c.negated, c.segments, c.words, c.per_1000, c.participants, c.participants_total })
      c = cell(rows, "access/cost", "practice")
      assert.same({ "0", "1", "15", "0", "1" },
        { c.hits, c.negated, c.words, c.participants, c.participants_total })
    end)

    it("moves negated hits to the code named by negated_to", function()
      assert.equal("1", cell(rows, "design/hard", "pharmacy").hits)
      assert.equal("1", cell(rows, "design/easy", "pharmacy").hits)
    end)

    it("rolls themes up from their codes", function()
      assert.equal("2", cell(rows, "design", "pharmacy").hits)
    end)

    it("gives the same bytes with --jobs 1 and --jobs 2", function()
      local two = run("count " .. STUDY .. " -c " .. CODEBOOK .. " --by group --format csv --jobs 2")
      assert.equal(out, two)
    end)

    it("gives the same output and warnings with --jobs 1, 2 and 3 on the samples", function()
      -- a participants file without P07, so that every run warns of them
      local d = tmpdir()
      os.execute("cp samples/transcripts/*.txt samples/transcripts/*.md " .. d .. "/ && grep -v '^P07' "
        .. "samples/transcripts/participants.csv > " .. d .. "/participants.csv")
      local out1, code1, err1 = run("count " .. d .. " --by role --format csv --jobs 1")
      assert.equal(0, code1, err1)
      assert.truthy(err1:find("warning: " .. d .. "/interview-07-link-worker.txt:7: speaker 'Speaker 2' "
        .. "has no row", 1, true), err1)
      for _, jobs in ipairs({ 2, 3 }) do
        local o, c, e = run("count " .. d .. " --by role --format csv --jobs " .. jobs)
        assert.equal(0, c, e)
        assert.equal(out1, o)
        assert.equal(err1, e)
      end
      -- a path that does not exist is named once, not by every worker
      local o, c, e = run("count " .. d .. " " .. d .. "/nothing-here --by role --format csv --jobs 3")
      assert.equal(1, c)
      assert.equal(out1, o)
      assert.equal(d .. "/nothing-here: no such file or directory\n" .. err1, e)
      os.execute("rm -rf " .. d)
    end)

    it("refuses a number of jobs that is not a whole number of at least 1", function()
      -- --jobs 1.5 used to count 5 of the 14 sample files and exit 0
      for _, bad in ipairs({ "1.5", "abc", "0" }) do
        local o, c, e = run("count samples/transcripts --format csv --jobs " .. bad)
        assert.equal(2, c, bad)
        assert.equal("", o)
        assert.truthy(e:find("thematic: --jobs wants a whole number of at least 1, not '" .. bad .. "'",
          1, true), e)
      end
      local _, c, e = run("quotes samples/transcripts -n 2.5")
      assert.equal(2, c)
      assert.truthy(e:find("-n wants a whole number of at least 1, not '2.5'", 1, true), e)
    end)

    it("keeps apart two files of one name in two folders given together", function()
      local d = tmpdir()
      os.execute(("mkdir -p %s/siteA %s/siteB"):format(d, d))
      local function put(path, text)
        local f = assert(io.open(d .. "/" .. path, "wb"))
        f:write(text)
        f:close()
      end
      put("siteA/int-01.txt", "P01: data cost\n")
      put("siteB/int-01.txt", "P02: data cost, data cost\n")
      put("siteB/int-02.txt", "P03: data cost\n")
      for _, jobs in ipairs({ 1, 2 }) do
        local o, c = run(("count %s/siteA %s/siteB -c %s --by document --format csv --jobs %d")
          :format(d, d, CODEBOOK, jobs))
        assert.equal(0, c)
        local hits = {}
        for _, r in ipairs(csv_rows(o)) do
          if r.code == "access/cost" then hits[r.group] = tonumber(r.hits) end
        end
        assert.same({ [d .. "/siteA/int-01.txt"] = 1, [d .. "/siteB/int-01.txt"] = 2, ["int-02.txt"] = 1 },
          hits)
      end
      os.execute("rm -rf " .. d)
    end)

    it("warns when nothing counted has a value for a --by attribute", function()
      for _, jobs in ipairs({ 1, 2 }) do
        local _, c, e = run("count samples/transcripts --by gruop --format csv --jobs " .. jobs)
        assert.equal(0, c)
        assert.truthy(e:find("warning: --by gruop: nothing counted has a value for it", 1, true), e)
      end
      local _, _, e = run("count samples/transcripts --by group,type --format csv --jobs 1")
      assert.equal("", e)
    end)

    it("gives each --by attribute its own CSV column, one named group too", function()
      local o, c = run("count samples/transcripts --by group,type --format csv --jobs 1")
      assert.equal(0, c)
      local header = o:match("^([^\r\n]*)")
      assert.equal("code,label,theme,valence,group,by:group,type,hits,negated,segments,words,"
        .. "per_1000,participants,participants_total", header)
      local r = csv_rows(o)[1]
      assert.same({ "cardiometabolic specialist | interview", "cardiometabolic specialist", "interview" },
        { r.group, r["by:group"], r.type })
    end)

    it("checks the manifest against every file, not one worker's or shard's share", function()
      -- samples/transcripts/manifest.csv lists each of its files: no warning
      -- in one process, and none in workers or shards that read only some
      for _, opts in ipairs({ "--jobs 1", "--jobs 2", "--jobs 3", "--shard 1/3 --jobs 1" }) do
        local o, c, e = run("count samples/transcripts --by group --format csv " .. opts)
        assert.equal(0, c, e)
        assert.truthy(o:find("\n", 1, true))
        assert.equal("", e, opts)
      end
      -- and a row whose file is missing is still reported, once
      local d = tmpdir()
      os.execute("cp samples/transcripts/*.txt samples/transcripts/participants.csv "
        .. "samples/transcripts/manifest.csv " .. d .. "/ && rm " .. d .. "/interview-12-hca.txt")
      local _, c, e = run("count " .. d .. " --by group --format csv --jobs 2")
      assert.equal(0, c, e)
      assert.truthy(e:find(d .. "/manifest.csv:13: no file 'interview-12-hca.txt' among the inputs\n",
        1, true), e)
      local _, n = e:gsub("interview%-12%-hca%.txt", "")
      assert.equal(1, n, e)
      os.execute("rm -rf " .. d)
    end)

    -- STUDY counted in two shards (with more options), then merged.
    local function merged_shards(options)
      local d = tmpdir()
      for k = 1, 2 do
        local _, c = run(("count %s -c %s --by group --format jsonl %s --shard %d/2 -o %s/part%d.jsonl")
          :format(STUDY, CODEBOOK, options, k, d, k))
        assert.equal(0, c)
      end
      local merged = run(("merge %s/part1.jsonl %s/part2.jsonl -c %s --format csv"):format(d, d, CODEBOOK))
      os.execute("rm -rf " .. d)
      return merged
    end

    it("refuses to merge partials counted with different --level or --include-interviewer", function()
      local d = tmpdir()
      run(("count %s -c %s --format jsonl --shard 1/2 -o %s/p1.jsonl"):format(STUDY, CODEBOOK, d))
      run(("count %s -c %s --format jsonl --shard 2/2 --include-interviewer -o %s/p2.jsonl")
        :format(STUDY, CODEBOOK, d))
      run(("count %s -c %s --format jsonl --shard 2/2 --level sentence -o %s/p3.jsonl")
        :format(STUDY, CODEBOOK, d))
      for _, other in ipairs({ "p2", "p3" }) do
        local o, c, e = run(("merge %s/p1.jsonl %s/%s.jsonl -c %s --format csv"):format(d, d, other, CODEBOOK))
        assert.equal(1, c, other)
        assert.equal("", o)
        assert.truthy(e:find("merge the partials of one run's options", 1, true), e)
      end
      os.execute("rm -rf " .. d)
    end)

    it("gives the same result from shards merged as from one run", function()
      assert.equal(out, merged_shards(""))
    end)

    it("keeps counts over a million whole through --jobs 2 and merge", function()
      -- JSON numbers come back from lua-cjson as floats; a float count of
      -- 1.2 million printed as 1.2e+06 before they were made integers again
      local d = tmpdir()
      for _, name in ipairs({ "a.txt", "b.txt" }) do
        local f = assert(io.open(d .. "/" .. name, "wb"))
        f:write("P01: ", ("data cost "):rep(300001), "\n")
        f:close()
      end
      local one = run("count " .. d .. " -c " .. CODEBOOK .. " --by speaker --format csv --jobs 1")
      assert.truthy(one:find("\naccess/cost,Data cost,access,barrier,P01,600002,0,2,1200004,500,2,2\r\n",
        1, true), one)
      assert.equal(one, (run("count " .. d .. " -c " .. CODEBOOK .. " --by speaker --format csv --jobs 2")))
      run(("count %s -c %s --by speaker --format jsonl -o %s/parts.jsonl"):format(d, CODEBOOK, d))
      assert.equal(one, (run(("merge %s/parts.jsonl -c %s --format csv"):format(d, CODEBOOK))))
      os.execute("rm -rf " .. d)
    end)

    it("gives the same result from --one-partial shards merged, one line each", function()
      assert.equal(out, merged_shards("--one-partial"))
      -- over both files: one line with --one-partial, one per document without
      local one = run("count " .. STUDY .. " -c " .. CODEBOOK .. " --by group --format jsonl --one-partial")
      local each = run("count " .. STUDY .. " -c " .. CODEBOOK .. " --by group --format jsonl")
      assert.equal(1, select(2, one:gsub("\n", "")))
      assert.equal(2, select(2, each:gsub("\n", "")))
    end)

    it("writes JSON with the codebook's structure", function()
      local json = run("count " .. STUDY .. " -c " .. CODEBOOK .. " --by group --format json --jobs 1")
      local t = require("dkjson").decode(json)
      assert.equal("cli-test", t.codebook.name)
      assert.equal("design/easy", t.codebook.codes[5].path)
      assert.equal("facilitator", t.codebook.codes[5].valence)
    end)

    it("writes an aligned table", function()
      local tab = run("count " .. STUDY .. " -c " .. CODEBOOK .. " --by group --format table --jobs 1")
      assert.matches("  cost  B    pharmacy     2    0  83%.3     2        2 of 2", tab)
    end)

    it("writes --output atomically and leaves no temporary file", function()
      local d = tmpdir()
      local _, c = run("count " .. STUDY .. " -c " .. CODEBOOK .. " --format csv -o " .. d .. "/out.csv")
      assert.equal(0, c)
      local names = {}
      for n in io.popen("ls -A " .. d):lines() do names[#names + 1] = n end
      os.execute("rm -rf " .. d)
      assert.same({ "out.csv" }, names)
    end)

    it("refuses to overwrite an input file", function()
      local d = tmpdir()
      os.execute("cp " .. STUDY .. "/a.txt " .. d .. "/a.txt")
      local _, c, err = run("count " .. d .. "/a.txt -c " .. CODEBOOK .. " -o " .. d .. "/a.txt")
      local f = io.open(d .. "/a.txt")
      local kept = f:read("a")
      f:close()
      os.execute("rm -rf " .. d)
      assert.equal(1, c)
      assert.matches("refusing to overwrite an input file", err)
      assert.matches("^Fictional test transcript", kept)
    end)

    it("reports a bad file, counts the rest and exits 1", function()
      local d = tmpdir()
      os.execute("cp " .. STUDY .. "/a.txt " .. d .. "/a.txt")
      local f = io.open(d .. "/bad.txt", "wb")
      f:write("P01: caf\xE9 data cost\n")
      f:close()
      local o, c, err = run("count " .. d .. " -c " .. CODEBOOK .. " --format csv --jobs 1")
      os.execute("rm -rf " .. d)
      assert.equal(1, c)
      assert.matches("bad%.txt: invalid UTF%-8 at byte 9", err)
      assert.equal("1", cell(csv_rows(o), "access/cost", "a.txt").hits)
    end)

    it("neutralises cells that a spreadsheet would run as formulas", function()
      local d = tmpdir()
      local f = io.open(d .. "/=cmd.txt", "wb")
      f:write("P01: data cost\n")
      f:close()
      local o = run("count " .. d .. " -c " .. CODEBOOK .. " --format csv --jobs 1")
      os.execute("rm -rf " .. d)
      assert.matches("\n[^\n]*,'=cmd%.txt,", o)
    end)

    it("exits 2 on a usage error and says what to type", function()
      local _, c, err = run("count --by")
      assert.equal(2, c)
      assert.matches("Try 'thematic %-%-help'", err)
    end)
  end)

  describe("merge", function()
    -- Parts of STUDY (two files: a.txt, b.txt) written to a temp folder:
    -- part(d, "p1", "--shard 1/2") counts with CODEBOOK unless the options
    -- give another -c.
    local function part(d, name, options, codebook)
      local path = d .. "/" .. name .. ".jsonl"
      local _, c, e = run(("count %s -c %s --by group --format jsonl %s -o %s")
        :format(STUDY, codebook or CODEBOOK, options, path))
      assert.equal(0, c, e)
      return path
    end
    local one = run("count " .. STUDY .. " -c " .. CODEBOOK .. " --by group --format csv --jobs 1")

    it("refuses a document counted twice, naming it and both places", function()
      local d = tmpdir()
      local p1, p2 = part(d, "p1", "--shard 1/2"), part(d, "p2", "--shard 2/2")
      local out, c, err = run(("merge %s %s %s -c %s --format csv"):format(p1, p1, p2, CODEBOOK))
      assert.equal(1, c)
      assert.equal("", out)
      assert.equal(p1 .. ":1 (given again): document 'a.txt' counted twice: also in " .. p1 .. ":1\n"
        .. "thematic: merge: nothing written (1 problem)\n", err)
      -- the same shard under two names
      local again = part(d, "again", "--shard 1/2")
      out, c, err = run(("merge %s %s %s -c %s"):format(p1, p2, again, CODEBOOK))
      assert.equal(1, c)
      assert.equal("", out)
      assert.truthy(err:find(again .. ":1: document 'a.txt' counted twice: also in " .. p1 .. ":1\n", 1, true), err)
      os.execute("rm -rf " .. d)
    end)

    it("refuses a --one-partial shard, or the same documents, counted twice", function()
      local d = tmpdir()
      local p1, p2 = part(d, "p1", "--one-partial --shard 1/2"), part(d, "p2", "--one-partial --shard 2/2")
      local out, c, err = run(("merge %s %s %s -c %s --format csv"):format(p1, p2, p1, CODEBOOK))
      assert.equal(1, c)
      assert.equal("", out)
      assert.truthy(err:find(p1 .. ":1 (given again): shard 1/2 counted twice: also in " .. p1 .. ":1\n", 1, true),
        err)
      -- without shards, what each covers tells a second copy
      local all = part(d, "all", "--one-partial")
      os.execute("cp " .. all .. " " .. d .. "/copy.jsonl")
      out, c, err = run(("merge %s %s/copy.jsonl -c %s"):format(all, d, CODEBOOK))
      assert.equal(1, c)
      assert.equal("", out)
      assert.truthy(err:find(d .. "/copy.jsonl:1: the same 2 documents counted twice: also in " .. all .. ":1\n",
        1, true), err)
      os.execute("rm -rf " .. d)
    end)

    it("refuses partials of different --by, naming both", function()
      local d = tmpdir()
      local p1, p2 = part(d, "p1", "--shard 1/2"), part(d, "p2", "--shard 2/2 --by role")
      local out, c, err = run(("merge %s %s -c %s --format csv"):format(p1, p2, CODEBOOK))
      assert.equal(1, c)
      assert.equal("", out)
      assert.truthy(err:find(p2 .. ":1: grouped by 'role', but " .. p1 .. ":1 by 'group': merge the partials "
        .. "of one --by\n", 1, true), err)
      os.execute("rm -rf " .. d)
    end)

    it("refuses partials counted with another codebook than the one it is given", function()
      local d = tmpdir()
      local p1, p2 = part(d, "p1", "--shard 1/2"), part(d, "p2", "--shard 2/2")
      local out, c, err = run(("merge %s %s --format csv"):format(p1, p2))
      assert.equal(1, c)
      assert.equal("", out)
      assert.matches("^" .. p1:gsub("%p", "%%%0") .. ":1: counted with codebook 'cli%-test' %(%x+%), but merge "
        .. "was given 'digital%-health' %(%x+%): give %-c FILE, the codebook the counts were made with\n"
        .. "thematic: merge: nothing written %(1 problem%)\n$", err)
      os.execute("rm -rf " .. d)
    end)

    it("refuses partials counted with different codebooks", function()
      local d = tmpdir()
      local p1 = part(d, "p1", "--shard 1/2")
      local p2 = part(d, "p2", "--shard 2/2", "samples/codebooks/digital-health.yml")
      local _, c, err = run(("merge %s %s -c %s --format csv"):format(p1, p2, CODEBOOK))
      assert.equal(1, c)
      assert.matches(p2:gsub("%p", "%%%0") .. ":1: counted with codebook 'digital%-health' %(%x+%), but "
        .. p1:gsub("%p", "%%%0") .. ":1 with another %(%x+%): merge the partials of one codebook\n", err)
      os.execute("rm -rf " .. d)
    end)

    it("takes partials from older versions with one warning, and checks their codes", function()
      local d = tmpdir()
      -- what count wrote before partials recorded their codebook and shard
      for k = 1, 2 do
        os.execute(("sed -E 's/,\"codebook\":\\{[^}]*\\}//; s/,\"shard\":\\{[^}]*\\}//' %s > %s/old%d.jsonl")
          :format(part(d, "p" .. k, "--shard " .. k .. "/2"), d, k))
      end
      assert.falsy(slurp(d .. "/old1.jsonl"):find("codebook", 1, true))
      local out, c, err = run(("merge %s/old1.jsonl %s/old2.jsonl -c %s --format csv"):format(d, d, CODEBOOK))
      assert.equal(0, c, err)
      assert.equal(one, out)
      assert.matches("^warning: " .. d:gsub("%p", "%%%0") .. "/old1%.jsonl:1: a partial from an older thematic, "
        .. "[^\n]*cannot be detected\n$", err)
      out, c, err = run(("merge %s/old1.jsonl %s/old2.jsonl --format csv"):format(d, d))
      assert.equal(1, c)
      assert.equal("", out)
      assert.truthy(err:find("/old1.jsonl:1: codes 'access/cost', 'design/hard' are not in "
        .. "codebook 'digital-health' that merge was given: give -c FILE", 1, true), err)
      os.execute("rm -rf " .. d)
    end)

    it("names the shards missing, and takes a shard that had no files", function()
      local d = tmpdir()
      local p1 = part(d, "p1", "--one-partial --shard 1/3")
      part(d, "p3", "--one-partial --shard 3/3")
      local out, c, err = run(("merge %s %s/p3.jsonl -c %s --format csv"):format(p1, d, CODEBOOK))
      assert.equal(1, c)
      assert.equal("", out)
      assert.equal("shard 2 of 3 missing (--shard K/3 over 2 files, as in " .. p1 .. ":1)\n"
        .. "thematic: merge: nothing written (1 problem)\n", err)
      -- per document: shard 3 of 3 over two files has none and writes nothing
      local q1, q2 = part(d, "q1", "--shard 1/3"), part(d, "q2", "--shard 2/3")
      assert.equal("", slurp(part(d, "q3", "--shard 3/3")))
      out, c, err = run(("merge %s %s -c %s --format csv"):format(q1, q2, CODEBOOK))
      assert.equal(0, c, err)
      assert.equal(one, out)
      out, c, err = run(("merge %s -c %s --format csv"):format(q2, CODEBOOK))
      assert.equal(1, c)
      assert.equal("", out)
      assert.truthy(err:find("shard 1 of 3 missing (--shard K/3 over 2 files, as in " .. q2 .. ":1)\n", 1, true), err)
      os.execute("rm -rf " .. d)
    end)

    it("counts a shard whose files gave nothing to count as there", function()
      local d = tmpdir()
      os.execute("cp " .. STUDY .. "/a.txt " .. d .. "/ && : > " .. d .. "/b.txt")
      local parts = {}
      for k = 1, 2 do
        parts[k] = d .. "/part" .. k .. ".jsonl"
        assert.equal(0, select(2, run(("count %s -c %s --format jsonl --shard %d/2 -o %s")
          :format(d, CODEBOOK, k, parts[k]))))
      end
      assert.matches('"groups":{}', slurp(parts[2]))
      local _, c, err = run(("merge %s %s -c %s --format csv"):format(parts[1], parts[2], CODEBOOK))
      assert.equal(0, c, err)
      os.execute("rm -rf " .. d)
    end)

    it("reports a malformed partial with its line, never a traceback", function()
      local _, c, err = run("merge - -c " .. CODEBOOK,
        '{"by":["group"],"groups":{"x":{"codes":{},"words":-5}}}\n')
      assert.equal(1, c)
      assert.equal("-:1: not a partial result from 'count --format jsonl': group \"x\": no 'values' object\n"
        .. "thematic: merge: nothing written (1 problem)\n", err)
      _, c, err = run("merge - -c " .. CODEBOOK, '{"by":["group"],"groups":{"x":{"values":{"group":"x"},'
        .. '"participants":[],"segments":1,"words":2,"codes":{"access":{"hits":-5,"negated":0,'
        .. '"segments":0,"participants":[]}}}}}\n')
      assert.equal(1, c)
      assert.truthy(err:find("-:1: not a partial result from 'count --format jsonl': group \"x\": "
        .. "code \"access\": 'hits' is -5, not a whole number >= 0\n", 1, true), err)
    end)

    it("says once that a CSV is not partials, and counts lines of the same problem", function()
      local d = tmpdir()
      local csv = d .. "/counts.csv"
      assert.equal(0, select(2, run(("count %s -c %s --format csv -o %s"):format(STUDY, CODEBOOK, csv))))
      local _, c, err = run(("merge %s -c %s"):format(csv, CODEBOOK))
      assert.equal(1, c)
      assert.matches("^" .. csv:gsub("%p", "%%%0") .. ":1: not a partial result from 'count %-%-format jsonl' "
        .. "%(JSON lines%)[^\n]*\nthematic: merge: nothing written %(1 problem%)\n$", err)
      -- JSON lines, but five of them not partials
      local bad = d .. "/bad.jsonl"
      local f = assert(io.open(bad, "wb"))
      f:write(slurp(part(d, "p", "--one-partial")), ("[1]\n"):rep(5))
      f:close()
      _, c, err = run(("merge %s -c %s"):format(bad, CODEBOOK))
      assert.equal(1, c)
      assert.equal(bad .. ":2: not a partial result from 'count --format jsonl': no 'groups' object\n"
        .. bad .. ":3: not a partial result from 'count --format jsonl': no 'groups' object\n"
        .. bad .. ":4: not a partial result from 'count --format jsonl': no 'groups' object\n"
        .. "… and 2 more like this\nthematic: merge: nothing written (5 problems)\n", err)
      os.execute("rm -rf " .. d)
    end)
  end)

  describe("kwic", function()
    it("shows each hit with its context and speaker", function()
      local out, code = run("kwic " .. STUDY .. " -c " .. CODEBOOK .. " --code access --format csv --window 3")
      assert.equal(0, code)
      assert.matches('a%.txt,P02,5,,access/cost,,Data cost,", yes%. And the",\r\n', out)
      assert.matches('a%.txt,P01,4,,access/cost,"patients have no ",smartphone,,yes\r\n', out)
    end)
  end)

  describe("tokens", function()
    it("shows tokens, normal forms and stems", function()
      local out = run("tokens \"Patients didn't trust e-Health\"")
      assert.matches("word%s+Patients%s+patients%s+patient", out)
      assert.matches("word%s+e%-Health%s+e%-health", out)
    end)
  end)

  describe("explain", function()
    it("shows each hit with its pattern and negation, and near misses", function()
      local out, code = run("explain 'Data costs are high. It was not easy to use. No smartphne.' -c " .. CODEBOOK)
      assert.equal(0, code)
      assert.truthy(out:find("'Data costs' (bytes 1-10) → access/cost, pattern", 1, true), out)
      assert.truthy(out:find("'easy to use' (bytes 33-43) → design/hard, pattern 'easy to use'; "
        .. "negated by 'not'", 1, true), out)
      assert.truthy(out:find("near miss: ", 1, true), out)
      local hits = run("explain - --hits-only -c " .. CODEBOOK, "No smartphne.")
      assert.falsy(hits:find("near miss", 1, true), hits)
    end)

    it("names a codebook it cannot read", function()
      local _, code, err = run("explain text -c " .. STUDY .. "/none.yml")
      assert.equal(1, code)
      assert.truthy(err:find(STUDY .. "/none.yml", 1, true), err)
    end)
  end)

  describe("negated_to onto a phrase of its target", function()
    -- A user's case: 'don't trust' is trust/distrust's own phrase, and the
    -- negated 'trust' inside it moves there from trust/trusting: one mention
    local dir = "spec/fixtures/cli/negated-to"
    local cb = " -c " .. dir .. "/codebook.yml"

    it("is one hit in explain", function()
      local out, code = run("explain \"They don't trust a text from an unknown number.\"" .. cb)
      assert.equal(0, code)
      assert.equal("9 word(s); 1 hit(s)\n"
        .. "'don't trust' (bytes 6-16) → trust/distrust, pattern 'don't trust'\n", out)
    end)

    it("is one hit in count, for the code and its theme", function()
      local rows = csv_rows(run("count " .. dir .. cb .. " --format csv --jobs 1"))
      assert.same({ "1", "0" }, { cell(rows, "trust/distrust", "p01.txt").hits,
                                  cell(rows, "trust/distrust", "p01.txt").negated })
      assert.equal("1", cell(rows, "trust", "p01.txt").hits)
      assert.equal("0", cell(rows, "trust/trusting", "p01.txt").hits)
    end)

    it("is one line in kwic", function()
      local rows = csv_rows(run("kwic " .. dir .. cb .. " --code trust/distrust --format csv"))
      assert.equal(1, #rows)
      assert.equal("don't trust", rows[1].keyword)
    end)
  end)

  describe("codebook", function()
    it("finds patterns that never match in a corpus", function()
      local out = run("codebook check " .. CODEBOOK .. " --corpus " .. STUDY)
      assert.matches("design/hard: pattern 'hard to use' never matches in the corpus", out)
    end)

    it("fails on a corpus it cannot read instead of finding no problems", function()
      local out, code, err = run("codebook check " .. CODEBOOK .. " --corpus " .. STUDY .. "/nothing-here")
      assert.equal(1, code)
      assert.equal("", out)
      assert.equal("thematic: " .. STUDY .. "/nothing-here: no such file or directory\n", err)
    end)

    it("converts between formats", function()
      local out, code = run("codebook convert " .. CODEBOOK .. " --to csv")
      assert.equal(0, code)
      assert.matches("access/cost", out)
    end)

    it("says what a format loses, takes the format from -o, and refuses an unknown one", function()
      local d = tmpdir()
      local _, code, err = run("codebook convert " .. CODEBOOK .. " -o " .. d .. "/cb.dic")
      assert.equal(0, code, err)
      assert.truthy(io.open(d .. "/cb.dic")):close()
      assert.truthy(err:find("warning: converting to liwc changes or loses negated_to in 1 of 5 codes\n",
        1, true), err)
      assert.truthy(err:find("valence in 3 of 5 codes", 1, true), err)
      local _, c2, e2 = run("codebook convert " .. CODEBOOK .. " -o " .. d .. "/cb.yml")
      assert.equal(0, c2)
      assert.equal("", e2)   -- YAML keeps everything
      local _, c3, e3 = run("codebook convert " .. CODEBOOK .. " --to xyz")
      assert.equal(2, c3)
      assert.truthy(e3:find("'--to' must be one of 'yaml', 'liwc'", 1, true), e3)
      local _, c4, e4 = run("codebook convert " .. CODEBOOK .. " -o " .. d .. "/cb.xyz")
      assert.equal(2, c4)
      assert.truthy(e4:find("convert needs --to FORMAT", 1, true), e4)
      os.execute("rm -rf " .. d)
    end)
  end)
end)

describe("bin/thematic on awkward folders", function()
  it("does not follow a symbolic link loop", function()
    local d = os.tmpname()
    os.remove(d)
    os.execute("mkdir -p " .. d .. " && cp " .. STUDY .. "/a.txt " .. d .. "/ && ln -s .. " .. d
      .. "/up && ln -s " .. d .. " " .. d .. "/self")
    local p = io.popen("timeout 20 lua5.4 bin/thematic count " .. d .. " -c " .. CODEBOOK
      .. " --format csv --jobs 1 2>/dev/null")
    local out = p:read("a")
    local _, _, code = p:close()
    os.execute("rm -rf " .. d)
    assert.equal(0, code)
    assert.matches("\naccess/cost,Data cost,access,barrier,a%.txt,1,1,", out)
  end)
end)

describe("bin/thematic export and agree --qdpx", function()
  local d = os.tmpname()
  os.remove(d)
  os.execute("mkdir -p " .. d)
  teardown(function() os.execute("rm -rf " .. d) end)

  it("exports a REFI-QDA project whose project.qde passes the schema", function()
    local _, code = run("export " .. STUDY .. " -c " .. CODEBOOK .. " --to qdpx -o " .. d .. "/s.qdpx")
    assert.equal(0, code)
    assert.is_true(os.execute("unzip -p " .. d .. "/s.qdpx project.qde > " .. d .. "/p.qde"))
    assert.is_true(os.execute("xmllint --noout --schema spec/fixtures/refiqda/Project-mrt2019.xsd "
      .. d .. "/p.qde 2>/dev/null"))
  end)

  it("counts with the codebook carried in the project", function()
    local from_yaml = run("count " .. STUDY .. " -c " .. CODEBOOK .. " --by group --format csv --jobs 1")
    local from_qdpx = run("count " .. STUDY .. " -c " .. d .. "/s.qdpx --by group --format csv --jobs 1")
    assert.equal(from_yaml, from_qdpx)
  end)

  it("compares the project's coding with the auto-coding, segment by segment", function()
    local out, code = run("agree --qdpx " .. d .. "/s.qdpx " .. STUDY .. " -c " .. CODEBOOK
      .. " --reference thematic --format json")
    assert.equal(0, code)
    local res = require("dkjson").decode(out)
    assert.equal(1, res.krippendorff_alpha)
    assert.same({ "thematic", "thematic-auto" }, res.coders)
  end)
end)

describe("bin/thematic quotes", function()
  it("gives whole sentences with who said them", function()
    local out, code = run("quotes " .. STUDY .. " -c " .. CODEBOOK .. " --code access/cost -n 2 --format csv")
    assert.equal(0, code)
    assert.matches("access/cost,\"P02, pharmacist, urban, pharmacy\",a%.txt,5,\"Data cost, yes%.", out)
  end)

  it("names an unknown code", function()
    local _, code, err = run("quotes " .. STUDY .. " -c " .. CODEBOOK .. " --code nope")
    assert.equal(2, code)
    assert.matches("no code 'nope' in the codebook", err)
  end)
end)

describe("bin/thematic interrupted", function()
  it("leaves no output file when killed halfway", function()
    -- The folder's last file is a named pipe with no writer: reading it
    -- blocks, so the run is certainly halfway when it is killed.
    local d = os.tmpname()
    os.remove(d)
    os.execute(("mkdir -p %s/in && cp %s/a.txt %s/in/a.txt && mkfifo %s/in/z.txt"):format(d, STUDY, d, d))
    os.execute(("lua5.4 bin/thematic count %s/in -c %s --jobs 1 --format csv -o %s/out.csv "
      .. "2>/dev/null & pid=$!; sleep 1; kill -9 $pid; wait $pid 2>/dev/null"):format(d, CODEBOOK, d))
    local f = io.open(d .. "/out.csv")
    local exists = f ~= nil
    if f then f:close() end
    os.execute("rm -rf " .. d)
    assert.is_false(exists)
  end)
end)

describe("bin/thematic reading standard input", function()
  it("counts a transcript given as '-'", function()
    local out, code = run("count - -c " .. CODEBOOK .. " --format csv --jobs 1",
      "P01: the data cost is high\n")
    assert.equal(0, code)
    assert.matches("\naccess/cost,Data cost,access,barrier,[^,]+,1,0,1,5,", out)
  end)

  -- the temporary copies of standard input made before, each left behind
  local function copies()
    local p = io.popen("ls -d ${TMPDIR:-/tmp}/thematic-?????? 2>/dev/null")
    local n = 0
    for _ in p:lines() do n = n + 1 end
    p:close()
    return n
  end

  it("names what it reads with --stdin-name, so that piped partials merge", function()
    local d = tmpdir()
    for i, who in ipairs({ "P01", "P02" }) do
      local _, c, e = run(("count - -c %s --format jsonl --stdin-name doc%d -o %s/p%d.jsonl")
        :format(CODEBOOK, i, d, i), who .. ": the data cost is high\n")
      assert.equal(0, c, e)
    end
    local out, c = run(("merge %s/p1.jsonl %s/p2.jsonl -c %s --format csv")
      :format(d, d, CODEBOOK))
    assert.equal(0, c)
    assert.truthy(out:find("\naccess/cost,Data cost,access,barrier,doc1.txt,1,", 1, true), out)
    assert.truthy(out:find("\naccess/cost,Data cost,access,barrier,doc2.txt,1,", 1, true), out)
    local _, c2, e2 = run("count - --stdin-name ../x.txt -c " .. CODEBOOK, "P01: hi\n")
    assert.equal(2, c2)
    assert.truthy(e2:find("--stdin-name wants a file name without '/'", 1, true), e2)
    os.execute("rm -rf " .. d)
  end)

  it("reads a WebVTT file as WebVTT, as document stdin.vtt, and leaves no copy", function()
    local vtt = "samples/transcripts/interview-09-cardiologist.vtt"
    local f = assert(io.open(vtt, "rb"))
    local text = f:read("a")
    f:close()
    local before = copies()
    local piped, code, err = run("count - --by document --format csv --jobs 1", text)
    assert.equal(0, code, err)
    local direct = run("count " .. vtt .. " --by document --format csv --jobs 1")
    assert.equal(direct:gsub("interview%-09%-cardiologist%.vtt", "stdin.vtt"), piped)
    assert.equal(before, copies())
    -- and none after a run that fails either
    local _, c2 = run("count - --format csv --jobs 1 -o /nonexistent-dir/out.csv", text)
    assert.equal(1, c2)
    assert.equal(before, copies())
  end)
end)

describe("bin/thematic analyses", function()
  it("saturation gives the base, the runs and the verdict", function()
    local out, code = run("saturation samples/transcripts --format json")
    assert.equal(0, code)
    local res = require("dkjson").decode(out)
    assert.equal(4, res.base_size)
    assert.equal(2, res.run_length)
    assert.is_true(#res.runs > 0)
    assert.equal(res.runs[1].first, 5)
  end)

  it("saturation reads a coding table in document order", function()
    local d = os.tmpname()
    local f = io.open(d, "w")
    f:write("document,code\n1,a\n1,b\n2,c\n3,a\n4,d\n5,a\n6,b\n7,e\n")
    f:close()
    local out, code = run("saturation --codings " .. d .. " --format json")
    os.remove(d)
    assert.equal(0, code)
    local res = require("dkjson").decode(out)
    assert.equal(4, res.base_codes)
    assert.same({ first = 5, last = 6, new = 0, ratio = 0 }, res.runs[1])
    assert.equal("4+2", res.point)
  end)

  describe("saturation's document order", function()
    local function saturation(opts)
      return run_json("saturation samples/transcripts --format json " .. opts)
    end
    local function ids(res)
      local out = {}
      for i, d in ipairs(res.documents) do out[i] = d.id end
      return out
    end

    it("follows the manifest's dates: the focus groups, held in May, come last", function()
      local res = saturation("")
      assert.equal("date", res.order)
      assert.equal(14, #res.documents)
      assert.equal("interview-01-gp.txt", res.documents[1].id)
      assert.same({ "focus-group-01-pharmacy.vtt", "focus-group-02-practice-team.txt" },
        { res.documents[13].id, res.documents[14].id })
    end)

    it("takes the files in name order with --order name", function()
      local res = saturation("--order name")
      assert.equal("name", res.order)
      local sorted = ids(res)
      table.sort(sorted)
      assert.same(sorted, ids(res))
      assert.equal("focus-group-01-pharmacy.vtt", res.documents[1].id)
    end)

    it("gives the verdict of the order used", function()
      assert.equal("7+3", saturation("--run 3 --threshold 0").point)
      assert.equal("4+3", saturation("--run 3 --threshold 0 --order name").point)
    end)

    it("lists every document with its new and cumulative codes in JSON", function()
      local res = saturation("")
      for i, d in ipairs(res.documents) do
        assert.same({ res.new_per_document[i], res.cumulative[i] }, { d.new, d.cumulative })
      end
    end)

    it("names the documents and the order in the table", function()
      local out, code = run("saturation samples/transcripts --format table")
      assert.equal(0, code)
      assert.matches("^documents by date; ties by manifest row, then file name:\n", out)
      assert.matches("\n 1  interview%-01%-gp%.txt +%d+ +%d+\n", out)
      assert.matches("\n14  focus%-group%-02%-practice%-team%.txt +0 +%d+\n", out)
    end)

    it("refuses an attribute no document has, naming those there are", function()
      local _, code, err = run("saturation samples/transcripts --order wave")
      assert.equal(2, code)
      assert.matches("%-%-order wave: no document has a value for 'wave' %(attributes: date, site, type%)", err)
    end)

    it("refuses --order with --codings, whose order is its own", function()
      local _, code, err = run("saturation --codings samples/workshop/codings.csv --order date")
      assert.equal(2, code)
      assert.matches("%-%-order is for a corpus", err)
    end)
  end)

  it("cooccur lists pairs of codes seen in the same turn", function()
    local out, code = run("cooccur samples/transcripts --format csv")
    assert.equal(0, code)
    assert.matches("^a,b,n_ab,n_a,n_b,jaccard,npmi,pmi\r\n", out)
    assert.matches("\r\nlanguage/language_facilitator,language/languages_named,%d+,", out)
  end)

  it("keyness compares one group with the others", function()
    local out, code = run("keyness samples/transcripts --by group --target pharmacy --format json")
    assert.equal(0, code)
    local res = require("dkjson").decode(out)
    assert.equal("pharmacy", res.target)
    local first = res.rows[1]
    for _, k in ipairs({ "term", "target_count", "reference_count", "target_total",
                         "reference_total", "g2", "log_ratio", "percent_diff", "p" }) do
      assert.is_not_nil(first[k], k)
    end
  end)

  describe("keyness of words and stems", function()
    local json = require "dkjson"
    local function keyness(opts)
      return run_json("keyness samples/transcripts --by group --format json " .. opts)
    end
    local function terms_of(res)
      local set = {}
      for _, r in ipairs(res.rows) do set[r.term] = r end
      return set
    end

    it("counts the words that count and --terms codes count, in every group", function()
      local out = run("count samples/transcripts --by group --format json --jobs 1")
      local words, all = {}, 0
      for name, g in pairs(json.decode(out).groups) do
        words[name] = g.words
        all = all + g.words
      end
      assert.equal(3249, words.pharmacy)   -- participants' turns only
      for _, terms in ipairs({ "stems", "words", "codes" }) do
        for name in pairs(words) do
          local r = keyness("--terms " .. terms .. " --target '" .. name .. "' --min-count 0 --top 1").rows[1]
          assert.same({ words[name], all - words[name] }, { r.target_total, r.reference_total },
            terms .. " " .. name)
        end
      end
    end)

    it("leaves out the transcripts' headers and the transcription marks", function()
      for _, terms in ipairs({ "stems", "words" }) do
        local found = terms_of(keyness("--terms " .. terms .. " --target pharmacy --min-count 0 --top 100000"))
        assert.is_not_nil(found.app or found.apps, terms)
        -- header lines: "Interview transcript …", "fictional", "CC0 …"
        for _, header in ipairs({ "transcript", "cc0", "fiction", "fictional" }) do
          assert.is_nil(found[header], terms .. " " .. header)
        end
        -- marks: [laughs], (laughter), [inaudible], [crosstalk]
        for _, mark in ipairs({ "laughs", "laughter", "inaud", "inaudible", "crosstalk" }) do
          assert.is_nil(found[mark], terms .. " " .. mark)
        end
      end
      -- what is left of "laugh" is what participants said: "makes people
      -- laugh" (P05) and "helping each other, laughing" (P11)
      local stems = terms_of(keyness("--target pharmacy --min-count 0 --top 100000"))
      assert.equal(2, stems.laugh.target_count + stems.laugh.reference_count)
    end)

    it("takes the first group with a value as the default target", function()
      assert.equal("cardiometabolic specialist", keyness("").target)
      -- interviewer turns have no group: "(not recorded)" sorts first
      assert.equal("cardiometabolic specialist", keyness("--include-interviewer").target)
    end)

    it("rolls codes up into their themes, as count does", function()
      local found = terms_of(keyness("--terms codes --target pharmacy --min-count 0 --top 100000"))
      local theme, codes = found.trust, 0
      assert.is_not_nil(theme)
      for term, r in pairs(found) do
        if term:find("^trust/") then codes = codes + r.target_count + r.reference_count end
      end
      assert.is_true(codes > 0)
      assert.equal(codes, theme.target_count + theme.reference_count)
    end)

    it("stems and leaves out stop words in the language asked for", function()
      -- Snowball's French stemmer leaves "appointments" whole but for its
      -- plural (English: "appoint"); "the" is only an English stop word
      local en = terms_of(keyness("--target pharmacy --min-count 0 --top 100000"))
      local fr = terms_of(keyness("--target pharmacy --min-count 0 --top 100000 -l fr"))
      assert.is_nil(en.the)
      assert.is_not_nil(fr.the)
      assert.is_not_nil(en.appoint)
      assert.is_nil(fr.appoint)
      assert.is_not_nil(fr.appointment)
      local kept = terms_of(keyness("--target pharmacy --min-count 0 --top 100000 --keep-stopwords"))
      assert.is_not_nil(kept.the)
      local _, code, err = run("keyness samples/transcripts --by group -l klingon")
      assert.equal(2, code)
      assert.truthy(err:find("unknown language 'klingon' (available: arabic,", 1, true), err)
    end)

    it("groups by several attributes, as count does", function()
      local res = keyness("--by group,type --target 'pharmacy | interview' --top 1")
      assert.equal("pharmacy | interview", res.target)
      local rows = res.rows
      assert.is_true(rows[1].target_total > 0 and rows[1].target_total < 3249)
    end)

    it("keeps text with no value in the reference, and says so", function()
      local out, code = run("keyness samples/transcripts --by group --include-interviewer --format table")
      assert.equal(0, code)
      assert.matches("^group = cardiometabolic specialist %(3305 words%) against the other groups "
        .. "%(%d+ words, %d+ of them with no group recorded%)\n", out)
    end)
  end)

  it("agree computes agreement from a unit,coder,value table", function()
    local d = os.tmpname()
    local f = io.open(d, "w")
    f:write("unit,coder,value\n1,a,x\n1,b,x\n2,a,y\n2,b,x\n3,a,y\n3,b,y\n4,a,x\n4,b,x\n")
    f:close()
    local out, code = run("agree " .. d .. " --format json")
    os.remove(d)
    assert.equal(0, code)
    local res = require("dkjson").decode(out)
    assert.equal(4, res.units)
    assert.near(0.75, res.percent_agreement, 1e-9)
    assert.near(0.5, res.cohen_kappa, 1e-9)
  end)

  it("agree reads several tables, one per coder, as one", function()
    local d = tmpdir()
    local whole = run("agree samples/workshop/codings.csv --format json")
    -- the workshop table split by coder, each file with its own header
    for _, coder in ipairs({ "amira", "ben", "chloe", "dictionary" }) do
      os.execute(("(echo unit,coder,value; grep ',%s,' samples/workshop/codings.csv) > %s/%s.csv")
        :format(coder, d, coder))
    end
    local out, code, err = run(("agree %s/amira.csv %s/ben.csv %s/chloe.csv %s/dictionary.csv "
      .. "--format json --reference amira"):format(d, d, d, d))
    assert.equal(0, code, err)
    local json = require("dkjson")
    local one, split = json.decode(whole), json.decode(out)
    assert.equal(18, split.units)
    assert.same({ "amira", "ben", "chloe", "dictionary" }, split.coders)
    assert.equal(one.krippendorff_alpha, split.krippendorff_alpha)
    assert.equal(one.fleiss_kappa, split.fleiss_kappa)
    -- a missing one is named, not skipped
    local _, c2, e2 = run(("agree %s/amira.csv %s/nobody.csv"):format(d, d))
    assert.equal(1, c2)
    assert.truthy(e2:find(d .. "/nobody.csv: No such file or directory", 1, true), e2)
    os.execute("rm -rf " .. d)
  end)
end)

describe("bin/thematic count on abstracts", function()
  it("groups by a segment's own field, such as an abstract's section", function()
    local out, code = run("count samples/abstracts --by section --themes --format csv --jobs 1")
    assert.equal(0, code)
    assert.matches("\r\naccess,[^\r\n]*,results,%d+,", out)
    assert.matches("\r\naccess,[^\r\n]*,methods,%d+,", out)
  end)
end)

describe("bin/thematic with fewer files than workers", function()
  it("counts one file with the default --jobs and exits 0", function()
    local out, code, err = run("count " .. STUDY .. "/a.txt -c " .. CODEBOOK .. " --format csv --jobs 4")
    assert.equal(0, code, err)
    assert.matches("\r\naccess/cost,Data cost,access,barrier,a%.txt,1,1,", out)
  end)

  it("gives an empty result for an empty shard, not an error", function()
    local out, code = run("count " .. STUDY .. "/a.txt -c " .. CODEBOOK .. " --format jsonl --shard 3/3")
    assert.equal(0, code)
    assert.equal("", out)
  end)
end)
