/* "Position sur la carte" on the place form (Leaflet, from the xstatic-leaflet package).
 * No inline script: the <div data-position-map> says what to do:
 *   data-tiles-url, data-attribution   tile server (settings.MAP_TILES_URL), as the directory map
 *   data-lat-input, data-lon-input     ids of the latitude and longitude inputs
 *   data-centre-lat, data-centre-lon   the place's current position, if any
 * A click sets both inputs and moves the marker; typing in the inputs moves it too. Without
 * JavaScript the picker stays hidden and the two inputs work alone.
 */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }

  var FRANCE = [[41.3, -5.2], [51.1, 9.6]];
  var STYLE = { radius: 9, weight: 2, color: "#ffffff", fillColor: "#0b5e55", fillOpacity: 0.9 };

  function number(input) {
    var value = parseFloat((input.value || "").replace(",", "."));
    return isNaN(value) ? null : value;
  }

  document.querySelectorAll("[data-position-map]").forEach(function (box) {
    var latInput = document.getElementById(box.dataset.latInput);
    var lonInput = document.getElementById(box.dataset.lonInput);
    if (!latInput || !lonInput) { return; }
    box.hidden = false;
    var el = box.querySelector(".map");
    var map = L.map(el, { scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    L.tileLayer(box.dataset.tilesUrl, {
      attribution: box.dataset.attribution || "",
      maxZoom: 18
    }).addTo(map);
    var marker = null;

    function place(latlng) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.circleMarker(latlng, STYLE).addTo(map); }
    }

    var lat = number(latInput), lon = number(lonInput);
    if (lat !== null && lon !== null) {
      place([lat, lon]);
      map.setView([lat, lon], 14);
    } else if (box.dataset.centreLat && box.dataset.centreLon) {
      // An approximate position (département centre): show the area, no marker.
      map.setView([parseFloat(box.dataset.centreLat), parseFloat(box.dataset.centreLon)], 9);
    } else {
      map.fitBounds(FRANCE);
    }

    map.on("click", function (event) {
      var latlng = event.latlng.wrap();
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      place(latlng);
    });

    function typed() {
      var a = number(latInput), b = number(lonInput);
      if (a !== null && b !== null && a >= -90 && a <= 90 && b >= -180 && b <= 180) {
        place([a, b]);
        map.panTo([a, b]);
      }
    }
    latInput.addEventListener("change", typed);
    lonInput.addEventListener("change", typed);
  });
})();
