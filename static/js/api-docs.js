// /api/v1/docs/: Swagger UI (from the drf-spectacular-sidecar package) on the API's schema.
// A file, not an inline script: the CSP allows scripts from this site only.
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  if (!target || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: target.dataset.schemaUrl,
    domNode: target,
    deepLinking: true,
    supportedSubmitMethods: ["get"],
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
