// A small libpod REST client: the calls the agent makes, each one HTTP request on podman's Unix
// socket (about 3 ms for a list where `podman ps` forks a process and costs ~60 ms).
import { AppError } from "@metacircular/mcdsl/errors";
import { podmanError } from "./errors.ts";
import { LogFrameReader } from "./log-frames.ts";
import { LibpodTransport } from "./transport.ts";
import type { ContainerInfo, ContainerSpec, ImageInfo, RegistryAuth } from "./types.ts";
import { toContainerInfo, toSpecGenerator } from "./wire.ts";

/**
 * X-Registry-Auth as podman decodes it: JSON in base64 with the URL alphabet *and* padding (Go's
 * base64.URLEncoding; Node's "base64url" leaves the padding out, which podman refuses).
 */
export function registryAuthHeader(auth: RegistryAuth): string {
  return Buffer.from(JSON.stringify(auth))
    .toString("base64")
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
}

export interface PullOptions {
  auth?: RegistryAuth;
  /** Verify the registry's certificate (default true). */
  tlsVerify?: boolean;
}

export class PodmanClient {
  private readonly t: LibpodTransport;

  constructor(socketPath: string) {
    this.t = new LibpodTransport(socketPath);
  }

  get socketPath(): string {
    return this.t.socketPath;
  }

  close(): void {
    this.t.close();
  }

  private async json<T>(what: string, req: Parameters<LibpodTransport["send"]>[0]): Promise<T> {
    const r = await this.t.send(req);
    if (r.status >= 300) throw podmanError(what, r.status, r.body);
    return (r.body.length ? JSON.parse(r.body.toString("utf8")) : undefined) as T;
  }

  async version(): Promise<{ version: string; apiVersion: string }> {
    const v = await this.json<{ Version: string; ApiVersion: string }>("version", {
      method: "GET",
      path: "/version",
    });
    return { version: v.Version, apiVersion: v.ApiVersion };
  }

  /** Pulls an image; resolves with its id once podman has it. */
  async pullImage(reference: string, opts: PullOptions = {}): Promise<string> {
    const headers: Record<string, string> = {};
    if (opts.auth) {
      headers["x-registry-auth"] = registryAuthHeader(opts.auth);
    }
    const r = await this.t.send({
      method: "POST",
      path: "/images/pull",
      query: { reference, quiet: true, tlsVerify: opts.tlsVerify ?? true },
      headers,
      timeoutMs: 600_000,
    });
    if (r.status >= 300) throw podmanError(`pull ${reference}`, r.status, r.body);
    let id = "";
    for (const line of r.body.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      const msg = JSON.parse(line) as { error?: string; id?: string };
      if (msg.error)
        throw new AppError(503, "image_pull_failed", `pull ${reference}: ${msg.error}`);
      if (msg.id) id = msg.id;
    }
    if (!id) throw new AppError(503, "image_pull_failed", `pull ${reference}: no image id`);
    return id;
  }

  /** The image, or undefined when podman does not have it. */
  async inspectImage(name: string): Promise<ImageInfo | undefined> {
    const r = await this.t.send({
      method: "GET",
      path: `/images/${encodeURIComponent(name)}/json`,
    });
    if (r.status === 404) return undefined;
    if (r.status >= 300) throw podmanError(`inspect image ${name}`, r.status, r.body);
    const j = JSON.parse(r.body.toString("utf8")) as {
      Id: string;
      RepoTags?: string[];
      Digest?: string;
    };
    return { id: j.Id, repoTags: j.RepoTags ?? [], digest: j.Digest ?? "" };
  }

  async removeImage(name: string): Promise<void> {
    const r = await this.t.send({
      method: "DELETE",
      path: `/images/${encodeURIComponent(name)}`,
      query: { force: true },
    });
    if (r.status >= 300 && r.status !== 404)
      throw podmanError(`remove image ${name}`, r.status, r.body);
  }

  /** Creates a container; returns its id. */
  async createContainer(spec: ContainerSpec): Promise<string> {
    const j = await this.json<{ Id: string }>(`create ${spec.name}`, {
      method: "POST",
      path: "/containers/create",
      body: toSpecGenerator(spec),
    });
    return j.Id;
  }

  async startContainer(name: string): Promise<void> {
    const r = await this.t.send({
      method: "POST",
      path: `/containers/${encodeURIComponent(name)}/start`,
    });
    if (r.status >= 300 && r.status !== 304) throw podmanError(`start ${name}`, r.status, r.body);
  }

  /** SIGTERM, then SIGKILL after `timeoutSeconds`; stopping a stopped container is fine. */
  async stopContainer(name: string, timeoutSeconds = 10): Promise<void> {
    const r = await this.t.send({
      method: "POST",
      path: `/containers/${encodeURIComponent(name)}/stop`,
      query: { timeout: timeoutSeconds },
      timeoutMs: (timeoutSeconds + 60) * 1000,
    });
    if (r.status >= 300 && r.status !== 304) throw podmanError(`stop ${name}`, r.status, r.body);
  }

  /** Renames a container (running or not): the old version steps aside for the new one. */
  async renameContainer(name: string, to: string): Promise<void> {
    const r = await this.t.send({
      method: "POST",
      path: `/containers/${encodeURIComponent(name)}/rename`,
      query: { name: to },
    });
    if (r.status >= 300) throw podmanError(`rename ${name}`, r.status, r.body);
  }

  /** Force-removes a container and its anonymous volumes; a missing one is not an error. */
  async removeContainer(name: string): Promise<void> {
    const r = await this.t.send({
      method: "DELETE",
      path: `/containers/${encodeURIComponent(name)}`,
      query: { force: true, v: true },
    });
    if (r.status >= 300 && r.status !== 404) throw podmanError(`remove ${name}`, r.status, r.body);
  }

  /** Containers, all states; `label` filters ("mcp.service=hello" or a bare key). */
  async listContainers(label?: string): Promise<ContainerInfo[]> {
    const filters = label ? JSON.stringify({ label: [label] }) : undefined;
    const rows = await this.json<unknown[]>("list", {
      method: "GET",
      path: "/containers/json",
      query: { all: true, filters },
    });
    return rows.map((r) => toContainerInfo(r));
  }

  /** The container, or undefined when there is none by that name or id. */
  async inspectContainer(name: string): Promise<ContainerInfo | undefined> {
    const r = await this.t.send({
      method: "GET",
      path: `/containers/${encodeURIComponent(name)}/json`,
    });
    if (r.status === 404) return undefined;
    if (r.status >= 300) throw podmanError(`inspect ${name}`, r.status, r.body);
    return toContainerInfo(JSON.parse(r.body.toString("utf8")));
  }

  /** The last `tail` lines of stdout and stderr, interleaved as written. */
  async logs(name: string, tail = 100): Promise<string> {
    const r = await this.t.send({
      method: "GET",
      path: `/containers/${encodeURIComponent(name)}/logs`,
      query: { stdout: true, stderr: true, tail },
    });
    if (r.status >= 300) throw podmanError(`logs ${name}`, r.status, r.body);
    return Buffer.concat(new LogFrameReader().push(r.body).map((f) => f.data)).toString("utf8");
  }

  /** Follows the log until `signal` aborts; each frame's text goes to `onText`. */
  async followLogs(
    name: string,
    onText: (s: string) => void,
    signal: AbortSignal,
    tail = 100,
  ): Promise<void> {
    const res = await this.t.open({
      method: "GET",
      path: `/containers/${encodeURIComponent(name)}/logs`,
      query: { stdout: true, stderr: true, follow: true, tail },
      timeoutMs: 0,
    });
    if ((res.statusCode ?? 0) >= 300) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw podmanError(`logs ${name}`, res.statusCode ?? 0, Buffer.concat(chunks));
    }
    const reader = new LogFrameReader();
    signal.addEventListener("abort", () => res.destroy(), { once: true });
    try {
      for await (const c of res)
        for (const f of reader.push(c as Buffer)) onText(f.data.toString("utf8"));
    } catch (e) {
      if (!signal.aborted) throw e;
    }
  }
}
