/*
 * 大兴规划问答助手 — public chat page.
 *
 * Security rule: everything the server sends is rendered as TEXT (textContent /
 * createTextNode). innerHTML is never used. Links from the server are accepted
 * only as http(s) URLs. Works under "script-src 'self'; style-src 'self'".
 */
(function () {
  "use strict";

  var API_CHAT = "/api/chat";
  var API_INFO = "/api/info";
  var API_WELCOME = "/api/welcome";
  var API_FEEDBACK = "/api/feedback";
  var MAX_LEN = 500;
  var REQUEST_TIMEOUT_MS = 45000;
  var MAX_QUEUE = 3;
  var SESSION_KEY = "dxpa-session-id";
  var KINDS = ["answer", "no_answer", "chitchat", "handoff", "form", "error"];

  var hotline = "12345";
  var busy = false;
  var queue = [];
  var messageSeq = 0;
  var memorySessionId = null;
  /* The page's standing buttons (转人工, 企业合作咨询): ids this conversation was given. */
  var standing = {};

  var els = {};

  /* ------------------------------------------------------------------ *
   * Small DOM helpers
   * ------------------------------------------------------------------ */

  /** Create an element with optional class names and text (text is never parsed as HTML). */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  /** A span only screen readers read, e.g. "助手：". */
  function srOnly(text) {
    return el("span", "visually-hidden", text);
  }

  function prefersReducedMotion() {
    return !!(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function scrollIntoView(node, block) {
    if (!node || !node.scrollIntoView) {
      return;
    }
    try {
      node.scrollIntoView({ block: block || "nearest", behavior: prefersReducedMotion() ? "auto" : "smooth" });
    } catch (e) {
      node.scrollIntoView(false);
    }
  }

  /** Only http(s) links are rendered; relative URLs resolve against this page's origin. */
  function safeUrl(raw) {
    if (typeof raw !== "string" || !raw) {
      return null;
    }
    try {
      var url = new URL(raw, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function str(value) {
    return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
  }

  /* ------------------------------------------------------------------ *
   * Session id: random, kept in localStorage so that a resident who comes
   * back (a reload, a new tab, the next day) is in the same conversation and
   * sees staff answers to a handoff there (handoff.js); memory fallback when
   * storage is blocked, e.g. third-party iframes.
   * ------------------------------------------------------------------ */

  function newSessionId() {
    var bytes = new Uint8Array(12);
    var hex = "";
    if (window.crypto && window.crypto.getRandomValues) {
      window.crypto.getRandomValues(bytes);
    } else {
      for (var i = 0; i < bytes.length; i++) {
        bytes[i] = Math.floor(Math.random() * 256);
      }
    }
    for (var j = 0; j < bytes.length; j++) {
      hex += (bytes[j] < 16 ? "0" : "") + bytes[j].toString(16);
    }
    return "web-" + hex;
  }

  function validSessionId(id) {
    return typeof id === "string" && /^[A-Za-z0-9_.:-]{1,64}$/.test(id);
  }

  function getSessionId() {
    var id = null;
    try {
      id = window.localStorage.getItem(SESSION_KEY) || memorySessionId;
    } catch (e) {
      id = memorySessionId;
    }
    if (!validSessionId(id)) {
      id = resetSessionId();
    }
    return id;
  }

  function resetSessionId() {
    var id = newSessionId();
    memorySessionId = id;
    try {
      window.localStorage.setItem(SESSION_KEY, id);
    } catch (e) {
      /* storage blocked: keep it in memory for this page */
    }
    return id;
  }

  /* ------------------------------------------------------------------ *
   * Rendering messages
   * ------------------------------------------------------------------ */

  /** Append a finished message to the log (whole, so it is announced once). */
  function appendToLog(node) {
    els.log.appendChild(node);
    return node;
  }

  function renderUserMessage(text) {
    var msg = el("div", "msg msg-user");
    msg.setAttribute("data-kind", "user");
    var bubble = el("div", "bubble");
    var p = el("p", "msg-text");
    p.appendChild(srOnly("您："));
    p.appendChild(document.createTextNode(text));
    bubble.appendChild(p);
    msg.appendChild(bubble);
    return msg;
  }

  /**
   * Split text on [n] markers. Markers that match a citation card become
   * superscript links to that card; all other text stays plain text nodes.
   */
  function renderTextWithMarkers(container, text, cardIds) {
    var re = /\[(\d{1,3})\]/g;
    var last = 0;
    var m;
    while ((m = re.exec(text)) !== null) {
      var n = m[1];
      var cardId = cardIds[n];
      if (!cardId) {
        continue; /* no such citation: leave the marker as plain text */
      }
      if (m.index > last) {
        container.appendChild(document.createTextNode(text.slice(last, m.index)));
      }
      var sup = el("sup", "cite-ref");
      var a = el("a", "cite-marker", n);
      a.href = "#" + cardId;
      a.setAttribute("aria-label", "出处 " + n);
      a.setAttribute("data-target", cardId);
      sup.appendChild(a);
      container.appendChild(sup);
      last = m.index + m[0].length;
    }
    if (last < text.length) {
      container.appendChild(document.createTextNode(text.slice(last)));
    }
  }

  /** The innermost heading of a citation's section path, unless it is only the title. */
  function cardSection(cite) {
    var parts = str(cite.section).split(" > ");
    var last = parts[parts.length - 1];
    return last && last !== str(cite.doc_title) ? last : "";
  }

  /** One numbered, expandable card: section path, exact quote, link to the source. */
  function renderCard(cite, id, extraClass) {
    var details = el("details", "citation" + (extraClass ? " " + extraClass : ""));
    details.id = id;
    var summary = el("summary");
    var num = str(cite.n);
    if (num) {
      summary.appendChild(el("span", "cite-num", num));
    }
    summary.appendChild(el("span", "cite-title", str(cite.doc_title) || "规划原文"));
    // The section the passage sits in, on the closed card too: a notice's 二、交房地点 says more
    // than its title, which every card of that notice shares.
    var where = cardSection(cite);
    if (where) {
      summary.appendChild(el("span", "cite-where", " · " + where));
    }
    details.appendChild(summary);

    var body = el("div", "cite-body");
    var section = str(cite.section);
    if (section) {
      var sec = el("p", "cite-section");
      sec.appendChild(srOnly("章节："));
      sec.appendChild(document.createTextNode(section));
      body.appendChild(sec);
    }
    var quote = str(cite.quote);
    if (quote) {
      var bq = el("blockquote", "cite-quote");
      bq.appendChild(srOnly("原文："));
      bq.appendChild(document.createTextNode(quote));
      body.appendChild(bq);
    }
    var href = safeUrl(cite.url);
    if (href) {
      var link = el("a", "cite-link", "查看原文");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener";
      link.appendChild(srOnly("（在新窗口打开）"));
      body.appendChild(link);
    }
    details.appendChild(body);
    return details;
  }

  /** A titled group of cards ("出处" for citations, "相关内容" for related passages). */
  function renderCards(list, title, msgId, prefix, extraClass, cardIds) {
    var wrap = el("div", "cards");
    var headingId = msgId + "-" + prefix + "-title";
    var heading = el("p", "cards-title", title);
    heading.id = headingId;
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-labelledby", headingId);
    wrap.appendChild(heading);
    list.forEach(function (cite, i) {
      if (!cite || typeof cite !== "object") {
        return;
      }
      var key = str(cite.n) || String(i + 1);
      var id = msgId + "-" + prefix + "-" + key.replace(/[^0-9A-Za-z_-]/g, "") + "-" + i;
      if (cardIds && !cardIds[key]) {
        cardIds[key] = id;
      }
      wrap.appendChild(renderCard(cite, id, extraClass));
    });
    return wrap;
  }

  function renderReplyButtons(buttons) {
    var wrap = el("div", "reply-buttons");
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-label", "可选回复");
    buttons.forEach(function (b) {
      if (!b || typeof b !== "object") {
        return;
      }
      var title = str(b.title);
      var id = str(b.payload);
      if (!title || !id) {
        return;
      }
      var btn = el("button", "reply-button", title);
      btn.type = "button";
      btn.addEventListener("click", function () {
        /* The payload is an id the server issued for this conversation: sent back as it is. */
        enqueueButton(id, title);
      });
      wrap.appendChild(btn);
    });
    return wrap;
  }

  /** POST JSON to the API; resolves to {ok, status, body} (never rejects). */
  function postJson(url, payload) {
    if (!window.fetch) {
      return Promise.resolve({ ok: false, status: 0, body: null });
    }
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
      credentials: "same-origin"
    })
      .then(function (res) {
        return res
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            return { ok: res.ok, status: res.status, body: body };
          });
      })
      .catch(function () {
        return { ok: false, status: 0, body: null };
      });
  }

  /**
   * "这个回答有帮助吗？" with 有帮助 / 没帮助, usable once, recorded for THIS reply (its id),
   * wherever it sits in the conversation. After 没帮助: one optional question, what was missing.
   */
  function renderFeedback(msgId, replyId) {
    var wrap = el("div", "feedback");
    var qId = msgId + "-fb";
    var q = el("p", "feedback-q", "这个回答有帮助吗？");
    q.id = qId;
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-labelledby", qId);
    wrap.appendChild(q);
    var yes = el("button", "feedback-yes", "有帮助");
    var no = el("button", "feedback-no", "没帮助");
    [yes, no].forEach(function (btn) {
      btn.type = "button";
      btn.setAttribute("aria-pressed", "false");
      wrap.appendChild(btn);
    });
    var status = el("p", "feedback-status");
    status.setAttribute("role", "status");
    wrap.appendChild(status);

    function choose(btn, helpful) {
      if (yes.disabled) {
        return;
      }
      var hadFocus = document.activeElement === yes || document.activeElement === no;
      btn.setAttribute("aria-pressed", "true");
      yes.disabled = true;
      no.disabled = true;
      if (hadFocus) {
        els.input.focus(); /* the focused button is now disabled: don't drop focus to <body> */
      }
      postJson(API_FEEDBACK, { session_id: getSessionId(), reply_id: replyId, helpful: helpful }).then(
        function (result) {
          if (result.ok) {
            status.textContent = "感谢您的反馈！";
            if (result.body && result.body.ask_missing && result.body.feedback_id) {
              wrap.appendChild(renderMissing(msgId, result.body.feedback_id, status));
            }
          } else if (result.status === 409) {
            status.textContent = "这条回答已经评价过了，感谢您的反馈。";
          } else {
            status.textContent = str(result.body && result.body.detail) || "反馈未能提交，请稍后再试。";
            btn.setAttribute("aria-pressed", "false");
            yes.disabled = false;
            no.disabled = false;
          }
        }
      );
    }
    yes.addEventListener("click", function () {
      choose(yes, true);
    });
    no.addEventListener("click", function () {
      choose(no, false);
    });
    return wrap;
  }

  /** After 没帮助: "缺少哪些内容？" once, optional; personal numbers are masked by the server. */
  function renderMissing(msgId, feedbackId, status) {
    var form = el("form", "feedback-missing");
    var id = msgId + "-missing";
    var label = el("label", "feedback-missing-label", "您希望了解但回答中缺少的内容是什么？（可选）");
    label.setAttribute("for", id);
    var input = el("textarea");
    input.id = id;
    input.rows = 2;
    input.maxLength = MAX_LEN;
    var row = el("div", "feedback-missing-row");
    var send = el("button", "feedback-missing-send", "提交");
    send.type = "submit";
    var skip = el("button", "feedback-missing-skip", "跳过");
    skip.type = "button";
    row.appendChild(send);
    row.appendChild(skip);
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(row);
    skip.addEventListener("click", function () {
      form.remove();
      els.input.focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) {
        input.focus();
        return;
      }
      send.disabled = true;
      postJson(API_FEEDBACK + "/missing", {
        session_id: getSessionId(),
        feedback_id: feedbackId,
        text: text
      }).then(function (result) {
        if (result.ok || result.status === 404) {
          form.remove();
          status.textContent = "已收到您的补充，我们会据此改进资料。";
          els.input.focus();
        } else {
          send.disabled = false;
          status.textContent = str(result.body && result.body.detail) || "未能提交，请稍后再试。";
        }
      });
    });
    return form;
  }

  /** "您可能还想问": follow-up questions; a click asks one as ordinary text. */
  function renderSuggestions(list) {
    var wrap = el("div", "suggestions");
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-label", "您可能还想问");
    wrap.appendChild(el("p", "suggestions-title", "您可能还想问："));
    list.forEach(function (question) {
      var text = str(question);
      if (!text || text.length > MAX_LEN) {
        return;
      }
      var btn = el("button", "suggestion", text);
      btn.type = "button";
      btn.addEventListener("click", function () {
        enqueue(text, text);
      });
      wrap.appendChild(btn);
    });
    return wrap;
  }

  /** Normalise one Reply object from the server into safe, predictable fields. */
  function normaliseReply(raw) {
    var r = raw && typeof raw === "object" ? raw : {};
    return {
      kind: KINDS.indexOf(r.kind) >= 0 ? r.kind : "chitchat",
      text: str(r.text),
      citations: Array.isArray(r.citations) ? r.citations : [],
      related: Array.isArray(r.related) ? r.related : [],
      buttons: Array.isArray(r.buttons) ? r.buttons : [],
      suggestions: Array.isArray(r.suggestions) ? r.suggestions.slice(0, 3) : [],
      id: typeof r.id === "string" && /^[A-Za-z0-9_-]{8,64}$/.test(r.id) ? r.id : "",
      notice: str(r.notice)
    };
  }

  function renderBotMessage(raw) {
    var reply = normaliseReply(raw);
    var msgId = "m" + ++messageSeq;
    var msg = el("div", "msg msg-bot");
    msg.id = msgId;
    msg.setAttribute("data-kind", reply.kind);

    var bubble = el("div", "bubble");
    var p = el("p", "msg-text");
    p.appendChild(srOnly(reply.kind === "error" ? "助手（出错）：" : "助手："));

    // Build the cards first so markers in the text know which card they point to.
    var cardIds = {};
    var citeCards = null;
    if (reply.citations.length) {
      citeCards = renderCards(reply.citations, "出处", msgId, "c", "", cardIds);
    }
    renderTextWithMarkers(p, reply.text, cardIds);
    bubble.appendChild(p);
    if (citeCards) {
      bubble.appendChild(citeCards);
    }
    if (reply.related.length) {
      bubble.appendChild(renderCards(reply.related, "相关内容", msgId, "r", "citation-related", null));
    }
    msg.appendChild(bubble);

    if (reply.notice) {
      var notice = el("p", "notice");
      notice.appendChild(el("span", "notice-label", "提示："));
      notice.appendChild(document.createTextNode(reply.notice));
      msg.appendChild(notice);
    }
    if (reply.buttons.length) {
      msg.appendChild(renderReplyButtons(reply.buttons));
    }
    if (reply.suggestions.length) {
      msg.appendChild(renderSuggestions(reply.suggestions));
    }
    if ((reply.kind === "answer" || reply.kind === "no_answer") && reply.id) {
      msg.appendChild(renderFeedback(msgId, reply.id));
    }
    return msg;
  }

  /** A client-side error shown like a server `error` reply. */
  function showError(text) {
    return appendToLog(renderBotMessage({ kind: "error", text: text }));
  }

  /** Marker click: open the matching card, bring it into view and focus its summary. */
  function onLogClick(event) {
    var target = event.target;
    var marker = target && target.closest ? target.closest(".cite-marker") : null;
    if (!marker) {
      return;
    }
    var card = document.getElementById(marker.getAttribute("data-target") || "");
    if (!card) {
      return;
    }
    event.preventDefault();
    card.open = true;
    scrollIntoView(card, "nearest");
    var summary = card.querySelector("summary");
    if (summary) {
      summary.focus({ preventScroll: true });
    }
    card.classList.add("citation-flash");
    window.setTimeout(function () {
      card.classList.remove("citation-flash");
    }, 1500);
  }

  /* ------------------------------------------------------------------ *
   * Talking to the API
   * ------------------------------------------------------------------ */

  function networkErrorText() {
    return "抱歉，网络连接出现问题，暂时无法获取回答。请稍后再试，或拨打 " + hotline + " 市民服务热线咨询。";
  }

  /** POST one message; resolves to {ok, replies} or {ok:false, status, ...}. */
  function postChat(message, button) {
    if (!window.fetch) {
      return Promise.resolve({ ok: false, status: 0, body: null, retryAfter: null });
    }
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller
      ? window.setTimeout(function () {
          controller.abort();
        }, REQUEST_TIMEOUT_MS)
      : null;
    return fetch(API_CHAT, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(
        button ? { session_id: getSessionId(), message: message, button: button } : { session_id: getSessionId(), message: message }
      ),
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    })
      .then(function (res) {
        return res
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            return { ok: res.ok, status: res.status, body: body, retryAfter: res.headers.get("Retry-After") };
          });
      })
      .catch(function () {
        return { ok: false, status: 0, body: null, retryAfter: null };
      })
      .then(function (result) {
        if (timer) {
          window.clearTimeout(timer);
        }
        return result;
      });
  }

  /** Turn a non-200 result into a friendly Chinese message. */
  function errorTextFor(result) {
    if (result.status === 429) {
      var secs = parseInt(result.retryAfter, 10);
      var wait = secs > 0 && secs < 3600 ? "请 " + secs + " 秒后再试。" : "请稍后再试。";
      return "您发送得太频繁了，" + wait;
    }
    if (result.status === 422) {
      var detail = result.body && Array.isArray(result.body.detail) ? result.body.detail : [];
      var badSession = detail.some(function (d) {
        return d && /session_id/.test(str(d.field));
      });
      if (badSession) {
        resetSessionId();
        return "会话已失效，已为您重新开始，请再发送一次。";
      }
      return "消息未能发送：内容不能为空，不超过 " + MAX_LEN + " 字，且不能包含特殊控制字符。";
    }
    if (result.status === 409 && result.body && typeof result.body.detail === "string") {
      return result.body.detail; /* a button this conversation no longer offers */
    }
    if (result.status === 0) {
      return networkErrorText();
    }
    return "抱歉，服务暂时不可用。请稍后再试，或拨打 " + hotline + " 市民服务热线咨询。";
  }

  /* ------------------------------------------------------------------ *
   * Sending: a small queue so button clicks during a request are not lost
   * ------------------------------------------------------------------ */

  function setBusy(value) {
    busy = value;
    if (value) {
      var inner = el("span", "typing-inner");
      var dots = el("span", "dots");
      dots.setAttribute("aria-hidden", "true");
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      dots.appendChild(el("span"));
      inner.appendChild(dots);
      inner.appendChild(document.createTextNode("正在查找…"));
      els.typing.textContent = "";
      els.typing.appendChild(inner);
      if (document.activeElement === els.send) {
        els.input.focus(); /* keep keyboard focus when the button becomes disabled */
      }
    } else {
      els.typing.textContent = "";
    }
    els.log.setAttribute("aria-busy", value ? "true" : "false");
    updateSendState();
  }

  /** Queue a message; `display` is what the user's bubble shows (a button's title). */
  function enqueue(message, display, restoreOnFail) {
    message = str(message).trim();
    if (!message || message.length > MAX_LEN) {
      return false;
    }
    if (queue.length >= MAX_QUEUE) {
      return false;
    }
    queue.push({ message: message, display: str(display) || message, restore: !!restoreOnFail });
    pump();
    return true;
  }

  /** Queue a button click: its title is shown and sent, its server-issued id names it. */
  function enqueueButton(id, title) {
    if (!id || !title || queue.length >= MAX_QUEUE) {
      return false;
    }
    queue.push({ message: title.slice(0, MAX_LEN), display: title, button: id, restore: false });
    pump();
    return true;
  }

  function pump() {
    if (busy || !queue.length) {
      return;
    }
    var item = queue.shift();
    appendToLog(renderUserMessage(item.display));
    setBusy(true);
    /* The indicator sits just below the message sent: bringing it into view (above the
       composer, see scroll-padding-bottom in chat.css) shows both. */
    scrollIntoView(els.typing, "nearest");
    postChat(item.message, item.button).then(function (result) {
      var first = null;
      var replies = result.ok && result.body && Array.isArray(result.body.replies) ? result.body.replies : null;
      if (replies && replies.length) {
        replies.forEach(function (r) {
          var node = appendToLog(renderBotMessage(r));
          first = first || node;
        });
      } else {
        first = showError(result.ok ? networkErrorText() : errorTextFor(result));
        if (result.status === 429) {
          queue.length = 0; /* the rest would be refused too */
        }
        if (result.status === 409 && item.button) {
          loadWelcome(); /* the offers expired: fresh ids for the standing buttons */
        }
        if (item.restore && !els.input.value) {
          els.input.value = item.message; /* let the resident resend what they typed */
          updateCount();
        }
      }
      setBusy(false);
      scrollIntoView(first, "start");
      pump();
    });
  }

  /* ------------------------------------------------------------------ *
   * Composer
   * ------------------------------------------------------------------ */

  var lastAnnounced = null;

  function updateCount() {
    var len = els.input.value.length;
    els.count.textContent = len + "/" + MAX_LEN;
    var remaining = MAX_LEN - len;
    els.count.classList.toggle("near-limit", remaining <= 50);
    // Announce only at a few thresholds, not on every keystroke.
    var step = remaining <= 0 ? 0 : remaining <= 20 ? 20 : remaining <= 50 ? 50 : null;
    if (step !== lastAnnounced) {
      lastAnnounced = step;
      els.countLive.textContent = step === null ? "" : remaining <= 0 ? "已达到 500 字上限" : "还可输入 " + remaining + " 字";
    }
    updateSendState();
  }

  function updateSendState() {
    els.send.disabled = busy;
  }

  function submitInput() {
    if (busy) {
      return;
    }
    var text = els.input.value;
    if (!text.trim()) {
      els.input.value = "";
      updateCount();
      els.input.focus();
      return;
    }
    if (enqueue(text, text.trim(), true)) {
      els.input.value = "";
      updateCount();
    }
  }

  function onInputKeydown(event) {
    // Enter sends, Shift+Enter newline; never send while an IME (pinyin) is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      submitInput();
    }
  }

  /* ------------------------------------------------------------------ *
   * Knowledge-base info (/api/info)
   * ------------------------------------------------------------------ */

  /** "2026-11-26T08:57:00+00:00" → "2026-11-26"; anything else → "—". */
  function formatDate(iso) {
    var m = typeof iso === "string" ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
    return m ? m[1] + "-" + m[2] + "-" + m[3] : null;
  }

  function applyInfo(info) {
    if (!info || typeof info !== "object") {
      return;
    }
    var date = formatDate(info.knowledge_updated);
    els.kbDate.textContent = "";
    if (date) {
      var time = el("time", null, date);
      time.setAttribute("datetime", date);
      els.kbDate.appendChild(time);
    } else {
      els.kbDate.textContent = "—";
    }
    if (typeof info.hotline === "string" && /^[0-9-]{3,20}$/.test(info.hotline)) {
      hotline = info.hotline;
      Array.prototype.forEach.call(document.querySelectorAll(".hotline"), function (node) {
        node.textContent = hotline;
      });
    }
    var docs = Array.isArray(info.documents) ? info.documents : [];
    if (docs.length && els.docList) {
      els.docItems.textContent = "";
      docs.forEach(function (d) {
        if (d && typeof d === "object" && d.title) {
          els.docItems.appendChild(el("li", null, str(d.title)));
        }
      });
      els.docCount.textContent = "（" + els.docItems.children.length + " 份）";
      els.docList.hidden = els.docItems.children.length === 0;
    }
  }

  function loadInfo() {
    if (!window.fetch) {
      return;
    }
    fetch(API_INFO, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(applyInfo)
      .catch(function () {
        /* the date stays "—" */
      });
  }

  /* ------------------------------------------------------------------ *
   * Welcome: starter questions (each checked by the server to be answered)
   * and the standing buttons' ids for this conversation (/api/welcome)
   * ------------------------------------------------------------------ */

  function applyWelcome(body) {
    if (!body || typeof body !== "object" || !els.starters) {
      return;
    }
    var actions = body.actions && typeof body.actions === "object" ? body.actions : {};
    ["handoff", "cooperation"].forEach(function (name) {
      var a = actions[name];
      if (a && typeof a.title === "string" && typeof a.button === "string") {
        standing[name] = { title: a.title, button: a.button };
      }
    });
    els.starters.textContent = "";
    var starters = Array.isArray(body.starters) ? body.starters : [];
    starters.forEach(function (question) {
      var text = str(question);
      if (!text || text.length > MAX_LEN) {
        return;
      }
      var btn = el("button", "starter", text);
      btn.type = "button";
      btn.addEventListener("click", function () {
        enqueue(text, text);
      });
      var li = el("li");
      li.appendChild(btn);
      els.starters.appendChild(li);
    });
    if (standing.cooperation) {
      var coop = el("button", "starter starter-action", standing.cooperation.title);
      coop.type = "button";
      coop.addEventListener("click", function () {
        enqueueButton(standing.cooperation.button, standing.cooperation.title);
      });
      var item = el("li");
      item.appendChild(coop);
      els.starters.appendChild(item);
    }
    var any = els.starters.children.length > 0;
    els.starters.hidden = !any;
    if (els.startersLabel) {
      els.startersLabel.hidden = !any;
    }
  }

  function loadWelcome() {
    if (!window.fetch) {
      return;
    }
    var url = API_WELCOME + "?session_id=" + encodeURIComponent(getSessionId());
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(applyWelcome)
      .catch(function () {
        /* no starters; the composer still works */
      });
  }

  /* ------------------------------------------------------------------ *
   * Small screens: the composer's height is the page's bottom scroll
   * padding, so a message scrolled into view is never under it.
   * ------------------------------------------------------------------ */

  function watchComposerHeight() {
    function apply() {
      var h = Math.ceil(els.form.getBoundingClientRect().height);
      document.documentElement.style.setProperty("--composer-height", h + "px");
    }
    apply();
    if (window.ResizeObserver) {
      new ResizeObserver(apply).observe(els.form);
    } else {
      window.addEventListener("resize", apply);
    }
  }

  function dropKeyboardHint() {
    var hint = document.getElementById("chat-hint");
    if (hint) {
      hint.remove();
      els.input.setAttribute("aria-describedby", "chat-count");
    }
  }

  /* ------------------------------------------------------------------ *
   * Start
   * ------------------------------------------------------------------ */

  function init() {
    els.log = document.getElementById("chat-log");
    els.input = document.getElementById("chat-input");
    els.send = document.getElementById("chat-send");
    els.handoff = document.getElementById("chat-handoff");
    els.typing = document.getElementById("chat-typing");
    els.count = document.getElementById("chat-count");
    els.countLive = document.getElementById("chat-count-live");
    els.form = document.getElementById("chat-form");
    els.kbDate = document.getElementById("kb-date");
    els.docList = document.getElementById("doc-list");
    els.docItems = document.getElementById("doc-items");
    els.docCount = document.getElementById("doc-count");
    if (!els.log || !els.input || !els.send || !els.form) {
      return;
    }

    els.input.maxLength = MAX_LEN;
    els.form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitInput();
    });
    els.input.addEventListener("keydown", onInputKeydown);
    els.input.addEventListener("input", updateCount);
    els.handoff.addEventListener("click", function () {
      var offer = standing.handoff;
      if (offer) {
        enqueueButton(offer.button, offer.title);
      } else {
        enqueue("转人工", "转人工"); /* the welcome did not load: ask in words */
      }
    });
    els.log.addEventListener("click", onLogClick);
    var skip = document.querySelector(".skip-link");
    if (skip) {
      skip.addEventListener("click", function (event) {
        event.preventDefault();
        els.input.focus();
      });
    }
    els.starters = document.getElementById("starters");
    els.startersLabel = document.getElementById("starters-label");
    els.composerForm = els.form;

    // Inside the widget's iframe: Escape asks the host page to close the panel.
    if (window.parent && window.parent !== window) {
      document.documentElement.classList.add("is-embedded");
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && !event.isComposing && !event.defaultPrevented) {
          window.parent.postMessage({ type: "dxpa:close" }, "*");
        }
      });
    }

    getSessionId();
    updateCount();
    loadInfo();
    loadWelcome();
    watchComposerHeight();
    if (window.matchMedia && window.matchMedia("(pointer: coarse)").matches) {
      dropKeyboardHint(); /* no keyboard on a touch screen: "Enter 发送" would mislead */
    }
    exposeToHandoff();
  }

  /**
   * What handoff.js (staff answers, the reference-code lookup) may use: the session id and a
   * way to show a message in the log as the assistant's messages are shown. Nothing else.
   */
  function exposeToHandoff() {
    window.dxpaChat = {
      sessionId: getSessionId,
      hotline: function () {
        return hotline;
      },
      show: function (reply) {
        var node = appendToLog(renderBotMessage(reply));
        node.setAttribute("data-source", "staff");
        return node;
      },
      scrollTo: function (node) {
        scrollIntoView(node, "start");
      }
    };
    document.dispatchEvent(new CustomEvent("dxpa:chat-ready"));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
