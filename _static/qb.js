/* Open Quantum Batteries: small page scripts (no network, no dependencies).
   1. A tap on any figure opens it at full size (phones scale figures down).
   2. Search results show the sentence that matches, with math in readable symbols.
   3. Quick checks: the options of a .qb-check block become buttons with immediate feedback.
   4. "Reading the paper" (section.qb-paper) is shown collapsed behind a button, and opens by
      itself when a link or the address points inside it. */
(function () {
  "use strict";

  function openFull(img) {
    var box = document.createElement("div");
    box.className = "qb-lightbox";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Figure at full size");
    var big = new Image();
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    big.style.width = (img.naturalWidth || img.width) + "px";
    var close = document.createElement("button");
    close.className = "qb-lightbox-close";
    close.type = "button";
    close.textContent = "Close \u2715";
    box.appendChild(big);
    box.appendChild(close);
    function shut() { box.remove(); document.removeEventListener("keydown", onKey); img.focus(); }
    function onKey(e) { if (e.key === "Escape") shut(); }
    box.addEventListener("click", shut);
    document.addEventListener("keydown", onKey);
    document.body.appendChild(box);
    close.focus();
  }

  function setupFigures() {
    document.querySelectorAll(".bd-article figure img, .bd-article .cell_output img").forEach(function (img) {
      if (img.closest(".qb-lightbox")) return;
      img.setAttribute("tabindex", "0");
      img.setAttribute("role", "button");
      img.setAttribute("aria-label", "Open at full size: " + (img.alt || "figure"));
      img.addEventListener("click", function () { openFull(img); });
      img.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); openFull(img); }
      });
    });
  }

  var GREEK = {alpha: "\u03b1", beta: "\u03b2", gamma: "\u03b3", Gamma: "\u0393", delta: "\u03b4",
    Delta: "\u0394", epsilon: "\u03b5", varepsilon: "\u03b5", zeta: "\u03b6", eta: "\u03b7",
    theta: "\u03b8", kappa: "\u03ba", lambda: "\u03bb", Lambda: "\u039b", mu: "\u03bc", nu: "\u03bd",
    xi: "\u03be", pi: "\u03c0", rho: "\u03c1", varrho: "\u03f1", sigma: "\u03c3", Sigma: "\u03a3",
    tau: "\u03c4", phi: "\u03c6", varphi: "\u03c6", chi: "\u03c7", psi: "\u03c8", omega: "\u03c9",
    Omega: "\u03a9", hbar: "\u0127", infty: "\u221e", le: "\u2264", leq: "\u2264", ge: "\u2265",
    geq: "\u2265", approx: "\u2248", neq: "\u2260", times: "\u00d7", cdot: "\u00b7", to: "\u2192",
    rightarrow: "\u2192", pm: "\u00b1", partial: "\u2202", sum: "\u2211", int: "\u222b",
    langle: "\u27e8", rangle: "\u27e9", dagger: "\u2020", ell: "\u2113"};

  /* TeX source to plain readable text: \mu_1 = 4 -> "μ1 = 4". */
  function readableTeX(tex) {
    return tex
      .replace(/^\s*(\\\(|\\\[|\$\$?)|(\\\)|\\\]|\$\$?)\s*$/g, "")
      .replace(/\\(begin|end)\{[^}]*\}/g, " ")
      .replace(/\\([A-Za-z]+)/g, function (m, name) { return GREEK[name] !== undefined ? GREEK[name] : ""; })
      .replace(/\\[,;:!]/g, " ").replace(/\\\\/g, " ").replace(/&/g, " ")
      .replace(/[{}_^]/g, "").replace(/\s+/g, " ").trim();
  }

  function pageText(htmlString, anchor) {
    var doc = new DOMParser().parseFromString(htmlString, "text/html");
    doc.querySelectorAll(".headerlink, script, style, .qb-controls, .qb-note, .qb-fixed, .copybtn, " +
      ".header-article, .prev-next-area, .bd-footer-article, button, nav").forEach(function (el) { el.remove(); });
    doc.querySelectorAll(".math").forEach(function (el) { el.textContent = " " + readableTeX(el.textContent) + " "; });
    var root = (anchor && doc.querySelector("article " + anchor)) || doc.querySelector("article.bd-article") ||
      doc.querySelector('[role="main"]');
    return root ? root.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function patchSearch() {
    if (typeof Search === "undefined") return;
    Search.htmlToText = pageText;
    Search.makeSearchSummary = function (htmlText, keywords, anchor) {
      var text = pageText(htmlText, anchor);
      if (!text) return null;
      var lower = text.toLowerCase(), at = -1;
      Array.from(keywords).forEach(function (k) {
        // keywords are word stems ("ergotropi" for "ergotropy"): try the stem, then shorter prefixes
        k = String(k).toLowerCase();
        for (var cut = 0; cut <= 2 && k.length - cut >= 4; cut++) {
          var i = lower.indexOf(k.slice(0, k.length - cut));
          if (i > -1) { if (at < 0 || i < at) at = i; break; }
        }
      });
      var start = 0;
      if (at > 0) {  // the start of the sentence that contains the match
        var cut = Math.max(text.lastIndexOf(". ", at), text.lastIndexOf("? ", at), text.lastIndexOf("! ", at));
        start = (cut >= 0 && at - cut < 200) ? cut + 2 : Math.max(text.indexOf(" ", at - 100) + 1, 0);
      }
      var snippet = text.substr(start, 240);
      var end = snippet.lastIndexOf(" ");
      if (start + 240 < text.length && end > 160) snippet = snippet.slice(0, end);
      var p = document.createElement("p");
      p.classList.add("context");
      p.textContent = (start > 0 ? "\u2026" : "") + snippet.trim() + (start + 240 < text.length ? "\u2026" : "");
      return p;
    };
  }

  function setupChecks() {
    document.querySelectorAll(".bd-article .qb-check").forEach(function (box, k) {
      var m = /qb-answer-(\d+)/.exec(box.className), list = box.querySelector(":scope > ol");
      var answer = box.querySelector("details");
      if (!m || !list || box.dataset.qbReady) return;
      box.dataset.qbReady = "1";
      var right = parseInt(m[1], 10), feedback = document.createElement("p");
      feedback.className = "qb-feedback";
      feedback.setAttribute("role", "status");
      feedback.setAttribute("aria-live", "polite");
      list.classList.add("qb-choices");
      Array.prototype.forEach.call(list.children, function (li, i) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "qb-choice";
        b.setAttribute("aria-pressed", "false");
        while (li.firstChild) b.appendChild(li.firstChild);
        li.appendChild(b);
        b.addEventListener("click", function () {
          var ok = i + 1 === right;
          list.querySelectorAll(".qb-choice").forEach(function (o) { o.setAttribute("aria-pressed", "false"); });
          b.setAttribute("aria-pressed", "true");
          b.classList.add(ok ? "qb-right" : "qb-wrong");
          feedback.className = "qb-feedback " + (ok ? "qb-right" : "qb-wrong");
          feedback.textContent = ok ? "Right: option " + right + ". Why, below." :
            "Not option " + (i + 1) + ": try another, or open the answer below.";
          if (ok && answer) answer.open = true;
        });
      });
      list.after(feedback);
    });
  }

  function setupPaper() {
    document.querySelectorAll(".bd-article section.qb-paper").forEach(function (sec) {
      if (sec.dataset.qbReady) return;
      sec.dataset.qbReady = "1";
      var head = sec.querySelector(":scope > h1, :scope > h2, :scope > h3");
      if (!head) return;
      var body = document.createElement("div");
      body.className = "qb-paper-body";
      body.id = (sec.id || "paper") + "-body";
      while (head.nextSibling) body.appendChild(head.nextSibling);
      sec.appendChild(body);
      var b = document.createElement("button");
      b.type = "button";
      b.className = "qb-paper-toggle";
      b.setAttribute("aria-controls", body.id);
      function set(open) {
        body.hidden = !open;
        b.setAttribute("aria-expanded", String(open));
        b.textContent = open ? "Hide the paper audit" :
          "Show the paper audit: claims, verdicts, errata and every panel judged";
        if (open) window.dispatchEvent(new Event("resize"));  // let figures and equations lay out
      }
      b.addEventListener("click", function () { set(body.hidden); });
      head.after(b);
      set(false);
      sec.qbOpen = function () { set(true); };
    });
    function openTarget() {
      var id = decodeURIComponent(location.hash.slice(1));
      var el = id && document.getElementById(id);
      var sec = el && el.closest("section.qb-paper");
      if (sec && sec.qbOpen && el !== sec) { sec.qbOpen(); el.scrollIntoView(); }
    }
    window.addEventListener("hashchange", openTarget);
    openTarget();
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("section.qb-paper").forEach(function (s) { if (s.qbOpen) s.qbOpen(); });
    });
  }

  function setupAll() { setupFigures(); setupChecks(); setupPaper(); }

  patchSearch();
  document.addEventListener("DOMContentLoaded", patchSearch);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupAll);
  else setupAll();
})();
