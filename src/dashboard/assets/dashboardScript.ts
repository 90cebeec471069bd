/**
 * The dashboard's script (served as /assets/dashboard.js): renders /api/state, then each `state`
 * event of /events (Server-Sent Events). Text goes in with textContent only (never as HTML), charts
 * are SVG drawn here; commands are POSTed with the token typed in this tab, after a confirmation.
 */
export const dashboardScript = String.raw`'use strict';
(function () {
  var money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
  var et = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  var etDay = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'short', day: 'numeric' });
  var FRACTION_RULES = { max_drawdown: true, max_daily_loss: true };
  var last = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = String(text); if (cls) e.className = cls; return e; }
  function fmtMoney(x) { return x === null || x === undefined ? '—' : money.format(x); }
  function fmtPnl(x) { return (x > 0 ? '+' : '') + money.format(x); }
  function fmtTime(t) { return t === null || t === undefined ? '—' : et.format(new Date(t)) + ' ET'; }
  function sign(x) { return x > 0 ? 'up' : x < 0 ? 'down' : ''; }
  function setText(id, text, cls) { var e = $(id); e.textContent = text; e.className = cls || ''; }
  function ruleValue(rule, v) { return v === null ? '' : FRACTION_RULES[rule] ? (v * 100).toFixed(2) + '%' : String(v); }
  function breakerText(b) {
    if (!b) return 'n/a';
    if (b.state !== 'PAUSED') return 'ARMED';
    if (b.rule === 'manual') return 'PAUSED (' + b.message + ') since ' + fmtTime(b.since);
    return 'PAUSED (' + b.rule + ' ' + ruleValue(b.rule, b.value) + ' ≥ ' + ruleValue(b.rule, b.threshold) + ') since ' + fmtTime(b.since);
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function cell(row, text, cls) { var td = el('td', text, cls); row.appendChild(td); return td; }

  function renderHeader(v) {
    setText('venue', v.venue + ' (' + v.mode + ')');
    setText('run', v.runId);
    setText('market-time', fmtTime(v.marketTime));
    setText('health', v.health.ok ? 'healthy' : 'unhealthy: ' + v.health.phase, 'badge ' + (v.health.ok ? 'ok' : 'bad'));
    var ul = $('health-reasons'); clear(ul);
    v.health.reasons.forEach(function (r) { ul.appendChild(el('li', r)); });
  }

  function renderAccount(a) {
    if (!a) return;
    setText('acct-equity', fmtMoney(a.equity));
    setText('acct-cash', fmtMoney(a.cash));
    setText('acct-strategies', fmtMoney(a.strategiesEquity));
    setText('acct-pnl', fmtPnl(a.pnl), sign(a.pnl));
    setText('acct-realized', fmtPnl(a.realizedPnl), sign(a.realizedPnl));
    setText('acct-unrealized', fmtPnl(a.unrealizedPnl), sign(a.unrealizedPnl));
    setText('acct-breaker', breakerText(a.breaker), a.breaker && a.breaker.state === 'PAUSED' ? 'paused' : '');
  }

  function renderFeed(f) {
    setText('feed-state', f.state + (f.problem ? ': ' + f.problem : ''), f.problem ? 'down' : 'up');
    setText('feed-last-bar', fmtTime(f.lastBarTime));
    setText('feed-gaps', f.gaps + (f.lastGap ? ' (last ' + fmtTime(f.lastGap.from) + ' → ' + fmtTime(f.lastGap.to) + ', ' + f.lastGap.backfilled + ' bars backfilled)' : ''));
    var rc = Object.keys(f.reconnects).map(function (k) { return k + ' ' + f.reconnects[k]; });
    setText('feed-reconnects', rc.length === 0 ? 'none (offline)' : rc.join(', '));
    setText('feed-budget', f.requestBudget === null ? 'n/a (offline)' : f.requestBudget.available + ' of ' + f.requestBudget.perMinute + '/min free, ' + f.requestBudget.waiting + ' waiting');
    setText('feed-outbox', f.outboxPending === null ? 'no Telegram (alerts go to the log)' : f.outboxPending + ' waiting');
  }

  function renderStrategies(v) {
    var body = $('strategies-body'); clear(body);
    v.strategies.forEach(function (s) {
      var tr = el('tr'); tr.setAttribute('data-strategy', s.id);
      cell(tr, s.id);
      cell(tr, s.statusLabel, s.status.toLowerCase()).title = s.statusReason || '';
      cell(tr, fmtMoney(s.equity), 'num');
      cell(tr, fmtPnl(s.pnl), 'num ' + sign(s.pnl));
      cell(tr, fmtPnl(s.realizedPnl), 'num ' + sign(s.realizedPnl));
      cell(tr, s.trades, 'num');
      cell(tr, s.fills, 'num');
      cell(tr, s.openOrders, 'num');
      cell(tr, s.positions.length === 0 ? '—' : s.positions.map(function (p) { return p.symbol + ' ' + p.qty + ' @ ' + p.avgPrice.toFixed(2) + ' (' + fmtPnl(p.unrealizedPnl) + ')'; }).join(', '), 'wrap');
      cell(tr, breakerText(s.breaker), 'wrap' + (s.breaker && s.breaker.state === 'PAUSED' ? ' paused' : ''));
      var d = Object.keys(s.denials).map(function (r) { return r + ' ' + s.denials[r]; });
      cell(tr, d.length === 0 ? '—' : d.join(', '), 'wrap');
      var actions = cell(tr, '');
      if (v.commands) {
        var paused = s.breaker && s.breaker.state === 'PAUSED';
        var b = el('button', paused ? 'Resume' : 'Pause');
        b.type = 'button';
        b.setAttribute('data-command', paused ? 'resume' : 'pause');
        b.setAttribute('data-target', s.id);
        actions.appendChild(b);
      }
      body.appendChild(tr);
    });
  }

  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) { var e = document.createElementNS(SVG, tag); Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); }); return e; }
  function chart(container, title, points, base, W, H) {
    var box = el('div', null, 'chart');
    box.appendChild(el('div', title, 'title'));
    var L = 70, R = 8, T = 8, B = 20;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title });
    if (points.length > 0) {
      var t0 = points[0][0], t1 = points[points.length - 1][0];
      var lo = base, hi = base;
      points.forEach(function (p) { if (p[1] < lo) lo = p[1]; if (p[1] > hi) hi = p[1]; });
      if (hi - lo < 1e-9) { hi += 1; lo -= 1; }
      var x = function (t) { return L + (t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (W - L - R)); };
      var y = function (e) { return T + (1 - (e - lo) / (hi - lo)) * (H - T - B); };
      s.appendChild(svg('line', { x1: L, x2: W - R, y1: y(base), y2: y(base), class: 'base' }));
      s.appendChild(svg('polyline', { points: points.map(function (p) { return x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1); }).join(' '), class: 'line' }));
      var hiText = svg('text', { x: 4, y: T + 10 }); hiText.textContent = money.format(hi); s.appendChild(hiText);
      var loText = svg('text', { x: 4, y: H - B }); loText.textContent = money.format(lo); s.appendChild(loText);
      var d0 = svg('text', { x: L, y: H - 4 }); d0.textContent = etDay.format(new Date(t0)); s.appendChild(d0);
      var d1 = svg('text', { x: W - R, y: H - 4, 'text-anchor': 'end' }); d1.textContent = etDay.format(new Date(t1)) + ' · ' + money.format(points[points.length - 1][1]); s.appendChild(d1);
    } else {
      var none = svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }); none.textContent = 'no points yet'; s.appendChild(none);
    }
    box.appendChild(s);
    container.appendChild(box);
  }

  function renderCurves(v) {
    var total = $('curve-total'); clear(total);
    var capital = v.strategies.reduce(function (a, s) { return a + s.capital; }, 0);
    chart(total, 'All strategies', v.curves.total, capital, 1200, 260);
    var list = $('curves'); clear(list);
    v.strategies.forEach(function (s) { chart(list, s.id, v.curves.strategies[s.id] || [], s.capital, 400, 150); });
  }

  function renderFills(v) {
    var body = $('fills-body'); clear(body);
    v.fills.forEach(function (f) {
      var tr = el('tr');
      cell(tr, fmtTime(f.time)); cell(tr, f.strategy); cell(tr, f.symbol); cell(tr, f.side, f.side === 'buy' ? 'up' : 'down');
      cell(tr, f.qty, 'num'); cell(tr, f.price.toFixed(2), 'num'); cell(tr, f.realizedPnl === 0 ? '' : fmtPnl(f.realizedPnl), 'num ' + sign(f.realizedPnl));
      body.appendChild(tr);
    });
    setText('fill-count', String(v.strategies.reduce(function (a, s) { return a + s.fills; }, 0)) + ' booked', 'muted');
  }

  // The live checklist's verdict per strategy (docs/readiness.md), judged by the daemon from its saved record at its start and after each session's close.
  function renderReadiness(r) {
    var card = $('readiness-card');
    card.hidden = r === null;
    if (r === null) return;
    var body = $('readiness-body'); clear(body);
    if (r.state === 'pending') { setText('readiness-state', 'not judged yet (the daemon judges it shortly after the start)', 'muted'); return; }
    if (r.state === 'unavailable') { setText('readiness-state', 'unavailable: ' + r.reason + ' (' + fmtTime(r.at) + ')', 'down'); return; }
    setText('readiness-state', (r.found ? 'From the paper record in ' : 'No paper record yet in ') + r.recordDir + '; judged ' + fmtTime(r.at) + ' (at the start and after each close). npm run readiness shows each item in full.', 'muted');
    r.strategies.forEach(function (s) {
      var tr = el('tr'); tr.setAttribute('data-strategy', s.id);
      cell(tr, s.id); cell(tr, s.ready ? 'ready' : 'not yet', s.ready ? 'up' : 'down');
      cell(tr, s.failing.concat(s.unchecked === null ? [] : [s.unchecked]).join('; '), 'wrap');
      body.appendChild(tr);
    });
  }

  function renderAlerts(v) {
    var ul = $('alerts'); clear(ul);
    if (v.alerts.length === 0) ul.appendChild(el('li', 'no alert since the start', 'muted'));
    v.alerts.forEach(function (a) {
      var li = el('li');
      li.appendChild(el('span', a.priority, 'prio'));
      li.appendChild(document.createTextNode(new Date(a.time).toISOString().slice(11, 19) + 'Z  ' + a.text));
      ul.appendChild(li);
    });
  }

  function render(v) {
    last = v;
    renderHeader(v); renderAccount(v.account); renderFeed(v.feed); renderStrategies(v); renderCurves(v); renderFills(v); renderAlerts(v); renderReadiness(v.readiness);
    $('control-off').hidden = v.commands; $('control-on').hidden = !v.commands;
    document.body.setAttribute('data-updated', String(Date.now()));
  }

  function command(cmd, target) {
    var token = $('token').value.trim();
    var out = $('control-result');
    if (token === '') { out.textContent = 'Type the token first.'; out.className = 'down'; return; }
    if (!window.confirm(cmd + ' ' + target + '? This acts on the running daemon like npm run ctl ' + cmd + ' ' + target + '.')) { out.textContent = 'Not sent.'; out.className = 'muted'; return; }
    fetch('/api/control', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify({ command: cmd, target: target }), credentials: 'omit', cache: 'no-store' })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (x) { out.textContent = x.j.message; out.className = x.ok ? 'up' : 'down'; })
      .catch(function (e) { out.textContent = 'failed: ' + e; out.className = 'down'; });
  }

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!(t instanceof HTMLButtonElement) || !t.hasAttribute('data-command')) return;
    command(t.getAttribute('data-command'), t.getAttribute('data-target'));
  });

  function connect() {
    var source = new EventSource('/events');
    source.addEventListener('state', function (e) { setText('link', 'live', 'badge ok'); render(JSON.parse(e.data)); });
    source.onerror = function () { setText('link', 'reconnecting…', 'badge bad'); };
  }

  fetch('/api/state', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (v) { if (last === null) render(v); }).catch(function () {});
  connect();
})();
`;
