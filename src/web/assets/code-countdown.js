// Progressive enhancement for the code page: a live expiry countdown and a resend button
// that waits out the cooldown. Without JavaScript the page works the same, just static.
(function () {
  'use strict';
  var resend = document.querySelector('[data-resend-after]');
  if (resend) {
    var label = resend.textContent;
    var until = Date.parse(resend.getAttribute('data-resend-after'));
    var waitText = resend.getAttribute('data-wait-text') || '{s}';
    var tick = function () {
      var left = Math.ceil((until - Date.now()) / 1000);
      if (left > 0) {
        resend.disabled = true;
        resend.textContent = waitText.replace('{s}', String(left));
        setTimeout(tick, 1000);
      } else {
        resend.disabled = false;
        resend.textContent = label;
      }
    };
    tick();
  }
})();
