(function () {
  function key(row, i, num) {
    var c = row.cells[i], v = c.getAttribute('data-sort');
    if (v === null) v = c.textContent;
    return num ? (parseFloat(v) || 0) : v;
  }
  document.querySelectorAll('table.sortable th').forEach(function (th, i) {
    function sort() {
      var table = th.closest('table'), body = table.tBodies[0];
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var num = th.getAttribute('data-type') === 'num';
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a, i, num), y = key(b, i, num);
        var c = num ? x - y : x.localeCompare(y, 'zh');
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
  });
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) return;
    var d = el.closest('details');
    if (d && !d.open) d.open = true;
    el.scrollIntoView({ block: 'center' });
  }
  window.addEventListener('hashchange', reveal);
  reveal();
  // Whether the page is wider than the window (it must not be, even at 390 px).
  var wide = document.documentElement.scrollWidth > window.innerWidth + 1;
  document.body.setAttribute('data-overflow', wide ? '1' : '0');
  document.body.setAttribute('data-ready', '1');
})();
