// A deploy as named steps: each step may leave an undo; when a step fails, the undos run in
// reverse order and the error names the step that failed.
import { AppError } from "@metacircular/mcdsl/errors";

export type Undo = () => Promise<void>;

export class StepFailure extends AppError {
  readonly step: string;

  constructor(service: string, action: string, step: string, cause: unknown) {
    const msg = cause instanceof Error ? cause.message : String(cause);
    const status = cause instanceof AppError && cause.status < 500 ? cause.status : 503;
    super(status, `${action}_failed`, `${action} ${service}: step ${step} failed: ${msg}`, {
      cause,
    });
    this.step = step;
  }
}

export class Steps {
  private readonly undos: Array<{ step: string; undo: Undo }> = [];
  /** Errors of undos that failed during a rollback (reported, never thrown over the cause). */
  readonly rollbackErrors: string[] = [];

  constructor(
    private readonly service: string,
    private readonly action: string,
  ) {}

  async run<T>(step: string, fn: (undo: (u: Undo) => void) => Promise<T>): Promise<T> {
    try {
      return await fn((u) => this.undos.push({ step, undo: u }));
    } catch (e) {
      await this.rollback();
      throw new StepFailure(this.service, this.action, step, e);
    }
  }

  private async rollback(): Promise<void> {
    for (const { step, undo } of this.undos.reverse()) {
      try {
        await undo();
      } catch (e) {
        this.rollbackErrors.push(`${step}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.undos.length = 0;
  }
}
