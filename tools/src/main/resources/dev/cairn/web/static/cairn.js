// Cairn web UI: the little script the pages use. Everything works without it.
(function () {
  'use strict';

  // "copy" buttons next to ids: put the full id on the clipboard. The clipboard API exists only
  // in secure contexts (https, or this machine's own address); elsewhere (a server bound to
  // another address and read over http) the id is copied from a hidden text box, and if even that
  // is refused it is shown, selected, for the user to copy.
  function flash(button, text) {
    var label = button.textContent;
    button.textContent = text;
    setTimeout(function () { button.textContent = label; }, 1200);
  }

  function copyByHand(button, text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand('copy');
    } catch (e) {
      copied = false;
    }
    document.body.removeChild(area);
    if (copied) {
      flash(button, 'copied');
    } else {
      window.prompt('Copy it with Ctrl+C:', text);
    }
  }

  document.addEventListener('click', function (event) {
    var button = event.target.closest('button.copy');
    if (!button) {
      return;
    }
    var text = button.getAttribute('data-copy');
    if (!navigator.clipboard) {
      copyByHand(button, text);
      return;
    }
    navigator.clipboard.writeText(text).then(function () {
      flash(button, 'copied');
    }, function () {
      copyByHand(button, text);
    });
  });

  // A chart wider than its card starts scrolled to its right end: the newest versions.
  document.querySelectorAll('figure.chart .chart-scroll').forEach(function (chart) {
    chart.scrollLeft = chart.scrollWidth;
  });

  // A lineage taller than the window, or wider than its card, opens scrolled to the version it is
  // the lineage of (the newest, drawn at the bottom).
  document.querySelectorAll('.dag-wrap').forEach(function (wrap) {
    var focus = wrap.querySelector('.dag-node.focus');
    if (!focus) {
      return;
    }
    var box = focus.getBoundingClientRect();
    if (box.bottom > window.innerHeight) {
      // Just into view at the bottom: the title, the tabs and the note above stay as far up as can be.
      window.scrollBy(0, box.bottom - window.innerHeight + 24);
    }
    if (wrap.scrollWidth > wrap.clientWidth) {
      box = focus.getBoundingClientRect();
      var view = wrap.getBoundingClientRect();
      wrap.scrollLeft += (box.left + box.width / 2) - (view.left + wrap.clientLeft + wrap.clientWidth / 2);
    }
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
