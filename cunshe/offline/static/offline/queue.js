/* 村社 field work without a signal (loaded on every signed-in page; the worker is cunshe/offline/templates/offline/sw.js).

   A form marked data-offline="<kind>" is not posted by the browser: its entry (fields, photos resized here, a UUID as
   client id) is written to the phone's IndexedDB first, then sent. Sent entries leave the queue; entries that cannot
   be sent yet stay and go when the network returns (the "online" event, each page load, a minute's timer, 重新发送).
   The server answers the queue in JSON (cunshe/offline/queued.py): saved, already saved (a resend), refused with
   reasons, or in conflict with a change made meanwhile — then the entry and the record as it now stands are shown
   side by side on /offline/ and nothing is overwritten until the person decides. */
(function () {
  "use strict";

  const DB_NAME = "cunshe-offline";
  const STORE = "entries";
  // Photos: longest edge 1600 px, JPEG quality 0.8 — a phone photo of 4000 px and 3-6 MB becomes about 200-400 KB,
  // still legible for a notice board or a repaired road, and quick over a weak signal.
  const MAX_EDGE = 1600;
  const QUALITY = 0.8;
  const STATES = { queued: "待发送", refused: "被退回", conflict: "有冲突" };

  const user = document.body.dataset.user || "";
  // Without a secure origin (plain http to an address) there is no worker, no UUID and no location: the forms then
  // post as ordinary forms.
  const hasStore =
    window.isSecureContext && "indexedDB" in window && typeof window.idb !== "undefined" && typeof crypto.randomUUID === "function";

  if ("serviceWorker" in navigator && window.isSecureContext && user) {
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => registration.active && registration.active.postMessage({ type: "keep", url: location.pathname }))
      .catch(() => null);
  }
  // Signing out forgets the kept pages (the phone may be handed on); unsent entries stay, shown only to their writer.
  document.addEventListener("submit", (event) => {
    if (event.target.matches("form[data-offline-signout]") && navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "forget" });
    }
  });
  if (!user || !hasStore) return;

  let opened = null;
  function db() {
    opened =
      opened ||
      window.idb.openDB(DB_NAME, 1, {
        upgrade(database) {
          database.createObjectStore(STORE, { keyPath: "id" }).createIndex("user", "user");
        },
      });
    return opened;
  }
  async function mine() {
    const entries = await (await db()).getAllFromIndex(STORE, "user", user);
    return entries.sort((a, b) => a.created - b.created);
  }
  const save = async (entry) => (await db()).put(STORE, entry);
  const drop = async (id) => (await db()).delete(STORE, id);

  /* ---- writing an entry ---- */

  async function shrink(file) {
    if (!file.type.startsWith("image/")) return file;
    let bitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch (e) {
      return file; // a format this browser cannot decode (HEIC on most): sent as taken, the server checks its size
    }
    const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
    if (!blob || (scale === 1 && blob.size >= file.size)) return file;
    return new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
  }

  function labelOf(element) {
    const label = element.labels && element.labels[0];
    if (label) return label.textContent.trim();
    const legend = element.closest("fieldset") && element.closest("fieldset").querySelector("legend");
    return legend ? legend.textContent.trim() : element.name;
  }

  // What the person wrote, as they saw it (labels and shown texts), for the queue and a conflict.
  function describe(form) {
    const shown = [];
    for (const element of form.elements) {
      if (!element.name || element.type === "hidden" || element.type === "submit" || element.type === "button") continue;
      let text = "";
      if (element.type === "radio") {
        if (!element.checked) continue;
        text = element.labels && element.labels[0] ? element.labels[0].textContent.trim() : element.value;
        shown.push([element.closest("fieldset") ? labelOf(element) : element.name, text]);
        continue;
      }
      if (element.type === "checkbox") text = element.checked ? "是" : "";
      else if (element.type === "file") text = Array.from(element.files || []).map((f) => f.name).join("、");
      else if (element.tagName === "SELECT") text = element.value ? element.selectedOptions[0].textContent.trim() : "";
      else text = element.value.trim();
      if (text) shown.push([labelOf(element), text]);
    }
    return shown;
  }

  async function capture(form, submitter) {
    const data = new FormData(form, submitter || undefined);
    const fields = [];
    const files = [];
    for (const [name, value] of data.entries()) {
      if (name === "csrfmiddlewaretoken" || name === "client_id") continue;
      if (value instanceof File) {
        if (value.size) {
          const sent = await shrink(value);
          files.push([name, sent, sent.name]);
        }
      } else fields.push([name, value]);
    }
    return {
      id: crypto.randomUUID(),
      user,
      kind: form.dataset.offline,
      url: form.action,
      page: location.pathname,
      title: form.dataset.offlineTitle || document.title.replace(/ · 村社$/, ""),
      created: Date.now(),
      fields,
      files,
      shown: describe(form),
      state: "queued",
      message: "",
      errors: {},
      current: {},
    };
  }

  /* ---- sending ---- */

  // The network and the session as they really are (navigator.onLine only knows an interface is up).
  async function session() {
    try {
      const response = await fetch("/offline/state/", { credentials: "same-origin", cache: "no-store" });
      // A server error is not a lost sign-in: the entries wait for the next try instead of asking to sign in again.
      if (response.status >= 500) return { unavailable: true };
      if (!response.ok || response.redirected) return { signedOut: true };
      const state = await response.json();
      return state.user === user ? state : { signedOut: true };
    } catch (e) {
      return null;
    }
  }

  async function post(entry, csrf, mode) {
    const body = new FormData();
    for (const [name, value] of entry.fields) body.append(name, value);
    for (const [name, file, filename] of entry.files) body.append(name, file, filename);
    body.append("client_id", entry.id);
    body.append("csrfmiddlewaretoken", csrf);
    let response;
    try {
      response = await fetch(entry.url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-Cunshe-Queue": mode, "X-CSRFToken": csrf },
      });
    } catch (e) {
      return { kind: "offline", message: "网络不通，有网络时自动发送。" };
    }
    const json = (response.headers.get("Content-Type") || "").includes("application/json");
    const data = json ? await response.json().catch(() => null) : null;
    if (response.ok && data && !response.redirected) return { kind: "sent", url: data.url, message: data.message };
    if (response.status === 409) {
      const current = (data && data.current) || {};
      return { kind: "conflict", message: (data && data.message) || "记录已被他人修改。", errors: (data && data.errors) || {}, current };
    }
    if ([400, 403, 404].includes(response.status)) {
      const fallback = { 400: "提交的数据有误，未保存。", 403: "您无权提交该记录。", 404: "未找到该记录。" }[response.status];
      return { kind: "refused", message: (data && data.message) || fallback, errors: (data && data.errors) || {} };
    }
    return { kind: "offline", message: "服务器暂时无法保存，稍后自动重试。" };
  }

  async function sendAll() {
    const pending = (await mine()).filter((e) => e.state === "queued");
    if (!pending.length) return;
    const state = await session();
    if (!state || state.signedOut || state.unavailable) {
      const message = !state
        ? "网络不通，有网络时自动发送。"
        : state.unavailable
          ? "服务器暂时无法保存，稍后自动重试。"
          : "登录已过期：请重新登录，登录后自动发送。";
      for (const entry of pending) {
        entry.message = message;
        await save(entry);
      }
      return;
    }
    for (const entry of pending) {
      const result = await post(entry, state.csrf, "background");
      if (result.kind === "sent") {
        await drop(entry.id);
        continue;
      }
      Object.assign(entry, { message: result.message, errors: result.errors || {}, current: result.current || {} });
      if (result.kind !== "offline") entry.state = result.kind;
      await save(entry);
      if (result.kind === "offline") break;
    }
  }

  let running = null;
  function flush() {
    if (!running) {
      const work = navigator.locks ? navigator.locks.request("cunshe-offline-send", sendAll) : sendAll();
      running = work.catch(() => null).finally(() => {
        running = null;
        return render();
      });
    }
    return running;
  }

  /* ---- showing the queue ---- */

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  function pairs(rows) {
    const list = el("dl");
    for (const [label, text] of rows) list.append(el("dt", {}, label), el("dd", {}, text));
    return list;
  }
  function errorText(entry) {
    const reasons = Object.entries(entry.errors || {}).map(([field, texts]) => `${field}：${texts.join("；")}`);
    return [entry.message, ...reasons].filter(Boolean).join(" ");
  }

  function entryView(entry) {
    const item = el("li", { class: "offline-entry " + entry.state, "data-id": entry.id });
    item.append(
      el("h3", {}, entry.title),
      el("p", { class: "muted" }, `${new Date(entry.created).toLocaleString("zh-CN")} 填写 · `, el("strong", { class: "offline-state" }, STATES[entry.state])),
    );
    const message = errorText(entry);
    if (message) item.append(el("p", { class: "offline-message" }, message));
    if (entry.state === "conflict") {
      const current = Object.entries(entry.current || {}).filter(([key]) => key !== "version");
      item.append(
        el(
          "div",
          { class: "offline-conflict" },
          el("section", {}, el("h4", {}, "您离线填写的记录"), pairs(entry.shown)),
          el("section", {}, el("h4", {}, "服务器上的现状"), pairs(current)),
        ),
      );
    } else {
      item.append(pairs(entry.shown));
    }
    const actions = el("p", { class: "actions" });
    if (entry.state === "conflict") {
      actions.append(el("button", { type: "button", "data-act": "resend-current" }, "已核对，按现状提交"));
    } else {
      actions.append(el("button", { type: "button", "data-act": "retry" }, "重新发送"));
    }
    actions.append(el("a", { href: entry.page }, "打开原页面"), " ", el("button", { type: "button", class: "danger", "data-act": "discard" }, "放弃"));
    item.append(actions);
    return item;
  }

  async function render() {
    const entries = await mine();
    for (const badge of document.querySelectorAll("[data-offline-count]")) {
      badge.textContent = String(entries.length);
      const link = badge.closest("[data-offline-badge]");
      if (link) link.hidden = entries.length === 0;
    }
    const list = document.getElementById("offline-queue");
    if (!list) return;
    list.replaceChildren(...entries.map(entryView));
    document.getElementById("offline-empty").hidden = entries.length > 0;
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("#offline-queue [data-act]");
    if (!button) return;
    const id = button.closest("[data-id]").dataset.id;
    const entry = (await mine()).find((e) => e.id === id);
    if (!entry) return;
    const act = button.dataset.act;
    if (act === "discard") {
      if (!window.confirm(`确定放弃“${entry.title}”这条记录吗？放弃后无法恢复。`)) return;
      await drop(id);
      return render();
    }
    if (act === "resend-current") {
      // The person has seen the record as it now stands; the entry goes again against its current version.
      const version = entry.current && entry.current.version;
      entry.fields = entry.fields.map(([name, value]) => [name, name === "version" && version ? String(version) : value]);
    }
    Object.assign(entry, { state: "queued", message: "", errors: {}, current: {} });
    await save(entry);
    return flush();
  });

  /* ---- the forms ---- */

  function notice(form, text, kind) {
    let box = form.querySelector(".offline-notice");
    if (!box) {
      box = el("p", { class: "offline-notice", role: "status" });
      form.prepend(box);
    }
    box.className = "offline-notice " + kind;
    box.textContent = text;
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form[data-offline]")) return;
    event.preventDefault();
    const entry = await capture(form, event.submitter);
    await save(entry);
    // Sent at once when there is a network; a refusal then shows on the form, as an ordinary post would.
    const state = navigator.onLine ? await session() : null;
    if (state && !state.signedOut) {
      const result = await post(entry, state.csrf, "foreground");
      if (result.kind === "sent") {
        await drop(entry.id);
        location.assign(result.url);
        return;
      }
      if (result.kind === "refused") {
        await drop(entry.id);
        notice(form, errorText({ message: result.message, errors: result.errors }), "error");
        return;
      }
      if (result.kind === "conflict") {
        Object.assign(entry, { state: "conflict", message: result.message, errors: result.errors, current: result.current });
        await save(entry);
        notice(form, "服务器上的记录已被修改，这条记录未保存：请到“待发送”核对后再提交。", "error");
        return render();
      }
    }
    form.reset();
    const count = (await mine()).length;
    notice(form, `没有网络：已保存在本机，有网络时自动发送（待发送 ${count} 条）。`, "success");
    return render();
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("#offline-send-now")) flush();
  });
  // Location on a visit, with consent: read once, only when the person presses the button (the browser then asks).
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-offline-locate]");
    if (!button) return;
    const form = button.form;
    const shown = form.querySelector("[data-offline-located]");
    if (!navigator.geolocation) {
      shown.textContent = "此浏览器不能读取位置。";
      return;
    }
    shown.textContent = "正在读取位置……";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.elements.latitude.value = position.coords.latitude.toFixed(6);
        form.elements.longitude.value = position.coords.longitude.toFixed(6);
        shown.textContent = `已记录位置：纬度 ${form.elements.latitude.value}，经度 ${form.elements.longitude.value}（约 ${Math.round(position.coords.accuracy)} 米内）。`;
      },
      () => {
        shown.textContent = "未取得位置（未同意或无信号），走访记录照常保存，不含位置。";
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  });
  window.addEventListener("online", () => flush());
  setInterval(() => navigator.onLine && flush(), 60000);
  flush();
})();
