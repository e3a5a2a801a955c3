// Swagger UI for /openapi.json, from the locally built swagger-ui-dist (no CDN).
"use strict";
window.addEventListener("load", function () {
  window.ui = window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
