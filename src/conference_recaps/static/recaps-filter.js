/* Conference pages only: filter the talk grid by kind or tag.

   The chips are hidden in the HTML and shown here, so without JavaScript the page is the
   plain grid of every talk. One chip at a time; days left empty are hidden with it. */
(function () {
  "use strict";
  document.querySelectorAll(".recaps-filterable").forEach(function (section) {
    var bar = section.querySelector(".recaps-filters");
    if (!bar) {
      return;
    }
    bar.hidden = false;
    var status = document.createElement("p");
    status.className = "recaps-visually-hidden";
    status.setAttribute("role", "status");
    bar.after(status);
    bar.addEventListener("click", function (event) {
      var chip = event.target.closest("button[data-filter]");
      if (!chip) {
        return;
      }
      bar.querySelectorAll("button[data-filter]").forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === chip));
      });
      var filter = chip.getAttribute("data-filter");
      var kind = filter.indexOf("kind:") === 0 ? filter.slice(5) : null;
      var tag = filter.indexOf("tag:") === 0 ? filter.slice(4) : null;
      var shown = 0;
      section.querySelectorAll(".recaps-tcard").forEach(function (card) {
        var tags = (card.getAttribute("data-tags") || "").split(" ");
        var match = (!kind || card.getAttribute("data-kind") === kind) &&
          (!tag || tags.indexOf(tag) !== -1);
        card.hidden = !match;
        shown += match ? 1 : 0;
      });
      section.querySelectorAll(".recaps-cards, .recaps-kind-heading, .recaps-day").forEach(
        function (block) {
          var group = block.classList.contains("recaps-kind-heading")
            ? block.nextElementSibling
            : block;
          block.hidden = !group.querySelector(".recaps-tcard:not([hidden])");
        }
      );
      status.textContent = shown + (shown === 1 ? " talk" : " talks");
    });
  });
})();
