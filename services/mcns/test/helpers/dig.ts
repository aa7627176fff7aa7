// Runs Debian's dig or kdig against a server and parses the parts of the output tests compare.

import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface DigRecord {
  name: string;
  ttl: number;
  type: string;
  data: string;
}

export interface DigResult {
  status: string;
  flags: string[];
  answer: DigRecord[];
  authority: DigRecord[];
  additional: DigRecord[];
  raw: string;
}

function parseRecord(line: string): DigRecord {
  const m = /^(\S+)\s+(\d+)\s+IN\s+(\S+)\s*(.*)$/.exec(line.trim());
  if (!m) throw new Error(`unparsable record line: ${line}`);
  return { name: m[1]!, ttl: Number(m[2]), type: m[3]!, data: m[4]!.trim() };
}

export function parseDigOutput(raw: string): DigResult {
  const res: DigResult = { status: "", flags: [], answer: [], authority: [], additional: [], raw };
  let section: "answer" | "authority" | "additional" | undefined;
  for (const line of raw.split("\n")) {
    const st = /status: (\w+)/.exec(line);
    if (st) res.status = st[1]!;
    const fl = /flags: ([a-z ]+);/.exec(line);
    if (fl && res.flags.length === 0) res.flags = fl[1]!.trim().split(/\s+/);
    if (/ANSWER SECTION:/.test(line)) section = "answer";
    else if (/AUTHORITY SECTION:/.test(line)) section = "authority";
    else if (/ADDITIONAL SECTION:/.test(line)) section = "additional";
    else if (line.trim() === "" || line.startsWith(";")) {
      if (line.trim() === "") section = undefined;
    } else if (section) {
      const rec = parseRecord(line);
      if (rec.type !== "OPT") res[section].push(rec);
    }
  }
  return res;
}

export async function dig(
  port: number,
  name: string,
  type: string,
  extra: string[] = [],
): Promise<DigResult> {
  const args = [
    "@127.0.0.1",
    "-p",
    String(port),
    name,
    type,
    "+norec",
    "+nocookie",
    "+tries=1",
    "+time=10",
    "+noall",
    "+comments",
    "+answer",
    "+authority",
    "+additional",
    ...extra,
  ];
  const { stdout } = await run("dig", args, { timeout: 15_000 });
  return parseDigOutput(stdout);
}

export async function kdig(
  port: number,
  name: string,
  type: string,
  extra: string[] = [],
): Promise<DigResult> {
  const args = [
    "@127.0.0.1",
    "-p",
    String(port),
    name,
    type,
    "+norec",
    "+retry=0",
    "+time=10",
    "+nostats",
    ...extra,
  ];
  const { stdout } = await run("kdig", args, { timeout: 15_000 });
  return parseKdigOutput(stdout);
}

/** kdig prints "status: X" and "Flags: qr aa" in its header, then ;; SECTION lines. */
export function parseKdigOutput(raw: string): DigResult {
  const res: DigResult = { status: "", flags: [], answer: [], authority: [], additional: [], raw };
  let section: "answer" | "authority" | "additional" | undefined;
  for (const line of raw.split("\n")) {
    const st = /status: (\w+)/.exec(line);
    if (st) res.status = st[1]!;
    const fl = /Flags: ([a-z ]+);/.exec(line);
    if (fl) res.flags = fl[1]!.trim().split(/\s+/);
    if (/ANSWER SECTION:/.test(line)) section = "answer";
    else if (/AUTHORITY SECTION:/.test(line)) section = "authority";
    else if (/ADDITIONAL SECTION:/.test(line)) section = "additional";
    else if (/^;; [A-Z ]+(SECTION|PSEUDOSECTION):/.test(line)) section = undefined;
    else if (line.startsWith(";;") || line.trim() === "") {
      if (line.trim() === "") section = undefined;
    } else if (section) {
      const rec = parseRecord(line);
      if (rec.type !== "OPT") res[section].push(rec);
    }
  }
  return res;
}

/** Many queries in one dig process (-f batch file); results in query order. */
export async function digBatch(
  port: number,
  queries: Array<[string, string]>,
  extra: string[] = [],
): Promise<DigResult[]> {
  const { mkdtempSync, writeFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const dir = mkdtempSync(join(tmpdir(), "mcns-dig-"));
  const file = join(dir, "batch");
  writeFileSync(file, `${queries.map(([n, t]) => `${n} ${t}`).join("\n")}\n`);
  try {
    const { stdout } = await run(
      "dig",
      [
        "@127.0.0.1",
        "-p",
        String(port),
        "-f",
        file,
        "+norec",
        "+nocookie",
        "+tries=1",
        "+time=10",
        "+noall",
        "+comments",
        "+answer",
        "+authority",
        "+additional",
        ...extra,
      ],
      { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    const parts = stdout.split(/(?=^;; ->>HEADER<<-)/m).filter((p) => p.includes("->>HEADER<<-"));
    if (parts.length !== queries.length)
      throw new Error(`dig batch: ${parts.length} answers for ${queries.length} queries`);
    return parts.map(parseDigOutput);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
