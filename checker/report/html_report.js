/* checker --format html: the page's one script (the Content-Security-Policy allows no other).
   Every string it puts on the page with innerHTML was built (escaped, badges made) by
   checker/report/html.py; rule codes and numbers are escaped here. */
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  function $(id) { return doc.getElementById(id); }
  var DATA = null;
  function data() {
    if (!DATA) DATA = JSON.parse($("report-data").textContent);
    return DATA;
  }
  var SEV = { error: "e", warning: "w", info: "i" };
  var ORDER = ["error", "warning", "info"];
  var PLURAL = { error: "errors", warning: "warnings", info: "info" };
  var offSev = {}, offCode = {};
  var cur = { file: -1, fid: -1 };
  var indexEl = $("index"), articleEl = $("article"), textEl = $("article-text"), listEl = $("article-findings");
  var tip = $("tip"), statusEl = $("status"), filtersEl = $("filters");
  var narrow = window.matchMedia("(max-width: 760px)");
  var hideTimer = 0, tipFor = null;

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function shown(f) { return !offSev[f[1]] && !offCode[f[0]]; }
  function pill(sev) { return '<span class="sev sev-' + (SEV[sev] || "i") + '">' + esc(sev) + "</span>"; }
  function countWords(c) {
    var out = [];
    ORDER.forEach(function (s) { if (c[s]) out.push(c[s] + " " + (c[s] === 1 ? s : PLURAL[s])); });
    return out.join(", ");
  }
  function ids(attr) { return attr ? attr.split(" ").map(Number) : []; }
  function findingsOf(i) { return data().files[i].f; }

  /* ---- filters ---- */
  var rowByIndex = null;
  function rows() {
    if (!rowByIndex) {
      rowByIndex = {};
      Array.prototype.forEach.call($("files").tBodies[0].rows, function (tr) { rowByIndex[tr.getAttribute("data-i")] = tr; });
    }
    return rowByIndex;
  }
  function applyFilters() {
    var d = data(), all = 0, hidden = 0, filesWith = 0, hideClean = $("hide-clean").checked, byRow = rows();
    d.files.forEach(function (file, i) {
      var c = { error: 0, warning: 0, info: 0 }, codes = {}, n = 0;
      file.f.forEach(function (f) {
        if (shown(f)) { n++; c[f[1]] = (c[f[1]] || 0) + 1; codes[f[0]] = (codes[f[0]] || 0) + 1; }
      });
      all += n; hidden += file.f.length - n;
      if (n) filesWith++;
      var tr = byRow[i];
      if (!tr) return;
      var cells = tr.cells;
      cells[1].textContent = n;
      ORDER.forEach(function (s, k) {
        cells[2 + k].textContent = c[s];
        cells[2 + k].classList.toggle("zero", !c[s]);
      });
      cells[5].innerHTML = Object.keys(codes).sort(function (a, b) { return codes[b] - codes[a] || (a < b ? -1 : 1); })
        .map(function (k) { return '<span class="cc">' + esc(k) + "\u202f\u00d7" + codes[k] + "</span>"; }).join(" ");
      tr.classList.toggle("hidden", hideClean && n === 0);
    });
    statusEl.setAttribute("data-shown", all);
    statusEl.setAttribute("data-hidden", hidden);
    statusEl.textContent = hidden
      ? "Showing " + all + " of " + (all + hidden) + " findings (" + hidden + " hidden by the filters), in " + filesWith + " files."
      : "Showing all " + all + " findings.";
    if (cur.file >= 0) applyArticle();
  }
  filtersEl.addEventListener("change", function (e) {
    var t = e.target;
    if (t.hasAttribute("data-sev")) offSev[t.getAttribute("data-sev")] = !t.checked;
    else if (t.hasAttribute("data-code")) offCode[t.getAttribute("data-code")] = !t.checked;
    applyFilters();
  });
  function setCodes(on) {
    Array.prototype.forEach.call(filtersEl.querySelectorAll("input[data-code]"), function (box) {
      box.checked = on; offCode[box.getAttribute("data-code")] = !on;
    });
    applyFilters();
  }
  $("codes-all").addEventListener("click", function () { setCodes(true); });
  $("codes-none").addEventListener("click", function () { setCodes(false); });

  /* ---- the article ---- */
  function applyArticle() {
    var fs = findingsOf(cur.file), c = { error: 0, warning: 0, info: 0 }, hidden = 0;
    fs.forEach(function (f) { if (shown(f)) c[f[1]]++; else hidden++; });
    Array.prototype.forEach.call(textEl.querySelectorAll("mark.m"), function (m) {
      var vis = ids(m.getAttribute("data-f")).filter(function (k) { return shown(fs[k]); });
      var sevs = {};
      vis.forEach(function (k) { sevs[SEV[fs[k][1]]] = 1; });
      var cls = "m";
      ["e", "w", "i"].forEach(function (s) { if (sevs[s]) cls += " s-" + s; });
      if (vis.length > 1) cls += " multi";
      if (m.classList.contains("pt")) cls += " pt";
      if (!vis.length) cls += " off";
      if (m.classList.contains("cur")) cls += " cur";
      m.className = cls;
      if (m.hasAttribute("data-s")) {
        var starts = ids(m.getAttribute("data-s")).filter(function (k) { return shown(fs[k]); });
        if (starts.length) {
          m.setAttribute("tabindex", "0");
          m.setAttribute("data-c", starts.map(function (k) { return fs[k][0]; }).join(" "));
        } else {
          m.removeAttribute("tabindex");
          m.removeAttribute("data-c");
        }
      }
    });
    fs.forEach(function (f, k) { listEl.children[k].classList.toggle("hidden", !shown(f)); });
    var words = countWords(c) || "nothing shown";
    $("article-counts").innerHTML = ORDER.filter(function (s) { return c[s]; })
      .map(function (s) { return pill(s) + " " + c[s]; }).join(" ") +
      (hidden ? ' <span class="muted">' + hidden + " hidden by the filters</span>" : "") +
      (words === "nothing shown" && !hidden ? '<span class="muted">No findings.</span>' : "");
  }
  function fixHtml(fix) {
    if (!fix) return "";
    var what;
    if (!fix[0]) what = "insert " + '<span class="to">' + fix[1] + "</span>";
    else if (!fix[1]) what = "remove " + '<span class="from">' + fix[0] + "</span>";
    else what = '<span class="from">' + fix[0] + '</span> \u2192 <span class="to">' + fix[1] + "</span>";
    return '<p class="fix">Fix: ' + what + ' <span class="rname">(' + (fix[2] ? "safe: --fix applies it" : "unsafe: --unsafe-fixes") + ")</span></p>";
  }
  function renderArticle(i) {
    var d = data(), file = d.files[i];
    hideTip();
    cur.file = i; cur.fid = -1;
    $("article-path").innerHTML = file.p;
    if (file.h === null) {
      textEl.className = "text unread";
      textEl.textContent = "The text of this file could not be read; its findings are listed below.";
    } else {
      textEl.className = "text";
      textEl.innerHTML = file.h;
    }
    listEl.innerHTML = file.f.map(function (f, k) {
      return '<li id="F' + k + '"><a class="where" href="#f' + i + "-" + k + '">' + f[2] + ":" + f[3] + "</a>" +
        '<div class="what">' + pill(f[1]) + " <code>" + esc(f[0]) + "</code> " + d.msgs[f[6]] + "</div>" + fixHtml(f[7]) + "</li>";
    }).join("");
    if (!file.f.length) listEl.innerHTML = '<li class="none">None.</li>';
    var prev = $("prev-file"), next = $("next-file");
    [[prev, i - 1], [next, i + 1]].forEach(function (pair) {
      var ok = pair[1] >= 0 && pair[1] < d.files.length;
      pair[0].setAttribute("href", ok ? "#f" + pair[1] : "#");
      if (ok) pair[0].removeAttribute("aria-disabled"); else pair[0].setAttribute("aria-disabled", "true");
    });
    doc.title = "checker: " + $("article-path").textContent;
    applyArticle();
  }
  function firstMark(fid) { return textEl.querySelector('mark[data-s~="' + fid + '"]'); }
  function focusFinding(fid) {
    var old = textEl.querySelector("mark.cur");
    if (old) old.classList.remove("cur");
    cur.fid = fid;
    var m = firstMark(fid);
    if (m && !m.classList.contains("off")) {
      m.classList.add("cur");
      m.focus({ preventScroll: true });
      m.scrollIntoView({ block: "center" });
      showTip(m, fid);
    } else {
      var li = $("F" + fid);
      if (li) { li.setAttribute("tabindex", "-1"); li.focus(); }
    }
  }
  function openFile(i, fid) {
    if (cur.file !== i || articleEl.hidden) {
      if (cur.file !== i) renderArticle(i);
      indexEl.hidden = true;
      articleEl.hidden = false;
    }
    if (fid >= 0 && fid < findingsOf(i).length) focusFinding(fid);
    else { window.scrollTo(0, 0); $("article-title").focus({ preventScroll: true }); }
  }
  function showIndex() {
    hideTip();
    articleEl.hidden = true;
    indexEl.hidden = false;
    doc.title = root.getAttribute("data-title");
    if (cur.file >= 0) {
      var tr = rows()[cur.file];
      if (tr) { tr.scrollIntoView({ block: "center" }); tr.querySelector("a").focus({ preventScroll: true }); }
    }
  }
  function route() {
    var m = /^#f(\d+)(?:-(\d+))?$/.exec(location.hash);
    if (m) {
      var i = +m[1];
      if (i < data().files.length) { openFile(i, m[2] === undefined ? -1 : +m[2]); return; }
    }
    if (!location.hash || location.hash === "#" || m) showIndex();
  }
  window.addEventListener("hashchange", route);

  /* ---- n / p ---- */
  function firstShown(i, dir) {
    var fs = findingsOf(i);
    for (var k = dir > 0 ? 0 : fs.length - 1; k >= 0 && k < fs.length; k += dir) if (shown(fs[k])) return k;
    return -1;
  }
  function step(dir) {
    var d = data(), inArticle = !articleEl.hidden && cur.file >= 0;
    if (inArticle) {
      var fs = findingsOf(cur.file);
      var k = cur.fid >= 0 ? cur.fid + dir : dir > 0 ? 0 : fs.length - 1;
      for (; k >= 0 && k < fs.length; k += dir) {
        if (shown(fs[k])) {
          history.replaceState(null, "", "#f" + cur.file + "-" + k);
          focusFinding(k);
          return;
        }
      }
    }
    var from = inArticle ? cur.file + dir : (dir > 0 ? 0 : d.files.length - 1);
    for (var i = from; i >= 0 && i < d.files.length; i += dir) {
      var j = firstShown(i, dir);
      if (j >= 0) { location.hash = "#f" + i + "-" + j; return; }
    }
    statusEl.textContent = dir > 0 ? "No later finding is shown." : "No earlier finding is shown.";
  }
  doc.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName) || (t.tagName === "INPUT" && !/^(checkbox|radio|button)$/.test(t.type)))) return;
    if (e.key === "n" || e.key === "j") { e.preventDefault(); step(1); }
    else if (e.key === "p" || e.key === "k") { e.preventDefault(); step(-1); }
    else if (e.key === "Escape") hideTip();
  });

  /* ---- the note on hover and focus ---- */
  function showTip(m, prefer) {
    if (m.classList.contains("off") || cur.file < 0) return;
    clearTimeout(hideTimer);
    var d = data(), fs = findingsOf(cur.file);
    var vis = ids(m.getAttribute("data-f")).filter(function (k) { return shown(fs[k]); });
    if (prefer !== undefined && vis.indexOf(prefer) > 0) { vis.splice(vis.indexOf(prefer), 1); vis.unshift(prefer); }
    tip.innerHTML = vis.map(function (k) {
      var f = fs[k], r = d.rules[f[0]] || ["", f[1], ""];
      return '<div class="one"><div class="head"><span class="code">' + esc(f[0]) + '</span> <span class="rname">' + r[0] +
        "</span> " + pill(f[1]) + ' <span class="rname">' + f[2] + ":" + f[3] + "</span></div>" +
        '<p class="msg">' + d.msgs[f[6]] + "</p>" + fixHtml(f[7]) + (r[2] ? '<div class="desc">' + r[2] + "</div>" : "") + "</div>";
    }).join("");
    tip.hidden = false;
    if (tipFor && tipFor !== m) tipFor.removeAttribute("aria-describedby");
    tipFor = m;
    m.setAttribute("aria-describedby", "tip");
    place(m);
  }
  function place(m) {
    if (narrow.matches) { tip.style.left = ""; tip.style.top = ""; return; }
    var rects = m.getClientRects(), r = rects.length ? rects[0] : m.getBoundingClientRect();
    tip.style.left = "0px"; tip.style.top = "0px";
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.max(8, Math.min(r.left, window.innerWidth - w - 12));
    var top = r.bottom + 6;
    if (top + h > window.innerHeight - 8 && r.top - h - 6 > 8) top = r.top - h - 6;
    tip.style.left = left + window.scrollX + "px";
    tip.style.top = top + window.scrollY + "px";
  }
  function hideTip() {
    clearTimeout(hideTimer);
    tip.hidden = true;
    if (tipFor) { tipFor.removeAttribute("aria-describedby"); tipFor = null; }
  }
  function laterHide() { clearTimeout(hideTimer); hideTimer = setTimeout(hideTip, 250); }
  function markOf(node) { return node && node.closest ? node.closest("mark.m") : null; }
  textEl.addEventListener("mouseover", function (e) {
    var m = markOf(e.target);
    if (m && m !== tipFor) showTip(m);
    else if (m) clearTimeout(hideTimer);
  });
  textEl.addEventListener("mouseout", function (e) {
    if (markOf(e.target) && !(e.relatedTarget && (markOf(e.relatedTarget) || tip.contains(e.relatedTarget)))) laterHide();
  });
  tip.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
  tip.addEventListener("mouseleave", laterHide);
  textEl.addEventListener("focusin", function (e) {
    var m = markOf(e.target);
    if (!m) return;
    var starts = ids(m.getAttribute("data-s")).filter(function (k) { return shown(findingsOf(cur.file)[k]); });
    if (starts.length) cur.fid = starts[0];
    showTip(m, starts[0]);
  });
  textEl.addEventListener("focusout", function (e) { if (!markOf(e.relatedTarget)) laterHide(); });
  window.addEventListener("resize", function () { if (tipFor && !tip.hidden) place(tipFor); });

  /* ---- sorting the index ---- */
  var table = $("files");
  table.tHead.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-sort]");
    if (!b) return;
    var key = b.getAttribute("data-sort"), th = b.parentNode;
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : th.getAttribute("aria-sort") === "descending" ? 1 : key === "path" ? 1 : -1;
    var col = { path: 0, total: 1, error: 2, warning: 3, info: 4 }[key];
    var body = table.tBodies[0], list = Array.prototype.slice.call(body.rows);
    var keyed = list.map(function (tr) {
      var v = col === 0 ? tr.cells[0].textContent : +tr.cells[col].textContent;
      return [v, +tr.getAttribute("data-i"), tr];
    });
    var collate = new Intl.Collator(undefined, { numeric: true }).compare;
    keyed.sort(function (a, b) {
      var c = col === 0 ? collate(a[0], b[0]) : a[0] - b[0];
      return c * dir || a[1] - b[1];
    });
    var frag = doc.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k[2]); });
    body.appendChild(frag);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      if (cell.querySelector("button")) cell.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
  });

  /* ---- start ---- */
  root.setAttribute("data-title", doc.title);
  if (narrow.matches) filtersEl.removeAttribute("open");
  if (location.hash) route();
  root.setAttribute("data-ready", "1");
  if (window.performance && performance.mark) performance.mark("checker-ready");
})();
