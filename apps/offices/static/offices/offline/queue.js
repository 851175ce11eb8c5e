/* The offline intake's device store: IndexedDB, every personal value encrypted with AES-GCM.
 *
 * The key comes from the server (GET /api/v1/offline/session/?device=<id>: the user's key on this device, the same at
 * every sign-in until the password changes) and is imported as a NON-extractable CryptoKey: the page can encrypt and decrypt with it, no script can read its bytes. It is kept in
 * IndexedDB so the queue can be read with the network off; it is deleted at sign-out and after the idle time.
 *
 * Stores: "meta" (the session record: user id, key, key id, limits, offices; the device id; the last activity),
 * "items" (the queue, in the order it was filled: {seq, key, state, keyId, iv, data}), "clients" (each office's
 * recent clients for the picker: {office, keyId, iv, data}). Only the item's state and idempotency key are plain. */
(function () {
  "use strict";

  var DB_NAME = "portal-offline-intake";
  var VERSION = 1;
  var PENDING = ["queued", "sending"];
  var connection = null;

  function promised(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open() {
    if (connection) return Promise.resolve(connection);
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("meta", { keyPath: "name" });
        var items = db.createObjectStore("items", { keyPath: "seq", autoIncrement: true });
        items.createIndex("state", "state");
        items.createIndex("key", "key", { unique: true });
        db.createObjectStore("clients", { keyPath: "office" });
      };
      request.onsuccess = function () {
        connection = request.result;
        // Another tab signs out (deletes the database): let it, and forget this connection.
        connection.onversionchange = function () { connection.close(); connection = null; };
        resolve(connection);
      };
      request.onerror = function () { reject(request.error); };
      request.onblocked = function () { reject(new Error("blocked")); };
    });
  }

  function tx(stores, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(stores, mode);
        var result;
        Promise.resolve(work(transaction)).then(function (value) { result = value; }, reject);
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error || new Error("aborted")); };
      });
    });
  }

  function getMeta(name) {
    return tx(["meta"], "readonly", function (t) { return promised(t.objectStore("meta").get(name)); });
  }

  function setMeta(record) {
    return tx(["meta"], "readwrite", function (t) { return promised(t.objectStore("meta").put(record)); });
  }

  function deleteMeta(name) {
    return tx(["meta"], "readwrite", function (t) { return promised(t.objectStore("meta").delete(name)); });
  }

  // Keys and ciphers ----------------------------------------------------------------------------------------

  function fromBase64Url(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function importKey(base64url) {
    var raw = fromBase64Url(base64url);
    var key = crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    raw.fill(0);
    return key;
  }

  function seal(key, value) {
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(value));
    return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, plain).then(function (data) {
      return { iv: iv, data: data };
    });
  }

  function unseal(key, record) {
    return crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, key, record.data).then(function (plain) {
      return JSON.parse(new TextDecoder().decode(plain));
    });
  }

  // The queue ---------------------------------------------------------------------------------------------

  function allItems() {
    return tx(["items"], "readonly", function (t) { return promised(t.objectStore("items").getAll()); });
  }

  function countPending() {
    return tx(["items"], "readonly", function (t) {
      var index = t.objectStore("items").index("state");
      return Promise.all(PENDING.map(function (state) { return promised(index.count(state)); })).then(
        function (counts) { return counts[0] + counts[1]; }
      );
    });
  }

  /* Add items (already sealed) in one transaction, refusing the lot when the queue would pass ``max``. */
  function addItems(records, max) {
    return tx(["items"], "readwrite", function (t) {
      var store = t.objectStore("items");
      var index = store.index("state");
      return Promise.all(PENDING.map(function (state) { return promised(index.count(state)); })).then(
        function (counts) {
          if (counts[0] + counts[1] + records.length > max) return false;
          records.forEach(function (record) { store.add(record); });
          return true;
        }
      );
    });
  }

  function putItem(record) {
    return tx(["items"], "readwrite", function (t) { return promised(t.objectStore("items").put(record)); });
  }

  function deleteItems(seqs) {
    return tx(["items"], "readwrite", function (t) {
      var store = t.objectStore("items");
      seqs.forEach(function (seq) { store.delete(seq); });
    });
  }

  function getClients(office) {
    return tx(["clients"], "readonly", function (t) { return promised(t.objectStore("clients").get(office)); });
  }

  function putClients(record) {
    return tx(["clients"], "readwrite", function (t) { return promised(t.objectStore("clients").put(record)); });
  }

  /* After the idle time: the key and the client lists go; the sealed queue stays, readable again when the server
   * hands the key back to the same user (a live session, or a new sign-in). */
  function lock() {
    return tx(["meta", "clients"], "readwrite", function (t) {
      var meta = t.objectStore("meta");
      t.objectStore("clients").clear();
      return promised(meta.get("session")).then(function (session) {
        if (session) {
          delete session.key;
          meta.put(session);
        }
      });
    });
  }

  /* Sign-out: everything on the device goes. */
  function wipe() {
    if (connection) {
      connection.close();
      connection = null;
    }
    return new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    });
  }

  window.OfflineQueue = {
    open: open,
    getMeta: getMeta,
    setMeta: setMeta,
    deleteMeta: deleteMeta,
    importKey: importKey,
    seal: seal,
    unseal: unseal,
    allItems: allItems,
    countPending: countPending,
    addItems: addItems,
    putItem: putItem,
    deleteItems: deleteItems,
    getClients: getClients,
    putClients: putClients,
    lock: lock,
    wipe: wipe,
    PENDING: PENDING,
    DB_NAME: DB_NAME,
  };
})();
