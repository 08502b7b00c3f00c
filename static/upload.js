// Progressive enhancement for upload forms: send with XHR to show a progress bar.
// Without JavaScript the forms post normally.
(function () {
  "use strict";
  var uploading = document.documentElement.lang === "en" ? "Uploading" : "Загрузка";
  var checking = document.documentElement.lang === "en" ? "Checking the images…" : "Проверяем изображения…";
  document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var box = form.querySelector(".progress");
      if (!box || !window.FormData || !window.XMLHttpRequest) return;
      event.preventDefault();
      var bar = box.querySelector("progress"), label = box.querySelector("span");
      var button = form.querySelector("button[type=submit]");
      box.hidden = false;
      if (button) button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open(form.method || "POST", form.action || window.location.href);
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var pct = Math.round((e.loaded / e.total) * 100);
        bar.value = pct;
        label.textContent = uploading + ": " + pct + "%";
        if (pct >= 100) { bar.removeAttribute("value"); label.textContent = checking; }
      });
      xhr.addEventListener("load", function () {
        if (xhr.responseURL && xhr.responseURL !== window.location.href && xhr.status < 400) {
          window.location.assign(xhr.responseURL);
          return;
        }
        document.open(); document.write(xhr.responseText); document.close();
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.send(new FormData(form));
    });
  });
})();
