// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move keyboard and screen-reader focus to the error summary after a failed submit.
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // Language switch: change on select, the button stays for keyboard and no-JS users.
});
