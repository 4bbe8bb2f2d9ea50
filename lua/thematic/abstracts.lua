--- Structured abstracts: find the section headings (Background, Methods,
-- Results, Conclusions …) and split an abstract into sections.
--
-- A heading counts when it begins the text, a line, or a sentence (after
-- `.`, `!`, `?` — with or without a space: exports often glue it, as in
-- `…health inequalities.Objective To explore…`), starts with a capital,
-- and is followed by `:`, ` -`, a line end, or a space and a capital
-- letter (`Methods We interviewed…`, `OBJECTIVE: To…`). Headings are matched
-- longest first (`Methods and analysis` before `Methods`).
--
-- @module thematic.abstracts
-- @usage
-- local abstracts = require "thematic.abstracts"
-- for _, s in ipairs(abstracts.sections("Background: Apps help. Methods: We asked.")) do
--   print(s.kind, s.name, s.text)     --> background Background Apps help. / methods Methods We asked.
-- end

local byte, find, format, lower, sub = string.byte, string.find, string.format, string.lower, string.sub
local sort = table.sort

local M = {}

--- Heading phrases (lower case) and the kind each one belongs to.
M.HEADINGS = {
  ["background"] = "background", ["introduction"] = "background", ["context"] = "background",
  ["rationale"] = "background", ["background and aims"] = "background",
  ["background and objectives"] = "background", ["background and purpose"] = "background",
  ["objective"] = "objective", ["objectives"] = "objective", ["aim"] = "objective",
  ["aims"] = "objective", ["purpose"] = "objective", ["aims and objectives"] = "objective",
  ["study objective"] = "objective", ["research question"] = "objective",
  ["methods"] = "methods", ["method"] = "methods", ["design"] = "methods",
  ["setting"] = "methods", ["settings"] = "methods", ["participants"] = "methods",
  ["interventions"] = "methods", ["intervention"] = "methods",
  ["main outcome measures"] = "methods", ["main outcome measure"] = "methods",
  ["outcome measures"] = "methods", ["primary and secondary outcome measures"] = "methods",
  ["materials and methods"] = "methods", ["methods and analysis"] = "methods",
  ["methods and materials"] = "methods", ["design, setting and participants"] = "methods",
  ["design, setting, and participants"] = "methods", ["study design"] = "methods",
  ["data sources"] = "methods", ["study selection"] = "methods",
  ["data extraction"] = "methods", ["data synthesis"] = "methods",
  ["eligibility criteria"] = "methods", ["analysis"] = "methods",
  ["results"] = "results", ["findings"] = "results", ["main results"] = "results",
  ["measurements and main results"] = "results", ["key findings"] = "results",
  ["conclusion"] = "conclusion", ["conclusions"] = "conclusion",
  ["discussion"] = "conclusion", ["implications"] = "conclusion",
  ["interpretation"] = "conclusion", ["conclusions and relevance"] = "conclusion",
  ["conclusions and implications"] = "conclusion", ["implications for practice"] = "conclusion",
  ["practice implications"] = "conclusion", ["limitations"] = "conclusion",
  ["strengths and limitations"] = "conclusion", ["ethics and dissemination"] = "other",
  ["trial registration"] = "other", ["registration"] = "other", ["funding"] = "other",
  ["patient or public contribution"] = "other", ["keywords"] = "other",
}

local phrases -- sorted longest first
local function sorted_phrases()
  if not phrases then
    phrases = {}
    for p in pairs(M.HEADINGS) do phrases[#phrases + 1] = p end
    sort(phrases, function(a, b) if #a ~= #b then return #a > #b end return a < b end)
  end
  return phrases
end

local function is_upper(c) return c and c >= 65 and c <= 90 end

-- Heading at byte i? Returns heading end (last byte) and body start.
local function heading_at(text, i)
  if not is_upper(byte(text, i)) then return nil end
  local low = lower(sub(text, i, i + 60))
  for _, p in ipairs(sorted_phrases()) do
    if sub(low, 1, #p) == p then
      local he = i + #p - 1
      local j = he + 1
      local c = byte(text, j)
      if c == nil then return he, j end
      if c == 58 then                                    -- ':'
        local k = find(text, "%S", j + 1) or #text + 1
        return he, k
      end
      if c == 10 or c == 13 then
        return he, find(text, "%S", j) or #text + 1
      end
      if c == 32 or c == 9 then
        local k = find(text, "%S", j)
        if not k then return he, #text + 1 end
        local d = byte(text, k)
        if d == 45 or (d == 0xE2 and sub(text, k, k + 2) == "\226\128\147") then -- '-' '–'
          local m = find(text, "%S", k + (d == 45 and 1 or 3))
          return he, m or #text + 1
        end
        -- a capital letter (or a digit/paren) must follow a bare heading
        -- written in ordinary case; an ALL CAPS heading needs nothing more
        local written = sub(text, i, he)
        if is_upper(d) or (written:upper() == written and #written > 1) then
          return he, k
        end
      end
      return nil
    end
  end
  return nil
end

--- Section headings and spans of an abstract.
-- @tparam string text the abstract
-- @treturn table array of sections `{name=, kind=, start=, stop=, text=,
--   heading_start=, heading_stop=}`: `name` is the heading as written,
--   `kind` one of background, objective, methods, results, conclusion,
--   other; `start`/`stop` span the section's body. An abstract without
--   headings is one section with `name = nil`, `kind = nil`. Text before
--   the first heading becomes such a section too.
function M.sections(text)
  if type(text) ~= "string" then
    error(format("bad argument #1 to 'sections' (string expected, got %s)", type(text)), 2)
  end
  local heads = {}
  local i, n = 1, #text
  -- candidate positions: 1, after line ends, after sentence punctuation
  local function try(pos)
    local he, body = heading_at(text, pos)
    if he then heads[#heads + 1] = { hs = pos, he = he, body = body } end
    return he
  end
  local first = find(text, "%S") or 1
  if try(first) then i = heads[1].body end
  while i <= n do
    local s = find(text, "[%.!%?\n]", i)
    if not s then break end
    local j = s + 1
    while byte(text, j) == 32 or byte(text, j) == 10 or byte(text, j) == 13 or byte(text, j) == 9 do
      j = j + 1
    end
    local he = (j <= n) and try(j) or nil
    i = he and heads[#heads].body or s + 1
  end
  local out = {}
  local function trim_span(a, b)
    while a <= b and find(sub(text, a, a), "%s") do a = a + 1 end
    while b >= a and find(sub(text, b, b), "%s") do b = b - 1 end
    return a, b
  end
  local function add(name, kind, hs, he_, a, b)
    a, b = trim_span(a, b)
    if b >= a or name then
      out[#out + 1] = { name = name, kind = kind, start = a, stop = b,
                        text = sub(text, a, b), heading_start = hs, heading_stop = he_ }
    end
  end
  if #heads == 0 or heads[1].hs > first then
    add(nil, nil, nil, nil, 1, (#heads > 0 and heads[1].hs or n + 1) - 1)
  end
  for k, h in ipairs(heads) do
    local name = sub(text, h.hs, h.he)
    local stop = (heads[k + 1] and heads[k + 1].hs or n + 1) - 1
    add(name, M.HEADINGS[lower(name)], h.hs, h.he, h.body, stop)
  end
  return out
end

return M
