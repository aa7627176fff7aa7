// Metacircular web kit, browser side (served from /_kit/; the pages carry no inline script).
// Times: every <time class="kit-time" datetime="…Z"> is rendered by the server in UTC; here it
// is rewritten in the viewer's own time zone, with the UTC value kept in its title (hover).
// It runs on load and again on whatever htmx swaps in.
(() => {
  // "2026-12-06 18:32:29 CET": the same compact shape as the UTC text, in the viewer's zone.
  const FORMAT = new Intl.DateTimeFormat(undefined, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  });

  function format(when) {
    const p = {};
    for (const part of FORMAT.formatToParts(when)) p[part.type] = part.value;
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
  }

  function localTimes(root) {
    const scope = root?.querySelectorAll ? root : document;
    for (const el of scope.querySelectorAll("time.kit-time[datetime]")) {
      if (el.dataset.kitLocal === "1") continue;
      const when = new Date(el.getAttribute("datetime"));
      if (Number.isNaN(when.getTime())) continue;
      el.textContent = format(when);
      el.dataset.kitLocal = "1";
    }
  }

  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", () => localTimes(document));
  else localTimes(document);
  document.addEventListener("htmx:load", (ev) => localTimes(ev.target));
})();
