// Where a supervised service's output goes: appended to <data-dir>/logs/<name>.log, optionally
// echoed to the terminal with a name prefix (--logs), and the last lines kept in memory so a
// crash report can show why the process died.
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";
import type { Readable } from "node:stream";

const TAIL_LINES = 8;

export class ServiceLog {
  readonly path: string;
  private readonly file: WriteStream;
  private readonly tail: string[] = [];
  private partial = "";

  constructor(
    logsDir: string,
    private readonly name: string,
    private readonly echo: boolean,
  ) {
    this.path = join(logsDir, `${name}.log`);
    this.file = createWriteStream(this.path, { flags: "a", mode: 0o600 });
  }

  attach(stream: Readable | null): void {
    stream?.on("data", (chunk: Buffer) => this.write(chunk));
  }

  note(line: string): void {
    this.file.write(`${JSON.stringify({ time: Date.now(), supervisor: line })}\n`);
  }

  private write(chunk: Buffer): void {
    this.file.write(chunk);
    const text = this.partial + chunk.toString("utf8");
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) {
      if (!line) continue;
      this.tail.push(line);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
      if (this.echo) process.stdout.write(`${this.name.padEnd(8)} | ${line}\n`);
    }
  }

  lastLines(): string[] {
    return [...this.tail];
  }

  close(): Promise<void> {
    return new Promise((r) => this.file.end(r));
  }
}
