// Runs before first paint, so a dark-theme user never sees a white flash.
(function () {
  var theme = null;
  try {
    theme = localStorage.getItem('closewatch-theme');
  } catch (e) {}
  if (theme !== 'light' && theme !== 'dark') {
    theme = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
})();
