// The REST documentation client: lists the endpoints of the route table (/docs/routes.json), gets a token
// with client credentials and sends requests to this server. Vanilla JS, no dependencies, nothing external.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { meta: null, version: "v1p2", route: null, token: null, expires: 0 };
const MAX_SHOWN = 2 * 1024 * 1024; // characters of a response body shown (the rest is cut in the view only)

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

async function load() {
  const res = await fetch("/docs/routes.json");
  state.meta = await res.json();
  $("token-url").textContent = state.meta.tokenUrl;
  for (const s of state.meta.specifications) $("specs").append(el("a", { href: s.url }, s.title));
  for (const d of state.meta.openapi) {
    $("openapi").append(el("li", {}, el("a", { href: d.url }, d.title), " ",
      el("a", { href: d.url + "?download=1", class: "muted" }, "download")));
  }
  const tabs = $("version-tabs");
  for (const [v, label] of [["v1p2", "OneRoster 1.2"], ["v1p1", "OneRoster 1.1"]]) {
    tabs.append(el("button", { type: "button", role: "tab", "data-v": v, onclick: () => { state.version = v; renderList(); } }, label));
  }
  const saved = sessionStorage.getItem("oneroster-token");
  if (saved) {
    const t = JSON.parse(saved);
    if (t.expires > Date.now()) setToken(t.token, t.expires, t.scope);
  }
  renderList();
  const hash = decodeURIComponent(location.hash.slice(1));
  const r = state.meta.routes.find((x) => x.operationId + "@" + x.version === hash);
  if (r) select(r);
}

function renderList() {
  for (const b of $("version-tabs").children) b.setAttribute("aria-selected", b.dataset.v === state.version);
  const q = $("search").value.trim().toLowerCase();
  const list = $("endpoints");
  list.replaceChildren();
  let service = "";
  for (const r of state.meta.routes) {
    if (r.version !== state.version) continue;
    if (q && !(r.path + " " + r.summary + " " + r.operationId).toLowerCase().includes(q)) continue;
    if (r.service !== service) {
      service = r.service;
      list.append(el("li", { class: "group" }, service));
    }
    const short = r.path.replace(/^\/ims\/oneroster\/(v1p1|[a-z]+\/v1p2)/, "");
    list.append(el("li", {}, el("a", { href: "#" + r.operationId + "@" + r.version, onclick: () => select(r) },
      el("span", { class: "method" }, r.method), " ", short)));
  }
}

function select(r) {
  state.route = r;
  $("intro").hidden = true;
  $("op").hidden = false;
  $("result").hidden = true;
  $("op-method").textContent = r.method;
  $("op-path").textContent = r.path;
  $("op-summary").textContent = r.summary;
  $("op-id").textContent = r.operationId;
  $("op-key").textContent = r.responseKey;
  $("op-scopes").textContent = r.scopes.map((s) => s.replace(/^.*\/scope\//, "")).join(", ");
  const pp = $("path-params");
  pp.replaceChildren(el("legend", {}, "Path"));
  for (const p of r.pathParams) pp.append(el("label", {}, p + " ", el("input", { name: "path:" + p, required: "", spellcheck: "false" })));
  pp.hidden = r.pathParams.length === 0;
  for (const l of document.querySelectorAll("[data-coll]")) l.hidden = !r.collection;
  for (const name of ["limit", "offset", "sort", "orderBy", "filter", "fields"]) $("try").elements[name].value = "";
  updateURL();
}

function requestURL() {
  const r = state.route;
  const form = $("try");
  let path = r.path;
  for (const p of r.pathParams) path = path.replace("{" + p + "}", encodeURIComponent(form.elements["path:" + p].value || "{" + p + "}"));
  const parts = [];
  for (const name of ["limit", "offset", "sort", "orderBy", "filter", "fields"]) {
    const input = form.elements[name];
    if (input.closest("label").hidden || input.value === "") continue;
    parts.push(name + "=" + encodeURIComponent(input.value).replace(/'/g, "%27"));
  }
  return path + (parts.length ? "?" + parts.join("&") : "");
}

function updateURL() { if (state.route) $("url").textContent = location.origin + requestURL(); }

async function send(ev, href) {
  if (ev) ev.preventDefault();
  const headers = { Accept: "application/json" };
  if (state.token) headers.Authorization = "Bearer " + state.token;
  const started = performance.now();
  $("result").hidden = false;
  $("status").textContent = "…";
  $("body").textContent = "";
  let res;
  try {
    res = await fetch(href || requestURL(), { method: state.route.method, headers });
  } catch (e) {
    $("status").textContent = "network error: " + e;
    return;
  }
  const text = await res.text();
  $("timing").textContent = Math.round(performance.now() - started) + " ms, " + text.length + " bytes";
  $("status").textContent = res.status + " " + res.statusText;
  $("status").className = res.ok ? "ok" : "bad";
  const shown = ["content-type", "x-total-count", "link", "retry-after", "www-authenticate"];
  $("headers").textContent = shown.filter((h) => res.headers.get(h)).map((h) => h + ": " + res.headers.get(h)).join("\n");
  renderLinks(res.headers.get("link"));
  let pretty = text;
  try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (_) { /* not JSON */ }
  $("body").textContent = pretty.length > MAX_SHOWN ? pretty.slice(0, MAX_SHOWN) + "\n… (cut here in the view)" : pretty;
}

// renderLinks offers the Link header's pages as buttons: each loads its parameters into the form and sends
// the link exactly as the server wrote it (with its snapshot, so the pages come from one cache generation).
function renderLinks(link) {
  const box = $("links");
  box.replaceChildren();
  if (!link) return;
  for (const m of link.matchAll(/<([^>]+)>;\s*rel="([a-z]+)"/g)) {
    box.append(el("button", { type: "button", onclick: () => followLink(m[1]) }, m[2]));
  }
}

function followLink(href) {
  const u = new URL(href, location.origin);
  const form = $("try");
  for (const name of ["limit", "offset", "sort", "orderBy", "filter", "fields"]) form.elements[name].value = u.searchParams.get(name) || "";
  updateURL();
  $("url").textContent = u.href;
  send(null, u.pathname + u.search);
}

async function authorize(ev) {
  ev.preventDefault();
  const id = $("client-id").value.trim(), secret = $("client-secret").value;
  const body = new URLSearchParams({ grant_type: "client_credentials" });
  if ($("scope").value.trim()) body.set("scope", $("scope").value.trim());
  $("auth-status").textContent = "Requesting a token…";
  try {
    const res = await fetch(state.meta.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded",
        Authorization: "Basic " + btoa(unescape(encodeURIComponent(encodeURIComponent(id) + ":" + encodeURIComponent(secret)))) },
      body,
    });
    const data = await res.json();
    if (!res.ok) {
      $("auth-status").textContent = "Refused (" + res.status + "): " + (data.error_description || data.error || "");
      return;
    }
    const expires = Date.now() + (data.expires_in || 3600) * 1000;
    setToken(data.access_token, expires, data.scope);
    sessionStorage.setItem("oneroster-token", JSON.stringify({ token: data.access_token, expires, scope: data.scope }));
    $("client-secret").value = "";
  } catch (e) {
    $("auth-status").textContent = "Token request failed: " + e;
  }
}

function setToken(token, expires, scope) {
  state.token = token;
  state.expires = expires;
  const v = /\/v1p1\//.test(scope || "") ? "v1p1" : "v1p2";
  state.version = v;
  $("auth-status").textContent = "Token until " + new Date(expires).toLocaleTimeString() + " (OneRoster " +
    (v === "v1p1" ? "1.1" : "1.2") + "). Scopes: " + (scope || "").replace(/https?:\/\/purl\.imsglobal\.org\/spec\/or\/v1p[12]\/scope\//g, "");
  renderList();
}

$("auth-form").addEventListener("submit", authorize);
$("forget").addEventListener("click", () => {
  state.token = null;
  sessionStorage.removeItem("oneroster-token");
  $("auth-status").textContent = "No token: requests are sent without Authorization.";
});
$("try").addEventListener("submit", send);
$("try").addEventListener("input", updateURL);
$("search").addEventListener("input", renderList);
load();
