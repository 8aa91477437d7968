// The browser test reads this: how many chart points were laid out with a size on the page.
window.addEventListener("load", () => {
  const dots = [...document.querySelectorAll("svg.pygal-chart circle.dot")];
  const drawn = dots.filter((d) => { const b = d.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
  document.body.dataset.renderedPoints = String(drawn.length);
});
