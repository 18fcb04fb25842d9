/* dlbook runtime: quizzes and kernel-free explorers for the interactive deep-learning book.
   One file, no dependencies, no network. Loaded once per page by the book (from _static) and
   inlined into notebook outputs for JupyterLab/Colab, where it only runs if absent. */
(function () {
  "use strict";
  if (window.DLBook) { return; }

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

  /* ------------------------------------------------------------------ quizzes */
  function setFeedback(box, ok, html) {
    box.className = "dlbook-quiz-feedback " + (ok ? "dlbook-correct" : "dlbook-wrong");
    box.innerHTML = "<strong>" + (ok ? "Correct." : "Not quite.") + "</strong> " + html;
    typeset(box);
  }
  function initQuestion(q) {
    if (q.dataset.ready) { return; }
    q.dataset.ready = "1";
    var data = JSON.parse(q.querySelector(".dlbook-quiz-data").textContent);
    var box = q.querySelector(".dlbook-quiz-feedback");
    var options = Array.prototype.slice.call(q.querySelectorAll(".dlbook-quiz-option"));
    if (data.type === "single") {
      options.forEach(function (button, i) {
        button.addEventListener("click", function () {
          options.forEach(function (b) { b.classList.remove("dlbook-picked-right", "dlbook-picked-wrong"); });
          var opt = data.options[i];
          button.classList.add(opt.correct ? "dlbook-picked-right" : "dlbook-picked-wrong");
          setFeedback(box, opt.correct, opt.feedback + (opt.correct ? " " + data.explanation : ""));
        });
      });
    } else if (data.type === "multiple") {
      options.forEach(function (button) {
        button.addEventListener("click", function () {
          button.classList.toggle("dlbook-selected");
          button.setAttribute("aria-pressed", button.classList.contains("dlbook-selected"));
        });
      });
      q.querySelector(".dlbook-quiz-check").addEventListener("click", function () {
        var allRight = true, notes = [];
        options.forEach(function (b, i) {
          var picked = b.classList.contains("dlbook-selected"), opt = data.options[i];
          b.classList.remove("dlbook-picked-right", "dlbook-picked-wrong");
          if (picked) { b.classList.add(opt.correct ? "dlbook-picked-right" : "dlbook-picked-wrong"); }
          if (picked !== opt.correct) { allRight = false; }
          if (picked || opt.correct) {
            notes.push("<li>" + b.innerHTML + ": " + opt.feedback + "</li>");
          }
        });
        setFeedback(box, allRight, data.explanation + "<ul>" + notes.join("") + "</ul>");
      });
    } else {
      var input = q.querySelector(".dlbook-quiz-input");
      var check = function () {
        var value = parseFloat(String(input.value).replace(",", "."));
        if (isNaN(value)) {
          box.className = "dlbook-quiz-feedback dlbook-wrong";
          box.textContent = "Please enter a number.";
          return;
        }
        var ok = Math.abs(value - data.value) <= data.tolerance + 1e-12;
        setFeedback(box, ok, ok ? data.explanation : "Try again, or work through it: " + data.explanation);
      };
      q.querySelector(".dlbook-quiz-check").addEventListener("click", check);
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") { check(); } });
    }
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

  function initConv(root, cfg) {
    var state = { n: cfg.input_size, k: cfg.kernel_size, s: cfg.stride, pad: cfg.padding, d: cfg.dilation, pos: 0 };
    var controls = el("div", { "class": "dlbook-controls" });
    var view = el("div", { "class": "dlbook-view" });
    function slider(name, label, min, max) {
      var wrap = el("label", { "class": "dlbook-control" });
      var caption = el("span", {}, label + ": " + state[name]);
      var input = el("input", { type: "range", min: min, max: max, step: 1, value: state[name], "data-name": name });
      input.addEventListener("input", function () {
        state[name] = parseInt(input.value, 10);
        caption.textContent = label + ": " + state[name];
        redraw();
      });
      wrap.appendChild(caption); wrap.appendChild(input); controls.appendChild(wrap);
      return input;
    }
    slider("n", "input size", 3, 16);
    slider("k", "kernel", 1, 7);
    slider("s", "stride", 1, 4);
    slider("d", "dilation", 1, 3);
    var padWrap = el("label", { "class": "dlbook-control" }, "padding ");
    var select = el("select", { "data-name": "pad" });
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
      var wrap = el("label", { "class": "dlbook-control" });
      var show = function () { return c.label + ": " + c.labels[idx[n]]; };
      var caption = el("span", {}, show());
      var input = el("input", { type: "range", min: 0, max: c.labels.length - 1, step: 1,
        value: idx[n], "data-name": c.name, "aria-label": c.label });
      input.addEventListener("input", function () {
        idx[n] = parseInt(input.value, 10); caption.textContent = show(); redraw();
      });
      wrap.appendChild(caption); wrap.appendChild(input); controls.appendChild(wrap);
    });
    root.appendChild(controls); root.appendChild(view);
    redraw();
  }

  var kinds = { "conv-calculator": initConv, "states": initStates };

  function hydrate(scope) {
    scope = scope || document;
    Array.prototype.forEach.call(scope.querySelectorAll(".dlbook-question"), initQuestion);
    Array.prototype.forEach.call(scope.querySelectorAll(".dlbook-explorer"), function (root) {
      if (root.dataset.ready) { return; }
      root.dataset.ready = "1";
      var cfg = JSON.parse(root.querySelector(".dlbook-explorer-data").textContent);
      var fallback = root.querySelector(".dlbook-explorer-fallback");
      if (fallback) { fallback.remove(); }
      kinds[root.getAttribute("data-kind")](root, cfg);
    });
  }

  window.DLBook = { hydrate: hydrate, convOutput: convOutput };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { hydrate(); });
  } else {
    hydrate();
  }
})();
