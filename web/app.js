// noticelint's page: sends the draft to /api/check?detail=true and shows the report.
// Plain JavaScript, no libraries, nothing fetched from anywhere but this server.
"use strict";

const $ = (id) => document.getElementById(id);
const state = {
  rules: new Map(), // rule id -> {message, suggestion, ...}
  flagTexts: new Map(), // flag id -> {message, suggestion, ...}
  profiles: [],
  extraFacts: {}, // facts from a TOML file that have no field here (entity)
  report: null,
  seq: 0,
  controller: null,
  timer: null,
};
const DEBOUNCE_MS = 400;
const STATUS_WORDS = { affirmed: "involved", possible: "possibly involved", negated: "not involved", absent: "not addressed" };

init();

async function init() {
  try {
    const res = await fetch("/api/rules");
    const data = await res.json();
    for (const r of data.rules) state.rules.set(r.id, r);
    for (const f of data.flags) state.flagTexts.set(f.id, f);
    state.profiles = data.profiles;
    const select = $("profile");
    for (const p of data.profiles) {
      const o = document.createElement("option");
      o.value = p.name;
      o.textContent = `${p.name} (${p.law})`;
      select.append(o);
    }
    const box = $("dump_data_types");
    for (const t of data.data_types) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.value = t;
      input.name = "dump_data_types";
      label.append(input, " " + t);
      box.append(label);
    }
    setStatus("Ready. Paste a notice or open a file.");
  } catch (e) {
    setStatus("Could not load the rules: " + e);
  }
  $("text").addEventListener("input", schedule);
  for (const id of ["published", "leak_site", "listed_on", "notice_date", "profile"]) $(id).addEventListener("change", schedule);
  $("leak_site").addEventListener("input", schedule);
  $("dump_data_types").addEventListener("change", () => {
    updateDumpCount();
    schedule();
  });
  $("file").addEventListener("change", () => $("file").files[0] && checkFile($("file").files[0]));
  $("facts-file").addEventListener("change", () => $("facts-file").files[0] && loadFactsFile($("facts-file").files[0]));
  $("clear-facts").addEventListener("click", () => {
    fillFacts({});
    schedule();
  });
  $("download").addEventListener("click", download);
  for (const target of [$("text"), $("drop")]) {
    target.addEventListener("dragover", (e) => {
      e.preventDefault();
      $("drop").classList.add("over");
    });
    target.addEventListener("dragleave", () => $("drop").classList.remove("over"));
    target.addEventListener("drop", (e) => {
      e.preventDefault();
      $("drop").classList.remove("over");
      const file = e.dataTransfer && e.dataTransfer.files[0];
      if (file) checkFile(file);
    });
  }
}

function setStatus(text) {
  $("status").textContent = text;
}

function schedule() {
  clearTimeout(state.timer);
  state.timer = setTimeout(checkText, DEBOUNCE_MS);
}

/// The facts the form holds, as SPEC §4 JSON, or null when none are given.
function facts() {
  const f = { ...state.extraFacts };
  const published = $("published").value;
  if (published) f.published = published === "true";
  for (const id of ["leak_site", "listed_on", "notice_date"]) {
    const v = $(id).value.trim();
    if (v) f[id] = v;
  }
  const types = [...document.querySelectorAll("#dump_data_types input:checked")].map((i) => i.value);
  if (types.length) f.dump_data_types = types;
  return Object.keys(f).length ? f : null;
}

function fillFacts(f) {
  $("published").value = f.published === true ? "true" : f.published === false ? "false" : "";
  for (const id of ["leak_site", "listed_on", "notice_date"]) $(id).value = f[id] || "";
  const types = new Set(f.dump_data_types || []);
  for (const i of document.querySelectorAll("#dump_data_types input")) i.checked = types.has(i.value);
  state.extraFacts = f.entity ? { entity: f.entity } : {};
  $("facts-error").textContent = "";
  updateDumpCount();
}

function updateDumpCount() {
  const n = document.querySelectorAll("#dump_data_types input:checked").length;
  $("dump-count").textContent = n ? `(${n} chosen)` : "";
}

async function loadFactsFile(file) {
  const res = await fetch("/api/facts", { method: "POST", headers: { "content-type": "application/toml" }, body: await file.text() });
  const body = await res.json();
  if (!res.ok) {
    $("facts-error").textContent = body.error.message;
    return;
  }
  fillFacts(body);
  checkText();
}

async function checkText() {
  const text = $("text").value;
  if (!text.trim()) {
    setStatus("Paste a notice or open a file.");
    return;
  }
  const body = { text, profile: $("profile").value || null };
  const f = facts();
  if (f) body.facts = f;
  await send({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, "the text");
}

async function checkFile(file) {
  clearTimeout(state.timer); // a pending re-check of the old text would replace the file's report
  const form = new FormData();
  form.append("file", file, file.name);
  const f = facts();
  if (f) form.append("facts", JSON.stringify(f));
  if ($("profile").value) form.append("profile", $("profile").value);
  const shown = await send({ method: "POST", body: form }, file.name);
  if (shown) {
    // Further edits re-check the extracted text.
    $("text").value = shown.text;
    $("source").textContent = `Text extracted from ${file.name} (${shown.report.document.format}); edits re-check it as text.`;
  }
}

async function send(init, what) {
  const seq = ++state.seq;
  if (state.controller) state.controller.abort();
  state.controller = new AbortController();
  setStatus(`Checking ${what}…`);
  let res, body;
  try {
    res = await fetch("/api/check?detail=true", { ...init, signal: state.controller.signal });
    body = await res.json();
  } catch (e) {
    if (e.name !== "AbortError") setStatus("The server did not answer: " + e.message);
    return null;
  }
  if (seq !== state.seq) return null; // a newer check is on its way
  if (!res.ok) {
    $("error").textContent = `${body.error.message} (${res.status} ${body.error.kind})`;
    setStatus("Not checked.");
    return null;
  }
  $("error").textContent = "";
  render(body);
  const r = body.report;
  const errors = r.flags.filter((f) => f.severity === "error").length;
  setStatus(`Checked ${what}: ${errors} error${errors === 1 ? "" : "s"}, ${r.flags.length - errors} other flag${r.flags.length - errors === 1 ? "" : "s"}.`);
  return body;
}

function render(body) {
  state.report = body.report;
  $("download").disabled = false;
  renderFlags(body.report);
  renderAnnotated(body.text, body.report);
  renderChecklist(body.checklist, body.report);
  renderDisclosures(body.report);
  renderMetrics(body.report.metrics);
}

const SEVERITY_ORDER = { error: 0, warning: 1, suggestion: 2, info: 3 };

function renderFlags(report) {
  const list = $("flags");
  list.replaceChildren();
  const flags = [...report.flags].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9));
  if (!flags.length) {
    list.append(el("li", { class: "none" }, "No flags."));
    return;
  }
  for (const f of flags) {
    const text = state.flagTexts.get(f.id) || {};
    const li = el("li", { class: `flag sev-${f.severity}`, "data-flag": f.id });
    li.append(el("span", { class: "badge" }, f.severity), " ", el("code", {}, f.id + (f.element ? ` (${f.element})` : "")));
    li.append(el("p", {}, f.message));
    if (text.suggestion) li.append(el("p", { class: "suggestion" }, "Suggestion: " + text.suggestion));
    if (f.evidence.length) {
      const b = el("button", { type: "button", class: "link" }, "show in the notice");
      b.addEventListener("click", () => focusSpan(f.evidence[0].start));
      li.append(b);
    }
    list.append(li);
  }
}

/// Highlights: every data type, hedge and disclosure span, nested where one holds another.
function renderAnnotated(text, report) {
  const spans = [];
  for (const t of report.data_types) {
    for (const e of t.evidence) {
      spans.push({ start: e.start, end: e.end, kind: "data", status: t.status, what: `data type ${t.id}: ${STATUS_WORDS[t.status]}`, rule: e.rule });
    }
  }
  for (const h of report.hedges) spans.push({ start: h.start, end: h.end, kind: "hedge", what: `hedge: ${h.category.replaceAll("_", " ")}`, rule: h.rule });
  for (const [id, d] of Object.entries(report.disclosures)) {
    for (const e of d.evidence) {
      spans.push({ start: e.start, end: e.end, kind: "disclosure", status: d.status, what: `disclosure ${id}: ${STATUS_WORDS[d.status]}`, rule: e.rule });
    }
  }
  for (const s of spans) {
    s.flags = report.flags.filter((f) => f.evidence.some((e) => e.start < s.end && s.start < e.end));
  }
  const index = byteIndex(text);
  for (const s of spans) {
    s.from = index(s.start);
    s.to = index(s.end);
  }
  spans.sort((a, b) => a.from - b.from || b.to - a.to);
  const box = $("annotated");
  box.replaceChildren();
  nest(box, text, 0, text.length, spans);
  $("detail").textContent = "";
}

function nest(parent, text, from, to, spans) {
  let pos = from;
  let i = 0;
  while (i < spans.length) {
    const s = { ...spans[i] };
    s.from = Math.max(s.from, pos);
    let j = i + 1;
    if (s.to <= s.from) {
      i = j;
      continue;
    }
    const inner = [];
    while (j < spans.length && spans[j].from < s.to) inner.push({ ...spans[j], to: Math.min(spans[j].to, s.to) }), j++;
    parent.append(text.slice(pos, s.from));
    const m = mark(s);
    nest(m, text, s.from, s.to, inner);
    parent.append(m);
    pos = s.to;
    i = j;
  }
  parent.append(text.slice(pos, to));
}

function mark(s) {
  const classes = [`k-${s.kind}`];
  if (s.status) classes.push(`s-${s.status}`);
  if (s.flags.some((f) => f.severity === "error")) classes.push("flagged");
  const lines = [s.what, `rule ${s.rule || "?"}`];
  const rule = state.rules.get(s.rule);
  if (rule && rule.message) lines.push(rule.message);
  if (rule && rule.suggestion) lines.push("Suggestion: " + rule.suggestion);
  for (const f of s.flags) lines.push(`Flag ${f.id} (${f.severity}): ${f.message}`);
  const m = el("mark", { class: classes.join(" "), tabindex: "0", title: lines.join("\n"), "data-start": String(s.from), "data-rule": s.rule || "" });
  const show = (e) => {
    e.stopPropagation();
    showDetail(lines);
  };
  m.addEventListener("click", show);
  m.addEventListener("focus", show);
  m.addEventListener("keydown", (e) => e.key === "Enter" && show(e));
  return m;
}

function showDetail(lines) {
  const d = $("detail");
  d.replaceChildren(el("strong", {}, lines[0]), " ", el("code", {}, lines[1]));
  for (const l of lines.slice(2)) d.append(el("p", {}, l));
}

function focusSpan(byteStart) {
  const index = byteIndex($("text").value);
  const from = index(byteStart);
  const marks = [...document.querySelectorAll("#annotated mark")];
  const m = marks.find((x) => Number(x.dataset.start) >= from) || marks[0];
  if (m) {
    m.scrollIntoView({ block: "center" });
    m.focus();
  }
}

function renderChecklist(checklist, report) {
  const list = $("checklist");
  list.replaceChildren();
  if (!checklist.length) {
    list.append(el("li", { class: "note" }, "Choose a profile to check the elements a law requires. Elements found:"));
    for (const [id, e] of Object.entries(report.elements)) {
      const value = e.value ? ` (${e.value}${e.end ? " to " + e.end : ""})` : "";
      list.append(item(e.present ? "met" : "missing", id.replaceAll("_", " ") + value));
    }
    return;
  }
  for (const c of checklist) {
    const label = c.forbidden ? `must not: ${c.label}` : c.label;
    list.append(item(c.state, label));
  }
}

function item(stateName, label) {
  const symbol = { met: "✓", missing: "✗", forbidden: "✗", not_applicable: "–" }[stateName] || "?";
  const words = { met: "present", missing: "missing", forbidden: "present but must not be", not_applicable: "does not apply" }[stateName];
  const li = el("li", { class: `st-${stateName}` }, el("span", { class: "sym", "aria-hidden": "true" }, symbol), " " + label);
  li.append(el("span", { class: "sr" }, ` (${words})`));
  return li;
}

function renderDisclosures(report) {
  const dl = $("disclosures");
  dl.replaceChildren();
  for (const [id, d] of Object.entries(report.disclosures)) {
    dl.append(el("dt", {}, id.replaceAll("_", " ")), el("dd", { class: `s-${d.status}` }, STATUS_WORDS[d.status]));
  }
}

function renderMetrics(m) {
  const dl = $("metrics");
  const ease = m.flesch_reading_ease;
  const judged = ease >= 60 ? "plain" : ease >= 50 ? "fairly difficult" : ease >= 30 ? "difficult" : "very difficult";
  dl.replaceChildren(
    el("dt", {}, "words"), el("dd", {}, String(m.words)),
    el("dt", {}, "sentences"), el("dd", {}, String(m.sentences)),
    el("dt", {}, "grade (Flesch-Kincaid)"), el("dd", {}, m.fk_grade.toFixed(1)),
    el("dt", {}, "reading ease (Flesch)"), el("dd", {}, `${ease.toFixed(0)} — ${judged}`),
  );
}

function download() {
  if (!state.report) return;
  const blob = new Blob([JSON.stringify(state.report, null, 2) + "\n"], { type: "application/json" });
  const a = el("a", { href: URL.createObjectURL(blob), download: `${state.report.document.id}.report.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/// Maps byte offsets of the UTF-8 text (what reports give) to JavaScript string indices.
function byteIndex(text) {
  const starts = []; // starts[i] = byte offset of code unit i
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    starts.push(bytes);
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 4;
      starts.push(bytes); // the low surrogate
      i++;
    } else bytes += 3;
  }
  starts.push(bytes);
  return (b) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] < b) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}
