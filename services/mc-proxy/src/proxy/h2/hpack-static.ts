// The HPACK static table (RFC 7541 Appendix A), 1-based, with lookups for the encoder.
const ENTRIES =
  ":authority;:method GET;:method POST;:path /;:path /index.html;:scheme http;:scheme https;" +
  ":status 200;:status 204;:status 206;:status 304;:status 400;:status 404;:status 500;" +
  "accept-charset;accept-encoding gzip, deflate;accept-language;accept-ranges;accept;" +
  "access-control-allow-origin;age;allow;authorization;cache-control;content-disposition;" +
  "content-encoding;content-language;content-length;content-location;content-range;" +
  "content-type;cookie;date;etag;expect;expires;from;host;if-match;if-modified-since;" +
  "if-none-match;if-range;if-unmodified-since;last-modified;link;location;max-forwards;" +
  "proxy-authenticate;proxy-authorization;range;referer;refresh;retry-after;server;set-cookie;" +
  "strict-transport-security;transfer-encoding;user-agent;vary;via;www-authenticate";

/** STATIC_NAMES[i], STATIC_VALUES[i] for index i (1..61); index 0 unused. */
export const STATIC_NAMES: string[] = [""];
export const STATIC_VALUES: string[] = [""];

/** name → first static index carrying that name. */
export const STATIC_NAME_INDEX = new Map<string, number>();
/** name → (value → static index of the exact pair), for the few names with static values. */
export const STATIC_PAIR_INDEX = new Map<string, Map<string, number>>();
/** The encoder's single lookup per field: name → first index and exact pairs (if any). */
export const STATIC_LOOKUP = new Map<
  string,
  { index: number; pairs: Map<string, number> | null }
>();

for (const e of ENTRIES.split(";")) {
  const sp = e.indexOf(" ");
  const name = sp < 0 ? e : e.slice(0, sp);
  const value = sp < 0 ? "" : e.slice(sp + 1);
  const i = STATIC_NAMES.length;
  STATIC_NAMES.push(name);
  STATIC_VALUES.push(value);
  if (!STATIC_NAME_INDEX.has(name)) STATIC_NAME_INDEX.set(name, i);
  if (value !== "") {
    let byValue = STATIC_PAIR_INDEX.get(name);
    if (byValue === undefined) {
      byValue = new Map();
      STATIC_PAIR_INDEX.set(name, byValue);
    }
    byValue.set(value, i);
  }
}

for (const [name, index] of STATIC_NAME_INDEX)
  STATIC_LOOKUP.set(name, { index, pairs: STATIC_PAIR_INDEX.get(name) ?? null });

export const STATIC_COUNT = STATIC_NAMES.length - 1;
