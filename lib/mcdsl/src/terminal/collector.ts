// The keystroke handler behind readPassword in raw mode, kept free of I/O so it can be tested
// byte by byte: Enter finishes, Backspace deletes, Ctrl-U clears, Ctrl-C and Ctrl-D abort.

export type CollectResult =
  | { state: "more" }
  | { state: "done"; value: string }
  | { state: "aborted"; reason: "interrupted" | "eof" };

export class PasswordCollector {
  private chars: string[] = [];

  /** Feeds decoded terminal input; stops at the first finishing key. */
  feed(input: string): CollectResult {
    for (const ch of input) {
      switch (ch) {
        case "\r":
        case "\n":
          return { state: "done", value: this.chars.join("") };
        case "\u0003":
          return { state: "aborted", reason: "interrupted" };
        case "\u0004":
          if (this.chars.length === 0) return { state: "aborted", reason: "eof" };
          break;
        case "\u007f":
        case "\b":
          this.chars.pop();
          break;
        case "\u0015":
          this.chars = [];
          break;
        default:
          // Other control characters (arrows arrive as ESC sequences) are ignored.
          if (ch >= " " && ch !== "\u001b") this.chars.push(ch);
      }
    }
    return { state: "more" };
  }
}
