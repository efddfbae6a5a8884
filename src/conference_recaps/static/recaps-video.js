/* Talk pages only: the video facades' privacy guards, the Vimeo facade, and chapter links
   that play the page's own player from their moment.

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
   dnt=1 on click, a dozen lines not worth a dependency.

   A chapter's time (chapters.html) is a link to the video on its host at that moment,
   and stays one without this script. With it, a plain click loads the page's player
   there instead: YouTube's `start` player parameter, through lite-youtube-embed's
   documented `params` attribute, then a click on the element as the reader's would be;
   Vimeo's `#t=`. A player already loaded is loaded again at the new moment: seeking it
   would need YouTube's player API, the www.youtube.com script refused above. As the play
   button does, the click scrolls the player into view and moves focus into it. */
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

  /* The link under a plain click, or null: a click with a modifier opens the link as usual. */
  function clicked(event, selector) {
    var link = event.target.closest && event.target.closest(selector);
    var modified = event.button > 0 || event.ctrlKey || event.metaKey || event.shiftKey;
    return modified || event.defaultPrevented ? null : link;
  }

  function playVimeo(facade, start) {
    var iframe = document.createElement("iframe");
    iframe.src = facade.getAttribute("data-embed") + (start ? "#t=" + start + "s" : "");
    iframe.title = facade.getAttribute("data-title") || "Video";
    iframe.allow = "autoplay; fullscreen; picture-in-picture";
    iframe.allowFullscreen = true;
    iframe.referrerPolicy = "strict-origin-when-cross-origin";
    facade.classList.add("recaps-activated");
    facade.replaceChildren(iframe);
    iframe.focus();
  }

  function playYouTube(facade, start) {
    var params = new URLSearchParams(facade.getAttribute("params") || "");
    params.set("start", start);
    facade.setAttribute("params", params.toString());
    var playing = facade.querySelector("iframe");
    if (playing) {
      playing.remove();
      facade.classList.remove("lyt-activated");
    }
    facade.click();
  }

  document.addEventListener("click", function (event) {
    var link = clicked(event, ".recaps-vimeo a.recaps-play");
    if (link) {
      event.preventDefault();
      playVimeo(link.parentNode, 0);
      return;
    }
    link = clicked(event, "a.recaps-chapter-time[data-start]");
    var youtube = lite && document.querySelector(".recaps-video lite-youtube");
    var vimeo = document.querySelector(".recaps-video .recaps-vimeo[data-embed]");
    if (!link || !(youtube || vimeo)) {
      return;
    }
    event.preventDefault();
    (youtube || vimeo).scrollIntoView({ block: "start" });
    (youtube ? playYouTube : playVimeo)(youtube || vimeo, link.getAttribute("data-start"));
  });
})();
