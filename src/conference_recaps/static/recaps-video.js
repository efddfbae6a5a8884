/* Talk pages only: the video facades' privacy guards, and the Vimeo facade.

   YouTube facades are lite-youtube-embed's <lite-youtube> (vendor/lite-youtube-embed,
   loaded before this file). Two of its behaviours would reach Google before the reader
   asked for the video, or leave youtube-nocookie.com:
   - on hover or focus it preconnects to youtube-nocookie.com, google.com and two
     doubleclick.net hosts: marking the class as already preconnected turns that off;
   - on Apple browsers and phones it loads YouTube's player API from www.youtube.com,
     whose player is not the nocookie one: a capture-phase listener, which runs before
     the element's own click handler, makes it use the plain nocookie iframe everywhere
     (on those browsers the reader taps play once more inside the player).
   lite-youtube-embed has no Vimeo facade, and lite-vimeo-embed asks Vimeo's API for a
   thumbnail on page load: the Vimeo facade below is a link that becomes an iframe with
   dnt=1 on click, a dozen lines not worth a dependency. */
(function () {
  "use strict";
  var lite = window.customElements && customElements.get("lite-youtube");
  if (lite) {
    lite.preconnected = true;
  }
  function nocookieOnly(event) {
    var facade = event.target.closest && event.target.closest("lite-youtube");
    if (facade) {
      facade.needsYTApi = false;
    }
  }
  document.addEventListener("click", nocookieOnly, true);
  document.addEventListener("keydown", nocookieOnly, true);

  function playVimeo(event) {
    var link = event.target.closest && event.target.closest(".recaps-vimeo a[data-embed]");
    if (!link || event.button > 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    var iframe = document.createElement("iframe");
    iframe.src = link.getAttribute("data-embed");
    iframe.title = link.getAttribute("data-title") || "Video";
    iframe.allow = "autoplay; fullscreen; picture-in-picture";
    iframe.allowFullscreen = true;
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    var facade = link.parentNode;
    facade.classList.add("recaps-activated");
    facade.replaceChildren(iframe);
    iframe.focus();
  }
  document.addEventListener("click", playVimeo);
})();
