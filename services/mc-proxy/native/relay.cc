// Verdicts from JS and the L4 relay: a non-blocking backend connect, then both directions moved
// with recv/send through one per-thread 64 KiB scratch buffer. A direction that cannot write
// keeps at most one read's worth of bytes (a heap copy) and stops reading until the other side
// drains: memory per connection is bounded and idle connections hold no buffers at all.
// (splice(2) through pooled pipes was measured as well and was no better on this workload:
// ARCHITECTURE.md "Native code".)
#include <errno.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "ingress.h"

namespace ingress {

namespace {
constexpr int kDrainMs = 1000;
}  // namespace

void IoThread::OnVerdict(Cmd& v) {
  auto it = conns_.find(v.id);
  if (it == conns_.end()) return;  // closed meanwhile (timeout, client gone, close-all)
  Conn* c = it->second;
  if (c->state != State::kAwait) return;
  if (!Unawait(c)) return;  // JS adopted it (a verdict as well would be a JS bug): not ours
  switch (v.kind) {
    case kMore:
      if (c->peek.size() >= kPeekMax) return CloseConn(c, true);
      c->state = State::kPeek;
      SetInterest(c, c->client, EPOLLIN | EPOLLONESHOT);
      return;
    case kReset: {
      linger l{1, 0};  // close() then sends RST instead of FIN
      setsockopt(c->client.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      c->told = false;
      return CloseConn(c, false);
    }
    case kSendClose: {
      if (!v.bytes.empty()) {
        ssize_t r = send(c->client.fd, v.bytes.data(), v.bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        (void)r;
      }
      // FIN after the bytes; read and discard until the client closes so that unread input does
      // not turn the close into an RST that could destroy the alert in flight.
      shutdown(c->client.fd, SHUT_WR);
      c->told = false;
      c->state = State::kDraining;
      c->deadline = now_ + kDrainMs;
      SetInterest(c, c->client, EPOLLIN);
      return;
    }
    case kRelay:
      break;
    default:
      c->told = false;
      return CloseConn(c, false);
  }
  c->statsId = v.statsId;
  StartConnect(c, v.addr, v.addrLen, std::move(v.bytes), v.idleMs);
}

void IoThread::StartConnect(Conn* c, const sockaddr_storage& addr, socklen_t len,
                            std::vector<uint8_t>&& first, uint32_t idleMs) {
  c->idleMs = idleMs;
  c->lastActive = now_;
  c->state = State::kConnecting;
  c->up.pending.assign(first.begin(), first.end());
  c->up.off = 0;
  std::vector<uint8_t>().swap(c->peek);
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return CloseConn(c, true);
  c->backend.fd = fd;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), len) == 0) return StartRelay(c);
  if (errno != EINPROGRESS) return CloseConn(c, true);
  SetInterest(c, c->backend, EPOLLOUT);
}

void IoThread::StartRelay(Conn* c) {
  c->state = State::kRelay;
  c->lastActive = now_;
  if (!Flush(c, c->up)) return;
  UpdateRelayInterest(c);
}

void IoThread::UpdateRelayInterest(Conn* c) {
  if (c->dead) return;
  if (c->up.eof && !c->up.Blocked() && c->down.eof && !c->down.Blocked())
    return CloseConn(c, false);
  uint32_t ci = 0, bi = 0;
  if (!c->up.eof && !c->up.Blocked()) ci |= EPOLLIN;
  if (c->down.Blocked()) ci |= EPOLLOUT;
  if (!c->down.eof && !c->down.Blocked()) bi |= EPOLLIN;
  if (c->up.Blocked()) bi |= EPOLLOUT;
  SetInterest(c, c->client, ci);
  SetInterest(c, c->backend, bi);
}

// Writes what `d` holds for its destination; true unless the connection was closed.
bool IoThread::Flush(Conn* c, Dir& d) {
  while (d.off < d.pending.size()) {
    ssize_t w = send(d.dst->fd, d.pending.data() + d.off, d.pending.size() - d.off,
                     MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w > 0) {
      d.off += static_cast<size_t>(w);
      d.bytes += static_cast<uint64_t>(w);
      c->lastActive = now_;
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && errno == EAGAIN) return true;
    CloseConn(c, true);
    return false;
  }
  if (!d.pending.empty()) std::vector<char>().swap(d.pending);
  d.off = 0;
  if (d.eof && !d.shut) {
    shutdown(d.dst->fd, SHUT_WR);
    d.shut = true;
  }
  return true;
}

bool IoThread::Pump(Conn* c, Dir& d, bool read) {
  if (!Flush(c, d)) return false;
  if (!read || d.eof || d.Blocked()) return true;
  for (int round = 0; round < 8; round++) {
    ssize_t n = recv(d.src->fd, scratch_, kScratch, 0);
    if (n > 0) {
      if (&d == &c->up) c->readUp += static_cast<uint64_t>(n);
      c->lastActive = now_;
      size_t sent = 0, len = static_cast<size_t>(n);
      while (sent < len) {
        ssize_t w = send(d.dst->fd, scratch_ + sent, len - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) sent += static_cast<size_t>(w);
        else if (w < 0 && errno == EINTR) continue;
        else if (w < 0 && errno == EAGAIN) break;
        else {
          CloseConn(c, true);
          return false;
        }
      }
      d.bytes += sent;
      if (sent < len) {
        d.pending.assign(scratch_ + sent, scratch_ + len);
        d.off = 0;
        return true;
      }
      if (len < kScratch) return true;  // most likely drained: let epoll say when there is more
      continue;
    }
    if (n == 0) {
      d.eof = true;
      return Flush(c, d);  // nothing pending: propagates the half-close
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return true;
    CloseConn(c, true);
    return false;
  }
  return true;
}

}  // namespace ingress
