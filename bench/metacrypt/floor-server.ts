// The floor for the transit benchmark: a bare node:http server that does what one transit
// encrypt does at its core (JSON in, AES-256-GCM with a fresh 96-bit nonce, JSON out) and
// nothing else: no authentication, policy, audit or barrier. Prints its URL on stdout.
import { createCipheriv, randomBytes } from "node:crypto";
import { createServer } from "node:http";

const key = randomBytes(32);

function encrypt(plaintext: Buffer): string {
  const nonce = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, nonce);
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return `floor:v1:${Buffer.concat([nonce, body, c.getAuthTag()]).toString("base64")}`;
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const { plaintext } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      plaintext: string;
    };
    const out = JSON.stringify({ ciphertext: encrypt(Buffer.from(plaintext, "base64")) });
    res.writeHead(200, { "content-type": "application/json" }).end(out);
  });
});
server.listen(0, "127.0.0.1", () => {
  const a = server.address();
  if (a && typeof a === "object") console.log(`floor listening http://127.0.0.1:${a.port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
