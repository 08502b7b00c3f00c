// Drag a rectangle on the drawing to fill the mask form (per cent of the image).
(function () {
  "use strict";
  var editor = document.querySelector("[data-mask-editor]");
  var form = document.getElementById("mask-form");
  if (!editor || !form) return;
  var img = editor.querySelector("img"), box = null, start = null;
  function pct(e) {
    var r = img.getBoundingClientRect();
    return { x: Math.min(Math.max((e.clientX - r.left) / r.width, 0), 1) * 100,
             y: Math.min(Math.max((e.clientY - r.top) / r.height, 0), 1) * 100 };
  }
  editor.addEventListener("pointerdown", function (e) {
    e.preventDefault();
    start = pct(e);
    box = document.createElement("div");
    box.className = "mask drawing";
    editor.appendChild(box);
    editor.setPointerCapture(e.pointerId);
  });
  editor.addEventListener("pointermove", function (e) {
    if (!start) return;
    var p = pct(e), x = Math.min(p.x, start.x), y = Math.min(p.y, start.y);
    var w = Math.abs(p.x - start.x), h = Math.abs(p.y - start.y);
    box.style.left = x + "%"; box.style.top = y + "%"; box.style.width = w + "%"; box.style.height = h + "%";
    form.x.value = x.toFixed(1); form.y.value = y.toFixed(1); form.w.value = w.toFixed(1); form.h.value = h.toFixed(1);
  });
  editor.addEventListener("pointerup", function () {
    start = null;
    form.closest("details").open = true;
  });
})();
