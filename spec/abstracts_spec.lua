local abstracts = require "thematic.abstracts"

local function kinds(text)
  local out = {}
  for _, s in ipairs(abstracts.sections(text)) do
    out[#out + 1] = { s.name or false, s.kind or false, s.text }
    assert.equal(s.text, text:sub(s.start, s.stop))
  end
  return out
end

describe("thematic.abstracts", function()
  describe("sections()", function()
    it("splits a heading glued to the previous sentence", function()
      assert.same({ { false, false, "Apps may widen health inequalities." },
                    { "Objective", "objective", "To explore views." },
                    { "Design", "methods", "Qualitative study." } },
        kinds("Apps may widen health inequalities.Objective To explore views. Design Qualitative study."))
    end)

    it("reads OBJECTIVE: style headings", function()
      assert.same({ { "OBJECTIVE", "objective", "To test." }, { "METHODS", "methods", "We asked 3.5 people." },
                    { "CONCLUSIONS", "conclusion", "Fine." } },
        kinds("OBJECTIVE: To test. METHODS: We asked 3.5 people. CONCLUSIONS: Fine."))
    end)

    it("prefers the longest heading and reads headings on their own line", function()
      assert.same({ { "Methods and analysis", "methods", "We will." }, { "Results", "results", "They did." } },
        kinds("Methods and analysis We will.\nResults\nThey did."))
    end)

    it("does not take a heading word followed by lower case for a heading", function()
      assert.same({ { "Background", "background", "Setting up the app was hard. Results were mixed." } },
        kinds("Background: Setting up the app was hard. Results were mixed."))
    end)

    it("keeps an abstract without headings as one section", function()
      assert.same({ { false, false, "Plain text." } }, kinds("Plain text."))
    end)

    it("raises on a non-string", function()
      assert.has_error(function() abstracts.sections(nil) end,
        "bad argument #1 to 'sections' (string expected, got nil)")
    end)
  end)
end)
