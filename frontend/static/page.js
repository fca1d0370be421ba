// Small behaviours of the pages, once inline onclick= attributes: the Content-Security-Policy runs no
// inline script. Every page works without them; they only save a step.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-action]");
  if (!target) { return; }
  if (target.dataset.action === "print") { window.print(); }
  if (target.dataset.action === "select") { target.select(); }
});

// Tables read as cards on a phone (style.css): each cell gets its column's heading as data-label. Without
// this script a table keeps its columns and scrolls sideways inside its frame.
function labelTable(table) {
  var head = table.tHead ? table.tHead.rows[0] : table.rows[0];
  if (!head || table.classList.contains("month") || table.rows.length < 2) { return; }
  var headings = Array.prototype.every.call(head.cells, function (cell) { return cell.tagName === "TH"; });
  if (!headings || head.cells.length < 2) { return; }
  head.classList.add("head");
  var names = [];
  Array.prototype.forEach.call(head.cells, function (cell) {
    for (var i = 0; i < (cell.colSpan || 1); i++) { names.push(cell.textContent.trim()); }
  });
  Array.prototype.forEach.call(table.tBodies, function (body) {
    Array.prototype.forEach.call(body.rows, function (row) {
      if (row === head) { return; }
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (!cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[column] || ""); }
        column += cell.colSpan || 1;
      });
    });
  });
  table.classList.add("cards");
}
document.addEventListener("DOMContentLoaded", function () {
  Array.prototype.forEach.call(document.querySelectorAll("table"), labelTable);
});
