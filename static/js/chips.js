/* Type-ahead pickers with chips (the ARIA combobox pattern), made from a plain <select> or <select multiple>
   marked data-chips by apps/core/widgets.py. The select stays in the form, hidden, and is what is submitted:
   without this script the form works as it is. Words of the interface come from data-* attributes of this
   script's own tag (translated by the server). Directions are logical, so Arabic mirrors by itself. */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = function (name, value) {
    var template = (script && script.getAttribute("data-" + name)) || "";
    return value === undefined ? template : template.replace("{item}", value);
  };
  var counter = 0;
  var MAX_SHOWN = 40;

  // The same folding as the server's vocabulary search: case, accents, Arabic letter variants, punctuation.
  function fold(value) {
    return (value || "").normalize("NFD").replace(/[\u0300-\u036f\u064b-\u065f\u0670\u0640]/g, "")
      .toLowerCase().replace(/[أإآٱ]/g, "ا").replace(/ة/g, "ه").replace(/ى/g, "ي")
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // A word without the Arabic article (المغرب → مغرب), as people type it either way.
  function bare(word) {
    return word.length > 4 && word.indexOf("ال") === 0 ? word.slice(2) : word;
  }

  function Picker(select) {
    this.select = select;
    this.multiple = select.multiple;
    this.source = select.getAttribute("data-chips-source");
    this.proposeName = select.getAttribute("data-chips-propose");
    this.active = -1;
    this.items = [];
    this.pending = null;
    this.build();
  }

  Picker.prototype.build = function () {
    var select = this.select;
    var id = select.id || "chips-" + (++counter);
    var box = document.createElement("div");
    box.className = "chips";
    this.chips = document.createElement("ul");
    this.chips.className = "chips-list list-unstyled";
    this.chips.setAttribute("aria-label", text("chosen"));
    this.input = document.createElement("input");
    this.input.type = "text";
    this.input.id = id + "-input";
    this.input.className = "form-control chips-input";
    this.input.autocomplete = "off";
    this.input.setAttribute("role", "combobox");
    this.input.setAttribute("aria-autocomplete", "list");
    this.input.setAttribute("aria-expanded", "false");
    this.input.setAttribute("aria-controls", id + "-listbox");
    this.input.placeholder = text("placeholder");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) { this.input.setAttribute(name, select.getAttribute(name)); }
    }, this);
    this.listbox = document.createElement("ul");
    this.listbox.id = id + "-listbox";
    this.listbox.className = "chips-options list-unstyled";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.hidden = true;
    this.status = document.createElement("div");
    this.status.className = "chips-status form-text";
    this.status.setAttribute("aria-live", "polite");
    var label = document.querySelector("label[for='" + select.id + "']");
    if (label) {
      label.htmlFor = this.input.id;
      if (!label.id) { label.id = id + "-label"; }
      this.listbox.setAttribute("aria-labelledby", label.id);
      this.chips.setAttribute("aria-label", text("chosen") + " " + label.textContent.trim());
    }
    box.appendChild(this.chips);
    box.appendChild(this.input);
    box.appendChild(this.listbox);
    box.appendChild(this.status);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.insertAdjacentElement("afterend", box);
    var fallback = box.parentNode.querySelector(".chips-fallback");
    if (fallback) { fallback.hidden = true; }
    this.renderChips();
    this.listen();
  };

  Picker.prototype.listen = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.search(); });
    this.input.addEventListener("focus", function () { if (!self.source) { self.search(); } });
    this.input.addEventListener("keydown", function (event) { self.key(event); });
    this.input.addEventListener("blur", function () {
      setTimeout(function () { if (!self.listbox.contains(document.activeElement)) { self.close(); } }, 150);
    });
    // A tap on an option must not blur the input first (the list would close under the finger).
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { self.choose(Number(option.getAttribute("data-index"))); }
      var propose = event.target.closest(".chips-propose");
      if (propose) { self.propose(); }
    });
    this.chips.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-value]");
      if (button) { self.remove(button.getAttribute("data-value")); self.input.focus(); }
    });
  };

  Picker.prototype.key = function (event) {
    var open = !this.listbox.hidden && this.items.length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (this.listbox.hidden) { this.search(); } else if (open) { this.move(Math.min(this.active + 1, this.items.length - 1)); }
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (open) { this.move(Math.max(this.active - 1, 0)); }
    } else if (event.key === "Enter") {
      if (open && this.active >= 0) { event.preventDefault(); this.choose(this.active); }
      else if (!this.listbox.hidden) { event.preventDefault(); }
    } else if (event.key === "Escape") {
      if (!this.listbox.hidden) { event.preventDefault(); this.close(); }
    } else if (event.key === "Backspace" && this.input.value === "" && this.multiple) {
      var chosen = this.selected();
      if (chosen.length) { this.remove(chosen[chosen.length - 1].value); }
    }
  };

  Picker.prototype.selected = function () {
    return Array.prototype.filter.call(this.select.options, function (o) { return o.selected && o.value; });
  };

  Picker.prototype.search = function () {
    var query = this.input.value;
    if (this.source) {
      if (fold(query).length < 1) { this.close(); return; }
      var self = this;
      clearTimeout(this.pending);
      this.pending = setTimeout(function () { self.fetch(query); }, 150);
      return;
    }
    var words = fold(query).split(" ").filter(Boolean).map(bare);
    var items = [];
    Array.prototype.forEach.call(this.select.options, function (option) {
      if (!option.value || option.selected || items.length >= MAX_SHOWN) { return; }
      var label = fold(option.textContent).split(" ").map(bare);
      // Every word typed starts a word of the option (so "mar" finds Maroc, "مغرب" finds المغرب).
      var matches = words.every(function (word) {
        return label.some(function (part) { return part.indexOf(word) === 0; });
      });
      if (matches) { items.push({ value: option.value, label: option.textContent.trim() }); }
    });
    this.show(items, query);
  };

  Picker.prototype.fetch = function (query) {
    var self = this;
    var url = new URL(this.source, window.location.href);
    url.searchParams.set("q", query);
    url.searchParams.set("lang", document.documentElement.lang || "en");
    url.searchParams.set("page_size", "20");
    fetch(url.toString(), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (self.input.value !== query) { return; }  // an older answer: the person has typed on
        var chosen = self.selected().map(function (o) { return o.value; });
        var items = (data.results || []).filter(function (row) { return chosen.indexOf(String(row.code)) < 0; })
          .map(function (row) { return { value: String(row.code), label: row.label }; });
        self.show(items, query);
      })
      .catch(function () { self.show([], query); });
  };

  Picker.prototype.show = function (items, query) {
    this.items = items;
    this.listbox.textContent = "";
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    var self = this;
    items.forEach(function (item, index) {
      var li = document.createElement("li");
      li.id = self.listbox.id + "-" + index;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-index", String(index));
      li.className = "chips-option";
      li.textContent = item.label;
      self.listbox.appendChild(li);
    });
    var typed = query.trim();
    if (!items.length && typed) {
      var none = document.createElement("li");
      none.className = "chips-none";
      none.textContent = text("none", typed);
      this.listbox.appendChild(none);
      if (this.proposeField()) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-outline-primary btn-sm chips-propose";
        button.textContent = text("propose", typed);
        item.appendChild(button);
        this.listbox.appendChild(item);
      }
      this.status.textContent = text("none", typed);
    } else {
      this.status.textContent = "";
    }
    var open = this.listbox.children.length > 0;
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", open && items.length ? "true" : "false");
    if (items.length && typed) { this.move(0); }
  };

  Picker.prototype.move = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("active", i === index);
    });
    this.active = index;
    if (options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    }
  };

  Picker.prototype.optionFor = function (value, label) {
    var option = Array.prototype.find.call(this.select.options, function (o) { return o.value === value; });
    if (!option) {
      option = new Option(label, value);
      this.select.appendChild(option);
    }
    return option;
  };

  Picker.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) { return; }
    if (!this.multiple) {
      Array.prototype.forEach.call(this.select.options, function (o) { o.selected = false; });
    }
    this.optionFor(item.value, item.label).selected = true;
    this.select.dispatchEvent(new Event("change", { bubbles: true }));
    this.input.value = "";
    this.close();
    this.renderChips();
    this.status.textContent = text("added", item.label);
    this.input.focus();
  };

  Picker.prototype.remove = function (value) {
    var option = this.optionFor(value, value);
    option.selected = false;
    if (!this.multiple) { this.select.value = ""; }
    this.select.dispatchEvent(new Event("change", { bubbles: true }));
    this.renderChips();
    this.status.textContent = text("removed", option.textContent.trim());
  };

  Picker.prototype.renderChips = function () {
    this.chips.textContent = "";
    this.selected().forEach(function (option) {
      var li = document.createElement("li");
      li.className = "chip";
      var label = document.createElement("span");
      label.textContent = option.textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "chip-remove";
      button.setAttribute("data-value", option.value);
      button.setAttribute("aria-label", text("remove", option.textContent.trim()));
      button.textContent = "×";
      li.appendChild(label);
      li.appendChild(button);
      this.chips.appendChild(li);
    }, this);
    this.chips.hidden = !this.chips.children.length;
  };

  Picker.prototype.proposeField = function () {
    if (!this.proposeName || !this.select.form) { return null; }
    var prefix = this.select.name.slice(0, this.select.name.lastIndexOf("-") + 1);
    return this.select.form.elements[prefix + this.proposeName] || this.select.form.elements[this.proposeName] || null;
  };

  Picker.prototype.propose = function () {
    var field = this.proposeField();
    if (!field) { return; }
    field.value = this.input.value.trim();
    this.input.value = "";
    this.close();
    field.focus();
    this.status.textContent = text("proposed");
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  function enhance(root) {
    root.querySelectorAll("select[data-chips]:not([data-chips-ready])").forEach(function (select) {
      select.setAttribute("data-chips-ready", "");
      new Picker(select);
    });
    root.querySelectorAll(".chips-fallback-block").forEach(function (block) { block.hidden = true; });
  }

  enhance(document);
  // Parts of a page swapped in by htmx get their pickers too.
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
