/* The quick-log's person picker: an ARIA combobox over the server's type-ahead (offices:person-picker).
 * Type a name (either script), a phone, an e-mail or a birth year; the first match is highlighted, the arrows move,
 * Enter picks, Escape closes. Once a client is picked the new-client fields are hidden (out of the tab order) and
 * the focus moves on. Without JavaScript the "Find" button does the same search on the server. */
(function () {
  "use strict";

  function setup(root) {
    var form = root.closest("form");
    var input = root.querySelector("[role=combobox]");
    var list = root.querySelector("[role=listbox]");
    var status = root.querySelector("[data-picker-status]");
    var hidden = form.querySelector("input[type=hidden][name=person]");
    var chosen = root.querySelector("[data-picker-chosen]");
    var newPerson = form.querySelector("[data-new-person]");
    var find = root.querySelector("[data-picker-find]");
    var change = root.querySelector("[data-picker-change]");
    if (!input || !list || !hidden) return; // the server shows its own list of matches: nothing to enhance
    if (find) find.hidden = true;

    var results = [];
    var active = -1;
    var timer = null;
    var serial = 0;

    function open(isOpen) {
      list.hidden = !isOpen;
      input.setAttribute("aria-expanded", isOpen ? "true" : "false");
      if (!isOpen) input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, i) {
        var on = i === index;
        item.setAttribute("aria-selected", on ? "true" : "false");
        item.classList.toggle("active", on);
        if (on) {
          input.setAttribute("aria-activedescendant", item.id);
          item.scrollIntoView({ block: "nearest" });
        }
      });
    }

    function render(data) {
      results = data.results;
      list.textContent = "";
      results.forEach(function (result, i) {
        var item = document.createElement("li");
        item.id = "person-option-" + result.id;
        item.className = "list-group-item list-group-item-action";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.index = String(i);
        var name = document.createElement("span");
        name.className = "fw-bold";
        name.textContent = result.name;
        var details = document.createElement("span");
        details.className = "d-block small";
        details.textContent = result.details;
        item.appendChild(name);
        item.appendChild(details);
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the field
          pick(i);
        });
        list.appendChild(item);
      });
      status.textContent = data.message;
      open(results.length > 0);
      highlight(results.length ? 0 : -1);
    }

    function search() {
      var query = input.value.trim();
      var mine = ++serial;
      if (query.length < 2) {
        results = [];
        list.textContent = "";
        open(false);
        status.textContent = "";
        return;
      }
      fetch(root.dataset.url + "&q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && mine === serial) render(data); })
        .catch(function () { /* offline: the Find button is shown again below */ if (find) find.hidden = false; });
    }

    function showChosen(result) {
      chosen.hidden = !result;
      root.querySelector("[data-picker-chosen-name]").textContent = result ? result.name : "";
      root.querySelector("[data-picker-chosen-details]").textContent = result ? "· " + result.details : "";
      if (newPerson) newPerson.hidden = !!result;
    }

    function pick(index) {
      var result = results[index];
      if (!result) return;
      hidden.value = String(result.id);
      input.value = result.name;
      open(false);
      showChosen(result);
      status.textContent = result.name;
      var next = form.querySelector("[name=summary]");
      if (next) next.focus();
    }

    function release() {
      hidden.value = "";
      showChosen(null);
    }

    input.addEventListener("input", function () {
      if (hidden.value) release(); // typing again lets the chosen client go
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });

    input.addEventListener("keydown", function (event) {
      var isOpen = !list.hidden && results.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!isOpen && results.length) open(true);
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        if (isOpen && active >= 0) {
          event.preventDefault();
          pick(active);
        } else if (input.value.trim() && !hidden.value) {
          event.preventDefault(); // a search without a pick never saves a contact
        }
      } else if (event.key === "Escape") {
        if (isOpen) {
          event.preventDefault();
          open(false);
        }
      }
    });

    input.addEventListener("blur", function () { open(false); });

    if (change) {
      change.addEventListener("click", function (event) {
        event.preventDefault();
        release();
        input.value = "";
        input.focus();
      });
    }
  }

  function familyFields(form) {
    var channel = form.querySelector("select[name=channel]");
    var family = form.querySelectorAll("[data-family-only]");
    if (!channel || !family.length) return;
    function sync() {
      var on = channel.value === "family_report";
      Array.prototype.forEach.call(family, function (el) { el.hidden = !on; });
    }
    channel.addEventListener("change", sync);
    sync();
  }

  /* The topics are one stop in the tab order: the arrows move between them (mirrored right-to-left), Space ticks
   * one, Enter saves the contact as it does in the single-line fields. */
  function rovingGroup(group) {
    var boxes = Array.prototype.slice.call(group.querySelectorAll("input[type=checkbox]"));
    if (!boxes.length) return;
    var form = group.closest("form");
    var rtl = getComputedStyle(group).direction === "rtl";
    function current(index) {
      boxes.forEach(function (box, i) { box.tabIndex = i === index ? 0 : -1; });
    }
    var start = boxes.findIndex(function (box) { return box.checked; });
    current(start < 0 ? 0 : start);
    boxes.forEach(function (box, i) {
      box.addEventListener("focus", function () { current(i); });
      box.addEventListener("keydown", function (event) {
        var step = { ArrowDown: 1, ArrowUp: -1, ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[event.key];
        if (step) {
          event.preventDefault();
          var next = (i + step + boxes.length) % boxes.length;
          current(next);
          boxes[next].focus();
        } else if (event.key === "Home" || event.key === "End") {
          event.preventDefault();
          var edge = event.key === "Home" ? 0 : boxes.length - 1;
          current(edge);
          boxes[edge].focus();
        } else if (event.key === "Enter" && form) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-person-picker]"), setup);
    Array.prototype.forEach.call(document.querySelectorAll("form.quick-log"), familyFields);
    Array.prototype.forEach.call(document.querySelectorAll("form.quick-log [data-roving-group]"), rovingGroup);
  });
})();
