// The collaboration map: draws the server's positions with Cytoscape, filters, focuses findings,
// opens the detail panel (htmx) and works with the keyboard. No inline scripts or styles: CSP.
(function () {
  "use strict";

  // The report page only needs its print button.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  var canvas = document.getElementById("map-canvas");
  if (!canvas || typeof cytoscape === "undefined") { return; }

  var MAX_LISTED = 200;
  var LARGE = 1500;  // nodes from which the map is drawn for overview (bigger dots, fewer labels)
  var msg = canvas.dataset;
  var form = document.getElementById("map-filter");
  var status = document.getElementById("map-status");
  var selection = document.getElementById("map-selection");
  var detail = document.getElementById("map-detail");
  var list = document.getElementById("map-nodes");
  var listNote = document.getElementById("map-list-note");
  var search = document.getElementById("map-search");
  var findForm = document.getElementById("map-find");
  var groupSelect = document.getElementById("map-group");
  var neighbourButton = document.querySelector('[data-map="neighbourhood"]');
  var labelNote = document.createElement("span");
  labelNote.className = "map-label-note";
  var cy = null;
  var query = msg.query || "";
  // A large map is added a slice at a time, each in its own task, so the page keeps answering
  // keys and clicks while thousands of nodes are styled (all at once froze it for seconds).
  var SLICE = 400;
  var drawing = 0;  // the newest load; an older one still adding slices stops
  var drawnLarge = false;  // whether the map now drawn is large

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_m, name) { return values[name]; });
  }

  // A count with its noun, in the page's language: the template gives each such text in its
  // singular and plural forms (data-msg-<name>-one, data-msg-<name>-other).
  var pluralRules = new Intl.PluralRules(document.documentElement.lang || "sv");
  function counted(name, n, values) {
    var form = pluralRules.select(n) === "one" ? "One" : "Other";
    return format(msg[name + form], Object.assign({ n: n }, values || {}));
  }

  var STYLE = [
    { selector: "node", style: {
      "label": "data(label)", "font-size": 11, "text-wrap": "ellipsis", "text-max-width": 130,
      "text-valign": "bottom", "text-margin-y": 3, "color": "#1b1f24", "min-zoomed-font-size": 7,
      "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1 } },
    { selector: "node.forum", style: {
      "shape": "ellipse", "width": 26, "height": 26, "background-color": "#dbe9f1",
      "border-width": 2, "border-color": "#40566b" } },
    { selector: "node.level-national", style: { "background-color": "#c7d7f0" } },
    { selector: "node.level-county", style: { "background-color": "#cde8d6" } },
    { selector: "node.level-local", style: { "background-color": "#f1ece0" } },
    { selector: "node.apex", style: { "border-width": 6, "width": 34, "height": 34 } },
    { selector: "node.person", style: {
      "shape": "diamond", "width": 12, "height": 12, "background-color": "#7a5c99",
      "border-width": 1, "border-color": "#4b3764", "font-size": 9 } },
    { selector: "node.organisation", style: {
      "shape": "rectangle", "width": 18, "height": 18, "background-color": "#e9e2c8",
      "border-width": 2, "border-color": "#6b5d2c", "font-size": 9 } },
    { selector: "node.parallel", style: {
      "border-style": "double", "border-width": 7, "border-color": "#b34700", "background-color": "#ffe3cc" } },
    { selector: "node.orphan", style: {
      "border-style": "dashed", "border-width": 4, "border-color": "#7d2c8c", "background-color": "#f3e3f6" } },
    { selector: "node.cycle", style: {
      "shape": "round-rectangle", "border-style": "dotted", "border-width": 4, "border-color": "#a4161a" } },
    { selector: "node.person.spof", style: {
      "shape": "triangle", "width": 20, "height": 20, "background-color": "#a4161a" } },
    { selector: "node.person.overloaded", style: {
      "width": 22, "height": 22, "border-width": 4, "border-color": "#8a5300", "background-color": "#ffd98a" } },
    // Edges are not chosen by pointer (nodes are): leaving them out of the hit test keeps
    // pointer moves cheap on a large map.
    { selector: "edge", style: {
      "width": 1, "line-color": "#9aa7b3", "curve-style": "straight", "opacity": 0.8, "events": "no" } },
    { selector: "edge.reports", style: {
      "width": 2, "line-color": "#5b6b7a", "target-arrow-shape": "triangle",
      "target-arrow-color": "#5b6b7a", "arrow-scale": 0.9 } },
    { selector: "edge.member", style: { "line-color": "#b7a6cc", "line-style": "solid" } },
    { selector: "edge.takes-part", style: { "line-color": "#cbbf8f", "line-style": "dashed" } },
    // Representation: a member who represents other organisations too, and a line from an
    // organisation to a forum where someone from another organisation represents it.
    { selector: "edge.member.represents", style: { "width": 3, "line-color": "#6b3fa0" } },
    { selector: "edge.on-behalf", style: { "line-color": "#6b3fa0", "line-style": "dotted", "width": 2 } },
    // The observed network (Observed / Difference): each status has its own line style.
    { selector: "edge.member.attending", style: { "width": 3, "line-color": "#1f7a3a", "opacity": 1 } },
    { selector: "edge.member.absent", style: { "width": 2, "line-color": "#b3261e", "line-style": "dashed", "opacity": 1 } },
    { selector: "edge.member.guest", style: { "width": 2, "line-color": "#0a4a8c", "line-style": "dotted", "opacity": 1 } },
    { selector: "edge.member.unrecorded", style: { "width": 1, "line-color": "#9aa7b3", "opacity": 0.6 } },
    { selector: "node.match", style: { "underlay-color": "#0a4a8c", "underlay-opacity": 0.25, "underlay-padding": 8 } },
    { selector: "node.focus", style: {
      "underlay-color": "#ffbf47", "underlay-opacity": 0.9, "underlay-padding": 12, "font-weight": "bold",
      "z-index": 20, "font-size": 13 } },
    { selector: "node.shared", style: {
      "underlay-color": "#ffbf47", "underlay-opacity": 0.7, "underlay-padding": 7, "font-weight": "bold",
      "z-index": 20, "width": 16, "height": 16 } },
    { selector: "edge.focus", style: { "width": 3, "line-color": "#8a5300", "z-index": 15 } },
    { selector: "node:selected", style: {
      "overlay-color": "#0b4f6c", "overlay-opacity": 0.25, "overlay-padding": 8 } },
    // Grouping: a box around each group, its name on top.
    { selector: "node.group", style: {
      "shape": "round-rectangle", "background-color": "#f6f7f9", "background-opacity": 0.6,
      "border-width": 2, "border-style": "dashed", "border-color": "#6b7682", "label": "data(label)",
      "text-valign": "top", "text-halign": "center", "font-weight": "bold", "padding": 24,
      "events": "no" } },
    { selector: "node.quiet", style: { "label": "" } },
    { selector: ".away", style: { "display": "none" } }
  ];

  // Names keep one readable size on screen whatever the zoom (CSS px); placeLabels decides
  // which of them fit without overlapping.
  var LABEL_PX = 13;
  var SMALL_LABEL_PX = 12;
  function readableStyle(zoom) {
    var z = zoom || 1;
    return [
      { selector: "node", style: {
        "font-size": LABEL_PX / z, "text-max-width": 170 / z, "text-wrap": "wrap",
        "text-margin-y": 4 / z, "text-background-padding": 2 / z, "text-background-opacity": 0.85,
        "min-zoomed-font-size": 0 } },
      { selector: "node.forum", style: { "width": Math.max(26, 16 / z), "height": Math.max(26, 16 / z) } },
      { selector: "node.forum.apex", style: { "width": Math.max(34, 22 / z), "height": Math.max(34, 22 / z) } },
      { selector: "node.person, node.organisation", style: { "font-size": SMALL_LABEL_PX / z } },
      { selector: "node.person", style: { "width": Math.max(12, 12 / z), "height": Math.max(12, 12 / z) } },
      { selector: "node.focus, node.shared, node:selected", style: { "font-size": (LABEL_PX + 1) / z, "font-weight": "bold" } },
      { selector: "node.group", style: { "font-size": (LABEL_PX + 1) / z, "text-margin-y": -4 / z } },
      { selector: "node.quiet", style: { "label": "" } },
      { selector: ".away", style: { "display": "none" } }
    ];
  }

  // On a national map the whole view is tiny: bigger dots stay visible, labels come on zooming in.
  var LARGE_STYLE = [
    { selector: "node.forum", style: { "width": 64, "height": 64, "border-width": 6, "font-size": 22 } },
    { selector: "node.apex", style: { "width": 90, "height": 90, "border-width": 14 } },
    { selector: "node.person", style: { "width": 30, "height": 30, "font-size": 16 } },
    { selector: "node.focus", style: { "underlay-padding": 30 } },
    { selector: "edge.reports", style: { "width": 5, "target-arrow-shape": "none" } },
    { selector: "edge.member, edge.takes-part", style: { "curve-style": "haystack", "haystack-radius": 0 } },
    { selector: "node", style: { "min-zoomed-font-size": 14, "text-wrap": "wrap", "text-max-width": 140, "text-background-opacity": 0 } },
    { selector: "node.focus, node.shared", style: { "font-size": 26, "text-background-opacity": 0.85 } }
  ];

  function dataUrl(extra) {
    var params = new URLSearchParams(query);
    params.delete("page");
    Object.keys(extra || {}).forEach(function (name) { params.set(name, extra[name]); });
    var text = params.toString();
    return msg.src + (text ? "?" + text : "");
  }

  // Each load is numbered: a newer one stops an older drawing at once, and an older answer
  // that arrives late is not drawn over the newer one.
  function load(extra) {
    var mine = ++drawing;
    delete canvas.dataset.drawn;
    status.textContent = msg.msgLoading;
    return fetch(dataUrl(extra), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { return mine === drawing ? draw(data, mine) : data; })
      .catch(function (error) {
        if (mine === drawing) { status.textContent = msg.msgFailed; }
        console.error(error);
      });
  }

  function create(large) {
    cy = cytoscape({
      container: canvas, elements: [], style: large ? STYLE.concat(LARGE_STYLE) : STYLE,
      layout: { name: "preset" },
      minZoom: 0.01, maxZoom: 4, boxSelectionEnabled: false,
      autoungrabify: true, hideEdgesOnViewport: large, textureOnViewport: large,
      pixelRatio: large ? 1 : "auto"
    });
    cy.on("tap", "node", function (event) {
      if (!event.target.hasClass("group")) { choose(event.target, false); }
    });
    cy.on("zoom pan resize", scheduleLabels);
    canvas.cy = cy;  // for the browser tests, which measure what is drawn
  }

  // --- Readable names -------------------------------------------------------------------
  var labelTimer = null;
  var styledZoom = null;
  function scheduleLabels() {
    if (labelTimer) { clearTimeout(labelTimer); }
    labelTimer = setTimeout(placeLabels, 80);
    canvas.dataset.labels = "pending";  // for the tests: wait for "placed", not for a time
  }

  // The order in which names claim their place: the chosen one, what a finding is about, the
  // chosen one's neighbours, group names, top bodies, forums with findings, then the forums
  // with most members, then people and organisations.
  function rank(node, near) {
    if (node.selected()) { return 0; }
    if (node.hasClass("focus") || node.hasClass("shared")) { return 1; }
    if (near && near.has(node.id())) { return 2; }
    if (node.hasClass("group")) { return 3; }
    if (node.hasClass("apex")) { return 4; }
    if ((node.data("marks") || []).length) { return 5; }
    if (node.data("type") === "forum") { return 6; }
    return node.data("type") === "person" ? 7 : 8;
  }

  function overlaps(a, b) {
    return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  }

  // Show the names that fit at a readable size without covering each other; the rest get
  // their turn as the reader zooms in. A large (national) map keeps its zoom-dependent names.
  function placeLabels() {
    labelTimer = null;
    canvas.dataset.labels = "placed";
    if (!cy || drawnLarge) { return; }
    var zoom = cy.zoom();
    if (styledZoom === null || Math.abs(zoom - styledZoom) / styledZoom > 0.001) {
      cy.style(STYLE.concat(readableStyle(zoom)));
      styledZoom = zoom;
    }
    var chosen = cy.nodes(":selected");
    var near = {};
    chosen.closedNeighborhood().nodes().forEach(function (n) { near[n.id()] = true; });
    var nearSet = { has: function (id) { return near[id] === true; } };
    var width = canvas.clientWidth;
    var height = canvas.clientHeight;
    var nodes = cy.nodes().filter(function (n) { return n.visible(); });
    cy.batch(function () { nodes.removeClass("quiet"); });
    var order = nodes.toArray().map(function (n) {
      return { node: n, rank: rank(n, nearSet), members: n.data("members") || 0, label: n.data("label") || "" };
    }).sort(function (a, b) {
      return a.rank - b.rank || b.members - a.members || a.label.localeCompare(b.label);
    });
    var placed = [];
    var quiet = [];
    order.forEach(function (entry) {
      var node = entry.node;
      var box = node.renderedBoundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
      var outside = box.x1 < 0 || box.y1 < 0 || box.x2 > width || box.y2 > height;
      var clash = placed.some(function (other) { return overlaps(box, other); });
      if (!box.w || outside || clash) {
        quiet.push(node);
      } else {
        placed.push(box);
      }
    });
    cy.batch(function () { quiet.forEach(function (n) { n.addClass("quiet"); }); });
    canvas.dataset.labelled = String(placed.length);
    canvas.dataset.labelPx = String(LABEL_PX);
    labelNote.textContent = format(msg.msgLabels, { shown: placed.length, count: nodes.length });
  }

  // Nothing on the map reacts to hovering, but Cytoscape looks for the element under the pointer
  // at every move, over all elements: on a large map a plain move is kept from it (presses,
  // drags and taps still reach it).
  canvas.addEventListener("mousemove", function (event) {
    if (event.buttons === 0 && drawnLarge) { event.stopPropagation(); }
  }, true);

  var slicing = 0;  // large drawings still adding slices (an old one stops at its next slice)
  function draw(data, mine) {
    var large = data.nodes.length > LARGE;
    drawnLarge = large;
    if (cy) { cy.destroy(); }
    create(large);
    // The viewport is set before the first slice, so every frame is drawn at the final zoom.
    fitTo(data.nodes.map(function (node) { return node.position; }), 20, large);
    var elements = data.nodes.concat(data.edges);
    if (!large) {
      cy.batch(function () { cy.add(elements); });
      return finish(data, large);
    }
    status.textContent = format(msg.msgDrawing, { nodes: data.nodes.length });
    slicing += 1;
    canvas.dataset.slicing = String(slicing);  // for the tests: drawings still under way
    return new Promise(function (resolve) {
      var at = 0;
      function stop(value) {
        slicing -= 1;
        canvas.dataset.slicing = String(slicing);
        resolve(value);
      }
      (function addSlice() {
        if (mine !== drawing) { return stop(data); }
        cy.add(elements.slice(at, at + SLICE));
        at += SLICE;
        if (at < elements.length) { setTimeout(addSlice, 0); } else { stop(finish(data, large)); }
      })();
    });
  }

  function finish(data, large) {
    applyMarks();
    var focused = applyFocus(data.focus);
    if (focused && focused.length) { fitTo(positions(focused), 60, large); }
    var note = format(msg.msgShowing, {
      forums: counted("msgForums", data.forum_count), nodes: counted("msgNodes", data.nodes.length) });
    Object.keys(data.limited || {}).forEach(function (what) {
      note += " " + format(msg.msgLimited, { count: data.limited[what] });
    });
    note += observedNote(data.observed);
    status.textContent = note + " ";
    status.appendChild(labelNote);
    renderList();
    styledZoom = null;
    homes = null;
    beforeRing = null;  // positions of the map drawn before: this one starts afresh
    neighbourhood(false);
    var grouped = groupSelect && groupSelect.value ? group(groupSelect.value) : null;
    var done = function () {
      var inFocus = cy.nodes(".focus");
      if (grouped && inFocus.length) { fitTo(positions(inFocus), 60, large); }
      placeLabels();
      canvas.dataset.drawn = String(data.nodes.length);  // for tests and the browser benchmark
      return data;
    };
    return grouped ? grouped.then(done) : done();
  }

  // The observed network in words, for screen readers and anyone who cannot tell the lines apart.
  function observedNote(observed) {
    if (!observed || !msg.msgObserved) { delete canvas.dataset.observed; return ""; }
    var counts = observed.counts;
    canvas.dataset.observed = observed.mode;
    return " " + format(msg.msgObserved, {
      attending: counted("msgAttending", counts.attending),
      absent: counted("msgAbsent", counts.absent,
                      { latest: counted("msgLatest", observed.last_count) }),
      guests: counted("msgGuests", counts.guest),
      unrecorded: counted("msgUnrecorded", counts.unrecorded) });
  }

  function positions(nodes) {
    return nodes.map(function (node) { return node.position(); });
  }

  // Like cy.fit, but from positions alone: measuring thousands of labels takes seconds.
  function fitTo(points, padding, large) {
    if (!points.length) { return; }
    var box = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
    points.forEach(function (p) {
      box.x1 = Math.min(box.x1, p.x - 40); box.x2 = Math.max(box.x2, p.x + 40);
      box.y1 = Math.min(box.y1, p.y - 40); box.y2 = Math.max(box.y2, p.y + 40);
    });
    // Room for the names, which keep their size on screen: half a name's width on each side
    // and two lines below.
    var side = large ? padding : Math.min(padding + 85, padding + canvas.clientWidth * 0.1);
    var below = large ? padding : Math.min(padding + 36, padding + canvas.clientHeight * 0.08);
    var width = canvas.clientWidth - 2 * side;
    var height = canvas.clientHeight - padding - below;
    // A national map draws bigger nodes, so it needs less zoom to read a focused finding.
    var most = large ? 0.6 : 1.5;
    var zoom = Math.min(width / Math.max(box.x2 - box.x1, 1), height / Math.max(box.y2 - box.y1, 1), most);
    zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), zoom));
    cy.viewport({
      zoom: zoom,
      pan: { x: (canvas.clientWidth - zoom * (box.x1 + box.x2)) / 2,
             y: (canvas.clientHeight - below + padding - zoom * (box.y1 + box.y2)) / 2 }
    });
  }

  function applyFocus(focus) {
    selection.textContent = "";
    canvas.dataset.highlighted = "";
    if (!focus || !focus.finding) { return null; }
    var ids = focus.forums.map(function (k) { return "f:" + k; })
      .concat(focus.people.map(function (k) { return "p:" + k; }));
    var nodes = cy.collection();
    ids.forEach(function (id) { nodes = nodes.union(cy.getElementById(id)); });
    nodes.addClass("focus");
    var shared = cy.collection();
    focus.shared.forEach(function (k) { shared = shared.union(cy.getElementById("p:" + k)); });
    shared.removeClass("focus").addClass("shared");
    nodes.edgesWith(nodes).addClass("focus");
    // What is highlighted is also written on the container, for tests and assistive tools.
    canvas.dataset.highlighted = cy.nodes(".focus, .shared").map(function (n) { return n.id(); }).sort().join(" ");
    var forumNames = focus.forums.map(function (k) { return label("f:" + k); });
    var text = msg.msgHighlighted + " " + forumNames.join(", ") + ".";
    if (focus.shared.length) {
      text += " " + msg.msgShared + " " + focus.shared.map(function (k) { return label("p:" + k); }).join(", ") + ".";
    }
    selection.textContent = text;
    return nodes;
  }

  function label(id) {
    var node = cy.getElementById(id);
    return node.length ? node.data("label") : id.slice(2);
  }

  // Legend check boxes switch a kind of mark off and on.
  function applyMarks() {
    var on = {};
    document.querySelectorAll("input[data-mark]").forEach(function (box) { on[box.dataset.mark] = box.checked; });
    var marked = cy.nodes().filter(function (node) { return (node.data("marks") || []).length > 0; });
    cy.batch(function () {
      marked.forEach(function (node) {
        node.data("marks").forEach(function (mark) { node.toggleClass(mark, on[mark] !== false); });
      });
    });
  }
  document.querySelectorAll("input[data-mark]").forEach(function (box) {
    box.addEventListener("change", function () { if (cy) { applyMarks(); } });
  });

  function choose(node, center) {
    cy.$(":selected").unselect();
    node.select();
    canvas.dataset.selected = node.id();
    if (center) {
      var level = Math.max(cy.zoom(), 1);
      var at = node.position();
      cy.animate({ zoom: level, pan: { x: canvas.clientWidth / 2 - level * at.x, y: canvas.clientHeight / 2 - level * at.y } },
                 { duration: 200 });
    }
    var type = node.data("type");
    var template = type === "person" ? msg.personUrl : type === "forum" ? msg.forumUrl : null;
    if (template && window.htmx) {
      htmx.ajax("GET", template.replace("__KEY__", encodeURIComponent(node.data("key"))),
        { target: "#map-detail", swap: "innerHTML" });
    }
    list.querySelectorAll("button[aria-current]").forEach(function (b) { b.removeAttribute("aria-current"); });
    var button = list.querySelector('button[data-id="' + CSS.escape(node.id()) + '"]');
    if (button) { button.setAttribute("aria-current", "true"); }
    if (neighbourButton) { neighbourButton.disabled = false; }
    if (showingNeighbourhood) { neighbourhood(true); }
    scheduleLabels();
  }

  // --- Search on the map: Enter (or the button) centres on the best match ---------------
  function bestMatch(term) {
    var words = term.toLowerCase();
    var best = null;
    var bestScore = -1;
    cy.nodes().forEach(function (node) {
      if (node.hasClass("group")) { return; }
      var text = (node.data("label") || "").toLowerCase();
      var at = text.indexOf(words);
      if (at < 0) { return; }
      // The whole name, an abbreviation in brackets, the start of the name, the start of a
      // word, anywhere; forums before people, then the larger.
      var score = text === words ? 50 : text.indexOf("(" + words + ")") >= 0 ? 40
        : at === 0 ? 30 : /[\s(–-]/.test(text.charAt(at - 1)) ? 20 : 10;
      if (node.data("type") === "forum") { score += 5; }
      if (node.hasClass("apex")) { score += 2; }
      score += Math.min(node.data("members") || 0, 99) / 100;
      if (score > bestScore) { best = node; bestScore = score; }
    });
    return best;
  }

  function find(term, retried) {
    if (!cy || !term) { return; }
    var node = bestMatch(term);
    if (node) {
      if (node.hasClass("away")) { neighbourhood(false); }
      choose(node, true);
      selection.textContent = format(msg.msgFound, { name: node.data("label") });
      return;
    }
    // People are drawn on request only: look among them before saying nothing matched.
    var people = form && form.querySelector('input[name="people"]');
    if (!retried && people && !people.checked) {
      people.checked = true;
      query = filterQuery();
      load().then(function () { find(term, true); });
      return;
    }
    selection.textContent = format(msg.msgNomatch, { term: term });
  }
  if (findForm) {
    findForm.addEventListener("submit", function (event) {
      event.preventDefault();
      find((search.value || "").trim(), false);
    });
  }

  // --- The chosen one's neighbourhood on its own ------------------------------------------
  var showingNeighbourhood = false;
  var beforeRing = null;  // where the neighbours stood before they were set around the chosen one
  function neighbourhood(on) {
    if (!cy) { return; }
    var chosen = cy.nodes(":selected");
    showingNeighbourhood = on && chosen.length > 0;
    cy.batch(function () {
      cy.elements().removeClass("away");
      if (beforeRing) {
        Object.keys(beforeRing).forEach(function (id) { cy.getElementById(id).position(beforeRing[id]); });
        beforeRing = null;
      }
      if (showingNeighbourhood) {
        var keep = chosen.closedNeighborhood();
        keep = keep.union(keep.nodes().parents());
        cy.elements().not(keep).addClass("away");
        // The neighbours in a ring around the chosen one, far enough apart for every name.
        var around = chosen.neighborhood().nodes().sort(function (a, b) {
          return a.position("x") - b.position("x") || a.position("y") - b.position("y");
        });
        var centre = chosen.position();
        var rx = Math.max(220, around.length * 200 / (2 * Math.PI) * 1.25);
        var ry = Math.max(160, rx * 0.55);
        beforeRing = {};
        around.forEach(function (node, index) {
          beforeRing[node.id()] = { x: node.position("x"), y: node.position("y") };
          var angle = -Math.PI / 2 + (2 * Math.PI * index) / around.length;
          node.position({ x: centre.x + rx * Math.cos(angle), y: centre.y + ry * Math.sin(angle) });
        });
      }
    });
    if (neighbourButton) { neighbourButton.setAttribute("aria-pressed", showingNeighbourhood ? "true" : "false"); }
    if (showingNeighbourhood) {
      var shown = chosen.closedNeighborhood().nodes();
      fitTo(positions(shown), 40, false);
      selection.textContent = counted("msgNeighbourhood", shown.length - 1, { name: chosen.data("label") });
    }
    scheduleLabels();
  }

  // --- Grouping by level, kind of forum or community ----------------------------------------
  var homes = null;  // the server's positions, to go back to
  var communities = null;
  function groupName(mode, node) {
    var names = JSON.parse(groupSelect.dataset.names || "{}");
    var type = node.data("type");
    if (type === "person") { return [ "~p", groupSelect.dataset.msgPeople ]; }
    if (type === "organisation") { return [ "~o", groupSelect.dataset.msgOrganisations ]; }
    if (mode === "community") {
      var number = communities ? communities[node.data("key")] : undefined;
      return number === undefined ? [ "~x", groupSelect.dataset.msgOther ]
        : [ "c" + String(number).padStart(4, "0"), format(groupSelect.dataset.msgCommunity, { n: number + 1 }) ];
    }
    var value = node.data(mode) || "";
    return [ value || "~x", (names[mode] || {})[value] || value || groupSelect.dataset.msgOther ];
  }

  function ungroup() {
    var parents = cy.nodes(".group");
    if (!parents.length && !homes) { return; }
    cy.batch(function () {
      parents.children().move({ parent: null });
      cy.remove(cy.nodes(".group"));
      if (homes) {
        cy.nodes().forEach(function (n) { if (homes[n.id()]) { n.position(homes[n.id()]); } });
      }
    });
  }

  function group(mode) {
    if (!cy) { return null; }
    if (mode === "community" && communities === null) {
      return fetch(msg.communitiesUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { forums: {} }; })
        .then(function (data) { communities = data.forums || {}; return group(mode); });
    }
    if (!homes) {
      homes = {};
      cy.nodes().forEach(function (n) { homes[n.id()] = { x: n.position("x"), y: n.position("y") }; });
    }
    ungroup();
    if (!mode) {
      fitTo(positions(cy.nodes()), 20, drawnLarge);
      canvas.dataset.grouped = "";
      styledZoom = null;
      scheduleLabels();
      return Promise.resolve();
    }
    var groups = {};
    cy.nodes().forEach(function (node) {
      var named = groupName(mode, node);
      (groups[named[0]] = groups[named[0]] || { name: named[1], nodes: [] }).nodes.push(node);
    });
    var keys = Object.keys(groups).sort();
    // Each group a block of rows; the blocks side by side, wrapping into rows of blocks.
    var STEP_X = 200, STEP_Y = 110, GAP = 140, ROW_WIDTH = 2600;
    var x = 0, y = 0, rowHeight = 0;
    cy.batch(function () {
      keys.forEach(function (key) {
        var members = groups[key].nodes.sort(function (a, b) { return a.data("label").localeCompare(b.data("label")); });
        var cols = Math.max(1, Math.ceil(Math.sqrt(members.length * 1.5)));
        var blockWidth = cols * STEP_X;
        if (x > 0 && x + blockWidth > ROW_WIDTH) { x = 0; y += rowHeight + GAP; rowHeight = 0; }
        var id = "g:" + key;
        cy.add({ group: "nodes", data: { id: id, label: groups[key].name + " (" + members.length + ")", type: "group" }, classes: "group" });
        members.forEach(function (node, index) {
          node.move({ parent: id });
          var moved = cy.getElementById(node.id());
          moved.position({ x: x + (index % cols) * STEP_X, y: y + Math.floor(index / cols) * STEP_Y });
        });
        rowHeight = Math.max(rowHeight, Math.ceil(members.length / cols) * STEP_Y);
        x += blockWidth + GAP;
      });
    });
    canvas.dataset.grouped = mode;
    fitTo(positions(cy.nodes().not(".group")), 20, drawnLarge);
    styledZoom = null;
    scheduleLabels();
    return Promise.resolve();
  }
  if (groupSelect) {
    groupSelect.addEventListener("change", function () {
      if (!cy) { return; }
      var selected = cy.nodes(":selected").map(function (n) { return n.id(); });
      neighbourhood(false);
      var done = group(groupSelect.value);
      Promise.resolve(done).then(function () {
        selected.forEach(function (id) { cy.getElementById(id).select(); });
      });
    });
  }
  if (neighbourButton) {
    neighbourButton.addEventListener("click", function () {
      neighbourhood(neighbourButton.getAttribute("aria-pressed") !== "true");
    });
  }

  // The focusable list of what is drawn: Enter (or a click) chooses a node.
  function renderList() {
    var term = (search.value || "").trim().toLowerCase();
    var nodes = cy.nodes().filter(function (n) {
      return n.data("type") !== "organisation" && (!term || n.data("label").toLowerCase().indexOf(term) >= 0);
    }).sort(function (a, b) { return a.data("label").localeCompare(b.data("label")); });
    cy.batch(function () {
      cy.nodes(".match").removeClass("match");
      if (term.length >= 2) { nodes.addClass("match"); }
    });
    var fragment = document.createDocumentFragment();
    nodes.slice(0, MAX_LISTED).forEach(function (node) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.id = node.id();
      button.textContent = node.data("label");
      if (node.data("type") === "person") {
        var kind = document.createElement("span");
        kind.className = "node-kind";
        kind.textContent = " ◆";
        button.appendChild(kind);
      }
      item.appendChild(button);
      fragment.appendChild(item);
    });
    list.replaceChildren(fragment);
    var note = nodes.length > MAX_LISTED ? format(msg.msgMore, { shown: MAX_LISTED, count: nodes.length }) : "";
    if (term.length >= 2) { note = counted("msgMatches", nodes.length) + " " + note; }
    listNote.textContent = note;
  }
  list.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-id]");
    if (button && cy) { choose(cy.getElementById(button.dataset.id), true); }
  });
  search.addEventListener("input", function () { if (cy) { renderList(); } });

  // Keyboard on the map itself: arrows pan, + and - zoom, 0 shows everything.
  canvas.addEventListener("keydown", function (event) {
    if (!cy) { return; }
    var step = 80;
    var moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[event.key]) {
      cy.panBy({ x: moves[event.key][0], y: moves[event.key][1] });
    } else if (event.key === "+" || event.key === "=") {
      zoom(1.25);
    } else if (event.key === "-" || event.key === "_") {
      zoom(0.8);
    } else if (event.key === "0") {
      fitTo(positions(cy.nodes()), 20, cy.nodes().length > LARGE);
    } else {
      return;
    }
    event.preventDefault();
  });

  function zoom(factor) {
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 } });
  }

  document.querySelectorAll("[data-map]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (!cy) { return; }
      var action = button.dataset.map;
      if (action === "zoom-in") { zoom(1.25); }
      if (action === "zoom-out") { zoom(0.8); }
      if (action === "fit") { fitTo(positions(cy.nodes()), 20, cy.nodes().length > LARGE); }
      if (action === "png") { downloadPng(); }
    });
  });

  function downloadPng() {
    var blob = cy.png({ output: "blob", full: true, bg: "#ffffff", maxWidth: 6000, maxHeight: 6000 });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "samverkanskarta.png";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  // A finding's "Show on the map" draws the map with the finding's forums and people in focus.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.finding-focus[data-finding]");
    if (!link || !cy) { return; }
    event.preventDefault();
    var key = link.dataset.finding;
    load({ focus: key }).then(function () {
      if (window.htmx) {
        htmx.ajax("GET", msg.findingUrl + "?id=" + encodeURIComponent(key), { target: "#map-detail", swap: "innerHTML" });
      }
      canvas.scrollIntoView({ block: "nearest" });
    });
  });

  // Changing the filter redraws the map (htmx refreshes the findings and the address).
  function filterQuery() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (name) {
      if (!params.get(name)) { params.delete(name); }
    });
    return params.toString();
  }
  if (form) {
    var refresh = function () {
      query = filterQuery();
      document.querySelectorAll("a[data-keep-filter]").forEach(function (link) {
        link.href = link.dataset.keepFilter + (query ? "?" + query : "");
      });
      load();
    };
    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
  }

  load();
}());
