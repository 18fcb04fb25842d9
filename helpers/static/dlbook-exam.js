/* dlbook exam practice (helpers.practice): rounds of questions across lectures, scored per
   lecture, progress from the runtime's local storage. Only the practice page carries this
   script; it uses the runtime's internals (helpers/static/dlbook.js, loaded first). */
(function () {
  "use strict";
  function shuffled(list) {
    var a = list.slice();
    for (var i = a.length - 1; i > 0; i -= 1) {
      var j = Math.floor(Math.random() * (i + 1)), t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }
  window.DLBookExam = function (root) {
    var I = window.DLBook && window.DLBook.internals;     /* the runtime, loaded before */
    if (!I || root.dataset.ready) { return; }
    root.dataset.ready = "1";
    var el = I.el, within = I.within, typeset = I.typeset, storage = I.storage, STORE = I.store;
    var loadProgress = I.loadProgress, bankRight = I.bankRight, questionIds = I.questionIds;
    var changed = I.changed;
    var pool = root.querySelector(".dlbook-exam-pool");
    var round = root.querySelector(".dlbook-exam-round");
    var status = root.querySelector(".dlbook-exam-status");
    var score = root.querySelector(".dlbook-exam-score");
    var table = root.querySelector(".dlbook-exam-mastery tbody");
    var note = root.querySelector(".dlbook-exam-storage");
    var size = root.querySelector(".dlbook-exam-size");
    if (!pool || !round) { return; }
    var waiting = root.querySelector(".dlbook-exam-needs-js");
    if (waiting) { waiting.remove(); }
    var lectures = within(pool, ".dlbook-exam-lecture").map(function (node) {
      return { id: node.getAttribute("data-lecture"), title: node.getAttribute("data-title"),
               node: node, bank: within(node, "[data-kind=bank] .dlbook-question"),
               practice: within(node, "[data-kind=practice] .dlbook-question") };
    });
    note.textContent = storage ?
      "Your answers are kept in this browser only (no account, nothing leaves your computer)." :
      "This browser does not let the page store anything (a private window?): your progress " +
      "is not kept after you leave the page.";
    var current = [], results = {};
    function mastery() {
      table.innerHTML = "";
      var all = loadProgress();
      lectures.forEach(function (lec) {
        var ids = questionIds(lec.node.querySelector("[data-kind=bank]") || lec.node);
        var right = bankRight(lec.id, ids), mine = all[lec.id] || { right: 0, tried: 0 };
        var pct = ids.length ? Math.round(100 * right / ids.length) : 0;
        var row = el("tr");
        row.appendChild(el("th", { scope: "row" }, lec.title));
        var cell = el("td");
        var meter = el("meter", { min: "0", max: String(ids.length || 1), value: String(right),
                                  "aria-label": lec.title + ": bank questions answered right" });
        cell.appendChild(meter);
        cell.appendChild(document.createTextNode(" " + right + " of " + ids.length + " (" + pct + " %)"));
        row.appendChild(cell);
        row.appendChild(el("td", {}, mine.tried ? mine.right + " of " + mine.tried : "none yet"));
        table.appendChild(row);
      });
    }
    function report() {
      var answered = 0, right = 0, by = {};
      current.forEach(function (q) {
        var r = results[q.dataset.examKey];
        var lec = q.dataset.examLecture;
        by[lec] = by[lec] || { right: 0, answered: 0, total: 0 };
        by[lec].total += 1;
        if (r !== undefined) { answered += 1; by[lec].answered += 1; if (r) { right += 1; by[lec].right += 1; } }
      });
      var parts = Object.keys(by).sort().map(function (lec) {
        return "Lecture " + lec + ": " + by[lec].right + " of " + by[lec].total;
      });
      score.textContent = current.length ? (answered === current.length ?
        "Round complete: " : "Score so far: ") + right + " of " + current.length +
        " right at the first try (" + parts.join("; ") + ")." : "";
      root.setAttribute("data-score", right + "/" + current.length);
    }
    root.addEventListener("dlbook-graded", function (event) {
      var q = event.target;
      if (!q.dataset || !q.dataset.examKey || !round.contains(q)) { return; }
      if (results[q.dataset.examKey] === undefined) { results[q.dataset.examKey] = event.detail.ok; }
      report();
    });
    document.addEventListener("dlbook-progress", mastery);
    root.querySelector(".dlbook-exam-start").addEventListener("click", function () {
      var chosen = within(root, ".dlbook-exam-choose input:checked").map(function (b) { return b.value; });
      var n = parseInt(size ? size.value : "10", 10) || 10;
      current.forEach(function (q) { q.dlbookHome.appendChild(q); });
      current = []; results = {};
      var candidates = [];
      lectures.forEach(function (lec) {
        if (chosen.indexOf(lec.id) < 0) { return; }
        lec.bank.concat(lec.practice).forEach(function (q, k) {
          if (q.dataset.ready !== "1") { return; }
          q.setAttribute("data-lecture", lec.id);     /* progress still knows, once moved */
          if (k >= lec.bank.length) { q.setAttribute("data-kind", "practice"); }
          q.dlbookHome = q.dlbookHome || q.parentNode;
          q.dataset.examLecture = lec.id;
          q.dataset.examKey = lec.id + ":" + k;
          candidates.push(q);
        });
      });
      if (!candidates.length) {
        status.textContent = "Choose at least one lecture, then start a round.";
        score.textContent = "";
        return;
      }
      current = shuffled(candidates).slice(0, n);
      round.innerHTML = "";
      current.forEach(function (q, k) {
        if (q.dlbookReset) { q.dlbookReset(); }
        var head = q.querySelector(".dlbook-quiz-head");
        if (head && head.firstChild && head.firstChild.nodeType === 3) {
          head.firstChild.nodeValue = "Question " + (k + 1) + " · Lecture " + q.dataset.examLecture + " ";
        }
        round.appendChild(q);
      });
      status.textContent = "A round of " + current.length + " questions from " +
        chosen.length + " lecture" + (chosen.length > 1 ? "s" : "") + ".";
      report();
      typeset(round);
      var first = round.querySelector("button, input");
      if (first) { first.focus(); }
    });
    root.querySelector(".dlbook-exam-reset").addEventListener("click", function () {
      if (storage) { try { storage.removeItem(STORE); } catch (e) { /* ignore */ } }
      status.textContent = "Your progress has been reset.";
      changed();
    });
    mastery();
  };
})();
