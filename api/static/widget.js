/*
 * 大兴规划问答助手 — embeddable widget.
 *
 *   <script src="https://assistant.example/widget.js"
 *           data-api-base="https://assistant.example" defer></script>
 *
 * Adds a round launcher button (bottom-right) that opens/closes a panel holding an
 * <iframe> of <api-base>/ (the chat page). Everything it adds is prefixed "dxpa-"
 * and reset with `all: initial`, so the host page's CSS neither leaks in nor out.
 * No globals, no external resources.
 *
 * The assistant lets itself be framed (and called) only by the site origins listed in its
 * PLANBOT_CORS_ORIGINS setting. Before the frame is made, the widget asks <api-base>/api/embed
 * whether this page's origin is on that list; when it is not (or the assistant cannot be
 * reached) the panel says so in Chinese with a link that opens the assistant in a new window,
 * never a blank or "refused to connect" frame.
 */
(function () {
  "use strict";

  var PREFIX = "dxpa-";
  var TITLE = "大兴规划问答助手";
  var SVG_NS = "http://www.w3.org/2000/svg";

  // Must be read now: document.currentScript is null once this script has finished.
  var script = document.currentScript || findOwnScript();

  /** Fallback for old browsers: the last <script> whose src ends in widget.js. */
  function findOwnScript() {
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/(^|\/)widget\.js(\?|#|$)/.test(scripts[i].getAttribute("src") || "")) {
        return scripts[i];
      }
    }
    return null;
  }

  /** data-api-base, else the origin of this script's src, else this page's origin. */
  function apiBase() {
    var candidates = [];
    if (script) {
      candidates.push(script.getAttribute("data-api-base"));
      if (script.src) {
        try {
          candidates.push(new URL(script.src, window.location.href).origin);
        } catch (e) {
          /* ignore */
        }
      }
    }
    candidates.push(window.location.origin);
    for (var i = 0; i < candidates.length; i++) {
      var raw = (candidates[i] || "").trim();
      if (!raw) {
        continue;
      }
      try {
        var url = new URL(raw, window.location.href);
        if (url.protocol === "http:" || url.protocol === "https:") {
          return url.href.replace(/[?#].*$/, "").replace(/\/+$/, "");
        }
      } catch (e) {
        /* try the next one */
      }
    }
    return "";
  }

  var CSS = [
    "#dxpa-launcher,#dxpa-panel,#dxpa-panel .dxpa-head,#dxpa-panel .dxpa-title,",
    "#dxpa-close,#dxpa-frame,#dxpa-launcher svg,#dxpa-close svg{all:initial;box-sizing:border-box}",
    "#dxpa-launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;",
    "display:flex;align-items:center;justify-content:center;width:56px;height:56px;",
    "margin:0;padding:0;border:2px solid #ffffff;border-radius:50%;background:#0b5cad;",
    "color:#ffffff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3);",
    "-webkit-tap-highlight-color:transparent}",
    "#dxpa-launcher:hover{background:#084a8c}",
    "#dxpa-launcher:focus{outline:none}",
    // Two-tone ring: dark on light host pages, white on dark ones.
    "#dxpa-launcher:focus-visible{outline:3px solid #0b3d91;outline-offset:0;",
    "box-shadow:0 0 0 6px #ffffff,0 4px 14px rgba(0,0,0,.3)}",
    "#dxpa-launcher svg,#dxpa-close svg{display:block;width:28px;height:28px;color:inherit;",
    "fill:currentColor;pointer-events:none}",
    "#dxpa-launcher svg path,#dxpa-close svg path{fill:currentColor;stroke:none}",
    "#dxpa-close svg{width:22px;height:22px}",
    "#dxpa-panel{position:fixed;right:20px;bottom:88px;z-index:2147483001;",
    "display:flex;flex-direction:column;width:400px;max-width:calc(100vw - 40px);",
    "height:640px;max-height:calc(100vh - 108px);overflow:hidden;",
    "background:#ffffff;border:1px solid #c9d1dc;border-radius:12px;",
    "box-shadow:0 12px 40px rgba(0,0,0,.28);color:#1a1a1a;",
    "font-family:system-ui,-apple-system,'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;",
    "font-size:16px;line-height:1.5;text-align:left;direction:ltr}",
    "#dxpa-panel[hidden]{display:none!important}",
    "#dxpa-panel .dxpa-head{display:flex;flex:none;align-items:center;justify-content:space-between;",
    "gap:8px;min-height:52px;padding:4px 4px 4px 14px;background:#0b5cad;color:#ffffff;",
    "font:inherit}",
    "#dxpa-panel .dxpa-title{display:block;color:#ffffff;font:inherit;font-weight:700;",
    "white-space:nowrap;overflow:hidden;text-overflow:ellipsis}",
    "#dxpa-close{display:flex;flex:none;align-items:center;justify-content:center;",
    "width:44px;height:44px;margin:0;padding:0;border:0;border-radius:8px;",
    "background:transparent;color:#ffffff;cursor:pointer}",
    "#dxpa-close:hover{background:#084a8c}",
    "#dxpa-close:focus{outline:none}",
    "#dxpa-close:focus-visible{outline:3px solid #ffffff;outline-offset:-4px}",
    "#dxpa-frame{display:block;flex:1 1 auto;width:100%;min-height:0;border:0;background:#ffffff}",
    "#dxpa-notice,#dxpa-notice p,#dxpa-notice a{all:initial;box-sizing:border-box;font:inherit;color:#1a1a1a}",
    "#dxpa-notice{display:block;flex:1 1 auto;padding:20px 16px;background:#ffffff}",
    "#dxpa-notice p{display:block;margin:0 0 16px}",
    "#dxpa-notice a{display:inline-block;min-height:44px;padding:10px 18px;border-radius:22px;",
    "background:#0b5cad;color:#ffffff;font-weight:700;text-decoration:none;cursor:pointer}",
    "#dxpa-notice a:focus-visible{outline:3px solid #0b3d91;outline-offset:2px}",
    // Phones (and very short windows, e.g. 200% zoom): full screen.
    "@media (max-width:479.98px),(max-height:520px){#dxpa-panel{top:0;right:0;bottom:0;left:0;",
    "width:100%;max-width:none;height:100%;max-height:none;border:0;border-radius:0}}",
    "@media (prefers-reduced-motion:no-preference){#dxpa-panel.dxpa-open{",
    "animation:dxpa-pop .18s ease-out}}",
    "@keyframes dxpa-pop{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}",
    "@media (forced-colors:active){#dxpa-launcher,#dxpa-close{border:2px solid ButtonText}",
    "#dxpa-launcher:focus-visible,#dxpa-close:focus-visible{outline-color:Highlight}}",
    "@media print{#dxpa-launcher,#dxpa-panel{display:none!important}}"
  ].join("");

  /** A decorative inline SVG icon (hidden from assistive technology). */
  function icon(pathData) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }

  var CHAT_ICON =
    "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 " +
    "3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z";
  var CLOSE_ICON =
    "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z";

  function mount() {
    if (document.getElementById(PREFIX + "launcher")) {
      return; /* included twice: keep the first */
    }
    var base = apiBase();
    var baseOrigin = "";
    try {
      baseOrigin = new URL(base + "/").origin;
    } catch (e) {
      baseOrigin = window.location.origin;
    }

    var style = document.createElement("style");
    style.id = PREFIX + "style";
    style.textContent = CSS;
    (document.head || document.documentElement).appendChild(style);

    var launcher = document.createElement("button");
    launcher.type = "button";
    launcher.id = PREFIX + "launcher";
    launcher.setAttribute("aria-label", "打开规划问答助手");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", PREFIX + "panel");
    launcher.title = TITLE;
    launcher.appendChild(icon(CHAT_ICON));

    var panel = document.createElement("div");
    panel.id = PREFIX + "panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", TITLE);
    panel.hidden = true;

    var head = document.createElement("div");
    head.className = PREFIX + "head";
    var title = document.createElement("span");
    title.className = PREFIX + "title";
    title.textContent = TITLE;
    var close = document.createElement("button");
    close.type = "button";
    close.id = PREFIX + "close";
    close.setAttribute("aria-label", "关闭规划问答助手");
    close.title = "关闭";
    close.appendChild(icon(CLOSE_ICON));
    head.appendChild(title);
    head.appendChild(close);
    panel.appendChild(head);

    var frame = null;
    var checked = false;

    /** The iframe, once the assistant has said this page may frame it. */
    function makeFrame() {
      frame = document.createElement("iframe");
      frame.id = PREFIX + "frame";
      frame.title = TITLE;
      frame.src = base + "/";
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      panel.appendChild(frame);
    }

    /** A Chinese notice with a link that opens the assistant in a new window. */
    function showNotice(text) {
      var notice = document.createElement("div");
      notice.id = PREFIX + "notice";
      notice.setAttribute("role", "status");
      var p = document.createElement("p");
      p.textContent = text;
      var link = document.createElement("a");
      link.href = base + "/";
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = "在新窗口打开";
      notice.appendChild(p);
      notice.appendChild(link);
      panel.appendChild(notice);
    }

    /** Asked on first open, so pages that never open the panel cost nothing. */
    function ensureFrame() {
      if (checked) {
        return;
      }
      checked = true;
      if (!window.fetch) {
        makeFrame();
        return;
      }
      fetch(base + "/api/embed", { credentials: "omit", headers: { Accept: "application/json" } })
        .then(function (res) {
          return res.ok ? res.json() : null;
        })
        .then(function (body) {
          if (body && body.allowed === true) {
            makeFrame();
          } else if (body && body.allowed === false) {
            showNotice("本网站尚未获准嵌入规划问答助手，您可以在新窗口中使用。");
          } else {
            showNotice("暂时无法在本页加载规划问答助手，您可以在新窗口中使用。");
          }
        })
        .catch(function () {
          showNotice("暂时无法在本页加载规划问答助手，您可以在新窗口中使用。");
        });
    }

    function isOpen() {
      return !panel.hidden;
    }

    function open() {
      ensureFrame();
      panel.hidden = false;
      panel.classList.add(PREFIX + "open");
      launcher.setAttribute("aria-expanded", "true");
      close.focus();
    }

    /** Close; focus goes back to the launcher (unless told the user moved on). */
    function hide(returnFocus) {
      if (!isOpen()) {
        return;
      }
      panel.hidden = true;
      panel.classList.remove(PREFIX + "open");
      launcher.setAttribute("aria-expanded", "false");
      if (returnFocus) {
        launcher.focus();
      }
    }

    launcher.addEventListener("click", function () {
      if (isOpen()) {
        hide(true);
      } else {
        open();
      }
    });
    close.addEventListener("click", function () {
      hide(true);
    });

    // Escape on the host page (focus on the launcher, the close button, anywhere).
    document.addEventListener("keydown", function (event) {
      if ((event.key === "Escape" || event.key === "Esc") && isOpen() && !event.isComposing) {
        hide(true);
      }
    });

    // Escape inside the (cross-origin) chat page arrives as a message from the iframe.
    window.addEventListener("message", function (event) {
      if (!frame || event.source !== frame.contentWindow || event.origin !== baseOrigin) {
        return;
      }
      if (event.data && event.data.type === "dxpa:close") {
        hide(true);
      }
    });

    document.body.appendChild(launcher);
    document.body.appendChild(panel);
  }

  if (document.body) {
    mount();
  } else {
    document.addEventListener("DOMContentLoaded", mount);
  }
})();
