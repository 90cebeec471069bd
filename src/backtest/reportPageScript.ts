/**
 * The report page's own script (plain JavaScript, run by the browser after the inlined
 * lightweight-charts): it reads the `report-data` JSON and draws the equity, drawdown and price
 * charts. The charts' times are UTC seconds; their labels are New York time through the library's
 * `localization.timeFormatter` and `timeScale.tickMarkFormatter` (the data is not shifted).
 */
export const REPORT_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var L = window.LightweightCharts;
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  var MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function ny(sec) {
    var o = {};
    parts.formatToParts(new Date(sec * 1000)).forEach(function (p) { o[p.type] = p.value; });
    return o;
  }
  function nyText(sec) {
    var p = ny(sec);
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ' ET';
  }
  // Tick marks are chosen by the library; each is labelled with its New York date or time.
  function tick(sec, type) {
    var p = ny(sec);
    if (type === 0) return p.year;
    if (type === 1) return MONTHS[Number(p.month) - 1] + ' ' + p.year;
    if (type === 2) return MONTHS[Number(p.month) - 1] + ' ' + Number(p.day);
    return p.hour + ':' + p.minute;
  }
  var money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var moneyFormat = { type: 'custom', minMove: 0.01, formatter: function (v) { return money.format(v); } };
  var priceFormat = { type: 'custom', minMove: 0.0001, formatter: function (v) { return '$' + v.toFixed(2); } };
  var pctFormat = { type: 'custom', minMove: 0.0001, formatter: function (v) { return (Math.abs(v) < 0.00005 ? 0 : v * 100).toFixed(2) + '%'; } };
  function chart(id, height) {
    var el = document.getElementById(id);
    el.style.height = height + 'px';
    return L.createChart(el, {
      autoSize: true,
      layout: { background: { color: '#ffffff' }, textColor: '#1b1f24', fontSize: 12 },
      grid: { vertLines: { color: '#eaeef2' }, horzLines: { color: '#eaeef2' } },
      localization: { locale: 'en-US', timeFormatter: nyText },
      // A long run fits the width at first (bars may be thinner than a pixel); scroll to zoom in.
      timeScale: { timeVisible: true, secondsVisible: false, tickMarkFormatter: tick, minBarSpacing: 0.001 },
      rightPriceScale: { borderColor: '#d0d7de' },
    });
  }
  function points(list) {
    return list.map(function (p) { return { time: p[0], value: p[1] }; });
  }
  // The account's axis always shows the starting cash: a curve is read against what it started from.
  function including(level) {
    return function (original) {
      var r = original();
      if (r === null) return r;
      r.priceRange.minValue = Math.min(r.priceRange.minValue, level);
      r.priceRange.maxValue = Math.max(r.priceRange.maxValue, level);
      return r;
    };
  }

  var equity = chart('chart-equity', data.strategyEquity.length > 0 ? 520 : 320);
  var account = equity.addSeries(L.LineSeries, { color: '#1b1f24', lineWidth: 2, priceFormat: moneyFormat, autoscaleInfoProvider: including(data.startingCash), title: 'account' });
  account.setData(points(data.account));
  account.createPriceLine({ price: data.startingCash, color: '#8c959f', lineWidth: 1, lineStyle: 2, axisLabelVisible: true, title: 'start' });
  data.strategyEquity.forEach(function (s) {
    var info = data.strategies.filter(function (x) { return x.id === s.id; })[0];
    var line = equity.addSeries(L.LineSeries, { color: info.colour, lineWidth: 1, priceFormat: pctFormat, lastValueVisible: false, priceLineVisible: false, title: s.id }, 1);
    line.setData(points(s.points));
  });
  equity.timeScale().fitContent();

  var charts = { equity: equity, drawdown: null, prices: [] };
  window.reportCharts = charts;
  var dd = charts.drawdown = chart('chart-drawdown', 200);
  var area = dd.addSeries(L.AreaSeries, { lineColor: '#cf222e', topColor: 'rgba(207,34,46,0.05)', bottomColor: 'rgba(207,34,46,0.35)', invertFilledArea: true, lineWidth: 1, priceFormat: pctFormat, autoscaleInfoProvider: including(0) });
  area.setData(points(data.drawdown));
  dd.timeScale().fitContent();

  data.prices.forEach(function (p, k) {
    var c = chart('chart-price-' + k, 340);
    charts.prices.push(c);
    var candles = c.addSeries(L.CandlestickSeries, { upColor: '#1a7f37', downColor: '#cf222e', borderVisible: false, wickUpColor: '#1a7f37', wickDownColor: '#cf222e', priceFormat: priceFormat });
    candles.setData(p.candles.map(function (x) { return { time: x[0], open: x[1], high: x[2], low: x[3], close: x[4] }; }));
    var labelled = p.markers.length <= 20;
    // A buy's arrow points up from under its price, a sell's down from above: each in its strategy's colour, at the exact fill price.
    L.createSeriesMarkers(candles, p.markers.map(function (m) {
      return { time: m.t, position: m.side === 'buy' ? 'atPriceBottom' : 'atPriceTop', price: m.price, color: m.colour, shape: m.side === 'buy' ? 'arrowUp' : 'arrowDown', text: labelled ? m.strategy + ' ' + m.side + ' ' + m.qty : '' };
    }));
    var byTime = {};
    p.markers.forEach(function (m) { (byTime[m.t] = byTime[m.t] || []).push(m); });
    var hover = document.getElementById('hover-price-' + k);
    c.subscribeCrosshairMove(function (param) {
      var here = param.time === undefined ? null : byTime[param.time];
      hover.textContent = here ? here.map(function (m) { return nyText(m.t) + ': ' + m.strategy + ' ' + m.side + ' ' + m.qty + ' @ $' + m.price.toFixed(2); }).join(' · ') : 'Point at a marker to see its fills.';
    });
    c.timeScale().fitContent();
  });
  // The charts, for a look from the browser's console (and the browser test).
  document.body.setAttribute('data-charts', 'drawn');
})();
`;
