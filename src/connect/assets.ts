/**
 * Static assets of the connect page, served by us (no CDN, no build step): the stylesheet, a progressive
 * enhancement script for the provider search, the web-message poster, and connect.js for popup/iframe mode.
 */

export const CONNECT_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#111827;background:#f3f4f6;line-height:1.5}
body{margin:0;min-height:100vh;display:flex;align-items:flex-start;justify-content:center;padding:2rem 1rem}
.card{background:#fff;width:100%;max-width:28rem;border-radius:14px;box-shadow:0 10px 30px rgba(17,24,39,.12);padding:1.75rem;border-top:6px solid var(--accent)}
.brand{display:flex;align-items:center;gap:.75rem;margin-bottom:1.25rem}
.brand p{margin:0}
.logo{width:40px;height:40px;border-radius:10px;object-fit:cover;flex:none}
.monogram{display:inline-flex;align-items:center;justify-content:center;background:var(--accent);color:var(--on-accent);font-weight:700;font-size:1.1rem}
img[data-monogram]{position:relative}
img[data-monogram]::after{content:attr(data-monogram);position:absolute;inset:0;display:flex;align-items:center;justify-content:center;background:var(--accent);color:var(--on-accent);font-weight:700;font-size:1.1rem;border-radius:inherit}
.brand>div{min-width:0}
.app-name{font-weight:650;overflow-wrap:anywhere}
.via{font-size:.85rem;color:#4b5563}
.steps{margin-left:auto!important;flex:none;white-space:nowrap;font-size:.8rem;color:#374151;background:#f3f4f6;border-radius:999px;padding:.15rem .6rem}
h1{font-size:1.35rem;line-height:1.3;margin:.25rem 0 .5rem}
.lead{color:#374151;margin:0 0 1rem}
label{display:block;font-weight:600;margin-bottom:.3rem}
.optional{font-weight:400;color:#4b5563}
input[type=text],input[type=password],input[type=search]{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid #6b7280;border-radius:8px;background:#fff;color:#111827}
input[aria-invalid=true]{border-color:#b91c1c}
.field{margin-bottom:1rem}
.checkbox label{display:flex;gap:.5rem;align-items:center;font-weight:400}
.help{font-size:.85rem;color:#4b5563;margin:.3rem 0 0}
.row{display:flex;gap:.5rem}
.search{margin-bottom:1rem}
button{font:inherit;cursor:pointer;border-radius:8px;padding:.6rem 1rem;border:1px solid transparent}
.primary{background:var(--accent);color:var(--on-accent);font-weight:600}
.secondary{background:#fff;color:#111827;border-color:#6b7280}
.link{background:none;color:#1f2937;text-decoration:underline;padding:.6rem .25rem}
:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:1.25rem}
.providers{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
.provider{width:100%;display:flex;align-items:center;gap:.75rem;background:#fff;border:1px solid #d1d5db;text-align:left;color:#111827}
.provider:hover{border-color:var(--accent);background:#f9fafb}
.plogo{width:32px;height:32px;border-radius:8px;flex:none}
.pname{font-weight:600}
.ptags{margin-left:auto;font-size:.8rem;color:#4b5563}
.alert{background:#fef2f2;border:1px solid #fca5a5;color:#7f1d1d;border-radius:8px;padding:.75rem;margin-bottom:1rem}
.alert:focus{outline:3px solid #2563eb;outline-offset:2px}
.scopes{list-style:none;padding:0;margin:0 0 1rem}
.scopes li{padding:.45rem 0;border-bottom:1px solid #e5e7eb}
.scopes li span{color:#047857;font-weight:700;margin-right:.35rem}
.fine{font-size:.82rem;color:#4b5563;margin-top:1.25rem}
.sandbox{margin-top:1.25rem;font-size:.85rem;background:#fffbeb;border:1px solid #fcd34d;border-radius:8px;padding:.5rem .75rem}
.sandbox summary{cursor:pointer;font-weight:600}
.sandbox table{border-collapse:collapse;width:100%;margin-top:.5rem}
.sandbox td,.sandbox th{text-align:left;padding:.25rem;border-top:1px solid #fde68a;vertical-align:top}
.empty{color:#374151}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);border:0}
@media (max-width:400px){body{padding:1rem .5rem}.card{padding:1.25rem 1rem}}
@media (prefers-reduced-motion:no-preference){button{transition:background .15s,border-color .15s}}
`;

/** Filters the provider list as the user types; without it the search form submits to the server. */
export const CONNECT_PAGE_JS = `(function(){
  var input = document.querySelector('input[data-filter]');
  if (!input) return;
  var list = document.getElementById(input.getAttribute('data-filter'));
  var none = document.getElementById('no-match');
  if (!list) return;
  input.addEventListener('input', function(){
    var q = input.value.trim().toLowerCase(); var shown = 0;
    list.querySelectorAll('li').forEach(function(li){
      var hit = !q || (li.getAttribute('data-name') || '').indexOf(q) !== -1;
      li.hidden = !hit; if (hit) shown++;
    });
    if (none) none.hidden = shown !== 0;
  });
})();
`;

/** Posts the flow's result to the opener (popup) or parent (iframe), only to the redirect URI's origin. */
export const WEB_MESSAGE_JS = `(function(){
  var el = document.getElementById('web-message');
  if (!el) return;
  var target = el.getAttribute('data-target-origin');
  var message = JSON.parse(el.getAttribute('data-message'));
  var peer = window.opener || (window.parent !== window ? window.parent : null);
  if (peer && target) peer.postMessage(message, target);
  if (window.opener) setTimeout(function(){ window.close(); }, 50);
})();
`;

/**
 * connect.js: \`AffixConnect.open({ params, display: 'popup'|'iframe', container, onMessage })\`. Messages keep
 * Affix's shapes: {name:'auth-message', authorizationCode, state}, {error}, {closed}. Only messages whose origin is
 * the Affix server this script came from are accepted.
 */
export const CONNECT_JS = `/* Affix connect: popup and iframe mode. */
(function(){
  var script = document.currentScript;
  var origin = new URL(script && script.src ? script.src : location.href).origin;
  function open(options){
    options = options || {};
    var display = options.display === 'iframe' ? 'iframe' : 'popup';
    var q = new URLSearchParams(options.params || {});
    q.set('response_mode', 'web_message');
    q.set('display', display);
    var url = origin + '/connect?' + q.toString();
    var done = false, frame = null, popup = null, timer = null;
    function emit(msg){ if (typeof options.onMessage === 'function') options.onMessage(msg); }
    function finish(msg){
      if (done) return; done = true;
      window.removeEventListener('message', onMessage);
      if (timer) clearInterval(timer);
      if (frame && frame.parentNode) frame.parentNode.removeChild(frame);
      emit(msg);
    }
    function onMessage(event){
      if (event.origin !== origin) return;
      var d = event.data;
      if (!d || d.name !== 'auth-message') return;
      if (popup && event.source !== popup) return;
      if (frame && event.source !== frame.contentWindow) return;
      finish(d);
    }
    window.addEventListener('message', onMessage);
    if (display === 'iframe') {
      frame = document.createElement('iframe');
      frame.src = url; frame.title = 'Connect your HR or payroll system';
      frame.style.cssText = 'border:0;width:100%;max-width:480px;height:720px';
      (options.container || document.body).appendChild(frame);
    } else {
      popup = window.open(url, 'affix-connect', 'popup,width=480,height=760');
      if (!popup) { finish({ name: 'auth-message', error: 'popup_blocked' }); return null; }
      timer = setInterval(function(){ if (popup.closed) finish({ name: 'auth-message', closed: true }); }, 300);
    }
    return { close: function(){ if (popup) popup.close(); finish({ name: 'auth-message', closed: true }); } };
  }
  window.AffixConnect = { open: open, origin: origin };
})();
`;
