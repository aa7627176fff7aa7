// For the platform tests: Debian Chromium (playwright-core) in front of a running `npm start`.
// Every *.localhost name resolves to 127.0.0.1, exactly as the platform binds it (Chromium would
// otherwise also try ::1, where nothing listens), and the leaves npm start issued for the given
// names are accepted by their key, as if Metacrypt's DEV CA were installed; the origins stay
// https://<name>:<web port>.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "@metacircular/testkit";
import { type Browser, chromium } from "playwright-core";

/** base64 SHA-256 of a certificate's SubjectPublicKeyInfo (Chromium's SPKI pin form). */
export function spkiPin(certFile: string): string {
  const pub = execFileSync("openssl", ["x509", "-in", certFile, "-pubkey", "-noout"]);
  const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "der"], { input: pub });
  return execFileSync("openssl", ["dgst", "-sha256", "-binary"], { input: der }).toString("base64");
}

/** Chromium trusting the leaves of `hostnames` under <dataDir>/ca/. */
export function platformBrowser(dataDir: string, hostnames: readonly string[]): Promise<Browser> {
  const pins = hostnames.map((h) => spkiPin(join(dataDir, "ca", `${h}.crt`)));
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      ...CHROMIUM_ARGS,
      `--ignore-certificate-errors-spki-list=${pins.join(",")}`,
      "--host-resolver-rules=MAP *.localhost 127.0.0.1",
    ],
  });
}
