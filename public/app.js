// Small progressive enhancements on top of htmx; the console works without this file.
document.addEventListener('htmx:afterSettle', () => {
  const flash = document.querySelector('#flash .flash:not(.error)');
  if (flash) setTimeout(() => flash.remove(), 6000);
});
