// The customer's self-serve setup page: redeem the one-time token from the link for an admin
// session (kept in sessionStorage, as SSOReady's admin app keeps its session in the browser),
// then list the organization's SCIM directories and SAML connections through the Admin RPCs.
"use strict";

const RPC = "/ssoready.v1.SSOReadyService/";
const SESSION_KEY = "mockscim.ssoready.adminSession";

async function call(method, body) {
  const headers = { "Content-Type": "application/json" };
  const session = sessionStorage.getItem(SESSION_KEY);
  if (session && method !== "AdminRedeemOneTimeToken") headers.Authorization = "Bearer " + session;
  const response = await fetch(RPC + method, { method: "POST", headers, body: JSON.stringify(body || {}) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message || data.code || ("HTTP " + response.status));
  return data;
}

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = false;
}

function row(table, label, value, testid) {
  const tr = el("tr");
  tr.append(el("th", label), el("td"));
  tr.lastChild.append(el("code", value, testid ? { "data-testid": testid } : {}));
  table.append(tr);
}

let pendingRotation = null;

async function rotate(directoryId) {
  const { bearerToken } = await call("AdminRotateSCIMDirectoryBearerToken", { scimDirectoryId: directoryId });
  document.getElementById("bearer-token").textContent = bearerToken;
  document.getElementById("token-dialog").showModal();
  await loadScim();
}

async function loadScim() {
  const { scimDirectories } = await call("AdminListSCIMDirectories", {});
  const list = document.getElementById("scim-list");
  list.replaceChildren();
  if (!scimDirectories.length) list.append(el("p", "This organization has no SCIM directory yet.", { class: "muted" }));
  for (const directory of scimDirectories) {
    const table = el("table", null, { "data-directory": directory.id });
    row(table, "SCIM Directory ID", directory.id);
    row(table, "SCIM Base URL", directory.scimBaseUrl, "scim-base-url");
    list.append(table);
    const button = directory.hasClientBearerToken
      ? el("button", "Rotate bearer token")
      : el("button", "Generate bearer token");
    button.addEventListener("click", () => {
      if (directory.hasClientBearerToken) {
        pendingRotation = directory.id;
        document.getElementById("warn-dialog").showModal();
      } else {
        rotate(directory.id).catch((e) => showError(e.message));
      }
    });
    list.append(button);
  }
  document.getElementById("scim").hidden = false;
}

async function loadSaml() {
  const { samlConnections } = await call("AdminListSAMLConnections", {});
  const list = document.getElementById("saml-list");
  list.replaceChildren();
  if (!samlConnections.length) list.append(el("p", "This organization has no SAML connection yet.", { class: "muted" }));
  for (const connection of samlConnections) {
    const table = el("table", null, { "data-connection": connection.id });
    const title = el("caption", connection.id);
    if (connection.primary) title.append(el("span", "Primary", { class: "badge" }));
    table.append(title);
    row(table, "Assertion Consumer Service (ACS) URL", connection.spAcsUrl, "sp-acs-url");
    row(table, "SP Entity ID", connection.spEntityId, "sp-entity-id");
    row(table, "IDP Redirect URL", connection.idpRedirectUrl, "idp-redirect-url");
    row(table, "IDP Entity ID", connection.idpEntityId, "idp-entity-id");
    row(table, "IDP Certificate", connection.idpCertificate || "(none)", "idp-certificate");
    list.append(table);
  }
  document.getElementById("saml").hidden = false;
}

async function main() {
  const params = new URLSearchParams(location.search);
  const oneTimeToken = params.get("one-time-token");
  if (oneTimeToken) {
    const { adminSessionToken } = await call("AdminRedeemOneTimeToken", { oneTimeToken });
    sessionStorage.setItem(SESSION_KEY, adminSessionToken);
    history.replaceState(null, "", "/ssoready-admin/");
  }
  if (!sessionStorage.getItem(SESSION_KEY)) return;
  document.getElementById("loading").hidden = true;
  const results = await Promise.allSettled([loadScim(), loadSaml()]);
  const failures = results.filter((r) => r.status === "rejected").map((r) => r.reason.message);
  if (failures.length === results.length) showError(failures.join("; "));
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("confirm-rotate").addEventListener("click", () => {
    if (pendingRotation) rotate(pendingRotation).catch((e) => showError(e.message));
    pendingRotation = null;
  });
  main().catch(() => {});
});
