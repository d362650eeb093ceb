// The DOM side of the ipxegen web app (web/src/app.rs), linked into the bundle by
// wasm-bindgen. The app writes the whole page as markup; `mount` brings the live DOM in line
// with it (patching elements in place, so focus, caret and scroll stay), and hands every
// event of an element with a `data-a` (its action) to the app with the element's value.
// Storage, downloads and the clipboard are here too: what only a browser can do.

// An element's key among its siblings: its id, else its data-key ('' for none).
const keyOf = (n) => (n.nodeType === 1 ? n.id || n.getAttribute('data-key') || '' : '');

// Makes `old` (live) equal `neu` (parsed): attributes, value and children. An element marked
// data-keep in `neu` is as the app last wrote it: `old` stays as it is (and a data-skip=N
// child stands for the next N children, as they are).
function patch(old, neu) {
  if (neu.hasAttribute('data-keep')) return;
  for (const name of old.getAttributeNames()) {
    if (!neu.hasAttribute(name) && name !== 'data-update-ms') old.removeAttribute(name);
  }
  for (const name of neu.getAttributeNames()) {
    const value = neu.getAttribute(name);
    if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  }
  const tag = old.tagName;
  // An input without an action (the CSV being pasted) holds what was typed, not the app's.
  if ((tag === 'INPUT' || tag === 'TEXTAREA') && !neu.hasAttribute('data-a')) return;
  if (tag === 'INPUT') {
    if (old.type === 'checkbox') old.checked = neu.checked;
    else if (old.type !== 'file' && old.value !== neu.value) old.value = neu.value;
    return;
  }
  if (tag === 'TEXTAREA') {
    if (old.value !== neu.value) old.value = neu.value;
    return;
  }
  patchChildren(old, neu);
  if (tag === 'SELECT' && old.value !== neu.value) old.value = neu.value;
}

// Makes the children of `old` those of `neu`: a keyed child is matched by its key wherever it
// is, an unkeyed one with the unkeyed one at its place of the same kind; the rest are moved
// over from `neu` or removed.
function patchChildren(old, neu) {
  // The keys of `neu`'s children, and `old`'s keyed children by key (only when there are any).
  let wanted = null;
  for (let n = neu.firstChild; n; n = n.nextSibling) {
    const key = keyOf(n);
    if (key) (wanted ||= new Set()).add(key);
  }
  const keyed = wanted && new Map();
  if (keyed) {
    for (let c = old.firstChild; c; c = c.nextSibling) {
      const key = keyOf(c);
      if (key) keyed.set(key, c);
    }
  }
  let cur = old.firstChild;
  for (let n = neu.firstChild; n;) {
    // A keyed child that is not wanted goes first, so the unkeyed ones after it pair up.
    while (cur && keyOf(cur) && !(wanted && wanted.has(keyOf(cur)))) {
      const gone = cur;
      cur = cur.nextSibling;
      old.removeChild(gone);
    }
    const next = n.nextSibling;
    if (n.nodeType === 1 && n.hasAttribute('data-skip')) {
      // The next N children are as the app last wrote them.
      for (let k = Number(n.getAttribute('data-skip')); k > 0 && cur; k--) cur = cur.nextSibling;
      n = next;
      continue;
    }
    const key = keyOf(n);
    let match = key ? keyed.get(key) : cur && !keyOf(cur) && cur;
    if (match && match.nodeName !== n.nodeName) match = null;
    if (match) {
      if (key) keyed.delete(key);
      if (match === cur) cur = cur.nextSibling;
      else old.insertBefore(match, cur);
      if (n.nodeType === 1) patch(match, n);
      else if (match.nodeValue !== n.nodeValue) match.nodeValue = n.nodeValue;
    } else {
      old.insertBefore(n, cur);
    }
    n = next;
  }
  while (cur) {
    const next = cur.nextSibling;
    old.removeChild(cur);
    cur = next;
  }
}

// The app mounted last: what the clipboard's outcome is reported to.
let reportTo = null;

// Mounts the app in `root` (null: a new <div> at the end of <body>). `run(action, value,
// extra)` is the app: it applies an action and returns the id of the element to focus
// (possibly empty), a newline, and the page's markup. Returns { destroy }.
export function mount(root, run) {
  root = root || document.body.appendChild(document.createElement('div'));
  const template = document.createElement('template');
  const act = (action, value, extra, started) => {
    const reply = run(action, value, extra);
    const cut = reply.indexOf('\n');
    if (cut < 0) return; // not an answer of the app's form: the page stays as it is
    template.innerHTML = reply.slice(cut + 1);
    patchChildren(root, template.content);
    if (started !== undefined) {
      // From the event to the page updated: what web/README.md calls the preview update.
      const pre = root.querySelector('#preview');
      if (pre) pre.setAttribute('data-update-ms', (performance.now() - started).toFixed(2));
    }
    const focus = cut > 0 && document.getElementById(reply.slice(0, cut));
    if (focus) focus.focus();
  };
  const handle = (e) => {
    const el = e.target.closest && e.target.closest('[data-a]');
    if (!el || !root.contains(el)) return;
    const started = performance.now();
    const action = el.getAttribute('data-a');
    if (el.tagName === 'BUTTON') {
      if (e.type !== 'click') return;
      const from = el.getAttribute('data-from');
      const value = from ? document.getElementById(from).value : action === 'link' ? location.href.split('#')[0] : '';
      act(action, value, '', started);
    } else if (el.type === 'file') {
      const file = e.type === 'change' && el.files[0];
      if (!file) return;
      el.value = '';
      file.text().then((text) => act(action, text, file.name));
    } else {
      const changes = el.tagName === 'SELECT' || el.type === 'checkbox';
      if (e.type !== (changes ? 'change' : 'input')) return;
      act(action, el.type === 'checkbox' ? String(el.checked) : el.value, '', started);
    }
  };
  const types = ['click', 'input', 'change'];
  for (const type of types) root.addEventListener(type, handle);
  reportTo = act;
  act('start', '', '');
  return {
    destroy() {
      for (const type of types) root.removeEventListener(type, handle);
      if (reportTo === act) reportTo = null;
      root.textContent = '';
    },
  };
}

// The URL's fragment (`#...`, or '').
export const fragment = () => location.hash;

// Removes the fragment from the URL, so a reload keeps later edits.
export function dropFragment() {
  history.replaceState(null, '', location.pathname + location.search);
}

// The text localStorage holds under `key` (undefined: none, or no storage).
export function load(key) {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

// Keeps `text` in localStorage under `key` (a full or refused storage loses nothing shown).
export function store(key, text) {
  try {
    localStorage.setItem(key, text);
  } catch {}
}

// Offers `bytes` as a download named `name`: a Blob, an object URL, a clicked <a download>.
export function download(name, bytes, mime) {
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Writes `text` to the clipboard, then tells the app `copied` with `what` and the outcome:
// 'ok', 'refused', or 'none' (only secure contexts have a clipboard). Always later, never
// while the app is running.
export function copy(text, what) {
  const report = (outcome) => reportTo && reportTo('copied', what, outcome);
  if (!navigator.clipboard) {
    Promise.resolve().then(() => report('none'));
    return;
  }
  navigator.clipboard.writeText(text).then(() => report('ok'), () => report('refused'));
}
