/* The offline intake's device: its id, the session (key, limits, offices), the idle lock and the sync of the queue.
 *
 * Sync sends the queue in order, in batches of at most batch_max items, each with its idempotency key; the server
 * answers a key it has already seen with its first answer, so an item whose answer was lost (the connection cut
 * mid-request) is simply sent again. A network failure is retried with a growing delay; the online event and the
 * "Sync now" button try at once. Items whose answer is final keep only their label and the answer: the payload
 * (and so any restricted notes) leaves the device. */
(function () {
  "use strict";

  var Q = window.OfflineQueue;
  var FINAL = { created: "synced", updated: "synced", done: "synced", duplicate: "duplicate", conflict: "conflict" };
  var RETRY_DELAYS = [2, 4, 8, 15, 30, 60];

  function Device(config, events) {
    this.config = config;
    this.events = events; // {change(), status(kind, text), locked(reason)}
    this.session = null; // the meta record: {userId, keyId, key, limits, offices}
    this.csrf = "";
    this.running = false;
    this.failures = 0;
    this.retryTimer = null;
  }

  Device.prototype.limits = function () {
    return this.session ? this.session.limits : null;
  };

  Device.prototype.unlocked = function () {
    return !!(this.session && this.session.key);
  };

  /* Start: the stored session, locked first if the device sat idle too long; then the server's, when reachable. */
  Device.prototype.start = function () {
    var self = this;
    return Promise.all([Q.getMeta("session"), Q.getMeta("activity")]).then(function (found) {
      self.session = found[0] || null;
      var last = found[1] ? found[1].at : 0;
      if (self.session && self.session.key && self.idleExpired(last)) return self.lock();
    }).then(function () {
      return self.refresh().catch(function () { /* offline: what the device holds is what there is */ });
    });
  };

  Device.prototype.idleExpired = function (last) {
    var limits = this.limits();
    return !!(limits && last && Date.now() - last > limits.idle_minutes * 60000);
  };

  Device.prototype.lock = function () {
    var self = this;
    return Q.lock().then(function () {
      if (self.session) delete self.session.key;
      self.events.locked("idle");
    });
  };

  /* GET the session for this device. The key is the user's on this device: every sign-in of the same user hands the
   * same key back (after a session ended during a day offline, signing in again unlocks the queue). It changes only
   * when the password changes; items sealed under the old key are then unreadable, and marked so. Another user's
   * data is erased first (the device id stays: it names the device, not a person, and the key was made with it). */
  Device.prototype.refresh = function () {
    var self = this;
    return this.deviceId()
      .then(function (device) {
        var url = self.config.session + "?device=" + encodeURIComponent(device);
        return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      })
      .then(function (response) {
        if (response.status === 401 || response.status === 403 || response.redirected) {
          self.events.locked("signed_out");
          throw new Error("signed out");
        }
        if (!response.ok) throw new Error("session " + response.status);
        return response.json();
      })
      .then(function (data) {
        self.csrf = data.csrf_token;
        var old = self.session;
        var limits = {
          max_items: data.max_items, max_age_days: data.max_age_days,
          idle_minutes: data.idle_minutes, batch_max: data.batch_max,
        };
        var next = { name: "session", userId: data.user.id, keyId: data.key_id, limits: limits, offices: data.offices };
        var chain = Promise.resolve();
        if (old && old.userId !== data.user.id) {
          chain = Q.wipe().then(function () {
            old = null;
            self.events.status("warning", "other_user");
            return Q.setMeta({ name: "device", id: self.device });
          });
        }
        return chain
          .then(function () { return Q.importKey(data.device_key); })
          .then(function (key) {
            next.key = key;
            if (old && old.keyId !== data.key_id) return self.markUnreadable(data.key_id);
          })
          .then(function () {
            self.session = next;
            return Q.setMeta(next);
          })
          .then(function () { return self.touch(true); })
          .then(function () { return data; });
      });
  };

  /* Pending items sealed under a key that is no longer the user's (the password changed): nobody can read them. */
  Device.prototype.markUnreadable = function (keyId) {
    return Q.allItems().then(function (items) {
      return Promise.all(items.filter(function (item) {
        return Q.PENDING.indexOf(item.state) >= 0 && item.keyId !== keyId;
      }).map(function (item) {
        item.state = "unreadable";
        return Q.putItem(item);
      }));
    });
  };

  Device.prototype.deviceId = function () {
    var self = this;
    return Q.getMeta("device").then(function (record) {
      if (record) return (self.device = record.id);
      self.device = crypto.randomUUID();
      return Q.setMeta({ name: "device", id: self.device }).then(function () { return self.device; });
    });
  };

  /* Activity: kept in memory, written down at most once a minute (and at once when ``now``). */
  Device.prototype.touch = function (now) {
    var at = Date.now();
    this.lastActive = at;
    if (!now && this.lastWritten && at - this.lastWritten < 60000) return Promise.resolve();
    this.lastWritten = at;
    return Q.setMeta({ name: "activity", at: at });
  };

  Device.prototype.checkIdle = function () {
    if (this.unlocked() && this.idleExpired(this.lastActive)) return this.lock();
    return Promise.resolve();
  };

  // Items -------------------------------------------------------------------------------------------------

  Device.prototype.read = function (item) {
    if (!this.unlocked() || item.state === "unreadable") return Promise.resolve(null);
    return Q.unseal(this.session.key, item).catch(function () { return null; });
  };

  /* Queue entries [{kind, payload, label, notes}] together, or none when the bound would be passed. */
  Device.prototype.enqueue = function (entries) {
    var self = this;
    var created = new Date().toISOString();
    return Promise.all(
      entries.map(function (entry) {
        var value = { kind: entry.kind, payload: entry.payload, label: entry.label, notes: !!entry.notes,
                      created_on_device: created };
        return Q.seal(self.session.key, value).then(function (sealed) {
          return { key: entry.key, state: "queued", keyId: self.session.keyId, iv: sealed.iv, data: sealed.data };
        });
      })
    ).then(function (records) { return Q.addItems(records, self.session.limits.max_items); });
  };

  Device.prototype.pending = function () {
    return Q.allItems().then(function (items) {
      return items.filter(function (item) { return Q.PENDING.indexOf(item.state) >= 0; });
    });
  };

  // Sync --------------------------------------------------------------------------------------------------

  Device.prototype.sync = function () {
    var self = this;
    if (this.running || !navigator.onLine) return Promise.resolve();
    this.running = true;
    clearTimeout(this.retryTimer);
    this.events.status("info", "syncing");
    return this.refresh()
      .then(function () { return self.sendAll(); })
      .then(function () {
        self.failures = 0;
        self.events.status("success", "sync_done");
      })
      .catch(function (error) {
        return self.requeue().then(function () { return error; });
      })
      .then(function (error) {
        if (!error) return;
        if (!self.unlocked() || error.message === "signed out") return;
        self.failures += 1;
        var delay = RETRY_DELAYS[Math.min(self.failures - 1, RETRY_DELAYS.length - 1)];
        self.events.status("warning", "sync_failed", delay);
        self.retryTimer = setTimeout(function () { self.sync(); }, delay * 1000);
      })
      .then(function () {
        self.running = false;
        self.events.change();
      });
  };

  /* A batch whose answer never came goes back to "queued": it is sent again, with the same keys. */
  Device.prototype.requeue = function () {
    return Q.allItems().then(function (items) {
      return Promise.all(items.filter(function (item) { return item.state === "sending"; }).map(function (item) {
        item.state = "queued";
        return Q.putItem(item);
      }));
    });
  };

  /* Batches, in order, until nothing is pending or the server asks to wait (a reference not yet known). */
  Device.prototype.sendAll = function () {
    var self = this;
    return this.pending().then(function (items) {
      if (!items.length) return;
      var batch = items.slice(0, self.session.limits.batch_max);
      return self.sendBatch(batch).then(function (wait) { if (!wait) return self.sendAll(); });
    });
  };

  Device.prototype.sendBatch = function (batch) {
    var self = this;
    var values = [];
    var all = batch;
    return Promise.all(all.map(function (item) { return self.read(item); }))
      .then(function (opened) {
        batch = [];
        all.forEach(function (item, i) {
          if (opened[i]) {
            item.state = "sending";
            batch.push(item);
            values.push(opened[i]);
          } else {
            item.state = "unreadable"; // sealed under a key this device no longer has
          }
        });
        return Promise.all(all.map(function (item) { return Q.putItem(item); }));
      })
      .then(function () {
        self.events.change();
        if (!batch.length) return { results: [] };
        var body = {
          device: self.device,
          items: batch.map(function (item, i) {
            return { key: item.key, kind: values[i].kind, created_on_device: values[i].created_on_device,
                     payload: values[i].payload };
          }),
        };
        return fetch(self.config.sync, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": self.csrf },
          body: JSON.stringify(body),
        }).then(function (response) { return self.answers(response); });
      })
      .then(function (data) {
        var wait = false;
        return data.results
          .reduce(function (chain, result, i) {
            return chain.then(function () {
              var item = batch[i];
              var value = self.answer(item, values[i] || {}, result);
              if (item.state === "queued") wait = true;
              return Q.seal(self.session.key, value).then(function (sealed) {
                item.iv = sealed.iv;
                item.data = sealed.data;
                return Q.putItem(item);
              });
            });
          }, Promise.resolve())
          .then(function () { return wait; });
      });
  };

  Device.prototype.answers = function (response) {
    if (response.status === 401 || response.status === 403) {
      this.events.locked("signed_out");
      throw new Error("signed out");
    }
    if (!response.ok) throw new Error("sync " + response.status);
    return response.json();
  };

  /* The server's answer: the item's new state, and what the device keeps of it (sealed like the rest). Once the
   * answer is final, the payload (and so any restricted notes) leaves the device: only its label stays. */
  Device.prototype.answer = function (item, value, result) {
    var status = result.status === "replayed" ? result.original_status : result.status;
    if (status === "rejected" && result.code === "unknown_ref") {
      item.state = "queued"; // the client it refers to is not on the server yet: sent again at the next sync
      return value;
    }
    item.state = FINAL[status] || "rejected";
    return {
      kind: value.kind,
      label: value.label,
      notes: value.notes,
      result: {
        status: status,
        id: result.object ? result.object.id : null,
        review_url: result.review_url || "",
        message: result.message || "",
        errors: result.errors || null,
      },
    };
  };

  window.OfflineDevice = Device;
})();
