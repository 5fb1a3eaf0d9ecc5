// Search-box suggestions: fills the input's <datalist> with page titles.
// Progressive enhancement: without this script the form submits as usual.
(function () {
  "use strict";
  var DELAY = 200;

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.dataset.suggestUrl;
    if (!list || !url || !window.fetch) return;
    var timer = null;
    var controller = null;

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (!query) {
        list.replaceChildren();
        return;
      }
      timer = window.setTimeout(function () {
        if (controller) controller.abort();
        controller = window.AbortController ? new AbortController() : null;
        fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          signal: controller ? controller.signal : undefined,
        })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.suggestions.map(function (item) {
              var option = document.createElement("option");
              option.value = item.title; // textContent-only: titles are never parsed as HTML
              return option;
            }));
          })
          .catch(function () { /* offline or aborted: keep the plain form */ });
      }, DELAY);
    });
  }

  document.querySelectorAll("input[data-suggest-url][list]").forEach(attach);
})();
