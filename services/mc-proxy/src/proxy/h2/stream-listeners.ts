// The on()/once() listeners of a lean stream, for the users that want node-style events (gRPC
// forwarding, tests): created only when one registers, so the forwarding hot path, which gets
// its events as direct calls (StreamConsumer), pays nothing for them. EventEmitter semantics for
// what is used: listeners run in registration order with the stream as `this`, once-listeners
// are removed before the call.

/** Any listener (each event passes at most one argument). */
export type Listener = (...args: never[]) => void;

interface Registered {
  fn: Listener;
  once: boolean;
}

export class Listeners {
  private readonly byEvent = new Map<string | symbol, Registered[]>();

  constructor(private readonly target: object) {}

  add(event: string | symbol, fn: Listener, once: boolean): void {
    const list = this.byEvent.get(event);
    if (list === undefined) this.byEvent.set(event, [{ fn, once }]);
    else list.push({ fn, once });
  }

  remove(event: string | symbol, fn: Listener): void {
    const list = this.byEvent.get(event);
    if (list === undefined) return;
    for (let i = list.length - 1; i >= 0; i--) {
      if ((list[i] as Registered).fn === fn) {
        list.splice(i, 1);
        return;
      }
    }
  }

  /** Calls the listeners of `event`; false when there were none. */
  emit(event: string | symbol, arg?: unknown): boolean {
    const list = this.byEvent.get(event);
    if (list === undefined || list.length === 0) return false;
    const calls = list.slice();
    for (let i = list.length - 1; i >= 0; i--) if ((list[i] as Registered).once) list.splice(i, 1);
    for (const r of calls) (r.fn as (arg?: unknown) => void).call(this.target, arg);
    return true;
  }
}
