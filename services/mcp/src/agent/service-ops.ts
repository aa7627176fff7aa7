// The operator's day-to-day use cases beside deploy: restart, following a log, files in and out
// of the service's folder, snapshot and restore of that folder. Same rules as the Agent's: no
// guests, and anything that changes the service runs in the node's one-at-a-time queue.
import type { ReadStream } from "node:fs";
import { AppError } from "@metacircular/mcdsl/errors";
import type { Identity } from "@metacircular/mcdsl/grpc";
import { type Agent, assertOperator } from "./agent.ts";
import { startService, stopService } from "./lifecycle.ts";
import { receiveArchive, restoreFolder, snapshotStream } from "./service-archive.ts";
import {
  DEFAULT_FILES,
  type FilesConfig,
  openServiceFile,
  writeServiceFile,
} from "./service-files.ts";

const actor = (id: Identity) => `${id.accountType}:${id.username}`;

export class ServiceOps {
  constructor(private readonly agent: Agent) {}

  private get files(): FilesConfig {
    return this.agent.deps.files ?? DEFAULT_FILES;
  }

  restart(id: Identity, name: string): Promise<void> {
    assertOperator(id);
    const d = this.agent.deps;
    return this.agent.serial(async () => {
      await stopService(d, name);
      await startService(d, name, actor(id));
    });
  }

  /** The component's container (default: the first), as the registry records it. */
  private container(service: string, component: string): string {
    const comps = this.agent.deps.registry.components(service);
    const c = component ? comps.find((x) => x.name === component) : comps[0];
    if (!c) {
      throw AppError.notFound(
        "unknown_component",
        `no component ${component || "(first)"} in ${service}`,
      );
    }
    return c.container;
  }

  /** Follows the log until `signal` aborts; text goes to `onText` as podman sends it. */
  followLogs(
    id: Identity,
    q: { service: string; component: string; tail: number },
    onText: (s: string) => void,
    signal: AbortSignal,
  ): Promise<void> {
    assertOperator(id);
    const name = this.container(q.service, q.component);
    const tail = Math.min(Math.max(q.tail || 100, 1), 10_000);
    return this.agent.deps.podman.followLogs(name, onText, signal, tail);
  }

  pushFile(
    id: Identity,
    f: { service: string; path: string; mode: number },
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<number> {
    assertOperator(id);
    return writeServiceFile(this.files, f.service, f.path, f.mode, chunks);
  }

  pullFile(id: Identity, service: string, path: string): Promise<ReadStream> {
    assertOperator(id);
    return openServiceFile(this.files, service, path);
  }

  snapshot(id: Identity, service: string): Promise<ReadStream> {
    assertOperator(id);
    return snapshotStream(this.files, service);
  }

  /** Replaces the folder; a deployed, running service is stopped for it and started again. */
  async restore(
    id: Identity,
    service: string,
    chunks: AsyncIterable<Uint8Array>,
  ): Promise<{ entries: number; bytes: number }> {
    assertOperator(id);
    const got = await receiveArchive(this.files, chunks);
    const d = this.agent.deps;
    try {
      return await this.agent.serial(async () => {
        const running = d.registry.getService(service)?.desired === "running";
        if (running) await stopService(d, service);
        try {
          return await restoreFolder(this.files, service, got.file);
        } finally {
          if (running) await startService(d, service, actor(id));
        }
      });
    } finally {
      await got.cleanup();
    }
  }
}
