// The customer simulator page: plain DOM, no build step. Every text goes in with textContent,
// never parsed as markup: a message may contain HTML or script and must show as text.
'use strict';

(function () {
  const API = '/simulator/api';
  const POLL_MS = 1000;
  const CHANNEL_NAMES = {
    sms: 'SMS',
    whatsapp: 'WhatsApp',
    telegram: 'Telegram',
    email: 'Email',
    inapp: 'In-app',
  };

  const el = (id) => document.getElementById(id);
  const personaSelect = el('persona');
  const channelSelect = el('channel');
  const textInput = el('text');
  const subjectInput = el('subject');
  const sendButton = el('send');
  const shareButton = el('share-contact');
  const statusLine = el('status');
  const inboxList = el('inbox');
  const problemsList = el('problems');

  let personas = [];
  let channels = [];
  /** Inbox entries shown, by channel + id: updated in place, never re-created (stable for tests). */
  let shown = new Map();
  let pollTimer = null;
  let polling = false;

  async function call(path, init) {
    const res = await fetch(API + path, init);
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const err = body && body.error ? body.error : { code: 'HTTP.' + res.status, message: '' };
      throw Object.assign(new Error(err.message || err.code), { code: err.code });
    }
    return body;
  }

  function currentPersona() {
    return personas.find((p) => p.id === personaSelect.value) || null;
  }

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle('error', Boolean(isError));
  }

  function showAddress() {
    const p = currentPersona();
    const ch = channelSelect.value;
    const state = channels.find((c) => c.channel === ch);
    let text = '';
    if (p) {
      const address = p.addresses[ch];
      text = address ? CHANNEL_NAMES[ch] + ': ' + address : 'no ' + CHANNEL_NAMES[ch] + ' address';
    }
    if (state && !state.configured)
      text += ' (not configured: set ' + state.missing.join(', ') + ')';
    el('address').textContent = text;
    el('subject-row').hidden = ch !== 'email';
    shareButton.hidden = ch !== 'telegram';
  }

  function clearInbox() {
    shown = new Map();
    inboxList.replaceChildren();
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.dataset.placeholder = 'true';
    empty.textContent = 'Nothing received yet.';
    inboxList.append(empty);
  }

  function entryNode(m) {
    const li = document.createElement('li');
    li.setAttribute('data-testid', 'inbox-message');
    li.dataset.channel = m.channel;
    li.dataset.messageId = m.id;
    const meta = document.createElement('div');
    meta.className = 'meta';
    const channel = document.createElement('span');
    channel.className = 'channel';
    channel.textContent = CHANNEL_NAMES[m.channel] || m.channel;
    const time = document.createElement('time');
    time.dateTime = m.at;
    time.textContent = new Date(m.at).toLocaleTimeString();
    const status = document.createElement('span');
    status.className = 'msg-status';
    status.setAttribute('data-testid', 'inbox-message-status');
    meta.append(channel, time, status);
    li.append(meta);
    if (m.subject) {
      const subject = document.createElement('strong');
      subject.className = 'subject';
      subject.textContent = m.subject;
      li.append(subject);
    }
    const text = document.createElement('p');
    text.className = 'text';
    text.setAttribute('data-testid', 'inbox-message-text');
    text.textContent = m.text;
    li.append(text);
    return li;
  }

  function render(inbox) {
    if (inbox.messages.length > 0) {
      const placeholder = inboxList.querySelector('[data-placeholder]');
      if (placeholder) placeholder.remove();
    }
    for (const m of inbox.messages) {
      const key = m.channel + ':' + m.id;
      let li = shown.get(key);
      if (!li) {
        li = entryNode(m);
        shown.set(key, li);
        inboxList.append(li);
      }
      li.dataset.status = m.status;
      li.querySelector('.msg-status').textContent = m.status;
    }
    problemsList.replaceChildren(
      ...inbox.problems.map((p) => {
        const li = document.createElement('li');
        li.textContent = (CHANNEL_NAMES[p.channel] || p.channel) + ': ' + p.problem;
        return li;
      }),
    );
  }

  async function poll() {
    const p = currentPersona();
    if (!p || polling) return;
    polling = true;
    try {
      const inbox = await call('/inbox?persona=' + encodeURIComponent(p.id));
      // The persona may have changed while the request was out.
      if (currentPersona() === p) render(inbox);
    } catch (e) {
      problemsList.replaceChildren();
      const li = document.createElement('li');
      li.textContent = 'inbox: ' + e.message;
      problemsList.append(li);
    } finally {
      polling = false;
    }
  }

  async function send(extra) {
    const p = currentPersona();
    if (!p) return;
    const channel = channelSelect.value;
    const body = Object.assign({ channel, persona: p.id }, extra);
    if (!extra.shareContact) {
      body.text = textInput.value;
      if (channel === 'email' && subjectInput.value.trim()) body.subject = subjectInput.value;
    }
    sendButton.disabled = true;
    shareButton.disabled = true;
    setStatus('Sending…', false);
    try {
      const r = await call('/send', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      setStatus('Sent on ' + CHANNEL_NAMES[r.channel] + ' via ' + r.via + '.', false);
      if (!extra.shareContact) textInput.value = '';
    } catch (e) {
      setStatus('Not sent: ' + e.message + (e.code ? ' (' + e.code + ')' : ''), true);
    } finally {
      sendButton.disabled = false;
      shareButton.disabled = false;
    }
  }

  async function start() {
    try {
      const r = await call('/personas');
      personas = r.personas;
      channels = r.channels;
    } catch (e) {
      setStatus('Cannot load the customers: ' + e.message, true);
      return;
    }
    for (const p of personas) {
      const option = document.createElement('option');
      option.value = p.id;
      option.textContent = p.name + ' (' + p.id + ')';
      personaSelect.append(option);
    }
    for (const option of channelSelect.options) {
      const state = channels.find((c) => c.channel === option.value);
      if (state && !state.configured) option.textContent += ' (not configured)';
    }
    personaSelect.addEventListener('change', () => {
      clearInbox();
      showAddress();
      void poll();
    });
    channelSelect.addEventListener('change', showAddress);
    sendButton.addEventListener('click', () => void send({}));
    shareButton.addEventListener('click', () => void send({ shareContact: true }));
    textInput.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) void send({});
    });
    clearInbox();
    showAddress();
    document.body.dataset.ready = 'true';
    void poll();
    pollTimer = setInterval(() => void poll(), POLL_MS);
  }

  window.addEventListener('pagehide', () => clearInterval(pollTimer));
  void start();
})();
