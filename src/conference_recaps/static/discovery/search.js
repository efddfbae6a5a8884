// The search page: Pagefind's UI, started from the ?q= the theme's search box sends.
//
// The index is in shards (discovery/pagefind/shards.py), each a Pagefind bundle under
// pagefind/<shard>/; pagefind/shards.json lists them, the primary first. The others are
// merged into it (mergeIndex): one query searches them all, results are ranked together
// and filter counts are summed across them. Bundle paths are resolved from the page's
// own address, so the site works under any prefix (Read the Docs previews), and are
// root-relative, so Pagefind's worker resolves them the same way.
window.addEventListener("DOMContentLoaded", async () => {
  const element = document.getElementById("recaps-search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  const root = new URL(element.dataset.bundle || "../pagefind/", document.baseURI);
  let shards = [];
  try {
    // Revalidated on each visit: the list changes when the site grows past a size.
    const response = await fetch(new URL("shards.json", root), { cache: "no-cache" });
    shards = (await response.json()).shards || [];
  } catch (error) {
    console.error("search: no list of index shards", error);
  }
  if (!shards.length) {
    return;
  }
  // Root-relative (/en/123/pagefind/<shard>/): Pagefind takes the site's base from it,
  // so result links stay root-relative as they were with one bundle.
  const bundle = (name) => new URL(`${name}/`, root).pathname;
  const ui = new PagefindUI({
    element: "#recaps-search",
    bundlePath: bundle(shards[0]),
    mergeIndex: shards.slice(1).map((name) => ({ bundlePath: bundle(name) })),
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    // On a phone the filters stand above the results: closed there, so the results show
    // first; beside them on a wide screen, the Type filter is open.
    openFilters: window.matchMedia("(min-width: 60em)").matches ? ["type"] : [],
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
