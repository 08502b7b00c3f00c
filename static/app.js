// Small helpers shared by every page; each page works without them.
document.addEventListener("submit", function (event) {
  var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

// A menu that changes what the page shows (edition, region) reloads it on choice; the
// page's own button does the same without JavaScript.
document.addEventListener("change", function (event) {
  var menu = event.target;
  if (!menu.form || !menu.hasAttribute("data-autosubmit")) return;
  var reset = menu.getAttribute("data-autosubmit-reset");
  if (reset && menu.form.elements[reset]) menu.form.elements[reset].value = "";
  menu.form.submit();
});

// The staff menu folds behind one button on a phone (the stylesheet decides when).
(function () {
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("staff-menu");
  if (!toggle || !menu) return;
  document.documentElement.classList.add("js-menu");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = menu.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

// After a refused form, the first field to fix gets the focus (and is scrolled to).
(function () {
  var first = document.querySelector(".has-error input, .has-error select, .has-error textarea");
  if (first) first.focus();
})();
