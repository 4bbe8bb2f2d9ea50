-- RIS, MEDLINE, BibTeX and abstracts-CSV readers.
local ris = require "thematic.readers.ris"
local medline = require "thematic.readers.medline"
local bibtex = require "thematic.readers.bibtex"
local acsv = require "thematic.readers.abstracts_csv"

local DIR = "spec/fixtures/abstracts/"

describe("thematic.readers.ris", function()
  describe("read()", function()
    it("reads records with repeated authors, year, journal, doi and wrapped abstract", function()
      local recs = assert(ris.read(DIR .. "sample.ris"))
      assert.equal(2, #recs)
      assert.same({
        line = 1, type = "JOUR",
        title = "Barriers to app-based diabetes care in general practice",
        authors = { "Osei, Amara", "Baker, Tom", "Rao, Sunita" },
        year = 2023, journal = "Fictional Journal of Primary Care", doi = "10.5555/fjpc.2023.001",
        abstract = "Digital tools may widen health inequalities.Objective To explore how practice nurses "
          .. "experience glucose apps. Design Qualitative interview study. Results Log-ins were the "
          .. "first hurdle. Conclusions Support in the practice matters.",
      }, recs[1])
    end)

    it("falls back to T1, A1, Y1, T2 and N2", function()
      local r = assert(ris.read(DIR .. "sample.ris"))[2]
      assert.same({ "Pharmacist follow-up calls after starting anticoagulants", { "Khan, Imran" }, 2021,
                    "Fictional Heart Journal" }, { r.title, r.authors, r.year, r.journal })
      assert.matches("^BACKGROUND: Calls are cheap%.", r.abstract)
    end)
  end)

  describe("parse()", function()
    it("reports a field outside a record", function()
      assert.same({ nil, "x.ris:1: field TI outside a record (expected 'TY  - ')" },
        { ris.parse("TI  - x\n", "x.ris") })
    end)
    it("reports a record without ER", function()
      assert.same({ nil, "x.ris:2: record has no ER" }, { ris.parse("\nTY  - JOUR\nTI  - x\n", "x.ris") })
    end)
    it("reports ER without TY", function()
      assert.same({ nil, "x.ris:1: ER without a TY" }, { ris.parse("ER  - \n", "x.ris") })
    end)
  end)
end)

describe("thematic.readers.medline", function()
  describe("read()", function()
    it("reads tags, continuation lines, FAU authors, DP year, JT journal and the [doi] AID", function()
      local recs = assert(medline.read(DIR .. "sample.nbib"))
      assert.equal(2, #recs)
      local r = recs[1]
      assert.same({ "99000001", "Remote blood pressure monitoring in heart failure clinics: a qualitative study.",
                    { "Rao, Sunita", "Baker, Tom" }, 2022, "Fictional Heart Journal", "10.5555/fhj.2022.77" },
                  { r.pmid, r.title, r.authors, r.year, r.journal, r.doi })
      assert.equal("BACKGROUND: Remote monitoring is spreading. OBJECTIVE: To understand staff views. "
        .. "METHODS: Focus groups with 12 nurses. RESULTS: Readings did not reach the record. "
        .. "CONCLUSIONS: Integration matters.", r.abstract)
    end)

    it("falls back to AU and TA", function()
      local r = assert(medline.read(DIR .. "sample.nbib"))[2]
      assert.same({ { "Osei A" }, "Fict Prim Care", 2020, 20 }, { r.authors, r.journal, r.year, r.line })
    end)
  end)

  describe("parse()", function()
    it("reports a record that does not start with PMID", function()
      assert.same({ nil, "x.nbib:1: record does not start with PMID- (got TI)" },
        { medline.parse("TI  - x\n", "x.nbib") })
    end)
    it("reports a line that is not a tag", function()
      assert.same({ nil, "x.nbib:2: not a MEDLINE line (expected 'TAG - value')" },
        { medline.parse("PMID- 1\nhello\n", "x.nbib") })
    end)
  end)
end)

describe("thematic.readers.bibtex", function()
  describe("read()", function()
    it("reads braces, nested braces, macros, escapes and ' and '-separated authors", function()
      local recs = assert(bibtex.read(DIR .. "sample.bib"))
      assert.equal(2, #recs)
      local r = recs[1]
      assert.same({ key = "osei2023", type = "article", line = 5,
                    title = "Barriers to NHS app use in General Practice",
                    authors = { "Osei, Amara", "Baker, Tom", "Rao and Partners" },
                    year = 2023, journal = "Fictional Journal of Primary Care", doi = "10.5555/fjpc.2023.002",
                    abstract = "Background: Apps help some patients. Methods: We asked nurses & pharmacists. "
                      .. "Results: Mixed. Conclusions: Support matters." }, r)
    end)

    it("reads quoted values, # concatenation and booktitle", function()
      local r = assert(bibtex.read(DIR .. "sample.bib"))[2]
      assert.same({ 'Calls after "starting" anticoagulants', "No headings in this one.", 2021, "Fictional Conference" },
        { r.title, r.abstract, r.year, r.journal })
    end)
  end)

  describe("parse()", function()
    it("reports unbalanced braces at the entry's line", function()
      assert.same({ nil, "b.bib:2: unbalanced braces in a value of the entry starting here" },
        { bibtex.parse("\n@article{x, title = {a {b}\n", "b.bib") })
    end)
    it("reports a missing '='", function()
      assert.same({ nil, "b.bib:1: expected '=' after field title" },
        { bibtex.parse("@article{x, title {a}}", "b.bib") })
    end)
  end)
end)

describe("thematic.readers.abstracts_csv", function()
  describe("read()", function()
    it("reads a BOM, quoted newlines and ;-separated authors", function()
      local recs = assert(acsv.read(DIR .. "sample.csv"))
      assert.same({ line = 2, title = "Apps, nurses and time",
                    abstract = 'Background: Time is short.\r\nMethods: We asked. Results: "Too busy", they said.',
                    authors = { "Osei A", "Baker T" }, year = 2024, journal = "Fict J", doi = "10.5555/x.1" }, recs[1])
      assert.same({ line = 4, title = "Second", abstract = "Plain abstract.", authors = {} }, recs[2])
    end)
  end)

  describe("parse()", function()
    it("needs an abstract column", function()
      assert.same({ nil, "a.csv:1: an abstracts table needs an abstract column" },
        { acsv.parse("title\nx\n", "a.csv") })
    end)
    it("reports a bad year", function()
      assert.same({ nil, "a.csv:2: bad year 'soon'" }, { acsv.parse("abstract,year\nx,soon\n", "a.csv") })
    end)
  end)
end)
