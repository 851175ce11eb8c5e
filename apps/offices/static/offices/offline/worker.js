/* The offline intake's service worker (served by offices:offline-worker, which puts self.OFFLINE_CONFIG above:
 * {version, page, files}). It keeps the intake page and its static files, nothing else: the API's answers (which
 * name people) never enter the Cache API; they live encrypted in IndexedDB, written by the page.
 *
 * The page: network first (a new sign-in or release is seen at once), the kept copy when the network fails.
 * Static files: the kept copy first (their contents are in the cache's version, so a release makes a new cache). */
"use strict";

var CONFIG = self.OFFLINE_CONFIG;
var CACHE = "offline-intake-" + CONFIG.version;
var PREFIX = "offline-intake-" + CONFIG.version.split("-")[0] + "-";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll([CONFIG.page].concat(CONFIG.files));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PREFIX) === 0 && name !== CACHE; // this language's older releases
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function isPage(url) {
  return url.origin === self.location.origin && url.pathname === CONFIG.page;
}

function isKeptFile(url) {
  return url.origin === self.location.origin && CONFIG.files.indexOf(url.pathname) >= 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (isPage(url)) {
    event.respondWith(
      fetch(request).then(function (response) {
        // Only the page itself is kept: never a redirect to the sign-in page or an error.
        if (response.ok && !response.redirected && response.type === "basic") {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(CONFIG.page, copy); });
        }
        return response;
      }).catch(function () {
        return caches.open(CACHE).then(function (cache) { return cache.match(CONFIG.page); }).then(function (kept) {
          return kept || Response.error();
        });
      })
    );
  } else if (isKeptFile(url)) {
    event.respondWith(
      caches.open(CACHE).then(function (cache) {
        return cache.match(url.pathname).then(function (kept) { return kept || fetch(request); });
      })
    );
  }
  // Anything else (the API above all) goes to the network untouched.
});
