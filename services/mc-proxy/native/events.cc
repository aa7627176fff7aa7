// Small shared pieces of the ingress addon: the clock, address formatting, the little-endian
// event record writers (one per event type; src/io/events.ts decodes them) and the EventSink
// that carries event records from the I/O threads to JS.
#include <arpa/inet.h>
#include <time.h>

#include <cstring>

#include "ingress.h"

namespace ingress {

int64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string AddrString(const sockaddr_storage& ss, uint16_t* port) {
  char text[INET6_ADDRSTRLEN] = {0};
  if (ss.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    inet_ntop(AF_INET6, &a->sin6_addr, text, sizeof text);
    *port = ntohs(a->sin6_port);
  } else if (ss.ss_family == AF_INET) {
    auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    inet_ntop(AF_INET, &a->sin_addr, text, sizeof text);
    *port = ntohs(a->sin_port);
  } else {
    *port = 0;
  }
  return text;
}

void Put8(std::vector<uint8_t>& b, uint8_t v) { b.push_back(v); }
void Put32(std::vector<uint8_t>& b, uint32_t v) {
  for (int i = 0; i < 4; i++) b.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
void PutF64(std::vector<uint8_t>& b, double v) {
  uint8_t raw[8];
  memcpy(raw, &v, 8);  // x86-64 and arm64 Linux are little-endian
  b.insert(b.end(), raw, raw + 8);
}
// One length byte, then at most 255 bytes: a longer string is cut rather than letting its length
// byte wrap around, which would misalign every record after it in the batch.
void PutStr(std::vector<uint8_t>& b, const std::string& s) {
  size_t n = s.size() < 255 ? s.size() : 255;
  Put8(b, static_cast<uint8_t>(n));
  b.insert(b.end(), s.begin(), s.begin() + static_cast<long>(n));
}

namespace {
// The start shared by the peek and fast events: type, id, listener, ports, peer and local address.
void PutConnHead(std::vector<uint8_t>& b, EventType type, const Conn& c) {
  Put8(b, type);
  PutF64(b, static_cast<double>(c.id));
  Put32(b, static_cast<uint32_t>(c.listenerId));
  Put32(b, c.peerPort);
  Put32(b, c.localPort);
  PutStr(b, c.peer);
  PutStr(b, c.local);
}
}  // namespace

void PutPeekEvent(std::vector<uint8_t>& b, const Conn& c) {
  if (b.empty()) b.reserve(64 + c.peer.size() + c.local.size() + c.peek.size());
  PutConnHead(b, kEvPeek, c);
  Put32(b, static_cast<uint32_t>(c.peek.size()));
  b.insert(b.end(), c.peek.begin(), c.peek.end());
}

void PutFastEvent(std::vector<uint8_t>& b, const Conn& c, const std::string& sni) {
  if (b.empty()) b.reserve(48 + c.peer.size() + c.local.size() + sni.size());
  PutConnHead(b, kEvFast, c);
  PutStr(b, sni);
}

void PutClosedEvent(std::vector<uint8_t>& b, const ClosedStats& s) {
  Put8(b, kEvClosed);
  PutF64(b, static_cast<double>(s.id));
  Put32(b, s.statsId);
  PutF64(b, static_cast<double>(s.up));
  PutF64(b, static_cast<double>(s.down));
  Put32(b, s.ms);
  Put8(b, s.error ? 1 : 0);
}

void PutEndEvent(std::vector<uint8_t>& b, EventType type, uint64_t id, int listenerId) {
  Put8(b, type);
  PutF64(b, static_cast<double>(id));
  Put32(b, static_cast<uint32_t>(listenerId));
}

void PutPolicyAckEvent(std::vector<uint8_t>& b, uint32_t seq) {
  Put8(b, kEvPolicyAck);
  PutF64(b, static_cast<double>(seq));
}

void PutDeniedEvent(std::vector<uint8_t>& b, int listenerId, const std::string& peer) {
  Put8(b, kEvDenied);
  PutF64(b, 0);
  Put32(b, static_cast<uint32_t>(listenerId));
  PutStr(b, peer);
}

void EventSink::Push(const std::vector<uint8_t>& rec, bool urgent) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> g(mu_);
    buf_.insert(buf_.end(), rec.begin(), rec.end());
    if (urgent && !notified_) wake = notified_ = true;
  }
  if (wake && notify) notify();
}

void EventSink::Kick() {
  bool wake = false;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (!buf_.empty() && !notified_) wake = notified_ = true;
  }
  if (wake && notify) notify();
}

std::vector<uint8_t> EventSink::Take() {
  std::vector<uint8_t> out;
  std::lock_guard<std::mutex> g(mu_);
  out.swap(buf_);
  notified_ = false;
  return out;
}

}  // namespace ingress
