// Copy buttons: <button data-copy="input-id" data-copied="message">, status in #input-id-status.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById(`${button.dataset.copy}-status`);
  if (!field) return;
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy"); // older browsers, and pages not served over https
  }
  if (status) status.textContent = button.dataset.copied || "";
});
