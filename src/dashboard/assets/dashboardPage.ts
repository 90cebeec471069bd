/** The dashboard's page: structure only; the script fills it in (no inline script or style: the CSP forbids them). */
export const dashboardPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Paper-trading daemon</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/dashboard.js" defer></script>
</head>
<body>
<header>
  <h1>Paper-trading daemon</h1>
  <div class="meta"><span id="venue">…</span> · run <span id="run">…</span> · market time <span id="market-time">…</span></div>
  <div class="badges"><span id="health" class="badge">…</span> <span id="link" class="badge">connecting…</span></div>
  <ul id="health-reasons" class="reasons"></ul>
</header>
<main>
  <section class="card" id="account-card">
    <h2>Account</h2>
    <dl class="figures">
      <dt>Equity</dt><dd id="acct-equity">—</dd>
      <dt>Cash</dt><dd id="acct-cash">—</dd>
      <dt>Strategies</dt><dd id="acct-strategies">—</dd>
      <dt>P&amp;L</dt><dd id="acct-pnl">—</dd>
      <dt>Realized</dt><dd id="acct-realized">—</dd>
      <dt>Unrealized</dt><dd id="acct-unrealized">—</dd>
      <dt>Account breaker</dt><dd id="acct-breaker">—</dd>
    </dl>
  </section>
  <section class="card" id="feed-card">
    <h2>Data feed</h2>
    <dl class="figures">
      <dt>State</dt><dd id="feed-state">—</dd>
      <dt>Last bar</dt><dd id="feed-last-bar">—</dd>
      <dt>Gaps</dt><dd id="feed-gaps">—</dd>
      <dt>Reconnections</dt><dd id="feed-reconnects">—</dd>
      <dt>Request budget</dt><dd id="feed-budget">—</dd>
      <dt>Telegram outbox</dt><dd id="feed-outbox">—</dd>
    </dl>
  </section>
  <section class="card" id="control-card">
    <h2>Commands</h2>
    <p id="control-off" class="muted">Read-only: the daemon was started without DASHBOARD_TOKEN.</p>
    <div id="control-on" hidden>
      <label for="token">Token</label>
      <input id="token" type="password" autocomplete="off" spellcheck="false" placeholder="DASHBOARD_TOKEN">
      <p class="muted">Pause and resume ask for confirmation and act like <code>npm run ctl</code>. The token stays in this tab.</p>
      <div class="actions"><button type="button" id="pause-all" data-command="pause" data-target="all">Pause all</button> <button type="button" id="resume-all" data-command="resume" data-target="all">Resume all</button></div>
      <p id="control-result" role="status"></p>
    </div>
  </section>
  <section class="card wide">
    <h2>Strategies</h2>
    <div class="scroll">
    <table id="strategies">
      <thead><tr><th>Strategy</th><th>Status</th><th class="num">Equity</th><th class="num">P&amp;L</th><th class="num">Realized</th><th class="num">Trades</th><th class="num">Fills</th><th class="num">Open orders</th><th>Positions</th><th>Breaker</th><th>Denials by rule</th><th></th></tr></thead>
      <tbody id="strategies-body"></tbody>
    </table>
    </div>
  </section>
  <section class="card wide" id="readiness-card">
    <h2>Live readiness</h2>
    <p id="readiness-state" class="muted">—</p>
    <div class="scroll">
    <table id="readiness">
      <thead><tr><th>Strategy</th><th>Verdict</th><th>Failing items</th></tr></thead>
      <tbody id="readiness-body"></tbody>
    </table>
    </div>
  </section>
  <section class="card wide">
    <h2>Equity</h2>
    <div id="curve-total" class="chart big"></div>
    <div id="curves" class="charts"></div>
  </section>
  <section class="card span2">
    <h2>Recent fills <span id="fill-count" class="muted">0</span></h2>
    <div class="scroll">
    <table id="fills">
      <thead><tr><th>Time (ET)</th><th>Strategy</th><th>Symbol</th><th>Side</th><th class="num">Qty</th><th class="num">Price</th><th class="num">Realized</th></tr></thead>
      <tbody id="fills-body"></tbody>
    </table>
    </div>
  </section>
  <section class="card span1">
    <h2>Recent alerts</h2>
    <ul id="alerts" class="alerts"></ul>
  </section>
</main>
<footer class="muted">Served by the daemon itself; nothing is fetched from the internet. <a href="/metrics">/metrics</a> · <a href="/healthz">/healthz</a></footer>
</body>
</html>
`;
