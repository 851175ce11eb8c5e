"""Offline field intake: the device queue's sync API, duplicate and conflict review (server side), and the
installable intake app's pages (manifest, service worker, intake page)."""
