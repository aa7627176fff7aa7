// The benchmark zone: ~1,000 records of mixed types, plus the dnsperf query list over it.

export const BENCH_ZONE = "bench.mcp.metacircular.net";

export function benchZoneFile(): string {
  const lines = [
    `$ORIGIN ${BENCH_ZONE}.`,
    "$TTL 3600",
    "@ IN SOA ns1 hostmaster 2026010100 3600 600 1209600 300",
    "@ IN NS ns1",
    "@ IN NS ns2",
    "ns1 IN A 10.0.0.1",
    "ns2 IN A 10.0.0.2",
    "@ IN MX 10 mail",
    "mail IN A 10.0.0.3",
  ];
  for (let i = 0; i < 600; i++) lines.push(`host${i} 300 IN A 10.${(i >> 8) & 255}.${i & 255}.1`);
  for (let i = 0; i < 200; i++) lines.push(`host${i} 300 IN AAAA 2001:db8::${i.toString(16)}`);
  for (let i = 0; i < 100; i++) lines.push(`alias${i} 300 IN CNAME host${i}`);
  for (let i = 0; i < 50; i++) lines.push(`svc${i} 300 IN TXT "service ${i}" "v=1"`);
  for (let i = 0; i < 50; i++) lines.push(`_svc${i}._tcp 300 IN SRV 10 5 ${8000 + i} host${i}`);
  lines.push("*.apps 300 IN A 10.9.9.9");
  return `${lines.join("\n")}\n`;
}

/** dnsperf input: existing names (most), CNAMEs, wildcards, NODATA and NXDOMAIN. */
export function benchQueries(): string {
  const q: string[] = [];
  for (let i = 0; i < 600; i++) q.push(`host${i}.${BENCH_ZONE} A`);
  for (let i = 0; i < 200; i++) q.push(`host${i}.${BENCH_ZONE} AAAA`);
  for (let i = 0; i < 100; i++) q.push(`alias${i}.${BENCH_ZONE} A`);
  for (let i = 0; i < 50; i++) q.push(`svc${i}.${BENCH_ZONE} TXT`);
  for (let i = 0; i < 50; i++) q.push(`_svc${i}._tcp.${BENCH_ZONE} SRV`);
  for (let i = 0; i < 50; i++) q.push(`x${i}.apps.${BENCH_ZONE} A`);
  for (let i = 0; i < 50; i++) q.push(`host${i}.${BENCH_ZONE} MX`);
  for (let i = 0; i < 50; i++) q.push(`missing${i}.${BENCH_ZONE} A`);
  q.push(`${BENCH_ZONE} SOA`, `${BENCH_ZONE} NS`, `${BENCH_ZONE} MX`);
  return `${q.join("\n")}\n`;
}
