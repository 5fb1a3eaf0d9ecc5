// The navbar toggle, the only Bootstrap behaviour the site uses (collapse), without
// Bootstrap's 80 KB bundle: the same classes (show, collapsed) and aria-expanded.
document.addEventListener("click", (event) => {
  const button = event.target.closest('[data-bs-toggle="collapse"]');
  if (!button) return;
  const target = document.querySelector(button.getAttribute("data-bs-target"));
  if (!target) return;
  const open = target.classList.toggle("show");
  button.setAttribute("aria-expanded", String(open));
  button.classList.toggle("collapsed", !open);
});
