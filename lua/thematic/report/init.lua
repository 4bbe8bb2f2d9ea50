--- Reports: one self-contained HTML page summarising a coded corpus.
--
-- `build` gathers the data (plain tables), `html` renders it, `write`
-- saves it atomically. See docs/report.md.
--
-- @module thematic.report
-- @usage
-- local report = require "thematic.report"
-- local data = report.build(coding.code(corpus, codebook), { by = "group" })
-- assert(report.write(data, "report.html"))

local build = require "thematic.report.build"
local html = require "thematic.report.html"
local output = require "thematic.output"

local type, error, format = type, error, string.format

local M = {}

--- The report data of a coded corpus (see `thematic.report.build`).
-- @tparam table coded from `thematic.coding.code`
-- @tparam[opt] table opts `by`, `quotes`, `title`, `date`, `saturation`,
--   `include_interviewer`
-- @treturn table
function M.build(coded, opts)
  if type(coded) ~= "table" or type(coded.segments) ~= "table" or type(coded.codebook) ~= "table" then
    error("bad argument #1 to 'build' (coded corpus expected)", 2)
  end
  if opts ~= nil and type(opts) ~= "table" then
    error(format("bad argument #2 to 'build' (table expected, got %s)", type(opts)), 2)
  end
  return build.build(coded, opts)
end

--- The report as one self-contained HTML string.
-- @tparam table data from @{build}
-- @treturn string
function M.html(data)
  if type(data) ~= "table" or type(data.summary) ~= "table" then
    error("bad argument #1 to 'html' (report data expected)", 2)
  end
  return html.render(data)
end

--- Write the report atomically (a temporary file in the same folder, then
-- renamed over `path`).
-- @tparam table data from @{build}
-- @tparam string path
-- @tparam[opt] table inputs paths that must not be overwritten (the transcripts)
-- @treturn true|nil
-- @treturn string `"path: cannot write (why)"`
function M.write(data, path, inputs)
  if type(data) ~= "table" or type(data.summary) ~= "table" then
    error("bad argument #1 to 'write' (report data expected)", 2)
  end
  if type(path) ~= "string" then
    error(format("bad argument #2 to 'write' (string expected, got %s)", type(path)), 2)
  end
  return output.write_atomic(path, M.html(data), inputs)
end

return M
