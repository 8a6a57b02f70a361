// The waiting-room screen follows the public display stream: a call appears within a second.
// EventSource reconnects by itself; while it does, the screen says so (and if the browser gives
// up, e.g. the server answered with an error, we start again). Without JavaScript the page
// still shows the state it was drawn with. Only tickets and counters ever arrive here.
(function () {
  'use strict';
  var board = document.getElementById('board');
  if (!board || !window.EventSource) return;
  var latest = document.getElementById('latest');
  var rows = document.getElementById('earlier-rows');
  var waiting = document.getElementById('waiting');
  var connection = document.getElementById('connection');
  var shown = latest.getAttribute('data-key') || '';

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
    if (key === shown) return; // unchanged: do not make screen readers announce it again
    shown = key;
    latest.setAttribute('data-key', key);
    latest.textContent = '';
    var line;
    if (first) {
      line = element('p', 'latest-ticket');
      line.appendChild(element('span', 'ticket', first.ticket));
      line.appendChild(document.createTextNode(' '));
      var arrow = element('span', 'arrow', '→');
      arrow.setAttribute('aria-hidden', 'true');
      line.appendChild(arrow);
      line.appendChild(document.createTextNode(' '));
      line.appendChild(bilingual('counter', counterText('zh', first.counter), counterText('en', first.counter)));
    } else {
      line = element('p', 'latest-none');
      line.appendChild(bilingual('', board.getAttribute('data-none-zh'), board.getAttribute('data-none-en')));
    }
    latest.appendChild(line);
    latest.classList.remove('fresh');
    void latest.offsetWidth; // restart the highlight animation
    latest.classList.add('fresh');
  }

  function render(state) {
    showLatest(state.nowServing[0]);
    rows.textContent = '';
    state.nowServing.slice(1).forEach(function (row) {
      var tr = element('tr');
      tr.appendChild(element('td', 'ticket', row.ticket));
      tr.appendChild(element('td', '', String(row.counter)));
      rows.appendChild(tr);
    });
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
