// The header's menu button. On a narrow screen (app.css says how narrow) the navigation folds behind
// it; the button tells assistive technology whether it is open (aria-expanded), Escape closes it.
// Without this script the button stays hidden and the navigation simply wraps.
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-button");
  var nav = document.getElementById("site-nav");
  if (!button || !nav) {
    return;
  }

  function setOpen(open) {
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  header.classList.add("has-menu");
  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
