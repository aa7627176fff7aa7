// Runs collections with the configured grace period and upload TTL: on request (admin API,
// mcrctl gc) and, when [gc] interval_seconds is set, on a timer.
import type { Logger } from "@metacircular/mcdsl/log";
import type { RegistryMetrics } from "../metrics.ts";
import type { RegistryContext } from "../registry/context.ts";
import { collectGarbage, type GcReport } from "./collect.ts";

export interface GcSettings {
  graceSeconds: number;
  uploadTtlSeconds: number;
  intervalSeconds: number;
}

export class GcRunner {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: RegistryContext,
    private readonly s: GcSettings,
    private readonly log: Logger,
    private readonly metrics: RegistryMetrics,
  ) {}

  run(dryRun: boolean): GcReport {
    const report = collectGarbage(this.ctx, {
      graceMs: this.s.graceSeconds * 1000,
      uploadTtlMs: this.s.uploadTtlSeconds * 1000,
      dryRun,
    });
    if (!dryRun) {
      this.metrics.gcRuns.inc();
      this.metrics.gcBytes.inc(report.bytes);
    }
    this.log.info(
      {
        dryRun,
        manifests: report.manifests.length,
        blobs: report.blobs.length,
        bytes: report.bytes,
        uploads: report.uploads.length,
      },
      "garbage collection",
    );
    return report;
  }

  start(): void {
    if (this.s.intervalSeconds <= 0) return;
    this.timer = setInterval(() => {
      try {
        this.run(false);
      } catch (err) {
        this.log.error({ err }, "scheduled garbage collection failed");
      }
    }, this.s.intervalSeconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
