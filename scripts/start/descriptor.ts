// What the supervisor needs to know about one service of the local platform: one descriptor per
// service (scripts/start/services/<name>.ts), listed once in scripts/start/registry.ts. The
// supervisor derives everything else from the list: the port layout and its free-port check,
// the data-dir folders, certificates, MC-Proxy's listeners and routes, the child processes and
// their probes, the ready table, the next-step commands and the CLI profile.
import type { Layout } from "./layout.ts";

/** One loopback port at a fixed offset from the port base (offsets are unique platform-wide). */
export interface PortSpec {
  /** Platform-wide name, e.g. "mcqHttp"; descriptors read ports through ctx.port(key). */
  key: string;
  offset: number;
  /** Shown when the port is taken: "MCQ REST API". */
  label: string;
  /** Also bound as UDP (DNS). */
  udp?: boolean;
}

/**
 * An MC-Proxy route on the shared HTTPS listener (the "web" listener, port key "web"), chosen
 * by SNI. l7: MC-Proxy terminates TLS with a platform-issued certificate for `hostname` and
 * forwards plain HTTP to the backend; l4: the TLS stream passes through to a backend that
 * terminates TLS itself (declare the hostname in `tlsNames` so it gets a certificate).
 */
export interface ProxyRoute {
  hostname: string;
  mode: "l7" | "l4";
  backendPort: number;
}

/**
 * A web UI's MCIAS single sign-on client: MCIAS lists it in its generated config
 * ([[sso_clients]]) and the service names it in its [sso] section, both rewritten on every
 * start, so the redirect URI follows the web port.
 */
export interface SsoClient {
  clientId: string;
  /** https://<hostname>:<web port>/sso/callback, registered byte for byte. */
  redirectUri: string;
  /** The login-policy service the sign-in is for (the UI's [mcias] service_name). */
  serviceName: string;
}

/** Files of a certificate the platform CA issued (key mode 0600). */
export interface CertFiles {
  cert: string;
  key: string;
}

export interface PlatformContext {
  repoRoot: string;
  layout: Layout;
  /** The port of a PortSpec key; throws for an unknown key. */
  port(key: string): number;
  /** https://<hostname>:<web port>: a name routed by MC-Proxy. */
  origin(hostname: string): string;
  /** Where the certificate for a hostname (an l7 route or a tlsNames entry) is kept. */
  cert(hostname: string): CertFiles;
  /** Every route of every service (MC-Proxy seeds its listener from them). */
  routes(): ProxyRoute[];
  /** Every web UI's SSO client (MCIAS registers them in its config). */
  ssoClients(): SsoClient[];
  /** The first admin's generated password while MCIAS has not run yet (else undefined). */
  adminPassword: string | undefined;
}

/** How the supervisor runs the service: `node --import tsx <entry> ...args`, from the checkout. */
export interface LaunchSpec {
  /** Entry file relative to the repository root. */
  entry: string;
  args: string[];
  /** Extra environment for the child (the rest is the supervisor's, minus envPrefixes). */
  env?: Record<string, string>;
}

/** What the ready summary knows beyond the context: the first admin's password while it works. */
export interface ReadyContext extends PlatformContext {
  /** The generated password and its file while it still works; undefined once changed. */
  admin: { password: string; file: string } | undefined;
  /** ` < <password file>` to append to a login command (empty once the password changed). */
  passwordStdin: string;
  /** Single-quotes a shell word when it needs it. */
  sh(word: string): string;
}

/** One row of the ready table; `title` empty for a continuation row. */
export interface ReadyRow {
  title: string;
  url: string;
  direct: string;
  credentials: string;
}

export interface ServiceDescriptor {
  /** Process, log file (<data>/logs/<name>.log) and data folder (<data>/<name>/) name. */
  name: string;
  /** Environment variable prefixes the child must not inherit (they override its config). */
  envPrefixes: string[];
  ports: PortSpec[];
  /**
   * An optional service: why it cannot run on this machine (it is then skipped, the reason and
   * how to enable it in the log and the ready summary), or undefined when it can. An optional
   * service that never gets healthy is given up on alone; the rest of the platform stays up.
   */
  unavailable?(): string | undefined;
  /** Hostnames the service terminates TLS for itself (certificates issued before it starts). */
  tlsNames?(c: PlatformContext): string[];
  routes?(c: PlatformContext): ProxyRoute[];
  /** Its web UI signs in through MCIAS SSO with this client. */
  ssoClient?(c: PlatformContext): SsoClient;
  /** Runs on every start, before any service starts: writes the config (mode 0600). */
  writeConfig(c: PlatformContext): void;
  launch(c: PlatformContext): LaunchSpec;
  /** One health probe; true when the service answers. */
  healthy(c: PlatformContext): Promise<boolean>;
  ready(c: ReadyContext): ReadyRow[];
  /** Shell lines (two-space indented) for "Next:" in the ready summary. */
  nextSteps?(c: ReadyContext): string[];
  /** The CLI profile's entry for this service, under `key` (lib/mcdsl/src/cli/profile.ts). */
  profile?: { key: string; entry(c: PlatformContext): Record<string, string> };
}
