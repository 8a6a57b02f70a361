// Keeps the clerk's queue current. The center's display stream says when the waiting room
// changed (and beats every few seconds); the page then asks whether the queue changed and, only
// if so, fetches the queue page and swaps the table in. Without JavaScript the Refresh button
// does the same.
(function () {
  'use strict';
  var region = document.getElementById('queue-region');
  var status = document.getElementById('live-status');
  if (!region || !status || !window.EventSource || !window.fetch || !window.DOMParser) return;
  var checking = false;
  var pending = false;

  function say(key, time) {
    status.textContent = status.getAttribute('data-' + key).replace('{time}', time || '');
  }

  function signedOut(response) {
    return response.redirected || response.url.indexOf('/staff/sign-in') >= 0;
  }

  function swap(html) {
    var fresh = new window.DOMParser().parseFromString(html, 'text/html');
    var freshRegion = fresh.getElementById('queue-region');
    if (!freshRegion) return;
    var active = document.activeElement;
    var focusedHref = active && region.contains(active) ? active.getAttribute('href') : null;
    region.innerHTML = freshRegion.innerHTML;
    region.setAttribute('data-version', freshRegion.getAttribute('data-version'));
    var waiting = document.getElementById('waiting-count');
    var freshWaiting = fresh.getElementById('waiting-count');
    if (waiting && freshWaiting) waiting.textContent = freshWaiting.textContent;
    if (focusedHref) {
      var same = region.querySelector('a[href="' + focusedHref + '"]');
      if (same) same.focus();
    }
    say('updated', new Date().toLocaleTimeString(document.documentElement.lang));
  }

  function check() {
    if (checking) {
      pending = true;
      return;
    }
    checking = true;
    fetch(region.getAttribute('data-version-url'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (signedOut(response)) return window.location.reload();
        if (!response.ok) return undefined;
        return response.json().then(function (body) {
          if (body.version === region.getAttribute('data-version')) return undefined;
          return fetch('/staff', { credentials: 'same-origin' }).then(function (page) {
            if (signedOut(page)) return window.location.reload();
            return page.ok ? page.text().then(swap) : undefined;
          });
        });
      })
      .catch(function () {
        say('reconnecting');
      })
      .then(function () {
        checking = false;
        if (pending) {
          pending = false;
          check();
        }
      });
  }

  function connect() {
    var source = new EventSource(region.getAttribute('data-events'));
    source.addEventListener('state', function () {
      check();
    });
    source.addEventListener('open', function () {
      say('live');
    });
    source.addEventListener('error', function () {
      say('reconnecting');
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
    });
  }

  connect();
})();
