// A real git server on loopback for MCDoc's tests and benchmark: a small Node HTTP server in
// front of Debian git's `git http-backend` (CGI, smart HTTP: clone, fetch and push), bare
// repositories whose post-receive hook sends a push webhook signed exactly as Gitea signs it
// (X-Gitea-Signature: hex HMAC-SHA256 of the body; openssl computes it, curl posts it).
import { execFile, execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

export interface GitServer {
  url: string;
  root: string;
  /** Creates a bare repository whose push hook posts to hookUrl, signed with the secret file. */
  createRepo(name: string, hook: { url: string; secretFile: string }): string;
  stop(): Promise<void>;
}

const HOOK = `#!/bin/sh
# post-receive: one Gitea-style push webhook per updated ref.
while read old new ref; do
  body=$(printf '{"ref":"%s","before":"%s","after":"%s","repository":{"name":"%s","full_name":"test/%s","clone_url":"%s"}}' "$ref" "$old" "$new" "$MC_REPO" "$MC_REPO" "$MC_CLONE")
  sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$(cat "$MC_SECRET_FILE")" -hex | sed 's/^.*= //')
  curl -s -o /dev/null --max-time 10 -X POST -H 'content-type: application/json' \\
    -H 'X-Gitea-Event: push' -H "X-Gitea-Signature: $sig" --data-binary "$body" "$MC_HOOK_URL" || true
done
`;

function git(args: string[], cwd?: string): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function cgi(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://git");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: "1",
    REQUEST_METHOD: req.method ?? "GET",
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    REMOTE_USER: "tester",
    REMOTE_ADDR: req.socket.remoteAddress ?? "",
  };
  if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
  if (req.headers["git-protocol"]) env.GIT_PROTOCOL = String(req.headers["git-protocol"]);
  const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "inherit"] });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let sent = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (sent) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf("\r\n\r\n");
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split("\r\n")) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    sent = true;
    res.write(head.subarray(end + 4));
  });
  child.on("close", () => {
    if (!sent) res.writeHead(502);
    res.end();
  });
}

export async function startGitServer(root: string): Promise<GitServer> {
  mkdirSync(root, { recursive: true });
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => cgi(root, req, res));
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    root,
    createRepo(name, hook) {
      const dir = join(root, `${name}.git`);
      git(["init", "--bare", "--quiet", "--initial-branch=main", dir]);
      git(["config", "http.receivepack", "true"], dir);
      const hookFile = join(dir, "hooks/post-receive");
      const vars = `MC_REPO='${name}'\nMC_CLONE='${url}/${name}.git'\nMC_HOOK_URL='${hook.url}'\nMC_SECRET_FILE='${hook.secretFile}'\n`;
      writeFileSync(hookFile, HOOK.replace("\n", `\n${vars}`));
      chmodSync(hookFile, 0o755);
      return `${url}/${name}.git`;
    },
    async stop() {
      await new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      });
    },
  };
}

/** A working clone to commit and push from (author set, main branch). */
export function workClone(dir: string, remote: string) {
  mkdirSync(dir, { recursive: true });
  git(["init", "--quiet", "--initial-branch=main", dir]);
  git(["config", "user.name", "MCDoc test"], dir);
  git(["config", "user.email", "mcdoc@test.invalid"], dir);
  git(["remote", "add", "origin", remote], dir);
  return {
    dir,
    write(path: string, body: string | Buffer) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), body);
    },
    /** Asynchronous: the server may run in this very process. */
    async commitAndPush(message: string): Promise<string> {
      git(["add", "-A"], dir);
      git(["commit", "--quiet", "-m", message], dir);
      await promisify(execFile)("git", ["push", "--quiet", "origin", "main"], { cwd: dir });
      return git(["rev-parse", "HEAD"], dir).trim();
    },
  };
}
