// Drag a drawing onto a page; the same form the select menus post is sent with fetch.
// Keyboard: focus a drawing, press Enter, then Enter again on the page's "Put" button (the
// menus under each page also work).
(function () {
  "use strict";
  var pages = document.querySelector(".pages");
  if (!pages) return;
  var preview = document.getElementById("page-preview");
  var dragging = null; // some browsers keep dataTransfer empty on drop: remember it here

  function assign(slot, entry) {
    var body = new FormData();
    body.append("csrf_token", pages.dataset.csrf);
    body.append("slot", slot);
    body.append("entry", entry);
    body.append("region", pages.dataset.region);
    body.append("contest", pages.dataset.contest);
    return fetch(pages.dataset.assignUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function () { window.location.reload(); });
  }

  document.querySelectorAll(".candidate").forEach(function (card) {
    card.addEventListener("dragstart", function (e) {
      dragging = card.dataset.entry;
      e.dataTransfer.setData("text/plain", card.dataset.entry);
      e.dataTransfer.effectAllowed = "move";
    });
    card.addEventListener("keydown", function (e) {
      // A drawing the family did not allow printing has no place in any page's menu.
      if (e.key !== "Enter" || card.dataset.print !== "1") return;
      // Keyboard: the drawing goes into the first empty page's menu, and the focus onto that
      // page's "Put" button: a second Enter places it (the menu stays there to pick another).
      e.preventDefault();
      var slot = pages.querySelector(".page-slot.empty") || pages.querySelector(".page-slot");
      var select = slot.querySelector("select[name=entry]");
      select.value = card.dataset.entry;
      var put = select.form && select.form.querySelector("button[type=submit], button:not([type])");
      (put || select).focus();
    });
  });
  pages.querySelectorAll(".page-slot").forEach(function (slot) {
    slot.addEventListener("dragover", function (e) { e.preventDefault(); slot.classList.add("over"); });
    slot.addEventListener("dragleave", function () { slot.classList.remove("over"); });
    slot.addEventListener("drop", function (e) {
      e.preventDefault();
      slot.classList.remove("over");
      var entry = e.dataTransfer.getData("text/plain") || dragging;
      dragging = null;
      if (entry) assign(slot.dataset.slot, entry);
    });
    slot.querySelector(".page-face").addEventListener("click", function () {
      preview.src = this.dataset.preview + (this.dataset.preview.indexOf("?") < 0 ? "?" : "&") + "t=" + Date.now();
      preview.scrollIntoView({ block: "nearest", behavior: "smooth" });
    });
  });
})();
