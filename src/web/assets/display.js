// The waiting-room screen follows the public display stream: a call appears within a second.
// EventSource reconnects by itself; while it does, the screen says so (and if the browser gives
// up, e.g. the server answered with an error, we start again). Without JavaScript the page
// still shows the state it was drawn with. Only tickets and counters ever arrive here.
(function () {
  'use strict';
  var board = document.getElementById('board');
  if (!board) return;
  var latest = document.getElementById('latest');
  var earlier = document.getElementById('earlier');
  var earlierList = document.getElementById('earlier-list');
  var grid = document.getElementById('counter-grid');
  var waiting = document.getElementById('waiting');
  var connection = document.getElementById('connection');
  var clock = document.getElementById('clock');
  var shown = latest.getAttribute('data-key') || '';

  // The clock shows the server's time in the center's zone: the screen's own clock may be off.
  var offset = Number(board.getAttribute('data-server-now')) - Date.now();
  var clockFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: board.getAttribute('data-timezone'), hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  function tick() {
    var now = new Date(Date.now() + offset);
    clock.textContent = clockFormat.format(now);
    clock.setAttribute('datetime', now.toISOString());
  }
  tick();
  setInterval(tick, 10000);

  if (!window.EventSource) return;

  function element(tag, className, content, lang) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (lang) el.setAttribute('lang', lang);
    if (content !== undefined) el.textContent = content;
    return el;
  }

  function bilingual(className, zh, en) {
    var wrapper = element('span', className, zh + ' ');
    wrapper.appendChild(element('span', '', en, 'en'));
    return wrapper;
  }

  function counterText(lang, counter) {
    return board.getAttribute('data-counter-' + lang).replace('{counter}', String(counter));
  }

  function showLatest(first) {
    var key = first ? first.ticket + '@' + first.counter : '';
    if (key === shown) return false; // unchanged: do not make screen readers announce it again
    shown = key;
    latest.setAttribute('data-key', key);
    latest.textContent = '';
    var line;
    if (first) {
      line = ticketTo(element('p', 'latest-ticket'), first.ticket);
      line.appendChild(bilingual('counter', counterText('zh', first.counter), counterText('en', first.counter)));
    } else {
      line = element('p', 'latest-none');
      line.appendChild(bilingual('', board.getAttribute('data-none-zh'), board.getAttribute('data-none-en')));
    }
    latest.appendChild(line);
    latest.classList.remove('fresh');
    void latest.offsetWidth; // restart the highlight animation
    latest.classList.add('fresh');
    return true;
  }

  /** "A-001 → " into `parent`, the arrow hidden from screen readers; the counter follows. */
  function ticketTo(parent, ticket) {
    parent.appendChild(element('span', 'ticket', ticket));
    parent.appendChild(document.createTextNode(' '));
    var arrow = element('span', 'arrow', '→');
    arrow.setAttribute('aria-hidden', 'true');
    parent.appendChild(arrow);
    parent.appendChild(document.createTextNode(' '));
    return parent;
  }

  function renderEarlier(rows) {
    earlierList.textContent = '';
    rows.forEach(function (row) {
      var li = ticketTo(element('li'), row.ticket);
      li.appendChild(element('span', 'counter-number', counterText('zh', row.counter)));
      earlierList.appendChild(li);
    });
    earlier.hidden = rows.length === 0;
  }

  function renderCounters(counters, first) {
    grid.textContent = '';
    grid.style.setProperty('--counters', String(counters.length));
    grid.closest('section').hidden = counters.length === 0;
    counters.forEach(function (c) {
      var li = element('li');
      li.setAttribute('data-counter', String(c.counter));
      if (first && first.counter === c.counter) li.className = 'fresh';
      li.appendChild(bilingual('counter-name', counterText('zh', c.counter), counterText('en', c.counter)));
      li.appendChild(document.createTextNode(' '));
      li.appendChild(element('span', 'ticket', c.ticket || '—'));
      grid.appendChild(li);
    });
  }

  function render(state) {
    var first = state.nowServing[0];
    var changed = showLatest(first);
    renderEarlier(state.nowServing.slice(1));
    renderCounters(state.counters || [], changed ? first : undefined);
    waiting.textContent = String(state.waiting);
  }

  function setConnection(state) {
    board.setAttribute('data-connection', state);
    connection.hidden = state === 'live';
  }

  function connect() {
    var source = new EventSource(board.getAttribute('data-events'));
    source.addEventListener('state', function (event) {
      var state;
      try {
        state = JSON.parse(event.data);
      } catch {
        return; // not a state: wait for the next one
      }
      setConnection('live');
      render(state);
    });
    source.addEventListener('open', function () {
      setConnection('live');
    });
    source.addEventListener('error', function () {
      setConnection('reconnecting');
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
    });
  }

  connect();
})();
