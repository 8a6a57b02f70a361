// Asks before destructive buttons (cancel an appointment); without JavaScript they just submit.
(function () {
  'use strict';
  document.addEventListener('submit', function (event) {
    var button = event.submitter;
    var question = button && button.getAttribute('data-confirm');
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
