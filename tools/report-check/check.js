#!/usr/bin/env node
// Browser check of a thematic HTML report, in a real headless Chromium,
// over the Chrome DevTools protocol. No npm packages: Node >= 20 with
// --experimental-websocket (Node 22 has WebSocket built in).
//
//   node --experimental-websocket tools/report-check/check.js REPORT.html \
//        [--screenshot out.png] [--clip CSS-SELECTOR] [--width 1100] [--height PX]
//        [--chromium /usr/bin/chromium]
// (--height: how much of the page top a screenshot without --clip takes;
// default the whole page up to 12,000 px)
//
// Prints one JSON object: {ok, console_errors, requests, charts:[{id,width,height}],
// screenshot, bytes}. ok is false (and the exit status 1) when the page logs
// an error or throws, asks for anything but the report file itself, or has a
// chart <svg> with zero width or height.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

function parseArgs(argv) {
  const o = { width: 1100, chromium: '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--screenshot') o.screenshot = argv[++i];
    else if (a === '--clip') o.clip = argv[++i];
    else if (a === '--width') o.width = Number(argv[++i]);
    else if (a === '--height') o.height = Number(argv[++i]);
    else if (a === '--chromium') o.chromium = argv[++i];
    else if (!o.file) o.file = a;
    else throw new Error('unexpected argument ' + a);
  }
  if (!o.file) throw new Error('usage: check.js REPORT.html [--screenshot out.png] [--clip SELECTOR]');
  return o;
}

function launch(exe) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'thematic-chromium-'));
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-extensions', '--hide-scrollbars', '--user-data-dir=' + profile,
    '--remote-debugging-port=0', 'about:blank'];
  // its own process group, so that its helper processes (zygote, renderer)
  // are stopped with it and no longer write into the profile
  const proc = spawn(exe, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('chromium did not start in 20 s')), 20000);
    proc.stderr.on('data', (d) => {
      buf += d.toString();
      const m = buf.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1], profile }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error('chromium exited: ' + code + '\n' + buf)); });
  });
}

function connect(url) {
  const ws = new WebSocket(url);
  let id = 0;
  const waiting = new Map();
  const listeners = [];
  ws.onmessage = (ev) => {
    const msg = JSON.parse(ev.data);
    if (msg.id && waiting.has(msg.id)) {
      const { resolve, reject } = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error) reject(new Error(msg.error.message)); else resolve(msg.result);
    } else if (msg.method) {
      for (const l of listeners) l(msg);
    }
  };
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const m = { id: ++id, method, params };
    if (sessionId) m.sessionId = sessionId;
    waiting.set(m.id, { resolve, reject });
    ws.send(JSON.stringify(m));
  });
  return new Promise((resolve, reject) => {
    ws.onopen = () => resolve({ ws, send, on: (f) => listeners.push(f) });
    ws.onerror = (e) => reject(new Error('websocket: ' + (e.message || 'error')));
  });
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const file = path.resolve(o.file);
  const pageUrl = 'file://' + file.split('/').map(encodeURIComponent).join('/');
  const { proc, url, profile } = await launch(o.chromium);
  const result = { ok: false, console_errors: [], requests: [], charts: [] };
  try {
    const cdp = await connect(url);
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    const s = (m, p) => cdp.send(m, p, sessionId);
    let loaded;
    const loadedP = new Promise((r) => { loaded = r; });
    cdp.on((msg) => {
      if (process.env.CDP_DEBUG) process.stderr.write(msg.method + ' ' + (msg.sessionId || '') + '\n');
      if (msg.sessionId !== sessionId) return;
      const p = msg.params;
      if (msg.method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert')) {
        result.console_errors.push(p.args.map((a) => a.value ?? a.description ?? '').join(' '));
      } else if (msg.method === 'Runtime.exceptionThrown') {
        result.console_errors.push(p.exceptionDetails.exception?.description || p.exceptionDetails.text);
      } else if (msg.method === 'Log.entryAdded' && p.entry.level === 'error') {
        result.console_errors.push(p.entry.text + (p.entry.url ? ' (' + p.entry.url + ')' : ''));
      } else if (msg.method === 'Network.requestWillBeSent') {
        if (p.request.url !== pageUrl && !p.request.url.startsWith('data:')) result.requests.push(p.request.url);
      } else if (msg.method === 'Page.loadEventFired') {
        loaded();
      }
    });
    await s('Runtime.enable');
    await s('Log.enable');
    await s('Network.enable');
    await s('Page.enable');
    await s('Emulation.setDeviceMetricsOverride', { width: o.width, height: 900, deviceScaleFactor: 1, mobile: false });
    await s('Page.navigate', { url: pageUrl });
    let loadTimer;
    await Promise.race([loadedP, new Promise((_, rej) => {
      loadTimer = setTimeout(() => rej(new Error('page did not load in 30 s')), 30000);
    })]);
    clearTimeout(loadTimer);
    await new Promise((r) => setTimeout(r, 300));
    const ev = await s('Runtime.evaluate', {
      returnByValue: true,
      expression: `(() => {
        for (const d of document.querySelectorAll('details')) d.open = true;
        const charts = [...document.querySelectorAll('svg.chart')].map((e) => {
          const r = e.getBoundingClientRect();
          return { id: e.querySelector('title')?.id || '', width: r.width, height: r.height };
        });
        const clip = ${JSON.stringify(o.clip || null)};
        let rect = null;
        if (clip) { const el = document.querySelector(clip); if (el) { const r = el.getBoundingClientRect();
          rect = { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height }; } }
        return { charts, rect, height: document.documentElement.scrollHeight,
                 scripts: document.scripts.length };
      })()`,
    });
    const v = ev.result.value;
    result.charts = v.charts;
    result.scripts = v.scripts;
    if (o.screenshot) {
      // Chromium stalls on very tall captures: grow the viewport to the
      // area wanted (at most 12,000 px) and capture that.
      const r = v.rect || { x: 0, y: 0, width: o.width, height: Math.min(v.height, o.height || 12000) };
      r.height = Math.min(r.height, 12000);
      await s('Emulation.setDeviceMetricsOverride', { width: o.width, height: Math.ceil(r.y + r.height),
        deviceScaleFactor: 1, mobile: false });
      const clip = { x: r.x, y: r.y, width: r.width, height: r.height, scale: 1 };
      const shot = await s('Page.captureScreenshot', { format: 'png', clip });
      const bytes = Buffer.from(shot.data, 'base64');
      fs.writeFileSync(o.screenshot, bytes);
      result.screenshot = o.screenshot;
      result.bytes = bytes.length;
    }
    result.ok = result.console_errors.length === 0 && result.requests.length === 0 && result.scripts === 0 &&
      result.charts.length > 0 && result.charts.every((c) => c.width > 0 && c.height > 0);
    cdp.ws.close();
  } finally {
    const exited = new Promise((r) => proc.once('exit', r));
    try { process.kill(-proc.pid, 'SIGTERM'); } catch (e) { proc.kill('SIGTERM'); }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
    try {
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch (e) {
      process.stderr.write('check.js: could not remove ' + profile + ': ' + e.message + '\n');
    }
  }
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exitCode = result.ok ? 0 : 1;
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exitCode = 2; });
