/*
 * 大兴规划问答助手 — staff workspace (served at /staff).
 *
 * A small single-page app without a framework or build step. Hash routes (#/documents,
 * #/documents/<id>, #/index, #/insights, #/accounts, #/audit) pick the visible section.
 *
 * Rules that hold everywhere in this file:
 *  - Server data is rendered as TEXT (textContent / DOM building); innerHTML is never used.
 *  - No inline styles or scripts: the page's CSP forbids them (state is shown with classes
 *    and the `hidden` attribute).
 *  - The bearer token lives in sessionStorage (gone when the tab closes) and is sent on every
 *    call; the server's HttpOnly cookie only authenticates plain GETs such as CSV downloads.
 *  - The server enforces permissions; hiding controls here only spares staff dead ends.
 */
(function () {
  "use strict";

  const TOKEN_KEY = "planbot-staff-token";
  const INDEX_POLL_MS = 1500;
  const PREVIEW_DEBOUNCE_MS = 700;
  const SERVING_SWITCH_POLLS = 10; // polls to wait for the new build to be served after "idle"

  const STATUS_LABELS = {
    draft: "草稿",
    published: "已发布",
    changed: "有未发布的修改",
    deleted: "已删除",
  };
  const INDEX_LABELS = { idle: "空闲", queued: "排队中", building: "正在构建", failed: "构建失败" };
  const ROLE_LABELS = { admin: "管理员", editor: "编辑" };
  const TICKET_KINDS = { handoff: "转人工", cooperation: "合作咨询" };
  const ACTION_LABELS = {
    login: "登录",
    login_failed: "登录失败",
    logout: "退出登录",
    create: "新建文档",
    edit: "保存草稿",
    publish: "发布",
    rollback: "回滚",
    delete: "删除文档",
    import: "导入",
    account_add: "新建账号",
    account_update: "修改账号",
    ticket_closed: "关闭工单",
    ticket_open: "重新打开工单",
    ticket_reply: "答复工单",
    alias_add: "关联说法",
    alias_delete: "删除关联",
    gap_resolve: "标记问题已解决",
    totp_enable: "开启两步验证",
    totp_disable: "关闭两步验证",
    totp_reset: "重置两步验证",
  };
  const TICKET_STATUS_LABELS = { open: "待处理", answered: "已答复", closed: "已关闭" };
  const VIEW_TITLES = {
    login: "登录",
    documents: "文档",
    editor: "编辑文档",
    index: "索引状态",
    insights: "知识缺口与反馈",
    try: "试问",
    accounts: "账号",
    audit: "审计日志",
  };

  const state = {
    token: null,
    me: null, // {username, role, permissions}
    route: "",
    doc: null, // the document being edited as last loaded from the server (null: a new one)
    dirty: false, // the editor holds text that is not saved
    conflictLatest: null, // the newer version found when a save was refused as stale
    previewTimer: 0,
    previewSeq: 0, // only the newest preview answer is shown
    indexTimer: 0,
    indexWatch: null, // {servingPolls} while waiting for a build staff started
    lastIndexResult: "",
    pendingDraft: null, // {title, content} for the next new document (drafted from a gap)
  };

  const $ = (id) => document.getElementById(id);

  /* ------------------------------------------------------------------ *
   * DOM helpers: every string from the server goes through textContent.
   * ------------------------------------------------------------------ */

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function cell(row, text, className) {
    const td = el("td", className, text);
    row.appendChild(td);
    return td;
  }

  function option(value, text) {
    const opt = el("option", null, text);
    opt.value = String(value);
    return opt;
  }

  /** The API sends UTC times, some without an offset (SQLite drops it): read those as UTC. */
  function parseTime(value) {
    if (!value) return null;
    const text = /[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : value + "Z";
    const date = new Date(text);
    return isNaN(date.getTime()) ? null : date;
  }

  function formatTime(value) {
    const date = parseTime(value);
    if (!date) return "—";
    return date.toLocaleString("zh-CN", { hour12: false });
  }

  function timeElement(value) {
    const node = el("time", null, formatTime(value));
    const date = parseTime(value);
    if (date) node.dateTime = date.toISOString();
    return node;
  }

  function can(permission) {
    return !!(state.me && state.me.permissions.indexOf(permission) !== -1);
  }

  /* ------------------------------------------------------------------ *
   * Messages: a polite status line and an assertive alert box.
   * ------------------------------------------------------------------ */

  function announce(text) {
    const status = $("status");
    // Clearing first makes screen readers repeat an identical message.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = text;
    }, 30);
  }

  function showAlert(text) {
    $("alert-text").textContent = text;
    $("alert").hidden = false;
  }

  function hideAlert() {
    $("alert").hidden = true;
    $("alert-text").textContent = "";
  }

  /* ------------------------------------------------------------------ *
   * The API client: JSON in and out, the bearer token, 401 and 403.
   * ------------------------------------------------------------------ */

  class ApiError extends Error {
    constructor(status, detail, handled) {
      super(typeof detail === "string" ? detail : "request failed (" + status + ")");
      this.status = status;
      this.detail = detail;
      this.handled = !!handled; // already shown to the user (401, 403)
    }
  }

  /** A readable sentence from a FastAPI error body ({detail: "text"} or {detail: [...]}). */
  function describeDetail(detail) {
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      return detail.map((item) => problemText(item)).join("；");
    }
    return "";
  }

  function problemText(item) {
    if (!item || typeof item !== "object") return String(item);
    const where = item.line ? "第 " + item.line + " 行：" : item.field ? fieldLabel(item.field) + "：" : "";
    return where + String(item.problem || "");
  }

  function fieldLabel(field) {
    const labels = { title: "标题", content: "正文", doc_id: "文档编号", file: "文件", base_version: "版本" };
    return labels[field] || field;
  }

  async function api(method, path, body, options) {
    const opts = options || {};
    const headers = { Accept: "application/json" };
    if (state.token) headers.Authorization = "Bearer " + state.token;
    let payload;
    if (body instanceof FormData) {
      payload = body; // the browser sets the multipart boundary
    } else if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
    } catch (e) {
      throw new ApiError(0, "无法连接服务器，请检查网络后重试。");
    }
    let data = null;
    if (response.status !== 204) {
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
    }
    if (response.ok) return data;
    const detail = data && data.detail !== undefined ? data.detail : "服务器错误（" + response.status + "）。";
    if (response.status === 401 && !opts.login) {
      sessionExpired();
      throw new ApiError(401, detail, true);
    }
    if (response.status === 403) {
      showAlert("没有权限：" + (describeDetail(detail) || "您的角色不能执行此操作。"));
      throw new ApiError(403, detail, true);
    }
    const failure = new ApiError(response.status, detail);
    failure.otpRequired = !!(data && data.otp_required); // the account needs its 6-digit code
    throw failure;
  }

  /** The catch-all for failures a view does not handle itself. */
  function reportError(error) {
    if (error && error.handled) return;
    if (error instanceof ApiError) {
      showAlert(describeDetail(error.detail) || "操作失败（" + error.status + "）。");
    } else {
      showAlert("页面出错：" + (error && error.message ? error.message : String(error)));
    }
  }

  /** Disable a button (and mark its form busy) while a request runs: no double submits. */
  async function busy(button, work) {
    const form = button && button.form;
    if (button) button.disabled = true;
    if (form) form.setAttribute("aria-busy", "true");
    try {
      return await work();
    } finally {
      if (button) button.disabled = false;
      if (form) form.removeAttribute("aria-busy");
    }
  }

  /* ------------------------------------------------------------------ *
   * Session: log in, log out, expiry.
   * ------------------------------------------------------------------ */

  function saveToken(token) {
    state.token = token;
    try {
      if (token) window.sessionStorage.setItem(TOKEN_KEY, token);
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) {
      /* storage blocked: the token lives in memory for this page only */
    }
  }

  function loadToken() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY);
    } catch (e) {
      return null;
    }
  }

  function endSession() {
    saveToken(null);
    state.me = null;
    state.doc = null;
    state.dirty = false;
    stopIndexPolling();
    $("session").hidden = true;
    $("nav").hidden = true;
  }

  const DRAFT_KEY = "planbot.staff.unsaved";

  function sessionExpired() {
    if (!state.me) return; // already on the log-in form
    const kept = keepUnsavedEdit();
    endSession();
    showLogin(
      kept
        ? "登录已过期，请重新登录。您未保存的修改已暂存在本页，登录后会自动恢复。"
        : "登录已过期或已失效，请重新登录。"
    );
  }

  /** An expired log-in must not cost an editor their text: keep it (with the version it
   * started from, so a save after log-in still gets 409 if someone else saved meanwhile). */
  function keepUnsavedEdit() {
    if (!state.dirty || !state.doc) return false;
    try {
      window.sessionStorage.setItem(
        DRAFT_KEY,
        JSON.stringify({
          doc_id: state.doc.doc_id,
          base_version: state.doc.version,
          title: $("doc-title").value,
          content: $("doc-content").value,
        })
      );
      return true;
    } catch (e) {
      return false;
    }
  }

  /** After log-in, put a kept edit back into the editor of its document. */
  function restoreUnsavedEdit(doc) {
    let kept = null;
    try {
      kept = JSON.parse(window.sessionStorage.getItem(DRAFT_KEY) || "null");
    } catch (e) {
      kept = null;
    }
    if (!kept || kept.doc_id !== doc.doc_id) return;
    window.sessionStorage.removeItem(DRAFT_KEY);
    state.doc = Object.assign({}, doc, { version: kept.base_version });
    $("doc-title").value = kept.title;
    $("doc-content").value = kept.content;
    state.dirty = true;
    announce("已恢复登录过期前未保存的修改，请检查后保存。");
  }

  function showLogin(notice) {
    hideAlert();
    const box = $("login-notice");
    box.textContent = notice || "";
    box.hidden = !notice;
    $("login-error").textContent = "";
    $("login-otp").value = "";
    $("login-otp-field").hidden = true;
    showView("login", true);
    $("login-username").focus();
  }

  async function onLogin(event) {
    event.preventDefault();
    const username = $("login-username").value.trim();
    const password = $("login-password").value;
    const error = $("login-error");
    error.textContent = "";
    if (!username || !password) {
      error.textContent = "请输入用户名和密码。";
      (username ? $("login-password") : $("login-username")).focus();
      return;
    }
    const credentials = { username, password };
    const otp = $("login-otp").value.trim();
    if (!$("login-otp-field").hidden && otp) credentials.otp = otp;
    try {
      const result = await busy($("login-submit"), () =>
        api("POST", "/api/staff/login", credentials, { login: true })
      );
      saveToken(result.token);
      $("login-password").value = "";
      $("login-otp").value = "";
      $("login-otp-field").hidden = true;
      await startSession();
    } catch (e) {
      $("login-otp").value = "";
      if (e.status === 401 && e.otpRequired) {
        // The password was right: keep it and ask for the code.
        $("login-otp-field").hidden = false;
        error.textContent = describeDetail(e.detail);
        $("login-otp").focus();
        return;
      }
      $("login-password").value = "";
      if (e.status === 401) error.textContent = "用户名或密码错误，请重新输入。";
      else error.textContent = describeDetail(e.detail) || "登录失败，请稍后再试。";
      $("login-password").focus();
    }
  }

  async function onLogout() {
    try {
      await api("POST", "/api/staff/logout");
    } catch (e) {
      /* the token may already be gone; logging out locally is what matters */
    }
    endSession();
    showLogin("您已退出登录。");
  }

  /** Who is logged in and what they may do; then show the workspace. */
  async function startSession() {
    state.me = await api("GET", "/api/staff/me");
    $("whoami-name").textContent = state.me.username;
    $("whoami-role").textContent = ROLE_LABELS[state.me.role] || state.me.role;
    $("session").hidden = false;
    $("nav").hidden = false;
    $("login-notice").hidden = true;
    applyPermissions(document);
    const route = currentRoute();
    if (!route || route === "login") {
      window.location.hash = "#/documents"; // triggers the route
    } else {
      await navigate(route, true);
    }
  }

  /** Hide controls the role may not use (elements marked data-perm="<permission>"). */
  function applyPermissions(root) {
    root.querySelectorAll("[data-perm]").forEach((node) => {
      const allowed = can(node.getAttribute("data-perm"));
      node.hidden = !allowed;
      if ("disabled" in node && node.tagName !== "FORM" && node.tagName !== "DETAILS") {
        node.disabled = !allowed;
      }
    });
    const readOnly = !can("edit");
    ["doc-title", "doc-id", "doc-content"].forEach((id) => {
      $(id).readOnly = readOnly;
    });
    $("editor-readonly").hidden = !readOnly;
  }

  /* ------------------------------------------------------------------ *
   * Routing
   * ------------------------------------------------------------------ */

  function currentRoute() {
    const hash = window.location.hash;
    return hash.indexOf("#/") === 0 ? decodeURIComponent(hash.slice(2)) : "";
  }

  function showView(name, quiet) {
    document.querySelectorAll(".view").forEach((view) => {
      view.hidden = view.id !== "view-" + name;
    });
    const navName = name === "editor" ? "documents" : name;
    document.querySelectorAll("#nav a[data-route]").forEach((link) => {
      if (link.getAttribute("data-route") === navName) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    });
    document.title = VIEW_TITLES[name] + " · 工作台 · 大兴规划问答助手";
    // Moving focus to the new heading tells screen-reader users that the page changed.
    if (!quiet) {
      const heading = document.querySelector("#view-" + name + " h1");
      if (heading) heading.focus();
    }
  }

  async function onHashChange() {
    const route = currentRoute();
    if (!route) return; // e.g. the skip link's #main: not a route
    if (!state.me) {
      showLogin();
      return;
    }
    if (state.dirty && !route.startsWith("documents/" + (state.doc ? state.doc.doc_id : "new"))) {
      const leave = await confirmAction("编辑器中有未保存的修改。离开后这些修改会丢失，确定离开吗？", "离开");
      if (!leave) {
        window.history.replaceState(null, "", "#/" + state.route);
        return;
      }
      state.dirty = false;
    }
    navigate(route, false).catch(reportError);
  }

  async function navigate(route, quiet) {
    hideAlert();
    state.route = route;
    const [section, rest] = splitRoute(route);
    if (section === "documents" && rest) {
      showView("editor", quiet);
      if (rest === "new") openNewDocument();
      else await openDocument(rest);
      return;
    }
    const loaders = {
      documents: loadDocuments,
      index: loadIndex,
      insights: loadInsights,
      try: loadTry,
      accounts: loadAccounts,
      audit: loadAudit,
    };
    const name = loaders[section] ? section : "documents";
    showView(name, quiet);
    await loaders[name]();
  }

  function splitRoute(route) {
    const slash = route.indexOf("/");
    return slash === -1 ? [route, ""] : [route.slice(0, slash), route.slice(slash + 1)];
  }

  /* ------------------------------------------------------------------ *
   * A confirmation dialog (native <dialog>: modal, focus-trapped, Esc closes).
   * ------------------------------------------------------------------ */

  function confirmAction(text, okLabel) {
    const dialog = $("confirm-dialog");
    const opener = document.activeElement;
    $("confirm-text").textContent = text;
    $("confirm-ok").textContent = okLabel || "确定";
    return new Promise((resolve) => {
      const done = () => {
        dialog.removeEventListener("close", done);
        if (opener && opener.focus && document.contains(opener)) opener.focus();
        resolve(dialog.returnValue === "ok");
      };
      dialog.returnValue = "cancel";
      dialog.addEventListener("close", done);
      dialog.showModal();
      $("confirm-cancel").focus(); // the safe choice is the default one
    });
  }

  /* ------------------------------------------------------------------ *
   * Documents: the list
   * ------------------------------------------------------------------ */

  function statusBadge(status) {
    return el("span", "badge badge-" + status, STATUS_LABELS[status] || status);
  }

  async function loadDocuments() {
    const query = documentsQuery();
    if (query === null) return; // the filter form says what is wrong
    const seq = ++documentsSeq;
    const data = await api("GET", "/api/staff/documents" + query);
    if (seq !== documentsSeq) return; // a newer search is on its way
    renderDocumentsCount(data.documents.length);
    const body = $("documents-body");
    // The list is rebuilt when it arrives; a keyboard user already on a row keeps their place.
    const active = document.activeElement;
    const focused = active && body.contains(active) ? active.getAttribute("href") : null;
    clear(body);
    data.documents.forEach((doc) => body.appendChild(documentRow(doc)));
    $("documents-empty").textContent = filtersActive() ? "没有符合条件的文档。" : "还没有文档。";
    $("documents-empty").hidden = data.documents.length > 0;
    if (focused) {
      const again = Array.from(body.querySelectorAll("a.doc-link")).find(
        (link) => link.getAttribute("href") === focused
      );
      if (again) again.focus();
    }
  }

  function documentRow(doc) {
    const row = el("tr");
    const titleCell = cell(row, null);
    const link = el("a", "doc-link", doc.title);
    link.href = "#/documents/" + encodeURIComponent(doc.doc_id);
    titleCell.appendChild(link);
    titleCell.appendChild(el("span", "doc-id", doc.doc_id));
    cell(row, null).appendChild(statusBadge(doc.status));
    const published = doc.published_version ? "（已发布 v" + doc.published_version + "）" : "（未发布）";
    cell(row, "v" + doc.version + published, "nowrap");
    const updated = cell(row, null);
    updated.appendChild(timeElement(doc.updated_at));
    updated.appendChild(el("span", "by", doc.updated_by));
    return row;
  }

  /* ---------- search, filter and sort (done by the server) ---------- */

  let documentsSeq = 0; // only the newest list answer is shown
  let documentsTimer = 0;
  const FILTER_DEBOUNCE_MS = 300;

  /** "?q=…&status=…" from the filter form ("" when it asks for nothing but the default
   * order), or null when the dates contradict each other. Dates are the staff member's own
   * calendar days: sent as the instants where those days begin and end locally. */
  function documentsQuery() {
    const error = $("filter-error");
    error.textContent = "";
    const params = new URLSearchParams();
    const text = $("filter-q").value.trim();
    if (text) params.set("q", text);
    const status = $("filter-status").value;
    if (status) params.set("status", status);
    const from = localDayStart($("filter-from").value, 0);
    const to = localDayStart($("filter-to").value, 1);
    if (from && to && from >= to) {
      error.textContent = "结束日期不能早于开始日期。";
      return null;
    }
    if (from) params.set("updated_since", from.toISOString());
    if (to) params.set("updated_before", to.toISOString());
    const [sort, order] = $("filter-sort").value.split(":");
    params.set("sort", sort);
    params.set("order", order);
    return "?" + params.toString();
  }

  /** The local midnight that starts the day `value` (YYYY-MM-DD) plus `days`; null if empty. */
  function localDayStart(value, days) {
    const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    if (!parts) return null;
    return new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]) + days);
  }

  function filtersActive() {
    return !!($("filter-q").value.trim() || $("filter-status").value || $("filter-from").value || $("filter-to").value);
  }

  function renderDocumentsCount(count) {
    $("documents-count").textContent = filtersActive()
      ? "找到 " + count + " 个符合条件的文档。"
      : "共 " + count + " 个文档。";
  }

  function scheduleDocumentsReload() {
    window.clearTimeout(documentsTimer);
    documentsTimer = window.setTimeout(() => loadDocuments().catch(reportError), FILTER_DEBOUNCE_MS);
  }

  function onFilterSubmit(event) {
    event.preventDefault();
    window.clearTimeout(documentsTimer);
    return loadDocuments();
  }

  function onFilterReset() {
    $("documents-filter").reset();
    $("filter-error").textContent = "";
    $("filter-q").focus();
    return loadDocuments();
  }

  function wireDocumentFilters() {
    bind("documents-filter", "submit", onFilterSubmit);
    bind("filter-reset", "click", onFilterReset);
    bind("filter-q", "input", scheduleDocumentsReload);
    ["filter-status", "filter-from", "filter-to", "filter-sort"].forEach((id) =>
      bind(id, "change", scheduleDocumentsReload)
    );
  }

  /* ---------- upload: one or several files, a result for each ---------- */

  async function onUpload(event) {
    event.preventDefault();
    const errors = $("upload-errors");
    clear(errors);
    const files = Array.from($("upload-file").files || []);
    if (!files.length) {
      errors.appendChild(el("li", null, "请选择要上传的文件。"));
      $("upload-file").focus();
      return;
    }
    const title = $("upload-title").value.trim();
    if (title && files.length > 1) {
      errors.appendChild(el("li", null, "同时上传多个文件时请不要填写标题：每个文件使用它自己的标题。"));
      $("upload-title").focus();
      return;
    }
    const form = new FormData();
    files.forEach((file) => form.append("files", file));
    if (title) form.append("title", title);
    let batch;
    try {
      batch = await busy($("upload-submit"), () => api("POST", "/api/staff/documents/uploads", form));
    } catch (e) {
      if (e.handled) return;
      const items = Array.isArray(e.detail) ? e.detail : [{ problem: describeDetail(e.detail) }];
      items.forEach((item) => errors.appendChild(el("li", null, problemText(item))));
      return;
    }
    renderUploadResults(batch);
    if (batch.saved) $("upload-form").reset();
    const only = batch.results.length === 1 ? batch.results[0] : null;
    if (only && only.status_code === 201) {
      // One file: straight into its editor, as before several files could be chosen.
      const warnings = only.warnings.length ? "提示：" + only.warnings.join("；") : "";
      announce("已上传为草稿“" + only.title + "”（" + only.doc_id + "，编码 " + only.encoding + "）。" + warnings);
      window.location.hash = "#/documents/" + encodeURIComponent(only.doc_id);
      return;
    }
    announce(uploadSummary(batch));
    await loadDocuments();
  }

  function uploadSummary(batch) {
    if (!batch.failed) return "上传完成：" + batch.saved + " 个文件都已保存为草稿。";
    if (!batch.saved) return "上传失败：" + batch.failed + " 个文件都没有保存，原因见各文件下方。";
    return "上传完成：" + batch.saved + " 个文件已保存为草稿，" + batch.failed + " 个文件未能保存，原因见各文件下方。";
  }

  function renderUploadResults(batch) {
    const list = $("upload-results");
    clear(list);
    batch.results.forEach((result) => list.appendChild(uploadResultItem(result)));
    $("upload-summary").textContent = uploadSummary(batch);
    $("upload-report").hidden = false;
  }

  function uploadResultItem(result) {
    const ok = result.status_code === 201;
    const li = el("li", "upload-result " + (ok ? "upload-ok" : "upload-failed"));
    const head = el("p", "upload-file");
    head.appendChild(el("span", "badge " + (ok ? "badge-ok" : "badge-failed"), ok ? "成功" : "失败"));
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("span", "upload-name", result.filename));
    li.appendChild(head);
    if (ok) {
      const line = el("p", null, "已保存为草稿“" + result.title + "”（编号 " + result.doc_id + "，编码 " + result.encoding + "）。");
      const link = el("a", "upload-open", "打开编辑");
      link.href = "#/documents/" + encodeURIComponent(result.doc_id);
      link.setAttribute("aria-label", "打开编辑：" + result.title);
      line.appendChild(document.createTextNode(" "));
      line.appendChild(link);
      li.appendChild(line);
    }
    const notes = ok ? result.warnings.map((w) => "提示：" + w) : result.problems.map((p) => problemText(p));
    if (!ok && !notes.length) notes.push("未能保存（" + result.status_code + "）。");
    if (notes.length) {
      const list = el("ul", ok ? "upload-notes" : "upload-notes error-list");
      notes.forEach((note) => list.appendChild(el("li", null, note)));
      li.appendChild(list);
    }
    return li;
  }

  /* ------------------------------------------------------------------ *
   * Documents: the editor
   * ------------------------------------------------------------------ */

  function openNewDocument() {
    state.doc = null;
    state.dirty = false;
    $("editor-title").textContent = "新建文档";
    $("editor-meta").textContent = "新文档先保存为草稿，发布后助手才会引用。";
    $("doc-title").value = "";
    $("doc-id").value = "";
    $("doc-content").value = "";
    applyPendingDraft();
    $("doc-id-field").hidden = false;
    $("history").hidden = true;
    ["publish-button", "delete-button"].forEach((id) => {
      $(id).disabled = true;
    });
    resetEditorMessages();
  }

  async function openDocument(docId) {
    if (!state.doc || state.doc.doc_id !== docId) $("publish-note").value = ""; // not another's
    const doc = await api("GET", "/api/staff/documents/" + encodeURIComponent(docId));
    fillEditor(doc);
    restoreUnsavedEdit(doc);
    resetEditorMessages();
    await loadHistory();
    // Showing how the saved text is cited needs no click (preview needs the edit permission).
    if (can("edit")) runPreview(false);
  }

  function fillEditor(doc) {
    state.doc = doc;
    state.dirty = false;
    $("editor-title").textContent = "编辑：" + doc.title;
    $("doc-title").value = doc.title;
    $("doc-content").value = doc.content;
    $("doc-id").value = doc.doc_id;
    $("doc-id-field").hidden = true;
    $("history").hidden = false;
    renderEditorMeta();
    $("publish-button").disabled = !can("publish") || doc.status === "published";
    $("delete-button").disabled = !can("publish") || doc.status === "deleted";
  }

  function renderEditorMeta() {
    const doc = state.doc;
    const meta = $("editor-meta");
    clear(meta);
    meta.appendChild(document.createTextNode("编号 " + doc.doc_id + " · 最新版本 v" + doc.version + " · "));
    meta.appendChild(statusBadge(doc.status));
    const published = doc.published_version ? " · 已发布 v" + doc.published_version : " · 尚未发布";
    meta.appendChild(document.createTextNode(published + " · 最后修改："));
    meta.appendChild(timeElement(doc.updated_at));
    meta.appendChild(document.createTextNode("（" + doc.updated_by + "）"));
  }

  function resetEditorMessages() {
    clear($("editor-error-list"));
    clear($("preview-list"));
    $("preview-status").textContent = "";
    $("conflict").hidden = true;
    state.conflictLatest = null;
  }

  function onEditorInput() {
    state.dirty = true;
    if ($("live-preview").checked) schedulePreview();
  }

  /** Show 422 problems next to the editor; a problem with a line can move the caret there. */
  function showEditorErrors(detail) {
    const list = $("editor-error-list");
    clear(list);
    const items = Array.isArray(detail) ? detail : [{ problem: describeDetail(detail) }];
    items.forEach((item) => {
      const li = el("li", "error-item", problemText(item));
      if (item.line && (item.field === "content" || item.field === undefined)) {
        const jump = el("button", "btn-link", "定位到第 " + item.line + " 行");
        jump.type = "button";
        jump.addEventListener("click", () => goToLine(item.line));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(jump);
      }
      list.appendChild(li);
    });
  }

  function goToLine(line) {
    const area = $("doc-content");
    const lines = area.value.split("\n");
    const before = lines.slice(0, Math.max(0, line - 1)).join("\n").length + (line > 1 ? 1 : 0);
    const end = before + (lines[line - 1] || "").length;
    area.focus();
    area.setSelectionRange(before, end);
  }

  function editorValues() {
    return { title: $("doc-title").value.trim(), content: $("doc-content").value };
  }

  /** The title and body must be filled in before anything is sent. */
  function checkEditor() {
    const values = editorValues();
    if (!values.title) {
      showEditorErrors([{ field: "title", problem: "请填写文档标题。" }]);
      $("doc-title").focus();
      return null;
    }
    if (!values.content.trim()) {
      showEditorErrors([{ field: "content", problem: "请填写正文。" }]);
      $("doc-content").focus();
      return null;
    }
    return values;
  }

  async function onSave(event) {
    event.preventDefault();
    const values = checkEditor();
    if (!values) return;
    clear($("editor-error-list"));
    try {
      await busy($("save-button"), () => (state.doc ? saveExisting(values) : saveNew(values)));
    } catch (e) {
      if (e.handled) return;
      if (e.status === 409 && state.doc) await showConflict();
      else if (e.status === 409) showEditorErrors([{ field: "doc_id", problem: "该文档编号已被使用：" + describeDetail(e.detail) }]);
      else if (e.status === 422) showEditorErrors(e.detail);
      else reportError(e);
    }
  }

  async function saveNew(values) {
    const body = { title: values.title, content: values.content };
    const docId = $("doc-id").value.trim();
    if (docId) body.doc_id = docId;
    const result = await api("POST", "/api/staff/documents", body);
    state.dirty = false;
    announce("已保存草稿：" + values.title + "（版本 " + result.version + "）。");
    // Replace #/documents/new so that Back does not return to an empty form.
    window.history.replaceState(null, "", "#/documents/" + encodeURIComponent(result.doc_id));
    state.route = "documents/" + result.doc_id;
    await openDocument(result.doc_id);
  }

  async function saveExisting(values) {
    const body = { content: values.content, base_version: state.doc.version, title: values.title };
    const result = await api("PUT", "/api/staff/documents/" + encodeURIComponent(state.doc.doc_id), body);
    announce("已保存草稿（版本 " + result.version + "）。");
    await openDocument(state.doc.doc_id);
  }

  /** Someone saved a newer version meanwhile: keep the user's text, offer the choices. */
  async function showConflict() {
    const latest = await api("GET", "/api/staff/documents/" + encodeURIComponent(state.doc.doc_id));
    state.conflictLatest = latest;
    $("conflict-text").textContent =
      "未能保存：在您编辑期间，" + latest.updated_by + " 已保存了更新的版本（v" + latest.version +
      "）。您的文字仍在编辑框中，没有丢失。可以以最新版本为基础保留您的文字后再次保存，或放弃您的修改。";
    $("conflict").hidden = false;
    $("conflict-keep").focus();
  }

  function onConflictKeep() {
    const latest = state.conflictLatest;
    if (!latest) return;
    // Only the base version moves forward: the title and body stay as the user typed them.
    state.doc = latest;
    state.dirty = true;
    state.conflictLatest = null;
    renderEditorMeta();
    $("conflict").hidden = true;
    announce("已载入最新版本 v" + latest.version + " 的信息，您的文字已保留。请核对后再次保存。");
    $("doc-content").focus();
    loadHistory().catch(reportError);
  }

  function onConflictDiscard() {
    const latest = state.conflictLatest;
    if (!latest) return;
    fillEditor(latest);
    resetEditorMessages();
    announce("已载入最新版本 v" + latest.version + "，您的修改已放弃。");
    $("doc-content").focus();
    loadHistory().catch(reportError);
  }

  async function onPublish() {
    if (!state.doc) return;
    if (state.dirty) {
      showEditorErrors([{ problem: "有未保存的修改。请先保存草稿，再发布。" }]);
      $("save-button").focus();
      return;
    }
    const doc = state.doc;
    const note = $("publish-note").value.trim();
    const ok = await confirmAction(
      "发布“" + doc.title + "”的版本 v" + doc.version + "？发布后，助手会在索引重建完成后（通常几秒钟）引用新内容。" +
        (note ? "发布说明：" + note : "（没有填写发布说明。）"),
      "发布"
    );
    if (!ok) return;
    try {
      const result = await busy($("publish-button"), () =>
        // The version reviewed here: a newer one saved meanwhile is refused (409), not published.
        api("POST", "/api/staff/documents/" + encodeURIComponent(doc.doc_id) + "/publish", {
          version: doc.version,
          note,
        })
      );
      $("publish-note").value = "";
      announce("已发布版本 v" + result.version + "，正在重建索引…");
      watchIndexBuild();
      await openDocument(doc.doc_id);
    } catch (e) {
      reportError(e);
    }
  }

  async function onDelete() {
    if (!state.doc) return;
    const doc = state.doc;
    const ok = await confirmAction(
      "删除“" + doc.title + "”？助手将不再引用它；历史版本会保留，之后可以通过回滚恢复。",
      "删除"
    );
    if (!ok) return;
    try {
      await busy($("delete-button"), () =>
        api("DELETE", "/api/staff/documents/" + encodeURIComponent(doc.doc_id))
      );
      state.dirty = false;
      announce("已删除“" + doc.title + "”，正在重建索引…");
      watchIndexBuild();
      window.location.hash = "#/documents";
    } catch (e) {
      reportError(e);
    }
  }

  /* ---------- preview: how the text will be cut into cited passages ---------- */

  function schedulePreview() {
    window.clearTimeout(state.previewTimer);
    state.previewTimer = window.setTimeout(() => runPreview(false), PREVIEW_DEBOUNCE_MS);
  }

  async function runPreview(explicit) {
    const values = editorValues();
    const status = $("preview-status");
    if (!values.content.trim()) {
      status.textContent = "请先输入正文。";
      clear($("preview-list"));
      return;
    }
    const seq = ++state.previewSeq;
    status.textContent = "正在生成预览…";
    const body = { title: values.title || "（未命名）", content: values.content };
    if (state.doc) body.doc_id = state.doc.doc_id;
    try {
      const result = await api("POST", "/api/staff/documents/preview", body);
      if (seq !== state.previewSeq) return; // a newer preview is on its way
      renderPassages(result.passages);
      clear($("editor-error-list"));
      status.textContent = "共 " + result.passages.length + " 个段落可被引用。";
    } catch (e) {
      if (seq !== state.previewSeq || e.handled) return;
      clear($("preview-list"));
      status.textContent = "无法预览：正文有问题，见编辑框下方的说明。";
      if (e.status === 422) showEditorErrors(e.detail);
      else if (explicit) reportError(e);
    }
  }

  function renderPassages(passages) {
    const list = $("preview-list");
    clear(list);
    passages.forEach((p) => {
      const li = el("li", "passage");
      li.appendChild(el("span", "cite-num", "[" + p.n + "]"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "cite-section", p.section || "（无章节）"));
      li.appendChild(document.createTextNode(" — "));
      li.appendChild(el("span", "cite-quote", p.quote));
      list.appendChild(li);
    });
  }

  /* ---------- history, diff, rollback ---------- */

  async function loadHistory() {
    const doc = state.doc;
    if (!doc) return;
    const data = await api("GET", "/api/staff/documents/" + encodeURIComponent(doc.doc_id) + "/versions");
    // The staff member may have left this document while the history loaded.
    if (state.doc !== doc) return;
    const body = $("history-body");
    clear(body);
    data.versions.forEach((v) => {
      const row = el("tr");
      const label = "v" + v.version + (v.version === doc.published_version ? "（已发布）" : "");
      cell(row, label, "nowrap");
      cell(row, null).appendChild(timeElement(v.created_at));
      cell(row, v.created_by);
      versionNoteCell(cell(row, null), v);
      body.appendChild(row);
    });
    fillVersionSelects(data.versions);
    $("diff-region").hidden = true;
  }

  /** The version's own note, then who published it, when, and the change note they gave. */
  function versionNoteCell(td, v) {
    if (v.note) td.appendChild(el("span", "version-note", v.note));
    if (v.published_at) {
      const line = el("span", "publish-info");
      line.appendChild(document.createTextNode((v.published_by || "") + " 发布于 "));
      line.appendChild(timeElement(v.published_at));
      td.appendChild(line);
      if (v.publish_note) td.appendChild(el("span", "publish-note", "发布说明：" + v.publish_note));
    }
    if (!td.firstChild) td.textContent = "—";
  }

  function fillVersionSelects(versions) {
    const numbers = versions.map((v) => v.version); // newest first
    const from = $("diff-from");
    const to = $("diff-to");
    const back = $("rollback-version");
    [from, to, back].forEach(clear);
    numbers.forEach((n) => {
      from.appendChild(option(n, "v" + n));
      to.appendChild(option(n, "v" + n));
      if (n !== numbers[0]) back.appendChild(option(n, "v" + n));
    });
    if (numbers.length < 2) back.appendChild(option("", "没有更早的版本"));
    // Default: what changed in the newest version.
    to.value = String(numbers[0]);
    from.value = String(numbers.length > 1 ? numbers[1] : numbers[0]);
    const canRollBack = can("publish") && numbers.length > 1;
    $("rollback-button").disabled = !canRollBack;
    back.disabled = !canRollBack;
  }

  async function onDiff(event) {
    event.preventDefault();
    const from = $("diff-from").value;
    const to = $("diff-to").value;
    try {
      const data = await busy($("diff-button"), () =>
        api(
          "GET",
          "/api/staff/documents/" + encodeURIComponent(state.doc.doc_id) + "/diff?from=" +
            encodeURIComponent(from) + "&to=" + encodeURIComponent(to)
        )
      );
      renderDiff(data);
    } catch (e) {
      reportError(e);
    }
  }

  /** Hunks of lines; in a changed line only the changed characters are marked (<del>/<ins>,
   * computed by the server: docstore/chardiff.py). */
  function renderDiff(data) {
    const out = $("diff-output");
    clear(out);
    $("diff-title").textContent = "v" + data.from_version + " 与 v" + data.to_version + " 的差异";
    if (!data.hunks.length) {
      out.appendChild(el("span", "diff-line", "两个版本的内容相同。"));
    }
    data.hunks.forEach((hunk) => {
      out.appendChild(
        el("span", "diff-line diff-hunk", "…… 旧版本第 " + hunk.old_start + " 行、新版本第 " + hunk.new_start + " 行起 ……")
      );
      out.appendChild(document.createTextNode("\n"));
      hunk.rows.forEach((row) => {
        out.appendChild(diffRow(row));
        out.appendChild(document.createTextNode("\n"));
      });
    });
    $("diff-region").hidden = false;
    announce("已显示 v" + data.from_version + " 与 v" + data.to_version + " 的差异。");
  }

  function diffRow(row) {
    const kinds = { insert: ["diff-add", "+ ", "ins"], delete: ["diff-del", "- ", "del"], equal: ["diff-same", "  ", null] };
    const [className, prefix, markTag] = kinds[row.op] || kinds.equal;
    const line = el("span", "diff-line " + className);
    line.appendChild(el("span", "diff-prefix", prefix));
    const whole = row.segments.length === 1 && row.segments[0].changed;
    row.segments.forEach((segment) => {
      // A line changed as a whole (new or removed) needs no marks inside: the prefix says it.
      if (segment.changed && markTag && !whole) line.appendChild(el(markTag, "diff-char", segment.text));
      else line.appendChild(document.createTextNode(segment.text));
    });
    return line;
  }

  async function onRollback(event) {
    event.preventDefault();
    const version = Number($("rollback-version").value);
    if (!state.doc || !version) return;
    const doc = state.doc;
    const ok = await confirmAction(
      "把“" + doc.title + "”恢复为 v" + version + " 的内容并立即发布？这会新增一个版本，现有历史不会被删除。",
      "回滚并发布"
    );
    if (!ok) return;
    try {
      const result = await busy($("rollback-button"), () =>
        api("POST", "/api/staff/documents/" + encodeURIComponent(doc.doc_id) + "/rollback", { version })
      );
      announce("已回滚到 v" + version + " 的内容，并发布为 v" + result.version + "，正在重建索引…");
      watchIndexBuild();
      await openDocument(doc.doc_id);
    } catch (e) {
      reportError(e);
    }
  }

  /* ------------------------------------------------------------------ *
   * Index status, polled while a build is queued or running.
   * ------------------------------------------------------------------ */

  async function loadIndex() {
    handleIndexStatus(await api("GET", "/api/staff/index"));
  }

  function isActive(status) {
    return status.state === "queued" || status.state === "building";
  }

  /** Poll while building, and briefly after, until the answering engine serves the new build. */
  function needsPolling(status) {
    if (isActive(status)) return true;
    if (status.state === "idle" && status.build_id && status.serving_build !== status.build_id) {
      if (!state.indexWatch) state.indexWatch = { servingPolls: 0 };
      return state.indexWatch.servingPolls++ < SERVING_SWITCH_POLLS;
    }
    return false;
  }

  function watchIndexBuild() {
    state.indexWatch = { servingPolls: 0 };
    scheduleIndexPoll(300);
  }

  function scheduleIndexPoll(delay) {
    window.clearTimeout(state.indexTimer);
    state.indexTimer = window.setTimeout(pollIndex, delay === undefined ? INDEX_POLL_MS : delay);
  }

  function stopIndexPolling() {
    window.clearTimeout(state.indexTimer);
    state.indexTimer = 0;
    state.indexWatch = null;
  }

  async function pollIndex() {
    if (!state.me) return;
    let status;
    try {
      status = await api("GET", "/api/staff/index");
    } catch (e) {
      if (!e.handled) scheduleIndexPoll(INDEX_POLL_MS * 2); // a hiccup: try again a bit later
      return;
    }
    handleIndexStatus(status);
  }

  /** Show a status; poll again while a build runs; announce the end of a watched build. */
  function handleIndexStatus(status) {
    renderIndex(status);
    if (needsPolling(status)) {
      scheduleIndexPoll();
      return;
    }
    if (state.indexWatch) {
      // The build staff started has finished: say so wherever they are in the workspace.
      const stuck = status.state === "idle" && status.build_id && status.serving_build !== status.build_id;
      announce(stuck ? "新索引已构建，但问答服务尚未载入它；请稍后点击“刷新状态”查看。" : indexResultText(status));
      state.indexWatch = null;
    }
  }

  function renderIndex(status) {
    const badge = $("index-state");
    badge.textContent = INDEX_LABELS[status.state] || status.state;
    badge.className = "badge index-" + status.state;
    $("index-serving").textContent = status.serving_build
      ? status.serving_build + "（" + status.serving_documents + " 个文档，" + status.serving_passages + " 个段落）"
      : "尚未加载索引";
    renderLastBuild(status);
    renderProgress(status);
    const result = indexResultText(status);
    if (result !== state.lastIndexResult) {
      $("index-result").textContent = result; // only on change: a live region re-reads updates
      state.lastIndexResult = result;
    }
    const error = $("index-error");
    error.hidden = !status.error;
    error.textContent = status.error ? "错误：" + status.error : "";
  }

  function renderLastBuild(status) {
    const node = $("index-last");
    clear(node);
    if (!status.build_id && !status.started_at) {
      node.textContent = "服务启动以来还没有构建过。";
      return;
    }
    const parts = [];
    if (status.build_id) parts.push(status.build_id);
    if (status.reason) parts.push("原因：" + status.reason + (status.requested_by ? "（" + status.requested_by + "）" : ""));
    if (status.build_id) parts.push(status.passages + " 个段落，用时 " + status.seconds.toFixed(1) + " 秒");
    if (status.embedded.length) parts.push("重新处理：" + status.embedded.join("、"));
    if (status.removed.length) parts.push("移除：" + status.removed.join("、"));
    if (status.broken.length) parts.push("无法解析而跳过：" + status.broken.join("；"));
    node.textContent = parts.join(" · ");
    if (status.finished_at) {
      node.appendChild(document.createTextNode(" · 完成于 "));
      node.appendChild(timeElement(status.finished_at));
    }
  }

  function renderProgress(status) {
    const box = $("index-progress-box");
    const bar = $("index-progress");
    const active = isActive(status);
    box.hidden = !active;
    if (!active) return;
    if (status.state === "building" && status.documents_total > 0) {
      bar.max = status.documents_total;
      bar.value = status.documents_done;
      $("index-progress-text").textContent =
        "已处理 " + status.documents_done + " / " + status.documents_total + " 个文档" +
        (status.current_document ? "，当前：" + status.current_document : "");
    } else {
      bar.removeAttribute("value"); // indeterminate until the build knows its size
      $("index-progress-text").textContent = status.state === "queued" ? "等待开始…" : "正在准备…";
    }
  }

  function indexResultText(status) {
    if (status.state === "queued") return "已排队，等待构建。";
    if (status.state === "building") return "正在构建索引…";
    if (status.state === "failed") return "构建失败，之前的索引继续提供服务。";
    if (!status.build_id) return "";
    if (status.serving_build === status.build_id) {
      return "构建完成：新索引 " + status.build_id + " 已生效，共 " + status.passages + " 个段落。";
    }
    return "构建完成，正在切换到新索引…";
  }

  async function onRebuild() {
    const ok = await confirmAction("根据已发布的文档重新构建索引？构建期间助手继续使用当前索引。", "重新构建");
    if (!ok) return;
    try {
      const status = await busy($("index-rebuild"), () => api("POST", "/api/staff/index/rebuild"));
      renderIndex(status);
      announce("已请求重新构建索引。");
      watchIndexBuild();
    } catch (e) {
      reportError(e);
    }
  }

  /* ------------------------------------------------------------------ *
   * Insights: knowledge gaps, unhelpful answers, tickets
   * ------------------------------------------------------------------ */

  async function loadInsights() {
    // Tickets (residents' contacts and transcripts) only for roles with the ticket permission.
    await Promise.all([
      loadGapWork(),
      loadGaps(),
      loadUnhelpful(),
      can("tickets") ? loadTickets() : null,
    ]);
  }

  async function loadGaps() {
    const data = await api("GET", "/api/staff/insights/unanswered");
    const body = $("gaps-body");
    clear(body);
    data.questions.forEach((gap) => {
      const row = el("tr");
      cell(row, gap.question);
      cell(row, gap.times_asked, "num");
      cell(row, gap.sessions, "num");
      cell(row, null).appendChild(timeElement(gap.last_asked));
      body.appendChild(row);
    });
    $("gaps-empty").hidden = data.questions.length > 0;
  }

  async function loadUnhelpful() {
    const data = await api("GET", "/api/staff/insights/unhelpful");
    const list = $("unhelpful-list");
    clear(list);
    data.feedback.forEach((item) => {
      const li = el("li", "item");
      li.appendChild(el("p", "item-title", item.question || "（没有记录问题）"));
      const meta = el("p", "muted");
      meta.appendChild(timeElement(item.created_at));
      meta.appendChild(document.createTextNode(" · 会话 " + item.conversation));
      li.appendChild(meta);
      if (item.missing) {
        li.appendChild(el("p", null, "居民说缺少的内容：" + item.missing));
      }
      li.appendChild(citationList(item.citations));
      list.appendChild(li);
    });
    $("unhelpful-empty").hidden = data.feedback.length > 0;
  }

  function citationList(citations) {
    if (!citations.length) return el("p", "muted", "回答没有引用段落。");
    const list = el("ul", "citations");
    list.setAttribute("aria-label", "回答引用的段落");
    citations.forEach((c) => {
      const where = [c.doc_title, c.section].filter(Boolean).join(" · ");
      list.appendChild(el("li", null, "[" + (c.n || "?") + "] " + where + " — " + (c.quote || "")));
    });
    return list;
  }

  // Each load of the ticket list is numbered: when two overlap (a reply sent, then the status
  // filter changed at once), only the latest one's answer is shown, whichever arrives last.
  let ticketsLoad = 0;

  async function loadTickets() {
    const mine = ++ticketsLoad;
    const status = $("tickets-status").value;
    const query = status ? "?status=" + encodeURIComponent(status) : "";
    $("tickets-csv").href = "/api/staff/insights/tickets?format=csv" + (status ? "&status=" + status : "");
    const data = await api("GET", "/api/staff/insights/tickets" + query);
    if (mine !== ticketsLoad) return;
    const list = $("tickets-list");
    clear(list);
    data.tickets.forEach((ticket) => list.appendChild(ticketItem(ticket)));
    $("tickets-empty").hidden = data.tickets.length > 0;
  }

  function ticketItem(ticket) {
    const li = el("li", "item");
    const details = el("details", "ticket");
    const summary = el("summary");
    summary.appendChild(el("span", "ticket-id", "#" + ticket.id));
    if (ticket.code) summary.appendChild(el("span", "ticket-code", ticket.code));
    summary.appendChild(document.createTextNode(" " + (ticket.summary || "（无摘要）") + " "));
    summary.appendChild(el("span", "badge ticket-" + ticket.status, TICKET_STATUS_LABELS[ticket.status] || "待处理"));
    details.appendChild(summary);

    const body = el("div", "ticket-body");
    const meta = el("p", "muted");
    meta.appendChild(document.createTextNode("类型：" + (TICKET_KINDS[ticket.kind] || "其他") + " · 创建于 "));
    meta.appendChild(timeElement(ticket.created_at));
    if (ticket.code) meta.appendChild(document.createTextNode(" · 查询码 " + ticket.code));
    meta.appendChild(document.createTextNode(" · 联系方式：" + (ticket.contact || "居民未留")));
    if (ticket.closed_by) {
      meta.appendChild(document.createTextNode(" · 由 " + ticket.closed_by + " 关闭于 "));
      meta.appendChild(timeElement(ticket.closed_at));
    }
    body.appendChild(meta);
    body.appendChild(el("h3", "transcript-title", "对话记录"));
    body.appendChild(transcriptList(ticket.transcript));
    body.appendChild(el("h3", "transcript-title", "答复"));
    body.appendChild(replyList(ticket.replies || []));
    if (can("tickets") && ticket.status !== "closed") body.appendChild(replyForm(ticket));
    if (can("tickets")) body.appendChild(ticketButton(ticket));
    details.appendChild(body);
    li.appendChild(details);
    return li;
  }

  function replyList(replies) {
    if (!replies.length) return el("p", "muted", "还没有答复。");
    const list = el("ol", "ticket-replies");
    replies.forEach((reply) => {
      const item = el("li", "ticket-reply");
      const meta = el("p", "muted");
      meta.appendChild(document.createTextNode(reply.author + " 答复于 "));
      meta.appendChild(timeElement(reply.created_at));
      item.appendChild(meta);
      item.appendChild(el("p", "ticket-reply-text", reply.text));
      list.appendChild(item);
    });
    return list;
  }

  /** Staff answer here; the resident sees it in the same chat, or by the ticket's code. */
  function replyForm(ticket) {
    const form = el("form", "ticket-reply-form");
    form.noValidate = true;
    const id = "ticket-reply-" + ticket.id;
    const label = el("label", null, "答复居民（会显示在居民的对话中，查询码也能查到；其中的电话和证件号码会被部分隐藏）");
    label.htmlFor = id;
    const text = el("textarea");
    text.id = id;
    text.rows = 3;
    text.maxLength = 2000;
    text.required = true;
    const error = el("p", "field-error");
    error.id = id + "-error";
    error.setAttribute("role", "alert");
    text.setAttribute("aria-describedby", error.id);
    const button = el("button", "btn btn-primary btn-small", "发送答复");
    button.type = "submit";
    form.append(label, text, error, button);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      if (!text.value.trim()) {
        error.textContent = "请先写下答复内容。";
        text.focus();
        return;
      }
      try {
        await busy(button, () => api("POST", "/api/staff/insights/tickets/" + ticket.id + "/replies", { text: text.value }));
        announce("已答复工单 #" + ticket.id + "，居民回到对话时会看到。");
        await loadTickets();
        $("tickets-title").focus();
      } catch (e) {
        if (e instanceof ApiError && !e.handled) error.textContent = describeDetail(e.detail) || "答复没有发送成功。";
        else reportError(e);
      }
    });
    return form;
  }

  function transcriptList(turns) {
    if (!turns.length) return el("p", "muted", "没有对话记录。");
    const list = el("ol", "transcript");
    turns.forEach((turn) => {
      const li = el("li", "turn turn-" + (turn.who === "user" ? "user" : "bot"));
      const who = turn.who === "user" ? (turn.clicked ? "居民（点选）：" : "居民：") : "助手：";
      li.appendChild(el("span", "who", who));
      li.appendChild(el("span", null, turn.text || ""));
      if (turn.buttons) li.appendChild(el("span", "offered", "可点选：" + turn.buttons));
      list.appendChild(li);
    });
    return list;
  }

  function ticketButton(ticket) {
    const next = ticket.status === "closed" ? "open" : "closed";
    const button = el("button", "btn btn-secondary btn-small", next === "closed" ? "标记为已处理（关闭）" : "重新打开");
    button.type = "button";
    button.addEventListener("click", async () => {
      try {
        await busy(button, () => api("PATCH", "/api/staff/insights/tickets/" + ticket.id, { status: next }));
        announce("工单 #" + ticket.id + (next === "closed" ? " 已关闭。" : " 已重新打开。"));
        await loadTickets();
        $("tickets-title").focus();
      } catch (e) {
        reportError(e);
      }
    });
    return button;
  }

  /* ------------------------------------------------------------------ *
   * Accounts (admins)
   * ------------------------------------------------------------------ */

  /** Without the permission the server answers 403, which api() shows as a message. */
  async function loadAccounts() {
    loadTotp().catch(reportError);
    const data = await api("GET", "/api/staff/accounts");
    const body = $("accounts-body");
    clear(body);
    data.accounts.forEach((account, n) => body.appendChild(accountRow(account, n)));
  }

  function accountRow(account, n) {
    const row = el("tr");
    const name = el("th", null, account.username);
    name.scope = "row";
    row.appendChild(name);

    const role = el("select");
    role.setAttribute("aria-label", account.username + " 的角色");
    role.appendChild(option("editor", ROLE_LABELS.editor));
    role.appendChild(option("admin", ROLE_LABELS.admin));
    role.value = account.role;
    role.addEventListener("change", () =>
      updateAccount(account.username, { role: role.value }, "角色已改为" + ROLE_LABELS[role.value])
    );
    cell(row, null).appendChild(role);
    cell(row, account.active ? "启用" : "已停用");

    const actions = cell(row, null, null);
    actions.className = "actions";
    const toggle = el("button", "btn btn-secondary btn-small", account.active ? "停用" : "启用");
    toggle.type = "button";
    toggle.setAttribute("aria-label", (account.active ? "停用 " : "启用 ") + account.username);
    toggle.addEventListener("click", () =>
      updateAccount(account.username, { active: !account.active }, account.active ? "已停用" : "已启用")
    );
    actions.appendChild(toggle);
    actions.appendChild(passwordReset(account.username, n));
    return row;
  }

  function passwordReset(username, n) {
    const details = el("details", "reset");
    details.appendChild(el("summary", null, "重设密码"));
    const form = el("form", "reset-form");
    form.noValidate = true;
    const id = "reset-password-" + n; // row numbers keep ids unique whatever the usernames
    const label = el("label", null, username + " 的新密码");
    label.htmlFor = id;
    const input = el("input");
    input.type = "password";
    input.id = id;
    input.autocomplete = "new-password";
    input.minLength = 10;
    input.maxLength = 200;
    const submit = el("button", "btn btn-secondary btn-small", "保存新密码");
    submit.type = "submit";
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(submit);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (input.value.length < 10) {
        showAlert("新密码至少需要 10 个字符。");
        input.focus();
        return;
      }
      updateAccount(username, { password: input.value }, "密码已重设，该账号需重新登录");
    });
    details.appendChild(form);
    return details;
  }

  // My two-step log-in: "confirm" after a secret was issued, "disable" while it is on.
  let totpMode = "";

  async function loadTotp() {
    const status = await api("GET", "/api/staff/totp");
    const setupShown = !$("totp-setup").hidden;
    if (status.enabled) {
      totpMode = "disable";
      $("totp-state").textContent = "已开启：登录时需要输入验证码。要关闭，请输入当前验证码。";
      $("totp-submit").textContent = "关闭两步验证";
      $("totp-setup").hidden = true;
    } else if (status.pending && setupShown) {
      totpMode = "confirm";
      $("totp-state").textContent = "已生成密钥，输入一次验证码确认后才会开启。";
      $("totp-submit").textContent = "确认开启";
    } else {
      totpMode = "";
      $("totp-state").textContent = "未开启。";
    }
    $("totp-enrol").hidden = status.enabled;
    $("totp-enrol").textContent = status.pending ? "重新生成密钥" : "生成密钥";
    $("totp-form").hidden = !totpMode;
    $("totp-error").textContent = "";
  }

  async function onTotpEnrol() {
    try {
      const enrolment = await busy($("totp-enrol"), () => api("POST", "/api/staff/totp/enrol"));
      $("totp-secret").textContent = enrolment.secret;
      $("totp-uri").textContent = enrolment.uri;
      $("totp-setup").hidden = false;
      await loadTotp();
      $("totp-code").focus();
    } catch (e) {
      reportError(e);
    }
  }

  async function onTotpSubmit(event) {
    event.preventDefault();
    const error = $("totp-error");
    const otp = $("totp-code").value.trim();
    error.textContent = "";
    if (!/^[0-9]{6}$/.test(otp)) {
      error.textContent = "请输入 6 位数字验证码。";
      $("totp-code").focus();
      return;
    }
    const mode = totpMode;
    try {
      await busy($("totp-submit"), () => api("POST", "/api/staff/totp/" + mode, { otp }));
      $("totp-code").value = "";
      $("totp-secret").textContent = "";
      $("totp-uri").textContent = "";
      $("totp-setup").hidden = true;
      announce(mode === "confirm" ? "两步验证已开启。" : "两步验证已关闭。");
      await loadTotp();
    } catch (e) {
      if (e.handled) return;
      error.textContent = describeDetail(e.detail) || "操作失败，请稍后再试。";
      $("totp-code").focus();
    }
  }

  async function updateAccount(username, change, doneText) {
    try {
      await api("PATCH", "/api/staff/accounts/" + encodeURIComponent(username), change);
      announce(username + "：" + doneText + "。");
    } catch (e) {
      reportError(e);
    }
    await loadAccounts().catch(reportError); // show the true state, also after a refusal
  }

  async function onAddAccount(event) {
    event.preventDefault();
    const error = $("account-error");
    error.textContent = "";
    const body = {
      username: $("account-username").value.trim(),
      password: $("account-password").value,
      role: $("account-role").value,
    };
    if (!/^[A-Za-z0-9_.-]{2,64}$/.test(body.username)) {
      error.textContent = "用户名需为 2–64 个字母、数字或“_”“.”“-”。";
      $("account-username").focus();
      return;
    }
    if (body.password.length < 10) {
      error.textContent = "初始密码至少需要 10 个字符。";
      $("account-password").focus();
      return;
    }
    try {
      await busy(event.submitter || null, () => api("POST", "/api/staff/accounts", body));
      $("account-form").reset();
      announce("已创建账号 " + body.username + "。");
      await loadAccounts();
    } catch (e) {
      if (!e.handled) error.textContent = describeDetail(e.detail) || "创建失败。";
    }
  }

  /* ------------------------------------------------------------------ *
   * Audit log (admins)
   * ------------------------------------------------------------------ */

  async function loadAudit() {
    const docId = $("audit-doc").value.trim();
    const data = await api("GET", "/api/staff/audit" + (docId ? "?doc_id=" + encodeURIComponent(docId) : ""));
    const body = $("audit-body");
    clear(body);
    data.entries.forEach((entry) => {
      const row = el("tr");
      cell(row, null).appendChild(timeElement(entry.at));
      cell(row, entry.actor);
      cell(row, ACTION_LABELS[entry.action] || entry.action);
      cell(row, entry.doc_id ? entry.doc_id + (entry.version ? " v" + entry.version : "") : "—");
      cell(row, detailText(entry.detail), "detail");
      body.appendChild(row);
    });
    if (!data.entries.length) {
      const row = el("tr");
      const td = cell(row, "没有记录。", "muted");
      td.colSpan = 5;
      body.appendChild(row);
    }
  }

  // Audit details as staff read them: Chinese names for the fields and their coded values.
  const DETAIL_LABELS = {
    client: "客户端地址", username: "用户名", role: "角色", title: "标题", source: "来源文件",
    restored_version: "恢复的版本", ticket_id: "工单编号", active: "启用", password: "密码",
    note: "变更说明", summary: "摘要", status: "状态", phrase: "居民的说法", anchor: "段落",
    reply_id: "答复编号", reason: "原因",
  };
  const DETAIL_VALUES = {
    role: ROLE_LABELS,
    active: { true: "是", false: "否" },
    password: { changed: "已修改" },
  };

  function detailText(detail) {
    const keys = Object.keys(detail || {});
    if (!keys.length) return "—";
    return keys
      .map((k) => {
        const raw = typeof detail[k] === "object" ? JSON.stringify(detail[k]) : String(detail[k]);
        const value = (DETAIL_VALUES[k] && DETAIL_VALUES[k][raw]) || raw;
        return (DETAIL_LABELS[k] || "其他") + "：" + value;
      })
      .join("；");
  }

  /* ------------------------------------------------------------------ *
   * Wiring
   * ------------------------------------------------------------------ */

  /* ------------------------------------------------------------------ *
   * The test console (试问) and the gap work list
   * ------------------------------------------------------------------ */

  const KIND_LABELS = { answer: "回答", no_answer: "未能回答", error: "出错", handoff: "转人工" };
  const GAP_SOURCES = { unanswered: "未能回答", unhelpful: "居民标记没帮助" };
  const RESOLVED_HOW = {
    resolved: "标记为已解决",
    linked: "已关联段落",
    answered: "试问已能回答",
    drafted: "已起草文档",
  };

  function wireStaffLoop() {
    bind("try-form", "submit", onTry);
    bind("gapwork-state", "change", loadGapWork);
  }

  /** A reply as the chat shows it: its text, the cited passages and the related ones. */
  function renderReply(reply) {
    const box = el("div", "reply reply-" + reply.kind);
    box.appendChild(el("p", "reply-kind", KIND_LABELS[reply.kind] || "回复"));
    String(reply.text || "")
      .split("\n")
      .forEach((line) => box.appendChild(el("p", "reply-text", line)));
    if (reply.notice) box.appendChild(el("p", "reply-notice", reply.notice));
    [
      ["出处", reply.citations || []],
      ["相关内容", reply.related || []],
    ].forEach(([title, list]) => {
      if (!list.length) return;
      box.appendChild(el("p", "reply-cards-title", title));
      const ul = el("ul", "citations");
      list.forEach((c) => {
        const li = el("li");
        li.appendChild(el("span", "cite-num", "[" + c.n + "] "));
        const link = el("a", null, [c.doc_title, c.section].filter(Boolean).join(" · "));
        link.href = c.url;
        link.target = "_blank";
        link.rel = "noopener";
        li.appendChild(link);
        li.appendChild(el("blockquote", "cite-quote", c.quote));
        ul.appendChild(li);
      });
      box.appendChild(ul);
    });
    return box;
  }

  /** One question through the console: the reply and, in plain Chinese, why. */
  async function tryOne(question, docId, previous) {
    const body = { question };
    if (docId) body.doc_id = docId;
    if (previous) body.previous = previous;
    return api("POST", "/api/staff/try", body);
  }

  function renderTried(question, result) {
    const li = el("li", "item tried");
    li.appendChild(el("p", "item-title", question));
    li.appendChild(renderReply(result.reply));
    li.appendChild(el("p", "reply-reason", "原因：" + result.reason));
    if (result.against !== "published") {
      li.appendChild(el("p", "muted", "按草稿回答：" + result.against));
    }
    return li;
  }

  async function loadTry() {
    const select = $("try-against");
    const keep = select.value;
    while (select.options.length > 1) select.remove(1);
    const data = await api("GET", "/api/staff/documents");
    data.documents
      .filter((d) => d.status === "draft" || d.status === "changed")
      .forEach((d) => {
        select.appendChild(option(d.doc_id, "草稿：" + d.title + "（第 " + d.version + " 版）"));
      });
    select.value = keep && [...select.options].some((o) => o.value === keep) ? keep : "";
  }

  async function onTry(event) {
    event.preventDefault();
    const questions = $("try-questions")
      .value.split("\n")
      .map((q) => q.trim())
      .filter(Boolean)
      .slice(0, 20);
    if (!questions.length) {
      showAlert("请先输入一个问题。");
      return;
    }
    const docId = $("try-against").value;
    await busy($("try-submit"), async () => {
      const list = $("try-results");
      clear(list);
      for (const question of questions) {
        try {
          list.appendChild(renderTried(question, await tryOne(question, docId)));
        } catch (error) {
          if (error.handled) throw error;
          const li = el("li", "item tried");
          li.appendChild(el("p", "item-title", question));
          li.appendChild(el("p", "field-error", describeDetail(error.detail) || "试问失败。"));
          list.appendChild(li);
        }
      }
      announce("已试问 " + questions.length + " 个问题。");
    });
  }

  async function loadGapWork() {
    const wanted = $("gapwork-state").value;
    const data = await api("GET", "/api/staff/gaps?state=" + encodeURIComponent(wanted));
    const list = $("gapwork-list");
    clear(list);
    data.gaps.forEach((gap) => list.appendChild(gapWorkItem(gap)));
    $("gapwork-empty").hidden = data.gaps.length > 0;
    $("gapwork-empty").textContent = wanted === "open" ? "没有待处理的问题。" : "还没有已解决的问题。";
  }

  function gapWorkItem(gap) {
    const li = el("li", "item gap");
    if (gap.previous) li.appendChild(el("p", "gap-previous", "上一句：" + gap.previous));
    li.appendChild(el("p", "item-title", gap.question));
    const meta = el("p", "muted");
    meta.appendChild(
      document.createTextNode(
        (GAP_SOURCES[gap.source] || "") + " · 问了 " + gap.times_asked + " 次 · 最近一次 ",
      ),
    );
    meta.appendChild(timeElement(gap.last_asked));
    li.appendChild(meta);
    if (gap.resolved_at) {
      const done = el("p", "muted");
      done.appendChild(
        document.createTextNode(
          (RESOLVED_HOW[gap.how] || "已解决") + " · " + (gap.resolved_by || "") + " · ",
        ),
      );
      done.appendChild(timeElement(gap.resolved_at));
      li.appendChild(done);
      const reopen = el("button", "btn btn-secondary btn-small", "重新打开");
      reopen.type = "button";
      reopen.addEventListener("click", () =>
        busy(reopen, async () => {
          await api("POST", "/api/staff/gaps/reopen", { question: gap.question });
          announce("已重新打开。");
          await loadGapWork();
        }).catch(reportError),
      );
      li.appendChild(reopen);
      return li;
    }
    const output = el("div", "gap-output");
    const row = el("div", "button-row");
    const action = (label, handler, perm) => {
      const button = el("button", "btn btn-secondary btn-small", label);
      button.type = "button";
      if (perm && !can(perm)) return;
      button.addEventListener("click", () => busy(button, () => handler(button)).catch(reportError));
      row.appendChild(button);
    };
    action("试问", () => retestGap(gap, output), "edit");
    action("关联到段落", () => showLinkSearch(gap, output), "publish");
    action("起草文档", () => draftFromGap(gap), "edit");
    action("标记为已解决", () => resolveGap(gap, "resolved"), "edit");
    li.appendChild(row);
    li.appendChild(output);
    return li;
  }

  /** A follow-up fragment is asked after the turn before it, as the chat would read it. */
  async function retestGap(gap, output) {
    clear(output);
    const result = await tryOne(gap.question, "", gap.previous);
    output.appendChild(renderReply(result.reply));
    output.appendChild(el("p", "reply-reason", "原因：" + result.reason));
    if (result.reply.kind === "answer" && gap.source === "unanswered") {
      await resolveGap(gap, "answered");
    }
  }

  async function resolveGap(gap, how) {
    await api("POST", "/api/staff/gaps/resolve", { question: gap.question, how });
    announce("“" + gap.question + "”已移出待处理列表。");
    await loadGapWork();
  }

  function showLinkSearch(gap, output) {
    clear(output);
    const form = el("form", "link-search");
    const id = "link-q-" + Math.random().toString(36).slice(2);
    const label = el("label", null, "查找能回答这个问题的段落");
    label.htmlFor = id;
    const input = el("input");
    input.id = id;
    input.type = "search";
    input.maxLength = 500;
    input.value = gap.question;
    const submit = el("button", "btn btn-secondary btn-small", "查找");
    submit.type = "submit";
    const results = el("ul", "items link-results");
    form.append(label, input, submit);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      busy(submit, () => searchPassages(gap, input.value, results)).catch(reportError);
    });
    output.append(form, results);
    input.focus();
    return searchPassages(gap, input.value, results);
  }

  async function searchPassages(gap, query, results) {
    clear(results);
    if (!query.trim()) return;
    const data = await api("GET", "/api/staff/passages?q=" + encodeURIComponent(query));
    data.passages.forEach((p) => {
      const li = el("li", "item");
      li.appendChild(el("p", "muted", [p.doc_title, p.section].filter(Boolean).join(" · ")));
      li.appendChild(el("blockquote", "cite-quote", p.text));
      const pick = el("button", "btn btn-primary btn-small", "关联此段落");
      pick.type = "button";
      pick.addEventListener("click", () =>
        busy(pick, async () => {
          await api("POST", "/api/staff/aliases", {
            phrase: gap.question,
            doc_id: p.doc_id,
            anchor: p.anchor,
          });
          await api("POST", "/api/staff/gaps/resolve", { question: gap.question, how: "linked" });
          announce("已关联：“" + gap.question + "”将由这个段落回答（数秒内生效）。");
          await loadGapWork();
        }).catch(reportError),
      );
      li.appendChild(pick);
      results.appendChild(li);
    });
    if (!data.passages.length) results.appendChild(el("li", "muted", "没有找到段落。"));
  }

  function draftFromGap(gap) {
    const title = gap.question.replace(/[？?！!。]+$/, "").slice(0, 300);
    const asked = gap.previous ? "（上一句：" + gap.previous + "）" : "";
    state.pendingDraft = {
      title,
      content: "# " + title + "\n\n居民的问题：" + gap.question + asked + "\n\n请在这里写出回答。\n",
    };
    window.location.hash = "#/documents/new";
  }

  /** A new document opened from a gap starts with the question (see draftFromGap). */
  function applyPendingDraft() {
    const draft = state.pendingDraft;
    state.pendingDraft = null;
    if (!draft) return;
    $("doc-title").value = draft.title;
    $("doc-content").value = draft.content;
    state.dirty = true;
  }

  function bind(id, event, handler) {
    $(id).addEventListener(event, (e) => {
      Promise.resolve(handler(e)).catch(reportError);
    });
  }

  function wire() {
    // The skip link moves focus without touching the hash (the hash is the route).
    $("skip-link").addEventListener("click", (event) => {
      event.preventDefault();
      $("main").focus();
    });
    bind("login-form", "submit", onLogin);
    bind("logout", "click", onLogout);
    bind("alert-close", "click", hideAlert);
    bind("documents-refresh", "click", loadDocuments);
    bind("upload-form", "submit", onUpload);
    wireDocumentFilters();
    bind("editor-form", "submit", onSave);
    bind("doc-title", "input", onEditorInput);
    bind("doc-content", "input", onEditorInput);
    bind("live-preview", "change", () => {
      if ($("live-preview").checked) runPreview(false);
    });
    bind("preview-button", "click", () => runPreview(true));
    bind("publish-button", "click", onPublish);
    bind("delete-button", "click", onDelete);
    bind("conflict-keep", "click", onConflictKeep);
    bind("conflict-discard", "click", onConflictDiscard);
    bind("diff-form", "submit", onDiff);
    bind("rollback-form", "submit", onRollback);
    bind("index-refresh", "click", loadIndex);
    bind("index-rebuild", "click", onRebuild);
    bind("tickets-status", "change", loadTickets);
    bind("account-form", "submit", onAddAccount);
    bind("totp-enrol", "click", onTotpEnrol);
    bind("totp-form", "submit", onTotpSubmit);
    wireStaffLoop();
    bind("audit-form", "submit", (e) => {
      e.preventDefault();
      return loadAudit();
    });
    window.addEventListener("hashchange", () => {
      onHashChange().catch(reportError);
    });
    // Closing the tab with unsaved text asks the browser's own question.
    window.addEventListener("beforeunload", (event) => {
      if (state.dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  async function start() {
    wire();
    const token = loadToken();
    if (!token) {
      showLogin();
      return;
    }
    state.token = token;
    try {
      await startSession();
    } catch (e) {
      if (e.status === 401 || !state.me) {
        endSession();
        showLogin(e.status === 401 ? "登录已过期，请重新登录。" : "");
      } else {
        reportError(e);
      }
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
