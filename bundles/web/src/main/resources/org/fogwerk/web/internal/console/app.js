// Fogwerk web console: one page, hash routes, the node's REST API and event stream.
// No build step: plain ES modules served by the node itself.

const ROLE_RANK = { viewer: 1, operator: 2, admin: 3 };
const session = { user: null, roles: [], csrf: null };
const main = document.getElementById('main');
let pageCleanup = () => {};

// --- helpers

const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const may = role => session.roles.some(r => (ROLE_RANK[r] || 0) >= ROLE_RANK[role]);
const enc = encodeURIComponent;

function fmtNumber(v, digits = 2) {
  if (typeof v !== 'number') return v === null || v === undefined ? '' : String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: Math.abs(v) < 1000 ? digits : 0 });
}

function fmtValue(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return fmtNumber(v, 3);
  if (Array.isArray(v)) return '[' + v.join(', ') + ']';
  return String(v);
}

function relative(iso) {
  if (!iso) return '';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (Number.isNaN(s)) return '';
  const a = Math.abs(s), suffix = s >= 0 ? ' ago' : ' ahead';
  if (a < 2) return 'now';
  if (a < 90) return a + ' s' + suffix;
  if (a < 5400) return Math.round(a / 60) + ' min' + suffix;
  if (a < 172800) return Math.round(a / 3600) + ' h' + suffix;
  return Math.round(a / 86400) + ' d' + suffix;
}

const absolute = iso => iso ? new Date(iso).toLocaleString() + ' (' + iso + ')' : '';
const timeCell = iso => `<time datetime="${esc(iso)}" title="${esc(absolute(iso))}">${esc(relative(iso))}</time>`;
const stateCell = s => `<span class="state s-${esc(s)}">${esc(s)}</span>`;

// relative times move on by themselves
setInterval(() => document.querySelectorAll('main time[datetime]').forEach(t => {
  t.textContent = relative(t.getAttribute('datetime'));
}), 1000);

class Problem extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

async function api(path, { method = 'GET', body, basic } = {}) {
  const headers = { 'X-Requested-With': 'fogwerk-console', Accept: 'application/json' };
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (basic) headers.Authorization = 'Basic ' + basic;
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (r.status === 401 && !basic) { showLogin('Your session ended: log in again.'); }
  if (!r.ok) throw new Problem(r.status, (json && (json.detail || json.title)) || r.statusText || ('HTTP ' + r.status));
  return json;
}

// --- event stream: reconnects by itself, and says when it is down

class Stream {
  constructor(query, handlers) {
    this.query = query; this.handlers = handlers; this.closed = false; this.open();
  }
  open() {
    if (this.closed) return;
    setStream('connecting', 'Live: connecting…');
    const es = new EventSource('/api/v1/events' + this.query);
    this.es = es;
    es.onopen = () => setStream('live', 'Live');
    es.onerror = () => {
      setStream('down', 'Live stream down: reconnecting…');
      // the browser retries by itself unless the node answered with an error status
      if (es.readyState === EventSource.CLOSED) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.open(), 3000);
      }
    };
    for (const [name, fn] of Object.entries(this.handlers)) {
      es.addEventListener(name, e => { try { fn(JSON.parse(e.data)); } catch (err) { console.warn(err); } });
    }
  }
  close() { this.closed = true; clearTimeout(this.timer); if (this.es) this.es.close(); setStream('', ''); }
}

function setStream(state, text) {
  const el = document.getElementById('stream');
  el.dataset.state = state;
  el.textContent = text;
}

// --- login

function toBase64(text) {
  const bytes = new TextEncoder().encode(text);
  let s = '';
  bytes.forEach(b => { s += String.fromCharCode(b); });
  return btoa(s);
}

function showLogin(message) {
  pageCleanup(); pageCleanup = () => {};
  session.user = null; session.csrf = null; session.roles = [];
  document.getElementById('top').hidden = true;
  main.innerHTML = `<form class="login" id="login-form">
    <h1>Fogwerk console</h1>
    <p class="muted">Log in with your node account.</p>
    <label for="login-user">User</label><input id="login-user" autocomplete="username" required autofocus>
    <label for="login-password">Password</label><input id="login-password" type="password" autocomplete="current-password" required>
    <p id="login-error" class="bad" role="alert">${esc(message || '')}</p>
    <button id="login-submit" class="primary" type="submit">Log in</button></form>`;
  document.getElementById('login-form').addEventListener('submit', async e => {
    e.preventDefault();
    const user = document.getElementById('login-user').value;
    const password = document.getElementById('login-password').value;
    try {
      const s = await api('/api/v1/session', { method: 'POST', basic: toBase64(user + ':' + password) });
      startSession(s);
    } catch (err) {
      document.getElementById('login-error').textContent = err.status === 401 ? 'User name or password wrong.' : err.message;
    }
  });
  document.getElementById('login-user').focus();
}

function startSession(s) {
  session.user = s.user; session.roles = s.roles || []; session.csrf = s.csrfToken;
  document.getElementById('top').hidden = false;
  document.getElementById('who').textContent = s.user + ' (' + session.roles.filter(r => ROLE_RANK[r]).join(', ') + ')';
  const pages = [['overview', 'Overview'], ['things', 'Things'], ['uplinks', 'Uplinks'], ['routes', 'Routes'], ['simulators', 'Simulators']];
  if (may('admin')) pages.push(['audit', 'Audit trail']);
  document.getElementById('nav').innerHTML = pages.map(([p, t]) => `<a href="#/${p}" data-page="${p}">${t}</a>`).join('');
  route();
}

document.getElementById('logout').addEventListener('click', async () => {
  try { await api('/api/v1/session', { method: 'DELETE' }); } catch { /* logged out either way */ }
  showLogin('Logged out.');
});

// --- routing

const routes = { overview, connection, things, thing, uplinks, routesPage, simulators, audit };

function route() {
  if (!session.user) return;
  pageCleanup(); pageCleanup = () => {};
  const [page = 'overview', ...args] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const fn = { routes: routesPage }[page] || routes[page] || overview;
  const navPage = { connection: 'overview', thing: 'things' }[page] || page;
  document.querySelectorAll('#nav a').forEach(a => {
    if (a.dataset.page === navPage) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  document.body.dataset.page = page;
  delete document.body.dataset.ready;
  main.innerHTML = '<p class="muted">Loading…</p>';
  Promise.resolve(fn(...args)).catch(err => {
    if (err.status !== 401) main.innerHTML = `<div class="banner bad" role="alert">${esc(err.message)}</div>`;
  });
}
window.addEventListener('hashchange', route);

function poll(fn, ms) {
  let stopped = false, timer;
  const tick = async () => {
    try { await fn(); } catch (err) { if (err.status === 401) stopped = true; }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  timer = setTimeout(tick, ms);
  return () => { stopped = true; clearTimeout(timer); };
}

// --- overview: problems first

const CONNECTION_RANK = { FAILED: 0, DISCONNECTED: 1, DEGRADED: 2, CONNECTING: 3, CONNECTED: 4 };

const ALARMS_SHOWN = 20;

async function overview() {
  const events = [];
  let alarms = null;
  main.innerHTML = `<h1>Overview</h1><div id="health"></div><div class="grid">
    <section class="card wide"><h2>Connections</h2><div id="ov-connections"></div></section>
    <section class="card wide"><h2>Recent alarms</h2><div id="ov-alarms"></div></section>
    <section class="card wide"><h2>Uplinks</h2><div id="ov-uplinks"></div></section>
    <section class="card"><h2>Routes with errors</h2><div id="ov-routes"></div></section>
    <section class="card"><h2>State changes</h2><div id="ov-events"></div></section></div>`;
  const renderAlarms = () => {
    const el = document.getElementById('ov-alarms');
    if (el) el.innerHTML = alarmTable(alarms);
  };
  const load = async () => {
    const [health, conns, ups, rts, recent] = await Promise.all([
      fetch('/health/ready', { headers: { Accept: 'application/json' } }).then(r => r.json()).catch(() => null),
      api('/api/v1/connectors'), api('/api/v1/uplinks').catch(() => []), api('/api/v1/routes').catch(() => []),
      api('/api/v1/alarms?limit=' + ALARMS_SHOWN).catch(() => null)]);
    renderHealth(health);
    // the node's list is the truth; the stream only fills the time between two looks
    alarms = recent;
    renderAlarms();
    conns.sort((a, b) => (CONNECTION_RANK[a.state] ?? 0) - (CONNECTION_RANK[b.state] ?? 0) || a.id.localeCompare(b.id));
    document.getElementById('ov-connections').innerHTML = `<table id="connections"><thead><tr><th>Connection</th><th>State</th>
      <th>Since</th><th class="num">Values/s</th><th class="num">Dropped</th><th class="num">Tags</th></tr></thead><tbody>` +
      conns.map(c => `<tr data-connection="${esc(c.id)}" data-state="${esc(c.state)}">
        <td><a href="#/connection/${enc(c.id)}">${esc(c.id)}</a> <span class="muted">${esc(c.protocol)}</span></td>
        <td>${stateCell(c.state)}${c.reason ? `<div class="reason">${esc(c.reason)}</div>` : ''}</td>
        <td>${timeCell(c.since)}</td><td class="num">${fmtNumber(c.valuesPerSecond, 1)}</td>
        <td class="num ${c.dropped ? 'bad' : ''}">${fmtNumber(c.dropped)}</td><td class="num">${fmtNumber(c.tags)}</td></tr>`).join('') +
      '</tbody></table>' + (conns.length ? '' : '<p class="muted">No connections configured.</p>');
    ups.sort((a, b) => (a.state === 'CONNECTED' ? 1 : 0) - (b.state === 'CONNECTED' ? 1 : 0) || a.name.localeCompare(b.name));
    document.getElementById('ov-uplinks').innerHTML = uplinkTable(ups, false);
    const failing = rts.filter(r => r.failures > 0 || r.lastError || (r.state && r.state !== 'Started'));
    document.getElementById('ov-routes').innerHTML = failing.length ? routeTable(failing)
      : `<p class="ok">${rts.length} routes, none with errors.</p>`;
    document.body.dataset.ready = 'overview';
    if (!window.fogwerkOverviewReadyMs) window.fogwerkOverviewReadyMs = performance.now();
  };
  const renderEvents = () => {
    const el = document.getElementById('ov-events');
    if (el) el.innerHTML = events.length ? `<table><tbody>${events.map(e => `<tr><td>${timeCell(e.time)}</td>
      <td>${esc(e.kind)} <strong>${esc(e.name)}</strong></td><td>${stateCell(e.state)}
      ${e.reason ? `<div class="reason">${esc(e.reason)}</div>` : ''}</td></tr>`).join('')}</tbody></table>`
      : '<p class="muted">None since this page opened.</p>';
  };
  renderEvents();
  await load();
  const stopPoll = poll(load, 2000);
  const stream = new Stream('?events=state,alarm', {
    state: e => { events.unshift({ ...e, time: new Date().toISOString() }); events.length = Math.min(events.length, 30); renderEvents(); load().catch(() => {}); },
    alarm: a => {
      if (!alarms || alarms.some(x => x.sequence === a.sequence)) return;
      alarms.unshift(a);
      alarms.sort((x, y) => y.sequence - x.sequence);
      alarms.length = Math.min(alarms.length, ALARMS_SHOWN);
      renderAlarms();
    },
  });
  pageCleanup = () => { stopPoll(); stream.close(); };
}

// newest first: when, which thing and tag, the level and the value that crossed the limit
function alarmTable(list) {
  if (!list) return '<p class="muted">The routing rules are not running: no alarms to show.</p>';
  if (!list.length) return '<p class="muted">No alarms raised by the routes yet.</p>';
  return `<table id="alarms"><thead><tr><th>Time</th><th>Thing / tag</th><th>Level</th><th class="num">Value</th>
    <th class="num">Limit</th></tr></thead><tbody>` +
    list.map(a => `<tr data-sequence="${esc(a.sequence)}" data-alarm-tag="${esc(a.alarmTag)}" data-level="${esc(a.level)}">
      <td>${timeCell(a.time)}</td>
      <td>${a.thing ? `<a href="#/thing/${enc(a.thing)}">${esc(a.thing)}</a>` : `<a href="#/connection/${enc(a.connection)}">${esc(a.connection)}</a>`}
        / <strong>${esc(a.tag)}</strong> <span class="muted">${esc(a.alarmTag)}</span></td>
      <td><span class="level level-${esc(a.level)}">${esc(a.level)}</span>${a.level === 'NORMAL' ? ` <span class="muted">(${esc(a.previous)} cleared)</span>` : ''}</td>
      <td class="num">${fmtValue(a.value)}</td><td class="num muted">${fmtValue(a.limit)}</td></tr>`).join('') + '</tbody></table>';
}

function renderHealth(h) {
  const el = document.getElementById('health');
  if (!el) return;
  if (!h) { el.innerHTML = '<div class="banner bad">The node does not answer its health check.</div>'; return; }
  const down = (h.components || []).filter(c => c.status !== 'UP');
  el.innerHTML = h.status === 'UP'
    ? `<div class="banner ok" id="node-health" data-status="UP">Node ready: every connection, uplink and store is up.</div>`
    : `<div class="banner bad" id="node-health" data-status="DOWN" role="alert">Node not ready: ${down.map(c =>
      `${esc(c.kind)} <strong>${esc(c.name)}</strong> ${esc(c.state)}${c.reason ? ': ' + esc(c.reason) : ''}`).join('; ')}</div>`;
}

function uplinkTable(ups, withFlush) {
  if (!ups.length) return '<p class="muted">No uplinks configured.</p>';
  return `<table id="uplinks"><thead><tr><th>Uplink</th><th>State</th><th class="num">Outbox</th><th class="num">Oldest unsent</th>
    <th class="num">Sent/s</th><th class="num">Replayed</th><th class="num">Dropped</th>${withFlush ? '<th></th>' : ''}</tr></thead><tbody>` +
    ups.map(u => `<tr data-uplink="${esc(u.name)}"><td>${esc(u.name)}</td><td>${stateCell(u.state)}
      ${u.lastError ? `<div class="reason">${esc(u.lastError)}</div>` : ''}<div class="muted">${timeCell(u.since)}</div></td>
      <td class="num">${fmtNumber(u.outboxMessages)} msg</td><td class="num">${fmtNumber(u.oldestUnsentSeconds, 1)} s</td>
      <td class="num">${fmtNumber(u.sentPerSecond, 1)}</td><td class="num">${fmtNumber(u.replayed)}${u.replayed ? '' : ''}</td>
      <td class="num ${u.dropped ? 'bad' : ''}">${fmtNumber(u.dropped)}</td>
      ${withFlush ? `<td>${may('operator') ? `<button class="flush" data-name="${esc(u.name)}">Flush</button>` : ''}</td>` : ''}</tr>`).join('') +
    '</tbody></table>';
}

function routeTable(rts) {
  return `<table id="routes"><thead><tr><th>Route</th><th>File</th><th>State</th><th class="num">Exchanges</th>
    <th class="num">Failures</th><th>Last error</th></tr></thead><tbody>` +
    rts.map(r => `<tr><td>${esc(r.routeId)}</td><td>${esc(r.origin)}</td><td>${stateCell(r.state)}</td>
      <td class="num">${fmtNumber(r.exchanges)}</td><td class="num ${r.failures ? 'bad' : ''}">${fmtNumber(r.failures)}</td>
      <td class="reason">${esc(r.lastError || '')}</td></tr>`).join('') + '</tbody></table>';
}

// --- one connection: its tags live, trend, write

const ROW_HEIGHT = 30;
const HISTORY_MS = 5 * 60 * 1000;
const HISTORY_POINTS = 600;
const QUALITY_RANK = { BAD: 0, UNCERTAIN: 1, GOOD: 2 };

async function connection(id) {
  const [info, tags] = await Promise.all([api('/api/v1/connectors/' + enc(id)), api('/api/v1/connectors/' + enc(id) + '/tags')]);
  const byName = new Map(tags.map(t => [t.name, t]));
  const history = new Map();
  const sort = { key: 'name', dir: 1 };
  let view = tags.slice(), filter = '', trendTag = null, plot = null, dirty = true, order = true;
  const canWrite = may('operator');

  main.innerHTML = `<h1>Connection ${esc(id)} <span class="muted">${esc(info.protocol)}</span></h1>
    <div id="conn-state" class="banner"></div>
    <div class="toolbar"><input type="search" id="tag-filter" placeholder="Filter tags by name, address or unit" aria-label="Filter tags">
      <span id="tag-count" class="muted"></span></div>
    <div class="split" id="split"><div>
      <div class="vlist" id="tags" role="grid" tabindex="0" aria-label="Tags of ${esc(id)}">
        <div class="vhead" role="row">
          <button data-sort="name">Tag</button><span class="num"><button data-sort="value">Value</button></span>
          <button data-sort="quality">Quality</button><button data-sort="time" class="c-time">Source time</button>
          <span class="c-type">Type</span><span></span></div>
        <div class="vspace"></div><div class="vrows"></div></div></div>
      <section class="card" id="trend-card" hidden><h2 id="trend-title">Trend</h2><div id="trend" data-points="0"></div>
        <button id="trend-close" type="button">Close trend</button></section></div>`;

  const renderState = s => {
    const el = document.getElementById('conn-state');
    if (!el) return;
    el.className = 'banner ' + (s.state === 'CONNECTED' ? 'ok' : 'bad');
    el.innerHTML = `${stateCell(s.state)} since ${timeCell(s.since)}${s.reason ? ` — <span class="reason">${esc(s.reason)}</span>` : ''}
      <span class="muted">· ${fmtNumber(s.tags ?? tags.length)} tags${s.valuesPerSecond !== undefined ? ' · ' + fmtNumber(s.valuesPerSecond, 1) + ' values/s' : ''}</span>`;
  };
  renderState(info);

  const list = document.getElementById('tags'), space = list.querySelector('.vspace'), rowsEl = list.querySelector('.vrows');
  const pool = [];
  const rowFor = i => {
    while (pool.length <= i) {
      const r = document.createElement('div');
      r.className = 'vrow'; r.setAttribute('role', 'row');
      r.innerHTML = `<span><button class="link trend" type="button"></button></span><span class="num c-value"></span>
        <span class="c-q"></span><span class="c-time"></span><span class="c-type muted"></span>
        <span>${canWrite ? '<button class="write" type="button" hidden>Write…</button>' : ''}</span>`;
      rowsEl.appendChild(r); pool.push(r);
    }
    return pool[i];
  };

  const compare = {
    name: (a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }),
    value: (a, b) => (typeof a.value === 'number' && typeof b.value === 'number') ? a.value - b.value : String(a.value ?? '').localeCompare(String(b.value ?? '')),
    quality: (a, b) => (QUALITY_RANK[a.quality] ?? -1) - (QUALITY_RANK[b.quality] ?? -1),
    time: (a, b) => Date.parse(a.sourceTime || 0) - Date.parse(b.sourceTime || 0),
  };
  const reorder = () => {
    const f = filter.toLowerCase();
    view = f ? tags.filter(t => (t.name + ' ' + (t.address || '') + ' ' + (t.unit || '') + ' ' + (t.description || '')).toLowerCase().includes(f)) : tags.slice();
    view.sort((a, b) => sort.dir * compare[sort.key](a, b) || a.name.localeCompare(b.name));
    space.style.height = (view.length * ROW_HEIGHT) + 'px';
    document.getElementById('tag-count').textContent = `${view.length.toLocaleString('en-US')} of ${tags.length.toLocaleString('en-US')} tags`;
    order = false;
  };
  const render = () => {
    if (order) reorder();
    const head = ROW_HEIGHT;
    const first = Math.max(0, Math.floor((list.scrollTop - head) / ROW_HEIGHT) - 4);
    const count = Math.min(view.length - first, Math.ceil(list.clientHeight / ROW_HEIGHT) + 8);
    rowsEl.style.top = (head + first * ROW_HEIGHT) + 'px';
    for (let i = 0; i < Math.max(count, 0); i++) {
      const t = view[first + i], r = rowFor(i);
      r.hidden = false;
      r.dataset.tag = t.name;
      r.classList.toggle('selected', t.name === trendTag);
      const c = r.children;
      c[0].firstChild.textContent = t.name;
      c[0].firstChild.title = 'Trend of ' + t.name + (t.address ? ' (' + t.address + ')' : '');
      c[1].textContent = fmtValue(t.value) + (t.unit && t.value !== undefined ? ' ' + t.unit : '');
      c[1].className = 'num c-value value';
      c[2].textContent = t.quality || '';
      c[2].className = 'c-q q-' + (t.quality || 'NONE');
      c[2].title = t.qualityReason || '';
      c[3].textContent = relative(t.sourceTime);
      c[3].title = absolute(t.sourceTime);
      c[4].textContent = (t.dataType || '') + ({ READ: ' r', WRITE: ' w', READ_WRITE: ' rw' }[t.access] || '');
      const w = c[5].firstChild;
      if (w) w.hidden = !(t.access && t.access.toUpperCase().includes('W'));
    }
    for (let i = Math.max(count, 0); i < pool.length; i++) pool[i].hidden = true;
    dirty = false;
  };
  const schedule = () => { if (!dirty) { dirty = true; requestAnimationFrame(render); } };

  list.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);
  document.getElementById('tag-filter').addEventListener('input', e => { filter = e.target.value; order = true; list.scrollTop = 0; schedule(); });
  list.querySelector('.vhead').addEventListener('click', e => {
    const k = e.target.closest('button')?.dataset.sort;
    if (!k) return;
    sort.dir = sort.key === k ? -sort.dir : 1; sort.key = k; order = true; schedule();
  });
  rowsEl.addEventListener('click', e => {
    const tag = e.target.closest('.vrow')?.dataset.tag;
    if (!tag) return;
    if (e.target.closest('.trend')) openTrend(tag);
    if (e.target.closest('.write')) openWrite(id, byName.get(tag));
  });

  const remember = (t, v) => {
    if (typeof v.value !== 'number') return;
    let h = history.get(t);
    if (!h) { h = { x: [], y: [] }; history.set(t, h); }
    h.x.push(Date.parse(v.sourceTime || v.receivedTime) / 1000); h.y.push(v.value);
    // trimmed in batches: with 10,000 tags changing every second a per-value trim costs frames
    if (h.x.length > 2 * HISTORY_POINTS) { h.x = h.x.slice(-HISTORY_POINTS); h.y = h.y.slice(-HISTORY_POINTS); }
  };
  tags.forEach(t => { if (t.value !== undefined) remember(t.name, t); });

  let plotDirty = false;
  const drawTrend = () => {
    plotDirty = false;
    const h = history.get(trendTag) || { x: [], y: [] };
    const cut = (Date.now() - HISTORY_MS) / 1000;
    let from = 0;
    while (from < h.x.length && h.x[from] < cut) from++;
    document.getElementById('trend').dataset.points = String(h.x.length - from);
    if (plot) plot.setData([h.x.slice(from), h.y.slice(from)]);
  };
  async function openTrend(tag) {
    trendTag = tag;
    const t = byName.get(tag);
    document.getElementById('split').classList.add('with-trend');
    const card = document.getElementById('trend-card');
    card.hidden = false;
    document.getElementById('trend-title').textContent = `Trend of ${tag}${t.unit ? ' (' + t.unit + ')' : ''}, last 5 minutes`;
    const { default: uPlot } = await import('/console/vendor/uplot/dist/uPlot.esm.js');
    loadCss('/console/vendor/uplot/dist/uPlot.min.css');
    const el = document.getElementById('trend');
    if (plot) plot.destroy();
    el.innerHTML = '';
    plot = new uPlot({ width: Math.max(300, el.clientWidth || card.clientWidth - 24), height: 240, scales: { x: { time: true } },
      series: [{}, { label: tag + (t.unit ? ' [' + t.unit + ']' : ''), stroke: '#0b5cad', width: 1.5, points: { show: true, size: 3 } }] },
      [[], []], el);
    drawTrend();
    schedule();
  }
  document.getElementById('trend-close').addEventListener('click', () => {
    trendTag = null; if (plot) { plot.destroy(); plot = null; }
    document.getElementById('trend-card').hidden = true;
    document.getElementById('split').classList.remove('with-trend'); schedule();
  });

  render();
  const tick = setInterval(() => { if (sort.key !== 'name') order = true; schedule(); }, 1000);
  const stopPoll = poll(async () => renderState(await api('/api/v1/connectors/' + enc(id))), 3000);
  const stream = new Stream('?events=value,state&connection=' + enc(id), {
    value: v => {
      let t = byName.get(v.tag);
      if (!t) { t = { name: v.tag }; byName.set(v.tag, t); tags.push(t); order = true; }
      t.value = v.value; t.quality = v.quality; t.qualityReason = v.qualityReason; t.sourceTime = v.sourceTime; t.receivedTime = v.receivedTime;
      remember(v.tag, v);
      if (v.tag === trendTag && !plotDirty) { plotDirty = true; requestAnimationFrame(drawTrend); }
      schedule();
    },
    state: s => { if (s.kind === 'connector' && s.name === id) renderState({ ...s, tags: tags.length }); },
  });
  document.body.dataset.ready = 'connection';
  pageCleanup = () => { clearInterval(tick); stopPoll(); stream.close(); window.removeEventListener('resize', schedule); if (plot) plot.destroy(); };
}

function loadCss(href) {
  if (document.querySelector(`link[href="${href}"]`)) return;
  const l = document.createElement('link'); l.rel = 'stylesheet'; l.href = href; document.head.appendChild(l);
}

// --- write dialog: type, limits and unit, and the node's answer

const dialog = document.getElementById('write-dialog');
let writing = null;
function openWrite(id, t) {
  writing = { id, tag: t.name };
  document.getElementById('write-title').textContent = `Write ${id} / ${t.name}`;
  const facts = [['Type', t.dataType], ['Access', t.access], ['Minimum', t.min], ['Maximum', t.max], ['Unit', t.unit],
    ['Address', t.address], ['Current value', fmtValue(t.value) + (t.unit ? ' ' + t.unit : '')]];
  document.getElementById('write-facts').innerHTML = facts.filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<dt>${k}</dt><dd>${esc(v)}</dd>`).join('');
  const input = document.getElementById('write-value');
  input.value = t.value ?? '';
  const numeric = t.dataType && !/BOOL|STRING|TEXT/i.test(t.dataType);
  input.type = numeric ? 'number' : 'text';
  input.step = 'any';
  if (t.min !== undefined) input.min = t.min; else input.removeAttribute('min');
  if (t.max !== undefined) input.max = t.max; else input.removeAttribute('max');
  document.getElementById('write-answer').textContent = '';
  document.getElementById('write-answer').className = 'answer';
  dialog.showModal();
  input.focus(); input.select();
}
document.getElementById('write-close').addEventListener('click', () => dialog.close());
document.getElementById('write-form').addEventListener('submit', async e => {
  e.preventDefault();
  const input = document.getElementById('write-value'), answer = document.getElementById('write-answer');
  let value = input.value.trim();
  if (input.type === 'number') value = Number(value);
  else if (/^(true|false)$/i.test(value)) value = value.toLowerCase() === 'true';
  answer.className = 'answer muted'; answer.textContent = 'Writing…';
  try {
    const r = await api(`/api/v1/connectors/${enc(writing.id)}/tags/${enc(writing.tag)}/write`, { method: 'POST', body: { value } });
    answer.className = 'answer ok'; answer.textContent = `${r.outcome}: ${fmtValue(value)} written to the machine.`;
  } catch (err) {
    answer.className = 'answer bad';
    answer.textContent = ({ 403: 'DENIED', 400: 'REFUSED', 502: 'FAILED', 504: 'TIMED OUT' }[err.status] || 'ERROR ' + err.status) + ': ' + err.message;
  }
});

// --- things and shadows

async function things() {
  const list = await api('/api/v1/things');
  main.innerHTML = `<h1>Things</h1><div class="card"><table id="things"><thead><tr><th>Thing</th><th>Type</th><th>Shadow</th>
    <th class="num">Fields</th><th>Problem</th></tr></thead><tbody>${list.map(t => `<tr data-thing="${esc(t.name)}">
    <td><a href="#/thing/${enc(t.name)}">${esc(t.name)}</a>${t.implicit ? ' <span class="muted">(implicit)</span>' : ''}</td>
    <td>${esc(t.type)}</td><td>${esc(t.shadow)}</td><td class="num">${fmtNumber((t.mappings || []).length)}</td>
    <td class="reason">${esc(t.error || '')}</td></tr>`).join('')}</tbody></table></div>`;
  document.body.dataset.ready = 'things';
}

async function thing(name, shadowName) {
  const t = await api('/api/v1/things/' + enc(name));
  const shadowPath = '/api/v1/things/' + enc(name) + (shadowName ? '/shadows/' + enc(shadowName) : '/shadow');
  const fetchShadow = () => api(shadowPath).catch(err => { if (err.status === 404) return { missing: err.message }; throw err; });
  let doc = await fetchShadow();
  main.innerHTML = `<h1>Thing ${esc(name)}${shadowName ? ` <span class="muted">shadow ${esc(shadowName)}</span>` : ''}</h1>
    <p class="muted">${esc(t.type || '')} ${Object.entries(t.attributes || {}).map(([k, v]) => esc(k) + '=' + esc(v)).join(' · ')}
    ${(t.shadows || []).length ? ' · shadows: ' + t.shadows.map(s => `<a href="#/thing/${enc(name)}/${enc(s)}">${esc(s)}</a>`).join(', ') : ''}</p>
    ${t.error ? `<div class="banner bad">${esc(t.error)}</div>` : ''}
    <p id="shadow-head"></p>
    <div class="card"><table class="shadow" id="shadow"><thead><tr><th>Field</th><th>Reported</th><th>Desired</th><th>Delta</th>
    <th>Reported at</th><th>Desired at</th></tr></thead><tbody></tbody></table></div>
    ${may('operator') ? `<h2>Edit desired state</h2><form id="desired-form" class="card">
      <label for="desired-json">Desired (a JSON object; <code>null</code> removes a field)</label>
      <textarea id="desired-json" spellcheck="false"></textarea>
      <div class="buttons"><button id="desired-submit" class="primary" type="submit">Send desired state</button></div>
      <p id="desired-answer" class="answer" role="status" aria-live="polite"></p></form>` : ''}
    <h2>Field mappings</h2><div class="card"><table><thead><tr><th>Field</th><th>Connection</th><th>Tag</th></tr></thead><tbody>
    ${(t.mappings || []).map(m => `<tr><td>${esc(m.field)}</td><td><a href="#/connection/${enc(m.connection)}">${esc(m.connection)}</a></td><td>${esc(m.tag)}</td></tr>`).join('')}
    </tbody></table></div>`;
  const show = v => v === undefined ? '' : `<pre>${esc(JSON.stringify(v))}</pre>`;
  const at = (md, part, k) => { const ts = md?.[part]?.[k]?.timestamp; return ts ? timeCell(new Date(ts * 1000).toISOString()) : ''; };
  const renderShadow = () => {
    const head = document.getElementById('shadow-head');
    if (!head) return;
    if (doc.missing) { head.innerHTML = `<span class="muted">${esc(doc.missing)}</span>`; }
    else head.innerHTML = `Version <strong id="shadow-version">${doc.version}</strong>, updated ${timeCell(new Date(doc.timestamp * 1000).toISOString())}`;
    const st = doc.state || {}, md = doc.metadata || {};
    const keys = [...new Set([...Object.keys(st.reported || {}), ...Object.keys(st.desired || {}), ...Object.keys(st.delta || {})])].sort();
    document.querySelector('#shadow tbody').innerHTML = keys.map(k => `<tr data-field="${esc(k)}"><td>${esc(k)}</td>
      <td class="num">${show(st.reported?.[k])}</td><td class="num">${show(st.desired?.[k])}</td>
      <td class="num ${st.delta && k in st.delta ? 'warn' : ''}">${show(st.delta?.[k])}</td>
      <td>${at(md, 'reported', k)}</td><td>${at(md, 'desired', k)}</td></tr>`).join('');
  };
  const fillDesired = () => { const a = document.getElementById('desired-json'); if (a) a.value = JSON.stringify(doc.state?.desired || {}, null, 2); };
  renderShadow(); fillDesired();
  const form = document.getElementById('desired-form');
  if (form) form.addEventListener('submit', async e => {
    e.preventDefault();
    const answer = document.getElementById('desired-answer');
    let desired;
    try {
      desired = JSON.parse(document.getElementById('desired-json').value);
      if (desired === null || typeof desired !== 'object' || Array.isArray(desired)) throw new Error('the desired state must be a JSON object, such as {"setpoint": 42}');
    } catch (err) {
      answer.className = 'answer bad'; answer.textContent = 'Not sent: ' + err.message; return;
    }
    try {
      // no version: reported values move the version every second, and desired fields not named stay as they are
      const r = await api(shadowPath, { method: 'POST', body: { state: { desired } } });
      answer.className = 'answer ok';
      answer.textContent = `DONE: accepted as version ${r?.version ?? '?'}; the node writes the delta to the machine.`;
      doc = await fetchShadow(); renderShadow(); fillDesired();
    } catch (err) {
      answer.className = 'answer bad';
      answer.textContent = ({ 400: 'REFUSED', 403: 'DENIED', 502: 'FAILED' }[err.status] || 'FAILED') + ': ' + err.message;
    }
  });
  document.body.dataset.ready = 'thing';
  pageCleanup = poll(async () => { doc = await fetchShadow(); renderShadow(); }, 1000);
}

// --- uplinks, routes, simulators, audit

async function uplinks() {
  const load = async () => {
    const ups = await api('/api/v1/uplinks');
    const el = document.getElementById('up-table');
    if (el && !el.contains(document.activeElement)) el.innerHTML = uplinkTable(ups, true);
  };
  main.innerHTML = `<h1>Uplinks</h1><div class="card" id="up-table"></div><p id="flush-answer" class="answer" role="status"></p>`;
  await load();
  document.getElementById('up-table').addEventListener('click', async e => {
    const b = e.target.closest('.flush');
    if (!b) return;
    const answer = document.getElementById('flush-answer');
    answer.className = 'answer muted'; answer.textContent = `Flushing ${b.dataset.name}…`;
    try {
      await api('/api/v1/uplinks/' + enc(b.dataset.name) + '/flush', { method: 'POST' });
      answer.className = 'answer ok'; answer.textContent = `DONE: everything in the outbox of ${b.dataset.name} was acknowledged.`;
    } catch (err) { answer.className = 'answer bad'; answer.textContent = 'FAILED: ' + err.message; }
  });
  document.body.dataset.ready = 'uplinks';
  pageCleanup = poll(load, 2000);
}

async function routesPage() {
  const load = async () => {
    const rts = await api('/api/v1/routes');
    rts.sort((a, b) => (b.failures > 0 || !!b.lastError) - (a.failures > 0 || !!a.lastError) || String(a.routeId).localeCompare(String(b.routeId)));
    document.getElementById('rt-table').innerHTML = rts.length ? routeTable(rts) : '<p class="muted">No routes.</p>';
  };
  main.innerHTML = `<h1>Routes</h1><div class="card" id="rt-table"></div>`;
  await load();
  document.body.dataset.ready = 'routes';
  pageCleanup = poll(load, 3000);
}

async function simulators() {
  const sims = await api('/api/v1/simulators');
  main.innerHTML = `<h1>Simulators</h1><div class="card"><table id="simulators"><thead><tr><th>Protocol</th><th>Running</th><th>Endpoint</th>
    <th class="num">Tags</th><th class="num">Update interval</th><th class="num">Updates</th><th class="num">Writes</th><th>Since</th><th>Error</th></tr></thead><tbody>
    ${sims.map(s => `<tr><td>${esc(s.protocol)}</td><td class="${s.running ? 'ok' : 'bad'}">${s.running ? 'running' : 'stopped'}</td>
    <td>${esc(s.endpoint)}</td><td class="num">${fmtNumber(s.tags)}</td><td class="num">${fmtNumber(s.updateIntervalMillis)} ms</td>
    <td class="num">${fmtNumber(s.updates)}</td><td class="num">${fmtNumber(s.writes)}</td><td>${timeCell(s.since)}</td>
    <td class="reason">${esc(s.error || '')}</td></tr>`).join('')}</tbody></table></div>`;
  document.body.dataset.ready = 'simulators';
}

async function audit() {
  main.innerHTML = `<h1>Audit trail</h1><form id="audit-form" class="form-row">
    <label>Thing<input name="thing" placeholder="any"></label><label>Source<input name="source" placeholder="rest, shell, mqtt…"></label>
    <label>User<input name="identity" placeholder="any"></label><label>Kind<input name="kind" placeholder="write, login…"></label>
    <label>Newest<input name="limit" type="number" value="100" min="1" max="10000"></label><button class="primary" type="submit">Show</button></form>
    <div class="card" id="audit-table"><p class="muted">Loading…</p></div>`;
  const form = document.getElementById('audit-form');
  const load = async () => {
    const q = new URLSearchParams([...new FormData(form)].filter(([, v]) => v !== ''));
    const el = document.getElementById('audit-table');
    try {
      const rows = await api('/api/v1/audit?' + q);
      el.innerHTML = `<table><thead><tr><th>Time</th><th>Kind</th><th>Source</th><th>User</th><th>Thing</th><th>Target</th><th>Value</th>
        <th>Outcome</th><th>Detail</th></tr></thead><tbody>${rows.map(a => `<tr><td>${timeCell(a.time)}</td><td>${esc(a.kind)}</td>
        <td>${esc(a.source)}</td><td>${esc(a.identity)}</td><td>${esc(a.thing)}</td><td>${esc(a.target)}</td><td>${esc(a.value)}</td>
        <td class="${/DONE|ok|success/i.test(a.outcome) ? 'ok' : 'bad'}">${esc(a.outcome)}</td><td>${esc(a.detail)}</td></tr>`).join('')}</tbody></table>`
        + (rows.length ? '' : '<p class="muted">No entries match.</p>');
    } catch (err) { el.innerHTML = `<p class="bad">${esc(err.message)}</p>`; }
  };
  form.addEventListener('submit', e => { e.preventDefault(); load(); });
  await load();
  document.body.dataset.ready = 'audit';
}

// --- start: an open session goes straight on, otherwise the login form

(async () => {
  try {
    const r = await fetch('/api/v1/session', { headers: { 'X-Requested-With': 'fogwerk-console' }, credentials: 'same-origin' });
    if (r.ok) {
      const s = await r.json();
      if (s.csrfToken) { startSession(s); return; }
    }
  } catch { /* the login form says the rest */ }
  showLogin('');
})();
