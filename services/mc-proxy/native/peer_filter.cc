// The firewall's address lists at accept time: a peer on the deny list (and not on the allow
// list, which wins) is reset by the I/O thread before it can send a byte, the way the node:net
// path resets it at accept. JS publishes the lists with the listener's policy (only for listeners
// without PROXY protocol in, where the peer is the client) and still counts every drop; country
// blocks and rate limits stay in JS and apply at the first bytes.
#include <arpa/inet.h>

#include <cstring>

#include "ingress.h"

namespace ingress {

namespace {

// IPv4 addresses (and IPv4-mapped IPv6 ones) as family 4 with 4 bytes; IPv6 with 16.
bool PeerBytes(const sockaddr_storage& ss, int* family, uint8_t out[16]) {
  if (ss.ss_family == AF_INET) {
    memcpy(out, &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr, 4);
    *family = 4;
    return true;
  }
  if (ss.ss_family != AF_INET6) return false;
  const uint8_t* a = reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr.s6_addr;
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (memcmp(a, kMapped, 12) == 0) {
    memcpy(out, a + 12, 4);
    *family = 4;
    return true;
  }
  memcpy(out, a, 16);
  *family = 6;
  return true;
}

// Node's BlockList semantics, which the JS firewall uses: an IPv4 peer also matches IPv6 entries
// through its mapped form ::ffff:a.b.c.d.
bool Matches(const Net& n, int family, const uint8_t* a) {
  uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (family == 4 && n.family == 6) {
    memcpy(mapped + 12, a, 4);
    a = mapped;
  } else if (n.family != family) {
    return false;
  }
  int full = n.prefix / 8, rest = n.prefix % 8;
  if (memcmp(n.addr, a, static_cast<size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (n.addr[full] & mask) == (a[full] & mask);
}

bool Any(const std::vector<Net>& list, int family, const uint8_t* a) {
  for (const Net& n : list)
    if (Matches(n, family, a)) return true;
  return false;
}

}  // namespace

bool ParseNet(const std::string& text, Net* out) {
  size_t b = text.find_first_not_of(" \t"), e = text.find_last_not_of(" \t");
  if (b == std::string::npos) return false;
  std::string s = text.substr(b, e - b + 1);
  std::string addr = s;
  int prefix = -1;
  size_t slash = s.find('/');
  if (slash != std::string::npos) {
    addr = s.substr(0, slash);
    std::string len = s.substr(slash + 1);
    if (len.empty() || len.size() > 3 || len.find_first_not_of("0123456789") != std::string::npos)
      return false;
    prefix = std::stoi(len);
  }
  *out = Net{};
  if (inet_pton(AF_INET, addr.c_str(), out->addr) == 1) {
    out->family = 4;
    if (prefix > 32) return false;
    out->prefix = prefix < 0 ? 32 : prefix;
    return true;
  }
  if (inet_pton(AF_INET6, addr.c_str(), out->addr) == 1) {
    out->family = 6;
    if (prefix > 128) return false;
    out->prefix = prefix < 0 ? 128 : prefix;
    return true;
  }
  return false;
}

bool PeerFilter::Denies(const sockaddr_storage& peer) const {
  int family;
  uint8_t a[16];
  if (!PeerBytes(peer, &family, a)) return false;
  return !Any(allow, family, a) && Any(deny, family, a);
}

}  // namespace ingress
