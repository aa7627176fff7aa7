// One I/O thread: its own epoll set, its own SO_REUSEPORT listening sockets, and every
// connection it accepted (peek phase, backend connect, relay). JS reaches it only through Post()
// (a mutex-guarded queue plus an eventfd wakeup); it reaches JS only through the EventSink.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "ingress.h"

namespace ingress {

namespace {
constexpr uint64_t kTagClient = 0, kTagBackend = 1, kTagListener = 2, kTagWake = 3;
constexpr int kSweepMs = 100;
constexpr int kLazyMs = 5;  // longest delay of a relay result on its way to JS
constexpr int kAwaitGraceMs = 30000;  // JS owes a verdict; give up on it after this long

uint64_t Tag(void* p, uint64_t kind) { return reinterpret_cast<uint64_t>(p) | kind; }
}  // namespace

IoThread::IoThread(int index, const Config& cfg, EventSink* sink)
    : index_(index), cfg_(cfg), sink_(sink) {}

IoThread::~IoThread() {
  if (ep_ >= 0) close(ep_);
  if (wake_ >= 0) close(wake_);
  delete[] scratch_;
}

bool IoThread::Start() {
  ep_ = epoll_create1(EPOLL_CLOEXEC);
  wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (ep_ < 0 || wake_ < 0) return false;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = Tag(nullptr, kTagWake);
  if (epoll_ctl(ep_, EPOLL_CTL_ADD, wake_, &ev) != 0) return false;
  scratch_ = new char[kScratch];
  thread_ = std::thread([this] { Run(); });
  return true;
}

void IoThread::Post(Cmd&& cmd) {
  bool wake;
  {
    std::lock_guard<std::mutex> g(mu_);
    queue_.push_back(std::move(cmd));
    // One eventfd write per batch; a queue holding only lazy commands (kForget) still needs one.
    wake = !wakePending_;
    wakePending_ = true;
  }
  if (wake) {
    uint64_t one = 1;
    ssize_t r = write(wake_, &one, sizeof one);
    (void)r;
  }
}

bool IoThread::Adopt(uint64_t id, int* fd) {
  std::lock_guard<std::mutex> g(mu_);
  auto it = awaiting_.find(id);
  if (it == awaiting_.end()) return false;
  *fd = it->second;
  awaiting_.erase(it);
  // The connection record is freed whenever the thread next wakes (an accept, the sweep): no
  // eventfd write, so a hand-off costs no extra wakeup of this thread.
  Cmd c{Cmd::kForget};
  c.id = id;
  queue_.push_back(std::move(c));
  lazy_.store(true, std::memory_order_relaxed);
  return true;
}

bool IoThread::Unawait(Conn* c) {
  std::lock_guard<std::mutex> g(mu_);
  return awaiting_.erase(c->id) == 1;
}

void IoThread::StopAndJoin() {
  if (!thread_.joinable()) return;
  stop_.store(true);
  uint64_t one = 1;
  ssize_t r = write(wake_, &one, sizeof one);
  (void)r;
  thread_.join();
}

void IoThread::Run() {
  epoll_event evs[256];
  int64_t nextSweep = NowMs() + kSweepMs;
  while (!stop_.load(std::memory_order_relaxed)) {
    int n = epoll_wait(ep_, evs, 256, lazySince_ >= 0 ? kLazyMs : kSweepMs);
    now_ = NowMs();
    bool wake = false;
    for (int i = 0; i < n; i++) {
      uint64_t tag = evs[i].data.u64;
      uint64_t kind = tag & 3;
      void* p = reinterpret_cast<void*>(tag & ~uint64_t{3});
      if (kind == kTagWake) {
        wake = true;
      } else if (kind == kTagListener) {
        OnListener(static_cast<Listener*>(p));
      } else {
        Conn* c = static_cast<Conn*>(p);
        if (c->dead) continue;  // closed earlier in this batch
        if (kind == kTagClient) OnClient(c, evs[i].events);
        else OnBackend(c, evs[i].events);
      }
    }
    // Commands run after the batch: they may close listeners and connections that later entries
    // of `evs` still point at.
    if (wake || lazy_.load(std::memory_order_relaxed)) ProcessCommands(wake);
    if (lazySince_ >= 0 && now_ - lazySince_ >= kLazyMs) {
      sink_->Kick();
      lazySince_ = -1;
    }
    if (now_ >= nextSweep) {
      Sweep();
      nextSweep = now_ + kSweepMs;
    }
    for (Conn* c : graveyard_) delete c;
    graveyard_.clear();
  }
  ProcessCommands(true);
  CloseAll();
  for (Conn* c : graveyard_) delete c;
  graveyard_.clear();
  for (Listener* l : listeners_) {
    close(l->fd);
    delete l;
  }
  listeners_.clear();
}

void IoThread::ProcessCommands(bool woken) {
  if (woken) {
    uint64_t v;
    ssize_t r = read(wake_, &v, sizeof v);
    (void)r;
  }
  std::vector<Cmd> cmds;
  {
    std::lock_guard<std::mutex> g(mu_);
    cmds.swap(queue_);
    wakePending_ = false;
    lazy_.store(false, std::memory_order_relaxed);
  }
  for (Cmd& c : cmds) {
    switch (c.type) {
      case Cmd::kAddListener: {
        auto* l = new Listener();
        l->fd = c.fd;
        l->id = c.listenerId;
        sockaddr_storage ls;
        socklen_t llen = sizeof ls;
        if (getsockname(l->fd, reinterpret_cast<sockaddr*>(&ls), &llen) == 0) {
          l->local = AddrString(ls, &l->localPort);
          l->specific = l->local != "0.0.0.0" && l->local != "::";
        }
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = Tag(l, kTagListener);
        epoll_ctl(ep_, EPOLL_CTL_ADD, l->fd, &ev);
        listeners_.push_back(l);
        break;
      }
      case Cmd::kCloseListener:
        for (size_t i = 0; i < listeners_.size(); i++) {
          if (listeners_[i]->id != c.listenerId) continue;
          close(listeners_[i]->fd);  // also leaves the epoll set
          delete listeners_[i];
          listeners_.erase(listeners_.begin() + static_cast<long>(i));
          break;
        }
        break;
      case Cmd::kVerdict:
        OnVerdict(c);
        break;
      case Cmd::kCloseAll:
        CloseAll();
        break;
      case Cmd::kPolicy: {
        for (Listener* l : listeners_) {
          if (l->id != c.listenerId) continue;
          l->fast = c.fast;
          l->filter = c.filter;
        }
        // JS waits for every thread's ack before a state change counts as applied: no
        // connection accepted afterwards meets an older table or filter.
        std::vector<uint8_t> rec;
        PutPolicyAckEvent(rec, c.seq);
        sink_->Push(rec);
        break;
      }
      case Cmd::kForget: {
        // JS adopted the client descriptor (Adopt): drop the record without touching the fd. Its
        // one-shot epoll registration is disarmed and goes away when JS closes the socket.
        auto it = conns_.find(c.id);
        if (it == conns_.end()) break;
        Conn* conn = it->second;
        conn->client.fd = -1;
        conn->client.registered = false;
        conn->told = false;
        CloseConn(conn, false);
        break;
      }
    }
  }
}

void IoThread::OnListener(Listener* l) {
  for (int i = 0; i < 64; i++) {
    sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int fd = accept4(l->fd, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: stop watching this listener until the next sweep instead of
        // spinning on a level-triggered event that cannot be served.
        epoll_ctl(ep_, EPOLL_CTL_DEL, l->fd, nullptr);
        l->paused = true;
      }
      return;
    }
    if (l->filter && l->filter->Denies(ss)) {
      // Deny-listed: reset before the peer can send anything; JS counts it from the event.
      linger lg{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      close(fd);
      std::vector<uint8_t> rec;
      uint16_t port;
      PutDeniedEvent(rec, l->id, AddrString(ss, &port));
      sink_->Push(rec, false);
      if (lazySince_ < 0) lazySince_ = now_;
      continue;
    }
    // TCP_NODELAY comes from the listening socket (Linux copies it to accepted sockets).
    auto* c = new Conn();
    c->id = (++seq_ << 6) | static_cast<uint64_t>(index_);
    c->listenerId = l->id;
    c->client.fd = fd;
    c->peer = AddrString(ss, &c->peerPort);
    if (l->specific) {
      c->local = l->local;
      c->localPort = l->localPort;
    } else {
      sockaddr_storage ls;
      socklen_t llen = sizeof ls;
      if (getsockname(fd, reinterpret_cast<sockaddr*>(&ls), &llen) == 0)
        c->local = AddrString(ls, &c->localPort);
    }
    c->deadline = now_ + cfg_.helloTimeoutMs;
    c->started = now_;
    c->next = head_;
    if (head_) head_->prev = c;
    head_ = c;
    conns_[c->id] = c;
    active.fetch_add(1, std::memory_order_relaxed);
    // One-shot while peeking: after the first read the descriptor stays registered but silent
    // until the verdict, without a DEL/ADD pair per connection.
    SetInterest(c, c->client, EPOLLIN | EPOLLONESHOT);
  }
}

void IoThread::SetInterest(Conn* c, Side& s, uint32_t want) {
  if (s.fd < 0) return;
  if (want == 0) {
    if (s.registered) epoll_ctl(ep_, EPOLL_CTL_DEL, s.fd, nullptr);
    s.registered = false;
    s.interest = 0;
    return;
  }
  if (s.registered && s.interest == want) return;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = Tag(c, &s == &c->client ? kTagClient : kTagBackend);
  epoll_ctl(ep_, s.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s.fd, &ev);
  s.registered = true;
  s.interest = want;
}

void IoThread::PushPeek(Conn* c) {
  std::vector<uint8_t> rec;
  PutPeekEvent(rec, *c);
  c->told = true;
  {
    std::lock_guard<std::mutex> g(mu_);
    awaiting_[c->id] = c->client.fd;
  }
  sink_->Push(rec);
}

void IoThread::PeekRead(Conn* c) {
  size_t have = c->peek.size();
  if (have >= kPeekMax) return CloseConn(c, true);
  ssize_t n = recv(c->client.fd, scratch_, kPeekMax - have, 0);
  if (n > 0) {
    c->peek.insert(c->peek.end(), scratch_, scratch_ + n);
    c->readUp += static_cast<uint64_t>(n);
    c->client.interest = 0;  // the one-shot registration is disarmed now
    if (!c->told && TryFastPath(c)) return;  // (JS keeps no state for this connection yet)
    c->state = State::kAwait;
    PushPeek(c);
    return;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
    c->client.interest = 0;  // re-arm the one-shot registration
    SetInterest(c, c->client, EPOLLIN | EPOLLONESHOT);
    return;
  }
  CloseConn(c, true);  // EOF or reset before a verdict
}

void IoThread::OnClient(Conn* c, uint32_t ev) {
  if (c->state == State::kPeek) return PeekRead(c);
  if (c->state == State::kDraining) {
    ssize_t n = recv(c->client.fd, scratch_, kScratch, 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) CloseConn(c, false);
    return;
  }
  if (c->state != State::kRelay) return;
  if (ev & EPOLLERR) return CloseConn(c, true);
  bool in = (ev & (EPOLLIN | EPOLLHUP)) && (c->client.interest & EPOLLIN);
  bool out = (ev & (EPOLLOUT | EPOLLHUP)) && (c->client.interest & EPOLLOUT);
  if (out && !Pump(c, c->down, false)) return;
  if (in && !Pump(c, c->up, true)) return;
  // Room on the client again: read the backend now rather than waiting for another wakeup.
  if (out && !c->down.Blocked() && !c->down.eof && !Pump(c, c->down, true)) return;
  UpdateRelayInterest(c);
}

void IoThread::OnBackend(Conn* c, uint32_t ev) {
  if (c->state == State::kConnecting) {
    if (ev & (EPOLLERR | EPOLLHUP)) {
      int err = 0;
      socklen_t len = sizeof err;
      if (getsockopt(c->backend.fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
      if (err != 0) return CloseConn(c, true);
    }
    if (!(ev & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    StartRelay(c);  // writable without an error: connected (a late failure shows up on send)
    return;
  }
  if (c->state != State::kRelay) return;
  if (ev & EPOLLERR) return CloseConn(c, true);
  bool in = (ev & (EPOLLIN | EPOLLHUP)) && (c->backend.interest & EPOLLIN);
  bool out = (ev & (EPOLLOUT | EPOLLHUP)) && (c->backend.interest & EPOLLOUT);
  if (out && !Pump(c, c->up, false)) return;
  if (in && !Pump(c, c->down, true)) return;
  if (out && !c->up.Blocked() && !c->up.eof && !Pump(c, c->up, true)) return;
  UpdateRelayInterest(c);
}

void IoThread::Sweep() {
  for (Listener* l : listeners_) {
    if (!l->paused) continue;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = Tag(l, kTagListener);
    if (epoll_ctl(ep_, EPOLL_CTL_ADD, l->fd, &ev) == 0) l->paused = false;
  }
  for (Conn* c = head_; c != nullptr;) {
    Conn* next = c->next;
    switch (c->state) {
      case State::kPeek:
        if (now_ >= c->deadline) CloseConn(c, false, kEvTimeout);
        break;
      case State::kAwait:
        if (now_ >= c->deadline + kAwaitGraceMs) CloseConn(c, true);
        break;
      case State::kDraining:
        if (now_ >= c->deadline) CloseConn(c, false);
        break;
      case State::kConnecting:
      case State::kRelay:
        if (c->idleMs > 0 && now_ - c->lastActive >= c->idleMs) CloseConn(c, false);
        break;
    }
    c = next;
  }
}

void IoThread::CloseAll() {
  for (Conn* c = head_; c != nullptr;) {
    Conn* next = c->next;
    CloseConn(c, false);
    c = next;
  }
}

void IoThread::CloseConn(Conn* c, bool error, EventType gone) {
  if (c->dead) return;
  c->dead = true;
  // A connection awaiting its verdict may have been adopted by JS meanwhile: its fd is not ours.
  if (c->state == State::kAwait && c->told && !Unawait(c)) {
    c->client.fd = -1;
    c->told = false;
  }
  if (c->client.fd >= 0) close(c->client.fd);
  if (c->backend.fd >= 0) close(c->backend.fd);
  std::vector<uint8_t> rec;
  if (c->state == State::kRelay || c->state == State::kConnecting) {
    ClosedStats s;
    s.id = c->id;
    s.statsId = c->statsId;
    s.up = c->readUp;
    s.down = c->down.bytes;
    s.ms = static_cast<uint32_t>(now_ - c->started);
    s.error = error;
    PutClosedEvent(rec, s);
  } else if (c->told || gone == kEvTimeout) {
    PutEndEvent(rec, gone, c->id, c->listenerId);
  }
  if (!rec.empty()) {
    bool lazy = rec[0] == kEvClosed;
    sink_->Push(rec, !lazy);
    if (lazy && lazySince_ < 0) lazySince_ = now_;
  }
  if (c->prev) c->prev->next = c->next;
  else head_ = c->next;
  if (c->next) c->next->prev = c->prev;
  conns_.erase(c->id);
  active.fetch_sub(1, std::memory_order_relaxed);
  graveyard_.push_back(c);
}

}  // namespace ingress
