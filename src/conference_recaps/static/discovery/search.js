// The search page: Pagefind's UI, started from the ?q= the theme's search box sends.
window.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("recaps-search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  const ui = new PagefindUI({
    element: "#recaps-search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    openFilters: ["type"],
    translations: { placeholder: "Search talks, speakers, conferences and recaps" },
  });
  // Pagefind names its input by a title only, which is no label for a screen reader.
  const input = element.querySelector(".pagefind-ui__search-input");
  if (input) {
    input.setAttribute("aria-label", "Search talks, speakers, conferences and recaps");
  }
  const query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
});
