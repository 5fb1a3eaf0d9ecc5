// Copy the article link; falls back to selecting the text where the Clipboard API is unavailable
// (plain http, older WeChat in-app browsers).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-share-copy]");
  if (!button) return;
  const block = button.closest("[data-share]");
  const input = block.querySelector("[data-share-url]");
  const status = block.querySelector("[data-share-status]");
  try {
    await navigator.clipboard.writeText(input.value);
  } catch (error) {
    input.select();
    document.execCommand("copy");
  }
  status.textContent = button.dataset.copiedText;
});
