/* dlbook runtime: quizzes and kernel-free explorers for the interactive deep-learning book.
   One file, no dependencies, no network. Loaded once per page by the book (from _static) and
   inlined into notebook outputs for JupyterLab/Colab, where it only runs if the page has no
   runtime of this version yet (helpers/runtime.py). The book's copy hydrates the whole page;
   an inline copy hydrates nothing by itself: each output hydrates only itself
   (DLBook.hydrate(output)), so an untrusted or broken output elsewhere on a JupyterLab page
   (markup kept, data scripts stripped) never stops the others. */
(function () {
  "use strict";
  var VERSION = 3;
  if (window.DLBook && window.DLBook.version >= VERSION) { return; }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function typeset(node) {
    if (window.MathJax && window.MathJax.typesetPromise) {
      window.MathJax.typesetPromise([node]).catch(function () {});
    }
  }
  function toArray(list) { return Array.prototype.slice.call(list); }
  /* Elements matching selector inside scope, the scope itself included. */
  function within(scope, selector) {
    var found = toArray(scope.querySelectorAll(selector));
    if (scope.matches && scope.matches(selector)) { found.unshift(scope); }
    return found;
  }
  /* The JSON an element carries in <script type="application/json" class=...>, or null when
     it is missing (an untrusted output keeps the markup but loses its scripts) or broken. */
  function readData(root, cls) {
    var node = toArray(root.children).filter(function (c) {
      return c.tagName === "SCRIPT" && c.classList.contains(cls);
    })[0] || root.querySelector("script." + cls);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  /* ---------------------------------------------------------- numbers (mirrors helpers.quiz) */
  var SPACES = " \t\n\r\f\v\u00a0\u2009\u202f";
  var THOUSANDS = /^[+-]?[0-9]{1,3}([ ,\u00a0\u2009\u202f])[0-9]{3}(?:\1[0-9]{3})*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
  var DECIMAL_COMMA = /^[+-]?[0-9]+,[0-9]+$/;
  var PLAIN = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  function strip(text) {
    var a = 0, b = text.length;
    while (a < b && SPACES.indexOf(text.charAt(a)) >= 0) { a++; }
    while (b > a && SPACES.indexOf(text.charAt(b - 1)) >= 0) { b--; }
    return text.slice(a, b);
  }
  /* {ok: true, value} or {ok: false, message}: the rules of helpers.quiz.parse_number. */
  function parseNumber(text) {
    var shown = strip(String(text));
    var s = shown.replace(/\u2212/g, "-");
    if (!s) { return { ok: false, message: "Please enter a number." }; }
    if (THOUSANDS.test(s)) { s = s.replace(/[ ,\u00a0\u2009\u202f]/g, ""); }
    else if (DECIMAL_COMMA.test(s)) { s = s.replace(",", "."); }
    if (!PLAIN.test(s)) {
      return { ok: false, message: "\"" + shown + "\" is not a number: use digits, one decimal " +
        "point, optional thousands separators and sign, nothing after the number." };
    }
    var value = Number(s);
    if (!isFinite(value)) { return { ok: false, message: "\"" + shown + "\" is too large." }; }
    return { ok: true, value: value };
  }
  /* Within the question's absolute plus relative tolerance (helpers.quiz.numeric_matches). */
  function numericMatches(data, value) {
    var target = Number(data.value);
    var allowed = (data.tolerance || 0) + (data.rel_tolerance || 0) * Math.abs(target) +
      1e-9 * Math.max(1, Math.abs(target));
    return Math.abs(value - target) <= allowed;
  }

  /* ------------------------------------------------------------------ quizzes */
  /* First wrong answer: a hint (the option's feedback; for numbers the bank's hint or the
     direction) and "Try again"; the worked solution after a second wrong answer, on the
     "Show solution" button, or with a right answer. */
  function initQuestion(q) {
    if (q.dataset.ready) { return; }
    var data = readData(q, "dlbook-quiz-data");
    var box = q.querySelector(".dlbook-quiz-feedback");
    if (!data || !box || ["single", "multiple", "numeric"].indexOf(data.type) < 0) {
      q.dataset.ready = "skipped";
      if (box) {
        box.className = "dlbook-quiz-feedback dlbook-quiz-missing";
        box.textContent = "This question cannot be answered here: its answers were not " +
          "loaded (run the cell, or trust the notebook).";
      }
      return;
    }
    q.dataset.ready = "1";
    var options = toArray(q.querySelectorAll(".dlbook-quiz-option"));
    var input = q.querySelector(".dlbook-quiz-input");
    var state = { wrong: 0, solved: false };

    function solution() {
      return "<div class=\"dlbook-quiz-solution-text\"><strong>Worked solution.</strong> " +
        data.explanation + "</div>";
    }
    function show(ok, html, offerSolution) {
      if (!state.reported) {          /* the first graded answer counts for progress */
        state.reported = true;
        announce(q, data.id, ok);
      }
      box.className = "dlbook-quiz-feedback " + (ok ? "dlbook-correct" : "dlbook-wrong");
      box.innerHTML = "<strong>" + (ok ? "Correct." : "Not quite.") + "</strong> " + html;
      if (offerSolution) {
        var button = el("button", { type: "button", "class": "dlbook-quiz-solution" },
                        "Show solution");
        button.addEventListener("click", function () {
          state.solved = true;
          button.remove();
          box.insertAdjacentHTML("beforeend", solution());
          typeset(box);
        });
        box.appendChild(document.createTextNode(" "));
        box.appendChild(button);
      }
      typeset(box);
    }
    /* a wrong answer: the hint first, the solution from the second one on */
    function wrong(hint) {
      state.wrong += 1;
      if (state.wrong >= 2 || state.solved) {
        state.solved = true;
        show(false, hint + solution(), false);
      } else {
        show(false, hint + " Try again.", true);
      }
    }
    function clearMarks() {
      options.forEach(function (b) { b.classList.remove("dlbook-picked-right", "dlbook-picked-wrong"); });
    }

    if (data.type === "single") {
      options.forEach(function (button, i) {
        button.addEventListener("click", function () {
          var opt = data.options[i];
          if (!opt) { return; }
          clearMarks();
          button.classList.add(opt.correct ? "dlbook-picked-right" : "dlbook-picked-wrong");
          if (opt.correct) { show(true, opt.feedback + " " + data.explanation, false); }
          else { wrong(opt.feedback); }
        });
      });
    } else if (data.type === "multiple") {
      options.forEach(function (button) {
        button.setAttribute("aria-pressed", "false");
        button.addEventListener("click", function () {
          button.classList.toggle("dlbook-selected");
          button.setAttribute("aria-pressed", button.classList.contains("dlbook-selected"));
        });
      });
      var checkMany = q.querySelector(".dlbook-quiz-check");
      if (checkMany) {
        checkMany.addEventListener("click", function () {
          var allRight = true, picked = 0, missed = 0, hints = [], notes = [];
          clearMarks();
          options.forEach(function (b, i) {
            var on = b.classList.contains("dlbook-selected"), opt = data.options[i] || {};
            if (on) {
              picked += 1;
              b.classList.add(opt.correct ? "dlbook-picked-right" : "dlbook-picked-wrong");
              if (!opt.correct) { hints.push("<li>" + b.innerHTML + ": " + opt.feedback + "</li>"); }
            }
            if (on !== Boolean(opt.correct)) { allRight = false; }
            if (opt.correct && !on) { missed += 1; }
            if (on || opt.correct) { notes.push("<li>" + b.innerHTML + ": " + opt.feedback + "</li>"); }
          });
          if (!picked) {
            box.className = "dlbook-quiz-feedback dlbook-wrong";
            box.textContent = "Pick at least one option, then Check.";
            return;
          }
          if (allRight) {
            show(true, data.explanation + "<ul>" + notes.join("") + "</ul>", false);
            return;
          }
          if (state.wrong >= 1 || state.solved) {
            wrong("<ul>" + notes.join("") + "</ul>");
            return;
          }
          var hint = hints.length ? "<ul>" + hints.join("") + "</ul>" : "";
          if (missed) {
            hint += (hints.length ? "" : " ") + "You left out " + missed + " correct option" +
              (missed > 1 ? "s" : "") + ".";
          }
          wrong(hint);
        });
      }
    } else if (input) {
      var check = function () {
        var read = parseNumber(input.value);
        if (!read.ok) {
          box.className = "dlbook-quiz-feedback dlbook-wrong";
          box.textContent = read.message;
          return;
        }
        if (numericMatches(data, read.value)) {
          show(true, data.explanation, false);
          return;
        }
        var hint = data.hint ? data.hint :
          "Your answer is too " + (read.value > Number(data.value) ? "large" : "small") + ".";
        wrong(hint);
      };
      var checkOne = q.querySelector(".dlbook-quiz-check");
      if (checkOne) { checkOne.addEventListener("click", check); }
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") { check(); } });
    }
    /* a practice set shows this question again from scratch */
    q.dlbookReset = function () {
      state.wrong = 0; state.solved = false; state.reported = false;
      clearMarks();
      options.forEach(function (b) { b.classList.remove("dlbook-selected"); });
      if (input) { input.value = ""; }
      box.className = "dlbook-quiz-feedback";
      box.innerHTML = "";
    };
  }

  /* ------------------------------------------------ progress kept in this browser only */
  /* localStorage["dlbook-progress-v1"] = {"03": {"bank": {qid: 1 | 0}, "right": n, "tried": n}}:
     for bank questions the first answer of the latest attempt, for generated ones a count.
     No server, no account; where storage is blocked (private windows) nothing is kept. */
  var STORE = "dlbook-progress-v1";
  var storage = (function () {
    try {
      var probe = "dlbook-probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) { return null; }
  })();
  function loadProgress() {
    if (!storage) { return {}; }
    try { return JSON.parse(storage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }
  function saveProgress(all) {
    if (!storage) { return; }
    try { storage.setItem(STORE, JSON.stringify(all)); } catch (e) { /* full: keep going */ }
  }
  function changed() {
    var event;
    try { event = new CustomEvent("dlbook-progress"); } catch (e) { return; }
    document.dispatchEvent(event);
  }
  function where(q) {
    var holder = q.closest ? q.closest("[data-lecture]") : null;
    return {
      lecture: holder ? holder.getAttribute("data-lecture") : null,
      practice: Boolean(q.closest && q.closest(".dlbook-practice, [data-kind=practice]"))
    };
  }
  function announce(q, qid, ok) {
    var at = where(q);
    if (at.lecture) {
      var all = loadProgress();
      var mine = all[at.lecture] || (all[at.lecture] = { bank: {}, right: 0, tried: 0 });
      if (at.practice) { mine.tried += 1; if (ok) { mine.right += 1; } }
      else { mine.bank[qid] = ok ? 1 : 0; }
      saveProgress(all);
    }
    var event;
    try {
      event = new CustomEvent("dlbook-graded", { bubbles: true,
        detail: { qid: qid, ok: ok, lecture: at.lecture, practice: at.practice } });
    } catch (e) { return; }
    q.dispatchEvent(event);
    changed();
  }
  function bankRight(lecture, ids) {
    var mine = loadProgress()[lecture] || { bank: {} };
    return ids.filter(function (id) { return mine.bank[id] === 1; }).length;
  }
  function questionIds(scope) {
    return within(scope, ".dlbook-question").map(function (q) {
      var data = readData(q, "dlbook-quiz-data");
      return data ? data.id : null;
    }).filter(Boolean);
  }
  /* A lecture's quiz shows how many of its questions this reader has answered right. */
  function initMarker(quiz) {
    if (quiz.dataset.marked || !storage) { return; }
    if (quiz.classList.contains("dlbook-practice") || quiz.closest(".dlbook-exam")) { return; }
    quiz.dataset.marked = "1";
    var lecture = quiz.getAttribute("data-lecture"), ids = questionIds(quiz);
    if (!lecture || !ids.length) { return; }
    var mark = el("div", { "class": "dlbook-progress-mark" });
    var title = quiz.querySelector(".dlbook-quiz-title");
    quiz.insertBefore(mark, title ? title.nextSibling : quiz.firstChild);
    function update() {
      var right = bankRight(lecture, ids);
      mark.textContent = right ? "Your progress: " + right + " of " + ids.length +
        " answered right at the first try (kept in this browser)." : "";
      mark.hidden = !right;
    }
    update();
    document.addEventListener("dlbook-progress", update);
  }

  /* ------------------------------------------ practice: fresh questions from a hidden pool */
  function initPractice(root) {
    if (root.dataset.ready) { return; }
    root.dataset.ready = "1";
    var shown = root.querySelector(".dlbook-practice-shown");
    var pool = root.querySelector(".dlbook-practice-pool");
    if (!shown) { return; }
    var count = parseInt(root.getAttribute("data-count"), 10) || 1;
    var all = toArray(shown.children).concat(pool ? toArray(pool.children) : [])
      .filter(function (q) { return q.classList.contains("dlbook-question") && q.dataset.ready === "1"; });
    if (pool) { pool.remove(); }
    if (all.length <= count) { return; }
    var next = count, bar = el("div", { "class": "dlbook-practice-bar" });
    var button = el("button", { type: "button", "class": "dlbook-practice-new" }, "New numbers");
    var status = el("span", { "class": "dlbook-practice-status", "aria-live": "polite" });
    function describe(first) {
      status.textContent = "Questions " + (first + 1) + "–" + (first + count) + " of " +
        all.length + " prepared.";
    }
    describe(0);
    button.addEventListener("click", function () {
      var restarted = false;
      if (next + count > all.length) { next = 0; restarted = true; }
      shown.innerHTML = "";
      all.slice(next, next + count).forEach(function (q, k) {
        if (q.dlbookReset) { q.dlbookReset(); }
        var head = q.querySelector(".dlbook-quiz-head");
        if (head && head.firstChild && head.firstChild.nodeType === 3) {
          head.firstChild.nodeValue = "Question " + (k + 1);
        }
        shown.appendChild(q);
      });
      describe(next);
      if (restarted) { status.textContent += " You have seen them all: starting again."; }
      next += count;
      typeset(shown);
    });
    bar.appendChild(button); bar.appendChild(status);
    shown.parentNode.insertBefore(bar, shown.nextSibling);
  }

  /* ------------------------------------------------ conv arithmetic (mirrors helpers.conv) */
  function convOutput(n, k, s, pad, d) {
    var span = d * (k - 1) + 1;
    if (pad === "same") {
      var outSame = Math.ceil(n / s);
      var total = Math.max((outSame - 1) * s + span - n, 0);
      return { ok: true, out: outSame, before: Math.floor(total / 2), after: total - Math.floor(total / 2), span: span };
    }
    var p = pad === "valid" ? 0 : parseInt(pad, 10);
    if (span > n + 2 * p) {
      return { ok: false, span: span, before: p, after: p,
        message: (d > 1 ? "The dilated kernel spans " : "The kernel spans ") + span +
          " cells but the padded input has only " + (n + 2 * p) + ": the window does not fit anywhere." };
    }
    return { ok: true, out: Math.floor((n + 2 * p - span) / s) + 1, before: p, after: p, span: span };
  }

  function svgNode(tag, attrs) {
    var node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function drawConv(view, st) {
    var r = convOutput(st.n, st.k, st.s, st.pad, st.d);
    view.innerHTML = "";
    var info = el("div", { "class": "dlbook-conv-result" });
    view.appendChild(info);
    var cell = 18, gap = 40;
    var before = r.before, after = r.after, padded = st.n + before + after;
    var outN = r.ok ? r.out : 0;
    var width = padded * cell + (r.ok ? gap + Math.max(outN * cell, 80) : 0) + 4;
    width = Math.max(width, 130);
    var svg = svgNode("svg", { width: width, height: Math.max(padded, outN) * cell + 24,
      viewBox: "0 0 " + width + " " + (Math.max(padded, outN) * cell + 24), role: "img",
      "class": "dlbook-conv-svg", "aria-label": "convolution window over the input grid" });
    for (var i = 0; i < padded; i++) {
      for (var j = 0; j < padded; j++) {
        var isPad = i < before || j < before || i >= before + st.n || j >= before + st.n;
        svg.appendChild(svgNode("rect", { x: 2 + j * cell, y: 20 + i * cell, width: cell - 1, height: cell - 1,
          "class": isPad ? "dlbook-cell-pad" : "dlbook-cell-in" }));
      }
    }
    var label = svgNode("text", { x: 2, y: 13, "class": "dlbook-svg-label" });
    label.textContent = "input " + st.n + "×" + st.n + (before + after ? " + padding" : "");
    svg.appendChild(label);
    if (!r.ok) {
      info.className = "dlbook-conv-result dlbook-conv-error";
      info.textContent = "Impossible setting: " + r.message;
      view.appendChild(svg);
      return r;
    }
    var pos = Math.min(st.pos, outN * outN - 1), row = Math.floor(pos / outN), col = pos % outN;
    for (var a = 0; a < st.k; a++) {
      for (var b = 0; b < st.k; b++) {
        svg.appendChild(svgNode("rect", { x: 2 + (col * st.s + b * st.d) * cell, y: 20 + (row * st.s + a * st.d) * cell,
          width: cell - 1, height: cell - 1, "class": "dlbook-cell-window" }));
      }
    }
    var ox = 2 + padded * cell + gap;
    for (var oi = 0; oi < outN; oi++) {
      for (var oj = 0; oj < outN; oj++) {
        svg.appendChild(svgNode("rect", { x: ox + oj * cell, y: 20 + oi * cell, width: cell - 1, height: cell - 1,
          "class": (oi === row && oj === col) ? "dlbook-cell-window" : "dlbook-cell-out" }));
      }
    }
    var outLabel = svgNode("text", { x: ox, y: 13, "class": "dlbook-svg-label" });
    outLabel.textContent = "output " + outN + "×" + outN;
    svg.appendChild(outLabel);
    view.appendChild(svg);
    var lastEnd = (outN - 1) * st.s + r.span;
    var unused = padded - lastEnd;
    var text = "Output size: " + outN + " × " + outN + ".  ";
    if (st.pad === "same") {
      text += "'same' pads " + before + " before and " + after + " after: ⌈" + st.n + "/" + st.s + "⌉ = " + outN + ".";
    } else {
      var p = st.pad === "valid" ? 0 : st.pad;
      text += "⌊(" + st.n + " + 2·" + p + " − " + r.span + ") / " + st.s + "⌋ + 1 = " + outN + ".";
    }
    info.className = "dlbook-conv-result" + (unused > 0 ? " dlbook-conv-warning" : "");
    if (unused > 0) {
      text += "  The window does not tile the input evenly: the last " + unused +
        " row(s)/column(s) are never covered.";
    }
    info.textContent = text;
    return r;
  }

  /* A slider of fixed width: its name above, the value below, so neither a long value nor
     one that changes while dragging moves the slider under the pointer. */
  function control(parent, name, label, attrs, describe, onInput) {
    var wrap = el("label", { "class": "dlbook-control" });
    var caption = el("span", { "class": "dlbook-control-name" }, label);
    var input = el("input", Object.assign({ type: "range", step: 1, "data-name": name,
      "aria-label": label }, attrs));
    var value = el("span", { "class": "dlbook-control-value" }, describe());
    input.addEventListener("input", function () {
      onInput(parseInt(input.value, 10));
      value.textContent = describe();
    });
    wrap.appendChild(caption); wrap.appendChild(input); wrap.appendChild(value);
    parent.appendChild(wrap);
    return input;
  }

  function initConv(root, cfg) {
    var state = { n: cfg.input_size, k: cfg.kernel_size, s: cfg.stride, pad: cfg.padding, d: cfg.dilation, pos: 0 };
    var controls = el("div", { "class": "dlbook-controls" });
    var view = el("div", { "class": "dlbook-view" });
    function slider(name, label, min, max) {
      return control(controls, name, label, { min: min, max: max, value: state[name] },
        function () { return String(state[name]); },
        function (v) { state[name] = v; redraw(); });
    }
    slider("n", "input size", 3, 16);
    slider("k", "kernel", 1, 7);
    slider("s", "stride", 1, 4);
    slider("d", "dilation", 1, 3);
    var padWrap = el("label", { "class": "dlbook-control" });
    padWrap.appendChild(el("span", { "class": "dlbook-control-name" }, "padding"));
    var select = el("select", { "data-name": "pad", "aria-label": "padding" });
    ["valid", "same", "0", "1", "2", "3"].forEach(function (v) {
      var opt = el("option", { value: v }, v);
      if (String(state.pad) === v) { opt.selected = true; }
      select.appendChild(opt);
    });
    select.addEventListener("change", function () {
      state.pad = /^\d+$/.test(select.value) ? parseInt(select.value, 10) : select.value;
      redraw();
    });
    padWrap.appendChild(select); controls.appendChild(padWrap);
    var posInput = slider("pos", "window position", 0, 0);
    function redraw() {
      var r = convOutput(state.n, state.k, state.s, state.pad, state.d);
      var maxPos = r.ok ? r.out * r.out - 1 : 0;
      posInput.max = maxPos;
      if (state.pos > maxPos) { state.pos = maxPos; posInput.value = maxPos; }
      drawConv(view, state);
    }
    root.appendChild(controls); root.appendChild(view);
    redraw();
  }

  /* ------------------------------------------- state explorers: precomputed slider states */
  function initStates(root, cfg) {
    if (!cfg.controls || !cfg.states) { throw new Error("explorer data without controls/states"); }
    var idx = cfg.controls.map(function (c) { return c.initial || 0; });
    var controls = el("div", { "class": "dlbook-controls" });
    var view = el("div", { "class": "dlbook-view" });
    function key() { return idx.join("_"); }
    function redraw() {
      var html = cfg.states[key()];
      view.innerHTML = html === undefined ? "<p>(no precomputed state)</p>" : html;
      root.setAttribute("data-state", key());
    }
    cfg.controls.forEach(function (c, n) {
      control(controls, c.name, c.label, { min: 0, max: c.labels.length - 1, value: idx[n] },
        function () { return c.labels[idx[n]]; },
        function (v) { idx[n] = v; redraw(); });
    });
    root.appendChild(controls); root.appendChild(view);
    redraw();
  }

  var kinds = { "conv-calculator": initConv, "states": initStates };

  function initExplorer(root) {
    if (root.dataset.ready) { return; }
    var cfg = readData(root, "dlbook-explorer-data"), init = kinds[root.getAttribute("data-kind")];
    if (!cfg || !init) { root.dataset.ready = "skipped"; return; }   /* keep the fallback text */
    root.dataset.ready = "1";
    var fallback = root.querySelector(".dlbook-explorer-fallback");
    if (fallback) { fallback.remove(); }
    init(root, cfg);
  }

  /* One element's failure is reported but never stops the others. */
  function each(scope, selector, init) {
    within(scope, selector).forEach(function (node) {
      try { init(node); } catch (error) {
        if (window.console) { console.error("dlbook: could not set up", selector, error); }
      }
    });
  }

  /* Wire up the quizzes, practice sets and explorers inside scope (default: the page). */
  function hydrate(scope) {
    scope = scope && scope.querySelectorAll ? scope : document;
    each(scope, ".dlbook-question", initQuestion);
    each(scope, ".dlbook-practice", initPractice);
    each(scope, ".dlbook-exam", function (node) {      /* helpers/static/dlbook-exam.js */
      if (window.DLBookExam) { window.DLBookExam(node); }
    });
    each(scope, ".dlbook-quiz[data-lecture]", initMarker);
    each(scope, ".dlbook-explorer", initExplorer);
  }

  window.DLBook = { version: VERSION, hydrate: hydrate, convOutput: convOutput,
                    parseNumber: parseNumber, numericMatches: numericMatches,
                    /* for the practice page's script (dlbook-exam.js) */
                    internals: { el: el, within: within, readData: readData, typeset: typeset,
                                 storage: storage, store: STORE, loadProgress: loadProgress,
                                 bankRight: bankRight, questionIds: questionIds,
                                 changed: changed } };
  if (!window.DLBookInline) {          /* the book's copy: hydrate the whole page once */
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { hydrate(document); });
    } else {
      hydrate(document);
    }
  }
})();
