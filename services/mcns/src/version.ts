// Version reported by --version and /v1/health.
export const VERSION = "0.1.0";
