local participants = require "thematic.participants"

describe("thematic.participants", function()
  describe("parse()", function()
    it("indexes ids and aliases case-insensitively with white space collapsed", function()
      local p = assert(participants.parse("id,aliases,role\nP03,Pharmacist 1; Sam,participant\n"
        .. "AO,Interviewer,interviewer\n", "p.csv"))
      assert.equal("P03", participants.lookup(p, "pharmacist   1").id)
      assert.equal("P03", participants.lookup(p, " p03 ").id)
      assert.same({ role = "participant" }, participants.lookup(p, "SAM").attributes)
      assert.is_true(participants.is_interviewer(participants.lookup(p, "interviewer")))
      assert.is_nil(participants.lookup(p, "P04"))
    end)

    it("needs an id column", function()
      assert.same({ nil, "p.csv:1: a participants file needs an id column" },
        { participants.parse("name\nx\n", "p.csv") })
    end)

    it("reports an alias naming two people", function()
      assert.same({ nil, "p.csv:3: 'P1' already names P1 (line 2)" },
        { participants.parse("id,aliases\nP1,\nP2,P1\n", "p.csv") })
    end)

    it("reports an empty id", function()
      assert.same({ nil, "p.csv:2: empty id" }, { participants.parse("id,x\n,1\n", "p.csv") })
    end)
  end)
end)
