// Poll a background job and fill its progress bar; reveal the download when it is done.
(function () {
  "use strict";
  var box = document.querySelector("[data-job]");
  if (!box) return;
  var bar = box.querySelector("progress"), pct = box.querySelector(".percent");
  var message = box.querySelector(".job-message"), error = box.querySelector(".job-error");
  var download = box.querySelector(".job-download");
  function poll() {
    fetch(box.getAttribute("data-job"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        bar.value = job.percent; pct.textContent = job.percent + "%";
        if (job.message) message.textContent = job.message;
        if (job.status === "failed") { error.hidden = false; error.querySelector("span").textContent = job.error; return; }
        if (job.status === "done") {
          message.textContent = box.getAttribute("data-done-text");
          download.querySelector(".result-name").textContent = job.name;
          download.hidden = !job.download;  // a withdrawn result is not offered
          return;
        }
        setTimeout(poll, 700);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
