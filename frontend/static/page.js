// Small behaviours of the pages, once inline onclick= attributes: the Content-Security-Policy runs no
// inline script. Every page works without them; they only save a step.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-action]");
  if (!target) { return; }
  if (target.dataset.action === "print") { window.print(); }
  if (target.dataset.action === "select") { target.select(); }
});
