/*
 * 大兴规划问答助手 — staff answers come back to the chat.
 *
 * 1. The conversation's session id lives in localStorage (chat.js), so when the resident comes
 *    back, this asks /api/handoff/answers for the staff replies to the tickets the conversation
 *    opened and shows them in the log. While a ticket waits it asks again with a backoff (5 s,
 *    doubling to 2 minutes; at once when the tab is shown again), and stops when none waits.
 * 2. The "查询人工答复" box (and /?code=K7MQ-4XRT) looks a ticket up by its reference code from
 *    any browser: its status and staff replies, shown in the log.
 *
 * Same rules as chat.js: server text is rendered as text only, no inline code (CSP).
 */
(function () {
  "use strict";

  var API_ANSWERS = "/api/handoff/answers";
  var API_TICKET = "/api/handoff/tickets/";
  var MIN_DELAY_MS = 5000;
  var MAX_DELAY_MS = 120000;
  var CODE_CHARS = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/;

  var after = 0;
  var delay = MIN_DELAY_MS;
  var timer = 0;
  var polling = false;
  var inFlight = false;

  function chat() {
    return window.dxpaChat || null;
  }

  function str(value) {
    return typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
  }

  /** "2026-12-04T08:57:00+00:00" → "2026-12-04 16:57" in the reader's time zone. */
  function when(iso) {
    var d = new Date(str(iso));
    if (isNaN(d.getTime())) {
      return "";
    }
    function two(n) {
      return (n < 10 ? "0" : "") + n;
    }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) + " " + two(d.getHours()) + ":" + two(d.getMinutes());
  }

  function showStaffReply(reply) {
    var c = chat();
    if (!c || !reply || typeof reply !== "object") {
      return null;
    }
    var stamp = when(reply.created_at);
    var text = "工作人员答复（查询码 " + str(reply.code) + (stamp ? "，" + stamp : "") + "）：" + str(reply.text);
    var node = c.show({ kind: "handoff", text: text });
    node.classList.add("msg-staff");
    return node;
  }

  /* ------------------------------------------------------------------ *
   * Staff answers to this conversation
   * ------------------------------------------------------------------ */

  function schedule() {
    window.clearTimeout(timer);
    if (!polling) {
      return;
    }
    timer = window.setTimeout(poll, delay);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }

  function poll() {
    var c = chat();
    if (!c || !window.fetch || inFlight) {
      return;
    }
    inFlight = true;
    var url = API_ANSWERS + "?session_id=" + encodeURIComponent(c.sessionId()) + "&after=" + after;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        if (res.status === 429) {
          delay = MAX_DELAY_MS;
          return null;
        }
        return res.ok ? res.json() : null;
      })
      .catch(function () {
        return null;
      })
      .then(function (body) {
        inFlight = false;
        if (!body || !Array.isArray(body.replies)) {
          schedule(); /* a failure: try again later, with the backoff */
          return;
        }
        var first = null;
        body.replies.forEach(function (reply) {
          var node = showStaffReply(reply);
          first = first || node;
          after = Math.max(after, Number(reply.id) || 0);
        });
        if (first) {
          chat().scrollTo(first);
          delay = MIN_DELAY_MS;
        }
        polling = Number(body.waiting) > 0;
        schedule();
      });
  }

  /** A handoff reply was just shown: a ticket waits now, so ask soon and keep asking. */
  function watchForHandoffs(log) {
    if (!window.MutationObserver || !log) {
      return;
    }
    new MutationObserver(function (records) {
      var opened = records.some(function (r) {
        return Array.prototype.some.call(r.addedNodes, function (n) {
          return n.nodeType === 1 && n.getAttribute("data-kind") === "handoff" && !n.getAttribute("data-source");
        });
      });
      if (opened) {
        polling = true;
        delay = MIN_DELAY_MS;
        schedule();
      }
    }).observe(log, { childList: true });
  }

  /* ------------------------------------------------------------------ *
   * Lookup by reference code
   * ------------------------------------------------------------------ */

  function normaliseCode(typed) {
    var code = str(typed).toUpperCase().replace(/[\s\-_.·—–]+/g, "");
    return CODE_CHARS.test(code) ? code : null;
  }

  function setLookupStatus(text) {
    var status = document.getElementById("ticket-lookup-status");
    if (status) {
      status.textContent = text;
    }
  }

  function lookup(typed) {
    var c = chat();
    var code = normaliseCode(typed);
    if (!code) {
      setLookupStatus("查询码应为8位字母和数字，例如 K7MQ-4XRT。");
      return;
    }
    if (!c || !window.fetch) {
      return;
    }
    setLookupStatus("正在查询…");
    fetch(API_TICKET + encodeURIComponent(code), { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        return res
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            return { status: res.status, body: body };
          });
      })
      .catch(function () {
        return { status: 0, body: null };
      })
      .then(function (result) {
        var body = result.body;
        if (result.status !== 200 || !body || typeof body !== "object") {
          var detail = body && typeof body.detail === "string" ? body.detail : "";
          setLookupStatus(
            result.status === 429
              ? "查询过于频繁，请稍后再试。"
              : detail || "暂时无法查询，请稍后再试，或拨打 " + c.hotline() + " 市民服务热线。"
          );
          return;
        }
        var replies = Array.isArray(body.replies) ? body.replies : [];
        var head = "查询码 " + str(body.code) + "：" + str(body.status_label) + "。";
        if (body.question) {
          head += "您的问题：" + str(body.question) + "。";
        }
        head += replies.length ? "工作人员的答复如下。" : "工作人员还没有答复，答复后会显示在这里。";
        var first = c.show({ kind: "handoff", text: head });
        first.classList.add("msg-staff");
        replies.forEach(showStaffReply);
        c.scrollTo(first);
        setLookupStatus("查询结果已显示在对话中。");
      });
  }

  function initLookup() {
    var form = document.getElementById("ticket-lookup-form");
    var input = document.getElementById("ticket-code");
    if (!form || !input) {
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      lookup(input.value);
    });
    var fromUrl = null;
    try {
      fromUrl = new URL(window.location.href).searchParams.get("code");
    } catch (e) {
      fromUrl = null;
    }
    if (fromUrl) {
      input.value = fromUrl.slice(0, 20);
      var box = document.getElementById("ticket-lookup");
      if (box) {
        box.open = true;
      }
      lookup(fromUrl);
    }
  }

  function start() {
    if (!chat()) {
      return;
    }
    watchForHandoffs(document.getElementById("chat-log"));
    initLookup();
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && polling) {
        delay = MIN_DELAY_MS;
        window.clearTimeout(timer);
        poll();
      }
    });
    poll(); /* whatever staff answered while the resident was away */
  }

  if (window.dxpaChat) {
    start();
  } else {
    document.addEventListener("dxpa:chat-ready", start, { once: true });
  }
})();
