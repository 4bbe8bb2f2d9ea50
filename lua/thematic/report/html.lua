--- The report as one self-contained HTML page: inline CSS, inline SVG
-- charts (from `thematic.report.svg`), no scripts, no fonts, no images and
-- no link to anything outside the page. Every piece of transcript text,
-- attribute, file name and code name goes through `svg.escape`.
--
-- @module thematic.report.html

local svg = require "thematic.report.svg"

local type, ipairs, error = type, ipairs, error
local format, gsub, sub, floor = string.format, string.gsub, string.sub, math.floor
local concat, sort = table.concat, table.sort

local M = {}

local esc, fmt = svg.escape, svg.fmt

local CSS = [[
:root{--ink:#1f2933;--muted:#52606d;--rule:#d9dee3;--soft:#f5f7f9;--accent:#2c6aa0;
--barrier:#a94f12;--facilitator:#2c6aa0;--mark:#fde68a}
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;color:var(--ink);background:#fff;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.55}
.page{max-width:60rem;margin:0 auto;padding:2rem 1.25rem 4rem}
header.top{border-bottom:3px solid var(--ink);padding-bottom:1rem;margin-bottom:1.5rem}
h1{font-size:1.9rem;line-height:1.2;margin:0 0 .4rem}
h2{font-size:1.4rem;margin:2.6rem 0 .6rem;padding-top:.6rem;border-top:1px solid var(--rule)}
h3{font-size:1.15rem;margin:1.8rem 0 .4rem}
h4{font-size:1rem;margin:1.4rem 0 .3rem}
p,li{max-width:44rem}
.sub{color:var(--muted);margin:0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;
background:var(--soft);padding:.05em .3em;border-radius:3px}
nav.toc{background:var(--soft);padding:.8rem 1rem;border-radius:6px}
nav.toc ol{margin:0;padding-left:1.3rem;columns:2;column-gap:2rem}
a{color:var(--accent)}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.75rem;margin:1rem 0}
.figure{border:1px solid var(--rule);border-radius:6px;padding:.6rem .8rem}
.figure b{display:block;font-size:1.6rem;line-height:1.2}
.figure span{color:var(--muted);font-size:.9rem}
table{border-collapse:collapse;margin:.8rem 0;font-size:.92rem}
th,td{border-bottom:1px solid var(--rule);padding:.3rem .7rem .3rem 0;text-align:left;vertical-align:top}
th{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1rem 0 1.5rem}
figcaption{color:var(--muted);font-size:.9rem;max-width:44rem;margin-top:.3rem}
.chart-wrap{overflow-x:auto}
svg.chart{max-width:100%;height:auto;display:block}
.note{background:var(--soft);border-left:4px solid var(--muted);padding:.6rem .9rem;max-width:44rem}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:.05rem .45rem;border-radius:999px;
color:#fff;vertical-align:middle;margin-left:.4rem;text-transform:uppercase;letter-spacing:.03em}
.badge.barrier{background:var(--barrier)}
.badge.facilitator{background:var(--facilitator)}
.def{margin:.2rem 0 .6rem}
.incl{color:var(--muted);font-size:.9rem;margin:.1rem 0}
.code{border-left:3px solid var(--rule);padding-left:1rem;margin-left:.2rem}
.code.barrier{border-left-color:var(--barrier)}
.code.facilitator{border-left-color:var(--facilitator)}
blockquote{margin:.7rem 0 1rem;padding:.5rem .9rem;background:var(--soft);border-radius:4px;max-width:46rem}
blockquote p{margin:0;font-size:1.02rem}
blockquote footer{color:var(--muted);font-size:.86rem;margin-top:.35rem}
mark{background:var(--mark);color:var(--ink);padding:0 .1em;border-radius:2px}
.none{color:var(--muted);font-style:italic}
.legend{display:flex;gap:1.2rem;flex-wrap:wrap;color:var(--muted);font-size:.88rem;margin:.3rem 0}
.swatch{display:inline-block;width:.8rem;height:.8rem;vertical-align:-1px;margin-right:.3rem}
.swatch.barrier{background:var(--barrier)}
.swatch.facilitator{background:var(--facilitator);border-radius:50%}
details{margin:.8rem 0}
summary{cursor:pointer;font-weight:600}
footer.end{margin-top:3rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--rule);padding-top:.8rem}
@media print{
 .page{max-width:none;padding:0}
 nav.toc{display:none}
 h2{break-after:avoid}
 h3,h4{break-after:avoid}
 figure,blockquote,tr{break-inside:avoid}
 details{display:block}
 a{color:inherit;text-decoration:none}
 mark{background:none;font-weight:700;text-decoration:underline}
}
]]

local function add(out, ...)
  for i = 1, select("#", ...) do out[#out + 1] = select(i, ...) end
end

-- A quote's text with its hits in <mark>, white space collapsed.
local function highlight(q)
  local spans = {}
  for _, h in ipairs(q.hits or {}) do spans[#spans + 1] = { h.start, h.stop } end
  sort(spans, function(a, b) return a[1] < b[1] end)
  local merged = {}
  for _, s in ipairs(spans) do
    local last = merged[#merged]
    if last and s[1] <= last[2] + 1 then
      if s[2] > last[2] then last[2] = s[2] end
    else
      merged[#merged + 1] = { s[1], s[2] }
    end
  end
  local text, out, pos = q.text or "", {}, 1
  local function piece(s) return esc((gsub(s, "%s+", " "))) end
  for _, s in ipairs(merged) do
    if s[1] > pos then out[#out + 1] = piece(sub(text, pos, s[1] - 1)) end
    out[#out + 1] = "<mark>" .. piece(sub(text, s[1], s[2])) .. "</mark>"
    pos = s[2] + 1
  end
  if pos <= #text then out[#out + 1] = piece(sub(text, pos)) end
  return concat(out)
end
M.highlight = highlight

local function clock(ms)
  local s = floor(ms / 1000)
  return format("%02d:%02d:%02d", s // 3600, s % 3600 // 60, s % 60)
end

local function where(q)
  local parts = { esc(q.document) }
  if q.line then parts[#parts + 1] = "line " .. esc(q.line) end
  local t = q.time
  local start = type(t) == "table" and (t.start_ms or t[1])
  if type(start) == "number" then parts[#parts + 1] = esc(clock(start)) end
  return concat(parts, ", ")
end

-- 16271 -> "16,271"
local function thousands(n)
  local s = format("%d", n)
  local out = s:reverse():gsub("(%d%d%d)", "%1,"):reverse()
  return (out:gsub("^,", ""))
end
M.thousands = thousands

local function pct(x) return format("%d%%", floor(x * 100 + 0.5)) end

local function section(out, id, title)
  add(out, '<section id="', esc(id), '" aria-labelledby="', esc(id), '-h"><h2 id="', esc(id), '-h">',
    esc(title), "</h2>")
end

local function summary_section(out, data)
  local s = data.summary
  section(out, "summary", "The material")
  local coded_codes = 0
  for _, r in ipairs(data.totals) do
    if r.depth > 1 and r.hits > 0 then coded_codes = coded_codes + 1 end
  end
  add(out, '<div class="figures">')
  local figures = { { s.documents, s.documents == 1 and "document" or "documents" } }
  if s.speech then
    figures[#figures + 1] = { s.participants, s.participants == 1 and "participant" or "participants" }
    figures[#figures + 1] = { thousands(s.words), "words spoken by participants" }
  else
    figures[#figures + 1] = { thousands(s.words), "words" }
  end
  figures[#figures + 1] = { coded_codes .. " / " .. (s.codebook.codes - s.codebook.themes),
                            "codes with at least one hit" }
  for _, f in ipairs(figures) do
    add(out, '<div class="figure"><b>', esc(f[1]), "</b><span>", esc(f[2]), "</span></div>")
  end
  add(out, "</div>")
  add(out, "<p>Codebook <code>", esc(s.codebook.name), "</code>")
  if s.codebook.title then add(out, " — ", esc(s.codebook.title)) end
  add(out, format(": %d themes, %d codes, %d patterns; language: %s.</p>",
    s.codebook.themes, s.codebook.codes - s.codebook.themes, s.codebook.patterns,
    esc(s.codebook.language)))
  if s.speech then   -- abstracts have no participants to tabulate
    add(out, '<table><caption class="sub">Participants by ', esc(s.participants_by),
      '</caption><thead><tr><th scope="col">', esc(s.participants_by),
      '</th><th scope="col" class="num">participants</th><th scope="col" class="num">words</th></tr></thead><tbody>')
    local words = {}
    for _, r in ipairs(data.counts) do words[r.group] = r.words end
    for _, g in ipairs(s.participants_by_group) do
      add(out, '<tr><th scope="row">', esc(g.group), '</th><td class="num">', esc(g.participants),
        '</td><td class="num">', words[g.group] and thousands(words[g.group]) or "", "</td></tr>")
    end
    add(out, "</tbody></table>")
  end
  add(out, "<details><summary>Documents (in the order used for saturation)</summary>",
    '<table><thead><tr><th scope="col" class="num">#</th><th scope="col">document</th><th scope="col">type</th>',
    '<th scope="col" class="num">words</th><th scope="col">participants</th></tr></thead><tbody>')
  for i, d in ipairs(s.document_list) do
    add(out, '<tr><td class="num">', i, "</td><td><code>", esc(d.id), "</code></td><td>", esc(d.type),
      '</td><td class="num">', thousands(d.words), "</td><td>", esc(concat(d.participants, ", ")), "</td></tr>")
  end
  add(out, "</tbody></table></details></section>")
end

local function heatmap_section(out, data)
  section(out, "groups", "Codes across groups")
  local keys = data.groups
  local cells = {}
  for _, r in ipairs(data.counts) do
    cells[r.code] = cells[r.code] or {}
    cells[r.code][r.group] = r
  end
  local hit = {}
  for _, r in ipairs(data.totals) do hit[r.code] = r.hits > 0 end
  local rows, empty = {}, {}
  for _, c in ipairs(data.codes) do
    if hit[c.code] then
      local row = { label = c.label, depth = c.depth, valence = c.valence, cells = {} }
      for j, k in ipairs(keys) do
        local r = cells[c.code][k]
        row.cells[j] = {
          value = c.depth > 1 and r.per_1000 or 0, label = fmt(r.per_1000, 1), zero = r.hits == 0, plain = c.depth == 1,
          sub = format("%d of %d", r.participants, r.participants_total),
          tip = format("%s — %s: %d hits, %.1f per 1,000 words, %d of %d participants", c.label, k,
            r.hits, r.per_1000, r.participants, r.participants_total),
        }
      end
      rows[#rows + 1] = row
    elseif c.depth > 1 then
      empty[#empty + 1] = c.label
    end
  end
  if #rows == 0 then
    add(out, '<p class="none">No code has a hit.</p></section>')
    return
  end
  local labels = {}
  for i, k in ipairs(keys) do labels[i] = k end
  add(out, '<figure><div class="chart-wrap">', svg.heatmap {
    id = "chart-groups", columns = labels, rows = rows,
    title = "Hits per 1,000 words and participants with hits, by code and " .. data.by,
    desc = "Rows are themes (bold) and their codes; columns are values of " .. data.by
      .. ". Each cell shows hits per 1,000 participant words and how many of the group's participants have a hit.",
  }, "</div>")
  add(out, data.summary.speech
    and '<figcaption>Each cell: hits per 1,000 words spoken by the group, and “n of N”: participants of the '
      .. "group with at least one hit. "
    or "<figcaption>Each cell: hits per 1,000 words of the group’s texts. ",
    "Darker means a higher rate; theme rows (bold) sum their codes and are ",
    "left white so that they do not set the scale. ",
    '<span class="swatch barrier"></span>barrier ',
    '<span class="swatch facilitator"></span>facilitator. Groups by <code>', esc(data.by),
    "</code>.</figcaption></figure>")
  if #empty > 0 then
    add(out, "<p><b>Codes without hits:</b> ", esc(concat(empty, "; ")), ".</p>")
  end
  add(out, "</section>")
end

local function valence_section(out, data)
  if #data.valence == 0 then return end
  section(out, "valence", "Barriers and facilitators")
  local rows = {}
  for _, v in ipairs(data.valence) do
    rows[#rows + 1] = {
      label = v.label, barrier = v.barrier, facilitator = v.facilitator,
      barrier_tip = format("%s — barriers (%s): %d hits, %.1f per 1,000 words", v.label,
        concat(v.barrier_codes, "; "), v.barrier_hits, v.barrier),
      facilitator_tip = format("%s — facilitators (%s): %d hits, %.1f per 1,000 words", v.label,
        concat(v.facilitator_codes, "; "), v.facilitator_hits, v.facilitator),
    }
  end
  add(out, '<figure><div class="chart-wrap">', svg.butterfly {
    id = "chart-valence", rows = rows,
    title = "Barrier and facilitator codes per theme, hits per 1,000 words",
    desc = "For each theme, the summed rate of its barrier codes to the left "
      .. "and of its facilitator codes to the right.",
  }, "</div><figcaption>Summed rates (hits per 1,000 participant words) of each theme's barrier codes ",
    "(left) and facilitator codes (right), over all participants. A longer bar means more matched words, ",
    "not a stronger barrier.</figcaption></figure></section>")
end

local function themes_section(out, data)
  section(out, "themes", "Themes")
  add(out, "<p>Hits per code within each theme, over all participants; the figure after each bar is ",
    "the number of hits and how many participants have at least one.</p>")
  for i, t in ipairs(data.themes) do
    add(out, '<h3 id="theme-', i, '">', esc(t.label), "</h3>")
    if t.definition then add(out, '<p class="def">', esc(t.definition), "</p>") end
    local bars = {}
    for _, c in ipairs(t.codes) do
      bars[#bars + 1] = {
        label = c.label, value = c.hits,
        text = format("%d · %d of %d", c.hits, c.participants, c.participants_total),
        color = svg.colors[c.valence or "neutral"],
        tip = format("%s: %d hits (%.1f per 1,000 words), %d negated left out, %d of %d participants",
          c.label, c.hits, c.per_1000, c.negated, c.participants, c.participants_total),
      }
    end
    if #bars > 0 then
      add(out, '<figure><div class="chart-wrap">', svg.bars {
        id = "chart-theme-" .. i, bars = bars, title = "Hits per code: " .. t.label,
        desc = "Horizontal bars, one per code of the theme, length = hits.",
      }, "</div></figure>")
    end
  end
  add(out, "</section>")
end

local function saturation_section(out, data)
  local s = data.saturation
  section(out, "saturation", "Saturation")
  if #s.cumulative > 0 then
    add(out, '<figure><div class="chart-wrap">', svg.saturation {
      id = "chart-saturation", documents = s.documents, cumulative = s.cumulative, new = s.new,
      base = not s.message and s.base or nil, point_index = s.point_index,
      point_label = s.point and ("saturation " .. s.point) or nil,
      title = "Cumulative number of codes found, document by document",
      desc = "Line: distinct codes with hits in documents 1 to n; light bars: codes first seen in document n.",
    }, "</div><figcaption>Line: distinct codes found so far; light bars: codes first found in that ",
      "document. Order: ", esc(s.order_note or "as loaded"), " (see “The material”).</figcaption></figure>")
  end
  if s.message then
    add(out, '<p class="note">No saturation verdict: ', esc(s.message), ".</p>")
  elseif s.saturated then
    add(out, format('<p class="note">With a base of %d documents and runs of %d, the first run adding at '
      .. "most %s new codes relative to the base's %d codes ends at document %d: saturation at "
      .. "<b>%s</b> (Guest, Namey &amp; Chen 2020).</p>", s.base, s.run, pct(s.threshold), s.base_codes,
      s.point_index or 0, esc(s.point)))
  else
    add(out, format('<p class="note">With a base of %d documents and runs of %d, no run adds at most %s '
      .. "new codes relative to the base's %d codes: saturation is not reached in these documents.</p>",
      s.base, s.run, pct(s.threshold), s.base_codes))
  end
  add(out, "</section>")
end

local function cooccurrence_section(out, data)
  local speech = data.summary.speech
  local unit, one = speech and "speaker turns" or "segments", speech and "turn" or "segment"
  local c = data.cooccurrence
  section(out, "cooccurrence", "Codes that occur together")
  if c.message then
    add(out, '<p class="none">', esc(c.message), ".</p></section>")
    return
  end
  local tips = {}
  for i = 1, #c.codes do
    tips[i] = {}
    for j = 1, #c.codes do
      if i == j then
        tips[i][j] = format("%s: in %d of %d segments", c.labels[i], c.n_ab[i][j], c.n)
      else
        tips[i][j] = format("%s × %s: together in %d segments (Jaccard %.2f)", c.labels[i], c.labels[j],
          c.n_ab[i][j], c.jaccard[i][j])
      end
    end
  end
  add(out, '<figure><div class="chart-wrap">', svg.matrix {
    id = "chart-cooccurrence", labels = c.labels, rows = c.n_ab, tips = tips,
    title = "Number of segments in which two codes both have a hit",
    desc = "Symmetric matrix of codes with hits; each cell counts the " .. unit .. " holding both codes.",
  }, "</div><figcaption>",
    esc(format("Number of %s (of %d) in which both codes have a hit; ", unit, c.n)),
    "the grey diagonal is each code alone. Codes in one ", one,
    " are often two sides of one remark; ",
    "co-occurrence says nothing about cause.</figcaption></figure></section>")
end

local function codes_section(out, data)
  section(out, "quotes", "Codes and illustrative quotes")
  add(out, "<p>For each code, its definition and up to a few quotes: whole turns or whole sentences ",
    "dense in the code's matched words (highlighted), from as many different participants as possible. ",
    "Interviewer turns are never quoted. Read them in context before using them.</p>")
  local info = {}
  for _, c in ipairs(data.codes) do info[c.code] = c end
  for _, entry in ipairs(data.quotes) do
    local c = info[entry.code] or {}
    if (c.depth or 1) == 1 then
      add(out, "<h3>", esc(entry.label), "</h3>")
      if entry.definition then add(out, '<p class="def">', esc(entry.definition), "</p>") end
    else
      local v = entry.valence
      add(out, '<div class="code', v and (" " .. esc(v)) or "", '"><h4>', esc(entry.label))
      if v then add(out, ' <span class="badge ', esc(v), '">', esc(v), "</span>") end
      add(out, "</h4>")
      add(out, '<p class="incl"><code>', esc(entry.code), "</code></p>")
      if entry.definition then add(out, '<p class="def">', esc(entry.definition), "</p>") end
      if c.inclusion then add(out, '<p class="incl"><b>Include:</b> ', esc(c.inclusion), "</p>") end
      if c.exclusion then add(out, '<p class="incl"><b>Exclude:</b> ', esc(c.exclusion), "</p>") end
      if #entry.quotes == 0 then
        add(out, '<p class="none">No hits, so no quotes.</p>')
      end
      for _, q in ipairs(entry.quotes) do
        -- an abstract has no speaker: its attribution is the document,
        -- which where(q) names already
        local who = q.attribution or q.participant or q.speaker or ""
        if who == q.document then who = "" end
        add(out, "<blockquote><p>", highlight(q), "</p><footer>— ", who ~= "" and esc(who) .. " · " or "",
          where(q), "</footer></blockquote>")
      end
      add(out, "</div>")
    end
  end
  add(out, "</section>")
end

local function method_section(out, data)
  section(out, "method", "Method and limits")
  for _, p in ipairs(data.method) do add(out, "<p>", esc(p), "</p>") end
  if data.warnings and #data.warnings > 0 then
    add(out, "<details><summary>Warnings while reading the transcripts (", #data.warnings,
      ")</summary><ul>")
    for _, w in ipairs(data.warnings) do add(out, "<li>", esc(w), "</li>") end
    add(out, "</ul></details>")
  end
  add(out, "</section>")
end

local function data_section(out, data)
  section(out, "data", "The numbers")
  add(out, "<details><summary>Counts by code and ", esc(data.by), " (", #data.counts, " rows)</summary>",
    '<table><thead><tr><th scope="col">code</th><th scope="col">', esc(data.by), '</th>',
    '<th scope="col" class="num">hits</th><th scope="col" class="num">negated</th>',
    '<th scope="col" class="num">per 1,000 words</th><th scope="col" class="num">participants</th></tr></thead><tbody>')
  for _, r in ipairs(data.counts) do
    add(out, '<tr><th scope="row">', r.depth == 1 and "<b>" or "", esc(r.label), r.depth == 1 and "</b>" or "",
      "</th><td>", esc(r.group), '</td><td class="num">', r.hits, '</td><td class="num">', r.negated,
      '</td><td class="num">', format("%.1f", r.per_1000), '</td><td class="num">',
      format("%d of %d", r.participants, r.participants_total), "</td></tr>")
  end
  add(out, "</tbody></table></details></section>")
end

--- Render report data as one HTML page.
-- @tparam table data from `thematic.report.build`
-- @treturn string the HTML
function M.render(data)
  if type(data) ~= "table" or type(data.summary) ~= "table" then
    error("bad argument #1 to 'html' (report data expected)", 2)
  end
  local out = {}
  add(out, '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
    "<meta name=\"generator\" content=\"thematic\">\n",
    "<title>", esc(data.title), "</title>\n<style>", CSS, "</style>\n</head>\n<body>\n",
    '<div class="page">\n<header class="top"><h1>', esc(data.title), "</h1>",
    '<p class="sub">', esc(data.summary.documents), " documents · ",
    data.summary.speech and esc(data.summary.participants) .. " participants · " or "",
    "codebook <code>", esc(data.summary.codebook.name), "</code>")
  if data.date then add(out, " · ", esc(data.date)) end
  add(out, "</p></header>\n")
  add(out, '<nav class="toc" aria-label="Contents"><ol>')
  local toc = { { "summary", "The material" }, { "groups", "Codes across groups" } }
  if #data.valence > 0 then toc[#toc + 1] = { "valence", "Barriers and facilitators" } end
  for _, t in ipairs { { "themes", "Themes" }, { "saturation", "Saturation" },
                       { "cooccurrence", "Codes that occur together" },
                       { "quotes", "Codes and illustrative quotes" }, { "method", "Method and limits" },
                       { "data", "The numbers" } } do
    toc[#toc + 1] = t
  end
  for _, t in ipairs(toc) do add(out, '<li><a href="#', t[1], '">', esc(t[2]), "</a></li>") end
  add(out, "</ol></nav>\n<main>\n")
  add(out, '<p class="note">These figures come from matching a dictionary of words against the ',
    "transcripts. They point to where codes occur; they are not themes and they do not measure ",
    'importance. See <a href="#method">Method and limits</a>.</p>')
  summary_section(out, data)
  heatmap_section(out, data)
  valence_section(out, data)
  themes_section(out, data)
  saturation_section(out, data)
  cooccurrence_section(out, data)
  codes_section(out, data)
  method_section(out, data)
  data_section(out, data)
  add(out, '</main>\n<footer class="end">Made with thematic. This file is self-contained: ',
    "it loads nothing from anywhere else.</footer>\n</div>\n</body>\n</html>\n")
  return concat(out)
end

M.CSS = CSS

return M
