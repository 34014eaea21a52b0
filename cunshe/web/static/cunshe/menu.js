// One navigation menu open at a time, and a click elsewhere closes it (a <details> alone stays open).
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("header.top details.menu[open]")) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  }
});
