// Send the CSRF token with every htmx request (no inline scripts: the CSP forbids them).
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
  }
});

// A refused form (422: errors next to the fields; 409: someone else saved first) comes back
// as a fragment to show in place, like a successful answer.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// The compact menu on a phone: the button shows and hides the menu (a disclosure). Without
// JavaScript the button stays hidden and the menu stays open.
(function () {
  var header = document.querySelector(".site-header");
  var toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) {
    return;
  }
  var narrow = window.matchMedia("(max-width: 48rem)");
  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  header.classList.add("menu-js");
  toggle.hidden = false;
  setOpen(!narrow.matches);
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && header.classList.contains("menu-open")) {
      setOpen(false);
      toggle.focus();
    }
  });
  narrow.addEventListener("change", function () { setOpen(!narrow.matches); });
})();

// On a phone a table too wide for the screen becomes stacked cards: each cell is labelled with
// its column's heading (data-label, shown before the value). Tables with more than one heading
// row, spanning headings or the class "no-stack" keep their grid and scroll inside themselves,
// focusable so that the keyboard can scroll them too.
(function () {
  var narrow = window.matchMedia("(max-width: 48rem)");
  function headings(table) {
    var head = table.tHead;
    if (!head || head.rows.length !== 1 || table.classList.contains("no-stack")) {
      return null;
    }
    var cells = head.rows[0].cells;
    var names = [];
    for (var i = 0; i < cells.length; i++) {
      if (cells[i].colSpan > 1) {
        return null;
      }
      names.push(cells[i].textContent.replace(/[▲▼]/g, "").replace(/\s+/g, " ").trim());
    }
    return names;
  }
  function label(table, names) {
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        if (row.cells.length !== names.length) {
          return;
        }
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          // A cell that says its heading already (a "Change" button) needs no label.
          var text = cell.textContent.replace(/\s+/g, " ").trim();
          if (names[index] && !cell.hasAttribute("data-label") && text.indexOf(names[index]) !== 0) {
            cell.setAttribute("data-label", names[index]);
          }
        });
      });
    });
  }
  function fit(root) {
    var tables = (root || document).querySelectorAll("main table");
    Array.prototype.forEach.call(tables, function (table) {
      table.classList.remove("stacked");
      if (!narrow.matches) {
        return;
      }
      if (table.scrollWidth <= table.clientWidth + 1) {
        return;
      }
      var names = headings(table);
      if (names) {
        label(table, names);
        // Keep the table's meaning for screen readers when CSS lays it out as blocks.
        table.setAttribute("role", "table");
        Array.prototype.forEach.call(table.rows, function (row) {
          row.setAttribute("role", "row");
          Array.prototype.forEach.call(row.cells, function (cell) {
            if (!cell.hasAttribute("role")) {
              cell.setAttribute("role", cell.tagName === "TH"
                ? (cell.parentNode.parentNode === table.tHead ? "columnheader" : "rowheader")
                : "cell");
            }
          });
        });
        table.classList.add("stacked");
      } else if (!table.hasAttribute("tabindex")) {
        table.setAttribute("tabindex", "0");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { fit(document); });
  document.addEventListener("htmx:afterSettle", function () { fit(document); });
  narrow.addEventListener("change", function () { fit(document); });
})();

// In a long form (a decision and its actions) Enter in a one-line field does not submit: it
// would save, or run another field's search. Enter in a search field runs that search only.
document.addEventListener("keydown", function (event) {
  var field = event.target;
  if (event.key !== "Enter" || event.isComposing || !field.form
      || !field.form.hasAttribute("data-enter-stays") || field.tagName !== "INPUT") {
    return;
  }
  var type = (field.getAttribute("type") || "text").toLowerCase();
  if (["submit", "button", "reset", "checkbox", "radio", "file", "image"].indexOf(type) !== -1) {
    return;
  }
  event.preventDefault();
  if (field.hasAttribute("data-enter-searches") && window.htmx) {
    window.htmx.trigger(field, "search");
  }
});
