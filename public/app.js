// Progressive enhancements on top of htmx: keyboard shortcuts, filters that apply on change, bulk
// selection, the presence mode, menus. The console works without this file. Event delegation on
// document, so htmx swaps need no re-binding.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  var typing = function (el) {
    return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  };
  var rows = function () {
    return Array.prototype.slice.call(document.querySelectorAll('[data-queue] tbody tr, .results .result, table.list tbody tr'));
  };
  // the row the keys are on, kept as an element: a swap elsewhere on the page (the "new: N" poll,
  // presence) leaves it where it is; only a list that no longer holds it starts again from the top
  var currentEl = null;
  var currentIndex = function () {
    return currentEl ? rows().indexOf(currentEl) : -1;
  };
  var mark = function (i) {
    var list = rows();
    if (!list.length) return false;
    var n = Math.max(0, Math.min(list.length - 1, i));
    currentEl = list[n];
    list.forEach(function (r, j) { r.classList.toggle('current', j === n); });
    var link = currentEl.querySelector('[data-row-link]') || currentEl.querySelector('a');
    if (link) link.focus({ preventScroll: true });
    currentEl.scrollIntoView({ block: 'nearest' });
    return true;
  };
  var currentRow = function () {
    return currentIndex() >= 0 ? currentEl : null;
  };
  var focusKey = function (key) {
    var el = document.querySelector('[data-key-focus="' + key + '"]');
    if (!el) return false;
    el.scrollIntoView({ block: 'center' });
    el.focus();
    return true;
  };
  var help = function () {
    var d = document.getElementById('keyboard-help');
    if (d && !d.open) d.showModal();
  };
  var pendingG = false;

  document.addEventListener('keydown', function (e) {
    var t = e.target;
    // Ctrl/Cmd+Enter sends the form being typed in
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && typing(t) && t.form) {
      e.preventDefault();
      t.form.requestSubmit();
      return;
    }
    if (e.key === 'Escape') {
      document.querySelectorAll('details.menu[open]').forEach(function (d) { d.open = false; });
      if (typing(t)) t.blur();
      return;
    }
    if (typing(t) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (pendingG) {
      pendingG = false;
      if (e.key === 'q') { e.preventDefault(); window.location.href = '/tickets'; }
      return;
    }
    switch (e.key) {
      case 'j': case 'ArrowDown':
        if (rows().length && mark(currentIndex() + 1)) e.preventDefault();
        break;
      case 'k': case 'ArrowUp':
        if (rows().length && mark(currentIndex() - 1)) e.preventDefault();
        break;
      case 'o': case 'Enter': {
        var row = currentRow();
        var link = row && (row.querySelector('[data-row-link]') || row.querySelector('a'));
        if (link && e.key === 'o') { e.preventDefault(); link.click(); }
        break;
      }
      case 'x': {
        var r = currentRow();
        var box = r && r.querySelector('input[type=checkbox][name=ids]');
        if (box) { e.preventDefault(); box.click(); }
        break;
      }
      case '/': {
        var s = document.querySelector('#filters input[type=search]') || document.querySelector('[data-key="/"]');
        if (s) { e.preventDefault(); s.focus(); s.select(); }
        break;
      }
      case 'c': {
        var c = document.querySelector('[data-key="c"]');
        if (c) { e.preventDefault(); c.click(); }
        break;
      }
      case 'r': case 'n': case 't':
        if (focusKey(e.key)) e.preventDefault();
        break;
      case 'g':
        pendingG = true;
        setTimeout(function () { pendingG = false; }, 1500);
        break;
      case '?':
        e.preventDefault();
        help();
        break;
    }
  });

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (t.closest && t.closest('[data-action="help"]')) help();
    document.querySelectorAll('details.menu[open]').forEach(function (d) {
      if (!d.contains(t)) d.open = false;
    });
  });

  // A queue download with its progress: the browser saves the file itself (to disk as it comes, so
  // a million rows cost the page nothing and the download outlives the page), under an id made up
  // here for which the desk keeps the rows it has sent; the page asks for them every half second.
  // Without JavaScript (or with a modifier key) the link is a plain download.
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-progress]');
    if (!a || !window.fetch || !window.crypto || !window.URL || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var box = document.querySelector(a.getAttribute('data-progress'));
    if (!box) return;
    e.preventDefault();
    var id = downloadId();
    var url = new URL(a.href);
    url.searchParams.set('progress', id);
    var save = document.createElement('a');
    save.href = url.href;
    save.setAttribute('download', ''); // under the desk's file name
    save.setAttribute('hx-boost', 'false');
    save.hidden = true;
    document.body.appendChild(save);
    save.click();
    save.remove();
    watchDownload(box, id);
  });

  function downloadId() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? '0' : '') + b.toString(16); }).join('');
  }

  // Asks until the desk says done or failed. The desk may not know the download for a moment (it
  // counts the tickets first); not knowing it for 10 s (it never started, or another desk process
  // serves it) hides the box: the browser's own download list still tells.
  function watchDownload(box, id) {
    var bar = box.querySelector('progress');
    var text = box.querySelector('span');
    var say = function (template, n, total) {
      text.textContent = template.replace('{n}', n.toLocaleString()).replace('{total}', total.toLocaleString());
    };
    var show = function (p) {
      if (p.state === 'done') { bar.max = 1; bar.value = 1; say(box.getAttribute('data-done'), p.rows, p.rows); }
      else if (p.state === 'failed') { bar.max = 1; bar.value = 0; say(box.getAttribute('data-failed'), 0, 0); }
      else if (p.total !== null) { bar.max = Math.max(1, p.total); bar.value = Math.min(p.total, p.rows); say(box.getAttribute('data-rows'), Math.min(p.total, p.rows), p.total); }
      // a text search has no total: the rows are counted without one
      else if (p.rows > 0) { bar.removeAttribute('value'); say(box.getAttribute('data-count'), p.rows, 0); }
    };
    // a newer download takes the box; a page left behind (htmx swapped it out) asks no more
    var mine = function () { return box.isConnected && box.getAttribute('data-download') === id; };
    var lastNews = Date.now();
    var ask = function () {
      if (!mine()) return;
      fetch('/tickets/export-progress/' + id, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (p) { return p && p.state !== 'unknown' ? p : null; })
        .catch(function () { return null; })
        .then(function (p) {
          if (!mine()) return;
          if (p) { lastNews = Date.now(); show(p); }
          if (!p && Date.now() - lastNews > 10000) box.hidden = true;
          else if (!p || p.state === 'running') setTimeout(ask, 500);
        });
    };
    box.setAttribute('data-download', id);
    bar.removeAttribute('value');
    text.textContent = '';
    box.hidden = false;
    setTimeout(ask, 500);
  }

  // filters apply as soon as a choice changes
  document.addEventListener('change', function (e) {
    var t = e.target;
    var form = t.form;
    if (form && form.hasAttribute('data-autosubmit') && t.tagName === 'SELECT') form.requestSubmit();
    if (t.matches && t.matches('[data-select-all]')) {
      document.querySelectorAll('#bulk input[name=ids]').forEach(function (b) { b.checked = t.checked; });
    }
    if (t.name === 'ids' || (t.matches && t.matches('[data-select-all]'))) updateSelection();
  });

  function updateSelection() {
    var label = document.querySelector('[data-selected-count]');
    if (!label) return;
    var boxes = document.querySelectorAll('#bulk input[name=ids]');
    var n = 0;
    boxes.forEach(function (b) {
      if (b.checked) n++;
      var tr = b.closest('tr');
      if (tr) tr.classList.toggle('selected', b.checked);
    });
    if (!label.dataset.hint) label.dataset.hint = label.textContent;
    label.textContent = n ? label.dataset.label.replace('{{count}}', String(n)) : label.dataset.hint;
  }

  // the presence poll says whether the reply box has text in it
  document.addEventListener('htmx:configRequest', function (e) {
    var elt = e.detail && e.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute('data-presence')) {
      var body = document.getElementById('reply-body');
      e.detail.parameters.mode = body && body.value.trim() ? 'replying' : 'viewing';
    }
  });

  // on a phone the extra filters start folded
  function foldNarrow() {
    if (window.matchMedia('(max-width: 820px)').matches) {
      document.querySelectorAll('details[data-collapse-narrow][open]').forEach(function (d) { d.open = false; });
    }
  }
  foldNarrow();
  document.addEventListener('DOMContentLoaded', foldNarrow);

  document.addEventListener('htmx:afterSettle', function () {
    foldNarrow();
    var flash = document.querySelector('#flash .flash:not(.error)');
    if (flash) setTimeout(function () { flash.remove(); }, 6000);
  });

  // the dashboard: drag a widget by its title (mouse) or its grip (mouse, finger, pen) to move it; the
  // new order is sent by htmx through the board's order form (the forms under ⋯ do the same without
  // JavaScript). Pointer events, so a phone's finger drags as a mouse does.
  var dragged = null;
  var before = '';
  var orderOf = function (board) {
    return Array.prototype.map.call(board.querySelectorAll('.widget'), function (w) { return w.getAttribute('data-widget'); }).join(',');
  };
  document.addEventListener('pointerdown', function (e) {
    if (!e.target.closest || (e.pointerType === 'mouse' && e.button !== 0)) return;
    var handle = e.target.closest('#dashboard .widget-grip') || (e.pointerType === 'mouse' && e.target.closest('#dashboard .widget-head h2'));
    if (!handle) return;
    e.preventDefault();
    dragged = handle.closest('.widget');
    before = orderOf(dragged.closest('#dashboard'));
    dragged.classList.add('dragging');
    if (handle.setPointerCapture) handle.setPointerCapture(e.pointerId);
  });
  document.addEventListener('pointermove', function (e) {
    if (!dragged) return;
    var at = document.elementFromPoint(e.clientX, e.clientY);
    var over = at && at.closest && at.closest('#dashboard .widget');
    if (!over || over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = (e.clientY - box.top) / box.height > 0.5 || (e.clientX - box.left) / box.width > 0.5;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });
  var drop = function () {
    if (!dragged) return;
    var board = dragged.closest('#dashboard');
    dragged.classList.remove('dragging');
    dragged = null;
    var ids = orderOf(board);
    var form = document.getElementById('dashboard-order');
    if (ids === before || !form) return;
    form.elements.ids.value = ids;
    if (window.htmx) window.htmx.trigger(form, 'submit');
    else form.submit();
  };
  document.addEventListener('pointerup', drop);
  document.addEventListener('pointercancel', drop);
})();
