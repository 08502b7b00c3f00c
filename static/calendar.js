// The calendar page: drag a drawing onto a page, choose the page on the drawing's card, or type
// the drawing's number under the page; click a page
// to see it as it will print. Every change is one of the page's forms: htmx (loaded before this
// file) sends it and swaps in the parts that changed; without htmx the form posts and the page
// comes back. Keyboard: focus a drawing, press Enter, then Enter again on the page's "Put"
// button (or use the card's own page menu). Events are caught on the document, so parts swapped in later work the same.
(function () {
  "use strict";
  var pages = document.querySelector(".pages");
  if (!pages) return;
  var messages = document.getElementById("calendar-messages");
  var dragging = null; // some browsers keep dataTransfer empty on drop: remember it here
  var focused = null; // the id of the control that had the focus when a form was sent

  function entryField(slot) {
    return slot.querySelector("input[name=entry]");
  }

  // Put a drawing on a page: its number goes in the page's field, and its form is sent (by
  // htmx, or as a plain post without it); the server checks every rule.
  function assign(slot, entry) {
    var field = entryField(slot);
    field.value = entry;
    if (field.form.requestSubmit) field.form.requestSubmit();
    else field.form.submit();
  }

  function showPreview(face) {
    var preview = document.getElementById("page-preview");
    var url = face.dataset.preview;
    preview.src = url + (url.indexOf("?") < 0 ? "?" : "&") + "t=" + Date.now();
    preview.alt = face.getAttribute("aria-label");
    preview.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  document.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest(".candidate");
    if (!card) return;
    dragging = card.dataset.entry;
    e.dataTransfer.setData("text/plain", card.dataset.entry);
    e.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("keydown", function (e) {
    var card = e.target.classList && e.target.classList.contains("candidate") ? e.target : null;
    // A drawing the family did not allow printing goes on no page.
    if (!card || e.key !== "Enter" || card.dataset.print !== "1") return;
    // Keyboard: the drawing's number goes into the first empty page's field, and the focus
    // onto that page's "Put" button: a second Enter places it (the field can take another).
    e.preventDefault();
    var slot = pages.querySelector(".page-slot.empty") || pages.querySelector(".page-slot");
    var field = entryField(slot);
    field.value = card.dataset.entry;
    var put = field.form.querySelector("button[type=submit]");
    (put || field).focus();
  });
  pages.addEventListener("dragover", function (e) {
    var slot = e.target.closest(".page-slot");
    if (!slot) return;
    e.preventDefault();
    slot.classList.add("over");
  });
  pages.addEventListener("dragleave", function (e) {
    var slot = e.target.closest(".page-slot");
    if (slot && !slot.contains(e.relatedTarget)) slot.classList.remove("over");
  });
  pages.addEventListener("drop", function (e) {
    var slot = e.target.closest(".page-slot");
    if (!slot) return;
    e.preventDefault();
    slot.classList.remove("over");
    var entry = e.dataTransfer.getData("text/plain") || dragging;
    dragging = null;
    if (entry) assign(slot, entry);
  });
  pages.addEventListener("click", function (e) {
    var face = e.target.closest(".page-face");
    if (face) showPreview(face);
  });

  // The server swaps in the cards of the drawings that moved: only those the list shows now.
  document.addEventListener("htmx:configRequest", function (e) {
    if (e.detail.verb !== "post") return;
    var shown = [];
    document.querySelectorAll(".candidate[data-entry]").forEach(function (card) {
      shown.push(card.dataset.entry);
    });
    e.detail.headers["X-Calendar-Cards"] = shown.join(",");
  });

  // The parts swapped in replace the control that had the focus: give it back to its new copy.
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    var form = active && active.closest ? active.closest("form") : null;
    focused = active && active.id ? active.id
      : form && form.querySelector("[name=entry][id], select[id]")
        ? form.querySelector("[name=entry][id], select[id]").id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    // What the change said (a refusal, the fill's report): in view, where the pages and the
    // drawings are not side by side (a phone).
    if (messages.children.length) messages.scrollIntoView({ block: "nearest" });
    var active = document.activeElement;
    if (focused && (!active || active === document.body)) {
      var again = document.getElementById(focused);
      if (again) again.focus();
    }
  });
  // A session that ended answers with the sign-in page: go there.
  document.addEventListener("htmx:afterRequest", function (e) {
    var url = e.detail.xhr && e.detail.xhr.responseURL;
    if (e.detail.successful && url && new URL(url).pathname.indexOf("/calendar") !== 0) {
      window.location.assign(url);
    }
  });
  // No answer, or one the page cannot show (a server error, a lost session): say so.
  function failed() {
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.textContent = messages.dataset.failed;
    messages.replaceChildren(p);
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
})();
