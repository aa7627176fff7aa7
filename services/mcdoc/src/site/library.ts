// The library: every configured repository, its source and its state. A refresh fetches one
// repository, builds a new snapshot and swaps it in with its search rows in one step; refreshes
// of one repository never overlap (a request during a refresh runs once more after it). A failed
// fetch keeps the snapshot being served; at start-up the last fetched commit in the cache is
// rendered when the remote is down.
import type { Logger } from "@metacircular/mcdsl/log";
import type { SearchIndex } from "../db/search-index.ts";
import type { McdocMetrics } from "../metrics.ts";
import type { Source, SourceTree } from "../sources/tree.ts";
import { type BuildDeps, buildSnapshot, type RepoInfo } from "./build.ts";
import type { RepoSnapshot, RepoState } from "./snapshot.ts";

export interface LibraryEntry {
  info: RepoInfo;
  source: Source;
  /** Names a webhook may use for it: the name, "owner/name", clone and web URLs. */
  aliases: string[];
  /** The branch or tag rendered (remotes); a push to another ref is ignored. */
  ref?: string;
}

interface Slot {
  entry: LibraryEntry;
  state: RepoState;
  running?: Promise<void>;
  again: boolean;
}

export interface LibraryDeps extends BuildDeps {
  index: SearchIndex;
  metrics: McdocMetrics;
  logger: Logger;
  /** Called after a snapshot is swapped in (the home page is prepared again). */
  onChange(): void;
}

export class Library {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly deps: LibraryDeps) {}

  /** Replaces the set of repositories (config + Gitea discovery); kept slots keep their state. */
  setEntries(entries: LibraryEntry[]): string[] {
    const added: string[] = [];
    const names = new Set(entries.map((e) => e.info.name));
    for (const name of this.slots.keys()) {
      if (!names.has(name)) {
        this.slots.delete(name);
        this.deps.index.replace(name, []);
      }
    }
    for (const e of entries) {
      const slot = this.slots.get(e.info.name);
      if (slot) slot.entry = e;
      else {
        this.slots.set(e.info.name, { entry: e, state: { kind: "pending" }, again: false });
        added.push(e.info.name);
      }
    }
    this.deps.onChange();
    return added;
  }

  names(): string[] {
    return [...this.slots.keys()].sort();
  }

  state(name: string): RepoState | undefined {
    return this.slots.get(name)?.state;
  }

  snapshot(name: string): RepoSnapshot | undefined {
    const s = this.slots.get(name)?.state;
    return s?.kind === "ready" ? s.snapshot : undefined;
  }

  entry(name: string): LibraryEntry | undefined {
    return this.slots.get(name)?.entry;
  }

  entries(): LibraryEntry[] {
    return [...this.slots.values()].map((s) => s.entry);
  }

  /** Refreshes one repository; resolves when the refresh that covers this request is done. */
  refresh(name: string): Promise<void> {
    const slot = this.slots.get(name);
    if (!slot) return Promise.resolve();
    if (slot.running) {
      slot.again = true;
      return slot.running;
    }
    const run = async () => {
      do {
        slot.again = false;
        await this.refreshOnce(slot);
      } while (slot.again);
    };
    slot.running = run().finally(() => {
      slot.running = undefined;
    });
    return slot.running;
  }

  async refreshAll(): Promise<void> {
    await Promise.all(this.names().map((n) => this.refresh(n)));
  }

  private async refreshOnce(slot: Slot): Promise<void> {
    const name = slot.entry.info.name;
    const end = this.deps.metrics.refreshSeconds.startTimer({ repo: name });
    const prev = slot.state.kind === "ready" ? slot.state.snapshot : undefined;
    let tree: SourceTree | undefined;
    let error: string | undefined;
    try {
      tree = await slot.entry.source.load();
    } catch (err) {
      error = (err as Error).message;
      this.deps.logger.warn(
        { repo: name, err: error },
        "source unreachable: serving the last render",
      );
      if (!prev) tree = await slot.entry.source.cached();
    }
    try {
      let result = error ? "failed" : "unchanged";
      if (tree && tree.revision !== prev?.revision) {
        const snap = await buildSnapshot(slot.entry.info, tree, prev, this.deps);
        this.swap(slot, snap, error);
        this.deps.logger.info(
          { repo: name, revision: snap.revision, pages: snap.pages.size },
          "rendered",
        );
        if (!error) result = "rendered";
      } else this.markError(slot, error);
      this.deps.metrics.refreshes.inc({ repo: name, result });
    } catch (err) {
      this.deps.logger.error({ repo: name, err }, "render failed: serving the last render");
      this.markError(slot, (err as Error).message);
      this.deps.metrics.refreshes.inc({ repo: name, result: "failed" });
    }
    end();
  }

  private swap(slot: Slot, snap: RepoSnapshot, error: string | undefined): void {
    if (this.slots.get(snap.name) !== slot) return; // removed while rendering
    const prev = slot.state.kind === "ready" ? slot.state.snapshot : undefined;
    if (prev) {
      // Pages reused from the previous render are the same objects: their rows stay.
      const changed = [...snap.pages.values()].filter((p) => prev.pages.get(p.path) !== p);
      const removed = [...prev.pages.keys()].filter((path) => !snap.pages.has(path));
      this.deps.index.update(snap.name, changed, removed);
    } else this.deps.index.replace(snap.name, snap.pages.values());
    slot.state = error
      ? { kind: "ready", snapshot: snap, error, failedAt: new Date() }
      : { kind: "ready", snapshot: snap };
    this.deps.metrics.pages.set({ repo: snap.name }, snap.pages.size);
    this.deps.metrics.brokenLinks.set({ repo: snap.name }, snap.broken.length);
    this.deps.onChange();
  }

  private markError(slot: Slot, error: string | undefined): void {
    const s = slot.state;
    const next: RepoState =
      s.kind === "ready"
        ? error
          ? { kind: "ready", snapshot: s.snapshot, error, failedAt: new Date() }
          : { kind: "ready", snapshot: s.snapshot }
        : error
          ? { kind: "pending", error }
          : { kind: "pending" };
    const changed = (s.error ?? "") !== (next.error ?? "");
    slot.state = next;
    if (changed) this.deps.onChange();
  }
}
