// The score sheet: zoom the drawing, and mark it from the keyboard. The sheet works without it.
(function () {
  var zoom = document.querySelector("[data-zoom]");
  if (zoom) {
    var image = zoom.querySelector("img");
    var scale = 1, fitWidth = 0;
    // Zoom from the drawing as fitted to the screen, which the stylesheet decides (the width
    // on a phone, the height beside the marks); it is measured afresh after each "fit".
    var setScale = function (next) {
      if (scale === 1) fitWidth = image.offsetWidth || zoom.clientWidth;  // 0 until it loads
      scale = Math.min(6, Math.max(1, next));
      image.style.width = scale > 1 ? fitWidth * scale + "px" : "";
      zoom.classList.toggle("zoomed", scale > 1);
    };
    document.querySelectorAll("[data-zoom-step]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var step = parseFloat(button.getAttribute("data-zoom-step"));
        setScale(step ? scale * step : 1);
      });
    });
    // A click zooms in on the point clicked; a click on a zoomed drawing fits it again.
    image.addEventListener("click", function (event) {
      if (scale > 1) { setScale(1); return; }
      var box = image.getBoundingClientRect();
      var fx = (event.clientX - box.left) / box.width, fy = (event.clientY - box.top) / box.height;
      setScale(2.5);
      zoom.scrollLeft = fx * image.offsetWidth - zoom.clientWidth / 2;
      zoom.scrollTop = fy * image.offsetHeight - zoom.clientHeight / 2;
    });
    // + and − zoom from the drawing and from the marks, so scoring needs no mouse; text fields
    // keep their keys.
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target.isContentEditable || /^(TEXTAREA|SELECT)$/.test(target.tagName) ||
          (target.tagName === "INPUT" && !/^(radio|checkbox)$/.test(target.type))) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "+" || event.key === "=") { setScale(scale * 1.5); event.preventDefault(); }
      if (event.key === "-") { setScale(scale / 1.5); event.preventDefault(); }
    });
  }

  var sheet = document.querySelector("[data-sheet]");
  if (!sheet) return;
  var groups = Array.prototype.slice.call(sheet.querySelectorAll("fieldset.criterion:not([disabled])"));
  var radios = function (group) { return group.querySelectorAll("input[type=radio]"); };
  var focusGroup = function (group, options) {
    var checked = group.querySelector("input:checked");
    (checked || radios(group)[0]).focus(options);
  };
  // Start where work is left: the first criterion without a mark. The page stays where it is,
  // so the progress and the drawing are the first things seen.
  var still = {preventScroll: true};
  var open = groups.filter(function (g) { return !g.querySelector("input:checked"); })[0];
  if (open) focusGroup(open, still);
  else if (groups.length) sheet.querySelector("button[value=next]").focus(still);

  sheet.addEventListener("keydown", function (event) {
    var group = event.target.closest && event.target.closest("fieldset.criterion");
    if (group && /^[0-9]$/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var value = event.key === "0" ? "10" : event.key;
      var choice = group.querySelector("input[value='" + value + "']");
      if (!choice) return;
      choice.checked = true;
      event.preventDefault();
      var next = groups[groups.indexOf(group) + 1];
      if (next) focusGroup(next);
      else sheet.querySelector("button[value=next]").focus();
    } else if (group && event.key === "Enter") {
      // Enter in a radio group submits as "save and next", like the main button.
      event.preventDefault();
      sheet.querySelector("button[value=next]").click();
    }
  });
})();
