// One navigation menu open at a time, and a click elsewhere closes it (a <details> alone stays open).
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("header.top details.menu[open]")) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  }
});

// Behaviour that would otherwise be an inline handler (the Content-Security-Policy allows scripts from this site only):
// data-print prints the page, data-autosubmit sends its form when the choice changes.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
