--- Snowball stop-word lists, shipped beside this module in data/stopwords/.
-- @module thematic.stopwords

local M = {}

local function data_dir()
  local here = package.searchpath("thematic.stopwords", package.path)
  return here and here:gsub("stopwords%.lua$", "data/stopwords/")
end

--- Parses a Snowball stop list: one word per line, '|' starts a comment.
-- @tparam string text
-- @treturn table array of words
function M.parse(text)
  local words = {}
  for line in text:gmatch("[^\r\n]+") do
    local w = line:gsub("|.*", ""):match("^%s*(%S+)")
    if w then words[#words + 1] = w end
  end
  return words
end

--- The stop words of a language (its canonical stemmer name), or nil.
-- @tparam string language e.g. "english"
-- @treturn table|nil
function M.load(language)
  local dir = data_dir()
  local f = dir and io.open(dir .. language .. ".txt", "r")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return M.parse(text)
end

return M
