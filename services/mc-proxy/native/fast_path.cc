// The L4 fast path: when JS has published a listener's exact-name L4 routes (FastTable) and the
// whole ClientHello sits in the first TLS record, the I/O thread reads the SNI itself and starts
// the relay without asking JS, which then only hears about it in the next lazy event batch.
// Anything unusual (no SNI, a ClientHello spread over records, a name the table lacks, bytes the
// parser does not like) goes the ordinary way through JS, whose parser
// (src/protocol/client-hello.ts) stays the authority: this one accepts a subset of what that one
// accepts and must agree with it on the name (a differential fuzz test checks both).
#include <cstring>

#include "ingress.h"

namespace ingress {

namespace {

uint32_t U16(const uint8_t* p) { return (static_cast<uint32_t>(p[0]) << 8) | p[1]; }

bool HostChar(uint8_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Labels of 1-63 characters from [A-Za-z0-9_-], not starting with '-', separated by single dots,
// at most 253 characters. A trailing dot is refused here (JS normalises those).
bool ValidHost(const uint8_t* p, size_t n) {
  if (n == 0 || n > 253) return false;
  size_t label = 0;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    if (label == 0 ? !HostChar(c) : !(HostChar(c) || c == '-')) return false;
    if (++label > 63) return false;
  }
  return label > 0;
}

// The server_name extension body: the first host_name entry.
bool ParseSniExt(const uint8_t* b, size_t start, size_t end, std::string* sni) {
  if (start + 2 > end) return false;
  size_t listEnd = start + 2 + U16(b + start);
  if (listEnd > end) return false;
  size_t p = start + 2;
  while (p < listEnd) {
    if (p + 3 > listEnd) return false;
    uint8_t type = b[p];
    size_t len = U16(b + p + 1);
    if (p + 3 + len > listEnd) return false;
    if (type == 0) {
      if (!ValidHost(b + p + 3, len)) return false;
      sni->assign(reinterpret_cast<const char*>(b + p + 3), len);
      for (char& ch : *sni)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      return true;
    }
    p += 3 + len;
  }
  return false;  // no host_name entry: JS decides
}

bool AlpnOk(const uint8_t* b, size_t start, size_t end) {
  if (start + 2 > end) return false;
  size_t listEnd = start + 2 + U16(b + start);
  if (listEnd > end) return false;
  size_t p = start + 2;
  while (p < listEnd) {
    size_t len = b[p];
    if (len == 0 || p + 1 + len > listEnd) return false;
    p += 1 + len;
  }
  return true;
}

}  // namespace

bool FastSni(const uint8_t* buf, size_t n, std::string* sni) {
  if (n < 9 || buf[0] != 0x16 || buf[1] != 0x03) return false;
  size_t recLen = U16(buf + 3);
  if (recLen == 0 || recLen > 16384 + 2048 || 5 + recLen > n) return false;
  const uint8_t* hs = buf + 5;
  if (recLen < 4 || hs[0] != 0x01) return false;
  size_t bodyLen = (static_cast<size_t>(hs[1]) << 16) | (static_cast<size_t>(hs[2]) << 8) | hs[3];
  if (4 + bodyLen > recLen) return false;  // continues in another record: JS reassembles
  if (4 + bodyLen > 16 * 1024 + 20) return false;  // JS refuses these as too large
  const uint8_t* b = hs + 4;
  size_t p = 2 + 32;  // client_version + random
  if (p + 1 > bodyLen) return false;
  p += 1 + b[p];  // session_id
  if (p + 2 > bodyLen) return false;
  p += 2 + U16(b + p);  // cipher_suites
  if (p + 1 > bodyLen) return false;
  p += 1 + b[p];  // compression_methods
  if (p + 2 > bodyLen) return false;
  size_t extEnd = p + 2 + U16(b + p);
  if (extEnd > bodyLen) return false;
  p += 2;
  bool found = false;
  while (p < extEnd) {
    if (p + 4 > extEnd) return false;
    uint32_t type = U16(b + p);
    size_t end = p + 4 + U16(b + p + 2);
    if (end > extEnd) return false;
    if (type == 0x0000) {
      sni->clear();
      if (!ParseSniExt(b, p + 4, end, sni)) return false;
      found = true;
    } else if (type == 0x0010 && !AlpnOk(b, p + 4, end)) {
      return false;
    }
    p = end;
  }
  return found;
}

const FastRoute* FastTable::Find(const std::string& sni) const {
  auto it = routes.find(sni);
  return it == routes.end() ? nullptr : &it->second;
}

bool IoThread::TryFastPath(Conn* c) {
  const Listener* l = nullptr;
  for (const Listener* x : listeners_)
    if (x->id == c->listenerId) l = x;
  if (l == nullptr || !l->fast) return false;
  std::string sni;
  if (!FastSni(c->peek.data(), c->peek.size(), &sni)) return false;
  const FastRoute* r = l->fast->Find(sni);
  if (r == nullptr) return false;
  // Booked by JS from the lazy event; its 'closed' event always comes later in the same stream.
  std::vector<uint8_t> rec;
  PutFastEvent(rec, *c, sni);
  sink_->Push(rec, false);
  if (lazySince_ < 0) lazySince_ = now_;
  fastHits.fetch_add(1, std::memory_order_relaxed);
  std::vector<uint8_t> first;
  first.swap(c->peek);
  StartConnect(c, r->addr, r->addrLen, std::move(first), r->idleMs);
  return true;
}

}  // namespace ingress
