// The live dashboard: draws the view the worker pushes (server-sent events), and one story's path on demand.
"use strict";
const KINDS = ["new", "update", "correction", "kill", "duplicate", "rejected"];
const COLOURS = { new: "#1f9d6b", update: "#3b6fd8", correction: "#7a5bd6", kill: "#c43d3d",
                  duplicate: "#9aa1ad", rejected: "#c98a12" };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node[k] = v; else node.setAttribute(k, v);
  }
  for (const child of children) if (child != null) node.append(child.nodeType ? child : String(child));
  return node;
}
const clock = (ms) => new Date(ms).toISOString().slice(11, 19);
const svgEl = (tag, attrs) => {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

function bars(svg, minutes, series) {
  // series: [{colour, value(minute)}] stacked per minute
  svg.replaceChildren();
  const W = Math.max(300, svg.clientWidth || 600), H = 140, pad = 24, n = minutes.length || 1, w = (W - pad) / n;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const top = Math.max(1, ...minutes.map((m) => series.reduce((s, x) => s + x.value(m), 0)));
  svg.append(svgEl("text", { x: 0, y: 10 }));
  svg.lastChild.textContent = String(top);
  minutes.forEach((m, i) => {
    let y = H - 12;
    for (const s of series) {
      const h = ((H - 24) * s.value(m)) / top;
      if (h > 0) {
        svg.append(svgEl("rect", { x: pad + i * w + 1, y: y - h, width: Math.max(1, w - 2), height: h, fill: s.colour }));
        y -= h;
      }
    }
    if (i % 5 === 0) {
      const t = svgEl("text", { x: pad + i * w, y: H - 1 });
      t.textContent = new Date(m.minute).toISOString().slice(11, 16);
      svg.append(t);
    }
  });
}

function flow(svg, minutes) {
  // stories in (wire.raw) and articles out (wire.articles), stacked per minute
  bars(svg, minutes, [{ colour: "#3b6fd8", value: (m) => m.in }, { colour: "#1f9d6b", value: (m) => m.out }]);
}

function chips(tags) {
  const box = el("div", { class: "chips" });
  for (const [type, cls] of [["people", "person"], ["organisations", "organisation"], ["places", "place"],
                             ["subjects", "subject"]]) {
    for (const name of (tags && tags[type]) || []) box.append(el("span", { class: `chip ${cls}`, "data-tag": type }, name));
  }
  return box;
}

function drawStories(stories) {
  const body = $("stories");
  body.replaceChildren();
  for (const s of stories) {
    const went = el("div", { class: "chips" });
    for (const p of s.deliveries) went.append(el("span", { class: "chip partner", "data-partner": p }, p));
    if (!s.deliveries.length) went.append(el("span", { class: "muted" }, "—"));
    const title = s.headline || (s.decision === "rejected" ? s.reason : s.uri) || s.input_id;
    body.append(el("tr", { "data-input-id": s.input_id, "data-uri": s.uri || "" },
      el("td", {}, clock(s.at)),
      el("td", {}, el("span", { class: `decision d-${s.decision}` }, s.decision), s.version ? ` v${s.version}` : ""),
      el("td", {}, el("div", { class: "headline", "data-testid": "headline" }, title),
        el("div", { class: "muted" }, s.input_id), chips(s.tags)),
      el("td", {}, went),
      el("td", {}, el("button", { class: "link", "data-testid": "open-path", onclick: () => openPath(s.input_id) }, "path"))));
  }
}

function drawPartners(partners, workerLag) {
  const body = $("partners");
  body.replaceChildren();
  for (const p of partners) {
    const lag = el("div", { class: "chips" });
    for (const g of p.lag) lag.append(el("span", { class: `chip ${g.lag ? "lag" : "lag-0"}` }, `${g.group}: ${g.lag}`));
    if (!p.lag.length) lag.append(el("span", { class: "muted" }, "no consumer group yet"));
    const name = el("td", {}, p.id);
    if (p.paused) name.append(" ", el("span", { class: "chip paused", "data-testid": "paused" }, "paused"));
    body.append(el("tr", { "data-partner": p.id }, name, el("td", {}, p.deliveries), el("td", {}, lag)));
  }
  const box = $("worker-lag");
  box.replaceChildren();
  for (const l of workerLag) box.append(el("span", { class: `chip ${l.lag ? "lag" : "lag-0"}` }, `${l.topic}[${l.partition}]: ${l.lag}`));
}

function drawDead(dead) {
  const reasons = $("dead-reasons");
  reasons.replaceChildren();
  for (const [reason, n] of Object.entries(dead.by_reason)) reasons.append(el("span", { class: "chip" }, `${reason}: ${n}`));
  if (!Object.keys(dead.by_reason).length) reasons.append(el("span", { class: "muted" }, "none"));
  const latest = $("dead-latest");
  latest.replaceChildren();
  for (const d of dead.latest) latest.append(el("li", {}, `${clock(d.at)} `, el("b", {}, `${d.stage}:${d.reason}`), ` ${d.input_id} — ${d.detail}`));
}

function draw(view) {
  const health = $("health");
  health.textContent = view.health.healthy ? "healthy" : "BROKEN";
  health.className = view.health.healthy ? "badge" : "badge bad";
  health.title = view.health.detail || "";
  const t = view.totals;
  $("totals").replaceChildren(el("span", {}, el("b", {}, t.in), " in"), el("span", {}, el("b", {}, t.out), " articles"),
    el("span", {}, el("b", {}, t.deliveries), " deliveries"), el("span", {}, el("b", {}, t.dead), " dead letters"));
  flow($("flow"), view.minutes);
  bars($("decisions"), view.minutes, KINDS.map((k) => ({ colour: COLOURS[k], value: (m) => m.decisions[k] || 0 })));
  $("decision-legend").replaceChildren(...KINDS.map((k) => el("span", {}, el("i", { style: `background:${COLOURS[k]}` }), k)));
  drawPartners(view.partners, view.worker_lag);
  drawDead(view.dead_letters);
  drawStories(view.stories);
  document.body.dataset.version = view.version;
}

async function openPath(query) {
  $("path-q").value = query;
  const response = await fetch(`/dashboard/api/path?q=${encodeURIComponent(query)}`);
  const path = await response.json();
  const box = $("path");
  box.replaceChildren();
  if (!path.found) { box.append(el("p", { class: "muted" }, `nothing seen for ${query} (lately)`)); return; }
  box.append(el("p", { class: "muted" }, `story ${path.uris.join(", ") || "—"}`));
  for (const e of path.events) {
    let what = e.kind, detail = "";
    if (e.kind === "decision") { what = `${e.decision}${e.version ? " v" + e.version : ""}`; detail = `${e.input_id}: ${e.reason || ""}${e.deliveries.length ? " → " + e.deliveries.join(", ") : ""}`; }
    if (e.kind === "article") { what = `published v${e.version}`; detail = `${e.headline}${e.pubstatus !== "usable" ? " (" + e.pubstatus + ")" : ""}`; }
    if (e.kind === "delivery") { what = `delivered v${e.version}`; detail = `to ${e.partner}`; }
    if (e.kind === "dead-letter") { what = "dead letter"; detail = `${e.stage}:${e.reason} ${e.detail}`; }
    box.append(el("div", { class: "step", "data-kind": e.kind }, el("span", { class: "muted" }, new Date(e.at).toISOString().replace("T", " ").slice(0, 19)),
      el("span", { class: "what" }, what), el("span", {}, detail)));
  }
  $("path-card").scrollIntoView({ block: "nearest" });
}

$("path-form").onsubmit = (event) => { event.preventDefault(); openPath($("path-q").value); };

function connect() {
  const live = $("live");
  const source = new EventSource("/dashboard/events");
  source.addEventListener("view", (event) => { live.textContent = "live"; live.className = "badge"; draw(JSON.parse(event.data)); });
  source.onerror = () => { live.textContent = "reconnecting"; live.className = "badge off"; };
}
connect();
