/* Collaboration map: markers from points.geojson, filters that refresh map and list together.
   The list under the map is server-rendered and works without this script. */
(function () {
  "use strict";
  var configEl = document.getElementById("collab-map-config");
  var mapEl = document.getElementById("collab-map");
  if (!configEl || !mapEl || typeof L === "undefined") return;
  var config = JSON.parse(configEl.textContent);
  var form = document.getElementById("collab-filters");
  var list = document.getElementById("item-list");

  var map = L.map(mapEl).setView(config.centre, config.zoom);
  var tileOptions = { attribution: config.tiles.attribution, maxZoom: config.tiles.maxZoom };
  if (config.tiles.subdomains) tileOptions.subdomains = config.tiles.subdomains;
  // No URL (hermetic tests, intranets without a tile server): markers on a blank background.
  if (config.tiles.url) L.tileLayer(config.tiles.url, tileOptions).addTo(map);
  if (config.tiles.labelsUrl) L.tileLayer(config.tiles.labelsUrl, tileOptions).addTo(map);
  var layer = L.layerGroup().addTo(map);

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value; // never innerHTML: titles and summaries are editor input
    if (className) el.className = className;
    return el;
  }

  function popup(props) {
    var box = document.createElement("div");
    box.appendChild(text("strong", props.title));
    box.appendChild(text("div", props.kind_label + " · " + props.field + " · " + props.year, "small"));
    box.appendChild(text("div", props.region + " " + props.place + (props.sample_location ? "（" + config.text.sample + "）" : ""), "small"));
    box.appendChild(text("p", props.summary, "mb-1"));
    var link = text("a", config.text.more);
    link.href = props.url;
    box.appendChild(link);
    return box;
  }

  function draw(collection) {
    layer.clearLayers();
    var bounds = [];
    collection.features.forEach(function (feature) {
      var props = feature.properties;
      // GeoJSON is [lng, lat] in WGS-84; map_latlng is present when the tiles need another datum.
      var latlng = props.map_latlng || [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var colour = config.colours[props.kind] || "#555";
      L.circleMarker(latlng, { radius: 8, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 0.9 })
        .bindPopup(popup(props))
        .addTo(layer);
      bounds.push(latlng);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 10 });
  }

  function load(geojsonUrl) {
    fetch(geojsonUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(draw)
      .catch(function () {
        mapEl.insertAdjacentElement("afterend", text("p", config.text.failed, "text-danger"));
      });
  }

  function query() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) {
      if (!params.get(key)) params.delete(key);
    });
    return params.toString();
  }

  function refresh() {
    var qs = query();
    var suffix = qs ? "?" + qs : "";
    load(config.geojsonBase + suffix);
    fetch(config.listUrl + suffix)
      .then(function (response) { return response.text(); })
      .then(function (html) { list.innerHTML = html; }); // server-rendered, auto-escaped template
    history.replaceState(null, "", config.pageUrl + suffix);
  }

  if (form) {
    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      refresh();
    });
  }
  load(config.geojson);
})();
