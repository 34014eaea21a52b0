{% autoescape off %}/* 村社 service worker (rendered by cunshe/offline/views.py, served at /sw.js so its scope is the whole site).
   Workbox (npm, served locally) does the routing and the caching strategies:
   - the field pages (cunshe/offline/pages.py): network first, the stored copy when there is no signal;
   - static files: stale-while-revalidate (the manifest storage gives them hashed names in production);
   - any other page asked for offline: the queue page, which works from the phone's IndexedDB.
   Entries are not sent by the worker: the pages' queue.js sends them, so a conflict is shown to the person. */
importScripts("{{ workbox }}");
workbox.setConfig({ modulePathPrefix: "{{ modules }}", debug: false });

const VERSION = {{ version }};
const PAGES = "cunshe-pages-" + VERSION;
const STATIC = "cunshe-static-" + VERSION;
const FIELD = {{ pages }}.map((p) => new RegExp(p));
const STATIC_PREFIX = {{ static_prefix }};
const FALLBACK = {{ fallback }};
const ASSETS = {{ assets }};

const { registerRoute, setCatchHandler } = workbox.routing;
const { NetworkFirst, NetworkOnly, StaleWhileRevalidate } = workbox.strategies;
const { ExpirationPlugin } = workbox.expiration;

// Keep only a page that is itself (not a redirect to the login page, not an error page).
const onlyThePage = {
  cacheWillUpdate: async ({ response }) => (response && response.status === 200 && !response.redirected ? response : null),
};
const isField = (url) => url.origin === self.location.origin && FIELD.some((re) => re.test(url.pathname));

async function keep(path) {
  try {
    const response = await fetch(path, { credentials: "same-origin" });
    if (response.ok && !response.redirected) await (await caches.open(PAGES)).put(path, response);
  } catch (e) {
    /* offline: kept next time */
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC);
      await Promise.all(ASSETS.map((a) => cache.add(a).catch(() => null)));
      await keep(FALLBACK);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("cunshe-") && name !== PAGES && name !== STATIC) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// The page that installed the worker was loaded before the worker ran; queue.js asks for it to be kept. Signing out
// asks to forget every kept page (another person may use the phone next).
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep" && isField(new URL(data.url, self.location.origin))) {
    event.waitUntil(Promise.all([keep(new URL(data.url, self.location.origin).pathname), keep(FALLBACK)]));
  } else if (data.type === "forget") {
    event.waitUntil(caches.delete(PAGES));
  }
});

registerRoute(
  ({ request, url }) => request.mode === "navigate" && isField(url),
  new NetworkFirst({
    cacheName: PAGES,
    networkTimeoutSeconds: 8,
    // Django's answers vary on Cookie and Accept-Language, headers a worker's stored requests do not carry alike.
    matchOptions: { ignoreVary: true },
    plugins: [onlyThePage, new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 14 * 24 * 3600 })],
  }),
);
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.pathname.startsWith(STATIC_PREFIX),
  new StaleWhileRevalidate({ cacheName: STATIC, plugins: [onlyThePage], matchOptions: { ignoreVary: true } }),
);
// Any other page: the network only (it is not kept), and the queue page when there is none.
registerRoute(({ request }) => request.mode === "navigate", new NetworkOnly());

setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    const kept = await caches.match(FALLBACK, { cacheName: PAGES, ignoreVary: true });
    if (kept) return kept;
  }
  return Response.error();
});
{% endautoescape %}
