// The pages composed per request or per change: the home page (every repository), a
// repository's broken links and the not-found page (search results: search-view.tsx).
import { EmptyState, formatUtc } from "@metacircular/mcdsl/web";
import type { BrokenLink, RepoState } from "../site/snapshot.ts";
import { dirUrl, pageUrl } from "../site/urls.ts";
import { frame, type SiteInfo } from "./frame.tsx";

export interface RepoCard {
  name: string;
  title: string;
  description: string;
  state: RepoState;
}

function Status(p: { state: RepoState }) {
  const s = p.state;
  if (s.kind === "pending") {
    return <p class="doc-status">{s.error ? `Not available yet: ${s.error}` : "Being fetched…"}</p>;
  }
  const snap = s.snapshot;
  return (
    <p class="doc-status">
      {snap.pages.size} pages · revision <code>{snap.revision.slice(0, 12)}</code> · rendered{" "}
      {formatUtc(snap.builtAt.toISOString())}
      {s.error ? (
        <strong class="doc-stale"> · source unreachable, showing the last good render</strong>
      ) : null}
    </p>
  );
}

export function homePage(site: SiteInfo, repos: RepoCard[]): Promise<string> {
  const body = repos.length ? (
    <ul class="doc-repos" id="repos">
      {repos.map((r) => (
        <li>
          <h2>
            <a href={dirUrl(r.name, "")}>{r.title}</a>
          </h2>
          {r.description ? <p>{r.description}</p> : null}
          <Status state={r.state} />
        </li>
      ))}
    </ul>
  ) : (
    <EmptyState id="empty" title="No repositories">
      Add <code>[[repos]]</code> or a <code>[gitea]</code> organisation to mcdoc.toml.
    </EmptyState>
  );
  return frame(site, { title: site.title, path: "/", body });
}

export function brokenPage(site: SiteInfo, repo: string, title: string, broken: BrokenLink[]) {
  const body = broken.length ? (
    <table class="doc-broken" id="broken">
      <thead>
        <tr>
          <th scope="col">Page</th>
          <th scope="col">Link</th>
        </tr>
      </thead>
      <tbody>
        {broken.map((b) => (
          <tr>
            <td>
              <a href={pageUrl(repo, b.page)}>{b.page}</a>
            </td>
            <td>
              <code>{b.href}</code>
              {b.kind === "image" ? " (image)" : ""}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  ) : (
    <EmptyState id="no-broken" title="No broken links">
      Every internal link and image of {title} resolves.
    </EmptyState>
  );
  return frame(site, { title: `Broken links: ${title}`, path: dirUrl(repo, ""), body });
}

export function notFoundPage(site: SiteInfo, path: string) {
  const body = (
    <EmptyState id="not-found" title="No such page">
      Nothing is published at <code>{path}</code>. <a href="/">All repositories</a>
    </EmptyState>
  );
  return frame(site, { title: "Not found", path, body });
}
