// Small shared pieces of the ingress addon: the clock, address formatting, the little-endian
// event record writers and the EventSink that carries event records from the I/O threads to JS.
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
void PutStr(std::vector<uint8_t>& b, const std::string& s) {
  Put8(b, static_cast<uint8_t>(s.size()));
  b.insert(b.end(), s.begin(), s.end());
}

void PutConnHead(std::vector<uint8_t>& b, EventType type, const Conn& c) {
  Put8(b, type);
  PutF64(b, static_cast<double>(c.id));
  Put32(b, static_cast<uint32_t>(c.listenerId));
  Put32(b, c.peerPort);
  Put32(b, c.localPort);
  PutStr(b, c.peer);
  PutStr(b, c.local);
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
