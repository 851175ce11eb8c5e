/* Sign-out erases the offline intake's device store (apps/offices/static/offices/offline/queue.js). When items are
 * still waiting to be sent, the user is warned first: once erased they are gone.
 * The script tag carries the translated warning in data-warning, with {count} for the number of items. */
(function () {
  "use strict";

  var script = document.currentScript;
  var warning = script ? script.dataset.warning || "" : "";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-offline-signout]") || form.dataset.wiped || !window.OfflineQueue) return;
    event.preventDefault();
    var Q = window.OfflineQueue;
    // A browser that never opened the intake has no store: nothing to count or erase (and none is created).
    var known = indexedDB.databases
      ? indexedDB.databases().then(function (list) {
          return list.some(function (db) { return db.name === Q.DB_NAME; });
        })
      : Promise.resolve(true);
    known
      .then(function (exists) { return exists ? Q.countPending() : 0; })
      .catch(function () { return 0; })
      .then(function (count) {
        if (count > 0 && !window.confirm(warning.split("{count}").join(String(count)))) return false;
        return Q.wipe().then(function () { return true; });
      })
      .then(function (go) {
        if (!go) return;
        form.dataset.wiped = "true";
        form.submit();
      });
  });
})();
