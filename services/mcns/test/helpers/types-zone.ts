// A zone with every record type MCNS stores natively (the RFC 1035 ones, AAAA, SRV, CAA, RFC 3597 generic, HINFO, NAPTR, CERT,
// DS, DNSKEY, TLSA, SSHFP, URI, SVCB, HTTPS) written as an operator would, for import/export
// round trips and differential runs against NSD. It is accepted by nsd-checkzone.

export const TYPES_ZONE = "types.example";

export const TYPES_ZONE_FILE = `$ORIGIN types.example.
$TTL 3600
@        IN SOA ns1 hostmaster 2024061501 7200 900 1209600 300
@        IN NS  ns1
ns1      300 IN A 192.0.2.53
ns1      300 IN AAAA 2001:db8::53
@        300 IN MX 10 ns1
@        300 IN CAA 0 issue "letsencrypt.org"
txt      300 IN TXT "v=spf1 -all" "second"
_sip._udp 300 IN SRV 10 5 5060 ns1
53       300 IN PTR ns1.types.example.
cname    300 IN CNAME ns1
private  300 IN TYPE65400 \\# 4 deadbeef
hinfo    300 IN HINFO "amd64" "Debian Linux"
naptr    300 IN NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp.types.example.
naptr    300 IN NAPTR 10 0 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .
cert     300 IN CERT PKIX 12345 RSASHA256 MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A
ds       300 IN DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
ds       300 IN DS 60485 8 2 ( D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B83
                               83F6A1E4469DA50A )
dnskey   300 IN DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==
tlsa     300 IN TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6
_443._tcp.www 300 IN TLSA 2 0 2 ( 92003BA34942DC74152E2F2C408D29ECA5A520E7F2E06BB944F4DCA346BAF63C
                                   1B177615D466F6C4B71C216A50292BD58C9EBDD2F74E38FE51FFD48C43326CBC )
sshfp    300 IN SSHFP 4 2 5D4C46D48C1A2A5CB8E2A8A6B2D41E1C1A3B8C7F1B4A52FE3C0D9E6C2B9A7F41
sshfp    300 IN SSHFP 1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac
uri      300 IN URI 10 1 "ftp://ftp1.example.com/public"
svc      300 IN SVCB 1 svc-pool.types.example. alpn="h2,h3" port=8443 ipv4hint=192.0.2.1,192.0.2.2
svc2     300 IN SVCB 16 foo.example.org. mandatory=alpn,ipv4hint alpn=h2,h3-19 ipv4hint=192.0.2.1
alias    300 IN SVCB 0 svc-pool.types.example.
@        300 IN HTTPS 1 . alpn=h3 no-default-alpn ipv6hint=2001:db8::1 ech=AEP+DQA/BAAgACBCpXOfCQF4GMMFYHnGbHM6OqPtWNhy2cLVF9sJD2CbvQAEAAEAAQAQcHVibGljLmV4YW1wbGUuY29tAAA=
www      300 IN HTTPS 1 . port=8443 key667=hello key65000
`;

/** (owner relative to the zone, type) for every RRset in the file. */
export const TYPES_QUERIES: Array<[string, string]> = [
  ["@", "SOA"],
  ["@", "NS"],
  ["@", "HTTPS"],
  ["ns1", "A"],
  ["ns1", "AAAA"],
  ["@", "MX"],
  ["@", "CAA"],
  ["txt", "TXT"],
  ["_sip._udp", "SRV"],
  ["53", "PTR"],
  ["cname", "CNAME"],
  ["private", "TYPE65400"],
  ["hinfo", "HINFO"],
  ["naptr", "NAPTR"],
  ["cert", "CERT"],
  ["ds", "DS"],
  ["dnskey", "DNSKEY"],
  ["tlsa", "TLSA"],
  ["_443._tcp.www", "TLSA"],
  ["sshfp", "SSHFP"],
  ["uri", "URI"],
  ["svc", "SVCB"],
  ["svc2", "SVCB"],
  ["alias", "SVCB"],
  ["www", "HTTPS"],
  ["www", "SVCB"],
  ["uri", "TXT"],
  ["nope", "HTTPS"],
];
