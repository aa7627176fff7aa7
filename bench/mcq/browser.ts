// Total blocking time of MCQ reader pages in headless Debian Chromium (playwright-core): long
// tasks (> 50 ms) are collected by a PerformanceObserver installed before the page's own code,
// from navigation until the page has been quiet for two seconds after load; TBT is the sum of
// each long task's time beyond 50 ms after first contentful paint (the Lighthouse definition,
// with the end of observation standing in for time to interactive).
import { launchBrowser } from "@metacircular/testkit";

export interface PageTiming {
  path: string;
  tbt: number;
  longest: number;
  fcp: number;
}

const OBSERVE = `
  window.__long = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); })
    .observe({ type: "longtask", buffered: true });
`;

const MEASURE = `(() => {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? 0;
  const blocking = [...document.querySelectorAll("head script")].filter(
    (s) => !s.src || !(s.defer || s.async || s.type === "module"),
  ).length;
  return { fcp, long: window.__long, blocking };
})()`;

export async function blockingTime(
  base: string,
  token: string,
  paths: string[],
): Promise<{ pages: PageTiming[]; blockingScripts: number; notes: string[] }> {
  const browser = await launchBrowser();
  const pages: PageTiming[] = [];
  let blockingScripts = 0;
  try {
    const ctx = await browser.newContext({
      extraHTTPHeaders: { Authorization: `Bearer ${token}` },
      viewport: { width: 1280, height: 900 },
    });
    await ctx.addInitScript(OBSERVE);
    // One unmeasured visit first: a fresh browser's first page also pays for its own start-up
    // (and the kit's scripts are then cached, as for a reader coming back to the queue).
    const warm = await ctx.newPage();
    await warm.goto(`${base}${paths[0]}`, { waitUntil: "load", timeout: 120_000 });
    await warm.close();
    for (const path of paths) {
      const page = await ctx.newPage();
      await page.goto(`${base}${path}`, { waitUntil: "load", timeout: 120_000 });
      await page.waitForTimeout(2_000);
      const m = (await page.evaluate(MEASURE)) as {
        fcp: number;
        long: Array<[number, number]>;
        blocking: number;
      };
      blockingScripts += m.blocking;
      const after = m.long.filter(([start, d]) => start + d > m.fcp);
      pages.push({
        path,
        fcp: m.fcp,
        tbt: after.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0),
        longest: Math.max(0, ...m.long.map(([, d]) => d)),
      });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const notes = pages.map(
    (p) =>
      `Chromium ${p.path}: first contentful paint ${p.fcp.toFixed(0)} ms, total blocking time ${p.tbt.toFixed(0)} ms, longest task ${p.longest.toFixed(0)} ms.`,
  );
  return { pages, blockingScripts, notes };
}
