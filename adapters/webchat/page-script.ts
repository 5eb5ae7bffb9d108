/**
 * The chat page's script (plain browser JS, no framework, no external resources). It keeps the
 * session token in localStorage, forwards `?receipt=` with the next message, long-polls for
 * messages and renders everything with textContent (never innerHTML).
 */
import { PAGE_STRINGS } from './page-strings.js';

/** JSON that is safe inside a <script> element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028|\u2029/g, ' ');
}

export const PAGE_SCRIPT = `(function () {
'use strict';
var STRINGS = ${scriptJson(PAGE_STRINGS)};
var TOKEN_KEY = 'parley.webchat.token';
var RECEIPT_KEY = 'parley.webchat.receipt';
var body = document.body;
var API = body.getAttribute('data-api');
var UPLOADS = body.getAttribute('data-uploads') === '1';
var MAX_UPLOAD = Number(body.getAttribute('data-max-upload')) || 0;
function $(id) { return document.getElementById(id); }
var log = $('log'), statusEl = $('status'), form = $('composer'), input = $('input');
var sendBtn = $('send'), attach = $('attach'), file = $('file'), title = $('title');
var store = {
  get: function (k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
  set: function (k, v) { try { localStorage.setItem(k, v); } catch (e) { /* private mode */ } },
  del: function (k) { try { localStorage.removeItem(k); } catch (e) { /* private mode */ } }
};
function pickLanguage() {
  var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (var i = 0; i < langs.length; i++) {
    var base = String(langs[i]).toLowerCase().split('-')[0];
    if (Object.prototype.hasOwnProperty.call(STRINGS, base)) return base;
  }
  return 'en';
}
var lang = pickLanguage(), t = STRINGS[lang];
document.documentElement.lang = lang;
if (!title.textContent) { title.textContent = t.title; document.title = t.title; }
input.placeholder = t.placeholder;
sendBtn.textContent = t.send;
attach.textContent = '+ ' + t.photo;
attach.hidden = !UPLOADS;

var token = store.get(TOKEN_KEY);
var params = new URLSearchParams(location.search);
var pendingReceipt = params.get('receipt') || store.get(RECEIPT_KEY);
if (params.get('receipt')) {
  store.set(RECEIPT_KEY, pendingReceipt);
  try { history.replaceState(null, '', location.pathname); } catch (e) { /* keep the URL */ }
}
var cursor = null, byId = {}, pending = [], chips = [];
var sleep = function (ms) { return new Promise(function (r) { setTimeout(r, ms); }); };
var backoff = function (n) { return Math.min(30000, 1000 * Math.pow(2, n)); };

function showStatus(text) { statusEl.textContent = text; statusEl.hidden = false; }
function hideStatus() { statusEl.hidden = true; }
function trouble() { showStatus(navigator.onLine === false ? t.offline : t.error); }

function request(method, path, payload, timeoutMs) {
  var headers = {}, data;
  if (token) headers.Authorization = 'Bearer ' + token;
  if (typeof Blob !== 'undefined' && payload instanceof Blob) {
    data = payload; headers['Content-Type'] = payload.type;
  } else if (payload !== undefined) {
    data = JSON.stringify(payload); headers['Content-Type'] = 'application/json';
  }
  var ctl = new AbortController();
  var timer = setTimeout(function () { ctl.abort(); }, timeoutMs || 20000);
  return fetch(API + path, { method: method, headers: headers, body: data, cache: 'no-store', signal: ctl.signal })
    .then(function (res) {
      return res.json().catch(function () { return null; }).then(function (json) {
        if (res.ok) return json;
        var err = new Error('HTTP ' + res.status); err.status = res.status; throw err;
      });
    })
    .finally(function () { clearTimeout(timer); });
}
function startSession() {
  return request('POST', '/session', token ? { token: token } : {}).then(function (s) {
    token = s.token; store.set(TOKEN_KEY, token);
  });
}
/** A request with the session token; a refused token gets one new session (shared by callers). */
var renewing = null;
function authed(method, path, payload, timeoutMs) {
  var used = token;
  var retry = function () { return request(method, path, payload, timeoutMs); };
  return retry().catch(function (err) {
    if (err.status !== 401) throw err;
    if (token !== used) return retry();
    if (!renewing) {
      token = null; store.del(TOKEN_KEY); cursor = null;
      renewing = startSession().finally(function () { renewing = null; });
    }
    return renewing.then(retry);
  });
}

function scrollDown() { log.scrollTop = log.scrollHeight; }
function bubble(author, text) {
  var li = document.createElement('li');
  li.className = 'msg ' + (author === 'customer' ? 'me' : 'them');
  var p = document.createElement('p');
  p.textContent = text;
  li.appendChild(p);
  log.appendChild(li);
  if (author === 'customer') disableChips();
  scrollDown();
  return li;
}
function disableChips() { chips.forEach(function (c) { c.disabled = true; }); chips = []; }
function addChips(li, m) {
  var rows = (m.buttons || []).concat(m.list ? m.list.rows : []);
  if (!rows.length) return;
  var box = document.createElement('div');
  box.className = 'chips';
  if (m.list && m.list.buttonText) {
    var label = document.createElement('span'); label.className = 'chips-label';
    label.textContent = m.list.buttonText; box.appendChild(label);
  }
  rows.forEach(function (row) {
    var b = document.createElement('button');
    b.type = 'button'; b.className = 'chip'; b.textContent = row.title;
    if (row.description) {
      var small = document.createElement('small'); small.textContent = row.description; b.appendChild(small);
    }
    b.addEventListener('click', function () { send({ text: row.title, button: row.id }, row.title); });
    box.appendChild(b); chips.push(b);
  });
  li.appendChild(box);
}
function render(m) {
  if (byId[m.id]) return;
  if (m.author === 'customer') {
    for (var i = 0; i < pending.length; i++) {
      var p = pending[i];
      if (m.client_message_id ? m.client_message_id === p.id : m.text === p.text) {
        pending.splice(i, 1); byId[m.id] = p.li; p.li.classList.remove('pending'); return;
      }
    }
  }
  var li = bubble(m.author, m.text);
  byId[m.id] = li;
  addChips(li, m);
}

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  var b = crypto.getRandomValues(new Uint8Array(16)), s = '';
  for (var i = 0; i < b.length; i++) s += (b[i] + 256).toString(16).slice(1);
  return s;
}
function deliver(entry, attempt) {
  entry.li.classList.remove('failed');
  return authed('POST', '/messages', entry.body).then(function () {
    if (entry.body.receipt && entry.body.receipt === pendingReceipt) { pendingReceipt = null; store.del(RECEIPT_KEY); }
    hideStatus();
  }, function (err) {
    var permanent = err.status && err.status < 500 && err.status !== 429;
    if (permanent || attempt >= 4) return failed(entry, permanent ? t.error : null);
    trouble();
    return sleep(backoff(attempt)).then(function () { return deliver(entry, attempt + 1); });
  });
}
function failed(entry, message) {
  if (message) showStatus(message); else trouble();
  entry.li.classList.add('failed');
  var again = document.createElement('button');
  again.type = 'button'; again.className = 'retry'; again.textContent = t.retry;
  again.addEventListener('click', function () { entry.li.removeChild(again); deliver(entry, 0); });
  entry.li.appendChild(again);
}
var ready;
function send(fields, label) {
  var id = newId();
  var entry = { id: id, text: label, body: { client_message_id: id }, li: bubble('customer', label) };
  Object.keys(fields).forEach(function (k) { entry.body[k] = fields[k]; });
  if (pendingReceipt) entry.body.receipt = pendingReceipt;
  entry.li.classList.add('pending');
  pending.push(entry);
  return ready.then(function () { return deliver(entry, 0); });
}
function submit() {
  var text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text: text }, text);
}
form.addEventListener('submit', function (e) { e.preventDefault(); submit(); });
input.addEventListener('keydown', function (e) {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); }
});
attach.addEventListener('click', function () { file.click(); });
file.addEventListener('change', function () {
  var f = file.files && file.files[0];
  file.value = '';
  if (!f) return;
  if (MAX_UPLOAD && f.size > MAX_UPLOAD) { showStatus(t.tooLarge); return; }
  var label = '[' + t.photo + '] ' + (f.name || '');
  var li = bubble('customer', label);
  li.classList.add('pending');
  ready.then(function () { return authed('POST', '/upload', f, 60000); }).then(function (up) {
    var id = newId();
    var entry = { id: id, text: label, li: li, body: { client_message_id: id, upload: up.upload } };
    if (pendingReceipt) entry.body.receipt = pendingReceipt;
    pending.push(entry);
    return deliver(entry, 0);
  }, function (err) {
    li.classList.add('failed');
    showStatus(err.status === 413 ? t.tooLarge : t.error);
  });
});
window.addEventListener('offline', function () { showStatus(t.offline); });
window.addEventListener('online', hideStatus);

function poll(failures) {
  var started = Date.now();
  var query = cursor ? '?after=' + encodeURIComponent(cursor) : '';
  authed('GET', '/messages' + query, undefined, 40000).then(function (data) {
    if (failures) hideStatus();
    data.messages.forEach(render);
    if (data.cursor) cursor = data.cursor;
    // An answer with nothing new that came back at once (the server would not wait): pace it.
    var quick = !data.messages.length && Date.now() - started < 1000;
    setTimeout(function () { poll(0); }, quick ? 3000 : 0);
  }, function () {
    trouble();
    setTimeout(function () { poll(failures + 1); }, backoff(failures));
  });
}
function connect(attempt) {
  return startSession().catch(function () {
    trouble();
    return sleep(backoff(attempt)).then(function () { return connect(attempt + 1); });
  });
}
ready = connect(0);
ready.then(function () { hideStatus(); poll(0); });
})();
`;
