--- Inline SVG charts for the HTML report, written by hand: no scripts, no
-- fonts, no external references. Every chart has a `<title>` and `<desc>`
-- (named by `aria-labelledby`), `role="img"`, explicit width/height and a
-- viewBox, so it scales down on small screens and prints as vectors.
-- Every piece of text is escaped with @{escape}.
--
-- @module thematic.report.svg

local ipairs, tostring = ipairs, tostring
local format, gsub, sub = string.format, string.gsub, string.sub
local concat = table.concat
local max, min, floor = math.max, math.min, math.floor
local utf8_len, utf8_offset = utf8.len, utf8.offset

local M = {}

local ESC = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

--- Escape text for HTML/SVG content and attribute values (`& < > " '`).
-- @param s any value (nil gives "")
-- @treturn string
function M.escape(s)
  if s == nil then return "" end
  return (gsub(tostring(s), "[&<>\"']", ESC))
end
local esc = M.escape

--- Palette (restrained; the two valence colours are told apart by
-- colour-blind readers: orange and blue).
M.colors = {
  ink = "#1f2933", muted = "#52606d", grid = "#d9dee3", zero = "#f4f6f8",
  barrier = "#c05f1a", facilitator = "#2c6aa0", neutral = "#6b7785",
  accent = "#2c6aa0",
}

-- Sequential blues, light to dark.
local RAMP = { { 0xf3, 0xf7, 0xfb }, { 0xc6, 0xdb, 0xef }, { 0x6b, 0xae, 0xd6 },
               { 0x21, 0x71, 0xb5 }, { 0x08, 0x30, 0x6b } }

--- Colour of a value in [0, 1] on the sequential ramp, and the text colour
-- that reads on it.
-- @tparam number t
-- @treturn string fill
-- @treturn string text colour
function M.ramp(t)
  if t ~= t or t <= 0 then return M.colors.zero, M.colors.ink end
  t = min(t, 1)
  local x = t * (#RAMP - 1)
  local i = min(floor(x) + 1, #RAMP - 1)
  local f = x - (i - 1)
  local a, b = RAMP[i], RAMP[i + 1]
  local c = {}
  for k = 1, 3 do c[k] = floor(a[k] + (b[k] - a[k]) * f + 0.5) end
  local lum = 0.2126 * c[1] + 0.7152 * c[2] + 0.0722 * c[3]
  return format("#%02x%02x%02x", c[1], c[2], c[3]), lum < 140 and "#ffffff" or M.colors.ink
end

local function num(x)
  if x == floor(x) and x > -1e15 and x < 1e15 then return format("%d", x) end
  return (gsub(format("%.2f", x), "%.?0+$", ""))
end

--- A number as a report prints it: integers plainly, else one decimal.
function M.fmt(x, decimals)
  if x == nil then return "–" end
  if x == floor(x) and not decimals then return format("%d", x) end
  return format("%." .. (decimals or 1) .. "f", x)
end

-- Cut a label to about n characters (UTF-8 aware), with an ellipsis.
local function clip(s, n)
  s = tostring(s or "")
  local len = utf8_len(s)
  if not len or len <= n then return s end
  return sub(s, 1, utf8_offset(s, n) - 1) .. "…"
end
M.clip = clip

-- Break a label into at most `lines` lines of about n characters.
local function wrap(s, n, lines)
  local out, cur = {}, ""
  for word in tostring(s or ""):gmatch("%S+") do
    if cur == "" then cur = word
    elseif (utf8_len(cur) or #cur) + 1 + (utf8_len(word) or #word) <= n then cur = cur .. " " .. word
    else
      out[#out + 1] = cur
      cur = word
    end
  end
  if cur ~= "" then out[#out + 1] = cur end
  if #out > lines then
    local rest = {}
    for i = lines, #out do rest[#rest + 1] = out[i] end
    out[lines] = table.concat(rest, " ")
    for i = #out, lines + 1, -1 do out[i] = nil end
  end
  for i, l in ipairs(out) do out[i] = clip(l, n) end
  return out
end
M.wrap = wrap

local uid = 0
local function open(w, h, title, desc, class, id)
  if not id then
    uid = uid + 1
    id = format("svg%d", uid)
  end
  return {
    format('<svg xmlns="http://www.w3.org/2000/svg" class="chart %s" width="%s" height="%s" '
      .. 'viewBox="0 0 %s %s" role="img" aria-labelledby="%s-t %s-d" '
      .. 'font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, \'Helvetica Neue\', Arial, sans-serif" '
      .. 'font-size="12">',
      esc(class or ""), num(w), num(h), num(w), num(h), id, id),
    format('<title id="%s-t">%s</title><desc id="%s-d">%s</desc>', id, esc(title), id, esc(desc or "")),
  }
end

local function text(out, x, y, s, attrs)
  out[#out + 1] = format('<text x="%s" y="%s"%s>%s</text>', num(x), num(y), attrs or "", esc(s))
end

local function rect(out, x, y, w, h, fill, tip, attrs)
  if tip then
    out[#out + 1] = format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s><title>%s</title></rect>',
      num(x), num(y), num(max(w, 0)), num(max(h, 0)), fill, attrs or "", esc(tip))
  else
    out[#out + 1] = format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"%s/>',
      num(x), num(y), num(max(w, 0)), num(max(h, 0)), fill, attrs or "")
  end
end

local function close(out)
  out[#out + 1] = "</svg>"
  return concat(out)
end

--- Heatmap of codes × groups: each cell coloured by hits per 1,000 words,
-- showing that rate and "n of N" participants.
-- @tparam table spec `{title=, desc=, columns={label...}, rows={{label=,
--   depth=, valence=, cells={{value=, label=, sub=, tip=}...}}...},
--   max=}`
-- @treturn string SVG
function M.heatmap(spec)
  local cols, rows = spec.columns, spec.rows
  local cw, rh, head = spec.cell_width or 112, spec.row_height or 30, 46
  local lw = spec.label_width or 250
  local w = lw + #cols * cw + 8
  local h = head + #rows * rh + 8
  local out = open(w, h, spec.title, spec.desc, "heatmap", spec.id)
  local vmax = spec.max or 0
  for _, r in ipairs(rows) do
    for _, c in ipairs(r.cells) do vmax = max(vmax, c.value or 0) end
  end
  for j, c in ipairs(cols) do
    local x = lw + (j - 1) * cw + cw / 2
    local lines = wrap(c, 17, 2)
    for k, l in ipairs(lines) do
      text(out, x, head - 8 - (#lines - k) * 14, l,
        ' text-anchor="middle" font-weight="600" fill="' .. M.colors.ink .. '"')
    end
  end
  for i, r in ipairs(rows) do
    local y = head + (i - 1) * rh
    local indent = ((r.depth or 1) - 1) * 14
    local weight = (r.depth or 1) == 1 and ' font-weight="600"' or ""
    if r.valence then
      local col = M.colors[r.valence] or M.colors.neutral
      rect(out, 2 + indent, y + rh / 2 - 5, 10, 10, col, r.valence,
        r.valence == "facilitator" and ' rx="5"' or "")
      indent = indent + 16
    end
    text(out, 4 + indent, y + rh / 2 + 4, clip(r.label, floor((lw - indent - 10) / 6.7)),
      weight .. ' fill="' .. M.colors.ink .. '"')
    for j, c in ipairs(r.cells) do
      local x = lw + (j - 1) * cw
      local fill, ink = M.ramp(vmax > 0 and (c.value or 0) / vmax or 0)
      if c.zero then ink = M.colors.muted end
      if c.plain then fill = "#ffffff" end
      rect(out, x + 1, y + 1, cw - 2, rh - 2, fill, c.tip)
      text(out, x + cw / 2, y + rh / 2 - 1, c.label or "",
        format(' text-anchor="middle" fill="%s" font-weight="600"', ink))
      if c.sub then
        text(out, x + cw / 2, y + rh / 2 + 11, c.sub,
          format(' text-anchor="middle" fill="%s" font-size="10"', ink))
      end
    end
  end
  return close(out)
end

--- Horizontal bars.
-- @tparam table spec `{title=, desc=, bars={{label=, value=, text=,
--   color=, tip=}...}, unit=}`
-- @treturn string SVG
function M.bars(spec)
  local bars = spec.bars
  local lw, bw, rh = spec.label_width or 230, spec.bar_width or 300, 24
  local tw = 120
  local w, h = lw + bw + tw, #bars * rh + 10
  local out = open(w, h, spec.title, spec.desc, "bars", spec.id)
  local vmax = 0
  for _, b in ipairs(bars) do vmax = max(vmax, b.value or 0) end
  out[#out + 1] = format('<line x1="%d" y1="2" x2="%d" y2="%d" stroke="%s"/>', lw, lw, h - 6, M.colors.grid)
  for i, b in ipairs(bars) do
    local y = (i - 1) * rh + 4
    text(out, lw - 8, y + rh / 2 + 3, clip(b.label, floor((lw - 12) / 6.7)),
      ' text-anchor="end" fill="' .. M.colors.ink .. '"')
    local len = vmax > 0 and (b.value or 0) / vmax * bw or 0
    rect(out, lw, y + 4, len, rh - 8, b.color or M.colors.accent, b.tip)
    text(out, lw + len + 6, y + rh / 2 + 3, b.text or M.fmt(b.value), ' fill="' .. M.colors.muted .. '"')
  end
  return close(out)
end

--- Barriers and facilitators side by side: per row (a theme), barrier
-- bars grow to the left of the centre line, facilitator bars to the right.
-- @tparam table spec `{title=, desc=, rows={{label=, barrier=v,
--   facilitator=v, barrier_tip=, facilitator_tip=}...}, unit=}`
-- @treturn string SVG
function M.butterfly(spec)
  local rows = spec.rows
  local lw, half, rh, head = 240, 220, 26, 30
  local w, h = lw + 2 * half + 20, head + #rows * rh + 10
  local out = open(w, h, spec.title, spec.desc, "butterfly", spec.id)
  local vmax = 0
  for _, r in ipairs(rows) do vmax = max(vmax, r.barrier or 0, r.facilitator or 0) end
  local cx = lw + half
  text(out, cx - 8, 16, "◀ barriers", ' text-anchor="end" font-weight="600" fill="' .. M.colors.barrier .. '"')
  text(out, cx + 8, 16, "facilitators ▶", ' font-weight="600" fill="' .. M.colors.facilitator .. '"')
  local space = half - 46
  for i, r in ipairs(rows) do
    local y = head + (i - 1) * rh
    if i % 2 == 0 then rect(out, 0, y, w, rh, "#f8f9fa") end
    text(out, 4, y + rh / 2 + 4, clip(r.label, 34), ' fill="' .. M.colors.ink .. '"')
    local bl = vmax > 0 and (r.barrier or 0) / vmax * space or 0
    local fl = vmax > 0 and (r.facilitator or 0) / vmax * space or 0
    rect(out, cx - bl, y + 5, bl, rh - 10, M.colors.barrier, r.barrier_tip)
    rect(out, cx, y + 5, fl, rh - 10, M.colors.facilitator, r.facilitator_tip)
    text(out, cx - bl - 5, y + rh / 2 + 4, M.fmt(r.barrier or 0, 1),
      ' text-anchor="end" fill="' .. M.colors.muted .. '"')
    text(out, cx + fl + 5, y + rh / 2 + 4, M.fmt(r.facilitator or 0, 1), ' fill="' .. M.colors.muted .. '"')
  end
  out[#out + 1] = format('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="%s"/>', num(cx), head - 4, num(cx),
    h - 6, M.colors.ink)
  return close(out)
end

--- Saturation curve: cumulative distinct codes after each document (a
-- line with points), new codes per document (light bars), the base
-- documents shaded and the saturation point marked.
-- @tparam table spec `{title=, desc=, documents={id...}, cumulative={...},
--   new={...}, base=, point_index=}`
-- @treturn string SVG
function M.saturation(spec)
  local n = #spec.cumulative
  local left, right, top, bottom = 48, 16, 16, 44
  local pw = max(360, min(760, n * 36))
  local ph = 220
  local w, h = left + pw + right, top + ph + bottom
  local out = open(w, h, spec.title, spec.desc, "saturation", spec.id)
  local ymax = 1
  for _, v in ipairs(spec.cumulative) do ymax = max(ymax, v) end
  -- nice axis top
  local step = ymax <= 10 and 2 or ymax <= 25 and 5 or ymax <= 60 and 10 or 20
  ymax = math.ceil(ymax / step) * step
  local pad = 18
  local function X(i) return left + (n <= 1 and pw / 2 or pad + (i - 1) / (n - 1) * (pw - 2 * pad)) end
  local function Y(v) return top + ph - v / ymax * ph end
  if spec.base and spec.base >= 1 and n > 1 then
    local x2 = min(left + pw, X(min(spec.base, n)) + (n > 1 and (pw - 2 * pad) / (n - 1) / 2 or 0))
    rect(out, left, top, x2 - left, ph, "#eef2f6", "base: documents 1-" .. spec.base)
    text(out, left + 4, top + 12, "base", ' fill="' .. M.colors.muted .. '" font-size="11"')
  end
  for v = 0, ymax, step do
    out[#out + 1] = format('<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="%s"/>', left, num(Y(v)),
      left + pw, num(Y(v)), M.colors.grid)
    text(out, left - 6, Y(v) + 4, tostring(v), ' text-anchor="end" fill="' .. M.colors.muted .. '"')
  end
  local bw = n > 1 and min(22, (pw - 2 * pad) / (n - 1) * 0.5) or 22
  for i = 1, n do
    local v = spec.new[i] or 0
    if v > 0 then
      rect(out, X(i) - bw / 2, Y(v), bw, Y(0) - Y(v), "#c9d9ea",
        format("%s: %d new code%s", spec.documents[i] or i, v, v == 1 and "" or "s"))
    end
  end
  local pts = {}
  for i = 1, n do pts[#pts + 1] = num(X(i)) .. "," .. num(Y(spec.cumulative[i])) end
  out[#out + 1] = format('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>',
    concat(pts, " "), M.colors.accent)
  local label_every = n > 24 and math.ceil(n / 24) or 1
  for i = 1, n do
    out[#out + 1] = format('<circle cx="%s" cy="%s" r="3.5" fill="%s"><title>%s</title></circle>',
      num(X(i)), num(Y(spec.cumulative[i])), M.colors.accent,
      esc(format("after document %d (%s): %d codes", i, spec.documents[i] or "", spec.cumulative[i])))
    if (i - 1) % label_every == 0 or i == n then
      text(out, X(i), top + ph + 16, tostring(i), ' text-anchor="middle" fill="' .. M.colors.muted .. '"')
    end
  end
  if spec.point_index then
    local x = X(spec.point_index)
    out[#out + 1] = format('<line x1="%s" y1="%d" x2="%s" y2="%d" stroke="%s" stroke-dasharray="4 3"/>',
      num(x), top, num(x), top + ph, M.colors.barrier)
    text(out, x + 4, top + 12, spec.point_label or "saturation",
      ' fill="' .. M.colors.barrier .. '" font-size="11"')
  end
  text(out, left + pw / 2, h - 8, "documents in order of collection",
    ' text-anchor="middle" fill="' .. M.colors.muted .. '"')
  text(out, 12, top + ph / 2, "codes so far",
    format(' text-anchor="middle" fill="%s" transform="rotate(-90 12 %s)"', M.colors.muted, num(top + ph / 2)))
  return close(out)
end

--- Symmetric matrix heatmap (code co-occurrence).
-- @tparam table spec `{title=, desc=, labels={...}, rows={{v...}...},
--   tips={{...}}, diagonal=bool}`; `rows[i][j]` may be nil
-- @treturn string SVG
function M.matrix(spec)
  local labels, rows = spec.labels, spec.rows
  local n = #labels
  local cs = n > 24 and 20 or 26
  local lw = 200
  local top = 150
  local w, h = lw + n * cs + 130, top + n * cs + 10
  local out = open(w, h, spec.title, spec.desc, "matrix", spec.id)
  local vmax = 0
  for i = 1, n do
    for j = 1, n do
      if i ~= j then vmax = max(vmax, rows[i][j] or 0) end
    end
  end
  for j = 1, n do
    local x = lw + (j - 1) * cs + cs / 2 + 4
    text(out, x, top - 6, clip(labels[j], 24),
      format(' fill="%s" transform="rotate(-55 %s %d)"', M.colors.ink, num(x), top - 6))
  end
  for i = 1, n do
    local y = top + (i - 1) * cs
    text(out, lw - 6, y + cs / 2 + 4, clip(labels[i], 30), ' text-anchor="end" fill="' .. M.colors.ink .. '"')
    for j = 1, n do
      local x = lw + (j - 1) * cs
      local v = rows[i][j]
      local tip = spec.tips and spec.tips[i] and spec.tips[i][j]
      if i == j then
        rect(out, x + 1, y + 1, cs - 2, cs - 2, "#e4e7eb", tip)
      else
        -- square-root scale: one large pair does not wash out the rest
        local fill, ink = M.ramp(vmax > 0 and math.sqrt((v or 0) / vmax) or 0)
        rect(out, x + 1, y + 1, cs - 2, cs - 2, fill, tip)
        if v and v > 0 then
          text(out, x + cs / 2, y + cs / 2 + 4, M.fmt(v),
            format(' text-anchor="middle" fill="%s" font-size="%d"', ink, cs > 20 and 11 or 9))
        end
      end
    end
  end
  return close(out)
end

return M
