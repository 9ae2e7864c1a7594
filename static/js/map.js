/* Directory maps (Leaflet, from the xstatic-leaflet package). No inline script: each map is a
 * <div data-map> element whose data-* attributes say what to show:
 *   data-tiles-url, data-attribution  tile server (settings.MAP_TILES_URL)
 *   data-geojson-url                  places as GeoJSON (the open-data export, same filters)
 *   data-lat, data-lon, data-name     a single place (its page)
 *   data-popup-label                  text of the popup link ("Voir la fiche")
 */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var FRANCE = [[41.3, -5.2], [51.1, 9.6]];

  function makeMap(el) {
    var map = L.map(el, { preferCanvas: true, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    L.tileLayer(el.dataset.tilesUrl, {
      attribution: el.dataset.attribution || "",
      maxZoom: 18
    }).addTo(map);
    return map;
  }

  // Place names are data typed by members: they go into the page as text (textContent), never
  // as HTML. Leaflet's bindTooltip/bindPopup read a string as HTML, so they get an element.
  function text(tag, value) {
    var node = document.createElement(tag);
    node.textContent = value;
    return node;
  }

  function popup(properties, label) {
    var box = document.createElement("div");
    box.appendChild(text("strong", properties.name));
    box.appendChild(text("div", properties.commune + (properties.departement_name ? " (" + properties.departement_name + ")" : "")));
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = label;
    box.appendChild(link);
    return box;
  }

  function showPlaces(el, map) {
    var status = el.parentNode.querySelector("[data-map-status]");
    fetch(el.dataset.geojsonUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (collection) {
        collection.features = collection.features.filter(function (f) { return f.geometry; });
        var layer = L.geoJSON(collection, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, {
              radius: 7, weight: 2, color: "#ffffff", fillColor: "#0b5e55", fillOpacity: 0.9
            });
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(popup(feature.properties, el.dataset.popupLabel));
          }
        }).addTo(map);
        if (collection.features.length) {
          map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 12 });
        }
        if (status) { status.textContent = status.dataset.loaded.replace("%s", collection.features.length); }
      })
      .catch(function () {
        if (status) { status.textContent = status.dataset.failed; }
      });
  }

  document.querySelectorAll("[data-map]").forEach(function (el) {
    var map = makeMap(el);
    if (el.dataset.geojsonUrl) {
      map.fitBounds(FRANCE);
      showPlaces(el, map);
    } else if (el.dataset.lat && el.dataset.lon) {
      var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
      map.setView(point, 14);
      L.circleMarker(point, {
        radius: 9, weight: 2, color: "#ffffff", fillColor: "#0b5e55", fillOpacity: 0.9
      }).addTo(map).bindTooltip(text("span", el.dataset.name));
    }
  });
})();
