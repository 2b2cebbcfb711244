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

  // A queue download with its progress: the file is fetched here, its rows counted as they arrive
  // against the total the desk announces (X-Total-Count), then saved under the desk's file name.
  // Without fetch streams (or with a modifier key) the link downloads as a plain link.
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-progress]');
    if (!a || !window.ReadableStream || !window.fetch || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    var box = document.querySelector(a.getAttribute('data-progress'));
    if (!box) return;
    e.preventDefault();
    var bar = box.querySelector('progress');
    var text = box.querySelector('span');
    var say = function (template, n, total, mb) {
      text.textContent = template.replace('{n}', n.toLocaleString()).replace('{total}', total.toLocaleString()).replace('{mb}', mb);
    };
    var csv = /\.csv(\?|$)/.test(a.getAttribute('href'));
    box.hidden = false;
    fetch(a.href, { credentials: 'same-origin' }).then(function (res) {
      if (!res.ok || !res.body) throw new Error('HTTP ' + res.status);
      // no total for a text search: the rows are counted without one
      var total = res.headers.get('X-Total-Count') === null ? null : Number(res.headers.get('X-Total-Count'));
      var name = (/filename="?([^";]+)"?/.exec(res.headers.get('Content-Disposition') || '') || [])[1] || 'tickets';
      var reader = res.body.getReader();
      var parts = [];
      var lines = 0;
      var bytes = 0;
      var rows = function () { return Math.max(0, lines - 1); }; // the first line is the header
      var show = function () {
        var mb = (bytes / 1048576).toFixed(1);
        if (csv && total !== null) { bar.max = Math.max(1, total); bar.value = Math.min(total, rows()); say(box.getAttribute('data-rows'), Math.min(total, rows()), total, mb); }
        else if (csv) { bar.removeAttribute('value'); say(box.getAttribute('data-count'), rows(), 0, mb); }
        else { bar.removeAttribute('value'); say(box.getAttribute(total === null ? 'data-mb' : 'data-bytes'), 0, total || 0, mb); }
      };
      show();
      var pump = function () {
        return reader.read().then(function (r) {
          if (r.done) return;
          parts.push(r.value);
          bytes += r.value.length;
          for (var i = 0; i < r.value.length; i++) if (r.value[i] === 10) lines++;
          show();
          return pump();
        });
      };
      return pump().then(function () {
        var url = URL.createObjectURL(new Blob(parts, { type: res.headers.get('Content-Type') || 'application/octet-stream' }));
        var save = document.createElement('a');
        save.href = url;
        save.download = name;
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
        bar.max = 1;
        bar.value = 1;
        var done = total !== null ? total : csv ? rows() : null;
        if (done === null) say(box.getAttribute('data-mb'), 0, 0, (bytes / 1048576).toFixed(1));
        else say(box.getAttribute('data-done'), done, done, '');
      });
    }).catch(function () {
      say(box.getAttribute('data-failed'), 0, 0, '');
    });
  });

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

  // the dashboard: drag a widget by its title to move it; the new order is saved in the background
  // (the forms under ⋯ do the same without JavaScript)
  var dragged = null;
  var csrf = function () {
    try { return JSON.parse(document.body.getAttribute('hx-headers') || '{}')['X-CSRF-Token'] || ''; } catch (err) { return ''; }
  };
  document.addEventListener('mousedown', function (e) {
    var head = e.target.closest && e.target.closest('#dashboard .widget-head h2');
    if (head) head.closest('.widget').setAttribute('draggable', 'true');
  });
  document.addEventListener('dragstart', function (e) {
    var w = e.target.closest && e.target.closest('#dashboard .widget');
    if (!w) return;
    dragged = w;
    w.classList.add('dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', w.getAttribute('data-widget'));
  });
  document.addEventListener('dragover', function (e) {
    var over = dragged && e.target.closest && e.target.closest('#dashboard .widget');
    if (!over || over === dragged) return;
    e.preventDefault();
    var box = over.getBoundingClientRect();
    var after = (e.clientY - box.top) / box.height > 0.5 || (e.clientX - box.left) / box.width > 0.5;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });
  document.addEventListener('dragend', function () {
    if (!dragged) return;
    var board = dragged.closest('#dashboard');
    dragged.classList.remove('dragging');
    dragged.removeAttribute('draggable');
    dragged = null;
    var ids = Array.prototype.map.call(board.querySelectorAll('.widget'), function (w) { return w.getAttribute('data-widget'); });
    var body = new URLSearchParams({ op: 'order', ids: ids.join(',') });
    fetch(board.getAttribute('data-arrange'), { method: 'POST', body: body, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf(), 'X-Requested-With': 'fetch' } });
  });
})();
