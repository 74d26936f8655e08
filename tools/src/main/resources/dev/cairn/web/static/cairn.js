// Cairn web UI: the little script the pages use. Everything works without it.
(function () {
  'use strict';

  // "copy" buttons next to ids: put the full id on the clipboard.
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button.copy');
    if (!button || !navigator.clipboard) {
      return;
    }
    navigator.clipboard.writeText(button.getAttribute('data-copy')).then(function () {
      var label = button.textContent;
      button.textContent = 'copied';
      setTimeout(function () { button.textContent = label; }, 1200);
    });
  });

  // A chart wider than its card starts scrolled to its right end: the newest versions.
  document.querySelectorAll('figure.chart .chart-scroll').forEach(function (chart) {
    chart.scrollLeft = chart.scrollWidth;
  });

  // The compare form's "swap" button exchanges source and target.
  var swap = document.getElementById('swap');
  if (swap) {
    swap.addEventListener('click', function (event) {
      event.preventDefault();
      var source = document.getElementById('source');
      var target = document.getElementById('target');
      var s = source.value;
      source.value = target.value;
      target.value = s;
      swap.form.submit();
    });
  }

  // Keyboard: "/" focuses the search or filter box.
  document.addEventListener('keydown', function (event) {
    if (event.key !== '/' || /^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      return;
    }
    var box = document.querySelector('input[data-focus-key]');
    if (box) {
      event.preventDefault();
      box.focus();
    }
  });
})();
