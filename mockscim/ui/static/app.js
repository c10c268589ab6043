// mockscim dashboard: one ES module, no dependencies, no build step.
//
// Data comes only from the control-plane HTTP API (/_mockscim/state, /requests, /faults,
// /clock, /reset, /info) and token rotation goes through the vendors' own public APIs.
// Everything rendered from data goes through DOM APIs (textContent, setAttribute on inert
// attributes): attribute values come from identity providers and are hostile.

const CONTROL = "/_mockscim";
const TOKEN_KEY = "mockscim.controlToken";
const TOKEN_HEADER = "X-Mockscim-Control-Token";
const POLL_MS = 1500;
const JOURNAL_MAX = 500;
// A directory's users and groups are shown a page at a time (a 2,000-user directory used to
// render every row: a 323,000 px page), with a search over the identifying attributes.
const PAGE_SIZE = 50;
// A group's member list in its table cell stops here ("and N more"); the JSON has them all.
const MEMBERS_SHOWN = 20;
// Toasts: at most this many at once (the oldest go first), each dismissible.
const NOTICES_MAX = 3;
const CREDENTIALS = ["current", "next", "invalid", "api_key", "session", "none"];
const HIDDEN_KEYS = /secret|token|password|signing|digest|api_?key/i;

const app = {
  info: null,
  snapshot: null,
  snapshotSig: "",
  clock: null,
  clockFetchedAt: 0,
  faults: [],
  journal: [],
  lastSeq: 0,
  journalEpoch: 0,
  filters: { vendor: "", status: "", credential: "", path: "" },
  live: true,
  route: { view: "organizations", param: null },
  webhooks: false,
  open: new Set(),
  // Per table (e.g. "users:<directory id>"): its search text and page.
  tables: new Map(),
  needToken: false,
  tick: 0,
  busy: false,
  lastClicked: "",
};

// ------------------------------------------------------------------ DOM helpers

/** Build an element. Children that are not Nodes become text nodes: never parsed as HTML. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function button(label, onclick, attrs = {}) {
  const el = h("button", { type: "button", class: "button", ...attrs }, label);
  el.addEventListener("click", async (event) => {
    event.preventDefault();
    if (el.disabled) return;
    if (el.id) app.lastClicked = el.id;
    el.disabled = true;
    el.setAttribute("aria-busy", "true");
    try {
      await onclick(event);
    } catch (err) {
      notify(errorText(err), "error");
    } finally {
      el.removeAttribute("aria-busy");
      if (el.isConnected) el.disabled = !!attrs.disabled;
    }
  });
  return el;
}

function dl(pairs) {
  const list = h("dl", { class: "facts" });
  for (const [term, value] of pairs) {
    if (value === undefined) continue;
    list.append(h("div", {}, h("dt", {}, term), h("dd", {}, value ?? "—")));
  }
  return list;
}

function code(text) {
  return h("code", {}, text);
}

function badge(text, kind = "") {
  return h("span", { class: `badge ${kind}`.trim() }, text);
}

function tableWrap(label, table) {
  // A focusable, labelled scroll container so wide tables scroll with the keyboard too.
  return h("div", { class: "table-wrap", role: "region", "aria-label": label, tabindex: "0" }, table);
}

function pre(value) {
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return h("pre", { class: "json" }, text);
}

function detailsBlock(key, summary, ...content) {
  const el = h("details", { dataset: { key } }, h("summary", {}, summary), ...content);
  if (app.open.has(key)) el.open = true;
  el.addEventListener("toggle", () => {
    if (el.open) app.open.add(key);
    else app.open.delete(key);
  });
  return el;
}

function hashLink(hash, text, attrs = {}) {
  // Only ever our own "#/..." routes, ids percent-encoded.
  return h("a", { href: hash, ...attrs }, text);
}

// ------------------------------------------------------------------ notifications

const notices = () => document.getElementById("notices");

// Toasts never pile up over the page: at most NOTICES_MAX (a repeat of the newest message
// refreshes it instead of stacking), each with a close button, and the page keeps room at its
// bottom for them so the last rows can always be scrolled out from under.
function reserveNoticeRoom() {
  const area = notices();
  const room = area.childElementCount ? area.getBoundingClientRect().height + 16 : 0;
  document.body.style.paddingBottom = room ? `${Math.ceil(room)}px` : "";
}

function dismissNotice(item) {
  clearTimeout(item._timer);
  item.remove();
  reserveNoticeRoom();
}

function notify(message, kind = "info") {
  const area = notices();
  const last = area.lastElementChild;
  let item;
  if (last && last.dataset.message === message && last.dataset.kind === kind) {
    item = last;
    clearTimeout(item._timer);
  } else {
    const close = h("button", { type: "button", class: "notice-close", "aria-label": "Close notice" }, "×");
    item = h("p", { class: `notice ${kind}`, dataset: { message, kind } }, h("span", {}, message), close);
    close.addEventListener("click", () => dismissNotice(item));
    area.append(item);
    while (area.childElementCount > NOTICES_MAX) dismissNotice(area.firstElementChild);
  }
  item._timer = setTimeout(() => dismissNotice(item), kind === "error" ? 10000 : 5000);
  reserveNoticeRoom();
}

function errorText(err) {
  if (err instanceof ApiError) return `${err.message} (HTTP ${err.status})`;
  return err && err.message ? err.message : String(err);
}

/** Show a freshly issued plaintext token once, in a dismissible box; it is never stored. */
function showSecret(title, token, note) {
  const slot = document.getElementById("secret-slot");
  const value = h("code", { class: "secret-value", id: "one-time-token" }, token);
  const box = h(
    "section",
    { class: "secret-box", "aria-labelledby": "secret-title", tabindex: "-1" },
    h("h2", { id: "secret-title" }, title),
    h("p", {}, note, " It is shown only this once: copy it now."),
    h("p", { class: "secret-line" }, value),
    h(
      "div",
      { class: "actions" },
      button("Copy token", async () => {
        try {
          await navigator.clipboard.writeText(token);
          notify("Token copied to the clipboard.");
        } catch {
          const range = document.createRange();
          range.selectNodeContents(value);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          notify("Clipboard unavailable: the token is selected, press Ctrl+C.");
        }
      }),
      button("Dismiss", () => {
        slot.replaceChildren();
        document.getElementById("main").focus();
      }, { class: "button primary" }),
    ),
  );
  slot.replaceChildren(box);
  box.focus();
  notify(`${title}: shown once above.`);
}

// ------------------------------------------------------------------ HTTP

class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

async function parseResponse(res) {
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    let message = res.statusText || "request failed";
    if (data && typeof data === "object") {
      message = data.error_message || data.error || data.message || data.detail || message;
    }
    throw new ApiError(res.status, String(message), data);
  }
  return data;
}

/** A call to the mock's control plane, with the control token when one is kept. */
async function control(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers[TOKEN_HEADER] = token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(CONTROL + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
    credentials: "omit",
  });
  if (res.status === 401) {
    askForToken(token ? "That control token was refused." : null);
    throw new ApiError(401, "the control plane needs a control token");
  }
  return parseResponse(res);
}

/** A call to a vendor's public API, authenticated as that vendor's SDK would be. */
// body null: SSOReady's rotate-bearer-token binding takes no body (vanguard refuses one).
async function vendorPost(path, authorization, body = "{}") {
  const res = await fetch(path, {
    method: "POST",
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      Authorization: authorization,
    },
    body,
    cache: "no-store",
    credentials: "omit",
  });
  return parseResponse(res);
}

async function ensureInfo() {
  if (!app.info) {
    app.info = await control("/info");
    document.getElementById("version").textContent = `v${app.info.version}`;
  }
  return app.info;
}

function stytchAuth(info) {
  const raw = `${info.stytch.project_id}:${info.stytch.secret}`;
  const bytes = new TextEncoder().encode(raw);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

// ------------------------------------------------------------------ control token

function askForToken(reason) {
  app.needToken = true;
  const section = document.getElementById("token-prompt");
  const wasHidden = section.hidden;
  section.hidden = false;
  if (wasHidden) {
    if (reason) notify(reason, "error");
    document.getElementById("control-token-input").focus();
  }
}

function setupTokenForm() {
  const form = document.getElementById("token-form");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = document.getElementById("control-token-input");
    const value = input.value.trim();
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    input.value = "";
    app.needToken = false;
    document.getElementById("token-prompt").hidden = true;
    notify("Control token saved for this tab.");
    refreshAll();
  });
}

// ------------------------------------------------------------------ time

function clockNowMs() {
  if (!app.clock) return Date.now();
  const base = Date.parse(app.clock.now);
  if (app.clock.mode === "frozen") return base;
  return base + (Date.now() - app.clockFetchedAt);
}

function fmtInstant(iso) {
  if (!iso) return "—";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

function relative(iso) {
  if (!iso) return "";
  const delta = Date.parse(iso) - clockNowMs();
  const abs = Math.abs(delta);
  const units = [
    ["day", 86400000],
    ["hour", 3600000],
    ["minute", 60000],
  ];
  let text = "less than a minute";
  for (const [name, size] of units) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      text = `${n} ${name}${n === 1 ? "" : "s"}`;
      break;
    }
  }
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

function isExpired(iso) {
  return !!iso && Date.parse(iso) <= clockNowMs();
}

// ------------------------------------------------------------------ data helpers

function stytchState() {
  return (app.snapshot && app.snapshot.vendors && app.snapshot.vendors.stytch) || {};
}

function ssoreadyState() {
  return (app.snapshot && app.snapshot.vendors && app.snapshot.vendors.ssoready) || {};
}

function directoryData(id) {
  return ((app.snapshot && app.snapshot.directories) || []).find((d) => d.id === id) || null;
}

function baseUrl(vendor, id, identityProvider) {
  // Same rule as the vendors' own responses (base_url / scimBaseUrl).
  const origin = window.location.origin;
  if (vendor === "stytch") {
    const url = `${origin}/v1/b2b/scim/${id}`;
    return identityProvider === "microsoft-entra" ? `${url}?aadOptscim062020` : url;
  }
  return `${origin}/v1/scim/${id}`;
}

function userLabel(user) {
  const d = user.data || {};
  return d.displayName || (d.name && d.name.formatted) || d.userName || user.id;
}

function primaryEmail(data) {
  const emails = Array.isArray(data.emails) ? data.emails : [];
  const primary = emails.find((e) => e && e.primary) || emails[0];
  return primary && primary.value ? String(primary.value) : "";
}

function tokenCell(record) {
  if (!record) return h("span", { class: "muted" }, "none");
  const expired = isExpired(record.expires_at);
  return h(
    "span",
    { class: "token" },
    code(`••••${record.last_four}`),
    " ",
    record.expires_at
      ? h(
          "span",
          { class: expired ? "expiry expired" : "expiry" },
          expired ? "expired " : "expires ",
          h("time", { datetime: record.expires_at }, fmtInstant(record.expires_at)),
          ` (${relative(record.expires_at)})`,
        )
      : h("span", { class: "expiry" }, "never expires"),
  );
}

// ------------------------------------------------------------------ views: organizations

function renderOrganizations() {
  const stytch = stytchState();
  const ssoready = ssoreadyState();
  const dirs = new Map(((app.snapshot && app.snapshot.directories) || []).map((d) => [d.id, d]));
  const out = [h("h1", {}, "Organizations")];

  const stytchSection = h("section", { class: "vendor", "aria-labelledby": "stytch-title" });
  stytchSection.append(h("h2", { id: "stytch-title" }, "Stytch B2B"));
  const orgs = stytch.organizations || [];
  if (!orgs.length) stytchSection.append(h("p", { class: "muted" }, "No organizations."));
  for (const org of orgs) {
    const f = org.fields || {};
    const name = f.organization_name || org.organization_id;
    const members = (stytch.members || []).filter((m) => m.organization_id === org.organization_id);
    const conns = (stytch.connections || []).filter((c) => c.organization_id === org.organization_id);
    const card = h(
      "article",
      { class: "org", "aria-label": `Stytch organization ${name}` },
      h("h3", {}, name, " ", badge("stytch", "vendor-stytch")),
      dl([
        ["Organization ID", code(org.organization_id)],
        ["Slug", f.organization_slug || "—"],
        ["Allowed domains", (f.email_allowed_domains || []).join(", ") || "—"],
        ["Members", String(members.length)],
      ]),
    );
    if (!conns.length) card.append(h("p", { class: "muted" }, "No SCIM connection."));
    for (const conn of conns) card.append(stytchConnectionCard(org, name, conn, dirs.get(conn.connection_id)));
    stytchSection.append(card);
  }
  out.push(stytchSection);

  const ssoSection = h("section", { class: "vendor", "aria-labelledby": "ssoready-title" });
  ssoSection.append(h("h2", { id: "ssoready-title" }, "SSOReady"));
  const ssoOrgs = ssoready.organizations || [];
  if (!ssoOrgs.length) ssoSection.append(h("p", { class: "muted" }, "No organizations."));
  for (const org of ssoOrgs) {
    const name = org.display_name || org.external_id || org.id;
    const directories = (ssoready.directories || []).filter((d) => d.organization_id === org.id);
    const card = h(
      "article",
      { class: "org", "aria-label": `SSOReady organization ${name}` },
      h("h3", {}, name, " ", badge("ssoready", "vendor-ssoready")),
      dl([
        ["Organization ID", code(org.id)],
        ["External ID", org.external_id || "—"],
        ["Domains", (org.domains || []).join(", ") || "—"],
      ]),
    );
    if (!directories.length) card.append(h("p", { class: "muted" }, "No SCIM directory."));
    for (const dir of directories) card.append(ssoreadyDirectoryCard(org, name, dir, dirs.get(dir.id)));
    ssoSection.append(card);
  }
  out.push(ssoSection);
  return out;
}

function countsLink(id, data, label) {
  const users = data ? (data.users || []).filter((u) => !u.deleted).length : 0;
  const groups = data ? (data.groups || []).filter((g) => !g.deleted).length : 0;
  return hashLink(
    `#/directory/${encodeURIComponent(id)}`,
    `Users (${users}) and groups (${groups})`,
    { class: "button link-button", id: `users-link-${id}`, "aria-label": `Users and groups of ${label}` },
  );
}

/** "Log in": a Stytch member session, as `mockscim.stytch.login(member_id)` mints it. */
function loginButton(member) {
  return button("Log in", async () => {
    try {
      const body = await control("/stytch/login", { method: "POST", body: { member: member.member_id } });
      showSecret(
        `Session for ${member.email_address}`,
        body.session_token,
        `A Stytch session token (session ${body.member_session_id}, expires ${fmtInstant(body.member_session.expires_at)}): hand it to your app, which checks it with sessions.authenticate.`,
      );
    } catch (error) {
      notify(`Log in failed: ${error.message}`);
    }
  }, { "aria-label": `Log in as ${member.email_address}` });
}

function stytchConnectionCard(org, orgName, conn, data) {
  const label = `${conn.display_name || conn.connection_id} (${orgName})`;
  const rotating = !!conn.next;
  const orgId = encodeURIComponent(org.organization_id);
  const connId = encodeURIComponent(conn.connection_id);
  const rotate = (step) => async () => {
    const info = await ensureInfo();
    const body = await vendorPost(
      `/v1/b2b/scim/${orgId}/connection/${connId}/rotate/${step}`,
      stytchAuth(info),
    );
    if (step === "start") {
      const token = body && body.connection && body.connection.next_bearer_token;
      showSecret(
        `New SCIM token for ${label}`,
        token || "(the response carried no token)",
        "This is the pending next token: it works alongside the current one until you complete the rotation.",
      );
    } else {
      notify(step === "complete" ? `Rotation completed for ${label}: the old token no longer works.` : `Rotation cancelled for ${label}.`);
    }
    await loadState(true);
  };
  const tokens = h(
    "table",
    { class: "tokens" },
    h("caption", {}, "Bearer tokens"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Token"), h("th", { scope: "col" }, "Last four and expiry"))),
    h(
      "tbody",
      {},
      h("tr", {}, h("th", { scope: "row" }, "Current"), h("td", {}, tokenCell(conn.current))),
      h("tr", {}, h("th", { scope: "row" }, "Pending next"), h("td", {}, tokenCell(conn.next))),
    ),
  );
  return h(
    "section",
    { class: "card", "aria-label": `SCIM connection ${label}`, dataset: { connection: conn.connection_id } },
    h(
      "h4",
      {},
      conn.display_name || conn.connection_id,
      " ",
      badge(conn.identity_provider || "generic"),
      " ",
      badge(rotating ? "rotating" : "steady", rotating ? "warn" : "ok"),
      conn.status && conn.status !== "active" ? [" ", badge(conn.status, "bad")] : null,
    ),
    dl([
      ["Connection ID", code(conn.connection_id)],
      ["SCIM base URL", code(baseUrl("stytch", conn.connection_id, conn.identity_provider))],
      ["Created", fmtInstant(conn.created_at)],
    ]),
    tokens,
    h(
      "div",
      { class: "actions" },
      button("Start rotation", rotate("start"), {
        id: `rotate-start-${conn.connection_id}`,
        "aria-label": `Start rotation for ${label}`,
      }),
      button("Complete rotation", rotate("complete"), {
        id: `rotate-complete-${conn.connection_id}`,
        "aria-label": `Complete rotation for ${label}`,
        disabled: !rotating,
      }),
      button("Cancel rotation", rotate("cancel"), {
        id: `rotate-cancel-${conn.connection_id}`,
        "aria-label": `Cancel rotation for ${label}`,
        disabled: !rotating,
      }),
      countsLink(conn.connection_id, data, label),
    ),
  );
}

function ssoreadyDirectoryCard(org, orgName, dir, data) {
  const label = `${orgName} directory`;
  const rotate = async () => {
    const info = await ensureInfo();
    const body = await vendorPost(
      `/v1/scim-directories/${encodeURIComponent(dir.id)}/rotate-bearer-token`,
      `Bearer ${info.ssoready.api_key}`,
      null,
    );
    showSecret(
      `New bearer token for ${label}`,
      (body && body.bearerToken) || "(the response carried no token)",
      "SSOReady rotates at once: the previous token stopped working.",
    );
    await loadState(true);
  };
  return h(
    "section",
    { class: "card", "aria-label": `SCIM directory of ${orgName}`, dataset: { directory: dir.id } },
    h("h4", {}, "SCIM directory", " ", dir.primary ? badge("primary") : null, " ", dir.token ? badge("token set", "ok") : badge("no token yet", "warn")),
    dl([
      ["Directory ID", code(dir.id)],
      ["SCIM base URL", code(baseUrl("ssoready", dir.id))],
      ["Bearer token", tokenCell(dir.token)],
      ["Created", fmtInstant(dir.created_at)],
    ]),
    h(
      "div",
      { class: "actions" },
      button("Rotate bearer token", rotate, {
        id: `rotate-${dir.id}`,
        "aria-label": `Rotate bearer token for ${label}`,
      }),
      countsLink(dir.id, data, label),
    ),
  );
}

// ------------------------------------------------------------------ paged tables

/** A table shown PAGE_SIZE rows at a time, with a search box; it redraws itself in place
 * (typing never re-renders the page). `row(item)` returns the row, plus an optional
 * full-width detail row (the expanded SCIM JSON). `text(item)` is what the search matches. */
function pagedTable({ key, label, caption, head, items, text, row, hint }) {
  const state = app.tables.get(key) || { q: "", page: 0 };
  app.tables.set(key, state);
  const slug = key.replace(/[^A-Za-z0-9_-]+/g, "-");
  const search = h("input", {
    type: "search",
    id: `search-${slug}`,
    value: state.q,
    placeholder: hint,
    spellcheck: "false",
    autocomplete: "off",
  });
  const status = h("p", { class: "muted page-status", id: `status-${slug}`, "aria-live": "polite" });
  const prev = h("button", { type: "button", class: "button", id: `prev-${slug}` }, "← Previous");
  const next = h("button", { type: "button", class: "button", id: `next-${slug}` }, "Next →");
  const pageNo = h("span", { class: "muted page-number" });
  const pager = h("div", { class: "pager", role: "group", "aria-label": `${caption} pages` }, prev, pageNo, next);
  const body = h("div", {});
  const haystacks = new Map();
  const hay = (item) => {
    if (!haystacks.has(item)) haystacks.set(item, text(item).toLowerCase());
    return haystacks.get(item);
  };
  const draw = () => {
    const q = state.q.trim().toLowerCase();
    const matched = q ? items.filter((it) => hay(it).includes(q)) : items;
    const pages = Math.max(1, Math.ceil(matched.length / PAGE_SIZE));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    const start = state.page * PAGE_SIZE;
    const shown = matched.slice(start, start + PAGE_SIZE);
    const rows = shown.flatMap((it) => row(it, draw));
    const empty = q ? `No ${label} match “${state.q.trim()}”.` : `No ${label}.`;
    const table = h(
      "table",
      { class: "data" },
      h("caption", {}, `${caption} (${items.length})`),
      h("thead", {}, h("tr", {}, head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: String(head.length) }, empty))),
    );
    body.replaceChildren(tableWrap(`${caption} table`, table));
    status.textContent = matched.length
      ? `Showing ${start + 1}–${start + shown.length} of ${matched.length}${q ? ` matching (${items.length} in all)` : ""}`
      : "";
    pageNo.textContent = `Page ${state.page + 1} of ${pages}`;
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    pager.hidden = matched.length <= PAGE_SIZE;
  };
  search.addEventListener("input", () => {
    state.q = search.value;
    state.page = 0;
    draw();
  });
  prev.addEventListener("click", () => {
    state.page -= 1;
    draw();
  });
  next.addEventListener("click", () => {
    state.page += 1;
    draw();
  });
  draw();
  return h(
    "div",
    { class: "paged", dataset: { table: key } },
    h("div", { class: "table-tools" }, labelled(`search-${slug}`, `Search ${label}`, search), status),
    body,
    pager,
  );
}

/** The "Show"/"Hide" toggle of a row's SCIM JSON, and the full-width row that holds it (the
 * JSON used to be squeezed into the table's last column). */
function jsonToggle(key, redraw) {
  const open = app.open.has(key);
  const toggle = h("button", { type: "button", class: "button small", "aria-expanded": open ? "true" : "false" }, open ? "Hide" : "Show");
  toggle.addEventListener("click", () => {
    if (app.open.has(key)) app.open.delete(key);
    else app.open.add(key);
    redraw();
  });
  return toggle;
}

function jsonRow(key, columns, ...content) {
  if (!app.open.has(key)) return [];
  return [h("tr", { class: "detail-row", dataset: { detail: key } }, h("td", { colspan: String(columns) }, ...content))];
}

// ------------------------------------------------------------------ views: directory

function renderDirectory(id) {
  const data = directoryData(id);
  const back = hashLink("#/organizations", "← All organizations", { class: "back" });
  if (!data) return [back, h("h1", {}, "Directory not found"), h("p", {}, "No directory ", code(id), " in the current state.")];
  const stytch = stytchState();
  let title = id;
  let connection = null;
  const facts = [["Vendor", data.vendor], ["Directory ID", code(id)]];
  if (data.vendor === "stytch") {
    connection = (stytch.connections || []).find((c) => c.connection_id === id) || null;
    const org = connection && (stytch.organizations || []).find((o) => o.organization_id === connection.organization_id);
    const orgName = org ? (org.fields || {}).organization_name : "";
    title = `${orgName || "?"} — ${connection ? connection.display_name || id : id}`;
    facts.push(["SCIM base URL", code(baseUrl("stytch", id, connection && connection.identity_provider))]);
    if (connection) facts.push(["Current token", tokenCell(connection.current)], ["Pending next token", tokenCell(connection.next)]);
  } else {
    const sso = ssoreadyState();
    const dir = (sso.directories || []).find((d) => d.id === id);
    const org = dir && (sso.organizations || []).find((o) => o.id === dir.organization_id);
    title = `${org ? org.display_name || org.id : "?"} — SCIM directory`;
    facts.push(["SCIM base URL", code(baseUrl("ssoready", id))]);
    if (dir) facts.push(["Bearer token", tokenCell(dir.token)]);
  }
  const users = data.users || [];
  const groups = data.groups || [];
  const userById = new Map(users.map((u) => [u.id, u]));
  const groupsOf = new Map();
  for (const g of groups) {
    if (g.deleted) continue;
    for (const m of (g.data && g.data.members) || []) {
      if (!m || !m.value) continue;
      if (!groupsOf.has(m.value)) groupsOf.set(m.value, []);
      groupsOf.get(m.value).push(g);
    }
  }
  const isStytch = data.vendor === "stytch";
  const membersByUser = new Map();
  if (isStytch) {
    for (const m of stytch.members || []) {
      if (m.scim && m.scim.connection_id === id) membersByUser.set(m.scim.scim_user_id, m);
    }
  }
  const rolesOf = (member, user) => {
    const roles = [h("li", {}, "stytch_member")];
    for (const r of member.roles || []) if (r !== "stytch_member") roles.push(h("li", {}, r, " ", h("span", { class: "muted" }, "(direct)")));
    if (connection && connection.status === "active" && member.status !== "deleted") {
      const mine = new Set((groupsOf.get(user.id) || []).map((g) => g.id));
      for (const a of connection.assignments || []) {
        if (!mine.has(a.group_id)) continue;
        const group = groups.find((g) => g.id === a.group_id);
        roles.push(h("li", {}, a.role_id, " ", h("span", { class: "muted" }, `(via group ${group ? group.data.displayName : a.group_id})`)));
      }
    }
    return h("ul", { class: "plain" }, roles);
  };

  const userHead = ["User name", "Display name", "Email", "Active", "External ID", "Groups"];
  if (isStytch) userHead.push("Stytch member", "Roles");
  userHead.push("Attributes");
  const userRow = (u, redraw) => {
    const d = u.data || {};
    const member = membersByUser.get(u.id);
    const key = `user:${u.id}`;
    const cells = [
      h("th", { scope: "row" }, String(d.userName ?? u.id), u.deleted ? [" ", badge("deleted", "bad")] : null),
      h("td", {}, String(d.displayName ?? (d.name && d.name.formatted) ?? "")),
      h("td", {}, primaryEmail(d)),
      h("td", {}, d.active === false || d.active === "false" || d.active === "False" ? badge("inactive", "bad") : badge("active", "ok")),
      h("td", {}, d.externalId !== undefined ? String(d.externalId) : "—"),
      h("td", {}, h("ul", { class: "plain" }, (groupsOf.get(u.id) || []).map((g) => h("li", {}, String(g.data.displayName ?? g.id))))),
    ];
    if (isStytch) {
      cells.push(
        h("td", {}, member ? [code(member.member_id), " ", badge(member.status, member.status === "active" ? "ok" : "bad"), member.status === "deleted" ? null : [" ", loginButton(member)]] : h("span", { class: "muted" }, "none")),
        h("td", {}, member ? rolesOf(member, u) : "—"),
      );
    }
    cells.push(h("td", {}, jsonToggle(key, redraw)));
    return [
      h("tr", { dataset: { userId: u.id } }, cells),
      ...jsonRow(key, userHead.length, h("p", { class: "muted" }, "id ", code(u.id), `, version ${u.version}, modified ${fmtInstant(u.modified)}`), pre(d)),
    ];
  };
  const userText = (u) => {
    const d = u.data || {};
    return [u.id, d.userName, d.displayName, d.name && d.name.formatted, primaryEmail(d), d.externalId].filter((v) => v !== undefined && v !== null).join(" ");
  };

  const groupHead = ["Display name", "External ID", "Members"];
  if (isStytch) groupHead.push("Implicit roles");
  groupHead.push("Attributes");
  const groupRow = (g, redraw) => {
    const d = g.data || {};
    const key = `group:${g.id}`;
    const all = (d.members || []).filter((m) => m && m.value);
    const members = all.slice(0, MEMBERS_SHOWN).map((m) => {
      const user = userById.get(m.value);
      return h("li", {}, user ? userLabel(user) : String(m.display ?? m.value));
    });
    if (all.length > MEMBERS_SHOWN) members.push(h("li", { class: "muted" }, `and ${all.length - MEMBERS_SHOWN} more`));
    const cells = [
      h("th", { scope: "row" }, String(d.displayName ?? g.id), g.deleted ? [" ", badge("deleted", "bad")] : null),
      h("td", {}, d.externalId !== undefined ? String(d.externalId) : "—"),
      h("td", {}, members.length ? h("ul", { class: "plain" }, members) : h("span", { class: "muted" }, "none")),
    ];
    if (isStytch) {
      const roles = ((connection && connection.assignments) || []).filter((a) => a.group_id === g.id).map((a) => h("li", {}, a.role_id));
      cells.push(h("td", {}, roles.length ? h("ul", { class: "plain" }, roles) : h("span", { class: "muted" }, "none")));
    }
    cells.push(h("td", {}, jsonToggle(key, redraw)));
    return [h("tr", { dataset: { groupId: g.id } }, cells), ...jsonRow(key, groupHead.length, pre(d))];
  };
  const groupText = (g) => [g.id, (g.data || {}).displayName, (g.data || {}).externalId].filter((v) => v !== undefined && v !== null).join(" ");

  const usersTable = pagedTable({ key: `users:${id}`, label: "users", caption: "Users", head: userHead, items: users, text: userText, row: userRow, hint: "userName, name, email, external ID or id" });
  const groupsTable = pagedTable({ key: `groups:${id}`, label: "groups", caption: "Groups", head: groupHead, items: groups, text: groupText, row: groupRow, hint: "display name, external ID or id" });
  return [
    back,
    h("h1", {}, title),
    dl(facts),
    h("section", { "aria-labelledby": "users-title" }, h("h2", { id: "users-title" }, "Users"), usersTable),
    h("section", { "aria-labelledby": "groups-title" }, h("h2", { id: "groups-title" }, "Groups"), groupsTable),
  ];
}

// ------------------------------------------------------------------ views: journal

function statusKind(status) {
  if (status >= 500 || status === 0) return "bad";
  if (status >= 400) return "warn";
  return "ok";
}

function credentialKind(credential) {
  if (credential === "invalid") return "bad";
  if (credential === "none") return "muted-badge";
  if (credential === "next") return "warn";
  return "ok";
}

/** Quote for a POSIX shell: single quotes, each ' written as '\''. */
function shellQuote(text) {
  return `'${String(text).replace(/'/g, "'\\''")}'`;
}

/** The credential a request to this surface carries, as a placeholder: the journal never
 * holds a secret, so the command names an environment variable the user fills in. */
function credentialArgs(e) {
  if (e.credential === "none") return [];
  if (e.surface && e.surface.endsWith("scim")) return ["-H", '"Authorization: Bearer $SCIM_TOKEN"'];
  if (e.vendor === "stytch") {
    return e.credential === "session"
      ? ["-H", '"Authorization: Bearer $STYTCH_SESSION_JWT"']
      : ["-u", '"$STYTCH_PROJECT_ID:$STYTCH_SECRET"'];
  }
  if (e.vendor === "ssoready") return ["-H", '"Authorization: Bearer $SSOREADY_API_KEY"'];
  return ["-H", '"Authorization: Bearer $TOKEN"'];
}

/** The request as a curl command line, with the journal's (redacted) query and body. */
function curlFor(e) {
  const url = `${window.location.origin}${e.path}${e.query ? `?${e.query}` : ""}`;
  const args = ["curl"];
  if (e.method !== "GET" || e.request_body != null) args.push("-X", e.method);
  args.push(shellQuote(url), ...credentialArgs(e));
  if (e.request_body != null) {
    const body = typeof e.request_body === "string" ? e.request_body : JSON.stringify(e.request_body);
    const type = e.surface && e.surface.endsWith("scim") ? "application/scim+json" : "application/json";
    args.push("-H", shellQuote(`Content-Type: ${type}`), "--data-raw", shellQuote(body));
  }
  return args.join(" ");
}

async function copyText(text, source) {
  try {
    await navigator.clipboard.writeText(text);
    notify("curl command copied (fill in the credential variable).");
  } catch {
    // No clipboard (not a secure context, or denied): select the text for Ctrl+C instead.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    notify("Clipboard unavailable: the command is selected, press Ctrl+C.");
  }
}

function curlBlock(e) {
  const command = h("pre", { class: "curl" }, curlFor(e));
  const copy = h("button", { type: "button", class: "button small copy-curl" }, "Copy as curl");
  copy.addEventListener("click", (event) => {
    event.preventDefault();
    copyText(command.textContent, command);
  });
  return h("section", { class: "curl-block" }, h("h3", {}, "As curl ", copy), command,
    h("p", { class: "muted" }, "The journal holds no secrets: set the credential variable (e.g. SCIM_TOKEN) before running it."));
}

function journalEntry(e) {
  const key = `req:${e.seq}`;
  const path = e.path + (e.query ? `?${e.query}` : "");
  const summary = h(
    "span",
    { class: "entry-line" },
    h("span", { class: "seq" }, `#${e.seq}`),
    h("time", { datetime: e.at, class: "at" }, fmtInstant(e.at)),
    h("span", { class: "method" }, e.method),
    h("span", { class: "path" }, path),
    badge(String(e.status), statusKind(e.status)),
    h("span", { class: `badge cred ${credentialKind(e.credential)}`, dataset: { credential: e.credential } }, e.credential),
    h("span", { class: "latency muted" }, `${e.latency_ms} ms`),
  );
  const extra = e.extra && Object.keys(e.extra).length ? pre(e.extra) : "—";
  const el = h(
    "li",
    { class: "entry", dataset: { seq: String(e.seq), credential: e.credential, status: String(e.status) } },
    detailsBlock(
      key,
      summary,
      dl([
        ["Vendor", e.vendor],
        ["Surface", e.surface],
        ["Directory", e.directory_id ? code(e.directory_id) : "—"],
        ["Error kind", e.error_kind || "—"],
        ["Extra", extra],
      ]),
      h("div", { class: "bodies" },
        h("section", {}, h("h3", {}, "Request body"), e.request_body == null ? h("p", { class: "muted" }, "none") : pre(e.request_body)),
        h("section", {}, h("h3", {}, "Response body"), e.response_body == null ? h("p", { class: "muted" }, "none") : pre(e.response_body)),
      ),
      curlBlock(e),
    ),
  );
  return el;
}

function journalQuery(since) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(app.filters)) if (v) params.set(k, v);
  params.set("since", String(since));
  return `/requests?${params}`;
}

async function loadJournal(full) {
  const epoch = app.journalEpoch;
  const since = full ? 0 : app.lastSeq;
  const body = await control(journalQuery(since));
  if (epoch !== app.journalEpoch) return; // the filters changed meanwhile
  const fresh = (body.requests || []).filter((e) => full || e.seq > app.lastSeq);
  if (full) {
    app.journal = [];
    app.lastSeq = 0;
  }
  for (const e of fresh) app.lastSeq = Math.max(app.lastSeq, e.seq);
  app.journal = fresh.reverse().concat(app.journal).slice(0, JOURNAL_MAX);
  const list = document.getElementById("journal-list");
  if (!list) return;
  if (full) {
    list.replaceChildren(...app.journal.map(journalEntry));
  } else if (fresh.length) {
    list.prepend(...fresh.map(journalEntry));
    while (list.children.length > JOURNAL_MAX) list.lastElementChild.remove();
  }
  const count = document.getElementById("journal-count");
  if (count) count.textContent = `${app.journal.length} request${app.journal.length === 1 ? "" : "s"} shown`;
  const empty = document.getElementById("journal-empty");
  if (empty) empty.hidden = app.journal.length > 0;
}

function labelled(id, text, control) {
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, text), control);
}

function select(options, value) {
  const el = h("select", {});
  for (const [v, label] of options) {
    const opt = h("option", { value: v }, label);
    if (v === value) opt.selected = true;
    el.append(opt);
  }
  return el;
}

function renderJournal() {
  const vendor = select([["", "Any"], ["stytch", "Stytch"], ["ssoready", "SSOReady"]], app.filters.vendor);
  const credential = select([["", "Any"], ...CREDENTIALS.map((c) => [c, c])], app.filters.credential);
  const status = h("input", { type: "number", min: "0", max: "599", inputmode: "numeric", placeholder: "e.g. 401", value: app.filters.status });
  const path = h("input", { type: "text", placeholder: "regex, e.g. /Users", value: app.filters.path, spellcheck: "false" });
  const live = h("input", { type: "checkbox" });
  live.checked = app.live;
  const apply = () => {
    app.filters = { vendor: vendor.value, credential: credential.value, status: status.value.trim(), path: path.value.trim() };
    app.journalEpoch += 1;
    loadJournal(true).catch((err) => notify(errorText(err), "error"));
  };
  vendor.addEventListener("change", apply);
  credential.addEventListener("change", apply);
  status.addEventListener("change", apply);
  path.addEventListener("change", apply);
  live.addEventListener("change", () => {
    app.live = live.checked;
    notify(app.live ? "Live updates on." : "Live updates paused.");
  });
  const form = h(
    "form",
    { class: "filters", role: "search", "aria-label": "Filter the journal" },
    labelled("filter-vendor", "Vendor", vendor),
    labelled("filter-status", "Status", status),
    labelled("filter-credential", "Credential", credential),
    labelled("filter-path", "Path", path),
    h("div", { class: "field checkbox" }, live, h("label", { for: "filter-live" }, "Live")),
    h("div", { class: "actions" },
      h("button", { type: "submit", class: "button primary" }, "Apply"),
      button("Clear journal", async () => {
        await control("/requests", { method: "DELETE" });
        app.journalEpoch += 1;
        await loadJournal(true);
        notify("Journal cleared.");
      }),
    ),
  );
  live.id = "filter-live";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
  const list = h("ol", { id: "journal-list", class: "journal", "aria-label": "Requests, newest first" }, app.journal.map(journalEntry));
  return [
    h("h1", {}, "Request journal"),
    h("p", { class: "muted" }, "Every request to the vendors' APIs and SCIM servers, newest first, with the credential that authenticated it. Bodies are the journal's redacted copies."),
    form,
    h("p", { id: "journal-count", class: "muted" }, `${app.journal.length} requests shown`),
    h("p", { id: "journal-empty", class: "empty", hidden: app.journal.length > 0 }, "No request matches yet."),
    list,
  ];
}

// ------------------------------------------------------------------ views: faults and clock

function faultEffect(f) {
  const parts = [];
  if (f.drop) parts.push("drop connection");
  if (f.status) parts.push(`HTTP ${f.status}`);
  if (f.retry_after != null) parts.push(`Retry-After ${f.retry_after}s`);
  if (f.latency_ms) parts.push(`+${f.latency_ms} ms`);
  if (f.message) parts.push(`“${f.message}”`);
  return parts.join(", ") || "—";
}

function renderFaults() {
  const clock = app.clock || { now: "", mode: "real" };
  const amount = h("input", { type: "number", min: "0", step: "any", value: "1", required: true });
  const unit = select([["1", "seconds"], ["60", "minutes"], ["3600", "hours"], ["86400", "days"]], "86400");
  const advanceForm = h(
    "form",
    { class: "inline-form", "aria-label": "Advance the clock" },
    labelled("advance-amount", "Advance by", amount),
    labelled("advance-unit", "Unit", unit),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button primary" }, "Advance clock")),
  );
  advanceForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const seconds = Number(amount.value) * Number(unit.value);
    if (!Number.isFinite(seconds) || seconds <= 0) return notify("Enter a positive amount.", "error");
    try {
      await setClock({ advance: seconds }, `Clock advanced by ${amount.value} ${unit.selectedOptions[0].textContent}.`);
    } catch (err) {
      notify(errorText(err), "error");
    }
  });
  const instant = h("input", { type: "text", placeholder: "2030-01-01T00:00:00Z", spellcheck: "false" });
  const setForm = h(
    "form",
    { class: "inline-form", "aria-label": "Set the clock" },
    labelled("clock-set", "Set to instant (RFC 3339)", instant),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button" }, "Set clock")),
  );
  setForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!instant.value.trim()) return;
    try {
      await setClock({ set: instant.value.trim() }, "Clock set.");
    } catch (err) {
      notify(errorText(err), "error");
    }
  });
  const clockSection = h(
    "section",
    { class: "card", "aria-labelledby": "clock-title" },
    h("h2", { id: "clock-title" }, "Clock"),
    h("p", {}, "Every token expiry follows the mock clock."),
    dl([
      ["Now", h("time", { id: "clock-view-now", datetime: clock.now }, fmtInstant(clock.now))],
      ["Mode", h("span", { id: "clock-view-mode" }, clock.mode)],
    ]),
    h(
      "div",
      { class: "actions" },
      button("Freeze clock", () => setClock({ freeze: true }, "Clock frozen."), { id: "clock-freeze" }),
      button("Unfreeze clock", () => setClock({ unfreeze: true }, "Clock unfrozen: time runs again."), { id: "clock-unfreeze" }),
      button("Real time", () => setClock({ reset: true }, "Clock back to real time."), { id: "clock-reset" }),
    ),
    advanceForm,
    setForm,
  );

  const rows = app.faults.map((f) =>
    h(
      "tr",
      { dataset: { faultId: f.id } },
      h("th", { scope: "row" }, code(f.id)),
      h("td", {}, code(f.path)),
      h("td", {}, f.vendor || "any"),
      h("td", {}, Array.isArray(f.method) ? f.method.join(", ") : f.method || "any"),
      h("td", {}, faultEffect(f)),
      h("td", {}, f.count == null ? "every time" : String(f.count)),
      h("td", {}, f.probability == null ? "—" : String(f.probability)),
      h("td", {}, String(f.hits ?? 0)),
      h("td", {}, button("Remove", async () => {
        await control(`/faults/${encodeURIComponent(f.id)}`, { method: "DELETE" });
        notify(`Fault ${f.id} removed.`);
        await loadFaults(true);
      }, { "aria-label": `Remove fault ${f.id}` })),
    ),
  );
  const table = h(
    "table",
    { class: "data", id: "faults-table" },
    h("caption", {}, `Active faults (${app.faults.length})`),
    h("thead", {}, h("tr", {}, ["ID", "Path", "Vendor", "Method", "Effect", "Remaining", "Probability", "Hits", "Actions"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: "9" }, "No faults."))),
  );

  const fPath = h("input", { type: "text", value: "**", required: true, spellcheck: "false" });
  const fVendor = select([["", "Any"], ["stytch", "Stytch"], ["ssoready", "SSOReady"]], "");
  const fMethod = select([["", "Any"], ...["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => [m, m])], "");
  const fStatus = h("input", { type: "number", min: "100", max: "599", placeholder: "e.g. 503" });
  const fRetry = h("input", { type: "number", min: "0", step: "any", placeholder: "seconds" });
  const fLatency = h("input", { type: "number", min: "0", step: "any", placeholder: "ms" });
  const fCount = h("input", { type: "number", min: "1", placeholder: "unlimited" });
  const fProb = h("input", { type: "number", min: "0", max: "1", step: "any", placeholder: "0–1" });
  const fMessage = h("input", { type: "text", placeholder: "optional" });
  const fDrop = h("input", { type: "checkbox" });
  fDrop.id = "fault-drop";
  const addForm = h(
    "form",
    { class: "grid-form", "aria-labelledby": "fault-add-title" },
    h("h3", { id: "fault-add-title" }, "Add a fault"),
    labelled("fault-path", "Path pattern", fPath),
    labelled("fault-vendor", "Vendor", fVendor),
    labelled("fault-method", "Method", fMethod),
    labelled("fault-status", "Status", fStatus),
    labelled("fault-retry", "Retry-After (s)", fRetry),
    labelled("fault-latency", "Latency (ms)", fLatency),
    labelled("fault-count", "Count", fCount),
    labelled("fault-probability", "Probability", fProb),
    labelled("fault-message", "Message", fMessage),
    h("div", { class: "field checkbox" }, fDrop, h("label", { for: "fault-drop" }, "Drop the connection")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "button primary" }, "Add fault")),
  );
  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const rule = { path: fPath.value.trim() || "**" };
    if (fVendor.value) rule.vendor = fVendor.value;
    if (fMethod.value) rule.method = fMethod.value;
    if (fStatus.value) rule.status = Number(fStatus.value);
    if (fRetry.value) rule.retry_after = Number(fRetry.value);
    if (fLatency.value) rule.latency_ms = Number(fLatency.value);
    if (fCount.value) rule.count = Number(fCount.value);
    if (fProb.value) rule.probability = Number(fProb.value);
    if (fMessage.value) rule.message = fMessage.value;
    if (fDrop.checked) rule.drop = true;
    try {
      const added = await control("/faults", { method: "POST", body: rule });
      notify(`Fault ${added.id} added.`);
      await loadFaults(true);
    } catch (err) {
      notify(`Fault not added: ${errorText(err)}`, "error");
    }
  });
  const faultSection = h(
    "section",
    { class: "card", "aria-labelledby": "faults-title" },
    h("h2", { id: "faults-title" }, "Faults"),
    h("p", {}, "Injected errors, 429s, latency and dropped connections, answered in each vendor's own error format. Patterns: ", code("*"), " one segment, ", code("**"), " anything."),
    tableWrap("Faults table", table),
    h("div", { class: "actions" }, button("Clear all faults", async () => {
      await control("/faults", { method: "DELETE" });
      notify("All faults cleared.");
      await loadFaults(true);
    }, { id: "faults-clear" })),
    addForm,
  );
  return [h("h1", {}, "Faults & clock"), h("div", { class: "stack" }, clockSection, faultSection)];
}

async function setClock(change, message) {
  const reading = await control("/clock", { method: "POST", body: change });
  applyClock(reading);
  notify(message);
  if (app.route.view === "faults") rerender();
}

function applyClock(reading) {
  app.clock = reading;
  app.clockFetchedAt = Date.now();
  const now = document.getElementById("clock-now");
  now.textContent = `${fmtInstant(reading.now)}${reading.mode === "real" ? "" : ` (${reading.mode})`}`;
  const viewNow = document.getElementById("clock-view-now");
  if (viewNow) {
    viewNow.textContent = fmtInstant(reading.now);
    viewNow.setAttribute("datetime", reading.now);
    document.getElementById("clock-view-mode").textContent = reading.mode;
  }
}

// ------------------------------------------------------------------ views: webhooks

function safeScalars(obj) {
  const pairs = [];
  for (const [k, v] of Object.entries(obj || {})) {
    if (HIDDEN_KEYS.test(k)) continue; // never show a stored secret
    if (v !== null && typeof v === "object") continue;
    pairs.push([k, v === null ? "—" : String(v)]);
  }
  return pairs;
}

function listOf(body, key) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body[key])) return body[key];
  if (body && Array.isArray(body.data)) return body.data;
  return [];
}

// An endpoint's facts; its custom headers by name only (a value is often a credential, and
// the control plane never sends one after creation anyway).
function endpointFacts(e) {
  const pairs = safeScalars(e);
  if (Array.isArray(e.events) && e.events.length) pairs.push(["events", e.events.join(", ")]);
  const names = Array.isArray(e.header_names) ? e.header_names : [];
  if (names.length) pairs.push(["custom headers", `${names.join(", ")} (values hidden)`]);
  return pairs;
}

async function renderWebhooks() {
  const [endpointsBody, messagesBody] = await Promise.all([
    control("/webhooks/endpoints"),
    control("/webhooks/messages").catch(() => null),
  ]);
  const endpoints = listOf(endpointsBody, "endpoints");
  const messages = listOf(messagesBody, "messages");
  const endpointList = h("ul", { class: "cards" }, endpoints.map((e, i) =>
    h("li", { class: "card" }, h("h3", {}, String(e.url ?? e.id ?? `Endpoint ${i + 1}`)), dl(endpointFacts(e)))));
  const messageList = h("ol", { class: "journal" }, messages.map((m, i) => {
    const attempts = listOf(m, "attempts").concat(listOf(m, "delivery_attempts"));
    const attemptRows = attempts.map((a) => h("tr", {}, ...["endpoint_id", "trigger", "at", "status", "latency_ms", "error", "next_attempt_at"].filter((k) => k in a).map((k) => h("td", {}, `${k}: ${a[k] ?? "—"}`))));
    return h("li", { class: "entry" }, detailsBlock(`msg:${m.id ?? i}`,
      h("span", { class: "entry-line" }, h("span", { class: "seq" }, String(m.id ?? i + 1)), h("span", { class: "method" }, String(m.event_type ?? m.type ?? m.eventType ?? "message")), h("span", { class: "muted" }, `${attempts.length} attempt${attempts.length === 1 ? "" : "s"}`)),
      dl(safeScalars(m)),
      attempts.length ? tableWrap("Delivery attempts", h("table", { class: "data" }, h("caption", {}, "Delivery attempts"), h("tbody", {}, attemptRows))) : h("p", { class: "muted" }, "No delivery attempt yet."),
      m.payload !== undefined ? [h("h3", {}, "Payload"), pre(m.payload)] : null,
    ));
  }));
  return [
    h("h1", {}, "Webhooks"),
    h("section", { "aria-labelledby": "wh-endpoints" }, h("h2", { id: "wh-endpoints" }, `Endpoints (${endpoints.length})`), endpoints.length ? endpointList : h("p", { class: "muted" }, "No endpoint.")),
    h("section", { "aria-labelledby": "wh-messages" }, h("h2", { id: "wh-messages" }, `Messages (${messages.length})`), messages.length ? messageList : h("p", { class: "muted" }, "No message.")),
  ];
}

async function probeWebhooks() {
  const headers = { Accept: "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers[TOKEN_HEADER] = token;
  try {
    const res = await fetch(`${CONTROL}/webhooks/endpoints`, { headers, cache: "no-store", credentials: "omit" });
    app.webhooks = res.status === 200;
  } catch {
    app.webhooks = false;
  }
  document.getElementById("nav-webhooks").hidden = !app.webhooks;
  if (!app.webhooks && app.route.view === "webhooks") window.location.hash = "#/organizations";
}

// ------------------------------------------------------------------ loading and routing

function signature(snapshot) {
  const { clock, ...rest } = snapshot || {};
  // Re-render on data changes, and once a minute for the relative expiry times.
  return `${JSON.stringify(rest)}|${Math.floor(clockNowMs() / 60000)}`;
}

async function loadState(force = false) {
  const snapshot = await control("/state");
  const sig = signature(snapshot);
  if (!force && sig === app.snapshotSig) return;
  app.snapshot = snapshot;
  app.snapshotSig = sig;
  if (app.route.view === "organizations" || app.route.view === "directory") rerender();
}

async function loadFaults(force = false) {
  const body = await control("/faults");
  const faults = body.faults || [];
  const changed = JSON.stringify(faults) !== JSON.stringify(app.faults);
  app.faults = faults;
  if ((changed || force) && app.route.view === "faults") rerender();
}

async function loadClock() {
  applyClock(await control("/clock"));
}

function parseRoute() {
  const hash = window.location.hash || "#/organizations";
  const parts = hash.replace(/^#\/?/, "").split("/");
  const view = parts[0] || "organizations";
  const known = ["organizations", "directory", "journal", "faults", "webhooks"];
  return { view: known.includes(view) ? view : "organizations", param: parts[1] ? decodeURIComponent(parts.slice(1).join("/")) : null };
}

let renderToken = 0;

async function rerender() {
  const main = document.getElementById("main");
  const mine = ++renderToken;
  const active = document.activeElement;
  const activeId = active && main.contains(active) ? active.id : "";
  // A search box keeps its caret when the page is redrawn under the user's typing.
  const caret = active && active.tagName === "INPUT" && active.type === "search" ? [active.selectionStart, active.selectionEnd] : null;
  let content;
  try {
    switch (app.route.view) {
      case "directory":
        content = app.snapshot ? renderDirectory(app.route.param) : [h("p", {}, "Loading…")];
        break;
      case "journal":
        content = renderJournal();
        break;
      case "faults":
        content = renderFaults();
        break;
      case "webhooks":
        content = app.webhooks ? await renderWebhooks() : [h("h1", {}, "Webhooks"), h("p", {}, "This mock has no webhooks.")];
        break;
      default:
        content = app.snapshot ? renderOrganizations() : [h("p", {}, "Loading…")];
    }
  } catch (err) {
    content = [h("h1", {}, "Error"), h("p", { class: "notice error" }, errorText(err))];
  }
  if (mine !== renderToken) return;
  main.replaceChildren(...content);
  // Keep keyboard users where they were: the same control, or the one they just used
  // (a clicked button is disabled while its request runs, which drops its focus).
  const lost = !document.activeElement || document.activeElement === document.body;
  const targetId = activeId || (lost ? app.lastClicked : "");
  const again = targetId ? document.getElementById(targetId) : null;
  if (again && main.contains(again)) {
    const usable = again.disabled ? again.closest(".actions")?.querySelector("button:not([disabled]), a") : again;
    if (usable) usable.focus({ preventScroll: true });
    if (caret && usable === again && again.setSelectionRange) again.setSelectionRange(...caret);
  }
}

function markNav() {
  for (const link of document.querySelectorAll("nav.tabs a")) {
    const view = link.dataset.view;
    const current = view === app.route.view || (view === "organizations" && app.route.view === "directory");
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function onRoute(focusMain) {
  app.route = parseRoute();
  markNav();
  const view = app.route.view;
  try {
    if (view === "journal") {
      rerender();
      await loadJournal(true);
    } else if (view === "faults") {
      await Promise.all([loadFaults(), loadClock()]);
      rerender();
    } else if (view === "webhooks") {
      rerender();
    } else {
      if (!app.snapshot) await loadState(true);
      else rerender();
    }
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) notify(errorText(err), "error");
  }
  if (focusMain) document.getElementById("main").focus({ preventScroll: false });
}

async function refreshAll() {
  app.info = null;
  try {
    await ensureInfo();
    await Promise.all([loadClock(), loadState(true), probeWebhooks()]);
    await onRoute(false);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) notify(errorText(err), "error");
  }
}

async function poll() {
  app.tick += 1;
  if (!app.needToken && !document.hidden && !app.busy) {
    app.busy = true;
    try {
      const view = app.route.view;
      const jobs = [loadClock()];
      if (view === "journal" && app.live) jobs.push(loadJournal(false));
      if ((view === "organizations" || view === "directory") && app.tick % 2 === 0) jobs.push(loadState());
      if (view === "faults") jobs.push(loadFaults());
      if (app.tick % 20 === 0) jobs.push(probeWebhooks());
      await Promise.all(jobs);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401) && app.tick % 10 === 0) notify(errorText(err), "error");
    } finally {
      app.busy = false;
    }
  }
  setTimeout(poll, POLL_MS);
}

function setup() {
  setupTokenForm();
  document.getElementById("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    document.getElementById("main").focus();
  });
  document.getElementById("reset-button").addEventListener("click", async (event) => {
    const btn = event.currentTarget;
    btn.disabled = true;
    try {
      const report = await control("/reset", { method: "POST", body: {} });
      document.getElementById("secret-slot").replaceChildren();
      app.journal = [];
      app.lastSeq = 0;
      app.journalEpoch += 1;
      app.open.clear();
      notify(`Mock reset: ${report.directories ?? 0} directories, ${report.users ?? 0} users, ${report.groups ?? 0} groups.`);
      await refreshAll();
    } catch (err) {
      notify(errorText(err), "error");
    } finally {
      btn.disabled = false;
    }
  });
  window.addEventListener("hashchange", () => onRoute(true));
  refreshAll().then(() => setTimeout(poll, POLL_MS));
}

setup();
