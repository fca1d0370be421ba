// Evidence fingerprints, computed here with Web Crypto: a file chosen "fingerprint only" is read by the
// browser and never sent (its input has no name); only its name, size, type and SHA-256 are posted.
// Files chosen for upload get their digest sent too, so the server can check they arrived unchanged.
(function () {
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function digest(file) {
    return file.arrayBuffer().then(function (bytes) { return crypto.subtle.digest("SHA-256", bytes); }).then(hex);
  }

  function hidden(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    return input;
  }

  function setUp(fieldset) {
    var form = fieldset.closest("form");
    var pending = [];
    var list = fieldset.querySelector("[data-fingerprints]");
    var fingerprintOnly = fieldset.querySelector("[data-fingerprint-only]");
    var upload = fieldset.querySelector("[data-upload]");

    fingerprintOnly.addEventListener("change", function () {
      Array.prototype.forEach.call(fingerprintOnly.files, function (file) {
        pending.push(digest(file).then(function (sha256) {
          var item = document.createElement("li");
          item.className = "fingerprint";
          item.textContent = file.name + " · " + sha256;
          item.appendChild(hidden("fp_name", file.name));
          item.appendChild(hidden("fp_size", String(file.size)));
          item.appendChild(hidden("fp_type", file.type));
          item.appendChild(hidden("fp_sha256", sha256));
          list.appendChild(item);
        }));
      });
      fingerprintOnly.value = "";
    });

    if (upload) upload.addEventListener("change", function () {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=upload_sha256]"), function (old) { old.remove(); });
      var files = Array.prototype.slice.call(upload.files);
      var slots = files.map(function () { var input = hidden("upload_sha256", ""); form.appendChild(input); return input; });
      files.forEach(function (file, index) {
        pending.push(digest(file).then(function (sha256) { slots[index].value = sha256; }));
      });
    });

    form.addEventListener("submit", function (event) {
      if (!pending.length) { return; }
      event.preventDefault();
      var waiting = pending;
      pending = [];
      Promise.all(waiting).then(function () { form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-evidence]"), setUp);
  });
})();

// The verify page: one file's fingerprint into a text field (which can also be typed or pasted into).
document.addEventListener("change", function (event) {
  var input = event.target.closest("[data-digest-into]");
  if (!input || !input.files.length) { return; }
  var target = document.getElementById(input.dataset.digestInto);
  input.files[0].arrayBuffer().then(function (bytes) { return crypto.subtle.digest("SHA-256", bytes); }).then(function (buffer) {
    target.value = Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  });
  input.value = "";
});
