// The health check (REST GET /v1/health through mcdsl's createApp, gRPC AdminService/Health):
// mcq is healthy when its database answers.
import { AppError } from "@metacircular/mcdsl/errors";

export interface HealthReport {
  status: "ok";
  service: "mcq";
  version: string;
}

export class Health {
  constructor(
    private readonly ping: () => unknown,
    private readonly version: string,
  ) {}

  ready(): boolean {
    try {
      this.ping();
      return true;
    } catch {
      return false;
    }
  }

  /** The report, or 503 unavailable when the database does not answer. */
  report(): HealthReport {
    if (!this.ready()) throw AppError.unavailable("the database does not answer");
    return { status: "ok", service: "mcq", version: this.version };
  }
}
