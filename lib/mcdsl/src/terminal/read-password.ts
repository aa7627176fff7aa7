// readPassword: from a terminal without echo (raw mode), or one line from stdin when it is not a
// terminal, so scripts can pipe a password in. The prompt goes to stderr, keeping stdout clean
// for --json output.
import type { Readable, Writable } from "node:stream";
import { PasswordCollector } from "./collector.ts";

export interface PasswordInput extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export interface ReadPasswordOptions {
  input?: PasswordInput;
  output?: Writable;
}

export class PasswordInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasswordInputError";
  }
}

export function readPassword(prompt: string, opts: ReadPasswordOptions = {}): Promise<string> {
  const input = opts.input ?? (process.stdin as PasswordInput);
  const output = opts.output ?? process.stderr;
  if (input.isTTY && typeof input.setRawMode === "function") return readRaw(prompt, input, output);
  return readLine(input);
}

function readRaw(prompt: string, input: PasswordInput, output: Writable): Promise<string> {
  return new Promise((resolve, reject) => {
    const collector = new PasswordCollector();
    input.setRawMode!(true);
    input.setEncoding("utf8");
    output.write(prompt);
    const finish = (err: Error | null, value?: string) => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.setRawMode!(false);
      input.pause();
      output.write("\n");
      if (err) reject(err);
      else resolve(value!);
    };
    const onData = (chunk: string) => {
      const r = collector.feed(chunk);
      if (r.state === "done") finish(null, r.value);
      else if (r.state === "aborted")
        finish(new PasswordInputError(r.reason === "eof" ? "no password entered" : "interrupted"));
    };
    const onEnd = () => finish(new PasswordInputError("no password entered"));
    input.on("data", onData);
    input.once("end", onEnd);
    input.resume();
  });
}

/** One line; the rest of the input is pushed back for whoever reads stdin next. */
function readLine(input: PasswordInput): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (err: Error | null, value?: string) => {
      input.off("data", onData);
      input.off("end", onEnd);
      input.off("error", onError);
      input.pause();
      if (err) reject(err);
      else resolve(value!);
    };
    const onData = (chunk: Buffer | string) => {
      buf = Buffer.concat([buf, typeof chunk === "string" ? Buffer.from(chunk) : chunk]);
      const nl = buf.indexOf(0x0a);
      if (nl < 0) return;
      const rest = buf.subarray(nl + 1);
      const line = buf.subarray(0, nl).toString("utf8").replace(/\r$/, "");
      done(null, line);
      if (rest.length > 0) input.unshift(rest);
    };
    const onEnd = () => {
      const line = buf.toString("utf8").replace(/\r$/, "");
      if (line === "") done(new PasswordInputError("no password on stdin"));
      else done(null, line);
    };
    const onError = (e: Error) => done(e);
    input.on("data", onData);
    input.once("end", onEnd);
    input.once("error", onError);
    input.resume();
  });
}
