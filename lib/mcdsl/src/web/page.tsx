// The page frame every service's web UI shares: head (kit stylesheet, htmx and the kit script
// from /_kit/, an inline SVG favicon, no inline script or style, so a strict CSP holds), a
// header with the brand and a navigation that folds into a menu on a phone (details/summary,
// no script), flash messages and the page heading. hono/jsx escapes every interpolated value.

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { type WebKitAssets, webKitAssets } from "./assets.ts";
import { type Flash, FlashMessage } from "./parts.tsx";

export interface NavItem {
  readonly href: string;
  readonly label: string;
}

export interface PageProps {
  /** The service's short name: brand text, title suffix and favicon letter. */
  app: string;
  title: string;
  /** Where the brand links to (default "/"). */
  home?: string | undefined;
  nav?: readonly NavItem[] | undefined;
  /** The current path; the nav item with the longest href above it gets aria-current. */
  current?: string | undefined;
  /** Extra header content after the links (e.g. the user's name and a sign-out form). */
  navExtra?: Child;
  flash?: readonly Flash[] | undefined;
  /** Content beside the page heading (e.g. a primary action). */
  actions?: Child;
  /** A narrow column for sign-in and other single-form pages. */
  narrow?: boolean | undefined;
  /** The favicon/brand colour (any CSS colour without quotes); default the kit accent. */
  color?: string | undefined;
  /** Links the kit's prose stylesheet (rendered markdown), after kit.css, before `styles`. */
  prose?: boolean | undefined;
  /** Extra stylesheets served by the service itself ('self'), linked after the kit's. */
  styles?: readonly string[] | undefined;
  /** Extra scripts served by the service itself ('self'), loaded deferred after the kit's. */
  scripts?: readonly string[] | undefined;
  /** Attributes for the #app element wrapping header and main (e.g. hx-boost, hx-headers). */
  appAttrs?: Readonly<Record<string, string>> | undefined;
  /** The htmx-config meta value; default KIT_HTMX_CONFIG. */
  htmxConfig?: string | undefined;
  assets?: WebKitAssets | undefined;
  children?: Child;
}

/** htmx settings fit for a strict CSP: no eval, no injected style, swap error pages too. */
export const KIT_HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  historyCacheSize: 0,
  responseHandling: [
    { code: "204", swap: false },
    { code: "...", swap: true },
  ],
});

const DEFAULT_COLOR = "#0b57d0";

/** A square icon with the service's initial; used as the favicon and the header brand mark. */
export function iconSvg(app: string, color = DEFAULT_COLOR): string {
  const letter = (app.match(/[A-Za-z0-9]/)?.[0] ?? "M").toUpperCase();
  const fill = /^[#A-Za-z0-9(),.% -]{1,40}$/.test(color) ? color : DEFAULT_COLOR;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" aria-hidden="true">` +
    `<rect width="32" height="32" rx="7" fill="${fill}"/>` +
    `<text x="16" y="22.5" font-family="system-ui,sans-serif" font-size="18" font-weight="700" ` +
    `text-anchor="middle" fill="#fff">${letter}</text></svg>`
  );
}

export function faviconHref(app: string, color?: string): string {
  return `data:image/svg+xml,${encodeURIComponent(iconSvg(app, color))}`;
}

/** The item for a path: the longest href that equals it or is a folder above it. */
export function currentItem(
  items: readonly NavItem[],
  path: string | undefined,
): string | undefined {
  if (path === undefined) return undefined;
  const above = (href: string) =>
    path === href || path.startsWith(href.endsWith("/") ? href : `${href}/`);
  return items
    .map((i) => i.href)
    .filter(above)
    .sort((a, b) => b.length - a.length)[0];
}

function Nav(p: { items: readonly NavItem[]; current?: string | undefined; extra?: Child }) {
  const current = currentItem(p.items, p.current);
  return (
    <details class="kit-nav">
      <summary>Menu</summary>
      <div class="kit-nav-body">
        <nav aria-label="Main">
          <ul class="kit-nav-links">
            {p.items.map((i) => (
              <li>
                <a href={i.href} aria-current={i.href === current ? "page" : undefined}>
                  {i.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {p.extra && <div class="kit-nav-extra">{p.extra}</div>}
      </div>
    </details>
  );
}

export function Page(p: PageProps) {
  const a = p.assets ?? webKitAssets();
  const hasNav = (p.nav?.length ?? 0) > 0 || p.navExtra !== undefined;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={p.htmxConfig ?? KIT_HTMX_CONFIG} />
        <title>{`${p.title} · ${p.app}`}</title>
        <link rel="icon" type="image/svg+xml" href={faviconHref(p.app, p.color)} />
        <link rel="stylesheet" href={a.href.css} />
        {p.prose ? <link rel="stylesheet" href={a.href.prose} /> : null}
        {(p.styles ?? []).map((s) => (
          <link rel="stylesheet" href={s} />
        ))}
        <script src={a.href.htmx} defer></script>
        <script src={a.href.js} defer></script>
        {(p.scripts ?? []).map((s) => (
          <script src={s} defer></script>
        ))}
      </head>
      <body>
        <a class="kit-skip" href="#main">
          Skip to content
        </a>
        <div id="app" {...(p.appAttrs ?? {})}>
          <header class="kit-header">
            <div class="kit-header-inner">
              <a class="kit-brand" href={p.home ?? "/"}>
                {raw(iconSvg(p.app, p.color))}
                <span>{p.app}</span>
              </a>
              {hasNav && <Nav items={p.nav ?? []} current={p.current} extra={p.navExtra} />}
            </div>
          </header>
          <main id="main" class={p.narrow ? "kit-main kit-narrow" : "kit-main"}>
            <div class="kit-page-head">
              <h1>{p.title}</h1>
              {p.actions && <div class="kit-actions">{p.actions}</div>}
            </div>
            {(p.flash ?? []).map((f) => (
              <FlashMessage {...f} />
            ))}
            {p.children}
          </main>
        </div>
      </body>
    </html>
  );
}

/** The whole document as a string, doctype first. */
export async function renderPage(p: PageProps): Promise<string> {
  return `<!doctype html>${await (<Page {...p} />)}`;
}
