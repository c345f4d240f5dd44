// Goftogu Mini App: the discussion of one story. Every user or feed text goes in with textContent.
const POLL_MS = 4000;
const tg = window.Telegram && window.Telegram.WebApp;
const launch = new URLSearchParams(location.hash.slice(1));
const initData = (tg && tg.initData) || launch.get("tgWebAppData") || "";
const initFields = new URLSearchParams(initData);
const startParam = (tg && tg.initDataUnsafe && tg.initDataUnsafe.start_param)
  || launch.get("tgWebAppStartParam") || initFields.get("start_param") || new URLSearchParams(location.search).get("story") || "";
let tgUser = {};
try { tgUser = JSON.parse(initFields.get("user") || "{}"); } catch { tgUser = {}; }

const state = { sort: "new", cursor: null, listing: 0, loading: null, done: false, latest: 0, total: 0,
  me: null, replyTo: null, lang: "fa", s: {}, story: null, nodes: new Map(), selected: new Set() };
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// `count`: the number the text is about; a catalog's `_one` form is for exactly one (as the bot's own texts).
function str(key, params = {}, count = null) {
  const template = (count === 1 && state.s[key + "_one"]) || state.s[key] || key;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : ""));
}

// Intl formatters are costly to build: one of each per page, not one per comment.
const formatters = {};
function formatter(kind) {
  if (!formatters[kind]) {
    formatters[kind] = kind === "number"
      ? new Intl.NumberFormat(state.lang === "fa" ? "fa-IR" : "en-US")
      : new Intl.RelativeTimeFormat(state.lang === "fa" ? "fa" : "en", { numeric: "auto" });
  }
  return formatters[kind];
}

function num(n) {
  return formatter("number").format(n);
}

function ago(seconds) {
  const rtf = formatter("relative");
  const delta = seconds - Date.now() / 1000;
  const steps = [[60, "second"], [3600, "minute"], [86400, "hour"], [604800, "day"], [2629800, "week"], [31557600, "month"]];
  let unit = "year", size = 31557600;
  for (let i = 0; i < steps.length; i++) {
    if (Math.abs(delta) < steps[i][0]) { unit = steps[i][1]; size = i ? steps[i - 1][0] : 1; break; }
  }
  return rtf.format(Math.round(delta / size), unit);
}

function toast(message) {
  const box = $("toast");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 3500);
}

async function api(path, body) {
  const options = { headers: { Authorization: "tma " + initData } };
  if (body !== undefined) {
    options.method = "POST";
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path + (path.includes("?") ? "&" : "?") + "lang=" + state.lang, options);
  } catch {
    throw new Error(str("offline")); // offline, or the bot restarting: the browser's own message is English jargon
  }
  let data = {};
  try { data = await response.json(); } catch { data = {}; }
  if (!response.ok) throw new Error(data.error || str("error"));
  return data;
}

function luminance(hex) {
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function applyTheme() {
  let theme = (tg && tg.themeParams) || null;
  if (!theme) { try { theme = JSON.parse(launch.get("tgWebAppThemeParams") || "null"); } catch { theme = null; } }
  if (!theme) return;
  document.documentElement.classList.add("tg");
  // The browser's own parts (caret, scroll bars, check boxes) follow a dark theme too.
  const bg = /^#([0-9a-fA-F]{6})$/.exec(theme.bg_color || "");
  if (bg) document.documentElement.style.colorScheme = luminance(bg[1]) < 0.4 ? "dark" : "light";
  for (const [key, value] of Object.entries(theme)) {
    if (/^#[0-9a-fA-F]{3,8}$/.test(value)) document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
  }
}

// ----- the thread ------------------------------------------------------------------------------------------
function renderComment(node) {
  const item = el("li", { class: "comment" + (node.mine ? " mine" : "") + (node.deleted ? " deleted" : ""), id: "c" + node.id });
  state.nodes.set(node.id, node);
  const parent = state.nodes.get(node.parent_id);
  const head = el("div", { class: "head" },
    el("span", { class: "author", dir: "auto", text: node.deleted ? "" : node.author }),
    parent ? el("span", { class: "reply-to", dir: "auto", text: "↩ " + (parent.deleted ? parent.ref : parent.author) }) : null,
    node.mine ? el("span", { class: "mine-badge", text: str("mine") }) : null,
    el("span", { class: "ref", text: node.ref }),
    el("span", { class: "when", text: ago(node.created_at) + (node.edited ? " · " + str("edited") : "") }));
  // dir=auto: each comment and name takes its own direction (a Latin comment reads left to right).
  const text = el("p", { class: "text", dir: "auto", text: node.hidden ? str("hidden") : node.deleted ? str("deleted") : node.text });
  const bubble = el("div", { class: "bubble" }, head, text);
  if (!node.deleted) bubble.append(actions(node, item));
  item.append(bubble);
  const replies = el("ol", { class: "replies" });
  for (const child of node.replies || []) replies.append(renderComment(child));
  item.append(replies);
  if (node.more_replies > 0) item.append(moreButton(node, replies));
  return item;
}

function moreButton(node, list) {
  const button = el("button", { type: "button", class: "more", text: str("more_replies", { n: num(node.more_replies) }, node.more_replies) });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const last = (node.replies || []).at(-1);
      const data = await api(`/api/comments/${node.id}/replies` + (last && !button.dataset.cursor ? `?cursor=${last.created_at}.${last.id}` : button.dataset.cursor ? `?cursor=${button.dataset.cursor}` : ""));
      for (const child of data.comments) if (!document.getElementById("c" + child.id)) list.append(renderComment(child));
      if (data.next) { button.dataset.cursor = data.next; button.disabled = false; } else button.remove();
    } catch (error) { toast(error.message); button.disabled = false; }
  });
  return button;
}

function actions(node, item) {
  const bar = el("div", { class: "actions" });
  const up = el("button", { type: "button", class: node.my_vote === 1 ? "voted" : "", "aria-label": str("vote_up"), text: "👍 " + num(node.up) });
  const down = el("button", { type: "button", class: node.my_vote === -1 ? "voted" : "", "aria-label": str("vote_down"), text: "👎 " + num(node.down) });
  const vote = async (value) => {
    try {
      const result = await api(`/api/comments/${node.id}/vote`, { value });
      Object.assign(node, result);
      up.textContent = "👍 " + num(result.up); down.textContent = "👎 " + num(result.down);
      up.className = result.my_vote === 1 ? "voted" : ""; down.className = result.my_vote === -1 ? "voted" : "";
    } catch (error) { toast(error.message); }
  };
  up.addEventListener("click", () => vote(1));
  down.addEventListener("click", () => vote(-1));
  bar.append(up, down);
  if (!state.story.locked) bar.append(el("button", { type: "button", text: "↩️ " + str("reply"), onclick: () => startReply(node) }));
  if (node.mine) {
    bar.append(el("button", { type: "button", text: "✏️ " + str("edit"), onclick: () => startEdit(node, item) }));
    bar.append(el("button", { type: "button", text: "🗑 " + str("delete"), onclick: () => remove(node, item) }));
  } else {
    bar.append(el("button", { type: "button", text: "🚩 " + str("report"), onclick: () => report(node) }));
  }
  if (state.me.moderator && !node.mine) {
    const mod = el("span", { class: "modbar" });
    for (const action of ["hide", "delete", "mute", "ban"]) {
      mod.append(el("button", { type: "button", "data-mod": action, text: str("mod_" + action), onclick: () => moderate(node, item, action) }));
    }
    bar.append(mod);
  }
  return bar;
}

function startReply(node) {
  state.replyTo = node;
  $("replying").hidden = false;
  $("replying-text").textContent = str("replying_to", { name: node.author, ref: node.ref });
  $("text").focus();
  syncBackButton();
}

function stopReply() {
  state.replyTo = null;
  $("replying").hidden = true;
  syncBackButton();
}

// Telegram's back button undoes what the reader opened: a moderator's tab, then a reply; with nothing open,
// Telegram shows its own close button.
function currentTab() {
  return document.querySelector("[data-tab].active").dataset.tab;
}

function syncBackButton() {
  if (!tg || !tg.BackButton) return;
  if (currentTab() !== "thread" || state.replyTo) tg.BackButton.show(); else tg.BackButton.hide();
}

function goBack() {
  if (currentTab() !== "thread") showTab("thread");
  else if (state.replyTo) stopReply();
}

// With text in the box, closing the app (a swipe down, Android's back) asks first instead of losing it; and
// the text is kept on the device, for the clients where Telegram closes without asking.
function guardTypedText() {
  const typed = $("text").value.trim() !== "";
  try {
    if (typed) localStorage.setItem(draftKey(), $("text").value); else localStorage.removeItem(draftKey());
  } catch { /* storage refused (private mode): the confirmation still guards */ }
  if (!tg || !tg.enableClosingConfirmation) return;
  if (typed) tg.enableClosingConfirmation(); else tg.disableClosingConfirmation();
}

function draftKey() {
  return `draft:${tgUser.id || 0}:${startParam}`;
}

function restoreDraft() {
  try { $("text").value = localStorage.getItem(draftKey()) || ""; } catch { return; }
  guardTypedText();
}

function startEdit(node, item) {
  const text = item.querySelector(":scope > .bubble > .text");
  const box = el("textarea", { class: "edit-box", rows: 3, dir: "auto" });
  box.value = node.text;
  const save = el("button", { type: "button", class: "primary", text: str("save") });
  const cancel = el("button", { type: "button", text: str("cancel") });
  const editor = el("div", { class: "editor" }, box, save, cancel);
  text.replaceWith(editor);
  cancel.addEventListener("click", () => editor.replaceWith(text));
  save.addEventListener("click", async () => {
    try {
      const result = await api(`/api/comments/${node.id}/edit`, { text: box.value });
      Object.assign(node, { text: result.comment.text, edited: true });
      text.textContent = result.comment.text;
      editor.replaceWith(text);
    } catch (error) { toast(error.message); }
  });
}

// Telegram's own dialog inside Telegram (6.2 and later), the browser's elsewhere.
function ask(message) {
  if (tg && tg.showConfirm && tg.isVersionAtLeast && tg.isVersionAtLeast("6.2")) {
    return new Promise((resolve) => tg.showConfirm(message, (yes) => resolve(Boolean(yes))));
  }
  return Promise.resolve(confirm(message));
}

async function remove(node, item) {
  if (!(await ask(str("delete_confirm")))) return;
  try {
    await api(`/api/comments/${node.id}/delete`, {});
    node.deleted = true;
    item.replaceWith(renderComment({ ...node, deleted: true, replies: [], more_replies: 0 }));
    const replies = item.querySelector(":scope > ol.replies");
    if (replies) document.getElementById("c" + node.id).querySelector(":scope > ol.replies").replaceWith(replies);
    setCount(state.total - 1);
  } catch (error) { toast(error.message); }
}

async function report(node) {
  if (!(await ask(str("report_confirm")))) return; // a report can hide the comment: not on a stray tap
  try { toast((await api(`/api/comments/${node.id}/report`, {})).message); } catch (error) { toast(error.message); }
}

async function moderate(node, item, action) {
  if (!(await ask(str("mod_confirm_" + action, { name: node.author, ref: node.ref })))) return;
  try {
    await api(`/api/comments/${node.id}/moderate`, { action });
    toast(str("mod_done_" + action, { name: node.author, ref: node.ref }));
    if (action === "hide" || action === "delete") {
      item.querySelector(":scope > .bubble > .text").textContent = str(action === "hide" ? "hidden" : "deleted");
      item.classList.add("deleted");
    }
  } catch (error) { toast(error.message); }
}

function setCount(total) {
  state.total = Math.max(0, total);
  $("count").textContent = str("count", { n: num(state.total) }, state.total);
}

// `listing` counts the lists shown (one per order chosen): a page that arrives for an earlier list is dropped.
async function loadPage() {
  const listing = state.listing;
  if (state.loading === listing || state.done) return;
  state.loading = listing;
  try {
    const query = `?sort=${state.sort}` + (state.cursor ? `&cursor=${state.cursor}` : "");
    const data = await api(`/api/story/${encodeURIComponent(startParam)}${query}`);
    if (listing !== state.listing) return;
    if (!state.story) { performance.mark("first-data"); showStory(data); }
    const list = $("comments");
    const fragment = document.createDocumentFragment();
    for (const node of data.comments) fragment.append(renderComment(node));
    list.append(fragment);
    if (!data.comments.length && !state.cursor) list.append(el("li", { class: "status", id: "empty", text: str("empty") }));
    state.cursor = data.next;
    state.done = !data.next;
    state.latest = Math.max(state.latest, data.latest_id);
    setCount(data.total);
  } catch (error) {
    if (listing === state.listing) $("status").textContent = error.message;
  } finally {
    if (state.loading === listing) state.loading = null;
  }
}

function showStory(data) {
  state.story = data.story;
  state.me = data.me;
  $("status").textContent = "";
  $("thread").hidden = false;
  $("story-title").textContent = data.story.title;
  // The story keeps its own direction on a page in the other language; the source is isolated in the byline.
  const source = data.story.source ? [el("bdi", { text: data.story.source }), " · "] : [];
  $("story-meta").replaceChildren(...source, data.story.date);
  $("story-summary").textContent = data.story.summary;
  const link = $("story-link");
  if (/^https?:\/\//.test(data.story.url)) { link.href = data.story.url; link.textContent = str("read_more"); } else link.hidden = true;
  if (data.story.locked) { $("status").textContent = str("locked"); } else { $("composer").hidden = false; }
  if (data.me.moderator) { $("bar").hidden = false; $("tabs").hidden = false; }
}

async function resort(sort) {
  state.sort = sort;
  state.listing += 1;
  state.cursor = null;
  state.done = false;
  $("comments").replaceChildren();
  for (const chip of document.querySelectorAll("[data-sort]")) chip.classList.toggle("active", chip.dataset.sort === sort);
  await loadPage();
}

function place(node) {
  if (document.getElementById("c" + node.id)) return;
  const item = renderComment(node);
  item.classList.add("new");
  $("empty")?.remove();
  if (node.parent_id) {
    const parent = document.getElementById("c" + node.parent_id);
    if (parent) parent.querySelector(":scope > ol.replies").append(item);
  } else if (state.sort === "new") {
    $("comments").prepend(item);
  }
}

async function poll() {
  if (document.hidden || !state.story) return;
  try {
    const data = await api(`/api/story/${encodeURIComponent(startParam)}/since/${state.latest}`);
    for (const node of data.comments) place(node);
    state.latest = Math.max(state.latest, data.latest_id);
    setCount(data.total);
  } catch { /* the next poll tries again */ }
}

async function send(event) {
  event.preventDefault();
  const text = $("text").value.trim();
  if (!text || $("send").disabled) return; // one comment at a time, however often Ctrl+Enter is pressed
  $("send").disabled = true;
  try {
    const body = { text, anonymous: $("anonymous").checked, parent_id: state.replyTo ? state.replyTo.id : null };
    const result = await api(`/api/story/${encodeURIComponent(startParam)}/comments`, body);
    $("text").value = "";
    guardTypedText();
    stopReply();
    if (result.held) toast(result.message);
    else { place(result.comment); state.latest = Math.max(state.latest, result.comment.id); setCount(state.total + 1); }
  } catch (error) { toast(error.message); } finally { $("send").disabled = false; }
}

// ----- moderators: the queue and the statistics --------------------------------------------------------------
async function loadQueue() {
  const data = await api("/api/queue");
  $("queue-count").textContent = str("queue_count", { n: num(data.total) });
  state.selected.clear();
  const list = $("queue-items");
  list.replaceChildren();
  if (!data.items.length) list.append(el("li", { class: "status", text: str("queue_empty") }));
  for (const item of data.items) {
    const box = el("input", { type: "checkbox", "data-id": String(item.id) });
    box.addEventListener("change", () => { if (box.checked) state.selected.add(item.id); else state.selected.delete(item.id); });
    list.append(el("li", { id: "q" + item.id },
      el("label", { class: "head" }, box, el("span", { class: "author", text: item.author }), el("span", { class: "ref", text: item.ref }),
        el("span", { class: "when", text: item.reason })),
      item.story ? el("div", { class: "context", text: str("on_story", { title: item.story.title }) }) : null,
      item.parent ? el("div", { class: "context", text: str("in_reply_to", { name: item.parent.author, ref: item.parent.ref }) + " " + item.parent.text }) : null,
      el("p", { class: "text", text: item.text }),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "primary", text: str("approve"), onclick: () => review([item.id], []) }),
        el("button", { type: "button", text: str("reject"), onclick: () => review([], [item.id]) }))));
  }
}

async function review(approve, reject) {
  if (!approve.length && !reject.length) { toast(str("select_first")); return; }
  try {
    const done = await api("/api/queue", { approve, reject, reason: "" });
    toast(str("reviewed", { approved: num(done.approved.length), rejected: num(done.rejected.length) }));
    await loadQueue();
  } catch (error) { toast(error.message); }
}

function barChart(title, series) {
  const width = 360, height = 140, pad = 18;
  const max = Math.max(1, ...series.map((p) => p.n));
  const svgNS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", title);
  const step = (width - 2 * pad) / series.length;
  series.forEach((point, i) => {
    const h = ((height - 2 * pad) * point.n) / max;
    // Right to left: the newest bucket stands at the left end in Persian, at the right end in English.
    const x = state.lang === "fa" ? width - pad - (i + 1) * step : pad + i * step;
    const bar = document.createElementNS(svgNS, "rect");
    bar.setAttribute("class", "bar");
    bar.setAttribute("x", x + 1); bar.setAttribute("y", height - pad - h);
    bar.setAttribute("width", Math.max(1, step - 2)); bar.setAttribute("height", h);
    const tip = document.createElementNS(svgNS, "title");
    tip.textContent = `${point.label}: ${num(point.n)}`;
    bar.append(tip);
    svg.append(bar);
    if (i % Math.ceil(series.length / 6) === 0) {
      const label = document.createElementNS(svgNS, "text");
      label.setAttribute("class", "axis"); label.setAttribute("x", x + step / 2); label.setAttribute("y", height - 4);
      label.setAttribute("text-anchor", "middle");
      label.textContent = point.label;
      svg.append(label);
    }
  });
  const top = document.createElementNS(svgNS, "text");
  top.setAttribute("class", "value"); top.setAttribute("x", state.lang === "fa" ? width - 2 : 2); top.setAttribute("y", 10);
  top.setAttribute("text-anchor", state.lang === "fa" ? "end" : "start");
  top.textContent = num(max);
  svg.append(top);
  return el("figure", { class: "chart" }, el("h2", { text: title }), svg);
}

function table(title, rows, label) {
  const body = el("tbody");
  for (const row of rows) body.append(el("tr", {}, el("td", { text: label(row) }), el("td", { class: "n", text: num(row.comments) })));
  return el("div", { class: "chart" }, el("h2", { text: title }), el("table", { class: "top" }, body));
}

async function loadStats() {
  const data = await api("/api/stats?story=" + encodeURIComponent(startParam));
  const charts = $("charts");
  charts.replaceChildren(
    el("div", { class: "figures" },
      el("div", { class: "figure" }, el("b", { text: num(data.held) }), el("span", { text: str("held_week") })),
      el("div", { class: "figure" }, el("b", { text: num(data.rejected) }), el("span", { text: str("rejected_week") }))),
    data.per_hour ? barChart(str("chart_story_hours"), data.per_hour) : null,
    barChart(str("chart_channel_days"), data.per_day),
    table(str("top_stories"), data.top_stories, (row) => row.title),
    table(str("top_commenters"), data.top_commenters, (row) => row.name));
}

function showTab(name) {
  for (const tab of document.querySelectorAll("[data-tab]")) tab.classList.toggle("active", tab.dataset.tab === name);
  for (const section of ["thread", "queue", "stats"]) $(section).hidden = section !== name;
  $("composer").hidden = name !== "thread" || !state.story || state.story.locked;
  syncBackButton();
  const load = name === "queue" ? loadQueue : name === "stats" ? loadStats : null;
  if (load) load().catch((error) => toast(error.message));
}

// The page's language: Telegram's at first, then the one the bot speaks to this reader (chosen with /language).
async function useLanguage(lang) {
  state.lang = lang;
  for (const kind of Object.keys(formatters)) delete formatters[kind];
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "fa" ? "rtl" : "ltr";
  const strings = await fetch("/api/strings?lang=" + lang).then((r) => r.json());
  state.s = strings.strings;
  document.title = str("title");
  for (const [selector, key] of [["[data-sort=new]", "sort_new"], ["[data-sort=top]", "sort_top"], ["[data-tab=thread]", "tab_thread"],
    ["[data-tab=queue]", "tab_queue"], ["[data-tab=stats]", "tab_stats"], ["#send", "send"], ["#anonymous-label", "anonymous"],
    ["#approve-selected", "approve_selected"], ["#reject-selected", "reject_selected"]]) {
    document.querySelector(selector).textContent = str(key);
  }
  $("text").placeholder = str("placeholder");
}

async function main() {
  applyTheme();
  const code = (tgUser.language_code || navigator.language || "fa").slice(0, 2);
  await useLanguage(code === "en" ? "en" : "fa");
  if (tg) {
    tg.ready(); tg.expand();
    if (tg.onEvent) tg.onEvent("themeChanged", applyTheme);
    if (tg.BackButton) tg.BackButton.onClick(goBack);
  }
  if (!initData) { $("status").textContent = str("open_in_telegram"); return; }
  for (const chip of document.querySelectorAll("[data-sort]")) chip.addEventListener("click", () => resort(chip.dataset.sort));
  for (const tab of document.querySelectorAll("[data-tab]")) tab.addEventListener("click", () => showTab(tab.dataset.tab));
  $("composer").addEventListener("submit", send);
  $("replying-cancel").addEventListener("click", stopReply);
  $("text").addEventListener("input", guardTypedText);
  $("text").addEventListener("keydown", (event) => {  // Enter is a new line; Ctrl+Enter (⌘+Enter) sends
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); $("composer").requestSubmit(); }
  });
  restoreDraft();
  $("approve-selected").addEventListener("click", () => review([...state.selected], []));
  $("reject-selected").addEventListener("click", () => review([], [...state.selected]));
  await loadPage();
  if (state.me && state.me.lang !== state.lang) {
    await useLanguage(state.me.lang);
    state.story = null;
    await resort(state.sort);
  }
  performance.mark("first-screen");
  new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) loadPage(); }).observe($("sentinel"));
  setInterval(poll, POLL_MS);
  document.body.dataset.ready = "1";
}

main();
