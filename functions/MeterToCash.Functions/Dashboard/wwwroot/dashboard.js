// MeterToCash operations dashboard: plain JS, no build step. Every figure comes from the app's own APIs, called from the
// browser with the function key the operator entered for this session (sessionStorage, header x-functions-key).
// API data is only ever written with textContent (never as HTML). Raw API values are also kept in data-value
// attributes next to the formatted text, so the browser test can compare the page with the API's JSON exactly.
'use strict';

(() => {
  const KEY = 'metertocash.functionKey';
  const API = new URL('../', document.baseURI); // the page is /api/dashboard/index.html: the API is its parent
  const CHINA_OFFSET_MS = 8 * 3600 * 1000;
  const PARALLEL = 4; // per-area calls at a time: the app runs on small instances

  const $ = (id) => document.getElementById(id);
  const state = { area: null, reconDay: null, segment: null, charts: {}, refreshes: 0 };
  window.dashboard = state; // for operators' consoles and the browser test

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem?.detail || problem?.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  async function api(path, options = {}) {
    const key = sessionStorage.getItem(KEY);
    const headers = { 'x-functions-key': key || '', Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(new URL(path, API), {
      method: options.method || 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
    });
    const text = await response.text();
    const json = text ? safeParse(text) : null;
    if (!response.ok) {
      if (response.status === 401) askForKey('The key was refused (401). Enter the function key again.');
      throw new ApiError(response.status, json);
    }
    return json;
  }

  function safeParse(text) {
    try { return JSON.parse(text); } catch { return null; }
  }

  // China-local calendar days (the app's days are Asia/Shanghai, UTC+8, no DST).
  function chinaDay(offsetDays) {
    return new Date(Date.now() + CHINA_OFFSET_MS + offsetDays * 86400000).toISOString().slice(0, 10);
  }

  function addDays(day, n) {
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  const pct = (x) => (x === undefined || x === null ? '–' : `${(x * 100).toFixed(2)} %`);
  const num = (x, digits = 1) => (x === undefined || x === null ? '–' : Number(x).toFixed(digits));

  function el(tag, text, attrs = {}) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    }
    return node;
  }

  // A table cell showing formatted text and keeping the raw API value.
  function cell(field, value, text) {
    return el('td', text ?? value ?? '–', { 'data-field': field, 'data-value': value === undefined || value === null ? '' : value });
  }

  function panelError(panelId, error) {
    const panel = $(panelId);
    let p = panel.querySelector('.error');
    if (!p) { p = el('p', '', { class: 'error' }); panel.insertBefore(p, panel.children[1]); }
    p.textContent = error ? `Could not load: ${error.message}` : '';
    p.hidden = !error;
  }

  async function mapLimited(items, fn) {
    const results = new Array(items.length);
    let next = 0;
    async function worker() {
      while (next < items.length) { const i = next++; results[i] = await fn(items[i], i); }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL, items.length) }, worker));
    return results;
  }

  const settle = (promise) => promise.then((value) => ({ value }), (error) => ({ error }));

  // ---- Network tree: each area's peak load rate of the day and its stored line loss of the line-loss day ----
  function loadClass(rate, thresholds) {
    if (rate === undefined || rate === null || !thresholds) return 'none';
    if (rate >= thresholds.overloadShare) return 'over';
    if (rate >= thresholds.heavyShare) return 'heavy';
    return 'ok';
  }

  async function renderNetwork(day, lossDay) {
    const tree = await api('network/tree');
    const ranking = await settle(api(`line-loss/ranking?day=${lossDay}`));
    const losses = new Map((ranking.value?.areas || []).map((r) => [r.area, r.result]));
    const areas = tree.substations.flatMap((s) => s.feeders.flatMap((f) => f.areas));
    const rates = new Map();
    await mapLimited(areas, async (a) => rates.set(a.code, await settle(api(`areas/${encodeURIComponent(a.code)}/load-rate?day=${day}`))));

    const root = $('tree');
    root.replaceChildren();
    if (ranking.error) root.append(el('p', `Line loss not shown: ${ranking.error.message}`, { class: 'error' }));
    for (const s of tree.substations) {
      const sNode = el('details', null, { open: '', 'data-substation': s.code });
      sNode.append(el('summary', `${s.code} · ${s.name}`));
      for (const f of s.feeders) {
        const fNode = el('div', null, { class: 'feeder', 'data-feeder': f.code });
        fNode.append(el('h4', `${f.code} · ${f.name}`));
        const table = el('table', null, { class: 'areas' });
        table.append(headRow(['Area', 'Rated kVA', 'Peak load rate', 'Peak kW', 'Line loss', 'Class']));
        const body = el('tbody');
        for (const a of f.areas) {
          const r = rates.get(a.code);
          const lr = r?.value;
          const loss = losses.get(a.code);
          const row = el('tr', null, { 'data-area': a.code, tabindex: '0', title: 'Show this area\'s load curve and line loss' });
          row.append(el('td', `${a.code} ${a.name}`));
          row.append(cell('ratedKva', a.ratedKva));
          const rateCell = cell('peakRate', lr?.peak?.rate, r?.error ? `– (${r.error.status || ''} ${r.error.message})` : pct(lr?.peak?.rate));
          rateCell.className = `load-${loadClass(lr?.peak?.rate, lr?.thresholds)}`;
          row.append(rateCell);
          row.append(cell('peakKw', lr?.peak?.kw, num(lr?.peak?.kw, 3)));
          const lossCell = cell('lossRate', loss?.lossRate, loss ? pct(loss.lossRate) : 'not evaluated');
          lossCell.className = `loss-${(loss?.class || 'none').toLowerCase()}`;
          row.append(lossCell);
          row.append(cell('lossClass', loss?.class, loss ? loss.class + (loss.reason ? ` (${loss.reason})` : '') : '–'));
          row.addEventListener('click', () => selectArea(a.code));
          row.addEventListener('keydown', (e) => { if (e.key === 'Enter') selectArea(a.code); });
          body.append(row);
        }
        table.append(body);
        fNode.append(table);
        sNode.append(fNode);
      }
      root.append(sNode);
    }
    return areas.map((a) => a.code);
  }

  function headRow(names) {
    const head = el('thead');
    const tr = el('tr');
    for (const n of names) tr.append(el('th', n));
    head.append(tr);
    return head;
  }

  // ---- One area: load curve against its forecast and rated capacity; line loss and theft suspicion ----
  async function renderArea(area, day, lossDay) {
    $('loadArea').textContent = area ? `· ${area} · ${day}` : '';
    $('panel-load').dataset.area = area || '';
    if (!area) { $('loadSummary').textContent = 'Choose an area in the network panel.'; return; }
    const [load, forecast, loss] = await Promise.all([
      settle(api(`areas/${encodeURIComponent(area)}/load-rate?day=${day}`)),
      settle(api(`areas/${encodeURIComponent(area)}/forecast?day=${day}`)),
      settle(api(`areas/${encodeURIComponent(area)}/line-loss?from=${addDays(lossDay, -13)}&to=${lossDay}`)),
    ]);

    const labels = Array.from({ length: 96 }, (_, i) => `${String(Math.floor(i / 4)).padStart(2, '0')}:${String((i % 4) * 15).padStart(2, '0')}`);
    const actual = new Array(96).fill(null);
    for (const p of load.value?.points || []) actual[p.slot] = p.kw ?? null;
    const predicted = new Array(96).fill(null);
    for (const p of forecast.value?.points || []) predicted[p.slot] = p.forecastKw ?? null;
    const capacityKw = load.value?.capacityKw ?? null;
    const capacity = new Array(96).fill(capacityKw);

    const summary = $('loadSummary');
    summary.replaceChildren();
    const parts = [
      ['Capacity', 'capacityKw', capacityKw, `${num(capacityKw, 1)} kW (rated ${num(load.value?.ratedKva, 0)} kVA × PF ${load.value?.thresholds?.powerFactor ?? '–'})`],
      ['Peak', 'peakKw', load.value?.peak?.kw, `${num(load.value?.peak?.kw, 3)} kW = ${pct(load.value?.peak?.rate)}`],
      ['Heavy / overload intervals', 'heavyIntervals', load.value?.heavyIntervals, `${load.value?.heavyIntervals ?? '–'} / ${load.value?.overloadIntervals ?? '–'}`],
      ['Forecast', 'hasForecast', forecast.value?.hasForecast,
        forecast.value ? (forecast.value.hasForecast ? `model ${forecast.value.modelVersion}, peak ${num(forecast.value.forecastPeakKw, 1)} kW, MAPE ${forecast.value.mape ?? '–'}` : 'none stored for this day') : `– (${forecast.error.message})`],
    ];
    for (const [label, field, value, text] of parts) {
      const span = el('span', `${label}: ${text}`, { 'data-field': field, 'data-value': value ?? '' });
      summary.append(span);
    }
    if (load.error) summary.append(el('span', `Load rate: ${load.error.message}`, { class: 'error' }));

    const data = {
      labels,
      datasets: [
        { label: 'Actual kW', data: actual, borderColor: '#1565c0', backgroundColor: '#1565c0', pointRadius: 0, borderWidth: 2, spanGaps: false },
        { label: 'Forecast kW', data: predicted, borderColor: '#ef6c00', backgroundColor: '#ef6c00', borderDash: [6, 4], pointRadius: 0, borderWidth: 2 },
        { label: 'Capacity kW (rated kVA × PF)', data: capacity, borderColor: '#c62828', backgroundColor: '#c62828', pointRadius: 0, borderWidth: 1 },
      ],
    };
    if (state.charts.load) state.charts.load.destroy();
    state.charts.load = new Chart($('loadChart'), {
      type: 'line',
      data,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, title: { display: true, text: 'kW' } }, x: { ticks: { maxTicksLimit: 13 } } },
      },
    });

    const lossBody = $('lossTable').querySelector('tbody');
    lossBody.replaceChildren();
    for (const d of loss.value?.days || []) {
      const tr = el('tr', null, { 'data-day': d.day });
      tr.append(cell('day', d.day));
      const c = cell('class', d.class);
      c.className = `loss-${d.class.toLowerCase()}`;
      tr.append(c, cell('lossRate', d.lossRate, pct(d.lossRate)), cell('masterKwh', d.masterKwh), cell('customersKwh', d.customersKwh), cell('reason', d.reason, d.reason || ''));
      lossBody.append(tr);
    }
    const theft = $('theft');
    theft.replaceChildren();
    if (loss.error) theft.append(el('p', `Line loss: ${loss.error.message}`, { class: 'error' }));
    const t = loss.value?.theftSuspicion;
    if (t) {
      theft.append(el('h3', `Theft suspicion: high loss from ${t.firstHighDay}, confirmed ${t.confirmedDay} (recent ${pct(t.recentLossRate)} against baseline ${pct(t.baselineLossRate)})`, { 'data-field': 'theftConfirmedDay', 'data-value': t.confirmedDay }));
      const list = el('ul', null, { id: 'suspects' });
      for (const s of t.suspects) {
        list.append(el('li', `${s.meter}: ${num(s.baselineKwhPerDay, 2)} → ${num(s.recentKwhPerDay, 2)} kWh/day (−${pct(s.dropShare)})`, { 'data-meter': s.meter }));
      }
      theft.append(list);
    }
  }

  function selectArea(area) {
    state.area = area;
    for (const row of document.querySelectorAll('#tree tr[data-area]')) row.classList.toggle('selected', row.dataset.area === area);
    renderArea(area, $('day').value, $('lossDay').value).then(() => panelError('panel-load', null), (e) => panelError('panel-load', e));
  }

  // ---- Alarms that are not closed (Open and Acknowledged), with acknowledge and close ----
  async function listAlarms(status) {
    const items = [];
    let token = null;
    do {
      const page = await api(`alarms?status=${status}&pageSize=500${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`);
      items.push(...page.items);
      token = page.continuationToken;
    } while (token && items.length < 2000);
    return items;
  }

  async function renderAlarms() {
    const alarms = [...await listAlarms('Open'), ...await listAlarms('Acknowledged')]
      .sort((a, b) => (a.openedAt < b.openedAt ? 1 : -1));
    const body = $('alarmTable').querySelector('tbody');
    body.replaceChildren();
    if (alarms.length === 0) body.append(el('tr').appendChild(el('td', 'No open alarms.', { colspan: 9 })).parentNode);
    for (const a of alarms) {
      const tr = el('tr', null, { 'data-alarm-id': a.id, class: `severity-${a.severity.toLowerCase()}` });
      tr.append(cell('openedAt', a.openedAt, new Date(a.openedAt).toLocaleString()), cell('area', a.area), cell('condition', a.condition), cell('subject', a.subject),
        cell('severity', a.severity), cell('department', a.department),
        cell('state', a.state, a.state + (a.acknowledgedBy ? ` by ${a.acknowledgedBy}` : '')), cell('detail', a.detail, a.detail || ''));
      const actions = el('td');
      if (a.state === 'Open') {
        const ack = el('button', 'Acknowledge', { type: 'button', class: 'ack' });
        ack.addEventListener('click', () => alarmAction(a.id, 'acknowledge', { who: $('operator').value.trim() || 'operator' }, tr));
        actions.append(ack);
      }
      const close = el('button', 'Close', { type: 'button', class: 'close' });
      close.addEventListener('click', () => alarmAction(a.id, 'close', undefined, tr));
      actions.append(close);
      tr.append(actions);
      body.append(tr);
    }
  }

  async function alarmAction(id, action, body, row) {
    for (const b of row.querySelectorAll('button')) b.disabled = true;
    try {
      const updated = await api(`alarms/${encodeURIComponent(id)}/${action}`, { method: 'POST', body: body ?? {} });
      setStatus(`Alarm ${id}: ${updated.state}.`);
      await renderAlarms();
      panelError('panel-alarms', null);
    } catch (e) {
      panelError('panel-alarms', e);
      for (const b of row.querySelectorAll('button')) b.disabled = false;
    }
  }

  // ---- Read success rate and VEE shares per area ----
  async function renderReads(areas, day) {
    const rows = await mapLimited(areas, async (area) => {
      const [rate, vee] = await Promise.all([
        settle(api(`areas/${encodeURIComponent(area)}/read-success-rate?day=${day}`)),
        settle(api(`areas/${encodeURIComponent(area)}/vee-statistics?day=${day}`)),
      ]);
      return { area, rate, vee };
    });
    const body = $('readTable').querySelector('tbody');
    body.replaceChildren();
    for (const { area, rate, vee } of rows) {
      const r = rate.value, v = vee.value;
      const tr = el('tr', null, { 'data-area': area });
      tr.append(el('td', area), cell('expected', r?.expected), cell('succeeded', r?.succeeded),
        cell('rate', r?.rate, r ? pct(r.rate) : `– (${rate.error.message})`),
        cell('estimatedShare', v?.estimatedShare, v ? pct(v.estimatedShare) : `– (${vee.error.message})`),
        cell('suspectShare', v?.suspectShare, pct(v?.suspectShare)), cell('rejectedShare', v?.rejectedShare, pct(v?.rejectedShare)),
        cell('missing', v?.missing));
      const low = r && r.expected > 0 && r.rate < 0.98;
      if (low) tr.className = 'warn';
      body.append(tr);
    }
  }

  // ---- Billing: each group's latest cycle (the one billing its current period if it has started, else the previous one) ----
  const cycleId = (group, periodStart) => `billing-${group}-${periodStart.replaceAll('-', '')}`;
  const previousPeriodStart = (start) => { const d = new Date(`${start}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() - 1); return d.toISOString().slice(0, 10); };

  async function renderBilling() {
    const groups = (await api('billing-groups')).items;
    const found = await mapLimited(groups, async (g) => {
      for (const start of [g.currentPeriodStart, previousPeriodStart(g.currentPeriodStart)]) {
        const id = cycleId(g.code, start);
        const cycle = await settle(api(`billing/cycles/${id}`));
        if (cycle.value) return { group: g, id, cycle: cycle.value };
        if (cycle.error.status !== 404) return { group: g, id, error: cycle.error };
      }
      return { group: g, id: null };
    });
    const cycles = $('cycleTable').querySelector('tbody');
    const held = $('heldTable').querySelector('tbody');
    cycles.replaceChildren();
    held.replaceChildren();
    for (const f of found) {
      const c = f.cycle;
      const tr = el('tr', null, { 'data-group': f.group.code, 'data-cycle': f.id || '' });
      tr.append(el('td', `${f.group.code} ${f.group.name}`), cell('cycle', f.id, f.id || 'no cycle run yet'),
        cell('phase', c?.phase, c ? `${c.phase} (${c.status})` : (f.error ? `– (${f.error.message})` : '–')),
        cell('accounts', c?.accounts), cell('issued', c?.issued), cell('held', c?.held), cell('cancelled', c?.cancelled), cell('failed', c?.failed), cell('remaining', c?.remaining));
      cycles.append(tr);
      if (c && c.held > 0) {
        const list = await settle(api(`billing/cycles/${f.id}/bills?status=Held`));
        for (const b of list.value?.bills || []) {
          const row = el('tr', null, { 'data-bill': b.billId });
          row.append(cell('billId', b.billId), cell('accountNo', b.accountNo), cell('cycle', f.id), cell('total', b.totalFen, b.total),
            cell('reasons', (b.reasons || []).map((x) => x.code).join(','), (b.reasons || []).map((x) => x.message).join('; ')));
          held.append(row);
        }
        if (list.error) held.append(el('tr', `Held bills of ${f.id}: ${list.error.message}`, { class: 'error' }));
      }
    }
  }

  // ---- Reconciliation: every channel day of the last RECON_DAYS days, and one day's open differences ----
  const RECON_DAYS = 7;

  // Integer fen as yuan text, from the digits alone (no floating-point money): 1234567 → "12,345.67", -5 → "-0.05".
  function yuan(fen) {
    if (fen === undefined || fen === null) return '–';
    const digits = String(fen).replace('-', '').padStart(3, '0');
    const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return `${String(fen).startsWith('-') ? '-' : ''}${whole}.${digits.slice(-2)}`;
  }

  function moneyCell(field, fen) {
    const td = cell(field, fen, yuan(fen));
    td.classList.add('money');
    return td;
  }

  async function renderReconciliation(day) {
    const from = addDays(day, -(RECON_DAYS - 1));
    $('reconRange').textContent = `· ${from} to ${day}`;
    const summary = await api(`reconciliation/summary?from=${from}&to=${day}`);
    const totals = $('reconTotals');
    totals.replaceChildren();
    for (const [label, field, value, text] of [
      ['Matched', 'matchedFen', summary.matchedFen, `¥${yuan(summary.matchedFen)}`],
      ['Bank-long', 'bankLongFen', summary.bankLongFen, `¥${yuan(summary.bankLongFen)}`],
      ['Bank-short', 'bankShortFen', summary.bankShortFen, `¥${yuan(summary.bankShortFen)}`],
      ['Open differences', 'open', summary.open, summary.open],
      ['Days reconciled / not yet', 'daysReconciled', summary.daysReconciled, `${summary.daysReconciled} / ${summary.daysOpen}`],
    ]) {
      totals.append(el('span', `${label}: ${text}`, { 'data-field': field, 'data-value': value ?? '' }));
    }

    const body = $('reconTable').querySelector('tbody');
    body.replaceChildren();
    if (summary.days.length === 0) body.append(el('tr').appendChild(el('td', 'No bank file has arrived for these days.', { colspan: 11 })).parentNode);
    const days = [...summary.days].sort((a, b) => (a.channelDate === b.channelDate ? a.channelId.localeCompare(b.channelId) : a.channelDate < b.channelDate ? 1 : -1));
    for (const d of days) {
      const tr = el('tr', null, { 'data-channel': d.channelId, 'data-day': d.channelDate, tabindex: '0', title: 'Show this day\'s open differences' });
      const status = cell('status', d.status);
      status.className = `recon-${d.status.toLowerCase()}`;
      tr.append(cell('channelDate', d.channelDate), cell('channelId', d.channelId), status,
        cell('matchedCount', d.matchedCount), moneyCell('matchedFen', d.matchedFen),
        cell('bankLongCount', d.bankLongCount), moneyCell('bankLongFen', d.bankLongFen),
        cell('bankShortCount', d.bankShortCount), moneyCell('bankShortFen', d.bankShortFen),
        cell('differences', d.differences), cell('open', d.open));
      if (d.open > 0) tr.classList.add('warn');
      const open = () => selectReconDay(d.channelId, d.channelDate);
      tr.addEventListener('click', open);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      body.append(tr);
    }

    const chosen = state.reconDay;
    if (chosen && !days.some((d) => d.channelId === chosen.channelId && d.channelDate === chosen.channelDate)) state.reconDay = null;
    markReconDay();
    if (state.reconDay) await renderReconDay(state.reconDay.channelId, state.reconDay.channelDate);
    else $('reconDay').replaceChildren();
  }

  function markReconDay() {
    const r = state.reconDay;
    for (const row of document.querySelectorAll('#reconTable tr[data-channel]')) {
      row.classList.toggle('selected', !!r && row.dataset.channel === r.channelId && row.dataset.day === r.channelDate);
    }
  }

  function selectReconDay(channelId, channelDate) {
    state.reconDay = { channelId, channelDate };
    markReconDay();
    renderReconDay(channelId, channelDate).then(() => panelError('panel-reconciliation', null), (e) => panelError('panel-reconciliation', e));
  }

  async function renderReconDay(channelId, channelDate) {
    const report = await api(`reconciliation/${encodeURIComponent(channelId)}/${channelDate}`);
    const root = $('reconDay');
    root.replaceChildren();
    root.dataset.channel = channelId;
    root.dataset.day = channelDate;
    const open = report.differences.filter((d) => d.open);
    root.append(el('h3', `${channelId} · ${channelDate}: ${open.length} open of ${report.differenceCount} differences (file version ${report.fileVersion}, ${report.format})`,
      { 'data-field': 'openCount', 'data-value': report.openCount }));
    if (open.length === 0) { root.append(el('p', 'No open difference.')); return; }
    const table = el('table', null, { id: 'reconDifferences' });
    table.append(headRow(['Item', 'Class', 'Bank ¥', 'Ours ¥', 'Account', 'Bank ref', 'Channel txn', 'Paid at']));
    const body = el('tbody');
    for (const d of open) {
      const bank = d.bank || {}, ours = d.journal || {};
      const paidAt = ours.paidAt ?? bank.paidAt;
      const tr = el('tr', null, { 'data-item': d.itemId });
      tr.append(cell('itemId', d.itemId), cell('class', d.class),
        moneyCell('bankAmountFen', bank.amountFen), moneyCell('journalAmountFen', ours.amountFen),
        cell('accountNo', ours.accountNo ?? bank.accountNo), cell('bankRef', bank.bankRef),
        cell('channelTxnId', ours.channelTxnId ?? bank.channelTxnId), cell('paidAt', paidAt, paidAt ? new Date(paidAt).toLocaleString() : '–'));
      body.append(tr);
    }
    table.append(body);
    root.append(table);
  }

  // ---- Customer segments: accounts per segment and service action, the load-shape clusters, a segment's members ----
  const MEMBERS_SHOWN = 10;

  async function renderSegments() {
    const overview = await api('segments');
    const summary = $('segmentSummary');
    summary.replaceChildren();
    summary.append(
      el('span', `Accounts classified: ${overview.accounts} in ${overview.areas} areas`, { 'data-field': 'accounts', 'data-value': overview.accounts }),
      el('span', `As of ${overview.oldestClassifiedOn ?? '–'}${overview.newestClassifiedOn && overview.newestClassifiedOn !== overview.oldestClassifiedOn ? ` to ${overview.newestClassifiedOn}` : ''}`,
        { 'data-field': 'newestClassifiedOn', 'data-value': overview.newestClassifiedOn ?? '' }));

    const body = $('segmentTable').querySelector('tbody');
    body.replaceChildren();
    if (overview.segments.length === 0) body.append(el('tr').appendChild(el('td', 'No classification has run yet (nightly, or POST segments/runs).', { colspan: 3 })).parentNode);
    for (const s of overview.segments) {
      const tr = el('tr', null, { 'data-segment': s.code, tabindex: '0', title: 'Show some of its accounts with their reasons' });
      tr.append(cell('dimension', s.dimension), cell('code', s.code), cell('accounts', s.accounts));
      const open = () => selectSegment(s.code);
      tr.addEventListener('click', open);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') open(); });
      body.append(tr);
    }

    const actions = $('actionTable').querySelector('tbody');
    actions.replaceChildren();
    for (const a of overview.actions) {
      const tr = el('tr', null, { 'data-action': a.action });
      tr.append(cell('action', a.action), cell('accounts', a.accounts));
      actions.append(tr);
    }

    for (const chart of state.charts.clusters || []) chart.destroy();
    state.charts.clusters = [];
    const clusters = $('clusters');
    clusters.replaceChildren();
    clusters.dataset.run = overview.clustersRun ?? '';
    const members = new Map(overview.segments.filter((s) => s.dimension === 'LoadShape').map((s) => [s.code, s.accounts]));
    for (const c of overview.clusters) {
      const box = el('div', null, { class: 'cluster', 'data-cluster': c.name });
      box.append(el('h4', `${c.name} · ${members.get(c.name) ?? 0} accounts`), el('p', c.description));
      const holder = el('div', null, { class: 'chart' });
      const canvas = el('canvas', null, { 'aria-label': `Centroid of ${c.name}` });
      holder.append(canvas);
      box.append(holder);
      clusters.append(box);
      state.charts.clusters.push(new Chart(canvas, {
        type: 'bar',
        data: { labels: Array.from({ length: 24 }, (_, h) => String(h)), datasets: [{ label: c.name, data: c.centroid, backgroundColor: '#1565c0' }] },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: (item) => pct(item.raw) } } },
          scales: { y: { beginAtZero: true, ticks: { callback: (v) => `${Math.round(v * 100)} %`, maxTicksLimit: 3 } }, x: { ticks: { maxTicksLimit: 7 } } },
        },
      }));
    }
    if (overview.clusters.length === 0) clusters.append(el('p', 'No load-shape clusters yet.'));

    if (state.segment && !overview.segments.some((s) => s.code === state.segment)) state.segment = null;
    if (state.segment) await renderSegmentMembers(state.segment);
  }

  function selectSegment(code) {
    state.segment = code;
    renderSegmentMembers(code).then(() => panelError('panel-segments', null), (e) => panelError('panel-segments', e));
  }

  async function renderSegmentMembers(code) {
    for (const row of document.querySelectorAll('#segmentTable tr[data-segment]')) row.classList.toggle('selected', row.dataset.segment === code);
    const page = await api(`segments/${encodeURIComponent(code)}/customers?pageSize=${MEMBERS_SHOWN}`);
    const accounts = await mapLimited(page.items, async (m) => ({ member: m, found: await settle(api(`customers/${encodeURIComponent(m.accountNo)}/segments`)) }));
    const root = $('segmentMembers');
    root.replaceChildren();
    root.dataset.segment = code;
    root.append(el('h3', `${code}: ${page.continuationToken ? `the first ${page.items.length}` : `all ${page.items.length}`} accounts, with the reasons and service actions`));
    const table = el('table', null, { id: 'memberTable' });
    table.append(headRow(['Account', 'Area', 'Classified on', 'Reasons', 'Service actions']));
    const body = el('tbody');
    for (const { member, found } of accounts) {
      const doc = found.value;
      const segment = doc?.segments.find((s) => s.code === code);
      const tr = el('tr', null, { 'data-account': member.accountNo });
      tr.append(cell('accountNo', member.accountNo), cell('area', member.area), cell('classifiedOn', member.classifiedOn),
        cell('reasons', segment ? segment.reasons.join(' | ') : '', doc ? (segment?.reasons || []).join('; ') : `– (${found.error.message})`),
        cell('actions', doc ? doc.actions.map((a) => a.action).join(',') : '', doc ? doc.actions.map((a) => `${a.action}: ${a.rule}`).join('; ') || 'none' : '–'));
      body.append(tr);
    }
    table.append(body);
    root.append(table);
  }

  // ---- Refresh and the key ----
  function setStatus(text) { $('status').textContent = text; }

  async function refresh() {
    if (!sessionStorage.getItem(KEY)) { askForKey(); return; }
    const day = $('day').value, lossDay = $('lossDay').value;
    document.body.dataset.loaded = 'false';
    setStatus('Loading…');
    const started = performance.now();
    let areas = [];
    const network = await settle(renderNetwork(day, lossDay));
    panelError('panel-network', network.error);
    if (network.error?.status === 401) return;
    areas = network.value || [];
    if (!state.area && areas.length) state.area = areas[0];
    const results = await Promise.all([
      settle(renderArea(state.area, day, lossDay)).then((r) => panelError('panel-load', r.error)),
      settle(renderAlarms()).then((r) => panelError('panel-alarms', r.error)),
      settle(renderReads(areas, day)).then((r) => panelError('panel-reads', r.error)),
      settle(renderBilling()).then((r) => panelError('panel-billing', r.error)),
      settle(renderReconciliation(day)).then((r) => panelError('panel-reconciliation', r.error)),
      settle(renderSegments()).then((r) => panelError('panel-segments', r.error)),
    ]);
    for (const row of document.querySelectorAll('#tree tr[data-area]')) row.classList.toggle('selected', row.dataset.area === state.area);
    state.refreshes++;
    document.body.dataset.refreshes = String(state.refreshes);
    document.body.dataset.loaded = 'true';
    setStatus(`Updated ${new Date().toLocaleTimeString()} in ${Math.round(performance.now() - started)} ms (${results.length + 1} panels).`);
  }

  function askForKey(message) {
    sessionStorage.removeItem(KEY);
    $('keyError').textContent = message || '';
    $('keyError').hidden = !message;
    if (!$('keyDialog').open) $('keyDialog').showModal();
  }

  $('keyForm').addEventListener('submit', () => {
    sessionStorage.setItem(KEY, $('keyInput').value.trim());
    $('keyInput').value = '';
    refresh();
  });
  $('signOut').addEventListener('click', () => askForKey());
  $('controls').addEventListener('submit', (e) => { e.preventDefault(); refresh(); });

  $('day').value = chinaDay(-1);
  $('lossDay').value = chinaDay(-1);
  const params = new URLSearchParams(location.search);
  if (params.get('day')) $('day').value = params.get('day');
  if (params.get('lossDay')) $('lossDay').value = params.get('lossDay');
  if (params.get('area')) state.area = params.get('area');
  if (params.get('segment')) state.segment = params.get('segment');
  refresh();
})();
