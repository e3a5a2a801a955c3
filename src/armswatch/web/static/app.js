// armswatch dashboard: plain JavaScript, talks only to this server.
// Every text from the data goes into the page as a text node (never as HTML).
"use strict";

(function () {
  const state = {
    key: sessionStorage.getItem("armswatch-key") || "",
    map: null,
    layers: {},
    tracks: [],
    events: [],
    vessels: [],
    tRange: [0, 0],
    types: new Set(),
    minConf: 0,
  };
  const TYPE_STYLE = {
    ais_gap: { color: "#b3261e", label: "AIS gap (dashed: last → next position)" },
    encounter: { color: "#e07b00", label: "encounter" },
    port_call: { color: "#1d4e89", label: "port call" },
    dark_port_call: { color: "#6a1b9a", label: "dark port call" },
    loitering: { color: "#2e7d32", label: "loitering" },
    spoofing: { color: "#d81b60", label: "spoofing" },
    identity_change: { color: "#00838f", label: "identity change" },
  };
  const TIME_COLOURS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89",
    "#35b779", "#6ece58", "#b5de2b", "#fde725"];  // viridis: old (dark) → new (yellow)

  // -- helpers -------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      node.appendChild(typeof c === "string" || typeof c === "number"
        ? document.createTextNode(String(c)) : c);
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function fmtTime(s) { return new Date(s * 1000).toISOString().slice(0, 16).replace("T", " "); }
  function fmtIso(t) { return t ? String(t).slice(0, 16).replace("T", " ") : ""; }
  function num(v, d) { return v === null || v === undefined ? "–" : Number(v).toFixed(d); }

  async function api(path, opts) {
    const o = Object.assign({ headers: {} }, opts || {});
    o.headers = Object.assign({ Accept: "application/json" }, o.headers);
    if (state.key) o.headers["X-API-Key"] = state.key;
    if (o.json !== undefined) {
      o.body = JSON.stringify(o.json);
      o.headers["Content-Type"] = "application/json";
      delete o.json;
    }
    const resp = await fetch(path, o);
    const body = await resp.json().catch(() => null);
    if (!resp.ok) {
      const msg = body && body.detail ? body.detail : resp.status + " " + resp.statusText;
      const err = new Error(msg);
      err.status = resp.status;
      throw err;
    }
    return body;
  }
  function banner(text) {
    const b = document.getElementById("banner");
    b.textContent = text || "";
    b.classList.toggle("hidden", !text);
  }

  // -- pages ---------------------------------------------------------------------------
  function showPage(name) {
    for (const p of document.querySelectorAll(".page")) p.classList.add("hidden");
    document.getElementById("page-" + name).classList.remove("hidden");
    for (const a of document.querySelectorAll("nav a[data-page]")) {
      a.classList.toggle("active", a.dataset.page === name);
    }
    if (name === "map" && state.map) state.map.invalidateSize();
    if (name === "alerts") loadAlerts();
    if (name === "trade") loadTrade();
  }
  function route() {
    const name = (location.hash || "#map").slice(1);
    showPage(["map", "alerts", "screen", "trade"].includes(name) ? name : "map");
  }

  function setupKey() {
    const input = document.getElementById("api-key");
    const stateLabel = document.getElementById("key-state");
    stateLabel.textContent = state.key ? "set" : "none";
    document.getElementById("key-form").addEventListener("submit", (e) => {
      e.preventDefault();
      state.key = input.value.trim();
      if (state.key) sessionStorage.setItem("armswatch-key", state.key);
      else sessionStorage.removeItem("armswatch-key");
      input.value = "";
      stateLabel.textContent = state.key ? "set" : "none";
      if (!document.getElementById("page-alerts").classList.contains("hidden")) loadAlerts();
    });
  }

  // -- map -----------------------------------------------------------------------------
  async function initMap() {
    const status = document.getElementById("map-status");
    if (typeof L === "undefined") {
      banner("The map library is not built: run `armswatch web build` and reload.");
      status.textContent = "no map library";
      return;
    }
    const map = L.map("map", { worldCopyJump: true, minZoom: 2, zoomSnap: 0.5 });
    state.map = map;
    map.setView([40, 100], 3);
    map.createPane("land").style.zIndex = 200;
    map.createPane("ports").style.zIndex = 350;
    state.layers.tracks = L.layerGroup().addTo(map);
    state.layers.events = L.layerGroup().addTo(map);
    state.layers.ports = L.layerGroup().addTo(map);
    map.attributionControl.addAttribution("Land: Natural Earth · Leaflet");
    loadBasemap(map);
    loadPorts();
    await Promise.all([loadVessels(), loadTracks(), loadEvents()]);
    setupTime();
    render();
    fitToData();
  }

  async function loadBasemap(map) {
    const style = { pane: "land", color: "#8a7f62", weight: 0.6, fillColor: "#efe9d9",
      fillOpacity: 1, interactive: false };
    try {
      const land = await api("/assets/basemap/land.geojson");
      L.geoJSON(land, { style: style }).addTo(map);
    } catch (e) {
      banner("No basemap (" + e.message + "): run `armswatch web build`.");
      return;
    }
    try {
      const borders = await api("/assets/basemap/borders.geojson");
      L.geoJSON(borders, { style: { pane: "land", color: "#a59b83", weight: 0.5,
        dashArray: "2 3", interactive: false, fill: false } }).addTo(map);
    } catch (e) { /* optional layer */ }
    try {
      const detail = await api("/assets/basemap/land_detail.geojson");
      const layer = L.geoJSON(detail, { style: style });
      const toggle = () => {
        if (map.getZoom() >= 6) layer.addTo(map); else layer.remove();
      };
      map.on("zoomend", toggle);
      toggle();
    } catch (e) { /* optional layer */ }
  }

  async function loadPorts() {
    try {
      const ports = await api("/ports");
      for (const p of ports) {
        L.circle([p.lat, p.lon], { pane: "ports", radius: Math.max(p.radius_m, 3000),
          color: "#b3261e", weight: 1, fillColor: "#b3261e", fillOpacity: 0.25,
          className: "port-of-concern" })
          .bindTooltip(p.name + " (" + p.port_id + "): " + p.roles.join(", "))
          .addTo(state.layers.ports);
      }
    } catch (e) { banner("Ports: " + e.message); }
  }

  async function loadVessels() {
    const list = document.getElementById("vessel-list");
    clear(list);
    try {
      state.vessels = await api("/vessels");
    } catch (e) {
      list.appendChild(el("li", { class: "muted" }, e.message));
      return;
    }
    for (const v of state.vessels.slice(0, 50)) {
      const name = v.names.length ? v.names[v.names.length - 1] : v.vessel_id;
      const badge = v.blocked ? el("span", { class: "badge blocked" }, "blocked")
        : v.listed ? el("span", { class: "badge listed" }, "listed") : null;
      list.appendChild(el("li", { "data-vessel": v.vessel_id, class: "vessel-item",
        onclick: () => openDossier(v.imo || String(v.mmsis[0] || v.vessel_id), true) },
      el("span", { class: "score" }, num(v.score, 2)), " ", name, " ", badge));
    }
  }

  async function loadTracks() {
    try {
      const out = await api("/tracks?max_points=20000");
      state.tracks = out.tracks;
      state.tRange = [out.start_utc ? Date.parse(out.start_utc) / 1000 : 0,
        out.end_utc ? Date.parse(out.end_utc) / 1000 : 0];
    } catch (e) {
      document.getElementById("map-status").textContent = "tracks: " + e.message;
    }
  }

  async function loadEvents() {
    const all = [];
    try {
      for (let offset = 0, page = 0; page < 20; page++) {
        const out = await api("/events?limit=1000&offset=" + offset);
        all.push(...out.items);
        offset += out.items.length;
        if (offset >= out.total || !out.items.length) break;
      }
    } catch (e) {
      document.getElementById("map-status").textContent = "events: " + e.message;
    }
    state.events = all;
    for (const ev of all) {
      const t0 = Date.parse(ev.start_utc) / 1000;
      const t1 = Date.parse(ev.end_utc) / 1000;
      if (!state.tRange[0] || t0 < state.tRange[0]) state.tRange[0] = t0;
      if (!state.tRange[1] || t1 > state.tRange[1]) state.tRange[1] = t1;
    }
    const box = document.getElementById("type-filters");
    clear(box);
    const types = Array.from(new Set(all.map((e) => e.type))).sort();
    for (const t of types) {
      state.types.add(t);
      const style = TYPE_STYLE[t] || { color: "#555", label: t };
      const n = all.filter((e) => e.type === t).length;
      const cb = el("input", { type: "checkbox", checked: "checked", "data-type": t,
        onchange: (e) => {
          if (e.target.checked) state.types.add(t); else state.types.delete(t);
          render();
        } });
      box.appendChild(el("label", {}, cb, " ",
        el("span", { class: "badge" }, "●"), " ", style.label + " (" + n + ")"));
      box.lastChild.querySelector(".badge").style.color = style.color;
    }
    if (!types.length) box.appendChild(el("p", { class: "muted" }, "no events"));
    const conf = document.getElementById("min-conf");
    conf.addEventListener("input", () => {
      state.minConf = Number(conf.value);
      document.getElementById("conf-value").textContent = state.minConf.toFixed(2);
      render();
    });
  }

  function setupTime() {
    const [lo, hi] = state.tRange;
    const t0 = document.getElementById("t0");
    const t1 = document.getElementById("t1");
    const legend = document.getElementById("time-legend");
    clear(legend);
    for (const c of TIME_COLOURS) {
      const s = el("span");
      s.style.background = c;
      legend.appendChild(s);
    }
    legend.after(el("div", { class: "legend-labels" },
      el("span", {}, lo ? fmtTime(lo).slice(0, 10) : ""),
      el("span", {}, hi ? fmtTime(hi).slice(0, 10) : "")));
    const update = () => {
      if (Number(t0.value) > Number(t1.value)) t0.value = t1.value;
      document.getElementById("t0-label").textContent = lo ? fmtTime(timeAt(t0.value)) : "";
      document.getElementById("t1-label").textContent = hi ? fmtTime(timeAt(t1.value)) : "";
      render();
    };
    t0.addEventListener("input", update);
    t1.addEventListener("input", update);
    update();
  }
  function timeAt(v) {
    const [lo, hi] = state.tRange;
    return lo + (hi - lo) * Number(v) / 1000;
  }
  function colourAt(t) {
    const [lo, hi] = state.tRange;
    const f = hi > lo ? (t - lo) / (hi - lo) : 1;
    return TIME_COLOURS[Math.max(0, Math.min(TIME_COLOURS.length - 1,
      Math.floor(f * TIME_COLOURS.length)))];
  }

  function render() {
    if (!state.map) return;
    const from = timeAt(document.getElementById("t0").value);
    const to = timeAt(document.getElementById("t1").value);
    renderTracks(from, to);
    renderEvents(from, to);
  }

  function renderTracks(from, to) {
    const group = state.layers.tracks;
    group.clearLayers();
    for (const tr of state.tracks) {
      let run = [];
      let colour = null;
      const flush = () => {
        if (run.length > 1) {
          L.polyline(run, { color: colour, weight: 2, opacity: 0.85,
            className: "track mmsi-" + tr.mmsi })
            .bindTooltip((tr.name || "MMSI " + tr.mmsi) + " — click for the dossier",
              { sticky: true })
            .on("click", () => openDossier(String(tr.mmsi), false))
            .addTo(group);
        }
      };
      for (const [lon, lat, t] of tr.points) {
        if (t < from || t > to) continue;
        const c = colourAt(t);
        if (c !== colour) {
          const last = run.length ? run[run.length - 1] : null;
          flush();
          run = last ? [last] : [];
          colour = c;
        }
        run.push([lat, lon]);
      }
      flush();
    }
  }

  function renderEvents(from, to) {
    const group = state.layers.events;
    group.clearLayers();
    let shown = 0;
    for (const ev of state.events) {
      if (!state.types.has(ev.type) || ev.confidence < state.minConf) continue;
      const t0 = Date.parse(ev.start_utc) / 1000;
      const t1 = Date.parse(ev.end_utc) / 1000;
      if (t1 < from || t0 > to || ev.lat === null || ev.lon === null) continue;
      const style = TYPE_STYLE[ev.type] || { color: "#555", label: ev.type };
      const tip = style.label + " · MMSI " + ev.mmsi +
        (ev.other_mmsi ? " with " + ev.other_mmsi : "") + (ev.port ? " · " + ev.port : "") +
        " · " + fmtIso(ev.start_utc) + " → " + fmtIso(ev.end_utc) +
        " · confidence " + num(ev.confidence, 2);
      let layer;
      if (ev.type === "ais_gap" && ev.end_lat !== null && ev.end_lon !== null) {
        layer = L.polyline([[ev.lat, ev.lon], [ev.end_lat, ev.end_lon]], { color: style.color,
          weight: 2.5, dashArray: "6 6", className: "event event-ais_gap" });
      } else {
        layer = L.circleMarker([ev.lat, ev.lon], { radius: ev.type.includes("port") ? 7 : 6,
          color: style.color, weight: 2, fillOpacity: ev.type === "dark_port_call" ? 0.9 : 0.4,
          dashArray: ev.type === "dark_port_call" ? "3 2" : null,
          className: "event event-" + ev.type });
      }
      layer.bindTooltip(tip).on("click", () => openDossier(String(ev.mmsi), false));
      layer.addTo(group);
      shown++;
    }
    document.getElementById("map-status").textContent =
      state.tracks.length + " tracks, " + shown + " of " + state.events.length + " events shown";
  }

  function fitToData() {
    const pts = [];
    for (const tr of state.tracks) for (const [lon, lat] of tr.points) pts.push([lat, lon]);
    if (pts.length) state.map.fitBounds(L.latLngBounds(pts).pad(0.1));
  }

  // -- dossier -------------------------------------------------------------------------
  function statusBadge(s) {
    if (!s) return el("span", { class: "badge" }, "unknown");
    if (s.blocked) return el("span", { class: "badge blocked", title: s.reason }, "blocked");
    if (s.listed) return el("span", { class: "badge listed", title: s.reason }, "listed");
    return el("span", { class: "badge clear", title: s.reason },
      s.exposure > 0 ? "exposure " + num(s.exposure, 2) : "not listed");
  }

  async function openDossier(key, zoom) {
    const panel = document.getElementById("dossier");
    const body = document.getElementById("dossier-body");
    panel.classList.remove("hidden");
    clear(body);
    body.appendChild(el("p", { class: "muted" }, "loading " + key + "…"));
    state.map && state.map.invalidateSize();
    let d;
    try {
      d = await api("/vessels/" + encodeURIComponent(key));
    } catch (e) {
      clear(body);
      body.appendChild(el("p", {}, e.message));
      return;
    }
    clear(body);
    const name = d.names.length ? d.names[d.names.length - 1] : d.vessel_id;
    body.appendChild(el("h2", { id: "dossier-title" }, name));
    body.appendChild(el("p", {}, "IMO ", d.imo || "–", " · MMSI ", d.mmsis.join(", ") || "–",
      " · flag ", d.flag.flag || "?", " (", d.flag.category, ") ", statusBadge(d.status)));
    body.appendChild(el("p", {}, el("strong", {}, "Risk " + num(d.risk.score, 3)),
      el("span", { class: "muted" }, " " + d.risk.algorithm)));
    const comp = el("table", { class: "grid", id: "risk-components" },
      el("tr", {}, el("th", {}, "component"), el("th", {}, "value"), el("th", {}, "why")));
    for (const c of d.risk.components) {
      const bar = el("span", { class: "bar" });
      bar.style.width = Math.round(60 * c.value) + "px";
      comp.appendChild(el("tr", {}, el("td", {}, c.name), el("td", {}, bar, " ",
        num(c.value, 2)), el("td", {}, c.explanation)));
    }
    body.appendChild(comp);
    body.appendChild(el("h3", {}, "Identities"));
    const ids = el("table", { class: "grid" }, el("tr", {}, el("th", {}, "MMSI"),
      el("th", {}, "name"), el("th", {}, "IMO"), el("th", {}, "call sign"),
      el("th", {}, "seen")));
    for (const i of d.identities) {
      ids.appendChild(el("tr", {}, el("td", {}, String(i.mmsi)), el("td", {}, i.name || ""),
        el("td", {}, i.imo || ""), el("td", {}, i.callsign || ""),
        el("td", {}, fmtIso(i.first_utc) + " → " + fmtIso(i.last_utc))));
    }
    body.appendChild(ids);
    body.appendChild(el("h3", {}, "Owners, managers, operators"));
    if (!d.parties.length) body.appendChild(el("p", { class: "muted" }, "none known"));
    for (const p of d.parties) {
      body.appendChild(el("p", {}, el("strong", {}, p.caption), " — ", p.role,
        p.share_pct !== null ? " " + num(p.share_pct, 0) + " %" : "",
        p.start || p.end ? " (" + (p.start || "?") + " → " + (p.end || "now") + ")" : "", " ",
        statusBadge(p.status)));
    }
    if (d.matches.length) {
      body.appendChild(el("h3", {}, "List matches"));
      for (const m of d.matches) {
        body.appendChild(el("p", {}, m.entity_id, " by ", m.method, " (",
          num(m.strength, 2), "): ", m.evidence));
      }
    }
    body.appendChild(el("h3", {}, "Voyages"));
    const voy = el("table", { class: "grid", id: "voyages" }, el("tr", {},
      el("th", {}, "from"), el("th", {}, "to"), el("th", {}, "departure"),
      el("th", {}, "arrival"), el("th", {}, "on the way")));
    for (const v of d.voyages) {
      const kinds = {};
      for (const e of v.events) kinds[e.type] = (kinds[e.type] || 0) + 1;
      voy.appendChild(el("tr", {},
        el("td", {}, v.origin_port + (v.origin_dark ? " (dark)" : "")),
        el("td", {}, v.destination_port + (v.destination_dark ? " (dark)" : "")),
        el("td", {}, fmtIso(v.departure_utc)), el("td", {}, fmtIso(v.arrival_utc)),
        el("td", {}, Object.entries(kinds).map(([k, n]) => k + " ×" + n).join(", "))));
    }
    body.appendChild(voy);
    if (d.deliveries.length) {
      body.appendChild(el("h3", {}, "Deliveries"));
      for (const x of d.deliveries) {
        body.appendChild(el("p", {}, x.kind, ": ", x.origin_port, " → ", x.destination_port,
          ", arrived ", fmtIso(x.arrival_utc), " (confidence ", num(x.confidence, 2), ")"));
      }
    }
    if (zoom && state.map) {
      const pts = [];
      for (const tr of state.tracks) {
        if (d.mmsis.includes(tr.mmsi)) for (const [lon, lat] of tr.points) pts.push([lat, lon]);
      }
      if (pts.length) state.map.fitBounds(L.latLngBounds(pts).pad(0.1));
    }
  }

  // -- alerts --------------------------------------------------------------------------
  async function loadAlerts() {
    const tbody = document.querySelector("#alerts-table tbody");
    const status = document.getElementById("alerts-status");
    const st = document.getElementById("alert-state").value;
    let alerts;
    try {
      alerts = await api("/alerts" + (st ? "?state=" + encodeURIComponent(st) : ""));
    } catch (e) {
      status.textContent = e.message;
      return;
    }
    clear(tbody);
    status.textContent = alerts.length + " alerts" +
      (state.key ? "" : " · reviewing needs an analyst key (box at the top right)");
    for (const a of alerts) {
      const last = a.history[a.history.length - 1];
      const comment = el("input", { type: "text", placeholder: "comment", size: "18",
        class: "review-comment" });
      const buttons = el("div", { class: "review-buttons" });
      const targets = { new: ["under_review", "escalated", "dismissed"],
        under_review: ["escalated", "dismissed"], escalated: ["under_review"],
        dismissed: ["under_review"] }[a.state] || [];
      for (const to of targets) {
        buttons.appendChild(el("button", { type: "button", "data-state": to,
          onclick: () => review(a.alert_id, to, comment.value, status) }, to.replace("_", " ")));
      }
      tbody.appendChild(el("tr", { "data-alert": a.alert_id },
        el("td", {}, a.alert_id), el("td", { class: "alert-state" }, a.state),
        el("td", {}, el("a", { href: "#map", onclick: () => openDossier(
          a.vessel_id && a.vessel_id.startsWith("imo-") ? a.vessel_id.slice(4)
            : a.vessel_id && a.vessel_id.startsWith("mmsi-") ? a.vessel_id.slice(5)
              : a.subject_id, true) }, a.vessel_id || a.subject_id)),
        el("td", {}, num(a.score, 3)), el("td", {}, a.summary || ""),
        el("td", { class: "alert-actor" }, last.actor + (last.comment ? ": " + last.comment : "")
          + " · " + fmtIso(last.ts_utc)),
        el("td", {}, comment, buttons)));
    }
  }
  async function review(alertId, to, comment, status) {
    try {
      await api("/alerts/" + encodeURIComponent(alertId) + "/review", { method: "POST",
        json: { state: to, comment: comment || null } });
      status.textContent = alertId + " → " + to;
      await loadAlerts();
      document.getElementById("alerts-status").textContent = alertId + " → " + to;
    } catch (e) {
      status.textContent = "review refused: " + e.message;
    }
  }

  // -- screening -----------------------------------------------------------------------
  function setupScreening() {
    const form = document.getElementById("screen-form");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const status = document.getElementById("screen-status");
      const out = document.getElementById("screen-results");
      const q = { name: document.getElementById("screen-name").value.trim(),
        schema: document.getElementById("screen-schema").value, top: 10 };
      const dob = document.getElementById("screen-dob").value.trim();
      const country = document.getElementById("screen-country").value.trim();
      const imo = document.getElementById("screen-imo").value.trim();
      if (dob) q.birth_date = dob;
      if (country) q.countries = [country];
      if (imo) q.identifiers = { imo: imo };
      status.textContent = "screening…";
      clear(out);
      let res;
      try {
        res = await api("/screen", { method: "POST", json: q });
      } catch (err) {
        status.textContent = err.message;
        return;
      }
      status.textContent = (res.matched ? "MATCH" : "no match") + " · " + res.matches.length +
        " candidates · threshold " + res.threshold + " · " + res.algorithm;
      for (const m of res.matches) {
        out.appendChild(el("div", { class: "candidate" + (m.is_match ? " match" : "") },
          el("strong", {}, num(m.score, 3)), " ",
          el("a", { href: "#screen", onclick: () => showEntity(m.entity_id) }, m.entity_name),
          " ", el("span", { class: "badge" }, m.schema), " ",
          el("span", { class: "muted" }, m.lists.join(", ") + " " + m.programs.join(", ")),
          el("div", {}, "matched ", el("em", {}, m.matched_name), " with ",
            el("em", {}, m.query_name)),
          el("div", { class: "explain" }, m.explanation)));
      }
    });
  }
  async function showEntity(id) {
    const panel = document.getElementById("entity-panel");
    panel.classList.remove("hidden");
    clear(panel);
    try {
      const e = await api("/entities/" + encodeURIComponent(id));
      panel.appendChild(el("h3", {}, e.caption + " (" + e.id + ")"));
      panel.appendChild(el("p", {}, "programmes: " + (e.programs.join(", ") || "–") +
        " · listed " + (e.listed_on.join(", ") || "?")));
      panel.appendChild(el("p", {}, "names: " + e.names.map((n) => n.value).join("; ")));
      if (e.identifiers.length) {
        panel.appendChild(el("p", {}, "identifiers: " +
          e.identifiers.map((i) => i.kind + " " + i.value).join("; ")));
      }
      for (const l of e.links) {
        panel.appendChild(el("p", {}, l.kind + ": " + (l.other_caption || l.target_id)));
      }
    } catch (err) {
      panel.appendChild(el("p", {}, err.message));
    }
  }

  // -- trade ---------------------------------------------------------------------------
  let tradeLoaded = false;
  async function loadTrade() {
    if (tradeLoaded) return;
    const status = document.getElementById("trade-status");
    let t;
    try {
      t = await api("/trade/routes?limit=50");
    } catch (e) {
      status.textContent = e.message;
      return;
    }
    tradeLoaded = true;
    status.textContent = "Exports to " + t.targets.join(", ") + " through third countries, " +
      "before vs after " + (t.sanction_date || "the sanctions date") + ". Score = surge " +
      "evidence + half the mirror-gap evidence (log points).";
    drawChart(t.countries);
    const tbody = document.querySelector("#routes-table tbody");
    clear(tbody);
    for (const r of t.routes) {
      tbody.appendChild(el("tr", {}, el("td", {}, String(r.rank)), el("td", {}, r.transit),
        el("td", {}, r.group_label || r.group_id),
        el("td", {}, r.estimate === null ? "–" : "×" + num(Math.exp(r.estimate), 2)),
        el("td", {}, r.explanation)));
    }
  }
  function drawChart(countries) {
    const box = document.getElementById("trade-chart");
    clear(box);
    const NS = "http://www.w3.org/2000/svg";
    const rowH = 22, left = 60, width = 520;
    const h = rowH * countries.length + 30;
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", String(left + width + 80));
    svg.setAttribute("height", String(h));
    svg.setAttribute("id", "transit-chart");
    const max = Math.max(0.01, ...countries.map((c) => c.score));
    const mk = (tag, attrs, text) => {
      const n = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
      if (text !== undefined) n.appendChild(document.createTextNode(text));
      svg.appendChild(n);
      return n;
    };
    countries.forEach((c, i) => {
      const y = 10 + i * rowH;
      const surge = (c.surge_evidence || 0) / max * width;
      const mirror = 0.5 * (c.mirror_evidence || 0) / max * width;
      mk("text", { x: left - 8, y: y + 14, "text-anchor": "end" }, c.transit);
      mk("rect", { x: left, y: y + 2, width: Math.max(surge, 0), height: rowH - 6,
        fill: "#1d4e89" }).appendChild(document.createElementNS(NS, "title"))
        .appendChild(document.createTextNode(c.explanation || ""));
      mk("rect", { x: left + surge, y: y + 2, width: Math.max(mirror, 0), height: rowH - 6,
        fill: "#e07b00" });
      mk("text", { x: left + surge + mirror + 6, y: y + 14 }, num(c.score, 2));
    });
    box.appendChild(svg);
    box.appendChild(el("p", { class: "muted" }, "blue: surge evidence · orange: mirror gap"));
  }

  // -- start ---------------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", () => {
    setupKey();
    setupScreening();
    document.getElementById("dossier-close").addEventListener("click", () => {
      document.getElementById("dossier").classList.add("hidden");
      state.map && state.map.invalidateSize();
    });
    document.getElementById("alert-state").addEventListener("change", loadAlerts);
    window.addEventListener("hashchange", route);
    route();
    initMap().then(() => { document.body.dataset.ready = "1"; });
  });
})();
