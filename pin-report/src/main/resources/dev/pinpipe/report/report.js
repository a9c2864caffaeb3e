// Draws the report's charts and tables from the JSON block #pinpipe-data (times as ISO-8601 strings, a lag
// in seconds) with the inlined ECharts. window.pinpipeCharts ends up as {chart: data points drawn}, what the
// browser test reads.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('pinpipe-data').textContent);
  const number = new Intl.NumberFormat('en');
  const drawn = {};
  const charts = [];

  function time(iso) {
    return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-';
  }

  function lag(seconds) {
    if (seconds === null || seconds === undefined) return '-';
    if (seconds < 60) return seconds.toFixed(1) + ' s';
    if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + Math.floor(seconds % 60) + ' s';
    if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
    return Math.floor(seconds / 86400) + ' d ' + Math.floor((seconds % 86400) / 3600) + ' h';
  }

  // A time axis over the minutes given, a minute of room on each side: one minute alone is still a bar, not a day
  function minuteAxis(rows) {
    if (rows.length === 0) return { type: 'time' };
    const first = Date.parse(rows[0].minute);
    const last = Date.parse(rows[rows.length - 1].minute);
    return { type: 'time', min: first - 60000, max: last + 60000 };
  }

  // One chart: drawn as SVG without animation, so it is complete when setOption returns.
  function chart(name, rows, option) {
    const element = document.getElementById('chart-' + name);
    drawn[name] = 0;
    if (rows.length === 0) {
      element.classList.add('empty');
      element.textContent = 'No rows yet.';
      return;
    }
    try {
      const c = echarts.init(element, null, { renderer: 'svg' });
      c.setOption(Object.assign({ animation: false, useUTC: true, tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true } }, option));
      drawn[name] = c.getOption().series.reduce((n, s) => n + s.data.length, 0);
      charts.push(c);
    } catch (e) {
      element.textContent = 'This chart failed: ' + e;
      console.error('chart ' + name + ' failed', e);
    }
  }

  function card(value, label) {
    const div = document.createElement('div');
    div.className = 'card';
    const v = document.createElement('div');
    v.className = 'value';
    v.textContent = value;
    const l = document.createElement('div');
    l.className = 'label';
    l.textContent = label;
    div.append(v, l);
    document.getElementById('cards').append(div);
  }

  function table(id, headers, rows) {
    const holder = document.getElementById(id);
    if (rows.length === 0) {
      holder.textContent = 'No rows yet.';
      return;
    }
    const t = document.createElement('table');
    const head = t.createTHead().insertRow();
    headers.forEach(h => { const th = document.createElement('th'); th.textContent = h; head.append(th); });
    const body = t.createTBody();
    rows.forEach(r => { const tr = body.insertRow(); r.forEach(cell => { tr.insertCell().textContent = cell; }); });
    holder.append(t);
  }

  document.getElementById('subtitle').textContent = data.database + ' at ' + time(data.generatedAt);

  const layers = data.layers;
  const agreement = data.agreement;
  const latency = data.streamLatency;
  const quarantined = data.latestRuns.reduce((n, l) => n + l.quarantined, 0);
  card(number.format(layers.servingBatch + layers.servingStream), 'pins served (pins_serving)');
  card(number.format(layers.batchRows), 'rows in pins_batch');
  card(number.format(layers.streamRows), 'rows in pins_stream');
  card(number.format(agreement.inBoth), 'pins in both layers');
  card(latency.pins ? number.format(Math.round(latency.p50Ms)) + ' / ' + number.format(Math.round(latency.p99Ms)) + ' ms' : '-',
    'stream ack-to-row p50 / p99');
  card(number.format(quarantined), 'rows in quarantine (pins_rejected)');

  chart('categories', data.categories, {
    xAxis: { type: 'value' },
    yAxis: { type: 'category', inverse: true, data: data.categories.map(c => c.category) },
    series: [{ name: 'pins', type: 'bar', data: data.categories.map(c => c.pins), itemStyle: { color: '#e60023' } }]
  });
  chart('followers', data.followerBuckets, {
    xAxis: { type: 'category', data: data.followerBuckets.map(b => b.bucket) },
    yAxis: { type: 'value' },
    series: [{ name: 'pins', type: 'bar', data: data.followerBuckets.map(b => b.pins), itemStyle: { color: '#3e7cb1' } }]
  });
  chart('ingest', data.ingestedPerMinute, {
    xAxis: minuteAxis(data.ingestedPerMinute),
    yAxis: { type: 'value', name: 'pins / min' },
    dataZoom: [{ type: 'inside' }],
    series: [{ name: 'pins', type: 'bar', barMaxWidth: 40, itemStyle: { color: '#5470c6' },
      data: data.ingestedPerMinute.map(m => [Date.parse(m.minute), m.pins]) }]
  });
  chart('latency', data.streamLatencyPerMinute, {
    legend: { top: 0 },
    xAxis: minuteAxis(data.streamLatencyPerMinute),
    yAxis: { type: 'value', name: 'ms' },
    dataZoom: [{ type: 'inside' }],
    series: [
      { name: 'p50', type: 'line', showSymbol: data.streamLatencyPerMinute.length < 60,
        data: data.streamLatencyPerMinute.map(m => [Date.parse(m.minute), Math.round(m.p50Ms)]) },
      { name: 'p99', type: 'line', showSymbol: data.streamLatencyPerMinute.length < 60,
        data: data.streamLatencyPerMinute.map(m => [Date.parse(m.minute), Math.round(m.p99Ms)]) }
    ]
  });
  const agreementBars = [
    { name: 'in both', value: agreement.inBoth, itemStyle: { color: '#2f9e44' } },
    { name: 'only in batch', value: agreement.onlyBatch, itemStyle: { color: '#f08c00' } },
    { name: 'only in stream', value: agreement.onlyStream, itemStyle: { color: '#f59f00' } },
    { name: 'differ (in both)', value: agreement.differ, itemStyle: { color: '#c92a2a' } }
  ];
  chart('agreement', agreementBars, {
    xAxis: { type: 'category', data: agreementBars.map(b => b.name), axisLabel: { interval: 0, width: 100, overflow: 'break' } },
    yAxis: { type: 'value' },
    series: [{ name: 'pins', type: 'bar', data: agreementBars, label: { show: true, position: 'top' } }]
  });
  chart('media', data.media, {
    tooltip: { trigger: 'item', formatter: p => p.name + ': ' + number.format(p.value) + ' pins (' + p.percent + ' %)' },
    legend: { top: 0 },
    series: [{ name: 'pins', type: 'pie', radius: ['35%', '65%'], top: 24,
      label: { formatter: p => (p.data.share * 100).toFixed(1) + ' %' },
      data: data.media.map(m => ({ name: m.mediaType, value: m.pins, share: m.share })) }]
  });

  const runColumns = ['job', 'run_id', 'batch_id', 'status', 'read', 'written', 'rejected', 'started', 'finished'];
  const runCells = r => [r.job, r.runId, r.batchId, r.status, number.format(r.rowsRead), number.format(r.rowsWritten),
    number.format(r.rowsRejected), time(r.startedAt), time(r.finishedAt)];
  table('table-latest', runColumns.concat(['quarantined', 'lag']),
    data.latestRuns.map(l => runCells(l.run).concat([number.format(l.quarantined), lag(l.lag)])));
  table('table-recent', runColumns, data.recentRuns.map(runCells));

  window.addEventListener('resize', () => charts.forEach(c => c.resize()));
  window.pinpipeCharts = drawn;
})();
