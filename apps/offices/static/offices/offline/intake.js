/* The offline intake page: the quick-log form over the device queue, the client picker over the office's recent
 * clients kept on the device, a small form to correct a client, and the queue with each item's status.
 * Every word shown comes from the page (labels) or its JSON catalog (messages), in the page's language. */
(function () {
  "use strict";

  var Q = window.OfflineQueue;
  var PICKER_MAX = 8;
  var EDIT_FIELDS = ["name_latin", "name_arabic", "phone", "email", "residence_country"];
  var PERSON_FIELDS = ["name_latin", "name_arabic", "sex", "birth_year", "phone", "email"];
  var CONTACT_FIELDS = ["channel", "family_relationship", "reporter_name", "reporter_phone", "summary", "outcome",
                        "notes", "follow_up_due"];

  var catalog = JSON.parse(document.getElementById("offline-messages").textContent);
  var config = JSON.parse(document.getElementById("offline-config").textContent);

  function say(name, values) {
    var text = catalog[name] || name;
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(String(values[key])); });
    return text;
  }

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  /* Names folded for the search: Latin without accents or case; Arabic without vowel marks, tatweel or hamza seats,
   * with ta marbuta as ha and alif maqsura as ya, so "Aïcha" finds "aicha" and "فاطمة" finds "فاطمه". */
  function fold(text) {
    return String(text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[\u064b-\u065f\u0670\u0640]/g, "")
      .replace(/[\u0622\u0623\u0625\u0671]/g, "\u0627")
      .replace(/\u0629/g, "\u0647")
      .replace(/\u0649/g, "\u064a")
      .replace(/\u0624/g, "\u0648")
      .replace(/\u0626/g, "\u064a")
      .replace(/\u0621/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
  }

  function matches(clients, query) {
    var words = fold(query).split(" ").filter(Boolean);
    if (!words.length) return [];
    var scored = [];
    clients.forEach(function (client) {
      var hay = " " + client.folded + " ";
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        if (hay.indexOf(" " + words[i]) >= 0) score += 2;
        else if (hay.indexOf(words[i]) >= 0) score += 1;
        else return;
      }
      scored.push({ client: client, score: score });
    });
    scored.sort(function (a, b) { return b.score - a.score; });
    return scored.slice(0, PICKER_MAX).map(function (s) { return s.client; });
  }

  function clientName(client) {
    return [client.name_latin, client.name_arabic].filter(Boolean).join(" · ");
  }

  // State -------------------------------------------------------------------------------------------------

  var form = $("form[data-intake]");
  var editForm = $("form[data-edit-client]");
  var status = $("[data-status]");
  var notice = $("[data-notice]");
  var clients = []; // the current office's recent clients (decrypted, in memory only) and the unsent new ones
  var chosen = null;
  var device = new window.OfflineDevice(config, {
    change: function () { renderQueue(); },
    status: function (kind, name, seconds) {
      var text = say(name);
      if (seconds) text += " " + say("retry_in", { seconds: seconds });
      showStatus(kind, text);
    },
    locked: function (reason) {
      clients = [];
      showNotice(reason === "idle" ? say("locked", { minutes: idleMinutes() }) : say("signed_out"), reason !== "idle");
      setEnabled(false);
      renderQueue();
    },
  });

  function idleMinutes() {
    return device.limits() ? device.limits().idle_minutes : "";
  }

  function showStatus(kind, text) {
    status.className = "alert alert-" + kind + " py-2";
    status.textContent = text;
    status.hidden = !text;
  }

  function showNotice(text, signIn) {
    notice.textContent = text;
    $("[data-notice-box]").hidden = !text;
    $("[data-signin]").hidden = !(signIn && navigator.onLine);
  }

  function setEnabled(on) {
    $$("fieldset, button[type=submit]", form).forEach(function (el) { el.disabled = !on; });
    form.setAttribute("aria-disabled", on ? "false" : "true");
  }

  function networkLine() {
    var line = $("[data-network]");
    line.textContent = navigator.onLine ? say("online") : say("offline");
    line.className = "badge " + (navigator.onLine ? "text-bg-success" : "text-bg-secondary");
  }

  // Offices and clients -----------------------------------------------------------------------------------

  function fillOffices() {
    var select = $("#id_office");
    var offices = device.session ? device.session.offices : [];
    var current = select.value;
    select.textContent = "";
    offices.forEach(function (office) {
      var option = document.createElement("option");
      option.value = String(office.id);
      option.textContent = office.name;
      select.appendChild(option);
    });
    if (current) select.value = current;
    $("[data-office-field]").hidden = offices.length < 2;
  }

  function officeId() {
    return parseInt($("#id_office").value, 10) || null;
  }

  function fetchClients(office) {
    if (!office || !navigator.onLine || !device.unlocked()) return Promise.resolve();
    return fetch(config.persons + "?office=" + office, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        return Q.seal(device.session.key, data.results).then(function (sealed) {
          return Q.putClients({ office: office, keyId: device.session.keyId, iv: sealed.iv, data: sealed.data });
        });
      })
      .catch(function () { /* offline: the list kept on the device serves */ });
  }

  function loadClients() {
    var office = officeId();
    if (!office || !device.unlocked()) {
      clients = [];
      return Promise.resolve();
    }
    return Promise.all([Q.getClients(office), Q.allItems()]).then(function (found) {
      var record = found[0];
      var opened = record && record.keyId === device.session.keyId ? Q.unseal(device.session.key, record) : Promise.resolve([]);
      var pending = found[1].filter(function (item) { return Q.PENDING.indexOf(item.state) >= 0; });
      return Promise.all([opened.catch(function () { return []; })].concat(pending.map(device.read.bind(device))))
        .then(function (values) {
          var list = values[0].map(function (c) { return Object.assign({}, c); });
          values.slice(1).forEach(function (value, i) {
            if (value && value.kind === "person.create" && value.payload.office === office) {
              var p = value.payload;
              list.push({ ref: pending[i].key, name_latin: p.name_latin, name_arabic: p.name_arabic,
                          birth_year: p.birth_year, unsent: true });
            }
          });
          list.forEach(function (c) { c.folded = fold([c.name_latin, c.name_arabic, c.birth_year].join(" ")); });
          clients = list;
          $("[data-clients-count]").textContent = say("clients_cached", { count: values[0].length });
        });
    });
  }

  // The picker --------------------------------------------------------------------------------------------

  var picker = {
    input: $("#id_person_query"),
    list: $("#person-options"),
    live: $("[data-picker-status]"),
    results: [],
    active: -1,
  };

  function pickerOpen(open) {
    picker.list.hidden = !open;
    picker.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) picker.input.removeAttribute("aria-activedescendant");
  }

  function pickerHighlight(index) {
    picker.active = index;
    $$("[role=option]", picker.list).forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
      item.classList.toggle("active", i === index);
      if (i === index) picker.input.setAttribute("aria-activedescendant", item.id);
    });
  }

  function pickerSearch() {
    var query = picker.input.value.trim();
    picker.list.textContent = "";
    if (query.length < 2) {
      picker.results = [];
      picker.live.textContent = "";
      return pickerOpen(false);
    }
    picker.results = matches(clients, query);
    picker.results.forEach(function (client, i) {
      var item = document.createElement("li");
      item.id = "offline-option-" + i;
      item.className = "list-group-item list-group-item-action";
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      var name = document.createElement("span");
      name.className = "fw-bold";
      name.dir = "auto";
      name.textContent = clientName(client);
      item.appendChild(name);
      var details = [client.birth_year, client.unsent ? say("new_client") : ""].filter(Boolean).join(" · ");
      if (details) {
        var small = document.createElement("span");
        small.className = "d-block small";
        small.textContent = details;
        item.appendChild(small);
      }
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        pick(client);
      });
      picker.list.appendChild(item);
    });
    picker.live.textContent = picker.results.length
      ? say("found", { count: picker.results.length })
      : say("no_match", { query: query });
    pickerOpen(picker.results.length > 0);
    pickerHighlight(picker.results.length ? 0 : -1);
  }

  function pick(client) {
    chosen = client;
    picker.input.value = clientName(client);
    pickerOpen(false);
    $("[data-picker-chosen]").hidden = false;
    $("[data-picker-chosen-name]").textContent = clientName(client);
    $("[data-edit-open]").hidden = !!client.unsent;
    $("[data-new-person]").hidden = true;
    picker.live.textContent = clientName(client);
    $("#id_summary").focus();
  }

  function release() {
    chosen = null;
    $("[data-picker-chosen]").hidden = true;
    $("[data-new-person]").hidden = false;
    editForm.hidden = true;
  }

  picker.input.addEventListener("input", function () {
    if (chosen) release();
    pickerSearch();
  });
  picker.input.addEventListener("keydown", function (event) {
    var open = !picker.list.hidden && picker.results.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open && picker.results.length) pickerOpen(true);
      pickerHighlight(Math.min(picker.active + 1, picker.results.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      pickerHighlight(Math.max(picker.active - 1, 0));
    } else if (event.key === "Enter" && open && picker.active >= 0) {
      event.preventDefault();
      pick(picker.results[picker.active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      pickerOpen(false);
    }
  });
  picker.input.addEventListener("blur", function () { pickerOpen(false); });
  $("[data-picker-change]").addEventListener("click", function () {
    release();
    picker.input.value = "";
    picker.input.focus();
  });

  // The contact form --------------------------------------------------------------------------------------

  function value(name, root) {
    var field = (root || form).elements[name];
    if (!field) return "";
    if (field.type === "checkbox") return field.checked;
    return field.value.trim();
  }

  function checked(name) {
    return $$("input[name=" + name + "]:checked", form).map(function (box) { return box.value; });
  }

  function clearErrors(root) {
    $$("[data-device-error]", root).forEach(function (el) { el.remove(); });
    $$("[aria-invalid]", root).forEach(function (el) {
      el.removeAttribute("aria-invalid");
      el.classList.remove("is-invalid");
    });
  }

  function fieldError(root, name, text) {
    var field = root.elements[name];
    var target = field && field.length && !field.tagName ? field[0].closest("fieldset") : field;
    if (!target) return;
    var error = document.createElement("div");
    error.className = "invalid-feedback d-block";
    error.id = "device-error-" + name;
    error.dataset.deviceError = "";
    error.textContent = text;
    if (target.tagName === "FIELDSET") {
      target.setAttribute("aria-invalid", "true");
      target.appendChild(error);
    } else {
      target.classList.add("is-invalid");
      target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", ((target.getAttribute("aria-describedby") || "") + " " + error.id).trim());
      target.parentNode.insertBefore(error, target.nextSibling);
    }
    return target;
  }

  function validate() {
    var errors = [];
    if (!officeId()) errors.push(["office", say("need_office")]);
    if (!chosen && !value("name_latin") && !value("name_arabic")) errors.push(["name_latin", say("need_client")]);
    var year = value("birth_year");
    if (!chosen && year && !(+year >= 1900 && +year <= 2100)) errors.push(["birth_year", say("bad_year")]);
    if (!chosen && value("email") && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value("email"))) errors.push(["email", say("bad_email")]);
    if (!value("summary")) errors.push(["summary", say("need_summary")]);
    if (!checked("topics").length) errors.push(["topics", say("need_topic")]);
    return errors;
  }

  function contactEntries() {
    var entries = [];
    var person;
    var name;
    if (chosen) {
      person = chosen.ref ? { ref: chosen.ref } : chosen.id;
      name = clientName(chosen);
    } else {
      var key = crypto.randomUUID();
      var payload = { office: officeId(), vulnerabilities: checked("vulnerabilities") };
      PERSON_FIELDS.forEach(function (field) { payload[field] = value(field); });
      payload.birth_year = payload.birth_year ? parseInt(payload.birth_year, 10) : null;
      name = clientName(payload);
      entries.push({ key: key, kind: "person.create", payload: payload, label: name });
      person = { ref: key };
    }
    var contact = { person: person, topics: checked("topics"), occurred_at: new Date().toISOString(),
                    reporter_may_call_back: value("reporter_may_call_back") };
    CONTACT_FIELDS.forEach(function (field) { contact[field] = value(field); });
    if (contact.channel !== "family_report") {
      contact.family_relationship = contact.reporter_name = contact.reporter_phone = "";
      contact.reporter_may_call_back = false;
    }
    if (contact.follow_up_due) contact.follow_up_assignee = device.session.userId;
    else delete contact.follow_up_due;
    entries.push({ key: crypto.randomUUID(), kind: "contact.create", payload: contact,
                   label: say("contact_for", { name: name }), notes: !!contact.notes });
    return entries;
  }

  function resetForm() {
    var office = $("#id_office").value;
    form.reset();
    $("#id_office").value = office;
    release();
    familyFields();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors(form);
    if (!device.unlocked()) return;
    var errors = validate();
    if (errors.length) {
      var first = null;
      errors.forEach(function (error) { first = first || fieldError(form, error[0], error[1]); });
      if (first && first.focus) first.focus();
      return;
    }
    device.touch();
    device.enqueue(contactEntries()).then(function (added) {
      if (!added) {
        showStatus("danger", say("full", { max: device.limits().max_items }));
        return;
      }
      resetForm();
      showStatus("success", say("saved"));
      return loadClients().then(renderQueue).then(function () { if (navigator.onLine) device.sync(); });
    });
  });

  function familyFields() {
    var on = $("#id_channel").value === "family_report";
    $$("[data-family-only]").forEach(function (el) { el.hidden = !on; });
  }
  $("#id_channel").addEventListener("change", familyFields);

  // Correcting a client -------------------------------------------------------------------------------------

  $("[data-edit-open]").addEventListener("click", function () {
    if (!chosen || chosen.unsent) return;
    editForm.reset();
    clearErrors(editForm);
    editForm.elements["edit-name_latin"].value = chosen.name_latin || "";
    editForm.elements["edit-name_arabic"].value = chosen.name_arabic || "";
    $("[data-edit-name]").textContent = clientName(chosen);
    editForm.hidden = false;
    editForm.elements["edit-name_latin"].focus();
  });
  $("[data-edit-cancel]").addEventListener("click", function () { editForm.hidden = true; });

  editForm.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors(editForm);
    if (!chosen || !device.unlocked()) return;
    // The device knows the names (from the recent list); the other fields it never saw: a value typed there is a
    // change, an empty one leaves the server's value alone.
    var base = { name_latin: chosen.name_latin || "", name_arabic: chosen.name_arabic || "" };
    var changes = {};
    EDIT_FIELDS.forEach(function (field) {
      var typed = value("edit-" + field, editForm);
      if (field in base ? typed !== base[field] : typed) changes[field] = typed;
    });
    if (changes.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(changes.email)) {
      fieldError(editForm, "edit-email", say("bad_email")).focus();
      return;
    }
    if (!Object.keys(changes).length) {
      showStatus("info", say("no_changes"));
      return;
    }
    var baseSeen = {};
    Object.keys(changes).forEach(function (field) { if (field in base) baseSeen[field] = base[field]; });
    var payload = { id: chosen.id, base_version: chosen.version, base: baseSeen, changes: changes };
    device.touch();
    device
      .enqueue([{ key: crypto.randomUUID(), kind: "person.update", payload: payload,
                  label: say("update_for", { name: clientName(chosen) }) }])
      .then(function (added) {
        if (!added) return showStatus("danger", say("full", { max: device.limits().max_items }));
        editForm.hidden = true;
        showStatus("success", say("update_saved"));
        renderQueue();
        if (navigator.onLine) device.sync();
      });
  });

  // The queue ---------------------------------------------------------------------------------------------

  var BADGES = { queued: "text-bg-secondary", sending: "text-bg-info", synced: "text-bg-success",
                 duplicate: "text-bg-warning", conflict: "text-bg-warning", rejected: "text-bg-danger",
                 unreadable: "text-bg-dark" };

  function renderItem(item, value) {
    var li = document.createElement("li");
    li.className = "list-group-item d-flex flex-wrap gap-2 align-items-center";
    li.dataset.state = item.state;
    li.dataset.key = item.key;
    li.dataset.testid = "queue-item";
    var label = document.createElement("span");
    label.className = "flex-grow-1";
    label.dir = "auto";
    label.textContent = value ? value.label : "…";
    li.appendChild(label);
    if (value && value.notes) {
      var notes = document.createElement("span");
      notes.className = "small text-body-secondary";
      notes.textContent = say("notes_recorded");
      li.appendChild(notes);
    }
    var badge = document.createElement("span");
    badge.className = "badge " + BADGES[item.state];
    badge.dataset.status = item.state;
    badge.textContent = say(item.state);
    li.appendChild(badge);
    var result = value && value.result;
    if (result && result.review_url) {
      var link = document.createElement("a");
      link.href = result.review_url;
      link.textContent = say("open_review");
      link.dataset.review = item.state;
      li.appendChild(link);
    }
    if (result && item.state === "rejected") {
      var message = document.createElement("span");
      message.className = "w-100 small text-danger-emphasis";
      var details = result.errors ? Object.keys(result.errors).map(function (k) { return result.errors[k].join(" "); }) : [];
      message.textContent = [result.message].concat(details).filter(Boolean).join(" ");
      li.appendChild(message);
    }
    return li;
  }

  var rendering = Promise.resolve();
  function renderQueue() {
    rendering = rendering.then(function () {
      return Q.allItems().then(function (items) {
        return Promise.all(items.map(device.read.bind(device))).then(function (values) {
          var list = $("[data-queue]");
          list.textContent = "";
          items.forEach(function (item, i) { list.appendChild(renderItem(item, values[i])); });
          var pending = items.filter(function (item) { return Q.PENDING.indexOf(item.state) >= 0; }).length;
          var limits = device.limits();
          $("[data-count]").textContent = limits ? say("count", { count: pending, max: limits.max_items }) : "";
          $("[data-count]").dataset.pending = String(pending);
          var unreadable = items.some(function (item) { return item.state === "unreadable"; });
          $("[data-unreadable]").hidden = !unreadable;
          $("[data-clear]").hidden = !items.some(function (item) { return item.state === "synced"; });
        });
      });
    }).catch(function () {});
    return rendering;
  }

  function removeWhere(states) {
    return Q.allItems().then(function (items) {
      var seqs = items.filter(function (item) { return states.indexOf(item.state) >= 0; }).map(function (i) { return i.seq; });
      return Q.deleteItems(seqs);
    }).then(renderQueue);
  }

  $("[data-sync-now]").addEventListener("click", function () { device.touch(); device.sync(); });
  $("[data-clear]").addEventListener("click", function () { removeWhere(["synced"]); });
  $("[data-discard]").addEventListener("click", function () { removeWhere(["unreadable"]); });

  // Start -------------------------------------------------------------------------------------------------

  function ready() {
    fillOffices();
    var unlocked = device.unlocked();
    setEnabled(unlocked);
    if (unlocked) showNotice("");
    else if (!device.session) showNotice(say("signed_out"), true);
    return Promise.resolve(unlocked && navigator.onLine ? fetchClients(officeId()) : null)
      .then(loadClients)
      .then(renderQueue);
  }

  $("#id_office").addEventListener("change", function () {
    release();
    fetchClients(officeId()).then(loadClients);
  });

  ["pointerdown", "keydown", "input"].forEach(function (type) {
    document.addEventListener(type, function () { device.touch(); }, { passive: true });
  });
  setInterval(function () { device.checkIdle(); }, 30000);

  window.addEventListener("online", function () {
    networkLine();
    device.refresh().then(ready).then(function () { device.sync(); }).catch(function () {});
  });
  window.addEventListener("offline", networkLine);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.worker, { scope: config.scope }).catch(function () {});
  }

  // For the browser tests and the console: the device (its queue can only be read with the session's key anyway).
  window.offlineIntake = { device: device, fold: fold };

  networkLine();
  familyFields();
  setEnabled(false);
  device.start().then(ready).then(function () {
    document.documentElement.dataset.offlineReady = "true";
    if (navigator.onLine) device.sync();
  });
})();
