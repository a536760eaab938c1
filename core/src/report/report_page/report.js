// seam's HTML report: builds the page from the run embedded as JSON in
// #seam-data. Only what is shown is built: lists grow in chunks as they are
// scrolled to, and a suite's, test's or step's details are built when it is
// opened, so that a run of ten thousand tests loads as fast as a small one.
// Every text from the run goes in through textContent, never as HTML.
(function () {
  'use strict';

  var SUITE_CHUNK = 20; // suites built at a time
  var TEST_CHUNK = 25; // test rows of a suite built at a time
  var FAILURE_CHUNK = 20; // failure cards built at a time
  var OPEN_ALL_UNDER = 200; // runs with fewer tests open every suite at first
  var JSON_SHOWN = 200000; // characters of a value shown before "show all"

  var data = JSON.parse(document.getElementById('seam-data').textContent);
  var state = { filter: 'all', words: [], query: '' };
  var observer = 'IntersectionObserver' in window ? new IntersectionObserver(onVisible, { rootMargin: '400px' }) : null;

  // ---- small helpers --------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function byId(id) { return document.getElementById(id); }

  function fmtMs(ms) {
    if (!(ms > 0)) return '0 ms';
    if (ms < 1) return '<1 ms';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(2) + ' s';
    var s = Math.round(ms / 1000);
    return Math.floor(s / 60) + ' m ' + (s % 60) + ' s';
  }

  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }

  function badge(status) { return el('span', 'badge ' + status, status); }

  // A bar placed on a track that spans [origin, origin + span] milliseconds.
  function track(start, duration, origin, span, status, ran) {
    var t = el('div', 'track');
    if (!ran || !(span > 0)) return t;
    var b = el('div', 'bar ' + status);
    var left = Math.max(0, Math.min(100, (start - origin) / span * 100));
    b.style.left = left + '%';
    b.style.width = Math.max(0.2, Math.min(100 - left, duration / span * 100)) + '%';
    b.title = fmtMs(duration) + ', from +' + fmtMs(start - origin);
    t.appendChild(b);
    return t;
  }

  // A row that opens and closes the element below it; `build` fills the
  // body the first time it opens.
  function expandable(cls, status, head, build, open) {
    var box = el('div', cls);
    box.setAttribute('data-status', status);
    head.className = 'head';
    head.tabIndex = 0;
    head.setAttribute('role', 'button');
    box.appendChild(head);
    var body = null;
    function toggle() {
      var opening = !box.classList.contains('open');
      if (opening && !body) {
        body = el('div', 'body');
        build(body);
        box.appendChild(body);
      }
      if (body) body.hidden = !opening;
      box.classList.toggle('open', opening);
      head.setAttribute('aria-expanded', opening ? 'true' : 'false');
    }
    head.addEventListener('click', function (ev) {
      if (window.getSelection && String(window.getSelection()).length > 0) return; // selecting text
      if (ev.target.closest('a, button, summary')) return;
      toggle();
    });
    head.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(); }
    });
    head.setAttribute('aria-expanded', 'false');
    if (open) toggle();
    return box;
  }

  // Appends items[i] as built by make(item), `size` at a time: the next
  // chunk comes when the "show more" button is clicked or scrolled near.
  function chunked(container, items, size, make, what) {
    var pos = 0;
    function more() {
      var end = Math.min(items.length, pos + size);
      var frag = document.createDocumentFragment();
      for (; pos < end; pos++) frag.appendChild(make(items[pos]));
      container.appendChild(frag);
      if (pos >= items.length) return;
      var left = items.length - pos;
      var btn = el('button', 'more', 'Show ' + Math.min(size, left) + ' more ' + what + ' (' + left + ' left)');
      btn.type = 'button';
      btn._more = function () {
        if (observer) observer.unobserve(btn);
        btn.remove();
        more();
      };
      btn.addEventListener('click', btn._more);
      container.appendChild(btn);
      if (observer) observer.observe(btn);
    }
    more();
  }

  function onVisible(entries) {
    entries.forEach(function (e) { if (e.isIntersecting && e.target._more) e.target._more(); });
  }

  // Pretty-printed JSON, cut at JSON_SHOWN characters with a way to see all.
  function jsonBlock(value) {
    var text = JSON.stringify(value, null, 2);
    if (text === undefined) text = String(value);
    var pre = el('pre', 'json');
    if (text.length <= JSON_SHOWN) {
      pre.textContent = text;
      return pre;
    }
    pre.textContent = text.slice(0, JSON_SHOWN);
    var wrap = el('div');
    var btn = el('button', 'more', 'Show all ' + text.length + ' characters');
    btn.type = 'button';
    btn.addEventListener('click', function () { pre.textContent = text; btn.remove(); });
    wrap.appendChild(pre);
    wrap.appendChild(btn);
    return wrap;
  }

  // A collapsed block whose content is built when it is opened.
  function lazyDetails(label, build, open) {
    var d = el('details', 'io');
    d.appendChild(el('summary', null, label));
    var built = false;
    function fill() {
      if (built || !d.open) return;
      built = true;
      d.appendChild(build());
    }
    d.addEventListener('toggle', fill);
    if (open) { d.open = true; fill(); }
    return d;
  }

  // Text fields named like bodies that hold JSON, found anywhere in a value:
  // request and response bodies, shown parsed and pretty-printed.
  function jsonBodies(value, path, out) {
    if (out.length >= 10 || value === null || typeof value !== 'object') return out;
    Object.keys(value).forEach(function (k) {
      var v = value[k], p = path + (Array.isArray(value) ? '[' + k + ']' : '.' + k);
      if (typeof v === 'string' && /body|payload|content|response|request/i.test(k)) {
        var s = v.trim();
        if ((s[0] === '{' || s[0] === '[') && s.length > 1) {
          try { out.push({ path: p, value: JSON.parse(s) }); } catch (e) { /* not JSON: shown as text */ }
        }
      } else if (v && typeof v === 'object') {
        jsonBodies(v, p, out);
      }
    });
    return out;
  }

  // ---- the model ------------------------------------------------------------

  var suites = (data && data.suites) || [];
  var allTests = [];
  var counts = { passed: 0, failed: 0, skipped: 0 };
  suites.forEach(function (s, si) {
    s.index = si;
    s.tests = s.tests || [];
    s.setup = s.setup || [];
    s.teardown = s.teardown || [];
    s.tests.forEach(function (t) {
      t.suite = s;
      allTests.push(t);
      if (counts[t.status] !== undefined) counts[t.status]++;
    });
    // The steps that opened its resources carry the resources' logs.
    s.resourceSteps = s.setup.filter(function (st) { return /^open resource /.test(st.name); });
    s.setupSteps = s.setup.filter(function (st) { return !/^open resource /.test(st.name); });
    s.failedSteps = s.setup.concat(s.teardown).filter(function (st) { return st.status === 'failed'; });
    s.hasError = s.status === 'failed' && !!s.message;
  });
  var runMs = (data && data.duration_ms) || 0;

  function searchText(t) {
    if (t.text === undefined) {
      var parts = [t.name, t.suite.name, t.suite.file, t.message || '', t.location, (t.tags || []).join(' ')];
      (t.steps || []).concat(t.cleanup || []).forEach(function (st) {
        parts.push(st.name, st.use, st.error || '');
      });
      t.text = parts.join('\n').toLowerCase();
    }
    return t.text;
  }

  function suiteText(s) {
    if (s.text === undefined) {
      var parts = [s.name, s.file, s.message || ''];
      s.setup.concat(s.teardown).forEach(function (st) { parts.push(st.name, st.use, st.error || ''); });
      s.text = parts.join('\n').toLowerCase();
    }
    return s.text;
  }

  function hasWords(text) {
    for (var i = 0; i < state.words.length; i++) if (text.indexOf(state.words[i]) < 0) return false;
    return true;
  }

  function testMatches(t) {
    return (state.filter === 'all' || t.status === state.filter) && hasWords(searchText(t));
  }

  // A suite error (resources, setup, teardown) counts as a failure.
  function suiteErrorMatches(s) {
    return s.hasError && (state.filter === 'all' || state.filter === 'failed') && hasWords(suiteText(s));
  }

  function failuresFirst(list) {
    return list.map(function (x, i) { return [x, i]; })
      .sort(function (a, b) { return (a[0].status === 'failed' ? 0 : 1) - (b[0].status === 'failed' ? 0 : 1) || a[1] - b[1]; })
      .map(function (p) { return p[0]; });
  }

  // ---- steps ----------------------------------------------------------------

  function logList(logs) {
    var ul = el('ul', 'logs');
    logs.forEach(function (l) {
      var li = el('li', l.level);
      li.appendChild(el('span', 'level', l.level));
      li.appendChild(document.createTextNode(l.message));
      ul.appendChild(li);
    });
    return ul;
  }

  function compare(st) {
    var box = el('div', 'compare');
    var e = el('div', 'expected');
    e.appendChild(el('h4', null, 'Expected'));
    e.appendChild(jsonBlock(st.expected));
    var a = el('div', 'actual');
    a.appendChild(el('h4', null, 'Actual'));
    a.appendChild(jsonBlock(st.actual));
    box.appendChild(e);
    box.appendChild(a);
    return box;
  }

  function stepDetail(body, st) {
    body.appendChild(el('div', 'where', (st.phase !== 'test' ? st.phase + ' step at ' : 'at ') + st.location +
      (st.attempts > 1 ? ', ' + st.attempts + ' attempts' : '')));
    if (st.error) body.appendChild(el('div', 'message' + (st.status === 'skipped' ? ' skip' : ''), st.error));
    if (st.failed_path) {
      body.appendChild(el('div', 'where', 'at path ' + st.failed_path));
      if ('expected' in st || 'actual' in st) body.appendChild(compare(st));
    }
    if (st.logs && st.logs.length) body.appendChild(logList(st.logs));
    body.appendChild(lazyDetails('input', function () { return jsonBlock(st.input); }));
    body.appendChild(lazyDetails('output', function () { return jsonBlock(st.output); }));
    jsonBodies(st.input, 'input', []).concat(jsonBodies(st.output, 'output', [])).forEach(function (b) {
      body.appendChild(lazyDetails(b.path + ' (JSON)', function () { return jsonBlock(b.value); }));
    });
  }

  function stepRow(st, origin, span, open) {
    var head = el('div');
    head.appendChild(badge(st.status));
    var name = el('span', 'name', st.name);
    name.appendChild(el('span', 'use', st.use));
    head.appendChild(name);
    head.appendChild(el('span', 'dur', fmtMs(st.duration_ms)));
    head.appendChild(track(st.start_ms, st.duration_ms, origin, span, st.status, true));
    return expandable('step', st.status, head, function (body) { stepDetail(body, st); }, open);
  }

  function stepList(container, steps, origin, span) {
    steps.forEach(function (st) { container.appendChild(stepRow(st, origin, span, st.status === 'failed')); });
  }

  // ---- tests ----------------------------------------------------------------

  function ran(t) { return t.duration_ms > 0 || (t.steps && t.steps.length > 0); }

  function testDetail(body, t) {
    body.appendChild(el('div', 'where', 'at ' + t.location + (t.id ? ', id ' + t.id : '')));
    if (t.message) body.appendChild(el('div', 'message' + (t.status === 'skipped' ? ' skip' : ''), t.message));
    var span = Math.max(t.duration_ms, 0.001);
    if (t.steps && t.steps.length) {
      body.appendChild(el('h3', null, 'Steps'));
      stepList(body, t.steps, t.start_ms, span);
    }
    if (t.cleanup && t.cleanup.length) {
      body.appendChild(el('h3', null, 'Cleanup'));
      stepList(body, t.cleanup, t.start_ms, span);
    }
  }

  function testRow(t) {
    var s = t.suite;
    var head = el('div');
    head.appendChild(badge(t.status));
    var name = el('span', 'name', t.name);
    (t.tags || []).forEach(function (tag) { name.appendChild(el('span', 'tag', tag)); });
    head.appendChild(name);
    head.appendChild(el('span', 'dur', t.status === 'skipped' && !ran(t) ? 'not run' : fmtMs(t.duration_ms)));
    head.appendChild(track(t.start_ms, t.duration_ms, s.start_ms, s.duration_ms, t.status, ran(t)));
    var row = expandable('test', t.status, head, function (body) { testDetail(body, t); }, false);
    row.setAttribute('data-name', t.name);
    return row;
  }

  // ---- suites ---------------------------------------------------------------

  function suiteBody(body, s, tests) {
    if (s.message) body.appendChild(el('div', 'message' + (s.status === 'skipped' ? ' skip' : ''), s.message));
    body.appendChild(el('div', 'where', s.file + (s.started_at ? ', started ' + s.started_at : '')));
    var span = Math.max(s.duration_ms, 0.001);
    if (s.resourceSteps.length) {
      body.appendChild(el('h3', null, 'Resources'));
      stepList(body, s.resourceSteps, s.start_ms, span);
    }
    if (s.setupSteps.length) {
      body.appendChild(el('h3', null, 'Setup'));
      stepList(body, s.setupSteps, s.start_ms, span);
    }
    var filtered = tests.length !== s.tests.length;
    body.appendChild(el('h3', null, 'Tests' + (filtered ? ' (' + tests.length + ' of ' + s.tests.length + ' shown)' : '')));
    var list = el('div', 'tests');
    body.appendChild(list);
    if (!tests.length) list.appendChild(el('div', 'empty', 'No test of this suite matches.'));
    chunked(list, failuresFirst(tests), TEST_CHUNK, testRow, 'tests');
    if (s.teardown.length) {
      body.appendChild(el('h3', null, 'Teardown'));
      stepList(body, s.teardown, s.start_ms, span);
    }
  }

  function suiteCard(item) {
    var s = item.suite;
    var head = el('div');
    head.appendChild(badge(s.status || 'passed'));
    var name = el('span', 'name', s.name);
    var sum = s.summary || {};
    name.appendChild(el('span', 'sub', (sum.passed || 0) + ' passed, ' + (sum.failed || 0) + ' failed, ' +
      (sum.skipped || 0) + ' skipped'));
    head.appendChild(name);
    head.appendChild(el('span', 'dur', fmtMs(s.duration_ms)));
    head.appendChild(track(s.start_ms, s.duration_ms, 0, runMs, s.status, true));
    var card = expandable('suite', s.status || 'passed', head, function (body) { suiteBody(body, s, item.tests); }, item.open);
    card.setAttribute('data-file', s.file);
    return card;
  }

  // ---- failures -------------------------------------------------------------

  function firstFailedStep(t) {
    var steps = (t.steps || []).concat(t.cleanup || []);
    for (var i = 0; i < steps.length; i++) if (steps[i].status === 'failed') return steps[i];
    return null;
  }

  function failureCard(item) {
    var card = el('div', 'failure');
    var title = el('div', 'title-line');
    if (item.test) {
      var t = item.test;
      card.setAttribute('data-name', t.name);
      title.appendChild(el('span', 'suite-name', t.suite.name + ' \u203a '));
      title.appendChild(el('span', 'test-name', t.name));
      card.appendChild(title);
      card.appendChild(el('div', 'where', 'test at ' + t.location));
      var st = firstFailedStep(t);
      if (st) {
        card.appendChild(el('div', 'where', (st.phase === 'cleanup' ? 'cleanup step \u2018' : 'step \u2018') +
          st.name + '\u2019 [' + st.use + '] at ' + st.location));
        card.appendChild(el('div', 'message', st.error || t.message || ''));
        if (st.failed_path) {
          card.appendChild(el('div', 'where', 'at path ' + st.failed_path));
          if ('expected' in st || 'actual' in st) card.appendChild(compare(st));
        }
        if (st.logs && st.logs.length) card.appendChild(logList(st.logs));
      } else if (t.message) {
        card.appendChild(el('div', 'message', t.message));
      }
      card.appendChild(lazyDetails('all steps', function () {
        var box = el('div');
        testDetail(box, t);
        return box;
      }));
    } else {
      var s = item.suite;
      card.setAttribute('data-suite', s.name);
      title.appendChild(el('span', 'suite-name', 'suite error \u203a '));
      title.appendChild(el('span', 'test-name', s.name));
      card.appendChild(title);
      card.appendChild(el('div', 'message', s.message));
      s.failedSteps.forEach(function (st) {
        card.appendChild(el('div', 'where', st.phase + ' step \u2018' + st.name + '\u2019 [' + st.use + '] at ' + st.location));
        if (st.logs && st.logs.length) card.appendChild(logList(st.logs));
      });
    }
    return card;
  }

  // ---- the page -------------------------------------------------------------

  function renderSummary() {
    byId('count-total').textContent = allTests.length;
    byId('count-passed').textContent = counts.passed;
    byId('count-failed').textContent = counts.failed;
    byId('count-skipped').textContent = counts.skipped;
    var errors = (data && data.summary && data.summary.suite_errors) || 0;
    byId('count-suite-errors').textContent = errors;
    byId('suite-errors-box').hidden = errors === 0;
    var meta = [];
    if (data) {
      meta.push('started ' + data.started_at, 'took ' + fmtMs(data.duration_ms), plural(suites.length, 'suite'),
        'run ' + data.run_id, 'seam ' + data.seam_version);
      if (data.interrupted) meta.unshift('INTERRUPTED');
    } else {
      meta.push('no run data in this page');
    }
    byId('run-meta').textContent = meta.join(' \u00b7 ');
    document.title = 'seam report: ' + counts.failed + ' failed, ' + counts.passed + ' passed';
  }

  function render() {
    var fl = byId('failure-list'), sl = byId('suite-list');
    fl.textContent = '';
    sl.textContent = '';
    if (observer) observer.disconnect();

    var failures = [];
    if (state.filter === 'all' || state.filter === 'failed') {
      suites.forEach(function (s) { if (suiteErrorMatches(s)) failures.push({ suite: s }); });
      allTests.forEach(function (t) { if (t.status === 'failed' && testMatches(t)) failures.push({ test: t }); });
    }
    byId('failures').hidden = failures.length === 0;
    chunked(fl, failures, FAILURE_CHUNK, failureCard, 'failures');

    var narrowed = state.filter !== 'all' || state.words.length > 0;
    var items = [], shown = 0;
    suites.forEach(function (s) {
      var tests = s.tests.filter(testMatches);
      shown += tests.length;
      if (tests.length || suiteErrorMatches(s) || (!narrowed && !s.tests.length)) {
        items.push({ suite: s, tests: tests, open: narrowed || s.status === 'failed' || allTests.length < OPEN_ALL_UNDER });
      }
    });
    items = failuresFirst(items.map(function (it) { it.status = it.suite.status; return it; }));
    if (!items.length) sl.appendChild(el('div', 'empty', 'No test matches.'));
    chunked(sl, items, SUITE_CHUNK, suiteCard, 'suites');

    byId('shown').textContent = narrowed ? shown + ' of ' + allTests.length + ' tests match' : '';
    byId('shown').setAttribute('data-count', shown);
    ['all', 'passed', 'failed', 'skipped'].forEach(function (f) {
      byId('filter-' + f).setAttribute('aria-pressed', state.filter === f ? 'true' : 'false');
    });
  }

  // The filter and the search live in the URL's fragment (#filter=failed&q=db),
  // so that a link or a reload shows the same view.
  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ''));
    var f = params.get('filter');
    state.filter = f === 'passed' || f === 'failed' || f === 'skipped' ? f : 'all';
    state.query = params.get('q') || '';
    state.words = state.query.toLowerCase().split(/\s+/).filter(Boolean);
    var input = byId('search');
    if (input.value !== state.query) input.value = state.query;
  }

  function writeHash() {
    var params = new URLSearchParams();
    if (state.filter !== 'all') params.set('filter', state.filter);
    if (state.query) params.set('q', state.query);
    var h = params.toString();
    history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
  }

  document.querySelectorAll('.filter').forEach(function (b) {
    b.addEventListener('click', function () {
      var f = b.getAttribute('data-filter');
      state.filter = state.filter === f ? 'all' : f;
      writeHash();
      render();
    });
  });
  var typing = null;
  byId('search').addEventListener('input', function () {
    clearTimeout(typing);
    typing = setTimeout(function () {
      state.query = byId('search').value.trim();
      state.words = state.query.toLowerCase().split(/\s+/).filter(Boolean);
      writeHash();
      render();
    }, 150);
  });
  window.addEventListener('hashchange', function () { readHash(); render(); });

  readHash();
  renderSummary();
  render();
  var ms = performance.now();
  byId('render-ms').textContent = ms.toFixed(0);
  document.body.setAttribute('data-render-ms', ms.toFixed(1));
  document.body.setAttribute('data-ready', 'true');
})();
