// Drag a drawing onto a page; the same form the select menus post is sent with fetch.
// Keyboard: focus a drawing, press Enter, then choose the page (the select menus also work).
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
      if (e.key !== "Enter") return;
      // Keyboard: take the drawing to the first empty page's menu, pre-selected; Tab to "Put".
      var slot = pages.querySelector(".page-slot.empty") || pages.querySelector(".page-slot");
      var select = slot.querySelector("select[name=entry]");
      select.value = card.dataset.entry;
      select.focus();
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
